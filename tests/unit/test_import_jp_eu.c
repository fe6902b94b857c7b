/*
 * test_import_jp_eu.c — the importers of control data: 輸出貿易管理令 in e-Gov XML
 * (src/lib/import_jp_export_order.c) and EU Regulation 2021/821 Annex I as JSON
 * (src/lib/import_eu_annex.c).
 *
 * The real files are read from ../shared/data at run time. Counts are checked against
 * independent counts made here from the derived CSVs beside them (their rows counted by a
 * small CSV reader of this file's own) and from the raw bytes; spot checks cover the country
 * tables (Group A, UN arms-embargoed, 別表第四), item 7 (electronics) and 3E001. Small
 * documents built here cover the mapping, a country name that does not resolve, malformed and
 * hostile input (truncated, billion laughs, another law, another format) and allocation
 * failure.
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

#define JP_NAME "324CO0000000378_20260214_507CO0000000376.xml"
#define JP_FILE DX_SHARED_DATA "/controls/jp/" JP_NAME
#define JP_FEFTA DX_SHARED_DATA "/controls/jp/324AC0000000228_20250601_504AC0000000068.xml"
#define JP_ITEMS_CSV DX_SHARED_DATA "/controls/jp/derived/yushutsurei_appended_table_1_20260214.csv"
#define JP_COUNTRIES_CSV \
    DX_SHARED_DATA "/controls/jp/derived/yushutsurei_country_tables_20260214.csv"
#define EU_FILE DX_SHARED_DATA "/controls/eu_dual_use/annex.json"
#define EU_CSV DX_SHARED_DATA "/controls/eu_dual_use/derived/eu_annex_i_paragraphs_20251115.csv"
#define UN_FILE DX_SHARED_DATA "/lists/un_csl/2026-02/UN_consolidated.xml"

static dx_countries *countries;

/* ---- collecting what an importer emits --------------------------------------------------- */

typedef struct got_fact {
    char *type, *value;
    char country[3];
} got_fact;

typedef struct got_entry {
    char *id, *name, *raw, *list_id, *source_url;
    dx_entry_kind kind;
    size_t n_facts;
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
    g->source_url = copy(e->source_url);
    g->kind = e->kind;
    g->facts = calloc(e->n_facts + 1, sizeof *g->facts);
    if (!g->facts)
        return DX_ERR_NOMEM;
    for (size_t i = 0; i < e->n_facts; i++) {
        g->facts[i].type = copy(e->facts[i].type);
        g->facts[i].value = copy(e->facts[i].value);
        memcpy(g->facts[i].country, e->facts[i].country, 3);
    }
    g->n_facts = e->n_facts;
    return DX_OK;
}

static void run_free(run *r)
{
    for (size_t i = 0; i < r->n; i++) {
        got_entry *g = &r->entries[i];
        for (size_t j = 0; j < g->n_facts; j++) {
            free(g->facts[j].type);
            free(g->facts[j].value);
        }
        free(g->facts);
        free(g->id);
        free(g->name);
        free(g->raw);
        free(g->list_id);
        free(g->source_url);
    }
    free(r->entries);
    dx_diags_free(r->diags);
    memset(r, 0, sizeof *r);
}

/* Runs `importer` over `len` bytes as the file `path` (base name `name`) into *r. */
static void run_import(run *r, dx_import_fn importer, const char *path, const char *name,
                       const void *bytes, size_t len)
{
    memset(r, 0, sizeof *r);
    r->st = itu_import(importer, countries, path, name, bytes, len, collect, r, "junk",
                       &r->diags, r->date, &r->seconds);
}

static void run_jp(run *r, const char *name, const char *xml)
{
    run_import(r, dx_import_jp_export_order, name, name, xml, strlen(xml));
}

