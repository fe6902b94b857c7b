/*
 * audit.c — the audit trail in the store (dexcheck/audit.h, audit_int.h): recording a run,
 * reading runs and a subject's history back, and the queries and hits a rescreen starts from.
 *
 * Design. A run is recorded in one write transaction (BEGIN IMMEDIATE at dx_audit_begin,
 * COMMIT at dx_audit_commit), so a run killed at any moment leaves the store as it was: SQLite's
 * WAL makes the commit atomic. Inserts go through statements prepared once per run.
 *
 *   - subject: one row per (type, id, content hash). The content hash is the SHA-256 of the
 *     names screened for the subject as stored (subject.queries: role, name, schema,
 *     countries, date of birth, identifiers, project). A subject whose current version has the
 *     same hash is recognised (its last_run moves on); other names make a new version, with its
 *     queries, which becomes the current one. The store keeps each version of what was
 *     screened; `rescreen` takes the current ones.
 *   - result: every result of the run, with the content hash of its list entry for list hits
 *     (so a later run can tell that the entry changed since a reviewer cleared the hit). The
 *     explanation (score detail, rule trace), the legal basis (the rule's, in the rule set
 *     whose hash the run row keeps) and the subject's name (subject table) are not stored:
 *     the run's outputs hold them, and the store would grow by the size of the JSON at every
 *     run. Results are not indexed by finding or subject: random-order index inserts made
 *     recording 300,000 results cost 4 s; review import and history scan instead.
 *   - disposition: appended by review import (review.c); the latest row per finding id wins.
 *     A run loads them all into a hash map at its start.
 *
 * subject.queries: the names screened for the subject, in the format of encode_queries; its
 * lists (countries, identifiers) are joined by U+001F (unit separator), which no country code
 * and no identifier the importers keep contains.
 */
#include "audit_int.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "arena.h"
#include "sha256.h"
#include "store_int.h"
#include "strbuf.h"
#include "strmap.h"

#define SEP "\x1f"

typedef struct audit_list {
    const char *list_id;
    long long version_id;
} audit_list;

struct dx_audit {
    dx_store *store;
    sqlite3 *db;
    const char *run_id;
    int open; /* the transaction is open */
    sqlite3_stmt *ins_result, *find_subject, *touch_subject, *make_current, *ins_subject,
        *entry_hash;
    dx_arena arena;
    dx_strmap disp_ix;              /* finding id → index into disps */
    dx_audit_disposition *disps;
    size_t n_disps, cap_disps;
    audit_list *lists;
    size_t n_lists, cap_lists;
    dx_strbuf buf, buf2;
};

static dx_status db_fail(dx_audit *a)
{
    return dx_store_fail(a->store, "recording the run");
}

static const char *now_text(char out[21])
{
    time_t t = time(NULL);
    struct tm tm;
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    return out;
}

static void bind_text(sqlite3_stmt *q, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, i);
}

static const char *col(sqlite3_stmt *q, int i)
{
    return (const char *)sqlite3_column_text(q, i);
}

static dx_status step_done(dx_audit *a, sqlite3_stmt *q)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_DONE ? DX_OK : db_fail(a);
}

static dx_status prepare(dx_audit *a, sqlite3_stmt **q, const char *sql)
{
    return sqlite3_prepare_v3(a->db, sql, -1, SQLITE_PREPARE_PERSISTENT, q, NULL) == SQLITE_OK
               ? DX_OK : db_fail(a);
}

static char *keep(dx_audit *a, const char *s, int *ok)
{
    if (!s)
        return NULL;
    char *c = dx_arena_strndup(&a->arena, s, strlen(s));
    *ok &= c != NULL;
    return c;
}

