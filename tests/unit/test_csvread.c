/*
 * test_csvread.c — CSV rows with line numbers (src/lib/csvread.c).
 *
 * Each test feeds decoded text to dx_csv_read with a callback that copies every delivered row
 * (line, end_line, fields, damaged) into a test structure, then checks the rows, the blank-row
 * count and the diagnostics exactly: code, line, column and the telling part of the message.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "csvread.h"
#include "dexcheck/diag.h"
#include "dexcheck/encoding.h"

#define KEEP_FIELDS 8

/* Every test runs twice: with the reader's fast path for plain lines, and with libcsv_only
 * (every line through libcsv). The results must be the same. */
static int libcsv_only;

static int use_fast_path(void **state)
{
    (void)state;
    libcsv_only = 0;
    return 0;
}

static int use_libcsv_only(void **state)
{
    (void)state;
    libcsv_only = 1;
    return 0;
}

typedef struct got_row {
    unsigned long line, end_line;
    size_t n_fields;
    char *fields[KEEP_FIELDS];
    size_t lens[KEEP_FIELDS];
    int damaged;
} got_row;

typedef struct got {
    got_row rows[64];
    size_t n;
    size_t blank;
    dx_diags *diags;
    dx_status st;
    int stop_at;      /* return DX_ERR_INPUT from the callback on this row (1-based); 0 = never */
} got;

static dx_status record_row(void *ctx, const dx_csv_row *row)
{
    got *g = ctx;
    if (g->n >= sizeof g->rows / sizeof *g->rows)
        return DX_ERR_LIMIT;
    got_row *r = &g->rows[g->n++];
    r->line = row->line;
    r->end_line = row->end_line;
    r->n_fields = row->n_fields;
    r->damaged = row->damaged;
    for (size_t i = 0; i < row->n_fields && i < KEEP_FIELDS; i++) {
        /* the reader promises NUL-terminated fields with their lengths */
        if (row->fields[i][row->lens[i]] != '\0')
            return DX_ERR_INTERNAL;
        r->fields[i] = malloc(row->lens[i] + 1);
        if (!r->fields[i])
            return DX_ERR_NOMEM;
        memcpy(r->fields[i], row->fields[i], row->lens[i] + 1);
        r->lens[i] = row->lens[i];
    }
    if (g->stop_at && (int)g->n == g->stop_at)
        return DX_ERR_INPUT;
    return DX_OK;
}

static void got_clear(got *g)
{
    for (size_t i = 0; i < g->n; i++) {
        for (size_t k = 0; k < KEEP_FIELDS; k++)
            free(g->rows[i].fields[k]);
    }
    memset(g->rows, 0, sizeof g->rows);
    g->n = 0;
    g->blank = 0;
}

/* Results and decoded texts still alive, freed by the teardown when an assertion fails. */
static got *live[16];
static dx_decoded dec;

static got *got_new(void)
{
    got *g = calloc(1, sizeof *g);
    assert_non_null(g);
    for (size_t i = 0;; i++) {
        assert_true(i < sizeof live / sizeof *live);
        if (!live[i]) {
            live[i] = g;
            break;
        }
    }
    assert_int_equal(dx_diags_new(&g->diags), DX_OK);
    return g;
}

static void got_free(got *g)
{
    for (size_t i = 0; i < sizeof live / sizeof *live; i++) {
        if (live[i] == g)
            live[i] = NULL;
    }
    got_clear(g);
    dx_diags_free(g->diags);
    free(g);
}

static int teardown(void **state)
{
    (void)state;
    dx_alloc_fail_after(-1);
    for (size_t i = 0; i < sizeof live / sizeof *live; i++) {
        if (live[i])
            got_free(live[i]);
    }
    dx_decoded_free(&dec);
    return 0;
}

/* Read decoded text `d` into a fresh result. */
static got *read_decoded(const dx_decoded *d)
{
    got *g = got_new();
    dx_csv_source src = {.path = "test.csv", .decoded = d, .libcsv_only = libcsv_only};
    g->blank = 12345;
    g->st = dx_csv_read(&src, g->diags, record_row, g, &g->blank);
    return g;
}

/* UTF-8 text without decode errors, as dx_decode would give it. */
static got *read_text(const char *text, size_t len)
{
    dx_decoded d = {(char *)text, len, DX_ENC_UTF8, 0, 0, NULL, 0};
    return read_decoded(&d);
}

#define READ(lit) read_text(lit, sizeof(lit) - 1)

