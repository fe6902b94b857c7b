/*
 * search_file.c — `search --batch FILE`: search every name of a CSV file.
 *
 * The file goes through the records' decoder and CSV reader (any supported encoding;
 * file:line:column for every problem). Columns, matched without regard to case: name (or
 * full_name), and optionally schema, country (or nationality; a country name or code,
 * several separated by ';'), dob (or date_of_birth; a date or a year) and identifier (or id;
 * several separated by ';'); other columns are ignored. A row whose country or date cannot be
 * read is reported with its line and column and searched without it; a row without a name is
 * reported and skipped. Then every row is searched on the index's batch threads and handed
 * to the caller in file order.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "arena.h"
#include "csvread.h"
#include "dexcheck/country.h"
#include "dexcheck/index.h"
#include "evidence.h"
#include "search_int.h"
#include "strbuf.h"

#define MAX_PER_ROW 8

enum { C_NAME, C_SCHEMA, C_COUNTRY, C_DOB, C_ID, N_COLS };

typedef struct file_ctx {
    const char *path;
    dx_diags *diags;
    const dx_countries *countries;
    int header_seen;
    long col[N_COLS];
    dx_arena arena;
    dx_search_query *q;
    unsigned long *lines;
    size_t n, cap;
} file_ctx;

static int column_of(const char *h)
{
    static const struct {
        const char *name;
        int col;
    } names[] = {{"name", C_NAME},           {"full_name", C_NAME},   {"schema", C_SCHEMA},
                 {"country", C_COUNTRY},     {"nationality", C_COUNTRY}, {"dob", C_DOB},
                 {"date_of_birth", C_DOB},   {"identifier", C_ID},    {"id", C_ID}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcasecmp(h, names[i].name))
            return names[i].col;
    return -1;
}

static dx_status read_header(file_ctx *c, const dx_csv_row *row)
{
    c->header_seen = 1;
    for (int k = 0; k < N_COLS; k++)
        c->col[k] = -1;
    for (size_t i = 0; i < row->n_fields; i++) {
        int k = column_of(row->fields[i]);
        if (k >= 0 && c->col[k] < 0)
            c->col[k] = (long)i;
    }
    if (c->col[C_NAME] >= 0)
        return DX_OK;
    dx_status st = dx_diags_add(c->diags, DX_SEV_ERROR, c->path, row->line, 0, "batch.header",
                                "the header names a column name (or full_name)",
                                "the batch file has no name column");
    return st != DX_OK ? st : DX_ERR_INPUT;
}

static const char *field(const file_ctx *c, const dx_csv_row *row, int k)
{
    long i = c->col[k];
    return i >= 0 && i < (long)row->n_fields && row->fields[i][0] ? row->fields[i] : NULL;
}

/* Split `text` at ';' into up to MAX_PER_ROW trimmed items, copied into the arena. */
static size_t split(file_ctx *c, const char *text, const char **out)
{
    size_t n = 0;
    for (const char *p = text; p && *p && n < MAX_PER_ROW;) {
        size_t len = strcspn(p, ";");
        const char *s = p, *e = p + len;
        while (s < e && *s == ' ')
            s++;
        while (e > s && e[-1] == ' ')
            e--;
        if (e > s && (out[n] = dx_arena_strndup(&c->arena, s, (size_t)(e - s))))
            n++;
        p += len + (p[len] == ';');
    }
    return n;
}

static dx_status row_countries(file_ctx *c, const dx_csv_row *row, dx_search_query *q)
{
    const char *items[MAX_PER_ROW];
    size_t n = split(c, field(c, row, C_COUNTRY), items);
    const char **codes = dx_arena_alloc(&c->arena, MAX_PER_ROW * sizeof(*codes));
    if (!codes)
        return DX_ERR_NOMEM;
    dx_status st = DX_OK;
    for (size_t i = 0; i < n && st == DX_OK; i++) {
        dx_country_match m;
        st = dx_country_lookup(c->countries, items[i], strlen(items[i]), &m);
        if (st == DX_OK && m.result == DX_COUNTRY_FOUND)
            codes[q->n_countries++] = dx_arena_strndup(&c->arena, m.alpha2, 2);
        else if (st == DX_OK)
            st = dx_diags_add(c->diags, DX_SEV_WARNING, c->path, row->line,
                              (unsigned long)c->col[C_COUNTRY] + 1, "batch.country", NULL,
                              "country '%s' not recognised; searched without it", items[i]);
    }
    for (size_t i = 0; i < q->n_countries; i++)
        if (!codes[i])
            return DX_ERR_NOMEM;
    q->countries = codes;
    return st;
}

