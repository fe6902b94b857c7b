/*
 * fetch.h — download one URL into memory with libcurl (internal; used by `lists update`).
 *
 * Only http and https, at most 5 redirects, a time limit, and a size cap: a list server that
 * misbehaves costs bounded time and memory. An HTTP status other than 2xx is an error.
 */
#ifndef DX_FETCH_H
#define DX_FETCH_H

#include <stddef.h>

#include "dexcheck/diag.h"

/* On DX_OK *out (caller frees with dx_free) holds *len bytes. DX_ERR_IO with a diagnostic
 * naming the URL when the download fails; DX_ERR_LIMIT past max_bytes. */
dx_status dx_fetch(const char *url, size_t max_bytes, long timeout_seconds, dx_diags *diags,
                   unsigned char **out, size_t *len);

#endif
