/*
 * import_dpl.c — the BIS Denied Persons List (dpl.txt), list id "us_bis_dpl".
 *
 * The format. A tab-separated text file, every field double-quoted, with a header row:
 * Name, Street_Address, City, State, Country, Postal_Code, Effective_Date, Expiration_Date,
 * Standard_Order, Last_Update, Action, FR_Citation. The CSV reader picks the tab delimiter
 * from the header line (more tabs than commas). Columns are found by header name (case
 * aside); all twelve are required, since the derived id depends on seven of them and the
 * format has not changed in decades: a missing column means this is some other file. Extra
 * columns are kept in raw with a warning.
 *
 * Traps. One row is one party at one address under one denial order: a person with three
 * addresses is three rows, and the same name recurs under later orders. Names carry stray
 * leading spaces (" I. ASH"). Effective_Date and Expiration_Date are MM/DD/YYYY, Last_Update
 * is YYYY-MM-DD. FR_Citation grows as an order is amended ("... 71 F.R. 38843 7/10/06" is
 * appended). The list mixes persons and firms without saying which: the kind stays unknown.
 * Some rows are published twice, identical in every field (3 in the 2019-07 file, 2 in
 * 2022-09).
 *
 * The entry id. The list has no id of its own. We use the first 40 hex digits of SHA-256 over
 * Name, Street_Address, City, State, Country, Postal_Code and Effective_Date (trimmed, joined
 * by 0x1F): the party, where it is, and which order. The columns an amendment changes
 * (Expiration_Date, Standard_Order, Last_Update, Action, FR_Citation) are left out so that the
 * id survives an amendment. Apart from the identical repeats, this key is unique in both files
 * we hold. Two rows with one id (id_repeats.h tracks both the ids and the row digests):
 *   - identical in every field: the later is kept as "<id>#2" ("#3", ...) with a warning;
 *   - different elsewhere (the same party, address and order published with different terms):
 *     an import error, because which row is current cannot be known.
 *
 * Facts: address ("street, city, state, postal code, country" from the non-empty parts, its
 * country resolved from Country), effective_date, expiration_date, standard_order,
 * last_update, action, federal_register, each as written; start_date is Effective_Date
 * converted to YYYY-MM-DD when it is a valid MM/DD/YYYY (or already YYYY-MM-DD).
 */
#include "import.h"

#include <stdio.h>
#include <string.h>

#include "id_repeats.h"
#include "import_text.h"
#include "sha256.h"
#include "strbuf.h"

static const char LIST_ID[] = "us_bis_dpl";

#define DPL_MAX_TEXT ((size_t)64 << 20) /* decoded bytes of one file: 400x the 2022 list */
#define DPL_HASH_DIGITS 40

enum dpl_column {
    COL_NAME, COL_STREET, COL_CITY, COL_STATE, COL_COUNTRY, COL_POSTAL_CODE,
    COL_EFFECTIVE_DATE, COL_EXPIRATION_DATE, COL_STANDARD_ORDER, COL_LAST_UPDATE, COL_ACTION,
    COL_FR_CITATION, N_COLUMNS
};

static const char *const COLUMN_NAMES[N_COLUMNS] = {
    "Name", "Street_Address", "City", "State", "Country", "Postal_Code", "Effective_Date",
    "Expiration_Date", "Standard_Order", "Last_Update", "Action", "FR_Citation"};

/* The columns kept as facts, with their fact types. */
static const struct {
    enum dpl_column column;
    const char *type;
} FACT_COLUMNS[] = {
    {COL_EFFECTIVE_DATE, "effective_date"}, {COL_EXPIRATION_DATE, "expiration_date"},
    {COL_STANDARD_ORDER, "standard_order"}, {COL_LAST_UPDATE, "last_update"},
    {COL_ACTION, "action"},                 {COL_FR_CITATION, "federal_register"},
};

/* The address parts, in the order they are written in the address fact. */
static const enum dpl_column ADDRESS_COLUMNS[] = {COL_STREET, COL_CITY, COL_STATE,
                                                  COL_POSTAL_CODE, COL_COUNTRY};