static void check_row(const got *g, size_t i, unsigned long line, unsigned long end_line,
                      int damaged, size_t n_fields, ...)
{
    if (i >= g->n)
        fail_msg("row %zu: only %zu rows were delivered", i, g->n);
    const got_row *r = &g->rows[i];
    if (r->line != line || r->end_line != end_line)
        fail_msg("row %zu: lines %lu-%lu, expected %lu-%lu", i, r->line, r->end_line, line,
                 end_line);
    if (r->damaged != damaged)
        fail_msg("row %zu (line %lu): damaged %d, expected %d", i, r->line, r->damaged, damaged);
    if (r->n_fields != n_fields)
        fail_msg("row %zu (line %lu): %zu fields, expected %zu", i, r->line, r->n_fields,
                 n_fields);
    va_list ap;
    va_start(ap, n_fields);
    for (size_t k = 0; k < n_fields && k < KEEP_FIELDS; k++) {
        const char *want = va_arg(ap, const char *);
        if (!want)
            continue; /* not checked */
        if (strcmp(r->fields[k], want) != 0 || r->lens[k] != strlen(want))
            fail_msg("row %zu (line %lu) field %zu: \"%s\" (%zu bytes), expected \"%s\"", i,
                     r->line, k + 1, r->fields[k], r->lens[k], want);
    }
    va_end(ap);
}

static void check_diag(const got *g, size_t i, const char *code, unsigned long line,
                       unsigned long column, const char *message_part)
{
    const dx_diag *d = dx_diags_get(g->diags, i);
    if (!d)
        fail_msg("diagnostic %zu: only %zu were reported", i, dx_diags_count(g->diags));
    if (strcmp(d->code, code) != 0 || d->line != line || d->column != column)
        fail_msg("diagnostic %zu: %s at %lu:%lu (%s), expected %s at %lu:%lu", i, d->code,
                 d->line, d->column, d->message, code, line, column);
    assert_int_equal(d->severity, DX_SEV_ERROR);
    assert_string_equal(d->source, "test.csv");
    if (message_part && !strstr(d->message, message_part))
        fail_msg("diagnostic %zu: message \"%s\" lacks \"%s\"", i, d->message, message_part);
}

static void check_clean(const got *g, size_t n_rows, size_t blank)
{
    assert_int_equal(g->st, DX_OK);
    if (dx_diags_count(g->diags)) {
        const dx_diag *d = dx_diags_get(g->diags, 0);
        fail_msg("unexpected diagnostic %s at %lu:%lu: %s", d->code, d->line, d->column,
                 d->message);
    }
    if (g->n != n_rows)
        fail_msg("%zu rows delivered, expected %zu", g->n, n_rows);
    assert_int_equal(g->blank, blank);
}

/* ---- line ends ---- */

static void test_lf(void **state)
{
    (void)state;
    got *g = READ("id,name\n1,Alice\n2,Bob\n");
    check_clean(g, 3, 0);
    check_row(g, 0, 1, 1, 0, 2, "id", "name");
    check_row(g, 1, 2, 2, 0, 2, "1", "Alice");
    check_row(g, 2, 3, 3, 0, 2, "2", "Bob");
    got_free(g);
}

static void test_crlf(void **state)
{
    (void)state;
    got *g = READ("id,name\r\n1,Alice\r\n2,Bob\r\n");
    check_clean(g, 3, 0);
    check_row(g, 0, 1, 1, 0, 2, "id", "name");
    check_row(g, 1, 2, 2, 0, 2, "1", "Alice");
    check_row(g, 2, 3, 3, 0, 2, "2", "Bob");
    got_free(g);
}

static void test_cr_only(void **state)
{
    (void)state;
    got *g = READ("id,name\r1,Alice\r2,Bob\r");
    check_clean(g, 3, 0);
    check_row(g, 0, 1, 1, 0, 2, "id", "name");
    check_row(g, 1, 2, 2, 0, 2, "1", "Alice");
    check_row(g, 2, 3, 3, 0, 2, "2", "Bob");
    got_free(g);
}

static void test_mixed_line_ends(void **state)
{
    (void)state;
    got *g = READ("a,b\r\nc,d\re,f\ng,h\r\ni,j");
    check_clean(g, 5, 0);
    check_row(g, 0, 1, 1, 0, 2, "a", "b");
    check_row(g, 1, 2, 2, 0, 2, "c", "d");
    check_row(g, 2, 3, 3, 0, 2, "e", "f");
    check_row(g, 3, 4, 4, 0, 2, "g", "h");
    check_row(g, 4, 5, 5, 0, 2, "i", "j");
    got_free(g);
}

static void test_no_trailing_newline(void **state)
{
    (void)state;
    got *g = READ("a,b\nc,d");
    check_clean(g, 2, 0);
    check_row(g, 0, 1, 1, 0, 2, "a", "b");
    check_row(g, 1, 2, 2, 0, 2, "c", "d");
    got_free(g);
    g = READ("only");
    check_clean(g, 1, 0);
    check_row(g, 0, 1, 1, 0, 1, "only");
    got_free(g);
    g = READ("");
    check_clean(g, 0, 0);
    got_free(g);
}

/* ---- quoting ---- */

