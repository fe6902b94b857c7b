/*
 * report_xlsx.c — the Excel audit workbook: formats, the streamed sheets and the file.
 *
 * How it works. libxlsxwriter runs in constant-memory mode: each sheet streams its rows to its
 * own temporary file as soon as the next row starts, so 200,000 findings cost a few megabytes,
 * not gigabytes. The one rule of that mode is that a sheet's rows are written in order; so the
 * sheets whose content is known only at the end (the Summary, the matrices) are created at
 * open, to sit in their place in the tab order, and filled at close, top to bottom. What the
 * format keeps outside the rows (column widths, autofilter, data validation, conditional
 * formats, hyperlinks, comments, charts) can be set at any time, so widths are fitted over the
 * values actually written and applied at close.
 *
 * Tables that may outgrow a sheet (Findings, Clean determinations, Subjects, List hits, Input
 * issues) are streamed
 * through dx_sheet_stream: when a sheet holds `sheet_rows` data rows (1,048,575 by default,
 * Excel's limit below the header), the table continues on "Findings (2)" and so on, each part
 * with its header; the Summary names every continuation. libxlsxwriter cannot reorder sheets,
 * so continuations come after "Lists and rules".
 *
 * Safety. Every value from the records or lists goes through dx_wb_text, which writes a
 * string cell (worksheet_write_string: typed text in the file, never a formula, whatever its
 * first character), repairs invalid UTF-8 and cuts text to Excel's 32,767 characters per cell.
 * The only formulas in the workbook are the library's own (conditional formats, the drop-down's
 * list, the chart's ranges), and none holds input text.
 *
 * The workbook's creation date is the as-of date, so that the same results give the same file
 * content whatever day the run happens (the run facts aside).
 */
#include "report_xlsx.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "report_names.h"
#include "report_text.h"

#define EXCEL_ROWS 1048575UL /* data rows below a header */
#define CELL_CHARS 32767
#define CUT_NOTE " [cut: a cell holds 32,767 characters; the JSON output has the full text]"

enum { F_FINDING_ID, F_STATUS, F_KIND, F_REGIME, F_SUBJECT_TYPE, F_SUBJECT_ID,
       F_SUBJECT_NAME, F_TECH_ID, F_PROJECT_ID, F_DETERMINATION, F_SEVERITY, F_RULE, F_BASIS,
       F_REASON, F_CHANNEL, F_LIST, F_ENTRY_ID, F_ENTRY_NAME, F_MATCHED_NAME, F_SCORE,
       F_DISPOSITION, F_REVIEWER, F_REVIEW_DATE, F_LICENSE_ID, F_NOTE, F_COUNT };

static const dx_sheet_column findings_cols[F_COUNT] = {
    {"finding_id", 12, 28, 0}, {"status", 10, 16, 0}, {"kind", 8, 14, 0},
    {"regime", 7, 8, 0}, {"subject_type", 8, 14, 0}, {"subject_id", 10, 18, 0},
    {"subject_name", 14, 30, 1}, {"tech_id", 8, 16, 0}, {"project_id", 10, 16, 0},
    {"determination", 14, 21, 0}, {"severity", 9, 10, 0}, {"rule", 10, 24, 0},
    {"basis", 16, 36, 1}, {"reason", 30, 60, 1}, {"channel", 10, 22, 1},
    {"list", 8, 16, 0}, {"entry_id", 9, 16, 0}, {"entry_name", 14, 30, 1},
    {"matched_name", 14, 30, 1}, {"score", 7, 8, 0}, {"disposition", 20, 22, 0},
    {"reviewer", 14, 20, 0}, {"review_date", 12, 12, 0}, {"license_id", 12, 18, 0},
    {"note", 24, 40, 1}};

static const dx_sheet_column subjects_cols[] = {
    {"subject_type", 8, 14, 0}, {"subject_id", 10, 18, 0}, {"subject_name", 16, 32, 1},
    {"citizenship", 12, 20, 1}, {"worst_determination", 20, 21, 0},
    {"worst_severity", 14, 14, 0}, {"needs_attention", 15, 15, 0},
    {"i129_part6", 24, 40, 1}, {"reason", 30, 70, 1}};

