/*
 * facts_records.c — the records of product.md §4 as facts for the rule language.
 *
 * The language core asks for facts through getters; this module registers one field per
 * record column (and a few derived facts: a subject's contracts, funding and licences, a
 * technology's project, a project's location with the home country as default) and answers
 * them from dx_records. Most fields are read by one generic getter driven by a descriptor
 * (which struct, which offset, how it is stored); an absent value is *unknown*, never a
 * default: a blank date, an unset yes/no, an empty country.
 *
 * Objects handed to the rules are wrappers built once per evaluation run: a subject wraps a
 * person or a visitor with its contracts, funding and licences gathered by id; a technology
 * knows its project. The list hits the host passes (dx_records_eval_options.list_hits) are
 * subject.list_hits (the hits of the person's or visitor's names, affiliation and
 * organisation), project.list_hits (sponsor, collaborators) and organization.list_hits
 * (facts_lists.c). Targets: subject (every person and visitor), person, visitor, project,
 * organization, and access (subject × technology × assignment), evaluated in record order.
 *
 * Organisations are also found by id and by name for the ownership functions and
 * subject.organizations: the host keeps a map from org_id to the organisation (owners name
 * their owner organisations by id; facts_lists.c walks them, through dx_records_host_org), and
 * a map from every name and alias, folded (ASCII lower case, runs of spaces as one, trimmed),
 * so that a person's affiliation or a visitor's organisation written exactly as an
 * organisation's name or alias leads to that organisation. Folding is deliberately this
 * plain: a near match is the list search's business, not a record link.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "arena.h"
#include "dexcheck/rules_records.h"
#include "facts_lists.h"
#include "facts_us.h"
#include "rules_int.h"
#include "strmap.h"

/* ---- wrappers ---- */

typedef struct objlist {
    size_t n;
    const void **items;
} objlist;

typedef struct rsubject {
    const dx_person *p;
    const dx_visitor *v; /* NULL for people */
    const char **citizenships, **residencies;
    size_t n_citizenships, n_residencies;
    objlist citizenships_dated, residencies_dated, contracts, funding, licenses;
    objlist organizations; /* named by the affiliation or the visitor's organisation */
    int rejected;
} rsubject;

typedef struct rproject {
    const dx_project *p;
    const char *location;
    size_t *techs; /* indices of its technologies, in file order */
    size_t n_techs;
} rproject;

typedef struct rtech {
    const dx_technology *t;
    rproject *project;
    const char *concerns[5];
    size_t n_concerns;
} rtech;

typedef struct rassign {
    dx_access access;
    dx_date start, end;
} rassign;

typedef struct host {
    const dx_records *records;
    const char *home_country;
    const dx_us_controls *us; /* for the us_* functions (facts_us.c); may be NULL */
    const dx_list_hits *hits; /* list hits by owner (facts_lists.c); may be NULL */
    const dx_organization *orgs;
    dx_strmap org_ids;        /* org_id → index into orgs */
    dx_strmap org_names;      /* folded name or alias → index into orgs (the first one) */
} host;

const dx_us_controls *dx_records_host_us(const void *h)
{
    return h ? ((const host *)h)->us : NULL;
}

const dx_list_hits *dx_records_host_hits(const void *h)
{
    return h ? ((const host *)h)->hits : NULL;
}

const dx_organization *dx_records_host_org(const void *h, const char *org_id)
{
    size_t at;
    const host *ho = h;
    return ho && org_id && dx_strmap_get(&ho->org_ids, org_id, &at) ? &ho->orgs[at] : NULL;
}

/* ---- field descriptors ---- */

typedef enum base { B_SELF, B_PERSON, B_VISITOR, B_TECH, B_PROJECT } base;
typedef enum store { S_TEXT, S_COUNTRY, S_DATE, S_TRI, S_AMOUNT, S_ENUM, S_STRLIST } store;

typedef struct fdesc {
    base from;
    store how;
    size_t off;
    const char *const *words; /* S_ENUM: words[value], value 0 = unset */
} fdesc;

static const char *const w_us[] = {NULL, "citizen", "lpr", "protected", "none"};
static const char *const w_role[] = {NULL, "faculty", "staff", "postdoc", "student", "visiting",
                                     "contractor", "other"};
static const char *const w_official[] = {NULL, "none", "diplomat", "foreign_official",
                                         "intl_org", "armed_forces"};
static const char *const w_abroad[] = {NULL, "work", "long_stay", "diplomatic_mission", "other"};
static const char *const w_residency[] = {NULL, "resident", "non-resident"};
static const char *const w_pledge[] = {NULL, "none", "1", "2", "1+2"};
static const char *const w_gender[] = {NULL, "M", "F", "X"};
static const char *const w_party[] = {NULL, "foreign_government", "foreign_entity", "domestic"};
static const char *const w_origin[] = {NULL, "input", "output"};
static const char *const w_access[] = {NULL, "full", "supervised", "none"};
static const char *const w_class[] = {NULL, "classified", "pending"};
static const char *const w_relation[] = {NULL, "sponsor", "collaborator", "supplier",
                                         "customer", "employer", "investor"};
static const char *const w_authority[] = {NULL, "METI", "BIS", "DDTC", "EU"};
static const char *const w_lkind[] = {NULL, "individual", "bulk", "exception"};

/* The struct a descriptor reads from, or NULL (a visitor field of a person). */
static const char *base_of(const void *obj, base from)
{
    switch (from) {
    case B_PERSON: return (const char *)((const rsubject *)obj)->p;
    case B_VISITOR: return (const char *)((const rsubject *)obj)->v;
    case B_TECH: return (const char *)((const rtech *)obj)->t;
    case B_PROJECT: return (const char *)((const rproject *)obj)->p;
    case B_SELF: break;
    }
    return obj;
}