static void test_quoted_fields(void **state)
{
    (void)state;
    got *g = READ("id,note\n"
                  "1,\"x, y\"\n"
                  "2,\"say \"\"hi\"\"\"\n"
                  "3,\"line1\nline2\nline3\"\n"
                  "4,end\n"
                  "\"5\",\"\"\n");
    check_clean(g, 6, 0);
    check_row(g, 0, 1, 1, 0, 2, "id", "note");
    check_row(g, 1, 2, 2, 0, 2, "1", "x, y");
    check_row(g, 2, 3, 3, 0, 2, "2", "say \"hi\"");
    check_row(g, 3, 4, 6, 0, 2, "3", "line1\nline2\nline3");
    check_row(g, 4, 7, 7, 0, 2, "4", "end");
    check_row(g, 5, 8, 8, 0, 2, "5", "");
    got_free(g);
}

static void test_quoted_newlines_crlf_and_cr(void **state)
{
    (void)state;
    got *g = READ("a,b\r\n1,\"x\r\ny\"\r\n2,z\r\n");
    check_clean(g, 3, 0);
    check_row(g, 1, 2, 3, 0, 2, "1", "x\r\ny");
    check_row(g, 2, 4, 4, 0, 2, "2", "z");
    got_free(g);

    g = READ("a,b\r1,\"x\ry\"\r2,z\r");
    check_clean(g, 3, 0);
    check_row(g, 1, 2, 3, 0, 2, "1", "x\ry");
    check_row(g, 2, 4, 4, 0, 2, "2", "z");
    got_free(g);

    /* a quoted field that begins with a newline and a row of two multi-line fields */
    g = READ("a,b\n\"\nx\",\"p\n\nq\"\nlast,row\n");
    check_clean(g, 3, 0);
    check_row(g, 1, 2, 5, 0, 2, "\nx", "p\n\nq");
    check_row(g, 2, 6, 6, 0, 2, "last", "row");
    got_free(g);
}

static void test_blank_rows(void **state)
{
    (void)state;
    got *g = READ("a,b\n\n,\n\"\",\"\"\n,,,\nc,d\n\n\n");
    check_clean(g, 2, 3);
    check_row(g, 0, 1, 1, 0, 2, "a", "b");
    check_row(g, 1, 6, 6, 0, 2, "c", "d");
    got_free(g);

    /* leading blank lines do not shift the line numbers */
    g = READ("\n\r\n\na,b\n");
    check_clean(g, 1, 0);
    check_row(g, 0, 4, 4, 0, 2, "a", "b");
    got_free(g);

    /* blank_rows may be NULL */
    dx_decoded d = {(char *)"a\n,\nb\n", 6, DX_ENC_UTF8, 0, 0, NULL, 0};
    dx_csv_source src = {.path = "test.csv", .decoded = &d, .libcsv_only = libcsv_only};
    got *h = got_new();
    assert_int_equal(dx_csv_read(&src, h->diags, record_row, h, NULL), DX_OK);
    assert_int_equal(h->n, 2);
    check_row(h, 1, 3, 3, 0, 1, "b");
    got_free(h);
}

static void test_spaces(void **state)
{
    (void)state;
    /* lines of spaces and tabs are blank lines; spaces around unquoted fields are trimmed,
     * spaces inside quotes are kept */
    got *g = READ("a,b\n   \n \t \r\n a , b c \n\" x \",\"\t\"\n");
    check_clean(g, 3, 0);
    check_row(g, 0, 1, 1, 0, 2, "a", "b");
    check_row(g, 1, 4, 4, 0, 2, "a", "b c");
    check_row(g, 2, 5, 5, 0, 2, " x ", "\t");
    got_free(g);

    /* in a tab-delimited file a line of one tab is a row of two empty fields */
    g = READ("a\tb\n\t\n1\t2\n");
    check_clean(g, 2, 1);
    check_row(g, 1, 3, 3, 0, 2, "1", "2");
    got_free(g);
}

/* ---- errors ---- */