static const dx_sheet_column hits_cols[] = {
    {"finding_id", 12, 28, 0}, {"subject_type", 8, 14, 0}, {"subject_id", 10, 18, 0},
    {"subject_name", 14, 30, 1}, {"list", 8, 16, 0}, {"entry_id", 9, 16, 0},
    {"entry_name", 14, 30, 1}, {"matched_name", 14, 30, 1}, {"score", 7, 8, 0},
    {"disposition", 12, 22, 0}, {"explanation", 40, 80, 1}};

static const dx_sheet_column clean_cols[] = {
    {"finding_id", 12, 28, 0}, {"regime", 6, 8, 0}, {"subject_id", 10, 18, 0},
    {"subject_name", 14, 30, 1}, {"tech_id", 8, 14, 0}, {"determination", 14, 22, 0},
    {"rule", 10, 16, 0}, {"basis", 20, 40, 1}, {"reason", 40, 80, 1}};

static const dx_sheet_column issues_cols[] = {
    {"file", 12, 40, 0}, {"line", 6, 8, 0}, {"column", 7, 8, 0}, {"severity", 8, 9, 0},
    {"code", 12, 30, 0}, {"problem", 30, 70, 1}, {"hint", 20, 50, 1}};

#define N_COLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Colours: red for what must not go ahead, amber for what a person must look at, blue and
 * green for what is settled. */
#define STRONG_RED 0xE06666 /* prohibited, critical: bold text on it */
static const lxw_color_t det_fill[DX_RPT_DET_COUNT] = {
    0xFFFFFF, 0xF4C7C3, 0xF8CBAD, 0xBDD7EE, 0xD9EAD3, 0xC6E0B4, 0xEDEDED, STRONG_RED, 0xFFE699};
static const lxw_color_t sev_fill[DX_RPT_SEV_COUNT] = { /* in dx_finding_severity's order */
    0xFFFFFF, STRONG_RED, 0xF4C7C3, 0xFFE699, 0xDDEBF7, 0xF2F2F2};

dx_status dx_wb_error(lxw_error error)
{
    switch (error) {
    case LXW_NO_ERROR: return DX_OK;
    case LXW_ERROR_MEMORY_MALLOC_FAILED: return DX_ERR_NOMEM;
    case LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE:
    case LXW_ERROR_WORKSHEET_MAX_NUMBER_URLS_EXCEEDED: return DX_ERR_LIMIT;
    case LXW_ERROR_CREATING_XLSX_FILE:
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE: return DX_ERR_IO;
    default: return DX_ERR_INTERNAL;
    }
}

static lxw_format *fill_format(lxw_workbook *wb, lxw_color_t fill, int border)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_bg_color(f, fill);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (fill == STRONG_RED)
        format_set_bold(f);
    if (border) {
        format_set_border(f, LXW_BORDER_THIN);
        format_set_border_color(f, 0xBFBFBF);
    }
    return f;
}

static void make_formats(lxw_workbook *wb, dx_wb_formats *f)
{
    f->title = workbook_add_format(wb);
    format_set_bold(f->title);
    format_set_font_size(f->title, 16);
    f->subtitle = workbook_add_format(wb);
    format_set_font_color(f->subtitle, 0x595959);
    f->section = workbook_add_format(wb);
    format_set_bold(f->section);
    format_set_font_size(f->section, 12);
    format_set_bottom(f->section, LXW_BORDER_MEDIUM);
    f->label = workbook_add_format(wb);
    format_set_bold(f->label);
    format_set_align(f->label, LXW_ALIGN_VERTICAL_TOP);
    f->header = workbook_add_format(wb);
    format_set_bold(f->header);
    format_set_bg_color(f->header, 0xD9E1F2);
    format_set_bottom(f->header, LXW_BORDER_THIN);
    format_set_text_wrap(f->header);
    format_set_align(f->header, LXW_ALIGN_VERTICAL_TOP);
    f->text = workbook_add_format(wb);
    format_set_align(f->text, LXW_ALIGN_VERTICAL_TOP);
    f->wrap = workbook_add_format(wb);
    format_set_text_wrap(f->wrap);
    format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
    f->integer = workbook_add_format(wb);
    format_set_num_format(f->integer, "#,##0");
    format_set_align(f->integer, LXW_ALIGN_VERTICAL_TOP);
    f->score = workbook_add_format(wb);
    format_set_num_format(f->score, "0.000");
    format_set_align(f->score, LXW_ALIGN_VERTICAL_TOP);
    f->link = workbook_add_format(wb);
    format_set_underline(f->link, LXW_UNDERLINE_SINGLE);
    format_set_font_color(f->link, 0x0563C1);
    format_set_align(f->link, LXW_ALIGN_VERTICAL_TOP);
    f->note = workbook_add_format(wb);
    format_set_italic(f->note);
    format_set_font_color(f->note, 0x595959);
    f->sign_line = workbook_add_format(wb);
    format_set_bottom(f->sign_line, LXW_BORDER_THIN);
    f->alarm = workbook_add_format(wb);
    format_set_bold(f->alarm);
    format_set_font_size(f->alarm, 12);
    format_set_font_color(f->alarm, 0xC00000);
    f->calm = workbook_add_format(wb);
    format_set_bold(f->calm);
    format_set_font_size(f->calm, 12);
    format_set_font_color(f->calm, 0x375623);
}

