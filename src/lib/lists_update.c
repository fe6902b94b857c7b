/*
 * lists_update.c — `lists update`: download the official files of each list in the catalogue
 * and import them.
 *
 * The catalogue (lists/catalogue.tsv, a tab-separated file with a header) names for every
 * list its authority, format, cadence, and for each of its files the target file name, the
 * official URL and the file's path on a mirror. With a base URL the files are fetched from
 * base + "/" + mirror path instead (a mirror, or a test server on 127.0.0.1). The files of one
 * list are written into a private temporary folder under their target names and imported
 * like `lists import` would, so the same checks apply: a file that is not what it should be
 * is an import error and changes nothing. The temporary files are removed afterwards.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "csvread.h"
#include "dexcheck/store.h"
#include "store_int.h"
#include "fetch.h"
#include "strbuf.h"

#define MAX_DOWNLOAD ((size_t)512 * 1024 * 1024)
enum { COL_LIST, COL_AUTHORITY, COL_FORMAT, COL_CADENCE, COL_FILE, COL_URL, COL_MIRROR, N_COLS };
static const char *const COLUMNS[N_COLS] = {"list_id", "authority", "format", "cadence",
                                             "file", "url", "mirror_path"};

typedef struct catalogue_row {
    char *field[N_COLS];
    unsigned long line;
} catalogue_row;

typedef struct catalogue {
    catalogue_row *rows;
    size_t n, cap;
    const char *path;
    dx_diags *diags;
    int header_seen;
} catalogue;

static void catalogue_free(catalogue *c)
{
    for (size_t i = 0; i < c->n; i++)
        for (int k = 0; k < N_COLS; k++)
            dx_free(c->rows[i].field[k]);
    dx_free(c->rows);
}

static dx_status on_catalogue_row(void *ctx, const dx_csv_row *row)
{
    catalogue *c = ctx;
    if (!c->header_seen) {
        c->header_seen = 1;
        for (int k = 0; k < N_COLS; k++) {
            if (row->n_fields != N_COLS || strcmp(row->fields[k], COLUMNS[k]) != 0) {
                dx_status st = dx_diags_add(c->diags, DX_SEV_ERROR, c->path, row->line,
                                            (unsigned long)k + 1, "catalogue.header", NULL,
                                            "the header must be: list_id, authority, format, "
                                            "cadence, file, url, mirror_path (tab-separated)");
                return st != DX_OK ? st : DX_ERR_INPUT;
            }
        }
        return DX_OK;
    }
    if (row->damaged || row->n_fields != N_COLS) {
        dx_status st = dx_diags_add(c->diags, DX_SEV_ERROR, c->path, row->line, 0,
                                    "catalogue.row", NULL, "a catalogue row has %d fields",
                                    N_COLS);
        return st != DX_OK ? st : DX_ERR_INPUT;
    }
    if (c->n == c->cap) {
        size_t cap = dx_grow_cap(c->cap, c->n + 1, 100000);
        catalogue_row *rows = cap ? dx_realloc(c->rows, cap * sizeof *rows) : NULL;
        if (!rows)
            return DX_ERR_NOMEM;
        c->rows = rows;
        c->cap = cap;
    }
    catalogue_row *r = &c->rows[c->n++];
    memset(r, 0, sizeof *r);
    r->line = row->line;
    for (int k = 0; k < N_COLS; k++) {
        if (!(r->field[k] = dx_strndup(row->fields[k], row->lens[k])))
            return DX_ERR_NOMEM;
    }
    return DX_OK;
}

static dx_status read_catalogue(const char *path, dx_diags *diags, catalogue *c)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        dx_status st = dx_diags_add(diags, DX_SEV_ERROR, path, 0, 0, "catalogue.open", NULL,
                                    "cannot read the list catalogue: %s", strerror(errno));
        return st != DX_OK ? st : DX_ERR_IO;
    }
    dx_strbuf text = DX_STRBUF_INIT;
    text.max = 4 * 1024 * 1024;
    char chunk[8192];
    size_t n;
    dx_status st = DX_OK;
    while (st == DX_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        st = dx_strbuf_append(&text, chunk, n);
    fclose(f);
    dx_decoded d = {0};
    if (st == DX_OK)
        st = dx_decode(text.data ? text.data : "", text.len, DX_ENC_UTF8, 0, &d);
    dx_strbuf_free(&text);
    if (st != DX_OK)
        return st;
    memset(c, 0, sizeof *c);
    c->path = path;
    c->diags = diags;
    dx_csv_source src = {path, &d, 0};
    st = dx_csv_read(&src, diags, on_catalogue_row, c, NULL);
    if (st == DX_OK && d.n_errors)
        st = DX_ERR_INPUT; /* reported by the reader, with their lines */
    dx_decoded_free(&d);
    return st;
}

static dx_status write_file(const char *path, const unsigned char *bytes, size_t len,
                           dx_diags *diags)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(bytes, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = 0;
    if (ok)
        return DX_OK;
    dx_status st = dx_diags_add(diags, DX_SEV_ERROR, path, 0, 0, "lists.download", NULL,
                                "cannot write the downloaded file: %s", strerror(errno));
    return st != DX_OK ? st : DX_ERR_IO;
}

/* Download the files of rows [first, last) (one list) into `dir`; paths[] gets their paths
 * and urls[] the addresses they came from. */
