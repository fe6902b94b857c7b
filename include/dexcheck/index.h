/*
 * dexcheck/index.h — searching the restricted-party lists of the store by name.
 *
 * dx_index_build() reads the newest version of every restricted-party list in the store (OFAC
 * SDN and non-SDN, the CSL, the DPL, the UN list, METI's End User List, Japan's MOF list,
 * DFAT's list; control data such as the CCL is not indexed), prepares every name once and
 * builds the candidate index (docs in src/lib/name_index.c). The index is immutable: any
 * number of threads may search it at once. dx_index_search() scores the candidates of a query
 * name with the chosen algorithm, weighs secondary evidence (date of birth, country,
 * identifiers; docs in src/lib/search.c) and returns the entries at or above the threshold,
 * best first, each with the explanation of its score. An entry that the CSL repeats from
 * OFAC's list is one hit naming both sources.
 */
#ifndef DEXCHECK_INDEX_H
#define DEXCHECK_INDEX_H

#include <stddef.h>

#include "dexcheck/diag.h"
#include "dexcheck/lists.h"
#include "dexcheck/match.h"
#include "dexcheck/status.h"
#include "dexcheck/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dx_index dx_index;

/*
 * Build the index over the newest version of each restricted-party list in `store`; when
 * n_list_ids > 0 only those lists (a list id that is not in the store or is not a
 * restricted-party list is DX_ERR_NOT_FOUND with a diagnostic). DX_ERR_INPUT when the store
 * holds no restricted-party list. Caller frees with dx_index_free.
 */
dx_status dx_index_build(dx_store *store, const char *const *list_ids, size_t n_list_ids,
                         dx_diags *diags, dx_index **out);
void dx_index_free(dx_index *index); /* accepts NULL */

/* Whether lists stored in this format ("ofac", "csl", "un", ...) are restricted-party lists
 * the index takes (control data such as the CCL is not). */
int dx_index_takes_format(const char *format);

/* dx_index_build over part of the lists (rescreening indexes the entries added or changed
 * since the last run): the newest version of each list named, and of it only the entries
 * whose ids are given (entry_ids NULL: all of them). */
typedef struct dx_index_part {
    const char *list_id;
    const char *const *entry_ids;
    size_t n_entry_ids;
} dx_index_part;
dx_status dx_index_build_parts(dx_store *store, const dx_index_part *parts, size_t n_parts,
                               dx_diags *diags, dx_index **out);

typedef struct dx_index_stats {
    size_t lists, entries, names; /* names: distinct normalised names, word orders counted */
    size_t words, keys;           /* distinct words (with joined words) and deletion keys */
} dx_index_stats;

void dx_index_stats_get(const dx_index *index, dx_index_stats *out);

/* One indexed list version: list id, version id, entry count. `i` below the stats' lists. */
void dx_index_list(const dx_index *index, size_t i, const char **list_id, long long *version_id,
                   size_t *entries);

/* What is searched for. Strings are borrowed for the call. */
typedef struct dx_search_query {
    const char *name;
    dx_name_schema schema;           /* ANY: every entry; PERSON: persons and unknown kinds ... */
    const char *const *countries;    /* ISO alpha-2 (nationality, citizenship, residence) */
    size_t n_countries;
    const char *dob;                 /* "1965" or "1965-03-01", or NULL */
    const char *const *identifiers;  /* passport, national id, registration number ... */
    size_t n_identifiers;
} dx_search_query;

/* The default threshold of a search (0.80 for the default algorithm, 0.85 for the OFAC mode;
 * why: the design comment of src/lib/search.c). */
double dx_search_default_threshold(dx_algorithm algorithm);

typedef struct dx_search_options {
    double threshold;       /* a hit scores at least this; < 0: dx_search_default_threshold */
    size_t limit;           /* at most this many hits; 0: all */
    int exhaustive;         /* score every name instead of the index's candidates */
    dx_algorithm algorithm;
    int explain;            /* fill each hit's explanation */
} dx_search_options;

/* A list entry that a hit stands for (a CSL row and the OFAC entry it repeats are one hit). */
typedef struct dx_hit_source {
    const char *list_id, *entry_id;
} dx_hit_source;

typedef struct dx_search_hit {
    const char *list_id, *entry_id; /* the best-scoring source */
    const char *entry_name;         /* its primary name */
    const char *matched_name;       /* the name of the entry the query matched, as listed */
    dx_entry_kind kind;
    unsigned concern_types;         /* DX_CONCERN_* of an End User List entry */
    double score;                   /* final, in [0, 1] */
    double name_score;              /* before secondary evidence */
    const char *explanation;        /* NULL unless options.explain */
    size_t n_sources;
    const dx_hit_source *sources;   /* every source, the best first */
} dx_search_hit;

typedef struct dx_search_result dx_search_result;

/*
 * Search one name. *out (caller frees with dx_search_result_free) holds the hits, best first
 * (ties by list id, then entry id). DX_ERR_ENCODING / DX_ERR_LIMIT for a name that is not
 * valid UTF-8 or longer than 1,024 bytes; DX_ERR_INPUT for a dob that is not a date or year.
 */
dx_status dx_index_search(const dx_index *index, const dx_search_query *query,
                          const dx_search_options *options, dx_search_result **out);

size_t dx_search_result_count(const dx_search_result *result);
const dx_search_hit *dx_search_result_hit(const dx_search_result *result, size_t i);
/* How many names were scored, and whether every name was (exhaustive, or the index could
 * not answer the query with its guarantee). */
void dx_search_result_work(const dx_search_result *result, size_t *scored, int *exhaustive);
void dx_search_result_free(dx_search_result *result); /* accepts NULL */

/* Receives the result of query number `i` of a batch, in query order; borrowed for the
 * call. A status other than DX_OK stops the batch and is returned. */
typedef dx_status (*dx_search_fn)(void *ctx, size_t i, dx_status status,
                                  const dx_search_result *result);

/*
 * Search many names on `threads` threads (0: one per processor). Each query's status is
 * passed to `fn` (a query that fails, e.g. invalid UTF-8, does not stop the batch; its
 * result is NULL).
 */
dx_status dx_index_search_batch(const dx_index *index, const dx_search_query *queries,
                                size_t n_queries, const dx_search_options *options,
                                unsigned threads, dx_search_fn fn, void *ctx);

/* Receives the search of one row of a batch file, in file order; borrowed for the call. */
typedef dx_status (*dx_search_row_fn)(void *ctx, unsigned long line,
                                      const dx_search_query *query, dx_status status,
                                      const dx_search_result *result);

/*
 * Search every name of a CSV file (docs/search.md: columns name or full_name, and optional
 * schema, country or nationality, dob or date_of_birth, identifier or id; any supported
 * encoding). Problems of the file go to `diags` with line and column: a row without a name is
 * skipped, an unreadable country or date is dropped from its row's query (warnings).
 * DX_ERR_IO when the file cannot be read; DX_ERR_INPUT when it has no name column.
 */
dx_status dx_index_search_file(const dx_index *index, const char *path,
                               const dx_search_options *options, unsigned threads,
                               dx_diags *diags, dx_search_row_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
