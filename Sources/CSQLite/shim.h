#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro over a cast Swift can't import: sqlite3 copies bound text and blobs.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }
