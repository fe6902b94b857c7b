/* strmap.c — see strmap.h. */
#include "strmap.h"

#include <stdint.h>
#include <string.h>

#include "alloc.h"

static uint64_t hash_key(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

/* The slot of `key` (hash h), or the empty slot where it would go. The stored hash is
 * compared first, so strcmp runs only on a real match. */
static dx_strmap_slot *find(const dx_strmap_slot *slots, size_t cap, const char *key,
                            uint64_t h)
{
    size_t i = (size_t)h & (cap - 1);
    while (slots[i].key && (slots[i].hash != h || strcmp(slots[i].key, key) != 0))
        i = (i + 1) & (cap - 1);
    return (dx_strmap_slot *)&slots[i];
}

/* The empty slot for a key known to be absent (growing). */
static dx_strmap_slot *free_slot(dx_strmap_slot *slots, size_t cap, uint64_t h)
{
    size_t i = (size_t)h & (cap - 1);
    while (slots[i].key)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static dx_status resize(dx_strmap *m, size_t cap)
{
    if (cap > SIZE_MAX / sizeof(dx_strmap_slot))
        return DX_ERR_NOMEM;
    dx_strmap_slot *slots = dx_calloc(cap, sizeof *slots);
    if (!slots)
        return DX_ERR_NOMEM;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].key)
            *free_slot(slots, cap, m->slots[i].hash) = m->slots[i];
    }
    dx_free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return DX_OK;
}

static dx_status grow(dx_strmap *m)
{
    return resize(m, m->cap ? m->cap * 2 : 16);
}

dx_status dx_strmap_reserve(dx_strmap *m, size_t n)
{
    size_t cap = m->cap ? m->cap : 16;
    while (cap / 2 < n) {
        if (cap > SIZE_MAX / 4)
            return DX_ERR_NOMEM;
        cap *= 2;
    }
    return cap > m->cap ? resize(m, cap) : DX_OK;
}

dx_status dx_strmap_put(dx_strmap *m, const char *key, size_t value, int *inserted,
                        size_t *existing)
{
    uint64_t h = hash_key(key);
    if (m->cap) {
        dx_strmap_slot *s = find(m->slots, m->cap, key, h);
        if (s->key) {
            if (existing)
                *existing = s->value;
            if (inserted)
                *inserted = 0;
            return DX_OK;
        }
    }
    if ((m->len + 1) * 2 > m->cap) {
        dx_status st = grow(m);
        if (st != DX_OK)
            return st;
    }
    dx_strmap_slot *s = free_slot(m->slots, m->cap, h);
    s->key = key;
    s->hash = h;
    s->value = value;
    m->len++;
    if (inserted)
        *inserted = 1;
    return DX_OK;
}

int dx_strmap_get(const dx_strmap *m, const char *key, size_t *value)
{
    if (!m->cap)
        return 0;
    const dx_strmap_slot *s = find(m->slots, m->cap, key, hash_key(key));
    if (!s->key)
        return 0;
    if (value)
        *value = s->value;
    return 1;
}

void dx_strmap_free(dx_strmap *m)
{
    dx_free(m->slots);
    m->slots = NULL;
    m->cap = m->len = 0;
}