static dx_status load_dispositions(dx_audit *a)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(a->db,
                           "SELECT finding_id, disposition, reviewer, review_date, license_id,"
                           " note, entry_hash FROM disposition ORDER BY disposition_id",
                           -1, &q, NULL) != SQLITE_OK)
        return db_fail(a);
    dx_status st = DX_OK;
    int rc;
    while (st == DX_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        dx_disposition d = DX_DISP_NONE;
        if (!col(q, 0) || !col(q, 1) || dx_disposition_parse(col(q, 1), &d) != DX_OK)
            continue; /* written only by review import, which checks; skip what it did not */
        int ok = 1;
        dx_audit_disposition v = {d, keep(a, col(q, 2), &ok), keep(a, col(q, 3), &ok),
                                  keep(a, col(q, 4), &ok), keep(a, col(q, 5), &ok),
                                  keep(a, col(q, 6), &ok)};
        char *id = keep(a, col(q, 0), &ok);
        if (!ok) {
            st = DX_ERR_NOMEM;
            break;
        }
        int inserted;
        size_t at = a->n_disps;
        st = dx_strmap_put(&a->disp_ix, id, at, &inserted, &at);
        if (st != DX_OK)
            break;
        if (inserted) {
            if (dx_grow_array((void **)&a->disps, &a->cap_disps, a->n_disps + 1,
                              sizeof *a->disps)) {
                st = DX_ERR_NOMEM;
                break;
            }
            a->n_disps++;
        }
        a->disps[at] = v; /* a later row replaces an earlier one */
    }
    if (st == DX_OK && rc != SQLITE_DONE)
        st = db_fail(a);
    sqlite3_finalize(q);
    return st;
}

dx_status dx_audit_begin(dx_store *store, const dx_audit_run *run, dx_audit **out)
{
    if (!store || !run || !run->run_id || !run->kind || !run->as_of || !out)
        return DX_ERR_INVALID;
    dx_audit *a = dx_calloc(1, sizeof *a);
    if (!a)
        return DX_ERR_NOMEM;
    *a = (dx_audit){.store = store, .db = dx_store_db(store), .arena = DX_ARENA_INIT,
                    .disp_ix = DX_STRMAP_INIT, .buf = DX_STRBUF_INIT, .buf2 = DX_STRBUF_INIT};
    int ok = 1;
    a->run_id = keep(a, run->run_id, &ok);
    dx_status st = ok ? DX_OK : DX_ERR_NOMEM;
    if (st == DX_OK)
        st = sqlite3_exec(a->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK ? DX_OK
                                                                                   : db_fail(a);
    a->open = st == DX_OK;
    if (st == DX_OK)
        st = load_dispositions(a);
    sqlite3_stmt *q = NULL;
    if (st == DX_OK)
        st = prepare(a, &q, "INSERT INTO run(run_id, kind, as_of, started_at, finished_at, user,"
                            " tool_version, ruleset_hash, options, counts)"
                            " VALUES(?,?,?,?,?,?,?,?,?,'{}')");
    if (st == DX_OK) {
        const char *v[] = {run->run_id, run->kind, run->as_of, run->started_at,
                           run->started_at, run->user, run->tool_version, run->ruleset_hash,
                           run->options};
        for (int i = 0; i < 9; i++)
            bind_text(q, i + 1, v[i]);
        st = step_done(a, q);
    }
    sqlite3_finalize(q);
    if (st == DX_OK)
        st = prepare(a, &a->ins_result,
                     "INSERT INTO result(run_id, finding_id, kind, rule, regime, subject_type,"
                     " subject_id, tech_id, project_id, determination, severity, reason, list,"
                     " entry_id, entry_name, matched_name, score, entry_hash, disposition,"
                     " needs_attention, cleared)"
                     " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (st == DX_OK)
        st = prepare(a, &a->find_subject,
                     "SELECT subject_key, current FROM subject WHERE subject_type = ?1"
                     " AND subject_id = ?2 AND content_hash = ?3");
    if (st == DX_OK)
        st = prepare(a, &a->touch_subject, "UPDATE subject SET last_run = ? WHERE subject_key = ?");
    if (st == DX_OK) /* the version of ?3 becomes the current one */
        st = prepare(a, &a->make_current,
                     "UPDATE subject SET current = (subject_key = ?3), last_run = CASE WHEN"
                     " subject_key = ?3 THEN ?4 ELSE last_run END"
                     " WHERE subject_type = ?1 AND subject_id = ?2 AND (current = 1 OR"
                     " subject_key = ?3)");
    if (st == DX_OK)
        st = prepare(a, &a->ins_subject,
                     "INSERT INTO subject(subject_type, subject_id, name, content_hash, queries,"
                     " first_run, last_run) VALUES(?,?,?,?,?,?,?)");
    if (st == DX_OK)
        st = prepare(a, &a->entry_hash,
                     "SELECT content_hash FROM entry WHERE version_id = ? AND entry_id = ?");
    if (st != DX_OK) {
        dx_audit_free(a);
        return st;
    }
    *out = a;
    return DX_OK;
}

dx_status dx_audit_input(dx_audit *a, const char *file, const char *sha256,
                         unsigned long rows_read, unsigned long rows_accepted,
                         unsigned long rows_rejected)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(a->db, "INSERT INTO run_input VALUES(?,?,?,?,?,?)", -1, &q, NULL) !=
        SQLITE_OK)
        return db_fail(a);
    bind_text(q, 1, a->run_id);
    bind_text(q, 2, file);
    bind_text(q, 3, sha256);
    sqlite3_bind_int64(q, 4, (sqlite3_int64)rows_read);
    sqlite3_bind_int64(q, 5, (sqlite3_int64)rows_accepted);
    sqlite3_bind_int64(q, 6, (sqlite3_int64)rows_rejected);
    dx_status st = step_done(a, q);
    sqlite3_finalize(q);
    return st;
}

