/*
 * report_summary.c — the Summary sheet: run facts, what needs attention, counts with a chart,
 * the inputs and lists used, and a sign-off block.
 *
 * How it works. While results stream past, dx_summary_count keeps counters (determinations by
 * regime, findings by severity, what needs attention, what was reviewed) and the most urgent
 * items that need attention, in a small array kept ordered by urgency (dx_result_urgency),
 * then arrival: an item enters only when it is more urgent than the last one kept, so equal
 * urgency keeps the caller's order and the list is the same for the same results. At close the
 * sheet is written top to bottom (constant-memory mode); the chart reads the severity table of
 * the sheet itself.
 *
 * Only the run facts (run id, who ran it, when it started) differ between two runs on the same
 * results and as-of date.
 */
#include "report_xlsx.h"

#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "report_names.h"

dx_status dx_summary_init(dx_summary_stats *s, size_t n_regimes, size_t max_top)
{
    memset(s, 0, sizeof *s);
    s->det = dx_calloc(n_regimes ? n_regimes : 1, sizeof *s->det);
    s->top = dx_calloc(max_top, sizeof *s->top);
    s->max_top = max_top;
    return s->det && s->top ? DX_OK : DX_ERR_NOMEM;
}

static void item_free(dx_attention_item *it)
{
    dx_free(it->subject);
    dx_free(it->regime);
    dx_free(it->tech);
    dx_free(it->result);
    dx_free(it->reason);
}

void dx_summary_free(dx_summary_stats *s)
{
    for (size_t i = 0; s->top && i < s->n_top; i++)
        item_free(&s->top[i]);
    dx_free(s->top);
    dx_free(s->det);
}

static char *join(const char *a, const char *sep, const char *b)
{
    dx_strbuf buf = DX_STRBUF_INIT;
    dx_status st = dx_strbuf_printf(&buf, "%s%s%s", a ? a : "", a && b ? sep : "", b ? b : "");
    if (st != DX_OK) {
        dx_strbuf_free(&buf);
        return NULL;
    }
    return dx_strbuf_detach(&buf);
}

/* The item of `r` with owned copies of what the Summary shows. */
static dx_status make_item(const dx_result *r, unsigned long seq, const dx_sheet_pos *at,
                           dx_attention_item *it)
{
    *it = (dx_attention_item){dx_result_urgency(r), seq, NULL, NULL, NULL, NULL, NULL, *at};
    const char *what = r->tech_id ? r->tech_id : r->entry_name ? r->entry_name : r->rule;
    const char *result = r->determination ? dx_report_det_name(r->determination)
                                          : dx_report_sev_name(r->severity);
    it->subject = join(r->subject_id, ": ", r->subject_name);
    it->regime = join(r->regime, "", NULL);
    it->tech = join(r->list, ": ", what);
    it->result = join(result, "", NULL);
    it->reason = join(r->reason, "", NULL);
    if (it->subject && it->regime && it->tech && it->result && it->reason)
        return DX_OK;
    item_free(it);
    return DX_ERR_NOMEM;
}

/* Keep `r` among the most urgent items when it is more urgent than the last one kept. */
static dx_status keep_top(dx_summary_stats *s, const dx_result *r, const dx_sheet_pos *at)
{
    unsigned long seq = s->seq++;
    int u = dx_finding_severity_rank(dx_result_urgency(r));
    if (s->max_top == 0 ||
        (s->n_top == s->max_top && u <= dx_finding_severity_rank(s->top[s->n_top - 1].urgency)))
        return DX_OK;
    dx_attention_item it;
    dx_status st = make_item(r, seq, at, &it);
    if (st != DX_OK)
        return st;
    size_t pos = 0;
    while (pos < s->n_top && dx_finding_severity_rank(s->top[pos].urgency) >= u)
        pos++;
    if (s->n_top == s->max_top)
        item_free(&s->top[--s->n_top]);
    memmove(&s->top[pos + 1], &s->top[pos], (s->n_top - pos) * sizeof *s->top);
    s->top[pos] = it;
    s->n_top++;
    return DX_OK;
}

