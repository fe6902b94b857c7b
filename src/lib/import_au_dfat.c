/*
 * import_au_dfat.c — Australia's DFAT Consolidated List, list id "au_dfat".
 *
 * The format. One .xlsx workbook as DFAT publishes it (regulation8_consolidated.xlsx: sheet
 * Sheet1, header row 1, 9,553 rows for 3,062 listed parties), read with xlsx.c. The sheet
 * named "Sheet1" is read, or the first sheet. The header row is the first of the first
 * DFAT_HEADER_ROWS rows that names the Reference, the name and the Name Type columns; columns
 * are found by their header text (case and spacing ignored), never by position:
 *   Reference                      "2", "2a", "34c1": digits, then a suffix per extra name
 *   Name of Individual or Entity   one name per row
 *   Type                           Individual / Entity (/ Vessel / Aircraft), any case
 *   Name Type                      Primary Name / aka / Original Script / Formerly known as /
 *                                  Previously listed as, in any case and spacing
 *   Date of Birth, Place of Birth, Citizenship, Address, Additional Information,
 *   Listing Information, Committees, Control Date
 *
 * One row per name, not per party. The rows of one party share the digits that start their
 * Reference ("2" is the primary name row, "2a" an alias or original-script row, "34c1" a
 * further alias); the suffix only numbers the names. The entry id is those digits, as written
 * ("2", "2940"). Rows of one party are usually adjacent but not always (2940j sits among the
 * 29xx rows), so the sheet is read whole first: each row is copied into the import's arena
 * and chained to its party, and the parties are emitted afterwards in the order of their first
 * row. Each party needs exactly one Primary Name row; none or several is an error.
 *
 * Mapping. Names: the Primary Name row's name is the primary name; aka → strong alias (DFAT
 * does not grade aliases), Original Script → original-script name, Formerly known as /
 * Previously listed as → former name. Kind from the primary row's Type (individual → person,
 * entity → organization, vessel, aircraft; empty → unknown with a warning; other text is an
 * error). Facts, from every row of the party but each distinct cell text once: dob (an
 * integer cell ≥ 3000 is an Excel date serial, 1900 system, written as YYYY-MM-DD; a smaller
 * one is a year), pob, citizenship and address (with the country of the whole text, else of
 * its last comma- or parenthesis-separated part that resolves, so "Kandahar Province,
 * Afghanistan" → AF), listed_on (Listing Information, as written), program (Committees).
 * "NA", "N/A" and "-" are not facts. Additional Information of the primary row is the
 * remarks. Control Date (an Excel serial) of the primary row is the start date: it is the
 * date DFAT last changed the record, the nearest thing to a listing date the file has.
 *
 * Raw. Every cell of the primary row under its header (or its column letters), then for each
 * other row its Reference, name and Name Type and every other cell whose text differs from the
 * primary row's cell in the same column: the alias rows repeat the party's details word for
 * word, and repeating them would multiply the stored text by the number of names without
 * adding a field.
 *
 * Publication date: the date part of docProps/core.xml dcterms:modified, else created (for
 * the 2024 file, 2024-11-11, also its latest Control Date).
 *
 * Errors (source = the workbook path, line = the XML line of the row, message naming the
 * member, the sheet row and the Reference): a Reference that is not digits + suffix, a row
 * without a name, an unknown Name Type or Type, a party without or with several primary rows,
 * no header row, and everything the xlsx reader reports. Every problem is reported, the
 * parties without one are still emitted, and the import returns DX_ERR_INPUT.
 */
#include "import.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "arena.h"
#include "strbuf.h"
#include "strmap.h"
#include "xlsx.h"
#include "xlsx_table.h"

static const char LIST_ID[] = "au_dfat";

#define DFAT_HEADER_ROWS 20      /* rows searched for the header */
#define DFAT_MAX_TEXT (1u << 20) /* bytes of one cell worth reading */