dx_status dx_audit_list(dx_audit *a, const char *list_id, long long version_id)
{
    int ok = 1;
    const char *id = keep(a, list_id, &ok);
    if (!ok || dx_grow_array((void **)&a->lists, &a->cap_lists, a->n_lists + 1,
                             sizeof *a->lists))
        return DX_ERR_NOMEM;
    a->lists[a->n_lists++] = (audit_list){id, version_id};
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(a->db, "INSERT OR IGNORE INTO run_list VALUES(?,?)", -1, &q, NULL) !=
        SQLITE_OK)
        return db_fail(a);
    bind_text(q, 1, a->run_id);
    sqlite3_bind_int64(q, 2, version_id);
    dx_status st = step_done(a, q);
    sqlite3_finalize(q);
    return st;
}

static dx_status joined(dx_strbuf *b, const char *const *items, size_t n)
{
    dx_strbuf_reset(b);
    dx_status st = dx_strbuf_append(b, "", 0);
    for (size_t i = 0; st == DX_OK && i < n; i++) {
        if (i)
            st = dx_strbuf_append(b, SEP, 1);
        if (st == DX_OK && items[i])
            st = dx_strbuf_puts(b, items[i]);
    }
    return st;
}

/* The queries of a subject as stored (subject.queries): per query seven fields, each ending
 * in a NUL byte: role, name, schema (a digit), countries (joined by U+001F), date of birth,
 * identifiers (joined by U+001F), project id. Into a->buf. */
static dx_status put_field(dx_strbuf *b, const char *s)
{
    return dx_strbuf_append(b, s ? s : "", (s ? strlen(s) : 0) + 1);
}

static dx_status encode_queries(dx_audit *a, const dx_search_query *qs,
                                const char *const *roles, const char *const *project_ids,
                                size_t n)
{
    dx_strbuf_reset(&a->buf);
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < n; i++) {
        char schema[2] = {(char)('0' + (int)qs[i].schema), 0};
        st = put_field(&a->buf, roles[i]);
        if (st == DX_OK)
            st = put_field(&a->buf, qs[i].name);
        if (st == DX_OK)
            st = put_field(&a->buf, schema);
        if (st == DX_OK)
            st = joined(&a->buf2, qs[i].countries, qs[i].n_countries);
        if (st == DX_OK)
            st = put_field(&a->buf, a->buf2.data);
        if (st == DX_OK)
            st = put_field(&a->buf, qs[i].dob);
        if (st == DX_OK)
            st = joined(&a->buf2, qs[i].identifiers, qs[i].n_identifiers);
        if (st == DX_OK)
            st = put_field(&a->buf, a->buf2.data);
        if (st == DX_OK)
            st = put_field(&a->buf, project_ids[i]);
    }
    return st;
}

