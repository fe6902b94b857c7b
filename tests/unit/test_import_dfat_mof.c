/*
 * test_import_dfat_mof.c — the DFAT Consolidated List importer (src/lib/import_au_dfat.c) and
 * the MOF economic-sanctions list importer (src/lib/import_jp_mof.c).
 *
 * The real files are read from ../shared/data at run time. Counts are checked against
 * independent figures:
 *   DFAT  the folder's derived CSV (derived/regulation8_consolidated.csv, a conversion made by
 *         someone else), read here with a few lines of plain C: the number of distinct digit
 *         prefixes of its Reference column (3,062 parties for 9,553 name rows).
 *   MOF   2,862, counted by hand with python3 + openpyxl (load_workbook, read_only): on every
 *         sheet but 一覧, the rows below the row whose column A is 告示日付 that have a
 *         Japanese (column C) or English (column D) name. The same count gives 752 for
 *         29.ロシア連邦(個人) and 24 for 21.ソマリア (whose 12 continuation rows are not parties).
 * Spot checks take one individual and one entity of each list (name, alias, dob, country).
 * Synthetic workbooks written with libxlsxwriter cover the grouping, continuation and
 * deletion rows, the errors and every allocation failure.
 */
#include "import_testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "alloc.h"
#include "entry.h"
#include "import.h"

#define DFAT_DIR DX_SHARED_DATA "/lists/au_dfat_consolidated"
#define DFAT_XLSX DFAT_DIR "/regulation8_consolidated.xlsx"
#define DFAT_CSV DFAT_DIR "/derived/regulation8_consolidated.csv"
#define MOF_XLSX DX_SHARED_DATA "/lists/jp_mof_economic_sanctions/shisantouketsu20260305.xlsx"
#define METI_XLSX DX_SHARED_DATA "/lists/meti_end_user_list/20250929_4.xlsx"

#define MOF_ENTRIES 2862 /* python3 + openpyxl, see the top comment */

static dx_countries *countries;

/* ---- what an import gave ---------------------------------------------------------------- */

typedef struct got_fact {
    char *type, *value;
    char country[3];
} got_fact;

typedef struct got_entry {
    char *id, *name, *start, *remarks, *raw;
    dx_entry_kind kind;
    size_t n_names, n_facts;
    dx_name_kind *kinds;
    char **names;
    got_fact *facts;
} got_entry;

typedef struct got {
    got_entry *entries;
    size_t n, cap;
    dx_diags *diags;
    dx_status status;
    char date[11];
    const char *list_id;
} got;

static char *copy(const char *s)
{
    char *c = strdup(s ? s : "");
    assert_non_null(c);
    return c;
}

static dx_status collect(void *ctx, const dx_entry *e)
{
    got *g = ctx;
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 64;
        g->entries = realloc(g->entries, g->cap * sizeof *g->entries);
        assert_non_null(g->entries);
    }
    got_entry *o = &g->entries[g->n++];
    memset(o, 0, sizeof *o);
    assert_string_equal(e->list_id, g->list_id);
    assert_ptr_equal(e->names[0].text, e->name);
    o->id = copy(e->entry_id);
    o->name = copy(e->name);
    o->start = e->start_date ? copy(e->start_date) : NULL;
    o->remarks = e->remarks ? copy(e->remarks) : NULL;
    o->raw = copy(e->raw);
    o->kind = e->kind;
    o->n_names = e->n_names;
    o->names = calloc(e->n_names + 1, sizeof *o->names);
    o->kinds = calloc(e->n_names + 1, sizeof *o->kinds);
    o->n_facts = e->n_facts;
    o->facts = calloc(e->n_facts + 1, sizeof *o->facts);
    assert_true(o->names && o->kinds && o->facts);
    for (size_t i = 0; i < e->n_names; i++) {
        o->names[i] = copy(e->names[i].text);
        o->kinds[i] = e->names[i].kind;
    }
    for (size_t i = 0; i < e->n_facts; i++) {
        o->facts[i].type = copy(e->facts[i].type);
        o->facts[i].value = copy(e->facts[i].value);
        memcpy(o->facts[i].country, e->facts[i].country, 3);
    }
    return DX_OK;
}

