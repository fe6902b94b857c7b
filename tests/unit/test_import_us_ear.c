/*
 * test_import_us_ear.c — the U.S. EAR control-data importers (src/lib/import_us_ear.c).
 *
 * The four real files (eCFR 2026-07-23) are read from ../shared/data at run time: entry
 * counts (per CCL category, per Country Group), the publication date, how the chart's and
 * the groups' country spellings reconcile to ISO codes, and spot checks of 3E001, 9E515,
 * China, Germany, Iran, TSR. Small documents built here cover the mapping in detail, the
 * wrong file, truncated JSON, duplicate keys, wrong types, unknown chart marks, unresolved
 * countries, and allocation-failure sweeps.
 */
#include "import_testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "dexcheck/diag.h"
#include "entry.h"
#include "import.h"

#define EAR_DIR DX_SHARED_DATA "/controls/us_ear/"
#define CCL_FILE EAR_DIR "ccl.json"
#define CHART_FILE EAR_DIR "country-chart.json"
#define GROUPS_FILE EAR_DIR "country-groups.json"
#define EXCEPTIONS_FILE EAR_DIR "license-exception-catalog.json"

static dx_countries *countries;

/* ---- collecting what the importer emits ------------------------------------------------ */

typedef struct got_fact {
    char *type, *value;
    char country[3];
} got_fact;

typedef struct got_entry {
    char *id, *name, *raw, *list_id;
    dx_entry_kind kind;
    size_t n_names, n_facts;
    char **names;
    dx_name_kind *name_kinds;
    got_fact *facts;
} got_entry;

typedef struct run {
    dx_status st;
    dx_diags *diags;
    got_entry *entries;
    size_t n, cap;
    char date[11];
    double seconds;
} run;

static char *copy(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* The emit callback: a deep copy of each entry (entries are borrowed for the call only). */
static dx_status collect(void *ctx, const dx_entry *e)
{
    run *r = ctx;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        got_entry *grown = realloc(r->entries, cap * sizeof *grown);
        if (!grown)
            return DX_ERR_NOMEM;
        r->entries = grown;
        r->cap = cap;
    }
    got_entry *g = &r->entries[r->n++];
    memset(g, 0, sizeof *g);
    g->id = copy(e->entry_id);
    g->name = copy(e->name);
    g->raw = copy(e->raw);
    g->list_id = copy(e->list_id);
    g->kind = e->kind;
    g->names = calloc(e->n_names + 1, sizeof *g->names);
    g->name_kinds = calloc(e->n_names + 1, sizeof *g->name_kinds);
    g->facts = calloc(e->n_facts + 1, sizeof *g->facts);
    if (!g->names || !g->name_kinds || !g->facts)
        return DX_ERR_NOMEM;
    for (size_t i = 0; i < e->n_names; i++) {
        g->names[i] = copy(e->names[i].text);
        g->name_kinds[i] = e->names[i].kind;
    }
    for (size_t i = 0; i < e->n_facts; i++) {
        g->facts[i].type = copy(e->facts[i].type);
        g->facts[i].value = copy(e->facts[i].value);
        memcpy(g->facts[i].country, e->facts[i].country, 3);
    }
    g->n_names = e->n_names;
    g->n_facts = e->n_facts;
    return DX_OK;
}

static void run_free(run *r)
{
    for (size_t i = 0; i < r->n; i++) {
        got_entry *g = &r->entries[i];
        for (size_t j = 0; j < g->n_names; j++)
            free(g->names[j]);
        for (size_t j = 0; j < g->n_facts; j++) {
            free(g->facts[j].type);
            free(g->facts[j].value);
        }
        free(g->names);
        free(g->name_kinds);
        free(g->facts);
        free(g->id);
        free(g->name);
        free(g->raw);
        free(g->list_id);
    }
    free(r->entries);
    dx_diags_free(r->diags);
    memset(r, 0, sizeof *r);
}

/* Imports `len` bytes as the file `path` with `fn` into *r (diagnostics, entries, date, time). */
static void run_import(run *r, dx_import_fn fn, const char *path, const void *bytes, size_t len)
{
    memset(r, 0, sizeof *r);
    const char *slash = strrchr(path, '/');
    r->st = itu_import(fn, countries, path, slash ? slash + 1 : path, bytes, len, collect, r,
                       "junk", &r->diags, r->date, &r->seconds);
}

static void run_text(run *r, dx_import_fn fn, const char *json)
{
    run_import(r, fn, "test.json", json, strlen(json));
}

static void run_file(run *r, dx_import_fn fn, const char *path)
{
    size_t len;
    unsigned char *bytes = itu_read_file(path, &len);
    run_import(r, fn, path, bytes, len);
    free(bytes);
}

static const got_entry *find_entry(const run *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++) {
        if (r->entries[i].id && strcmp(r->entries[i].id, id) == 0)
            return &r->entries[i];
    }
    fail_msg("no entry %s", id);
    return NULL;
}

