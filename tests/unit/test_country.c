/*
 * test_country.c — country and nationality resolution (src/lib/country.c).
 *
 * The table is built once for the group; each test probes it. The coverage tests read the
 * reference data in ../shared/data/countries at run time (never a copy): every nationality of
 * Dinu/country-nationality-list and every English and Japanese common name of
 * mledoze/countries must resolve to its row's code, except the short list of exceptions
 * below, each with its reason.
 */
#include "testutil.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "dexcheck/country.h"

static dx_countries *countries;

static int group_setup(void **state)
{
    (void)state;
    return dx_countries_new(&countries) == DX_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    dx_countries_free(countries);
    countries = NULL;
    return 0;
}

static dx_country_match lookup(const char *text)
{
    dx_country_match m;
    assert_int_equal(dx_country_lookup(countries, text, strlen(text), &m), DX_OK);
    return m;
}

/* `text` resolves to exactly `alpha2`. */
static void check_found(const char *text, const char *alpha2)
{
    dx_country_match m = lookup(text);
    if (m.result != DX_COUNTRY_FOUND || strcmp(m.alpha2, alpha2) != 0)
        fail_msg("\"%s\": expected %s, got result %d (%s/%s)", text, alpha2, (int)m.result,
                 m.alpha2, m.alt_alpha2);
    assert_string_equal(m.alt_alpha2, "");
}

/* `text` is ambiguous between `a` and `b` (in either order). */
static void check_ambiguous(const char *text, const char *a, const char *b)
{
    dx_country_match m = lookup(text);
    if (m.result != DX_COUNTRY_AMBIGUOUS)
        fail_msg("\"%s\": expected ambiguous %s/%s, got result %d (%s)", text, a, b,
                 (int)m.result, m.alpha2);
    int same = strcmp(m.alpha2, a) == 0 && strcmp(m.alt_alpha2, b) == 0;
    int swapped = strcmp(m.alpha2, b) == 0 && strcmp(m.alt_alpha2, a) == 0;
    if (!same && !swapped)
        fail_msg("\"%s\": expected %s/%s, got %s/%s", text, a, b, m.alpha2, m.alt_alpha2);
}

static void check_unknown(const char *text, size_t len)
{
    dx_country_match m;
    assert_int_equal(dx_country_lookup(countries, text, len, &m), DX_OK);
    if (m.result != DX_COUNTRY_UNKNOWN)
        fail_msg("\"%.*s\": expected unknown, got %d (%s)", (int)(len > 40 ? 40 : len), text,
                 (int)m.result, m.alpha2);
    assert_string_equal(m.alpha2, "");
    assert_string_equal(m.alt_alpha2, "");
}

static void test_codes(void **state)
{
    (void)state;
    check_found("CN", "CN");
    check_found("cn", "CN");
    check_found("jp", "JP");
    check_found("chn", "CN");
    check_found("CHN", "CN");
    check_found("  JPN  ", "JP");
    check_found("USA", "US");
    check_found("ＣＮ", "CN"); /* full-width */
    check_found("ｊｐｎ", "JP");
    check_found("U.S.", "US");
    check_found("UK", "GB"); /* not an ISO code: the project table */
    check_found("XK", "XK");
    check_unknown("ZZ", 2);
    check_unknown("EU", 2);
    check_unknown("IC", 2); /* listed by ICU, only reserved by ISO */
    assert_true(dx_country_is_code(countries, "CN"));
    assert_false(dx_country_is_code(countries, "cn"));
    assert_false(dx_country_is_code(countries, "UK"));
    assert_false(dx_country_is_code(countries, "C"));
    assert_false(dx_country_is_code(countries, "CNN"));
    assert_false(dx_country_is_code(countries, NULL));
}

static void test_english_names(void **state)
{
    (void)state;
    check_found("China", "CN");
    check_found("JAPAN", "JP");
    check_found("united states", "US");
    check_found("United Kingdom", "GB");
    check_found("Germany", "DE");
    check_found("Iran", "IR");
    check_found("Russia", "RU");
    check_found("South Korea", "KR");
    check_found("North Korea", "KP");
    check_found("Saint Kitts and Nevis", "KN"); /* CLDR: "St. Kitts & Nevis" */
    check_found("St. Kitts & Nevis", "KN");
    check_found("Bosnia and Herzegovina", "BA");
    check_found("Hong Kong", "HK");
    check_found("Georgia", "GE");
    check_found("Dominica", "DM");
    check_found("Dominican Republic", "DO");
    check_found("Niger", "NE");
    check_found("Nigeria", "NG");
    check_found("Guinea", "GN");
    check_found("Equatorial Guinea", "GQ");
}