static void got_free(got *g)
{
    for (size_t i = 0; i < g->n; i++) {
        got_entry *e = &g->entries[i];
        for (size_t k = 0; k < e->n_names; k++)
            free(e->names[k]);
        for (size_t k = 0; k < e->n_facts; k++)
            free(e->facts[k].type), free(e->facts[k].value);
        free(e->names), free(e->kinds), free(e->facts);
        free(e->id), free(e->name), free(e->start), free(e->remarks), free(e->raw);
    }
    free(g->entries);
    dx_diags_free(g->diags);
    memset(g, 0, sizeof *g);
}

static void run_import(dx_import_fn fn, const char *list_id, const unsigned char *bytes,
                       size_t len, got *g)
{
    g->list_id = list_id;
    g->status = itu_import(fn, countries, "list.xlsx", "list.xlsx", bytes, len, collect, g, "x",
                           &g->diags, g->date, NULL);
}

/* Import a real file, printing how long it took (for the report). */
static void import_real(dx_import_fn fn, const char *list_id, const char *path, got *g)
{
    size_t len;
    unsigned char *bytes = itu_read_file(path, &len);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    run_import(fn, list_id, bytes, len, g);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    print_message("# %s: %zu entries in %.0f ms\n", list_id, g->n,
                  (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
    free(bytes);
}

static const got_entry *by_id(const got *g, const char *id)
{
    for (size_t i = 0; i < g->n; i++) {
        if (!strcmp(g->entries[i].id, id))
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

/* The first fact of `type`; NULL when none. */
static const got_fact *fact(const got_entry *e, const char *type)
{
    for (size_t i = 0; i < e->n_facts; i++) {
        if (!strcmp(e->facts[i].type, type))
            return &e->facts[i];
    }
    return NULL;
}

static size_t count_facts(const got_entry *e, const char *type)
{
    size_t n = 0;
    for (size_t i = 0; i < e->n_facts; i++)
        n += !strcmp(e->facts[i].type, type);
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

static void assert_no_errors(const got *g)
{
    for (size_t i = 0; i < dx_diags_count(g->diags); i++) {
        const dx_diag *d = dx_diags_get(g->diags, i);
        if (d->severity == DX_SEV_ERROR)
            print_error("%s:%lu: %s: %s\n", d->source, d->line, d->code, d->message);
    }
    assert_int_equal(dx_diags_count_severity(g->diags, DX_SEV_ERROR), 0);
}

/* ---- the derived DFAT CSV, read independently ---------------------------------------------- */

/* The number of distinct digit prefixes of the first field of the CSV's records. */
static size_t csv_parties(const char *text)
{
    size_t cap = 16384, n = 0;
    char(*seen)[16] = calloc(cap, sizeof *seen);
    assert_non_null(seen);
    const char *s = strchr(text, '\n');
    assert_non_null(s);
    for (s++; *s;) {
        char digits[16];
        size_t d = 0;
        while (*s >= '0' && *s <= '9' && d < 15)
            digits[d++] = *s++;
        digits[d] = '\0';
        int quoted = 0; /* skip to the end of the record: newlines inside quotes stay */
        for (; *s && (quoted || *s != '\n'); s++)
            quoted ^= *s == '"';
        s += *s == '\n';
        if (!d)
            continue;
        size_t k = 0;
        while (k < n && strcmp(seen[k], digits))
            k++;
        if (k == n) {
            assert_true(n < cap);
            memcpy(seen[n++], digits, 16);
        }
    }
    free(seen);
    return n;
}

/* ---- the real lists --------------------------------------------------------------------- */

static got dfat_real, mof_real;

static int import_dfat(void **state)
{
    (void)state;
    import_real(dx_import_au_dfat, "au_dfat", DFAT_XLSX, &dfat_real);
    return 0;
}

static int import_mof(void **state)
{
    (void)state;
    import_real(dx_import_jp_mof, "jp_mof", MOF_XLSX, &mof_real);
    return 0;
}

static int free_dfat(void **state)
{
    (void)state;
    got_free(&dfat_real);
    return 0;
}

static int free_mof(void **state)
{
    (void)state;
    got_free(&mof_real);
    return 0;
}

static void test_dfat_count(void **state)
{
    (void)state;
    size_t len;
    char *csv = (char *)itu_read_file(DFAT_CSV, &len);
    size_t parties = csv_parties(csv);
    free(csv);
    assert_no_errors(&dfat_real);
    assert_int_equal(dfat_real.status, DX_OK);
    assert_int_equal(parties, 3062);
    assert_int_equal(dfat_real.n, parties);
    assert_string_equal(dfat_real.date, "2024-11-11");
}

/* 147: an individual with a date of birth stored as a date serial and 16 aliases. */
static void test_dfat_individual(void **state)
{
    (void)state;
    const got_entry *e = by_id(&dfat_real, "147");
    assert_non_null(e);
    assert_int_equal(e->kind, DX_ENTRY_PERSON);
    assert_string_equal(e->name, "Aiman Muhammed Rabi Al-Zawahiri");
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "Ayman Al-Zawahari"));
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "Eddaouahiri Ayman"));
    assert_int_equal(e->n_names, 17); /* 17 rows 147 .. 147p, 17 distinct names */
    assert_string_equal(fact(e, "dob")->value, "1951-06-19");
    assert_int_equal(count_facts(e, "dob"), 1); /* the 17 rows say it once */
    assert_string_equal(fact(e, "citizenship")->country, "EG");
    assert_string_equal(fact(e, "pob")->country, "EG"); /* "Giza, Egypt" */
    /* raw: the primary row whole, the alias rows by their own fields only */
    assert_non_null(strstr(e->raw, "\"Reference\":\"147j\""));
    const char *dob = strstr(e->raw, "\"Date of Birth\"");
    assert_non_null(dob);
    assert_null(strstr(dob + 1, "\"Date of Birth\""));
    /* 2: an original-script name */
    e = by_id(&dfat_real, "2");
    assert_non_null(e);
    assert_string_equal(e->name, "MOHAMMAD HASSAN AKHUND");
    assert_true(has_name(e, DX_NAME_ORIGINAL_SCRIPT,
                         "\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF \xD8\xAD\xD8\xB3\xD9\x86 "
                         "\xD8\xA3\xD8\xAE\xD9\x88\xD9\x86\xD8\xAF"));
    assert_string_equal(e->start, "2014-12-15");
    assert_string_equal(fact(e, "program")->value, "1988 (Taliban)");
}

/* 2940: an entity whose last alias row (2940j) sits among other parties' rows. */
static void test_dfat_entity(void **state)
{
    (void)state;
    const got_entry *e = by_id(&dfat_real, "2940");
    assert_non_null(e);
    assert_int_equal(e->kind, DX_ENTRY_ORGANIZATION);
    assert_string_equal(e->name, "Chernomorneftegaz");
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "NJSC Chornomornaftogaz"));
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "Chernomorneftegaz CJSC"));
    assert_int_equal(e->n_names, 11);
    assert_string_equal(e->start, "2023-06-10");
    assert_string_equal(fact(e, "program")->value, "Autonomous (Russia)");
    assert_non_null(fact(e, "address"));
    assert_null(fact(e, "dob"));
    assert_null(by_id(&dfat_real, "2940j"));
    /* 2943: former names */
    e = by_id(&dfat_real, "2943");
    assert_non_null(e);
    assert_true(has_name(e, DX_NAME_FORMER, "NALU"));
}

