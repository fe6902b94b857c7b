/*
 * test_import_un.c — the UN Security Council Consolidated List importer (src/lib/import_un.c).
 *
 * The real 2026-02 list is read from ../shared/data at run time: entry counts, the publication
 * date, alias counts against an independent count made with strstr over the raw bytes, and
 * exact spot checks of one individual (QDi.290) and one entity (KPe.002). Small documents
 * built here cover the mapping in detail, hostile input (billion laughs, external entities,
 * in UTF-8 and UTF-16), malformed XML with its line, a document that is not the UN list,
 * entries without a reference, and an allocation-failure sweep.
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

#define UN_FILE DX_SHARED_DATA "/lists/un_csl/2026-02/UN_consolidated.xml"

static dx_countries *countries;

/* ---- collecting what the importer emits ------------------------------------------------ */

typedef struct got_name {
    dx_name_kind kind;
    char *text;
} got_name;

typedef struct got_fact {
    char *type, *value;
    char country[3];
} got_fact;

typedef struct got_entry {
    char *id, *name, *remarks, *start_date, *raw, *list_id;
    dx_entry_kind kind;
    size_t n_names, n_facts;
    got_name *names;
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
    g->remarks = copy(e->remarks);
    g->start_date = copy(e->start_date);
    g->raw = copy(e->raw);
    g->list_id = copy(e->list_id);
    g->kind = e->kind;
    g->names = calloc(e->n_names + 1, sizeof *g->names);
    g->facts = calloc(e->n_facts + 1, sizeof *g->facts);
    if (!g->names || !g->facts)
        return DX_ERR_NOMEM;
    for (size_t i = 0; i < e->n_names; i++)
        g->names[i] = (got_name){e->names[i].kind, copy(e->names[i].text)};
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
            free(g->names[j].text);
        for (size_t j = 0; j < g->n_facts; j++) {
            free(g->facts[j].type);
            free(g->facts[j].value);
        }
        free(g->names);
        free(g->facts);
        free(g->id);
        free(g->name);
        free(g->remarks);
        free(g->start_date);
        free(g->raw);
        free(g->list_id);
    }
    free(r->entries);
    dx_diags_free(r->diags);
    memset(r, 0, sizeof *r);
}

/* Imports `len` bytes as the file `path` into *r (diagnostics, entries, date, time). */
static void run_import(run *r, const char *path, const void *bytes, size_t len)
{
    memset(r, 0, sizeof *r);
    r->st = itu_import(dx_import_un, countries, path, "UN_consolidated.xml", bytes, len, collect,
                       r, "junk", &r->diags, r->date, &r->seconds);
}