static dx_status get_stored(void *h, const void *obj, const void *data, dx_rvalue *out)
{
    const fdesc *d = data;
    const char *b = base_of(obj, d->from);
    if (!b)
        return DX_OK;
    const char *at = b + d->off;
    switch (d->how) {
    case S_TEXT:
        out->u.text = *(const char *const *)at;
        out->known = out->u.text && *out->u.text;
        break;
    case S_COUNTRY:
        out->u.text = at;
        out->known = at[0] != '\0';
        break;
    case S_DATE: {
        const dx_date *dt = (const dx_date *)at;
        out->known = dt->year != 0;
        out->u.date = dx_date_days(*dt);
        break;
    }
    case S_TRI: {
        dx_tristate t = *(const dx_tristate *)at;
        out->known = t == DX_TRI_YES || t == DX_TRI_NO;
        out->u.boolean = t == DX_TRI_YES;
        break;
    }
    case S_AMOUNT:
        out->known = ((const dx_amount *)at)->present;
        out->u.number = ((const dx_amount *)at)->value;
        break;
    case S_ENUM: {
        int v = *(const int *)at;
        out->known = v > 0;
        out->u.text = v > 0 ? d->words[v] : NULL;
        break;
    }
    case S_STRLIST:
        out->known = 1;
        out->u.texts.n = ((const dx_strlist *)at)->n;
        out->u.texts.items = ((const dx_strlist *)at)->items;
        break;
    }
    return DX_OK;
}

/* ---- derived facts ---- */

static dx_status set_objects(dx_rvalue *out, const objlist *l)
{
    out->known = 1;
    out->u.objects.n = l->n;
    out->u.objects.items = l->items;
    return DX_OK;
}

static dx_status get_subject(void *h, const void *obj, const void *data, dx_rvalue *out)
{
    const rsubject *s = obj;
    const char *what = data;
    out->known = 1;
    if (!strcmp(what, "id"))
        out->u.text = s->p->person_id;
    else if (!strcmp(what, "name"))
        out->u.text = s->p->full_name ? s->p->full_name
                      : s->p->family_name ? s->p->family_name : s->p->given_name;
    else if (!strcmp(what, "is_visitor"))
        out->u.boolean = s->v != NULL;
    else if (!strcmp(what, "has_rejected_rows"))
        out->u.boolean = s->rejected;
    else if (!strcmp(what, "citizenships")) {
        out->u.texts.n = s->n_citizenships;
        out->u.texts.items = s->citizenships;
    } else if (!strcmp(what, "permanent_residencies")) {
        out->u.texts.n = s->n_residencies;
        out->u.texts.items = s->residencies;
    } else {
        const objlist *l = !strcmp(what, "contracts") ? &s->contracts
                           : !strcmp(what, "funding") ? &s->funding
                           : !strcmp(what, "licenses") ? &s->licenses
                           : !strcmp(what, "organizations") ? &s->organizations
                           : !strcmp(what, "citizenships_dated") ? &s->citizenships_dated
                                                                 : &s->residencies_dated;
        return set_objects(out, l);
    }
    if (out->type == DX_RT_TEXT && !out->u.text)
        out->known = 0;
    return DX_OK;
}

static dx_status get_tech(void *h, const void *obj, const void *data, dx_rvalue *out)
{
    const rtech *t = obj;
    const char *what = data;
    out->known = 1;
    if (!strcmp(what, "project")) {
        out->u.object = t->project;
        out->known = t->project != NULL;
    } else {
        out->u.texts.n = t->n_concerns;
        out->u.texts.items = t->concerns;
    }
    return DX_OK;
}

static dx_status get_location(void *h, const void *obj, const void *data, dx_rvalue *out)
{
    out->known = 1;
    out->u.text = ((const rproject *)obj)->location;
    return DX_OK;
}

static dx_status get_assignment(void *h, const void *obj, const void *data, dx_rvalue *out)
{
    const rassign *a = obj;
    const char *what = data;
    if (!strcmp(what, "access")) {
        out->known = a->access != DX_ACCESS_UNSET;
        out->u.text = w_access[a->access];
    } else {
        dx_date d = !strcmp(what, "start_date") ? a->start : a->end;
        out->known = d.year != 0;
        out->u.date = dx_date_days(d);
    }
    return DX_OK;
}

/* subject.list_hits, project.list_hits, organization.list_hits: the owner's hits. */
static dx_status get_list_hits(void *h, const void *obj, const void *data, dx_rvalue *out)
{
    const char *what = data, *type, *id;
    if (!strcmp(what, "subject")) {
        const rsubject *s = obj;
        type = s->v ? "visitor" : "person", id = s->p->person_id;
    } else if (!strcmp(what, "project")) {
        type = "project", id = ((const rproject *)obj)->p->project_id;
    } else {
        type = "organization", id = ((const dx_organization *)obj)->org_id;
    }
    const void *const *items;
    size_t n;
    dx_list_hits_of(((const host *)h)->hits, type, id, &items, &n);
    out->known = 1;
    out->u.objects.n = n;
    out->u.objects.items = items;
    return DX_OK;
}

static dx_status get_home(void *h, const void *obj, const void *data, dx_rvalue *out)
{
    out->known = 1;
    out->u.text = ((const host *)h)->home_country;
    return DX_OK;
}