static void test_mof_count(void **state)
{
    (void)state;
    assert_no_errors(&mof_real);
    assert_int_equal(mof_real.status, DX_OK);
    assert_int_equal(mof_real.n, MOF_ENTRIES);
    assert_string_equal(mof_real.date, "2026-03-02");
    size_t russia = 0, somalia = 0;
    for (size_t i = 0; i < mof_real.n; i++) {
        russia += !strncmp(mof_real.entries[i].id, "29-", 3);
        somalia += !strncmp(mof_real.entries[i].id, "21-", 3);
        assert_non_null(fact(&mof_real.entries[i], "program"));
    }
    assert_int_equal(russia, 752);
    assert_int_equal(somalia, 24);
}

/* 15-1 (北朝鮮 individuals, No. 1) and 29-1 (Russia individuals, No. 1). */
static void test_mof_individual(void **state)
{
    (void)state;
    const got_entry *e = by_id(&mof_real, "15-1");
    assert_non_null(e);
    assert_int_equal(e->kind, DX_ENTRY_PERSON);
    assert_string_equal(e->name, "Yun Ho-jin");
    assert_true(has_name(e, DX_NAME_ORIGINAL_SCRIPT,
                         "\xE3\x83\xA6\xE3\x83\xB3\xE3\x83\xBB\xE3\x83\x9B\xE3\x82\xB8\xE3\x83\xB3"));
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "Yun Ho-chin"));
    assert_true(has_name(e, DX_NAME_ORIGINAL_SCRIPT,
                         "\xE3\x83\xA6\xE3\x83\xB3\xE3\x83\xBB\xE3\x83\x9B\xE3\x83\x81\xE3\x83\xB3"));
    assert_string_equal(fact(e, "dob")->value, "1944-10-13"); /* serial 16358 */
    assert_string_equal(fact(e, "nationality")->country, "KP");
    assert_string_equal(e->start, "2009-07-24");
    e = by_id(&mof_real, "29-1");
    assert_non_null(e);
    assert_string_equal(e->name, "Vladimir Putin");
    assert_string_equal(fact(e, "dob")->value, "1952-10-07");
    assert_string_equal(fact(e, "pob")->country, "RU");
    assert_string_equal(fact(e, "program")->value,
                        "\xE3\x83\xAD\xE3\x82\xB7\xE3\x82\xA2\xE9\x80\xA3\xE9\x82\xA6(\xE5\x80\x8B"
                        "\xE4\xBA\xBA)"); /* ロシア連邦(個人) */
    /* 2-4: "(original script: …)" in the English name */
    e = by_id(&mof_real, "2-4");
    assert_non_null(e);
    assert_int_equal(e->kind, DX_ENTRY_PERSON);
    assert_string_equal(e->name, "MOHAMMED OMAR GHULAM NABI");
    assert_true(has_name(e, DX_NAME_ORIGINAL_SCRIPT,
                         "\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF \xD8\xB9\xD9\x85\xD8\xB1\xD8\xBA\xD9\x84"
                         "\xD8\xA7\xD9\x85 \xD9\x86\xD8\xA8\xDB\x8C"));
    assert_string_equal(fact(e, "nationality")->country, "AF");
}

