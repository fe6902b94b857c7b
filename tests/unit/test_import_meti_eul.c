/*
 * test_import_meti_eul.c — METI's End User List importer (src/lib/import_meti_eul.c).
 *
 * The real list is read from ../shared/data at run time. Its counts are checked two ways:
 * against the figures METI announced and domain.md §1.6 records (835 entries, 15 countries
 * and regions, Iran 257, North Korea 154, China 127), and entry by entry against the folder's
 * derived CSV (derived/meti_eul_20250929.csv, a flattening made by someone else with other
 * code), read here with a few lines of plain C: for each METI No., the concern bits from the
 * CSV's wmd_codes column (the letters B, C, M, N in ASCII or full width, whatever separates
 * them) and its conventional_weapons column ("CW") must equal the importer's, the CSV's
 * country_en must map to one country code throughout, and every CSV alias without CJK text
 * must be one of the entry's aliases. Synthetic workbooks written with libxlsxwriter cover the
 * quirks (column order, labels vs codes, wrapped aliases) and every error.
 */
#include "import_testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "alloc.h"
#include "dexcheck/records.h"
#include "entry.h"
#include "import.h"

#define METI_DIR DX_SHARED_DATA "/lists/meti_end_user_list"
#define METI_XLSX METI_DIR "/20250929_4.xlsx"
#define METI_CSV METI_DIR "/derived/meti_eul_20250929.csv"

static dx_countries *countries;

/* ---- what an import gave ---------------------------------------------------------------- */

typedef struct got_entry {
    char *id, *name;
    char country[3];
    unsigned bits, fact_bits;
    long no;                  /* METI's No., from raw; -1 when absent */
    dx_entry_kind kind;
    size_t n_names;
    dx_name_kind *kinds;
    char **names;
    char *raw;
} got_entry;

typedef struct got {
    got_entry *entries;
    size_t n, cap;
    dx_diags *diags;
    dx_status status;
    char date[11];
    size_t stop_after; /* make emit fail after this many entries; 0 = never */
} got;

static char *copy(const char *s)
{
    char *c = strdup(s ? s : "");
    assert_non_null(c);
    return c;
}

static unsigned code_bit(const char *code)
{
    static const char *const codes[] = {"B", "C", "M", "N", "CW"};
    for (unsigned i = 0; i < 5; i++) {
        if (!strcmp(code, codes[i]))
            return 1u << i;
    }
    return 0;
}

static dx_status collect(void *ctx, const dx_entry *e)
{
    got *g = ctx;
    if (g->stop_after && g->n == g->stop_after)
        return DX_ERR_INTERNAL;
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 64;
        g->entries = realloc(g->entries, g->cap * sizeof *g->entries);
        assert_non_null(g->entries);
    }
    got_entry *o = &g->entries[g->n++];
    memset(o, 0, sizeof *o);
    assert_string_equal(e->list_id, "jp_meti_eul");
    o->id = copy(e->entry_id);
    o->name = copy(e->name);
    o->bits = e->concern_types;
    o->kind = e->kind;
    o->raw = copy(e->raw);
    const char *no = strstr(e->raw, "\"No.\":\"");
    o->no = no ? strtol(no + 7, NULL, 10) : -1;
    for (size_t i = 0; i < e->n_facts; i++) {
        if (!strcmp(e->facts[i].type, "country"))
            memcpy(o->country, e->facts[i].country, 3);
        if (!strcmp(e->facts[i].type, "concern"))
            o->fact_bits |= code_bit(e->facts[i].value);
    }
    o->n_names = e->n_names;
    o->names = calloc(e->n_names + 1, sizeof *o->names);
    o->kinds = calloc(e->n_names + 1, sizeof *o->kinds);
    assert_true(o->names && o->kinds);
    for (size_t i = 0; i < e->n_names; i++) {
        o->names[i] = copy(e->names[i].text);
        o->kinds[i] = e->names[i].kind;
    }
    return DX_OK;
}

static void got_free(got *g)
{
    for (size_t i = 0; i < g->n; i++) {
        got_entry *e = &g->entries[i];
        for (size_t k = 0; k < e->n_names; k++)
            free(e->names[k]);
        free(e->names);
        free(e->kinds);
        free(e->id);
        free(e->name);
        free(e->raw);
    }
    free(g->entries);
    dx_diags_free(g->diags);
    memset(g, 0, sizeof *g);
}

