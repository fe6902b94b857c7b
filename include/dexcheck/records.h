/*
 * dexcheck/records.h — the input records of product.md §4, read and validated.
 *
 * A record folder holds up to nine CSV files recognised by name (people.csv, visitors.csv,
 * projects.csv, technologies.csv, assignments.csv, contracts.csv, funding.csv,
 * organizations.csv, licenses.csv), in any of the supported encodings (dexcheck/encoding.h).
 * Reading them gives typed, validated records plus diagnostics for every problem, with
 * file:line:column (column = the 1-based field number, as a spreadsheet shows it).
 *
 * Nothing is dropped silently: a row with an error is *rejected*, kept as raw text in the
 * rejected-row list, and counted (rows read = accepted + rejected, per file); every subject that
 * a rejected row concerns is marked so that no clean answer is ever given for it.
 *
 * Ownership: a dx_records owns every record, string and list it hands out; the structs below
 * are read-only views valid until dx_records_free. Absent text is NULL, absent dates have
 * year 0, absent countries are "", absent enums are the *_UNSET value.
 */
#ifndef DEXCHECK_RECORDS_H
#define DEXCHECK_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "dexcheck/country.h"
#include "dexcheck/diag.h"
#include "dexcheck/encoding.h"
#include "dexcheck/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dx_record_kind {
    DX_REC_PEOPLE = 0,
    DX_REC_VISITORS,
    DX_REC_PROJECTS,
    DX_REC_TECHNOLOGIES,
    DX_REC_ASSIGNMENTS,
    DX_REC_CONTRACTS,
    DX_REC_FUNDING,
    DX_REC_ORGANIZATIONS,
    DX_REC_LICENSES,
    DX_REC_KIND_COUNT
} dx_record_kind;

/* "people.csv", ...; NULL for an out-of-range kind. */
const char *dx_record_kind_file(dx_record_kind kind);
/* The kind for a file name (the base name, case-insensitive); DX_ERR_NOT_FOUND otherwise. */
dx_status dx_record_kind_from_file(const char *basename, dx_record_kind *out);

/* A calendar date. year 0 = absent; month 0 = a bare year (allowed where the column says so). */
typedef struct dx_date {
    int16_t year;
    int8_t month;
    int8_t day;
} dx_date;

/* Days since 1970-01-01 of a full date (a bare year counts as its 1 January). */
long dx_date_days(dx_date date);
/* Writes "YYYY-MM-DD" or "YYYY" (or "" when absent) into buf[11]. */
void dx_date_format(dx_date date, char buf[11]);
/* Parse a date as records accept it (docs/records.md); `allow_year` admits a bare year. */
dx_status dx_date_parse(const char *text, size_t len, int allow_year, dx_date *out);

typedef enum dx_tristate { DX_TRI_UNSET = 0, DX_TRI_NO, DX_TRI_YES, DX_TRI_UNKNOWN } dx_tristate;

typedef struct dx_amount {
    int present;
    double value;
} dx_amount;

typedef struct dx_strlist {
    size_t n;
    const char *const *items;
} dx_strlist;

/* A country with the date it was acquired (citizenships, permanent residencies). */
typedef struct dx_country_at {
    char country[3];
    dx_date acquired; /* absent when not given */
} dx_country_at;

typedef struct dx_country_list {
    size_t n;
    const dx_country_at *items;
} dx_country_list;

/* A column the schema does not know: kept, shown, warned about once per file. */
typedef struct dx_field {
    const char *name;
    const char *value;
} dx_field;

typedef struct dx_fields {
    size_t n;
    const dx_field *items;
} dx_fields;

/* Where a record came from. */
typedef struct dx_source_ref {
    const char *file; /* the path as given */
    unsigned long line; /* first physical line of the row */
} dx_source_ref;