/* 20-1 (Iran entities) and 2's Al-Qaida, an organisation in a mixed programme. */
static void test_mof_entity(void **state)
{
    (void)state;
    const got_entry *e = by_id(&mof_real, "20-1");
    assert_non_null(e);
    assert_int_equal(e->kind, DX_ENTRY_ORGANIZATION);
    assert_string_equal(e->name, "ATOMIC ENERGY ORGANISATION OF IRAN");
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "AEOI"));
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "Sazeman-e Energy Atomi"));
    assert_string_equal(fact(e, "address")->country, "IR");
    assert_string_equal(e->start, "2025-09-28");
    size_t orgs = 0;
    for (size_t i = 0; i < mof_real.n; i++) {
        const got_entry *o = &mof_real.entries[i];
        orgs += !strncmp(o->id, "2-", 2) && o->kind == DX_ENTRY_ORGANIZATION;
        if (!strcmp(o->name, "AL-QAIDA"))
            assert_int_equal(o->kind, DX_ENTRY_ORGANIZATION);
    }
    assert_true(orgs > 50);
}

/* ---- wrong formats ---------------------------------------------------------------------- */

static void test_wrong_format(void **state)
{
    (void)state;
    size_t len;
    unsigned char *meti = itu_read_file(METI_XLSX, &len);
    got g = {0};
    run_import(dx_import_au_dfat, "au_dfat", meti, len, &g);
    assert_int_equal(g.status, DX_ERR_INPUT);
    assert_int_equal(g.n, 0);
    assert_true(has_diag(&g, DX_SEV_ERROR, "dfat.format", "does not look like DFAT"));
    got_free(&g);
    run_import(dx_import_jp_mof, "jp_mof", meti, len, &g);
    assert_int_equal(g.status, DX_ERR_INPUT);
    assert_int_equal(g.n, 0);
    assert_true(has_diag(&g, DX_SEV_ERROR, "mof.format", "does not look like MOF"));
    got_free(&g);
    free(meti);
    const unsigned char junk[] = "Reference,Name\n1,x\n";
    run_import(dx_import_au_dfat, "au_dfat", junk, sizeof junk - 1, &g);
    assert_int_equal(g.status, DX_ERR_INPUT);
    got_free(&g);
}