static size_t facts_of(const got_entry *e, const char *type)
{
    size_t n = 0;
    for (size_t i = 0; i < e->n_facts; i++)
        n += strcmp(e->facts[i].type, type) == 0;
    return n;
}

/* The fact type = value (NULL when absent). */
static const got_fact *fact_of(const got_entry *e, const char *type, const char *value)
{
    for (size_t i = 0; i < e->n_facts; i++) {
        if (strcmp(e->facts[i].type, type) == 0 && strcmp(e->facts[i].value, value) == 0)
            return &e->facts[i];
    }
    return NULL;
}

static void assert_fact(const got_entry *e, const char *type, const char *value)
{
    if (!fact_of(e, type, value))
        fail_msg("%s has no %s fact \"%s\"", e->id, type, value);
}

/* A fact of `type` whose value starts with `prefix` (NULL when none). */
static const got_fact *fact_prefix(const got_entry *e, const char *type, const char *prefix)
{
    for (size_t i = 0; i < e->n_facts; i++) {
        if (strcmp(e->facts[i].type, type) == 0 &&
            strncmp(e->facts[i].value, prefix, strlen(prefix)) == 0)
            return &e->facts[i];
    }
    return NULL;
}

/* 1 when the group entry has a country fact resolved to `alpha2`. */
static int has_member(const got_entry *group, const char *alpha2)
{
    for (size_t i = 0; i < group->n_facts; i++) {
        if (strcmp(group->facts[i].type, "country") == 0 &&
            strcmp(group->facts[i].country, alpha2) == 0)
            return 1;
    }
    return 0;
}

static size_t count_code(const run *r, const char *code)
{
    return itu_count_code(r->diags, code);
}

static const dx_diag *first_code(const run *r, const char *code)
{
    return itu_diag_of(r->diags, code);
}

/* Every emitted entry has the list id, an id, a primary name first, and raw JSON. */
static void assert_well_formed(const run *r, const char *list_id)
{
    for (size_t i = 0; i < r->n; i++) {
        const got_entry *e = &r->entries[i];
        assert_string_equal(e->list_id, list_id);
        assert_non_null(e->id);
        assert_non_null(e->name);
        assert_true(e->n_names > 0);
        assert_int_equal(e->name_kinds[0], DX_NAME_PRIMARY);
        assert_string_equal(e->names[0], e->name);
        assert_int_equal(e->kind, DX_ENTRY_UNKNOWN);
        assert_non_null(e->raw);
        assert_int_equal(e->raw[0], '{');
    }
}

/* ---- the real files ----------------------------------------------------------------------- */

static run ccl, chart, groups, exceptions;

static int group_setup(void **state)
{
    (void)state;
    if (dx_countries_new(&countries) != DX_OK)
        return -1;
    run_file(&ccl, dx_import_us_ccl, CCL_FILE);
    run_file(&chart, dx_import_us_country_chart, CHART_FILE);
    run_file(&groups, dx_import_us_country_groups, GROUPS_FILE);
    run_file(&exceptions, dx_import_us_license_exceptions, EXCEPTIONS_FILE);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    run_free(&ccl);
    run_free(&chart);
    run_free(&groups);
    run_free(&exceptions);
    dx_countries_free(countries);
    countries = NULL;
    return 0;
}

static void test_ccl_counts(void **state)
{
    (void)state;
    assert_int_equal(ccl.st, DX_OK);
    assert_int_equal(dx_diags_count(ccl.diags), 0);
    assert_string_equal(ccl.date, "2026-07-23");
    assert_int_equal(ccl.n, 633);
    assert_well_formed(&ccl, "us_ccl");
    static const size_t per_category[10] = {61, 136, 88, 76, 24, 25, 60, 46, 21, 96};
    size_t counted[10] = {0}, with_columns = 0;
    for (size_t i = 0; i < ccl.n; i++) {
        const got_entry *e = &ccl.entries[i];
        assert_int_equal(facts_of(e, "category"), 1);
        assert_int_equal(facts_of(e, "product_group"), 1);
        const char *cat = e->facts[0].value;
        assert_string_equal(e->facts[0].type, "category");
        assert_true(cat[0] >= '0' && cat[0] <= '9' && cat[1] == '\0');
        assert_int_equal(e->id[0], cat[0]);
        counted[cat[0] - '0']++;
        with_columns += facts_of(e, "chart_column") > 0;
    }
    for (int c = 0; c < 10; c++)
        assert_int_equal(counted[c], per_category[c]);
    /* as derived/ccl_eccn_index_20260723.csv: 80 of 633 name no chart column (PROVENANCE.md
     * says 37, which the CSV itself does not bear out) */
    assert_int_equal(with_columns, 633 - 80);
    print_message("# us_ccl: %zu entries in %.3f s\n", ccl.n, ccl.seconds);
}

