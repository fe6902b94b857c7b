/*
 * test_import_csl.c — the Consolidated Screening List and Denied Persons List importers
 * (src/lib/import_csl.c, import_dpl.c).
 *
 * The real files are read at run time from ../shared/data/lists (never copied). Each import
 * runs with an emit callback that checks every entry (id, name, raw, unique ids), counts
 * entries per kind and per sub-list, and keeps a text dump of the entries a test watches, so
 * that spot checks compare exact text.
 *
 * Where the expected numbers come from. The counts per sub-list of the 2022-05 file were
 * taken with python3's csv module (collections.Counter over the `source` column of
 * csv.reader) and are hard-coded here; the test also recounts them with a method that shares
 * nothing with the importer: a scan of the raw bytes, line by line, for the source text
 * written right after the first comma (the 2022 file quotes no source, and no continuation
 * line of its 4 multi-line records looks like that). The derived ids of the 2019 sample and
 * of the DPL were computed the same way with python3's hashlib (sha256 over the fields
 * documented in the importers, joined by 0x1F).
 */
#include "testutil.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "dexcheck/country.h"
#include "dexcheck/diag.h"
#include "import.h"
#include "strbuf.h"

#define CSL_DIR DX_SHARED_DATA "/lists/us_csl"
#define DPL_DIR DX_SHARED_DATA "/lists/us_bis_dpl"

static dx_countries *countries;

static const char *const SUB_CODES[] = {"EL",  "MEU", "UVL", "DPL", "ISN", "DTC",   "SDN",
                                        "SSI", "FSE", "CAP", "CMIC", "NS-MBS", "PLC"};
enum { N_SUBS = sizeof SUB_CODES / sizeof *SUB_CODES, MAX_WATCH = 4 };

/* What one import gave. */
typedef struct outcome {
    dx_status status;
    dx_diags *diags;
    size_t entries;
    size_t by_kind[DX_ENTRY_AIRCRAFT + 1];
    size_t by_sub[N_SUBS];
    size_t no_sub;            /* entries without a known sub_list fact */
    const char *watch[MAX_WATCH]; /* entry ids, or "*" for every entry */
    dx_strbuf dump[MAX_WATCH];    /* the watched entries, as text */
    char **ids;               /* every id given, to check they are unique */
    size_t n_ids, cap_ids;
    uint64_t content_hash;    /* over every entry's dump, for the allocation sweep */
    size_t stop_after;        /* emit returns DX_ERR_LIMIT after this many (0: never) */
} outcome;

static outcome O;

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

static void outcome_free(outcome *o)
{
    dx_diags_free(o->diags);
    for (size_t i = 0; i < MAX_WATCH; i++)
        dx_strbuf_free(&o->dump[i]);
    for (size_t i = 0; i < o->n_ids; i++)
        free(o->ids[i]);
    free(o->ids);
    memset(o, 0, sizeof *o);
}

static int setup(void **state)
{
    (void)state;
    memset(&O, 0, sizeof O);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    dx_alloc_fail_after(-1);
    outcome_free(&O);
    return 0;
}