static void run_import(const unsigned char *bytes, size_t len, got *g)
{
    g->status = itu_import(dx_import_meti_eul, countries, "list.xlsx", "list.xlsx", bytes, len,
                           collect, g, "x", &g->diags, g->date, NULL);
}

static const got_entry *by_id(const got *g, const char *id)
{
    for (size_t i = 0; i < g->n; i++) {
        if (!strcmp(g->entries[i].id, id))
            return &g->entries[i];
    }
    return NULL;
}

static const got_entry *by_no(const got *g, long no)
{
    for (size_t i = 0; i < g->n; i++) {
        if (g->entries[i].no == no)
            return &g->entries[i];
    }
    return NULL;
}

static int has_name(const got_entry *e, dx_name_kind kind, const char *text)
{
    for (size_t i = 0; i < e->n_names; i++) {
        if (e->kinds[i] == kind && !strcmp(e->names[i], text))
            return 1;
    }
    return 0;
}

static size_t count_kind(const got_entry *e, dx_name_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < e->n_names; i++)
        n += e->kinds[i] == kind;
    return n;
}

static int has_diag(const got *g, dx_severity sev, const char *code, const char *part)
{
    for (size_t i = 0; i < dx_diags_count(g->diags); i++) {
        const dx_diag *d = dx_diags_get(g->diags, i);
        if (d->severity == sev && !strcmp(d->code, code) && strstr(d->message, part))
            return 1;
    }
    return 0;
}

/* ---- the derived CSV, read independently -------------------------------------------------- */

#define CSV_COLS 8
enum { CSV_NO, CSV_COUNTRY_JA, CSV_COUNTRY_EN, CSV_NAME, CSV_ALIASES, CSV_WMD_JA, CSV_WMD_CODES,
       CSV_CW };

/* One RFC 4180 record from *p into fields (malloc'd); 0 at the end of the text. */
static int csv_record(const char **p, char *fields[CSV_COLS])
{
    const char *s = *p;
    if (!*s)
        return 0;
    for (int f = 0; f < CSV_COLS; f++) {
        size_t cap = 256, n = 0;
        char *out = malloc(cap);
        assert_non_null(out);
        int quoted = *s == '"';
        s += quoted;
        for (;;) {
            if (quoted && s[0] == '"' && s[1] == '"') {
                s++;
            } else if (quoted && s[0] == '"') {
                s++;
                quoted = 0;
                continue;
            } else if (!quoted && (s[0] == ',' || s[0] == '\n' || s[0] == '\0')) {
                break;
            }
            if (n + 2 > cap)
                assert_non_null(out = realloc(out, cap *= 2));
            out[n++] = *s++;
        }
        out[n] = '\0';
        fields[f] = out;
        if (*s == ',')
            s++;
    }
    assert_true(*s == '\n' || *s == '\0');
    *p = s + (*s == '\n');
    return 1;
}

/* The concern bits of the CSV's code and CW columns. */
static unsigned csv_bits(const char *codes, const char *cw)
{
    static const char *const full[] = {"\xEF\xBC\xA2", "\xEF\xBC\xA3", "\xEF\xBC\xAD",
                                       "\xEF\xBC\xAE"}; /* Ｂ Ｃ Ｍ Ｎ */
    static const char ascii[] = "BCMN";
    unsigned bits = 0;
    for (const char *s = codes; *s; s++) {
        const char *hit = strchr(ascii, *s);
        if (hit && *hit)
            bits |= 1u << (hit - ascii);
        for (int k = 0; k < 4; k++) {
            if (!strncmp(s, full[k], 3))
                bits |= 1u << k;
        }
    }
    if (!strcmp(cw, "CW"))
        bits |= DX_CONCERN_CW;
    return bits;
}

static int has_cjk_bytes(const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s >= 0xE3 && (unsigned char)*s <= 0xE9)
            return 1;
    }
    return 0;
}

/* Collapse runs of spaces and trim, in place. */
static void squeeze(char *s)
{
    size_t o = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == ' ' && (o == 0 || s[o - 1] == ' '))
            continue;
        s[o++] = s[i];
    }
    while (o > 0 && s[o - 1] == ' ')
        o--;
    s[o] = '\0';
}

