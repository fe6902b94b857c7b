/*
 * name_index.h — the candidate index over prepared list names (internal).
 *
 * Built once per set of list versions: every prepared name (a "variant": one name of one entry
 * in one word order) is added, then dx_name_index_finish() freezes it. Afterwards it is
 * immutable and any number of threads may query it, each with its own dx_name_cands scratch.
 * How it works and what it guarantees: the design comment at the top of name_index.c.
 */
#ifndef DX_NAME_INDEX_H
#define DX_NAME_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "dexcheck/status.h"
#include "name_score.h"

typedef struct dx_name_index dx_name_index;
typedef struct dx_name_cands dx_name_cands;

dx_status dx_name_index_new(dx_name_index **out);
void dx_name_index_free(dx_name_index *ix); /* accepts NULL */

/* Add the words of variant number `variant` (numbered by the caller from 0, ascending). */
dx_status dx_name_index_add(dx_name_index *ix, uint32_t variant, const dx_name_prep *name);

/* Build the postings and the deletion keys; nothing may be added afterwards. */
dx_status dx_name_index_finish(dx_name_index *ix);

/* Distinct words (with joined words and original-script names) and deletion keys. */
void dx_name_index_size(const dx_name_index *ix, size_t *words, size_t *keys);

/* Per-thread scratch for dx_name_index_candidates(). */
dx_status dx_name_cands_new(const dx_name_index *ix, dx_name_cands **out);
void dx_name_cands_free(dx_name_cands *c); /* accepts NULL */

/*
 * The variants that can score at `threshold` or more against the query, which is given as
 * one or more prepared forms (the same name prepared under different schemas, or in another
 * word order): a variant is returned when it can score at the threshold against any of them.
 * *out gets their numbers in no particular order, valid until the next call with `c`.
 * *complete is 0 when the index cannot answer with that guarantee (a threshold at or below
 * DX_NAME_SIM_DIST2, or a query with no word of three letters or more): the caller then
 * scores every name.
 */
dx_status dx_name_index_candidates(const dx_name_index *ix, const dx_name_prep *const *query,
                                   size_t n_query, double threshold, dx_name_cands *c,
                                   const uint32_t **out, size_t *n, int *complete);

#endif