static void test_unclosed_quote_in_the_middle(void **state)
{
    (void)state;
    got *g = READ("id,note\n"
                  "1,ok\n"
                  "2,\"never closed\n"
                  "3,after\n"
                  ",\n"
                  "4,more, fields\n"
                  "5,last\n");
    assert_int_equal(g->st, DX_OK);
    assert_int_equal(dx_diags_count(g->diags), 1);
    check_diag(g, 0, "csv.unclosed-quote", 3, 2, "field 2");
    assert_int_equal(g->n, 6);
    check_row(g, 0, 1, 1, 0, 2, "id", "note");
    check_row(g, 1, 2, 2, 0, 2, "1", "ok");
    assert_int_equal(g->rows[2].line, 3);
    assert_int_equal(g->rows[2].damaged, 1);
    assert_int_equal(g->rows[2].n_fields, 1);
    assert_string_equal(g->rows[2].fields[0], "2");
    /* the rows after it are read again from the next line */
    check_row(g, 3, 4, 4, 0, 2, "3", "after");
    check_row(g, 4, 6, 6, 0, 3, "4", "more", "fields");
    check_row(g, 5, 7, 7, 0, 2, "5", "last");
    assert_int_equal(g->blank, 1);
    got_free(g);

    /* the same in a CRLF file, after a multi-line row */
    g = READ("a,b\r\n1,\"p\r\nq\"\r\n2,\"open\r\n3,x\r\n");
    assert_int_equal(g->st, DX_OK);
    assert_int_equal(dx_diags_count(g->diags), 1);
    check_diag(g, 0, "csv.unclosed-quote", 4, 2, NULL);
    assert_int_equal(g->n, 4);
    check_row(g, 1, 2, 3, 0, 2, "1", "p\r\nq");
    assert_int_equal(g->rows[2].line, 4);
    assert_int_equal(g->rows[2].damaged, 1);
    check_row(g, 3, 5, 5, 0, 2, "3", "x");
    got_free(g);
}

static void test_unclosed_quote_end_line(void **state)
{
    (void)state;
    got *g = READ("id,note\n2,\"never closed\n3,after\n4,more\n");
    assert_int_equal(g->st, DX_OK);
    assert_int_equal(g->n, 4);
    /* The damaged row is read as ending on its first line, and reading resumes on line 3. */
    check_row(g, 1, 2, 2, 1, 1, "2");
    check_row(g, 2, 3, 3, 0, 2, "3", "after");
    check_row(g, 3, 4, 4, 0, 2, "4", "more");
    got_free(g);
}

static void test_quote_closed_by_a_later_row(void **state)
{
    (void)state;
    /* The quote opened on line 2 is closed by the quote of line 4 and followed by text there.
     * The row of line 2 is damaged and taken to end on line 2; reading resumes on line 3, so
     * the rows the quote swallowed are read again: line 3 is a good row, line 4 opens a quote
     * that is never closed (damaged, ends on line 4), and line 5 is a good row. */
    got *g = READ("a,b\n1,\"x\n2,y\n3,\"z\n4,w");
    assert_int_equal(g->st, DX_OK);
    assert_int_equal(dx_diags_count(g->diags), 2);
    check_diag(g, 0, "csv.text-after-quote", 2, 2, "line 4");
    check_diag(g, 1, "csv.unclosed-quote", 4, 2, "field 2");
    assert_int_equal(g->n, 5);
    check_row(g, 1, 2, 2, 1, 1, "1");
    check_row(g, 2, 3, 3, 0, 2, "2", "y");
    check_row(g, 3, 4, 4, 1, 1, "3");
    check_row(g, 4, 5, 5, 0, 2, "4", "w");
    got_free(g);
}

static void test_unclosed_quote_last_row(void **state)
{
    (void)state;
    got *g = READ("a,b\n1,\"x");
    assert_int_equal(g->st, DX_OK);
    assert_int_equal(dx_diags_count(g->diags), 1);
    check_diag(g, 0, "csv.unclosed-quote", 2, 2, NULL);
    assert_int_equal(g->n, 2);
    check_row(g, 0, 1, 1, 0, 2, "a", "b");
    assert_int_equal(g->rows[1].line, 2);
    assert_int_equal(g->rows[1].damaged, 1);
    got_free(g);
}

static void test_stray_quote(void **state)
{
    (void)state;
    got *g = READ("id,name\n"
                  "1,O\"Brien\n"
                  "2,ok\n"
                  "3,\"fine\"\n");
    assert_int_equal(g->st, DX_OK);
    assert_int_equal(dx_diags_count(g->diags), 1);
    check_diag(g, 0, "csv.stray-quote", 2, 2, "field 2");
    assert_int_equal(g->n, 4);
    assert_int_equal(g->rows[1].line, 2);
    assert_int_equal(g->rows[1].damaged, 1);
    assert_string_equal(g->rows[1].fields[0], "1");
    check_row(g, 2, 3, 3, 0, 2, "2", "ok");
    check_row(g, 3, 4, 4, 0, 2, "3", "fine");
    got_free(g);

    /* in a CRLF file, in the first field */
    g = READ("a,b\r\nx\"y,z\r\nc,d\r\n");
    assert_int_equal(dx_diags_count(g->diags), 1);
    check_diag(g, 0, "csv.stray-quote", 2, 1, "field 1");
    assert_int_equal(g->n, 3);
    assert_int_equal(g->rows[1].damaged, 1);
    check_row(g, 2, 3, 3, 0, 2, "c", "d");
    got_free(g);
}

