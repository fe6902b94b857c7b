/*
 * lists_import.c — `lists import`: from files to stored list versions.
 *
 * How it works. The given files are grouped into publications: OFAC publishes one list as
 * four files (sdn.csv, add.csv, alt.csv, sdn_comments.csv; cons_*.csv for the non-SDN list),
 * so those files of one folder form one group; every other file is a group of its own. Each
 * group's format is recognised from its names and first bytes (or forced with --format), its
 * files are read whole (size-capped) and hashed, and the publication's SHA-256 (over the files'
 * names and hashes, sorted by name) identifies it: a publication already in the store is
 * reported as such and nothing changes. Otherwise the importer runs inside one transaction,
 * each entry going straight into the store; any error rolls the whole group back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "alloc.h"
#include "entry.h"
#include "import.h"
#include "sha256.h"
#include "store_int.h"
#include "strbuf.h"

#define MAX_LIST_FILE ((size_t)512 * 1024 * 1024)

typedef struct format_def {
    const char *name;    /* as --format takes it */
    dx_import_fn import;
    const char *list_id; /* NULL: depends on the files (OFAC) */
} format_def;

static const format_def FORMATS[] = {
    {"ofac", dx_import_ofac, NULL},
    {"csl", dx_import_csl, "us_csl"},
    {"dpl", dx_import_dpl, "us_bis_dpl"},
    {"un", dx_import_un, "un_sc"},
    {"meti-eul", dx_import_meti_eul, "jp_meti_eul"},
    {"au-dfat", dx_import_au_dfat, "au_dfat"},
    {"jp-mof", dx_import_jp_mof, "jp_mof"},
    {"us-ccl", dx_import_us_ccl, "us_ccl"},
    {"us-country-chart", dx_import_us_country_chart, "us_country_chart"},
    {"us-country-groups", dx_import_us_country_groups, "us_country_groups"},
    {"us-license-exceptions", dx_import_us_license_exceptions, "us_license_exceptions"},
    {"jp-export-order", dx_import_jp_export_order, "jp_export_order"},
    {"eu-annex", dx_import_eu_annex, "eu_annex_i"},
};

/* Files recognised by their published names. */
static const struct {
    const char *prefix, *suffix, *format;
} NAMED[] = {
    {"ccl", ".json", "us-ccl"},
    {"country-chart", ".json", "us-country-chart"},
    {"country-groups", ".json", "us-country-groups"},
    {"license-exception", ".json", "us-license-exceptions"},
    {"annex", ".json", "eu-annex"},
    {"regulation8", ".xlsx", "au-dfat"},
    {"shisantouketsu", ".xlsx", "jp-mof"},
    {"324CO0000000378", ".xml", "jp-export-order"}, /* e-Gov's law id of 輸出貿易管理令 */
};
#define N_FORMATS (sizeof FORMATS / sizeof FORMATS[0])

static const char *OFAC_SDN[] = {"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"};
static const char *OFAC_CONS[] = {"cons_prim.csv", "cons_add.csv", "cons_alt.csv",
                                  "cons_comments.csv"};

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int in_set(const char *name, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcasecmp(name, set[i]) == 0)
            return 1;
    }
    return 0;
}

/* The OFAC family of a file name: 1 SDN, 2 consolidated non-SDN, 0 neither. */
static int ofac_family(const char *path)
{
    const char *name = base_name(path);
    return in_set(name, OFAC_SDN, 4) ? 1 : in_set(name, OFAC_CONS, 4) ? 2 : 0;
}

static const format_def *format_by_name(const char *name)
{
    for (size_t i = 0; i < N_FORMATS; i++) {
        if (strcmp(FORMATS[i].name, name) == 0)
            return &FORMATS[i];
    }
    return NULL;
}

static int has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n >= k && strcasecmp(name + n - k, suffix) == 0;
}