#define COUNT(a) (sizeof(a) / sizeof(a)[0])

static const dx_text_codes CODES = {
    "dpl.duplicate-column", "dpl.bad-header", "dpl.undecodable", NULL, "dpl.too-large",
    "dpl.empty", "dpl.no-entries"};

typedef struct dpl_file {
    dx_text_file t;             /* the path, the header and where each column is */
    dx_id_repeats *reg;         /* ids given so far, digests of whole rows (contents) */
    size_t field_of[N_COLUMNS]; /* 1-based field of each column, 0 when absent */
    dx_strbuf scratch;          /* the id, then the address */
} dpl_file;

typedef dx_text text;

#define file_error(f, ...) dx_text_file_error(&(f)->t, __VA_ARGS__)

static text field(const dpl_file *f, const dx_csv_row *row, enum dpl_column col)
{
    return dx_text_field(&f->t, row, col);
}

/* ---- the header ---- */

static dx_status check_columns(dpl_file *f, const dx_csv_row *row)
{
    dx_strbuf missing = DX_STRBUF_INIT;
    dx_status st = DX_OK;
    size_t n = 0;
    for (size_t c = 0; c < N_COLUMNS && st == DX_OK; c++) {
        if (f->field_of[c])
            continue;
        st = dx_strbuf_printf(&missing, "%s'%s'", n++ ? ", " : "", COLUMN_NAMES[c]);
    }
    if (st == DX_OK && n) {
        f->t.header_bad = 1;
        st = file_error(f, DX_SEV_ERROR, row->line, 0, "dpl.missing-column",
                        "the header of dpl.txt is Name, Street_Address, City, State, Country, "
                        "Postal_Code, Effective_Date, Expiration_Date, Standard_Order, "
                        "Last_Update, Action, FR_Citation; no row of this file is read",
                        "the header has no column%s %s", n > 1 ? "s" : "", missing.data);
    }
    if (st == DX_OK && f->t.n_header > N_COLUMNS && !f->t.header_bad)
        st = file_error(f, DX_SEV_WARNING, row->line, 0, "dpl.unknown-columns",
                        "they are kept in each entry's raw fields",
                        "%zu columns not known to this importer", f->t.n_header - N_COLUMNS);
    dx_strbuf_free(&missing);
    return st;
}

static dx_status read_header(dpl_file *f, const dx_csv_row *row)
{
    dx_status st = dx_text_map_header(&f->t, row);
    if (st == DX_OK)
        st = dx_text_check_header_damage(&f->t, row);
    return st == DX_OK ? check_columns(f, row) : st;
}

/* ---- the id ---- */

/* First 40 hex digits of SHA-256 over the trimmed fields of `cols` joined by 0x1F. */
static void digest_fields(const dpl_file *f, const dx_csv_row *row, const enum dpl_column *cols,
                          size_t n, char hex[65])
{
    dx_sha256 h;
    dx_sha256_init(&h);
    for (size_t k = 0; k < n; k++) {
        text t = field(f, row, cols[k]);
        if (k)
            dx_sha256_update(&h, "\x1f", 1);
        dx_sha256_update(&h, t.s, t.len);
    }
    unsigned char digest[32];
    dx_sha256_final(&h, digest);
    dx_sha256_to_hex(digest, hex);
    hex[DPL_HASH_DIGITS] = '\0';
}

/*
 * The id of the row into f->scratch (see the design comment): DX_OK with *rejected = 0, or a
 * reported error with *rejected = 1 when the id belongs to a different row.
 */