/* ---- synthetic workbooks ---------------------------------------------------------------- */

typedef struct sheet_spec {
    const char *name;
    const char *const *cells; /* rows x cols, NULL = no cell; "#n" = the number n */
    int rows, cols;
} sheet_spec;

static unsigned char *workbook(const sheet_spec *sheets, int n_sheets, size_t *len)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/dx_test_dfat_mof_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    for (int s = 0; s < n_sheets; s++) {
        lxw_worksheet *ws = workbook_add_worksheet(wb, sheets[s].name);
        for (int r = 0; r < sheets[s].rows; r++) {
            for (int c = 0; c < sheets[s].cols; c++) {
                const char *v = sheets[s].cells[r * sheets[s].cols + c];
                if (v && v[0] == '#')
                    worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)c, atof(v + 1), NULL);
                else if (v)
                    worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, v, NULL);
            }
        }
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    unsigned char *bytes = itu_read_file(path, len);
    unlink(path);
    return bytes;
}

#define DCOLS 8
static const char *const DFAT_ROWS[] = {
    "Reference", "Name of Individual or Entity", "Type", "Name Type", "Date of Birth",
    "Citizenship", "Committees", "Control Date",
    "#7", "John SMITH", "Individual ", "Primary name", "#18798", "Egyptian", "C1", "#45087",
    "7a", "Jon Smith", "individual", "Aka ", "#18798", "Egyptian", "C1", "#45087",
    "#8", "Acme Ltd", "Entity", "Primary Name", NULL, NULL, "C2", "#45087",
    "7b", "Old Smith", "Individual", "Formerly known as", "#1960", "Egyptian", "C1", "#45087",
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    "8a", "\xD8\xA3\xD9\x83\xD9\x85\xD9\x8A", "Entity", "Original Script", NULL, NULL, "C2",
    "#45087",
};

static unsigned char *dfat_workbook(size_t *len)
{
    sheet_spec s = {"Sheet1", DFAT_ROWS, sizeof DFAT_ROWS / sizeof *DFAT_ROWS / DCOLS, DCOLS};
    return workbook(&s, 1, len);
}