static void run_eu(run *r, const char *json)
{
    run_import(r, dx_import_eu_annex, "test.json", "test.json", json, strlen(json));
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

/* The value of the first fact of `type`; fails when there is none. */
static const char *fact_value(const got_entry *e, const char *type)
{
    for (size_t i = 0; i < e->n_facts; i++) {
        if (strcmp(e->facts[i].type, type) == 0)
            return e->facts[i].value;
    }
    fail_msg("%s has no %s fact", e->id, type);
    return NULL;
}

/* 1 when the entry has a `country` fact resolved to `alpha2`. */
static int has_country(const got_entry *e, const char *alpha2)
{
    for (size_t i = 0; i < e->n_facts; i++) {
        if (strcmp(e->facts[i].type, "country") == 0 && strcmp(e->facts[i].country, alpha2) == 0)
            return 1;
    }
    return 0;
}

static size_t count_code(const run *r, const char *code)
{
    return itu_count_code(r->diags, code);
}

/* The first diagnostic with `code`; fails when there is none. */
static const dx_diag *diag_of(const run *r, const char *code)
{
    return itu_diag_of(r->diags, code);
}

static size_t count_occurrences(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* ---- an independent reader of the derived CSVs ------------------------------------------ */

/* One record of RFC 4180 CSV at *p (quoted fields may hold commas, quotes and newlines):
 * fields copied into out[0..max) (each malloc'd), their count returned; *p moves past it. */
static size_t csv_record(const char **p, char **out, size_t max)
{
    const char *s = *p;
    size_t n = 0;
    for (;;) {
        size_t cap = 64, len = 0;
        char *field = malloc(cap);
        assert_non_null(field);
        int quoted = *s == '"';
        if (quoted)
            s++;
        while (*s && (quoted || (*s != ',' && *s != '\n' && *s != '\r'))) {
            if (quoted && *s == '"') {
                if (s[1] != '"') {
                    s++;
                    quoted = 0;
                    continue;
                }
                s++;
            }
            if (len + 2 > cap) {
                field = realloc(field, cap *= 2);
                assert_non_null(field);
            }
            field[len++] = *s++;
        }
        field[len] = '\0';
        if (n < max)
            out[n] = field;
        else
            free(field);
        n++;
        if (*s != ',')
            break;
        s++;
    }
    while (*s == '\r' || *s == '\n')
        s++;
    *p = s;
    return n;
}

static void csv_free(char **fields, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(fields[i]);
}

/* The number of lines of `s` (1 + its newlines; 0 for ""). */
static size_t lines_of(const char *s)
{
    return *s ? 1 + count_occurrences(s, "\n") : 0;
}

/* ---- the real files ----------------------------------------------------------------------- */

static unsigned char *jp_bytes, *eu_bytes;
static size_t jp_len, eu_len;
static run jp_real, eu_real;

static int group_setup(void **state)
{
    (void)state;
    if (dx_countries_new(&countries) != DX_OK)
        return -1;
    jp_bytes = itu_read_file(JP_FILE, &jp_len);
    eu_bytes = itu_read_file(EU_FILE, &eu_len);
    run_import(&jp_real, dx_import_jp_export_order, JP_FILE, JP_NAME, jp_bytes, jp_len);
    run_import(&eu_real, dx_import_eu_annex, EU_FILE, "annex.json", eu_bytes, eu_len);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    run_free(&jp_real);
    run_free(&eu_real);
    free(jp_bytes);
    free(eu_bytes);
    dx_countries_free(countries);
    countries = NULL;
    return 0;
}

/* The item entry whose `kou` fact is `kou` ("三の二"); fails when there is none. */
static const got_entry *find_kou(const run *r, const char *kou)
{
    for (size_t i = 0; i < r->n; i++) {
        const got_entry *e = &r->entries[i];
        for (size_t j = 0; j < e->n_facts; j++) {
            if (strcmp(e->facts[j].type, "kou") == 0 && strcmp(e->facts[j].value, kou) == 0)
                return e;
        }
    }
    fail_msg("no item with 項 %s", kou);
    return NULL;
}

/* The goods text of the derived CSV as the builder stores it: white space runs collapsed. */
static void collapse(char *s)
{
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r') {
            space = o > 0;
            continue;
        }
        if (space)
            s[o++] = ' ';
        space = 0;
        s[o++] = s[i];
    }
    s[o] = '\0';
}

static void test_jp_real_items(void **state)
{
    (void)state;
    assert_int_equal(jp_real.st, DX_OK);
    assert_int_equal(dx_diags_count(jp_real.diags), 0);
    assert_string_equal(jp_real.date, "2026-02-14");
    assert_int_equal(jp_real.n, 17 + 3);
    print_message("# 輸出貿易管理令: %zu entries in %.3f s\n", jp_real.n, jp_real.seconds);
    static const char *const ids[] = {"item:1", "item:2", "item:3", "item:3-2", "item:4",
                                      "item:5", "item:6", "item:7", "item:8", "item:9",
                                      "item:10", "item:11", "item:12", "item:13", "item:14",
                                      "item:15", "item:16"};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
        assert_string_equal(jp_real.entries[i].id, ids[i]); /* in the statute's order */

    /* the derived CSV, read independently: one row per 項, goods one sub-item per line */
    size_t len;
    char *csv = (char *)itu_read_file(JP_ITEMS_CSV, &len);
    const char *p = csv;
    char *f[3];
    assert_int_equal(csv_record(&p, f, 3), 3);
    csv_free(f, 3);
    size_t rows = 0, subitems = 0, exact = 0;
    while (*p) {
        assert_int_equal(csv_record(&p, f, 3), 3);
        const got_entry *e = find_kou(&jp_real, f[0]);
        assert_int_equal(facts_of(e, "subitem"), lines_of(f[1]));
        assert_string_equal(fact_value(e, "destination"), f[2]);
        subitems += lines_of(f[1]);
        /* the CSV keeps ruby readings (燐りん) that the importer leaves out */
        collapse(f[1]);
        exact += strcmp(fact_value(e, "goods"), f[1]) == 0;
        csv_free(f, 3);
        rows++;
    }
    free(csv);
    assert_int_equal(rows, 17);
    assert_int_equal(subitems, 18 + 70 + 14 + 13 + 46 + 21 + 17 + 33 + 1 + 16 + 19 + 7 + 11 + 7 +
                                   11 + 12 + 14);
    assert_true(exact >= 14);
    print_message("# 別表第一: %zu items, %zu sub-item sentences, %zu goods texts equal to the "
                  "derived CSV's\n", rows, subitems, exact);
}