enum dfat_role {
    ROLE_REF, ROLE_NAME, ROLE_TYPE, ROLE_NAME_TYPE, ROLE_DOB, ROLE_POB, ROLE_CITIZENSHIP,
    ROLE_ADDRESS, ROLE_INFO, ROLE_LISTING, ROLE_COMMITTEES, ROLE_CONTROL, N_ROLES
};

/* Header texts, compared case-insensitively with white space collapsed. */
static const char *const ROLE_HEADERS[N_ROLES] = {
    "reference", "name of individual or entity", "type", "name type", "date of birth",
    "place of birth", "citizenship", "address", "additional information",
    "listing information", "committees", "control date",
};

/* Fact type of each role that makes a fact, and whether its country is resolved. */
static const struct {
    int role;
    const char *type;
    int resolve;
} FACTS[] = {
    {ROLE_DOB, "dob", 0},         {ROLE_POB, "pob", 1},     {ROLE_CITIZENSHIP, "citizenship", 1},
    {ROLE_ADDRESS, "address", 1}, {ROLE_LISTING, "listed_on", 0},
    {ROLE_COMMITTEES, "program", 0},
};

typedef dx_xt_text cell_text;

typedef struct dfat_cell {
    unsigned column;
    int number; /* a numeric cell (dates are serials) */
    cell_text text;
} dfat_cell;

typedef struct dfat_row {
    unsigned long number, line;
    dx_name_kind name_kind;
    size_t n_cells;
    dfat_cell *cells;
    struct dfat_row *next; /* the party's next row */
} dfat_row;

typedef struct dfat_party {
    const char *id;
    dfat_row *first, *last;
} dfat_party;

typedef struct dfat {
    dx_import *im;
    const char *path;
    const char *member;
    dx_arena arena; /* rows, header names, ids */
    unsigned role_col[N_ROLES];
    dx_xt_headers headers;
    dx_strmap ids; /* id → index in parties */
    dfat_party *parties;
    size_t n_parties, cap_parties;
    size_t errors;
} dfat;

/* ---- text helpers ----------------------------------------------------------------------- */

/* `s` without leading and trailing white space (ASCII, U+3000, U+00A0). */
static cell_text trim(const char *s, size_t len)
{
    return dx_xt_trim(s, len, dx_xt_is_space);
}

/* Case-insensitive comparison of `t` (white space runs read as one space) with `word`. */
static int same_words(cell_text t, const char *word)
{
    size_t w = 0;
    t = trim(t.s, t.len);
    for (size_t i = 0; i < t.len; i++) {
        int space = t.s[i] == ' ' || t.s[i] == '\n' || t.s[i] == '\r' || t.s[i] == '\t';
        if (space && i > 0 && (t.s[i - 1] == ' ' || t.s[i - 1] == '\n' || t.s[i - 1] == '\r' ||
                               t.s[i - 1] == '\t'))
            continue;
        char c = space ? ' ' : t.s[i];
        if (!word[w] || (c | 0x20) != (word[w] | 0x20) || (c == ' ') != (word[w] == ' '))
            return 0;
        w++;
    }
    return word[w] == '\0';
}

/* ---- diagnostics ------------------------------------------------------------------------ */

