/*
 * strmap.h — an open-addressing hash map from strings to size_t, for id look-ups.
 *
 * Keys are borrowed: they must outlive the map (record ids live in the record set's arena).
 * FNV-1a hashing (each key's hash kept in its slot), linear probing, load factor at most 1/2.
 */
#ifndef DX_STRMAP_H
#define DX_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "dexcheck/status.h"

typedef struct dx_strmap_slot {
    const char *key;
    size_t value;
    uint64_t hash; /* of key: compared before the key, and kept for growing */
} dx_strmap_slot;

typedef struct dx_strmap {
    dx_strmap_slot *slots;
    size_t cap, len; /* cap is 0 or a power of two */
} dx_strmap;

#define DX_STRMAP_INIT {NULL, 0, 0}

/* Insert or keep: when the key is present, *existing (may be NULL) gets its value and the
 * map is unchanged; returns DX_OK either way, DX_ERR_NOMEM on failure. `*inserted` says which. */
dx_status dx_strmap_put(dx_strmap *m, const char *key, size_t value, int *inserted,
                        size_t *existing);
/* Room for n keys without growing (a map about to take many). */
dx_status dx_strmap_reserve(dx_strmap *m, size_t n);
/* 1 and *value when present. */
int dx_strmap_get(const dx_strmap *m, const char *key, size_t *value);
void dx_strmap_free(dx_strmap *m);

#endif