static void run_text(run *r, const char *xml)
{
    run_import(r, "test.xml", xml, strlen(xml));
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

/* How many names of `kind` the entry has; with `text`, 1 when that exact name is there. */
static size_t names_of(const got_entry *e, dx_name_kind kind, const char *text)
{
    size_t n = 0;
    for (size_t i = 0; i < e->n_names; i++)
        n += e->names[i].kind == kind && (!text || strcmp(e->names[i].text, text) == 0);
    return n;
}

static size_t facts_of(const got_entry *e, const char *type)
{
    size_t n = 0;
    for (size_t i = 0; i < e->n_facts; i++)
        n += strcmp(e->facts[i].type, type) == 0;
    return n;
}

/* Asserts that the entry has the fact type = value with that country ("" for none). */
static void assert_fact(const got_entry *e, const char *type, const char *value,
                        const char *country)
{
    for (size_t i = 0; i < e->n_facts; i++) {
        if (strcmp(e->facts[i].type, type) == 0 && strcmp(e->facts[i].value, value) == 0) {
            assert_string_equal(e->facts[i].country, country);
            return;
        }
    }
    fail_msg("%s has no %s fact \"%s\"", e->id, type, value);
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

/* ---- an independent count of aliases, over the raw bytes ------------------------------- */

static size_t count_occurrences(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

typedef struct alias_count {
    size_t good, aka, low, fka;         /* <QUALITY> occurrences in the whole file */
    size_t strong, weak;                /* distinct (class, name) per entry: what a name list has */
} alias_count;

/* The text between `open` and its `close`, starting at or after p and before `end`. */
static const char *element_text(const char *p, const char *end, const char *open,
                                const char *close, size_t *len)
{
    const char *s = strstr(p, open);
    if (!s || s >= end)
        return NULL;
    s += strlen(open);
    const char *e = strstr(s, close);
    if (!e || e > end)
        return NULL;
    *len = (size_t)(e - s);
    return s;
}

/* A whitespace-collapsed copy, the key for "the same name". */
static void collapse(char *out, size_t cap, const char *s, size_t n)
{
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; i < n && o + 2 < cap; i++) {
        if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r') {
            space = o > 0;
            continue;
        }
        if (space)
            out[o++] = ' ';
        space = 0;
        out[o++] = s[i];
    }
    out[o] = '\0';
}

/* Per entry block: the strong ("Good", "a.k.a.") and weak ("Low") aliases with a non-empty
 * name, a repeated name of the same class counted once. */
static void count_block_aliases(const char *block, const char *end, alias_count *c)
{
    char seen[64][256];
    char seen_class[64];
    size_t n_seen = 0;
    const char *p = block;
    for (;;) {
        size_t qlen, nlen;
        const char *q = element_text(p, end, "<QUALITY>", "</QUALITY>", &qlen);
        if (!q)
            break;
        const char *name = element_text(q, end, "<ALIAS_NAME>", "</ALIAS_NAME>", &nlen);
        p = q;
        char cls = (qlen == 4 && !memcmp(q, "Good", 4)) || (qlen == 6 && !memcmp(q, "a.k.a.", 6))
                       ? 'S'
                   : qlen == 3 && !memcmp(q, "Low", 3) ? 'W'
                                                        : 0;
        if (!cls || !name)
            continue;
        char key[256];
        collapse(key, sizeof key, name, nlen);
        if (!key[0])
            continue;
        int dup = 0;
        for (size_t i = 0; i < n_seen && !dup; i++)
            dup = seen_class[i] == cls && strcmp(seen[i], key) == 0;
        if (dup)
            continue;
        assert_true(n_seen < 64);
        strcpy(seen[n_seen], key);
        seen_class[n_seen++] = cls;
        if (cls == 'S')
            c->strong++;
        else
            c->weak++;
    }
}

static alias_count count_aliases(const char *text)
{
    alias_count c = {0};
    c.good = count_occurrences(text, "<QUALITY>Good</QUALITY>");
    c.aka = count_occurrences(text, "<QUALITY>a.k.a.</QUALITY>");
    c.low = count_occurrences(text, "<QUALITY>Low</QUALITY>");
    c.fka = count_occurrences(text, "<QUALITY>f.k.a.</QUALITY>");
    static const char *const blocks[][2] = {{"<INDIVIDUAL>", "</INDIVIDUAL>"},
                                            {"<ENTITY>", "</ENTITY>"}};
    for (size_t b = 0; b < 2; b++) {
        for (const char *p = strstr(text, blocks[b][0]); p; p = strstr(p, blocks[b][0])) {
            const char *end = strstr(p, blocks[b][1]);
            assert_non_null(end);
            count_block_aliases(p, end, &c);
            p = end;
        }
    }
    return c;
}

/* ---- the real list ------------------------------------------------------------------- */

static unsigned char *real_bytes;
static size_t real_len;
static run real;

static int group_setup(void **state)
{
    (void)state;
    if (dx_countries_new(&countries) != DX_OK)
        return -1;
    real_bytes = itu_read_file(UN_FILE, &real_len);
    run_import(&real, UN_FILE, real_bytes, real_len);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    run_free(&real);
    free(real_bytes);
    dx_countries_free(countries);
    countries = NULL;
    return 0;
}

static void test_real_counts(void **state)
{
    (void)state;
    assert_int_equal(real.st, DX_OK);
    assert_int_equal(dx_diags_count(real.diags), 0);
    assert_string_equal(real.date, "2026-02-27");
    size_t persons = 0, orgs = 0, strong = 0, weak = 0, former = 0, original = 0, dated = 0;
    for (size_t i = 0; i < real.n; i++) {
        const got_entry *e = &real.entries[i];
        persons += e->kind == DX_ENTRY_PERSON;
        orgs += e->kind == DX_ENTRY_ORGANIZATION;
        strong += names_of(e, DX_NAME_ALIAS_STRONG, NULL);
        weak += names_of(e, DX_NAME_ALIAS_WEAK, NULL);
        former += names_of(e, DX_NAME_FORMER, NULL);
        original += names_of(e, DX_NAME_ORIGINAL_SCRIPT, NULL);
        dated += e->start_date != NULL;
        assert_string_equal(e->list_id, "un_sc");
        assert_true(e->id && e->id[0] && e->name && e->name[0]);
        assert_int_equal(names_of(e, DX_NAME_PRIMARY, e->name), 1);
        assert_int_equal(e->names[0].kind, DX_NAME_PRIMARY);
        assert_true(e->raw[0] == '{' && strstr(e->raw, "\"REFERENCE_NUMBER\":"));
        assert_int_equal(facts_of(e, "dataid"), 1);
        assert_int_equal(facts_of(e, "program"), 1);
    }
    assert_int_equal(persons, 730);
    assert_int_equal(orgs, 273);
    assert_int_equal(real.n, 1003);
    assert_int_equal(dated, 1003);

    alias_count c = count_aliases((const char *)real_bytes);
    print_message("# UN 2026-02: %zu entries in %.3f s; aliases Good %zu, a.k.a. %zu, Low %zu, "
                  "f.k.a. %zu; distinct strong %zu, weak %zu\n",
                  real.n, real.seconds, c.good, c.aka, c.low, c.fka, c.strong, c.weak);
    assert_int_equal(strong, c.strong);
    assert_int_equal(weak, c.weak);
    assert_int_equal(weak, c.low); /* no weak alias repeats inside an entry */
    assert_true(strong <= c.good + c.aka && strong + 20 >= c.good + c.aka);
    assert_int_equal(former, c.fka);
    assert_int_equal(original, count_occurrences((const char *)real_bytes,
                                                 "<NAME_ORIGINAL_SCRIPT>"));
}

static void test_real_individual(void **state)
{
    (void)state;
    const got_entry *e = find_entry(&real, "QDi.290");
    assert_int_equal(e->kind, DX_ENTRY_PERSON);
    assert_string_equal(e->name, "DOKU KHAMATOVICH UMAROV");
    assert_int_equal(e->n_names, 4);
    assert_int_equal(names_of(e, DX_NAME_ORIGINAL_SCRIPT, "Умаров Доку Хаматович"), 1);
    assert_int_equal(names_of(e, DX_NAME_ALIAS_STRONG, "Lom-ali Butayev (Butaev)"), 1);
    assert_int_equal(names_of(e, DX_NAME_ALIAS_STRONG, "Dokka Umarov"), 1); /* listed twice */
    assert_fact(e, "dataid", "2960872", "");
    assert_fact(e, "program", "Al-Qaida", "");
    assert_fact(e, "listed_on", "2011-03-10", "");
    assert_string_equal(e->start_date, "2011-03-10");
    assert_fact(e, "nationality", "Russian Federation", "RU");
    assert_int_equal(facts_of(e, "nationality"), 2);
    assert_int_equal(facts_of(e, "dob"), 4);
    assert_fact(e, "dob", "1964-04-13", "");
    assert_fact(e, "dob", "1965-04-13", "");
    assert_fact(e, "dob", "1964-05-12", "");
    assert_fact(e, "dob", "1955", "");
    assert_fact(e, "pob",
                "Kharsenoy Village, Shatoyskiy (Sovetskiy) District, Chechenskaya Respublika, "
                "Russian Federation",
                "RU");
    assert_int_equal(facts_of(e, "passport"), 1);
    assert_fact(e, "passport", "96 03 464086", "RU");
    assert_int_equal(facts_of(e, "address"), 0); /* <COUNTRY/> only */
    assert_non_null(e->remarks);
    assert_true(strncmp(e->remarks, "Physical description: 180 cm tall, dark hair, 7-9 cm. long "
                        "scar on the face, part",
                        80) == 0);
    /* what the model has no place for stays in raw, under its path */
    assert_non_null(strstr(e->raw, "\"INDIVIDUAL_ALIAS/DATE_OF_BIRTH\":\"1955\""));
    assert_non_null(strstr(e->raw, "\"INDIVIDUAL_DOCUMENT/DATE_OF_ISSUE\":\"2003-06-01\""));
    assert_non_null(strstr(e->raw, "\"INDIVIDUAL_DOCUMENT/TYPE_OF_DOCUMENT2\":\"Passport\""));
    assert_non_null(strstr(e->raw, "\"LAST_DAY_UPDATED/VALUE\":\"2021-11-15\""));
    assert_non_null(strstr(e->raw, "\"INDIVIDUAL_ALIAS/QUALITY\":\"Good\""));
    assert_non_null(strstr(e->raw, "\"VERSIONNUM\":\"1\""));
}

static void test_real_entity(void **state)
{
    (void)state;
    const got_entry *e = find_entry(&real, "KPe.002");
    assert_int_equal(e->kind, DX_ENTRY_ORGANIZATION);
    assert_string_equal(e->name, "KOREA RYONBONG GENERAL CORPORATION");
    assert_int_equal(e->n_names, 3);
    assert_int_equal(names_of(e, DX_NAME_ALIAS_STRONG, "KOREA YONBONG GENERAL CORPORATION"), 1);
    assert_int_equal(names_of(e, DX_NAME_FORMER, "LYONGAKSAN GENERAL TRADING CORPORATION"), 1);
    assert_int_equal(facts_of(e, "address"), 2);
    assert_fact(e, "address",
                "Pot\u2019onggang District, Pyongyang, Democratic People's Republic of Korea",
                "KP");
    assert_fact(e, "address",
                "Rakwon-dong, Pothonggang District, Pyongyang, Democratic People's Republic of "
                "Korea",
                "KP");
    assert_fact(e, "program", "DPRK", "");
    assert_string_equal(e->start_date, "2009-04-24");
    assert_string_equal(e->remarks, "Defense conglomerate specializing in acquisition for DPRK "
                                    "defense industries and support to that country\u2019s "
                                    "military-related sales.");
    assert_non_null(strstr(e->raw, "\"ENTITY_ALIAS/QUALITY\":\"f.k.a.\""));
    assert_non_null(strstr(e->raw, "\"ENTITY_ADDRESS/CITY\":\"Pyongyang\""));
}

/* ---- the mapping, on small documents ------------------------------------------------- */

#define UN_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" \
                "<CONSOLIDATED_LIST dateGenerated=\"2026-02-27T00:00:09.554Z\">\n"
#define UN_TAIL "</CONSOLIDATED_LIST>\n"

static const char small_list[] =
    UN_HEAD
    "<INDIVIDUALS>\n"
    "<INDIVIDUAL>\n"                                                     /* line 4 */
    " <DATAID>1</DATAID><FIRST_NAME> Ann </FIRST_NAME><SECOND_NAME>B.</SECOND_NAME>\n"
    " <FOURTH_NAME>Cee</FOURTH_NAME><UN_LIST_TYPE>Test</UN_LIST_TYPE>\n"
    " <REFERENCE_NUMBER>TSi.001</REFERENCE_NUMBER><LISTED_ON>2001-02-03</LISTED_ON>\n"
    " <GENDER>Female</GENDER><COMMENTS1>Line one\nline two</COMMENTS1>\n"
    " <TITLE><VALUE>Dr</VALUE></TITLE><DESIGNATION><VALUE>Chief</VALUE><VALUE/></DESIGNATION>\n"
    " <NATIONALITY><VALUE>Japan</VALUE><VALUE>Atlantis</VALUE></NATIONALITY>\n"
    " <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Anna</ALIAS_NAME></INDIVIDUAL_ALIAS>\n"
    " <INDIVIDUAL_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Annie</ALIAS_NAME></INDIVIDUAL_ALIAS>\n"
    " <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>A.B.</ALIAS_NAME></INDIVIDUAL_ALIAS>\n"
    " <INDIVIDUAL_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>Old</ALIAS_NAME></INDIVIDUAL_ALIAS>\n"
    " <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>\n"
    " <INDIVIDUAL_ADDRESS><STREET>1 Main St</STREET><CITY>Osaka</CITY>"
    "<COUNTRY>Japan</COUNTRY><NOTE>as of 2020</NOTE></INDIVIDUAL_ADDRESS>\n"
    " <INDIVIDUAL_ADDRESS><NOTE>somewhere</NOTE></INDIVIDUAL_ADDRESS>\n"
    " <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1958</YEAR>"
    "</INDIVIDUAL_DATE_OF_BIRTH>\n"
    " <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1960</FROM_YEAR>"
    "<TO_YEAR>1962</TO_YEAR><NOTE>Approximately</NOTE></INDIVIDUAL_DATE_OF_BIRTH>\n"
    " <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><NOTE>Nov. 1973</NOTE>"
    "</INDIVIDUAL_DATE_OF_BIRTH>\n"
    " <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1970-01-31</DATE>"
    "</INDIVIDUAL_DATE_OF_BIRTH>\n"
    " <INDIVIDUAL_PLACE_OF_BIRTH><CITY>Kobe</CITY><COUNTRY>Japan</COUNTRY>"
    "</INDIVIDUAL_PLACE_OF_BIRTH>\n"
    " <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>TK123</NUMBER>"
    "<ISSUING_COUNTRY>Japan</ISSUING_COUNTRY></INDIVIDUAL_DOCUMENT>\n"
    " <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>"
    "<NUMBER>99-1</NUMBER><COUNTRY_OF_ISSUE>France</COUNTRY_OF_ISSUE></INDIVIDUAL_DOCUMENT>\n"
    " <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>N\u00famero de pasaporte</TYPE_OF_DOCUMENT>"
    "<NUMBER>ES-7</NUMBER></INDIVIDUAL_DOCUMENT>\n"
    " <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Driving licence</TYPE_OF_DOCUMENT>"
    "<NOTE>licence number DL 55</NOTE></INDIVIDUAL_DOCUMENT>\n"
    " <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>"
    "<NOTE>issued in Kobe</NOTE></INDIVIDUAL_DOCUMENT>\n"
    " <INDIVIDUAL_DOCUMENT/>\n"
    " <NAME_ORIGINAL_SCRIPT>\u30a2\u30f3</NAME_ORIGINAL_SCRIPT>\n"
    " <NEW_FIELD kind=\"x\">kept &amp; quoted \"</NEW_FIELD>\n"
    " <SORT_KEY/>\n"
    "</INDIVIDUAL>\n"
    "</INDIVIDUALS>\n"
    "<ENTITIES>\n"
    "<ENTITY><DATAID>2</DATAID><FIRST_NAME>ACME TRADING</FIRST_NAME>"
    "<REFERENCE_NUMBER>TSe.001</REFERENCE_NUMBER><LISTED_ON>2015-07-01-04:00</LISTED_ON>"
    "<ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>ACME</ALIAS_NAME></ENTITY_ALIAS>"
    "<ENTITY_ADDRESS><CITY>Berlin</CITY><ZIP_CODE>10115</ZIP_CODE><COUNTRY>Germany</COUNTRY>"
    "</ENTITY_ADDRESS></ENTITY>\n"
    "</ENTITIES>\n" UN_TAIL;

static void test_small_mapping(void **state)
{
    (void)state;
    run r;
    run_text(&r, small_list);
    assert_int_equal(r.st, DX_OK);
    assert_int_equal(dx_diags_count(r.diags), 0);
    assert_string_equal(r.date, "2026-02-27");
    assert_int_equal(r.n, 2);

    const got_entry *e = find_entry(&r, "TSi.001");
    assert_string_equal(e->name, "Ann B. Cee");
    assert_int_equal(e->n_names, 6);
    assert_int_equal(names_of(e, DX_NAME_ALIAS_STRONG, "Anna"), 1);
    assert_int_equal(names_of(e, DX_NAME_ALIAS_STRONG, "Annie"), 1);
    assert_int_equal(names_of(e, DX_NAME_ALIAS_WEAK, "A.B."), 1);
    assert_int_equal(names_of(e, DX_NAME_FORMER, "Old"), 1);
    assert_int_equal(names_of(e, DX_NAME_ORIGINAL_SCRIPT, "\u30a2\u30f3"), 1);
    assert_fact(e, "gender", "Female", "");
    assert_fact(e, "title", "Dr", "");
    assert_fact(e, "designation", "Chief", "");
    assert_int_equal(facts_of(e, "designation"), 1);
    assert_fact(e, "nationality", "Japan", "JP");
    assert_fact(e, "nationality", "Atlantis", "");
    assert_int_equal(facts_of(e, "address"), 1);
    assert_fact(e, "address", "1 Main St, Osaka, Japan (as of 2020)", "JP");
    assert_int_equal(facts_of(e, "dob"), 4);
    assert_fact(e, "dob", "APPROXIMATELY 1958", "");
    assert_fact(e, "dob", "BETWEEN 1960-1962 (Approximately)", "");
    assert_fact(e, "dob", "Nov. 1973", "");
    assert_fact(e, "dob", "1970-01-31", "");
    assert_fact(e, "pob", "Kobe, Japan", "JP");
    assert_int_equal(facts_of(e, "passport"), 2);
    assert_fact(e, "passport", "TK123", "JP");
    assert_fact(e, "passport", "ES-7", "");
    assert_fact(e, "national_id", "99-1", "FR");
    assert_fact(e, "document", "licence number DL 55", "");
    assert_int_equal(facts_of(e, "document"), 1);
    assert_string_equal(e->remarks, "Line one line two");
    assert_string_equal(e->start_date, "2001-02-03");
    assert_non_null(strstr(e->raw, "\"NEW_FIELD@kind\":\"x\",\"NEW_FIELD\":\"kept & quoted \\\"\""));
    assert_non_null(strstr(e->raw, "\"INDIVIDUAL_ADDRESS/NOTE\":\"somewhere\""));
    assert_non_null(strstr(e->raw, "\"COMMENTS1\":\"Line one\\u000aline two\""));
    assert_null(strstr(e->raw, "SORT_KEY")); /* empty elements carry nothing */

    e = find_entry(&r, "TSe.001");
    assert_int_equal(e->kind, DX_ENTRY_ORGANIZATION);
    assert_string_equal(e->name, "ACME TRADING");
    assert_int_equal(names_of(e, DX_NAME_ALIAS_STRONG, "ACME"), 1);
    assert_fact(e, "address", "Berlin, 10115, Germany", "DE");
    assert_string_equal(e->start_date, "2015-07-01"); /* an xs:date with a zone */
    assert_fact(e, "listed_on", "2015-07-01-04:00", "");
    assert_string_equal(e->raw, "{\"DATAID\":\"2\",\"FIRST_NAME\":\"ACME TRADING\","
                                "\"REFERENCE_NUMBER\":\"TSe.001\","
                                "\"LISTED_ON\":\"2015-07-01-04:00\",\"ENTITY_ALIAS/QUALITY\":"
                                "\"a.k.a.\",\"ENTITY_ALIAS/ALIAS_NAME\":\"ACME\","
                                "\"ENTITY_ADDRESS/CITY\":\"Berlin\",\"ENTITY_ADDRESS/ZIP_CODE\":"
                                "\"10115\",\"ENTITY_ADDRESS/COUNTRY\":\"Germany\"}");
    run_free(&r);
}

/* ---- hostile documents ---------------------------------------------------------------- */

static char *billion_laughs(void)
{
    static const char body[] =
        "<CONSOLIDATED_LIST dateGenerated=\"2026-02-27\"><INDIVIDUALS><INDIVIDUAL>"
        "<REFERENCE_NUMBER>X.1</REFERENCE_NUMBER><FIRST_NAME>&lol9;</FIRST_NAME>"
        "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n";
    size_t cap = 4096;
    char *doc = malloc(cap);
    assert_non_null(doc);
    int n = snprintf(doc, cap, "<?xml version=\"1.0\"?>\n<!DOCTYPE CONSOLIDATED_LIST [\n"
                               " <!ENTITY lol0 \"lol\">\n");
    for (int i = 1; i <= 9; i++) {
        n += snprintf(doc + n, cap - (size_t)n, " <!ENTITY lol%d \"", i);
        for (int j = 0; j < 10; j++)
            n += snprintf(doc + n, cap - (size_t)n, "&lol%d;", i - 1);
        n += snprintf(doc + n, cap - (size_t)n, "\">\n");
    }
    snprintf(doc + n, cap - (size_t)n, "]>\n%s", body);
    return doc;
}

/* The same document in UTF-16LE with a byte-order mark (ASCII only, so byte + NUL). */
static unsigned char *utf16le(const char *text, size_t *len)
{
    size_t n = strlen(text);
    unsigned char *out = malloc(2 * n + 2);
    assert_non_null(out);
    out[0] = 0xFF;
    out[1] = 0xFE;
    for (size_t i = 0; i < n; i++) {
        out[2 + 2 * i] = (unsigned char)text[i];
        out[3 + 2 * i] = 0;
    }
    *len = 2 * n + 2;
    return out;
}

static void assert_refused_dtd(const run *r, unsigned long line)
{
    assert_int_equal(r->st, DX_ERR_INPUT);
    assert_int_equal(r->n, 0);
    const dx_diag *d = diag_of(r, "un.dtd");
    assert_int_equal(d->severity, DX_SEV_ERROR);
    assert_string_equal(d->source, "test.xml");
    assert_int_equal(d->line, line);
    assert_int_equal(d->column, 0);
    assert_true(r->seconds < 1.0);
}

static void test_billion_laughs(void **state)
{
    (void)state;
    char *doc = billion_laughs();
    run r;
    run_text(&r, doc);
    assert_refused_dtd(&r, 2);
    assert_int_equal(dx_diags_count(r.diags), 1);
    run_free(&r);

    /* in UTF-16 it would pass a byte scan: the file is refused for its encoding */
    size_t len;
    unsigned char *wide = utf16le(doc, &len);
    run_import(&r, "test.xml", wide, len);
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(r.n, 0);
    assert_int_equal(dx_diags_count(r.diags), 1);
    assert_int_equal(diag_of(&r, "un.encoding")->line, 1);
    assert_true(r.seconds < 1.0);
    run_free(&r);

    /* a declared encoding that would hide "<!DOCTYPE" from a byte scan is not followed */
    run_text(&r, "<?xml version=\"1.0\" encoding=\"UTF-7\"?>\n"
                 "+ADw-!DOCTYPE CONSOLIDATED_LIST [+ADw-!ENTITY x \"y\"+AD4-]+AD4-\n"
                 "<CONSOLIDATED_LIST/>");
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(r.n, 0);
    diag_of(&r, "un.malformed-xml");
    run_free(&r);
    free(wide);
    free(doc);
}

static void test_external_entity(void **state)
{
    (void)state;
    static const char *const docs[] = {
        "<?xml version=\"1.0\"?>\n<!DOCTYPE CONSOLIDATED_LIST [\n"
        "<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER>"
        "<FIRST_NAME>&xxe;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n",
        /* behind a comment and a processing instruction */
        "<?xml version=\"1.0\"?>\n<!-- a\ncomment -->\n<?pi x?><!DOCTYPE CONSOLIDATED_LIST "
        "SYSTEM \"file:///etc/passwd\"><CONSOLIDATED_LIST/>",
    };
    static const unsigned long lines[] = {2, 4};
    for (size_t i = 0; i < 2; i++) {
        run r;
        run_text(&r, docs[i]);
        assert_refused_dtd(&r, lines[i]);
        for (size_t j = 0; j < dx_diags_count(r.diags); j++)
            assert_null(strstr(dx_diags_get(r.diags, j)->message, "root:"));
        run_free(&r);

        size_t len;
        unsigned char *wide = utf16le(docs[i], &len);
        run_import(&r, "test.xml", wide, len);
        assert_int_equal(r.st, DX_ERR_INPUT);
        assert_int_equal(r.n, 0);
        diag_of(&r, "un.encoding");
        run_free(&r);
        free(wide);
    }
}

static void test_truncated_real_file(void **state)
{
    (void)state;
    size_t len = 100 * 1024;
    unsigned long lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += real_bytes[i] == '\n';
    run r;
    run_import(&r, "cut.xml", real_bytes, len);
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_true(r.n > 10 && r.n < 730); /* what came before the cut was read */
    const dx_diag *d = diag_of(&r, "un.malformed-xml");
    assert_int_equal(d->severity, DX_SEV_ERROR);
    assert_string_equal(d->source, "cut.xml");
    assert_int_equal(d->line, lines);
    assert_non_null(d->hint);
    assert_int_equal(dx_diags_count_severity(r.diags, DX_SEV_ERROR), dx_diags_count(r.diags));
    run_free(&r);
}

static void test_malformed(void **state)
{
    (void)state;
    run r;
    run_text(&r, UN_HEAD "<INDIVIDUALS>\n<INDIVIDUAL>\n<FIRST_NAME>A</SECOND_NAME>\n"
                 "</INDIVIDUAL></INDIVIDUALS>" UN_TAIL);
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(r.n, 0);
    const dx_diag *d = diag_of(&r, "un.malformed-xml");
    assert_int_equal(d->line, 5);
    assert_non_null(strstr(d->message, "FIRST_NAME"));
    run_free(&r);

    static const char *const garbage[] = {"hello", "<", "\xff\xfe\x00", "<a><b></a>",
                                          UN_HEAD "<INDIVIDUALS>&undefined;</INDIVIDUALS>" UN_TAIL};
    for (size_t i = 0; i < sizeof garbage / sizeof *garbage; i++) {
        run_text(&r, garbage[i]);
        assert_int_equal(r.st, DX_ERR_INPUT);
        assert_true(dx_diags_count_severity(r.diags, DX_SEV_ERROR) >= 1);
        run_free(&r);
    }
    /* UTF-8 only: a Latin-1 file is refused, with a one-line message */
    run_text(&r, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<CONSOLIDATED_LIST><ENTITIES>"
                 "<ENTITY><FIRST_NAME>Caf\xe9</FIRST_NAME><REFERENCE_NUMBER>E.1</REFERENCE_NUMBER>"
                 "</ENTITY></ENTITIES></CONSOLIDATED_LIST>");
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(r.n, 0);
    d = diag_of(&r, "un.malformed-xml");
    assert_int_equal(d->line, 2);
    assert_null(strchr(d->message, '\n'));
    run_free(&r);

    run_import(&r, "empty.xml", "", 0);
    assert_int_equal(r.st, DX_ERR_INPUT);
    diag_of(&r, "un.empty");
    run_free(&r);
}

static void test_not_the_un_list(void **state)
{
    (void)state;
    run r;
    run_text(&r, "<?xml version=\"1.0\"?>\n\n<sdnList><sdnEntry><uid>1</uid>"
                 "<lastName>X</lastName></sdnEntry></sdnList>\n");
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(r.n, 0);
    assert_int_equal(dx_diags_count(r.diags), 1);
    const dx_diag *d = diag_of(&r, "un.wrong-format");
    assert_int_equal(d->line, 3);
    assert_non_null(strstr(d->message, "<sdnList>"));
    assert_string_equal(r.date, "");
    run_free(&r);

    /* the right root without a date: a warning, and the entries */
    run_text(&r, "<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>X</FIRST_NAME>"
                 "<REFERENCE_NUMBER>E.1</REFERENCE_NUMBER></ENTITY></ENTITIES>"
                 "</CONSOLIDATED_LIST>");
    assert_int_equal(r.st, DX_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(diag_of(&r, "un.no-date")->severity, DX_SEV_WARNING);
    assert_string_equal(r.date, "");
    run_free(&r);
}

static void test_missing_reference(void **state)
{
    (void)state;
    run r;
    run_text(&r, UN_HEAD "<INDIVIDUALS>\n"
                 "<INDIVIDUAL><DATAID>11</DATAID><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>\n"
                 "<INDIVIDUAL><FIRST_NAME>B</FIRST_NAME><REFERENCE_NUMBER>T.2</REFERENCE_NUMBER>"
                 "</INDIVIDUAL>\n"
                 "<INDIVIDUAL><DATAID>13</DATAID><FIRST_NAME>C</FIRST_NAME>"
                 "<REFERENCE_NUMBER> </REFERENCE_NUMBER></INDIVIDUAL>\n"
                 "<INDIVIDUAL><REFERENCE_NUMBER>T.4</REFERENCE_NUMBER></INDIVIDUAL>\n"
                 "</INDIVIDUALS>\n" UN_TAIL);
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(r.n, 1); /* T.2 */
    assert_int_equal(count_code(&r, "un.missing-reference"), 2);
    assert_int_equal(count_code(&r, "un.missing-name"), 1);
    assert_int_equal(dx_diags_count(r.diags), 3);
    const dx_diag *d = dx_diags_get(r.diags, 0);
    assert_int_equal(d->line, 4);
    assert_non_null(strstr(d->message, "DATAID 11"));
    assert_int_equal(dx_diags_get(r.diags, 1)->line, 6);
    assert_int_equal(dx_diags_get(r.diags, 2)->line, 7);
    run_free(&r);

    /* past line 65535, where libxml2 stops keeping element lines */
    size_t blank = 70000;
    char *doc = malloc(blank + 512);
    assert_non_null(doc);
    int n = sprintf(doc, UN_HEAD "<INDIVIDUALS>");
    memset(doc + n, '\n', blank);
    sprintf(doc + n + blank, "<INDIVIDUAL><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>\n"
                             "</INDIVIDUALS>" UN_TAIL);
    run_text(&r, doc);
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(diag_of(&r, "un.missing-reference")->line, 3 + blank);
    run_free(&r);
    free(doc);
}

static void test_limits(void **state)
{
    (void)state;
    size_t big = (1u << 20) + 10;
    int n;
    const char *head = UN_HEAD "<INDIVIDUALS>\n<INDIVIDUAL><REFERENCE_NUMBER>T.1</REFERENCE_NUMBER>"
                               "<FIRST_NAME>A</FIRST_NAME>\n<COMMENTS1>";
    const char *tail = "</COMMENTS1></INDIVIDUAL>\n<INDIVIDUAL><REFERENCE_NUMBER>T.2"
                       "</REFERENCE_NUMBER><FIRST_NAME>B</FIRST_NAME></INDIVIDUAL>\n"
                       "</INDIVIDUALS>" UN_TAIL;
    char *doc = malloc(strlen(head) + big + strlen(tail) + 1);
    assert_non_null(doc);
    strcpy(doc, head);
    memset(doc + strlen(head), 'x', big);
    strcpy(doc + strlen(head) + big, tail);
    run r;
    run_text(&r, doc);
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(r.n, 1); /* T.2 */
    assert_string_equal(r.entries[0].id, "T.2");
    assert_int_equal(diag_of(&r, "un.text-too-long")->line, 5);
    run_free(&r);
    free(doc);

    /* one entry's raw: 3 x 0.9 MB of text, counted at six bytes a byte (the worst case of
     * JSON escaping, for a tab) */
    size_t part = 900 * 1024;
    doc = malloc(3 * (part + 40) + 1024);
    assert_non_null(doc);
    n = sprintf(doc, UN_HEAD "<INDIVIDUALS><INDIVIDUAL><REFERENCE_NUMBER>T.1</REFERENCE_NUMBER>"
                     "<FIRST_NAME>A</FIRST_NAME>");
    for (int i = 0; i < 3; i++) {
        n += sprintf(doc + n, "<NOTE>");
        memset(doc + n, i ? '\t' : 'x', part);
        doc[n] = 'x';
        n += (int)part;
        n += sprintf(doc + n, "</NOTE>");
    }
    sprintf(doc + n, "</INDIVIDUAL></INDIVIDUALS>" UN_TAIL);
    run_text(&r, doc);
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(r.n, 0);
    assert_int_equal(count_code(&r, "un.entry-too-large"), 1);
    run_free(&r);

    /* nested element names longer than 64 KB in all */
    n = sprintf(doc, UN_HEAD "<INDIVIDUALS><INDIVIDUAL><REFERENCE_NUMBER>T.1</REFERENCE_NUMBER>"
                     "<FIRST_NAME>A</FIRST_NAME><");
    memset(doc + n, 'N', 40000);
    memcpy(doc + n + 40000, "><", 2);
    memset(doc + n + 40002, 'M', 40000);
    n += 80002;
    n += sprintf(doc + n, "/></");
    memset(doc + n, 'N', 40000);
    n += 40000;
    sprintf(doc + n, "></INDIVIDUAL></INDIVIDUALS>" UN_TAIL);
    run_text(&r, doc);
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(r.n, 0);
    assert_int_equal(count_code(&r, "un.entry-too-large"), 1);
    run_free(&r);
    free(doc);

    /* nesting below an entry */
    char deep[4096];
    n = snprintf(deep, sizeof deep, UN_HEAD "<INDIVIDUALS><INDIVIDUAL>"
                                        "<REFERENCE_NUMBER>T.1</REFERENCE_NUMBER>"
                                        "<FIRST_NAME>A</FIRST_NAME>");
    for (int i = 0; i < 40; i++)
        n += snprintf(deep + n, sizeof deep - (size_t)n, "<D>");
    n += snprintf(deep + n, sizeof deep - (size_t)n, "x");
    for (int i = 0; i < 40; i++)
        n += snprintf(deep + n, sizeof deep - (size_t)n, "</D>");
    snprintf(deep + n, sizeof deep - (size_t)n, "</INDIVIDUAL></INDIVIDUALS>" UN_TAIL);
    run_text(&r, deep);
    assert_int_equal(r.st, DX_ERR_INPUT);
    assert_int_equal(r.n, 0);
    assert_int_equal(count_code(&r, "un.too-deep"), 1);
    run_free(&r);
}

/* ---- out of memory -------------------------------------------------------------------- */

/* Fails the n-th allocation for n = 0, 1, ... until the import succeeds: each failure must be
 * DX_ERR_NOMEM (libxml2's own allocations are not counted). Returns the number of points. */
static long sweep(const char *xml, dx_status final)
{
    long n = 0;
    for (;; n++) {
        run r;
        memset(&r, 0, sizeof r);
        dx_entry_builder *b = NULL;
        assert_int_equal(dx_diags_new(&r.diags), DX_OK);
        assert_int_equal(dx_entry_builder_new(countries, &b), DX_OK);
        dx_import im = {r.diags, b, collect, &r, countries, "", NULL};
        dx_import_file f = {"test.xml", "test.xml", (const unsigned char *)xml, strlen(xml)};
        dx_alloc_fail_after(n);
        dx_status st = dx_import_un(&im, &f, 1);
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
    long n = sweep(small_list, DX_OK);
    assert_true(n > 20);
    long m = sweep(UN_HEAD "<INDIVIDUALS><INDIVIDUAL><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>"
                           "</INDIVIDUALS>" UN_TAIL,
                   DX_ERR_INPUT);
    assert_true(m > 0);
    print_message("# dx_import_un: %ld and %ld allocation failure points\n", n, m);
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
    dx_import im = {diags, b, collect, &r, countries, "", NULL};
    dx_import_file f[2] = {{"a.xml", "a.xml", (const unsigned char *)small_list,
                            sizeof small_list - 1},
                           {"b.xml", "b.xml", (const unsigned char *)small_list,
                            sizeof small_list - 1}};
    assert_int_equal(dx_import_un(&im, f, 0), DX_ERR_INVALID);
    assert_int_equal(dx_import_un(&im, f, 2), DX_ERR_INPUT);
    assert_string_equal(dx_diags_get(diags, 0)->code, "un.extra-file");
    assert_int_equal(r.n, 0);
    dx_entry_builder_free(b);
    dx_diags_free(diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_counts),
        cmocka_unit_test(test_real_individual),
        cmocka_unit_test(test_real_entity),
        cmocka_unit_test(test_small_mapping),
        cmocka_unit_test(test_billion_laughs),
        cmocka_unit_test(test_external_entity),
        cmocka_unit_test(test_truncated_real_file),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_not_the_un_list),
        cmocka_unit_test(test_missing_reference),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_arguments),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
