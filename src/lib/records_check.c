/*
 * records_check.c — the checks that need every file (dx_records_finish).
 *
 * Ids are unique per kind, and person and visitor ids share one namespace: a second use of an
 * id rejects the later row. References must resolve: assignments to known subjects and
 * technologies or projects, technologies to projects, contracts, funding and licences to
 * subjects, owners to organisations. An id that appears only on a rejected row still counts
 * as known (the subject exists; it gets needs_review through its rejected row), so one bad row
 * does not cascade into rejecting every row that mentions it. Funding needs the person's
 * annual_income and the same currency (product.md §4). Rows that fail are moved to the
 * rejected list, and the per-file counts are recomputed so that they reconcile.
 */
#include <string.h>

#include "alloc.h"
#include "records_int.h"
#include "schema.h"
#include "strmap.h"

typedef struct checker {
    dx_records *r;
    dx_diags *diags;
    unsigned char *drop[DX_REC_KIND_COUNT];
    dx_strmap ids[DX_REC_KIND_COUNT]; /* accepted id → index; people and visitors share [PEOPLE] */
    dx_strmap known[DX_REC_KIND_COUNT]; /* ids on rejected rows */
} checker;

#define KEY(kind, i) (((size_t)(kind) << 48) | (i))
#define KEY_KIND(v) ((dx_record_kind)((v) >> 48))
#define KEY_INDEX(v) ((v) & (((size_t)1 << 48) - 1))

static const void *record_at(const dx_records *r, dx_record_kind kind, size_t i)
{
    return r->tables[kind].items + i * dx_schema_get(kind)->record_size;
}

static dx_source_ref source_of(const dx_records *r, dx_record_kind kind, size_t i)
{
    const dx_schema *s = dx_schema_get(kind);
    return *(const dx_source_ref *)((const unsigned char *)record_at(r, kind, i) + s->src_offset);
}

static const char *id_of(const dx_records *r, dx_record_kind kind, size_t i)
{
    const dx_schema *s = dx_schema_get(kind);
    for (size_t k = 0; k < s->n_columns; k++) {
        if (s->columns[k].flags & DX_COL_ID)
            return *(const char *const *)((const unsigned char *)record_at(r, kind, i) +
                                          s->columns[k].offset);
    }
    return NULL;
}

static dx_record_kind id_space(dx_record_kind kind)
{
    return kind == DX_REC_VISITORS ? DX_REC_PEOPLE : kind;
}

