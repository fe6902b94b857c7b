/*
 * bench_ingest.c — records ingest throughput: decode + parse + validate, one core.
 *
 * usage: bench_ingest FILE [REPEATS]
 * Reads FILE (a people.csv) into memory once, then times REPEATS runs of the whole ingest
 * (dx_records_read_buffer + dx_records_finish, with detection) and, as the baseline measured
 * in the same run, REPEATS runs of glibc iconv converting the same bytes from CP932 to UTF-8
 * in one call (decoding alone, with no parsing or validation). Prints the best time of each,
 * MB/s, and the ratio.
 */
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dexcheck.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double time_ingest(const char *bytes, size_t len, const dx_countries *countries,
                          size_t *rows)
{
    dx_records_options opt = {DX_ENC_AUTO, 0, countries};
    dx_records *records = NULL;
    dx_diags *diags = NULL;
    if (dx_diags_new(&diags) != DX_OK || dx_records_new(&opt, &records) != DX_OK)
        exit(70);
    double t0 = now();
    if (dx_records_read_buffer(records, DX_REC_PEOPLE, "people.csv", bytes, len, diags) != DX_OK ||
        dx_records_finish(records, diags) != DX_OK)
        exit(70);
    double t = now() - t0;
    dx_records_totals totals = dx_records_totals_get(records);
    if (totals.rows_rejected) {
        fprintf(stderr, "bench: %zu rows rejected; the generator and the reader disagree\n",
                totals.rows_rejected);
        exit(1);
    }
    *rows = totals.rows_accepted;
    dx_records_free(records);
    dx_diags_free(diags);
    return t;
}

static double time_iconv(const char *bytes, size_t len, char *out, size_t out_cap)
{
    iconv_t cd = iconv_open("UTF-8", "CP932");
    if (cd == (iconv_t)-1)
        exit(70);
    char *in = (char *)bytes, *o = out;
    size_t in_left = len, out_left = out_cap;
    double t0 = now();
    if (iconv(cd, &in, &in_left, &o, &out_left) == (size_t)-1)
        exit(70);
    double t = now() - t0;
    iconv_close(cd);
    return t;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    int repeats = argc > 2 ? atoi(argv[2]) : 5;
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        return 3;
    fseek(f, 0, SEEK_END);
    size_t len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *bytes = malloc(len);
    if (!bytes || fread(bytes, 1, len, f) != len)
        return 3;
    fclose(f);
    dx_countries *countries = NULL;
    if (dx_countries_new(&countries) != DX_OK)
        return 70;
    size_t out_cap = len * 3 + 16, rows = 0;
    char *out = malloc(out_cap);
    double best_ingest = 1e9, best_iconv = 1e9;
    for (int i = 0; i < repeats; i++) {
        double t = time_ingest(bytes, len, countries, &rows);
        best_ingest = t < best_ingest ? t : best_ingest;
        t = time_iconv(bytes, len, out, out_cap);
        best_iconv = t < best_iconv ? t : best_iconv;
    }
    double mb = (double)len / 1e6;
    printf("ingest: %s: %.1f MB CP932, %zu rows\n", argv[1], mb, rows);
    printf("  dexcheck decode+parse+validate: %.3f s = %.0f MB/s (%.0f rows/s)\n", best_ingest,
           mb / best_ingest, (double)rows / best_ingest);
    printf("  baseline glibc iconv decode only: %.3f s = %.0f MB/s\n", best_iconv,
           mb / best_iconv);
    printf("  ratio: dexcheck full ingest runs at %.2fx the speed of iconv decoding alone\n",
           best_iconv / best_ingest);
    dx_countries_free(countries);
    free(out);
    free(bytes);
    return 0;
}
