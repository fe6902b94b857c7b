/*
 * test_import_ofac.c — the OFAC importer (src/lib/import_ofac.c) on real publications and on
 * broken ones.
 *
 * The real files are read at run time from ../shared/data (never copied). Expected counts are
 * computed here from the files' raw bytes with a few lines of independent splitting (OFAC's
 * files have no line breaks inside fields), not with the library's CSV reader, so that the
 * importer is checked against the data and not against itself. The emit callback tallies
 * entries, names by kind and facts by type, and keeps deep copies of the entries a test asks
 * for by ent_num, for spot checks. Broken publications are built in memory from literals or
 * from the tiny17 set; each must give DX_ERR_INPUT and a diagnostic at the right file:line.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "entry.h"
#include "import.h"

#define SDN_LISTS DX_SHARED_DATA "/lists/us_ofac_sdn"
#define BENCH SDN_LISTS "/2021-07_bench_full"
#define TINY SDN_LISTS "/2025-05_tiny17"
#define NONSDN DX_SHARED_DATA "/lists/us_ofac_consolidated_non_sdn/2025-12"

static const char *const SDN_NAMES[] = {"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"};
static const char *const CONS_NAMES[] = {"cons_prim.csv", "cons_add.csv", "cons_alt.csv",
                                         "cons_comments.csv"};

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
    return 0;
}

/* ---- publications as file sets ------------------------------------------------------ */

typedef struct file_set {
    dx_import_file files[6];
    char *paths[6];
    unsigned char *bytes[6];
    size_t n;
} file_set;

static unsigned char *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    assert_true(size >= 0);
    rewind(f);
    unsigned char *bytes = malloc((size_t)size + 1);
    assert_non_null(bytes);
    *len = fread(bytes, 1, (size_t)size, f);
    assert_int_equal(*len, (size_t)size);
    fclose(f);
    return bytes;
}

/* Adds a file (takes `bytes`, which may be NULL for an empty file). */
static void set_add(file_set *s, const char *dir, const char *name, unsigned char *bytes,
                    size_t len)
{
    assert_true(s->n < 6);
    size_t n = strlen(dir) + strlen(name) + 2;
    s->paths[s->n] = malloc(n);
    assert_non_null(s->paths[s->n]);
    snprintf(s->paths[s->n], n, "%s/%s", dir, name);
    s->bytes[s->n] = bytes;
    s->files[s->n] = (dx_import_file){s->paths[s->n], strrchr(s->paths[s->n], '/') + 1,
                                      bytes, len};
    s->n++;
}

static void set_add_text(file_set *s, const char *name, const char *text)
{
    size_t len = strlen(text);
    unsigned char *bytes = malloc(len + 1);
    assert_non_null(bytes);
    memcpy(bytes, text, len + 1);
    set_add(s, "/test", name, bytes, len);
}

static void set_load(file_set *s, const char *dir, const char *const names[4])
{
    for (size_t i = 0; i < 4; i++) {
        char path[1024];
        size_t len;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unsigned char *bytes = read_whole(path, &len);
        set_add(s, dir, names[i], bytes, len);
    }
}

static void set_free(file_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->paths[i]);
        free(s->bytes[i]);
    }
    memset(s, 0, sizeof *s);
}

/* ---- independent reading of the raw bytes ------------------------------------------- */

#define FIELD_MAX 8192
#define SPLIT_MAX 6

typedef struct line_iter {
    const char *p, *end;
    unsigned long line;
} line_iter;

/* The next line with content (CRLF or LF; the end-of-file mark 0x1A skipped). */
static int next_line(line_iter *it, const char **line, size_t *len)
{
    while (it->p < it->end) {
        const char *nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
        const char *e = nl ? nl : it->end;
        *line = it->p;
        *len = (size_t)(e - it->p);
        it->p = nl ? nl + 1 : it->end;
        it->line++;
        if (*len && (*line)[*len - 1] == '\r')
            (*len)--;
        if (*len == 0 || (*len == 1 && (*line)[0] == 0x1a))
            continue;
        return 1;
    }
    return 0;
}

/* The first SPLIT_MAX fields of one line: quotes removed, "" unescaped, unquoted fields
 * trimmed. Returns the number of fields of the line. */
static size_t split_line(const char *p, size_t n, char out[SPLIT_MAX][FIELD_MAX])
{
    size_t count = 0, i = 0;
    for (;;) {
        char buf[FIELD_MAX];
        size_t k = 0;
        while (i < n && p[i] == ' ')
            i++;
        if (i < n && p[i] == '"') {
            for (i++; i < n; i++) {
                if (p[i] == '"' && !(i + 1 < n && p[i + 1] == '"'))
                    break;
                if (p[i] == '"')
                    i++;
                if (k < FIELD_MAX - 1)
                    buf[k++] = p[i];
            }
            while (i < n && p[i] != ',')
                i++;
        } else {
            for (; i < n && p[i] != ','; i++) {
                if (k < FIELD_MAX - 1)
                    buf[k++] = p[i];
            }
            while (k && buf[k - 1] == ' ')
                k--;
        }
        if (count < SPLIT_MAX) {
            memcpy(out[count], buf, k);
            out[count][k] = '\0';
        }
        count++;
        if (i >= n)
            return count;
        i++;
    }
}

/* Runs of white space collapsed and the ends trimmed, as the entry builder stores text. */
static void collapse(const char *in, char *out, size_t cap)
{
    size_t k = 0;
    int space = 0;
    for (; *in && k + 2 < cap; in++) {
        if (*in == ' ' || *in == '\t' || *in == '\r' || *in == '\n') {
            space = k > 0;
            continue;
        }
        if (space)
            out[k++] = ' ';
        space = 0;
        out[k++] = *in;
    }
    out[k] = '\0';
}

typedef struct expected {
    size_t records;
    size_t kinds[5];     /* by SDN_Type */
    size_t alt_rows, alt_dups, fka_rows, fka_dups;
} expected;

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void count_primary(const dx_import_file *f, expected *e)
{
    line_iter it = {(const char *)f->bytes, (const char *)f->bytes + f->len, 0};
    const char *line;
    size_t len;
    char fields[SPLIT_MAX][FIELD_MAX];
    while (next_line(&it, &line, &len)) {
        assert_int_equal(split_line(line, len, fields), 12);
        e->records++;
        const char *type = fields[2];
        e->kinds[!strcmp(type, "individual") ? DX_ENTRY_PERSON
                 : !strcmp(type, "vessel")   ? DX_ENTRY_VESSEL
                 : !strcmp(type, "aircraft") ? DX_ENTRY_AIRCRAFT
                 : !strcmp(type, "-0-")      ? DX_ENTRY_ORGANIZATION
                                             : DX_ENTRY_UNKNOWN]++;
    }
}

