/*
 * import_csl.c — the U.S. Consolidated Screening List (trade.gov CSV), list id "us_csl".
 *
 * The format. One CSV file with a header, UTF-8, RFC 4180 quoting (the 2022 file quotes only
 * where needed, the 2025 file quotes every field), a few quoted fields holding newlines. Two
 * layouts exist: 29 columns starting with `_id` (2020 onwards, consolidated.csv) and 28 without
 * it (2019, csl.csv); columns are therefore found by their header name, never by position, and
 * only `source` and `name` are required. Columns this file does not know are kept in raw.
 *
 * What a row means. `source` names the sub-list in words ("Entity List (EL) - Bureau of
 * Industry and Security"); each sub-list has its own legal effect (docs/domain.md §2.7), so it
 * becomes the fact `sub_list` with the short code (EL, MEU, UVL, DPL, ISN, DTC, SDN, SSI, FSE,
 * CAP, CMIC, NS-MBS, PLC). The part before " - " must be one of the known names (case aside);
 * anything else is an import error, never a guess: a new sub-list needs a reviewed mapping.
 * `type` gives the kind (Individual, Entity, Vessel, Aircraft); it is empty for the BIS and
 * State rows, which stay "unknown" (the list mixes persons and firms there).
 *
 * Entry ids. `_id` is not unique in the file: for Treasury rows it is OFAC's ent_num, and one
 * OFAC entity is published once per Treasury sub-list it is on (SDN + SSI + CAP ...: 112
 * repeats in the 2022-05 file). The entry id is therefore "<sub_list>:<key>", where the key is
 *   - `_id` when the column exists and the cell is not empty;
 *   - else `entity_number` (OFAC's ent_num: so a 2019 SDN row gets the same id "SDN:36" as the
 *     2022 row of the same entity);
 *   - else the first 40 hex digits of SHA-256 over source, name, start_date, addresses and
 *     federal_register_notice as written, separated by 0x1F (the smallest set of columns that
 *     is unique for the BIS/State rows of the 2019, 2022 and 2023 files).
 * White space in the key is collapsed as the entry builder does. trade.gov also repeats a few
 * rows inside one sub-list (CAP 15268 twice in 2022-05, differing only in source_list_url):
 * such a row is kept as "<id>#2" ("#3", ...) with a warning, so nothing disappears and ids stay
 * unique (id_repeats.h). `entity_number` is also kept as a fact: for SDN rows it lets the
 * matching engine merge a CSL hit with the OFAC hit of the same entity.
 *
 * Multi-valued fields (alt_names, addresses, programs, citizenships, nationalities,
 * dates_of_birth, places_of_birth, ids, federal_register_notice) are ';'-separated. A ';'
 * directly followed by ',' is a typo inside one item ("Tianjin Airport Economic Zone;, CN"),
 * not a separator. Addresses are "street, city, [state,] postal, ISO2": the country is the last
 * comma part when it resolves; so for places of birth ("Tehran, Iran").
 *
 * Ids come in two layouts: "[country, ][issued, expires, ]number, type" (2019/2022) and
 * "type, number[, country]" (2023 onwards). An item whose first or last part is a known type
 * label (table ID_TYPES) becomes that fact (passport, national_id, tax_id, registration, imo,
 * email, website, gender) with the number as value and the country code as its country; any
 * other item (sanctions notes, serial numbers, ...) is kept whole as an `id` fact.
 *
 * Errors, each with file:line:column (column = 1-based field): a header without `name` or
 * `source`, a header naming a column twice, a row whose field count differs from the header's,
 * a repeated header row, an unknown source or type, an empty name, and whatever the CSV reader
 * and decoder report. Every problem of the file is reported; the import then returns
 * DX_ERR_INPUT so that nothing of it is stored.
 */
#include "import.h"

#include <stdio.h>
#include <string.h>

#include "id_repeats.h"
#include "import_text.h"
#include "sha256.h"
#include "strbuf.h"

static const char LIST_ID[] = "us_csl";

#define CSL_MAX_TEXT ((size_t)256 << 20) /* decoded bytes of one file: 40x the 2022 list */
#define CSL_HASH_DIGITS 40
#define CSL_MAX_ID_PARTS 32              /* comma parts of one id item worth parsing */

