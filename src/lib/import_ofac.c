/*
 * import_ofac.c — OFAC's SDN list and consolidated non-SDN list, from their CSV files.
 *
 * The format. One publication is up to four CSV files without a header row. The primary file
 * (sdn.csv; cons_prim.csv for the non-SDN list) holds one 12-field record per listed party:
 * ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag,
 * Vess_owner, Remarks. Three optional files hang off it by ent_num: addresses (add.csv, 6
 * fields), strong aliases (alt.csv, 5 fields) and the overflow of long Remarks
 * (sdn_comments.csv, 2 fields). Ids are unquoted numbers, text fields are quoted; ASCII, CRLF.
 *
 * The traps, and what this importer does about them.
 * - Null is "-0-", written unquoted and usually with a trailing space ("-0- "). A field is null
 *   when it is exactly that once trimmed. (Deleting every "-0-" substring, as watchman does,
 *   breaks real values such as "US FEIN CH-660-0-469-982-0".)
 * - Official downloads end with a DOS end-of-file byte (0x1A) on a line of its own. It is
 *   skipped when nothing follows it; a record after it is an error.
 * - Program may hold several programs written "SDGT] [IFSR": one `program` fact each.
 * - A Remarks field that overflowed continues in sdn_comments.csv, often mid-word
 *   ("a.k.a. 'snowsjo" + "hn'; Linked To: ..."). The continuation is appended with no
 *   separator *before* the Remarks are parsed, so the fact cut in two is read whole.
 * - Strong a.k.a.s are the rows of alt.csv (aka, nka: strong; fka: former). Weak a.k.a.s exist
 *   only inside Remarks, as a.k.a. 'NAME' in single quotes; the rarer f.k.a. 'NAME' and
 *   n.k.a. 'NAME' there are weak too: the quotes are OFAC's mark of a low-quality name, and
 *   that matters more to a match than "former".
 * - The secondary files refer to records by ent_num only. A row whose ent_num is not in the
 *   primary file cannot be attached to anything: OFAC's own publications never have one, but
 *   copies of the four files taken at different times do (the snapshots in ../shared/data
 *   have thousands), so such rows make one warning per file with their count and first lines,
 *   never a silent drop, and the import goes on. Every malformed row, which watchman skips, is
 *   an error: a damaged download must fail, not be stored as a shorter list.
 *
 * How it works. Each file is decoded (dx_decode, detected encoding) and read by dx_csv_read.
 * The primary file comes first: its records are copied into an arena and sorted by ent_num
 * (duplicates are errors). Then the rows of each secondary file are checked, attached to their
 * record by binary search, and grouped per record by a counting sort that keeps file order.
 * Only then are entries built, one at a time with the entry builder, in ent_num order: id,
 * primary name, every source field into raw, the column facts, addresses, alt names, then the
 * Remarks (with their continuation) are stored whole and parsed into facts. Entries are emitted
 * even when errors were found, so a caller sees all it can; the result is then DX_ERR_INPUT and
 * the store keeps nothing. Out of memory always wins: it is returned as DX_ERR_NOMEM.
 *
 * Remarks. They are OFAC's rendering of the typed "features" of its XML publication: a
 * ';'-separated list of pieces, each starting with its feature's name ("DOB 17 Apr 1993",
 * "Passport P0017003 (Belize)", "Secondary sanctions risk: ...", "Digital Currency Address -
 * XBT ..."), "alt. " in front of a further value of the same feature, and a full stop after
 * the last piece. Feature names are many and new ones appear, so there is no grammar to
 * follow: a piece is read as
 *   1. a weak alias: a.k.a. 'NAME' (or f.k.a., n.k.a., d.b.a.);
 *   2. a feature the model knows (the table KEYS, longest name first): dob, pob, nationality,
 *      citizenship, passport / national_id / tax_id / registration (the value is the number,
 *      the country comes from the parenthesis), imo, gender, linked_to, email, website, ...;
 *   3. any other feature: its name ends at the first ": " or " - " within the first words
 *      ("Secondary sanctions risk:", "Digital Currency Address -"), or it is the words before
 *      the first word holding a digit ("SSN 561-77-9011", "MMSI 352002494"); the fact's type is
 *      that name in snake_case, its value the rest, its country the first parenthesis that
 *      names one;
 *   4. otherwise free text ("ICTY indictee", "Former Minister of Interior"): a `remark` fact.
 * Nothing is lost whichever way a piece is read: the whole text is also the entry's remarks,
 * and every source field is in raw.
 */
#include "import.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "arena.h"
#include "csvread.h"
#include "strbuf.h"

#define OFAC_MAX_TEXT ((size_t)512 * 1024 * 1024) /* decoded bytes of one file */
#define OFAC_MAX_ROWS ((size_t)4 * 1024 * 1024)   /* rows kept (OFAC's files: ~25,000) */
#define OFAC_MAX_FILE_ERRORS 1000                 /* then the rest of the file is skipped */
#define OFAC_SNIFF_ROWS 5    /* bad rows before any good one: the file is not OFAC CSV */
#define OFAC_MAX_TYPE 100    /* bytes of a fact type made from a Remarks feature name */
#define OFAC_KEY_WORDS 12    /* a feature name ending at ": " or " - " has at most this */
#define OFAC_DIGIT_KEY_WORDS 6 /* a feature name ending before a number has at most this */
#define OFAC_SHOWN_LINE 1000 /* bytes of a source line attached to a diagnostic */

enum { PART_PRIMARY, PART_ADD, PART_ALT, PART_COMMENTS, N_PARTS };

/* Fields of the primary file, of add.csv, alt.csv and sdn_comments.csv (0-based). */
enum { P_ENT, P_NAME, P_TYPE, P_PROGRAM, P_TITLE, P_CALL_SIGN, P_VESS_TYPE, P_TONNAGE, P_GRT,
       P_VESS_FLAG, P_VESS_OWNER, P_REMARKS };
enum { A_NUM = 1, A_ADDRESS, A_CITY, A_COUNTRY };
enum { L_NUM = 1, L_TYPE, L_NAME };
enum { C_TEXT = 1 };

static const char *const PRIMARY_FIELDS[] = {
    "ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign",
    "Vess_type", "Tonnage", "GRT", "Vess_flag", "Vess_owner", "Remarks"};
static const char *const ADD_FIELDS[] = {
    "ent_num", "add_num", "Address", "City/State/Province/Postal Code", "Country", "Add_remarks"};
