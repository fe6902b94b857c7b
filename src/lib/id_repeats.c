/*
 * id_repeats.c — unique derived entry ids with numbered repeats (see id_repeats.h).
 */
#include "id_repeats.h"

#include <stdint.h>
#include <string.h>

#include "alloc.h"

void dx_id_repeats_free(dx_id_repeats *r)
{
    dx_strmap_free(&r->ids);
    dx_strmap_free(&r->contents);
    dx_arena_free(&r->keys);
    dx_free(r->claims);
    r->claims = NULL;
    r->n_claims = r->cap_claims = 0;
}

/* Record `key` (len bytes) as given to the row at `line`. */
static dx_status add_id(dx_id_repeats *r, const char *key, size_t len, unsigned long line)
{
    if (r->n_claims == r->cap_claims) {
        size_t cap = dx_grow_cap(r->cap_claims, r->n_claims + 1, SIZE_MAX / sizeof *r->claims);
        dx_id_claim *claims = cap ? dx_realloc(r->claims, cap * sizeof *claims) : NULL;
        if (!claims)
            return DX_ERR_NOMEM;
        r->claims = claims;
        r->cap_claims = cap;
    }
    char *copy = dx_arena_strndup(&r->keys, key, len);
    if (!copy)
        return DX_ERR_NOMEM;
    dx_status st = dx_strmap_put(&r->ids, copy, r->n_claims, NULL, NULL);
    if (st == DX_OK)
        r->claims[r->n_claims++] = (dx_id_claim){line, 2};
    return st;
}

dx_status dx_id_repeats_claim(dx_id_repeats *r, dx_strbuf *id, unsigned long line,
                              unsigned long *first_line)
{
    size_t slot, base = id->len;
    *first_line = 0;
    if (!dx_strmap_get(&r->ids, id->data, &slot))
        return add_id(r, id->data, id->len, line);
    *first_line = r->claims[slot].line;
    for (;;) {
        id->len = base;
        dx_status st = dx_strbuf_printf(id, "#%lu", r->claims[slot].next_suffix++);
        if (st != DX_OK)
            return st;
        if (!dx_strmap_get(&r->ids, id->data, NULL))
            return add_id(r, id->data, id->len, line);
    }
}

int dx_id_repeats_taken(const dx_id_repeats *r, const char *id, unsigned long *line)
{
    size_t slot;
    if (!dx_strmap_get(&r->ids, id, &slot))
        return 0;
    *line = r->claims[slot].line;
    return 1;
}

dx_status dx_id_repeats_content(dx_id_repeats *r, const char *key, unsigned long line,
                                unsigned long *first_line)
{
    size_t seen = 0;
    *first_line = 0;
    if (dx_strmap_get(&r->contents, key, &seen)) {
        *first_line = (unsigned long)seen;
        return DX_OK;
    }
    char *copy = dx_arena_strndup(&r->keys, key, strlen(key));
    return copy ? dx_strmap_put(&r->contents, copy, line, NULL, NULL) : DX_ERR_NOMEM;
}