static void test_jp_real_item_content(void **state)
{
    (void)state;
    const got_entry *e = find_entry(&jp_real, "item:7");
    assert_string_equal(e->list_id, "jp_export_order");
    assert_int_equal(e->kind, DX_ENTRY_UNKNOWN);
    assert_string_equal(e->name, "輸出貿易管理令別表第一の七の項");
    assert_string_equal(fact_value(e, "kou"), "七");
    assert_non_null(strstr(fact_value(e, "goods"), "集積回路"));
    assert_non_null(strstr(fact_value(e, "goods"), "半導体"));
    assert_string_equal(fact_value(e, "subitem"), "次に掲げる貨物であつて、経済産業省令で定める仕様のもの");
    assert_string_equal(fact_value(e, "destination"), "全地域");
    assert_non_null(strstr(e->raw, "\"kou\":\"七\""));
    assert_non_null(strstr(e->raw, "\"goods_text\":"));

    assert_string_equal(find_entry(&jp_real, "item:3-2")->name,
                        "輸出貿易管理令別表第一の三の二の項");
    assert_string_equal(fact_value(find_entry(&jp_real, "item:10"), "kou"), "一〇");
    assert_non_null(strstr(fact_value(find_entry(&jp_real, "item:1"), "subitem"), "銃砲"));
    assert_string_equal(fact_value(find_entry(&jp_real, "item:16"), "destination"),
                        "全地域（別表第三に掲げる地域を除く。）");
    /* ruby readings (<Rt>) are not part of the text */
    size_t with_reading = 0, plain = 0;
    for (size_t i = 0; i < 17; i++) {
        with_reading += strstr(fact_value(&jp_real.entries[i], "goods"), "燐りん") != NULL;
        plain += strstr(fact_value(&jp_real.entries[i], "goods"), "燐、砒素") != NULL;
    }
    assert_int_equal(with_reading, 0);
    assert_true(plain >= 1);
}

static void test_jp_real_country_sets(void **state)
{
    (void)state;
    static const struct { const char *table, *id; size_t count; } sets[] = {
        {"別表第三", "set:group_a", 27},
        {"別表第三の二", "set:appendix_3_2", 10},
        {"別表第四", "set:appendix_4", 3},
    };
    size_t len;
    char *csv = (char *)itu_read_file(JP_COUNTRIES_CSV, &len);
    for (size_t s = 0; s < 3; s++) {
        const got_entry *e = find_entry(&jp_real, sets[s].id);
        assert_string_equal(e->name, sets[s].table);
        assert_int_equal(facts_of(e, "country"), sets[s].count);
        for (size_t i = 0; i < e->n_facts; i++)
            assert_int_equal(strlen(e->facts[i].country), 2); /* every name resolved */
        /* independently: the rows of the derived CSV for this table */
        const char *p = csv;
        char *f[3];
        size_t rows = 0;
        csv_free(f, csv_record(&p, f, 3));
        while (*p) {
            assert_int_equal(csv_record(&p, f, 3), 3);
            if (strcmp(f[0], sets[s].table) == 0) {
                int listed = 0;
                for (size_t i = 0; i < e->n_facts; i++)
                    listed |= strcmp(e->facts[i].value, f[2]) == 0;
                assert_true(listed);
                rows++;
            }
            csv_free(f, 3);
        }
        assert_int_equal(rows, sets[s].count);
    }
    free(csv);

    const got_entry *a = find_entry(&jp_real, "set:group_a");
    static const char *const group_a[] = {"AR", "AU", "AT", "BE", "BG", "CA", "CZ", "DK", "FI",
                                          "FR", "DE", "GR", "HU", "IE", "IT", "KR", "LU", "NL",
                                          "NZ", "NO", "PL", "PT", "ES", "SE", "CH", "GB", "US"};
    for (size_t i = 0; i < 27; i++)
        assert_true(has_country(a, group_a[i]));
    assert_false(has_country(a, "CN"));
    assert_false(has_country(a, "JP"));
    assert_non_null(strstr(a->raw, "（第四条関係）"));
    const got_entry *e32 = find_entry(&jp_real, "set:appendix_3_2");
    static const char *const embargoed[] = {"AF", "CF", "CD", "IQ", "LB", "LY", "KP", "SO",
                                            "SS", "SD"};
    for (size_t i = 0; i < 10; i++)
        assert_true(has_country(e32, embargoed[i]));
    const got_entry *e4 = find_entry(&jp_real, "set:appendix_4");
    assert_true(has_country(e4, "IR") && has_country(e4, "IQ") && has_country(e4, "KP"));
    assert_false(has_country(e4, "SY"));
}

