/*
 * report_lines.c — JSON lines and CSV outputs (product.md §5, "JSON lines").
 *
 * How it works. A result or a subject summary is first flattened into one fixed list of keys
 * (the table `keys` below), each value null, a string, a number or a boolean; the same list
 * is then written as one JSON object or one CSV row. So the CSV's columns are the JSON's keys
 * by construction, in the same order, and every record has every key (an absent value is
 * JSON null, an empty CSV field).
 *
 * Text safety. JSON strings are escaped per RFC 8259 and repaired to valid UTF-8
 * (report_text.c). CSV follows RFC 4180 (CRLF line ends, quotes doubled) and starts with a
 * UTF-8 BOM so that Excel reads Japanese names correctly; every string that comes from the
 * input and starts with = + - @ TAB or CR gets a leading single quote (the OWASP guard against
 * CSV injection: a spreadsheet opening the file must show text, never evaluate it). Values the
 * library makes itself (enum names, numbers) are never guarded because they never start so.
 */
#include "report_lines.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "report_names.h"
#include "report_text.h"

typedef enum { V_NULL, V_TEXT, V_NAME, V_NUMBER, V_BOOL } value_type;

/* One value: V_TEXT comes from the input (guarded in CSV), V_NAME is the library's own. */
typedef struct value {
    value_type type;
    const char *text;
    double number;
} value;

enum {
    K_KIND, K_FINDING_ID, K_RULE, K_REGIME, K_SUBJECT_TYPE, K_SUBJECT_ID, K_SUBJECT_NAME,
    K_TECH_ID, K_PROJECT_ID, K_DETERMINATION, K_SEVERITY, K_BASIS, K_REASON, K_CHANNEL, K_LIST,
    K_ENTRY_ID, K_ENTRY_NAME, K_MATCHED_NAME, K_SCORE, K_EXPLANATION, K_DISPOSITION,
    K_REVIEWER, K_REVIEW_DATE, K_LICENSE_ID, K_NOTE, K_CLEARED, K_NEEDS_ATTENTION,
    K_CITIZENSHIP, K_I129_PART6, K_COUNT
};

static const char *const keys[K_COUNT] = {
    "kind", "finding_id", "rule", "regime", "subject_type", "subject_id", "subject_name",
    "tech_id", "project_id", "determination", "severity", "basis", "reason", "channel", "list",
    "entry_id", "entry_name", "matched_name", "score", "explanation", "disposition",
    "reviewer", "review_date", "license_id", "note", "cleared", "needs_attention",
    "citizenship", "i129_part6"};

static value text(const char *s)
{
    return (value){s ? V_TEXT : V_NULL, s, 0};
}

static value name(const char *s)
{
    return (value){s ? V_NAME : V_NULL, s, 0};
}

static value boolean(int b)
{
    return (value){V_BOOL, NULL, b ? 1 : 0};
}

static void flatten_result(const dx_result *r, value *v)
{
    v[K_KIND] = name(dx_result_kind_name(r->kind));
    v[K_FINDING_ID] = text(r->finding_id);
    v[K_RULE] = text(r->rule);
    v[K_REGIME] = text(r->regime);
    v[K_SUBJECT_TYPE] = text(r->subject_type);
    v[K_SUBJECT_ID] = text(r->subject_id);
    v[K_SUBJECT_NAME] = text(r->subject_name);
    v[K_TECH_ID] = text(r->tech_id);
    v[K_PROJECT_ID] = text(r->project_id);
    v[K_DETERMINATION] = name(dx_report_det_name(r->determination));
    v[K_SEVERITY] = name(dx_report_sev_name(r->severity));
    v[K_BASIS] = text(r->basis);
    v[K_REASON] = text(r->reason);
    v[K_CHANNEL] = text(r->channel);
    v[K_LIST] = text(r->list);
    v[K_ENTRY_ID] = text(r->entry_id);
    v[K_ENTRY_NAME] = text(r->entry_name);
    v[K_MATCHED_NAME] = text(r->matched_name);
    v[K_SCORE] = r->score >= 0 && isfinite(r->score) ? (value){V_NUMBER, NULL, r->score}
                                                     : (value){V_NULL, NULL, 0};
    v[K_EXPLANATION] = text(r->explanation);
    v[K_DISPOSITION] = name(dx_disposition_name(r->disposition));
    v[K_REVIEWER] = text(r->reviewer);
    v[K_REVIEW_DATE] = text(r->review_date);
    v[K_LICENSE_ID] = text(r->license_id);
    v[K_NOTE] = text(r->note);
    v[K_CLEARED] = boolean(r->cleared);
    v[K_NEEDS_ATTENTION] = boolean(r->needs_attention);
}

static void flatten_subject(const dx_subject_summary *s, value *v)
{
    v[K_KIND] = name("subject");
    v[K_SUBJECT_TYPE] = text(s->subject_type);
    v[K_SUBJECT_ID] = text(s->subject_id);
    v[K_SUBJECT_NAME] = text(s->subject_name);
    v[K_DETERMINATION] = name(dx_report_det_name(s->worst_determination));
    v[K_SEVERITY] = name(dx_report_sev_name(s->worst_severity));
    v[K_REASON] = text(s->reason);
    v[K_NEEDS_ATTENTION] = boolean(s->needs_attention);
    v[K_CITIZENSHIP] = text(s->citizenship);
    v[K_I129_PART6] = text(s->i129_part6);
}

