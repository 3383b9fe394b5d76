#ifndef MESHCTL_CCURL_SHIM_H
#define MESHCTL_CCURL_SHIM_H

#include <curl/curl.h>
#include <dlfcn.h>
#include <stddef.h>

/* libcurl is opened on first use (dlopen), not linked. A linked libcurl makes the dynamic loader map and relocate
   its whole dependency tree (TLS, Kerberos, LDAP, SSH, IDN, ... about 30 libraries) at every start of meshctl,
   which cost more than everything else `meshctl version` does. Only the headers are used at build time.

   The functions meshctl calls, found in the opened library by `ccurl_load`. */
typedef struct ccurl_api {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *handle);
    void (*easy_reset)(CURL *handle);
    CURLcode (*easy_perform)(CURL *handle);
    CURLcode (*easy_setopt)(CURL *handle, CURLoption option, ...);
    CURLcode (*easy_getinfo)(CURL *handle, CURLINFO info, ...);
    const char *(*easy_strerror)(CURLcode code);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *text);
    void (*slist_free_all)(struct curl_slist *list);
} ccurl_api;

typedef enum ccurl_load_status {
    CCURL_LOADED = 0,
    CCURL_CANNOT_OPEN = 1,     /* *detail: dlerror's text */
    CCURL_MISSING_FUNCTION = 2 /* *detail: the name of the missing function */
} ccurl_load_status;

/* Opens `library` (a soname or a path) and fills every entry of `api`, or leaves the library closed and says why.
   The library stays open for the life of the process. */
static inline ccurl_load_status ccurl_load(const char *library, ccurl_api *api, const char **detail) {
    void *handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        *detail = dlerror();
        return CCURL_CANNOT_OPEN;
    }
#define CCURL_BIND(field, name)                                  \
    api->field = (__typeof__(api->field))dlsym(handle, name);    \
    if (api->field == NULL) {                                    \
        dlclose(handle);                                         \
        *detail = name;                                          \
        return CCURL_MISSING_FUNCTION;                           \
    }
    CCURL_BIND(global_init, "curl_global_init")
    CCURL_BIND(easy_init, "curl_easy_init")
    CCURL_BIND(easy_cleanup, "curl_easy_cleanup")
    CCURL_BIND(easy_reset, "curl_easy_reset")
    CCURL_BIND(easy_perform, "curl_easy_perform")
    CCURL_BIND(easy_setopt, "curl_easy_setopt")
    CCURL_BIND(easy_getinfo, "curl_easy_getinfo")
    CCURL_BIND(easy_strerror, "curl_easy_strerror")
    CCURL_BIND(slist_append, "curl_slist_append")
    CCURL_BIND(slist_free_all, "curl_slist_free_all")
#undef CCURL_BIND
    *detail = NULL;
    return CCURL_LOADED;
}

/* Typed entry points for Swift, which can neither call C variadic functions (curl_easy_setopt, curl_easy_getinfo)
   nor, conveniently, the optional function pointers of the table. Every entry of `api` is set once loaded. */

static inline CURLcode ccurl_global_init(const ccurl_api *api, long flags) { return api->global_init(flags); }
static inline CURL *ccurl_easy_init(const ccurl_api *api) { return api->easy_init(); }
static inline void ccurl_easy_cleanup(const ccurl_api *api, CURL *handle) { api->easy_cleanup(handle); }
static inline void ccurl_easy_reset(const ccurl_api *api, CURL *handle) { api->easy_reset(handle); }
static inline CURLcode ccurl_easy_perform(const ccurl_api *api, CURL *handle) { return api->easy_perform(handle); }
static inline const char *ccurl_easy_strerror(const ccurl_api *api, CURLcode code) { return api->easy_strerror(code); }

static inline struct curl_slist *ccurl_slist_append(const ccurl_api *api, struct curl_slist *list, const char *text) {
    return api->slist_append(list, text);
}

static inline void ccurl_slist_free_all(const ccurl_api *api, struct curl_slist *list) { api->slist_free_all(list); }

static inline CURLcode ccurl_setopt_long(const ccurl_api *api, CURL *handle, CURLoption option, long value) {
    return api->easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_string(const ccurl_api *api, CURL *handle, CURLoption option, const char *value) {
    return api->easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_pointer(const ccurl_api *api, CURL *handle, CURLoption option, void *value) {
    return api->easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_slist(const ccurl_api *api, CURL *handle, CURLoption option,
                                          struct curl_slist *value) {
    return api->easy_setopt(handle, option, value);
}

/* Copies the bytes (CURL_BLOB_COPY), so the caller's buffer need not outlive the call. */
static inline CURLcode ccurl_setopt_blob(const ccurl_api *api, CURL *handle, CURLoption option, const void *data,
                                         size_t length) {
    struct curl_blob blob;
    blob.data = (void *)data;
    blob.len = length;
    blob.flags = CURL_BLOB_COPY;
    return api->easy_setopt(handle, option, &blob);
}

typedef size_t (*ccurl_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode ccurl_setopt_write_function(const ccurl_api *api, CURL *handle, ccurl_data_callback callback) {
    return api->easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

static inline CURLcode ccurl_setopt_header_function(const ccurl_api *api, CURL *handle, ccurl_data_callback callback) {
    return api->easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}

typedef int (*ccurl_progress_callback)(void *context, curl_off_t dltotal, curl_off_t dlnow,
                                       curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode ccurl_setopt_progress_function(const ccurl_api *api, CURL *handle,
                                                      ccurl_progress_callback callback) {
    return api->easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

static inline CURLcode ccurl_getinfo_long(const ccurl_api *api, CURL *handle, CURLINFO info, long *value) {
    return api->easy_getinfo(handle, info, value);
}

#endif