/* ---- small 輸出貿易管理令 documents --------------------------------------------------------- */

#define JP_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Law Lang=\"ja\"><LawNum>x</LawNum>" \
    "<LawBody><LawTitle Kana=\"x\">輸出貿易管理令</LawTitle>\n"
#define JP_TAIL "</LawBody></Law>\n"
#define JP_ROW(kou, goods, dest) \
    "<TableRow><TableColumn><Sentence>" kou "</Sentence></TableColumn>" \
    "<TableColumn>" goods "</TableColumn><TableColumn><Sentence>" dest "</Sentence></TableColumn>" \
    "</TableRow>\n"
#define JP_ITEMS(rows) \
    "<AppdxTable><AppdxTableTitle>別表第一</AppdxTableTitle><TableStruct><Table>" \
    JP_ROW("　", "<Sentence>貨物</Sentence>", "地域") rows "</Table></TableStruct></AppdxTable>\n"
#define JP_SET(title, text) "<AppdxTable><AppdxTableTitle>" title "</AppdxTableTitle>" \
    "<RelatedArticleNum>（第四条関係）</RelatedArticleNum><Item Num=\"1\"><ItemSentence>" \
    "<Sentence>" text "</Sentence></ItemSentence></Item></AppdxTable>\n"
#define JP_SETS JP_SET("別表第三", "アメリカ合衆国、英国") JP_SET("別表第三の二", "北朝鮮") \
    JP_SET("別表第四", "イラン")

static const char jp_small[] =
    JP_HEAD "<MainProvision><Article><Sentence>本則</Sentence></Article></MainProvision>\n"
    JP_ITEMS(JP_ROW("一", "<Sentence>（一）　銃砲</Sentence><Sentence>（二）　<Ruby>燐<Rt>りん"
                          "</Rt></Ruby>の化合物</Sentence>", "全地域")
             JP_ROW("三の二", "<Sentence>生物</Sentence>", "全地域")
             JP_ROW("十六", "<Sentence>その他</Sentence>", "全地域（別表第三に掲げる地域を除く。）"))
    JP_SET("別表第二", "無視される表") JP_SET("別表第三", "アメリカ合衆国、英国、ナルニア国。")
    JP_SET("別表第三の二", "北朝鮮") JP_SET("別表第四", "イラン、イラク") JP_TAIL;

static void test_jp_small(void **state)
{
    (void)state;
    run r;
    run_jp(&r, JP_NAME, jp_small);
    assert_int_equal(r.st, DX_OK);
    assert_string_equal(r.date, "2026-02-14");
    assert_int_equal(r.n, 6);
    const got_entry *e = find_entry(&r, "item:1");
    assert_string_equal(e->name, "輸出貿易管理令別表第一の一の項");
    assert_int_equal(facts_of(e, "subitem"), 2);
    assert_string_equal(fact_value(e, "goods"), "（一）　銃砲 （二）　燐の化合物");
    assert_string_equal(fact_value(find_entry(&r, "item:3-2"), "goods"), "生物");
    assert_string_equal(find_entry(&r, "item:16")->name, "輸出貿易管理令別表第一の十六の項");
    /* a name that does not resolve: kept without a code, and a warning naming it */
    const got_entry *a = find_entry(&r, "set:group_a");
    assert_int_equal(facts_of(a, "country"), 3);
    assert_true(has_country(a, "US") && has_country(a, "GB"));
    assert_string_equal(a->facts[2].value, "ナルニア国");
    assert_string_equal(a->facts[2].country, "");
    assert_int_equal(dx_diags_count(r.diags), 1);
    const dx_diag *d = diag_of(&r, "jp.unknown-country");
    assert_int_equal(d->severity, DX_SEV_WARNING);
    assert_non_null(strstr(d->message, "ナルニア国"));
    assert_int_equal(d->line, 10);
    run_free(&r);

    /* a file name without e-Gov's date: no date, a warning */
    run_jp(&r, "export_order.xml", jp_small);
    assert_int_equal(r.st, DX_OK);
    assert_string_equal(r.date, "");
    assert_int_equal(count_code(&r, "jp.no-date"), 1);
    run_free(&r);
}

