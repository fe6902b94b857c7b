/*
 * store.c — the SQLite store (dexcheck/store.h).
 *
 * Schema (PRAGMA user_version = 2; a store of an older version is migrated step by step when
 * it is opened, each step in its own transaction). Version 1, the lists:
 *   list_version(version_id, list_id, format, sha256, files, publication_date, imported_at,
 *                entry_count, name_count, meta)    one row per imported publication; meta =
 *                JSON of the publication's data that belongs to no entry
 *   source_file(version_id, file_name, sha256, bytes)               its files, for provenance
 *   entry(entry_rowid, version_id, entry_id, kind, name, concern_types, remarks, source_url,
 *         start_date, content_hash, raw)                            one row per listed party
 *   entry_name(entry_rowid, kind, name), entry_fact(entry_rowid, type, value, country)
 * (list_id, sha256) is unique, so importing the same files again is recognised and changes
 * nothing; (version_id, entry_id) is unique, so a list that repeats an id is an import error.
 * content_hash is the SHA-256 of an entry's screened fields (kind, names, facts, concern
 * types) in a sorted canonical form: `lists diff` and rescreening compare it.
 *
 * Version 2 adds the audit trail (written and read by audit.c; docs/audit.md):
 *   run(run_id, kind, as_of, started_at, finished_at, user, tool_version, ruleset_hash,
 *       options, counts)                                   one row per screen or rescreen
 *   run_input(run_id, file_name, sha256, rows_read, rows_accepted, rows_rejected)
 *   run_list(run_id, version_id)                           the list versions it screened against
 *   subject(subject_key, subject_type, subject_id, name, content_hash, queries, first_run,
 *           last_run, current)
 *                                  current = 1 on the version last screened, one per subject
 *                                  queries: the names screened for it (audit.c's format)
 *   result(run_id, finding_id, kind, rule, regime, subject, tech, determination, severity,
 *          reason, list hit, entry_hash, disposition, needs_attention, cleared)
 *                                  every result of every run, in output order (rowid); only
 *                                  list hits are indexed (rescreen), so that recording 300,000
 *                                  results costs no random-order index inserts
 *   disposition(disposition_id, finding_id, disposition, reviewer, review_date, license_id,
 *               note, entry_hash, imported_at, source_file, source_line)
 *
 * The file is created 0600 before SQLite opens it (WAL and journal files take its mode),
 * because the store will hold personal data. WAL mode: readers are never blocked by an import,
 * and a killed import leaves the last committed state.
 */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "arena.h"
#include "sha256.h"
#include "strbuf.h"

#define SCHEMA_VERSION 2

struct dx_store {
    sqlite3 *db;
    char *path;
    dx_diags *diags;
    sqlite3_stmt *ins_entry, *ins_name, *ins_fact;
};

static const char SCHEMA_V1[] =
    "CREATE TABLE list_version("
    " version_id INTEGER PRIMARY KEY, list_id TEXT NOT NULL, format TEXT NOT NULL,"
    " sha256 TEXT NOT NULL, files TEXT NOT NULL, publication_date TEXT,"
    " imported_at TEXT NOT NULL, entry_count INTEGER NOT NULL DEFAULT 0,"
    " name_count INTEGER NOT NULL DEFAULT 0, meta TEXT, UNIQUE(list_id, sha256));"
    "CREATE TABLE source_file("
    " version_id INTEGER NOT NULL REFERENCES list_version ON DELETE CASCADE,"
    " file_name TEXT NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL);"
    "CREATE TABLE entry("
    " entry_rowid INTEGER PRIMARY KEY,"
    " version_id INTEGER NOT NULL REFERENCES list_version ON DELETE CASCADE,"
    " entry_id TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,"
    " concern_types INTEGER NOT NULL DEFAULT 0, remarks TEXT, source_url TEXT, start_date TEXT,"
    " content_hash TEXT NOT NULL, raw TEXT NOT NULL, UNIQUE(version_id, entry_id));"
    "CREATE TABLE entry_name("
    " entry_rowid INTEGER NOT NULL REFERENCES entry ON DELETE CASCADE,"
    " kind TEXT NOT NULL, name TEXT NOT NULL);"
    "CREATE TABLE entry_fact("
    " entry_rowid INTEGER NOT NULL REFERENCES entry ON DELETE CASCADE,"
    " type TEXT NOT NULL, value TEXT NOT NULL, country TEXT NOT NULL);"
    "CREATE INDEX entry_name_of ON entry_name(entry_rowid);"
    "CREATE INDEX entry_fact_of ON entry_fact(entry_rowid);"
    "PRAGMA user_version = 1;";