enum csl_column {
    COL_ID, COL_SOURCE, COL_ENTITY_NUMBER, COL_TYPE, COL_PROGRAMS, COL_NAME, COL_TITLE,
    COL_ADDRESSES, COL_FEDERAL_REGISTER, COL_START_DATE, COL_END_DATE, COL_STANDARD_ORDER,
    COL_LICENSE_REQUIREMENT, COL_LICENSE_POLICY, COL_CALL_SIGN, COL_VESSEL_TYPE,
    COL_GROSS_TONNAGE, COL_GROSS_REGISTERED_TONNAGE, COL_VESSEL_FLAG, COL_VESSEL_OWNER,
    COL_REMARKS, COL_SOURCE_LIST_URL, COL_ALT_NAMES, COL_CITIZENSHIPS, COL_DATES_OF_BIRTH,
    COL_NATIONALITIES, COL_PLACES_OF_BIRTH, COL_SOURCE_INFORMATION_URL, COL_IDS, N_COLUMNS
};

static const char *const COLUMN_NAMES[N_COLUMNS] = {
    "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
    "federal_register_notice", "start_date", "end_date", "standard_order",
    "license_requirement", "license_policy", "call_sign", "vessel_type", "gross_tonnage",
    "gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks", "source_list_url",
    "alt_names", "citizenships", "dates_of_birth", "nationalities", "places_of_birth",
    "source_information_url", "ids"};

/* The sub-lists of the CSL: the name `source` writes before " - ", and the code we keep. */
typedef struct sub_list {
    const char *name;
    const char *code;
} sub_list;

static const sub_list SUB_LISTS[] = {
    {"Entity List (EL)", "EL"},
    {"Military End User (MEU) List", "MEU"},
    {"Unverified List (UVL)", "UVL"},
    {"Denied Persons List (DPL)", "DPL"},
    {"Nonproliferation Sanctions (ISN)", "ISN"},
    {"ITAR Debarred (DTC)", "DTC"},
    {"Specially Designated Nationals (SDN)", "SDN"},
    {"Sectoral Sanctions Identifications List (SSI)", "SSI"},
    {"Foreign Sanctions Evaders (FSE)", "FSE"},
    {"Capta List (CAP)", "CAP"},
    {"Non-SDN Chinese Military-Industrial Complex Companies List (CMIC)", "CMIC"},
    {"Non-SDN Menu-Based Sanctions List (NS-MBS List)", "NS-MBS"},
    {"Palestinian Legislative Council List (PLC)", "PLC"},
};

/* How a fact column finds its country. */
enum country_from { COUNTRY_NONE, COUNTRY_WHOLE, COUNTRY_LAST_PART };

typedef struct fact_column {
    enum csl_column column;
    const char *type;
    int split;              /* a ';'-separated list */
    enum country_from country;
} fact_column;

static const fact_column FACT_COLUMNS[] = {
    {COL_ENTITY_NUMBER, "entity_number", 0, COUNTRY_NONE},
    {COL_PROGRAMS, "program", 1, COUNTRY_NONE},
    {COL_TITLE, "title", 0, COUNTRY_NONE},
    {COL_ADDRESSES, "address", 1, COUNTRY_LAST_PART},
    {COL_FEDERAL_REGISTER, "federal_register", 1, COUNTRY_NONE},
    {COL_END_DATE, "expiration_date", 0, COUNTRY_NONE},
    {COL_STANDARD_ORDER, "standard_order", 0, COUNTRY_NONE},
    {COL_LICENSE_REQUIREMENT, "license_requirement", 0, COUNTRY_NONE},
    {COL_LICENSE_POLICY, "license_policy", 0, COUNTRY_NONE},
    {COL_CALL_SIGN, "call_sign", 0, COUNTRY_NONE},
    {COL_VESSEL_TYPE, "vessel_type", 0, COUNTRY_NONE},
    {COL_VESSEL_FLAG, "vessel_flag", 0, COUNTRY_WHOLE},
    {COL_CITIZENSHIPS, "citizenship", 1, COUNTRY_WHOLE},
    {COL_NATIONALITIES, "nationality", 1, COUNTRY_WHOLE},
    {COL_DATES_OF_BIRTH, "dob", 1, COUNTRY_NONE},
    {COL_PLACES_OF_BIRTH, "pob", 1, COUNTRY_LAST_PART},
};