static dx_status json_value(dx_strbuf *b, const value *v)
{
    switch (v->type) {
    case V_TEXT:
    case V_NAME: return dx_report_json_string(b, v->text);
    case V_NUMBER: return dx_strbuf_printf(b, "%.4f", v->number);
    case V_BOOL: return dx_strbuf_append(b, v->number ? "true" : "false", v->number ? 4 : 5);
    default: return dx_strbuf_append(b, "null", 4);
    }
}

static dx_status csv_value(dx_strbuf *b, const value *v)
{
    switch (v->type) {
    case V_TEXT: return dx_report_csv_field(b, v->text, 1);
    case V_NAME: return dx_report_csv_field(b, v->text, 0);
    case V_NUMBER: return dx_strbuf_printf(b, "%.4f", v->number);
    case V_BOOL: return dx_strbuf_append(b, v->number ? "true" : "false", v->number ? 4 : 5);
    default: return DX_OK;
    }
}

/* Write the line; a failure (a full disk) is reported once, naming the file. */
static dx_status put(dx_lines_writer *w, const dx_strbuf *b)
{
    if (fwrite(b->data, 1, b->len, w->fp) == b->len)
        return DX_OK;
    int err = errno;
    if (!w->failed && w->diags)
        (void)dx_diags_add(w->diags, DX_SEV_ERROR,
                           w->file.target ? w->file.target : "(output stream)", 0, 0,
                           "report.io", NULL, "cannot write the %s output: %s",
                           w->format == DX_LINES_JSON ? "JSON" : "CSV", strerror(err));
    w->failed = 1;
    return DX_ERR_IO;
}

/* Build the record of `v` in w->line and write it. */
static dx_status emit(dx_lines_writer *w, const value *v)
{
    dx_strbuf *b = &w->line;
    dx_strbuf_reset(b);
    int json = w->format == DX_LINES_JSON;
    dx_status st = json ? dx_strbuf_putc(b, '{') : DX_OK;
    for (int k = 0; k < K_COUNT && st == DX_OK; k++) {
        if (k > 0)
            st = dx_strbuf_putc(b, ',');
        if (st == DX_OK && json) {
            st = dx_strbuf_putc(b, '"');
            if (st == DX_OK)
                st = dx_strbuf_puts(b, keys[k]);
            if (st == DX_OK)
                st = dx_strbuf_append(b, "\":", 2);
        }
        if (st == DX_OK)
            st = json ? json_value(b, &v[k]) : csv_value(b, &v[k]);
    }
    if (st == DX_OK)
        st = json ? dx_strbuf_append(b, "}\n", 2) : dx_strbuf_append(b, "\r\n", 2);
    if (st != DX_OK)
        return st;
    return put(w, b);
}

dx_status dx_lines_open(dx_lines_writer *w, dx_lines_format format, const char *path,
                        FILE *stream, dx_diags *diags)
{
    *w = (dx_lines_writer){format, NULL, DX_ATOMIC_FILE_INIT, DX_STRBUF_INIT, diags, 0};
    if (path) {
        dx_status st = dx_atomic_open(&w->file, path, 1, diags);
        if (st != DX_OK)
            return st;
        w->fp = w->file.fp;
    } else {
        w->fp = stream;
    }
    if (!w->fp || format != DX_LINES_CSV)
        return DX_OK;
    dx_strbuf *b = &w->line;
    dx_status st = dx_strbuf_append(b, "\xEF\xBB\xBF", 3);
    for (int k = 0; k < K_COUNT && st == DX_OK; k++)
        st = dx_strbuf_printf(b, "%s%s", k ? "," : "", keys[k]);
    if (st == DX_OK)
        st = dx_strbuf_append(b, "\r\n", 2);
    return st == DX_OK ? put(w, b) : st;
}

dx_status dx_lines_result(dx_lines_writer *w, const dx_result *r)
{
    if (!w->fp)
        return DX_OK;
    value v[K_COUNT] = {{V_NULL, NULL, 0}};
    flatten_result(r, v);
    return emit(w, v);
}

dx_status dx_lines_subject(dx_lines_writer *w, const dx_subject_summary *s)
{
    if (!w->fp)
        return DX_OK;
    value v[K_COUNT] = {{V_NULL, NULL, 0}};
    flatten_subject(s, v);
    return emit(w, v);
}

dx_status dx_lines_sync(dx_lines_writer *w, dx_diags *diags)
{
    if (!w->fp)
        return DX_OK;
    if (w->file.tmp) {
        w->fp = NULL;
        return dx_atomic_sync(&w->file, diags);
    }
    return fflush(w->fp) == 0 && !ferror(w->fp) ? DX_OK : DX_ERR_IO;
}

dx_status dx_lines_rename(dx_lines_writer *w, dx_diags *diags)
{
    return w->file.tmp ? dx_atomic_rename(&w->file, diags) : DX_OK;
}

void dx_lines_discard(dx_lines_writer *w)
{
    dx_atomic_discard(&w->file);
    dx_strbuf_free(&w->line);
    w->fp = NULL;
}