static const char *const ALT_FIELDS[] = {"ent_num", "alt_num", "alt_type", "alt_name",
                                         "alt_remarks"};
static const char *const COMMENT_FIELDS[] = {"ent_num", "RemarksExtended"};

typedef struct part_def {
    const char *sdn_name;  /* in the SDN publication */
    const char *cons_name; /* in the consolidated non-SDN publication */
    size_t n_fields;
    const char *raw_prefix; /* raw keys of secondary rows: "<prefix>.<n>.<field>" */
    const char *const *fields;
} part_def;

static const part_def PARTS[N_PARTS] = {
    {"sdn.csv", "cons_prim.csv", 12, NULL, PRIMARY_FIELDS},
    {"add.csv", "cons_add.csv", 6, "address", ADD_FIELDS},
    {"alt.csv", "cons_alt.csv", 5, "alt", ALT_FIELDS},
    {"sdn_comments.csv", "cons_comments.csv", 2, "comments", COMMENT_FIELDS},
};

/* One row kept from a file; fields live in the import's row arena. */
typedef struct ofac_row {
    unsigned long long ent_num;
    unsigned long line;
    size_t owner;  /* secondary rows: index of their record in the sorted primary rows */
    int part;
    int damaged;   /* primary rows: ent_num known, but the record is not emitted */
    size_t n_fields;
    const char **fields;
    size_t *lens;
} ofac_row;

typedef struct row_list {
    ofac_row *rows;
    size_t n, cap;
} row_list;

typedef struct ofac_import {
    dx_import *im;
    const char *list_id;
    int family; /* 1 SDN, 2 consolidated non-SDN, 0 not known yet */
    const dx_import_file *files[N_PARTS];
    dx_arena row_arena; /* every kept row, for the whole import */
    row_list prim;      /* sorted by ent_num once the primary file is read */
    row_list sec;       /* add, alt and comment rows, in part order then file order */
    size_t *group_start; /* prim.n + 1 offsets into grouped */
    size_t *grouped;     /* indices into sec, grouped per record */
    /* the file being read */
    int part;
    const char *path;
    const dx_decoded *text;
    unsigned long eof_line; /* line of the end-of-file mark, 0 when none seen */
    size_t good_rows, bad_rows, errors;
    size_t orphans;                 /* rows naming an entry the primary file lacks */
    unsigned long orphan_lines[8];  /* the first of them, for the warning */
    int stopped;
    size_t cursor_off;       /* find_line's position: offset of the start of cursor_line */
    unsigned long cursor_line;
    /* the entry being built */
    dx_arena scratch; /* fact types made from feature names; reset for each entry */
    dx_strbuf remarks;
    dx_strbuf tmp;
} ofac_import;

/* ---- small text helpers ---------------------------------------------------------------- */

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static void trim(const char **p, size_t *n)
{
    while (*n && is_space(**p)) {
        (*p)++;
        (*n)--;
    }
    while (*n && is_space((*p)[*n - 1]))
        (*n)--;
}

/* 1 when [p, p+n) equals the NUL-terminated `word`, ignoring ASCII case. */
static int same_word(const char *p, size_t n, const char *word)
{
    return strlen(word) == n && strncasecmp(p, word, n) == 0;
}

static int is_null(const char *p, size_t n)
{
    trim(&p, &n);
    return n == 3 && memcmp(p, "-0-", 3) == 0;
}

/* A field's value, trimmed; 0 when it is null or empty. */
static int field_value(const ofac_row *r, size_t i, const char **p, size_t *n)
{
    *p = r->fields[i];
    *n = r->lens[i];
    trim(p, n);
    return *n > 0 && !is_null(*p, *n);
}

static int parse_number(const char *p, size_t n, unsigned long long *out)
{
    trim(&p, &n);
    if (n == 0 || n > 18)
        return 0;
    unsigned long long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(p[i]))
            return 0;
        v = v * 10 + (unsigned long long)(p[i] - '0');
    }
    *out = v;
    return 1;
}

/* Offset just past the line starting at `pos` (LF, CRLF or a lone CR, as csvread counts). */
static size_t next_line(const char *t, size_t n, size_t pos)
{
    while (pos < n) {
        char c = t[pos++];
        if (c == '\n')
            break;
        if (c == '\r') {
            if (pos < n && t[pos] == '\n')
                pos++;
            break;
        }
    }
    return pos;
}

/* ---- diagnostics ----------------------------------------------------------------------- */

/* The text of `line` of the file being read, without its line break. Rows mostly come in
 * order, so a cursor moves forward and restarts only when asked for an earlier line. */
static int find_line(ofac_import *o, unsigned long line, const char **start, size_t *len)
{
    if (!o->text || !o->text->text || line == 0)
        return 0;
    const char *t = o->text->text;
    size_t n = o->text->len;
    if (o->cursor_line == 0 || line < o->cursor_line) {
        o->cursor_off = 0;
        o->cursor_line = 1;
    }
    while (o->cursor_line < line && o->cursor_off < n) {
        o->cursor_off = next_line(t, n, o->cursor_off);
        o->cursor_line++;
    }
    if (o->cursor_line != line || o->cursor_off >= n)
        return 0;
    size_t e = o->cursor_off;
    while (e < n && t[e] != '\n' && t[e] != '\r')
        e++;
    *start = t + o->cursor_off;
    *len = e - o->cursor_off < OFAC_SHOWN_LINE ? e - o->cursor_off : OFAC_SHOWN_LINE;
    return 1;
}