static dx_status download_list(const catalogue *c, size_t first, size_t last,
                               const dx_update_options *opt, const char *dir, dx_diags *diags,
                               char **paths, char **urls)
{
    dx_status st = DX_OK;
    dx_strbuf url = DX_STRBUF_INIT;
    for (size_t i = first; i < last && st == DX_OK; i++) {
        const catalogue_row *r = &c->rows[i];
        dx_strbuf_reset(&url);
        if (opt->base_url)
            st = dx_strbuf_printf(&url, "%s/%s", opt->base_url, r->field[COL_MIRROR]);
        else
            st = dx_strbuf_printf(&url, "%s", r->field[COL_URL]);
        unsigned char *bytes = NULL;
        size_t len = 0;
        if (st == DX_OK)
            st = dx_fetch(url.data, MAX_DOWNLOAD, opt->timeout_seconds ? opt->timeout_seconds : 300,
                          diags, &bytes, &len);
        dx_strbuf path = DX_STRBUF_INIT;
        if (st == DX_OK && strchr(r->field[COL_FILE], '/'))
            st = DX_ERR_INVALID; /* a target name is a file name, never a path */
        if (st == DX_OK)
            st = dx_strbuf_printf(&path, "%s/%s", dir, r->field[COL_FILE]);
        if (st == DX_OK)
            st = write_file(path.data, bytes, len, diags);
        paths[i - first] = st == DX_OK ? dx_strbuf_detach(&path) : NULL;
        urls[i - first] = st == DX_OK ? dx_strdup(url.data) : NULL;
        if (st == DX_OK && (!paths[i - first] || !urls[i - first]))
            st = DX_ERR_NOMEM;
        dx_strbuf_free(&path);
        dx_free(bytes);
    }
    dx_strbuf_free(&url);
    return st;
}

static dx_status append_results(dx_import_result **all, size_t *n_all, dx_import_result *more,
                                size_t n_more)
{
    dx_import_result *grown = dx_realloc(*all, (*n_all + n_more + 1) * sizeof *grown);
    if (!grown) {
        dx_import_results_free(more, n_more);
        return DX_ERR_NOMEM;
    }
    memcpy(grown + *n_all, more, n_more * sizeof *more);
    dx_free(more);
    *all = grown;
    *n_all += n_more;
    return DX_OK;
}

/* Download and import the list of rows [first, last). */
static dx_status update_list(dx_store *store, const catalogue *c, size_t first, size_t last,
                             const dx_update_options *opt, dx_diags *diags,
                             dx_import_result **all, size_t *n_all)
{
    const char *tmp = getenv("TMPDIR");
    dx_strbuf template = DX_STRBUF_INIT;
    dx_status st = dx_strbuf_printf(&template, "%s/dexcheck-update-XXXXXX",
                                    tmp && *tmp ? tmp : "/tmp");
    char *made = st == DX_OK ? mkdtemp(template.data) : NULL;
    char **paths = dx_calloc(last - first + 1, sizeof *paths);
    char **urls = dx_calloc(last - first + 1, sizeof *urls);
    if (st == DX_OK && (!made || !paths || !urls))
        st = made ? DX_ERR_NOMEM : DX_ERR_IO;
    if (st == DX_OK)
        st = download_list(c, first, last, opt, made, diags, paths, urls);
    dx_import_result *results = NULL;
    size_t n = 0;
    if (st == DX_OK) {
        st = dx_store_import_as(store, (const char *const *)paths, (const char *const *)urls,
                                last - first, c->rows[first].field[COL_FORMAT], diags, &results,
                                &n);
        dx_status kept = append_results(all, n_all, results, n);
        st = kept != DX_OK ? kept : st;
    }
    for (size_t i = 0; paths && i < last - first; i++) {
        if (paths[i])
            unlink(paths[i]);
        dx_free(paths[i]);
        dx_free(urls ? urls[i] : NULL);
    }
    dx_free(paths);
    dx_free(urls);
    if (made)
        rmdir(made);
    dx_strbuf_free(&template);
    return st;
}

dx_status dx_store_update(dx_store *store, const dx_update_options *opt, dx_diags *diags,
                          dx_import_result **results, size_t *n_results)
{
    if (!store || !opt || !opt->catalogue || !diags || !results || !n_results)
        return DX_ERR_INVALID;
    *results = NULL;
    *n_results = 0;
    catalogue c;
    dx_status st = read_catalogue(opt->catalogue, diags, &c);
    dx_status worst = DX_OK;
    size_t matched = 0;
    for (size_t first = 0; st == DX_OK && first < c.n;) {
        size_t last = first + 1;
        while (last < c.n && !strcmp(c.rows[last].field[COL_LIST], c.rows[first].field[COL_LIST]))
            last++;
        if (!opt->only_list || !strcmp(opt->only_list, c.rows[first].field[COL_LIST])) {
            matched++;
            dx_status one = update_list(store, &c, first, last, opt, diags, results, n_results);
            if (one == DX_ERR_NOMEM)
                st = one;
            else if (one != DX_OK)
                worst = DX_ERR_INPUT;
        }
        first = last;
    }
    catalogue_free(&c);
    if (st == DX_OK && opt->only_list && !matched)
        st = DX_ERR_NOT_FOUND;
    return st != DX_OK ? st : worst;
}
