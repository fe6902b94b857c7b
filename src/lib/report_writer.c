/*
 * report_writer.c — dx_report: one writer in front of the three outputs (dexcheck/report.h).
 *
 * How it works. Open copies the run facts (the caller's strings are borrowed only for the
 * call) and opens each output asked for: the workbook (report_xlsx.c), JSON lines and CSV
 * (report_lines.c). Each add validates the item once, then hands it to every output in turn.
 * Close finishes every output into its temporary file and syncs it; only when all of them
 * succeeded are they renamed over their targets, one after the other, so a failure part way
 * leaves every previous target as it was. The first error sticks: the report is failed, later
 * calls return it, and the temporary files are removed.
 */
#include "dexcheck/report.h"

#include <string.h>

#include "alloc.h"
#include "arena.h"
#include "report_lines.h"
#include "report_xlsx.h"

struct dx_report {
    dx_status failed; /* the first error, DX_OK while healthy */
    int closed;
    dx_diags *diags;
    dx_arena arena; /* the copy of the facts */
    dx_run_facts facts;
    dx_lines_writer json, csv;
    dx_workbook *xlsx;
};

static const char *const default_regimes[] = {"JP", "US", "EU"};

/* A copy of s in the arena; NULL stays NULL. *ok is cleared when out of memory. */
static const char *copy(dx_report *r, const char *s, int *ok)
{
    if (!s)
        return NULL;
    char *c = dx_arena_strndup(&r->arena, s, strlen(s));
    *ok &= c != NULL;
    return c;
}

static void *copy_array(dx_report *r, const void *items, size_t n, size_t size, int *ok)
{
    if (n == 0)
        return NULL;
    void *c = dx_arena_alloc(&r->arena, n * size);
    if (c)
        memcpy(c, items, n * size);
    *ok &= c != NULL;
    return c;
}

/* Deep-copy the facts (the arrays, then every string in them). */
static dx_status copy_facts(dx_report *r, const dx_run_facts *in)
{
    int ok = 1;
    dx_run_facts *f = &r->facts;
    *f = *in;
    f->run_id = copy(r, in->run_id, &ok);
    f->as_of = copy(r, in->as_of, &ok);
    f->user = copy(r, in->user, &ok);
    f->tool_version = copy(r, in->tool_version, &ok);
    f->started_at = copy(r, in->started_at, &ok);
    f->ruleset_hash = copy(r, in->ruleset_hash, &ok);
    f->options = copy(r, in->options, &ok);
    dx_report_input *inputs = copy_array(r, in->inputs, in->n_inputs, sizeof *inputs, &ok);
    dx_report_list *lists = copy_array(r, in->lists, in->n_lists, sizeof *lists, &ok);
    dx_report_rule *rules = copy_array(r, in->rules, in->n_rules, sizeof *rules, &ok);
    const char *const *src = in->regimes ? in->regimes : default_regimes;
    f->n_regimes = in->regimes ? in->n_regimes : 3;
    const char **regimes = copy_array(r, src, f->n_regimes, sizeof *regimes, &ok);
    for (size_t i = 0; ok && i < in->n_inputs; i++) {
        inputs[i].file = copy(r, in->inputs[i].file, &ok);
        inputs[i].sha256 = copy(r, in->inputs[i].sha256, &ok);
    }
    for (size_t i = 0; ok && i < in->n_lists; i++) {
        dx_report_list *l = &lists[i];
        l->list_id = copy(r, l->list_id, &ok);
        l->version = copy(r, l->version, &ok);
        l->files = copy(r, l->files, &ok);
        l->sha256 = copy(r, l->sha256, &ok);
        l->publication_date = copy(r, l->publication_date, &ok);
    }
    for (size_t i = 0; ok && i < in->n_rules; i++) {
        rules[i].id = copy(r, rules[i].id, &ok);
        rules[i].title = copy(r, rules[i].title, &ok);
        rules[i].basis = copy(r, rules[i].basis, &ok);
    }
    for (size_t i = 0; ok && i < f->n_regimes; i++)
        regimes[i] = copy(r, regimes[i], &ok);
    f->inputs = inputs;
    f->lists = lists;
    f->rules = rules;
    f->regimes = regimes;
    return ok ? DX_OK : DX_ERR_NOMEM;
}

/* Arrays present when counted, regimes named. */
static int facts_valid(const dx_run_facts *f)
{
    if (!f->as_of || (f->n_inputs && !f->inputs) || (f->n_lists && !f->lists) ||
        (f->n_rules && !f->rules) || (f->regimes && f->n_regimes == 0))
        return 0;
    for (size_t i = 0; f->regimes && i < f->n_regimes; i++)
        if (!f->regimes[i] || !f->regimes[i][0])
            return 0;
    return 1;
}

