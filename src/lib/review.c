/*
 * review.c — dx_review_import (dexcheck/audit.h): reviewers' dispositions into the store.
 *
 * Design. The file is read and checked whole first (review_read.c: the workbook's Findings
 * sheets or a CSV; every bad value with its row and column). Then every finding id is looked
 * up among the store's results: an id no run produced is an error at its row. Only a file
 * without any error is recorded, in one transaction, so a reviewer never has half a file in.
 *
 * Each disposition keeps the content hash of the list entry its finding matched in the latest
 * run that produced the finding: a later screen compares it with the entry's hash then, and a
 * false_positive on an entry that has changed since is raised again (screen.c).
 *
 * A reviewed workbook comes back with every Findings row, including those whose disposition was
 * imported before: a row whose disposition, reviewer, date, licence and note equal the latest
 * recorded ones for its finding is counted as unchanged and not recorded again.
 *
 * A false_positive on a result that is not a list hit is recorded with a warning: product.md §5
 * says it clears list hits only, so that result stays open.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "dexcheck/audit.h"
#include "review_read.h"
#include "store_int.h"
#include "strmap.h"

static dx_status db_fail(dx_store *store)
{
    return dx_store_fail(store, "recording the dispositions");
}

static int same_text(const char *a, const char *b)
{
    if (!a || !*a)
        return !b || !*b;
    return b && strcmp(a, b) == 0;
}

static void bind_text(sqlite3_stmt *q, int i, const char *s)
{
    if (s && *s)
        sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, i);
}

/* Where a row is, for diagnostics and the disposition's source. */
static const char *row_source(const char *path, const dx_review_row *row, char *buf, size_t size)
{
    if (row->sheet)
        snprintf(buf, size, "%s (sheet %s)", path, row->sheet);
    else
        snprintf(buf, size, "%s", path);
    return buf;
}

/* Every finding id of the file is one the store has a result for; each row's entry hash (of
 * the latest run that has the finding) and whether the finding is a list hit, into hashes[] /
 * is_hit[]. Results are not indexed by finding id (audit.c), so the ids go into a temporary
 * table and the results are read in one pass. */
static dx_status check_known(dx_store *store, const char *path, const dx_review *rv,
                             dx_diags *diags, char (*hashes)[65], unsigned char *is_hit, int *bad)
{
    sqlite3 *db = dx_store_db(store);
    size_t n = dx_review_count(rv);
    dx_strmap ix = DX_STRMAP_INIT;
    unsigned char *known = dx_calloc(n + 1, 1);
    sqlite3_int64 *seen_row = dx_calloc(n + 1, sizeof *seen_row);
    sqlite3_stmt *ins = NULL, *q = NULL;
    dx_status st = known && seen_row ? DX_OK : DX_ERR_NOMEM;
    if (st == DX_OK &&
        (sqlite3_exec(db, "CREATE TEMP TABLE IF NOT EXISTS dx_review_ids(id TEXT PRIMARY KEY);"
                          "DELETE FROM temp.dx_review_ids;", NULL, NULL, NULL) != SQLITE_OK ||
         sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO temp.dx_review_ids VALUES(?)", -1, &ins,
                            NULL) != SQLITE_OK))
        st = db_fail(store);
    for (size_t i = 0; st == DX_OK && i < n; i++) {
        const dx_review_row *row = dx_review_row_at(rv, i);
        int inserted;
        st = dx_strmap_put(&ix, row->finding_id, i, &inserted, NULL);
        sqlite3_bind_text(ins, 1, row->finding_id, -1, SQLITE_STATIC);
        if (st == DX_OK && sqlite3_step(ins) != SQLITE_DONE)
            st = db_fail(store);
        sqlite3_reset(ins);
    }
    if (st == DX_OK &&
        sqlite3_prepare_v2(db, "SELECT rowid, finding_id, entry_hash, list IS NOT NULL"
                               " FROM result"
                               " WHERE finding_id IN (SELECT id FROM temp.dx_review_ids)",
                           -1, &q, NULL) != SQLITE_OK)
        st = db_fail(store);
    int rc = SQLITE_DONE;
    while (st == DX_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        size_t i;
        const char *id = (const char *)sqlite3_column_text(q, 1);
        if (!id || !dx_strmap_get(&ix, id, &i) || sqlite3_column_int64(q, 0) < seen_row[i])
            continue;
        seen_row[i] = sqlite3_column_int64(q, 0); /* a later run's result wins */
        known[i] = 1;
        const char *h = (const char *)sqlite3_column_text(q, 2);
        snprintf(hashes[i], 65, "%s", h ? h : "");
        is_hit[i] = (unsigned char)sqlite3_column_int(q, 3);
    }
    if (st == DX_OK && rc != SQLITE_DONE)
        st = db_fail(store);
    for (size_t i = 0; st == DX_OK && i < n; i++) {
        const dx_review_row *row = dx_review_row_at(rv, i);
        char where[512];
        row_source(path, row, where, sizeof where);
        if (!known[i]) {
            *bad = 1;
            st = dx_diags_add(diags, DX_SEV_ERROR, where, row->line, 0, "review.unknown-finding",
                              "review the workbook of a run recorded in this store (--db)",
                              "finding %s is not a result of any run in this store",
                              row->finding_id);
        } else if (row->disposition == DX_DISP_FALSE_POSITIVE && !is_hit[i]) {
            st = dx_diags_add(diags, DX_SEV_WARNING, where, row->line, 0, "review.not-a-hit",
                              "false_positive clears list hits only: the result stays open",
                              "finding %s is not a list hit", row->finding_id);
        }
    }
    sqlite3_finalize(ins);
    sqlite3_finalize(q);
    dx_strmap_free(&ix);
    dx_free(known);
    dx_free(seen_row);
    return st;
}

