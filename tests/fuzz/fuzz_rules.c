/*
 * fuzz_rules.c — libFuzzer target for the rule compiler: the input is one rule file (any
 * bytes). It is compiled against the records' environment; when it compiles, it is also
 * evaluated over a small record set, so the evaluator meets whatever the compiler accepts.
 * Invariants: compile gives DX_OK (with no error diagnostics) or DX_ERR_INPUT (with at least
 * one) or DX_ERR_NOMEM; every diagnostic has a message and, when it has a line, a line within
 * the input; evaluation gives DX_OK; nothing leaks or overflows (ASan, UBSan).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dexcheck.h"
#include "dexcheck/rules.h"
#include "dexcheck/rules_records.h"

static dx_ruleenv *env;
static dx_records *records;

static const char people[] =
    "person_id,full_name,citizenships,jp_entry_date,jp_employed,annual_income,pledge_answer\n"
    "P1,Wang Wei,CN,2026-09-01,no,1000,none\n"
    "P2,Sato,JP,,yes,,\n";
static const char techs[] = "tech_id,project_id,jp_item,public\nT1,PR1,7,no\nT2,PR1,,\n";
static const char projects[] = "project_id,location\nPR1,JP\n";
static const char assignments[] = "subject_id,project_id,access\nP1,PR1,full\nP2,PR1,full\n";
static const char funding[] = "person_id,source,source_type,annual_amount,currency\n"
                              "P1,X,foreign_government,500,\n";

static void setup(void)
{
    dx_diags *d = NULL;
    if (dx_records_ruleenv_new(&env) != DX_OK || dx_diags_new(&d) != DX_OK ||
        dx_records_new(NULL, &records) != DX_OK)
        abort();
    struct {
        dx_record_kind kind;
        const char *text;
    } files[] = {{DX_REC_PEOPLE, people}, {DX_REC_TECHNOLOGIES, techs},
                 {DX_REC_PROJECTS, projects}, {DX_REC_ASSIGNMENTS, assignments},
                 {DX_REC_FUNDING, funding}};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (dx_records_read_buffer(records, files[i].kind, dx_record_kind_file(files[i].kind),
                                   files[i].text, strlen(files[i].text), d) != DX_OK)
            abort();
    if (dx_records_finish(records, d) != DX_OK)
        abort();
    dx_diags_free(d);
}

static dx_status count(void *ud, const dx_records_outcome *o)
{
    if (!o->outcome->reason || !o->outcome->basis)
        abort();
    ++*(size_t *)ud;
    return DX_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!env)
        setup();
    unsigned long lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    dx_diags *diags = NULL;
    if (dx_diags_new(&diags) != DX_OK)
        abort();
    dx_rule_source src = {"fuzz.rules", (const char *)data, size};
    dx_ruleset *rs = NULL;
    dx_status st = dx_ruleset_compile(env, &src, 1, NULL, diags, &rs);
    size_t errors = dx_diags_count_severity(diags, DX_SEV_ERROR);
    if ((st == DX_OK) != (rs != NULL) || (st == DX_OK && errors) ||
        (st == DX_ERR_INPUT && !errors) ||
        (st != DX_OK && st != DX_ERR_INPUT && st != DX_ERR_NOMEM))
        abort();
    for (size_t i = 0; i < dx_diags_count(diags); i++) {
        const dx_diag *d = dx_diags_get(diags, i);
        if (!d->message[0] || d->line > lines)
            abort();
    }
    if (rs) {
        size_t n = 0;
        dx_records_eval_options opt = {.as_of = dx_rdate_from_ymd(2026, 12, 1)};
        if (dx_rules_eval_records(rs, records, &opt, count, &n) != DX_OK)
            abort();
    }
    dx_ruleset_free(rs);
    dx_diags_free(diags);
    return 0;
}