/* alt rows, and rows repeating (ent_num, strong or former, name) of an earlier row: the entry
 * builder keeps one name per text and kind, so those add no name. */
static void count_alt(const dx_import_file *f, expected *e)
{
    line_iter it = {(const char *)f->bytes, (const char *)f->bytes + f->len, 0};
    const char *line;
    size_t len, cap = 1024, n = 0;
    char fields[SPLIT_MAX][FIELD_MAX], name[FIELD_MAX];
    char **keys = malloc(cap * sizeof *keys);
    assert_non_null(keys);
    while (next_line(&it, &line, &len)) {
        assert_int_equal(split_line(line, len, fields), 5);
        int fka = !strcmp(fields[2], "fka");
        e->alt_rows++;
        e->fka_rows += fka;
        collapse(fields[3], name, sizeof name);
        if (n == cap) {
            keys = realloc(keys, (cap *= 2) * sizeof *keys);
            assert_non_null(keys);
        }
        size_t size = strlen(fields[0]) + strlen(name) + 8;
        keys[n] = malloc(size);
        assert_non_null(keys[n]);
        snprintf(keys[n], size, "%s|%c|%s", fields[0], fka ? 'F' : 'S', name);
        n++;
    }
    qsort(keys, n, sizeof *keys, compare_strings);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && !strcmp(keys[i], keys[i - 1])) {
            e->alt_dups++;
            e->fka_dups += strstr(keys[i], "|F|") != NULL;
        }
    }
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
}

/* ---- what the importer emits -------------------------------------------------------- */

typedef struct kept_entry {
    char *id, *name, *remarks, *raw, *list_id;
    dx_entry_kind kind;
    size_t n_names, n_facts;
    dx_name_kind *name_kinds;
    char **names;
    char **types, **values;
    char (*countries)[3];
} kept_entry;

#define KEEP_MAX 24
#define TYPES_MAX 400

typedef struct tally {
    size_t entries, kinds[5], names[5], facts, raw_alt, incomplete;
    unsigned long long last_ent;
    int out_of_order;
    char list_id[32];
    const char *keep[KEEP_MAX];
    kept_entry kept[KEEP_MAX];
    size_t n_keep;
    struct {
        char type[128];
        size_t n;
    } types[TYPES_MAX];
    size_t n_types;
    dx_status fail_with; /* returned by the callback when set */
} tally;

static char *dup_str(const char *s)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    assert_non_null(d);
    return d;
}

static void keep_entry(kept_entry *k, const dx_entry *e)
{
    k->id = dup_str(e->entry_id);
    k->name = dup_str(e->name);
    k->remarks = dup_str(e->remarks);
    k->raw = dup_str(e->raw);
    k->list_id = dup_str(e->list_id);
    k->kind = e->kind;
    k->n_names = e->n_names;
    k->name_kinds = calloc(e->n_names + 1, sizeof *k->name_kinds);
    k->names = calloc(e->n_names + 1, sizeof *k->names);
    k->n_facts = e->n_facts;
    k->types = calloc(e->n_facts + 1, sizeof *k->types);
    k->values = calloc(e->n_facts + 1, sizeof *k->values);
    k->countries = calloc(e->n_facts + 1, sizeof *k->countries);
    assert_true(k->name_kinds && k->names && k->types && k->values && k->countries);
    for (size_t i = 0; i < e->n_names; i++) {
        k->name_kinds[i] = e->names[i].kind;
        k->names[i] = dup_str(e->names[i].text);
    }
    for (size_t i = 0; i < e->n_facts; i++) {
        k->types[i] = dup_str(e->facts[i].type);
        k->values[i] = dup_str(e->facts[i].value);
        memcpy(k->countries[i], e->facts[i].country, 3);
    }
}

static void free_kept(kept_entry *k)
{
    for (size_t i = 0; i < k->n_names; i++)
        free(k->names[i]);
    for (size_t i = 0; i < k->n_facts; i++) {
        free(k->types[i]);
        free(k->values[i]);
    }
    free(k->id);
    free(k->name);
    free(k->remarks);
    free(k->raw);
    free(k->list_id);
    free(k->name_kinds);
    free(k->names);
    free(k->types);
    free(k->values);
    free(k->countries);
}

static void count_type(tally *t, const char *type)
{
    for (size_t i = 0; i < t->n_types; i++) {
        if (!strcmp(t->types[i].type, type)) {
            t->types[i].n++;
            return;
        }
    }
    if (t->n_types < TYPES_MAX) {
        snprintf(t->types[t->n_types].type, sizeof t->types[0].type, "%s", type);
        t->types[t->n_types++].n = 1;
    }
}

static dx_status count_entry(void *ctx, const dx_entry *e)
{
    tally *t = ctx;
    if (!e->entry_id || !e->name || !e->raw || !e->n_names || e->names[0].kind != DX_NAME_PRIMARY)
        t->incomplete++;
    unsigned long long ent = strtoull(e->entry_id ? e->entry_id : "0", NULL, 10);
    t->out_of_order |= t->entries > 0 && ent <= t->last_ent;
    t->last_ent = ent;
    if (!t->entries)
        snprintf(t->list_id, sizeof t->list_id, "%s", e->list_id);
    t->entries++;
    t->kinds[e->kind]++;
    for (size_t i = 0; i < e->n_names; i++)
        t->names[e->names[i].kind]++;
    t->facts += e->n_facts;
    for (size_t i = 0; i < e->n_facts; i++)
        count_type(t, e->facts[i].type);
    for (const char *p = e->raw; p && (p = strstr(p, ".alt_num\":")) != NULL; p++)
        t->raw_alt++;
    for (size_t i = 0; i < t->n_keep; i++) {
        if (e->entry_id && !strcmp(t->keep[i], e->entry_id) && !t->kept[i].id)
            keep_entry(&t->kept[i], e);
    }
    return t->fail_with;
}

static tally *tally_new(const char *const *keep)
{
    tally *t = calloc(1, sizeof *t);
    assert_non_null(t);
    for (; keep && *keep && t->n_keep < KEEP_MAX; keep++)
        t->keep[t->n_keep++] = *keep;
    return t;
}