/* ---- the registry ---- */

typedef struct freg {
    const char *kind, *name, *type, *label;
    dx_rfact_fn get;
    fdesc d;
    const char *what; /* derived facts: which one (the getter's data) */
} freg;

#define F(kind, name, type, from, how, st, member, words, label)                             \
    {kind, name, type, label, get_stored, {from, how, offsetof(st, member), words}, NULL}
#define PT(name, member, label) F("subject", name, "text", B_PERSON, S_TEXT, dx_person, member, NULL, label)
#define PD(name, member, label) F("subject", name, "date", B_PERSON, S_DATE, dx_person, member, NULL, label)
#define PC(name, member, label) F("subject", name, "text", B_PERSON, S_COUNTRY, dx_person, member, NULL, label)
#define PE(name, member, words, label) F("subject", name, "text", B_PERSON, S_ENUM, dx_person, member, words, label)
#define DERIVED(kind, name, type, get, label) {kind, name, type, label, get, {0, 0, 0, NULL}, name}

static const freg fields[] = {
    DERIVED("subject", "id", "text", get_subject, "person or visitor id"),
    DERIVED("subject", "name", "text", get_subject, "name"),
    DERIVED("subject", "is_visitor", "bool", get_subject, "a visitor (visitors.csv)"),
    DERIVED("subject", "has_rejected_rows", "bool", get_subject,
            "a rejected row concerns this subject"),
    DERIVED("subject", "citizenships", "list<text>", get_subject, "citizenships"),
    DERIVED("subject", "permanent_residencies", "list<text>", get_subject,
            "permanent residencies"),
    DERIVED("subject", "citizenships_dated", "list<country_since>", get_subject,
            "citizenships with the dates acquired"),
    DERIVED("subject", "permanent_residencies_dated", "list<country_since>", get_subject,
            "permanent residencies with the dates acquired"),
    DERIVED("subject", "contracts", "list<contract>", get_subject, "contracts (contracts.csv)"),
    DERIVED("subject", "funding", "list<funding>", get_subject, "funding (funding.csv)"),
    DERIVED("subject", "licenses", "list<license>", get_subject, "licences (licenses.csv)"),
    DERIVED("subject", "organizations", "list<organization>", get_subject,
            "organisations (organizations.csv) whose name or alias is the affiliation or the "
            "visitor's organisation"),
    {"subject", "list_hits", "list<list_hit>",
     "list hits of the subject's names, affiliation and organisation", get_list_hits,
     {0, 0, 0, NULL}, "subject"},
    PT("family_name", family_name, "family name"),
    PT("given_name", given_name, "given name"),
    PT("full_name", full_name, "full name"),
    PT("name_local", name_local, "name in its own script"),
    F("subject", "aliases", "list<text>", B_PERSON, S_STRLIST, dx_person, aliases, NULL, "aliases"),
    PD("date_of_birth", date_of_birth, "date of birth"),
    PE("gender", gender, w_gender, "gender"),
    PE("us_person_status", us_person_status, w_us, "U.S. person status"),
    PT("visa_type", visa_type, "visa type"),
    PE("role", role, w_role, "role"),
    PT("department", department, "department"),
    PT("affiliation", affiliation, "affiliation"),
    PC("affiliation_country", affiliation_country, "country of the affiliation"),
    PD("jp_entry_date", jp_entry_date, "date of the most recent entry into Japan"),
    F("subject", "jp_employed", "bool", B_PERSON, S_TRI, dx_person, jp_employed, NULL,
      "employed at an office in Japan and working in Japan"),
    PE("jp_official_status", jp_official_status, w_official,
       "official status (diplomat, foreign official, international organisation, armed forces)"),
    PD("jp_abroad_since", jp_abroad_since, "date of leaving Japan"),
    PE("jp_abroad_purpose", jp_abroad_purpose, w_abroad, "purpose of the stay abroad"),
    PC("jp_abroad_country", jp_abroad_country, "country of the stay abroad"),
    PD("jp_return_date", jp_return_date, "date of the temporary return to Japan"),
    PE("jp_residency", jp_residency, w_residency, "residency set by hand"),
    PT("residency_note", residency_note, "reason for the residency set by hand"),
    F("subject", "annual_income", "number", B_PERSON, S_AMOUNT, dx_person, annual_income, NULL,
      "annual income"),
    PC("income_currency", income_currency, "currency of the income"),
    PD("pledge_date", pledge_date, "date of the specific-category pledge"),
    PE("pledge_answer", pledge_answer, w_pledge, "answer of the specific-category pledge"),
    F("subject", "foreign_gov_instructions", "bool", B_PERSON, S_TRI, dx_person,
      foreign_gov_instructions, NULL, "acts under instructions of a foreign government"),
    PD("start_date", start_date, "start of employment or enrolment"),
    PD("end_date", end_date, "end of employment or enrolment"),
    F("subject", "organization", "text", B_VISITOR, S_TEXT, dx_visitor, organization, NULL,
      "visitor's organisation"),
    F("subject", "organization_country", "text", B_VISITOR, S_COUNTRY, dx_visitor,
      organization_country, NULL, "country of the visitor's organisation"),
    F("subject", "host_person_id", "text", B_VISITOR, S_TEXT, dx_visitor, host_person_id, NULL,
      "host of the visit"),
    F("subject", "visit_start", "date", B_VISITOR, S_DATE, dx_visitor, visit_start, NULL,
      "first day of the visit"),
    F("subject", "visit_end", "date", B_VISITOR, S_DATE, dx_visitor, visit_end, NULL,
      "last day of the visit"),
    F("subject", "facility", "text", B_VISITOR, S_TEXT, dx_visitor, facility, NULL, "facility"),
    F("subject", "purpose", "text", B_VISITOR, S_TEXT, dx_visitor, purpose, NULL,
      "purpose of the visit"),
    F("subject", "public_only", "bool", B_VISITOR, S_TRI, dx_visitor, public_only, NULL,
      "the visit shows only public information"),

    F("country_since", "country", "text", B_SELF, S_COUNTRY, dx_country_at, country, NULL, "country"),
    F("country_since", "acquired", "date", B_SELF, S_DATE, dx_country_at, acquired, NULL,
      "date acquired"),

    F("technology", "id", "text", B_TECH, S_TEXT, dx_technology, tech_id, NULL, "technology id"),
    F("technology", "description", "text", B_TECH, S_TEXT, dx_technology, description, NULL,
      "description"),
    F("technology", "origin", "text", B_TECH, S_ENUM, dx_technology, origin, w_origin,
      "origin (input or output of the research)"),
    F("technology", "jp_item", "text", B_TECH, S_TEXT, dx_technology, jp_item, NULL,
      "item of the Foreign Exchange Order's Appended Table (外為令別表)"),
    F("technology", "jp_citation", "text", B_TECH, S_TEXT, dx_technology, jp_citation, NULL,
      "citation of the classification"),
    DERIVED("technology", "concern_types", "list<text>", get_tech, "concern types"),
    F("technology", "eccn", "text", B_TECH, S_TEXT, dx_technology, eccn, NULL, "ECCN"),
    F("technology", "us_reasons", "list<text>", B_TECH, S_STRLIST, dx_technology, us_reasons,
      NULL, "U.S. reasons for control"),
    F("technology", "us_origin", "bool", B_TECH, S_TRI, dx_technology, us_origin, NULL,
      "U.S.-origin"),
    F("technology", "usml_category", "text", B_TECH, S_TEXT, dx_technology, usml_category, NULL,
      "USML category (ITAR)"),
    F("technology", "eu_code", "text", B_TECH, S_TEXT, dx_technology, eu_code, NULL,
      "EU Annex I entry"),
    F("technology", "public", "bool", B_TECH, S_TRI, dx_technology, is_public, NULL,
      "publicly available (公知) / published"),
    F("technology", "basic_science", "bool", B_TECH, S_TRI, dx_technology, basic_science, NULL,
      "basic scientific research (基礎科学)"),
    F("technology", "educational", "bool", B_TECH, S_TRI, dx_technology, educational, NULL,
      "educational information"),
    F("technology", "classification_status", "text", B_TECH, S_ENUM, dx_technology,
      classification_status, w_class, "classification status"),
    DERIVED("technology", "project", "project", get_tech, "the technology's project"),

    {"project", "list_hits", "list<list_hit>", "list hits of the sponsor and collaborators",
     get_list_hits, {0, 0, 0, NULL}, "project"},
    F("project", "id", "text", B_PROJECT, S_TEXT, dx_project, project_id, NULL, "project id"),
    F("project", "title", "text", B_PROJECT, S_TEXT, dx_project, title, NULL, "title"),
    F("project", "pi_person_id", "text", B_PROJECT, S_TEXT, dx_project, pi_person_id, NULL,
      "principal investigator"),
    {"project", "location", "text", "country where the work and the releases happen",
     get_location, {0, 0, 0, NULL}, NULL},
    F("project", "sponsor", "text", B_PROJECT, S_TEXT, dx_project, sponsor, NULL, "sponsor"),
    F("project", "sponsor_country", "text", B_PROJECT, S_COUNTRY, dx_project, sponsor_country,
      NULL, "sponsor's country"),
    F("project", "collaborators", "list<text>", B_PROJECT, S_STRLIST, dx_project, collaborators,
      NULL, "collaborators"),
    F("project", "start_date", "date", B_PROJECT, S_DATE, dx_project, start_date, NULL, "start"),
    F("project", "end_date", "date", B_PROJECT, S_DATE, dx_project, end_date, NULL, "end"),
    F("project", "fundamental_research", "bool", B_PROJECT, S_TRI, dx_project,
      fundamental_research, NULL, "fundamental research"),
    F("project", "publication_restrictions", "bool", B_PROJECT, S_TRI, dx_project,
      publication_restrictions, NULL, "publication restrictions"),
    F("project", "foreign_national_restrictions", "bool", B_PROJECT, S_TRI, dx_project,
      foreign_national_restrictions, NULL, "foreign-national restrictions"),

    F("contract", "counterparty", "text", B_SELF, S_TEXT, dx_contract, counterparty, NULL,
      "counterparty"),
    F("contract", "counterparty_type", "text", B_SELF, S_ENUM, dx_contract, counterparty_type,
      w_party, "kind of counterparty"),
    F("contract", "counterparty_country", "text", B_SELF, S_COUNTRY, dx_contract,
      counterparty_country, NULL, "counterparty's country"),
    F("contract", "subject_to_direction", "bool", B_SELF, S_TRI, dx_contract,
      subject_to_direction, NULL, "under its direction or owing it a duty of care"),
    F("contract", "precedence_agreement", "bool", B_SELF, S_TRI, dx_contract,
      precedence_agreement, NULL, "agreement giving the Japanese employer precedence"),
    F("contract", "same_group", "bool", B_SELF, S_TRI, dx_contract, same_group, NULL,
      "counterparty of the same corporate group"),
    F("contract", "start_date", "date", B_SELF, S_DATE, dx_contract, start_date, NULL, "start"),
    F("contract", "end_date", "date", B_SELF, S_DATE, dx_contract, end_date, NULL, "end"),

    F("funding", "source", "text", B_SELF, S_TEXT, dx_funding, source, NULL, "source"),
    F("funding", "source_type", "text", B_SELF, S_ENUM, dx_funding, source_type, w_party,
      "kind of source"),
    F("funding", "source_country", "text", B_SELF, S_COUNTRY, dx_funding, source_country, NULL,
      "source's country"),
    F("funding", "annual_amount", "number", B_SELF, S_AMOUNT, dx_funding, annual_amount, NULL,
      "annual amount"),
    F("funding", "currency", "text", B_SELF, S_COUNTRY, dx_funding, currency, NULL, "currency"),
    F("funding", "start_date", "date", B_SELF, S_DATE, dx_funding, start_date, NULL, "start"),
    F("funding", "end_date", "date", B_SELF, S_DATE, dx_funding, end_date, NULL, "end"),

    {"organization", "list_hits", "list<list_hit>", "list hits of the name and aliases",
     get_list_hits, {0, 0, 0, NULL}, "organization"},
    F("organization", "id", "text", B_SELF, S_TEXT, dx_organization, org_id, NULL, "id"),
    F("organization", "name", "text", B_SELF, S_TEXT, dx_organization, name, NULL, "name"),
    F("organization", "aliases", "list<text>", B_SELF, S_STRLIST, dx_organization, aliases, NULL,
      "aliases"),
    F("organization", "country", "text", B_SELF, S_COUNTRY, dx_organization, country, NULL,
      "country"),
    F("organization", "relation", "text", B_SELF, S_ENUM, dx_organization, relation, w_relation,
      "relation to the institution"),

    F("license", "id", "text", B_SELF, S_TEXT, dx_license, license_id, NULL, "licence id"),
    F("license", "authority", "text", B_SELF, S_ENUM, dx_license, authority, w_authority,
      "authority"),
    F("license", "kind", "text", B_SELF, S_ENUM, dx_license, kind, w_lkind, "kind of licence"),
    F("license", "exception_code", "text", B_SELF, S_TEXT, dx_license, exception_code, NULL,
      "licence exception"),
    F("license", "tech_id", "text", B_SELF, S_TEXT, dx_license, tech_id, NULL, "technology"),
    F("license", "jp_item", "text", B_SELF, S_TEXT, dx_license, jp_item, NULL, "item"),
    F("license", "eccn", "text", B_SELF, S_TEXT, dx_license, eccn, NULL, "ECCN"),
    F("license", "country", "text", B_SELF, S_COUNTRY, dx_license, country, NULL, "country"),
    F("license", "valid_from", "date", B_SELF, S_DATE, dx_license, valid_from, NULL,
      "first day of validity"),
    F("license", "valid_to", "date", B_SELF, S_DATE, dx_license, valid_to, NULL,
      "last day of validity"),
    F("license", "conditions", "text", B_SELF, S_TEXT, dx_license, conditions, NULL,
      "conditions"),

    DERIVED("assignment", "access", "text", get_assignment, "access (full, supervised, none)"),
    DERIVED("assignment", "start_date", "date", get_assignment, "start of access"),
    DERIVED("assignment", "end_date", "date", get_assignment, "end of access"),
};