static void test_ccl_3e001(void **state)
{
    (void)state;
    const got_entry *e = find_entry(&ccl, "3E001");
    const char *heading = "\xE2\x80\x9CTechnology\xE2\x80\x9D according to the General "
                          "Technology Note for the \xE2\x80\x9C" "development\xE2\x80\x9D or "
                          "\xE2\x80\x9Cproduction\xE2\x80\x9D of commodities controlled by 3A";
    assert_memory_equal(e->name, heading, strlen(heading));
    assert_fact(e, "category", "3");
    assert_fact(e, "product_group", "E");
    /* this file's 3E001 names NS Column 1 and AT Column 1, reasons "NS, AT" */
    assert_int_equal(facts_of(e, "chart_column"), 2);
    assert_fact(e, "chart_column", "NS1");
    assert_fact(e, "chart_column", "AT1");
    assert_fact(e, "chart_scope", "NS1|NS applies to entire entry");
    assert_fact(e, "chart_scope", "AT1|AT applies to entire entry");
    assert_int_equal(facts_of(e, "reason"), 2);
    assert_fact(e, "reason", "NS");
    assert_fact(e, "reason", "AT");
    assert_fact(e, "license_exception", "TSR|Yes"); /* the file's flag; the heading has more */
    assert_non_null(strstr(e->raw, "\"eccn\":\"3E001\""));
    /* raw: strings as they are, other members as their JSON text (escaped as a string) */
    assert_non_null(strstr(e->raw, "\"countryChart\":\"[{\\\"control\\\":\\\"NS applies"));
}

static void test_ccl_9e515(void **state)
{
    (void)state;
    const got_entry *e = find_entry(&ccl, "9E515");
    assert_int_equal(facts_of(e, "reason"), 4);
    assert_fact(e, "reason", "NS");
    assert_fact(e, "reason", "MT");
    assert_fact(e, "reason", "RS");
    assert_fact(e, "reason", "AT");
    assert_int_equal(facts_of(e, "chart_column"), 6);
    static const char *const cols[] = {"NS1", "RS1", "MT1", "NS2", "RS2", "AT1"};
    for (size_t i = 0; i < 6; i++)
        assert_fact(e, "chart_column", cols[i]);
    assert_int_equal(facts_of(e, "chart_scope"), 6);
    assert_fact(e, "chart_scope", "NS1|NS applies to entire entry except 9E515.x and .y");
    assert_fact(e, "chart_scope", "NS2|NS applies to 9E515.x");
    assert_int_equal(facts_of(e, "chart_other"), 1);
    const got_fact *other = fact_prefix(e, "chart_other", "RS applies to 9E515.y, except to");
    assert_non_null(other);
    assert_non_null(strstr(other->value, "|China, Russia, or Venezuela (see \xC2\xA7 742.6"));
    assert_fact(e, "license_exception", "TSR|N/A");
    assert_non_null(fact_prefix(e, "license_exception", "STA|(1) Paragraph (c)(1)"));
    assert_non_null(fact_prefix(e, "sta_special_conditions", "STA: (1) Paragraph"));
    assert_non_null(fact_prefix(e, "related_controls", "Technical data directly related"));
}

/* The file's odd reason and chart spellings. */
static void test_ccl_odd_cells(void **state)
{
    (void)state;
    const got_entry *e = find_entry(&ccl, "2B004"); /* "NS, MT NP, AT" */
    assert_int_equal(facts_of(e, "reason"), 4);
    assert_fact(e, "reason", "NP");
    e = find_entry(&ccl, "0A977"); /* "CC 1" */
    assert_int_equal(facts_of(e, "reason"), 1);
    assert_fact(e, "reason", "CC");
    e = find_entry(&ccl, "1C992"); /* "AT, RS, foreign policy" */
    assert_fact(e, "reason", "foreign policy");
    assert_int_equal(facts_of(e, "reason"), 3);
    e = find_entry(&ccl, "1C355"); /* "CW, AT." */
    assert_fact(e, "reason", "AT");
    e = find_entry(&ccl, "1C351"); /* "AT applies to entire entry" → "Column 1." */
    assert_fact(e, "chart_scope", "AT1|AT applies to entire entry");
    e = find_entry(&ccl, "0A503"); /* all destinations except Canada; UN */
    assert_int_equal(facts_of(e, "chart_column"), 0);
    assert_int_equal(facts_of(e, "chart_other"), 2);
    assert_int_equal(facts_of(e, "reason"), 2);
}

