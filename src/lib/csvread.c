/*
 * csvread.c — CSV rows with positions, on top of libcsv.
 *
 * How it works. libcsv parses bytes and calls back per field and per row, but does not say
 * where it is. We therefore feed it one physical line at a time (a line ends at LF, CRLF or a
 * lone CR) and keep the line number ourselves; a row starts on the line being fed when the
 * parser is between rows before that line. Rows are built in a reusable buffer and delivered
 * with their first line.
 *
 * Strict mode (CSV_STRICT | CSV_STRICT_FINI) turns malformed quoting into errors. On an error
 * we report it, deliver what the row had as damaged, start a fresh parser and resume at the next
 * physical line, so one bad quote costs one row, not the rest of the file. An unclosed quote is
 * only known at the end of the file: we report it at the line where its row began and re-read
 * from the line after.
 *
 * Fast path. libcsv costs about 45 instructions per byte, which alone would keep ingest under
 * 100 MB/s. A line that starts a row is therefore split directly as long as its fields are
 * plain (no quote: the text between delimiters, spaces and tabs trimmed, as libcsv gives it) or
 * simply quoted ("..." with no quote inside, closed right before a delimiter or the line end).
 * At the first field that is anything else (a doubled quote, a quote inside a field, a quoted
 * field running past the line, text after a closing quote) libcsv takes over from that field's
 * start to the end of the row, so every real quoting question, and every error, is libcsv's. The two paths are compared by a differential fuzz
 * target (tests/fuzz/fuzz_csv.c) and unit tests with `libcsv_only`.
 *
 * Decode errors (dx_decoded.errors) are matched to rows by their offset in the decoded text;
 * the k-th error of a row sits at the k-th U+FFFD of its fields, which gives its column.
 */
#include "csvread.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "strbuf.h"

/* libcsv's parser state between rows (ROW_NOT_BEGUN in libcsv.c; not exported by csv.h). */
#define LIBCSV_ROW_NOT_BEGUN 0

static const char REPLACEMENT[] = "\xEF\xBF\xBD";

typedef struct reader {
    const dx_csv_source *src;
    const char *text;
    size_t len;
    dx_diags *diags;
    dx_csv_row_fn fn;
    void *ctx;
    struct csv_parser parser;
    unsigned char delim;
    int lone_cr;             /* the text has a CR not followed by LF */
    /* the row being built */
    dx_strbuf bytes;         /* field bytes, each NUL-terminated */
    size_t offs[DX_CSV_MAX_FIELDS + 1];
    size_t lens[DX_CSV_MAX_FIELDS + 1];
    const char *ptrs[DX_CSV_MAX_FIELDS + 1];
    size_t n_fields;         /* fields seen, may exceed DX_CSV_MAX_FIELDS */
    int damaged;
    unsigned long line;      /* line being fed */
    size_t chunk_end;        /* offset just past the line being fed */
    unsigned long row_line;
    size_t row_off;          /* offset where the row began */
    size_t row_first_end;    /* offset just past the row's first line */
    size_t next_error;       /* index into decoded->errors */
    int rewind;              /* re-read from row_first_end (a multi-line row failed) */
    size_t blank_rows;
    dx_status status;        /* first failure inside a callback */
} reader;

static void *capped_realloc(void *ptr, size_t size)
{
    return size > DX_CSV_MAX_BUFFER ? NULL : dx_realloc(ptr, size);
}

static dx_status parser_start(reader *r)
{
    if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return DX_ERR_NOMEM;
    csv_set_delim(&r->parser, r->delim);
    csv_set_realloc_func(&r->parser, capped_realloc);
    csv_set_free_func(&r->parser, dx_free);
    return DX_OK;
}