static void test_dfat_synthetic(void **state)
{
    (void)state;
    size_t len;
    unsigned char *bytes = dfat_workbook(&len);
    got g = {0};
    run_import(dx_import_au_dfat, "au_dfat", bytes, len, &g);
    assert_int_equal(g.status, DX_OK);
    assert_int_equal(g.n, 2);
    const got_entry *e = by_id(&g, "7");
    assert_non_null(e);
    assert_int_equal(e->kind, DX_ENTRY_PERSON);
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "Jon Smith"));
    assert_true(has_name(e, DX_NAME_FORMER, "Old Smith"));
    assert_int_equal(count_facts(e, "dob"), 2);
    assert_string_equal(e->facts[0].value, "1951-06-19");
    assert_string_equal(fact(e, "citizenship")->country, "EG");
    e = by_id(&g, "8");
    assert_non_null(e);
    assert_int_equal(e->n_names, 2);
    assert_string_equal(e->start, "2023-06-10");
    got_free(&g);
    free(bytes);
}

/* Names ending in a 4-byte character followed by spaces: U+1F620 (an emoji) and U+200A0 (CJK
 * Extension B) both end in the byte 0xA0, which a decoder of 3 bytes at most reads as U+00A0
 * (no-break space) and trims, cutting the character. */
#define EMOJI_1F620 "\xF0\x9F\x98\xA0"
#define EXT_B_200A0 "\xF0\xA0\x82\xA0"
static const char *const DFAT_4BYTE[] = {
    "Reference", "Name of Individual or Entity", "Type", "Name Type",
    "9", "Smile " EMOJI_1F620 "  ", "Entity", "Primary Name",
    "9a", EXT_B_200A0 " \xC2\xA0", "Entity", "Original Script",
};

static void test_dfat_four_byte_name(void **state)
{
    (void)state;
    size_t len;
    sheet_spec s = {"Sheet1", DFAT_4BYTE, 3, 4};
    unsigned char *bytes = workbook(&s, 1, &len);
    got g = {0};
    run_import(dx_import_au_dfat, "au_dfat", bytes, len, &g);
    assert_no_errors(&g);
    assert_int_equal(g.status, DX_OK);
    assert_int_equal(g.n, 1);
    const got_entry *e = by_id(&g, "9");
    assert_non_null(e);
    assert_string_equal(e->name, "Smile " EMOJI_1F620);
    assert_true(has_name(e, DX_NAME_ORIGINAL_SCRIPT, EXT_B_200A0));
    got_free(&g);
    free(bytes);
}

#define DFAT_BAD_COLS 4
static const char *const DFAT_BAD[] = {
    "Reference", "Name of Individual or Entity", "Type", "Name Type",
    "1", "Fine", "Entity", "Primary Name",
    "x-1", "Bad Reference", "Entity", "Primary Name",
    "2", "Bad Name Type", "Entity", "nickname",
    "3a", "Alias without primary", "Entity", "aka",
    "4", "Odd Type", "Ship", "Primary Name",
};

static void test_dfat_errors(void **state)
{
    (void)state;
    size_t len;
    sheet_spec s = {"Sheet1", DFAT_BAD, 6, DFAT_BAD_COLS};
    unsigned char *bytes = workbook(&s, 1, &len);
    got g = {0};
    run_import(dx_import_au_dfat, "au_dfat", bytes, len, &g);
    assert_int_equal(g.status, DX_ERR_INPUT);
    assert_int_equal(g.n, 1); /* the good party is still emitted; the store drops the import */
    assert_true(has_diag(&g, DX_SEV_ERROR, "dfat.reference", "row 3 (Reference x-1)"));
    assert_true(has_diag(&g, DX_SEV_ERROR, "dfat.name-type", "row 4"));
    assert_true(has_diag(&g, DX_SEV_ERROR, "dfat.primary", "row 5"));
    assert_true(has_diag(&g, DX_SEV_ERROR, "dfat.type", "unknown Type 'Ship'"));
    got_free(&g);
    free(bytes);
}

