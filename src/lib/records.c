/*
 * records.c — reading the record folder of product.md §4.
 *
 * How it works. A file's bytes are decoded to UTF-8 (encoding.c), split into rows (csvread.c),
 * and each row is converted column by column according to the schema table (schema.c): every
 * problem becomes a diagnostic with file:line:column, and a row with any error is *rejected*:
 * kept raw in the rejected list and counted, never dropped. Accepted records are appended to
 * one array per kind. dx_records_finish() then runs the checks that need every file (duplicate
 * ids, references to unknown subjects, technologies and projects, funding without income,
 * currency mismatches), which can reject more rows; and it marks every subject a rejected row
 * concerns, so that no clean answer is ever given for it (product.md §3).
 *
 * All strings live in the record set's arena; a record's text fields point at its raw values.
 */
#include "dexcheck/records.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "readfile.h"
#include "arena.h"
#include "csvread.h"
#include "records_int.h"
#include "schema.h"
#include "strbuf.h"
#include "strmap.h"
#include "values.h"

#define DEFAULT_MAX_FILE ((size_t)1 << 30)

dx_status dx_records_new(const dx_records_options *opt, dx_records **out)
{
    dx_records *r = dx_calloc(1, sizeof *r);
    if (!r)
        return DX_ERR_NOMEM;
    if (opt)
        r->opt = *opt;
    if (!r->opt.max_file_bytes)
        r->opt.max_file_bytes = DEFAULT_MAX_FILE;
    r->countries = r->opt.countries;
    if (!r->countries) {
        dx_status st = dx_countries_new(&r->owned_countries);
        if (st != DX_OK) {
            dx_free(r);
            return st;
        }
        r->countries = r->owned_countries;
    }
    for (int k = 0; k < DX_REC_KIND_COUNT; k++)
        r->files[k].kind = (dx_record_kind)k;
    *out = r;
    return DX_OK;
}

void dx_records_free(dx_records *r)
{
    if (!r)
        return;
    for (int k = 0; k < DX_REC_KIND_COUNT; k++) {
        dx_free(r->tables[k].items);
        dx_free(r->tables[k].raw);
    }
    dx_free(r->rejected);
    dx_strmap_free(&r->tainted);
    dx_countries_free(r->owned_countries);
    dx_arena_free(&r->arena);
    dx_free(r);
}

/* ---- rejected rows ---- */

dx_status dx_records_reject(dx_records *r, dx_record_kind kind, dx_source_ref src,
                            const char *subject_id, const char *const *values)
{
    if (r->n_rejected == r->cap_rejected) {
        size_t cap = dx_grow_cap(r->cap_rejected, r->n_rejected + 1,
                                 SIZE_MAX / sizeof(dx_rejected_row));
        dx_rejected_row *rows = cap ? dx_realloc(r->rejected, cap * sizeof *rows) : NULL;
        if (!rows)
            return DX_ERR_NOMEM;
        r->rejected = rows;
        r->cap_rejected = cap;
    }
    const dx_header *h = &r->headers[kind];
    dx_field *fields = NULL;
    if (h->n && values) {
        fields = dx_arena_alloc(&r->arena, h->n * sizeof *fields);
        if (!fields)
            return DX_ERR_NOMEM;
        for (size_t i = 0; i < h->n; i++)
            fields[i] = (dx_field){h->names[i], values[i] ? values[i] : ""};
    }
    r->rejected[r->n_rejected++] =
        (dx_rejected_row){kind, src, subject_id, {fields ? h->n : 0, fields}};
    if (subject_id && *subject_id)
        return dx_strmap_put(&r->tainted, subject_id, 0, NULL, NULL);
    return DX_OK;
}

/* ---- reading files ---- */