/* Id labels (as OFAC writes them) that name a fact type; every other label gives `id`. */
typedef struct id_type {
    const char *label;
    const char *fact;
} id_type;

static const id_type ID_TYPES[] = {
    {"Passport", "passport"}, {"Diplomatic Passport", "passport"},
    {"National ID No.", "national_id"}, {"Cedula No.", "national_id"},
    {"D.N.I.", "national_id"}, {"C.U.R.P.", "national_id"},
    {"Personal ID Card", "national_id"}, {"National Foreign ID Number", "national_id"},
    {"Citizen's Card Number", "national_id"}, {"Kenyan ID No.", "national_id"},
    {"Turkish Identification Number", "national_id"}, {"Numero de Identidad", "national_id"},
    {"Tazkira National ID Card", "national_id"},
    {"Tax ID No.", "tax_id"}, {"R.F.C.", "tax_id"}, {"NIT #", "tax_id"}, {"RUC #", "tax_id"},
    {"RIF #", "tax_id"}, {"V.A.T. Number", "tax_id"}, {"Italian Fiscal Code", "tax_id"},
    {"C.U.I.T.", "tax_id"},
    {"Registration Number", "registration"}, {"Registration ID", "registration"},
    {"Company Number", "registration"}, {"UK Company Number", "registration"},
    {"Business Registration Number", "registration"},
    {"Business Registration Document #", "registration"},
    {"Commercial Registry Number", "registration"},
    {"Unified Social Credit Code (USCC)", "registration"},
    {"United Social Credit Code Certificate (USCCC)", "registration"},
    {"Government Gazette Number", "registration"}, {"Folio Mercantil No.", "registration"},
    {"Matricula Mercantil No", "registration"}, {"Trade License No.", "registration"},
    {"C.R. No.", "registration"}, {"Chamber of Commerce Number", "registration"},
    {"Legal Entity Number", "registration"}, {"Public Registration Number", "registration"},
    {"Certificate of Incorporation Number", "registration"},
    {"Enterprise Number", "registration"},
    {"Vessel Registration Identification", "imo"},
    {"Email Address", "email"}, {"Website", "website"}, {"Gender", "gender"},
};

#define COUNT(a) (sizeof(a) / sizeof(a)[0])

static const dx_text_codes CODES = {
    "csl.duplicate-column", "csl.bad-header", "csl.undecodable", "the CSL is published as UTF-8",
    "csl.too-large", "csl.empty", "csl.no-entries"};

/* One file being read. */
typedef struct csl_file {
    dx_text_file t;                /* the path, the header and where each column is */
    dx_id_repeats *ids;            /* ids given so far in the import */
    size_t field_of[N_COLUMNS];    /* 1-based field of each known column, 0 when absent */
    dx_strbuf key;                 /* scratch for the entry id */
} csl_file;

typedef dx_text text;

#define file_error(f, ...) dx_text_file_error(&(f)->t, __VA_ARGS__)

/* The trimmed value of a known column in `row`; empty when the file lacks the column. */
static text field(const csl_file *f, const dx_csv_row *row, enum csl_column col)
{
    return dx_text_field(&f->t, row, col);
}

/* ---- the header ---- */

static dx_status check_required(csl_file *f, const dx_csv_row *row)
{
    static const enum csl_column required[] = {COL_SOURCE, COL_NAME};
    dx_status st = DX_OK;
    for (size_t k = 0; k < COUNT(required) && st == DX_OK; k++) {
        if (f->field_of[required[k]])
            continue;
        f->t.header_bad = 1;
        st = file_error(f, DX_SEV_ERROR, row->line, 0, "csl.missing-column",
                        "the first line of a CSL file is its header (_id,source,entity_number,"
                        "type,programs,name,...); no row of this file is read",
                        "the header has no column '%s'", COLUMN_NAMES[required[k]]);
    }
    return st;
}