static dx_status add_diag(reader *r, unsigned long line, unsigned long col, const char *code,
                          const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static dx_status add_diag(reader *r, unsigned long line, unsigned long col, const char *code,
                          const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dx_status st = dx_diags_addv(r->diags, DX_SEV_ERROR, r->src->path, line, col, code, hint,
                                 fmt, ap);
    va_end(ap);
    return st;
}

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    size_t i = r->n_fields++;
    if (r->status != DX_OK || i >= DX_CSV_MAX_FIELDS)
        return;
    if (len > DX_CSV_MAX_FIELD) {
        r->status = add_diag(r, r->row_line, i + 1, "csv.field-too-long",
                             "a record field is text of a few hundred characters at most",
                             "field %zu is %zu bytes long; the limit is %d bytes", i + 1, len,
                             DX_CSV_MAX_FIELD);
        r->damaged = 1;
        len = 0;
    }
    r->offs[i] = r->bytes.len;
    r->lens[i] = len;
    if (r->status == DX_OK && r->bytes.cap - r->bytes.len < len + 2)
        r->status = dx_strbuf_reserve(&r->bytes, len + 1);
    if (r->status == DX_OK) {
        if (len)
            memcpy(r->bytes.data + r->bytes.len, s, len);
        r->bytes.len += len + 1;
        r->bytes.data[r->bytes.len - 1] = '\0';
    }
}

static const char *find_replacement(const char *p, const char *end)
{
    while (end - p >= 3) {
        const char *q = memchr(p, 0xEF, (size_t)(end - p - 2));
        if (!q)
            return NULL;
        if (memcmp(q, REPLACEMENT, 3) == 0)
            return q;
        p = q + 1;
    }
    return NULL;
}

/*
 * Cursors that walk a row once while its decode errors are reported in order: the line of an
 * error's offset, and the field holding the k-th replacement character (errors and
 * replacement characters appear in the same order). Both only move forward, so a row with many
 * errors costs one pass, not one pass per error.
 */
typedef struct error_cursor {
    size_t off;          /* text offset reached */
    unsigned long line;  /* line at `off` */
    size_t field;        /* field being searched */
    const char *at;      /* position in that field */
} error_cursor;

static unsigned long cursor_line(const reader *r, error_cursor *cur, size_t off)
{
    for (; cur->off < off && cur->off < r->len; cur->off++) {
        char ch = r->text[cur->off];
        if (ch == '\n' ||
            (ch == '\r' && (cur->off + 1 >= r->len || r->text[cur->off + 1] != '\n')))
            cur->line++;
    }
    return cur->line;
}

/* The field (1-based) of the next replacement character, 0 when there is none. */
static unsigned long cursor_column(const reader *r, error_cursor *cur)
{
    size_t kept = r->n_fields < DX_CSV_MAX_FIELDS ? r->n_fields : DX_CSV_MAX_FIELDS;
    for (; cur->field < kept; cur->field++, cur->at = NULL) {
        const char *start = r->bytes.data + r->offs[cur->field];
        const char *end = start + r->lens[cur->field];
        const char *p = find_replacement(cur->at ? cur->at : start, end);
        if (p) {
            cur->at = p + 3;
            return cur->field + 1;
        }
    }
    return 0;
}

static dx_status report_decode_error(reader *r, const dx_decode_error *e, error_cursor *cur)
{
    const dx_decoded *d = r->src->decoded;
    unsigned long line = cursor_line(r, cur, e->out_offset);
    unsigned long col = cursor_column(r, cur);
    const char *hint = "save the file as UTF-8, or name its encoding with --encoding";
    if (e->problem == DX_DECODE_NUL)
        return add_diag(r, line, col, "encoding.nul", "records never contain NUL characters",
                        "NUL character at byte offset %zu", e->src_offset);
    if (e->problem == DX_DECODE_TRUNCATED)
        return add_diag(r, line, col, "encoding.truncated", hint,
                        "the file ends inside a %s character (byte offset %zu)",
                        dx_encoding_name(d->encoding), e->src_offset);
    char shown[16] = "";
    for (unsigned i = 0; i < e->nbytes && i < 4; i++)
        snprintf(shown + strlen(shown), sizeof shown - strlen(shown), "%s%02X", i ? " " : "",
                 e->bytes[i]);
    return add_diag(r, line, col, "encoding.invalid", hint,
                    "byte%s %s at byte offset %zu cannot be decoded as %s", e->nbytes > 1 ? "s" : "",
                    shown, e->src_offset, dx_encoding_name(d->encoding));
}