static dx_status grow_rows(file_ctx *c)
{
    if (c->n < c->cap)
        return DX_OK;
    size_t cap = c->cap ? c->cap * 2 : 1024;
    dx_search_query *q = dx_realloc(c->q, cap * sizeof(*q));
    if (!q)
        return DX_ERR_NOMEM;
    c->q = q;
    unsigned long *lines = dx_realloc(c->lines, cap * sizeof(*lines));
    if (!lines)
        return DX_ERR_NOMEM;
    c->lines = lines;
    c->cap = cap;
    return DX_OK;
}

static dx_status add_row(file_ctx *c, const dx_csv_row *row)
{
    if (grow_rows(c))
        return DX_ERR_NOMEM;
    dx_search_query *q = &c->q[c->n];
    *q = (dx_search_query){0};
    const char *name = field(c, row, C_NAME), *schema = field(c, row, C_SCHEMA);
    const char *dob = field(c, row, C_DOB);
    if (!name)
        return dx_diags_add(c->diags, DX_SEV_ERROR, c->path, row->line,
                            (unsigned long)c->col[C_NAME] + 1, "batch.name", NULL,
                            "the row has no name; skipped");
    if (!(q->name = dx_arena_strndup(&c->arena, name, strlen(name))))
        return DX_ERR_NOMEM;
    dx_status st = DX_OK;
    if (schema && dx_name_schema_parse(schema, &q->schema) != DX_OK)
        st = dx_diags_add(c->diags, DX_SEV_WARNING, c->path, row->line,
                          (unsigned long)c->col[C_SCHEMA] + 1, "batch.schema", NULL,
                          "unknown schema '%s'; searched as any", schema);
    dx_dob d;
    if (st == DX_OK && dob && !dx_dob_parse_query(dob, &d))
        st = dx_diags_add(c->diags, DX_SEV_WARNING, c->path, row->line,
                          (unsigned long)c->col[C_DOB] + 1, "batch.dob", NULL,
                          "date of birth '%s' is not a date (YYYY-MM-DD) or a year; searched "
                          "without it", dob);
    else if (dob && !(q->dob = dx_arena_strndup(&c->arena, dob, strlen(dob))))
        st = DX_ERR_NOMEM;
    if (st == DX_OK)
        st = row_countries(c, row, q);
    const char **ids = dx_arena_alloc(&c->arena, MAX_PER_ROW * sizeof(*ids));
    if (st == DX_OK && !ids)
        st = DX_ERR_NOMEM;
    if (st == DX_OK) {
        q->n_identifiers = split(c, field(c, row, C_ID), ids);
        q->identifiers = ids;
        c->lines[c->n++] = row->line;
    }
    return st;
}

static dx_status on_row(void *ctx, const dx_csv_row *row)
{
    file_ctx *c = ctx;
    if (!c->header_seen)
        return read_header(c, row);
    return row->damaged ? DX_OK : add_row(c, row);
}

typedef struct deliver_ctx {
    const file_ctx *file;
    dx_search_row_fn fn;
    void *ctx;
} deliver_ctx;

static dx_status deliver(void *ctx, size_t i, dx_status status, const dx_search_result *r)
{
    deliver_ctx *d = ctx;
    return d->fn(d->ctx, d->file->lines[i], &d->file->q[i], status, r);
}

dx_status dx_index_search_file(const dx_index *index, const char *path,
                               const dx_search_options *options, unsigned threads,
                               dx_diags *diags, dx_search_row_fn fn, void *ctx)
{
    if (!index || !path || !options || !diags || !fn)
        return DX_ERR_INVALID;
    file_ctx c = {.path = path, .diags = diags, .arena = DX_ARENA_INIT,
                  .countries = dx_index_countries(index)};
    dx_status st = dx_csv_read_path(path, "batch", "batch file", diags, on_row, &c);
    deliver_ctx d = {&c, fn, ctx};
    if (st == DX_OK)
        st = dx_index_search_batch(index, c.q, c.n, options, threads, deliver, &d);
    dx_arena_free(&c.arena);
    dx_free(c.q);
    dx_free(c.lines);
    return st;
}
