/*
 * records_parse.c — one record file: bytes → decoded text → rows → typed records.
 *
 * The first row is the header: each cell is matched to a schema column (case, spaces,
 * underscores and width ignored; Japanese aliases accepted). Unknown columns are kept with the
 * record and named in one warning. Each later row is converted column by column; every bad
 * value is its own diagnostic (file:line:field), and a row with any error is rejected whole.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "csvread.h"
#include "records_int.h"
#include "schema.h"
#include "strbuf.h"
#include "values.h"

typedef struct file_ctx {
    dx_records *r;
    const dx_schema *schema;
    dx_records_file *info;
    dx_diags *diags;
    const char *path;
    int have_header;
    int *column_of;       /* header field → schema column, or -1 */
    int field_of[DX_SCHEMA_MAX_COLUMNS]; /* schema column → 1-based header field, 0 = absent */
    size_t n_header;
    size_t n_unknown;
    int missing_required; /* a required column is absent: every row is rejected */
    int unnamed_warned;   /* a value under a header-less column was warned about */
    const char **values;  /* the row being converted: its values (trimmed) and lengths */
    size_t *lens;
    size_t values_cap;
    unsigned long line;   /* of the row being converted */
    int bad;              /* the row being converted has an error */
} file_ctx;

static dx_status row_error(file_ctx *c, size_t field, const char *code, const char *hint,
                           const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static dx_status row_error(file_ctx *c, size_t field, const char *code, const char *hint,
                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dx_status st = dx_diags_addv(c->diags, DX_SEV_ERROR, c->path, c->line, field, code, hint,
                                 fmt, ap);
    va_end(ap);
    c->bad = 1;
    return st;
}

/* ---- the header ---- */

static dx_status header_name(file_ctx *c, const dx_csv_row *row, size_t i, const char **out)
{
    char unnamed[32];
    const char *text = row->fields[i];
    size_t len = row->lens[i];
    if (!len) { /* an empty header cell: its values are kept under a made-up name */
        len = (size_t)snprintf(unnamed, sizeof unnamed, "(column %zu)", i + 1);
        text = unnamed;
    }
    *out = dx_arena_strndup(&c->r->arena, text, len);
    return *out ? DX_OK : DX_ERR_NOMEM;
}

static dx_status read_header(file_ctx *c, const dx_csv_row *row)
{
    dx_records *r = c->r;
    const dx_schema *s = c->schema;
    size_t n = row->n_fields;
    c->column_of = dx_calloc(n ? n : 1, sizeof *c->column_of);
    const char **names = dx_arena_alloc(&r->arena, (n ? n : 1) * sizeof *names);
    if (!c->column_of || !names)
        return DX_ERR_NOMEM;
    dx_strbuf unknown = DX_STRBUF_INIT;
    dx_status st = DX_OK;
    for (size_t i = 0; i < n && st == DX_OK; i++) {
        st = header_name(c, row, i, &names[i]);
        int col = st == DX_OK ? dx_schema_find_column(s, row->fields[i], row->lens[i]) : -1;
        if (col >= 0 && c->field_of[col]) {
            st = dx_diags_add(c->diags, DX_SEV_ERROR, c->path, row->line, i + 1,
                              "records.duplicate-column",
                              "remove one of the two columns; every row of this file is rejected",
                              "column '%s' means %s, like column %d", names[i],
                              s->columns[col].name, c->field_of[col]);
            c->missing_required = 1;
            col = -1;
        } else if (col >= 0) {
            c->field_of[col] = (int)i + 1;
        } else if (st == DX_OK && row->lens[i]) {
            c->n_unknown++;
            st = dx_strbuf_printf(&unknown, "%s'%s'", unknown.len ? ", " : "", names[i]);
        }
        c->column_of[i] = col;
    }
    c->n_header = n;
    r->headers[s->kind] = (dx_header){names, n};
    c->info->n_unknown_columns = c->n_unknown;
    if (st == DX_OK && c->n_unknown)
        st = dx_diags_add(c->diags, DX_SEV_WARNING, c->path, row->line, 0, "records.unknown-columns",
                          "docs/records.md lists the columns of each file and their aliases",
                          "unknown column%s kept as %s: %s", c->n_unknown > 1 ? "s" : "",
                          c->n_unknown > 1 ? "they are" : "it is", unknown.data);
    dx_strbuf_free(&unknown);
    if (st == DX_OK && row->damaged) {
        c->missing_required = 1; /* the header itself is unreadable: no row can be trusted */
        st = dx_diags_add(c->diags, DX_SEV_ERROR, c->path, row->line, 0, "records.bad-header",
                          "fix the header row; every row of this file is rejected",
                          "the header row has problems (above), so its columns cannot be known");
    }
    for (size_t k = 0; k < s->n_columns && st == DX_OK; k++) {
        if ((s->columns[k].flags & DX_COL_REQUIRED) && !c->field_of[k]) {
            c->missing_required = 1;
            st = dx_diags_add(c->diags, DX_SEV_ERROR, c->path, row->line, 0,
                              "records.missing-column", "every row of this file is rejected",
                              "the required column '%s' is missing", s->columns[k].name);
        }
    }
    return st;
}

/* ---- values ---- */

/* What a spreadsheet would take for a formula (OWASP's CSV-injection list). */
static int is_formula_like(const char *s)
{
    return s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
           s[0] == '\r';
}

static dx_status warn_formula(file_ctx *c, size_t field, const char *column, const char *value)
{
    if (!is_formula_like(value))
        return DX_OK;
    return dx_diags_add(c->diags, DX_SEV_WARNING, c->path, c->line, field, "value.formula-like",
                        NULL,
                        "%s begins with '%c': it is kept and always written as text, never as "
                        "a formula", column, value[0] == '\t' ? ' ' : value[0]);
}

static const char *words_list(const dx_value_word *w, char *buf, size_t cap)
{
    size_t o = 0;
    int last = -1;
    buf[0] = '\0';
    for (; w->word; w++) {
        if ((unsigned char)w->word[0] >= 0x80 || w->value == last)
            continue;
        last = w->value;
        int n = snprintf(buf + o, cap - o, "%s%s", o ? ", " : "", w->word);
        if (n < 0 || (size_t)n >= cap - o)
            break;
        o += (size_t)n;
    }
    return buf;
}

typedef struct list_ctx {
    file_ctx *c;
    size_t field;
    const char *column;
    dx_col_type type;
    const char **items;
    dx_country_at *countries;
    dx_owner *owners;
    size_t n;
    unsigned bits;
    dx_status st;
} list_ctx;

static int resolve_country(file_ctx *c, size_t field, const char *text, size_t len, char out[3],
                           dx_status *st)
{
    dx_country_match m;
    *st = dx_country_lookup(c->r->countries, text, len, &m);
    if (*st != DX_OK)
        return -1;
    if (m.result == DX_COUNTRY_FOUND) {
        memcpy(out, m.alpha2, 3);
        return 0;
    }
    if (m.result == DX_COUNTRY_AMBIGUOUS)
        *st = row_error(c, field, "value.ambiguous-country", "write its ISO 3166 code",
                        "'%.*s' could mean %s (%s) or %s (%s)", (int)len, text, m.alpha2,
                        dx_country_name(c->r->countries, m.alpha2), m.alt_alpha2,
                        dx_country_name(c->r->countries, m.alt_alpha2));
    else
        *st = row_error(c, field, "value.unknown-country",
                        "write an ISO 3166 code (CN, DE), a country name or a nationality word",
                        "unknown country '%.*s'", (int)len, text);
    return -1;
}

static int list_item(void *ctx, const char *item, size_t len)
{
    list_ctx *l = ctx;
    file_ctx *c = l->c;
    dx_arena *a = &c->r->arena;
    size_t i = l->n++;
    switch (l->type) {
    case DX_COL_TEXT_LIST:
        if (!(l->items[i] = dx_arena_strndup(a, item, len)))
            l->st = DX_ERR_NOMEM;
        else
            l->st = warn_formula(c, l->field, l->column, l->items[i]);
        break;
    case DX_COL_REASONS: {
        char code[4];
        if (dx_value_reason(item, len, code) != 0)
            l->st = row_error(c, l->field, "value.reason", "e.g. NS1;AT1",
                              "'%.*s' is not a reason for control", (int)len, item);
        else if (!(l->items[i] = dx_arena_strndup(a, code, strlen(code))))
            l->st = DX_ERR_NOMEM;
        break;
    }
    case DX_COL_CONCERNS: {
        unsigned bit = 0;
        if (dx_value_concern(item, len, &bit) != 0)
            l->st = row_error(c, l->field, "value.concern", "concern types are B, C, M, N and CW",
                              "'%.*s' is not a concern type", (int)len, item);
        l->bits |= bit;
        break;
    }
    case DX_COL_COUNTRY_LIST: {
        dx_country_at *at = &l->countries[i];
        const char *sep = memchr(item, '@', len);
        size_t cc_len = sep ? (size_t)(sep - item) : len;
        if (resolve_country(c, l->field, item, cc_len, at->country, &l->st) == 0 && sep &&
            dx_date_parse(sep + 1, len - cc_len - 1, 1, &at->acquired) != DX_OK)
            l->st = row_error(c, l->field, "value.date", "write CC@YYYY-MM-DD, e.g. CA@2015-06-01",
                              "'%.*s' has no valid acquisition date", (int)len, item);
        break;
    }
    case DX_COL_OWNERS: {
        dx_owner *o = &l->owners[i];
        const char *sep = memchr(item, '@', len);
        if (!sep || sep == item ||
            dx_value_percent(sep + 1, len - (size_t)(sep - item) - 1, &o->percent) != 0)
            l->st = row_error(c, l->field, "value.owner", "write org_id@percent, e.g. O12@30",
                              "'%.*s' is not an owner with a percentage", (int)len, item);
        else if (!(o->org_id = dx_arena_strndup(a, item, (size_t)(sep - item))))
            l->st = DX_ERR_NOMEM;
        break;
    }
    default:
        break;
    }
    return l->st == DX_OK ? 0 : (l->st == DX_ERR_NOMEM ? 1 : 0);
}

static size_t count_items(const char *text, size_t len)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += text[i] == ';' || (len - i >= 3 && memcmp(text + i, "\xEF\xBC\x9B", 3) == 0);
    return n;
}