static dx_status row_diag(dfat *d, unsigned long number, unsigned long line, cell_text ref,
                          dx_severity sev, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static dx_status row_diag(dfat *d, unsigned long number, unsigned long line, cell_text ref,
                          dx_severity sev, const char *code, const char *fmt, ...)
{
    char refbuf[40];
    va_list ap;
    va_start(ap, fmt);
    dx_status st = dx_xt_row_diagv(d->im->diags, &d->errors, d->path, d->member, NULL, number,
                                   line, "Reference",
                                   ref.len ? dx_xt_one_line(ref, refbuf, sizeof refbuf) : NULL,
                                   sev, code, fmt, ap);
    va_end(ap);
    return st;
}

/* ---- rows ------------------------------------------------------------------------------- */

static cell_text cell_of(const dfat_row *row, unsigned column)
{
    for (size_t i = 0; column && i < row->n_cells; i++) {
        if (row->cells[i].column == column)
            return row->cells[i].text;
    }
    return (cell_text){"", 0};
}

/* The cell's text without white space (U+00A0 too: DFAT leaves it after some names). */
static cell_text trimmed_cell(const dfat_row *row, unsigned column)
{
    cell_text t = cell_of(row, column);
    return trim(t.s, t.len);
}

static const dfat_cell *cell_at(const dfat_row *row, unsigned column)
{
    for (size_t i = 0; column && i < row->n_cells; i++) {
        if (row->cells[i].column == column)
            return &row->cells[i];
    }
    return NULL;
}

/* The name kind of a Name Type cell; -1 when unknown. */
static int name_kind_of(cell_text t)
{
    static const struct {
        const char *text;
        dx_name_kind kind;
    } kinds[] = {
        {"primary name", DX_NAME_PRIMARY},        {"aka", DX_NAME_ALIAS_STRONG},
        {"original script", DX_NAME_ORIGINAL_SCRIPT}, {"formerly known as", DX_NAME_FORMER},
        {"previously listed as", DX_NAME_FORMER},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (same_words(t, kinds[i].text))
            return (int)kinds[i].kind;
    }
    return -1;
}

/* The digits that start a Reference ("34c1" → 34 digits "34"); 0 when it is not digits
 * followed by letters and digits. */
static size_t reference_digits(cell_text ref)
{
    size_t n = 0;
    while (n < ref.len && ref.s[n] >= '0' && ref.s[n] <= '9')
        n++;
    if (n == 0 || n > 12)
        return 0;
    for (size_t i = n; i < ref.len; i++) {
        char c = ref.s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return 0;
    }
    return n;
}

/* Copy the row's cells into the arena; NULL when out of memory. */
static dfat_row *copy_row(dfat *d, const dx_xlsx_row *row, dx_name_kind kind)
{
    dfat_row *r = dx_arena_alloc(&d->arena, sizeof *r);
    dfat_cell *cells = r ? dx_arena_alloc(&d->arena, (row->n_cells + 1) * sizeof *cells) : NULL;
    if (!cells)
        return NULL;
    *r = (dfat_row){row->number, row->line, kind, row->n_cells, cells, NULL};
    for (size_t i = 0; i < row->n_cells; i++) {
        const dx_xlsx_cell *c = &row->cells[i];
        size_t len = c->len > DFAT_MAX_TEXT ? DFAT_MAX_TEXT : c->len;
        char *s = dx_arena_strndup(&d->arena, c->value, len);
        if (!s)
            return NULL;
        cells[i] = (dfat_cell){c->column, c->type == DX_XLSX_NUMBER, {s, len}};
    }
    return r;
}

/* Chain `r` to the party `id` (created at its first row). */
static dx_status add_to_party(dfat *d, dfat_row *r, cell_text digits)
{
    char *id = dx_arena_strndup(&d->arena, digits.s, digits.len);
    int inserted = 0;
    size_t at = d->n_parties;
    dx_status st = id ? dx_strmap_put(&d->ids, id, at, &inserted, &at) : DX_ERR_NOMEM;
    if (st != DX_OK)
        return st;
    if (inserted) {
        if (d->n_parties == d->cap_parties) {
            size_t cap = dx_grow_cap(d->cap_parties, d->n_parties + 1, (size_t)1 << 24);
            dfat_party *p = cap ? dx_realloc(d->parties, cap * sizeof *p) : NULL;
            if (!p)
                return DX_ERR_NOMEM; /* the map's entry points past the end: never read */
            d->parties = p;
            d->cap_parties = cap;
        }
        d->parties[d->n_parties++] = (dfat_party){id, r, r};
        return DX_OK;
    }
    d->parties[at].last->next = r;
    d->parties[at].last = r;
    return DX_OK;
}

static cell_text xcell(const dx_xlsx_row *row, unsigned column)
{
    return dx_xt_cell(row, column, DX_XT_ALL);
}

/* Check one data row and keep it with its party. */
static dx_status read_row(dfat *d, const dx_xlsx_row *row)
{
    if (dx_xt_row_blank(row, dx_xt_is_space))
        return DX_OK;
    cell_text ref = trim(xcell(row, d->role_col[ROLE_REF]).s, xcell(row, d->role_col[ROLE_REF]).len);
    cell_text name = trim(xcell(row, d->role_col[ROLE_NAME]).s, xcell(row, d->role_col[ROLE_NAME]).len);
    cell_text type = xcell(row, d->role_col[ROLE_NAME_TYPE]);
    char buf[64];
    size_t digits = reference_digits(ref);
    if (!digits)
        return row_diag(d, row->number, row->line, ref, DX_SEV_ERROR, "dfat.reference",
                        ref.len ? "the Reference is not digits followed by a suffix"
                                : "no Reference");
    if (!name.len)
        return row_diag(d, row->number, row->line, ref, DX_SEV_ERROR, "dfat.no-name",
                        "no name of individual or entity");
    int kind = name_kind_of(type);
    if (kind < 0)
        return row_diag(d, row->number, row->line, ref, DX_SEV_ERROR, "dfat.name-type",
                        "unknown Name Type '%s'",
                        dx_xt_one_line(trim(type.s, type.len), buf, sizeof buf));
    dfat_row *r = copy_row(d, row, (dx_name_kind)kind);
    return r ? add_to_party(d, r, (cell_text){ref.s, digits}) : DX_ERR_NOMEM;
}

/* ---- entries ---------------------------------------------------------------------------- */

/* The entry kind of a Type cell; -1 when unknown. */
static int entry_kind_of(cell_text t)
{
    static const struct {
        const char *text;
        dx_entry_kind kind;
    } kinds[] = {{"individual", DX_ENTRY_PERSON}, {"entity", DX_ENTRY_ORGANIZATION},
                 {"vessel", DX_ENTRY_VESSEL},     {"aircraft", DX_ENTRY_AIRCRAFT},
                 {"", DX_ENTRY_UNKNOWN}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (same_words(t, kinds[i].text))
            return (int)kinds[i].kind;
    }
    return -1;
}

static int same_text(cell_text a, cell_text b)
{
    a = trim(a.s, a.len);
    b = trim(b.s, b.len);
    return a.len == b.len && !memcmp(a.s, b.s, a.len);
}

/* 1 when a row of the party before `row` has the same text in `column`. */
static int seen_before(const dfat_party *p, const dfat_row *row, unsigned column, cell_text t)
{
    for (const dfat_row *r = p->first; r && r != row; r = r->next) {
        if (same_text(cell_of(r, column), t))
            return 1;
    }
    return 0;
}

static int is_none(cell_text t)
{
    t = trim(t.s, t.len);
    return t.len == 0 || same_words(t, "na") || same_words(t, "n/a") || same_words(t, "-");
}

/* The facts of one row that no earlier row of the party stated. */
static dx_status add_row_facts(dfat *d, const dfat_party *p, const dfat_row *row)
{
    dx_entry_builder *b = d->im->builder;
    dx_status st = DX_OK;
    for (size_t f = 0; st == DX_OK && f < sizeof FACTS / sizeof FACTS[0]; f++) {
        unsigned column = d->role_col[FACTS[f].role];
        const dfat_cell *c = cell_at(row, column);
        if (!c || is_none(c->text) || seen_before(p, row, column, c->text))
            continue;
        char date[11], alpha2[3] = "";
        cell_text value = trim(c->text.s, c->text.len);
        if (FACTS[f].role == ROLE_DOB && c->number && dx_xt_serial_date(value, date))
            value = (cell_text){date, 10};
        if (FACTS[f].resolve)
            st = dx_xt_resolve_place(d->im->countries, value, dx_xt_is_space, alpha2);
        if (st == DX_OK)
            st = dx_entry_add_fact_in(b, FACTS[f].type, value.s, value.len, alpha2);
    }
    return st;
}

/* Raw: every cell of the primary row; of the other rows, what is not the primary's. */
static dx_status add_row_raw(dfat *d, const dfat_row *primary, const dfat_row *row)
{
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < row->n_cells; i++) {
        const dfat_cell *c = &row->cells[i];
        int own = c->column == d->role_col[ROLE_REF] || c->column == d->role_col[ROLE_NAME] ||
                  c->column == d->role_col[ROLE_NAME_TYPE];
        if (row != primary && !own && same_text(c->text, cell_of(primary, c->column)))
            continue;
        char letters[4];
        st = dx_entry_add_raw(d->im->builder, dx_xt_field_name(&d->headers, c->column, letters), c->text.s,
                              c->text.len);
    }
    return st;
}