static void tally_free(tally *t)
{
    for (size_t i = 0; i < t->n_keep; i++)
        free_kept(&t->kept[i]);
    free(t);
}

static const kept_entry *kept(const tally *t, const char *id)
{
    for (size_t i = 0; i < t->n_keep; i++) {
        if (!strcmp(t->keep[i], id) && t->kept[i].id)
            return &t->kept[i];
    }
    fail_msg("entry %s was not emitted", id);
    return NULL;
}

/* The value of the nth fact of a type (0-based), its country in *country; NULL when none. */
static const char *fact(const kept_entry *k, const char *type, size_t nth, const char **country)
{
    for (size_t i = 0; i < k->n_facts; i++) {
        if (!strcmp(k->types[i], type) && nth-- == 0) {
            if (country)
                *country = k->countries[i];
            return k->values[i];
        }
    }
    return NULL;
}

static void assert_fact(const kept_entry *k, const char *type, size_t nth, const char *value,
                        const char *country)
{
    const char *got_country = NULL;
    const char *got = fact(k, type, nth, &got_country);
    if (!got)
        fail_msg("entry %s has no %s fact #%zu", k->id, type, nth);
    assert_string_equal(got, value);
    assert_string_equal(got_country, country);
}

static int has_name(const kept_entry *k, dx_name_kind kind, const char *text)
{
    for (size_t i = 0; i < k->n_names; i++) {
        if (k->name_kinds[i] == kind && !strcmp(k->names[i], text))
            return 1;
    }
    return 0;
}

/* ---- running the importer ----------------------------------------------------------- */

static dx_status run_import(const file_set *s, tally *t, dx_diags **diags, long fail_after)
{
    dx_entry_builder *builder = NULL;
    assert_int_equal(dx_diags_new(diags), DX_OK);
    assert_int_equal(dx_entry_builder_new(countries, &builder), DX_OK);
    dx_import im = {*diags, builder, count_entry, t, countries, "x", NULL};
    dx_alloc_fail_after(fail_after);
    dx_status st = dx_import_ofac(&im, s->files, s->n);
    dx_alloc_fail_after(-1);
    assert_string_equal(im.publication_date, "");
    dx_entry_builder_free(builder);
    return st;
}

static size_t errors_of(const dx_diags *d)
{
    return dx_diags_count_severity(d, DX_SEV_ERROR);
}

/* 1 when an error with this code sits at path (ending in `file`):line:column. */
static int has_error(const dx_diags *d, const char *file, unsigned long line,
                     unsigned long column, const char *code)
{
    for (size_t i = 0; i < dx_diags_count(d); i++) {
        const dx_diag *g = dx_diags_get(d, i);
        size_t n = strlen(g->source), k = strlen(file);
        if (g->severity == DX_SEV_ERROR && n >= k && !strcmp(g->source + n - k, file) &&
            g->line == line && g->column == column && !strcmp(g->code, code))
            return 1;
    }
    return 0;
}

/* The orphan warning of a file: at its first orphan line, naming every orphan line. */
static void expect_orphan_warning(const dx_diags *d, const char *file, size_t count,
                                  const unsigned long *lines)
{
    for (size_t i = 0; i < dx_diags_count(d); i++) {
        const dx_diag *g = dx_diags_get(d, i);
        size_t n = strlen(g->source), k = strlen(file);
        if (g->severity != DX_SEV_WARNING || strcmp(g->code, "ofac.orphan") != 0 || n < k ||
            strcmp(g->source + n - k, file) != 0)
            continue;
        assert_int_equal(g->line, lines[0]);
        char want[32];
        snprintf(want, sizeof want, "%zu row", count);
        assert_non_null(strstr(g->message, want));
        for (size_t j = 0; j < count; j++) {
            snprintf(want, sizeof want, "%lu", lines[j]);
            assert_non_null(strstr(g->message, want));
        }
        return;
    }
    fail_msg("no orphan warning for %s", file);
}

static void print_diags(const dx_diags *d)
{
    for (size_t i = 0; i < dx_diags_count(d); i++) {
        const dx_diag *g = dx_diags_get(d, i);
        printf("# %s:%lu:%lu: %s: [%s] %s\n", g->source, g->line, g->column,
               dx_severity_str(g->severity), g->code, g->message);
    }
}