/* ---- the real list ---------------------------------------------------------------------- */

static got real;

static int import_real(void **state)
{
    (void)state;
    size_t len;
    unsigned char *bytes = itu_read_file(METI_XLSX, &len);
    run_import(bytes, len, &real);
    free(bytes);
    return 0;
}

static int free_real(void **state)
{
    (void)state;
    got_free(&real);
    return 0;
}

static void test_real_counts(void **state)
{
    (void)state;
    assert_int_equal(real.status, DX_OK);
    assert_int_equal(dx_diags_count(real.diags), 0);
    assert_int_equal(real.n, 835);
    assert_string_equal(real.date, "2025-09-25"); /* docProps/core.xml dcterms:modified */
    char codes[32][3];
    size_t counts[32], n_codes = 0;
    for (size_t i = 0; i < real.n; i++) {
        const got_entry *e = &real.entries[i];
        assert_int_equal(e->kind, DX_ENTRY_ORGANIZATION);
        assert_int_equal(strlen(e->country), 2);
        assert_memory_equal(e->id, e->country, 2);
        assert_int_equal(e->id[2], ':');
        assert_int_equal(e->bits, e->fact_bits); /* a `concern` fact for every bit */
        assert_true(e->bits != 0);
        assert_int_equal(e->kinds[0], DX_NAME_PRIMARY);
        assert_int_equal(e->no, (long)i + 1);
        size_t c = 0;
        while (c < n_codes && strcmp(codes[c], e->country))
            c++;
        if (c == n_codes) {
            assert_true(n_codes < 32);
            memcpy(codes[n_codes], e->country, 3);
            counts[n_codes++] = 0;
        }
        counts[c]++;
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(real.entries[k].id, e->id);
    }
    assert_int_equal(n_codes, 15);
    static const struct {
        const char *code;
        size_t n;
    } expect[] = {{"IR", 257}, {"KP", 154}, {"CN", 127}, {"PK", 103}, {"RU", 100},
                  {"AE", 29},  {"HK", 22},  {"SY", 19},  {"LB", 9},   {"TW", 5},
                  {"EG", 3},   {"AF", 2},   {"YE", 2},   {"IN", 2},   {"IL", 1}};
    for (size_t k = 0; k < sizeof expect / sizeof *expect; k++) {
        size_t c = 0;
        while (c < n_codes && strcmp(codes[c], expect[k].code))
            c++;
        assert_true(c < n_codes);
        assert_int_equal(counts[c], expect[k].n);
    }
}

static void test_real_against_csv(void **state)
{
    (void)state;
    size_t len;
    char *text = (char *)itu_read_file(METI_CSV, &len);
    const char *p = text;
    char *f[CSV_COLS];
    assert_true(csv_record(&p, f)); /* header */
    assert_string_equal(f[CSV_WMD_CODES], "wmd_codes");
    for (int k = 0; k < CSV_COLS; k++)
        free(f[k]);
    size_t rows = 0, bit_count[5] = {0}, aliases_checked = 0;
    char country_en[20][64], country_code[20][3];
    size_t n_countries = 0;
    while (csv_record(&p, f)) {
        rows++;
        long no = strtol(f[CSV_NO], NULL, 10);
        const got_entry *e = by_no(&real, no);
        assert_non_null(e);
        unsigned bits = csv_bits(f[CSV_WMD_CODES], f[CSV_CW]);
        assert_int_equal(e->bits, bits);
        for (int k = 0; k < 5; k++)
            bit_count[k] += (bits >> k) & 1;
        size_t c = 0;
        while (c < n_countries && strcmp(country_en[c], f[CSV_COUNTRY_EN]))
            c++;
        if (c == n_countries) {
            assert_true(n_countries < 20);
            snprintf(country_en[c], sizeof country_en[c], "%s", f[CSV_COUNTRY_EN]);
            memcpy(country_code[c], e->country, 3);
            n_countries++;
        }
        assert_string_equal(country_code[c], e->country);
        /* every alias the CSV has without CJK text is one of the entry's strong aliases */
        for (char *a = f[CSV_ALIASES], *next; a && *a; a = next) {
            char *sep = strstr(a, " | ");
            next = sep ? sep + 3 : NULL;
            if (sep)
                *sep = '\0';
            squeeze(a);
            if (!has_cjk_bytes(a) && !strchr(a, ';')) {
                assert_true(has_name(e, DX_NAME_ALIAS_STRONG, a));
                aliases_checked++;
            }
        }
        for (int k = 0; k < CSV_COLS; k++)
            free(f[k]);
    }
    assert_int_equal(rows, 835);
    assert_int_equal(n_countries, 15);
    assert_int_equal(aliases_checked, 1341);
    /* the CSV's own totals, which are also domain.md's distribution */
    assert_int_equal(bit_count[0], 218); /* B */
    assert_int_equal(bit_count[1], 233); /* C */
    assert_int_equal(bit_count[2], 616); /* M */
    assert_int_equal(bit_count[3], 465); /* N */
    assert_int_equal(bit_count[4], 240); /* CW */
    free(text);
}

