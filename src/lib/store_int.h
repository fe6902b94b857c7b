/*
 * store_int.h — writing list versions into the store (internal; used by lists_import.c).
 *
 * dx_store_begin_version opens the transaction of one import; dx_store_commit_version or
 * dx_store_rollback_version ends it. Nothing is visible to readers before the commit.
 */
#ifndef DX_STORE_INT_H
#define DX_STORE_INT_H

#include "dexcheck/store.h"

/* Begins a transaction and a version row; *already = 1 (and no transaction is left open) when
 * the same publication (list id and sha256) is already stored. */
dx_status dx_store_begin_version(dx_store *s, const char *list_id, const char *format,
                                 const char *sha256, const char *files, long long *version_id,
                                 int *already, long long *existing_id);
dx_status dx_store_add_source_file(dx_store *s, long long version_id, const char *name,
                                   const char *sha256, size_t bytes);
/* DX_ERR_INPUT (with a diagnostic) when the entry id repeats within the version. */
dx_status dx_store_add_entry(dx_store *s, long long version_id, const dx_entry *e,
                             dx_diags *diags, const char *source);
dx_status dx_store_commit_version(dx_store *s, long long version_id, const char *publication_date,
                                  size_t entries, size_t names, const char *meta);
void dx_store_rollback_version(dx_store *s);

/* dx_store_import, with diagnostics naming file i `shown[i]` (e.g. the URL it was downloaded
 * from) instead of its path; shown NULL = the paths. */
dx_status dx_store_import_as(dx_store *store, const char *const *paths,
                             const char *const *shown, size_t n_paths, const char *format,
                             dx_diags *diags, dx_import_result **results, size_t *n_results);

/* The SQLite connection and the file name, for the other modules that keep tables in the
 * store (audit.c). */
struct sqlite3;
struct sqlite3 *dx_store_db(dx_store *s);
const char *dx_store_path(const dx_store *s);

/* After a failed SQLite call on the store's connection: a diagnostic "<what>: <SQLite's
 * message>" on the store's path, and DX_ERR_NOMEM or DX_ERR_IO. */
dx_status dx_store_fail(dx_store *s, const char *what);

/* The counts of an already stored version. */
dx_status dx_store_version_counts(dx_store *s, long long version_id, size_t *entries,
                                  size_t *names, char publication_date[11]);

#endif