/* Version 1 → 2: the audit trail. */
static const char SCHEMA_V2[] =
    "CREATE TABLE run("
    " run_id TEXT PRIMARY KEY, kind TEXT NOT NULL, as_of TEXT NOT NULL,"
    " started_at TEXT NOT NULL, finished_at TEXT NOT NULL, user TEXT, tool_version TEXT NOT NULL,"
    " ruleset_hash TEXT, options TEXT, counts TEXT NOT NULL);"
    "CREATE TABLE run_input("
    " run_id TEXT NOT NULL REFERENCES run ON DELETE CASCADE, file_name TEXT NOT NULL,"
    " sha256 TEXT, rows_read INTEGER, rows_accepted INTEGER, rows_rejected INTEGER);"
    "CREATE TABLE run_list("
    " run_id TEXT NOT NULL REFERENCES run ON DELETE CASCADE,"
    " version_id INTEGER NOT NULL REFERENCES list_version, PRIMARY KEY(run_id, version_id));"
    "CREATE TABLE subject("
    " subject_key INTEGER PRIMARY KEY, subject_type TEXT NOT NULL, subject_id TEXT NOT NULL,"
    " name TEXT, content_hash TEXT NOT NULL, queries BLOB NOT NULL, first_run TEXT NOT NULL,"
    " last_run TEXT NOT NULL, current INTEGER NOT NULL DEFAULT 1,"
    " UNIQUE(subject_type, subject_id, content_hash));"
    "CREATE TABLE result("
    " run_id TEXT NOT NULL REFERENCES run ON DELETE CASCADE, finding_id TEXT NOT NULL,"
    " kind TEXT NOT NULL, rule TEXT, regime TEXT, subject_type TEXT, subject_id TEXT,"
    " tech_id TEXT, project_id TEXT, determination TEXT, severity TEXT, reason TEXT, list TEXT,"
    " entry_id TEXT, entry_name TEXT, matched_name TEXT, score REAL, entry_hash TEXT,"
    " disposition TEXT, needs_attention INTEGER NOT NULL, cleared INTEGER NOT NULL);"
    "CREATE INDEX result_list_hit ON result(run_id, finding_id) WHERE entry_id IS NOT NULL;"
    "CREATE TABLE disposition("
    " disposition_id INTEGER PRIMARY KEY, finding_id TEXT NOT NULL, disposition TEXT NOT NULL,"
    " reviewer TEXT NOT NULL, review_date TEXT NOT NULL, license_id TEXT, note TEXT,"
    " entry_hash TEXT, imported_at TEXT NOT NULL, source_file TEXT NOT NULL,"
    " source_line INTEGER NOT NULL);"
    "CREATE INDEX disposition_finding ON disposition(finding_id);"
    "PRAGMA user_version = 2;";

/* The steps from version i to i + 1 (index i - 1 migrates from i); version 0 creates v1. */
static const char *const MIGRATIONS[] = {SCHEMA_V1, SCHEMA_V2};

static dx_status db_error(dx_store *s, const char *what)
{
    int code = sqlite3_errcode(s->db);
    dx_status st = dx_diags_add(s->diags, DX_SEV_ERROR, s->path, 0, 0, "store.sqlite", NULL,
                                "%s: %s", what, sqlite3_errmsg(s->db));
    if (st != DX_OK)
        return st;
    return code == SQLITE_NOMEM ? DX_ERR_NOMEM : DX_ERR_IO;
}

static dx_status exec(dx_store *s, const char *sql, const char *what)
{
    return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? DX_OK : db_error(s, what);
}

/* Create the file owner-only when it does not exist yet. */
static dx_status create_private(const char *path, dx_diags *diags)
{
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        close(fd);
        return DX_OK;
    }
    if (errno == EEXIST)
        return DX_OK;
    dx_status st = dx_diags_add(diags, DX_SEV_ERROR, path, 0, 0, "store.open", NULL,
                                "cannot create the store: %s", strerror(errno));
    return st != DX_OK ? st : DX_ERR_IO;
}

