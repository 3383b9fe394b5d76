#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro over a cast Swift can't import: sqlite3 copies bound text and blobs.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }

#include <malloc.h>

// For a long-running server process: allocations of 1 MiB and more (list bodies) come from their own mappings and
// go back to the system when freed, and request threads share two malloc arenas. glibc's defaults keep both as
// resident memory after a burst.
static inline void csqlite_tune_process_malloc(void) {
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    mallopt(M_ARENA_MAX, 2);
}