static void test_stray_quote_after_multiline_row(void **state)
{
    (void)state;
    /* the bad row follows a row spanning lines 2-3: its line must be 4 */
    got *g = READ("a,b\n1,\"p\nq\"\n2,x\"y\n3,z\n");
    assert_int_equal(dx_diags_count(g->diags), 1);
    check_diag(g, 0, "csv.stray-quote", 4, 2, NULL);
    assert_int_equal(g->n, 4);
    check_row(g, 1, 2, 3, 0, 2, "1", "p\nq");
    assert_int_equal(g->rows[2].line, 4);
    assert_int_equal(g->rows[2].damaged, 1);
    check_row(g, 3, 5, 5, 0, 2, "3", "z");
    got_free(g);
}

static void test_quoting_after_plain_fields(void **state)
{
    (void)state;
    /* quoting problems in a later field of a row whose first fields are plain or simply
     * quoted: the column is the field's own number */
    got *g = READ("a,b,c,d\nP,\"q\",x\"y,z\n1,\"r\",\"a \"\"b\"\"\",\"s\"\n");
    assert_int_equal(g->st, DX_OK);
    assert_int_equal(dx_diags_count(g->diags), 1);
    check_diag(g, 0, "csv.stray-quote", 2, 3, "field 3");
    assert_int_equal(g->n, 3);
    assert_int_equal(g->rows[1].damaged, 1);
    assert_true(g->rows[1].n_fields >= 2);
    assert_string_equal(g->rows[1].fields[0], "P");
    assert_string_equal(g->rows[1].fields[1], "q");
    check_row(g, 2, 3, 3, 0, 4, "1", "r", "a \"b\"", "s");
    got_free(g);

    /* a bad byte after an unclosed quote is reported in the row that holds it, once the
     * reader has resumed */
    dx_decoded_free(&dec);
    static const char text[] = "a,b\n1,\"x\n2,\xFF\n3,y\n";
    assert_int_equal(dx_decode(text, sizeof text - 1, DX_ENC_UTF8, 0, &dec), DX_OK);
    g = read_decoded(&dec);
    assert_int_equal(g->st, DX_OK);
    assert_int_equal(dx_diags_count(g->diags), 2);
    check_diag(g, 0, "csv.unclosed-quote", 2, 2, NULL);
    check_diag(g, 1, "encoding.invalid", 3, 2, "byte offset 11 ");
    assert_int_equal(g->n, 4);
    check_row(g, 2, 3, 3, 1, 2, "2", "\xEF\xBF\xBD");
    check_row(g, 3, 4, 4, 0, 2, "3", "y");
    got_free(g);
    dx_decoded_free(&dec);
}

static void test_text_after_quote(void **state)
{
    (void)state;
    got *g = READ("a,b\n\"x\"y,z\nc,d\n");
    assert_int_equal(g->st, DX_OK);
    assert_int_equal(dx_diags_count(g->diags), 1);
    check_diag(g, 0, "csv.text-after-quote", 2, 1, "field 1");
    assert_int_equal(g->n, 3);
    assert_int_equal(g->rows[1].line, 2);
    assert_int_equal(g->rows[1].damaged, 1);
    check_row(g, 2, 3, 3, 0, 2, "c", "d");
    got_free(g);

    g = READ("a,b,c\n1,\"two\" x,3\n4,5,6\n");
    assert_int_equal(dx_diags_count(g->diags), 1);
    check_diag(g, 0, "csv.text-after-quote", 2, 2, "field 2");
    check_row(g, 2, 3, 3, 0, 3, "4", "5", "6");
    got_free(g);
}

static void test_field_too_long(void **state)
{
    (void)state;
    size_t big = DX_CSV_MAX_FIELD + 1;
    size_t cap = big + 64;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t n = 0;
    n += (size_t)sprintf(text + n, "id,note,x\n1,");
    memset(text + n, 'a', big);
    n += big;
    n += (size_t)sprintf(text + n, ",z\n2,ok,y\n");
    got *g = read_text(text, n);
    assert_int_equal(g->st, DX_OK);
    assert_int_equal(dx_diags_count(g->diags), 1);
    check_diag(g, 0, "csv.field-too-long", 2, 2, "65537 bytes");
    assert_int_equal(g->n, 3);
    assert_int_equal(g->rows[1].line, 2);
    assert_int_equal(g->rows[1].damaged, 1);
    assert_int_equal(g->rows[1].n_fields, 3);
    assert_string_equal(g->rows[1].fields[0], "1");
    assert_string_equal(g->rows[1].fields[2], "z");
    check_row(g, 2, 3, 3, 0, 3, "2", "ok", "y");
    got_free(g);

    /* exactly the limit is accepted */
    n = 0;
    n += (size_t)sprintf(text + n, "id,note\n1,");
    memset(text + n, 'b', DX_CSV_MAX_FIELD);
    n += DX_CSV_MAX_FIELD;
    text[n++] = '\n';
    g = read_text(text, n);
    check_clean(g, 2, 0);
    assert_int_equal(g->rows[1].lens[1], DX_CSV_MAX_FIELD);
    assert_int_equal(g->rows[1].damaged, 0);
    got_free(g);
    free(text);
}

