/*
 * report_fixture.c — writes the report outputs from a fixture of hand-made results, so that
 * shell tests can drive the writer (dexcheck/report.h) before `dexcheck screen` exists.
 *
 *   report_fixture FIXTURE.jsonl [-o FILE.xlsx] [--json FILE|-] [--csv FILE|-]
 *                  [--sheet-rows N] [--top N] [--abort-after-line N]
 *
 * The fixture is JSON lines; each object has "type": "facts" (first line: run facts, lists,
 * rules, inputs, regimes), "result", "subject" or "issue", and the fields of the matching
 * structure under the same names (enums by their names). --abort-after-line N stops after
 * fixture line N and frees the report without closing it, as a run that fails part way, so
 * that tests can check that the previous outputs are left intact and no temporary remains.
 * Exit status: 0 written, 1 the report failed (the status is printed), 2 usage or fixture error.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dexcheck/report.h"

#define MAX_ITEMS 64

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static unsigned long ulong_of(json_t *o, const char *key)
{
    return (unsigned long)json_integer_value(json_object_get(o, key));
}

static void read_facts(json_t *o, dx_run_facts *f, dx_report_input *inputs,
                       dx_report_list *lists, dx_report_rule *rules, const char **regimes)
{
    f->run_id = str(o, "run_id");
    f->as_of = str(o, "as_of");
    f->user = str(o, "user");
    f->tool_version = str(o, "tool_version");
    f->started_at = str(o, "started_at");
    f->ruleset_hash = str(o, "ruleset_hash");
    f->options = str(o, "options");
    json_t *a, *v;
    size_t i;
    f->inputs = inputs;
    f->lists = lists;
    f->rules = rules;
    json_array_foreach((a = json_object_get(o, "inputs")), i, v) if (i < MAX_ITEMS)
        inputs[f->n_inputs++] = (dx_report_input){str(v, "file"), str(v, "sha256"),
                                                  ulong_of(v, "rows"), ulong_of(v, "rejected")};
    json_array_foreach((a = json_object_get(o, "lists")), i, v) if (i < MAX_ITEMS)
        lists[f->n_lists++] = (dx_report_list){str(v, "list_id"), str(v, "version"),
                                               str(v, "files"), str(v, "sha256"),
                                               str(v, "publication_date"), ulong_of(v, "entries")};
    json_array_foreach((a = json_object_get(o, "rules")), i, v) if (i < MAX_ITEMS)
        rules[f->n_rules++] = (dx_report_rule){str(v, "id"), str(v, "title"), str(v, "basis")};
    if ((a = json_object_get(o, "regimes"))) {
        json_array_foreach(a, i, v) if (i < MAX_ITEMS) regimes[f->n_regimes++] = json_string_value(v);
        f->regimes = regimes;
    }
}

static int read_result(json_t *o, dx_result *r)
{
    memset(r, 0, sizeof *r);
    const char *kind = str(o, "kind"), *det = str(o, "determination"),
               *sev = str(o, "severity"), *disp = str(o, "disposition");
    if (kind && dx_result_kind_parse(kind, &r->kind) != DX_OK)
        return 0;
    if ((det && dx_determination_parse(det, &r->determination) != DX_OK) ||
        (sev && dx_finding_severity_parse(sev, &r->severity) != DX_OK) ||
        (disp && dx_disposition_parse(disp, &r->disposition) != DX_OK))
        return 0;
    static const char *const keys[] = {"finding_id", "rule", "regime", "subject_type",
        "subject_id", "subject_name", "tech_id", "project_id", "basis", "reason", "channel",
        "list", "entry_id", "entry_name", "matched_name", "explanation", "reviewer",
        "review_date", "license_id", "note"};
    const char **fields[] = {&r->finding_id, &r->rule, &r->regime, &r->subject_type,
        &r->subject_id, &r->subject_name, &r->tech_id, &r->project_id, &r->basis, &r->reason,
        &r->channel, &r->list, &r->entry_id, &r->entry_name, &r->matched_name,
        &r->explanation, &r->reviewer, &r->review_date, &r->license_id, &r->note};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        *fields[i] = str(o, keys[i]);
    json_t *score = json_object_get(o, "score");
    r->score = score ? json_number_value(score) : -1;
    r->cleared = json_is_true(json_object_get(o, "cleared"));
    json_t *attention = json_object_get(o, "needs_attention");
    r->needs_attention = attention ? json_is_true(attention) : dx_result_needs_attention(r);
    return 1;
}

static int read_subject(json_t *o, dx_subject_summary *s)
{
    memset(s, 0, sizeof *s);
    const char *det = str(o, "worst_determination"), *sev = str(o, "worst_severity");
    if ((det && dx_determination_parse(det, &s->worst_determination) != DX_OK) ||
        (sev && dx_finding_severity_parse(sev, &s->worst_severity) != DX_OK))
        return 0;
    s->subject_type = str(o, "subject_type");
    s->subject_id = str(o, "subject_id");
    s->subject_name = str(o, "subject_name");
    s->citizenship = str(o, "citizenship");
    s->i129_part6 = str(o, "i129_part6");
    s->reason = str(o, "reason");
    s->needs_attention = json_is_true(json_object_get(o, "needs_attention"));
    return 1;
}

static dx_status add_line(dx_report *rep, json_t *o)
{
    const char *type = str(o, "type");
    if (type && strcmp(type, "result") == 0) {
        dx_result r;
        return read_result(o, &r) ? dx_report_add_result(rep, &r) : DX_ERR_INVALID;
    }
    if (type && strcmp(type, "subject") == 0) {
        dx_subject_summary s;
        return read_subject(o, &s) ? dx_report_add_subject(rep, &s) : DX_ERR_INVALID;
    }
    if (type && strcmp(type, "issue") == 0) {
        const char *sev = str(o, "severity");
        dx_diag d = {sev && strcmp(sev, "error") == 0 ? DX_SEV_ERROR
                     : sev && strcmp(sev, "note") == 0 ? DX_SEV_NOTE : DX_SEV_WARNING,
                     str(o, "file"), ulong_of(o, "line"), ulong_of(o, "column"),
                     str(o, "code") ? str(o, "code") : "", str(o, "problem"), str(o, "hint"),
                     NULL};
        return dx_report_add_issue(rep, &d);
    }
    return DX_ERR_INVALID;
}

static FILE *stream_for(const char **path)
{
    if (*path && strcmp(*path, "-") == 0) {
        *path = NULL;
        return stdout;
    }
    return NULL;
}

/* Options into *opt; 0 on success, else a usage message was printed. */
static int parse_args(int argc, char **argv, dx_report_options *opt, unsigned long *abort_after)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            return fprintf(stderr, "report_fixture: %s needs a value\n", a), 1;
        i++;
        if (strcmp(a, "-o") == 0) opt->xlsx_path = v;
        else if (strcmp(a, "--json") == 0) opt->json_path = v;
        else if (strcmp(a, "--csv") == 0) opt->csv_path = v;
        else if (strcmp(a, "--sheet-rows") == 0) opt->sheet_rows = strtoul(v, NULL, 10);
        else if (strcmp(a, "--abort-after-line") == 0) *abort_after = strtoul(v, NULL, 10);
        else if (strcmp(a, "--top") == 0) opt->attention_top = strtoul(v, NULL, 10);
        else return fprintf(stderr, "report_fixture: unknown option %s\n", a), 1;
    }
    opt->json_stream = stream_for(&opt->json_path);
    opt->csv_stream = stream_for(&opt->csv_path);
    return 0;
}