static void test_japanese_names(void **state)
{
    (void)state;
    check_found("中国", "CN");
    check_found("日本", "JP");
    check_found("韓国", "KR");
    check_found("北朝鮮", "KP");
    check_found("イラン", "IR");
    check_found("ロシア", "RU");
    check_found("ドイツ", "DE");
    check_found("アメリカ", "US");
    check_found("米国", "US");
    check_found("英国", "GB");
    check_found("台湾", "TW");
    check_found("香港", "HK");
    check_found("中華人民共和国", "CN");
    check_found("大韓民国", "KR");
    check_found("朝鮮民主主義人民共和国", "KP");
    check_found("アメリカ合衆国", "US");
    check_found("イラン・イスラム共和国", "IR");
    check_found("イラン イスラム共和国", "IR");
    check_found("ロシア連邦", "RU");
    check_found("ｲﾗﾝ", "IR"); /* half-width katakana */
    check_found("ガボン", "GA"); /* the voicing mark is kept: not カホン */
}

static void test_other_languages(void **state)
{
    (void)state;
    check_found("中国", "CN");
    check_found("美国", "US");
    check_found("韩国", "KR");
    check_found("中國", "CN");
    check_found("美國", "US");
    check_found("중국", "CN");
    check_found("미국", "US");
    check_found("대한민국", "KR");
    check_found("한국", "KR");
    check_found("북한", "KP");
    check_found("Китай", "CN");
    check_found("Россия", "RU");
    check_found("КИТАЙ", "CN");
    check_found("Allemagne", "DE");
    check_found("Deutschland", "DE");
    check_found("Alemania", "DE");
    check_found("Cina", "CN");
    check_found("الصين", "CN");
    check_found("Trung Quốc", "CN");
    check_found("Trung Quoc", "CN");
}

static void test_demonyms(void **state)
{
    (void)state;
    check_found("Chinese", "CN");
    check_found("Japanese", "JP");
    check_found("American", "US");
    check_found("British", "GB");
    check_found("Iranian", "IR");
    check_found("Russian", "RU");
    check_found("German", "DE");
    check_found("Indian", "IN");
    check_found("Taiwanese", "TW");
    check_found("Vietnamese", "VN");
    check_found("Pakistani", "PK");
    check_found("Filipino", "PH");
    check_found("Philippine", "PH");
    check_found("Emirati", "AE");
    check_found("Saudi", "SA");
    check_found("South Korean", "KR");
    check_found("North Korean", "KP");
    check_found("Nigerien", "NE");
    check_found("Nigerian", "NG");
    check_found("Georgian", "GE");
    check_found("Guinean", "GN");
    check_found("Chinese national", "CN");
    check_found("chinese citizen", "CN");
    check_found("US citizen", "US");
    check_found("Nationality: Iranian", "IR");
    check_found("Cook Island", "CK"); /* "X Island" as adjective of "X Islands" */
}

static void test_variants(void **state)
{
    (void)state;
    check_found("Korea, South", "KR");
    check_found("Korea, North", "KP");
    check_found("Korea, Republic of", "KR");
    check_found("Korea, Democratic People's Republic of", "KP");
    check_found("Iran, Islamic Republic of", "IR");
    check_found("Russian Federation", "RU");
    check_found("PRC", "CN");
    check_found("People's Republic of China", "CN");
    check_found("U.S.A.", "US");
    check_found("United States of America", "US");
    check_found("Great Britain", "GB");
    check_found("Burma", "MM");
    check_found("Ivory Coast", "CI");
    check_found("Czechia", "CZ");
    check_found("Czech Republic", "CZ");
    check_found("Macau", "MO");
    check_found("Holland", "NL");
    check_found("Vatican", "VA");
    check_found("Syrian Arab Republic", "SY");
    check_found("Lao PDR", "LA");
    check_found("Viet Nam", "VN");
    check_found("Bolivia, Plurinational State of", "BO");
    check_found("Venezuela, Bolivarian Republic of", "VE");
    check_found("Taiwan, Province of China", "TW");
    check_found("Hong Kong SAR", "HK");
    check_found("Moldova, Republic of", "MD");
    check_found("Tanzania, United Republic of", "TZ");
    check_found("Congo (Democratic Republic of the)", "CD");
    check_found("Republic of the Congo", "CG");
}