dx_status dx_audit_subject(dx_audit *a, const char *type, const char *id, const char *name,
                           const dx_search_query *qs, const char *const *roles,
                           const char *const *project_ids, size_t n, int *changed)
{
    /* the content hash is that of the stored form (encode_queries: every field, each ended by
     * a NUL byte, so no two subjects' names encode alike) */
    dx_status st = encode_queries(a, qs, roles, project_ids, n);
    if (st != DX_OK)
        return st;
    char hex[65];
    dx_sha256_hex(a->buf.data ? a->buf.data : "", a->buf.len, hex);

    bind_text(a->find_subject, 1, type);
    bind_text(a->find_subject, 2, id);
    bind_text(a->find_subject, 3, hex);
    int rc = sqlite3_step(a->find_subject);
    long long key = rc == SQLITE_ROW ? sqlite3_column_int64(a->find_subject, 0) : 0;
    int current = rc == SQLITE_ROW && sqlite3_column_int(a->find_subject, 1);
    sqlite3_reset(a->find_subject);
    sqlite3_clear_bindings(a->find_subject);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(a);
    *changed = !current;
    if (current) { /* screened before with the same names */
        bind_text(a->touch_subject, 1, a->run_id);
        sqlite3_bind_int64(a->touch_subject, 2, key);
        return step_done(a, a->touch_subject);
    }
    if (rc == SQLITE_DONE) { /* a new subject, or new names: a new version with its queries */
        const char *v[] = {type, id, name, hex};
        for (int i = 0; i < 4; i++)
            bind_text(a->ins_subject, i + 1, v[i]);
        sqlite3_bind_blob(a->ins_subject, 5, a->buf.data ? a->buf.data : "", (int)a->buf.len,
                          SQLITE_STATIC);
        bind_text(a->ins_subject, 6, a->run_id);
        bind_text(a->ins_subject, 7, a->run_id);
        st = step_done(a, a->ins_subject);
        key = sqlite3_last_insert_rowid(a->db);
    }
    if (st == DX_OK) { /* the others of the subject are no longer current */
        bind_text(a->make_current, 1, type);
        bind_text(a->make_current, 2, id);
        sqlite3_bind_int64(a->make_current, 3, key);
        bind_text(a->make_current, 4, a->run_id);
        st = step_done(a, a->make_current);
    }
    return st;
}

dx_status dx_audit_result(dx_audit *a, const dx_result *r, const char *entry_hash)
{
    sqlite3_stmt *q = a->ins_result;
    const char *det = r->kind == DX_RESULT_DETERMINATION ? dx_determination_name(r->determination)
                                                         : NULL;
    const char *sev = r->severity != DX_FSEV_NONE ? dx_finding_severity_name(r->severity) : NULL;
    const char *v[] = {a->run_id, r->finding_id, dx_result_kind_name(r->kind), r->rule,
                       r->regime, r->subject_type, r->subject_id, r->tech_id, r->project_id,
                       det, sev, r->reason, r->list, r->entry_id, r->entry_name,
                       r->matched_name};
    for (int i = 0; i < 16; i++)
        bind_text(q, i + 1, v[i]);
    if (r->score >= 0)
        sqlite3_bind_double(q, 17, r->score);
    bind_text(q, 18, entry_hash);
    bind_text(q, 19, dx_disposition_name(r->disposition));
    sqlite3_bind_int(q, 20, r->needs_attention != 0);
    sqlite3_bind_int(q, 21, r->cleared != 0);
    return step_done(a, q);
}

const dx_audit_disposition *dx_audit_disposition_of(const dx_audit *a, const char *finding_id)
{
    size_t at;
    return a && finding_id && dx_strmap_get(&a->disp_ix, finding_id, &at) ? &a->disps[at] : NULL;
}

int dx_audit_entry_hash(dx_audit *a, const char *list_id, const char *entry_id, char out[65])
{
    out[0] = 0;
    if (!list_id || !entry_id)
        return 0;
    for (size_t i = 0; i < a->n_lists; i++) {
        if (strcmp(a->lists[i].list_id, list_id) != 0)
            continue;
        sqlite3_bind_int64(a->entry_hash, 1, a->lists[i].version_id);
        bind_text(a->entry_hash, 2, entry_id);
        int found = 0;
        if (sqlite3_step(a->entry_hash) == SQLITE_ROW && col(a->entry_hash, 0)) {
            snprintf(out, 65, "%s", col(a->entry_hash, 0));
            found = 1;
        }
        sqlite3_reset(a->entry_hash);
        sqlite3_clear_bindings(a->entry_hash);
        if (found)
            return 1;
    }
    return 0;
}

