#ifndef FEEDWATCH_CCURL_SHIM_H
#define FEEDWATCH_CCURL_SHIM_H
// curl_easy_setopt / curl_easy_getinfo / curl_multi_setopt are variadic, which Swift cannot
// call. Each wrapper below fixes one argument type so the Swift client stays type-checked.
// Only FeedFetch imports this module (SPEC §1, STYLE "Dependency direction").
#include <curl/curl.h>
#include <stddef.h>

// The write and header callbacks are declared in Swift as `@convention(c)` functions with
// exactly this shape; if libcurl ever changed `size_t`'s width relative to Swift's `Int`,
// the byte counts the callbacks return would be truncated silently.
_Static_assert(sizeof(size_t) == sizeof(void *), "size_t must be pointer-sized for the Swift callbacks");
// Timings are read as curl_off_t microseconds and converted with Int64 arithmetic in Swift.
_Static_assert(sizeof(curl_off_t) == 8, "curl_off_t must be 64-bit");
// The error buffer FeedFetch allocates per transfer has this size; a larger curl constant
// would let curl write past it.
_Static_assert(CURL_ERROR_SIZE == 256, "FeedFetch allocates 256-byte error buffers");

// Typed setopt wrappers: one per argument kind curl accepts.
static inline CURLcode fw_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode fw_easy_setopt_str(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode fw_easy_setopt_ptr(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode fw_easy_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode fw_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
// Used for both CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION: they share this signature.
static inline CURLcode fw_easy_setopt_write_cb(CURL *h, CURLoption o, curl_write_callback v) { return curl_easy_setopt(h, o, v); }

// Typed getinfo wrappers.
static inline CURLcode fw_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode fw_easy_getinfo_str(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode fw_easy_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode fw_easy_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
// CURLINFO_PRIVATE hands back the pointer stored with CURLOPT_PRIVATE (the transfer's context).
static inline CURLcode fw_easy_getinfo_ptr(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }

static inline CURLMcode fw_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }

// CURLAUTH_BASIC is a macro with a cast (`((unsigned long)1)<<0`) that Swift does not import.
static inline long fw_curlauth_basic(void) { return (long)CURLAUTH_BASIC; }
// CURL_GLOBAL_ALL is an or-expression of two macros; a function keeps the intent readable.
static inline long fw_curl_global_all(void) { return (long)CURL_GLOBAL_ALL; }

// CURLMsg.data is an anonymous union; reading the member by name through C avoids relying
// on how Swift lays out imported unions.
static inline CURLcode fw_multi_msg_result(const CURLMsg *m) { return m->data.result; }
#endif