static void test_real_spot_checks(void **state)
{
    (void)state;
    /* No. 1: eight aliases, every WMD type and conventional weapons */
    const got_entry *e = by_id(&real, "AF:al-qa-ida-islamic-army");
    assert_non_null(e);
    assert_string_equal(e->name, "Al Qa'ida/Islamic Army");
    assert_int_equal(count_kind(e, DX_NAME_ALIAS_STRONG), 8);
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "Al Qaeda"));
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "Usama Bin Laden Organisation"));
    assert_int_equal(e->bits, DX_CONCERN_B | DX_CONCERN_C | DX_CONCERN_M | DX_CONCERN_N |
                                  DX_CONCERN_CW);
    assert_non_null(strstr(e->raw, "\"No.\":\"1\""));

    /* conventional weapons only */
    e = by_id(&real, "RU:uralvagonzavod");
    assert_non_null(e);
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "UVZ"));
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "NPK Uralvagonzavod"));
    assert_int_equal(e->bits, DX_CONCERN_CW);
    assert_int_equal(e->fact_bits, DX_CONCERN_CW);

    /* the CJK name in parentheses on its own line */
    e = by_id(&real, "KP:air-koryo");
    assert_non_null(e);
    assert_string_equal(e->name, "Air Koryo");
    assert_true(has_name(e, DX_NAME_ORIGINAL_SCRIPT, "\xE9\xAB\x98\xE9\xBA\x97\xE8\x88\xAA"
                                                     "\xE7\xA9\xBA")); /* 高麗航空 */
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "Airkoryo"));
    /* ... and on the same line, in full-width parentheses, with "ミサイルM" */
    e = by_id(&real, "CN:chengdu-rml-technology-co-ltd");
    assert_non_null(e);
    assert_string_equal(e->name, "Chengdu RML Technology Co., Ltd.");
    assert_true(has_name(e, DX_NAME_ORIGINAL_SCRIPT,
                         "\xE6\x88\x90\xE9\x83\xBD\xE9\x9B\xB7\xE7\x94\xB5\xE5\xBE\xAE\xE5\x8A"
                         "\x9B\xE7\xA7\x91\xE6\x8A\x80\xE8\x82\xA1\xE4\xBB\xBD\xE6\x9C\x89\xE9"
                         "\x99\x90\xE5\x85\xAC\xE5\x8F\xB8")); /* 成都雷电微力科技股份有限公司 */
    assert_int_equal(e->bits, DX_CONCERN_M | DX_CONCERN_CW);
    /* a Latin acronym in parentheses stays in the name */
    e = by_id(&real, "AE:delta-engineering-concern-fze-dec");
    assert_non_null(e);
    assert_string_equal(e->name, "Delta Engineering Concern FZE \xEF\xBC\x88" "DEC\xEF\xBC\x89");
    assert_int_equal(count_kind(e, DX_NAME_ORIGINAL_SCRIPT), 0);
    /* a full-width Ｎ */
    e = by_id(&real, "PK:na-enterprises");
    assert_non_null(e);
    assert_int_equal(e->bits, DX_CONCERN_N);
    /* "M、N" */
    e = by_id(&real, "RU:tupolev-jsc");
    assert_non_null(e);
    assert_int_equal(e->bits, DX_CONCERN_M | DX_CONCERN_N | DX_CONCERN_CW);
    /* a CJK alias line after its Latin alias; nested parentheses in both */
    e = by_id(&real, "KP:korea-rungrado-general-trading-co");
    assert_non_null(e);
    assert_string_equal(e->name, "Korea Rungrado (General) Trading Co.");
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "Korea Rungrado Jonsong Trading Co."));
    assert_true(has_name(e, DX_NAME_ORIGINAL_SCRIPT,
                         "\xE6\x9C\x9D\xE9\xAE\xAE\xE7\xB6\xBE\xE7\xBE\x85\xE5\xB3\xB6\xE8\xB2"
                         "\xBF\xE6\x98\x93(\xE7\xB7\x8F)\xE4\xBC\x9A\xE7\xA4\xBE"));
    /* a wrapped alias joined; "; and" dropped */
    e = by_id(&real, "RU:joint-stock-company-uraltransmash");
    assert_non_null(e);
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "Aktsionernoe Obshchestvo Uralskiy Zavod "
                                                  "Transportnogo Mashinostroeniya"));
    e = by_id(&real, "RU:joint-stock-company-experimental-design-bureau-novator");
    assert_non_null(e);
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "Novator Design Bureau"));
    assert_int_equal(count_kind(e, DX_NAME_ALIAS_STRONG), 2);
    /* an ideographic space in a name is a space */
    e = by_id(&real, "KP:department-53-of-the-ministry-of-the-people-s-armed-forces");
    assert_non_null(e);
    assert_string_equal(e->name, "DEPARTMENT 53 OF THE MINISTRY OF THE PEOPLE'S ARMED FORCES");
}