/* Recognise a (non-OFAC) file's format from its name and first bytes. */
static const format_def *recognise(const char *path, const unsigned char *bytes, size_t len)
{
    char head[4097];
    size_t n = len < 4096 ? len : 4096;
    memcpy(head, bytes, n);
    head[n] = '\0';
    for (size_t i = 0; i < n; i++)
        head[i] = head[i] ? head[i] : ' ';
    const char *name = base_name(path);
    for (size_t i = 0; i < sizeof NAMED / sizeof NAMED[0]; i++) {
        if (strncasecmp(name, NAMED[i].prefix, strlen(NAMED[i].prefix)) == 0 &&
            has_suffix(name, NAMED[i].suffix))
            return format_by_name(NAMED[i].format);
    }
    if (has_suffix(name, ".xlsx"))
        return format_by_name("meti-eul");
    if (strstr(head, "<Law") && strstr(head, "\xE8\xBC\xB8\xE5\x87\xBA\xE8\xB2\xBF\xE6\x98\x93"
                                           "\xE7\xAE\xA1\xE7\x90\x86\xE4\xBB\xA4")) /* 輸出貿易管理令 */
        return format_by_name("jp-export-order");
    if (strstr(head, "<CONSOLIDATED_LIST"))
        return format_by_name("un");
    if (strstr(head, "Street_Address") && strstr(head, "FR_Citation"))
        return format_by_name("dpl");
    if (strstr(head, "source") && strstr(head, "entity_number") && strstr(head, "name"))
        return format_by_name("csl");
    return NULL;
}

/* The list id of a group. */
static const char *list_id_for(const format_def *f, const char *first_path)
{
    if (f->list_id)
        return f->list_id;
    return ofac_family(first_path) == 2 ? "us_ofac_nonsdn" : "us_ofac_sdn";
}

/* Reads `path`; diagnostics and importers name it `shown` (a URL for downloads). */
static dx_status read_list_file(const char *path, const char *shown, dx_import_file *out,
                                dx_diags *diags)
{
    FILE *f = fopen(path, "rb");
    struct stat sb;
    const char *problem = NULL;
    if (!f || fstat(fileno(f), &sb) != 0)
        problem = strerror(errno);
    else if (!S_ISREG(sb.st_mode))
        problem = "not a regular file";
    else if ((unsigned long long)sb.st_size > MAX_LIST_FILE)
        problem = "larger than 512 MB";
    unsigned char *bytes = NULL;
    size_t len = problem ? 0 : (size_t)sb.st_size;
    if (!problem && !(bytes = dx_malloc(len + 1))) {
        fclose(f);
        return DX_ERR_NOMEM;
    }
    if (!problem && fread(bytes, 1, len, f) != len)
        problem = "read error";
    if (f)
        fclose(f);
    if (problem) {
        dx_free(bytes);
        dx_status st = dx_diags_add(diags, DX_SEV_ERROR, shown, 0, 0, "lists.unreadable", NULL,
                                    "cannot read the list file: %s", problem);
        return st != DX_OK ? st : DX_ERR_IO;
    }
    *out = (dx_import_file){shown, base_name(path), bytes, len};
    return DX_OK;
}

static int compare_files(const void *a, const void *b)
{
    return strcmp(((const dx_import_file *)a)->name, ((const dx_import_file *)b)->name);
}

/* The publication's hash: a single file's own SHA-256 (what sha256sum prints); for several
 * files, SHA-256 over "name NUL sha256 LF" of each, sorted by name. */
static void publication_hash(dx_import_file *files, size_t n, char hex[65])
{
    qsort(files, n, sizeof *files, compare_files);
    if (n == 1) {
        dx_sha256_hex(files[0].bytes, files[0].len, hex);
        return;
    }
    dx_sha256 h;
    unsigned char digest[32];
    dx_sha256_init(&h);
    for (size_t i = 0; i < n; i++) {
        char file_hex[65];
        dx_sha256_hex(files[i].bytes, files[i].len, file_hex);
        dx_sha256_update(&h, files[i].name, strlen(files[i].name) + 1);
        dx_sha256_update(&h, file_hex, 64);
        dx_sha256_update(&h, "\n", 1);
    }
    dx_sha256_final(&h, digest);
    dx_sha256_to_hex(digest, hex);
}