dx_status dx_summary_count(dx_summary_stats *s, const dx_result *r, size_t regime,
                           const dx_sheet_pos *finding)
{
    if (r->kind == DX_RESULT_DETERMINATION && regime != SIZE_MAX)
        s->det[regime][r->determination]++;
    if (r->kind == DX_RESULT_FINDING) {
        s->sev[r->severity]++;
        s->sev_attention[r->severity] += r->needs_attention != 0;
    }
    s->cleared += r->cleared != 0;
    s->reviewed += r->disposition != DX_DISP_NONE;
    if (!r->needs_attention || !finding)
        return DX_OK;
    s->attention++;
    s->attention_det += r->kind == DX_RESULT_DETERMINATION;
    s->attention_find += r->kind == DX_RESULT_FINDING;
    return keep_top(s, r, finding);
}

/* ---- writing the sheet ---- */

enum { COL_A, COL_B, COL_C, COL_D, COL_E, COL_F, COL_G };

/* Column widths of the Summary, in characters. */
static const double widths[] = {30, 12, 18, 12, 20, 16, 70};

/* A cursor down the Summary: each call writes one cell unless an earlier one failed. */
typedef struct sheet_cursor {
    dx_workbook *x;
    lxw_worksheet *ws;
    uint32_t row;
    dx_status st;
} sheet_cursor;

static void put(sheet_cursor *c, int col, const char *text, lxw_format *f)
{
    if (c->st == DX_OK)
        c->st = dx_wb_text(c->x, c->ws, c->row, (uint16_t)col, text, f);
}

static void num(sheet_cursor *c, int col, double v, lxw_format *f)
{
    if (c->st == DX_OK)
        c->st = dx_wb_number(c->ws, c->row, (uint16_t)col, v, f);
}

static void section(sheet_cursor *c, const char *title)
{
    c->row++;
    for (int col = COL_A; col <= COL_G; col++)
        put(c, col, col == COL_A ? title : NULL, c->x->fmt.section);
    c->row++;
}

static void fact(sheet_cursor *c, const char *label, const char *value)
{
    put(c, COL_A, label, c->x->fmt.label);
    put(c, COL_B, value ? value : "(not given)", c->x->fmt.text);
    c->row++;
}

static void head(sheet_cursor *c)
{
    const dx_run_facts *f = c->x->facts;
    const dx_summary_stats *s = &c->x->stats;
    char line[256];
    put(c, COL_A, "Export-control screening: audit workbook", c->x->fmt.title);
    c->row++;
    snprintf(line, sizeof line, "Deemed exports and restricted parties, as of %.40s", f->as_of);
    put(c, COL_A, line, c->x->fmt.subtitle);
    c->row += 2;
    if (s->attention)
        snprintf(line, sizeof line,
                 "%lu result%s need%s attention (%lu determination%s, %lu finding%s); "
                 "%lu reviewed, %lu cleared.", s->attention, s->attention == 1 ? "" : "s",
                 s->attention == 1 ? "s" : "", s->attention_det, s->attention_det == 1 ? "" : "s",
                 s->attention_find, s->attention_find == 1 ? "" : "s", s->reviewed, s->cleared);
    else
        snprintf(line, sizeof line, "Nothing needs attention (%lu reviewed, %lu cleared).",
                 s->reviewed, s->cleared);
    put(c, COL_A, line, s->attention ? c->x->fmt.alarm : c->x->fmt.calm);
    c->row++;
}

static void run_facts(sheet_cursor *c)
{
    const dx_run_facts *f = c->x->facts;
    section(c, "Run");
    fact(c, "Run id", f->run_id);
    fact(c, "As-of date", f->as_of);
    fact(c, "Run by", f->user);
    fact(c, "Started at", f->started_at);
    fact(c, "Tool version", f->tool_version);
    fact(c, "Rule set (hash)", f->ruleset_hash);
    fact(c, "Options", f->options);
}