/* Report the decode errors that fall inside the row ending at `row_end`. */
static dx_status decode_errors_of_row(reader *r, size_t row_end)
{
    const dx_decoded *d = r->src->decoded;
    error_cursor cur = {r->row_off, r->row_line, 0, NULL};
    while (r->next_error < d->n_errors && d->errors[r->next_error].out_offset < row_end) {
        const dx_decode_error *e = &d->errors[r->next_error++];
        if (e->out_offset < r->row_off)
            continue; /* in a skipped part of a resynchronised line: reported with that row */
        dx_status st = report_decode_error(r, e, &cur);
        if (st != DX_OK)
            return st;
        r->damaged = 1;
    }
    return DX_OK;
}

static dx_status deliver_row(reader *r, size_t row_end, unsigned long end_line)
{
    dx_status st = decode_errors_of_row(r, row_end);
    if (st != DX_OK)
        return st;
    size_t kept = r->n_fields < DX_CSV_MAX_FIELDS ? r->n_fields : DX_CSV_MAX_FIELDS;
    if (r->n_fields > DX_CSV_MAX_FIELDS) {
        st = add_diag(r, r->row_line, DX_CSV_MAX_FIELDS + 1, "csv.too-many-fields", NULL,
                      "the row has %zu fields; the limit is %d", r->n_fields, DX_CSV_MAX_FIELDS);
        if (st != DX_OK)
            return st;
        r->damaged = 1;
    }
    int blank = !r->damaged;
    for (size_t i = 0; i < kept; i++) {
        r->ptrs[i] = r->bytes.data + r->offs[i];
        if (r->lens[i])
            blank = 0;
    }
    if (blank) {
        r->blank_rows++;
        return DX_OK;
    }
    dx_csv_row row = {r->row_line, end_line, kept, r->ptrs, r->lens,
                      r->bytes.data ? r->bytes.data : "", r->bytes.len, r->damaged};
    return r->fn(r->ctx, &row);
}

static void reset_row(reader *r, size_t next_off, unsigned long next_line)
{
    dx_strbuf_reset(&r->bytes);
    r->n_fields = 0;
    r->damaged = 0;
    r->row_off = next_off;
    r->row_line = next_line;
}

static void on_row(int c, void *data)
{
    reader *r = data;
    if (r->status != DX_OK)
        return;
    r->status = deliver_row(r, r->chunk_end, r->line);
    reset_row(r, r->chunk_end, r->line + 1);
}

static size_t line_end(const reader *r, size_t pos)
{
    const char *nl = memchr(r->text + pos, '\n', r->len - pos);
    size_t lf = nl ? (size_t)(nl - r->text) : r->len;
    if (r->lone_cr) {
        const char *cr = memchr(r->text + pos, '\r', lf - pos);
        if (cr && (size_t)(cr - r->text) + 1 != lf)
            return (size_t)(cr - r->text) + 1;
    }
    return nl ? lf + 1 : r->len;
}

static int has_lone_cr(const char *t, size_t len)
{
    const char *p = t, *end = t + len;
    while ((p = memchr(p, '\r', (size_t)(end - p))) != NULL) {
        if (p + 1 >= end || p[1] != '\n')
            return 1;
        p += 2;
    }
    return 0;
}

static unsigned char sniff_delimiter(const char *t, size_t len)
{
    size_t commas = 0, tabs = 0;
    int quoted = 0;
    for (size_t i = 0; i < len && (quoted || (t[i] != '\n' && t[i] != '\r')); i++) {
        if (t[i] == '"')
            quoted = !quoted;
        else if (!quoted && t[i] == ',')
            commas++;
        else if (!quoted && t[i] == '\t')
            tabs++;
    }
    return tabs > commas ? '\t' : ',';
}

/*
 * A parse error inside the line being fed: report it, deliver what the row had as damaged and
 * start a fresh parser. When the row began on this line, reading resumes on the next line. When
 * it began on an earlier line (a quote opened there ran on and closed here), the row is taken
 * to end on its first line and reading resumes on the line after that, so the lines the quote
 * swallowed are read again as rows of their own: nothing between is lost.
 */