static void test_too_many_fields(void **state)
{
    (void)state;
    size_t cap = 4 * (DX_CSV_MAX_FIELDS + 10) + 64;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t n = (size_t)sprintf(text, "h\n");
    for (size_t i = 0; i < DX_CSV_MAX_FIELDS + 1; i++)
        n += (size_t)sprintf(text + n, "%s%zu", i ? "," : "", i % 10);
    n += (size_t)sprintf(text + n, "\n");
    for (size_t i = 0; i < DX_CSV_MAX_FIELDS; i++)
        n += (size_t)sprintf(text + n, "%sx", i ? "," : "");
    n += (size_t)sprintf(text + n, "\nlast\n");
    got *g = read_text(text, n);
    assert_int_equal(g->st, DX_OK);
    assert_int_equal(dx_diags_count(g->diags), 1);
    check_diag(g, 0, "csv.too-many-fields", 2, DX_CSV_MAX_FIELDS + 1, "1025 fields");
    assert_int_equal(g->n, 4);
    assert_int_equal(g->rows[1].line, 2);
    assert_int_equal(g->rows[1].damaged, 1);
    assert_int_equal(g->rows[1].n_fields, DX_CSV_MAX_FIELDS);
    /* exactly the limit is fine */
    assert_int_equal(g->rows[2].line, 3);
    assert_int_equal(g->rows[2].damaged, 0);
    assert_int_equal(g->rows[2].n_fields, DX_CSV_MAX_FIELDS);
    check_row(g, 3, 4, 4, 0, 1, "last");
    got_free(g);
    free(text);
}

/* ---- delimiter ---- */

static void test_tab_delimited(void **state)
{
    (void)state;
    got *g = READ("id\tname\tnote\n1\tSmith, John\t\"a\tb\"\n2\t\tx,y\n");
    check_clean(g, 3, 0);
    check_row(g, 0, 1, 1, 0, 3, "id", "name", "note");
    check_row(g, 1, 2, 2, 0, 3, "1", "Smith, John", "a\tb");
    check_row(g, 2, 3, 3, 0, 3, "2", "", "x,y");
    got_free(g);

    /* more commas than tabs on the first line: commas */
    g = READ("a,b,c\td\n1,2,3\t4\n");
    check_clean(g, 2, 0);
    check_row(g, 0, 1, 1, 0, 3, "a", "b", NULL);
    got_free(g);

    /* commas inside a quoted header cell do not count */
    g = READ("\"a,b,c\"\td\n1\t2\n");
    check_clean(g, 2, 0);
    check_row(g, 0, 1, 1, 0, 2, "a,b,c", "d");
    check_row(g, 1, 2, 2, 0, 2, "1", "2");
    got_free(g);
}

/* ---- decode errors ---- */

static void test_cp932_invalid_byte(void **state)
{
    (void)state;
    /* 個人ID,氏名 / 1,田中 / 2,<FF>鈴木 / 3,佐藤 in CP932, one invalid byte in row 3 field 2 */
    static const unsigned char bytes[] = {
        0x8C, 0xC2, 0x90, 0x6C, 'I', 'D', ',', 0x8E, 0x81, 0x96, 0xBC, '\r', '\n',   /* 0-12 */
        '1', ',', 0x93, 0x63, 0x92, 0x86, '\r', '\n',                                /* 13-20 */
        '2', ',', 0xFF, 0x97, 0xE9, 0x96, 0xD8, '\r', '\n',                          /* 21-29 */
        '3', ',', 0x8D, 0xB2, 0x93, 0xA1, '\r', '\n'};                               /* 30-37 */
    dx_decoded_free(&dec);
    assert_int_equal(dx_decode(bytes, sizeof bytes, DX_ENC_CP932, 0, &dec), DX_OK);
    assert_int_equal(dec.encoding, DX_ENC_CP932);
    assert_int_equal(dec.n_errors, 1);
    assert_int_equal(dec.errors[0].src_offset, 23);
    got *g = read_decoded(&dec);
    assert_int_equal(g->st, DX_OK);
    assert_int_equal(dx_diags_count(g->diags), 1);
    check_diag(g, 0, "encoding.invalid", 3, 2, "byte offset 23 ");
    const dx_diag *diag = dx_diags_get(g->diags, 0);
    assert_non_null(strstr(diag->message, "FF"));
    assert_non_null(strstr(diag->message, "CP932"));
    assert_int_equal(g->n, 4);
    check_row(g, 0, 1, 1, 0, 2, "\xE5\x80\x8B\xE4\xBA\xBA" "ID", "\xE6\xB0\x8F\xE5\x90\x8D");
    check_row(g, 1, 2, 2, 0, 2, "1", "\xE7\x94\xB0\xE4\xB8\xAD");
    check_row(g, 2, 3, 3, 1, 2, "2", "\xEF\xBF\xBD\xE9\x88\xB4\xE6\x9C\xA8");
    check_row(g, 3, 4, 4, 0, 2, "3", "\xE4\xBD\x90\xE8\x97\xA4");
    got_free(g);
    dx_decoded_free(&dec);
}