/* Determinations by regime, one row per determination; *first gets its header row. */
static void determination_table(sheet_cursor *c, uint32_t *first)
{
    const dx_run_facts *f = c->x->facts;
    const dx_summary_stats *s = &c->x->stats;
    section(c, "Determinations by regime (one per subject, technology and regime)");
    *first = c->row;
    put(c, COL_A, "determination", c->x->fmt.header);
    for (size_t g = 0; g < f->n_regimes; g++)
        put(c, (int)(COL_B + g), f->regimes[g], c->x->fmt.header);
    put(c, (int)(COL_B + f->n_regimes), "total", c->x->fmt.header);
    c->row++;
    for (int d = 1; d < DX_RPT_DET_COUNT; d++, c->row++) {
        unsigned long total = 0;
        put(c, COL_A, dx_report_det_name((dx_determination)d), c->x->fmt.det[d]);
        for (size_t g = 0; g < f->n_regimes; g++) {
            num(c, (int)(COL_B + g), (double)s->det[g][d], c->x->fmt.integer);
            total += s->det[g][d];
        }
        num(c, (int)(COL_B + f->n_regimes), (double)total, c->x->fmt.integer);
    }
}

static void severity_table(sheet_cursor *c, uint32_t *first)
{
    const dx_summary_stats *s = &c->x->stats;
    section(c, "Findings by severity");
    *first = c->row;
    put(c, COL_A, "severity", c->x->fmt.header);
    put(c, COL_B, "findings", c->x->fmt.header);
    put(c, COL_C, "need attention", c->x->fmt.header);
    c->row++;
    for (int v = DX_FSEV_CRITICAL; v <= DX_FSEV_INFO; v++, c->row++) {
        put(c, COL_A, dx_report_sev_name((dx_finding_severity)v), c->x->fmt.sev[v]);
        num(c, COL_B, (double)s->sev[v], c->x->fmt.integer);
        num(c, COL_C, (double)s->sev_attention[v], c->x->fmt.integer);
    }
}

/* A round step for the count axis (1, 2, 5, 10, 20, 50, ...) giving at most 8 ticks. */
static double axis_step(const dx_workbook *x, size_t n_regimes)
{
    unsigned long most = 0;
    for (int d = 1; d < DX_RPT_DET_COUNT; d++) {
        unsigned long total = 0;
        for (size_t g = 0; g < n_regimes; g++)
            total += x->stats.det[g][d];
        most = total > most ? total : most;
    }
    double step = 1;
    for (int i = 0; (double)most / step > 8; i++)
        step *= i % 3 == 1 ? 2.5 : 2; /* 1, 2, 5, 10, 20, 50, ... */
    return step;
}

/* The chart of determinations by regime, beside both tables; the severity counts get data
 * bars in their cells instead of a second chart, which would not fit beside its short table. */
static void charts(sheet_cursor *c, uint32_t det_row, uint32_t sev_row)
{
    const dx_run_facts *f = c->x->facts;
    lxw_chart *chart = workbook_add_chart(c->x->wb, LXW_CHART_BAR_STACKED);
    if (!chart) {
        c->st = DX_ERR_NOMEM;
        return;
    }
    for (size_t g = 0; g < f->n_regimes; g++) {
        lxw_chart_series *ser = chart_add_series(chart, NULL, NULL);
        chart_series_set_categories(ser, "Summary", det_row + 1, COL_A, det_row + 8, COL_A);
        chart_series_set_values(ser, "Summary", det_row + 1, (lxw_col_t)(COL_B + g), det_row + 8,
                                (lxw_col_t)(COL_B + g));
        chart_series_set_name_range(ser, "Summary", det_row, (lxw_col_t)(COL_B + g));
    }
    chart_title_set_name(chart, "Determinations by regime");
    chart_axis_set_num_format(chart->x_axis, "#,##0");
    chart_axis_set_min(chart->x_axis, 0);
    chart_axis_set_major_unit(chart->x_axis, axis_step(c->x, f->n_regimes));
    chart_axis_set_reverse(chart->y_axis);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    double rows = (double)(sev_row + 6 - det_row);
    lxw_chart_options opt = {.x_offset = 10, .x_scale = 1.0, .y_scale = rows * 20 / 288};
    if (c->st == DX_OK)
        c->st = dx_wb_error(worksheet_insert_chart_opt(c->ws, det_row, COL_G, chart, &opt));
    lxw_conditional_format bars = {.type = LXW_CONDITIONAL_DATA_BAR, .bar_color = 0x8EA9DB,
                                   .bar_solid = LXW_TRUE, .bar_only = LXW_FALSE,
                                   .min_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER,
                                   .min_value = 0};
    if (c->st == DX_OK)
        c->st = dx_wb_error(worksheet_conditional_format_range(c->ws, sev_row + 1, COL_B,
                                                                 sev_row + 5, COL_B, &bars));
}

