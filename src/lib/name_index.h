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

/* Start the candidates of a new query. */
void dx_name_cands_begin(const dx_name_index *ix, dx_name_cands *c);

/*
 * Add the candidates of one prepared form of the query, among the variants prepared under a
 * schema in `schema_mask` (bit 1 << schema): the variants that can score at `threshold` or
 * more against it (see the design comment of name_index.c), word similarities capped as the
 * scorer will cap them (`short_cap`, dx_name_word_sim). Returns 0 when the index cannot
 * answer with that guarantee (a threshold at or below DX_NAME_SIM_DIST2, or no word of three
 * letters or more): the caller then scores every name.
 */
int dx_name_cands_add(const dx_name_index *ix, dx_name_cands *c, const dx_name_prep *query,
                      unsigned schema_mask, double short_cap, double threshold);

/* The candidates gathered since dx_name_cands_begin: *variants (valid until the next begin)
 * gets their numbers in no particular order; returns how many. */
size_t dx_name_cands_get(dx_name_cands *c, const uint32_t **variants);

/* For a candidate: the best similarity found for each word of the form it was gathered
 * with (DX_NAME_BOUND_WORDS values in 255ths, rounded up, for dx_name_score_may_reach), or
 * NULL when it must be
 * scored regardless (reached through a joined word or an original-script name). */
const unsigned char *dx_name_cands_found(const dx_name_cands *c, uint32_t variant);

#endif
