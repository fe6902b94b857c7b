/*
 * alloc.c — malloc wrappers with a failure countdown.
 *
 * The countdown is a process-wide atomic so that tests can sweep "fail at allocation n" over a
 * whole operation; in normal runs it is negative and costs one relaxed atomic load.
 */
#include "alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static _Atomic long fail_countdown = -1;
static _Atomic long alloc_count = 0;

static int should_fail(void)
{
    atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed);
    long left = atomic_load_explicit(&fail_countdown, memory_order_relaxed);
    if (left < 0)
        return 0;
    if (left == 0)
        return 1;
    atomic_fetch_sub_explicit(&fail_countdown, 1, memory_order_relaxed);
    return 0;
}

long dx_alloc_fail_after(long n)
{
    atomic_store(&fail_countdown, n);
    return atomic_exchange(&alloc_count, 0);
}

void *dx_malloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *dx_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *dx_realloc(void *ptr, size_t size)
{
    if (should_fail())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

void dx_free(void *ptr)
{
    free(ptr);
}

char *dx_strndup(const char *s, size_t n)
{
    char *copy = dx_malloc(n + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

char *dx_strdup(const char *s)
{
    return dx_strndup(s, strlen(s));
}

size_t dx_grow_cap(size_t cap, size_t need, size_t max)
{
    if (need > max)
        return 0;
    size_t next = cap ? cap : 8;
    while (next < need) {
        if (next > max / 2)
            return max;
        next *= 2;
    }
    return next > max ? max : next;
}

dx_status dx_grow_array(void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return DX_OK;
    size_t next = dx_grow_cap(*cap ? *cap : 1024, need, (size_t)-1 / (size ? size : 1));
    void *p = next ? dx_realloc(*items, next * size) : NULL;
    if (!p)
        return DX_ERR_NOMEM;
    *items = p;
    *cap = next;
    return DX_OK;
}