static dx_status migrate(dx_store *s)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK)
        return db_error(s, "reading the schema version");
    int version = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : -1;
    sqlite3_finalize(q);
    if (version == SCHEMA_VERSION)
        return DX_OK;
    if (version > SCHEMA_VERSION || version < 0) {
        dx_status st = dx_diags_add(s->diags, DX_SEV_ERROR, s->path, 0, 0, "store.version",
                                    "use a newer dexcheck, or another --db",
                                    "the store has schema version %d; this dexcheck knows "
                                    "versions up to %d", version, SCHEMA_VERSION);
        return st != DX_OK ? st : DX_ERR_IO;
    }
    if (version == 0) { /* a new file, or not a dexcheck store (which has tables of its own) */
        if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master", -1, &q, NULL) !=
            SQLITE_OK)
            return db_error(s, "reading the store");
        int tables = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : -1;
        sqlite3_finalize(q);
        if (tables != 0) {
            dx_status st = dx_diags_add(s->diags, DX_SEV_ERROR, s->path, 0, 0, "store.foreign",
                                        NULL, "this SQLite file is not a dexcheck store");
            return st != DX_OK ? st : DX_ERR_IO;
        }
    }
    for (int v = version; v < SCHEMA_VERSION; v++) {
        dx_status st = exec(s, "BEGIN IMMEDIATE", "migrating the schema");
        if (st == DX_OK)
            st = exec(s, MIGRATIONS[v], "migrating the schema");
        if (st == DX_OK)
            st = exec(s, "COMMIT", "migrating the schema");
        if (st != DX_OK) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return st;
        }
    }
    return DX_OK;
}

dx_status dx_store_fail(dx_store *s, const char *what)
{
    return db_error(s, what);
}

sqlite3 *dx_store_db(dx_store *s)
{
    return s->db;
}

const char *dx_store_path(const dx_store *s)
{
    return s->path;
}

static dx_status prepare(dx_store *s)
{
    static const char *sql[3] = {
        ("INSERT INTO entry(version_id, entry_id, kind, name, concern_types, remarks,"
         " source_url, start_date, content_hash, raw) VALUES(?,?,?,?,?,?,?,?,?,?)"),
        "INSERT INTO entry_name(entry_rowid, kind, name) VALUES(?,?,?)",
        "INSERT INTO entry_fact(entry_rowid, type, value, country) VALUES(?,?,?,?)"};
    sqlite3_stmt **out[3] = {&s->ins_entry, &s->ins_name, &s->ins_fact};
    for (int i = 0; i < 3; i++) {
        if (sqlite3_prepare_v3(s->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, out[i], NULL) !=
            SQLITE_OK)
            return db_error(s, "preparing statements");
    }
    return DX_OK;
}

dx_status dx_store_open(const char *path, dx_diags *diags, dx_store **out)
{
    if (!path || !diags || !out)
        return DX_ERR_INVALID;
    dx_status st = create_private(path, diags);
    if (st != DX_OK)
        return st;
    dx_store *s = dx_calloc(1, sizeof *s);
    if (!s || !(s->path = dx_strdup(path))) {
        dx_free(s);
        return DX_ERR_NOMEM;
    }
    s->diags = diags;
    int rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
    if (rc != SQLITE_OK) {
        st = s->db ? db_error(s, "cannot open the store") : DX_ERR_NOMEM;
        dx_store_close(s);
        return st == DX_ERR_NOMEM ? st : DX_ERR_IO;
    }
    sqlite3_busy_timeout(s->db, 5000);
    /* A page cache of 64 MB: screening reads the whole of the lists and, for a rescreen,
     * every stored subject. */
    st = exec(s, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
                 " PRAGMA cache_size=-65536;",
              "setting up the store");
    if (st == DX_OK)
        st = migrate(s);
    if (st == DX_OK)
        st = prepare(s);
    if (st != DX_OK) {
        dx_store_close(s);
        return st == DX_ERR_NOMEM ? st : DX_ERR_IO;
    }
    *out = s;
    return DX_OK;
}

void dx_store_close(dx_store *s)
{
    if (!s)
        return;
    sqlite3_finalize(s->ins_entry);
    sqlite3_finalize(s->ins_name);
    sqlite3_finalize(s->ins_fact);
    sqlite3_close(s->db);
    dx_free(s->path);
    dx_free(s);
}

/* ---- writing a version ---- */

static void utc_now(char out[21])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