/* Add the fixture's lines after the facts; stops at the first error or after line
 * `abort_after` (0: never). */
static dx_status add_lines(dx_report *rep, FILE *fp, const char *name, unsigned long abort_after)
{
    char line[65536];
    unsigned long n = 1;
    dx_status st = DX_OK;
    json_error_t err;
    while (st == DX_OK && fgets(line, sizeof line, fp)) {
        if (++n > abort_after && abort_after)
            return DX_ERR_INTERNAL;
        if (line[0] == '\n' || line[0] == '#')
            continue;
        json_t *o = json_loads(line, 0, &err);
        st = o ? add_line(rep, o) : DX_ERR_INVALID;
        if (st != DX_OK)
            fprintf(stderr, "%s:%lu: %s\n", name, n, dx_status_str(st));
        json_decref(o);
    }
    return st;
}

int main(int argc, char **argv)
{
    dx_report_options opt = {0};
    unsigned long abort_after = 0;
    if (argc < 2)
        return fprintf(stderr, "usage: report_fixture FIXTURE.jsonl [options]\n"), 2;
    if (parse_args(argc, argv, &opt, &abort_after) != 0)
        return 2;
    FILE *fp = fopen(argv[1], "r");
    if (!fp)
        return fprintf(stderr, "report_fixture: cannot open %s\n", argv[1]), 2;
    char line[65536];
    json_error_t err;
    json_t *facts_json = fgets(line, sizeof line, fp) ? json_loads(line, 0, &err) : NULL;
    if (!facts_json || !str(facts_json, "type") || strcmp(str(facts_json, "type"), "facts") != 0)
        return fprintf(stderr, "report_fixture: the first line must be the facts\n"), 2;
    dx_run_facts facts = {0};
    dx_report_input inputs[MAX_ITEMS];
    dx_report_list lists[MAX_ITEMS];
    dx_report_rule rules[MAX_ITEMS];
    const char *regimes[MAX_ITEMS];
    read_facts(facts_json, &facts, inputs, lists, rules, regimes);
    dx_diags *diags = NULL;
    dx_report *rep = NULL;
    dx_status st = dx_diags_new(&diags);
    if (st == DX_OK)
        st = dx_report_open(&rep, &opt, &facts, diags);
    if (st == DX_OK)
        st = add_lines(rep, fp, argv[1], abort_after);
    if (st == DX_OK)
        st = dx_report_close(rep);
    for (size_t i = 0; diags && i < dx_diags_count(diags); i++)
        fprintf(stderr, "%s: %s\n", dx_diags_get(diags, i)->source, dx_diags_get(diags, i)->message);
    dx_report_free(rep);
    dx_diags_free(diags);
    json_decref(facts_json);
    fclose(fp);
    if (st != DX_OK)
        fprintf(stderr, "report_fixture: %s\n", dx_status_str(st));
    return st == DX_OK ? 0 : 1;
}