static dx_status report(ofac_import *o, dx_severity sev, unsigned long line, unsigned long col,
                        const char *code, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* A diagnostic about the file being read, with its source line when there is one. */
static dx_status report(ofac_import *o, dx_severity sev, unsigned long line, unsigned long col,
                        const char *code, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dx_status st = dx_diags_addv(o->im->diags, sev, o->path ? o->path : "", line, col, code,
                                 hint, fmt, ap);
    va_end(ap);
    if (st == DX_OK && sev == DX_SEV_ERROR)
        o->errors++;
    const char *text;
    size_t len;
    if (st == DX_OK && find_line(o, line, &text, &len))
        st = dx_diags_set_source_line(o->im->diags, text, len);
    return st;
}

/* A field shown in a message: at most 40 bytes. */
#define SHOWN(p, n) (int)((n) < 40 ? (n) : 40), (p)

/* ---- which file is which --------------------------------------------------------------- */

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The part and family (1 SDN, 2 non-SDN) of a file name; 0 when it is not an OFAC name. */
static int part_of(const char *name, int *part)
{
    for (int p = 0; p < N_PARTS; p++) {
        *part = p;
        if (strcasecmp(name, PARTS[p].sdn_name) == 0)
            return 1;
        if (strcasecmp(name, PARTS[p].cons_name) == 0)
            return 2;
    }
    return 0;
}

static const char *part_name(const ofac_import *o, int part)
{
    return o->family == 2 ? PARTS[part].cons_name : PARTS[part].sdn_name;
}

static dx_status assign_file(ofac_import *o, const dx_import_file *f)
{
    const char *path = f->path ? f->path : f->name ? f->name : "";
    const char *name = f->name ? f->name : base_name(path);
    int part, family = part_of(name, &part);
    o->path = path;
    if (!family)
        return report(o, DX_SEV_ERROR, 0, 0, "ofac.file-name",
                      "an OFAC publication is sdn.csv, add.csv, alt.csv and sdn_comments.csv, "
                      "or cons_prim.csv, cons_add.csv, cons_alt.csv and cons_comments.csv",
                      "%s is not a file of an OFAC publication", name);
    if (o->family && family != o->family)
        return report(o, DX_SEV_ERROR, 0, 0, "ofac.mixed-lists",
                      "import the SDN files and the consolidated (cons_*) files separately",
                      "%s belongs to the %s list, the other files to the %s list", name,
                      family == 1 ? "SDN" : "non-SDN", family == 1 ? "non-SDN" : "SDN");
    if (o->files[part])
        return report(o, DX_SEV_ERROR, 0, 0, "ofac.duplicate-file", NULL,
                      "%s is given twice (also as %s)", name, o->files[part]->path);
    o->family = family;
    o->files[part] = f;
    return DX_OK;
}

/* Reports the missing primary file at the path it would have beside the others. */
static dx_status report_missing_primary(ofac_import *o, const dx_import_file *files, size_t n)
{
    const char *name = part_name(o, PART_PRIMARY);
    dx_strbuf path = DX_STRBUF_INIT;
    dx_status st = DX_OK;
    const char *other = n > 0 && files[0].path ? files[0].path : "";
    const char *slash = strrchr(other, '/');
    if (slash)
        st = dx_strbuf_append(&path, other, (size_t)(slash - other + 1));
    if (st == DX_OK)
        st = dx_strbuf_append(&path, name, strlen(name));
    o->path = path.data;
    if (st == DX_OK)
        st = report(o, DX_SEV_ERROR, 0, 0, "ofac.no-primary",
                    "the primary file holds the records that the other files refer to",
                    "%s is missing: it is required", name);
    o->path = NULL;
    dx_strbuf_free(&path);
    return st;
}

static dx_status assign_files(ofac_import *o, const dx_import_file *files, size_t n)
{
    dx_status st = DX_OK;
    for (size_t i = 0; i < n && st == DX_OK; i++)
        st = assign_file(o, &files[i]);
    if (st == DX_OK && !o->files[PART_PRIMARY])
        st = report_missing_primary(o, files, n);
    o->list_id = o->family == 2 ? "us_ofac_nonsdn" : "us_ofac_sdn";
    return st;
}

/* ---- keeping rows ---------------------------------------------------------------------- */

/* Stops reading the file: dx_csv_read returns the callback's status, which read_rows maps
 * back to DX_OK when `stopped` is set. */
static dx_status stop_file(ofac_import *o)
{
    o->stopped = 1;
    return DX_ERR_LIMIT;
}

static dx_status push_row(row_list *l, ofac_row **out)
{
    if (l->n == l->cap) {
        size_t cap = dx_grow_cap(l->cap, l->n + 1, OFAC_MAX_ROWS);
        ofac_row *rows = cap ? dx_realloc(l->rows, cap * sizeof *rows) : NULL;
        if (!rows)
            return cap ? DX_ERR_NOMEM : DX_ERR_LIMIT;
        l->rows = rows;
        l->cap = cap;
    }
    *out = &l->rows[l->n++];
    memset(*out, 0, sizeof **out);
    return DX_OK;
}

/* Appends a row (copied into the row arena unless it is only a known ent_num). */
static dx_status keep_row(ofac_import *o, row_list *l, const dx_csv_row *row,
                          unsigned long long ent, int damaged, size_t owner)
{
    ofac_row *r;
    dx_status st = push_row(l, &r);
    if (st == DX_ERR_LIMIT) {
        st = report(o, DX_SEV_ERROR, row->line, 0, "ofac.too-many-rows", NULL,
                    "more than %zu rows; the rest of the file is not read", OFAC_MAX_ROWS);
        return st != DX_OK ? st : stop_file(o);
    }
    if (st != DX_OK)
        return st;
    *r = (ofac_row){ent, row->line, owner, o->part, damaged, 0, NULL, NULL};
    if (damaged)
        return DX_OK;
    size_t n = row->n_fields;
    char *bytes = dx_arena_alloc(&o->row_arena, row->bytes_len ? row->bytes_len : 1);
    r->fields = dx_arena_alloc(&o->row_arena, n * sizeof *r->fields);
    r->lens = dx_arena_alloc(&o->row_arena, n * sizeof *r->lens);
    if (!bytes || !r->fields || !r->lens) {
        l->n--;
        return DX_ERR_NOMEM;
    }
    memcpy(bytes, row->bytes, row->bytes_len);
    for (size_t i = 0; i < n; i++) {
        r->fields[i] = bytes + (row->fields[i] - row->bytes);
        r->lens[i] = row->lens[i];
    }
    r->n_fields = n;
    return DX_OK;
}

static int compare_rows(const void *a, const void *b)
{
    const ofac_row *x = a, *y = b;
    if (x->ent_num != y->ent_num)
        return x->ent_num < y->ent_num ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* Index of the first record with `ent`, in the sorted primary rows. */
static int find_record(const ofac_import *o, unsigned long long ent, size_t *index)
{
    size_t lo = 0, hi = o->prim.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o->prim.rows[mid].ent_num < ent)
            lo = mid + 1;
        else
            hi = mid;
    }
    *index = lo;
    return lo < o->prim.n && o->prim.rows[lo].ent_num == ent;
}