/* The party's primary row; NULL (reported) when it has none or several. */
static dx_status find_primary(dfat *d, const dfat_party *p, const dfat_row **out)
{
    size_t n = 0;
    *out = NULL;
    for (const dfat_row *r = p->first; r; r = r->next) {
        if (r->name_kind == DX_NAME_PRIMARY && n++ == 0)
            *out = r;
    }
    if (n == 1)
        return DX_OK;
    const dfat_row *at = n ? *out : p->first;
    cell_text id = {p->id, strlen(p->id)};
    *out = NULL;
    if (n)
        return row_diag(d, at->number, at->line, id, DX_SEV_ERROR, "dfat.primary",
                        "%zu rows of this party are its Primary Name; one is expected", n);
    return row_diag(d, at->number, at->line, id, DX_SEV_ERROR, "dfat.primary",
                    "no row of this party is its Primary Name");
}

/* The party's kind from its primary row; *kind = -1 (reported) when the Type is unknown. */
static dx_status party_kind(dfat *d, const dfat_party *p, const dfat_row *primary, int *kind)
{
    cell_text type = cell_of(primary, d->role_col[ROLE_TYPE]);
    char buf[64];
    *kind = entry_kind_of(type);
    if (*kind < 0)
        return row_diag(d, primary->number, primary->line, (cell_text){p->id, strlen(p->id)},
                        DX_SEV_ERROR, "dfat.type", "unknown Type '%s'",
                        dx_xt_one_line(trim(type.s, type.len), buf, sizeof buf));
    if (*kind == DX_ENTRY_UNKNOWN)
        return row_diag(d, primary->number, primary->line, (cell_text){p->id, strlen(p->id)},
                        DX_SEV_WARNING, "dfat.no-type",
                        "no Type (individual or entity); the kind is unknown");
    return DX_OK;
}