static dx_status set_list(file_ctx *c, const dx_column *col, size_t field, unsigned char *rec,
                          const char *text, size_t len)
{
    dx_arena *a = &c->r->arena;
    size_t cap = count_items(text, len);
    list_ctx l = {c, field, col->name, col->type, NULL, NULL, NULL, 0, 0, DX_OK};
    if (col->type == DX_COL_COUNTRY_LIST)
        l.countries = dx_arena_alloc(a, cap * sizeof *l.countries);
    else if (col->type == DX_COL_OWNERS)
        l.owners = dx_arena_alloc(a, cap * sizeof *l.owners);
    else
        l.items = dx_arena_alloc(a, cap * sizeof *l.items);
    if (!l.countries && !l.owners && !l.items)
        return DX_ERR_NOMEM;
    if (l.countries)
        memset(l.countries, 0, cap * sizeof *l.countries);
    if (l.owners)
        memset(l.owners, 0, cap * sizeof *l.owners);
    int bad_before = c->bad;
    if (cap == 1) { /* one item (the common case): no need to split */
        dx_value_trim(&text, &len);
        list_item(&l, text, len);
    } else
        dx_value_split(text, len, list_item, &l);
    if (l.st != DX_OK)
        return l.st;
    void *at = rec + col->offset;
    if (col->type == DX_COL_CONCERNS)
        *(unsigned *)at = l.bits;
    else if (col->type == DX_COL_COUNTRY_LIST)
        *(dx_country_list *)at = (dx_country_list){l.n, l.countries};
    else if (col->type == DX_COL_OWNERS) {
        dx_organization *org = (dx_organization *)rec;
        double total = 0;
        for (size_t i = 0; i < l.n; i++)
            total += l.owners[i].percent;
        org->n_owners = l.n;
        org->owners = l.owners;
        if (c->bad == bad_before && total > 100.0 + 1e-9) /* a bad item has no share */
            return row_error(c, field, "value.owners", NULL,
                             "the owners' shares add up to %.2f %%, more than 100 %%", total);
    } else
        *(dx_strlist *)at = (dx_strlist){l.n, l.items};
    return DX_OK;
}

