/*
 * arena.h — a bump allocator for data that lives as long as its owner (records, list entries).
 *
 * Strings and small arrays of a record set are carved from large blocks and freed all at once,
 * which is faster than one malloc per field and makes "the record set owns everything" true by
 * construction. Blocks come from dx_malloc, so allocation-failure tests reach them.
 */
#ifndef DX_ARENA_H
#define DX_ARENA_H

#include <stddef.h>

typedef struct dx_arena_block dx_arena_block;

typedef struct dx_arena {
    dx_arena_block *head;
    size_t used, size; /* of the head block */
    size_t total;      /* bytes handed out, for statistics */
} dx_arena;

#define DX_ARENA_INIT {NULL, 0, 0, 0}

/* `n` bytes aligned for any type; NULL when out of memory. */
void *dx_arena_alloc(dx_arena *a, size_t n);
/* A NUL-terminated copy of `n` bytes of `s`; NULL when out of memory. */
char *dx_arena_strndup(dx_arena *a, const char *s, size_t n);
void dx_arena_free(dx_arena *a);
/* Forget everything handed out, keeping one block for reuse (per-item scratch memory). */
void dx_arena_reset(dx_arena *a);

#endif