typedef enum dx_gender { DX_GENDER_UNSET = 0, DX_GENDER_M, DX_GENDER_F, DX_GENDER_X } dx_gender;
typedef enum dx_us_status {
    DX_US_UNSET = 0, /* blank = unknown */
    DX_US_CITIZEN,
    DX_US_LPR,
    DX_US_PROTECTED,
    DX_US_NONE
} dx_us_status;
typedef enum dx_role {
    DX_ROLE_UNSET = 0,
    DX_ROLE_FACULTY,
    DX_ROLE_STAFF,
    DX_ROLE_POSTDOC,
    DX_ROLE_STUDENT,
    DX_ROLE_VISITING,
    DX_ROLE_CONTRACTOR,
    DX_ROLE_OTHER
} dx_role;
typedef enum dx_jp_official {
    DX_JP_OFFICIAL_UNSET = 0,
    DX_JP_OFFICIAL_NONE,
    DX_JP_OFFICIAL_DIPLOMAT,
    DX_JP_OFFICIAL_FOREIGN_OFFICIAL,
    DX_JP_OFFICIAL_INTL_ORG,
    DX_JP_OFFICIAL_ARMED_FORCES
} dx_jp_official;
typedef enum dx_jp_abroad_purpose {
    DX_ABROAD_UNSET = 0,
    DX_ABROAD_WORK,
    DX_ABROAD_LONG_STAY,
    DX_ABROAD_DIPLOMATIC_MISSION,
    DX_ABROAD_OTHER
} dx_jp_abroad_purpose;
typedef enum dx_jp_residency {
    DX_RESIDENCY_UNSET = 0,
    DX_RESIDENCY_RESIDENT,
    DX_RESIDENCY_NON_RESIDENT
} dx_jp_residency;
typedef enum dx_pledge {
    DX_PLEDGE_UNSET = 0,
    DX_PLEDGE_NONE,
    DX_PLEDGE_1,
    DX_PLEDGE_2,
    DX_PLEDGE_1_2
} dx_pledge;
typedef enum dx_party_type {
    DX_PARTY_UNSET = 0,
    DX_PARTY_FOREIGN_GOVERNMENT,
    DX_PARTY_FOREIGN_ENTITY,
    DX_PARTY_DOMESTIC
} dx_party_type;
typedef enum dx_origin { DX_ORIGIN_UNSET = 0, DX_ORIGIN_INPUT, DX_ORIGIN_OUTPUT } dx_origin;
typedef enum dx_access {
    DX_ACCESS_UNSET = 0,
    DX_ACCESS_FULL,
    DX_ACCESS_SUPERVISED,
    DX_ACCESS_NONE
} dx_access;
typedef enum dx_classification {
    DX_CLASS_UNSET = 0,
    DX_CLASS_CLASSIFIED,
    DX_CLASS_PENDING
} dx_classification;
typedef enum dx_relation {
    DX_RELATION_UNSET = 0,
    DX_RELATION_SPONSOR,
    DX_RELATION_COLLABORATOR,
    DX_RELATION_SUPPLIER,
    DX_RELATION_CUSTOMER,
    DX_RELATION_EMPLOYER,
    DX_RELATION_INVESTOR
} dx_relation;
typedef enum dx_authority {
    DX_AUTHORITY_UNSET = 0,
    DX_AUTHORITY_METI,
    DX_AUTHORITY_BIS,
    DX_AUTHORITY_DDTC,
    DX_AUTHORITY_EU
} dx_authority;
typedef enum dx_license_kind {
    DX_LICENSE_KIND_UNSET = 0,
    DX_LICENSE_INDIVIDUAL,
    DX_LICENSE_BULK,
    DX_LICENSE_EXCEPTION
} dx_license_kind;

/* Concern types of technologies and End User List entries, as bits. */
enum {
    DX_CONCERN_B = 1 << 0,  /* biological */
    DX_CONCERN_C = 1 << 1,  /* chemical */
    DX_CONCERN_M = 1 << 2,  /* missile */
    DX_CONCERN_N = 1 << 3,  /* nuclear */
    DX_CONCERN_CW = 1 << 4  /* conventional weapons */
};