static void expect_error(const dx_diags *d, const char *file, unsigned long line,
                         unsigned long column, const char *code)
{
    if (!has_error(d, file, line, column, code)) {
        print_diags(d);
        fail_msg("no %s error at %s:%lu:%lu", code, file, line, column);
    }
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Every row of the comments file: its entry's remarks end with the comment's text. */
static void check_comments(const tally *t, const dx_import_file *comments)
{
    line_iter it = {(const char *)comments->bytes,
                    (const char *)comments->bytes + comments->len, 0};
    const char *line;
    size_t len;
    char fields[SPLIT_MAX][FIELD_MAX], text[FIELD_MAX];
    while (next_line(&it, &line, &len)) {
        assert_int_equal(split_line(line, len, fields), 2);
        const kept_entry *k = kept(t, fields[0]);
        collapse(fields[1], text, sizeof text);
        assert_non_null(k->remarks);
        size_t n = strlen(k->remarks), m = strlen(text);
        assert_true(m > 0 && m < FIELD_MAX - 2 && n > m);
        assert_string_equal(k->remarks + n - m, text);
    }
}

static void print_counts(const char *what, const tally *t, double ms)
{
    printf("# %s: %zu entries (person %zu, organization %zu, vessel %zu, aircraft %zu, unknown "
           "%zu); names primary %zu, strong %zu, weak %zu, former %zu; %zu facts of %zu types; "
           "%.1f ms\n", what, t->entries, t->kinds[DX_ENTRY_PERSON],
           t->kinds[DX_ENTRY_ORGANIZATION], t->kinds[DX_ENTRY_VESSEL],
           t->kinds[DX_ENTRY_AIRCRAFT], t->kinds[DX_ENTRY_UNKNOWN], t->names[DX_NAME_PRIMARY],
           t->names[DX_NAME_ALIAS_STRONG], t->names[DX_NAME_ALIAS_WEAK],
           t->names[DX_NAME_FORMER], t->facts, t->n_types, ms);
    if (getenv("DX_TEST_VERBOSE")) {
        for (size_t i = 0; i < t->n_types; i++)
            printf("#   %-60s %zu\n", t->types[i].type, t->types[i].n);
    }
}

/* ---- real publications -------------------------------------------------------------- */

static void check_bench_spots(const tally *t)
{
    /* an individual with two DOBs, a passport and weak aliases (sdn.csv line 4106) */
    const kept_entry *k = kept(t, "4106");
    assert_int_equal(k->kind, DX_ENTRY_PERSON);
    assert_string_equal(k->name, "HERRERA BUITRAGO, Helmer");
    assert_fact(k, "dob", 0, "24 Aug 1951", "");
    assert_fact(k, "dob", 1, "05 Jul 1951", "");
    assert_fact(k, "passport", 0, "J287011", "CO");
    assert_fact(k, "cedula_no", 0, "16247821 (Colombia)", "CO");
    assert_fact(k, "address", 0, "Cali, Colombia", "CO");
    assert_fact(k, "program", 0, "SDNT", "");
    assert_true(has_name(k, DX_NAME_ALIAS_WEAK, "PACHO"));
    assert_true(has_name(k, DX_NAME_ALIAS_WEAK, "H7"));
    assert_null(strstr(k->raw, "\"alt.1.")); /* no alt.csv row */
    /* a vessel: IMO, the vessel columns, f.k.a. rows of alt.csv, a weak f.k.a. in Remarks */
    k = kept(t, "15036");
    assert_int_equal(k->kind, DX_ENTRY_VESSEL);
    assert_fact(k, "imo", 0, "9187629", "");
    assert_fact(k, "call_sign", 0, "T2EU4", "");
    assert_fact(k, "vessel_type", 0, "Crude/Oil Products Tanker", "");
    assert_fact(k, "vessel_flag", 0, "Iran", "IR");
    assert_fact(k, "tonnage", 0, "99,144", "");
    assert_fact(k, "grt", 0, "56,068", "");
    assert_fact(k, "former_vessel_flag", 0, "Malta", "MT");
    assert_fact(k, "linked_to", 0, "NATIONAL IRANIAN TANKER COMPANY", "");
    assert_true(has_name(k, DX_NAME_FORMER, "ABADAN"));
    assert_true(has_name(k, DX_NAME_FORMER, "SHONA"));
    assert_true(has_name(k, DX_NAME_ALIAS_WEAK, "ALPHA"));
    assert_non_null(strstr(k->raw, "\"alt.2.alt_name\":\"SHONA\""));
    /* Remarks cut mid-word and continued in sdn_comments.csv */
    k = kept(t, "28263");
    assert_true(has_name(k, DX_NAME_ALIAS_WEAK, "snowsjohn"));
    assert_fact(k, "linked_to", 0, "LAZARUS GROUP", "");
    size_t n = strlen(k->remarks);
    assert_string_equal(k->remarks + n - strlen("hn'; Linked To: LAZARUS GROUP."),
                        "hn'; Linked To: LAZARUS GROUP.");
    /* several programs, and a title */
    k = kept(t, "2686");
    assert_fact(k, "program", 0, "SDGT", "");
    assert_fact(k, "program", 1, "SYRIA", "");
    assert_fact(k, "title", 0, "Secretary General of Hizballah", "");
}

static void test_bench_2021(void **state)
{
    (void)state;
    static const char *const keep[] = {"4106", "15036", "28263", "2686", "12300", "28264",
                                       "29703", "30518", NULL};
    file_set s = {0};
    set_load(&s, BENCH, SDN_NAMES);
    expected e = {0};
    count_primary(&s.files[0], &e);
    count_alt(&s.files[2], &e);
    tally *t = tally_new(keep);
    dx_diags *d = NULL;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    dx_status st = run_import(&s, t, &d, -1);
    double ms = ms_since(&t0);
    print_diags(d);
    assert_int_equal(st, DX_OK);
    assert_int_equal(dx_diags_count(d), 0);
    print_counts("2021-07 SDN", t, ms);
    assert_int_equal(e.records, 8976);
    assert_int_equal(t->entries, 8976);
    assert_string_equal(t->list_id, "us_ofac_sdn");
    assert_int_equal(t->incomplete, 0);
    assert_false(t->out_of_order);
    for (int kind = 0; kind < 5; kind++)
        assert_int_equal(t->kinds[kind], e.kinds[kind]);
    assert_int_equal(t->names[DX_NAME_PRIMARY], 8976);
    /* every alt.csv row is kept in raw; each adds one name except the rows that repeat an
     * earlier row of the same entry (2 in this file), which the builder does not add twice */
    assert_int_equal(e.alt_rows, 11910);
    assert_int_equal(t->raw_alt, 11910);
    assert_int_equal(e.alt_dups, 2);
    assert_int_equal(t->names[DX_NAME_ALIAS_STRONG] + t->names[DX_NAME_FORMER],
                     e.alt_rows - e.alt_dups);
    assert_int_equal(t->names[DX_NAME_FORMER], e.fka_rows - e.fka_dups);
    check_bench_spots(t);
    check_comments(t, &s.files[3]);
    dx_diags_free(d);
    tally_free(t);
    set_free(&s);
}

static void test_nonsdn_2025(void **state)
{
    (void)state;
    file_set s = {0};
    set_load(&s, NONSDN, CONS_NAMES);
    expected e = {0};
    count_primary(&s.files[0], &e);
    count_alt(&s.files[2], &e);
    /* keep the entries that cons_comments.csv continues, whatever their ids */
    tally *t = tally_new(NULL);
    static char ids[16][32];
    line_iter it = {(const char *)s.files[3].bytes,
                    (const char *)s.files[3].bytes + s.files[3].len, 0};
    const char *line;
    size_t len;
    while (next_line(&it, &line, &len) && t->n_keep < 16) {
        char fields[SPLIT_MAX][FIELD_MAX];
        split_line(line, len, fields);
        assert_true(strlen(fields[0]) < sizeof ids[0]);
        memcpy(ids[t->n_keep], fields[0], strlen(fields[0]) + 1);
        t->keep[t->n_keep] = ids[t->n_keep];
        t->n_keep++;
    }
    dx_diags *d = NULL;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    dx_status st = run_import(&s, t, &d, -1);
    print_diags(d);
    assert_int_equal(st, DX_OK);
    assert_int_equal(dx_diags_count(d), 0);
    print_counts("2025-12 non-SDN", t, ms_since(&t0));
    assert_int_equal(t->entries, 442);
    assert_int_equal(e.records, 442);
    assert_string_equal(t->list_id, "us_ofac_nonsdn");
    assert_int_equal(t->incomplete, 0);
    assert_false(t->out_of_order);
    for (int kind = 0; kind < 5; kind++)
        assert_int_equal(t->kinds[kind], e.kinds[kind]);
    assert_int_equal(t->raw_alt, e.alt_rows);
    assert_int_equal(t->names[DX_NAME_ALIAS_STRONG] + t->names[DX_NAME_FORMER],
                     e.alt_rows - e.alt_dups);
    assert_int_equal(t->names[DX_NAME_FORMER], e.fka_rows - e.fka_dups);
    check_comments(t, &s.files[3]);
    dx_diags_free(d);
    tally_free(t);
    set_free(&s);
}

/* tiny17 (watchman's test set) is not consistent: 4 rows of add.csv and 5 of alt.csv have an
 * ent_num that sdn.csv lacks (they look like ent_num and add_num/alt_num swapped). */
static const unsigned long TINY_ORPHAN_ADD[] = {12, 17, 24, 26};
static const unsigned long TINY_ORPHAN_ALT[] = {1, 6, 10, 11, 15};

static void check_tiny_spots(const tally *t)
{
    const kept_entry *k = kept(t, "48603");
    assert_int_equal(k->kind, DX_ENTRY_PERSON);
    assert_string_equal(k->name, "KHOROSHEV, Dmitry Yuryevich");
    assert_true(has_name(k, DX_NAME_ALIAS_STRONG, "YURIEVICH, Dmitry"));
    assert_true(has_name(k, DX_NAME_ALIAS_WEAK, "LOCKBITSUPP"));
    assert_fact(k, "dob", 0, "17 Apr 1993", "");
    assert_fact(k, "pob", 0, "Russian Federation", "RU");
    assert_fact(k, "nationality", 0, "Russia", "RU");
    assert_fact(k, "citizenship", 0, "Russia", "RU");
    assert_fact(k, "gender", 0, "Male", "");
    assert_fact(k, "email", 1, "sitedev5@yandex.ru", "");
    assert_fact(k, "passport", 1, "2006801524", "RU");
    assert_fact(k, "tax_id", 0, "366110340670", "RU");
    assert_fact(k, "address", 0, "Russia", "RU");
    k = kept(t, "11195");
    assert_int_equal(k->kind, DX_ENTRY_ORGANIZATION);
    assert_fact(k, "program", 2, "IRAN-CON-ARMS-EO", "");
    assert_fact(k, "national_id", 0, "10100722073", "IR");
    assert_fact(k, "registration", 0, "26740", "IR");
    assert_fact(k, "additional_sanctions_information", 0, "Subject to Secondary Sanctions", "");
    assert_fact(k, "address", 1, "P.O. Box 14155-5568, No. 27 Shahamat Ave, Vallie Asr Sqr, "
                                 "Tehran 15946, Iran", "IR");
    k = kept(t, "33151");
    assert_true(has_name(k, DX_NAME_ALIAS_WEAK, "SUCCESSFUL EXCHANGE"));
    assert_fact(k, "digital_currency_address", 0, "XBT 12HQDsicffSBaYdJ6BhnE22sfjTESmmzKx", "");
    assert_fact(k, "website", 0, "suex.io", "");
    k = kept(t, "47371");
    assert_int_equal(k->kind, DX_ENTRY_VESSEL);
    assert_fact(k, "imo", 0, "9339301", "");
    assert_fact(k, "mmsi", 0, "636013272", "");
    assert_fact(k, "vessel_flag", 0, "Gabon", "GA");
    k = kept(t, "20540");
    assert_int_equal(k->kind, DX_ENTRY_AIRCRAFT);
    assert_fact(k, "aircraft_model", 0, "AN24-RV", "");
    assert_fact(k, "secondary_sanctions_risk", 0,
                "North Korea Sanctions Regulations, sections 510.201 and 510.210", "");
    k = kept(t, "10278");
    assert_fact(k, "ssn", 0, "561-77-9011 (United States)", "US");
    assert_fact(k, "pob", 0, "Toledo District, Belize", "BZ");
    assert_non_null(strstr(k->raw, "{\"ent_num\":\"10278\",\"SDN_Name\":\"LOGAN MOREY, Elvis "
                                    "Angus\",\"SDN_Type\":\"individual\""));
    assert_non_null(strstr(k->raw, "\"address.1.add_num\":\"13948\""));
}

static const char *const TINY_KEEP[] = {"48603", "11195", "33151", "47371", "20540", "10278",
                                        NULL};

static void test_tiny17(void **state)
{
    (void)state;
    file_set s = {0};
    set_load(&s, TINY, SDN_NAMES);
    tally *t = tally_new(TINY_KEEP);
    dx_diags *d = NULL;
    dx_status st = run_import(&s, t, &d, -1);
    /* This copy's add.csv and alt.csv name 9 entries its sdn.csv lacks: the import goes on,
     * and each file gets one warning naming its orphan rows. */
    assert_int_equal(st, DX_OK);
    assert_int_equal(errors_of(d), 0);
    assert_int_equal(dx_diags_count_severity(d, DX_SEV_WARNING), 2);
    expect_orphan_warning(d, "/add.csv", 4, TINY_ORPHAN_ADD);
    expect_orphan_warning(d, "/alt.csv", 5, TINY_ORPHAN_ALT);
    assert_int_equal(t->entries, 17);
    assert_int_equal(t->names[DX_NAME_ALIAS_STRONG], 13);
    check_tiny_spots(t);
    check_comments(t, &s.files[3]);
    dx_diags_free(d);
    tally_free(t);
    set_free(&s);
}

/* Keeps the lines of `f` whose ent_num is a record of `primary`. */
static void drop_orphans(dx_import_file *f, unsigned char **owned, const dx_import_file *primary)
{
    unsigned char *out = malloc(f->len + 1);
    assert_non_null(out);
    size_t n = 0;
    line_iter it = {(const char *)f->bytes, (const char *)f->bytes + f->len, 0};
    const char *line;
    size_t len;
    while (next_line(&it, &line, &len)) {
        char fields[SPLIT_MAX][FIELD_MAX], ent[FIELD_MAX + 2];
        split_line(line, len, fields);
        snprintf(ent, sizeof ent, "\n%s,", fields[0]);
        /* primary records start a line with "ent_num," (the first one: at byte 0) */
        int found = !strncmp((const char *)primary->bytes, ent + 1, strlen(ent + 1));
        for (size_t i = 0; !found && i + strlen(ent) <= primary->len; i++)
            found = !memcmp(primary->bytes + i, ent, strlen(ent));
        if (found) {
            memcpy(out + n, line, len);
            memcpy(out + n + len, "\r\n", 2);
            n += len + 2;
        }
    }
    free(*owned);
    *owned = out;
    f->bytes = out;
    f->len = n;
}

static void load_tiny_consistent(file_set *s)
{
    set_load(s, TINY, SDN_NAMES);
    drop_orphans(&s->files[1], &s->bytes[1], &s->files[0]);
    drop_orphans(&s->files[2], &s->bytes[2], &s->files[0]);
}

static void test_tiny17_consistent(void **state)
{
    (void)state;
    file_set s = {0};
    load_tiny_consistent(&s);
    tally *t = tally_new(TINY_KEEP);
    dx_diags *d = NULL;
    dx_status st = run_import(&s, t, &d, -1);
    print_diags(d);
    assert_int_equal(st, DX_OK);
    assert_int_equal(dx_diags_count(d), 0);
    assert_int_equal(t->entries, 17);
    assert_int_equal(t->names[DX_NAME_ALIAS_STRONG], 13);
    assert_int_equal(t->raw_alt, 13);
    check_tiny_spots(t);
    dx_diags_free(d);
    tally_free(t);
    set_free(&s);
}

/* ---- the Remarks mini-language and the columns -------------------------------------- */

/* A person whose Remarks use most of the mini-language, and a vessel. */
static const char REMARKS_SDN[] =
    "10,\"DOE, John\",\"individual\",\"SDGT] [IFSR\",\"Colonel\",-0- ,-0- ,-0- ,-0- ,-0- ,"
    "-0- ,\"DOB circa 1965; alt. DOB 1970 to 1975; POB Tehran, Iran; nationality Iran; citizen "
    "Syria; Passport A1234567 (Iran) issued 01 Jan 2000 expires 01 Jan 2010; National ID No. "
    "123-45 (Pakistan); Tax ID No. AABA 670850 Y; Registration Number 0582030 (Connecticut) "
    "(United States); Gender Male; Email Address x@y.com; Website www.example.com; Digital "
    "Currency Address - XBT 1abc; Secondary sanctions risk: section 1(b) of Executive Order "
    "13224; Organization Established Date 1998; SSN 561-77-9011 (United States); US FEIN "
    "CH-660-0-469-982-0 (United States); ICTY indictee; d.b.a. 'DOE TRADING'; f.k.a. 'OLD DOE'; "
    "a.k.a. 'JD'; Linked To: DOE HOLDINGS, S.A.\"\r\n"
    "20,\"SEA STAR\",\"vessel\",\"IRAN\",-0- ,\"9HDQ9\",\"Tug\",\"640\",\"320\",\"Panama\","
    "\"Star Shipping Co.\",\"Vessel Registration Identification IMO 1234567; Former Vessel Flag "
    "Malta\"\r\n\x1a";

static void check_remarks_person(const kept_entry *k)
{
    assert_fact(k, "program", 0, "SDGT", "");
    assert_fact(k, "program", 1, "IFSR", "");
    assert_fact(k, "title", 0, "Colonel", "");
    assert_fact(k, "dob", 0, "circa 1965", "");
    assert_fact(k, "dob", 1, "1970 to 1975", "");
    assert_fact(k, "pob", 0, "Tehran, Iran", "IR");
    assert_fact(k, "nationality", 0, "Iran", "IR");
    assert_fact(k, "citizenship", 0, "Syria", "SY");
    assert_fact(k, "passport", 0, "A1234567", "IR");
    assert_fact(k, "national_id", 0, "123-45", "PK");
    assert_fact(k, "tax_id", 0, "AABA 670850 Y", "");
    assert_fact(k, "registration", 0, "0582030", "US");
    assert_fact(k, "gender", 0, "Male", "");
    assert_fact(k, "email", 0, "x@y.com", "");
    assert_fact(k, "website", 0, "www.example.com", "");
    assert_fact(k, "digital_currency_address", 0, "XBT 1abc", "");
    assert_fact(k, "secondary_sanctions_risk", 0, "section 1(b) of Executive Order 13224", "");
    assert_fact(k, "organization_established_date", 0, "1998", "");
    assert_fact(k, "ssn", 0, "561-77-9011 (United States)", "US");
    assert_fact(k, "us_fein", 0, "CH-660-0-469-982-0 (United States)", "US"); /* not null */
    assert_fact(k, "remark", 0, "ICTY indictee", "");
    assert_fact(k, "linked_to", 0, "DOE HOLDINGS, S.A", "");
    assert_fact(k, "address", 0, "1 Main St, Tehran, Iran", "IR");
    assert_null(fact(k, "address", 1, NULL)); /* an address row that is all null */
    assert_true(has_name(k, DX_NAME_ALIAS_WEAK, "DOE TRADING"));
    assert_true(has_name(k, DX_NAME_ALIAS_WEAK, "OLD DOE"));
    assert_true(has_name(k, DX_NAME_ALIAS_WEAK, "JD"));
    assert_true(has_name(k, DX_NAME_ALIAS_STRONG, "DOE, Johnny"));
    assert_true(has_name(k, DX_NAME_ALIAS_STRONG, "DOE, J."));
    assert_non_null(strstr(k->raw, "\"address.2.Address\":\"-0-\""));
    assert_non_null(strstr(k->raw, "\"alt.2.alt_type\":\"nka\""));
}

static void check_remarks_vessel(const kept_entry *k)
{
    assert_int_equal(k->kind, DX_ENTRY_VESSEL);
    assert_fact(k, "call_sign", 0, "9HDQ9", "");
    assert_fact(k, "vessel_type", 0, "Tug", "");
    assert_fact(k, "tonnage", 0, "640", "");
    assert_fact(k, "grt", 0, "320", "");
    assert_fact(k, "vessel_flag", 0, "Panama", "PA");
    assert_fact(k, "vessel_owner", 0, "Star Shipping Co.", "");
    assert_fact(k, "imo", 0, "1234567", "");
    assert_fact(k, "former_vessel_flag", 0, "Malta", "MT");
    assert_true(has_name(k, DX_NAME_FORMER, "OLD STAR"));
}

static void test_remarks_language(void **state)
{
    (void)state;
    static const char *const keep[] = {"10", "20", NULL};
    file_set s = {0};
    set_add_text(&s, "sdn.csv", REMARKS_SDN);
    set_add_text(&s, "add.csv", "10,1,\"1 Main St\",\"Tehran\",\"Iran\",-0- \r\n"
                                "10,2,-0- ,-0- ,-0- ,-0- \r\n");
    set_add_text(&s, "alt.csv", "10,5,\"aka\",\"DOE, Johnny\",-0- \r\n"
                                "10,6,\"nka\",\"DOE, J.\",-0- \r\n"
                                "20,7,\"fka\",\"OLD STAR\",-0- \r\n");
    tally *t = tally_new(keep);
    dx_diags *d = NULL;
    dx_status st = run_import(&s, t, &d, -1);
    print_diags(d);
    assert_int_equal(st, DX_OK);
    check_remarks_person(kept(t, "10"));
    check_remarks_vessel(kept(t, "20"));
    dx_diags_free(d);
    tally_free(t);
    set_free(&s);
}

/* ---- broken publications ------------------------------------------------------------ */

#define ROW_A "10,\"ONE, Person\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1970.\"\r\n"
#define ROW_B "20,\"TWO CO\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"

/* Imports the set; expects DX_ERR_INPUT and the error at file:line:column. */
static void expect_broken(file_set *s, const char *file, unsigned long line, unsigned long col,
                          const char *code)
{
    tally *t = tally_new(NULL);
    dx_diags *d = NULL;
    dx_status st = run_import(s, t, &d, -1);
    assert_int_equal(st, DX_ERR_INPUT);
    expect_error(d, file, line, col, code);
    assert_int_equal(t->incomplete, 0);
    dx_diags_free(d);
    tally_free(t);
    set_free(s);
}

static void test_truncated(void **state)
{
    (void)state;
    file_set s = {0};
    load_tiny_consistent(&s);
    /* cut inside the quoted Remarks of line 5: the quote is never closed */
    const char *p = (const char *)s.files[0].bytes;
    for (int line = 1; line < 5; line++)
        p = strchr(p, '\n') + 1;
    s.files[0].len = (size_t)(strstr(p, "Secondary") - (const char *)s.files[0].bytes);
    expect_broken(&s, "/sdn.csv", 5, 12, "csv.unclosed-quote");
    /* cut after the third field of line 4: too few fields */
    load_tiny_consistent(&s);
    p = (const char *)s.files[0].bytes;
    for (int line = 1; line < 4; line++)
        p = strchr(p, '\n') + 1;
    s.files[0].len = (size_t)(strstr(p, ",\"SDNTK\"") - (const char *)s.files[0].bytes);
    expect_broken(&s, "/sdn.csv", 4, 4, "ofac.field-count");
}

static void test_field_count(void **state)
{
    (void)state;
    file_set s = {0};
    set_add_text(&s, "sdn.csv", ROW_A "20,\"TWO CO\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- "
                                      ",-0- \r\n");
    expect_broken(&s, "/test/sdn.csv", 2, 12, "ofac.field-count");
    set_add_text(&s, "sdn.csv", ROW_A ROW_B);
    set_add_text(&s, "alt.csv", "10,1,\"aka\",\"UNO\",-0- ,\"extra\"\r\n");
    expect_broken(&s, "/test/alt.csv", 1, 6, "ofac.field-count");
}

static void test_bad_ent_num(void **state)
{
    (void)state;
    file_set s = {0};
    set_add_text(&s, "sdn.csv", ROW_A "2O,\"TWO CO\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,"
                                      "-0- ,-0- ,-0- \r\n");
    expect_broken(&s, "/test/sdn.csv", 2, 1, "ofac.ent-num");
    set_add_text(&s, "sdn.csv", ROW_A ROW_B);
    set_add_text(&s, "add.csv", "10,1,-0- ,-0- ,\"Iran\",-0- \r\nX,2,-0- ,-0- ,-0- ,-0- \r\n");
    expect_broken(&s, "/test/add.csv", 2, 1, "ofac.ent-num");
}

static void test_orphan(void **state)
{
    (void)state;
    file_set s = {0};
    load_tiny_consistent(&s);
    size_t len = s.files[2].len;
    unsigned char *alt = realloc(s.bytes[2], len + 64);
    assert_non_null(alt);
    static const char orphan[] = "99999,1,\"aka\",\"NOBODY\",-0- \r\n";
    memcpy(alt + len, orphan, sizeof orphan - 1);
    s.bytes[2] = alt;
    s.files[2].bytes = alt;
    s.files[2].len = len + sizeof orphan - 1;
    tally *t = tally_new(NULL);
    dx_diags *d = NULL;
    assert_int_equal(run_import(&s, t, &d, -1), DX_OK);
    static const unsigned long line14[] = {14};
    expect_orphan_warning(d, "/alt.csv", 1, line14);
    assert_int_equal(t->entries, 17); /* the orphan is attached to nothing */
    dx_diags_free(d);
    tally_free(t);
    set_free(&s);
}

static void random_bytes(unsigned char *out, size_t n, unsigned seed)
{
    unsigned long long x = 0x9E3779B97F4A7C15ull ^ seed;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out[i] = (unsigned char)(x >> 24);
    }
}

