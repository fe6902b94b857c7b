/*
 * dexcheck/screen.h — one screening run: records + rules + lists → results and outputs.
 *
 * dx_screen_run() is `dexcheck screen` without the printing: it compiles the rule folder,
 * reads the record files, builds the name index over the store's restricted-party lists,
 * evaluates the rules over the records (dexcheck/rules_records.h), screens every name the
 * records carry against the lists (dexcheck/index.h), and hands every result to the report
 * writer (dexcheck/report.h) and, when given, to a callback. Design and the tables it uses
 * (severity of each list, finding ids): src/lib/screen.c.
 *
 * What the run produces, in this order:
 *   - one determination per access pair and applicable regime, and the findings of the
 *     rules, in the order of dx_rules_eval_records;
 *   - list hits, one finding per (subject, list entry): people, visitors (their names and
 *     their organisation), organisations, project sponsors and collaborators;
 *   - DATA findings: one per rejected row (medium) and per warning about a row (low);
 *   - one subject summary per person and visitor.
 * Every diagnostic of the records becomes an input issue of the report, too.
 *
 * The run is recorded in the store (dexcheck/audit.h, docs/audit.md) in one transaction,
 * committed after the outputs are in place; results show reviewers' dispositions and are
 * cleared by them as product.md §5 says.
 *
 * A store without any restricted-party list does not stop the run: the rules are still
 * evaluated, a warning diagnostic says that no name was screened, and a finding LIST-NONE
 * (high, so that the run needs attention) says so in every output.
 */
#ifndef DEXCHECK_SCREEN_H
#define DEXCHECK_SCREEN_H

#include <stddef.h>
#include <stdio.h>

#include "dexcheck/diag.h"
#include "dexcheck/encoding.h"
#include "dexcheck/report.h"
#include "dexcheck/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a run was given. Strings are borrowed for the call. */
typedef struct dx_screen_options {
    const char *const *inputs;     /* record folders or files (each file's kind by its name) */
    size_t n_inputs;
    dx_encoding encoding;          /* DX_ENC_AUTO: detect per file */
    const char *const *rule_paths; /* rule files or folders; required */
    size_t n_rule_paths;
    const char *db_path;           /* the store; required */
    const char *as_of;             /* YYYY-MM-DD; required */
    const char *home_country;      /* NULL: "JP" */
    double threshold;              /* list hits score at least this; < 0: the default */
    int exhaustive;                /* score every list name (slow) */
    unsigned threads;              /* for the name search; 0: one per processor */
    /* `dexcheck rescreen`: no records and no rules; the subjects stored by earlier runs are
     * screened against the list entries added or changed since the newest recorded run
     * screened against lists, and hits whose entry was removed are reported (LIST-DELISTED).
     * inputs and rule_paths are not used. */
    int rescreen;
    /* Outputs (at least one of them, or a callback). */
    const char *xlsx_path, *json_path, *csv_path;
    FILE *json_stream;             /* `--json -` */
    /* Run facts that the caller knows better. */
    const char *user;              /* who runs it; NULL: unknown */
    const char *options_text;      /* the command line, for the Summary */
    /* Called for every result and then every subject summary, in output order (either
     * pointer NULL in each call); a status other than DX_OK stops the run. */
    dx_status (*on_result)(void *ud, const dx_result *result,
                           const dx_subject_summary *subject);
    void *ud;
} dx_screen_options;

/* Where a run stopped, for the exit status of product.md §3. */
typedef enum dx_screen_stage {
    DX_SCREEN_DONE = 0,
    DX_SCREEN_USAGE,    /* an option is invalid (as_of not a date, no output) */
    DX_SCREEN_INPUT,    /* an input file or folder could not be read at all, or no subject */
    DX_SCREEN_RULES,    /* the rules did not compile (diagnostics with file:line:col) */
    DX_SCREEN_STORE,    /* the store could not be opened or read */
    DX_SCREEN_OUTPUT,   /* an output could not be written (previous outputs intact) */
    DX_SCREEN_INTERNAL  /* out of memory, or a bug */
} dx_screen_stage;

/* What a run did. Counts index by dx_determination and dx_finding_severity. */
typedef struct dx_screen_summary {
    dx_screen_stage stage;   /* DX_SCREEN_DONE when the outputs were written */
    char run_id[33];         /* 32 random hex digits */
    char ruleset_hash[65];
    size_t files, rows_read, rows_accepted, rows_rejected;
    size_t rules, lists, list_entries; /* rules of the rule set; lists screened against */
    size_t names_screened, list_hits;
    size_t determinations, findings, subjects, needs_attention, subjects_attention;
    size_t by_determination[DX_DET_NEEDS_REVIEW + 1];
    size_t by_severity[DX_FSEV_INFO + 1];
    int no_lists;            /* the store held no restricted-party list */
    /* The audit trail (dexcheck/audit.h): subjects new or changed since their last recorded
     * screening; results a reviewer's disposition clears; results a disposition no longer
     * clears (the list entry changed, the licence expired) and that need attention again. */
    size_t subjects_changed, cleared, reopened;
    /* A rescreen: list entries added, changed and removed since the last recorded screening,
     * the entries indexed for it, and hits reported as delisted. */
    size_t entries_added, entries_changed, entries_removed, entries_indexed, delisted;
    /* Wall-clock seconds by step (for the summary and benchmarks): compiling the rules and
     * reading the records; opening the store and building the name index; searching the
     * names; evaluating the rules (including handing results to the outputs); writing the
     * outputs (the report's time inside the other steps, and closing it). */
    double seconds_total, seconds_inputs, seconds_index, seconds_names, seconds_rules,
        seconds_outputs;
} dx_screen_summary;

/*
 * Run one screening. Problems of the inputs, the rules and the store are diagnostics in
 * `diags` (required). Returns DX_OK when the outputs were written (whatever they say; see
 * summary->needs_attention), else the status that stopped the run, with summary->stage saying
 * where: DX_ERR_INVALID (usage), DX_ERR_IO / DX_ERR_NO_SUBJECTS / DX_ERR_ENCODING (input),
 * DX_ERR_INPUT (rules), DX_ERR_IO (store, output), DX_ERR_NOMEM.
 */
dx_status dx_screen_run(const dx_screen_options *options, dx_diags *diags,
                        dx_screen_summary *summary);

/*
 * The stable id of a result (product.md §5): "F-" and 16 hex digits of the SHA-256 of its
 * kind, regime, subject type, subject id, rule, technology id, list, entry id and `extra`
 * (NULL as empty), separated by 0x1F. The same subject, rule, technology and list entry give
 * the same id in every run, so a reviewer's decision can follow it. `extra` tells apart
 * results that share all of these: for a DATA finding, the file's base name and the line.
 * Writes into out[19].
 */
void dx_screen_finding_id(const dx_result *result, const char *extra, char out[19]);

#ifdef __cplusplus
}
#endif
#endif