dx_status dx_store_begin_version(dx_store *s, const char *list_id, const char *format,
                                 const char *sha256, const char *files, long long *version_id,
                                 int *already, long long *existing_id)
{
    *already = 0;
    dx_status st = exec(s, "BEGIN IMMEDIATE", "starting the import");
    if (st != DX_OK)
        return st;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT version_id FROM list_version WHERE list_id=? AND sha256=?",
                           -1, &q, NULL) != SQLITE_OK)
        st = db_error(s, "reading the store");
    if (st == DX_OK) {
        sqlite3_bind_text(q, 1, list_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, sha256, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW) {
            *already = 1;
            *existing_id = sqlite3_column_int64(q, 0);
        }
    }
    sqlite3_finalize(q);
    if (st != DX_OK || *already) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return st;
    }
    char now[21];
    utc_now(now);
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO list_version(list_id, format, sha256, files, imported_at)"
                           " VALUES(?,?,?,?,?)", -1, &q, NULL) != SQLITE_OK)
        st = db_error(s, "recording the version");
    if (st == DX_OK) {
        sqlite3_bind_text(q, 1, list_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, format, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, sha256, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, files, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 5, now, -1, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE)
            st = db_error(s, "recording the version");
    }
    sqlite3_finalize(q);
    if (st != DX_OK) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return st;
    }
    *version_id = sqlite3_last_insert_rowid(s->db);
    return DX_OK;
}

dx_status dx_store_add_source_file(dx_store *s, long long version_id, const char *name,
                                   const char *sha256, size_t bytes)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, "INSERT INTO source_file VALUES(?,?,?,?)", -1, &q, NULL) !=
        SQLITE_OK)
        return db_error(s, "recording a source file");
    sqlite3_bind_int64(q, 1, version_id);
    sqlite3_bind_text(q, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 4, (sqlite3_int64)bytes);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? DX_OK : db_error(s, "recording a source file");
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* SHA-256 of the screened fields, in a sorted canonical form (list order does not count). */
static dx_status content_hash(const dx_entry *e, char hex[65])
{
    size_t n = e->n_names + e->n_facts;
    char **items = dx_calloc(n + 1, sizeof *items);
    dx_strbuf b = DX_STRBUF_INIT;
    dx_status st = items ? DX_OK : DX_ERR_NOMEM;
    for (size_t i = 0; i < n && st == DX_OK; i++) {
        dx_strbuf_reset(&b);
        if (i < e->n_names)
            st = dx_strbuf_printf(&b, "n\x1f%s\x1f%s", dx_name_kind_name(e->names[i].kind),
                                  e->names[i].text);
        else {
            const dx_entry_fact *f = &e->facts[i - e->n_names];
            st = dx_strbuf_printf(&b, "f\x1f%s\x1f%s\x1f%s", f->type, f->value, f->country);
        }
        if (st == DX_OK && !(items[i] = dx_strdup(b.data)))
            st = DX_ERR_NOMEM;
    }
    if (st == DX_OK) {
        qsort(items, n, sizeof *items, compare_strings);
        dx_sha256 h;
        unsigned char digest[32];
        dx_sha256_init(&h);
        dx_strbuf_reset(&b);
        st = dx_strbuf_printf(&b, "k\037%s\036c\037%u\036", dx_entry_kind_name(e->kind),
                              e->concern_types);
        dx_sha256_update(&h, b.data, b.len);
        for (size_t i = 0; i < n && st == DX_OK; i++) {
            dx_sha256_update(&h, items[i], strlen(items[i]));
            dx_sha256_update(&h, "\x1e", 1);
        }
        dx_sha256_final(&h, digest);
        dx_sha256_to_hex(digest, hex);
    }
    for (size_t i = 0; items && i < n; i++)
        dx_free(items[i]);
    dx_free(items);
    dx_strbuf_free(&b);
    return st;
}

static void bind_opt(sqlite3_stmt *q, int i, const char *text)
{
    if (text)
        sqlite3_bind_text(q, i, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, i);
}