static void test_random_bytes(void **state)
{
    (void)state;
    for (unsigned seed = 1; seed <= 4; seed++) {
        file_set s = {0};
        unsigned char *noise = malloc(4096);
        assert_non_null(noise);
        random_bytes(noise, 4096, seed);
        noise[0] = 'Q'; /* not a digit: the first record cannot start with an ent_num */
        set_add(&s, "/test", "sdn.csv", noise, 4096);
        expect_broken(&s, "/test/sdn.csv", 1, 1, "ofac.not-ofac");
        /* noise beside a good primary file; here starting with a digit */
        noise = malloc(4096);
        assert_non_null(noise);
        random_bytes(noise, 4096, seed + 100);
        noise[0] = '7';
        set_add_text(&s, "sdn.csv", ROW_A ROW_B);
        set_add(&s, "/test", "alt.csv", noise, 4096);
        tally *t = tally_new(NULL);
        dx_diags *d = NULL;
        assert_int_equal(run_import(&s, t, &d, -1), DX_ERR_INPUT);
        assert_true(errors_of(d) > 0 && errors_of(d) < 50);
        for (size_t i = 0; i < dx_diags_count(d); i++)
            assert_string_equal(dx_diags_get(d, i)->source, "/test/alt.csv");
        assert_int_equal(t->entries, 2);
        dx_diags_free(d);
        tally_free(t);
        set_free(&s);
    }
}