/* Columns of the header this importer does not know: kept in raw, named in a warning. */
static dx_status warn_unknown_columns(csl_file *f, const dx_csv_row *row)
{
    dx_strbuf names = DX_STRBUF_INIT;
    names.max = 4096;
    dx_status st = DX_OK;
    size_t n = 0;
    for (size_t i = 0; i < f->t.n_header && st == DX_OK; i++) {
        size_t c = 0;
        while (c < N_COLUMNS && f->field_of[c] != i + 1)
            c++;
        if (c == N_COLUMNS && n++ < 10)
            st = dx_strbuf_printf(&names, "%s'%.60s'", n > 1 ? ", " : "", f->t.header[i]);
    }
    if (st == DX_OK && n)
        st = file_error(f, DX_SEV_WARNING, row->line, 0, "csl.unknown-columns",
                        "they are kept in each entry's raw fields",
                        "%zu column%s not known to this importer: %s%s", n, n > 1 ? "s" : "",
                        names.data, n > 10 ? ", ..." : "");
    dx_strbuf_free(&names);
    return st;
}

/* Map each header name to its column; names are copied for raw. */
static dx_status read_header(csl_file *f, const dx_csv_row *row)
{
    dx_status st = dx_text_map_header(&f->t, row);
    if (st == DX_OK)
        st = warn_unknown_columns(f, row);
    if (st == DX_OK)
        st = dx_text_check_header_damage(&f->t, row);
    return st == DX_OK ? check_required(f, row) : st;
}

/* A data row that repeats the header word for word (files joined or re-exported). */
static int is_header_again(const csl_file *f, const dx_csv_row *row)
{
    for (size_t i = 0; i < row->n_fields; i++) {
        if (!dx_text_is(dx_text_trim(row->fields[i], row->lens[i]), f->t.header[i]))
            return 0;
    }
    return 1;
}

/* ---- values ---- */

static const sub_list *find_sub_list(text source)
{
    for (size_t i = 0; i + 2 < source.len; i++) {
        if (memcmp(source.s + i, " - ", 3) == 0) {
            source = dx_text_trim(source.s, i);
            break;
        }
    }
    for (size_t i = 0; i < COUNT(SUB_LISTS); i++) {
        if (dx_text_is(source, SUB_LISTS[i].name))
            return &SUB_LISTS[i];
    }
    return NULL;
}

/* The kind named by `type`; 0 when the word is not one of the four. */
static int find_kind(text type, dx_entry_kind *kind)
{
    static const struct { const char *word; dx_entry_kind kind; } KINDS[] = {
        {"", DX_ENTRY_UNKNOWN}, {"Individual", DX_ENTRY_PERSON},
        {"Entity", DX_ENTRY_ORGANIZATION}, {"Vessel", DX_ENTRY_VESSEL},
        {"Aircraft", DX_ENTRY_AIRCRAFT}};
    for (size_t i = 0; i < COUNT(KINDS); i++) {
        if (dx_text_is(type, KINDS[i].word)) {
            *kind = KINDS[i].kind;
            return 1;
        }
    }
    return 0;
}

/*
 * The next non-empty item of the ';'-separated list `list`, from *pos on; 0 when none is left.
 * A ';' directly followed by ',' belongs to its item (a typo in the list, not a separator).
 */
static int next_item(text list, size_t *pos, text *item)
{
    while (*pos < list.len) {
        size_t start = *pos, end = start;
        while (end < list.len && !(list.s[end] == ';' && (end + 1 >= list.len ||
                                                          list.s[end + 1] != ',')))
            end++;
        *pos = end + 1;
        *item = dx_text_trim(list.s + start, end - start);
        if (item->len)
            return 1;
    }
    return 0;
}

/* The ISO code `t` names, into alpha2 ("" when it does not resolve). */
static dx_status resolve_country(const csl_file *f, text t, char alpha2[3])
{
    alpha2[0] = '\0';
    if (!f->t.im->countries || !t.len)
        return DX_OK;
    dx_country_match m;
    dx_status st = dx_country_lookup(f->t.im->countries, t.s, t.len, &m);
    if (st == DX_OK && m.result == DX_COUNTRY_FOUND)
        memcpy(alpha2, m.alpha2, 3);
    return st;
}

static text last_comma_part(text t)
{
    for (size_t i = t.len; i > 0; i--) {
        if (t.s[i - 1] == ',')
            return dx_text_trim(t.s + i, t.len - i);
    }
    return t;
}