static void test_chart(void **state)
{
    (void)state;
    assert_int_equal(chart.st, DX_OK);
    assert_int_equal(dx_diags_count_severity(chart.diags, DX_SEV_ERROR), 0);
    assert_int_equal(dx_diags_count_severity(chart.diags, DX_SEV_WARNING), 0);
    assert_string_equal(chart.date, "2026-07-23");
    assert_int_equal(chart.n, 196 + 4);
    assert_well_formed(&chart, "us_country_chart");
    size_t embargoed = 0, two_letter = 0;
    for (size_t i = 0; i < chart.n; i++) {
        embargoed += facts_of(&chart.entries[i], "embargo");
        two_letter += strlen(chart.entries[i].id) == 2;
    }
    assert_int_equal(embargoed, 4);
    /* every destination reconciles: 195 by the lookup, 5 only through the file's aliases */
    assert_int_equal(two_letter, 200);
    assert_int_equal(count_code(&chart, "us_ear.country-alias"), 5);
    for (size_t i = 0; i < dx_diags_count(chart.diags); i++)
        print_message("# %s\n", dx_diags_get(chart.diags, i)->message);
    print_message("# us_country_chart: %zu entries in %.3f s\n", chart.n, chart.seconds);
}

static void test_chart_rows(void **state)
{
    (void)state;
    const got_entry *cn = find_entry(&chart, "CN");
    assert_string_equal(cn->name, "China");
    static const char *const marks[] = {"CB1", "CB2", "CB3", "NP1", "NP2", "NS1",
                                        "NS2", "MT1", "RS1", "RS2", "CC1", "CC3"};
    assert_int_equal(facts_of(cn, "x"), 12);
    for (size_t i = 0; i < 12; i++)
        assert_fact(cn, "x", marks[i]);
    assert_null(fact_of(cn, "x", "AT1"));
    assert_null(fact_of(cn, "x", "FC1"));
    const got_fact *hk = fact_prefix(cn, "territory", "hong kong|BIS removed");
    assert_non_null(hk);
    assert_string_equal(hk->country, "HK");
    const got_entry *de = find_entry(&chart, "DE");
    assert_int_equal(facts_of(de, "x"), 4);
    assert_non_null(fact_prefix(de, "footnote", "3|See \xC2\xA7 742.6(a)(3)"));
    assert_string_equal(find_entry(&chart, "KR")->name, "Korea, South");
    assert_string_equal(find_entry(&chart, "SC")->name, "Seycheles");
    assert_string_equal(find_entry(&chart, "BS")->name, "Bahamas, The");
    assert_non_null(fact_prefix(find_entry(&chart, "CH"), "territory", "liechtenstein|"));
    const got_entry *kp = find_entry(&chart, "KP");
    assert_int_equal(facts_of(kp, "x"), 0);
    assert_non_null(strstr(fact_prefix(kp, "embargo", "See")->value, "742.19"));
    assert_fact(kp, "footnote", "1|See \xC2\xA7 746.1(b) for United Nations Security Council "
                                "Sanctions under the EAR. See \xC2\xA7 746.3 for United Nations "
                                "Security Council-related license requirements for exports and "
                                "reexports to Iraq or transfer within Iraq under the EAR, as "
                                "well as regional stability licensing requirements not included "
                                "in the Country Chart.");
    for (const char *const *c = (const char *const[]){"CU", "IR", "SY", NULL}; *c; c++)
        assert_int_equal(facts_of(find_entry(&chart, *c), "embargo"), 1);
    assert_non_null(strstr(find_entry(&chart, "CU")->raw, "\"table\":\"embargoed\""));
}

static void test_groups(void **state)
{
    (void)state;
    assert_int_equal(groups.st, DX_OK);
    assert_int_equal(dx_diags_count_severity(groups.diags, DX_SEV_ERROR), 0);
    assert_string_equal(groups.date, "2026-07-23");
    assert_int_equal(groups.n, 14);
    assert_well_formed(&groups, "us_country_groups");
    static const struct { const char *id; size_t n; } want[] = {
        {"A:1", 40}, {"A:2", 34}, {"A:3", 42}, {"A:4", 45}, {"A:5", 38}, {"A:6", 8},
        {"B", 173}, {"D:1", 24}, {"D:2", 10}, {"D:3", 36}, {"D:4", 21}, {"D:5", 22},
        {"E:1", 3}, {"E:2", 1},
    };
    size_t unresolved = 0;
    for (size_t i = 0; i < 14; i++) {
        const got_entry *g = find_entry(&groups, want[i].id);
        assert_int_equal(facts_of(g, "country"), want[i].n);
        for (size_t j = 0; j < g->n_facts; j++)
            unresolved += g->facts[j].country[0] == '\0';
    }
    assert_int_equal(unresolved, 0);
    /* "Cote d'lvoire" (lower-case L) reconciles only by reading the l as I, and "Sint Maarten
     * (the Dutch two-fifths of the island of Saint Martin)" only without its parenthesis (the
     * chart file has an alias for it, the groups file none): a warning each */
    assert_int_equal(dx_diags_count_severity(groups.diags, DX_SEV_WARNING), 2);
    assert_int_equal(count_code(&groups, "us_ear.country-repaired"), 2);
    assert_non_null(strstr(first_code(&groups, "us_ear.country-repaired")->message, "lvoire"));
    assert_string_equal(fact_prefix(find_entry(&groups, "B"), "country", "Sint Maarten")->country,
                        "SX");
    assert_int_equal(count_code(&groups, "us_ear.country-alias"), 3);
    const got_fact *ci = fact_of(find_entry(&groups, "B"), "country", "Cote d'lvoire");
    assert_non_null(ci);
    assert_string_equal(ci->country, "CI");
    for (size_t i = 0; i < dx_diags_count(groups.diags); i++)
        print_message("# %s\n", dx_diags_get(groups.diags, i)->message);
    print_message("# us_country_groups: %zu entries in %.3f s\n", groups.n, groups.seconds);
}