dx_status dx_audit_commit(dx_audit *a, const char *counts_json)
{
    sqlite3_stmt *q;
    char now[21];
    if (sqlite3_prepare_v2(a->db, "UPDATE run SET finished_at = ?, counts = ? WHERE run_id = ?",
                           -1, &q, NULL) != SQLITE_OK)
        return db_fail(a);
    bind_text(q, 1, now_text(now));
    bind_text(q, 2, counts_json ? counts_json : "{}");
    bind_text(q, 3, a->run_id);
    dx_status st = step_done(a, q);
    sqlite3_finalize(q);
    if (st == DX_OK)
        st = sqlite3_exec(a->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? DX_OK : db_fail(a);
    if (st == DX_OK)
        a->open = 0;
    return st;
}

void dx_audit_free(dx_audit *a)
{
    if (!a)
        return;
    sqlite3_stmt *qs[] = {a->ins_result, a->find_subject, a->touch_subject, a->make_current,
                          a->ins_subject, a->entry_hash};
    for (size_t i = 0; i < sizeof qs / sizeof *qs; i++)
        sqlite3_finalize(qs[i]);
    if (a->open)
        sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
    dx_strmap_free(&a->disp_ix);
    dx_free(a->disps);
    dx_free(a->lists);
    dx_strbuf_free(&a->buf);
    dx_strbuf_free(&a->buf2);
    dx_arena_free(&a->arena);
    dx_free(a);
}

/* ---- reading back ---- */

static dx_status store_fail(dx_store *s)
{
    return dx_store_fail(s, "reading the audit trail");
}

dx_status dx_audit_runs(dx_store *store, dx_run_fn fn, void *ctx)
{
    if (!store || !fn)
        return DX_ERR_INVALID;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(dx_store_db(store),
                           "SELECT r.run_id, r.kind, r.as_of, r.started_at, r.finished_at, r.user,"
                           " r.tool_version, r.ruleset_hash, r.options, r.counts,"
                           " (SELECT count(*) FROM run_input i WHERE i.run_id = r.run_id),"
                           " (SELECT count(*) FROM run_list l WHERE l.run_id = r.run_id)"
                           " FROM run r ORDER BY r.started_at, r.rowid",
                           -1, &q, NULL) != SQLITE_OK)
        return store_fail(store);
    dx_status st = DX_OK;
    int rc;
    while (st == DX_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        dx_run_info ri = {col(q, 0), col(q, 1), col(q, 2), col(q, 3), col(q, 4), col(q, 5),
                          col(q, 6), col(q, 7), col(q, 8), col(q, 9),
                          (size_t)sqlite3_column_int64(q, 10),
                          (size_t)sqlite3_column_int64(q, 11)};
        st = fn(ctx, &ri);
    }
    if (st == DX_OK && rc != SQLITE_DONE)
        st = store_fail(store);
    sqlite3_finalize(q);
    return st;
}

dx_status dx_audit_history(dx_store *store, const char *subject_id, dx_history_fn fn, void *ctx)
{
    if (!store || !subject_id || !fn)
        return DX_ERR_INVALID;
    sqlite3 *db = dx_store_db(store);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db,
                           "SELECT r.run_id, u.as_of, r.finding_id, r.kind, r.regime, r.rule,"
                           " r.tech_id, r.determination, r.severity, r.list, r.entry_id, r.reason,"
                           " r.needs_attention, r.cleared, r.disposition"
                           " FROM result r JOIN run u USING(run_id) WHERE r.subject_id = ?"
                           " ORDER BY u.started_at, u.rowid, r.rowid",
                           -1, &q, NULL) != SQLITE_OK)
        return store_fail(store);
    sqlite3_bind_text(q, 1, subject_id, -1, SQLITE_STATIC);
    dx_status st = DX_OK;
    size_t n = 0;
    int rc;
    while (st == DX_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        dx_history_item it = {.run_id = col(q, 0), .as_of = col(q, 1), .finding_id = col(q, 2),
                              .kind = col(q, 3), .regime = col(q, 4), .rule = col(q, 5),
                              .tech_id = col(q, 6), .determination = col(q, 7),
                              .severity = col(q, 8), .list = col(q, 9), .entry_id = col(q, 10),
                              .reason = col(q, 11), .needs_attention = sqlite3_column_int(q, 12),
                              .cleared = sqlite3_column_int(q, 13)};
        n++;
        st = fn(ctx, &it);
    }
    if (st == DX_OK && rc != SQLITE_DONE)
        st = store_fail(store);
    sqlite3_finalize(q);
    if (st != DX_OK)
        return st;
    if (n == 0)
        return DX_ERR_NOT_FOUND;
    if (sqlite3_prepare_v2(db,
                           "SELECT d.finding_id, d.disposition, d.reviewer, d.review_date,"
                           " d.license_id, d.note, d.imported_at,"
                           " d.source_file || ':' || d.source_line FROM disposition d"
                           " WHERE d.finding_id IN (SELECT finding_id FROM result"
                           " WHERE subject_id = ?) ORDER BY d.disposition_id",
                           -1, &q, NULL) != SQLITE_OK)
        return store_fail(store);
    sqlite3_bind_text(q, 1, subject_id, -1, SQLITE_STATIC);
    while (st == DX_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        dx_history_item it = {.finding_id = col(q, 0), .disposition = col(q, 1),
                              .reviewer = col(q, 2), .review_date = col(q, 3),
                              .license_id = col(q, 4), .note = col(q, 5),
                              .imported_at = col(q, 6), .source = col(q, 7)};
        st = fn(ctx, &it);
    }
    if (st == DX_OK && rc != SQLITE_DONE)
        st = store_fail(store);
    sqlite3_finalize(q);
    return st;
}

