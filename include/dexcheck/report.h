/*
 * dexcheck/report.h — the outputs of a screening run: the Excel audit workbook, JSON lines
 * and CSV (product.md §5).
 *
 * One writer, three outputs. The caller opens a report with the run facts and the outputs it
 * wants, then hands over results one at a time (determinations and findings), subject summary
 * rows and input issues, in any interleaving, and finally closes it. Every output keeps the
 * caller's order; nothing is sorted (the one exception is the Summary's "needs attention
 * first" list, ranked as documented at dx_result_urgency). Memory stays small whatever the
 * number of results: rows stream to disk as they arrive; only the deemed-export matrix (one
 * byte-sized cell per subject × technology pair, plus the reason of clean cells) and the
 * Summary's counters are held until the end.
 *
 * Files are written atomically: each goes to a temporary file beside its target
 * ("audit.<random>.xlsx.tmp"), and dx_report_close fsyncs and renames every one of them only
 * when all were written; a failure (or dx_report_free without a close) removes the temporary
 * files and leaves the previous targets untouched. A stream (FILE *) given by the caller, for
 * `--json -`, is written as results arrive and only flushed, never closed.
 *
 * Text safety. Every value that comes from records or lists is written to the workbook as a
 * string cell, never a formula. In CSV, a value starting with = + - @ TAB or CR gets a leading
 * single quote (the OWASP CSV-injection guard), so that a spreadsheet opening the file shows
 * text. Invalid UTF-8 in any string is replaced by U+FFFD in every output (the records reader
 * and list importers only produce valid UTF-8, so this is a last line of defence, not a
 * conversion). Details and the layout of every sheet: docs/report.md.
 *
 * Strings in the structures below are borrowed for the duration of the call; NULL means
 * absent (JSON null, an empty cell).
 */
#ifndef DEXCHECK_REPORT_H
#define DEXCHECK_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "dexcheck/diag.h"
#include "dexcheck/rules.h" /* dx_determination, dx_finding_severity and their names */
#include "dexcheck/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A reviewer's decision on a result. */
typedef enum dx_disposition {
    DX_DISP_NONE = 0,
    DX_DISP_TRUE_MATCH,
    DX_DISP_FALSE_POSITIVE,
    DX_DISP_ESCALATED,
    DX_DISP_CLEARED_WITH_LICENCE
} dx_disposition;

typedef enum dx_result_kind { DX_RESULT_DETERMINATION = 0, DX_RESULT_FINDING } dx_result_kind;

/*
 * Names as they appear in every output ("false_positive", "determination"; the names of
 * determinations and severities come from dexcheck/rules.h). The name functions return NULL
 * for NONE and for values out of range; the parse functions accept exactly the names
 * (case-insensitive; for determinations and severities, dx_determination_name's and
 * dx_finding_severity_name's) and return DX_ERR_NOT_FOUND otherwise, leaving *out unchanged.
 */
const char *dx_disposition_name(dx_disposition disposition);
const char *dx_result_kind_name(dx_result_kind kind);
dx_status dx_determination_parse(const char *name, dx_determination *out);
dx_status dx_finding_severity_parse(const char *name, dx_finding_severity *out);
dx_status dx_disposition_parse(const char *name, dx_disposition *out);
dx_status dx_result_kind_parse(const char *name, dx_result_kind *out);

/* One result: a determination (subject × technology × regime) or a finding. */
typedef struct dx_result {
    dx_result_kind kind;
    const char *finding_id;   /* stable across runs (product.md §5) */
    const char *rule;         /* id of the rule that produced it */
    const char *regime;       /* "JP", "US", "EU", "LIST", "DATA" */
    const char *subject_type; /* "person", "visitor", "project", "organization" */
    const char *subject_id, *subject_name;
    const char *tech_id, *project_id;
    dx_determination determination; /* required for a determination; NONE for most findings */
    dx_finding_severity severity;    /* required for a finding */
    const char *basis;               /* legal citation */
    const char *reason;              /* why, in plain words, with the facts used */
    const char *channel;             /* leakage channel */
    const char *list, *entry_id, *entry_name, *matched_name; /* list hits */
    double score;                    /* of a list hit, 0..1; < 0 (or NaN) = none */
    const char *explanation;         /* of the score; may span lines */
    dx_disposition disposition;      /* as recorded by a reviewer */
    const char *reviewer, *review_date, *license_id, *note;
    int cleared;         /* a reviewer's decision clears it (then it does not need attention) */
    int needs_attention; /* product.md §5; the caller decides (see dx_result_needs_attention) */
} dx_result;

/*
 * The default "needs attention" of product.md §5 from a result's own fields: a determination
 * of license_required, exception_available, prohibited or needs_review, or a finding of
 * severity medium or above, unless `cleared`. The rules engine may know more (a licence that
 * has expired since it cleared a result) and sets dx_result.needs_attention itself.
 */
int dx_result_needs_attention(const dx_result *result);