/* Sorts the records by ent_num; a repeated ent_num is an error (the later one is dropped). */
static dx_status sort_records(ofac_import *o)
{
    ofac_row *rows = o->prim.rows;
    if (o->prim.n > 1)
        qsort(rows, o->prim.n, sizeof *rows, compare_rows);
    dx_status st = DX_OK;
    for (size_t i = 1; i < o->prim.n && st == DX_OK; i++) {
        if (rows[i].ent_num != rows[i - 1].ent_num)
            continue;
        st = report(o, DX_SEV_ERROR, rows[i].line, 1, "ofac.duplicate-ent-num",
                    "each record of the primary file has its own ent_num",
                    "ent_num %llu is already the record of line %lu", rows[i].ent_num,
                    rows[i - 1].line);
        rows[i].damaged = 1;
    }
    return st;
}

/* ---- checking rows --------------------------------------------------------------------- */

static dx_entry_kind entry_kind(const char *p, size_t n)
{
    trim(&p, &n);
    if (n == 0 || is_null(p, n))
        return DX_ENTRY_ORGANIZATION; /* OFAC leaves the type of entities null */
    if (same_word(p, n, "individual"))
        return DX_ENTRY_PERSON;
    if (same_word(p, n, "vessel"))
        return DX_ENTRY_VESSEL;
    if (same_word(p, n, "aircraft"))
        return DX_ENTRY_AIRCRAFT;
    return DX_ENTRY_UNKNOWN;
}

static int known_alt_type(const char *p, size_t n)
{
    trim(&p, &n);
    return same_word(p, n, "aka") || same_word(p, n, "fka") || same_word(p, n, "nka");
}

/* The checks of a row that has the right number of fields and a numeric ent_num. */
static dx_status check_fields(ofac_import *o, const dx_csv_row *row, int *ok)
{
    const char *const *f = row->fields;
    const size_t *len = row->lens;
    unsigned long long num;
    const char *what = PARTS[o->part].fields[1];
    *ok = 0;
    if ((o->part == PART_ADD || o->part == PART_ALT) && !parse_number(f[1], len[1], &num))
        return report(o, DX_SEV_ERROR, row->line, 2, "ofac.not-a-number", NULL,
                      "%s \"%.*s\" is not a number", what, SHOWN(f[1], len[1]));
    size_t name_col = o->part == PART_PRIMARY ? P_NAME : o->part == PART_ALT ? L_NAME : 0;
    const char *name = f[name_col];
    size_t name_len = len[name_col];
    trim(&name, &name_len); /* the same white space as the entry builder's */
    if (name_col && (name_len == 0 || is_null(name, name_len)))
        return report(o, DX_SEV_ERROR, row->line, name_col + 1, "ofac.no-name", NULL,
                      "%s is empty", PARTS[o->part].fields[name_col]);
    *ok = 1;
    if (o->part == PART_PRIMARY && entry_kind(f[P_TYPE], len[P_TYPE]) == DX_ENTRY_UNKNOWN)
        return report(o, DX_SEV_WARNING, row->line, P_TYPE + 1, "ofac.unknown-type",
                      "OFAC writes individual, vessel, aircraft, or -0- for an entity",
                      "SDN_Type \"%.*s\" is not known; the entry's kind is unknown",
                      SHOWN(f[P_TYPE], len[P_TYPE]));
    if (o->part == PART_ALT && !known_alt_type(f[L_TYPE], len[L_TYPE]))
        return report(o, DX_SEV_WARNING, row->line, L_TYPE + 1, "ofac.unknown-alt-type",
                      "OFAC writes aka, fka or nka", "alt_type \"%.*s\" is not known; the name "
                      "is kept as a strong alias", SHOWN(f[L_TYPE], len[L_TYPE]));
    return DX_OK;
}

/* Checks a row's shape and reports what is wrong. *ok: the row can be used; *ent_ok: its
 * ent_num parsed into *ent (also for some rows that are not ok). */
static dx_status check_row(ofac_import *o, const dx_csv_row *row, int *ok, int *ent_ok,
                           unsigned long long *ent)
{
    size_t want = PARTS[o->part].n_fields;
    *ok = 0;
    *ent_ok = row->n_fields > 0 && parse_number(row->fields[0], row->lens[0], ent);
    if (row->damaged)
        return DX_OK; /* the reader has reported it */
    if (row->n_fields != want)
        return report(o, DX_SEV_ERROR, row->line,
                      row->n_fields < want ? row->n_fields + 1 : want + 1, "ofac.field-count",
                      "a field with a comma in it must be quoted",
                      "%s has %zu fields per record; this one has %zu", part_name(o, o->part),
                      want, row->n_fields);
    if (!*ent_ok)
        return report(o, DX_SEV_ERROR, row->line, 1, "ofac.ent-num", NULL,
                      "ent_num \"%.*s\" is not a number", SHOWN(row->fields[0], row->lens[0]));
    return check_fields(o, row, ok);
}

static int is_eof_mark(const dx_csv_row *row)
{
    const char *p = row->fields[0];
    size_t n = row->lens[0];
    trim(&p, &n);
    return !row->damaged && row->n_fields == 1 && n == 1 && p[0] == '\x1a';
}

/* Attaches a secondary row to its record; a row without one is an orphan. */
static dx_status attach_row(ofac_import *o, const dx_csv_row *row, unsigned long long ent)
{
    size_t owner;
    if (!find_record(o, ent, &owner)) {
        /* OFAC's own publications always match; copies taken at different times do not.
         * Such a row cannot be attached to anything: counted and warned about per file. */
        if (o->orphans < sizeof o->orphan_lines / sizeof o->orphan_lines[0])
            o->orphan_lines[o->orphans] = row->line;
        o->orphans++;
        return DX_OK;
    }
    if (o->prim.rows[owner].damaged)
        return DX_OK; /* its record has been reported already */
    return keep_row(o, &o->sec, row, ent, 0, owner);
}

static dx_status on_row(void *ctx, const dx_csv_row *row)
{
    ofac_import *o = ctx;
    if (o->errors >= OFAC_MAX_FILE_ERRORS) {
        dx_status st = report(o, DX_SEV_ERROR, row->line, 0, "ofac.too-many-errors", NULL,
                              "too many errors; the rest of the file is not checked");
        return st != DX_OK ? st : stop_file(o);
    }
    if (o->eof_line) {
        dx_status st = report(o, DX_SEV_ERROR, row->line, 1, "ofac.after-eof", NULL,
                              "a record follows the end-of-file mark (Ctrl-Z) of line %lu",
                              o->eof_line);
        return st != DX_OK ? st : stop_file(o);
    }
    if (is_eof_mark(row)) {
        o->eof_line = row->line;
        return DX_OK;
    }
    int ok, ent_ok;
    unsigned long long ent = 0;
    dx_status st = check_row(o, row, &ok, &ent_ok, &ent);
    if (st != DX_OK)
        return st;
    if (ok) {
        o->good_rows++;
    } else {
        o->errors += row->damaged;
        if (!o->good_rows && ++o->bad_rows >= OFAC_SNIFF_ROWS) {
            st = report(o, DX_SEV_ERROR, row->line, 0, "ofac.not-ofac", NULL,
                        "no row so far is an OFAC record; the rest of the file is not read");
            return st != DX_OK ? st : stop_file(o);
        }
    }
    if (o->part == PART_PRIMARY && (ok || ent_ok))
        return keep_row(o, &o->prim, row, ent, !ok, 0);
    return ok ? attach_row(o, row, ent) : DX_OK;
}

