/* arena.c — see arena.h. Blocks grow to 64 KiB; larger requests get a block of their own. */
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"

struct dx_arena_block {
    dx_arena_block *next;
    alignas(max_align_t) unsigned char data[];
};

enum { ARENA_BLOCK = 64 * 1024 };

void *dx_arena_alloc(dx_arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    if (n > SIZE_MAX - align)
        return NULL;
    n = (n + align - 1) & ~(align - 1);
    if (!a->head || a->size - a->used < n) {
        size_t size = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
        dx_arena_block *b = dx_malloc(sizeof *b + size);
        if (!b)
            return NULL;
        if (size == n && a->head) {
            /* A big request gets its own block behind the head, keeping the head's space. */
            b->next = a->head->next;
            a->head->next = b;
            a->total += n;
            return b->data;
        }
        b->next = a->head;
        a->head = b;
        a->used = 0;
        a->size = size;
    }
    void *p = a->head->data + a->used;
    a->used += n;
    a->total += n;
    return p;
}

char *dx_arena_strndup(dx_arena *a, const char *s, size_t n)
{
    char *p = dx_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void dx_arena_free(dx_arena *a)
{
    dx_arena_block *b = a->head;
    while (b) {
        dx_arena_block *next = b->next;
        dx_free(b);
        b = next;
    }
    a->head = NULL;
    a->used = a->size = a->total = 0;
}

void dx_arena_reset(dx_arena *a)
{
    if (!a->head)
        return;
    dx_arena_block *b = a->head->next;
    while (b) {
        dx_arena_block *next = b->next;
        dx_free(b);
        b = next;
    }
    a->head->next = NULL;
    a->used = 0;
    a->total = 0;
}