#define MCOLS 8
#define H_DATE "\xE5\x91\x8A\xE7\xA4\xBA\xE6\x97\xA5\xE4\xBB\x98"
#define H_NO "\xE5\x91\x8A\xE7\xA4\xBA\xE7\x95\xAA\xE5\x8F\xB7"
#define H_JA "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE8\xA1\xA8\xE8\xA8\x98"
#define H_EN "\xE8\x8B\xB1\xE8\xAA\x9E\xE8\xA1\xA8\xE8\xA8\x98"
#define H_AKA "\xE5\x88\xA5\xE5\x90\x8D"                         /* 別名 */
#define H_DOB "\xE7\x94\x9F\xE5\xB9\xB4\xE6\x9C\x88\xE6\x97\xA5" /* 生年月日 */
#define H_NAT "\xE5\x9B\xBD\xE7\xB1\x8D"                         /* 国籍 */
#define H_OTHER "\xE3\x81\x9D\xE3\x81\xAE\xE4\xBB\x96\xE3\x81\xAE\xE6\x83\x85\xE5\xA0\xB1"
#define KATA_A "\xE3\x82\xA2\xE3\x83\xAB\xE3\x83\x95\xE3\x82\xA1"   /* アルファ */
#define KATA_B "\xE3\x83\x99\xE3\x83\xBC\xE3\x82\xBF"               /* ベータ */
#define DELETED "2020.1.1\xE5\x89\x8A\xE9\x99\xA4"                   /* 2020.1.1削除 */
#define RUSSIA_JA "\xE3\x83\xAD\xE3\x82\xB7\xE3\x82\xA2"             /* ロシア */

static const char *const MOF_ROWS[] = {
    "Title", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    H_DATE, H_NO, H_JA, H_EN, H_AKA, H_DOB, H_NAT, H_OTHER,
    "2022.3.1\n2023.1.2\xE6\x94\xB9\xE8\xA8\x82", "1", KATA_A, "ALPHA Ivanov",
    "(a)" KATA_B "\xEF\xBC\x88" "Beta One\xEF\xBC\x89(b)Gamma; Delta", "#19274", RUSSIA_JA, "note",
    DELETED, "2", NULL, NULL, NULL, NULL, NULL, NULL,
    "2022.3.8", "3(*9)", KATA_B, NULL, "\xE4\xB8\x8D\xE6\x98\x8E", "1970", NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, "more about 3",
};

static const char *const MOF_INDEX[] = {"index"};

static unsigned char *mof_workbook(size_t *len)
{
    sheet_spec s[] = {
        {"\xE4\xB8\x80\xE8\xA6\xA7", MOF_INDEX, 1, 1}, /* 一覧 */
        {"7.Test (\xE5\x80\x8B\xE4\xBA\xBA)", MOF_ROWS, 6, MCOLS},
    };
    return workbook(s, 2, len);
}

static void test_mof_synthetic(void **state)
{
    (void)state;
    size_t len;
    unsigned char *bytes = mof_workbook(&len);
    got g = {0};
    run_import(dx_import_jp_mof, "jp_mof", bytes, len, &g);
    assert_no_errors(&g);
    assert_int_equal(g.status, DX_OK);
    assert_int_equal(g.n, 2);
    const got_entry *e = by_id(&g, "7-1");
    assert_non_null(e);
    assert_int_equal(e->kind, DX_ENTRY_PERSON);
    assert_string_equal(e->name, "ALPHA Ivanov");
    assert_true(has_name(e, DX_NAME_ORIGINAL_SCRIPT, KATA_A));
    assert_true(has_name(e, DX_NAME_ORIGINAL_SCRIPT, KATA_B));
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "Beta One"));
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "Gamma"));
    assert_true(has_name(e, DX_NAME_ALIAS_STRONG, "Delta"));
    assert_string_equal(fact(e, "dob")->value, "1952-10-07");
    assert_string_equal(fact(e, "nationality")->country, "RU");
    assert_string_equal(e->start, "2022-03-01");
    assert_string_equal(e->remarks, "note");
    e = by_id(&g, "7-3");
    assert_non_null(e);
    assert_string_equal(e->name, KATA_B); /* Japanese only: primary */
    assert_int_equal(e->n_names, 1);
    assert_non_null(strstr(e->raw, "more about 3")); /* the continuation row */
    assert_null(by_id(&g, "7-2"));                    /* deleted */
    got_free(&g);
    free(bytes);
}