/* ---- reading files --------------------------------------------------------------------- */

/* The first line that is not blank must start with a number (an ent_num): anything else is
 * not an OFAC file at all, and reading it row by row would only bury the one fact that
 * matters under hundreds of messages. */
static dx_status sniff(ofac_import *o, int *looks_ok)
{
    const char *t = o->text->text ? o->text->text : "";
    size_t n = o->text->len, pos = 0;
    unsigned long line = 1;
    *looks_ok = 1;
    while (pos < n) {
        size_t end = next_line(t, n, pos), i = pos;
        while (i < end && (is_space(t[i]) || t[i] == '\x1a'))
            i++;
        if (i < end) {
            if (t[i] == '"')
                i++;
            *looks_ok = i < end && is_digit(t[i]);
            if (*looks_ok)
                return DX_OK;
            return report(o, DX_SEV_ERROR, line, 1, "ofac.not-ofac",
                          "OFAC's files have no header; each record starts with its ent_num",
                          "this is not an OFAC %s file: the first record does not start with "
                          "a number", part_name(o, o->part));
        }
        pos = end;
        line++;
    }
    return DX_OK;
}

static dx_status decode_problem(ofac_import *o, dx_status st)
{
    if (st == DX_ERR_NOMEM)
        return st;
    return report(o, DX_SEV_ERROR, 0, 0, "ofac.unreadable", NULL,
                  "the file cannot be read as text: %s", dx_status_str(st));
}

static dx_status read_rows(ofac_import *o)
{
    int looks_ok;
    dx_status st = sniff(o, &looks_ok);
    if (st != DX_OK || !looks_ok)
        return st;
    dx_csv_source src = {o->path, o->text, 0};
    st = dx_csv_read(&src, o->im->diags, on_row, o, NULL);
    if (st != DX_OK && o->stopped && st == DX_ERR_LIMIT)
        st = DX_OK;
    if (st != DX_OK && st != DX_ERR_NOMEM)
        st = report(o, DX_SEV_ERROR, 0, 0, "ofac.unreadable", NULL,
                    "the file cannot be read: %s", dx_status_str(st));
    return st;
}

/* Reads one file of the publication (the primary one before any other). */
/* One warning per file for its rows that name no entry of the primary file. */
static dx_status report_orphans(ofac_import *o)
{
    char lines[128] = "";
    size_t shown = o->orphans < 8 ? o->orphans : 8, used = 0;
    for (size_t i = 0; i < shown && used < sizeof lines; i++)
        used += (size_t)snprintf(lines + used, sizeof lines - used, "%s%lu", i ? ", " : "",
                                 o->orphan_lines[i]);
    return report(o, DX_SEV_WARNING, o->orphan_lines[0], 1, "ofac.orphan",
                  "OFAC publishes the four files together: check that they come from the same "
                  "publication",
                  "%zu row%s name%s an ent_num that is not a record of %s and %s not attached "
                  "to any entry (line%s %s%s)", o->orphans, o->orphans == 1 ? "" : "s",
                  o->orphans == 1 ? "s" : "", part_name(o, PART_PRIMARY),
                  o->orphans == 1 ? "is" : "are", shown == 1 ? "" : "s", lines,
                  o->orphans > shown ? ", ..." : "");
}

static dx_status read_part(ofac_import *o, int part)
{
    const dx_import_file *f = o->files[part];
    if (!f)
        return DX_OK;
    o->part = part;
    o->path = f->path ? f->path : f->name;
    o->eof_line = 0;
    o->good_rows = o->bad_rows = o->errors = o->orphans = 0;
    o->stopped = 0;
    o->cursor_line = 0;
    dx_decoded text;
    dx_status st = dx_decode(f->bytes, f->len, DX_ENC_AUTO, OFAC_MAX_TEXT, &text);
    if (st != DX_OK)
        return decode_problem(o, st);
    o->text = &text;
    st = read_rows(o);
    if (st == DX_OK && o->orphans)
        st = report_orphans(o);
    if (st == DX_OK && part == PART_PRIMARY)
        st = sort_records(o);
    if (st == DX_OK && part == PART_PRIMARY && o->prim.n == 0 && !o->errors)
        st = report(o, DX_SEV_ERROR, 0, 0, "ofac.empty",
                    "an empty list would replace the stored one: re-download it",
                    "%s holds no records", part_name(o, part));
    o->text = NULL;
    dx_decoded_free(&text);
    return st;
}

/* Groups the secondary rows per record (a counting sort: file order is kept). */
static dx_status group_rows(ofac_import *o)
{
    size_t n = o->prim.n;
    size_t *fill = dx_calloc(n + 1, sizeof *fill);
    o->group_start = dx_calloc(n + 1, sizeof *o->group_start);
    o->grouped = dx_malloc((o->sec.n ? o->sec.n : 1) * sizeof *o->grouped);
    if (!fill || !o->group_start || !o->grouped) {
        dx_free(fill);
        return DX_ERR_NOMEM;
    }
    for (size_t i = 0; i < o->sec.n; i++)
        o->group_start[o->sec.rows[i].owner + 1]++;
    for (size_t i = 0; i < n; i++) {
        o->group_start[i + 1] += o->group_start[i];
        fill[i] = o->group_start[i];
    }
    for (size_t i = 0; i < o->sec.n; i++)
        o->grouped[fill[o->sec.rows[i].owner]++] = i;
    dx_free(fill);
    return DX_OK;
}

/* ---- Remarks --------------------------------------------------------------------------- */

typedef enum value_form {
    V_TEXT,    /* the value as written */
    V_COUNTRY, /* the value names a country */
    V_PLACE,   /* "City, Region, Country": the country is the last part */
    V_ID,      /* "NUMBER (Country) issued ...": the value is the number */
    V_TAGGED   /* the value as written; the country from a parenthesis that names one */
} value_form;