static dx_status insert_names_facts(dx_store *s, sqlite3_int64 row, const dx_entry *e)
{
    for (size_t i = 0; i < e->n_names; i++) {
        sqlite3_reset(s->ins_name);
        sqlite3_bind_int64(s->ins_name, 1, row);
        sqlite3_bind_text(s->ins_name, 2, dx_name_kind_name(e->names[i].kind), -1, SQLITE_STATIC);
        sqlite3_bind_text(s->ins_name, 3, e->names[i].text, -1, SQLITE_STATIC);
        if (sqlite3_step(s->ins_name) != SQLITE_DONE)
            return db_error(s, "storing a name");
    }
    for (size_t i = 0; i < e->n_facts; i++) {
        sqlite3_reset(s->ins_fact);
        sqlite3_bind_int64(s->ins_fact, 1, row);
        sqlite3_bind_text(s->ins_fact, 2, e->facts[i].type, -1, SQLITE_STATIC);
        sqlite3_bind_text(s->ins_fact, 3, e->facts[i].value, -1, SQLITE_STATIC);
        sqlite3_bind_text(s->ins_fact, 4, e->facts[i].country, -1, SQLITE_STATIC);
        if (sqlite3_step(s->ins_fact) != SQLITE_DONE)
            return db_error(s, "storing a fact");
    }
    return DX_OK;
}

dx_status dx_store_add_entry(dx_store *s, long long version_id, const dx_entry *e,
                             dx_diags *diags, const char *source)
{
    char hash[65];
    dx_status st = content_hash(e, hash);
    if (st != DX_OK)
        return st;
    sqlite3_stmt *q = s->ins_entry;
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, version_id);
    sqlite3_bind_text(q, 2, e->entry_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, dx_entry_kind_name(e->kind), -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, e->name, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 5, (int)e->concern_types);
    bind_opt(q, 6, e->remarks);
    bind_opt(q, 7, e->source_url);
    bind_opt(q, 8, e->start_date);
    sqlite3_bind_text(q, 9, hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 10, e->raw ? e->raw : "{}", -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_CONSTRAINT) {
        st = dx_diags_add(diags, DX_SEV_ERROR, source, 0, 0, "lists.duplicate-id",
                          "every entry of a list has its own id",
                          "entry id '%s' appears twice (%s)", e->entry_id, e->name);
        return st != DX_OK ? st : DX_ERR_INPUT;
    }
    if (rc != SQLITE_DONE)
        return db_error(s, "storing an entry");
    return insert_names_facts(s, sqlite3_last_insert_rowid(s->db), e);
}

dx_status dx_store_commit_version(dx_store *s, long long version_id, const char *publication_date,
                                  size_t entries, size_t names, const char *meta)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db,
                           "UPDATE list_version SET publication_date=?, entry_count=?,"
                           " name_count=?, meta=? WHERE version_id=?", -1, &q, NULL) != SQLITE_OK)
        return db_error(s, "finishing the import");
    bind_opt(q, 1, publication_date && publication_date[0] ? publication_date : NULL);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)entries);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)names);
    bind_opt(q, 4, meta);
    sqlite3_bind_int64(q, 5, version_id);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return db_error(s, "finishing the import");
    return exec(s, "COMMIT", "committing the import");
}

void dx_store_rollback_version(dx_store *s)
{
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

dx_status dx_store_version_counts(dx_store *s, long long version_id, size_t *entries,
                                  size_t *names, char publication_date[11])
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT entry_count, name_count, coalesce(publication_date,'')"
                           " FROM list_version WHERE version_id=?", -1, &q, NULL) != SQLITE_OK)
        return db_error(s, "reading the store");
    sqlite3_bind_int64(q, 1, version_id);
    dx_status st = DX_ERR_NOT_FOUND;
    if (sqlite3_step(q) == SQLITE_ROW) {
        *entries = (size_t)sqlite3_column_int64(q, 0);
        *names = (size_t)sqlite3_column_int64(q, 1);
        snprintf(publication_date, 11, "%s", (const char *)sqlite3_column_text(q, 2));
        st = DX_OK;
    }
    sqlite3_finalize(q);
    return st;
}

/* ---- reading ---- */

/* The newest version of each list: latest publication date, then latest import. */
#define NEWEST_SQL                                                                             \
    "(SELECT v2.version_id FROM list_version v2 WHERE v2.list_id = v.list_id"                  \
    " ORDER BY coalesce(v2.publication_date, '') DESC, v2.version_id DESC LIMIT 1)"

static const char *col_text(sqlite3_stmt *q, int i)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    return t ? (const char *)t : NULL;
}