/* The fills of determinations and severities. */
static void make_fills(lxw_workbook *wb, dx_wb_formats *f)
{
    for (int i = 0; i < DX_RPT_DET_COUNT; i++) {
        f->det[i] = fill_format(wb, det_fill[i], 1);
        f->cell[i] = fill_format(wb, det_fill[i], 1);
        format_set_align(f->cell[i], LXW_ALIGN_CENTER);
    }
    for (int i = 0; i < DX_RPT_SEV_COUNT; i++)
        f->sev[i] = fill_format(wb, sev_fill[i], 0);
}

const char *dx_wb_clean(dx_workbook *x, const char *text)
{
    if (strlen(text) <= CELL_CHARS && dx_report_utf8_valid(text))
        return text;
    dx_strbuf_reset(&x->scratch);
    if (dx_report_clean_text(&x->scratch, text, CELL_CHARS, CUT_NOTE) != DX_OK)
        return NULL;
    return x->scratch.data ? x->scratch.data : "";
}

dx_status dx_wb_text(dx_workbook *x, lxw_worksheet *ws, uint32_t row, uint16_t col,
                       const char *text, lxw_format *format)
{
    if (!text)
        return format ? dx_wb_error(worksheet_write_blank(ws, row, col, format)) : DX_OK;
    if (!(text = dx_wb_clean(x, text)))
        return DX_ERR_NOMEM;
    return dx_wb_error(worksheet_write_string(ws, row, col, text, format));
}

dx_status dx_wb_number(lxw_worksheet *ws, uint32_t row, uint16_t col, double value,
                         lxw_format *format)
{
    return dx_wb_error(worksheet_write_number(ws, row, col, value, format));
}

dx_status dx_wb_fit_row(lxw_worksheet *ws, uint32_t row, const char *const *texts,
                          const double *widths, int n)
{
    size_t lines = 1;
    for (int c = 0; c < n; c++) {
        size_t k = texts[c] && widths[c] > 0 ? dx_report_wrapped_lines(texts[c], widths[c]) : 1;
        lines = k > lines ? k : lines;
    }
    if (lines == 1)
        return DX_OK;
    double height = lines > 27 ? 409 : 15.0 * (double)lines; /* Excel's highest row: 409 pt */
    return dx_wb_error(worksheet_set_row(ws, row, height, NULL));
}

void dx_wb_part_name(const char *title, size_t part, char *buf, size_t size)
{
    if (part == 0)
        snprintf(buf, size, "%s", title);
    else
        snprintf(buf, size, "%s (%zu)", title, part + 1);
}

dx_status dx_wb_link(dx_workbook *x, lxw_worksheet *ws, uint32_t row, uint16_t col,
                       dx_sheet_pos to, const char *label, lxw_format *format)
{
    char sheet[64], url[128];
    dx_wb_part_name(x->findings.title, to.part, sheet, sizeof sheet);
    snprintf(url, sizeof url, "internal:'%s'!A%lu", sheet, (unsigned long)to.row + 1);
    return dx_wb_error(worksheet_write_url_opt(ws, row, col, url, format, label, NULL));
}

/* ---- streamed tables ---- */