static dx_status add_fact(csl_file *f, const fact_column *fc, text value)
{
    char country[3] = "";
    dx_status st = DX_OK;
    if (fc->country == COUNTRY_WHOLE)
        st = resolve_country(f, value, country);
    else if (fc->country == COUNTRY_LAST_PART)
        st = resolve_country(f, last_comma_part(value), country);
    if (st != DX_OK)
        return st;
    return dx_entry_add_fact_in(f->t.im->builder, fc->type, value.s, value.len, country);
}

static dx_status add_fact_column(csl_file *f, const dx_csv_row *row, const fact_column *fc)
{
    text value = field(f, row, fc->column);
    if (!fc->split)
        return value.len ? add_fact(f, fc, value) : DX_OK;
    size_t pos = 0;
    text item;
    dx_status st = DX_OK;
    while (st == DX_OK && next_item(value, &pos, &item))
        st = add_fact(f, fc, item);
    return st;
}

/* ---- ids ---- */

static const char *id_fact_type(text label)
{
    for (size_t i = 0; i < COUNT(ID_TYPES); i++) {
        if (dx_text_is(label, ID_TYPES[i].label))
            return ID_TYPES[i].fact;
    }
    return NULL;
}

/* A two-letter ISO code (as the ids write countries), or NULL. */
static const char *id_country(const csl_file *f, text part, char alpha2[3])
{
    if (part.len != 2 || part.s[0] < 'A' || part.s[0] > 'Z' || part.s[1] < 'A' ||
        part.s[1] > 'Z' || !f->t.im->countries)
        return NULL;
    memcpy(alpha2, part.s, 2);
    alpha2[2] = '\0';
    return dx_country_is_code(f->t.im->countries, alpha2) ? alpha2 : NULL;
}

static int is_iso_date(text t)
{
    static const char shape[] = "dddd-dd-dd";
    if (t.len != 10)
        return 0;
    for (size_t i = 0; i < 10; i++) {
        if (shape[i] == 'd' ? (t.s[i] < '0' || t.s[i] > '9') : t.s[i] != '-')
            return 0;
    }
    return 1;
}

/*
 * One id item. parts[] are its comma parts. The label is the first part (2023 layout) or the
 * last (2019/2022); the country code sits at the other end; issue and expiry dates may follow
 * the country in the old layout. The value is the text between, as written.
 */
static dx_status add_id_item(csl_file *f, text item, const text *parts, size_t n)
{
    const char *type = NULL, *country = NULL;
    char alpha2[3];
    size_t first = 0, last = n; /* the value is parts [first, last) */
    if (n >= 2 && (type = id_fact_type(parts[0])) != NULL) {
        first = 1;
        if (n >= 3 && (country = id_country(f, parts[n - 1], alpha2)) != NULL)
            last = n - 1;
    } else if (n >= 2 && (type = id_fact_type(parts[n - 1])) != NULL) {
        last = n - 1;
        if (n >= 3 && (country = id_country(f, parts[0], alpha2)) != NULL)
            first = 1;
        while (last - first > 1 && is_iso_date(parts[first]))
            first++;
    }
    if (!type)
        return dx_entry_add_fact_in(f->t.im->builder, "id", item.s, item.len, NULL);
    const char *start = parts[first].s, *end = parts[last - 1].s + parts[last - 1].len;
    return dx_entry_add_fact_in(f->t.im->builder, type, start, (size_t)(end - start), country);
}

static dx_status add_ids(csl_file *f, const dx_csv_row *row)
{
    text list = field(f, row, COL_IDS), item;
    size_t pos = 0;
    dx_status st = DX_OK;
    while (st == DX_OK && next_item(list, &pos, &item)) {
        text parts[CSL_MAX_ID_PARTS];
        size_t n = 0, start = 0;
        for (size_t i = 0; i <= item.len && n < CSL_MAX_ID_PARTS; i++) {
            if (i == item.len || item.s[i] == ',') {
                parts[n++] = dx_text_trim(item.s + start, i - start);
                start = i + 1;
            }
        }
        int whole = n == CSL_MAX_ID_PARTS || n < 2;
        for (size_t k = 0; k < n && !whole; k++)
            whole = parts[k].len == 0;
        st = whole ? dx_entry_add_fact_in(f->t.im->builder, "id", item.s, item.len, NULL)
                   : add_id_item(f, item, parts, n);
    }
    return st;
}