/* Splits a U+001F-joined list in place into `items` (at most cap). */
static size_t split_list(char *s, const char **items, size_t cap)
{
    size_t n = 0;
    if (!s || !*s)
        return 0;
    for (char *p = s; n < cap;) {
        items[n++] = p;
        char *e = strchr(p, SEP[0]);
        if (!e)
            break;
        *e = 0;
        p = e + 1;
    }
    return n;
}

/* How many items a U+001F-joined list holds. */
static size_t list_count(const char *s)
{
    size_t n = *s ? 1 : 0;
    for (; *s; s++)
        n += *s == SEP[0];
    return n;
}

/* The next NUL-terminated field of a stored query list, or NULL past its end. */
static char *next_field(char **p, const char *end)
{
    if (*p >= end)
        return NULL;
    char *f = *p, *z = memchr(f, '\0', (size_t)(end - f));
    if (!z)
        return NULL;
    *p = z + 1;
    return f;
}

/* One pass over the current subjects (a range of their keys: `part` of `parts`, 1 or 2, so
 * that two connections can read at once), each one's stored queries copied once into the
 * arena and split in place. */
dx_status dx_audit_stored_queries(dx_store *store, int part, int parts, dx_arena *arena,
                                  dx_stored_query **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    sqlite3 *db = dx_store_db(store);
    sqlite3_stmt *q;
    sqlite3_int64 lo = 0, hi = INT64_MAX;
    if (parts == 2) {
        if (sqlite3_prepare_v2(db, "SELECT max(subject_key) FROM subject", -1, &q, NULL) !=
            SQLITE_OK)
            return store_fail(store);
        sqlite3_int64 max_key = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
        sqlite3_finalize(q);
        if (part == 0)
            hi = max_key / 2;
        else
            lo = max_key / 2 + 1;
    }
    if (sqlite3_prepare_v2(db, "SELECT subject_type, subject_id, name, queries FROM subject"
                               " WHERE subject_key BETWEEN ? AND ? AND current = 1"
                               " ORDER BY subject_key", -1, &q, NULL) != SQLITE_OK)
        return store_fail(store);
    sqlite3_bind_int64(q, 1, lo);
    sqlite3_bind_int64(q, 2, hi);
    dx_stored_query *qs = NULL;
    size_t n = 0, cap = 0;
    dx_status st = DX_OK;
    int rc;
    while (st == DX_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *t = col(q, 0), *id = col(q, 1), *name = col(q, 2);
        const void *blob = sqlite3_column_blob(q, 3);
        size_t len = (size_t)sqlite3_column_bytes(q, 3);
        char *type = t ? dx_arena_strndup(arena, t, strlen(t)) : NULL;
        char *sid = id ? dx_arena_strndup(arena, id, strlen(id)) : NULL;
        char *sname = name ? dx_arena_strndup(arena, name, strlen(name)) : NULL;
        char *copy = dx_arena_alloc(arena, len + 1);
        if (!type || !sid || (name && !sname) || !copy) {
            st = DX_ERR_NOMEM;
            break;
        }
        if (len)
            memcpy(copy, blob, len);
        char *p = copy, *end = copy + len;
        for (;;) {
            char *f[7];
            int k = 0;
            while (k < 7 && (f[k] = next_field(&p, end)) != NULL)
                k++;
            if (k < 7) /* the end (a shorter tail is not ours: ignored) */
                break;
            size_t ncc = list_count(f[3]), nid = list_count(f[5]);
            const char **cc = ncc ? dx_arena_alloc(arena, ncc * sizeof *cc) : NULL;
            const char **ids = nid ? dx_arena_alloc(arena, nid * sizeof *ids) : NULL;
            if ((ncc && !cc) || (nid && !ids) ||
                dx_grow_array((void **)&qs, &cap, n + 1, sizeof *qs)) {
                st = DX_ERR_NOMEM;
                break;
            }
            qs[n++] = (dx_stored_query){type, sid, sname, f[0], f[6][0] ? f[6] : NULL,
                                        {f[1], (dx_name_schema)(f[2][0] - '0'), cc,
                                         split_list(f[3], cc, ncc), f[4][0] ? f[4] : NULL, ids,
                                         split_list(f[5], ids, nid)}};
        }
    }
    if (st == DX_OK && rc != SQLITE_DONE)
        st = store_fail(store);
    sqlite3_finalize(q);
    if (st != DX_OK) {
        dx_free(qs);
        return st;
    }
    *out = qs;
    *n_out = n;
    return DX_OK;
}

