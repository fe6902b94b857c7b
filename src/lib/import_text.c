/*
 * import_text.c — what the delimited-text list importers share; see import_text.h.
 */
#include "import_text.h"

#include <string.h>
#include <strings.h>

int dx_text_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

dx_text dx_text_trim(const char *s, size_t len)
{
    while (len && dx_text_is_space(*s))
        s++, len--;
    while (len && dx_text_is_space(s[len - 1]))
        len--;
    return (dx_text){s, len};
}

int dx_text_is(dx_text t, const char *word)
{
    return t.len == strlen(word) && strncasecmp(t.s, word, t.len) == 0;
}

void dx_text_file_init(dx_text_file *f, dx_import *im, const dx_import_file *file,
                       const dx_text_codes *codes, const char *const *column_names,
                       size_t n_columns, size_t *field_of)
{
    memset(f, 0, sizeof *f);
    f->im = im;
    f->path = file->path ? file->path : file->name ? file->name : "";
    f->codes = codes;
    f->column_names = column_names;
    f->n_columns = n_columns;
    f->field_of = field_of;
    memset(field_of, 0, n_columns * sizeof *field_of);
}

void dx_text_file_free(dx_text_file *f)
{
    dx_arena_free(&f->names);
}

dx_text dx_text_field(const dx_text_file *f, const dx_csv_row *row, size_t col)
{
    size_t i = f->field_of[col];
    if (!i || i > row->n_fields)
        return (dx_text){"", 0};
    return dx_text_trim(row->fields[i - 1], row->lens[i - 1]);
}

dx_status dx_text_file_error(dx_text_file *f, dx_severity sev, unsigned long line,
                             unsigned long col, const char *code, const char *hint,
                             const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dx_status st = dx_diags_addv(f->im->diags, sev, f->path, line, col, code, hint, fmt, ap);
    va_end(ap);
    return st;
}

/* ---- the header ---- */

dx_status dx_text_map_header(dx_text_file *f, const dx_csv_row *row)
{
    f->n_header = row->n_fields;
    f->header = dx_arena_alloc(&f->names, (row->n_fields + 1) * sizeof *f->header);
    if (!f->header)
        return DX_ERR_NOMEM;
    dx_status st = DX_OK;
    for (size_t i = 0; i < row->n_fields && st == DX_OK; i++) {
        dx_text name = dx_text_trim(row->fields[i], row->lens[i]);
        f->header[i] = dx_arena_strndup(&f->names, name.s, name.len);
        if (!f->header[i])
            return DX_ERR_NOMEM;
        for (size_t c = 0; c < f->n_columns; c++) {
            if (!dx_text_is(name, f->column_names[c]))
                continue;
            if (f->field_of[c]) {
                f->header_bad = 1;
                st = dx_text_file_error(f, DX_SEV_ERROR, row->line, i + 1,
                                        f->codes->duplicate_column,
                                        "a column may appear once in the header",
                                        "column '%s' appears twice (fields %zu and %zu)",
                                        f->column_names[c], f->field_of[c], i + 1);
            } else {
                f->field_of[c] = i + 1;
            }
        }
    }
    return st;
}

dx_status dx_text_check_header_damage(dx_text_file *f, const dx_csv_row *row)
{
    if (!row->damaged)
        return DX_OK;
    f->header_bad = 1;
    return dx_text_file_error(f, DX_SEV_ERROR, row->line, 0, f->codes->bad_header,
                              "fix the header row; no row of this file is read",
                              "the header row has problems (above), so its columns cannot be "
                              "known");
}

/* ---- files ---- */

dx_status dx_text_read_file(dx_text_file *f, const dx_import_file *file, size_t max_text,
                            dx_csv_row_fn on_row, void *ctx)
{
    const dx_text_codes *codes = f->codes;
    dx_decoded d = {0};
    dx_status st = dx_decode(file->bytes, file->len, DX_ENC_AUTO, max_text, &d);
    if (st == DX_ERR_ENCODING)
        return dx_text_file_error(f, DX_SEV_ERROR, 0, 0, codes->undecodable,
                                  codes->undecodable_hint,
                                  "more than %d byte sequences cannot be decoded: the file is "
                                  "not text", DX_DECODE_MAX_ERRORS);
    if (st == DX_ERR_LIMIT)
        return dx_text_file_error(f, DX_SEV_ERROR, 0, 0, codes->too_large, NULL,
                                  "the decoded file is larger than %zu bytes", max_text);
    if (st != DX_OK)
        return st;
    dx_csv_source src = {f->path, &d, 0};
    st = dx_csv_read(&src, f->im->diags, on_row, ctx, NULL);
    if (st == DX_OK && !f->have_header)
        st = dx_text_file_error(f, DX_SEV_ERROR, 0, 0, codes->empty, NULL,
                                "the file is empty: no header and no rows");
    else if (st == DX_OK && !f->rows)
        st = dx_text_file_error(f, DX_SEV_WARNING, 0, 0, codes->no_entries, NULL,
                                "the file has a header but no rows");
    dx_decoded_free(&d);
    return st;
}

dx_status dx_text_import_files(dx_import *im, const dx_import_file *files, size_t n_files,
                               dx_text_read_fn read_file)
{
    if (!im || !im->diags || !im->builder || !im->emit || (n_files && !files))
        return DX_ERR_INVALID;
    size_t errors_before = dx_diags_count_severity(im->diags, DX_SEV_ERROR);
    dx_id_repeats ids = DX_ID_REPEATS_INIT;
    dx_status st = DX_OK;
    for (size_t i = 0; i < n_files && st == DX_OK; i++)
        st = read_file(im, &files[i], &ids);
    dx_id_repeats_free(&ids);
    if (st == DX_OK && dx_diags_count_severity(im->diags, DX_SEV_ERROR) > errors_before)
        st = DX_ERR_INPUT;
    return st;
}