static void attention_list(sheet_cursor *c)
{
    static const char *const head[] = {"subject", "regime", "technology / entry", "urgency",
                                       "result", "go to", "reason"};
    const dx_summary_stats *s = &c->x->stats;
    section(c, "Needs attention first (most urgent first; equal urgency in screening order)");
    if (s->n_top == 0) {
        put(c, COL_A, "Nothing needs attention.", c->x->fmt.note);
        c->row++;
        return;
    }
    for (int col = COL_A; col <= COL_G; col++)
        put(c, col, head[col], c->x->fmt.header);
    c->row++;
    for (size_t i = 0; i < s->n_top; i++, c->row++) {
        const dx_attention_item *it = &s->top[i];
        char go[48];
        snprintf(go, sizeof go, "Findings row %lu", (unsigned long)it->at.row + 1);
        if (it->at.part)
            snprintf(go, sizeof go, "Findings (%lu) row %lu", (unsigned long)it->at.part + 1,
                     (unsigned long)it->at.row + 1);
        const char *const texts[] = {it->subject, NULL, it->tech, NULL, it->result, NULL,
                                     it->reason};
        if (c->st == DX_OK)
            c->st = dx_wb_fit_row(c->ws, c->row, texts, widths, COL_G + 1);
        put(c, COL_A, it->subject, c->x->fmt.wrap);
        put(c, COL_B, it->regime, c->x->fmt.text);
        put(c, COL_C, it->tech, c->x->fmt.wrap);
        put(c, COL_D, dx_report_sev_name(it->urgency), c->x->fmt.sev[it->urgency]);
        put(c, COL_E, it->result, c->x->fmt.wrap);
        if (c->st == DX_OK)
            c->st = dx_wb_link(c->x, c->ws, c->row, COL_F, it->at, go, c->x->fmt.link);
        put(c, COL_G, it->reason, c->x->fmt.wrap);
    }
    if (s->attention > s->n_top) {
        char more[96];
        snprintf(more, sizeof more, "... and %lu more on the Findings sheet (filter status = "
                 "\"needs attention\").", s->attention - s->n_top);
        put(c, COL_A, more, c->x->fmt.note);
        c->row++;
    }
}

static void inputs_table(sheet_cursor *c)
{
    static const char *const head[] = {"file", "rows read", "accepted", "rejected", NULL, NULL,
                                       "sha256"};
    const dx_run_facts *f = c->x->facts;
    section(c, "Inputs (rows read = accepted + rejected)");
    for (int col = COL_A; col <= COL_G; col++)
        put(c, col, head[col], c->x->fmt.header);
    c->row++;
    for (size_t i = 0; i < f->n_inputs; i++, c->row++) {
        const dx_report_input *in = &f->inputs[i];
        unsigned long rejected = in->rejected <= in->rows ? in->rejected : in->rows;
        put(c, COL_A, in->file, c->x->fmt.wrap);
        num(c, COL_B, (double)in->rows, c->x->fmt.integer);
        num(c, COL_C, (double)(in->rows - rejected), c->x->fmt.integer);
        num(c, COL_D, (double)in->rejected, c->x->fmt.integer);
        put(c, COL_G, in->sha256, c->x->fmt.text);
    }
    char issues[160];
    snprintf(issues, sizeof issues, "Input issues: %lu error%s, %lu warning%s, %lu note%s "
             "(sheet \"Input issues\").", c->x->stats.issues[DX_SEV_ERROR],
             c->x->stats.issues[DX_SEV_ERROR] == 1 ? "" : "s", c->x->stats.issues[DX_SEV_WARNING],
             c->x->stats.issues[DX_SEV_WARNING] == 1 ? "" : "s", c->x->stats.issues[DX_SEV_NOTE],
             c->x->stats.issues[DX_SEV_NOTE] == 1 ? "" : "s");
    put(c, COL_A, issues, c->x->fmt.note);
    c->row++;
}