dx_status dx_audit_last_lists(dx_store *store, char run_id[33],
                              dx_status (*fn)(void *ctx, const char *list_id,
                                              long long version_id),
                              void *ctx, int *found)
{
    sqlite3 *db = dx_store_db(store);
    sqlite3_stmt *q;
    *found = 0;
    run_id[0] = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT run_id FROM run WHERE EXISTS (SELECT 1 FROM run_list l"
                           " WHERE l.run_id = run.run_id) ORDER BY started_at DESC, rowid DESC"
                           " LIMIT 1", -1, &q, NULL) != SQLITE_OK)
        return store_fail(store);
    if (sqlite3_step(q) == SQLITE_ROW && col(q, 0)) {
        snprintf(run_id, 33, "%s", col(q, 0));
        *found = 1;
    }
    sqlite3_finalize(q);
    if (!*found)
        return DX_OK;
    if (sqlite3_prepare_v2(db,
                           "SELECT v.list_id, v.version_id FROM run_list l"
                           " JOIN list_version v USING(version_id) WHERE l.run_id = ?"
                           " ORDER BY v.list_id", -1, &q, NULL) != SQLITE_OK)
        return store_fail(store);
    sqlite3_bind_text(q, 1, run_id, -1, SQLITE_STATIC);
    dx_status st = DX_OK;
    int rc;
    while (st == DX_OK && (rc = sqlite3_step(q)) == SQLITE_ROW)
        st = fn(ctx, col(q, 0), sqlite3_column_int64(q, 1));
    if (st == DX_OK && rc != SQLITE_DONE)
        st = store_fail(store);
    sqlite3_finalize(q);
    return st;
}

dx_status dx_audit_recent_hits(dx_store *store,
                               dx_status (*fn)(void *ctx, const dx_stored_hit *h), void *ctx)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(dx_store_db(store),
                           "SELECT finding_id, rule, subject_type, subject_id, NULL,"
                           " project_id, list, entry_id, entry_name, matched_name, score"
                           " FROM result WHERE entry_id IS NOT NULL AND list IS NOT NULL"
                           " AND rule <> 'LIST-DELISTED' AND run_id IN (SELECT run_id FROM run"
                           " WHERE started_at >= (SELECT coalesce(max(started_at), '')"
                           " FROM run WHERE kind = 'screen'))",
                           -1, &q, NULL) != SQLITE_OK)
        return store_fail(store);
    dx_status st = DX_OK;
    int rc;
    while (st == DX_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        double score = sqlite3_column_type(q, 10) == SQLITE_NULL ? -1
                                                                 : sqlite3_column_double(q, 10);
        dx_stored_hit h = {col(q, 0), col(q, 1), col(q, 2), col(q, 3), col(q, 4), col(q, 5),
                           col(q, 6), col(q, 7), col(q, 8), col(q, 9), score};
        st = fn(ctx, &h);
    }
    if (st == DX_OK && rc != SQLITE_DONE)
        st = store_fail(store);
    sqlite3_finalize(q);
    return st;
}

dx_status dx_audit_subject_name(dx_store *store, const char *type, const char *id, char *out,
                                size_t size)
{
    sqlite3_stmt *q;
    out[0] = 0;
    if (sqlite3_prepare_v2(dx_store_db(store),
                           "SELECT name FROM subject WHERE subject_type = ? AND subject_id = ?"
                           " AND current = 1", -1, &q, NULL) != SQLITE_OK)
        return store_fail(store);
    sqlite3_bind_text(q, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, id, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW && col(q, 0))
        snprintf(out, size, "%s", col(q, 0));
    sqlite3_finalize(q);
    return DX_OK;
}