/* Add part number `stream->n_parts` as a new sheet, with its header and frozen first row. */
static dx_status stream_add_part(dx_workbook *x, dx_sheet_stream *s)
{
    size_t cap = s->n_parts + 1;
    dx_sheet_part *parts = dx_realloc(s->parts, cap * sizeof *parts);
    if (!parts)
        return DX_ERR_NOMEM;
    s->parts = parts;
    char name[64];
    dx_wb_part_name(s->title, s->n_parts, name, sizeof name);
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
    if (!ws)
        return DX_ERR_NOMEM;
    parts[s->n_parts++] = (dx_sheet_part){ws, 0};
    worksheet_freeze_panes(ws, 1, 1);
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_repeat_rows(ws, 0, 0);
    worksheet_set_row(ws, 0, LXW_DEF_ROW_HEIGHT, x->fmt.header);
    for (int c = 0; c < s->n_cols; c++) {
        dx_status st = dx_wb_text(x, ws, 0, (uint16_t)c, s->cols[c].header, x->fmt.header);
        if (st != DX_OK)
            return st;
    }
    return DX_OK;
}

static dx_status stream_init(dx_workbook *x, dx_sheet_stream *s, const char *title,
                             const dx_sheet_column *cols, int n_cols)
{
    s->title = title;
    s->cols = cols;
    s->n_cols = n_cols;
    s->width = dx_calloc((size_t)n_cols, sizeof *s->width);
    if (!s->width)
        return DX_ERR_NOMEM;
    for (int c = 0; c < n_cols; c++)
        s->width[c] = cols[c].min_width;
    return stream_add_part(x, s);
}

/* The sheet and row for the next data row, continuing on a new part when the sheet is full. */
static dx_status stream_next(dx_workbook *x, dx_sheet_stream *s, dx_sheet_pos *pos)
{
    if (s->parts[s->n_parts - 1].rows >= x->sheet_rows) {
        dx_status st = stream_add_part(x, s);
        if (st != DX_OK)
            return st;
    }
    dx_sheet_part *p = &s->parts[s->n_parts - 1];
    p->rows++;
    s->total++;
    *pos = (dx_sheet_pos){(uint32_t)(s->n_parts - 1), p->rows};
    return DX_OK;
}

/* Write one text cell of a streamed table, widening its column to fit. */
static dx_status stream_text(dx_workbook *x, dx_sheet_stream *s, dx_sheet_pos at, int col,
                             const char *text)
{
    if (!text)
        return DX_OK;
    double w = (double)dx_report_display_width(text) * 1.1 + 1;
    if (w > s->width[col])
        s->width[col] = w;
    lxw_format *f = s->cols[col].wrap ? x->fmt.wrap : x->fmt.text;
    return dx_wb_text(x, s->parts[at.part].ws, at.row, (uint16_t)col, text, f);
}

/* Fit the height of a streamed row to its wrapped texts (texts[c] for column c). */
static dx_status stream_fit(dx_sheet_stream *s, dx_sheet_pos at, const char *const *texts)
{
    double widths[32];
    for (int c = 0; c < s->n_cols && c < 32; c++)
        widths[c] = s->cols[c].wrap ? s->cols[c].max_width : 0;
    return dx_wb_fit_row(s->parts[at.part].ws, at.row, texts, widths, s->n_cols);
}

static dx_status stream_number(dx_workbook *x, dx_sheet_stream *s, dx_sheet_pos at, int col,
                               double value, lxw_format *format)
{
    return dx_wb_number(s->parts[at.part].ws, at.row, (uint16_t)col, value, format);
}

/* Widths and autofilter on every part of a table. */
static dx_status stream_finish(dx_workbook *x, dx_sheet_stream *s)
{
    for (size_t p = 0; p < s->n_parts; p++) {
        lxw_worksheet *ws = s->parts[p].ws;
        for (int c = 0; c < s->n_cols; c++) {
            double w = s->width[c] < s->cols[c].max_width ? s->width[c] : s->cols[c].max_width;
            lxw_format *f = s->cols[c].wrap ? x->fmt.wrap : NULL;
            worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w, f);
        }
        lxw_error e = worksheet_autofilter(ws, 0, 0, s->parts[p].rows, (lxw_col_t)(s->n_cols - 1));
        if (e != LXW_NO_ERROR)
            return dx_wb_error(e);
    }
    return DX_OK;
}

static void stream_free(dx_sheet_stream *s)
{
    dx_free(s->parts);
    dx_free(s->width);
}

/* ---- the Findings sheet ---- */

static const char *status_text(const dx_result *r)
{
    if (r->cleared)
        return "cleared";
    if (r->needs_attention)
        return "needs attention";
    return r->disposition != DX_DISP_NONE ? "reviewed" : NULL;
}