/* ---- the entry ---- */

/* Appends `t` with runs of white space collapsed to one space (as the builder stores ids). */
static dx_status append_collapsed(dx_strbuf *b, text t)
{
    dx_status st = DX_OK;
    for (size_t i = 0; i < t.len && st == DX_OK; i++) {
        if (!dx_text_is_space(t.s[i]))
            st = dx_strbuf_putc(b, t.s[i]);
        else if (!dx_text_is_space(t.s[i + 1]))
            st = dx_strbuf_putc(b, ' ');
    }
    return st;
}

static dx_status append_hash(csl_file *f, const dx_csv_row *row)
{
    static const enum csl_column keyed[] = {COL_SOURCE, COL_NAME, COL_START_DATE, COL_ADDRESSES,
                                           COL_FEDERAL_REGISTER};
    dx_sha256 h;
    dx_sha256_init(&h);
    for (size_t k = 0; k < COUNT(keyed); k++) {
        text t = field(f, row, keyed[k]);
        if (k)
            dx_sha256_update(&h, "\x1f", 1);
        dx_sha256_update(&h, t.s, t.len);
    }
    unsigned char digest[32];
    char hex[65];
    dx_sha256_final(&h, digest);
    dx_sha256_to_hex(digest, hex);
    return dx_strbuf_append(&f->key, hex, CSL_HASH_DIGITS);
}

/* The entry id of the file's design comment, unique in the import. */
static dx_status set_entry_id(csl_file *f, const dx_csv_row *row, const sub_list *sub)
{
    dx_strbuf_reset(&f->key);
    dx_status st = dx_strbuf_printf(&f->key, "%s:", sub->code);
    text id = field(f, row, COL_ID), number = field(f, row, COL_ENTITY_NUMBER);
    if (st == DX_OK)
        st = id.len ? append_collapsed(&f->key, id)
                    : number.len ? append_collapsed(&f->key, number) : append_hash(f, row);
    unsigned long first_line = 0;
    if (st == DX_OK)
        st = dx_id_repeats_claim(f->ids, &f->key, row->line, &first_line);
    if (st == DX_OK && first_line)
        st = file_error(f, DX_SEV_WARNING, row->line, 0, "csl.duplicate-id",
                        "trade.gov publishes some rows twice; both are kept",
                        "this row has the same sub-list and id as the row at line %lu; it is "
                        "kept as '%s'", first_line, f->key.data);
    if (st == DX_OK)
        st = dx_entry_set_id(f->t.im->builder, f->key.data, f->key.len);
    return st;
}

static dx_status add_names(csl_file *f, const dx_csv_row *row)
{
    text name = field(f, row, COL_NAME), aliases = field(f, row, COL_ALT_NAMES), item;
    dx_status st = dx_entry_add_name(f->t.im->builder, DX_NAME_PRIMARY, name.s, name.len);
    size_t pos = 0;
    while (st == DX_OK && next_item(aliases, &pos, &item))
        st = dx_entry_add_name(f->t.im->builder, DX_NAME_ALIAS_STRONG, item.s, item.len);
    return st;
}

static dx_status add_texts_and_raw(csl_file *f, const dx_csv_row *row)
{
    dx_entry_builder *b = f->t.im->builder;
    text start = field(f, row, COL_START_DATE), url = field(f, row, COL_SOURCE_LIST_URL),
         remarks = field(f, row, COL_REMARKS);
    dx_status st = dx_entry_set_start_date(b, start.s, start.len);
    if (st == DX_OK)
        st = dx_entry_set_source_url(b, url.s, url.len);
    if (st == DX_OK)
        st = dx_entry_set_remarks(b, remarks.s, remarks.len);
    for (size_t i = 0; i < row->n_fields && st == DX_OK; i++)
        st = dx_entry_add_raw(b, f->t.header[i], row->fields[i], row->lens[i]);
    return st;
}