/* Convert one non-empty value into the record. */
static dx_status set_value(file_ctx *c, const dx_column *col, size_t field, unsigned char *rec,
                           const char *value, size_t len)
{
    void *at = rec + col->offset;
    dx_arena *a = &c->r->arena;
    char buf[DX_VALUE_MAX];
    dx_status st = DX_OK;
    switch (col->type) {
    case DX_COL_TEXT:
        *(const char **)at = value;
        return warn_formula(c, field, col->name, value);
    case DX_COL_TEXT_LIST:
    case DX_COL_REASONS:
    case DX_COL_CONCERNS:
    case DX_COL_COUNTRY_LIST:
    case DX_COL_OWNERS:
        return set_list(c, col, field, rec, value, len);
    case DX_COL_DATE:
    case DX_COL_DATE_OR_YEAR:
        if (dx_date_parse(value, len, col->type == DX_COL_DATE_OR_YEAR, at) != DX_OK)
            return row_error(c, field, "value.date",
                             col->type == DX_COL_DATE ? "write YYYY-MM-DD (or YYYY/MM/DD)"
                                                      : "write YYYY-MM-DD, or a bare year YYYY",
                             "%s '%s' is not a valid date", col->name, value);
        return DX_OK;
    case DX_COL_YESNO:
    case DX_COL_YESNO_UNKNOWN:
        if (dx_value_tristate(value, len, col->type == DX_COL_YESNO_UNKNOWN, at) != 0)
            return row_error(c, field, "value.yes-no",
                             col->type == DX_COL_YESNO ? "write yes or no (also 有/無, true/false, 1/0)"
                                                       : "write yes, no or unknown",
                             "%s '%s' is not yes or no", col->name, value);
        return DX_OK;
    case DX_COL_AMOUNT: {
        dx_amount *amount = at;
        if (dx_value_amount(value, len, &amount->value) != 0)
            return row_error(c, field, "value.amount", "write digits, e.g. 12000000 or 12,000,000",
                             "%s '%s' is not an amount", col->name, value);
        amount->present = 1;
        return DX_OK;
    }
    case DX_COL_COUNTRY:
        resolve_country(c, field, value, len, at, &st);
        return st;
    case DX_COL_CURRENCY:
        if (dx_value_currency(value, len, at) != 0)
            return row_error(c, field, "value.currency", "write an ISO 4217 code such as JPY or USD",
                             "%s '%s' is not a currency code", col->name, value);
        return DX_OK;
    case DX_COL_ENUM:
        if (dx_value_enum(value, len, col->words, at) != 0)
            return row_error(c, field, "value.word", NULL, "%s '%s' is not one of: %s", col->name,
                             value, words_list(col->words, buf, sizeof buf));
        return DX_OK;
    case DX_COL_JP_ITEM:
        if (dx_value_jp_item(value, len, buf) != 0)
            return row_error(c, field, "value.jp-item",
                             "write the 外為令別表 item: 1 to 15, 3-2, or 16 for catch-all only",
                             "%s '%s' is not an item of the Foreign Exchange Order table",
                             col->name, value);
        return (*(const char **)at = dx_arena_strndup(a, buf, strlen(buf))) ? DX_OK : DX_ERR_NOMEM;
    case DX_COL_ECCN:
        if (dx_value_eccn(value, len, buf, sizeof buf) != 0)
            return row_error(c, field, "value.eccn", "e.g. 3E001, 9E515.a or EAR99",
                             "%s '%s' is not an ECCN", col->name, value);
        return (*(const char **)at = dx_arena_strndup(a, buf, strlen(buf))) ? DX_OK : DX_ERR_NOMEM;
    }
    return DX_OK;
}