static const struct {
    const char *name, *doc;
} kinds[] = {
    {"subject", "a person (people.csv) or a visitor (visitors.csv)"},
    {"country_since", "a country with the date it was acquired"},
    {"technology", "a technology (technologies.csv)"},
    {"project", "a research project (projects.csv)"},
    {"contract", "a contract with an outside party (contracts.csv)"},
    {"funding", "money or benefits received or agreed (funding.csv)"},
    {"organization", "an organisation (organizations.csv)"},
    {"license", "a licence on file (licenses.csv)"},
    {"assignment", "an access to a technology (assignments.csv, or a visitor's technologies)"},
    {"list_hit", "a restricted-party list hit (dx_list_hits)"},
};

static const struct {
    const char *name, *vars;
} targets[] = {
    {"subject", "subject: subject"},  {"person", "person: subject"},
    {"visitor", "visitor: subject"},  {"project", "project: project"},
    {"organization", "organization: organization"},
    {"access", "subject: subject, tech: technology, access: assignment"},
};

dx_status dx_records_ruleenv_new(dx_ruleenv **out)
{
    dx_ruleenv *env = NULL;
    dx_status st = dx_ruleenv_new(&env);
    for (size_t i = 0; st == DX_OK && i < sizeof kinds / sizeof kinds[0]; i++)
        st = dx_ruleenv_add_kind(env, kinds[i].name, kinds[i].doc);
    if (st == DX_OK)
        st = dx_list_hits_register_fields(env);
    for (size_t i = 0; st == DX_OK && i < sizeof fields / sizeof fields[0]; i++) {
        const freg *f = &fields[i];
        st = dx_ruleenv_add_field(env, f->kind, f->name, f->type, f->label, f->get,
                                  f->what ? (const void *)f->what : (const void *)&f->d);
    }
    for (size_t i = 0; st == DX_OK && i < sizeof targets / sizeof targets[0]; i++)
        st = dx_ruleenv_add_target(env, targets[i].name, targets[i].vars, NULL);
    if (st == DX_OK)
        st = dx_ruleenv_add_global(env, "home_country", "text",
                                   "country of the institution (--home-country)", get_home, NULL);
    if (st == DX_OK)
        st = dx_ruleenv_add_standard_functions(env);
    if (st == DX_OK)
        st = dx_us_register_functions(env);
    if (st != DX_OK) {
        dx_ruleenv_free(env);
        return st == DX_ERR_INVALID ? DX_ERR_INTERNAL : st;
    }
    *out = env;
    return DX_OK;
}