static void test_jp_bad_tables(void **state)
{
    (void)state;
    run r;
    run_jp(&r, "t.xml", JP_HEAD JP_ITEMS(JP_ROW("甲", "<Sentence>x</Sentence>", "全地域")
                                         JP_ROW("二", "<Sentence>x</Sentence>", "全地域")
                                         JP_ROW("二", "<Sentence>y</Sentence>", "全地域")
                                         "<TableRow><TableColumn><Sentence>三</Sentence>"
                                         "</TableColumn></TableRow>")
                       JP_SET("別表第三", "。") JP_TAIL);
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(count_code(&r, "jp.bad-item-number"), 1);
    assert_int_equal(count_code(&r, "jp.duplicate-item"), 1);
    assert_int_equal(count_code(&r, "jp.bad-row"), 1);
    assert_int_equal(count_code(&r, "jp.no-countries"), 1);
    assert_int_equal(count_code(&r, "jp.missing-table"), 2);
    assert_int_equal(diag_of(&r, "jp.bad-item-number")->line, 4);
    assert_non_null(strstr(diag_of(&r, "jp.bad-item-number")->message, "甲"));
    assert_int_equal(diag_of(&r, "jp.duplicate-item")->line, 6);
    run_free(&r);

    run_jp(&r, "t.xml", JP_HEAD JP_ITEMS("") JP_SETS JP_SET("別表第四", "イラン") JP_TAIL);
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(count_code(&r, "jp.no-items"), 1);
    assert_int_equal(count_code(&r, "jp.duplicate-table"), 1);
    run_free(&r);
}

/* A document whose DTD expands one entity to 10^9 "lol"s. */
#define LAUGHS "<?xml version=\"1.0\"?>\n<!DOCTYPE Law [\n<!ENTITY l0 \"lol\">\n" \
    "<!ENTITY l1 \"&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;\">\n" \
    "<!ENTITY l2 \"&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;\">\n" \
    "<!ENTITY l3 \"&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;\">\n" \
    "<!ENTITY l4 \"&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;\">\n" \
    "<!ENTITY l5 \"&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;\">\n" \
    "<!ENTITY l6 \"&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;\">\n" \
    "<!ENTITY l7 \"&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;\">\n" \
    "<!ENTITY l8 \"&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;\">\n" \
    "<!ENTITY l9 \"&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;\">]>\n" \
    "<Law><LawBody><LawTitle>&l9;</LawTitle></LawBody></Law>\n"

static void test_jp_hostile(void **state)
{
    (void)state;
    static const char *const docs[] = {
        LAUGHS,
        "<?xml version=\"1.0\"?>\n<!-- c -->\n<!DOCTYPE Law [<!ENTITY x SYSTEM "
        "\"file:///etc/passwd\">]>\n<Law><LawBody><LawTitle>&x;</LawTitle></LawBody></Law>",
    };
    static const unsigned long lines[] = {2, 3};
    for (size_t i = 0; i < 2; i++) {
        run r;
        run_jp(&r, "t.xml", docs[i]);
        assert_int_equal(r.st, DX_ERR_INPUT);
        assert_int_equal(r.n, 0);
        assert_int_equal(dx_diags_count(r.diags), 1);
        assert_int_equal(diag_of(&r, "jp.dtd")->line, lines[i]);
        assert_true(r.seconds < 1.0);
        run_free(&r);
    }
    /* UTF-16 would hide a DOCTYPE from a byte scan: refused for its encoding */
    static const char wide[] = "\xFF\xFE<\0L\0a\0w\0/\0>\0";
    run r;
    run_import(&r, dx_import_jp_export_order, "w.xml", "w.xml", wide, sizeof wide - 1);
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(diag_of(&r, "jp.encoding")->line, 1);
    run_free(&r);
}

static unsigned long lines_before(const unsigned char *s, size_t len)
{
    unsigned long lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += s[i] == '\n';
    return lines;
}

static void test_jp_truncated(void **state)
{
    (void)state;
    /* cut in the main provisions, then inside 別表第一 */
    const char *table = strstr((const char *)jp_bytes, "<AppdxTable>");
    assert_non_null(table);
    size_t cuts[] = {100 * 1024, (size_t)(table - (const char *)jp_bytes) + 5000};
    for (size_t i = 0; i < 2; i++) {
        run r;
        run_import(&r, dx_import_jp_export_order, "cut.xml", JP_NAME, jp_bytes, cuts[i]);
        assert_int_equal(r.st, DX_ERR_INPUT);
        assert_int_equal(r.n, 0);
        const dx_diag *d = diag_of(&r, "jp.malformed-xml");
        assert_int_equal(d->severity, DX_SEV_ERROR);
        assert_string_equal(d->source, "cut.xml");
        assert_int_equal(d->line, lines_before(jp_bytes, cuts[i]));
        assert_non_null(d->hint);
        assert_string_equal(r.date, "");
        run_free(&r);
    }
}

