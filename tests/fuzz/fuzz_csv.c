/*
 * fuzz_csv.c — differential libFuzzer target for the CSV reader.
 *
 * The input is read twice: with the fast path (plain and simply quoted fields split directly)
 * and with libcsv alone. Both must deliver the same rows (lines, fields, damage) and the same
 * diagnostics; any difference aborts. Decoding runs too (auto-detected), so decode errors are
 * matched to rows on both paths.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "dexcheck.h"
#include "strbuf.h"

typedef struct transcript {
    dx_strbuf text;
} transcript;

static dx_status record_row(void *ctx, const dx_csv_row *row)
{
    transcript *t = ctx;
    dx_status st = dx_strbuf_printf(&t->text, "row %lu-%lu %zu %d:", row->line, row->end_line,
                                    row->n_fields, row->damaged);
    for (size_t i = 0; i < row->n_fields && st == DX_OK; i++) {
        st = dx_strbuf_printf(&t->text, "[%zu]", row->lens[i]);
        if (st == DX_OK)
            st = dx_strbuf_append(&t->text, row->fields[i], row->lens[i]);
    }
    return st == DX_OK ? dx_strbuf_putc(&t->text, '\n') : st;
}

static void run(const dx_decoded *d, int libcsv_only, transcript *t)
{
    dx_diags *diags = NULL;
    if (dx_diags_new(&diags) != DX_OK)
        abort();
    dx_csv_source src = {"fuzz.csv", d, libcsv_only};
    size_t blank = 0;
    if (dx_csv_read(&src, diags, record_row, t, &blank) != DX_OK)
        abort();
    dx_strbuf_printf(&t->text, "blank %zu\n", blank);
    for (size_t i = 0; i < dx_diags_count(diags); i++) {
        const dx_diag *g = dx_diags_get(diags, i);
        dx_strbuf_printf(&t->text, "%lu:%lu %s\n", g->line, g->column, g->code);
    }
    dx_diags_free(diags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dx_decoded d = {0};
    if (dx_decode(data, size, DX_ENC_AUTO, 0, &d) != DX_OK)
        return 0;
    transcript fast = {DX_STRBUF_INIT}, reference = {DX_STRBUF_INIT};
    run(&d, 0, &fast);
    run(&d, 1, &reference);
    if (fast.text.len != reference.text.len ||
        memcmp(fast.text.data, reference.text.data, fast.text.len) != 0)
        abort(); /* the fast path and libcsv disagree */
    dx_strbuf_free(&fast.text);
    dx_strbuf_free(&reference.text);
    dx_decoded_free(&d);
    return 0;
}