/* ---- evaluation over a record set ---- */

typedef struct run {
    host h;
    dx_arena arena;
    dx_strmap subject_ids, project_ids, tech_ids;
    rsubject *subjects; /* people, then visitors */
    size_t n_people, n_subjects;
    rproject *projects;
    size_t n_projects;
    rtech *techs;
    size_t n_techs;
    const dx_ruleset *rs;
    dx_reval_options eval;
    dx_records_outcome_fn fn;
    void *ud;
    dx_records_outcome current; /* the ids of the target being evaluated */
} run;

static const void **alloc_ptrs(run *r, size_t n)
{
    return dx_arena_alloc(&r->arena, (n ? n : 1) * sizeof(void *));
}

/* Countries of a list as texts, and as country_since objects. */
static dx_status countries(run *r, const dx_country_list *l, const char ***codes, size_t *n,
                           objlist *dated)
{
    *codes = (const char **)alloc_ptrs(r, l->n);
    dated->items = alloc_ptrs(r, l->n);
    if (!*codes || !dated->items)
        return DX_ERR_NOMEM;
    for (size_t i = 0; i < l->n; i++) {
        (*codes)[i] = l->items[i].country;
        dated->items[i] = &l->items[i];
    }
    *n = dated->n = l->n;
    return DX_OK;
}