static void test_jp_wrong_input(void **state)
{
    (void)state;
    size_t len;
    unsigned char *un = itu_read_file(UN_FILE, &len);
    run r;
    run_import(&r, dx_import_jp_export_order, "un.xml", "un.xml", un, len);
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(dx_diags_count(r.diags), 1);
    const dx_diag *d = diag_of(&r, "jp.wrong-format");
    assert_non_null(strstr(d->message, "<CONSOLIDATED_LIST>"));
    assert_non_null(strstr(d->message, "not an e-Gov law XML"));
    assert_true(d->line >= 2);
    assert_true(r.seconds < 0.5);
    run_free(&r);
    free(un);

    unsigned char *fefta = itu_read_file(JP_FEFTA, &len);
    run_import(&r, dx_import_jp_export_order, JP_FEFTA, "x.xml", fefta, len);
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(r.n, 0);
    d = diag_of(&r, "jp.wrong-law");
    assert_non_null(strstr(d->message, "外国為替及び外国貿易法"));
    assert_int_equal(d->line, 2);
    run_free(&r);
    free(fefta);

    run_import(&r, dx_import_jp_export_order, "annex.json", "annex.json", eu_bytes, eu_len);
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(diag_of(&r, "jp.malformed-xml")->line, 1);
    run_free(&r);

    run_jp(&r, "t.xml", "<?xml version=\"1.0\"?>\n<Law><LawBody/></Law>");
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_non_null(strstr(diag_of(&r, "jp.wrong-format")->message, "LawTitle"));
    run_free(&r);
}

/* ---- EU Annex I ---------------------------------------------------------------------------- */

static void test_eu_real_counts(void **state)
{
    (void)state;
    assert_int_equal(eu_real.st, DX_OK);
    assert_int_equal(dx_diags_count(eu_real.diags), 0);
    assert_string_equal(eu_real.date, "2025-11-15");
    assert_int_equal(eu_real.n, 384);
    print_message("# Annex I: %zu entries in %.3f s\n", eu_real.n, eu_real.seconds);
    /* independently: the "entry_code" keys in the bytes (each element has one) ... */
    assert_int_equal(count_occurrences((const char *)eu_bytes, "\"entry_code\":"), 384);
    /* ... and the derived paragraph CSV: its distinct entry codes, and one row per line of
     * verbatim_text, i.e. per paragraph fact */
    size_t len;
    char *csv = (char *)itu_read_file(EU_CSV, &len);
    const char *p = csv;
    char *f[4];
    assert_int_equal(csv_record(&p, f, 4), 4);
    csv_free(f, 4);
    size_t rows = 0, codes = 0;
    char last[16] = "";
    while (*p) {
        assert_int_equal(csv_record(&p, f, 4), 4);
        if (strcmp(f[0], last) != 0) { /* the CSV is grouped by entry */
            codes++;
            snprintf(last, sizeof last, "%s", f[0]);
            assert_string_equal(fact_value(find_entry(&eu_real, f[0]), "category"), f[1]);
        }
        csv_free(f, 4);
        rows++;
    }
    free(csv);
    size_t paragraphs = 0, per_category[10] = {0};
    for (size_t i = 0; i < eu_real.n; i++) {
        const got_entry *e = &eu_real.entries[i];
        paragraphs += facts_of(e, "paragraph");
        per_category[fact_value(e, "category")[0] - '0']++;
        assert_string_equal(e->source_url,
                            "http://publications.europa.eu/resource/celex/02021R0821-20251115");
    }
    assert_int_equal(codes, 384);
    assert_int_equal(rows, 4222);
    assert_int_equal(paragraphs, rows);
    /* PROVENANCE.md: cat 0:15, 1:93, 2:55, 3:51, 4:13, 5:13, 6:36, 7:37, 8:8, 9:63 */
    static const size_t expected[10] = {15, 93, 55, 51, 13, 13, 36, 37, 8, 63};
    for (int c = 0; c < 10; c++)
        assert_int_equal(per_category[c], expected[c]);
}

static void test_eu_real_entry(void **state)
{
    (void)state;
    const got_entry *e = find_entry(&eu_real, "3E001");
    assert_string_equal(e->list_id, "eu_annex_i");
    assert_int_equal(e->kind, DX_ENTRY_UNKNOWN);
    assert_string_equal(e->name, "\"Technology\" according to the General Technology Note for the "
                                 "\"development\" or \"production\" of equipment or materials "
                                 "specified in 3A, 3B or 3C.");
    assert_string_equal(fact_value(e, "category"), "3");
    assert_int_equal(facts_of(e, "note"), 3);
    assert_int_equal(facts_of(e, "parameter"), 0);
    assert_non_null(strstr(fact_value(e, "paragraph"), "3E001 \"Technology\""));
    assert_non_null(strstr(e->raw, "\"entry_code\":\"3E001\""));
    assert_non_null(strstr(e->raw, "\"applicable_notes\":\"Note 1:"));
    e = find_entry(&eu_real, "0A001");
    assert_string_equal(e->name, "\"Nuclear reactors\" and specially designed or prepared "
                                 "equipment and components therefor, as follows:");
    assert_true(facts_of(e, "paragraph") > 10);
    assert_true(facts_of(e, "parameter") >= 1);
}