/* people.csv; also the person columns of visitors.csv. */
typedef struct dx_person {
    dx_source_ref src;
    const char *person_id; /* the subject id (visitor_id for a visitor) */
    const char *family_name, *given_name, *full_name, *name_local;
    dx_strlist aliases;
    dx_date date_of_birth; /* may be a bare year */
    dx_gender gender;
    dx_country_list citizenships, permanent_residencies;
    dx_us_status us_person_status;
    const char *visa_type;
    dx_role role;
    const char *department, *affiliation;
    char affiliation_country[3];
    dx_date jp_entry_date;
    dx_tristate jp_employed;
    dx_jp_official jp_official_status;
    dx_date jp_abroad_since;
    dx_jp_abroad_purpose jp_abroad_purpose;
    char jp_abroad_country[3];
    dx_date jp_return_date;
    dx_jp_residency jp_residency;
    const char *residency_note;
    dx_amount annual_income;
    char income_currency[4];
    dx_date pledge_date;
    dx_pledge pledge_answer;
    dx_tristate foreign_gov_instructions; /* yes / no / unknown */
    dx_date start_date, end_date;
    dx_fields extra;
} dx_person;

typedef struct dx_visitor {
    dx_person person; /* person.person_id is the visitor_id */
    const char *organization;
    char organization_country[3];
    const char *host_person_id;
    dx_date visit_start, visit_end;
    const char *facility, *purpose;
    dx_strlist technologies; /* tech_ids shown or discussed: assignments too */
    dx_tristate public_only;
} dx_visitor;

typedef struct dx_project {
    dx_source_ref src;
    const char *project_id, *title, *pi_person_id, *description;
    char location[3]; /* "" = the home country */
    const char *sponsor;
    char sponsor_country[3];
    dx_strlist collaborators;
    dx_date start_date, end_date;
    dx_tristate fundamental_research, publication_restrictions, foreign_national_restrictions;
    dx_fields extra;
} dx_project;

typedef struct dx_technology {
    dx_source_ref src;
    const char *tech_id, *project_id, *description;
    dx_origin origin;
    const char *jp_item; /* "1".."15", "3-2", "16"; NULL = not yet classified */
    const char *jp_citation;
    unsigned concern_types; /* DX_CONCERN_* bits */
    const char *eccn;       /* upper case, e.g. "3E001", "EAR99"; NULL = not classified */
    dx_strlist us_reasons;  /* e.g. "NS1", "AT1"; empty = every reason of the ECCN */
    dx_tristate us_origin;
    const char *usml_category, *eu_code;
    dx_tristate is_public, basic_science, educational;
    dx_classification classification_status;
    dx_fields extra;
} dx_technology;

typedef struct dx_assignment {
    dx_source_ref src;
    const char *subject_id;
    const char *tech_id;    /* exactly one of tech_id and project_id is set */
    const char *project_id;
    dx_access access;
    dx_date start_date, end_date;
    dx_fields extra;
} dx_assignment;

typedef struct dx_contract {
    dx_source_ref src;
    const char *person_id, *counterparty;
    dx_party_type counterparty_type;
    char counterparty_country[3];
    dx_tristate subject_to_direction, precedence_agreement, same_group;
    dx_date start_date, end_date;
    dx_fields extra;
} dx_contract;

typedef struct dx_funding {
    dx_source_ref src;
    const char *person_id, *source;
    dx_party_type source_type;
    char source_country[3];
    dx_amount annual_amount;
    char currency[4];
    dx_date start_date, end_date;
    dx_fields extra;
} dx_funding;

typedef struct dx_owner {
    const char *org_id;
    double percent;
} dx_owner;

typedef struct dx_organization {
    dx_source_ref src;
    const char *org_id, *name;
    dx_strlist aliases;
    char country[3];
    size_t n_owners;
    const dx_owner *owners;
    dx_relation relation;
    dx_fields extra;
} dx_organization;

typedef struct dx_license {
    dx_source_ref src;
    const char *license_id;
    dx_authority authority;
    dx_license_kind kind;
    const char *exception_code, *subject_id, *tech_id, *jp_item, *eccn;
    char country[3];
    dx_date valid_from, valid_to;
    const char *conditions;
    dx_fields extra;
} dx_license;