/* ---- rows ---- */

static dx_status check_row(file_ctx *c, const unsigned char *rec, const int *given)
{
    const dx_schema *s = c->schema;
    dx_status st = DX_OK;
    for (size_t k = 0; k < s->n_columns && st == DX_OK; k++) {
        if ((s->columns[k].flags & DX_COL_REQUIRED) && !given[k])
            st = row_error(c, (size_t)c->field_of[k], "records.required", NULL,
                           "%s is empty; it is required", s->columns[k].name);
    }
    if (st == DX_OK && (s->kind == DX_REC_PEOPLE || s->kind == DX_REC_VISITORS)) {
        const dx_person *p = (const dx_person *)rec;
        if (!p->family_name && !p->full_name)
            st = row_error(c, 0, "records.no-name", "give family_name (and given_name), or full_name",
                           "%s has no name", p->person_id ? p->person_id : "the row");
    }
    if (st == DX_OK && s->kind == DX_REC_ASSIGNMENTS) {
        const dx_assignment *as = (const dx_assignment *)rec;
        if (!as->tech_id == !as->project_id)
            st = row_error(c, 0, "records.assignment-target", NULL,
                           "an assignment names exactly one of tech_id and project_id");
    }
    for (size_t i = 0; i < s->n_date_pairs && st == DX_OK; i++) {
        const dx_date_pair *pair = &s->date_pairs[i];
        const dx_date *start = (const dx_date *)(rec + pair->start);
        const dx_date *end = (const dx_date *)(rec + pair->end);
        if (start->year && end->year && dx_date_days(*end) < dx_date_days(*start)) {
            char a[11], b[11];
            dx_date_format(*start, a);
            dx_date_format(*end, b);
            st = row_error(c, 0, "records.end-before-start", NULL, "%s %s is before %s %s",
                           pair->end_name, b, pair->start_name, a);
        }
    }
    return st;
}

