/*
 * rescreen_int.h — the plan of a rescreen (rescreen.c), carried out by screen.c.
 */
#ifndef DX_RESCREEN_INT_H
#define DX_RESCREEN_INT_H

#include "dexcheck/index.h"
#include "dexcheck/store.h"
#include "arena.h"
#include "audit_int.h"
#include "strbuf.h"
#include "strmap.h"

typedef struct dx_rescreen_plan {
    dx_store *store;
    char last_run[33];          /* the run whose list versions the subjects were screened at */
    dx_index *index;            /* the added and changed entries; NULL when there are none */
    dx_stored_query *queries;   /* every stored subject's latest queries, subject by subject */
    size_t n_queries;
    dx_arena query_arena, query_arena2; /* their strings (two readers) */
    dx_stored_hit *delisted;    /* recent list hits whose entry was removed, one per finding */
    size_t n_delisted, cap_delisted;
    dx_strmap delisted_ids;     /* their finding ids */
    size_t added_count, changed_count, removed_count, indexed;
    long long *newest;          /* the newest version of every restricted-party list: the
                                 * versions the subjects are screened at after this run */
    size_t n_newest;
    dx_index_part *parts;       /* what to index: per list, the added and changed entries,
                                 * or all of a list the last run did not use */
    size_t n_parts, cap_parts;
    dx_strmap removed;          /* "list\x1fentry" of the removed entries */
    dx_strbuf scratch;          /* keys being looked up */
    dx_arena arena;
} dx_rescreen_plan;

dx_status dx_rescreen_plan_new(dx_store *store, dx_diags *diags, dx_rescreen_plan **out);
void dx_rescreen_plan_free(dx_rescreen_plan *plan); /* accepts NULL */

#endif