static void test_group_members(void **state)
{
    (void)state;
    assert_string_equal(find_entry(&groups, "A:5")->name, "STA-eligible (Tier 1) destinations");
    assert_true(has_member(find_entry(&groups, "A:5"), "DE"));
    assert_true(has_member(find_entry(&groups, "B"), "DE"));
    assert_false(has_member(find_entry(&groups, "D:1"), "DE"));
    assert_true(has_member(find_entry(&groups, "E:1"), "IR"));
    for (const char *const *g = (const char *const[]){"D:2", "D:3", "D:4", "D:5", NULL}; *g; g++)
        assert_true(has_member(find_entry(&groups, *g), "IR"));
    assert_false(has_member(find_entry(&groups, "D:1"), "IR"));
    assert_false(has_member(find_entry(&groups, "B"), "IR"));
    assert_true(has_member(find_entry(&groups, "D:1"), "CN"));
    assert_true(has_member(find_entry(&groups, "D:5"), "CD")); /* "Congo (Democratic Republic of)"*/
    assert_true(has_member(find_entry(&groups, "B"), "BA"));   /* "Bosnia & Herzegovina" */
    assert_false(has_member(find_entry(&groups, "D:5"), "MO")); /* Macau is not in D:5 */
    /* PROVENANCE: Liechtenstein is in no group of this parse */
    for (size_t i = 0; i < groups.n; i++)
        assert_false(has_member(&groups.entries[i], "LI"));
}

static void test_exceptions(void **state)
{
    (void)state;
    assert_int_equal(exceptions.st, DX_OK);
    assert_int_equal(dx_diags_count(exceptions.diags), 0);
    assert_string_equal(exceptions.date, "2026-07-23");
    /* 27 exceptions in the file; §740.8 has two symbols (NAC, ACA): one entry each */
    assert_int_equal(exceptions.n, 28);
    assert_well_formed(&exceptions, "us_license_exceptions");
    const got_entry *tsr = find_entry(&exceptions, "TSR");
    assert_string_equal(tsr->name, "Technology and software under restriction (TSR)");
    assert_fact(tsr, "section", "15 C.F.R. \xC2\xA7 740.6");
    assert_fact(tsr, "section_number", "740.6");
    assert_fact(tsr, "symbol", "TSR");
    assert_fact(tsr, "title", "Technology and software under restriction (TSR)");
    assert_non_null(strstr(tsr->raw, "\"symbols\":\"[\\\"TSR\\\"]\""));
    const got_entry *aca = find_entry(&exceptions, "ACA");
    assert_fact(aca, "section_number", "740.8");
    assert_fact(aca, "symbol", "NAC");
    assert_fact(find_entry(&exceptions, "NAC"), "symbol", "ACA");
    find_entry(&exceptions, "STA");
    find_entry(&exceptions, "LVS");
    print_message("# us_license_exceptions: %zu entries in %.3f s\n", exceptions.n,
                  exceptions.seconds);
}

/* ---- the wrong file, broken JSON ---------------------------------------------------------- */

static void test_wrong_file(void **state)
{
    (void)state;
    static const struct { dx_import_fn fn; const char *path, *looks_like; } cases[] = {
        {dx_import_us_ccl, GROUPS_FILE, "country-groups.json"},
        {dx_import_us_country_chart, CCL_FILE, "ccl.json"},
        {dx_import_us_country_groups, EXCEPTIONS_FILE, "license-exception-catalog.json"},
        {dx_import_us_license_exceptions, CHART_FILE, "country-chart.json"},
    };
    for (size_t i = 0; i < 4; i++) {
        run r;
        run_file(&r, cases[i].fn, cases[i].path);
        assert_int_equal(r.st, DX_ERR_INPUT);
        assert_int_equal(r.n, 0);
        const dx_diag *d = first_code(&r, "us_ear.wrong-file");
        assert_int_equal(d->severity, DX_SEV_ERROR);
        assert_string_equal(d->source, cases[i].path);
        assert_non_null(strstr(d->message, cases[i].looks_like));
        run_free(&r);
    }
    run r;
    run_text(&r, dx_import_us_ccl, "[1, 2]");
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_non_null(strstr(first_code(&r, "us_ear.wrong-file")->message, "\"entries\" array"));
    run_free(&r);
}