static dx_status claim_id(dpl_file *f, const dx_csv_row *row, int *rejected)
{
    static const enum dpl_column KEY[] = {COL_NAME, COL_STREET, COL_CITY, COL_STATE,
                                          COL_COUNTRY, COL_POSTAL_CODE, COL_EFFECTIVE_DATE};
    static const enum dpl_column ALL[] = {
        COL_NAME, COL_STREET, COL_CITY, COL_STATE, COL_COUNTRY, COL_POSTAL_CODE,
        COL_EFFECTIVE_DATE, COL_EXPIRATION_DATE, COL_STANDARD_ORDER, COL_LAST_UPDATE,
        COL_ACTION, COL_FR_CITATION};
    char id[65], whole[65];
    unsigned long same_row, id_line;
    *rejected = 0;
    digest_fields(f, row, KEY, COUNT(KEY), id);
    digest_fields(f, row, ALL, COUNT(ALL), whole);
    dx_status st = dx_id_repeats_content(f->reg, whole, row->line, &same_row);
    dx_strbuf_reset(&f->scratch);
    if (st == DX_OK)
        st = dx_strbuf_append(&f->scratch, id, DPL_HASH_DIGITS);
    if (st != DX_OK)
        return st;
    if (!same_row && dx_id_repeats_taken(f->reg, id, &id_line)) {
        *rejected = 1;
        return file_error(f, DX_SEV_ERROR, row->line, 0, "dpl.duplicate-id",
                          "BIS lists a party at an address once per order; keep the current row",
                          "this row has the same name, address and effective date as the row "
                          "at line %lu but differs from it", id_line);
    }
    st = dx_id_repeats_claim(f->reg, &f->scratch, row->line, &id_line);
    if (st == DX_OK && id_line)
        st = file_error(f, DX_SEV_WARNING, row->line, 0, "dpl.repeated-row",
                        "BIS publishes some rows twice; both are kept",
                        "this row repeats the row at line %lu; it is kept as '%s'", same_row,
                        f->scratch.data);
    return st;
}

/* ---- the entry ---- */

/* The number written by `n` digits at s, or -1. */
static int digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Effective_Date as YYYY-MM-DD into out[11]: from MM/DD/YYYY or YYYY-MM-DD; 0 otherwise
 * (not a calendar date). */