#define EU_ENTRY(code, text) "{\"entry_code\": \"" code "\", \"category\": \"3\", " \
    "\"verbatim_text\": \"" text "\", \"parameters\": [], \"applicable_notes\": []}"

static void test_eu_small(void **state)
{
    (void)state;
    run r;
    run_eu(&r, "{\"valid_from\": \"2025-01-02\", \"source_url\": \"http://x\", \"entry_count\": 2,"
               "\n\"entries\": [\n"
               "{\"entry_code\": \"1A001\", \"category\": \"1\", \"verbatim_text\": "
               "\"1A001 Components\\n1A001.a Seals\", \"parameters\": [\"p1\", \"p2\"], "
               "\"applicable_notes\": [\"Note: n\"], \"extra\": {\"k\": [1, 2]}, \"n\": 7},\n"
               EU_ENTRY("2B999", "\\n  \\nHeading without code") "]}");
    assert_int_equal(r.st, DX_OK);
    assert_int_equal(dx_diags_count(r.diags), 0);
    assert_string_equal(r.date, "2025-01-02");
    assert_int_equal(r.n, 2);
    const got_entry *e = find_entry(&r, "1A001");
    assert_string_equal(e->name, "Components");
    assert_int_equal(facts_of(e, "paragraph"), 2);
    assert_int_equal(facts_of(e, "parameter"), 2);
    assert_string_equal(fact_value(e, "note"), "Note: n");
    assert_string_equal(e->source_url, "http://x");
    assert_non_null(strstr(e->raw, "\"parameters\":\"p1\",\"parameters\":\"p2\""));
    assert_non_null(strstr(e->raw, "\"extra\":\"{\\\"k\\\":[1,2]}\""));
    assert_non_null(strstr(e->raw, "\"n\":\"7\""));
    assert_string_equal(find_entry(&r, "2B999")->name, "Heading without code");
    run_free(&r);

    /* no valid_from: a warning, no date */
    run_eu(&r, "{\"entries\": [" EU_ENTRY("3A001", "3A001 x") "]}");
    assert_int_equal(r.st, DX_OK);
    assert_string_equal(r.date, "");
    assert_int_equal(count_code(&r, "eu.no-date"), 1);
    run_free(&r);
}

static void test_eu_errors(void **state)
{
    (void)state;
    run r;
    run_eu(&r, "{\"valid_from\": \"2025-01-02\", \"entry_count\": 9, \"entries\": [\n"
               "7, {\"category\": \"3\"}, " EU_ENTRY("3A001", "3A001 x") ", "
               EU_ENTRY("3A001", "3A001 y") ",\n"
               "{\"entry_code\": \"3A002\", \"parameters\": \"not an array\"},"
               "{\"entry_code\": \"3A003\", \"verbatim_text\": \"3A003 \"}, "
               "{\"entry_code\": \"  \"}]}");
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(count_code(&r, "eu.bad-entry"), 1);
    assert_int_equal(count_code(&r, "eu.missing-code"), 2);
    assert_int_equal(count_code(&r, "eu.duplicate-code"), 1);
    assert_int_equal(count_code(&r, "eu.bad-member"), 1);
    assert_int_equal(count_code(&r, "eu.missing-heading"), 1);
    assert_int_equal(count_code(&r, "eu.count-mismatch"), 1);
    assert_non_null(strstr(diag_of(&r, "eu.duplicate-code")->message, "entries[3]"));
    assert_non_null(strstr(diag_of(&r, "eu.bad-member")->message, "parameters"));
    assert_int_equal(dx_diags_count_severity(r.diags, DX_SEV_ERROR), 7);
    run_free(&r);

    static const char *const wrong[] = {"[1, 2]", "{\"entries\": {}}", "{\"docs\": []}"};
    for (size_t i = 0; i < 3; i++) {
        run_eu(&r, wrong[i]);
        assert_int_equal(r.st, DX_ERR_INPUT);
        assert_int_equal(dx_diags_count(r.diags), 1);
        assert_non_null(strstr(diag_of(&r, "eu.wrong-format")->message, "not the EU Annex I"));
        run_free(&r);
    }

    /* syntax errors with line:column */
    run_eu(&r, "{\"entries\": [],\n \"a\": 1,\n \"a\": 2}");
    assert_int_equal(r.st, DX_ERR_INPUT);
    const dx_diag *d = diag_of(&r, "eu.malformed-json");
    assert_int_equal(d->line, 3);
    assert_true(d->column > 0);
    assert_non_null(strstr(d->message, "duplicate"));
    run_free(&r);

    size_t cut = 5000;
    run_import(&r, dx_import_eu_annex, "cut.json", "annex.json", eu_bytes, cut);
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(r.n, 0);
    d = diag_of(&r, "eu.malformed-json");
    assert_string_equal(d->source, "cut.json");
    assert_int_equal(d->line, lines_before(eu_bytes, cut));
    assert_true(d->column > 0);
    assert_non_null(d->hint);
    run_free(&r);

    /* another format: the XML of 輸出貿易管理令 */
    run_import(&r, dx_import_eu_annex, "x.xml", "x.xml", jp_bytes, jp_len);
    assert_int_equal(r.st, DX_ERR_INPUT);
    d = diag_of(&r, "eu.malformed-json");
    assert_int_equal(d->line, 1);
    assert_int_equal(d->column, 1);
    run_free(&r);
}