static dx_status store_extra(file_ctx *c, unsigned char *rec, const char *const *values)
{
    size_t n_extra = 0;
    dx_status st = DX_OK;
    const dx_header *h = &c->r->headers[c->schema->kind];
    for (size_t i = 0; i < c->n_header; i++) {
        int unnamed = strncmp(h->names[i], "(column ", 8) == 0;
        if (c->column_of[i] >= 0 || (unnamed && !values[i][0]))
            continue;
        n_extra++;
        if (c->unnamed_warned || !unnamed)
            continue;
        c->unnamed_warned = 1;
        st = dx_diags_add(c->diags, DX_SEV_WARNING, c->path, c->line, i + 1,
                          "records.unnamed-column", "give the column a header",
                          "a value stands in column %zu, which has no header; it is kept as "
                          "'(column %zu)'", i + 1, i + 1);
    }
    if (!n_extra || st != DX_OK)
        return st;
    dx_field *extra = dx_arena_alloc(&c->r->arena, n_extra * sizeof *extra);
    if (!extra)
        return DX_ERR_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < c->n_header; i++) {
        if (c->column_of[i] < 0 && (strncmp(h->names[i], "(column ", 8) != 0 || values[i][0]))
            extra[n++] = (dx_field){h->names[i], values[i]};
    }
    *(dx_fields *)(rec + c->schema->extra_offset) = (dx_fields){n, extra};
    return DX_OK;
}