static dx_status primary_details(dfat *d, const dfat_row *primary)
{
    dx_entry_builder *b = d->im->builder;
    cell_text info = cell_of(primary, d->role_col[ROLE_INFO]);
    const dfat_cell *control = cell_at(primary, d->role_col[ROLE_CONTROL]);
    char date[11];
    dx_status st = is_none(info) ? DX_OK : dx_entry_set_remarks(b, info.s, info.len);
    cell_text t = control ? trim(control->text.s, control->text.len) : (cell_text){"", 0};
    if (st == DX_OK && control && control->number && dx_xt_serial_date(t, date))
        st = dx_entry_set_start_date(b, date, 10);
    else if (st == DX_OK && t.len == 10 && t.s[4] == '-' && t.s[7] == '-')
        st = dx_entry_set_start_date(b, t.s, t.len);
    return st;
}

static dx_status emit_party(dfat *d, const dfat_party *p)
{
    const dfat_row *primary;
    int kind;
    dx_status st = find_primary(d, p, &primary);
    if (st != DX_OK || !primary)
        return st;
    if ((st = party_kind(d, p, primary, &kind)) != DX_OK || kind < 0)
        return st;
    dx_entry_builder *b = d->im->builder;
    dx_entry_begin(b, LIST_ID, (dx_entry_kind)kind);
    cell_text name = trimmed_cell(primary, d->role_col[ROLE_NAME]);
    st = dx_entry_set_id(b, p->id, strlen(p->id));
    if (st == DX_OK)
        st = dx_entry_add_name(b, DX_NAME_PRIMARY, name.s, name.len);
    for (const dfat_row *r = p->first; st == DX_OK && r; r = r->next) {
        name = trimmed_cell(r, d->role_col[ROLE_NAME]);
        if (r != primary)
            st = dx_entry_add_name(b, r->name_kind, name.s, name.len);
    }
    for (const dfat_row *r = p->first; st == DX_OK && r; r = r->next)
        st = add_row_facts(d, p, r);
    if (st == DX_OK)
        st = primary_details(d, primary);
    if (st == DX_OK)
        st = add_row_raw(d, primary, primary);
    for (const dfat_row *r = p->first; st == DX_OK && r; r = r->next)
        st = r == primary ? DX_OK : add_row_raw(d, primary, r);
    if (st == DX_ERR_LIMIT)
        return row_diag(d, primary->number, primary->line, (cell_text){p->id, strlen(p->id)},
                        DX_SEV_ERROR, "dfat.too-large", "the party's cells are too large to keep");
    if (st != DX_OK)
        return st;
    const dx_entry *e = dx_entry_finish(b);
    return e ? d->im->emit(d->im->emit_ctx, e) : DX_ERR_NOMEM;
}

