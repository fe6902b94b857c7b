/*
 * audit_int.h — recording a run in the store's audit tables (internal; used by screen.c,
 * screen_lists.c and rescreen.c). The public face is dexcheck/audit.h; the tables are in the
 * design comment of store.c; what they mean is docs/audit.md.
 *
 * A recorder holds one write transaction from dx_audit_begin to dx_audit_commit: nothing of
 * a run is visible, or left behind, until it has been recorded whole. dx_audit_free without a
 * commit rolls back.
 */
#ifndef DX_AUDIT_INT_H
#define DX_AUDIT_INT_H

#include "dexcheck/audit.h"
#include "dexcheck/index.h"
#include "dexcheck/report.h"
#include "arena.h"

typedef struct dx_audit dx_audit;

/* The facts of a run known when it starts (strings borrowed for the call). */
typedef struct dx_audit_run {
    const char *run_id, *kind, *as_of, *started_at, *user, *tool_version, *ruleset_hash,
        *options;
} dx_audit_run;

/* A reviewer's latest decision on a finding id, as recorded. */
typedef struct dx_audit_disposition {
    dx_disposition disposition;
    const char *reviewer, *review_date, *license_id, *note;
    const char *entry_hash; /* the list entry's content hash when it was reviewed, or NULL */
} dx_audit_disposition;

/* Starts the transaction, loads every finding's latest disposition. */
dx_status dx_audit_begin(dx_store *store, const dx_audit_run *run, dx_audit **out);
dx_status dx_audit_input(dx_audit *a, const char *file, const char *sha256,
                         unsigned long rows_read, unsigned long rows_accepted,
                         unsigned long rows_rejected);
/* A list version the run screens against (its entries' content hashes are looked up in it). */
dx_status dx_audit_list(dx_audit *a, const char *list_id, long long version_id);
/* A screened subject and the names screened for it: recorded once per (type, id, content
 * hash), where the hash covers the queries; *changed = 1 when the subject is new or its
 * content differs from its last recorded version. */
dx_status dx_audit_subject(dx_audit *a, const char *type, const char *id, const char *name,
                           const dx_search_query *queries, const char *const *roles,
                           const char *const *project_ids, size_t n, int *changed);
/* One result, with the content hash of its list entry (list hits) or NULL. */
dx_status dx_audit_result(dx_audit *a, const dx_result *r, const char *entry_hash);
/* The latest disposition of a finding id, or NULL. */
const dx_audit_disposition *dx_audit_disposition_of(const dx_audit *a, const char *finding_id);
/* The content hash of an entry of a list recorded with dx_audit_list into out[65]; 0 when the
 * entry is not in that version. */
int dx_audit_entry_hash(dx_audit *a, const char *list_id, const char *entry_id, char out[65]);
/* Ends the run: its finish time and counts (JSON), then COMMIT. */
dx_status dx_audit_commit(dx_audit *a, const char *counts_json);
void dx_audit_free(dx_audit *a); /* rolls back when not committed; accepts NULL */

/* The search queries of a subject, as stored with it and read back (rescreen.c). */
typedef struct dx_stored_query {
    const char *subject_type, *subject_id, *subject_name, *role, *project_id;
    dx_search_query q;
} dx_stored_query;
/* The queries of the current version of every subject recorded, subject by subject, in the
 * order they were recorded, strings and lists in `arena`; `part` of `parts` (1 or 2): the
 * first or second half of the subjects, so that two connections can read them at once.
 * Caller frees *out with dx_free. */
dx_status dx_audit_stored_queries(dx_store *store, int part, int parts, dx_arena *arena,
                                  dx_stored_query **out, size_t *n);

/* The list versions of the newest run (any kind) that screened against lists: calls fn for
 * each (list id, version id); *found = 0 when no run is recorded. */
dx_status dx_audit_last_lists(dx_store *store, char run_id[33],
                              dx_status (*fn)(void *ctx, const char *list_id,
                                              long long version_id),
                              void *ctx, int *found);

typedef struct dx_stored_hit {
    const char *finding_id, *rule, *subject_type, *subject_id, *subject_name, *project_id,
        *list, *entry_id, *entry_name, *matched_name;
    double score;
} dx_stored_hit;
/* The list hits recorded since the newest full screen (that screen and the rescreens after
 * it), in no particular order, a finding once per run that has it; subject_name NULL. */
dx_status dx_audit_recent_hits(dx_store *store,
                               dx_status (*fn)(void *ctx, const dx_stored_hit *h), void *ctx);

/* The name of a subject's current version into out (empty when unknown). */
dx_status dx_audit_subject_name(dx_store *store, const char *type, const char *id, char *out,
                                size_t size);

#endif