static int is_record_like(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (!strcasecmp(dot, ".csv") || !strcasecmp(dot, ".tsv") || !strcasecmp(dot, ".txt"));
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

dx_status dx_records_read_folder(dx_records *r, const char *folder, dx_diags *diags)
{
    DIR *dir = opendir(folder);
    if (!dir) {
        dx_status st = dx_diags_add(diags, DX_SEV_ERROR, folder, 0, 0, "records.folder", NULL,
                                    "cannot open the record folder: %s", strerror(errno));
        return st != DX_OK ? st : DX_ERR_IO;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    dx_status st = DX_OK;
    struct dirent *e;
    while (st == DX_OK && (e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.' || !is_record_like(e->d_name))
            continue;
        if (n == cap) {
            cap = dx_grow_cap(cap, n + 1, 1 << 20);
            char **more = cap ? dx_realloc(names, cap * sizeof *names) : NULL;
            if (!more) {
                st = DX_ERR_NOMEM;
                break;
            }
            names = more;
        }
        if (!(names[n] = dx_strdup(e->d_name)))
            st = DX_ERR_NOMEM;
        else
            n++;
    }
    closedir(dir);
    if (n > 1)
        qsort(names, n, sizeof *names, compare_names);
    dx_strbuf path = DX_STRBUF_INIT;
    for (size_t i = 0; i < n && st == DX_OK; i++) {
        dx_strbuf_reset(&path);
        st = dx_strbuf_printf(&path, "%s%s%s", folder,
                              folder[0] && folder[strlen(folder) - 1] == '/' ? "" : "/", names[i]);
        dx_record_kind kind;
        if (st == DX_OK && dx_record_kind_from_file(names[i], &kind) != DX_OK)
            st = dx_diags_add(diags, DX_SEV_WARNING, path.data, 0, 0, "records.unknown-file",
                              "record files are people.csv, visitors.csv, projects.csv, "
                              "technologies.csv, assignments.csv, contracts.csv, funding.csv, "
                              "organizations.csv and licenses.csv",
                              "not a record file name; ignored");
        else if (st == DX_OK) {
            st = dx_records_read_file(r, path.data, diags);
            if (st == DX_ERR_IO || st == DX_ERR_LIMIT)
                st = DX_OK; /* reported; the other files are still read */
        }
    }
    dx_strbuf_free(&path);
    for (size_t i = 0; i < n; i++)
        dx_free(names[i]);
    dx_free(names);
    return st;
}

dx_status dx_records_read_file(dx_records *r, const char *path, dx_diags *diags)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    dx_record_kind kind;
    if (dx_record_kind_from_file(base, &kind) != DX_OK) {
        dx_status st = dx_diags_add(diags, DX_SEV_ERROR, path, 0, 0, "records.unknown-file", NULL,
                                    "not a record file name (people.csv, visitors.csv, ...)");
        return st != DX_OK ? st : DX_ERR_INVALID;
    }
    unsigned char *bytes = NULL;
    size_t len = 0;
    dx_status st = dx_read_whole_file(path, r->opt.max_file_bytes, "records", "file", diags,
                                      &bytes, &len);
    if (st != DX_OK)
        return st;
    st = dx_records_read_buffer(r, kind, path, bytes, len, diags);
    dx_free(bytes);
    return st;
}

dx_status dx_records_read_buffer(dx_records *r, dx_record_kind kind, const char *display_path,
                                 const void *bytes, size_t len, dx_diags *diags)
{
    if (!r || !diags || (unsigned)kind >= DX_REC_KIND_COUNT || r->finished)
        return DX_ERR_INVALID;
    dx_records_file *info = &r->files[kind];
    if (info->path) {
        dx_status st = dx_diags_add(diags, DX_SEV_ERROR, display_path, 0, 0, "records.duplicate-file",
                                    NULL, "a second %s: the first was %s; this one is ignored",
                                    dx_record_kind_file(kind), info->path);
        return st != DX_OK ? st : DX_ERR_INVALID;
    }
    if (len > r->opt.max_file_bytes) {
        dx_status st = dx_diags_add(diags, DX_SEV_ERROR, display_path, 0, 0, "records.too-large",
                                    NULL, "the file is %zu bytes; the limit is %zu", len,
                                    r->opt.max_file_bytes);
        return st != DX_OK ? st : DX_ERR_LIMIT;
    }
    if (!(info->path = dx_arena_strndup(&r->arena, display_path, strlen(display_path))))
        return DX_ERR_NOMEM;
    return dx_records_parse_file(r, kind, info, bytes, len, diags);
}

/* ---- accessors ---- */

const dx_records_file *dx_records_file_info(const dx_records *r, dx_record_kind kind)
{
    return r && (unsigned)kind < DX_REC_KIND_COUNT ? &r->files[kind] : NULL;
}

static const void *table_items(const dx_records *r, dx_record_kind kind, size_t *n)
{
    if (n)
        *n = r ? r->tables[kind].n : 0;
    return r ? r->tables[kind].items : NULL;
}

const dx_person *dx_records_people(const dx_records *r, size_t *n)
{
    return table_items(r, DX_REC_PEOPLE, n);
}
const dx_visitor *dx_records_visitors(const dx_records *r, size_t *n)
{
    return table_items(r, DX_REC_VISITORS, n);
}
const dx_project *dx_records_projects(const dx_records *r, size_t *n)
{
    return table_items(r, DX_REC_PROJECTS, n);
}
const dx_technology *dx_records_technologies(const dx_records *r, size_t *n)
{
    return table_items(r, DX_REC_TECHNOLOGIES, n);
}
const dx_assignment *dx_records_assignments(const dx_records *r, size_t *n)
{
    return table_items(r, DX_REC_ASSIGNMENTS, n);
}
const dx_contract *dx_records_contracts(const dx_records *r, size_t *n)
{
    return table_items(r, DX_REC_CONTRACTS, n);
}
const dx_funding *dx_records_funding(const dx_records *r, size_t *n)
{
    return table_items(r, DX_REC_FUNDING, n);
}
const dx_organization *dx_records_organizations(const dx_records *r, size_t *n)
{
    return table_items(r, DX_REC_ORGANIZATIONS, n);
}
const dx_license *dx_records_licenses(const dx_records *r, size_t *n)
{
    return table_items(r, DX_REC_LICENSES, n);
}

const dx_rejected_row *dx_records_rejected(const dx_records *r, size_t *n)
{
    if (n)
        *n = r ? r->n_rejected : 0;
    return r ? r->rejected : NULL;
}

int dx_records_subject_has_rejected_rows(const dx_records *r, const char *subject_id)
{
    return r && subject_id && dx_strmap_get(&r->tainted, subject_id, NULL);
}

dx_records_totals dx_records_totals_get(const dx_records *r)
{
    dx_records_totals t = {0, 0, 0, 0};
    for (int k = 0; r && k < DX_REC_KIND_COUNT; k++) {
        if (!r->files[k].path)
            continue;
        t.files++;
        t.rows_read += r->files[k].rows_read;
        t.rows_accepted += r->files[k].rows_accepted;
        t.rows_rejected += r->files[k].rows_rejected;
    }
    return t;
}

dx_status dx_records_table_reserve(dx_records *r, dx_record_kind kind, size_t extra)
{
    dx_table *t = &r->tables[kind];
    size_t record_size = dx_schema_get(kind)->record_size;
    if (extra > SIZE_MAX - t->n)
        return DX_ERR_NOMEM;
    size_t need = t->n + extra;
    if (need <= t->cap)
        return DX_OK;
    size_t cap = dx_grow_cap(t->cap, need, SIZE_MAX / (record_size + sizeof(void *)));
    if (!cap)
        return DX_ERR_NOMEM;
    unsigned char *items = dx_realloc(t->items, cap * record_size);
    if (!items)
        return DX_ERR_NOMEM;
    t->items = items; /* cap stays until both arrays have grown */
    const char **raw = dx_realloc(t->raw, cap * sizeof *raw);
    if (!raw)
        return DX_ERR_NOMEM;
    t->raw = raw;
    t->cap = cap;
    return DX_OK;
}