static dx_status build_entry(csl_file *f, const dx_csv_row *row, const sub_list *sub,
                             dx_entry_kind kind)
{
    dx_entry_builder *b = f->t.im->builder;
    dx_entry_begin(b, LIST_ID, kind);
    dx_status st = set_entry_id(f, row, sub);
    if (st == DX_OK)
        st = add_names(f, row);
    if (st == DX_OK)
        st = dx_entry_add_fact_in(b, "sub_list", sub->code, strlen(sub->code), NULL);
    for (size_t k = 0; k < COUNT(FACT_COLUMNS) && st == DX_OK; k++)
        st = add_fact_column(f, row, &FACT_COLUMNS[k]);
    if (st == DX_OK)
        st = add_ids(f, row);
    if (st == DX_OK)
        st = add_texts_and_raw(f, row);
    if (st == DX_ERR_LIMIT)
        return file_error(f, DX_SEV_ERROR, row->line, 0, "csl.row-too-large", NULL,
                          "the row is too large to be kept");
    if (st != DX_OK)
        return st;
    /* the id and a non-blank name are set, so only memory can be missing */
    const dx_entry *entry = dx_entry_finish(b);
    return entry ? f->t.im->emit(f->t.im->emit_ctx, entry) : DX_ERR_NOMEM;
}

/* ---- rows ---- */

static dx_status check_and_build(csl_file *f, const dx_csv_row *row)
{
    text source = field(f, row, COL_SOURCE), type = field(f, row, COL_TYPE);
    const sub_list *sub = find_sub_list(source);
    dx_entry_kind kind = DX_ENTRY_UNKNOWN;
    if (!sub)
        return file_error(f, DX_SEV_ERROR, row->line, f->field_of[COL_SOURCE],
                          "csl.unknown-source",
                          "the sub-lists known are EL, MEU, UVL, DPL, ISN, DTC, SDN, SSI, FSE, "
                          "CAP, CMIC, NS-MBS and PLC; a new one needs a reviewed mapping",
                          "unknown source '%.*s'", (int)(source.len > 200 ? 200 : source.len),
                          source.s);
    if (!find_kind(type, &kind))
        return file_error(f, DX_SEV_ERROR, row->line, f->field_of[COL_TYPE], "csl.unknown-type",
                          "type is Individual, Entity, Vessel, Aircraft or empty",
                          "unknown type '%.*s'", (int)(type.len > 200 ? 200 : type.len), type.s);
    if (!field(f, row, COL_NAME).len)
        return file_error(f, DX_SEV_ERROR, row->line, f->field_of[COL_NAME], "csl.missing-name",
                          NULL, "the row has no name");
    return build_entry(f, row, sub, kind);
}

static dx_status on_row(void *ctx, const dx_csv_row *row)
{
    csl_file *f = ctx;
    if (!f->t.have_header) {
        f->t.have_header = 1;
        return read_header(f, row);
    }
    f->t.rows++;
    if (f->t.header_bad || row->damaged)
        return DX_OK; /* already reported */
    if (row->n_fields != f->t.n_header)
        return file_error(f, DX_SEV_ERROR, row->line, 0, "csl.field-count",
                          "every row has as many fields as the header; a quote left open "
                          "or a cut file gives fewer",
                          "the row has %zu fields; the header has %zu", row->n_fields,
                          f->t.n_header);
    if (is_header_again(f, row))
        return file_error(f, DX_SEV_ERROR, row->line, 0, "csl.repeated-header",
                          "remove the repeated header; a CSL file has one header line",
                          "this row repeats the header");
    return check_and_build(f, row);
}

/* ---- files ---- */

static dx_status read_file(dx_import *im, const dx_import_file *file, dx_id_repeats *ids)
{
    csl_file f;
    memset(&f, 0, sizeof f);
    dx_text_file_init(&f.t, im, file, &CODES, COLUMN_NAMES, N_COLUMNS, f.field_of);
    f.ids = ids;
    dx_status st = dx_text_read_file(&f.t, file, CSL_MAX_TEXT, on_row, &f);
    dx_text_file_free(&f.t);
    dx_strbuf_free(&f.key);
    return st;
}

/*
 * Import the CSL files given (normally one): every valid row is built and handed to im->emit;
 * every problem goes to im->diags. DX_ERR_INPUT when any error was reported, DX_ERR_NOMEM, or
 * the first status other than DX_OK that im->emit returned.
 */
dx_status dx_import_csl(dx_import *im, const dx_import_file *files, size_t n_files)
{
    return dx_text_import_files(im, files, n_files, read_file);
}