static dx_status recover_from_error(reader *r)
{
    int err = csv_error(&r->parser);
    unsigned long col = r->n_fields + 1;
    int multi_line = r->row_line < r->line;
    dx_status st;
    if (err == CSV_EPARSE && r->parser.quoted && multi_line)
        st = add_diag(r, r->row_line, col, "csv.text-after-quote",
                      "close the quote on the line it opens, or write a quote inside a field "
                      "twice (\"\")",
                      "field %lu opens a quote that runs on to line %lu and is followed by text "
                      "there; the row is read as ending on this line", col, r->line);
    else if (err == CSV_EPARSE && r->parser.quoted)
        st = add_diag(r, r->line, col, "csv.text-after-quote",
                      "a quoted field must end at its closing quote; a quote inside it is written twice (\"\")",
                      "text follows the closing quote of field %lu", col);
    else if (err == CSV_EPARSE)
        st = add_diag(r, r->line, col, "csv.stray-quote",
                      "quote the whole field and write the quote twice: \"a \"\"b\"\" c\"",
                      "a quote (\") inside field %lu, which is not quoted", col);
    else
        st = add_diag(r, r->row_line, col, "csv.field-too-big", NULL,
                      "field %lu is larger than %d bytes", col, DX_CSV_MAX_BUFFER);
    if (st != DX_OK)
        return st;
    r->damaged = 1;
    csv_free(&r->parser);
    if (multi_line) {
        st = deliver_row(r, r->row_first_end, r->row_line);
        r->rewind = 1;
    } else {
        st = deliver_row(r, r->chunk_end, r->line);
        reset_row(r, r->chunk_end, r->line + 1);
    }
    return st != DX_OK ? st : parser_start(r);
}

/* Space as libcsv trims it: blank or tab, unless it is the delimiter. */
static int is_csv_space(const reader *r, char c)
{
    return (c == ' ' || c == '\t') && (unsigned char)c != r->delim;
}

/*
 * Split the line [pos, end), which starts a row, the way libcsv would, as far as its fields are
 * plain or simply quoted ("...", no quote inside, closing quote right before a delimiter or the
 * line end). Returns `end` when the row was delivered, or the offset of the first field that
 * libcsv must parse (with the fields before it already delivered).
 */
static size_t split_fast(reader *r, size_t pos, size_t end)
{
    const char *t = r->text, *p = t + pos, *stop = t + end;
    while (stop > p && (stop[-1] == '\n' || stop[-1] == '\r'))
        stop--;
    const char *q = p;
    while (q < stop && is_csv_space(r, *q))
        q++;
    if (q == stop)
        return end; /* an empty or all-space line: libcsv skips it */
    for (;;) {
        const char *fstart = p, *d;
        while (fstart < stop && is_csv_space(r, *fstart))
            fstart++;
        if (fstart < stop && *fstart == '"') {
            const char *close = memchr(fstart + 1, '"', (size_t)(stop - fstart - 1));
            if (!close || (close + 1 < stop && close[1] != r->delim))
                return (size_t)(p - t);
            on_field((void *)(fstart + 1), (size_t)(close - fstart - 1), r);
            d = close + 1 < stop ? close + 1 : NULL;
        } else {
            /* one pass to the delimiter, stopping at a quote (fields are short: a plain loop
             * beats two memchr calls) */
            const char *e = fstart;
            while (e < stop && *e != (char)r->delim && *e != '"')
                e++;
            if (e < stop && *e == '"')
                return (size_t)(p - t);
            d = e < stop ? e : NULL;
            const char *fend = e;
            while (fend > fstart && is_csv_space(r, fend[-1]))
                fend--;
            on_field((void *)fstart, (size_t)(fend - fstart), r);
        }
        if (!d)
            break;
        p = d + 1;
    }
    on_row('\n', r);
    return end;
}

