/*
 * xlsx_table.c — what the .xlsx list importers share; see xlsx_table.h.
 */
#include "xlsx_table.h"

#include <string.h>

#include "strbuf.h"

/* ---- UTF-8 ------------------------------------------------------------------------------ */

unsigned dx_xt_next_cp(const char *s, size_t len, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s + *i;
    size_t left = len - *i;
    unsigned cp = u[0];
    size_t n = 1;
    if (cp >= 0xC0 && cp < 0xE0 && left >= 2 && (u[1] & 0xC0) == 0x80) {
        cp = ((cp & 0x1Fu) << 6) | (u[1] & 0x3Fu), n = 2;
    } else if (cp >= 0xE0 && cp < 0xF0 && left >= 3 && (u[1] & 0xC0) == 0x80 &&
               (u[2] & 0xC0) == 0x80) {
        cp = ((cp & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu), n = 3;
    } else if (cp >= 0xF0 && cp < 0xF8 && left >= 4 && (u[1] & 0xC0) == 0x80 &&
               (u[2] & 0xC0) == 0x80 && (u[3] & 0xC0) == 0x80) {
        cp = ((cp & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6) |
             (u[3] & 0x3Fu);
        n = 4;
    }
    *i += n;
    return cp;
}

size_t dx_xt_prev_start(const char *s, size_t end)
{
    size_t i = end - 1;
    while (i > 0 && end - i < 4 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

int dx_xt_is_space(unsigned cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' ||
           cp == 0x3000 || cp == 0xA0;
}

dx_xt_text dx_xt_trim(const char *s, size_t len, int (*is_space)(unsigned))
{
    size_t i = 0, start = 0, end = 0;
    int seen = 0;
    while (i < len) {
        size_t at = i;
        if (is_space(dx_xt_next_cp(s, len, &i)))
            continue;
        if (!seen)
            start = at;
        seen = 1;
        end = i;
    }
    return seen ? (dx_xt_text){s + start, end - start} : (dx_xt_text){s, 0};
}

const char *dx_xt_one_line(dx_xt_text t, char *buf, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < t.len;) {
        size_t at = i;
        unsigned cp = dx_xt_next_cp(t.s, t.len, &i);
        if (o + (i - at) >= size)
            break;
        if (cp == '\n' || cp == '\r' || cp == '\t') {
            buf[o++] = ' ';
        } else {
            memcpy(buf + o, t.s + at, i - at);
            o += i - at;
        }
    }
    buf[o] = '\0';
    return buf;
}

/* ---- places ----------------------------------------------------------------------------- */

static int is_country_separator(unsigned cp)
{
    return cp == ',' || cp == ';' || cp == '\n' || cp == '(' || cp == ')' || cp == 0x3001 ||
           cp == 0xFF0C || cp == 0xFF1B || cp == 0xFF08 || cp == 0xFF09;
}

dx_status dx_xt_resolve_place(const dx_countries *c, dx_xt_text t, int (*is_space)(unsigned),
                              char alpha2[3])
{
    dx_country_match m;
    alpha2[0] = '\0';
    dx_status st = dx_country_lookup(c, t.s, t.len, &m);
    if (st != DX_OK || m.result == DX_COUNTRY_FOUND) {
        if (st == DX_OK)
            memcpy(alpha2, m.alpha2, 3);
        return st;
    }
    size_t end = t.len, tries = 0;
    while (end > 0 && tries < 16) {
        size_t start = 0, sep = 0;
        int found = 0;
        for (size_t i = 0; i < end;) {
            size_t at = i;
            if (is_country_separator(dx_xt_next_cp(t.s, end, &i)))
                sep = at, start = i, found = 1;
        }
        dx_xt_text part = dx_xt_trim(t.s + start, end - start, is_space);
        if (part.len >= 4) {
            tries++;
            if ((st = dx_country_lookup(c, part.s, part.len, &m)) != DX_OK)
                return st;
            if (m.result == DX_COUNTRY_FOUND) {
                memcpy(alpha2, m.alpha2, 3);
                return DX_OK;
            }
        }
        end = found ? sep : 0;
    }
    return DX_OK;
}

/* ---- cells and rows --------------------------------------------------------------------- */

dx_xt_text dx_xt_cell(const dx_xlsx_row *row, unsigned column, size_t max)
{
    for (size_t i = 0; column && i < row->n_cells; i++) {
        if (row->cells[i].column == column) {
            size_t len = row->cells[i].len;
            return (dx_xt_text){row->cells[i].value, len > max ? max : len};
        }
    }
    return (dx_xt_text){"", 0};
}

int dx_xt_row_blank(const dx_xlsx_row *row, int (*is_space)(unsigned))
{
    for (size_t i = 0; i < row->n_cells; i++) {
        if (dx_xt_trim(row->cells[i].value, row->cells[i].len, is_space).len)
            return 0;
    }
    return 1;
}

void dx_xt_column_letters(unsigned column, char out[4])
{
    char tmp[4];
    size_t n = 0;
    while (column > 0 && n < 3) {
        tmp[n++] = (char)('A' + (column - 1) % 26);
        column = (column - 1) / 26;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

int dx_xt_serial_date(dx_xt_text t, char out[11])
{
    long v = 0;
    size_t i = 0;
    while (i < t.len && t.s[i] >= '0' && t.s[i] <= '9' && v < 10000000)
        v = v * 10 + (t.s[i++] - '0');
    if (i == 0 || (i < t.len && t.s[i] != '.'))
        return 0;
    for (i += i < t.len; i < t.len; i++) {
        if (t.s[i] != '0')
            return 0;
    }
    if (v < 3000 || v > 2958465)
        return 0;
    long z = v - 25569 + 719468; /* civil_from_days (H. Hinnant), z > 0 here */
    long era = z / 146097, doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    long y = yoe + era * 400 + (m <= 2);
    unsigned yy = (unsigned)y % 10000u, mm = (unsigned)m % 100u, dd = (unsigned)d % 100u;
    out[0] = (char)('0' + yy / 1000), out[1] = (char)('0' + yy / 100 % 10);
    out[2] = (char)('0' + yy / 10 % 10), out[3] = (char)('0' + yy % 10), out[4] = '-';
    out[5] = (char)('0' + mm / 10), out[6] = (char)('0' + mm % 10), out[7] = '-';
    out[8] = (char)('0' + dd / 10), out[9] = (char)('0' + dd % 10), out[10] = '\0';
    return 1;
}

/* ---- the header row --------------------------------------------------------------------- */

/* `c`'s first max bytes with white space runs made one space and trimmed, in the arena. */
static char *collapsed(dx_arena *arena, const dx_xlsx_cell *c, size_t max)
{
    size_t len = c->len > max ? max : c->len, o = 0;
    char *name = dx_arena_alloc(arena, len + 1);
    if (!name)
        return NULL;
    for (size_t k = 0; k < len; k++) {
        char ch = c->value[k];
        int space = ch == '\n' || ch == '\r' || ch == ' ' || ch == '\t';
        if (space && o > 0 && name[o - 1] != ' ')
            name[o++] = ' ';
        else if (!space)
            name[o++] = ch;
    }
    while (o > 0 && name[o - 1] == ' ')
        o--;
    name[o] = '\0';
    return name;
}

dx_status dx_xt_headers_read(dx_xt_headers *h, dx_arena *arena, const dx_xlsx_row *row,
                             size_t max_columns, size_t max_name, int keep_empty)
{
    size_t n = row->n_cells > max_columns ? max_columns : row->n_cells;
    h->v = dx_arena_alloc(arena, (n + 1) * sizeof *h->v);
    if (!h->v)
        return DX_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        char *name = collapsed(arena, &row->cells[i], max_name);
        if (!name)
            return DX_ERR_NOMEM;
        if (name[0] || keep_empty)
            h->v[h->n++] = (dx_xt_header){row->cells[i].column, name, -1};
    }
    return DX_OK;
}

const dx_xt_header *dx_xt_header_of(const dx_xt_headers *h, unsigned column)
{
    for (size_t i = 0; i < h->n; i++) {
        if (h->v[i].column == column)
            return &h->v[i];
    }
    return NULL;
}

const char *dx_xt_field_name(const dx_xt_headers *h, unsigned column, char letters[4])
{
    const dx_xt_header *hd = dx_xt_header_of(h, column);
    if (hd)
        return hd->name;
    dx_xt_column_letters(column, letters);
    return letters;
}

/* ---- the workbook ----------------------------------------------------------------------- */

dx_status dx_xt_check_files(dx_import *im, const dx_import_file *files, size_t n_files,
                            const char *code, const char *what)
{
    if (!im || !im->builder || !im->emit || !im->countries || (n_files && !files))
        return DX_ERR_INVALID;
    if (n_files != 1)
        return dx_diags_add(im->diags, DX_SEV_ERROR, n_files ? files[1].path : "", 0, 0, code,
                            NULL, "%s is one .xlsx file; %zu files were given", what,
                            n_files) == DX_OK
                   ? DX_ERR_INPUT
                   : DX_ERR_NOMEM;
    return DX_OK;
}

static void publication_date(dx_import *im, const dx_xlsx *x)
{
    const char *s = dx_xlsx_modified(x) ? dx_xlsx_modified(x) : dx_xlsx_created(x);
    im->publication_date[0] = '\0';
    if (!s || strlen(s) < 10)
        return;
    for (int i = 0; i < 10; i++) {
        int digit = s[i] >= '0' && s[i] <= '9';
        if ((i == 4 || i == 7) ? s[i] != '-' : !digit)
            return;
    }
    memcpy(im->publication_date, s, 10);
    im->publication_date[10] = '\0';
}

dx_status dx_xt_open(dx_import *im, const dx_import_file *file, const char *path,
                     dx_xlsx **out)
{
    dx_status st = dx_xlsx_open(file->bytes, file->len, path, NULL, im->diags, out);
    if (st == DX_OK)
        publication_date(im, *out);
    return st;
}

size_t dx_xt_sheet_or_first(const dx_xlsx *x, const char *name)
{
    size_t sheet = 0;
    if (dx_xlsx_sheet_find(x, name, &sheet) != DX_OK)
        sheet = 0;
    return sheet;
}

dx_status dx_xt_read_rows(dx_xlsx *x, size_t sheet, unsigned long header_rows,
                          dx_xt_header_fn try_header, dx_xt_row_fn on_row, void *ctx,
                          int *header)
{
    dx_xlsx_rows *rows = NULL;
    const dx_xlsx_row *row;
    *header = 0;
    dx_status st = dx_xlsx_rows_open(x, sheet, &rows);
    while (st == DX_OK && (st = dx_xlsx_rows_next(rows, &row)) == DX_OK && row) {
        if (*header)
            st = on_row(ctx, row);
        else if (row->number <= header_rows)
            st = try_header(ctx, row, header);
    }
    dx_xlsx_rows_free(rows);
    return st;
}

/* ---- diagnostics ------------------------------------------------------------------------ */

dx_status dx_xt_row_diagv(dx_diags *diags, size_t *errors, const char *path,
                          const char *member, const char *sheet, unsigned long number,
                          unsigned long line, const char *key_label, const char *key,
                          dx_severity sev, const char *code, const char *fmt, va_list ap)
{
    dx_strbuf msg = DX_STRBUF_INIT;
    dx_status st = sheet ? dx_strbuf_printf(&msg, "%s (sheet %s): row %lu", member, sheet, number)
                         : dx_strbuf_printf(&msg, "%s: row %lu", member, number);
    if (st == DX_OK && key)
        st = dx_strbuf_printf(&msg, " (%s %s)", key_label, key);
    if (st == DX_OK)
        st = dx_strbuf_append(&msg, ": ", 2);
    if (st == DX_OK)
        st = dx_strbuf_vprintf(&msg, fmt, ap);
    if (st == DX_OK)
        st = dx_diags_add(diags, sev, path, line, 0, code, NULL, "%s", msg.data);
    dx_strbuf_free(&msg);
    if (sev == DX_SEV_ERROR)
        (*errors)++;
    return st;
}

dx_status dx_xt_file_error(dx_diags *diags, const char *path, const char *code,
                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dx_status st = dx_diags_addv(diags, DX_SEV_ERROR, path, 0, 0, code, NULL, fmt, ap);
    va_end(ap);
    return st == DX_OK ? DX_ERR_INPUT : DX_ERR_NOMEM;
}