typedef struct sink {
    dx_store *store;
    long long version_id;
    dx_diags *diags;
    const char *source;
    size_t entries, names, facts;
} sink;

static dx_status store_entry(void *ctx, const dx_entry *e)
{
    sink *k = ctx;
    dx_status st = dx_store_add_entry(k->store, k->version_id, e, k->diags, k->source);
    if (st == DX_OK) {
        k->entries++;
        k->names += e->n_names;
        k->facts += e->n_facts;
    }
    return st;
}

static dx_status describe(dx_import_result *r, const format_def *f, const char *list_id,
                          const dx_import_file *files, size_t n)
{
    dx_strbuf names = DX_STRBUF_INIT;
    dx_status st = DX_OK;
    for (size_t i = 0; i < n && st == DX_OK; i++)
        st = dx_strbuf_printf(&names, "%s%s", i ? "," : "", files[i].name);
    r->list_id = dx_strdup(list_id);
    r->format = dx_strdup(f->name);
    r->files = names.data ? names.data : dx_strdup("");
    if (!r->list_id || !r->format || !r->files || st != DX_OK)
        return DX_ERR_NOMEM;
    return DX_OK;
}

/* Run the importer into a new version, inside one transaction. */
static dx_status import_into(dx_store *store, const format_def *f, dx_import_file *files,
                             size_t n, const dx_countries *countries, dx_diags *diags,
                             dx_import_result *r)
{
    dx_entry_builder *b = NULL;
    dx_status st = dx_entry_builder_new(countries, &b);
    sink k = {store, r->version_id, diags, files[0].path, 0, 0, 0};
    dx_import im = {diags, b, store_entry, &k, countries, "", NULL};
    size_t errors_before = dx_diags_count_severity(diags, DX_SEV_ERROR);
    if (st == DX_OK)
        st = f->import(&im, files, n);
    if (st == DX_OK && dx_diags_count_severity(diags, DX_SEV_ERROR) > errors_before)
        st = DX_ERR_INPUT; /* an importer that reported an error keeps nothing */
    for (size_t i = 0; i < n && st == DX_OK; i++) {
        char hex[65];
        dx_sha256_hex(files[i].bytes, files[i].len, hex);
        st = dx_store_add_source_file(store, r->version_id, files[i].name, hex, files[i].len);
    }
    if (st == DX_OK)
        st = dx_store_commit_version(store, r->version_id, im.publication_date, k.entries,
                                     k.names, im.meta);
    dx_free(im.meta);
    if (st != DX_OK)
        dx_store_rollback_version(store);
    dx_entry_builder_free(b);
    r->entries = k.entries;
    r->names = k.names;
    r->facts = k.facts;
    snprintf(r->publication_date, sizeof r->publication_date, "%s", im.publication_date);
    return st;
}

static dx_status import_group(dx_store *store, const format_def *f, dx_import_file *files,
                              size_t n, const dx_countries *countries, dx_diags *diags,
                              dx_import_result *r)
{
    const char *list_id = list_id_for(f, files[0].path);
    publication_hash(files, n, r->sha256);
    dx_status st = describe(r, f, list_id, files, n);
    if (st != DX_OK)
        return st;
    long long existing = 0;
    st = dx_store_begin_version(store, list_id, f->name, r->sha256, r->files, &r->version_id,
                                &r->already_present, &existing);
    if (st != DX_OK)
        return st;
    if (r->already_present) {
        r->version_id = existing;
        return dx_store_version_counts(store, existing, &r->entries, &r->names,
                                       r->publication_date);
    }
    return import_into(store, f, files, n, countries, diags, r);
}

void dx_import_result_clear(dx_import_result *r)
{
    if (!r)
        return;
    dx_free(r->list_id);
    dx_free(r->format);
    dx_free(r->files);
    memset(r, 0, sizeof *r);
}

void dx_import_results_free(dx_import_result *results, size_t n)
{
    for (size_t i = 0; results && i < n; i++)
        dx_import_result_clear(&results[i]);
    dx_free(results);
}

static int same_folder(const char *a, const char *b)
{
    size_t la = (size_t)(base_name(a) - a), lb = (size_t)(base_name(b) - b);
    return la == lb && strncmp(a, b, la) == 0;
}