/* The list at offset `member` of subject i. */
static objlist *subject_list(run *r, size_t i, size_t member)
{
    return (objlist *)((char *)&r->subjects[i] + member);
}

/* Gather rows (n of `size` bytes, the person id at offset `id_off`) into each subject's list
 * at offset `member`: count, then fill. */
static dx_status gather(run *r, const void *rows, size_t n, size_t size, size_t id_off,
                        size_t member)
{
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < r->n_subjects; i++) {
            objlist *l = subject_list(r, i, member);
            if (pass == 1 && !(l->items = alloc_ptrs(r, l->n)))
                return DX_ERR_NOMEM;
            l->n = 0;
        }
        for (size_t i = 0; i < n; i++) {
            const char *row = (const char *)rows + i * size;
            const char *id = *(const char *const *)(row + id_off);
            size_t at;
            if (!id || !dx_strmap_get(&r->subject_ids, id, &at))
                continue;
            objlist *l = subject_list(r, at, member);
            if (pass == 1)
                l->items[l->n] = row;
            l->n++;
        }
    }
    return DX_OK;
}

/* A name folded for the look-up of organisations by name (the design comment at the top), in
 * the run's arena; NULL when out of memory. */
static char *fold_name(run *r, const char *name)
{
    char *out = dx_arena_alloc(&r->arena, strlen(name) + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *c = name; *c; c++) {
        int space = *c == ' ' || *c == '\t' || *c == '\n' || *c == '\r';
        if (space && (o == out || o[-1] == ' '))
            continue;
        *o++ = space ? ' ' : (*c >= 'A' && *c <= 'Z') ? (char)(*c - 'A' + 'a') : *c;
    }
    if (o > out && o[-1] == ' ')
        o--;
    *o = '\0';
    return out;
}

/* Index the organisations by id and by every folded name and alias (the first one wins). */
static dx_status build_orgs(run *r)
{
    size_t n;
    const dx_organization *orgs = dx_records_organizations(r->h.records, &n);
    r->h.orgs = orgs;
    dx_status st = DX_OK;
    int inserted;
    for (size_t i = 0; st == DX_OK && i < n; i++) {
        st = dx_strmap_put(&r->h.org_ids, orgs[i].org_id, i, &inserted, NULL);
        for (size_t k = 0; st == DX_OK && k <= orgs[i].aliases.n; k++) {
            const char *name = k == 0 ? orgs[i].name : orgs[i].aliases.items[k - 1];
            char *key = name ? fold_name(r, name) : NULL;
            if (name && !key)
                st = DX_ERR_NOMEM;
            else if (key && *key)
                st = dx_strmap_put(&r->h.org_names, key, i, &inserted, NULL);
        }
    }
    return st;
}

/* subject.organizations: the organisations named by the affiliation and, for a visitor, the
 * organisation (each once). */
static dx_status link_orgs(run *r, rsubject *s)
{
    const char *names[2] = {s->p->affiliation, s->v ? s->v->organization : NULL};
    if (!(s->organizations.items = alloc_ptrs(r, 2)))
        return DX_ERR_NOMEM;
    for (int k = 0; k < 2; k++) {
        size_t at;
        char *key = names[k] && r->h.org_names.len ? fold_name(r, names[k]) : NULL;
        if (names[k] && r->h.org_names.len && !key)
            return DX_ERR_NOMEM;
        if (!key || !dx_strmap_get(&r->h.org_names, key, &at))
            continue;
        if (s->organizations.n == 1 && s->organizations.items[0] == &r->h.orgs[at])
            continue;
        s->organizations.items[s->organizations.n++] = &r->h.orgs[at];
    }
    return DX_OK;
}