typedef struct remark_key {
    const char *key; /* as OFAC writes it, matched ignoring case */
    const char *type;
    value_form form;
} remark_key;

/* The features the entity model has a place for, and a few whose name holds no digit or
 * delimiter to find it by. The longest matching key wins. */
static const remark_key KEYS[] = {
    {"DOB", "dob", V_TEXT},
    {"POB", "pob", V_PLACE},
    {"nationality", "nationality", V_COUNTRY},
    {"citizen", "citizenship", V_COUNTRY},
    {"Passport", "passport", V_ID},
    {"Passport No.", "passport", V_ID},
    {"National ID No.", "national_id", V_ID},
    {"Tax ID No.", "tax_id", V_ID},
    {"Registration Number", "registration", V_ID},
    {"Registration ID", "registration", V_ID},
    {"Business Registration Number", "registration", V_ID},
    {"Vessel Registration Identification IMO", "imo", V_TEXT},
    {"Identification Number IMO", "imo", V_TEXT},
    {"Gender", "gender", V_TEXT},
    {"Linked To:", "linked_to", V_TEXT},
    {"Email Address", "email", V_TEXT},
    {"Website", "website", V_TEXT},
    {"Title", "title", V_TEXT},
    {"Former Name", "former_name", V_TEXT},
    {"Nationality of Registration", "nationality_of_registration", V_COUNTRY},
    {"Former Vessel Flag", "former_vessel_flag", V_COUNTRY},
    {"Organization Established Date", "organization_established_date", V_TEXT},
    {"Aircraft Manufacture Date", "aircraft_manufacture_date", V_TEXT},
    {"Aircraft Model", "aircraft_model", V_TEXT},
    {"Aircraft Operator", "aircraft_operator", V_TEXT},
    {"Aircraft Construction Number (also called L/N or S/N or F/N)",
     "aircraft_construction_number", V_TEXT},
    {"Target Type", "target_type", V_TEXT},
    {"Issuer Name", "issuer_name", V_TEXT},
    {"Equity Ticker", "equity_ticker", V_TEXT},
    {"V.A.T. Number", "vat_number", V_TAGGED},
    {"SWIFT/BIC", "swift_bic", V_TEXT},
    {"UN/LOCODE", "un_locode", V_TEXT},
    {"ethnicity", "ethnicity", V_TEXT},
};
#define N_KEYS (sizeof KEYS / sizeof KEYS[0])

/* The table key that starts the piece, or NULL; *value: where its value starts. */
static const remark_key *known_key(const char *p, size_t n, size_t *value)
{
    const remark_key *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < N_KEYS; i++) {
        size_t k = strlen(KEYS[i].key);
        if (k > n || k <= best_len || strncasecmp(p, KEYS[i].key, k) != 0)
            continue;
        if (k < n && !is_space(p[k]) && p[k] != ':' && KEYS[i].key[k - 1] != ':')
            continue; /* "citizenship" is not "citizen" */
        best = &KEYS[i];
        best_len = k;
    }
    if (!best)
        return NULL;
    while (best_len < n && (is_space(p[best_len]) || p[best_len] == ':'))
        best_len++;
    *value = best_len;
    return best;
}

/* A feature name the table does not know: up to the first ": " or " - " within the first
 * OFAC_KEY_WORDS words, else the words before the first word holding a digit. */
static int generic_key(const char *p, size_t n, size_t *key_len, size_t *value)
{
    size_t words = 1;
    for (size_t i = 0; i < n && words <= OFAC_KEY_WORDS; i++) {
        if (p[i] == ':' && (i + 1 == n || is_space(p[i + 1]))) {
            *key_len = *value = i;
            (*value)++;
            return i > 0;
        }
        if (p[i] == '-' && i > 0 && is_space(p[i - 1]) && i + 1 < n && is_space(p[i + 1])) {
            *key_len = i - 1;
            *value = i + 1;
            return i > 1;
        }
        if (is_space(p[i]) && i + 1 < n && !is_space(p[i + 1]))
            words++;
    }
    words = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && is_space(p[i]))
            i++;
        size_t start = i;
        int digit = 0;
        while (i < n && !is_space(p[i]))
            digit |= is_digit(p[i++]);
        if (i == start)
            break;
        if (digit && words > 0) {
            *key_len = *value = start;
            return 1;
        }
        if (digit || ++words > OFAC_DIGIT_KEY_WORDS)
            break;
    }
    return 0;
}

/* A feature name as a fact type: lower-case ASCII words joined by '_' ("Tax ID No." ->
 * "tax_id_no", "V.A.T." -> "vat"). Lives until the next entry. NULL when out of memory; ""
 * when nothing usable is left. */
static const char *snake_type(ofac_import *o, const char *key, size_t n)
{
    char *out = dx_arena_alloc(&o->scratch, n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    int gap = 0;
    for (size_t i = 0; i < n; i++) {
        char c = key[i];
        if (is_alnum(c)) {
            if (gap && k)
                out[k++] = '_';
            out[k++] = ascii_lower(c);
            gap = 0;
        } else if (c != '.' && c != '\'') {
            gap = 1;
        }
    }
    out[k] = '\0';
    return k <= OFAC_MAX_TYPE ? out : "";
}

static dx_status resolve_country(ofac_import *o, const char *p, size_t n, char country[3])
{
    country[0] = '\0';
    if (!o->im->countries || n == 0)
        return DX_OK;
    dx_country_match m;
    dx_status st = dx_country_lookup(o->im->countries, p, n, &m);
    if (st == DX_OK && m.result == DX_COUNTRY_FOUND)
        memcpy(country, m.alpha2, 3);
    return st;
}

/* The first parenthesis of the text that names a country ("(Connecticut) (United States)"). */
static dx_status paren_country(ofac_import *o, const char *p, size_t n, char country[3])
{
    country[0] = '\0';
    const char *end = p + n;
    while (p < end && !country[0]) {
        const char *open = memchr(p, '(', (size_t)(end - p));
        const char *close = open ? memchr(open, ')', (size_t)(end - open)) : NULL;
        if (!close)
            break;
        dx_status st = resolve_country(o, open + 1, (size_t)(close - open - 1), country);
        if (st != DX_OK)
            return st;
        p = close + 1;
    }
    return DX_OK;
}

/* The length of an identity document's number: it ends at "(", ", ", " issued" or " expires". */
static size_t id_number_len(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '(' || (p[i] == ',' && (i + 1 == n || is_space(p[i + 1]))))
            return i;
        if (is_space(p[i]) && (n - i > 7 && strncasecmp(p + i + 1, "issued", 6) == 0))
            return i;
        if (is_space(p[i]) && (n - i > 8 && strncasecmp(p + i + 1, "expires", 7) == 0))
            return i;
    }
    return n;
}

