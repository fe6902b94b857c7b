/*
 * dexcheck/audit.h — the audit trail in the store: past runs, a subject's history, and
 * reviewers' dispositions (docs/audit.md).
 *
 * Every `dexcheck screen` and `dexcheck rescreen` records its run in the store in one
 * transaction (dexcheck/screen.h): the run's facts, its inputs, the list versions it screened
 * against, the subjects it screened (a stable key: type, id and the hash of what was screened)
 * and every result. This header reads that back and records dispositions.
 */
#ifndef DEXCHECK_AUDIT_H
#define DEXCHECK_AUDIT_H

#include <stddef.h>

#include "dexcheck/diag.h"
#include "dexcheck/status.h"
#include "dexcheck/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One recorded run. Strings are borrowed for the callback. */
typedef struct dx_run_info {
    const char *run_id, *kind; /* kind: "screen" or "rescreen" */
    const char *as_of, *started_at, *finished_at, *user, *tool_version, *ruleset_hash;
    const char *options;       /* the command line */
    const char *counts;        /* JSON: results, determinations, findings, needs_attention ... */
    size_t inputs, lists;      /* input files and list versions recorded with it */
} dx_run_info;

typedef dx_status (*dx_run_fn)(void *ctx, const dx_run_info *run);

/* Every run, oldest first. */
dx_status dx_audit_runs(dx_store *store, dx_run_fn fn, void *ctx);

/* One line of a subject's history: a result of a run (disposition NULL) or a disposition
 * recorded for one of the subject's results (run_id NULL). Strings borrowed. */
typedef struct dx_history_item {
    const char *run_id, *as_of;          /* results */
    const char *finding_id, *kind, *regime, *rule, *tech_id, *determination, *severity;
    const char *list, *entry_id, *reason;
    int needs_attention, cleared;
    const char *disposition, *reviewer, *review_date, *license_id, *note; /* dispositions */
    const char *imported_at, *source;    /* dispositions: when and from which file:line */
} dx_history_item;

typedef dx_status (*dx_history_fn)(void *ctx, const dx_history_item *item);

/*
 * Every result of `subject_id` (a person, visitor, organisation or project id) in every run,
 * oldest run first, each run's results in their output order; then every disposition recorded
 * for any of those findings, in the order they were imported. DX_ERR_NOT_FOUND when no run has
 * a result for the subject.
 */
dx_status dx_audit_history(dx_store *store, const char *subject_id, dx_history_fn fn,
                           void *ctx);

/* What dx_review_import did. */
typedef struct dx_review_summary {
    size_t rows_read;     /* data rows of the file */
    size_t blank;         /* rows without a disposition (not reviewed) */
    size_t imported;      /* dispositions recorded */
    size_t unchanged;     /* the same disposition was already recorded: not repeated */
    size_t by_disposition[5]; /* imported, by dx_disposition */
} dx_review_summary;

/*
 * Record reviewers' dispositions from a reviewed audit workbook (its Findings sheets) or a
 * CSV (product.md §5). Every finding id must be one the store has a result for; a bad value,
 * a bad date or an unknown finding id is an error diagnostic with its file, row and column,
 * and then nothing of the file is recorded (DX_ERR_INPUT). One transaction: all or nothing.
 */
dx_status dx_review_import(dx_store *store, const char *path, dx_diags *diags,
                           dx_review_summary *summary);

#ifdef __cplusplus
}
#endif
#endif