/* ---- header ----------------------------------------------------------------------------- */

/* When `row` is the header, note its columns and names and set *found. */
static dx_status try_header(dfat *d, const dx_xlsx_row *row, int *found)
{
    unsigned cols[N_ROLES] = {0};
    for (size_t i = 0; i < row->n_cells; i++) {
        cell_text t = {row->cells[i].value, row->cells[i].len};
        for (int r = 0; r < N_ROLES; r++) {
            if (!cols[r] && same_words(t, ROLE_HEADERS[r]))
                cols[r] = row->cells[i].column;
        }
    }
    *found = cols[ROLE_REF] && cols[ROLE_NAME] && cols[ROLE_NAME_TYPE];
    if (!*found)
        return DX_OK;
    memcpy(d->role_col, cols, sizeof cols);
    return dx_xt_headers_read(&d->headers, &d->arena, row, DX_XT_ALL, 1024, 0);
}

/* ---- the import ------------------------------------------------------------------------- */

static dx_status try_header_cb(void *ctx, const dx_xlsx_row *row, int *found)
{
    return try_header(ctx, row, found);
}

static dx_status read_row_cb(void *ctx, const dx_xlsx_row *row)
{
    return read_row(ctx, row);
}

static dx_status read_sheet(dfat *d, dx_xlsx *x, size_t sheet)
{
    int header = 0;
    d->member = dx_xlsx_sheet_member(x, sheet);
    dx_status st =
        dx_xt_read_rows(x, sheet, DFAT_HEADER_ROWS, try_header_cb, read_row_cb, d, &header);
    if (st == DX_OK && !header)
        st = dx_xt_file_error(d->im->diags, d->path, "dfat.format",
                              "%s: no header row naming the Reference, 'Name of Individual or "
                              "Entity' and 'Name Type' columns in the first 20 rows: this does "
                              "not look like DFAT's Consolidated List",
                              d->member);
    for (size_t i = 0; st == DX_OK && i < d->n_parties; i++)
        st = emit_party(d, &d->parties[i]);
    return st;
}

dx_status dx_import_au_dfat(dx_import *im, const dx_import_file *files, size_t n_files)
{
    dx_status st = dx_xt_check_files(im, files, n_files, "dfat.files",
                                     "DFAT's Consolidated List");
    if (st != DX_OK)
        return st;
    dfat d = {.im = im, .path = files[0].path ? files[0].path : ""};
    dx_xlsx *x = NULL;
    st = dx_xt_open(im, &files[0], d.path, &x);
    if (st == DX_OK)
        st = dx_xlsx_sheet_count(x) == 0
                 ? dx_xt_file_error(im->diags, d.path, "dfat.format", "%s",
                                    "the workbook has no sheet")
                 : read_sheet(&d, x, dx_xt_sheet_or_first(x, "Sheet1"));
    if (st == DX_OK && d.errors)
        st = DX_ERR_INPUT;
    dx_xlsx_free(x);
    dx_strmap_free(&d.ids);
    dx_free(d.parties);
    dx_arena_free(&d.arena);
    return st;
}