/* ---- synthetic workbooks ---------------------------------------------------------------- */

/* A workbook of `rows` x `cols` cells (NULL = no cell), written by libxlsxwriter. */
static unsigned char *workbook(const char *const *cells, int rows, int cols, size_t *len)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/dx_test_meti_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "\xE3\x83\xA6\xE3\x83\xBC\xE3\x82\xB6\xE3"
                                                   "\x83\xBC\xE3\x83\xAA\xE3\x82\xB9\xE3\x83\x88");
    for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
            if (cells[r * cols + c])
                worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, cells[r * cols + c], NULL);
        }
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    unsigned char *bytes = itu_read_file(path, len);
    unlink(path);
    return bytes;
}

#define H_NO "No."
#define H_COUNTRY "\xE5\x9B\xBD\xE5\x90\x8D\xE3\x80\x81\xE5\x9C\xB0\xE5\x9F\x9F\xE5\x90\x8D\nCountry or Region"
#define H_NAME "\xE4\xBC\x81\xE6\xA5\xAD\xE5\x90\x8D\nCompany or Organization"
#define H_ALIASES "\xE5\x88\xA5\xE5\x90\x8D\nAlso Known As"
#define H_WMD "\xE6\x87\xB8\xE5\xBF\xB5\xE5\x8C\xBA\xE5\x88\x86\nType of WMD"
#define H_CW "\xE9\x80\x9A\xE5\xB8\xB8\xE5\x85\xB5\xE5\x99\xA8\nConventional Weapons"
#define IRAN "\xE3\x82\xA4\xE3\x83\xA9\xE3\x83\xB3\nIslamic Republic of Iran"
#define CHINA "\xE4\xB8\xAD\xE5\x9B\xBD\nPeople's Republic of China"
#define MISSILE "\xE3\x83\x9F\xE3\x82\xB5\xE3\x82\xA4\xE3\x83\xAB"   /* ミサイル */
#define NUCLEAR "\xE6\xA0\xB8"                                       /* 核 */
#define BIO "\xE7\x94\x9F\xE7\x89\xA9"                               /* 生物 */
#define CHEM "\xE5\x8C\x96\xE5\xAD\xA6"                              /* 化学 */
#define CONV "\xE9\x80\x9A\xE5\xB8\xB8\xE5\x85\xB5\xE5\x99\xA8"      /* 通常兵器 */
#define COMMA_JA "\xE3\x80\x81"                                      /* 、 */
#define DOT_JA "\xE3\x83\xBB"                                        /* ・ */