static dx_status add_subject(run *r, const dx_person *p, const dx_visitor *v)
{
    rsubject *s = &r->subjects[r->n_subjects];
    memset(s, 0, sizeof *s);
    s->p = p;
    s->v = v;
    s->rejected = dx_records_subject_has_rejected_rows(r->h.records, p->person_id);
    dx_status st = countries(r, &p->citizenships, &s->citizenships, &s->n_citizenships,
                             &s->citizenships_dated);
    if (st == DX_OK)
        st = countries(r, &p->permanent_residencies, &s->residencies, &s->n_residencies,
                       &s->residencies_dated);
    if (st == DX_OK)
        st = link_orgs(r, s);
    int inserted;
    if (st == DX_OK)
        st = dx_strmap_put(&r->subject_ids, p->person_id, r->n_subjects, &inserted, NULL);
    r->n_subjects++;
    return st;
}

static dx_status build_subjects(run *r)
{
    size_t np, nv, nc, nf, nl;
    const dx_person *people = dx_records_people(r->h.records, &np);
    const dx_visitor *visitors = dx_records_visitors(r->h.records, &nv);
    r->subjects = dx_arena_alloc(&r->arena, (np + nv + 1) * sizeof *r->subjects);
    if (!r->subjects)
        return DX_ERR_NOMEM;
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < np; i++)
        st = add_subject(r, &people[i], NULL);
    r->n_people = r->n_subjects;
    for (size_t i = 0; st == DX_OK && i < nv; i++)
        st = add_subject(r, &visitors[i].person, &visitors[i]);
    const dx_contract *c = dx_records_contracts(r->h.records, &nc);
    const dx_funding *f = dx_records_funding(r->h.records, &nf);
    const dx_license *l = dx_records_licenses(r->h.records, &nl);
    if (st == DX_OK)
        st = gather(r, c, nc, sizeof *c, offsetof(dx_contract, person_id),
                    offsetof(rsubject, contracts));
    if (st == DX_OK)
        st = gather(r, f, nf, sizeof *f, offsetof(dx_funding, person_id),
                    offsetof(rsubject, funding));
    if (st == DX_OK)
        st = gather(r, l, nl, sizeof *l, offsetof(dx_license, subject_id),
                    offsetof(rsubject, licenses));
    return st;
}

/* Each project's technologies (count, then fill), for assignments by project. */
static dx_status index_project_techs(run *r)
{
    for (size_t i = 0; i < r->n_techs; i++)
        if (r->techs[i].project)
            r->techs[i].project->n_techs++;
    for (size_t i = 0; i < r->n_projects; i++) {
        r->projects[i].techs = dx_arena_alloc(&r->arena, (r->projects[i].n_techs + 1) *
                                                             sizeof(size_t));
        if (!r->projects[i].techs)
            return DX_ERR_NOMEM;
        r->projects[i].n_techs = 0;
    }
    for (size_t i = 0; i < r->n_techs; i++)
        if (r->techs[i].project) {
            rproject *p = r->techs[i].project;
            p->techs[p->n_techs++] = i;
        }
    return DX_OK;
}

static dx_status build_projects_techs(run *r)
{
    size_t np, nt;
    const dx_project *projects = dx_records_projects(r->h.records, &np);
    const dx_technology *techs = dx_records_technologies(r->h.records, &nt);
    r->projects = dx_arena_alloc(&r->arena, (np + 1) * sizeof *r->projects);
    r->techs = dx_arena_alloc(&r->arena, (nt + 1) * sizeof *r->techs);
    if (!r->projects || !r->techs)
        return DX_ERR_NOMEM;
    dx_status st = DX_OK;
    int inserted;
    for (size_t i = 0; st == DX_OK && i < np; i++) {
        r->projects[i] = (rproject){&projects[i], projects[i].location[0] ? projects[i].location
                                                                          : r->h.home_country,
                                    NULL, 0};
        st = dx_strmap_put(&r->project_ids, projects[i].project_id, i, &inserted, NULL);
    }
    r->n_projects = np;
    static const char *const concern_words[] = {"B", "C", "M", "N", "CW"};
    for (size_t i = 0; st == DX_OK && i < nt; i++) {
        rtech *t = &r->techs[i];
        size_t at;
        memset(t, 0, sizeof *t);
        t->t = &techs[i];
        if (techs[i].project_id && dx_strmap_get(&r->project_ids, techs[i].project_id, &at))
            t->project = &r->projects[at];
        for (int b = 0; b < 5; b++)
            if (techs[i].concern_types & (1u << b))
                t->concerns[t->n_concerns++] = concern_words[b];
        st = dx_strmap_put(&r->tech_ids, techs[i].tech_id, i, &inserted, NULL);
    }
    r->n_techs = nt;
    return st == DX_OK ? index_project_techs(r) : st;
}

/* ---- running the targets ---- */

static dx_status deliver(void *ud, const dx_outcome *o)
{
    run *r = ud;
    r->current.outcome = o;
    return r->fn(r->ud, &r->current);
}

static dx_status eval_target(run *r, const char *target, const void *const *objects)
{
    int id = dx_ruleenv_target_id(r->rs->env, target);
    return id < 0 ? DX_ERR_INTERNAL : dx_ruleset_eval(r->rs, &r->eval, id, objects, deliver, r);
}

static dx_status eval_subjects(run *r)
{
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < r->n_subjects; i++) {
        const void *obj[1] = {&r->subjects[i]};
        int visitor = i >= r->n_people;
        r->current = (dx_records_outcome){NULL, r->subjects[i].p->person_id,
                                          visitor ? "visitor" : "person", NULL, NULL, NULL};
        st = eval_target(r, "subject", obj);
        if (st == DX_OK)
            st = eval_target(r, visitor ? "visitor" : "person", obj);
    }
    return st;
}