/*
 * How urgent a result is, for the Summary's "needs attention first" list: its severity, or for
 * a determination: prohibited = critical, license_required and needs_review = high,
 * exception_available = medium, the others = info (the more urgent of the two when a result
 * has both). More urgent first; equal urgency keeps the caller's order.
 */
dx_finding_severity dx_result_urgency(const dx_result *result);

/* The rank of a severity for comparisons: 0 none, 1 info, 2 low, 3 medium, 4 high,
 * 5 critical (dx_finding_severity counts the other way, from critical = 1). */
int dx_finding_severity_rank(dx_finding_severity severity);

/* One line of the subject summary (what HR onboarding reads). */
typedef struct dx_subject_summary {
    const char *subject_type, *subject_id, *subject_name;
    const char *citizenship;              /* nationality / citizenship, as text */
    dx_determination worst_determination; /* the most severe of its determinations */
    dx_finding_severity worst_severity;    /* the most severe of its findings */
    const char *i129_part6;               /* Form I-129 Part 6 answer, for U.S. hiring */
    const char *reason;                   /* why, in plain words */
    int needs_attention;
} dx_subject_summary;

/* One input file of the run, with its counts (rows read = accepted + rejected). */
typedef struct dx_report_input {
    const char *file, *sha256;
    unsigned long rows, rejected;
} dx_report_input;

/* One list version used by the run. */
typedef struct dx_report_list {
    const char *list_id, *version, *files, *sha256, *publication_date;
    unsigned long entries;
} dx_report_list;

/* One rule of the rule set. */
typedef struct dx_report_rule {
    const char *id, *title, *basis;
} dx_report_rule;

/* The facts of a run, shown on the Summary and the "Lists and rules" sheet. */
typedef struct dx_run_facts {
    const char *run_id, *as_of, *user, *tool_version, *started_at;
    const dx_report_input *inputs;
    size_t n_inputs;
    const dx_report_list *lists;
    size_t n_lists;
    const dx_report_rule *rules;
    size_t n_rules;
    const char *ruleset_hash;
    const char *options; /* the command's options, as text */
    /* The regimes that get a matrix sheet, in this order; NULL = "JP", "US", "EU". A
     * determination in another regime is refused (DX_ERR_INVALID). */
    const char *const *regimes;
    size_t n_regimes;
} dx_run_facts;

/* Which outputs to write. Each is optional; a path wins over a stream. */
typedef struct dx_report_options {
    const char *xlsx_path;   /* the audit workbook */
    const char *json_path;   /* JSON lines */
    FILE *json_stream;       /* JSON lines to a stream the caller owns (e.g. stdout) */
    const char *csv_path;    /* CSV with the JSON keys as columns */
    FILE *csv_stream;
    size_t attention_top;    /* items in the Summary's "needs attention first"; 0 = 25 */
    unsigned long sheet_rows; /* data rows per sheet before it continues; 0 = 1,048,575 */
} dx_report_options;

typedef struct dx_report dx_report;

/*
 * Open the outputs: creates each temporary file and writes what is known at once (headers,
 * the lists and rules). Every string of `facts` is copied. Caller frees with dx_report_free,
 * after dx_report_close or instead of it. DX_ERR_INVALID when no output is asked for or as_of
 * is missing, DX_ERR_IO when a temporary file cannot be created (diags, when not NULL, gets a
 * note naming the path and the system's reason), DX_ERR_NOMEM.
 */
dx_status dx_report_open(dx_report **out, const dx_report_options *options,
                         const dx_run_facts *facts, dx_diags *diags);

/*
 * Add one result to every output. DX_ERR_INVALID for a determination without a determination,
 * subject_id, tech_id or a matrix regime, or a finding without a severity; DX_ERR_LIMIT when a
 * matrix would need more columns than a sheet has (16,382 technologies in one regime); DX_ERR_IO,
 * DX_ERR_NOMEM. After any error the report is failed: later calls return that error and
 * dx_report_close removes the temporary files.
 */
dx_status dx_report_add_result(dx_report *report, const dx_result *result);

/* Add one subject summary row (the Subjects sheet; kind "subject" in JSON and CSV). */
dx_status dx_report_add_subject(dx_report *report, const dx_subject_summary *subject);

/* Add one input issue (the "Input issues" sheet): source, line, column, severity, code,
 * message and hint of the diagnostic. */
dx_status dx_report_add_issue(dx_report *report, const dx_diag *issue);

/*
 * Finish every output (the Summary and matrix sheets are written now), then fsync and rename
 * each temporary file over its target. On failure nothing is renamed, the temporary files are
 * removed, and diags (as given to dx_report_open) gets a note saying what failed. Streams are
 * flushed, not closed. The report must still be freed.
 */
dx_status dx_report_close(dx_report *report);

/* Free the report; when it was not closed successfully, its temporary files are removed.
 * Accepts NULL. */
void dx_report_free(dx_report *report);

#ifdef __cplusplus
}
#endif
#endif