static void test_decode_errors_columns_and_lines(void **state)
{
    (void)state;
    /* two bad bytes in one row (fields 1 and 3), one in the second line of a quoted field */
    static const char text[] = "a,b,c\n\xFFx,ok,y\xFE\n1,\"p\nq\xFF\",r\nlast,row,!\n";
    dx_decoded_free(&dec);
    assert_int_equal(dx_decode(text, sizeof text - 1, DX_ENC_UTF8, 0, &dec), DX_OK);
    assert_int_equal(dec.n_errors, 3);
    got *g = read_decoded(&dec);
    assert_int_equal(g->st, DX_OK);
    assert_int_equal(dx_diags_count(g->diags), 3);
    check_diag(g, 0, "encoding.invalid", 2, 1, "byte offset 6 ");
    check_diag(g, 1, "encoding.invalid", 2, 3, "byte offset 13 ");
    check_diag(g, 2, "encoding.invalid", 4, 2, "byte offset 21 ");
    assert_int_equal(g->n, 4);
    check_row(g, 0, 1, 1, 0, 3, "a", "b", "c");
    check_row(g, 1, 2, 2, 1, 3, "\xEF\xBF\xBDx", "ok", "y\xEF\xBF\xBD");
    check_row(g, 2, 3, 4, 1, 3, "1", "p\nq\xEF\xBF\xBD", "r");
    check_row(g, 3, 5, 5, 0, 3, "last", "row", "!");
    got_free(g);
    dx_decoded_free(&dec);
}

static void test_decode_error_after_resync(void **state)
{
    (void)state;
    /* a stray quote on line 2 skips the rest of that line; line 3's bad byte is still
     * reported at its own row and column */
    static const char text[] = "a,b\n1,x\"y\xFF\n2,\xFF\n3,ok\n";
    dx_decoded_free(&dec);
    assert_int_equal(dx_decode(text, sizeof text - 1, DX_ENC_UTF8, 0, &dec), DX_OK);
    assert_int_equal(dec.n_errors, 2);
    got *g = read_decoded(&dec);
    assert_int_equal(g->st, DX_OK);
    assert_int_equal(g->n, 4);
    assert_int_equal(g->rows[1].damaged, 1);
    check_row(g, 2, 3, 3, 1, 2, "2", "\xEF\xBF\xBD");
    check_row(g, 3, 4, 4, 0, 2, "3", "ok");
    /* every decode error is reported once, at its own line */
    size_t on_line2 = 0, on_line3 = 0;
    for (size_t i = 0; i < dx_diags_count(g->diags); i++) {
        const dx_diag *x = dx_diags_get(g->diags, i);
        if (strcmp(x->code, "encoding.invalid") != 0)
            continue;
        on_line2 += x->line == 2;
        on_line3 += x->line == 3;
        if (x->line == 3)
            assert_int_equal(x->column, 2);
    }
    assert_int_equal(on_line2, 1);
    assert_int_equal(on_line3, 1);
    got_free(g);
    dx_decoded_free(&dec);
}

static void test_nul_byte(void **state)
{
    (void)state;
    static const char text[] = "a,b\n1,x\0y\n2,z\n";
    dx_decoded_free(&dec);
    assert_int_equal(dx_decode(text, sizeof text - 1, DX_ENC_UTF8, 0, &dec), DX_OK);
    assert_int_equal(dec.n_errors, 1);
    assert_int_equal(dec.errors[0].problem, DX_DECODE_NUL);
    got *g = read_decoded(&dec);
    assert_int_equal(g->st, DX_OK);
    assert_int_equal(dx_diags_count(g->diags), 1);
    check_diag(g, 0, "encoding.nul", 2, 2, "byte offset 7");
    assert_int_equal(g->n, 3);
    check_row(g, 1, 2, 2, 1, 2, "1", "x\xEF\xBF\xBDy");
    check_row(g, 2, 3, 3, 0, 2, "2", "z");
    got_free(g);
    dx_decoded_free(&dec);
}

/* ---- the callback stops the reader ---- */

static void test_callback_stops(void **state)
{
    (void)state;
    static const char text[] = "a\nb\nc\nd\n";
    dx_decoded d = {(char *)text, sizeof text - 1, DX_ENC_UTF8, 0, 0, NULL, 0};
    dx_csv_source src = {.path = "test.csv", .decoded = &d, .libcsv_only = libcsv_only};
    got *g = got_new();
    g->stop_at = 2;
    assert_int_equal(dx_csv_read(&src, g->diags, record_row, g, NULL), DX_ERR_INPUT);
    assert_int_equal(g->n, 2);
    got_free(g);
}