/* Columns in another order than METI's, an extra column, a title row above the header. */
#define QCOLS 7
static const char *const QUIRKS[] = {
    "Title of the list", NULL, NULL, NULL, NULL, NULL, NULL,
    H_NO, H_NAME, H_CW, H_COUNTRY, H_WMD, H_ALIASES, "Remarks",
    "1", "Alpha Trading (AT)", NULL, IRAN, MISSILE "M", NULL, "note one",
    "2", "Beta Works\n(\xE5\x8C\x97\xE4\xBA\xAC\xE8\xB2\xBF\xE6\x98\x93)", CONV "\nCW", CHINA,
    MISSILE COMMA_JA NUCLEAR "\nM" COMMA_JA "N",
    DOT_JA "Beta One\n" DOT_JA "Beta Works Long\nName Ltd\n(\xE5\x8C\x97\xE4\xBA\xAC)\n"
    DOT_JA "Beta Three; and", NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    "4", "Gamma", NULL, "IR", NUCLEAR "\n\xEF\xBC\xAE ", "Gamma Alias", NULL,
    "5", "Delta", NULL, IRAN, BIO DOT_JA CHEM, NULL, NULL,
    "6", "Epsilon", CONV "\nCW", IRAN, "B/C", NULL, NULL,
};

static void test_quirks(void **state)
{
    (void)state;
    size_t len;
    unsigned char *bytes = workbook(QUIRKS, sizeof QUIRKS / sizeof *QUIRKS / QCOLS, QCOLS, &len);
    got g = {0};
    run_import(bytes, len, &g);
    assert_int_equal(g.status, DX_OK);
    assert_int_equal(dx_diags_count_severity(g.diags, DX_SEV_ERROR), 0);
    assert_int_equal(g.n, 5);
    assert_int_equal(strlen(g.date), 10); /* libxlsxwriter writes dcterms:created */

    const got_entry *e = by_id(&g, "IR:alpha-trading-at");
    assert_non_null(e);
    assert_string_equal(e->name, "Alpha Trading (AT)");
    assert_int_equal(e->bits, DX_CONCERN_M);
    assert_int_equal(e->n_names, 1);
    assert_string_equal(e->country, "IR");
    assert_non_null(strstr(e->raw, "\"Remarks\":\"note one\""));
    assert_non_null(strstr(e->raw, "\"No.\":\"1\""));
    assert_non_null(strstr(e->raw, "\"" "\xE4\xBC\x81\xE6\xA5\xAD\xE5\x90\x8D Company or "
                                   "Organization\":\"Alpha Trading (AT)\""));

    e = by_id(&g, "CN:beta-works");
    assert_non_null(e);
    assert_string_equal(e->name, "Beta Works");
    assert_true(has_name(e, DX_NAME_ORIGINAL_SCRIPT, "\xE5\x8C\x97\xE4\xBA\xAC\xE8\xB2\xBF"
                                                     "\xE6\x98\x93"));
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "Beta One"));
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "Beta Works Long Name Ltd"));
    assert_true(has_name(e, DX_NAME_ORIGINAL_SCRIPT, "\xE5\x8C\x97\xE4\xBA\xAC"));
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "Beta Three"));
    assert_int_equal(count_kind(e, DX_NAME_ALIAS_STRONG), 3);
    assert_int_equal(e->bits, DX_CONCERN_M | DX_CONCERN_N | DX_CONCERN_CW);
    assert_int_equal(e->fact_bits, e->bits);

    e = by_id(&g, "IR:gamma"); /* country given as a code; full-width Ｎ with a space */
    assert_non_null(e);
    assert_int_equal(e->bits, DX_CONCERN_N);
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "Gamma Alias")); /* no bullet: one alias */
    assert_int_equal(by_id(&g, "IR:delta")->bits, DX_CONCERN_B | DX_CONCERN_C);
    assert_int_equal(by_id(&g, "IR:epsilon")->bits, DX_CONCERN_B | DX_CONCERN_C | DX_CONCERN_CW);
    got_free(&g);
    free(bytes);
}