/* Indices of the group that starts at path i: OFAC files of one family and folder, else i. */
static size_t collect_group(const char *const *paths, size_t n, size_t i, unsigned char *taken,
                            size_t *members)
{
    size_t count = 0;
    members[count++] = i;
    taken[i] = 1;
    int family = ofac_family(paths[i]);
    for (size_t j = i + 1; family && j < n && count < 4; j++) {
        int repeated = 0; /* the same file name twice: it starts a group of its own */
        for (size_t k = 0; k < count; k++)
            repeated |= strcasecmp(base_name(paths[members[k]]), base_name(paths[j])) == 0;
        if (!taken[j] && !repeated && ofac_family(paths[j]) == family &&
            same_folder(paths[i], paths[j])) {
            members[count++] = j;
            taken[j] = 1;
        }
    }
    return count;
}

static dx_status import_one_group(dx_store *store, const char *const *paths,
                                  const char *const *shown, const size_t *members,
                                  size_t count, const char *format,
                                  const dx_countries *countries, dx_diags *diags,
                                  dx_import_result *r)
{
    dx_import_file files[4];
    size_t loaded = 0;
    dx_status st = DX_OK;
    for (size_t k = 0; k < count && st == DX_OK; k++) {
        size_t m = members[k];
        st = read_list_file(paths[m], shown ? shown[m] : paths[m], &files[k], diags);
        if (st == DX_OK)
            loaded++;
    }
    const format_def *f = NULL;
    if (st == DX_OK) {
        f = format ? format_by_name(format)
            : ofac_family(files[0].name) ? format_by_name("ofac")
                                         : recognise(files[0].name, files[0].bytes, files[0].len);
        if (!f) {
            st = dx_diags_add(diags, DX_SEV_ERROR, files[0].path, 0, 0, "lists.unknown-format",
                              "name the format with --format (dexcheck lists --help lists them)",
                              "cannot tell which list this file is");
            st = st != DX_OK ? st : DX_ERR_INPUT;
        }
    }
    if (st == DX_OK)
        st = import_group(store, f, files, loaded, countries, diags, r);
    for (size_t k = 0; k < loaded; k++)
        dx_free((void *)files[k].bytes);
    r->status = st;
    return st;
}

dx_status dx_store_import(dx_store *store, const char *const *paths, size_t n_paths,
                          const char *format, dx_diags *diags, dx_import_result **results,
                          size_t *n_results)
{
    return dx_store_import_as(store, paths, NULL, n_paths, format, diags, results, n_results);
}

dx_status dx_store_import_as(dx_store *store, const char *const *paths,
                             const char *const *shown, size_t n_paths, const char *format,
                             dx_diags *diags, dx_import_result **results, size_t *n_results)
{
    if (!store || !paths || !diags || !results || !n_results)
        return DX_ERR_INVALID;
    *results = NULL;
    *n_results = 0;
    if (format && !format_by_name(format))
        return DX_ERR_NOT_FOUND;
    dx_countries *countries = NULL;
    unsigned char *taken = dx_calloc(n_paths + 1, 1);
    dx_import_result *out = dx_calloc(n_paths + 1, sizeof *out);
    dx_status st = taken && out ? dx_countries_new(&countries) : DX_ERR_NOMEM;
    dx_status worst = DX_OK;
    size_t n_out = 0;
    for (size_t i = 0; i < n_paths && st == DX_OK; i++) {
        if (taken[i])
            continue;
        size_t members[4];
        size_t count = collect_group(paths, n_paths, i, taken, members);
        dx_status g = import_one_group(store, paths, shown, members, count, format, countries,
                                       diags, &out[n_out++]);
        if (g == DX_ERR_NOMEM)
            st = g;
        else if (g != DX_OK)
            worst = DX_ERR_INPUT;
    }
    dx_countries_free(countries);
    dx_free(taken);
    if (st != DX_OK) {
        dx_import_results_free(out, n_out);
        return st;
    }
    *results = out;
    *n_results = n_out;
    return worst;
}