static dx_status add_remark_fact(ofac_import *o, const char *type, value_form form,
                                 const char *p, size_t n)
{
    dx_entry_builder *b = o->im->builder;
    char country[3] = "";
    dx_status st = DX_OK;
    trim(&p, &n);
    if (form == V_COUNTRY)
        return dx_entry_add_fact(b, type, p, n, 1);
    if (form == V_PLACE) {
        size_t last = n;
        while (last > 0 && p[last - 1] != ',')
            last--;
        st = resolve_country(o, p + last, n - last, country);
    } else if (form == V_ID || form == V_TAGGED) {
        st = paren_country(o, p, n, country);
        if (form == V_ID)
            n = id_number_len(p, n);
        while (form == V_ID && n > 0 && (is_space(p[n - 1]) || p[n - 1] == ','))
            n--;
    }
    return st != DX_OK ? st : dx_entry_add_fact_in(b, type, p, n, country);
}

/* a.k.a. 'NAME' (also f.k.a., n.k.a. and d.b.a., "doing business as"): the quoted name, or 0.
 * An unclosed quote runs to the end of the piece. */
static int quoted_alias(const char *p, size_t n, const char **name, size_t *len)
{
    if (n < 7 || (strncasecmp(p, "a.k.a.", 6) != 0 && strncasecmp(p, "f.k.a.", 6) != 0 &&
                  strncasecmp(p, "n.k.a.", 6) != 0 && strncasecmp(p, "d.b.a.", 6) != 0))
        return 0;
    size_t i = 6;
    while (i < n && is_space(p[i]))
        i++;
    if (i >= n || p[i] != '\'')
        return 0;
    size_t end = n - 1 > i && p[n - 1] == '\'' ? n - 1 : n;
    *name = p + i + 1;
    *len = end - i - 1;
    return 1;
}

static dx_status parse_piece(ofac_import *o, const char *p, size_t n, int last)
{
    trim(&p, &n);
    if (last && n > 0 && p[n - 1] == '.')
        n--; /* the full stop that ends the Remarks */
    if (n >= 4 && strncasecmp(p, "alt.", 4) == 0 && (n == 4 || is_space(p[4]))) {
        p += 4;
        n -= 4;
        trim(&p, &n);
    }
    if (n == 0)
        return DX_OK;
    const char *name;
    size_t len, value, key_len;
    if (quoted_alias(p, n, &name, &len))
        return dx_entry_add_name(o->im->builder, DX_NAME_ALIAS_WEAK, name, len);
    const remark_key *k = known_key(p, n, &value);
    if (k)
        return add_remark_fact(o, k->type, k->form, p + value, n - value);
    if (generic_key(p, n, &key_len, &value)) {
        const char *type = snake_type(o, p, key_len);
        if (!type)
            return DX_ERR_NOMEM;
        if (type[0])
            return add_remark_fact(o, type, V_TAGGED, p + value, n - value);
    }
    return dx_entry_add_fact_in(o->im->builder, "remark", p, n, NULL);
}

static dx_status parse_remarks(ofac_import *o, const char *text, size_t len)
{
    dx_status st = DX_OK;
    size_t pos = 0;
    while (pos < len && st == DX_OK) {
        const char *semi = memchr(text + pos, ';', len - pos);
        size_t end = semi ? (size_t)(semi - text) : len;
        st = parse_piece(o, text + pos, end - pos, !semi);
        pos = end + 1;
    }
    return st;
}

/* ---- building entries ------------------------------------------------------------------ */

/* "SDGT] [IFSR" (and "[SDGT]"): one program fact each. */
static dx_status add_programs(ofac_import *o, const ofac_row *r)
{
    const char *p, *end;
    size_t n;
    if (!field_value(r, P_PROGRAM, &p, &n))
        return DX_OK;
    dx_status st = DX_OK;
    for (end = p + n; p < end && st == DX_OK;) {
        const char *q = p;
        while (q < end && *q != '[' && *q != ']')
            q++;
        const char *w = p;
        size_t wn = (size_t)(q - p);
        trim(&w, &wn);
        if (wn && !is_null(w, wn))
            st = dx_entry_add_fact_in(o->im->builder, "program", w, wn, NULL);
        p = q + 1;
    }
    return st;
}

static dx_status add_column_facts(ofac_import *o, const ofac_row *r)
{
    static const struct {
        int col;
        const char *type;
        int country;
    } COLUMNS[] = {
        {P_TITLE, "title", 0},     {P_CALL_SIGN, "call_sign", 0}, {P_VESS_TYPE, "vessel_type", 0},
        {P_TONNAGE, "tonnage", 0}, {P_GRT, "grt", 0},             {P_VESS_FLAG, "vessel_flag", 1},
        {P_VESS_OWNER, "vessel_owner", 0},
    };
    dx_status st = add_programs(o, r);
    for (size_t i = 0; i < sizeof COLUMNS / sizeof COLUMNS[0] && st == DX_OK; i++) {
        const char *p;
        size_t n;
        if (field_value(r, (size_t)COLUMNS[i].col, &p, &n))
            st = dx_entry_add_fact(o->im->builder, COLUMNS[i].type, p, n, COLUMNS[i].country);
    }
    return st;
}

/* "Address, City/State/Province/Postal Code, Country", the country resolved from its column. */
static dx_status add_address(ofac_import *o, const ofac_row *r)
{
    static const size_t COLS[] = {A_ADDRESS, A_CITY, A_COUNTRY};
    dx_strbuf_reset(&o->tmp);
    dx_status st = DX_OK;
    char country[3] = "";
    for (size_t i = 0; i < 3 && st == DX_OK; i++) {
        const char *p;
        size_t n;
        if (!field_value(r, COLS[i], &p, &n))
            continue;
        if (o->tmp.len)
            st = dx_strbuf_append(&o->tmp, ", ", 2);
        if (st == DX_OK)
            st = dx_strbuf_append(&o->tmp, p, n);
        if (st == DX_OK && COLS[i] == A_COUNTRY)
            st = resolve_country(o, p, n, country);
    }
    if (st != DX_OK || o->tmp.len == 0)
        return st;
    return dx_entry_add_fact_in(o->im->builder, "address", o->tmp.data, o->tmp.len, country);
}