static void test_file_set_problems(void **state)
{
    (void)state;
    file_set s = {0};
    set_add_text(&s, "alt.csv", "10,1,\"aka\",\"UNO\",-0- \r\n");
    expect_broken(&s, "/test/sdn.csv", 0, 0, "ofac.no-primary");
    set_add_text(&s, "sdn.csv", ROW_A);
    set_add_text(&s, "names.csv", "x\r\n");
    expect_broken(&s, "/test/names.csv", 0, 0, "ofac.file-name");
    set_add_text(&s, "sdn.csv", ROW_A);
    set_add_text(&s, "cons_alt.csv", "10,1,\"aka\",\"UNO\",-0- \r\n");
    expect_broken(&s, "/test/cons_alt.csv", 0, 0, "ofac.mixed-lists");
    set_add_text(&s, "sdn.csv", "\x1a");
    expect_broken(&s, "/test/sdn.csv", 0, 0, "ofac.empty");
    set_add_text(&s, "sdn.csv", ROW_A ROW_B "10,\"AGAIN\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,"
                                            "-0- ,-0- ,-0- ,-0- \r\n");
    expect_broken(&s, "/test/sdn.csv", 3, 1, "ofac.duplicate-ent-num");
    set_add_text(&s, "sdn.csv", ROW_A "\x1a\r\n" ROW_B);
    expect_broken(&s, "/test/sdn.csv", 3, 1, "ofac.after-eof");
    set_add_text(&s, "sdn.csv", ROW_A "30,-0- ,-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
                                      "-0- ,-0- \r\n");
    expect_broken(&s, "/test/sdn.csv", 2, 2, "ofac.no-name");
    /* a name of white space only is no name either (it was once taken for out of memory) */
    set_add_text(&s, "sdn.csv", "10,\"  \t \",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
                                "-0- \r\n");
    expect_broken(&s, "/test/sdn.csv", 1, 2, "ofac.no-name");
}