static const char *const MOF_BAD[] = {
    H_DATE, H_NO, H_JA, H_EN,
    "2022.3.1", "1", KATA_A, "A",
    "2022.3.1", "1", KATA_B, "B",
    "2022.3.1", "5", NULL, NULL,
    "2022.3.1", "x", KATA_B, "C",
    NULL, NULL, NULL, "2022.3.1", /* a name-less row: taken as the continuation of row 5's */
};

static void test_mof_errors(void **state)
{
    (void)state;
    size_t len;
    sheet_spec s[] = {{"3.Bad", MOF_BAD, 6, 4}, {"4.NoHeader", MOF_INDEX, 1, 1}};
    unsigned char *bytes = workbook(s, 2, &len);
    got g = {0};
    run_import(dx_import_jp_mof, "jp_mof", bytes, len, &g);
    assert_int_equal(g.status, DX_ERR_INPUT);
    assert_true(has_diag(&g, DX_SEV_ERROR, "mof.duplicate-id", "row 3 (No. 1)"));
    assert_true(has_diag(&g, DX_SEV_WARNING, "mof.no-name", "row 4"));
    assert_true(has_diag(&g, DX_SEV_ERROR, "mof.number", "row 5"));
    assert_true(has_diag(&g, DX_SEV_ERROR, "mof.header", "sheet 4.NoHeader"));
    got_free(&g);
    free(bytes);
}

/* ---- allocation failures ---------------------------------------------------------------- */

/* Every allocation failure: DX_ERR_NOMEM, until the run that succeeds; nothing leaks (san). */
static void sweep(dx_import_fn fn, const char *list_id, const unsigned char *bytes, size_t len,
                  size_t entries)
{
    long n;
    for (n = 0; n < 100000; n++) {
        got g = {0};
        dx_entry_builder *b = NULL;
        g.list_id = list_id;
        assert_int_equal(dx_diags_new(&g.diags), DX_OK);
        dx_alloc_fail_after(n);
        dx_status st = dx_entry_builder_new(countries, &b);
        if (st == DX_OK) {
            dx_import im = {g.diags, b, collect, &g, countries, "", NULL};
            dx_import_file file = {"q.xlsx", "q.xlsx", bytes, len};
            st = fn(&im, &file, 1);
        }
        dx_alloc_fail_after(-1);
        dx_entry_builder_free(b);
        if (st == DX_OK) {
            assert_int_equal(g.n, entries);
            got_free(&g);
            break;
        }
        assert_int_equal(st, DX_ERR_NOMEM);
        got_free(&g);
    }
    assert_true(n > 10 && n < 100000);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    size_t len;
    unsigned char *bytes = dfat_workbook(&len);
    sweep(dx_import_au_dfat, "au_dfat", bytes, len, 2);
    free(bytes);
    bytes = mof_workbook(&len);
    sweep(dx_import_jp_mof, "jp_mof", bytes, len, 2);
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
        cmocka_unit_test_setup(test_dfat_count, import_dfat),
        cmocka_unit_test(test_dfat_individual),
        cmocka_unit_test_teardown(test_dfat_entity, free_dfat),
        cmocka_unit_test_setup(test_mof_count, import_mof),
        cmocka_unit_test(test_mof_individual),
        cmocka_unit_test_teardown(test_mof_entity, free_mof),
        cmocka_unit_test(test_wrong_format),
        cmocka_unit_test(test_dfat_synthetic),
        cmocka_unit_test(test_dfat_errors),
        cmocka_unit_test(test_dfat_four_byte_name),
        cmocka_unit_test(test_mof_synthetic),
        cmocka_unit_test(test_mof_errors),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