static dx_status add_alt_name(ofac_import *o, const ofac_row *r)
{
    const char *type = r->fields[L_TYPE];
    size_t n = r->lens[L_TYPE];
    trim(&type, &n);
    dx_name_kind kind = same_word(type, n, "fka") ? DX_NAME_FORMER : DX_NAME_ALIAS_STRONG;
    return dx_entry_add_name(o->im->builder, kind, r->fields[L_NAME], r->lens[L_NAME]);
}

/* Every field of a secondary row but its ent_num, as "<prefix>.<nth>.<field>". */
static dx_status add_row_raw(ofac_import *o, const ofac_row *r, size_t nth)
{
    const part_def *def = &PARTS[r->part];
    dx_status st = DX_OK;
    for (size_t i = 1; i < r->n_fields && st == DX_OK; i++) {
        char key[96];
        snprintf(key, sizeof key, "%s.%zu.%s", def->raw_prefix, nth, def->fields[i]);
        st = dx_entry_add_raw(o->im->builder, key, r->fields[i], r->lens[i]);
    }
    return st;
}

/* Addresses, alt names and the continuation of Remarks, from the record's secondary rows. */
static dx_status add_secondary(ofac_import *o, const size_t *kids, size_t n_kids)
{
    size_t nth[N_PARTS] = {0};
    dx_status st = DX_OK;
    for (size_t i = 0; i < n_kids && st == DX_OK; i++) {
        const ofac_row *k = &o->sec.rows[kids[i]];
        st = add_row_raw(o, k, ++nth[k->part]);
        if (st == DX_OK && k->part == PART_ADD)
            st = add_address(o, k);
        else if (st == DX_OK && k->part == PART_ALT)
            st = add_alt_name(o, k);
        else if (st == DX_OK)
            st = dx_strbuf_append(&o->remarks, k->fields[C_TEXT], k->lens[C_TEXT]);
    }
    return st;
}

static dx_status add_primary(ofac_import *o, const ofac_row *r)
{
    dx_entry_builder *b = o->im->builder;
    dx_status st = dx_entry_set_id(b, r->fields[P_ENT], r->lens[P_ENT]);
    if (st == DX_OK)
        st = dx_entry_add_name(b, DX_NAME_PRIMARY, r->fields[P_NAME], r->lens[P_NAME]);
    for (size_t i = 0; i < r->n_fields && st == DX_OK; i++)
        st = dx_entry_add_raw(b, PRIMARY_FIELDS[i], r->fields[i], r->lens[i]);
    if (st == DX_OK)
        st = add_column_facts(o, r);
    dx_strbuf_reset(&o->remarks);
    if (st == DX_OK && !is_null(r->fields[P_REMARKS], r->lens[P_REMARKS]))
        st = dx_strbuf_append(&o->remarks, r->fields[P_REMARKS], r->lens[P_REMARKS]);
    return st;
}

static dx_status build_entry(ofac_import *o, const ofac_row *r, const size_t *kids,
                             size_t n_kids)
{
    dx_entry_builder *b = o->im->builder;
    dx_entry_begin(b, o->list_id, entry_kind(r->fields[P_TYPE], r->lens[P_TYPE]));
    dx_arena_reset(&o->scratch);
    dx_status st = add_primary(o, r);
    if (st == DX_OK)
        st = add_secondary(o, kids, n_kids);
    if (st == DX_OK && o->remarks.len) {
        st = dx_entry_set_remarks(b, o->remarks.data, o->remarks.len);
        if (st == DX_OK)
            st = parse_remarks(o, o->remarks.data, o->remarks.len);
    }
    if (st != DX_OK)
        return st;
    const dx_entry *e = dx_entry_finish(b);
    if (!e) /* id and name were checked when read: only memory can be missing */
        return DX_ERR_NOMEM;
    return o->im->emit(o->im->emit_ctx, e);
}

static dx_status emit_entries(ofac_import *o)
{
    dx_status st = DX_OK;
    o->path = o->files[PART_PRIMARY]->path;
    o->part = PART_PRIMARY;
    for (size_t i = 0; i < o->prim.n && st == DX_OK; i++) {
        const ofac_row *r = &o->prim.rows[i];
        if (r->damaged)
            continue;
        size_t first = o->group_start[i];
        st = build_entry(o, r, o->grouped + first, o->group_start[i + 1] - first);
        if (st == DX_ERR_LIMIT)
            st = report(o, DX_SEV_ERROR, r->line, 0, "ofac.too-large",
                        "a record of OFAC's lists is a few kilobytes",
                        "the record of ent_num %llu and its rows in the other files are too "
                        "large to keep", r->ent_num);
    }
    return st;
}

/* ---- the importer ---------------------------------------------------------------------- */

static void ofac_free(ofac_import *o)
{
    dx_arena_free(&o->row_arena);
    dx_arena_free(&o->scratch);
    dx_free(o->prim.rows);
    dx_free(o->sec.rows);
    dx_free(o->group_start);
    dx_free(o->grouped);
    dx_strbuf_free(&o->remarks);
    dx_strbuf_free(&o->tmp);
}

/*
 * Imports one OFAC publication (SDN or consolidated non-SDN) from its files, emitting one entry
 * per record of the primary file in ent_num order. Every problem goes to im->diags with
 * file:line:field; returns DX_ERR_INPUT when there was any error, DX_ERR_NOMEM when memory ran
 * out, or the first failure of im->emit.
 */
dx_status dx_import_ofac(dx_import *im, const dx_import_file *files, size_t n_files)
{
    if (!im || !im->diags || !im->builder || !im->emit || (!files && n_files))
        return DX_ERR_INVALID;
    im->publication_date[0] = '\0'; /* OFAC's CSV files carry no date */
    size_t errors_before = dx_diags_count_severity(im->diags, DX_SEV_ERROR);
    ofac_import o;
    memset(&o, 0, sizeof o);
    o.im = im;
    dx_status st = assign_files(&o, files, n_files);
    for (int part = 0; part < N_PARTS && st == DX_OK && o.files[PART_PRIMARY]; part++)
        st = read_part(&o, part);
    if (st == DX_OK && o.files[PART_PRIMARY])
        st = group_rows(&o);
    if (st == DX_OK && o.files[PART_PRIMARY])
        st = emit_entries(&o);
    ofac_free(&o);
    if (st == DX_OK && dx_diags_count_severity(im->diags, DX_SEV_ERROR) > errors_before)
        st = DX_ERR_INPUT;
    return st;
}
