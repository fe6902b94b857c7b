/*
 * alloc.h — the library's allocator, with failure injection for tests.
 *
 * Every allocation of the library goes through these functions so that a test can make the
 * n-th allocation fail (SQLite's discipline) and check that each path ends in DX_ERR_NOMEM
 * and leaks nothing. dx_free(NULL) is a no-op, like free().
 */
#ifndef DX_ALLOC_H
#define DX_ALLOC_H

#include <stddef.h>

#include "dexcheck/status.h"

void *dx_malloc(size_t size);
void *dx_calloc(size_t count, size_t size);
void *dx_realloc(void *ptr, size_t size);
void dx_free(void *ptr);

/* Copy a NUL-terminated string / the first n bytes of s (result is NUL-terminated). */
char *dx_strdup(const char *s);
char *dx_strndup(const char *s, size_t n);

/* Growth helper: new capacity for a buffer that must hold `need` items, doubling from `cap`;
 * 0 on overflow of `max`. */
size_t dx_grow_cap(size_t cap, size_t need, size_t max);

/* Make room in *items (capacity *cap, in items of `size` bytes) for `need` items, doubling
 * from 1,024; *items and *cap change only on success. DX_ERR_NOMEM, also when the size
 * would overflow. */
dx_status dx_grow_array(void **items, size_t *cap, size_t need, size_t size);

/* Testing: after `n` more successful allocations, every allocation fails (n < 0: never).
 * Returns how many allocations were made since the last call. */
long dx_alloc_fail_after(long n);

#endif