static void test_nationality_forms(void **state)
{
    (void)state;
    check_found("中国籍", "CN");
    check_found("中国人", "CN");
    check_found("日本国籍", "JP");
    check_found("韓国籍", "KR");
    check_found("国籍：中国", "CN");
    check_found("アメリカ人", "US");
    check_found("イラン国籍", "IR");
    check_found("中華人民共和国籍", "CN");
    check_found("중국인", "CN");
    check_found("스페인", "ES"); /* ends in 인 but is itself a name */
    check_ambiguous("朝鮮籍", "KP", "KR");
}

static void test_diacritics_and_width(void **state)
{
    (void)state;
    check_found("Côte d’Ivoire", "CI");
    check_found("Côte d'Ivoire", "CI");
    check_found("COTE D IVOIRE", "CI");
    check_found("Türkiye", "TR");
    check_found("Turkiye", "TR");
    check_found("Turkey", "TR");
    check_found("Réunion", "RE");
    check_found("São Tomé and Príncipe", "ST");
    check_found("ＵＳＡ", "US");
    check_found("Ｃｈｉｎａ", "CN");
    check_found("\tchina\n", "CN");
}

static void test_ambiguous(void **state)
{
    (void)state;
    check_ambiguous("Congo", "CG", "CD");
    check_ambiguous("Congolese", "CG", "CD");
    check_ambiguous("Korea", "KR", "KP");
    check_ambiguous("Korean", "KR", "KP");
    check_ambiguous("Dominican", "DO", "DM");
    check_ambiguous("Virgin Islands", "VG", "VI");
    check_ambiguous("Channel Islands", "GG", "JE");
    check_ambiguous("Republic of China", "TW", "CN");
    check_ambiguous("Korean national", "KR", "KP");
}

static void test_unknown(void **state)
{
    (void)state;
    check_unknown("Atlantis", 8);
    check_unknown("", 0);
    check_unknown(NULL, 0);
    check_unknown("   ", 3);
    check_unknown("・、。", strlen("・、。"));
    check_unknown("人", strlen("人"));
    check_unknown("national", 8);
    check_unknown("\xff\xfe\xc3", 3); /* invalid UTF-8 */
    size_t big = 10 * 1024;
    char *text = malloc(big);
    assert_non_null(text);
    for (size_t i = 0; i < big; i++)
        text[i] = "China "[i % 6];
    check_unknown(text, big);
    memcpy(text, "中国", strlen("中国"));
    check_unknown(text, big);
    free(text);
    /* Under the length cap, but NFKC expands U+FDFA to 18 characters: too long, not a crash. */
    char expanding[200];
    size_t used = 0;
    while (used + 3 <= sizeof expanding) {
        memcpy(expanding + used, "\xef\xb7\xba", 3);
        used += 3;
    }
    check_unknown(expanding, used);
    /* 200 bytes after trimming still resolve ("Japan" and dots); 201 are UNKNOWN. */
    char padded[201];
    memset(padded, '.', sizeof padded);
    memcpy(padded, "Japan", 5);
    dx_country_match m;
    assert_int_equal(dx_country_lookup(countries, padded, 200, &m), DX_OK);
    assert_int_equal(m.result, DX_COUNTRY_FOUND);
    assert_string_equal(m.alpha2, "JP");
    check_unknown(padded, 201);
    assert_int_equal(dx_country_lookup(NULL, "CN", 2, &m), DX_ERR_INVALID);
    assert_int_equal(m.result, DX_COUNTRY_UNKNOWN);
    assert_int_equal(dx_country_lookup(countries, "CN", 2, NULL), DX_ERR_INVALID);
}

static void test_name_and_alpha3(void **state)
{
    (void)state;
    assert_string_equal(dx_country_name(countries, "CN"), "China");
    assert_string_equal(dx_country_name(countries, "JP"), "Japan");
    assert_string_equal(dx_country_name(countries, "DE"), "Germany");
    assert_null(dx_country_name(countries, "UK"));
    assert_null(dx_country_name(countries, "cn"));
    assert_string_equal(dx_country_alpha3(countries, "CN"), "CHN");
    assert_string_equal(dx_country_alpha3(countries, "GB"), "GBR");
    assert_string_equal(dx_country_alpha3(countries, "KP"), "PRK");
    assert_null(dx_country_alpha3(countries, "ZZ"));
    assert_null(dx_country_alpha3(NULL, "CN"));
    assert_true(dx_countries_key_count(countries) > 5000);
    print_message("# country table: %zu keys\n", dx_countries_key_count(countries));
}