/* ---- out of memory -------------------------------------------------------------------------- */

/* Fails the n-th allocation for n = 0, 1, ... until the import ends with `final`: each failure
 * must be DX_ERR_NOMEM. Returns the number of failure points. */
static long sweep(dx_import_fn importer, const char *name, const char *text, dx_status final)
{
    long n = 0;
    for (;; n++) {
        run r;
        memset(&r, 0, sizeof r);
        dx_entry_builder *b = NULL;
        assert_int_equal(dx_diags_new(&r.diags), DX_OK);
        assert_int_equal(dx_entry_builder_new(countries, &b), DX_OK);
        dx_import im = {r.diags, b, collect, &r, countries, "", NULL};
        dx_import_file f = {name, name, (const unsigned char *)text, strlen(text)};
        dx_alloc_fail_after(n);
        dx_status st = importer(&im, &f, 1);
        dx_alloc_fail_after(-1);
        dx_entry_builder_free(b);
        run_free(&r);
        if (st == final)
            break;
        assert_int_equal(st, DX_ERR_NOMEM);
        assert_true(n < 100000);
    }
    return n;
}

static void test_alloc_failure(void **state)
{
    (void)state;
    long a = sweep(dx_import_jp_export_order, JP_NAME, jp_small, DX_OK);
    long b = sweep(dx_import_jp_export_order, "t.xml",
                   JP_HEAD JP_ITEMS(JP_ROW("甲", "<Sentence>x</Sentence>", "全地域")) JP_TAIL,
                   DX_ERR_INPUT);
    long c = sweep(dx_import_eu_annex, "t.json",
                   "{\"valid_from\": \"2025-01-02\", \"entry_count\": 2, \"entries\": ["
                   EU_ENTRY("1A001", "1A001 a\\n1A001.a b") ", "
                   "{\"entry_code\": \"1A002\", \"verbatim_text\": \"x\", \"n\": [1, {}],"
                   "\"parameters\": [\"p\"], \"applicable_notes\": [\"q\"]}]}",
                   DX_OK);
    long d = sweep(dx_import_eu_annex, "t.json",
                   "{\"entries\": [" EU_ENTRY("1A001", "x") ", " EU_ENTRY("1A001", "y") "]}",
                   DX_ERR_INPUT);
    print_message("# allocation failure points: jp %ld and %ld, eu %ld and %ld\n", a, b, c, d);
    assert_true(a > 10 && b > 0 && c > 20 && d > 0);
}

static void test_arguments(void **state)
{
    (void)state;
    dx_import_fn importers[] = {dx_import_jp_export_order, dx_import_eu_annex};
    for (size_t i = 0; i < 2; i++) {
        run r;
        memset(&r, 0, sizeof r);
        dx_entry_builder *b = NULL;
        assert_int_equal(dx_diags_new(&r.diags), DX_OK);
        assert_int_equal(dx_entry_builder_new(countries, &b), DX_OK);
        dx_import im = {r.diags, b, collect, &r, countries, "", NULL};
        dx_import_file f[2] = {{"a", "a", (const unsigned char *)"x", 1},
                               {"b", "b", (const unsigned char *)"x", 1}};
        assert_int_equal(importers[i](&im, f, 0), DX_ERR_INVALID);
        assert_int_equal(importers[i](NULL, f, 1), DX_ERR_INVALID);
        assert_int_equal(importers[i](&im, f, 2), DX_ERR_INPUT);
        f[0].len = 0;
        assert_int_equal(importers[i](&im, f, 1), DX_ERR_INPUT);
        assert_int_equal(dx_diags_count(r.diags), 2);
        assert_int_equal(r.n, 0);
        dx_entry_builder_free(b);
        run_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jp_real_items),
        cmocka_unit_test(test_jp_real_item_content),
        cmocka_unit_test(test_jp_real_country_sets),
        cmocka_unit_test(test_jp_small),
        cmocka_unit_test(test_jp_bad_tables),
        cmocka_unit_test(test_jp_hostile),
        cmocka_unit_test(test_jp_truncated),
        cmocka_unit_test(test_jp_wrong_input),
        cmocka_unit_test(test_eu_real_counts),
        cmocka_unit_test(test_eu_real_entry),
        cmocka_unit_test(test_eu_small),
        cmocka_unit_test(test_eu_errors),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_arguments),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