/* A rejected row, kept as it was read so it can be shown and reviewed. */
typedef struct dx_rejected_row {
    dx_record_kind kind;
    dx_source_ref src;
    const char *subject_id; /* the person or visitor the row concerns, when readable */
    dx_fields fields;       /* header name → raw value, in file order */
} dx_rejected_row;

/* What was read from one file. */
typedef struct dx_records_file {
    dx_record_kind kind;
    const char *path;     /* NULL when the file was not present */
    dx_encoding encoding; /* the encoding used */
    int had_bom, detected;
    size_t rows_read, rows_accepted, rows_rejected; /* read = accepted + rejected */
    size_t blank_rows;    /* rows with every field empty: not records, not counted as read */
    size_t n_unknown_columns;
    int undecodable;      /* 1 when the file could not be decoded at all (no row read) */
} dx_records_file;

typedef struct dx_records_options {
    dx_encoding encoding;            /* DX_ENC_AUTO = detect per file */
    size_t max_file_bytes;           /* 0 = 1 GiB */
    const dx_countries *countries;   /* borrowed; NULL = build one (and own it) */
} dx_records_options;

typedef struct dx_records dx_records;

/* An empty record set. `opt` may be NULL (defaults). Caller frees with dx_records_free. */
dx_status dx_records_new(const dx_records_options *opt, dx_records **out);
void dx_records_free(dx_records *records); /* accepts NULL */

/*
 * Read the record files of a folder (files not named as in product.md §4 get one warning and
 * are ignored). DX_ERR_IO (with a diagnostic) when the folder cannot be read.
 */
dx_status dx_records_read_folder(dx_records *records, const char *folder, dx_diags *diags);

/* Read one file, its kind taken from its base name. DX_ERR_IO when it cannot be read. */
dx_status dx_records_read_file(dx_records *records, const char *path, dx_diags *diags);

/*
 * Read one file's bytes. `display_path` names it in diagnostics. A kind can be read once per
 * record set (a second file of the same kind is an error diagnostic). Returns DX_OK when the
 * file was read, however many of its rows were rejected (see the diagnostics and counts);
 * DX_ERR_NOMEM; DX_ERR_LIMIT when the file is larger than max_file_bytes.
 */
dx_status dx_records_read_buffer(dx_records *records, dx_record_kind kind,
                                 const char *display_path, const void *bytes, size_t len,
                                 dx_diags *diags);

/*
 * Cross-file checks (duplicate ids, unknown references, ...), after which the set is
 * read-only. Rows that fail them are rejected too. DX_ERR_NO_SUBJECTS when no subject file
 * (people, visitors, projects, organizations) was read.
 */
dx_status dx_records_finish(dx_records *records, dx_diags *diags);

const dx_records_file *dx_records_file_info(const dx_records *records, dx_record_kind kind);

/* Accepted records, in file order. Each returns the array and writes its length. */
const dx_person *dx_records_people(const dx_records *records, size_t *n);
const dx_visitor *dx_records_visitors(const dx_records *records, size_t *n);
const dx_project *dx_records_projects(const dx_records *records, size_t *n);
const dx_technology *dx_records_technologies(const dx_records *records, size_t *n);
const dx_assignment *dx_records_assignments(const dx_records *records, size_t *n);
const dx_contract *dx_records_contracts(const dx_records *records, size_t *n);
const dx_funding *dx_records_funding(const dx_records *records, size_t *n);
const dx_organization *dx_records_organizations(const dx_records *records, size_t *n);
const dx_license *dx_records_licenses(const dx_records *records, size_t *n);
const dx_rejected_row *dx_records_rejected(const dx_records *records, size_t *n);

/* 1 when a rejected row concerns this person or visitor id: it must get needs_review. */
int dx_records_subject_has_rejected_rows(const dx_records *records, const char *subject_id);

/* Totals over all files. */
typedef struct dx_records_totals {
    size_t files, rows_read, rows_accepted, rows_rejected;
} dx_records_totals;
dx_records_totals dx_records_totals_get(const dx_records *records);

#ifdef __cplusplus
}
#endif
#endif