static void test_oddities_that_pass(void **state)
{
    (void)state;
    static const char *const keep[] = {"10", "20", NULL};
    file_set s = {0};
    /* LF endings, an unknown SDN_Type (a warning), the end-of-file mark, in any file order */
    set_add_text(&s, "alt.csv", "20,1,\"xka\",\"DEUX\",-0-\n\x1a");
    set_add_text(&s, "sdn.csv", ROW_B "10,\"ONE\",\"spaceship\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
                                      "-0- ,-0- ,-0- \n\x1a");
    tally *t = tally_new(keep);
    dx_diags *d = NULL;
    assert_int_equal(run_import(&s, t, &d, -1), DX_OK);
    assert_int_equal(errors_of(d), 0);
    assert_int_equal(dx_diags_count_severity(d, DX_SEV_WARNING), 2);
    assert_int_equal(kept(t, "10")->kind, DX_ENTRY_UNKNOWN);
    assert_int_equal(kept(t, "20")->kind, DX_ENTRY_ORGANIZATION);
    assert_true(has_name(kept(t, "20"), DX_NAME_ALIAS_STRONG, "DEUX"));
    assert_null(kept(t, "10")->remarks);
    assert_false(t->out_of_order);
    dx_diags_free(d);
    tally_free(t);
    set_free(&s);
}