static int needs_trim(const char *v, size_t len)
{
    return len && (v[0] == ' ' || v[0] == '\t' || (unsigned char)v[0] == 0xE3 ||
                   v[len - 1] == ' ' || v[len - 1] == '\t' || (unsigned char)v[len - 1] == 0x80);
}

/*
 * Copy the row's fields into the arena in one block (kept as read: the record's raw row) and
 * point c->values at them; a value with spaces around it gets a trimmed copy of its own, so
 * the block stays intact. Missing trailing fields are "". Returns the block, NULL when out of
 * memory.
 */
static const char *copy_values(file_ctx *c, const dx_csv_row *row)
{
    size_t n = c->n_header > row->n_fields ? c->n_header : row->n_fields;
    if (n > c->values_cap) {
        size_t cap = n < 64 ? 64 : n;
        const char **values = dx_realloc(c->values, cap * sizeof *values);
        size_t *lens = values ? dx_realloc(c->lens, cap * sizeof *lens) : NULL;
        if (values)
            c->values = values;
        if (!lens)
            return NULL;
        c->lens = lens;
        c->values_cap = cap;
    }
    char *block = dx_arena_alloc(&c->r->arena, row->bytes_len + 1);
    if (!block)
        return NULL;
    memcpy(block, row->bytes, row->bytes_len);
    block[row->bytes_len] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i >= row->n_fields) {
            c->values[i] = block + row->bytes_len;
            c->lens[i] = 0;
            continue;
        }
        const char *v = block + (row->fields[i] - row->bytes);
        size_t len = row->lens[i];
        if (needs_trim(v, len)) {
            dx_value_trim(&v, &len);
            if (!(v = dx_arena_strndup(&c->r->arena, v, len)))
                return NULL;
        }
        c->values[i] = v;
        c->lens[i] = len;
    }
    return block;
}

static const char *subject_of(const file_ctx *c, const char *const *values, size_t n)
{
    for (size_t i = 0; i < n && i < c->n_header; i++) {
        int col = c->column_of[i];
        if (col >= 0 && (c->schema->columns[col].flags & DX_COL_SUBJECT) && values[i][0])
            return values[i];
    }
    return NULL;
}

static dx_status convert_row(file_ctx *c, const dx_csv_row *row)
{
    dx_records *r = c->r;
    const dx_schema *s = c->schema;
    c->line = row->line;
    c->bad = row->damaged || c->missing_required;
    c->info->rows_read++;
    const char *block = copy_values(c, row);
    const char **values = c->values;
    const size_t *lens = c->lens;
    dx_status st = block ? dx_records_table_reserve(r, s->kind, 1) : DX_ERR_NOMEM;
    if (st != DX_OK)
        return st;
    if (row->n_fields != c->n_header && !row->damaged)
        st = row_error(c, 0, "records.ragged-row", "every row has as many fields as the header",
                       "the row has %zu fields; the header has %zu", row->n_fields, c->n_header);
    dx_table *t = &r->tables[s->kind];
    unsigned char *rec = t->items + t->n * s->record_size;
    memset(rec, 0, s->record_size);
    int given[DX_SCHEMA_MAX_COLUMNS]; /* [k]: column k has a value */
    memset(given, 0, s->n_columns * sizeof *given);
    int convert = !row->damaged && !c->missing_required;
    for (size_t i = 0; convert && i < c->n_header && i < row->n_fields && st == DX_OK; i++) {
        int col = c->column_of[i];
        if (col < 0 || !values[i][0])
            continue;
        given[col] = 1;
        st = set_value(c, &s->columns[col], i + 1, rec, values[i], lens[i]);
    }
    if (st == DX_OK && convert)
        st = check_row(c, rec, given); /* every problem of the row, not only the first */
    if (st == DX_OK)
        st = store_extra(c, rec, values);
    if (st != DX_OK)
        return st;
    dx_source_ref src = {c->info->path, row->line};
    if (c->bad)
        return dx_records_reject(r, s->kind, src, subject_of(c, values, row->n_fields), values);
    *(dx_source_ref *)(rec + s->src_offset) = src;
    t->raw[t->n++] = block;
    return DX_OK;
}