static void test_truncated(void **state)
{
    (void)state;
    size_t len;
    unsigned char *bytes = itu_read_file(CCL_FILE, &len);
    run r;
    run_import(&r, dx_import_us_ccl, CCL_FILE, bytes, len / 2);
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(r.n, 0);
    assert_int_equal(dx_diags_count(r.diags), 1);
    const dx_diag *d = first_code(&r, "json.syntax");
    assert_int_equal(d->line, 1); /* ccl.json is one line */
    assert_true(d->column > 500000);
    assert_null(d->source_line);  /* not a 1.2 MB line, nor a cut one with a misplaced caret */
    print_message("# %s:%lu:%lu: %s\n", d->source, d->line, d->column, d->message);
    run_free(&r);
    free(bytes);

    run_text(&r, dx_import_us_country_groups, "{\"groups\": {\"B\": [\"Chad\",\n \"Mali\" }}");
    assert_int_equal(r.st, DX_ERR_INPUT);
    d = first_code(&r, "json.syntax");
    assert_int_equal(d->line, 2);
    assert_true(d->column >= 8);
    assert_string_equal(d->source_line, " \"Mali\" }}");
    run_free(&r);

    run_text(&r, dx_import_us_ccl, "");
    assert_int_equal(r.st, DX_ERR_INPUT);
    first_code(&r, "json.syntax");
    run_free(&r);
}

static void test_duplicate_key(void **state)
{
    (void)state;
    run r;
    run_text(&r, dx_import_us_ccl,
             "{\"entries\": [\n{\"eccn\": \"1A001\", \"heading\": \"a\",\n"
             " \"eccn\": \"1A002\"}]}");
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(r.n, 0);
    const dx_diag *d = first_code(&r, "json.syntax");
    assert_int_equal(d->line, 3);
    assert_non_null(strstr(d->message, "duplicate"));
    run_free(&r);
}

static void test_too_deep(void **state)
{
    (void)state;
    char json[256] = "{\"entries\": [{\"eccn\": \"1A001\", \"heading\": \"h\", \"items\": ";
    size_t n = strlen(json);
    for (int i = 0; i < 20; i++)
        json[n++] = '[';
    for (int i = 0; i < 20; i++)
        json[n++] = ']';
    strcpy(json + n, "}]}");
    run r;
    run_text(&r, dx_import_us_ccl, json);
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(count_code(&r, "json.too-deep"), 1);
    run_free(&r);
}

/* ---- mapping details ---------------------------------------------------------------------- */

static void test_ccl_mapping(void **state)
{
    (void)state;
    run r;
    run_text(&r, dx_import_us_ccl,
             "{\"ecfrIssueDate\": \"2026-01-02\", \"entryCount\": 5, \"entries\": [\n"
             "{\"eccn\": \"1A001\", \"heading\": \"  Gadgets \", \"reasonForControl\": "
             "\"NS, MT and AT, Short supply\", \"countryChart\": [{\"control\": \"NS applies to "
             "entire entry\", \"countryChart\": \"NP Column 1 NS Column 2.\"}, {\"control\": \"NS "
             "applies to 1A001.a\", \"countryChart\": \"NS Column 2\"}], \"licenceExceptionFlags\":"
             " {\"LVS\": \"$500\"}, \"topLevelParagraphs\": {\"a\": \"Widgets\"}, \"extra\": 7},\n"
             "{\"eccn\": \"1A002\"},\n"
             "{\"eccn\": \"1A001\", \"heading\": \"again\"},\n"
             "{\"eccn\": \"1A003\", \"heading\": \"x\", \"countryChart\": {}},\n"
             "{\"eccn\": \"1A004\", \"heading\": \"ok\", \"reasonForControl\": null}]}");
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_string_equal(r.date, "2026-01-02");
    assert_int_equal(r.n, 2);
    const got_entry *e = find_entry(&r, "1A001");
    assert_string_equal(e->name, "Gadgets");
    assert_int_equal(facts_of(e, "reason"), 4);
    assert_fact(e, "reason", "MT");
    assert_fact(e, "reason", "Short supply");
    assert_int_equal(facts_of(e, "chart_column"), 2);
    assert_fact(e, "chart_scope", "NP1|NS applies to entire entry");
    assert_fact(e, "chart_scope", "NS2|NS applies to 1A001.a");
    assert_int_equal(facts_of(e, "chart_scope"), 3);
    assert_fact(e, "license_exception", "LVS|$500");
    assert_fact(e, "paragraph", "a|Widgets");
    assert_non_null(strstr(e->raw, "\"extra\":\"7\""));
    find_entry(&r, "1A004");
    assert_int_equal(count_code(&r, "us_ear.missing-field"), 1);
    assert_int_equal(count_code(&r, "us_ear.duplicate-id"), 1);
    assert_int_equal(count_code(&r, "us_ear.type"), 1);
    assert_int_equal(count_code(&r, "us_ear.count-mismatch"), 0);
    run_free(&r);
}