static dx_status eval_projects_orgs(run *r)
{
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < r->n_projects; i++) {
        const void *obj[1] = {&r->projects[i]};
        r->current = (dx_records_outcome){NULL, NULL, NULL, NULL, r->projects[i].p->project_id,
                                          NULL};
        st = eval_target(r, "project", obj);
    }
    size_t no;
    const dx_organization *orgs = dx_records_organizations(r->h.records, &no);
    for (size_t i = 0; st == DX_OK && i < no; i++) {
        const void *obj[1] = {&orgs[i]};
        r->current = (dx_records_outcome){NULL, NULL, NULL, NULL, NULL, orgs[i].org_id};
        st = eval_target(r, "organization", obj);
    }
    return st;
}

/* One access pair, unless the same subject and technology came before. */
static dx_status eval_pair(run *r, dx_strmap *seen, size_t subject, size_t tech,
                           const rassign *a)
{
    const rsubject *s = &r->subjects[subject];
    const rtech *t = &r->techs[tech];
    size_t len = strlen(s->p->person_id) + strlen(t->t->tech_id) + 2;
    char *key = dx_arena_alloc(&r->arena, len);
    if (!key)
        return DX_ERR_NOMEM;
    snprintf(key, len, "%s%s", s->p->person_id, t->t->tech_id);
    int inserted;
    dx_status st = dx_strmap_put(seen, key, 0, &inserted, NULL);
    if (st != DX_OK || !inserted)
        return st;
    const void *obj[3] = {s, t, a};
    r->current = (dx_records_outcome){NULL, s->p->person_id, subject >= r->n_people ? "visitor"
                                                                                    : "person",
                                      t->t->tech_id, t->project ? t->project->p->project_id : NULL,
                                      NULL};
    return eval_target(r, "access", obj);
}

/* The pairs of one assignment row: its technology, or every technology of its project. */
static dx_status eval_assignment(run *r, dx_strmap *seen, const dx_assignment *as)
{
    size_t subject, tech;
    if (as->access == DX_ACCESS_NONE || !as->subject_id ||
        !dx_strmap_get(&r->subject_ids, as->subject_id, &subject))
        return DX_OK;
    rassign *a = dx_arena_alloc(&r->arena, sizeof *a);
    if (!a)
        return DX_ERR_NOMEM;
    *a = (rassign){as->access, as->start_date, as->end_date};
    if (as->tech_id)
        return dx_strmap_get(&r->tech_ids, as->tech_id, &tech)
                   ? eval_pair(r, seen, subject, tech, a) : DX_OK;
    size_t at;
    if (!as->project_id || !dx_strmap_get(&r->project_ids, as->project_id, &at))
        return DX_OK;
    const rproject *p = &r->projects[at];
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < p->n_techs; i++)
        st = eval_pair(r, seen, subject, p->techs[i], a);
    return st;
}

static dx_status eval_access(run *r)
{
    dx_strmap seen = DX_STRMAP_INIT;
    size_t n;
    const dx_assignment *as = dx_records_assignments(r->h.records, &n);
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < n; i++)
        st = eval_assignment(r, &seen, &as[i]);
    for (size_t i = r->n_people; st == DX_OK && i < r->n_subjects; i++) {
        const dx_visitor *v = r->subjects[i].v;
        rassign *a = dx_arena_alloc(&r->arena, sizeof *a);
        if (!a)
            st = DX_ERR_NOMEM;
        else
            *a = (rassign){DX_ACCESS_FULL, v->visit_start, v->visit_end};
        for (size_t k = 0; st == DX_OK && k < v->technologies.n; k++) {
            size_t tech;
            if (dx_strmap_get(&r->tech_ids, v->technologies.items[k], &tech))
                st = eval_pair(r, &seen, i, tech, a);
        }
    }
    dx_strmap_free(&seen);
    return st;
}

dx_status dx_rules_eval_records(const dx_ruleset *rs, const dx_records *records,
                                const dx_records_eval_options *opt, dx_records_outcome_fn fn,
                                void *ud)
{
    if (!rs || !records || !opt || !fn || rules_env_field(rs->env, -1, "home_country", 12) < 0 ||
        rs->env->fields[rules_env_field(rs->env, -1, "home_country", 12)].get != get_home)
        return DX_ERR_INVALID;
    run r = {{records, opt->home_country ? opt->home_country : "JP", opt->us_controls,
              opt->list_hits, NULL, DX_STRMAP_INIT, DX_STRMAP_INIT},
             DX_ARENA_INIT,
             DX_STRMAP_INIT, DX_STRMAP_INIT, DX_STRMAP_INIT, NULL, 0, 0, NULL, 0, NULL, 0, rs,
             {NULL, opt->as_of, NULL}, fn, ud, {0}};
    r.eval.host = &r.h;
    dx_status st = dx_rscratch_new(&r.eval.scratch);
    if (st == DX_OK)
        st = build_orgs(&r);
    if (st == DX_OK)
        st = build_subjects(&r);
    if (st == DX_OK)
        st = build_projects_techs(&r);
    if (st == DX_OK)
        st = eval_subjects(&r);
    if (st == DX_OK)
        st = eval_projects_orgs(&r);
    if (st == DX_OK)
        st = eval_access(&r);
    dx_rscratch_free(r.eval.scratch);
    dx_strmap_free(&r.subject_ids);
    dx_strmap_free(&r.project_ids);
    dx_strmap_free(&r.tech_ids);
    dx_strmap_free(&r.h.org_ids);
    dx_strmap_free(&r.h.org_names);
    dx_arena_free(&r.arena);
    return st;
}