static dx_status findings_row(dx_workbook *x, const dx_result *r, dx_sheet_pos *at)
{
    dx_sheet_stream *s = &x->findings;
    dx_status st = stream_next(x, s, at);
    const char *text[F_COUNT] = {
        r->finding_id, status_text(r), dx_result_kind_name(r->kind), r->regime,
        r->subject_type, r->subject_id, r->subject_name, r->tech_id, r->project_id,
        dx_report_det_name(r->determination), dx_report_sev_name(r->severity),
        r->rule, r->basis, r->reason, r->channel, r->list, r->entry_id, r->entry_name,
        r->matched_name, NULL, dx_disposition_name(r->disposition), r->reviewer,
        r->review_date, r->license_id, r->note};
    if (st == DX_OK)
        st = stream_fit(s, *at, text);
    for (int c = 0; c < F_COUNT && st == DX_OK; c++)
        st = stream_text(x, s, *at, c, text[c]);
    if (st == DX_OK && r->score >= 0 && r->score <= 1)
        st = stream_number(x, s, *at, F_SCORE, r->score, x->fmt.score);
    return st;
}

/* The drop-down of dispositions and the colours of determination and severity, per part. */
static dx_status findings_finish(dx_workbook *x)
{
    static const char *const choices[] = {"true_match", "false_positive", "escalated",
                                          "cleared_with_licence", NULL};
    dx_sheet_stream *s = &x->findings;
    for (size_t p = 0; p < s->n_parts; p++) {
        lxw_worksheet *ws = s->parts[p].ws;
        uint32_t last = s->parts[p].rows ? s->parts[p].rows : 1;
        lxw_data_validation dv = {.validate = LXW_VALIDATION_TYPE_LIST,
                                  .value_list = (char **)choices,
                                  .input_title = "Disposition",
                                  .input_message = "true_match, false_positive, escalated or "
                                                   "cleared_with_licence (give license_id)",
                                  .error_title = "Disposition",
                                  .error_message = "Pick a disposition from the list."};
        lxw_error e = worksheet_data_validation_range(ws, 1, F_DISPOSITION, last, F_DISPOSITION, &dv);
        char value[40];
        for (int d = 1; e == LXW_NO_ERROR && d < DX_RPT_DET_COUNT; d++) {
            snprintf(value, sizeof value, "\"%s\"", dx_report_det_name((dx_determination)d));
            lxw_conditional_format cf = {.type = LXW_CONDITIONAL_TYPE_CELL,
                                         .criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
                                         .value_string = value, .format = x->fmt.det[d]};
            e = worksheet_conditional_format_range(ws, 1, F_DETERMINATION, last, F_DETERMINATION, &cf);
        }
        for (int v = 1; e == LXW_NO_ERROR && v < DX_RPT_SEV_COUNT; v++) {
            snprintf(value, sizeof value, "\"%s\"", dx_report_sev_name((dx_finding_severity)v));
            lxw_conditional_format cf = {.type = LXW_CONDITIONAL_TYPE_CELL,
                                         .criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
                                         .value_string = value, .format = x->fmt.sev[v]};
            e = worksheet_conditional_format_range(ws, 1, F_SEVERITY, last, F_SEVERITY, &cf);
        }
        if (e != LXW_NO_ERROR)
            return dx_wb_error(e);
    }
    return stream_finish(x, s);
}

/* ---- the other tables ---- */

/* A determination that needs no attention and was not reviewed: the "why it was cleared" an
 * auditor reads, one row each (the matrix comments only the first DX_MATRIX_MAX_NOTES). */
static dx_status clean_row(dx_workbook *x, const dx_result *r)
{
    dx_sheet_stream *s = &x->clean;
    dx_sheet_pos at;
    dx_status st = stream_next(x, s, &at);
    const char *text[] = {r->finding_id, r->regime, r->subject_id, r->subject_name,
                          r->tech_id, NULL, r->rule, r->basis, r->reason};
    if (st == DX_OK)
        st = stream_fit(s, at, text);
    for (int c = 0; c < N_COLS(text) && st == DX_OK; c++)
        st = stream_text(x, s, at, c, text[c]);
    if (st == DX_OK && r->determination != DX_DET_NONE)
        st = dx_wb_text(x, s->parts[at.part].ws, at.row, 5,
                        dx_report_det_name(r->determination), x->fmt.det[r->determination]);
    return st;
}