/* Feed lines from `pos` (which starts line `line`) to the end of the text. */
static dx_status feed(reader *r, size_t pos, unsigned long line)
{
    r->line = line;
    reset_row(r, pos, line);
    while (pos < r->len && r->status == DX_OK) {
        size_t end = line_end(r, pos);
        if (r->parser.pstate == LIBCSV_ROW_NOT_BEGUN) {
            reset_row(r, pos, r->line);
            r->row_first_end = end;
        }
        r->chunk_end = end;
        size_t from = pos;
        if (r->parser.pstate == LIBCSV_ROW_NOT_BEGUN && !r->src->libcsv_only)
            from = split_fast(r, pos, end);
        if (from < end && r->status == DX_OK) {
            size_t done = csv_parse(&r->parser, r->text + from, end - from, on_field, on_row, r);
            if (r->status == DX_OK && done < end - from)
                r->status = recover_from_error(r);
        }
        if (r->rewind) {
            r->rewind = 0;
            pos = r->row_first_end;
            r->line = r->row_line + 1;
            reset_row(r, pos, r->line);
            continue;
        }
        pos = end;
        r->line++;
    }
    return r->status;
}

static dx_status finish(reader *r, int *restart)
{
    *restart = 0;
    r->chunk_end = r->len;
    r->line--; /* the last line fed */
    if (csv_fini(&r->parser, on_field, on_row, r) == 0 || r->status != DX_OK)
        return r->status;
    dx_status st = add_diag(r, r->row_line, r->n_fields + 1, "csv.unclosed-quote",
                            "close the quote, or write a quote inside a field twice (\"\")",
                            "field %zu opens a quote that is never closed; the row is read "
                            "as ending on this line", r->n_fields + 1);
    if (st != DX_OK)
        return st;
    r->damaged = 1;
    st = deliver_row(r, r->row_first_end, r->row_line);
    *restart = 1;
    return st;
}

dx_status dx_csv_read(const dx_csv_source *src, dx_diags *diags, dx_csv_row_fn fn, void *ctx,
                      size_t *blank_rows)
{
    reader *r = dx_calloc(1, sizeof *r);
    if (!r)
        return DX_ERR_NOMEM;
    r->src = src;
    r->text = src->decoded->text ? src->decoded->text : "";
    r->len = src->decoded->len;
    r->diags = diags;
    r->fn = fn;
    r->ctx = ctx;
    r->delim = sniff_delimiter(r->text, r->len);
    r->lone_cr = has_lone_cr(r->text, r->len);
    dx_status st = parser_start(r);
    size_t pos = 0;
    unsigned long line = 1;
    int restart = 1;
    while (st == DX_OK && restart) {
        st = feed(r, pos, line);
        if (st == DX_OK)
            st = finish(r, &restart);
        pos = r->row_first_end;
        line = r->row_line + 1;
        csv_free(&r->parser);
        if (st == DX_OK && restart)
            st = parser_start(r);
    }
    if (blank_rows)
        *blank_rows = r->blank_rows;
    dx_strbuf_free(&r->bytes);
    dx_free(r);
    return st;
}

dx_status dx_csv_read_path(const char *path, const char *code, const char *what,
                           dx_diags *diags, dx_csv_row_fn fn, void *ctx)
{
    char open_code[64];
    snprintf(open_code, sizeof open_code, "%s.open", code);
    FILE *f = fopen(path, "rb");
    if (!f) {
        dx_status st = dx_diags_add(diags, DX_SEV_ERROR, path, 0, 0, open_code, NULL,
                                    "cannot read the %s: %s", what, strerror(errno));
        return st != DX_OK ? st : DX_ERR_IO;
    }
    dx_strbuf bytes = DX_STRBUF_INIT;
    bytes.max = 256 * 1024 * 1024;
    char chunk[65536];
    size_t n;
    dx_status st = DX_OK;
    while (st == DX_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        st = dx_strbuf_append(&bytes, chunk, n);
    fclose(f);
    dx_decoded d = {0};
    if (st == DX_OK)
        st = dx_decode(bytes.data ? bytes.data : "", bytes.len, DX_ENC_AUTO, 0, &d);
    dx_strbuf_free(&bytes);
    dx_csv_source src = {path, &d, 0};
    if (st == DX_OK)
        st = dx_csv_read(&src, diags, fn, ctx, NULL);
    dx_decoded_free(&d);
    return st;
}