/* ---- allocation failures ---- */

static void sweep(const char *text, size_t len)
{
    dx_decoded_free(&dec);
    assert_int_equal(dx_decode(text, len, DX_ENC_UTF8, 0, &dec), DX_OK);
    /* the reference run */
    got *ref = read_decoded(&dec);
    assert_int_equal(ref->st, DX_OK);
    size_t ref_rows = ref->n, ref_diags = dx_diags_count(ref->diags), ref_blank = ref->blank;
    got_free(ref);

    for (long n = 0;; n++) {
        if (n > 100000)
            fail_msg("no success after %ld allocations", n);
        got *g = got_new();
        dx_csv_source src = {.path = "test.csv", .decoded = &dec, .libcsv_only = libcsv_only};
        dx_alloc_fail_after(n);
        dx_status st = dx_csv_read(&src, g->diags, record_row, g, &g->blank);
        dx_alloc_fail_after(-1);
        if (st == DX_OK) {
            /* success must be the whole result, not a degraded one */
            if (g->n != ref_rows || dx_diags_count(g->diags) != ref_diags || g->blank != ref_blank) {
                const dx_diag *x = dx_diags_get(g->diags, dx_diags_count(g->diags) - 1);
                fail_msg("allocation %ld failed, yet DX_OK with %zu rows, %zu diagnostics "
                         "(last: %s \"%s\"), %zu blank; expected %zu, %zu, %zu",
                         n, g->n, dx_diags_count(g->diags), x ? x->code : "-",
                         x ? x->message : "-", g->blank, ref_rows, ref_diags, ref_blank);
            }
            got_free(g);
            assert_true(n > 0); /* the read allocates, so the sweep has tested something */
            break;
        }
        if (st != DX_ERR_NOMEM)
            fail_msg("allocation %ld failed: status %s, expected DX_ERR_NOMEM", n,
                     dx_status_name(st));
        got_free(g);
    }
    dx_decoded_free(&dec);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    static const char clean[] = "id,name,note\n1,Alice,\"a, b\"\n2,Bob,\"multi\nline\"\n,,\n3,C,x\n";
    sweep(clean, sizeof clean - 1);
}

static void test_alloc_failures_with_errors(void **state)
{
    (void)state;
    /* stray quote, bad byte, unclosed quote: the diagnostics allocate too */
    static const char bad[] = "id,name\n1,O\"Brien\n2,\xFF\n3,\"open\n4,end\n";
    sweep(bad, sizeof bad - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_lf, teardown),
        cmocka_unit_test_teardown(test_crlf, teardown),
        cmocka_unit_test_teardown(test_cr_only, teardown),
        cmocka_unit_test_teardown(test_mixed_line_ends, teardown),
        cmocka_unit_test_teardown(test_no_trailing_newline, teardown),
        cmocka_unit_test_teardown(test_quoted_fields, teardown),
        cmocka_unit_test_teardown(test_quoted_newlines_crlf_and_cr, teardown),
        cmocka_unit_test_teardown(test_blank_rows, teardown),
        cmocka_unit_test_teardown(test_spaces, teardown),
        cmocka_unit_test_teardown(test_unclosed_quote_in_the_middle, teardown),
        cmocka_unit_test_teardown(test_unclosed_quote_end_line, teardown),
        cmocka_unit_test_teardown(test_quote_closed_by_a_later_row, teardown),
        cmocka_unit_test_teardown(test_unclosed_quote_last_row, teardown),
        cmocka_unit_test_teardown(test_stray_quote, teardown),
        cmocka_unit_test_teardown(test_stray_quote_after_multiline_row, teardown),
        cmocka_unit_test_teardown(test_quoting_after_plain_fields, teardown),
        cmocka_unit_test_teardown(test_text_after_quote, teardown),
        cmocka_unit_test_teardown(test_field_too_long, teardown),
        cmocka_unit_test_teardown(test_too_many_fields, teardown),
        cmocka_unit_test_teardown(test_tab_delimited, teardown),
        cmocka_unit_test_teardown(test_cp932_invalid_byte, teardown),
        cmocka_unit_test_teardown(test_decode_errors_columns_and_lines, teardown),
        cmocka_unit_test_teardown(test_decode_error_after_resync, teardown),
        cmocka_unit_test_teardown(test_nul_byte, teardown),
        cmocka_unit_test_teardown(test_callback_stops, teardown),
        cmocka_unit_test_teardown(test_alloc_failures, teardown),
        cmocka_unit_test_teardown(test_alloc_failures_with_errors, teardown),
    };
    int failed = cmocka_run_group_tests_name("csvread", tests, use_fast_path, NULL);
    failed += cmocka_run_group_tests_name("csvread, libcsv only", tests, use_libcsv_only, NULL);
    return failed;
}