/* Every allocation of dx_countries_new may fail: each failure is DX_ERR_NOMEM, leaves *out
 * untouched and leaks nothing (the san variant checks the leaks). */
static void test_alloc_failure(void **state)
{
    (void)state;
    long n = 0;
    for (;; n++) {
        dx_countries *c = NULL;
        dx_alloc_fail_after(n);
        dx_status st = dx_countries_new(&c);
        dx_alloc_fail_after(-1);
        if (st == DX_OK) {
            assert_non_null(c);
            dx_countries_free(c);
            break;
        }
        assert_int_equal(st, DX_ERR_NOMEM);
        assert_null(c);
        assert_true(n < 10000);
    }
    print_message("# dx_countries_new: %ld allocation failure points\n", n);
    assert_true(n > 0);
}

/* ---- coverage against the reference data ------------------------------------------ */

#define MAX_FIELDS 96

typedef struct csv_table {
    char *header[MAX_FIELDS];
    size_t header_count;
    char *row[MAX_FIELDS];
    size_t field_count;
    int in_header;
    void (*on_row)(struct csv_table *t, void *ctx);
    void *ctx;
} csv_table;

static void csv_field(void *s, size_t len, void *data)
{
    csv_table *t = data;
    char *copy = malloc(len + 1);
    assert_non_null(copy);
    memcpy(copy, s, len);
    copy[len] = '\0';
    if (t->field_count < MAX_FIELDS)
        (t->in_header ? t->header : t->row)[t->field_count++] = copy;
    else
        free(copy);
}

static void csv_row(int c, void *data)
{
    (void)c;
    csv_table *t = data;
    if (t->in_header) {
        t->header_count = t->field_count;
        t->in_header = 0;
    } else {
        t->on_row(t, t->ctx);
        for (size_t i = 0; i < t->field_count; i++)
            free(t->row[i]);
    }
    t->field_count = 0;
}

static const char *csv_get(const csv_table *t, const char *column)
{
    for (size_t i = 0; i < t->header_count && i < t->field_count; i++)
        if (strcmp(t->header[i], column) == 0)
            return t->row[i];
    fail_msg("column %s missing", column);
    return NULL;
}

static void csv_read_file(const char *path, void (*on_row)(csv_table *, void *), void *ctx)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    struct csv_parser p;
    assert_int_equal(csv_init(&p, CSV_APPEND_NULL), 0);
    csv_table t = {.in_header = 1, .on_row = on_row, .ctx = ctx};
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        assert_int_equal(csv_parse(&p, buf, n, csv_field, csv_row, &t), n);
    csv_fini(&p, csv_field, csv_row, &t);
    csv_free(&p);
    fclose(f);
    for (size_t i = 0; i < t.header_count; i++)
        free(t.header[i]);
}

/*
 * Names in the reference data that do not (and should not) resolve to their row's code.
 * Each is a deliberate decision of the project table, not a gap.
 */
static const struct {
    const char *text, *alpha2, *why;
} kExceptions[] = {
    {"Chinese", "TW", "Dinu lists it for Taiwan too; Chinese means CN, Taiwanese means TW"},
    {"Chinese", "MO", "Dinu lists it for Macao too; Chinese means CN, Macanese means MO"},
    {"American", "UM", "the Minor Outlying Islands have no people; American means US"},
    {"Guambat", "GU", "a nickname, not a nationality"},
};

typedef struct coverage {
    const char *source;
    size_t checked, resolved, excepted;
} coverage;

static int is_exception(const char *text, const char *alpha2)
{
    for (size_t i = 0; i < sizeof kExceptions / sizeof kExceptions[0]; i++)
        if (strcmp(kExceptions[i].text, text) == 0 && strcmp(kExceptions[i].alpha2, alpha2) == 0)
            return 1;
    return 0;
}