dx_status dx_report_open(dx_report **out, const dx_report_options *o, const dx_run_facts *facts,
                         dx_diags *diags)
{
    if (!out || !o || !facts || !facts_valid(facts) ||
        (!o->xlsx_path && !o->json_path && !o->json_stream && !o->csv_path && !o->csv_stream))
        return DX_ERR_INVALID;
    dx_report *r = dx_calloc(1, sizeof *r);
    if (!r)
        return DX_ERR_NOMEM;
    r->diags = diags;
    dx_status st = copy_facts(r, facts);
    if (st == DX_OK)
        st = dx_lines_open(&r->json, DX_LINES_JSON, o->json_path, o->json_stream, diags);
    if (st == DX_OK)
        st = dx_lines_open(&r->csv, DX_LINES_CSV, o->csv_path, o->csv_stream, diags);
    if (st == DX_OK && o->xlsx_path)
        st = dx_wb_open(&r->xlsx, o->xlsx_path, &r->facts, o, diags);
    if (st != DX_OK) {
        dx_report_free(r);
        return st;
    }
    *out = r;
    return DX_OK;
}

/* The index of a determination's regime among the matrices; SIZE_MAX when it has none. */
static size_t regime_index(const dx_report *r, const char *regime)
{
    for (size_t i = 0; regime && i < r->facts.n_regimes; i++)
        if (strcmp(r->facts.regimes[i], regime) == 0)
            return i;
    return SIZE_MAX;
}

static int result_valid(const dx_result *res, size_t regime)
{
    if (res->kind == DX_RESULT_DETERMINATION)
        return res->determination > DX_DET_NONE && res->determination <= DX_DET_NEEDS_REVIEW &&
               res->subject_id && res->tech_id && regime != SIZE_MAX &&
               res->severity <= DX_FSEV_INFO && res->disposition <= DX_DISP_CLEARED_WITH_LICENCE;
    return res->kind == DX_RESULT_FINDING && res->severity > DX_FSEV_NONE &&
           res->severity <= DX_FSEV_INFO && res->determination <= DX_DET_NEEDS_REVIEW &&
           res->disposition <= DX_DISP_CLEARED_WITH_LICENCE;
}

/* Record the first error and return it. */
static dx_status fail(dx_report *r, dx_status st)
{
    if (st != DX_OK && r->failed == DX_OK)
        r->failed = st;
    return st;
}

dx_status dx_report_add_result(dx_report *r, const dx_result *res)
{
    if (r->failed != DX_OK || r->closed)
        return r->closed ? DX_ERR_INVALID : r->failed;
    size_t regime = regime_index(r, res->regime);
    if (!result_valid(res, regime))
        return DX_ERR_INVALID; /* refused, nothing written: the report stays usable */
    dx_status st = r->xlsx ? dx_wb_result(r->xlsx, res, regime) : DX_OK;
    if (st == DX_OK)
        st = dx_lines_result(&r->json, res);
    if (st == DX_OK)
        st = dx_lines_result(&r->csv, res);
    return fail(r, st);
}

dx_status dx_report_add_subject(dx_report *r, const dx_subject_summary *s)
{
    if (r->failed != DX_OK || r->closed)
        return r->closed ? DX_ERR_INVALID : r->failed;
    if (s->worst_determination > DX_DET_NEEDS_REVIEW || s->worst_severity > DX_FSEV_INFO)
        return DX_ERR_INVALID;
    dx_status st = r->xlsx ? dx_wb_subject(r->xlsx, s) : DX_OK;
    if (st == DX_OK)
        st = dx_lines_subject(&r->json, s);
    if (st == DX_OK)
        st = dx_lines_subject(&r->csv, s);
    return fail(r, st);
}

dx_status dx_report_add_issue(dx_report *r, const dx_diag *issue)
{
    if (r->failed != DX_OK || r->closed)
        return r->closed ? DX_ERR_INVALID : r->failed;
    return fail(r, r->xlsx ? dx_wb_issue(r->xlsx, issue) : DX_OK);
}

dx_status dx_report_close(dx_report *r)
{
    if (r->closed)
        return DX_ERR_INVALID;
    r->closed = 1;
    dx_status st = r->failed;
    if (st == DX_OK && r->xlsx)
        st = dx_wb_finish(r->xlsx, r->diags);
    if (st == DX_OK)
        st = dx_lines_sync(&r->json, r->diags);
    if (st == DX_OK)
        st = dx_lines_sync(&r->csv, r->diags);
    if (st == DX_OK && r->xlsx)
        st = dx_wb_rename(r->xlsx, r->diags);
    if (st == DX_OK)
        st = dx_lines_rename(&r->json, r->diags);
    if (st == DX_OK)
        st = dx_lines_rename(&r->csv, r->diags);
    return fail(r, st);
}

void dx_report_free(dx_report *r)
{
    if (!r)
        return;
    dx_wb_free(r->xlsx);
    dx_lines_discard(&r->json);
    dx_lines_discard(&r->csv);
    dx_arena_free(&r->arena);
    dx_free(r);
}