static dx_status fail_ok(void *ctx, const dx_entry *e)
{
    (void)e;
    return ++*(int *)ctx == 2 ? DX_ERR_IO : DX_OK;
}

static void test_emit_failure_stops(void **state)
{
    (void)state;
    file_set s = {0};
    set_add_text(&s, "sdn.csv", ROW_A ROW_B "30,\"THREE\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
                                            "-0- ,-0- ,-0- \r\n");
    dx_diags *d = NULL;
    dx_entry_builder *b = NULL;
    int calls = 0;
    assert_int_equal(dx_diags_new(&d), DX_OK);
    assert_int_equal(dx_entry_builder_new(countries, &b), DX_OK);
    dx_import im = {d, b, fail_ok, &calls, countries, "", NULL};
    assert_int_equal(dx_import_ofac(&im, s.files, s.n), DX_ERR_IO);
    assert_int_equal(calls, 2);
    assert_int_equal(dx_import_ofac(NULL, s.files, s.n), DX_ERR_INVALID);
    dx_entry_builder_free(b);
    dx_diags_free(d);
    set_free(&s);
}

/* ---- allocation failures ------------------------------------------------------------ */

/* Fails the n-th allocation for n = 0, 1, ... until the import gets through: every failure
 * must give DX_ERR_NOMEM, and the import that gets through the expected result. */
static void sweep(file_set *s, dx_status want, size_t want_entries, size_t want_errors)
{
    long n = 0;
    for (;; n++) {
        tally *t = tally_new(NULL);
        dx_diags *d = NULL;
        dx_status st = run_import(s, t, &d, n);
        size_t entries = t->entries, errors = errors_of(d);
        tally_free(t);
        dx_diags_free(d);
        if (st == DX_ERR_NOMEM)
            continue;
        if (st != want || entries != want_entries || errors != want_errors)
            fail_msg("allocation %ld failed: %s, %zu entries, %zu errors", n, dx_status_name(st),
                     entries, errors);
        break;
    }
    printf("# %ld allocations failed one by one, each with DX_ERR_NOMEM\n", n);
}

static void test_allocation_failures(void **state)
{
    (void)state;
    file_set s = {0};
    set_load(&s, TINY, SDN_NAMES);
    sweep(&s, DX_OK, 17, 0); /* with its two orphan warnings */
    set_free(&s);
    load_tiny_consistent(&s);
    sweep(&s, DX_OK, 17, 0);
    set_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bench_2021),
        cmocka_unit_test(test_nonsdn_2025),
        cmocka_unit_test(test_tiny17),
        cmocka_unit_test(test_tiny17_consistent),
        cmocka_unit_test(test_remarks_language),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_field_count),
        cmocka_unit_test(test_bad_ent_num),
        cmocka_unit_test(test_orphan),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_file_set_problems),
        cmocka_unit_test(test_oddities_that_pass),
        cmocka_unit_test(test_emit_failure_stops),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