#define ECOLS 6
static const char *const ERRORS[] = {
    H_NO, H_COUNTRY, H_NAME, H_ALIASES, H_WMD, H_CW,
    "1", IRAN, "Good One", NULL, NUCLEAR "\nN", NULL,
    "2", IRAN, NULL, "alias only", NUCLEAR "\nN", NULL,                        /* no name */
    "3", "Atlantis", "Sunken Co", NULL, NUCLEAR "\nN", NULL,                   /* country */
    "4", IRAN, "Odd Codes", NULL, NUCLEAR "\nZ", NULL,                         /* concern */
    "5", IRAN, "good one", NULL, MISSILE "\nM", NULL,                          /* repeat */
    "6", IRAN, "Mixed", NULL, MISSILE "\nN", NULL,                             /* warning */
    "7", IRAN, "Nothing", NULL, NULL, NULL,                                    /* warning */
    "8", IRAN, "Odd CW", NULL, NULL, "yes",                                    /* concern */
};

static void test_errors(void **state)
{
    (void)state;
    size_t len;
    unsigned char *bytes = workbook(ERRORS, sizeof ERRORS / sizeof *ERRORS / ECOLS, ECOLS, &len);
    got g = {0};
    run_import(bytes, len, &g);
    assert_int_equal(g.status, DX_ERR_INPUT);
    assert_true(has_diag(&g, DX_SEV_ERROR, "meti.no-name", "xl/worksheets/sheet1.xml: row 3 "
                                                            "(No. 2): "));
    assert_true(has_diag(&g, DX_SEV_ERROR, "meti.country", "row 4 (No. 3): the country or "
                                                            "region 'Atlantis'"));
    assert_true(has_diag(&g, DX_SEV_ERROR, "meti.concern", "row 5 (No. 4): unknown concern "
                                                            "type text 'Z' in '" NUCLEAR " Z'"));
    assert_true(has_diag(&g, DX_SEV_ERROR, "meti.duplicate-id", "'IR:good-one' is the same as "
                                                                "row 2's"));
    assert_true(has_diag(&g, DX_SEV_WARNING, "meti.concern-mismatch", "row 7 (No. 6)"));
    assert_true(has_diag(&g, DX_SEV_WARNING, "meti.no-concern", "row 8 (No. 7)"));
    assert_true(has_diag(&g, DX_SEV_ERROR, "meti.concern", "row 9 (No. 8): unknown concern "
                                                            "type text 'yes'"));
    assert_int_equal(dx_diags_count_severity(g.diags, DX_SEV_ERROR), 5);
    for (size_t i = 0; i < dx_diags_count(g.diags); i++) {
        const dx_diag *d = dx_diags_get(g.diags, i);
        assert_string_equal(d->source, "list.xlsx");
        assert_true(d->line >= 2); /* the XML line of the row */
        assert_null(strchr(d->message, '\n'));
    }
    /* the rows without errors are still delivered (the store keeps nothing of a failed import) */
    assert_int_equal(g.n, 3);
    assert_int_equal(by_id(&g, "IR:mixed")->bits, DX_CONCERN_M | DX_CONCERN_N);
    got_free(&g);
    free(bytes);
}

/* A row whose cells would make a raw JSON object past the builder's 16 MB cap (control
 * characters are escaped six-fold): an error for that row, not a silent DX_ERR_LIMIT. */