dx_status dx_store_list_versions(dx_store *s, const char *list_id, dx_list_version_fn fn,
                                 void *ctx)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT v.version_id, v.list_id, v.format, v.files, v.sha256,"
                           " v.publication_date, v.imported_at, v.entry_count, v.name_count,"
                           " v.version_id = " NEWEST_SQL ", v.meta FROM list_version v"
                           " WHERE ?1 IS NULL OR v.list_id = ?1"
                           " ORDER BY v.list_id, coalesce(v.publication_date, ''), v.version_id",
                           -1, &q, NULL) != SQLITE_OK)
        return db_error(s, "reading the list versions");
    bind_opt(q, 1, list_id);
    dx_status st = DX_OK;
    int rc;
    while (st == DX_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        dx_list_version v = {sqlite3_column_int64(q, 0), col_text(q, 1), col_text(q, 2),
                             col_text(q, 3), col_text(q, 4), col_text(q, 5), col_text(q, 6),
                             (size_t)sqlite3_column_int64(q, 7),
                             (size_t)sqlite3_column_int64(q, 8), sqlite3_column_int(q, 9),
                             col_text(q, 10)};
        st = fn(ctx, &v);
    }
    if (st == DX_OK && rc != SQLITE_DONE)
        st = db_error(s, "reading the list versions");
    sqlite3_finalize(q);
    return st;
}

/* The two newest versions of a list (old, new) when not given. */
static dx_status pick_versions(dx_store *s, const char *list_id, long long *old_id,
                               long long *new_id)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT version_id FROM list_version WHERE list_id=?"
                           " ORDER BY coalesce(publication_date, '') DESC, version_id DESC"
                           " LIMIT 2", -1, &q, NULL) != SQLITE_OK)
        return db_error(s, "reading the list versions");
    sqlite3_bind_text(q, 1, list_id, -1, SQLITE_STATIC);
    long long ids[2] = {0, 0};
    int n = 0;
    while (n < 2 && sqlite3_step(q) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    if (n < 2)
        return DX_ERR_NOT_FOUND;
    *new_id = ids[0];
    *old_id = ids[1];
    return DX_OK;
}

static int version_of_list(dx_store *s, const char *list_id, long long id)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM list_version WHERE list_id=? AND version_id=?",
                           -1, &q, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(q, 1, list_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, id);
    int found = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    return found;
}

dx_status dx_store_diff(dx_store *s, const char *list_id, long long old_id, long long new_id,
                        dx_diff_fn fn, void *ctx, long long *used_old, long long *used_new)
{
    dx_status st = DX_OK;
    if (!old_id && !new_id)
        st = pick_versions(s, list_id, &old_id, &new_id);
    else if (!version_of_list(s, list_id, old_id) || !version_of_list(s, list_id, new_id))
        st = DX_ERR_NOT_FOUND;
    if (st != DX_OK)
        return st;
    *used_old = old_id;
    *used_new = new_id;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT 1, n.entry_id, n.name FROM entry n WHERE n.version_id=?2 AND"
                           " NOT EXISTS (SELECT 1 FROM entry o WHERE o.version_id=?1"
                           "  AND o.entry_id=n.entry_id)"
                           " UNION ALL SELECT 2, o.entry_id, o.name FROM entry o"
                           " WHERE o.version_id=?1 AND NOT EXISTS (SELECT 1 FROM entry n"
                           "  WHERE n.version_id=?2 AND n.entry_id=o.entry_id)"
                           " UNION ALL SELECT 3, n.entry_id, n.name FROM entry n JOIN entry o"
                           "  ON o.version_id=?1 AND o.entry_id=n.entry_id"
                           " WHERE n.version_id=?2 AND n.content_hash <> o.content_hash"
                           " ORDER BY 1, 2", -1, &q, NULL) != SQLITE_OK)
        return db_error(s, "comparing versions");
    sqlite3_bind_int64(q, 1, old_id);
    sqlite3_bind_int64(q, 2, new_id);
    int rc;
    while (st == DX_OK && (rc = sqlite3_step(q)) == SQLITE_ROW)
        st = fn(ctx, (dx_change)sqlite3_column_int(q, 0), col_text(q, 1), col_text(q, 2));
    if (st == DX_OK && rc != SQLITE_DONE)
        st = db_error(s, "comparing versions");
    sqlite3_finalize(q);
    return st;
}

/* The enum of a stored kind word (the inverse of dx_entry_kind_name / dx_name_kind_name). */
static dx_entry_kind entry_kind_of(const char *word)
{
    for (int k = DX_ENTRY_PERSON; k <= DX_ENTRY_AIRCRAFT; k++)
        if (word && strcmp(word, dx_entry_kind_name((dx_entry_kind)k)) == 0)
            return (dx_entry_kind)k;
    return DX_ENTRY_UNKNOWN;
}

