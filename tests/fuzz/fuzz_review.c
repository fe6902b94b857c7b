/*
 * fuzz_review.c — libFuzzer target for the reader of reviewers' disposition files
 * (src/lib/review_read.c): CSV in any encoding, or an audit workbook.
 *
 * Input: the bytes of a disposition file, read with dx_review_read_bytes. Invariants: no crash
 * (the sanitizers), every status DX_OK / DX_ERR_INPUT / DX_ERR_NOMEM, *out set exactly on
 * DX_OK and DX_ERR_INPUT, DX_ERR_INPUT explained by an error diagnostic and DX_OK without one,
 * every diagnostic with a source and a message, the counts consistent (rows kept + rows blank
 * <= rows read), and every row returned as the header promises: a finding id of "F-" and 16
 * lower-case hex digits, a disposition, a reviewer, a calendar date YYYY-MM-DD, a licence for
 * cleared_with_licence, no two rows for one finding.
 *
 * Second mode, as in fuzz_xlsx.c: an input that does not start with "PK" is also read as a
 * list of members "name\0content\0name\0content...", packed into a stored zip (xlsx_pack.h),
 * so that mutations of the sheet XML reach the workbook reader instead of failing the zip's
 * CRC. The seeds in tests/fuzz/corpus/review are of both kinds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dexcheck.h"
#include "review_read.h"
#include "xlsx_pack.h"

static int calendar_date(const char *d)
{
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
            return 0;
    int m = (d[5] - '0') * 10 + (d[6] - '0'), day = (d[8] - '0') * 10 + (d[9] - '0');
    return m >= 1 && m <= 12 && day >= 1 && day <= days[m - 1];
}

static void check_row(const dx_review_row *w)
{
    if (!w || !w->finding_id || strlen(w->finding_id) != 18 ||
        strncmp(w->finding_id, "F-", 2) != 0 ||
        strspn(w->finding_id + 2, "0123456789abcdef") != 16)
        abort();
    if (w->disposition < DX_DISP_TRUE_MATCH || w->disposition > DX_DISP_CLEARED_WITH_LICENCE)
        abort();
    if (!w->reviewer || !w->reviewer[0] || !w->date || !calendar_date(w->date) || w->line == 0)
        abort();
    if (w->disposition == DX_DISP_CLEARED_WITH_LICENCE && (!w->license_id || !w->license_id[0]))
        abort();
    if ((w->license_id && !w->license_id[0]) || (w->note && !w->note[0]))
        abort();
}

static int by_id(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void check_review(const dx_review *r)
{
    size_t n = dx_review_count(r);
    if (n + dx_review_rows_blank(r) > dx_review_rows_read(r) || dx_review_row_at(r, n))
        abort();
    const char **ids = malloc((n + 1) * sizeof *ids);
    if (!ids)
        abort();
    for (size_t i = 0; i < n; i++) {
        check_row(dx_review_row_at(r, i));
        ids[i] = dx_review_row_at(r, i)->finding_id;
    }
    qsort(ids, n, sizeof *ids, by_id);
    for (size_t i = 1; i < n; i++)
        if (strcmp(ids[i - 1], ids[i]) == 0)
            abort();
    free(ids);
}

static void exercise(const uint8_t *data, size_t size)
{
    dx_diags *diags = NULL;
    dx_review *r = NULL;
    if (dx_diags_new(&diags) != DX_OK)
        abort();
    dx_status st = dx_review_read_bytes(data, size, "fuzz", diags, &r);
    size_t errors = dx_diags_count_severity(diags, DX_SEV_ERROR);
    if (st != DX_OK && st != DX_ERR_INPUT && st != DX_ERR_NOMEM)
        abort();
    if ((st == DX_ERR_NOMEM) != (r == NULL))
        abort();
    if ((st == DX_ERR_INPUT && errors == 0) || (st == DX_OK && errors != 0))
        abort();
    for (size_t i = 0; i < dx_diags_count(diags); i++) {
        const dx_diag *d = dx_diags_get(diags, i);
        if (!d->source || !d->code || !d->message || !d->message[0])
            abort();
    }
    if (r)
        check_review(r);
    dx_review_free(r);
    dx_diags_free(diags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exercise(data, size);
    if (size >= 2 && data[0] == 'P' && data[1] == 'K')
        return 0;
    size_t len = 0;
    uint8_t *packed = pack_members(data, size, &len);
    if (packed)
        exercise(packed, len);
    free(packed);
    return 0;
}