static void test_row_too_large(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/dx_test_meti_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    static const char *const header[] = {H_NO, H_COUNTRY, H_NAME, H_ALIASES, H_WMD, H_CW};
    for (int c = 0; c < 6; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, header[c], NULL);
    worksheet_write_string(ws, 1, 1, IRAN, NULL);
    worksheet_write_string(ws, 1, 2, "Big Row", NULL);
    worksheet_write_string(ws, 1, 4, NUCLEAR, NULL);
    static char text[32768];
    unsigned seed = 12345;
    for (int c = 6; c < 6 + 160; c++) {
        for (size_t i = 0; i < sizeof text - 1; i++) {
            seed = seed * 1103515245u + 12345u;
            text[i] = (seed >> 16) & 1 ? '\t' : (char)('a' + (seed >> 17) % 26);
        }
        worksheet_write_string(ws, 1, (lxw_col_t)c, text, NULL);
    }
    worksheet_write_string(ws, 2, 1, IRAN, NULL);
    worksheet_write_string(ws, 2, 2, "Small Row", NULL);
    worksheet_write_string(ws, 2, 4, NUCLEAR, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    size_t len;
    unsigned char *bytes = itu_read_file(path, &len);
    unlink(path);
    got g = {0};
    run_import(bytes, len, &g);
    assert_int_equal(g.status, DX_ERR_INPUT);
    assert_true(has_diag(&g, DX_SEV_ERROR, "meti.too-large", "row 2: "));
    assert_int_equal(g.n, 1);
    assert_non_null(by_id(&g, "IR:small-row"));
    got_free(&g);
    free(bytes);
}

static void test_not_the_list(void **state)
{
    (void)state;
    static const char *const no_header[] = {"a", "b", "c", "d"};
    size_t len;
    unsigned char *bytes = workbook(no_header, 2, 2, &len);
    got g = {0};
    run_import(bytes, len, &g);
    assert_int_equal(g.status, DX_ERR_INPUT);
    assert_true(has_diag(&g, DX_SEV_ERROR, "meti.header", "no header row"));
    assert_int_equal(g.n, 0);
    got_free(&g);
    free(bytes);

    static const unsigned char text[] = "No.,Country\n1,Iran\n";
    run_import(text, sizeof text - 1, &g);
    assert_int_equal(g.status, DX_ERR_INPUT);
    assert_true(has_diag(&g, DX_SEV_ERROR, "xlsx.zip", "not a readable .xlsx"));
    got_free(&g);

    /* two files */
    dx_entry_builder *b;
    assert_int_equal(dx_diags_new(&g.diags), DX_OK);
    assert_int_equal(dx_entry_builder_new(countries, &b), DX_OK);
    dx_import im = {g.diags, b, collect, &g, countries, "", NULL};
    dx_import_file files[2] = {{"a.xlsx", "a.xlsx", text, 1}, {"b.xlsx", "b.xlsx", text, 1}};
    assert_int_equal(dx_import_meti_eul(&im, files, 2), DX_ERR_INPUT);
    assert_true(has_diag(&g, DX_SEV_ERROR, "meti.files", "2 files"));
    dx_entry_builder_free(b);
    got_free(&g);
}

static void test_emit_stops(void **state)
{
    (void)state;
    size_t len;
    unsigned char *bytes = workbook(QUIRKS, sizeof QUIRKS / sizeof *QUIRKS / QCOLS, QCOLS, &len);
    got g = {0};
    g.stop_after = 2;
    run_import(bytes, len, &g);
    assert_int_equal(g.status, DX_ERR_INTERNAL); /* the callback's status, as it gave it */
    assert_int_equal(g.n, 2);
    got_free(&g);
    free(bytes);
}

/* Every allocation failure during an import: DX_ERR_NOMEM, until the run that succeeds with
 * every entry; nothing leaks (the san build). */
static void test_alloc_failures(void **state)
{
    (void)state;
    size_t len;
    unsigned char *bytes = workbook(QUIRKS, sizeof QUIRKS / sizeof *QUIRKS / QCOLS, QCOLS, &len);
    long n;
    for (n = 0; n < 100000; n++) {
        got g = {0};
        dx_entry_builder *b = NULL;
        assert_int_equal(dx_diags_new(&g.diags), DX_OK);
        dx_alloc_fail_after(n);
        dx_status st = dx_entry_builder_new(countries, &b);
        if (st == DX_OK) {
            dx_import im = {g.diags, b, collect, &g, countries, "", NULL};
            dx_import_file file = {"q.xlsx", "q.xlsx", bytes, len};
            st = dx_import_meti_eul(&im, &file, 1);
        }
        dx_alloc_fail_after(-1);
        dx_entry_builder_free(b);
        if (st == DX_OK) {
            assert_int_equal(g.n, 5);
            got_free(&g);
            break;
        }
        assert_int_equal(st, DX_ERR_NOMEM);
        got_free(&g);
    }
    assert_true(n > 10 && n < 100000);
    free(bytes);
}

static int setup(void **state)
{
    (void)state;
    return dx_countries_new(&countries) == DX_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    dx_countries_free(countries);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_real_counts, import_real),
        cmocka_unit_test(test_real_against_csv),
        cmocka_unit_test_teardown(test_real_spot_checks, free_real),
        cmocka_unit_test(test_quirks),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_row_too_large),
        cmocka_unit_test(test_not_the_list),
        cmocka_unit_test(test_emit_stops),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