static dx_name_kind name_kind_of(const char *word)
{
    for (int k = DX_NAME_PRIMARY; k <= DX_NAME_FORMER; k++)
        if (word && strcmp(word, dx_name_kind_name((dx_name_kind)k)) == 0)
            return (dx_name_kind)k;
    return DX_NAME_ALIAS_STRONG;
}

/* One entry being assembled from the three ordered cursors of dx_store_entries. */
typedef struct entry_reader {
    sqlite3_stmt *e, *n, *f;
    int n_rc, f_rc; /* last step of the name and fact cursors */
    dx_arena arena;
    dx_entry_name *names;
    dx_entry_fact *facts;
    size_t names_cap, facts_cap;
} entry_reader;

static char *arena_col(entry_reader *r, sqlite3_stmt *q, int i)
{
    const char *t = col_text(q, i);
    return t ? dx_arena_strndup(&r->arena, t, strlen(t)) : NULL;
}

/* Gather the names and facts of entry `row` (the cursors are ordered by entry). */
static dx_status gather(entry_reader *r, sqlite3_int64 row, dx_entry *e)
{
    e->n_names = e->n_facts = 0;
    while (r->n_rc == SQLITE_ROW && sqlite3_column_int64(r->n, 0) <= row) {
        if (sqlite3_column_int64(r->n, 0) == row) {
            if (dx_grow_array((void **)&r->names, &r->names_cap, e->n_names + 1,
                              sizeof(*r->names)))
                return DX_ERR_NOMEM;
            dx_entry_name *nm = &r->names[e->n_names++];
            nm->kind = name_kind_of(col_text(r->n, 1));
            nm->text = arena_col(r, r->n, 2);
            if (!nm->text)
                return DX_ERR_NOMEM;
        }
        r->n_rc = sqlite3_step(r->n);
    }
    while (r->f_rc == SQLITE_ROW && sqlite3_column_int64(r->f, 0) <= row) {
        if (sqlite3_column_int64(r->f, 0) == row) {
            if (dx_grow_array((void **)&r->facts, &r->facts_cap, e->n_facts + 1,
                              sizeof(*r->facts)))
                return DX_ERR_NOMEM;
            dx_entry_fact *ft = &r->facts[e->n_facts++];
            ft->type = arena_col(r, r->f, 1);
            ft->value = arena_col(r, r->f, 2);
            const char *c = col_text(r->f, 3);
            snprintf(ft->country, sizeof ft->country, "%s", c && strlen(c) == 2 ? c : "");
            if (!ft->type || !ft->value)
                return DX_ERR_NOMEM;
        }
        r->f_rc = sqlite3_step(r->f);
    }
    e->names = r->names;
    e->facts = r->facts;
    return DX_OK;
}

static dx_status read_entries(dx_store *s, entry_reader *r, const char *list_id, dx_entry_fn fn,
                              void *ctx)
{
    dx_status st = DX_OK;
    int rc;
    while (st == DX_OK && (rc = sqlite3_step(r->e)) == SQLITE_ROW) {
        dx_arena_reset(&r->arena);
        sqlite3_int64 row = sqlite3_column_int64(r->e, 0);
        dx_entry e = {list_id, arena_col(r, r->e, 1), entry_kind_of(col_text(r->e, 2)),
                      arena_col(r, r->e, 3), 0, NULL, 0, NULL,
                      (unsigned)sqlite3_column_int64(r->e, 4), arena_col(r, r->e, 5),
                      arena_col(r, r->e, 6), arena_col(r, r->e, 7), arena_col(r, r->e, 8)};
        if (!e.entry_id || !e.name || !e.raw)
            return DX_ERR_NOMEM;
        st = gather(r, row, &e);
        if (st == DX_OK)
            st = fn(ctx, &e);
    }
    if (st == DX_OK && (rc != SQLITE_DONE || (r->n_rc != SQLITE_DONE && r->n_rc != SQLITE_ROW) ||
                        (r->f_rc != SQLITE_DONE && r->f_rc != SQLITE_ROW)))
        st = db_error(s, "reading list entries");
    return st;
}