/* Whether the latest recorded disposition of the row's finding says the same. */
static int unchanged(sqlite3_stmt *latest, const dx_review_row *row)
{
    sqlite3_bind_text(latest, 1, row->finding_id, -1, SQLITE_STATIC);
    int same = 0;
    if (sqlite3_step(latest) == SQLITE_ROW) {
        const char *v[5];
        for (int i = 0; i < 5; i++)
            v[i] = (const char *)sqlite3_column_text(latest, i);
        same = same_text(v[0], dx_disposition_name(row->disposition)) &&
               same_text(v[1], row->reviewer) && same_text(v[2], row->date) &&
               same_text(v[3], row->license_id) && same_text(v[4], row->note);
    }
    sqlite3_reset(latest);
    return same;
}

static dx_status record(dx_store *store, const char *path, const dx_review *rv,
                        char (*hashes)[65], dx_review_summary *sum)
{
    sqlite3 *db = dx_store_db(store);
    sqlite3_stmt *ins = NULL, *latest = NULL;
    char now[21];
    time_t t = time(NULL);
    struct tm tm;
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(store);
    dx_status st = DX_OK;
    if (sqlite3_prepare_v2(db, "INSERT INTO disposition(finding_id, disposition, reviewer,"
                               " review_date, license_id, note, entry_hash, imported_at,"
                               " source_file, source_line) VALUES(?,?,?,?,?,?,?,?,?,?)",
                           -1, &ins, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT disposition, reviewer, review_date, license_id, note"
                               " FROM disposition WHERE finding_id = ?"
                               " ORDER BY disposition_id DESC LIMIT 1",
                           -1, &latest, NULL) != SQLITE_OK)
        st = db_fail(store);
    for (size_t i = 0; st == DX_OK && i < dx_review_count(rv); i++) {
        const dx_review_row *row = dx_review_row_at(rv, i);
        if (unchanged(latest, row)) {
            sum->unchanged++;
            continue;
        }
        char where[512];
        bind_text(ins, 1, row->finding_id);
        bind_text(ins, 2, dx_disposition_name(row->disposition));
        bind_text(ins, 3, row->reviewer);
        bind_text(ins, 4, row->date);
        bind_text(ins, 5, row->license_id);
        bind_text(ins, 6, row->note);
        bind_text(ins, 7, hashes[i][0] ? hashes[i] : NULL);
        bind_text(ins, 8, now);
        bind_text(ins, 9, row_source(path, row, where, sizeof where));
        sqlite3_bind_int64(ins, 10, (sqlite3_int64)row->line);
        if (sqlite3_step(ins) != SQLITE_DONE)
            st = db_fail(store);
        sqlite3_reset(ins);
        sqlite3_clear_bindings(ins);
        if (st == DX_OK) {
            sum->imported++;
            size_t kinds = sizeof sum->by_disposition / sizeof *sum->by_disposition;
            if ((unsigned)row->disposition < kinds)
                sum->by_disposition[row->disposition]++;
        }
    }
    sqlite3_finalize(ins);
    sqlite3_finalize(latest);
    if (st == DX_OK && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        st = db_fail(store);
    if (st != DX_OK) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        sum->imported = sum->unchanged = 0;
        memset(sum->by_disposition, 0, sizeof sum->by_disposition);
    }
    return st;
}

dx_status dx_review_import(dx_store *store, const char *path, dx_diags *diags,
                           dx_review_summary *sum)
{
    if (!store || !path || !diags || !sum)
        return DX_ERR_INVALID;
    memset(sum, 0, sizeof *sum);
    dx_review *rv = NULL;
    dx_status st = dx_review_read(path, diags, &rv);
    if (st != DX_OK && st != DX_ERR_INPUT)
        return st;
    int bad = st == DX_ERR_INPUT;
    sum->rows_read = dx_review_rows_read(rv);
    sum->blank = dx_review_rows_blank(rv);
    size_t n = dx_review_count(rv);
    char (*hashes)[65] = dx_calloc(n + 1, sizeof *hashes);
    unsigned char *is_hit = dx_calloc(n + 1, 1);
    st = hashes && is_hit ? DX_OK : DX_ERR_NOMEM;
    if (st == DX_OK)
        st = check_known(store, path, rv, diags, hashes, is_hit, &bad);
    if (st == DX_OK && bad)
        st = DX_ERR_INPUT;
    if (st == DX_OK)
        st = record(store, path, rv, hashes, sum);
    dx_free(hashes);
    dx_free(is_hit);
    dx_review_free(rv);
    return st;
}