static void test_chart_mapping(void **state)
{
    (void)state;
    run r;
    run_text(&r, dx_import_us_country_chart,
             "{\"columns\": [\"NS 1\", \"AT 1\"], \"countryCount\": 4, \"footnotes\": "
             "{\"1\": \"Note one.\"}, \"aliases\": {\"freedonia\": \"Fredonia\"},\n"
             "\"countries\": {\"Japan\": {\"marks\": [\"NS 1\"], \"footnotes\": [1, 9]},\n"
             " \"Atlantis\": {\"marks\": [], \"footnotes\": []},\n"
             " \"Peru\": {\"marks\": [\"XX 1\"]}, \"Chile\": {\"marks\": [\"AT 1\"]},\n"
             " \"Chile \": {\"marks\": []}}}");
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(r.n, 3);
    const got_entry *jp = find_entry(&r, "JP");
    assert_fact(jp, "x", "NS1");
    assert_fact(jp, "footnote", "1|Note one.");
    assert_fact(jp, "footnote", "9|");
    assert_int_equal(count_code(&r, "us_ear.unknown-footnote"), 1);
    assert_string_equal(find_entry(&r, "?:Atlantis")->name, "Atlantis");
    assert_non_null(strstr(first_code(&r, "us_ear.country-unresolved")->message, "Atlantis"));
    assert_int_equal(count_code(&r, "us_ear.unknown-mark"), 1);
    assert_int_equal(count_code(&r, "us_ear.duplicate-id"), 1); /* "Chile " is Chile again */
    assert_int_equal(count_code(&r, "us_ear.count-mismatch"), 1);
    assert_string_equal(r.date, "");
    run_free(&r);
}

static void test_groups_mapping(void **state)
{
    (void)state;
    run r;
    run_text(&r, dx_import_us_country_groups,
             "{\"labels\": {\"X:1\": \"First\"}, \"aliases\": {\"freedonia\": \"Fredonia\"},"
             " \"groups\": {\"X:1\": [\"Fredonia\", \"Bosnia & Herzegovina\", \"Nowhere\"],"
             " \"X:2\": [\"Chad\"], \"X:3\": \"Chad\"}}");
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(r.n, 2);
    const got_entry *g = find_entry(&r, "X:1");
    assert_string_equal(g->name, "First");
    assert_int_equal(facts_of(g, "country"), 3);
    assert_string_equal(fact_of(g, "country", "Bosnia & Herzegovina")->country, "BA");
    assert_string_equal(fact_of(g, "country", "Nowhere")->country, "");
    assert_string_equal(fact_of(g, "country", "Fredonia")->country, "");
    assert_int_equal(count_code(&r, "us_ear.country-unresolved"), 2);
    assert_string_equal(find_entry(&r, "X:2")->name, "X:2");
    assert_int_equal(count_code(&r, "us_ear.no-label"), 1);
    assert_int_equal(count_code(&r, "us_ear.type"), 1);
    run_free(&r);
}

static void test_exceptions_mapping(void **state)
{
    (void)state;
    run r;
    run_text(&r, dx_import_us_license_exceptions,
             "{\"count\": 3, \"exceptions\": [{\"symbols\": [\"AAA\"], \"title\": \"A\"},"
             " {\"symbols\": [], \"title\": \"B\"}, {\"symbols\": [\"CCC\"]},"
             " {\"symbols\": [\"AAA\"], \"title\": \"D\"}, 5]}");
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(r.n, 1);
    assert_string_equal(find_entry(&r, "AAA")->name, "A");
    assert_int_equal(count_code(&r, "us_ear.missing-field"), 2);
    assert_int_equal(count_code(&r, "us_ear.duplicate-id"), 1);
    assert_int_equal(count_code(&r, "us_ear.type"), 1);
    assert_int_equal(count_code(&r, "us_ear.count-mismatch"), 1);
    run_free(&r);
}

/* ---- out of memory ------------------------------------------------------------------------ */

/* Fails the n-th allocation for n = 0, 1, ... until the import returns `final`: each failure
 * must be DX_ERR_NOMEM. jansson's allocations are routed through dx_malloc, so they count. */