static dx_status hits_row(dx_workbook *x, const dx_result *r)
{
    dx_sheet_stream *s = &x->hits;
    dx_sheet_pos at;
    dx_status st = stream_next(x, s, &at);
    const char *text[] = {r->finding_id, r->subject_type, r->subject_id, r->subject_name,
                          r->list, r->entry_id, r->entry_name, r->matched_name, NULL,
                          dx_disposition_name(r->disposition), r->explanation};
    if (st == DX_OK)
        st = stream_fit(s, at, text);
    for (int c = 0; c < N_COLS(text) && st == DX_OK; c++)
        st = stream_text(x, s, at, c, text[c]);
    if (st == DX_OK && r->score >= 0 && r->score <= 1)
        st = stream_number(x, s, at, 8, r->score, x->fmt.score);
    return st;
}

dx_status dx_wb_subject(dx_workbook *x, const dx_subject_summary *subj)
{
    dx_sheet_stream *s = &x->subjects;
    dx_sheet_pos at;
    dx_status st = stream_next(x, s, &at);
    const char *text[] = {subj->subject_type, subj->subject_id, subj->subject_name,
                          subj->citizenship, NULL, NULL, subj->needs_attention ? "yes" : "no",
                          subj->i129_part6, subj->reason};
    if (st == DX_OK)
        st = stream_fit(s, at, text);
    for (int c = 0; c < N_COLS(text) && st == DX_OK; c++)
        st = stream_text(x, s, at, c, text[c]);
    lxw_worksheet *ws = s->parts[at.part].ws;
    if (st == DX_OK && subj->worst_determination != DX_DET_NONE)
        st = dx_wb_text(x, ws, at.row, 4, dx_report_det_name(subj->worst_determination),
                          x->fmt.det[subj->worst_determination]);
    if (st == DX_OK && subj->worst_severity != DX_FSEV_NONE)
        st = dx_wb_text(x, ws, at.row, 5, dx_report_sev_name(subj->worst_severity),
                          x->fmt.sev[subj->worst_severity]);
    x->stats.subjects++;
    x->stats.subjects_attention += subj->needs_attention != 0;
    return st;
}

dx_status dx_wb_issue(dx_workbook *x, const dx_diag *d)
{
    dx_sheet_stream *s = &x->issues;
    dx_sheet_pos at;
    dx_status st = stream_next(x, s, &at);
    const char *text[] = {d->source, NULL, NULL, dx_severity_str(d->severity), d->code,
                          d->message, d->hint};
    if (st == DX_OK)
        st = stream_fit(s, at, text);
    for (int c = 0; c < N_COLS(text) && st == DX_OK; c++)
        st = stream_text(x, s, at, c, text[c]);
    if (st == DX_OK && d->line)
        st = stream_number(x, s, at, 1, (double)d->line, x->fmt.integer);
    if (st == DX_OK && d->column)
        st = stream_number(x, s, at, 2, (double)d->column, x->fmt.integer);
    if ((unsigned)d->severity < 3)
        x->stats.issues[d->severity]++;
    return st;
}

dx_status dx_wb_result(dx_workbook *x, const dx_result *r, size_t regime)
{
    dx_sheet_pos at = {0, 0};
    int listed = r->needs_attention || r->cleared || r->disposition != DX_DISP_NONE;
    dx_status st = listed ? findings_row(x, r, &at) : DX_OK;
    if (st == DX_OK && (r->list || r->entry_id))
        st = hits_row(x, r);
    if (st == DX_OK && r->kind == DX_RESULT_DETERMINATION && !listed)
        st = clean_row(x, r);
    if (st == DX_OK && r->kind == DX_RESULT_DETERMINATION)
        st = dx_matrix_add(&x->matrix[regime], r, listed ? &at : NULL);
    if (st == DX_OK)
        st = dx_summary_count(&x->stats, r, r->kind == DX_RESULT_DETERMINATION ? regime : SIZE_MAX,
                              listed ? &at : NULL);
    return st;
}

/* ---- Lists and rules (known at open) ---- */

/* A header row of `n` labels at `row`. */
static dx_status header_row(dx_workbook *x, lxw_worksheet *ws, uint32_t row,
                            const char *const *labels, int n)
{
    dx_status st = DX_OK;
    for (int c = 0; c < n && st == DX_OK; c++)
        st = dx_wb_text(x, ws, row, (uint16_t)c, labels[c], x->fmt.header);
    return st;
}

