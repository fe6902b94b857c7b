/*
 * dexcheck/store.h — the SQLite store: list versions with provenance, their entries.
 *
 * The store is one SQLite file (default ./dexcheck.db), created owner-only (it will hold
 * personal data), in WAL mode, with a versioned schema. Each import of a list publication is
 * one transaction: a file that fails leaves the store exactly as it was, and importing the same
 * files again changes nothing. Versions are kept side by side; the newest of a list (by
 * publication date, then import order) is the one screening uses.
 */
#ifndef DEXCHECK_STORE_H
#define DEXCHECK_STORE_H

#include <stddef.h>

#include "dexcheck/diag.h"
#include "dexcheck/lists.h"
#include "dexcheck/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dx_store dx_store;

/* Open (creating when absent) the store at `path`. Problems are diagnostics on `path`.
 * DX_ERR_IO when it cannot be opened or is not a dexcheck store. Caller closes. */
dx_status dx_store_open(const char *path, dx_diags *diags, dx_store **out);
void dx_store_close(dx_store *store); /* accepts NULL */

/* What one import did. Strings are owned by the result and freed by dx_import_result_clear. */
typedef struct dx_import_result {
    char *list_id;
    char *format;
    char *files;            /* the file names, comma-separated */
    long long version_id;
    int already_present;    /* the same files were imported before: nothing changed */
    size_t entries, names, facts;
    char sha256[65];        /* of the publication (its files' hashes, by name) */
    char publication_date[11];
    dx_status status;       /* DX_OK, or why this publication was not imported */
} dx_import_result;

void dx_import_result_clear(dx_import_result *r);
/* Clears each of `n` results and frees the array. */
void dx_import_results_free(dx_import_result *results, size_t n);

/*
 * Import list files. Files of one publication are grouped (OFAC's sdn/add/alt/sdn_comments in
 * one folder are one version); the format of each group is recognised from file names and
 * content, or forced by `format` ("ofac", "csl", "dpl", "un", "meti-eul"; NULL = detect).
 * Each group is imported in its own transaction. *results (caller frees with
 * dx_import_results_free) gets one element per group.
 * Returns DX_OK when every group was imported or already present, DX_ERR_INPUT when any group
 * failed (see the diagnostics; the others are still imported), DX_ERR_IO, DX_ERR_NOMEM.
 */
dx_status dx_store_import(dx_store *store, const char *const *paths, size_t n_paths,
                          const char *format, dx_diags *diags, dx_import_result **results,
                          size_t *n_results);

typedef struct dx_update_options {
    const char *catalogue;  /* path of the list catalogue (lists/catalogue.tsv) */
    const char *base_url;   /* NULL: the official URLs; else base_url + "/" + mirror path */
    const char *only_list;  /* NULL: every list of the catalogue */
    long timeout_seconds;   /* per download; 0 = 300 */
} dx_update_options;

/*
 * Download each list of the catalogue and import it as dx_store_import does (same results and
 * statuses). A list whose download fails is reported and left as it was in the store; the
 * others are still updated. DX_ERR_NOT_FOUND when only_list is not in the catalogue.
 */
dx_status dx_store_update(dx_store *store, const dx_update_options *opt, dx_diags *diags,
                          dx_import_result **results, size_t *n_results);

typedef struct dx_list_version {
    long long version_id;
    const char *list_id, *format, *files, *sha256, *publication_date, *imported_at;
    size_t entries, names;
    int newest;       /* the version screening uses */
    const char *meta; /* JSON of the publication's data that belongs to no entry, or NULL */
} dx_list_version;

typedef dx_status (*dx_list_version_fn)(void *ctx, const dx_list_version *version);

/* Every version of `list_id` (NULL: of every list), by list id then age (oldest first). */
dx_status dx_store_list_versions(dx_store *store, const char *list_id, dx_list_version_fn fn,
                                 void *ctx);

/*
 * Every entry of one stored version (an id from dx_store_list_versions), in import order, with
 * its names (the primary first) and facts, its remarks and raw JSON. Entries are borrowed for
 * the call. DX_ERR_NOT_FOUND when there is no such version; DX_ERR_IO, DX_ERR_NOMEM; a status
 * other than DX_OK returned by `fn` stops the walk and is returned.
 */
dx_status dx_store_entries(dx_store *store, long long version_id, dx_entry_fn fn, void *ctx);
/* The same for only the entries whose ids are given (ids NULL: every entry), in import order;
 * an id that is not in the version is skipped. */
dx_status dx_store_entries_some(dx_store *store, long long version_id, const char *const *ids,
                                size_t n_ids, dx_entry_fn fn, void *ctx);

typedef enum dx_change { DX_CHANGE_ADDED = 1, DX_CHANGE_REMOVED, DX_CHANGE_CHANGED } dx_change;
typedef dx_status (*dx_diff_fn)(void *ctx, dx_change change, const char *entry_id,
                                const char *name);

/*
 * What changed in `list_id` between versions old_id and new_id (0, 0: the two newest).
 * Changed = the same entry id with any screened field different (names, kind, facts,
 * concern types). DX_ERR_NOT_FOUND when the list has fewer than two versions or an id is not
 * one of its versions.
 */
dx_status dx_store_diff(dx_store *store, const char *list_id, long long old_id, long long new_id,
                        dx_diff_fn fn, void *ctx, long long *used_old, long long *used_new);

#ifdef __cplusplus
}
#endif
#endif