static long sweep(dx_import_fn fn, const void *bytes, size_t len, dx_status final)
{
    long n = 0;
    for (;; n++) {
        run r;
        memset(&r, 0, sizeof r);
        dx_entry_builder *b = NULL;
        assert_int_equal(dx_diags_new(&r.diags), DX_OK);
        assert_int_equal(dx_entry_builder_new(countries, &b), DX_OK);
        dx_import im = {r.diags, b, collect, &r, countries, "", NULL};
        dx_import_file f = {"test.json", "test.json", bytes, len};
        dx_alloc_fail_after(n);
        dx_status st = fn(&im, &f, 1);
        dx_alloc_fail_after(-1);
        dx_free(im.meta);
        dx_entry_builder_free(b);
        run_free(&r);
        if (st == final)
            break;
        assert_int_equal(st, DX_ERR_NOMEM);
        assert_true(n < 1000000);
    }
    return n;
}

static void test_alloc_failure(void **state)
{
    (void)state;
    size_t len;
    unsigned char *bytes = itu_read_file(GROUPS_FILE, &len);
    long n = sweep(dx_import_us_country_groups, bytes, len, DX_OK);
    free(bytes);
    assert_true(n > 1000); /* jansson's allocations are counted */
    static const char ccl_doc[] =
        "{\"entries\": [{\"eccn\": \"1A001\", \"heading\": \"h\", \"reasonForControl\": \"NS\","
        " \"countryChart\": [{\"control\": \"NS applies\", \"countryChart\": \"NS Column 1\"},"
        " {\"control\": \"RS\", \"countryChart\": \"worldwide\"}], \"licenceExceptionFlags\":"
        " {\"TSR\": \"Yes\"}, \"items\": [{\"a\": 1}]}, {\"eccn\": \"1A001\"}]}";
    long m = sweep(dx_import_us_ccl, ccl_doc, sizeof ccl_doc - 1, DX_ERR_INPUT);
    static const char chart_doc[] =
        "{\"footnotes\": {\"1\": \"n\"}, \"aliases\": {\"seychelles\": \"Seycheles\"},"
        " \"territoryInheritance\": {\"hong kong\": {\"row\": \"China\", \"basis\": \"b\"}},"
        " \"countries\": {\"China\": {\"marks\": [\"NS 1\"], \"footnotes\": [1]},"
        " \"Seycheles\": {\"marks\": []}, \"Atlantis\": {}},"
        " \"embargoed\": {\"Cuba\": {\"pointer\": \"See part 746\"}}}";
    long c = sweep(dx_import_us_country_chart, chart_doc, sizeof chart_doc - 1, DX_OK);
    static const char exc_doc[] =
        "{\"exceptions\": [{\"section\": \"s\", \"symbols\": [\"NAC\", \"ACA\"],"
        " \"title\": \"t\"}]}";
    long x = sweep(dx_import_us_license_exceptions, exc_doc, sizeof exc_doc - 1, DX_OK);
    static const char broken[] = "{\"groups\": {\"B\": [\"Chad\",";
    long y = sweep(dx_import_us_country_groups, broken, sizeof broken - 1, DX_ERR_INPUT);
    print_message("# allocation failure points: groups file %ld, ccl %ld, chart %ld, "
                  "exceptions %ld, broken %ld\n", n, m, c, x, y);
}

static void test_arguments(void **state)
{
    (void)state;
    dx_diags *diags = NULL;
    dx_entry_builder *b = NULL;
    assert_int_equal(dx_diags_new(&diags), DX_OK);
    assert_int_equal(dx_entry_builder_new(countries, &b), DX_OK);
    run r;
    memset(&r, 0, sizeof r);
    static const char doc[] = "{\"groups\": {}}";
    dx_import im = {diags, b, collect, &r, countries, "", NULL};
    dx_import_file f[2] = {{"a.json", "a.json", (const unsigned char *)doc, sizeof doc - 1},
                           {"b.json", "b.json", (const unsigned char *)doc, sizeof doc - 1}};
    assert_int_equal(dx_import_us_country_groups(&im, f, 0), DX_ERR_INVALID);
    assert_int_equal(dx_import_us_country_groups(NULL, f, 1), DX_ERR_INVALID);
    assert_int_equal(dx_import_us_country_groups(&im, f, 1), DX_OK);
    assert_int_equal(dx_import_us_country_groups(&im, f, 2), DX_ERR_INPUT);
    assert_string_equal(dx_diags_get(diags, 0)->code, "us_ear.extra-file");
    assert_int_equal(r.n, 0);
    dx_free(im.meta);
    dx_entry_builder_free(b);
    dx_diags_free(diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ccl_counts),
        cmocka_unit_test(test_ccl_3e001),
        cmocka_unit_test(test_ccl_9e515),
        cmocka_unit_test(test_ccl_odd_cells),
        cmocka_unit_test(test_chart),
        cmocka_unit_test(test_chart_rows),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_group_members),
        cmocka_unit_test(test_exceptions),
        cmocka_unit_test(test_wrong_file),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_too_deep),
        cmocka_unit_test(test_ccl_mapping),
        cmocka_unit_test(test_chart_mapping),
        cmocka_unit_test(test_groups_mapping),
        cmocka_unit_test(test_exceptions_mapping),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_arguments),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