static dx_status lists_table(dx_workbook *x, lxw_worksheet *ws, uint32_t *row)
{
    static const char *const head[] = {"list_id", "version", "publication_date", "entries",
                                       "files", "sha256"};
    const dx_run_facts *f = x->facts;
    dx_status st = dx_wb_text(x, ws, (*row)++, 0, "Lists", x->fmt.section);
    if (st == DX_OK)
        st = header_row(x, ws, (*row)++, head, 6);
    for (size_t i = 0; i < f->n_lists && st == DX_OK; i++, (*row)++) {
        const dx_report_list *l = &f->lists[i];
        const char *text[] = {l->list_id, l->version, l->publication_date, NULL, l->files,
                              l->sha256};
        for (int c = 0; c < 6 && st == DX_OK; c++)
            st = dx_wb_text(x, ws, *row, (uint16_t)c, text[c], c == 4 ? x->fmt.wrap : x->fmt.text);
        if (st == DX_OK)
            st = dx_wb_number(ws, *row, 3, (double)l->entries, x->fmt.integer);
    }
    if (st == DX_OK && f->n_lists == 0)
        st = dx_wb_text(x, ws, (*row)++, 0, "No list was used.", x->fmt.note);
    return st;
}

static dx_status rules_table(dx_workbook *x, lxw_worksheet *ws, uint32_t *row)
{
    static const char *const head[] = {"rule", "title", "basis"};
    const dx_run_facts *f = x->facts;
    dx_status st = dx_wb_text(x, ws, (*row)++, 0, "Rules", x->fmt.section);
    if (st == DX_OK && f->ruleset_hash) {
        st = dx_wb_text(x, ws, *row, 0, "rule set hash", x->fmt.label);
        if (st == DX_OK)
            st = dx_wb_text(x, ws, (*row)++, 1, f->ruleset_hash, x->fmt.text);
    }
    if (st == DX_OK)
        st = header_row(x, ws, (*row)++, head, 3);
    for (size_t i = 0; i < f->n_rules && st == DX_OK; i++, (*row)++) {
        const dx_report_rule *r = &f->rules[i];
        const char *text[] = {r->id, r->title, r->basis};
        for (int c = 0; c < 3 && st == DX_OK; c++)
            st = dx_wb_text(x, ws, *row, (uint16_t)c, text[c], x->fmt.wrap);
    }
    if (st == DX_OK && f->n_rules == 0)
        st = dx_wb_text(x, ws, (*row)++, 0, "No rule was given.", x->fmt.note);
    return st;
}

static dx_status lists_sheet(dx_workbook *x)
{
    lxw_worksheet *ws = x->lists;
    uint32_t row = 0;
    worksheet_set_column(ws, 0, 0, 22, NULL);
    worksheet_set_column(ws, 1, 1, 40, NULL);
    worksheet_set_column(ws, 2, 2, 50, NULL);
    worksheet_set_column(ws, 3, 3, 10, NULL);
    worksheet_set_column(ws, 4, 4, 40, NULL);
    worksheet_set_column(ws, 5, 5, 68, NULL);
    dx_status st = lists_table(x, ws, &row);
    row++;
    return st == DX_OK ? rules_table(x, ws, &row) : st;
}

/* ---- the workbook ---- */