/* ---- reading files and importing ---- */

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *bytes = malloc((size_t)size + 1);
    assert_non_null(bytes);
    assert_int_equal(fread(bytes, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    bytes[size] = '\0';
    *len = (size_t)size;
    return bytes;
}

/* The entry as text: one line per property, facts as "fact TYPE=VALUE [CC]". */
static dx_status dump_entry(dx_strbuf *b, const dx_entry *e)
{
    dx_status st = dx_strbuf_printf(b, "id=%s\nkind=%s\nname=%s\n", e->entry_id,
                                    dx_entry_kind_name(e->kind), e->name);
    for (size_t i = 0; i < e->n_names && st == DX_OK; i++)
        st = dx_strbuf_printf(b, "%s=%s\n", dx_name_kind_name(e->names[i].kind),
                              e->names[i].text);
    for (size_t i = 0; i < e->n_facts && st == DX_OK; i++)
        st = dx_strbuf_printf(b, "fact %s=%s%s%s%s\n", e->facts[i].type, e->facts[i].value,
                              e->facts[i].country[0] ? " [" : "", e->facts[i].country,
                              e->facts[i].country[0] ? "]" : "");
    if (st == DX_OK)
        st = dx_strbuf_printf(b, "start=%s\nurl=%s\nremarks=%s\nraw=%s\n",
                              e->start_date ? e->start_date : "(none)",
                              e->source_url ? e->source_url : "(none)",
                              e->remarks ? e->remarks : "(none)", e->raw);
    return st;
}

static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static dx_status on_entry(void *ctx, const dx_entry *e)
{
    outcome *o = ctx;
    if (o->stop_after && o->entries == o->stop_after)
        return DX_ERR_LIMIT;
    if (!e->entry_id || !e->entry_id[0] || !e->name || !e->name[0] || !e->raw ||
        e->raw[0] != '{' || e->n_names == 0 || e->names[0].text != e->name)
        fail_msg("entry %zu is incomplete", o->entries);
    o->entries++;
    o->by_kind[e->kind]++;
    size_t sub = N_SUBS;
    for (size_t i = 0; i < e->n_facts; i++) {
        for (size_t k = 0; k < N_SUBS && !strcmp(e->facts[i].type, "sub_list"); k++) {
            if (!strcmp(e->facts[i].value, SUB_CODES[k]))
                sub = k;
        }
    }
    if (sub < N_SUBS)
        o->by_sub[sub]++;
    else
        o->no_sub++;
    if (o->n_ids == o->cap_ids) {
        o->cap_ids = o->cap_ids ? 2 * o->cap_ids : 1024;
        o->ids = realloc(o->ids, o->cap_ids * sizeof *o->ids);
        assert_non_null(o->ids);
    }
    o->ids[o->n_ids++] = strdup(e->entry_id);
    dx_strbuf all = DX_STRBUF_INIT;
    dx_status st = dump_entry(&all, e);
    if (st == DX_OK)
        o->content_hash = fnv(o->content_hash ^ 0x9e37, all.data, all.len);
    for (size_t i = 0; i < MAX_WATCH && st == DX_OK; i++) {
        if (o->watch[i] && (!strcmp(o->watch[i], e->entry_id) || !strcmp(o->watch[i], "*")))
            st = dx_strbuf_append(&o->dump[i], all.data, all.len);
    }
    dx_strbuf_free(&all);
    return st;
}

static int compare_ids(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void assert_unique_ids(outcome *o)
{
    qsort(o->ids, o->n_ids, sizeof *o->ids, compare_ids);
    for (size_t i = 1; i < o->n_ids; i++) {
        if (!strcmp(o->ids[i - 1], o->ids[i]))
            fail_msg("id %s given twice", o->ids[i]);
    }
}

/* Import `len` bytes as file `path` with `fn` into *o (whose watch list is set). */
static dx_status import_bytes(outcome *o, dx_import_fn fn, const char *path,
                              const unsigned char *bytes, size_t len)
{
    dx_entry_builder *b = NULL;
    dx_status st = o->diags ? DX_OK : dx_diags_new(&o->diags);
    if (st == DX_OK)
        st = dx_entry_builder_new(countries, &b);
    if (st == DX_OK) {
        const char *base = strrchr(path, '/');
        dx_import im = {o->diags, b, on_entry, o, countries, "", NULL};
        dx_import_file file = {path, base ? base + 1 : path, bytes, len};
        st = fn(&im, &file, 1);
    }
    dx_entry_builder_free(b);
    o->status = st;
    return st;
}

static dx_status import_path(outcome *o, dx_import_fn fn, const char *path)
{
    size_t len;
    unsigned char *bytes = slurp(path, &len);
    dx_status st = import_bytes(o, fn, path, bytes, len);
    free(bytes);
    return st;
}

static dx_status import_text(outcome *o, dx_import_fn fn, const char *text)
{
    return import_bytes(o, fn, "test.csv", (const unsigned char *)text, strlen(text));
}

static void dump_diags(const outcome *o)
{
    for (size_t i = 0; o->diags && i < dx_diags_count(o->diags); i++) {
        const dx_diag *d = dx_diags_get(o->diags, i);
        print_message("  %s:%lu:%lu: %s %s: %s\n", d->source, d->line, d->column,
                      dx_severity_str(d->severity), d->code, d->message);
    }
}

static size_t errors(const outcome *o)
{
    return dx_diags_count_severity(o->diags, DX_SEV_ERROR);
}

/* The diagnostic with `code` at `line` (0: any line), or a failure listing them all. */
static const dx_diag *find_diag(const outcome *o, const char *code, unsigned long line)
{
    for (size_t i = 0; i < dx_diags_count(o->diags); i++) {
        const dx_diag *d = dx_diags_get(o->diags, i);
        if (!strcmp(d->code, code) && (!line || d->line == line))
            return d;
    }
    dump_diags(o);
    fail_msg("no diagnostic %s at line %lu", code, line);
    return NULL;
}

/* The watched entry's dump contains `line` as a whole line. */
static void assert_has_line(const outcome *o, size_t watch, const char *line)
{
    const char *dump = o->dump[watch].data;
    if (!dump)
        fail_msg("entry %s was not emitted", o->watch[watch]);
    size_t n = strlen(line);
    for (const char *p = dump; (p = strstr(p, line)) != NULL; p++) {
        if ((p == dump || p[-1] == '\n') && p[n] == '\n')
            return;
    }
    print_message("%s", dump);
    fail_msg("entry %s has no line '%s'", o->watch[watch], line);
}

static size_t sub_count(const outcome *o, const char *code)
{
    for (size_t k = 0; k < N_SUBS; k++) {
        if (!strcmp(SUB_CODES[k], code))
            return o->by_sub[k];
    }
    fail_msg("no sub-list %s", code);
    return 0;
}

/* ---- CSL: the real files ---- */

/* The sources of the CSL as the 2022-05 file writes them, with python3 csv module counts. */
static const struct {
    const char *code;
    const char *source;
    size_t count_2022;
} SOURCES_2022[] = {
    {"SDN", "Specially Designated Nationals (SDN) - Treasury Department", 10026},
    {"EL", "Entity List (EL) - Bureau of Industry and Security", 2001},
    {"DTC", "ITAR Debarred (DTC) - State Department", 727},
    {"DPL", "Denied Persons List (DPL) - Bureau of Industry and Security", 462},
    {"SSI", "Sectoral Sanctions Identifications List (SSI) - Treasury Department", 290},
    {"UVL", "Unverified List (UVL) - Bureau of Industry and Security", 201},
    {"ISN", "Nonproliferation Sanctions (ISN) - State Department", 163},
    {"PLC", "Palestinian Legislative Council List (PLC) - Treasury Department", 78},
    {"MEU", "Military End User (MEU) List - Bureau of Industry and Security", 71},
    {"CMIC", "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury "
             "Department", 68},
    {"CAP", "Capta List (CAP) - Treasury Department", 53},
    {"NS-MBS", "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", 17},
    {"FSE", "Foreign Sanctions Evaders (FSE) - Treasury Department", 3},
};

/* Lines of `text` whose text after the first comma is `source` followed by a comma. */
static size_t count_source_lines(const char *text, size_t len, const char *source)
{
    size_t n = 0, slen = strlen(source);
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl ? nl : end;
        const char *comma = memchr(p, ',', (size_t)(line_end - p));
        if (comma && (size_t)(line_end - comma - 1) > slen && !memcmp(comma + 1, source, slen) &&
            comma[1 + slen] == ',')
            n++;
        p = line_end + 1;
    }
    return n;
}

static void test_csl_2022_full(void **state)
{
    (void)state;
    const char *path = CSL_DIR "/2022-05_full/consolidated.csv";
    O.watch[0] = "EL:7a3e482823c526450e079b6788c5d7250094de8f"; /* BUPT, line 2471 */
    O.watch[1] = "SDN:36";                                       /* AEROCARIBBEAN AIRLINES */
    O.watch[2] = "CAP:15268#2";                                  /* published twice */
    O.watch[3] = "SDN:24904";                                    /* 'ABBAS, Yasir */
    size_t len;
    unsigned char *bytes = slurp(path, &len);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    dx_status st = import_bytes(&O, dx_import_csl, path, bytes, len);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    print_message("# 2022-05 CSL: %zu entries imported in %.1f ms\n", O.entries,
                  (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
    if (st != DX_OK)
        dump_diags(&O);
    assert_int_equal(st, DX_OK);
    assert_int_equal(O.entries, 14160);
    assert_int_equal(sub_count(&O, "EL"), 2001);
    assert_int_equal(O.no_sub, 0);
    for (size_t i = 0; i < sizeof SOURCES_2022 / sizeof *SOURCES_2022; i++) {
        size_t scanned = count_source_lines((const char *)bytes, len, SOURCES_2022[i].source);
        assert_int_equal(scanned, SOURCES_2022[i].count_2022);
        assert_int_equal(sub_count(&O, SOURCES_2022[i].code), SOURCES_2022[i].count_2022);
    }
    free(bytes);
    assert_int_equal(O.by_kind[DX_ENTRY_PERSON], 5286);
    assert_int_equal(O.by_kind[DX_ENTRY_ORGANIZATION], 4533);
    assert_int_equal(O.by_kind[DX_ENTRY_UNKNOWN], 3625);
    assert_int_equal(O.by_kind[DX_ENTRY_VESSEL], 433);
    assert_int_equal(O.by_kind[DX_ENTRY_AIRCRAFT], 283);
    assert_unique_ids(&O);
    /* the one warning: CAP 15268 twice (lines 1979 and 1980) */
    assert_int_equal(dx_diags_count(O.diags), 1);
    const dx_diag *d = find_diag(&O, "csl.duplicate-id", 1980);
    assert_int_equal(d->severity, DX_SEV_WARNING);
    assert_non_null(strstr(d->message, "line 1979"));

    assert_has_line(&O, 0, "name=Beijing University of Posts and Telecommunications (BUPT)");
    assert_has_line(&O, 0, "kind=unknown");
    assert_has_line(&O, 0, "fact sub_list=EL");
    assert_has_line(&O, 0, "fact license_requirement=For all items subject to the EAR. "
                           "(See §744.11 of the EAR).");
    assert_has_line(&O, 0, "fact license_policy=Presumption of denial.");
    assert_has_line(&O, 0, "fact address=No. 10 Xitucheng Rd, Haidian District, Beijing, "
                           "100876, CN [CN]");
    assert_has_line(&O, 0, "fact federal_register=85 FR 83420");
    assert_has_line(&O, 0, "start=2020-12-18");
    assert_non_null(strstr(O.dump[0].data, "\"license_requirement\":\"For all items subject to "
                                           "the EAR.  (See §744.11 of the EAR).\""));

    assert_has_line(&O, 1, "name=AEROCARIBBEAN AIRLINES");
    assert_has_line(&O, 1, "kind=organization");
    assert_has_line(&O, 1, "fact sub_list=SDN");
    assert_has_line(&O, 1, "fact entity_number=36");
    assert_has_line(&O, 1, "fact program=CUBA");
    assert_has_line(&O, 1, "fact address=Havana, CU [CU]");

    assert_has_line(&O, 2, "name=BANK OF KUNLUN CO LTD");
    assert_has_line(&O, 2, "url=http://bit.ly/1QWTIfE");
    assert_has_line(&O, 2, "fact id=CKLBCNBJ, SWIFT/BIC");
    assert_has_line(&O, 2, "strong_alias=KARAMAY CITY COMMERCIAL BANK CO LTD.");

    assert_has_line(&O, 3, "kind=person");
    assert_has_line(&O, 3, "fact gender=Male");
}

static void test_csl_2019_sample(void **state)
{
    (void)state;
    /* 28 columns, no _id: Treasury rows keyed by entity_number, BIS/State rows by hash */
    O.watch[0] = "EL:ff056cea3e784e54f9142a36d7ac41f5724a5b7f"; /* 32 Group China Ltd., line 7 */
    O.watch[1] = "SDN:20264";                                    /* 200G PSA HOLDINGS LLC */
    dx_status st = import_path(&O, dx_import_csl, CSL_DIR "/2019-12_sample/csl.csv");
    if (st != DX_OK)
        dump_diags(&O);
    assert_int_equal(st, DX_OK);
    assert_int_equal(dx_diags_count(O.diags), 0);
    assert_int_equal(O.entries, 115);
    static const struct { const char *code; size_t n; } expect[] = {
        {"SDN", 28}, {"SSI", 26}, {"EL", 22}, {"PLC", 13}, {"DTC", 10},
        {"DPL", 8},  {"UVL", 4},  {"ISN", 3}, {"CAP", 1}};
    for (size_t i = 0; i < sizeof expect / sizeof *expect; i++)
        assert_int_equal(sub_count(&O, expect[i].code), expect[i].n);
    assert_unique_ids(&O);
    assert_has_line(&O, 0, "name=32 Group China Ltd.");
    assert_has_line(&O, 0, "fact address=Room 1119, 11/F, Block B, Yau Tong Industrial City, "
                           "17 Ko Fai Road, Yau Tong, Kowloon, Hong Kong, Kowloon, HK [HK]");
    assert_has_line(&O, 0, "start=2015-11-12");
    assert_has_line(&O, 1, "name=200G PSA HOLDINGS LLC");
    assert_has_line(&O, 1, "fact entity_number=20264");
    assert_has_line(&O, 1, "fact program=SDNTK");
}

static void test_csl_2025_tiny13(void **state)
{
    (void)state;
    dx_status st = import_path(&O, dx_import_csl, CSL_DIR "/2025-06_tiny13/consolidated.csv");
    if (st != DX_OK)
        dump_diags(&O);
    assert_int_equal(st, DX_OK);
    assert_int_equal(dx_diags_count(O.diags), 0);
    assert_int_equal(O.entries, 13);
    static const struct { const char *code; size_t n; } expect[] = {
        {"SSI", 3}, {"PLC", 2}, {"ISN", 1}, {"UVL", 1}, {"MEU", 1},
        {"SDN", 1}, {"DTC", 1}, {"DPL", 1}, {"FSE", 1}, {"EL", 1}};
    for (size_t i = 0; i < sizeof expect / sizeof *expect; i++)
        assert_int_equal(sub_count(&O, expect[i].code), expect[i].n);
    assert_int_equal(O.by_kind[DX_ENTRY_UNKNOWN], 6);
    assert_int_equal(O.by_kind[DX_ENTRY_PERSON], 4);
    assert_int_equal(O.by_kind[DX_ENTRY_ORGANIZATION], 3);
}

/* The 2023 layout of ids ("type, number, country"), on the SDN row of the tiny sample. */
static void test_csl_2025_ids(void **state)
{
    (void)state;
    O.watch[0] = "SDN:52291"; /* the one SDN row: ids "Passport, 836238033, KP; ..." */
    assert_int_equal(import_path(&O, dx_import_csl, CSL_DIR "/2025-06_tiny13/consolidated.csv"),
                     DX_OK);
    assert_has_line(&O, 0, "kind=person");
    assert_has_line(&O, 0, "fact passport=836238033 [KP]");
    assert_has_line(&O, 0, "fact gender=Male");
    assert_has_line(&O, 0, "fact nationality=KP [KP]");
    assert_has_line(&O, 0, "fact id=Secondary sanctions risk:, North Korea Sanctions "
                           "Regulations, sections 510.201 and 510.210");
}

/*
 * The 2023-11 file is not what PROVENANCE.md says ("first line is a truncated 8-field
 * header"): its line 1 is the full 29-column header, line 2 repeats it, and the file is cut
 * inside a quoted field of its last record (line 4233, 8 fields). Both are errors: the repeated
 * header at line 2, the unclosed quote at line 4233; the 4,226 good rows are still built.
 */
static void test_csl_2023_unmerged(void **state)
{
    (void)state;
    const char *path = CSL_DIR "/2023-11_unmerged/csl.csv";
    assert_int_equal(import_path(&O, dx_import_csl, path), DX_ERR_INPUT);
    assert_int_equal(errors(&O), 2);
    const dx_diag *d = find_diag(&O, "csl.repeated-header", 2);
    assert_string_equal(d->source, path);
    assert_int_equal(d->severity, DX_SEV_ERROR);
    d = find_diag(&O, "csv.unclosed-quote", 4233);
    assert_int_equal(d->column, 8);
    assert_int_equal(O.entries, 4226);
}

/* ---- CSL: inputs built here ---- */

static const char HEADER29[] =
    "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,"
    "start_date,end_date,standard_order,license_requirement,license_policy,call_sign,"
    "vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,"
    "source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,"
    "source_information_url,ids\n";

static const char EL[] = "Entity List (EL) - Bureau of Industry and Security";

/* A 29-field row: _id, source, type, name, addresses, alt_names, ids; the rest empty. */
static void row29(dx_strbuf *b, const char *id, const char *source, const char *type,
                  const char *name, const char *addresses, const char *alt_names,
                  const char *ids)
{
    assert_int_equal(dx_strbuf_printf(b,
                                      "\"%s\",\"%s\",,\"%s\",,\"%s\",,\"%s\",,,,,,,,,,,,,,,"
                                      "\"%s\",,,,,,\"%s\"\n",
                                      id, source, type, name, addresses, alt_names, ids),
                     DX_OK);
}

static dx_status import_rows(outcome *o, dx_strbuf *b)
{
    dx_status st = import_bytes(o, dx_import_csl, "test.csv", (const unsigned char *)b->data,
                                b->len);
    dx_strbuf_free(b);
    return st;
}

static void test_csl_truncated(void **state)
{
    (void)state;
    /* the real tiny sample, cut 30 bytes into line 6 (inside its quoted _id) */
    size_t len;
    unsigned char *bytes = slurp(CSL_DIR "/2025-06_tiny13/consolidated.csv", &len);
    size_t cut = 0;
    for (int line = 1; line < 6; cut++)
        line += bytes[cut] == '\n';
    assert_int_equal(import_bytes(&O, dx_import_csl, "cut.csv", bytes, cut + 30), DX_ERR_INPUT);
    free(bytes);
    assert_int_equal(errors(&O), 1);
    find_diag(&O, "csv.unclosed-quote", 6);
    assert_int_equal(O.entries, 4);

    /* built here: a quote opened in the name of line 3, never closed */
    outcome_free(&O);
    dx_strbuf b = DX_STRBUF_INIT;
    assert_int_equal(dx_strbuf_append(&b, HEADER29, strlen(HEADER29)), DX_OK);
    row29(&b, "a1", EL, "", "Good Name", "", "", "");
    assert_int_equal(dx_strbuf_printf(&b, "\"a2\",\"%s\",,,,\"Cut Na", EL), DX_OK);
    assert_int_equal(import_rows(&O, &b), DX_ERR_INPUT);
    find_diag(&O, "csv.unclosed-quote", 3);
    assert_int_equal(O.entries, 1);
}

static void test_csl_unknown_source_and_type(void **state)
{
    (void)state;
    dx_strbuf b = DX_STRBUF_INIT;
    assert_int_equal(dx_strbuf_append(&b, HEADER29, strlen(HEADER29)), DX_OK);
    row29(&b, "a1", EL, "", "Good Name", "", "", "");
    row29(&b, "a2", "Made-up List (XYZ) - Nobody", "", "Some Name", "", "", "");
    row29(&b, "a3", "Entity List (EL)", "Robot", "Other Name", "", "", "");
    row29(&b, "a4", "entity list (el)  -  BIS", "", "", "", "", "");
    row29(&b, "a5", "ENTITY LIST (EL) - B.I.S.", "individual", "Case Aside", "", "", "");
    assert_int_equal(import_rows(&O, &b), DX_ERR_INPUT);
    const dx_diag *d = find_diag(&O, "csl.unknown-source", 3);
    assert_int_equal(d->column, 2);
    assert_non_null(strstr(d->message, "Made-up List (XYZ) - Nobody"));
    d = find_diag(&O, "csl.unknown-type", 4);
    assert_int_equal(d->column, 4);
    d = find_diag(&O, "csl.missing-name", 5);
    assert_int_equal(d->column, 6);
    assert_int_equal(errors(&O), 3);
    assert_int_equal(O.entries, 2);
    assert_int_equal(O.by_kind[DX_ENTRY_PERSON], 1);
}

static void test_csl_missing_columns(void **state)
{
    (void)state;
    assert_int_equal(import_text(&O, dx_import_csl,
                                 "_id,source,type,title\n\"1\",\"x\",\"\",\"y\"\n"),
                     DX_ERR_INPUT);
    const dx_diag *d = find_diag(&O, "csl.missing-column", 1);
    assert_non_null(strstr(d->message, "'name'"));
    assert_int_equal(errors(&O), 1);
    assert_int_equal(O.entries, 0);

    outcome_free(&O);
    assert_int_equal(import_text(&O, dx_import_csl, "name,name,source\n"), DX_ERR_INPUT);
    d = find_diag(&O, "csl.duplicate-column", 1);
    assert_int_equal(d->column, 2);

    outcome_free(&O);
    assert_int_equal(import_text(&O, dx_import_csl, ""), DX_ERR_INPUT);
    find_diag(&O, "csl.empty", 0);

    /* a header alone is a valid, empty list (with a warning); unknown columns are named */
    outcome_free(&O);
    assert_int_equal(import_text(&O, dx_import_csl, "source,name,new_column\n"), DX_OK);
    find_diag(&O, "csl.no-entries", 0);
    d = find_diag(&O, "csl.unknown-columns", 1);
    assert_non_null(strstr(d->message, "'new_column'"));
}

static void test_csl_field_count_and_newlines(void **state)
{
    (void)state;
    dx_strbuf b = DX_STRBUF_INIT;
    assert_int_equal(dx_strbuf_append(&b, HEADER29, strlen(HEADER29)), DX_OK);
    row29(&b, "a1", EL, "", "Two\nLine Name", "Street 1,\nCity, 100, CN", "", "");
    assert_int_equal(dx_strbuf_printf(&b, "\"a2\",\"%s\",,,,\"Short Row\"\n", EL), DX_OK);
    row29(&b, "a3", EL, "Entity", "After", "", "", "");
    O.watch[0] = "EL:a1";
    assert_int_equal(import_rows(&O, &b), DX_ERR_INPUT);
    const dx_diag *d = find_diag(&O, "csl.field-count", 5); /* a1 spans lines 2-4 */
    assert_non_null(strstr(d->message, "6 fields"));
    assert_int_equal(errors(&O), 1);
    assert_int_equal(O.entries, 2);
    assert_has_line(&O, 0, "name=Two Line Name");
    assert_has_line(&O, 0, "fact address=Street 1, City, 100, CN [CN]");
}

static void test_csl_lists_and_ids(void **state)
{
    (void)state;
    dx_strbuf b = DX_STRBUF_INIT;
    assert_int_equal(dx_strbuf_append(&b, HEADER29, strlen(HEADER29)), DX_OK);
    row29(&b, "a1", EL, "Individual", "Main Name",
          "1 Road, Town, 11, CN; 2 Way, Zone;, AE;; Nowhere, Atlantis",
          "Alias One;Alias Two; ; Alias One",
          "JO, 2014-08-30, 2009-08-31, K475336, Passport; Passport, 19820215; "
          "Passport, 1084010, EG; QA, 28940000602, National ID No.; Male, Gender; "
          "PA, 467323, Doc. 694710, Public Registration Number; IMO 8898831, Vessel "
          "Registration Identification; CKLBCNBJ, SWIFT/BIC; Website, www.cbr.ru; Lonely");
    row29(&b, "a1", EL, "", "Repeated", "", "", "");
    row29(&b, "a1", EL, "", "Repeated Again", "", "", "");
    row29(&b, "a1", "Specially Designated Nationals (SDN) - Treasury Department", "Entity",
          "Other List", "", "", "");
    O.watch[0] = "EL:a1";
    O.watch[1] = "EL:a1#2";
    O.watch[2] = "EL:a1#3";
    O.watch[3] = "SDN:a1";
    assert_int_equal(import_rows(&O, &b), DX_OK);
    assert_int_equal(O.entries, 4);
    assert_int_equal(dx_diags_count(O.diags), 2);
    find_diag(&O, "csl.duplicate-id", 3);
    const dx_diag *d = find_diag(&O, "csl.duplicate-id", 4);
    assert_non_null(strstr(d->message, "line 2"));
    assert_non_null(strstr(d->message, "'EL:a1#3'"));
    assert_has_line(&O, 0, "fact address=1 Road, Town, 11, CN [CN]");
    assert_has_line(&O, 0, "fact address=2 Way, Zone;, AE [AE]");
    assert_has_line(&O, 0, "fact address=Nowhere, Atlantis");
    assert_has_line(&O, 0, "strong_alias=Alias One");
    assert_has_line(&O, 0, "strong_alias=Alias Two");
    assert_has_line(&O, 0, "fact passport=K475336 [JO]");
    assert_has_line(&O, 0, "fact passport=19820215");
    assert_has_line(&O, 0, "fact passport=1084010 [EG]");
    assert_has_line(&O, 0, "fact national_id=28940000602 [QA]");
    assert_has_line(&O, 0, "fact gender=Male");
    assert_has_line(&O, 0, "fact registration=467323, Doc. 694710 [PA]");
    assert_has_line(&O, 0, "fact imo=IMO 8898831");
    assert_has_line(&O, 0, "fact id=CKLBCNBJ, SWIFT/BIC");
    assert_has_line(&O, 0, "fact website=www.cbr.ru");
    assert_has_line(&O, 0, "fact id=Lonely");
    assert_has_line(&O, 1, "name=Repeated");
    assert_has_line(&O, 2, "name=Repeated Again");
    assert_has_line(&O, 3, "name=Other List");
}

/* A repeat takes the first free suffix, even when the file itself uses one. */
static void test_csl_suffix_taken(void **state)
{
    (void)state;
    dx_strbuf b = DX_STRBUF_INIT;
    assert_int_equal(dx_strbuf_append(&b, HEADER29, strlen(HEADER29)), DX_OK);
    row29(&b, "a1", EL, "", "First", "", "", "");
    row29(&b, "a1#2", EL, "", "Own Suffix", "", "", "");
    row29(&b, "a1", EL, "", "Repeat", "", "", "");
    row29(&b, " a1 ", EL, "", "Spaced Repeat", "", "", "");
    O.watch[0] = "EL:a1#3";
    O.watch[1] = "EL:a1#4";
    assert_int_equal(import_rows(&O, &b), DX_OK);
    assert_int_equal(O.entries, 4);
    assert_unique_ids(&O);
    assert_has_line(&O, 0, "name=Repeat");
    assert_has_line(&O, 1, "name=Spaced Repeat");
}

static void test_csl_random_bytes(void **state)
{
    (void)state;
    unsigned char bytes[4096];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof bytes; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes[i] = (unsigned char)x;
    }
    assert_int_equal(import_bytes(&O, dx_import_csl, "random.csv", bytes, sizeof bytes),
                     DX_ERR_INPUT);
    assert_int_equal(O.entries, 0);
    const dx_diag *first = dx_diags_get(O.diags, 0);
    assert_non_null(first);
    const dx_diag *d = find_diag(&O, "csl.missing-column", 0);
    assert_int_equal(d->line, first->line); /* the header is the first row read */

    outcome_free(&O);
    assert_int_equal(import_bytes(&O, dx_import_dpl, "random.txt", bytes, sizeof bytes),
                     DX_ERR_INPUT);
    assert_int_equal(O.entries, 0);
    find_diag(&O, "dpl.missing-column", 0);
}

static void test_emit_stops_import(void **state)
{
    (void)state;
    O.stop_after = 3;
    assert_int_equal(import_path(&O, dx_import_csl, CSL_DIR "/2025-06_tiny13/consolidated.csv"),
                     DX_ERR_LIMIT);
    assert_int_equal(O.entries, 3);
    outcome_free(&O);
    O.stop_after = 5;
    assert_int_equal(import_path(&O, dx_import_dpl, DPL_DIR "/2019-07/dpl.txt"), DX_ERR_LIMIT);
    assert_int_equal(O.entries, 5);
    dx_import im = {NULL, NULL, on_entry, &O, countries, "", NULL};
    assert_int_equal(dx_import_csl(&im, NULL, 0), DX_ERR_INVALID);
    assert_int_equal(dx_import_dpl(NULL, NULL, 0), DX_ERR_INVALID);
}

/* ---- DPL ---- */

static void test_dpl_2022_09(void **state)
{
    (void)state;
    O.watch[0] = "b448b3e85e571d86d35d1c3d5ee60e63a9cdd855"; /* " I. ASH", line 2 */
    O.watch[1] = "a81610381f76da2d539064b78ad55860ec400dc3#2"; /* DAQING ZHOU, line 144 */
    dx_status st = import_path(&O, dx_import_dpl, DPL_DIR "/2022-09_bench/dpl.txt");
    if (st != DX_OK)
        dump_diags(&O);
    assert_int_equal(st, DX_OK);
    assert_int_equal(O.entries, 581);
    assert_int_equal(O.by_kind[DX_ENTRY_UNKNOWN], 581);
    assert_unique_ids(&O);
    /* two rows published twice, kept with warnings */
    assert_int_equal(dx_diags_count(O.diags), 2);
    const dx_diag *d = find_diag(&O, "dpl.repeated-row", 144);
    assert_non_null(strstr(d->message, "line 143"));
    find_diag(&O, "dpl.repeated-row", 403);

    assert_has_line(&O, 0, "name=I. ASH");
    assert_has_line(&O, 0, "kind=unknown");
    assert_has_line(&O, 0, "fact address=UPON THE DATE OF THE ORDER INCARCERATED AT USM NO: "
                           "26265-177, FCI SEAGOVILLE, 2113 NORTH HIGHWAY 175, SEAGOVILLE, TX, "
                           "75159, US [US]");
    assert_has_line(&O, 0, "fact effective_date=06/19/2003");
    assert_has_line(&O, 0, "fact expiration_date=06/29/2056");
    assert_has_line(&O, 0, "fact standard_order=Y");
    assert_has_line(&O, 0, "fact last_update=2007-01-31");
    assert_has_line(&O, 0, "fact action=FEDERAL REGISTER NOTICE UPDATED");
    assert_has_line(&O, 0, "fact federal_register=68 F.R. 38290 6/27/03 71 F.R. 38843 7/10/06 "
                           "72 F.R. 4236 1/30/07");
    assert_has_line(&O, 0, "start=2003-06-19");
    assert_non_null(strstr(O.dump[0].data, "{\"Name\":\" I. ASH\",\"Street_Address\":"));
    assert_has_line(&O, 1, "name=DAQING ZHOU");
    assert_has_line(&O, 1, "fact address=MANTEN ELECTRONICS INC, BEIJING OFFICE, SUITE 2-4-501, "
                           "2ND AREA CHERRY GARDEN, LI QIAO TOWN, SHUN YI, BEIJING, 101300, CN "
                           "[CN]");
}

static void test_dpl_2019_07(void **state)
{
    (void)state;
    O.watch[0] = "c8b757ee506075d690d88acf4e62ec6d6989bf37"; /* AARON ROBERT HENDERSON */
    O.watch[1] = "75471d06ff8d6b4e236043105495228127540662"; /* no country */
    dx_status st = import_path(&O, dx_import_dpl, DPL_DIR "/2019-07/dpl.txt");
    if (st != DX_OK)
        dump_diags(&O);
    assert_int_equal(st, DX_OK);
    assert_int_equal(O.entries, 546);
    assert_unique_ids(&O);
    assert_int_equal(dx_diags_count(O.diags), 3);
    find_diag(&O, "dpl.repeated-row", 130);
    find_diag(&O, "dpl.repeated-row", 141);
    find_diag(&O, "dpl.repeated-row", 381);
    assert_has_line(&O, 0, "name=AARON ROBERT HENDERSON");
    assert_has_line(&O, 0, "fact effective_date=05/28/2010");
    assert_has_line(&O, 0, "fact expiration_date=09/18/2019");
    assert_has_line(&O, 0, "fact federal_register=75 F.R. 32740 6/9/10");
    assert_has_line(&O, 0, "fact action=10 YEAR DENIAL/F.R. NOTICE UPDATED");
    assert_has_line(&O, 0, "start=2010-05-28");
    assert_has_line(&O, 1, "fact address=3037 S. 69TH DRIVE, PHONEIX, AZ, 85043");
}

static const char DPL_HEADER[] =
    "\"Name\"\t\"Street_Address\"\t\"City\"\t\"State\"\t\"Country\"\t\"Postal_Code\"\t"
    "\"Effective_Date\"\t\"Expiration_Date\"\t\"Standard_Order\"\t\"Last_Update\"\t"
    "\"Action\"\t\"FR_Citation\"\n";

static void test_dpl_broken(void **state)
{
    (void)state;
    dx_strbuf b = DX_STRBUF_INIT;
    assert_int_equal(dx_strbuf_append(&b, DPL_HEADER, strlen(DPL_HEADER)), DX_OK);
    assert_int_equal(dx_strbuf_printf(&b, "%s",
        "\"A PERSON\"\t\"1 ROAD\"\t\"TOWN\"\t\"\"\t\"DE\"\t\"1\"\t\"02/30/2020\"\t\"\"\t\"Y\"\t"
        "\"2020-03-01\"\t\"ADDED\"\t\"85 F.R. 1\"\n"
        "\"A PERSON\"\t\"1 ROAD\"\t\"TOWN\"\t\"\"\t\"DE\"\t\"1\"\t\"02/30/2020\"\t\"\"\t\"N\"\t"
        "\"2021-03-01\"\t\"CHANGED\"\t\"85 F.R. 1\"\n"
        "\"SHORT\"\t\"ROW\"\n"
        "\"\"\t\"1 ROAD\"\t\"TOWN\"\t\"\"\t\"DE\"\t\"1\"\t\"\"\t\"\"\t\"Y\"\t\"\"\t\"\"\t\"\"\n"
        "\"LEAP\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"02/29/2024\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\n"),
        DX_OK);
    assert_int_equal(import_bytes(&O, dx_import_dpl, "dpl.txt", (const unsigned char *)b.data,
                                  b.len), DX_ERR_INPUT);
    dx_strbuf_free(&b);
    const dx_diag *d = find_diag(&O, "dpl.duplicate-id", 3);
    assert_non_null(strstr(d->message, "line 2"));
    find_diag(&O, "dpl.field-count", 4);
    d = find_diag(&O, "dpl.missing-name", 5);
    assert_int_equal(d->column, 1);
    assert_int_equal(errors(&O), 3);
    assert_int_equal(O.entries, 2);

    outcome_free(&O);
    O.watch[0] = "";
    assert_int_equal(import_text(&O, dx_import_dpl,
                                 "\"Name\"\t\"City\"\n\"X\"\t\"Y\"\n"), DX_ERR_INPUT);
    d = find_diag(&O, "dpl.missing-column", 1);
    assert_non_null(strstr(d->message, "'Effective_Date'"));
    assert_null(strstr(d->message, "'City'"));
    assert_int_equal(O.entries, 0);

    outcome_free(&O);
    assert_int_equal(import_text(&O, dx_import_dpl, ""), DX_ERR_INPUT);
    find_diag(&O, "dpl.empty", 0);
}

/* A row published three times: three entries, two warnings. */
static void test_dpl_repeats(void **state)
{
    (void)state;
    static const char ROW[] = "\"P Q\"\t\"1 ROAD\"\t\"TOWN\"\t\"\"\t\"FR\"\t\"75001\"\t"
                              "\"01/02/2003\"\t\"\"\t\"Y\"\t\"\"\t\"\"\t\"\"\n";
    dx_strbuf b = DX_STRBUF_INIT;
    assert_int_equal(dx_strbuf_printf(&b, "%s%s%s%s", DPL_HEADER, ROW, ROW, ROW), DX_OK);
    assert_int_equal(import_bytes(&O, dx_import_dpl, "dpl.txt", (const unsigned char *)b.data,
                                  b.len), DX_OK);
    dx_strbuf_free(&b);
    assert_int_equal(O.entries, 3);
    assert_unique_ids(&O);
    find_diag(&O, "dpl.repeated-row", 3);
    const dx_diag *d = find_diag(&O, "dpl.repeated-row", 4);
    assert_non_null(strstr(d->message, "line 2"));
    assert_non_null(strstr(d->message, "#3'"));
}

/* Effective dates that are no calendar date leave start_date unset. */
static void test_dpl_dates(void **state)
{
    (void)state;
    static const struct { const char *effective; const char *start; } cases[] = {
        {"02/29/2024", "start=2024-02-29"}, {"02/29/2023", "start=(none)"},
        {"02/29/2000", "start=2000-02-29"}, {"02/29/1900", "start=(none)"},
        {"02/30/2020", "start=(none)"},     {"12/31/1999", "start=1999-12-31"},
        {"04/31/2020", "start=(none)"},     {"2019-07-01", "start=2019-07-01"},
        {"13/01/2020", "start=(none)"},     {"00/10/2020", "start=(none)"},
        {"1/2/2020", "start=(none)"},       {"01/02/20x0", "start=(none)"},
        {"", "start=(none)"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        outcome_free(&O);
        O.watch[0] = "*";
        dx_strbuf b = DX_STRBUF_INIT;
        assert_int_equal(dx_strbuf_printf(&b, "%s\"P\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"%s\"\t"
                                              "\"\"\t\"\"\t\"\"\t\"\"\t\"\"\n",
                                          DPL_HEADER, cases[i].effective), DX_OK);
        assert_int_equal(import_bytes(&O, dx_import_dpl, "dpl.txt",
                                      (const unsigned char *)b.data, b.len), DX_OK);
        dx_strbuf_free(&b);
        assert_int_equal(O.entries, 1);
        assert_has_line(&O, 0, cases[i].start);
    }
}

/* ---- allocation failures ---- */

enum { LEAK_NOISE = 16 * 1024 };
static size_t heap_in_use(void)
{
    return mallinfo2().uordblks;
}

typedef struct sweep_result {
    dx_status status;
    size_t diags, entries;
    uint64_t content_hash;
} sweep_result;

static sweep_result sweep_run(dx_import_fn fn, const char *path, const unsigned char *bytes,
                              size_t len)
{
    outcome o;
    memset(&o, 0, sizeof o);
    import_bytes(&o, fn, path, bytes, len);
    sweep_result r = {o.status, o.diags ? dx_diags_count(o.diags) : 0, o.entries,
                      o.content_hash};
    outcome_free(&o);
    return r;
}

/* Import with allocation n = 0, 1, ... failing until one run succeeds: each failure is
 * DX_ERR_NOMEM and leaks nothing, and the success gives what a plain run gives. */
static void sweep(dx_import_fn fn, const char *path, const unsigned char *bytes, size_t len)
{
    sweep_result ref = sweep_run(fn, path, bytes, len);
    assert_int_equal(ref.status, DX_OK);
    for (long n = 0;; n++) {
        if (n > 10000000)
            fail_msg("no success after %ld allocations", n);
        sweep_result res;
        for (int attempt = 0;; attempt++) {
            size_t before = heap_in_use();
            dx_alloc_fail_after(n);
            res = sweep_run(fn, path, bytes, len);
            dx_alloc_fail_after(-1);
            if (heap_in_use() <= before + LEAK_NOISE)
                break;
            /* the C library may set something up the first time a path runs: a leak is
             * only a leak when it happens again */
            if (attempt == 1)
                fail_msg("allocation %ld failed (%s): memory leaked", n,
                         dx_status_name(res.status));
        }
        if (res.status == DX_OK) {
            assert_true(n > 0);
            if (res.entries != ref.entries || res.content_hash != ref.content_hash ||
                res.diags != ref.diags)
                fail_msg("allocation %ld failed, yet DX_OK with %zu entries and %zu "
                         "diagnostics; expected %zu and %zu", n, res.entries, res.diags,
                         ref.entries, ref.diags);
            print_message("# %s: %zu entries, success after %ld allocations\n", path,
                          res.entries, n);
            return;
        }
        if (res.status != DX_ERR_NOMEM)
            fail_msg("allocation %ld failed: %s, expected DX_ERR_NOMEM", n,
                     dx_status_name(res.status));
    }
}

static void test_alloc_failures_csl(void **state)
{
    (void)state;
    const char *path = CSL_DIR "/2025-06_tiny13/consolidated.csv";
    size_t len;
    unsigned char *bytes = slurp(path, &len);
    sweep(dx_import_csl, path, bytes, len);
    free(bytes);
    /* built here: lists, typed ids, repeated ids (warnings) */
    dx_strbuf b = DX_STRBUF_INIT;
    assert_int_equal(dx_strbuf_append(&b, HEADER29, strlen(HEADER29)), DX_OK);
    row29(&b, "a1", EL, "Individual", "Main Name", "1 Road, Town, 11, CN; 2 Way, AE",
          "Alias One; Alias Two", "JO, 2014-08-30, K475336, Passport; Male, Gender; X, Y");
    row29(&b, "a1", EL, "", "Repeated", "", "", "");
    row29(&b, "", "Capta List (CAP) - Treasury Department", "Entity", "Hashed", "", "", "");
    sweep(dx_import_csl, "built.csv", (const unsigned char *)b.data, b.len);
    dx_strbuf_free(&b);
}

static void test_alloc_failures_dpl(void **state)
{
    (void)state;
    const char *path = DPL_DIR "/2019-07/dpl.txt";
    size_t len;
    unsigned char *bytes = slurp(path, &len);
    /* its first 40 lines, then line 2 again (a repeated row: a warning) */
    size_t cut = 0, line2 = 0, line3 = 0;
    for (int line = 1; line <= 40; cut++) {
        line += bytes[cut] == '\n';
        if (line == 2 && !line2)
            line2 = cut + 1;
        if (line == 3 && !line3)
            line3 = cut + 1;
    }
    unsigned char *input = malloc(cut + line3 - line2);
    assert_non_null(input);
    memcpy(input, bytes, cut);
    memcpy(input + cut, bytes + line2, line3 - line2);
    sweep(dx_import_dpl, path, input, cut + line3 - line2);
    free(input);
    free(bytes);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_csl_2022_full),
        T(test_csl_2019_sample),
        T(test_csl_2025_tiny13),
        T(test_csl_2025_ids),
        T(test_csl_2023_unmerged),
        T(test_csl_truncated),
        T(test_csl_unknown_source_and_type),
        T(test_csl_missing_columns),
        T(test_csl_field_count_and_newlines),
        T(test_csl_lists_and_ids),
        T(test_csl_suffix_taken),
        T(test_csl_random_bytes),
        T(test_emit_stops_import),
        T(test_dpl_2022_09),
        T(test_dpl_2019_07),
        T(test_dpl_broken),
        T(test_dpl_repeats),
        T(test_dpl_dates),
        T(test_alloc_failures_csl),
        T(test_alloc_failures_dpl),
    };
#undef T
    return cmocka_run_group_tests_name("import_csl", tests, group_setup, group_teardown);
}
