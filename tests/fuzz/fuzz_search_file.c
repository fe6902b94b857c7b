/*
 * fuzz_search_file.c — libFuzzer target for `search --batch FILE` (src/lib/search_file.c):
 * the batch file goes through the records' decoder and CSV reader (any encoding), the header
 * is matched, each row's name, schema, countries, date of birth and identifiers are read, and
 * every row is searched.
 *
 * The index is built once, on first use, from a tiny hand-made UN list (five parties, written
 * here: nothing comes from ../shared/data) imported into a store in a temporary folder, which
 * is removed at exit. Each input is written to a file in that folder and searched on one
 * thread with explanations on (so the scoring and the evidence code run too) at a low
 * threshold.
 *
 * Invariants checked: the status is DX_OK, DX_ERR_INPUT, DX_ERR_ENCODING, DX_ERR_LIMIT or
 * DX_ERR_NOMEM, and DX_ERR_INPUT comes with an error diagnostic; rows arrive in file order
 * (lines strictly increasing, past the header); every query has a non-empty name, at most 8
 * countries of two letters and at most 8 identifiers; a row's result is there exactly when its
 * status is DX_OK; every hit scores within [threshold, 1], names a list entry and carries an
 * explanation.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dexcheck.h"
#include "dexcheck/index.h"

#define THRESHOLD 0.5

static char tmpdir[] = "/tmp/dx-fuzz-search-XXXXXX";
static char batch_path[512];
static dx_store *store;
static dx_index *index_;

static const char UN_LIST[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<CONSOLIDATED_LIST dateGenerated=\"2026-01-01T00:00:00Z\"><INDIVIDUALS>\n"
    "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>Ivan</FIRST_NAME><SECOND_NAME>Petrovich"
    "</SECOND_NAME><THIRD_NAME>SIDOROV</THIRD_NAME><UN_LIST_TYPE>Test</UN_LIST_TYPE>"
    "<REFERENCE_NUMBER>TSi.001</REFERENCE_NUMBER><LISTED_ON>2020-01-01</LISTED_ON>"
    "<NAME_ORIGINAL_SCRIPT>Иван Петрович Сидоров</NAME_ORIGINAL_SCRIPT>"
    "<NATIONALITY><VALUE>Russian Federation</VALUE></NATIONALITY>"
    "<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Vanya Sidorov</ALIAS_NAME>"
    "</INDIVIDUAL_ALIAS><INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE>"
    "<DATE>1965-03-01</DATE></INDIVIDUAL_DATE_OF_BIRTH><INDIVIDUAL_DOCUMENT>"
    "<TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>712345678</NUMBER>"
    "<ISSUING_COUNTRY>Russian Federation</ISSUING_COUNTRY></INDIVIDUAL_DOCUMENT></INDIVIDUAL>\n"
    "<INDIVIDUAL><DATAID>2</DATAID><FIRST_NAME>Abdul</FIRST_NAME><SECOND_NAME>Rahman"
    "</SECOND_NAME><THIRD_NAME>AL-KHALIL</THIRD_NAME><UN_LIST_TYPE>Test</UN_LIST_TYPE>"
    "<REFERENCE_NUMBER>TSi.002</REFERENCE_NUMBER><LISTED_ON>2021-05-05</LISTED_ON>"
    "<NAME_ORIGINAL_SCRIPT>عبد الرحمن الخليل</NAME_ORIGINAL_SCRIPT>"
    "<NATIONALITY><VALUE>Iraq</VALUE></NATIONALITY><INDIVIDUAL_DATE_OF_BIRTH>"
    "<TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1970</FROM_YEAR><TO_YEAR>1972</TO_YEAR>"
    "</INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>\n"
    "<INDIVIDUAL><DATAID>3</DATAID><FIRST_NAME>KIM</FIRST_NAME><SECOND_NAME>Chol Su"
    "</SECOND_NAME><UN_LIST_TYPE>Test</UN_LIST_TYPE><REFERENCE_NUMBER>TSi.003"
    "</REFERENCE_NUMBER><LISTED_ON>2017-08-05</LISTED_ON><NAME_ORIGINAL_SCRIPT>김철수"
    "</NAME_ORIGINAL_SCRIPT><NATIONALITY><VALUE>Democratic People's Republic of Korea"
    "</VALUE></NATIONALITY><INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE>"
    "<YEAR>1980</YEAR></INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>\n"
    "</INDIVIDUALS><ENTITIES>\n"
    "<ENTITY><DATAID>4</DATAID><FIRST_NAME>Raybeam Optronics Co. Ltd.</FIRST_NAME>"
    "<UN_LIST_TYPE>Test</UN_LIST_TYPE><REFERENCE_NUMBER>TSe.001</REFERENCE_NUMBER>"
    "<LISTED_ON>2019-01-01</LISTED_ON><ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>"
    "Raybeam Optical</ALIAS_NAME></ENTITY_ALIAS><ENTITY_ADDRESS><CITY>Shenzhen</CITY>"
    "<COUNTRY>China</COUNTRY></ENTITY_ADDRESS></ENTITY>\n"
    "<ENTITY><DATAID>5</DATAID><FIRST_NAME>Golden Star Trading GmbH</FIRST_NAME>"
    "<UN_LIST_TYPE>Test</UN_LIST_TYPE><REFERENCE_NUMBER>TSe.002</REFERENCE_NUMBER>"
    "<LISTED_ON>2022-02-02</LISTED_ON><ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>"
    "株式会社ゴールデンスター</ALIAS_NAME></ENTITY_ALIAS></ENTITY>\n"
    "</ENTITIES></CONSOLIDATED_LIST>\n";

static void cleanup(void)
{
    dx_index_free(index_);
    dx_store_close(store);
    DIR *d = opendir(tmpdir);
    if (d) {
        char path[512];
        for (struct dirent *de; (de = readdir(d));) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", tmpdir, de->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(tmpdir);
}

static int write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = size ? fwrite(data, 1, size, f) : 0;
    return fclose(f) == 0 && n == size ? 0 : -1;
}

static void setup(void)
{
    if (!mkdtemp(tmpdir))
        abort();
    atexit(cleanup);
    char list[512], db[512];
    snprintf(list, sizeof list, "%s/un.xml", tmpdir);
    snprintf(db, sizeof db, "%s/store.db", tmpdir);
    snprintf(batch_path, sizeof batch_path, "%s/batch.csv", tmpdir);
    if (write_file(list, UN_LIST, sizeof UN_LIST - 1) != 0)
        abort();
    dx_diags *d = NULL;
    dx_import_result *res = NULL;
    size_t n_res = 0;
    const char *paths[] = {list};
    if (dx_diags_new(&d) != DX_OK || dx_store_open(db, d, &store) != DX_OK ||
        dx_store_import(store, paths, 1, NULL, d, &res, &n_res) != DX_OK || n_res != 1 ||
        res[0].status != DX_OK || dx_index_build(store, NULL, 0, d, &index_) != DX_OK) {
        for (size_t i = 0; d && i < dx_diags_count(d); i++)
            fprintf(stderr, "setup: %s\n", dx_diags_get(d, i)->message);
        abort();
    }
    dx_import_results_free(res, n_res);
    dx_diags_free(d);
    unlink(list);
}

typedef struct rows_seen {
    unsigned long last_line;
    size_t rows;
} rows_seen;

static dx_status on_row(void *ctx, unsigned long line, const dx_search_query *q,
                        dx_status status, const dx_search_result *r)
{
    rows_seen *s = ctx;
    if (line < 2 || line <= s->last_line)
        abort();
    s->last_line = line;
    s->rows++;
    if (!q || !q->name || !q->name[0] || q->n_countries > 8 || q->n_identifiers > 8)
        abort();
    for (size_t i = 0; i < q->n_countries; i++)
        if (!q->countries[i] || strlen(q->countries[i]) != 2)
            abort();
    for (size_t i = 0; i < q->n_identifiers; i++)
        if (!q->identifiers[i] || !q->identifiers[i][0])
            abort();
    if (status != DX_OK && status != DX_ERR_ENCODING && status != DX_ERR_LIMIT &&
        status != DX_ERR_INPUT && status != DX_ERR_NOMEM)
        abort();
    if ((status == DX_OK) != (r != NULL))
        abort();
    for (size_t i = 0; r && i < dx_search_result_count(r); i++) {
        const dx_search_hit *h = dx_search_result_hit(r, i);
        if (!h || !(h->score >= THRESHOLD - 1e-9) || h->score > 1.0 + 1e-9 || !h->list_id ||
            !h->entry_id || !h->entry_name || !h->explanation || h->n_sources == 0)
            abort();
    }
    return DX_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!index_)
        setup();
    if (write_file(batch_path, data, size) != 0)
        abort();
    dx_diags *d = NULL;
    if (dx_diags_new(&d) != DX_OK)
        abort();
    dx_search_options o = {THRESHOLD, 0, 0, DX_ALGO_DEFAULT, 1};
    if (size && (data[0] & 1))
        o.algorithm = DX_ALGO_OFAC; /* the first byte is also the file's; its low bit picks */
    rows_seen s = {0, 0};
    dx_status st = dx_index_search_file(index_, batch_path, &o, 1, d, on_row, &s);
    if (st != DX_OK && st != DX_ERR_INPUT && st != DX_ERR_ENCODING && st != DX_ERR_LIMIT &&
        st != DX_ERR_NOMEM)
        abort();
    if (st == DX_ERR_INPUT && dx_diags_count_severity(d, DX_SEV_ERROR) == 0)
        abort();
    dx_diags_free(d);
    return 0;
}