static dx_status drop(checker *c, dx_record_kind kind, size_t i, const char *code,
                      const char *hint, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static dx_status drop(checker *c, dx_record_kind kind, size_t i, const char *code,
                      const char *hint, const char *fmt, ...)
{
    if (c->drop[kind][i])
        return DX_OK; /* one reason is enough */
    c->drop[kind][i] = 1;
    dx_source_ref src = source_of(c->r, kind, i);
    va_list ap;
    va_start(ap, fmt);
    dx_status st = dx_diags_addv(c->diags, DX_SEV_ERROR, src.file, src.line, 0, code, hint, fmt, ap);
    va_end(ap);
    return st;
}

/* Register accepted ids; a repeated id rejects the later row. */
static dx_status index_ids(checker *c, dx_record_kind kind)
{
    dx_strmap *map = &c->ids[id_space(kind)];
    dx_status st = DX_OK;
    for (size_t i = 0; i < c->r->tables[kind].n && st == DX_OK; i++) {
        const char *id = id_of(c->r, kind, i);
        int inserted;
        size_t first;
        st = dx_strmap_put(map, id, KEY(kind, i), &inserted, &first);
        if (st == DX_OK && !inserted) {
            dx_source_ref at = source_of(c->r, KEY_KIND(first), KEY_INDEX(first));
            st = drop(c, kind, i, "records.duplicate-id", "every id names one record",
                      "id '%s' is already used at %s:%lu", id, at.file, at.line);
        }
    }
    return st;
}

/* Ids that appear on rejected rows count as known. */
static dx_status index_rejected_ids(checker *c)
{
    dx_status st = DX_OK;
    for (size_t i = 0; i < c->r->n_rejected && st == DX_OK; i++) {
        const dx_rejected_row *row = &c->r->rejected[i];
        const dx_schema *s = dx_schema_get(row->kind);
        for (size_t f = 0; f < row->fields.n && st == DX_OK; f++) {
            const dx_field *field = &row->fields.items[f];
            int col = dx_schema_find_column(s, field->name, strlen(field->name));
            if (col >= 0 && (s->columns[col].flags & DX_COL_ID) && field->value[0])
                st = dx_strmap_put(&c->known[id_space(row->kind)], field->value, 0, NULL, NULL);
        }
    }
    return st;
}

static int is_known(const checker *c, dx_record_kind space, const char *id)
{
    return dx_strmap_get(&c->ids[space], id, NULL) || dx_strmap_get(&c->known[space], id, NULL);
}

/* The accepted person or visitor with this id, or NULL. */
static const dx_person *person_of(const checker *c, const char *id)
{
    size_t v;
    if (!dx_strmap_get(&c->ids[DX_REC_PEOPLE], id, &v))
        return NULL;
    return record_at(c->r, KEY_KIND(v), KEY_INDEX(v));
}

static dx_status check_subject_ref(checker *c, dx_record_kind kind, size_t i, const char *id)
{
    if (!id || is_known(c, DX_REC_PEOPLE, id))
        return DX_OK;
    return drop(c, kind, i, "records.unknown-subject", "add the person to people.csv or visitors.csv",
                "subject '%s' is not in people.csv or visitors.csv", id);
}

static dx_status check_ref(checker *c, dx_record_kind kind, size_t i, dx_record_kind target,
                           const char *id)
{
    if (!id || is_known(c, target, id))
        return DX_OK;
    return drop(c, kind, i, "records.unknown-reference", NULL, "%s '%s' is not in %s",
                target == DX_REC_TECHNOLOGIES ? "technology" : target == DX_REC_PROJECTS ? "project"
                                                                                         : "organization",
                id, dx_record_kind_file(target));
}

static dx_status check_funding(checker *c, size_t i)
{
    const dx_funding *f = record_at(c->r, DX_REC_FUNDING, i);
    dx_status st = check_subject_ref(c, DX_REC_FUNDING, i, f->person_id);
    const dx_person *p = person_of(c, f->person_id);
    if (st != DX_OK || !p)
        return st;
    if (!p->annual_income.present)
        return drop(c, DX_REC_FUNDING, i, "records.funding-without-income",
                    "give annual_income (and income_currency) in the person's row",
                    "'%s' has funding but no annual_income, so the foreign-government benefit "
                    "ratio cannot be computed", f->person_id);
    if (!p->income_currency[0])
        return drop(c, DX_REC_FUNDING, i, "records.currency-mismatch",
                    "give income_currency in the person's row",
                    "funding in %s, but '%s' has no income_currency to compare it with",
                    f->currency, f->person_id);
    if (strcmp(p->income_currency, f->currency) != 0)
        return drop(c, DX_REC_FUNDING, i, "records.currency-mismatch",
                    "give each person's amounts in one currency",
                    "funding in %s, but the annual_income of '%s' is in %s", f->currency,
                    f->person_id, p->income_currency);
    return DX_OK;
}

static dx_status check_references(checker *c)
{
    dx_records *r = c->r;
    dx_status st = DX_OK;
    for (size_t i = 0; i < r->tables[DX_REC_TECHNOLOGIES].n && st == DX_OK; i++)
        st = check_ref(c, DX_REC_TECHNOLOGIES, i, DX_REC_PROJECTS,
                       ((const dx_technology *)record_at(r, DX_REC_TECHNOLOGIES, i))->project_id);
    for (size_t i = 0; i < r->tables[DX_REC_ASSIGNMENTS].n && st == DX_OK; i++) {
        const dx_assignment *a = record_at(r, DX_REC_ASSIGNMENTS, i);
        st = check_subject_ref(c, DX_REC_ASSIGNMENTS, i, a->subject_id);
        if (st == DX_OK)
            st = check_ref(c, DX_REC_ASSIGNMENTS, i, DX_REC_TECHNOLOGIES, a->tech_id);
        if (st == DX_OK)
            st = check_ref(c, DX_REC_ASSIGNMENTS, i, DX_REC_PROJECTS, a->project_id);
    }
    for (size_t i = 0; i < r->tables[DX_REC_VISITORS].n && st == DX_OK; i++) {
        const dx_visitor *v = record_at(r, DX_REC_VISITORS, i);
        for (size_t k = 0; k < v->technologies.n && st == DX_OK; k++)
            st = check_ref(c, DX_REC_VISITORS, i, DX_REC_TECHNOLOGIES, v->technologies.items[k]);
    }
    for (size_t i = 0; i < r->tables[DX_REC_CONTRACTS].n && st == DX_OK; i++)
        st = check_subject_ref(c, DX_REC_CONTRACTS, i,
                               ((const dx_contract *)record_at(r, DX_REC_CONTRACTS, i))->person_id);
    for (size_t i = 0; i < r->tables[DX_REC_FUNDING].n && st == DX_OK; i++)
        st = check_funding(c, i);
    for (size_t i = 0; i < r->tables[DX_REC_LICENSES].n && st == DX_OK; i++) {
        const dx_license *l = record_at(r, DX_REC_LICENSES, i);
        st = check_subject_ref(c, DX_REC_LICENSES, i, l->subject_id);
        if (st == DX_OK)
            st = check_ref(c, DX_REC_LICENSES, i, DX_REC_TECHNOLOGIES, l->tech_id);
    }
    for (size_t i = 0; i < r->tables[DX_REC_ORGANIZATIONS].n && st == DX_OK; i++) {
        const dx_organization *o = record_at(r, DX_REC_ORGANIZATIONS, i);
        for (size_t k = 0; k < o->n_owners && st == DX_OK; k++)
            st = check_ref(c, DX_REC_ORGANIZATIONS, i, DX_REC_ORGANIZATIONS, o->owners[k].org_id);
    }
    return st;
}

/* References that do not decide anything: a warning, the row stays. */
static dx_status check_soft_references(checker *c)
{
    dx_records *r = c->r;
    dx_status st = DX_OK;
    for (size_t i = 0; i < r->tables[DX_REC_VISITORS].n && st == DX_OK; i++) {
        const dx_visitor *v = record_at(r, DX_REC_VISITORS, i);
        if (v->host_person_id && !is_known(c, DX_REC_PEOPLE, v->host_person_id))
            st = dx_diags_add(c->diags, DX_SEV_WARNING, v->person.src.file, v->person.src.line, 0,
                              "records.unknown-host", NULL, "host '%s' is not in people.csv",
                              v->host_person_id);
    }
    for (size_t i = 0; i < r->tables[DX_REC_PROJECTS].n && st == DX_OK; i++) {
        const dx_project *p = record_at(r, DX_REC_PROJECTS, i);
        if (p->pi_person_id && !is_known(c, DX_REC_PEOPLE, p->pi_person_id))
            st = dx_diags_add(c->diags, DX_SEV_WARNING, p->src.file, p->src.line, 0,
                              "records.unknown-pi", NULL, "PI '%s' is not in people.csv",
                              p->pi_person_id);
    }
    return st;
}

static const char *subject_of_record(dx_record_kind kind, const void *rec)
{
    switch (kind) {
    case DX_REC_PEOPLE:
    case DX_REC_VISITORS:
        return ((const dx_person *)rec)->person_id;
    case DX_REC_ASSIGNMENTS:
        return ((const dx_assignment *)rec)->subject_id;
    case DX_REC_CONTRACTS:
        return ((const dx_contract *)rec)->person_id;
    case DX_REC_FUNDING:
        return ((const dx_funding *)rec)->person_id;
    case DX_REC_LICENSES:
        return ((const dx_license *)rec)->subject_id;
    default:
        return NULL;
    }
}

/* Reject accepted record i: its values are rebuilt from its row as read. */
static dx_status reject_record(dx_records *r, dx_record_kind kind, size_t i, const char *subject)
{
    size_t n = r->headers[kind].n;
    const char **values = dx_malloc((n ? n : 1) * sizeof *values);
    if (!values)
        return DX_ERR_NOMEM;
    const char *v = r->tables[kind].raw[i];
    for (size_t k = 0; k < n; k++, v += strlen(v) + 1)
        values[k] = v;
    dx_status st = dx_records_reject(r, kind, source_of(r, kind, i), subject, values);
    dx_free(values);
    return st;
}

/* Move dropped records to the rejected list, keeping the order of the rest. */
static dx_status apply_drops(checker *c, dx_record_kind kind)
{
    dx_records *r = c->r;
    dx_table *t = &r->tables[kind];
    size_t size = dx_schema_get(kind)->record_size, kept = 0;
    dx_status st = DX_OK;
    for (size_t i = 0; i < t->n && st == DX_OK; i++) {
        unsigned char *rec = t->items + i * size;
        if (c->drop[kind][i]) {
            st = reject_record(r, kind, i, subject_of_record(kind, rec));
            continue;
        }
        if (kept != i) {
            memmove(t->items + kept * size, rec, size);
            t->raw[kept] = t->raw[i];
        }
        kept++;
    }
    if (st == DX_OK)
        t->n = kept;
    return st;
}

static dx_status run_checks(checker *c)
{
    static const dx_record_kind with_ids[] = {DX_REC_PEOPLE, DX_REC_VISITORS, DX_REC_PROJECTS,
                                              DX_REC_TECHNOLOGIES, DX_REC_ORGANIZATIONS,
                                              DX_REC_LICENSES};
    dx_status st = DX_OK;
    for (int k = 0; k < DX_REC_KIND_COUNT && st == DX_OK; k++) {
        c->drop[k] = dx_calloc(c->r->tables[k].n + 1, 1);
        if (!c->drop[k])
            st = DX_ERR_NOMEM;
    }
    for (size_t k = 0; k < sizeof with_ids / sizeof *with_ids && st == DX_OK; k++)
        st = index_ids(c, with_ids[k]);
    if (st == DX_OK)
        st = index_rejected_ids(c);
    if (st == DX_OK)
        st = check_references(c);
    if (st == DX_OK)
        st = check_soft_references(c);
    for (int k = 0; k < DX_REC_KIND_COUNT && st == DX_OK; k++)
        st = apply_drops(c, (dx_record_kind)k);
    return st;
}

dx_status dx_records_finish(dx_records *r, dx_diags *diags)
{
    if (!r || !diags || r->finished)
        return DX_ERR_INVALID;
    checker c;
    memset(&c, 0, sizeof c);
    c.r = r;
    c.diags = diags;
    dx_status st = run_checks(&c);
    for (int k = 0; k < DX_REC_KIND_COUNT; k++) {
        dx_free(c.drop[k]);
        dx_strmap_free(&c.ids[k]);
        dx_strmap_free(&c.known[k]);
        dx_records_file *f = &r->files[k];
        f->rows_accepted = r->tables[k].n;
        f->rows_rejected = f->rows_read - f->rows_accepted;
    }
    if (st != DX_OK)
        return st;
    r->finished = 1;
    if (!r->files[DX_REC_PEOPLE].path && !r->files[DX_REC_VISITORS].path &&
        !r->files[DX_REC_PROJECTS].path && !r->files[DX_REC_ORGANIZATIONS].path) {
        st = dx_diags_add(diags, DX_SEV_ERROR, "", 0, 0, "records.no-subjects",
                          "a record folder holds people.csv, visitors.csv, projects.csv or "
                          "organizations.csv",
                          "no subject file: nothing to screen");
        return st != DX_OK ? st : DX_ERR_NO_SUBJECTS;
    }
    return DX_OK;
}
