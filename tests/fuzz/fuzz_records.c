/*
 * fuzz_records.c — libFuzzer target for records ingest: encoding detection and decoding, CSV
 * parsing, header matching, typed values and the cross-file checks.
 *
 * Input: byte 0 picks the record file kind, byte 1 the encoding (auto or forced), the rest is
 * the file. A second file (people.csv) is split off at the first "\n--\n" so that cross-file
 * references are exercised too. The invariant checked: counts reconcile.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dexcheck.h"

static dx_countries *countries;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    if (!countries && dx_countries_new(&countries) != DX_OK)
        abort();
    dx_record_kind kind = (dx_record_kind)(data[0] % DX_REC_KIND_COUNT);
    dx_encoding enc = (dx_encoding)(data[1] % (DX_ENC_LATIN1 + 1));
    data += 2;
    size -= 2;
    const uint8_t *second = NULL;
    size_t second_len = 0;
    for (size_t i = 0; i + 4 <= size; i++) {
        if (memcmp(data + i, "\n--\n", 4) == 0) {
            second = data + i + 4;
            second_len = size - i - 4;
            size = i;
            break;
        }
    }
    dx_records_options opt = {enc, 1 << 20, countries};
    dx_records *records = NULL;
    dx_diags *diags = NULL;
    if (dx_diags_new(&diags) != DX_OK || dx_records_new(&opt, &records) != DX_OK)
        abort();
    dx_records_read_buffer(records, kind, "fuzz.csv", data, size, diags);
    if (second && kind != DX_REC_PEOPLE)
        dx_records_read_buffer(records, DX_REC_PEOPLE, "people.csv", second, second_len, diags);
    dx_records_finish(records, diags);
    dx_records_totals t = dx_records_totals_get(records);
    if (t.rows_read != t.rows_accepted + t.rows_rejected)
        abort();
    size_t n_rejected;
    dx_records_rejected(records, &n_rejected);
    if (n_rejected != t.rows_rejected)
        abort();
    dx_records_free(records);
    dx_diags_free(diags);
    return 0;
}