/* Midnight UTC of an ISO date "YYYY-MM-DD..."; 0 when it is not one. */
static time_t date_seconds(const char *iso)
{
    int y, m, d;
    if (!iso || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return 0;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    return timegm(&tm);
}

/* Create every sheet in its tab order; the streamed ones get their headers now. */
static dx_status add_sheets(dx_workbook *x)
{
    x->summary = workbook_add_worksheet(x->wb, "Summary");
    dx_status st = x->summary ? stream_init(x, &x->findings, "Findings", findings_cols, F_COUNT)
                              : DX_ERR_NOMEM;
    for (size_t i = 0; i < x->facts->n_regimes && st == DX_OK; i++) {
        char name[64];
        snprintf(name, sizeof name, "Matrix %.20s", x->facts->regimes[i]);
        st = dx_matrix_init(&x->matrix[i], x->facts->regimes[i]);
        if (st == DX_OK && !(x->matrix[i].first = workbook_add_worksheet(x->wb, name)))
            st = DX_ERR_INVALID; /* a regime name Excel refuses as a sheet name */
    }
    if (st == DX_OK)
        st = stream_init(x, &x->clean, "Clean determinations", clean_cols, N_COLS(clean_cols));
    if (st == DX_OK)
        st = stream_init(x, &x->subjects, "Subjects", subjects_cols, N_COLS(subjects_cols));
    if (st == DX_OK)
        st = stream_init(x, &x->hits, "List hits", hits_cols, N_COLS(hits_cols));
    if (st == DX_OK)
        st = stream_init(x, &x->issues, "Input issues", issues_cols, N_COLS(issues_cols));
    if (st == DX_OK && !(x->lists = workbook_add_worksheet(x->wb, "Lists and rules")))
        st = DX_ERR_NOMEM;
    return st == DX_OK ? lists_sheet(x) : st;
}

dx_status dx_wb_open(dx_workbook **out, const char *path, const dx_run_facts *facts,
                       const dx_report_options *options, dx_diags *diags)
{
    dx_workbook *x = dx_calloc(1, sizeof *x);
    if (!x)
        return DX_ERR_NOMEM;
    x->facts = facts;
    x->sheet_rows = options->sheet_rows && options->sheet_rows < EXCEL_ROWS ? options->sheet_rows
                                                                             : EXCEL_ROWS;
    x->matrix = dx_calloc(facts->n_regimes ? facts->n_regimes : 1, sizeof *x->matrix);
    dx_status st = x->matrix ? dx_atomic_open(&x->file, path, 0, diags) : DX_ERR_NOMEM;
    if (st == DX_OK)
        st = dx_summary_init(&x->stats, facts->n_regimes,
                             options->attention_top ? options->attention_top : 25);
    if (st == DX_OK) {
        lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .use_zip64 = LXW_TRUE};
        x->wb = workbook_new_opt(x->file.tmp, &wo);
        st = x->wb ? DX_OK : DX_ERR_NOMEM;
    }
    if (st == DX_OK) {
        lxw_doc_properties props = {.title = "Export-control audit workbook",
                                    .subject = "Deemed-export and restricted-party screening",
                                    .author = "dexcheck", .created = date_seconds(facts->as_of)};
        workbook_set_properties(x->wb, &props);
        make_formats(x->wb, &x->fmt);
        make_fills(x->wb, &x->fmt);
        st = add_sheets(x);
    }
    if (st != DX_OK) {
        dx_wb_free(x);
        return st;
    }
    *out = x;
    return DX_OK;
}

dx_status dx_wb_finish(dx_workbook *x, dx_diags *diags)
{
    dx_status st = dx_summary_write(x);
    for (size_t i = 0; i < x->facts->n_regimes && st == DX_OK; i++)
        st = dx_matrix_write(x, &x->matrix[i]);
    if (st == DX_OK)
        st = findings_finish(x);
    if (st == DX_OK)
        st = stream_finish(x, &x->clean);
    if (st == DX_OK)
        st = stream_finish(x, &x->subjects);
    if (st == DX_OK)
        st = stream_finish(x, &x->hits);
    if (st == DX_OK)
        st = stream_finish(x, &x->issues);
    if (st == DX_OK) {
        lxw_error e = workbook_close(x->wb);
        x->wb = NULL;
        st = dx_wb_error(e);
        if (st != DX_OK && diags)
            (void)dx_diags_add(diags, DX_SEV_ERROR, x->file.target, 0, 0, "report.xlsx", NULL,
                               "the workbook could not be written: %s", lxw_strerror(e));
    }
    return st == DX_OK ? dx_atomic_sync(&x->file, diags) : st;
}

dx_status dx_wb_rename(dx_workbook *x, dx_diags *diags)
{
    return dx_atomic_rename(&x->file, diags);
}

void dx_wb_free(dx_workbook *x)
{
    if (!x)
        return;
    if (x->wb)
        lxw_workbook_free(x->wb);
    dx_atomic_discard(&x->file);
    stream_free(&x->findings);
    stream_free(&x->clean);
    stream_free(&x->subjects);
    stream_free(&x->hits);
    stream_free(&x->issues);
    for (size_t i = 0; x->matrix && i < x->facts->n_regimes; i++)
        dx_matrix_free(&x->matrix[i]);
    dx_free(x->matrix);
    dx_summary_free(&x->stats);
    dx_strbuf_free(&x->scratch);
    dx_free(x);
}