static int iso_date(text t, char out[11])
{
    const char *y, *m, *d; /* 4, 2 and 2 digits */
    if (t.len == 10 && t.s[2] == '/' && t.s[5] == '/')
        m = t.s, d = t.s + 3, y = t.s + 6;
    else if (t.len == 10 && t.s[4] == '-' && t.s[7] == '-')
        y = t.s, m = t.s + 5, d = t.s + 8;
    else
        return 0;
    static const int DAYS[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int year = digits(y, 4), month = digits(m, 2), day = digits(d, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > DAYS[month - 1])
        return 0;
    if (month == 2 && day == 29 && (year % 4 || (year % 100 == 0 && year % 400)))
        return 0;
    memcpy(out, y, 4);
    out[4] = '-';
    memcpy(out + 5, m, 2);
    out[7] = '-';
    memcpy(out + 8, d, 2);
    out[10] = '\0';
    return 1;
}

static dx_status add_address(dpl_file *f, const dx_csv_row *row)
{
    dx_strbuf_reset(&f->scratch);
    dx_status st = DX_OK;
    for (size_t k = 0; k < COUNT(ADDRESS_COLUMNS) && st == DX_OK; k++) {
        text part = field(f, row, ADDRESS_COLUMNS[k]);
        if (part.len && f->scratch.len)
            st = dx_strbuf_append(&f->scratch, ", ", 2);
        if (part.len && st == DX_OK)
            st = dx_strbuf_append(&f->scratch, part.s, part.len);
    }
    if (st != DX_OK || !f->scratch.len)
        return st;
    text country = field(f, row, COL_COUNTRY);
    char alpha2[3] = "";
    if (country.len && f->t.im->countries) {
        dx_country_match m;
        st = dx_country_lookup(f->t.im->countries, country.s, country.len, &m);
        if (st == DX_OK && m.result == DX_COUNTRY_FOUND)
            memcpy(alpha2, m.alpha2, 3);
    }
    if (st == DX_OK)
        st = dx_entry_add_fact_in(f->t.im->builder, "address", f->scratch.data, f->scratch.len,
                                  alpha2);
    return st;
}

static dx_status add_facts_and_raw(dpl_file *f, const dx_csv_row *row)
{
    dx_entry_builder *b = f->t.im->builder;
    dx_status st = add_address(f, row);
    for (size_t k = 0; k < COUNT(FACT_COLUMNS) && st == DX_OK; k++) {
        text value = field(f, row, FACT_COLUMNS[k].column);
        st = dx_entry_add_fact_in(b, FACT_COLUMNS[k].type, value.s, value.len, NULL);
    }
    char date[11];
    if (st == DX_OK && iso_date(field(f, row, COL_EFFECTIVE_DATE), date))
        st = dx_entry_set_start_date(b, date, 10);
    for (size_t i = 0; i < row->n_fields && st == DX_OK; i++)
        st = dx_entry_add_raw(b, f->t.header[i], row->fields[i], row->lens[i]);
    return st;
}

static dx_status build_entry(dpl_file *f, const dx_csv_row *row)
{
    dx_entry_builder *b = f->t.im->builder;
    text name = field(f, row, COL_NAME);
    if (!name.len)
        return file_error(f, DX_SEV_ERROR, row->line, f->field_of[COL_NAME], "dpl.missing-name",
                          NULL, "the row has no name");
    int rejected = 0;
    dx_status st = claim_id(f, row, &rejected);
    if (st != DX_OK || rejected)
        return st;
    dx_entry_begin(b, LIST_ID, DX_ENTRY_UNKNOWN);
    st = dx_entry_set_id(b, f->scratch.data, f->scratch.len);
    if (st == DX_OK)
        st = dx_entry_add_name(b, DX_NAME_PRIMARY, name.s, name.len);
    if (st == DX_OK)
        st = add_facts_and_raw(f, row);
    if (st == DX_ERR_LIMIT)
        return file_error(f, DX_SEV_ERROR, row->line, 0, "dpl.row-too-large", NULL,
                          "the row is too large to be kept");
    if (st != DX_OK)
        return st;
    /* the id and a non-blank name are set, so only memory can be missing */
    const dx_entry *entry = dx_entry_finish(b);
    return entry ? f->t.im->emit(f->t.im->emit_ctx, entry) : DX_ERR_NOMEM;
}

static dx_status on_row(void *ctx, const dx_csv_row *row)
{
    dpl_file *f = ctx;
    if (!f->t.have_header) {
        f->t.have_header = 1;
        return read_header(f, row);
    }
    f->t.rows++;
    if (f->t.header_bad || row->damaged)
        return DX_OK; /* already reported */
    if (row->n_fields != f->t.n_header)
        return file_error(f, DX_SEV_ERROR, row->line, 0, "dpl.field-count",
                          "every row has as many tab-separated fields as the header",
                          "the row has %zu fields; the header has %zu", row->n_fields,
                          f->t.n_header);
    return build_entry(f, row);
}

/* ---- files ---- */

static dx_status read_file(dx_import *im, const dx_import_file *file, dx_id_repeats *reg)
{
    dpl_file f;
    memset(&f, 0, sizeof f);
    dx_text_file_init(&f.t, im, file, &CODES, COLUMN_NAMES, N_COLUMNS, f.field_of);
    f.reg = reg;
    dx_status st = dx_text_read_file(&f.t, file, DPL_MAX_TEXT, on_row, &f);
    dx_text_file_free(&f.t);
    dx_strbuf_free(&f.scratch);
    return st;
}

/*
 * Import the DPL files given (normally one dpl.txt): every valid row is built and handed to
 * im->emit; every problem goes to im->diags. DX_ERR_INPUT when any error was reported,
 * DX_ERR_NOMEM, or the first status other than DX_OK that im->emit returned.
 */
dx_status dx_import_dpl(dx_import *im, const dx_import_file *files, size_t n_files)
{
    return dx_text_import_files(im, files, n_files, read_file);
}