static void lists_table(sheet_cursor *c)
{
    static const char *const head[] = {"list", "version", "published", "entries", NULL, NULL,
                                       "sha256"};
    const dx_run_facts *f = c->x->facts;
    section(c, "Lists screened against (files and rules: sheet \"Lists and rules\")");
    for (int col = COL_A; col <= COL_G; col++)
        put(c, col, head[col], c->x->fmt.header);
    c->row++;
    for (size_t i = 0; i < f->n_lists; i++, c->row++) {
        const dx_report_list *l = &f->lists[i];
        put(c, COL_A, l->list_id, c->x->fmt.text);
        put(c, COL_B, l->version, c->x->fmt.text);
        put(c, COL_C, l->publication_date, c->x->fmt.text);
        num(c, COL_D, (double)l->entries, c->x->fmt.integer);
        put(c, COL_G, l->sha256, c->x->fmt.text);
    }
}

/* "Findings: 2,000,000 rows (of data), continued on sheet "Findings (2)"." */
static void continued_line(sheet_cursor *c, int *any, const char *title, size_t parts,
                           unsigned long rows, const char *unit)
{
    char line[200], second[64], last[64];
    if (!(*any)++)
        section(c, "Sheets continued (a sheet holds at most 1,048,576 rows)");
    dx_wb_part_name(title, 1, second, sizeof second);
    dx_wb_part_name(title, parts - 1, last, sizeof last);
    if (parts == 2)
        snprintf(line, sizeof line, "%s: %lu %s, continued on sheet \"%s\".", title, rows, unit,
                 second);
    else
        snprintf(line, sizeof line, "%s: %lu %s, continued on sheets \"%s\" to \"%s\".", title,
                 rows, unit, second, last);
    put(c, COL_A, line, c->x->fmt.alarm);
    c->row++;
}

/* One line per sheet that continues on another, so that no reader stops at the first. */
static void continuations(sheet_cursor *c)
{
    const dx_sheet_stream *streams[] = {&c->x->findings, &c->x->subjects, &c->x->hits,
                                        &c->x->issues};
    int any = 0;
    for (size_t i = 0; i < 4; i++)
        if (streams[i]->n_parts > 1)
            continued_line(c, &any, streams[i]->title, streams[i]->n_parts, streams[i]->total,
                           "rows");
    for (size_t g = 0; g < c->x->facts->n_regimes; g++) {
        const dx_matrix *m = &c->x->matrix[g];
        unsigned long per_part = dx_matrix_rows_per_part(c->x, m);
        char title[40];
        snprintf(title, sizeof title, "Matrix %.20s", m->regime);
        if (m->n_subjects > per_part)
            continued_line(c, &any, title, (m->n_subjects - 1) / per_part + 1, m->n_subjects,
                           "subjects");
    }
}

static void sign_off(sheet_cursor *c)
{
    static const char *const who[] = {"Prepared by", "Reviewed by", "Approved by"};
    section(c, "Sign-off");
    put(c, COL_A, "By signing, the reviewer confirms that every finding marked \"needs "
                  "attention\" has a disposition on the Findings sheet.", c->x->fmt.note);
    c->row += 2;
    for (int i = 0; i < 3; i++, c->row += 2) {
        put(c, COL_A, who[i], c->x->fmt.label);
        for (int col = COL_B; col <= COL_D; col++)
            put(c, col, NULL, c->x->fmt.sign_line);
        put(c, COL_E, "Date", c->x->fmt.label);
        put(c, COL_F, NULL, c->x->fmt.sign_line);
    }
}

dx_status dx_summary_write(dx_workbook *x)
{
    sheet_cursor c = {x, x->summary, 0, DX_OK};
    for (int col = COL_A; col <= COL_G; col++)
        worksheet_set_column(c.ws, (lxw_col_t)col, (lxw_col_t)col, widths[col], NULL);
    worksheet_set_landscape(c.ws);
    worksheet_set_paper(c.ws, 9); /* A4 */
    worksheet_fit_to_pages(c.ws, 1, 0);
    uint32_t det_row = 0, sev_row = 0;
    head(&c);
    run_facts(&c);
    determination_table(&c, &det_row);
    severity_table(&c, &sev_row);
    charts(&c, det_row, sev_row);
    attention_list(&c);
    continuations(&c);
    inputs_table(&c);
    lists_table(&c);
    sign_off(&c);
    return c.st;
}