/* The entry ids of dx_store_entries_some into temp.dx_want (emptied first). */
static dx_status fill_wanted(dx_store *s, const char *const *ids, size_t n)
{
    if (sqlite3_exec(s->db, "CREATE TEMP TABLE IF NOT EXISTS dx_want(id TEXT PRIMARY KEY);"
                            "DELETE FROM temp.dx_want;", NULL, NULL, NULL) != SQLITE_OK)
        return db_error(s, "reading list entries");
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO temp.dx_want VALUES(?)", -1, &q, NULL) !=
        SQLITE_OK)
        return db_error(s, "reading list entries");
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < n; i++) {
        sqlite3_bind_text(q, 1, ids[i], -1, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE)
            st = db_error(s, "reading list entries");
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    return st;
}

dx_status dx_store_entries(dx_store *s, long long version_id, dx_entry_fn fn, void *ctx)
{
    return dx_store_entries_some(s, version_id, NULL, 0, fn, ctx);
}

dx_status dx_store_entries_some(dx_store *s, long long version_id, const char *const *ids,
                                size_t n_ids, dx_entry_fn fn, void *ctx)
{
    static const char *const all[3] = {
        "SELECT e.entry_rowid, e.entry_id, e.kind, e.name, e.concern_types, e.remarks,"
        " e.source_url, e.start_date, e.raw FROM entry e WHERE e.version_id=?"
        " ORDER BY e.entry_rowid",
        "SELECT n.entry_rowid, n.kind, n.name FROM entry_name n JOIN entry e USING(entry_rowid)"
        " WHERE e.version_id=? ORDER BY n.entry_rowid, n.rowid",
        "SELECT f.entry_rowid, f.type, f.value, f.country FROM entry_fact f"
        " JOIN entry e USING(entry_rowid) WHERE e.version_id=? ORDER BY f.entry_rowid, f.rowid"};
#define WANT " AND e.entry_id IN (SELECT id FROM temp.dx_want)"
    static const char *const some[3] = {
        "SELECT e.entry_rowid, e.entry_id, e.kind, e.name, e.concern_types, e.remarks,"
        " e.source_url, e.start_date, e.raw FROM entry e WHERE e.version_id=?" WANT
        " ORDER BY e.entry_rowid",
        "SELECT n.entry_rowid, n.kind, n.name FROM entry_name n JOIN entry e USING(entry_rowid)"
        " WHERE e.version_id=?" WANT " ORDER BY n.entry_rowid, n.rowid",
        "SELECT f.entry_rowid, f.type, f.value, f.country FROM entry_fact f"
        " JOIN entry e USING(entry_rowid) WHERE e.version_id=?" WANT
        " ORDER BY f.entry_rowid, f.rowid"};
#undef WANT
    const char *const *sql = ids ? some : all;
    if (ids) {
        if (!s)
            return DX_ERR_INVALID;
        dx_status fst = fill_wanted(s, ids, n_ids);
        if (fst != DX_OK)
            return fst;
    }
    if (!s || !fn)
        return DX_ERR_INVALID;
    entry_reader r = {.arena = DX_ARENA_INIT};
    sqlite3_stmt **q[3] = {&r.e, &r.n, &r.f};
    char *list_id = NULL;
    dx_status st = DX_OK;
    for (int i = 0; i < 3 && st == DX_OK; i++) {
        if (sqlite3_prepare_v2(s->db, sql[i], -1, q[i], NULL) != SQLITE_OK)
            st = db_error(s, "reading list entries");
        else
            sqlite3_bind_int64(*q[i], 1, version_id);
    }
    sqlite3_stmt *v = NULL;
    if (st == DX_OK && sqlite3_prepare_v2(s->db, "SELECT list_id FROM list_version"
                                                 " WHERE version_id=?", -1, &v, NULL) != SQLITE_OK)
        st = db_error(s, "reading list entries");
    if (st == DX_OK) {
        sqlite3_bind_int64(v, 1, version_id);
        if (sqlite3_step(v) != SQLITE_ROW)
            st = DX_ERR_NOT_FOUND;
        else if (!(list_id = dx_strdup(col_text(v, 0))))
            st = DX_ERR_NOMEM;
    }
    if (st == DX_OK) {
        r.n_rc = sqlite3_step(r.n);
        r.f_rc = sqlite3_step(r.f);
        st = read_entries(s, &r, list_id, fn, ctx);
    }
    sqlite3_finalize(v);
    for (int i = 0; i < 3; i++)
        sqlite3_finalize(*q[i]);
    dx_free(list_id);
    dx_free(r.names);
    dx_free(r.facts);
    dx_arena_free(&r.arena);
    return st;
}