/* One reference name must resolve to `alpha2`, or be ambiguous with it among the two. */
static void check_coverage(coverage *cov, const char *text, size_t len, const char *alpha2)
{
    while (len && *text == ' ') {
        text++;
        len--;
    }
    if (len == 0)
        return;
    dx_country_match m;
    assert_int_equal(dx_country_lookup(countries, text, len, &m), DX_OK);
    cov->checked++;
    int ok = (m.result == DX_COUNTRY_FOUND && strcmp(m.alpha2, alpha2) == 0) ||
             (m.result == DX_COUNTRY_AMBIGUOUS &&
              (strcmp(m.alpha2, alpha2) == 0 || strcmp(m.alt_alpha2, alpha2) == 0));
    if (ok) {
        cov->resolved++;
        return;
    }
    char copy[256];
    snprintf(copy, sizeof copy, "%.*s", (int)len, text);
    if (is_exception(copy, alpha2)) {
        cov->excepted++;
        return;
    }
    fail_msg("%s: \"%s\" should be %s, got result %d (%s/%s)", cov->source, copy, alpha2,
             (int)m.result, m.alpha2, m.alt_alpha2);
}

/* Dinu cells hold alternatives separated by ", " ("Chinese, Taiwanese") or " or "
 * ("Antiguan or Barbudan"); each alternative is checked on its own. */
static void dinu_row(csv_table *t, void *ctx)
{
    const char *cell = csv_get(t, "nationality");
    const char *alpha2 = csv_get(t, "alpha_2_code");
    while (*cell) {
        const char *comma = strstr(cell, ", ");
        const char *or = strstr(cell, " or ");
        const char *end = comma && (!or || comma < or) ? comma : or;
        size_t len = end ? (size_t)(end - cell) : strlen(cell);
        check_coverage(ctx, cell, len, alpha2);
        cell += len;
        if (end)
            cell += end == comma ? 2 : 4;
    }
}

static void mledoze_row(csv_table *t, void *ctx)
{
    const char *alpha2 = csv_get(t, "cca2");
    const char *english = csv_get(t, "name.common");
    const char *japanese = csv_get(t, "translations.jpn.common");
    check_coverage(ctx, english, strlen(english), alpha2);
    check_coverage(ctx, japanese, strlen(japanese), alpha2);
}

static void report_coverage(const coverage *cov)
{
    print_message("# coverage %s: %zu of %zu resolved (%.1f%%), %zu listed exceptions\n",
                  cov->source, cov->resolved, cov->checked,
                  cov->checked ? 100.0 * (double)cov->resolved / (double)cov->checked : 0.0,
                  cov->excepted);
}

static void test_coverage_dinu(void **state)
{
    (void)state;
    coverage cov = {"dinu nationality", 0, 0, 0};
    csv_read_file(DX_SHARED_DATA "/countries/dinu_country-nationality-list/countries.csv",
                  dinu_row, &cov);
    report_coverage(&cov);
    assert_true(cov.checked > 250);
}

static void test_coverage_mledoze(void **state)
{
    (void)state;
    coverage cov = {"mledoze common names (en + ja)", 0, 0, 0};
    csv_read_file(DX_SHARED_DATA "/countries/mledoze_countries/countries.csv", mledoze_row,
                  &cov);
    report_coverage(&cov);
    assert_true(cov.checked >= 490);
}

/* ---- timings (reported, not asserted: the sanitizer build is much slower) ------------ */

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double ns_per_lookup(const char *text, long rounds)
{
    size_t len = strlen(text);
    dx_country_match m;
    double start = seconds_now();
    for (long i = 0; i < rounds; i++)
        dx_country_lookup(countries, text, len, &m);
    return (seconds_now() - start) * 1e9 / (double)rounds;
}

static void test_timings(void **state)
{
    (void)state;
    static const char *const samples[] = {"CN",   "CHN",    "China",         "Korea, South",
                                          "中国", "中国籍", "Côte d’Ivoire", "Atlantis"};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
        print_message("# lookup \"%s\": %.0f ns\n", samples[i], ns_per_lookup(samples[i], 200000));
    double start = seconds_now();
    dx_countries *c = NULL;
    assert_int_equal(dx_countries_new(&c), DX_OK);
    print_message("# dx_countries_new: %.1f ms\n", (seconds_now() - start) * 1e3);
    dx_countries_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_english_names),
        cmocka_unit_test(test_japanese_names),
        cmocka_unit_test(test_other_languages),
        cmocka_unit_test(test_demonyms),
        cmocka_unit_test(test_variants),
        cmocka_unit_test(test_nationality_forms),
        cmocka_unit_test(test_diacritics_and_width),
        cmocka_unit_test(test_ambiguous),
        cmocka_unit_test(test_unknown),
        cmocka_unit_test(test_name_and_alpha3),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_coverage_dinu),
        cmocka_unit_test(test_coverage_mledoze),
        cmocka_unit_test(test_timings),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