static dx_status on_row(void *ctx, const dx_csv_row *row)
{
    file_ctx *c = ctx;
    if (!c->have_header) {
        c->have_header = 1;
        return read_header(c, row);
    }
    return convert_row(c, row);
}

static dx_status report_encoding(file_ctx *c, dx_status st, const dx_decoded *d)
{
    if (st == DX_ERR_ENCODING && c->r->opt.encoding == DX_ENC_AUTO)
        return dx_diags_add(c->diags, DX_SEV_ERROR, c->path, 0, 0, "encoding.undecodable",
                            "name the file's encoding with --encoding (utf-8, cp932, euc-jp, "
                            "gb18030, utf-16le, cp1252, ...); no row of it is read",
                            "more than %d byte sequences cannot be decoded in the encoding "
                            "detected: the file is not text in a supported encoding",
                            DX_DECODE_MAX_ERRORS);
    if (st == DX_ERR_ENCODING)
        return dx_diags_add(c->diags, DX_SEV_ERROR, c->path, 0, 0, "encoding.undecodable",
                            "name the file's encoding with --encoding (utf-8, cp932, euc-jp, "
                            "gb18030, utf-16le, cp1252, ...); no row of it is read",
                            "more than %d byte sequences cannot be decoded as %s: the file is "
                            "not in that encoding", DX_DECODE_MAX_ERRORS,
                            dx_encoding_name(c->r->opt.encoding));
    if (st == DX_ERR_LIMIT)
        return dx_diags_add(c->diags, DX_SEV_ERROR, c->path, 0, 0, "records.too-large", NULL,
                            "the decoded file is larger than %zu bytes", c->r->opt.max_file_bytes);
    (void)d;
    return st;
}

/* Lines in the text: an upper bound of its rows, to size the record table once. */
static size_t count_lines(const char *text, size_t len)
{
    size_t n = 1;
    for (const char *p = text, *end = text + len; (p = memchr(p, '\n', (size_t)(end - p)));
         p++)
        n++;
    return n;
}

dx_status dx_records_parse_file(dx_records *r, dx_record_kind kind, dx_records_file *info,
                                const void *bytes, size_t len, dx_diags *diags)
{
    file_ctx c;
    memset(&c, 0, sizeof c);
    c.r = r;
    c.schema = dx_schema_get(kind);
    c.info = info;
    c.diags = diags;
    c.path = info->path;
    dx_decoded d = {0};
    dx_status st = dx_decode(bytes, len, r->opt.encoding, 4 * r->opt.max_file_bytes, &d);
    if (st == DX_ERR_ENCODING || st == DX_ERR_LIMIT) {
        info->undecodable = 1;
        dx_status rep = report_encoding(&c, st, &d);
        return rep != DX_OK ? rep : DX_OK; /* the file is reported as unreadable: no rows */
    }
    if (st != DX_OK)
        return st;
    info->encoding = d.encoding;
    info->had_bom = d.had_bom;
    info->detected = d.detected;
    st = dx_records_table_reserve(r, kind, count_lines(d.text, d.len));
    if (st != DX_OK) {
        dx_decoded_free(&d);
        return st;
    }
    dx_csv_source src = {info->path, &d, 0};
    size_t blank = 0;
    st = dx_csv_read(&src, diags, on_row, &c, &blank);
    if (st == DX_OK && !c.have_header)
        st = dx_diags_add(diags, DX_SEV_WARNING, info->path, 0, 0, "records.empty",
                          NULL, "the file is empty: no header and no rows");
    dx_free(c.column_of);
    dx_free(c.values);
    dx_free(c.lens);
    dx_decoded_free(&d);
    info->blank_rows = blank;
    info->rows_accepted = r->tables[kind].n;
    info->rows_rejected = info->rows_read - info->rows_accepted;
    return st;
}
