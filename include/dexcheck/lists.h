/*
 * dexcheck/lists.h — restricted-party lists: one entity model for every published format.
 *
 * An importer reads a list in its official format (OFAC's four CSV files, the Consolidated
 * Screening List CSV, BIS's Denied Persons TSV, the UN XML, METI's End User List xlsx, ...)
 * and emits one dx_entry per listed party. Every field of the source is kept: mapped into the
 * model where it has a place, and always in `raw` (a JSON object of the source fields, in
 * source order). A record that cannot be parsed is an import error with its location; an
 * import with errors stores nothing.
 *
 * Entries handed to a callback are borrowed views valid only during the call.
 */
#ifndef DEXCHECK_LISTS_H
#define DEXCHECK_LISTS_H

#include <stddef.h>

#include "dexcheck/country.h"
#include "dexcheck/diag.h"
#include "dexcheck/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dx_entry_kind {
    DX_ENTRY_UNKNOWN = 0,
    DX_ENTRY_PERSON,
    DX_ENTRY_ORGANIZATION,
    DX_ENTRY_VESSEL,
    DX_ENTRY_AIRCRAFT
} dx_entry_kind;

/* "person", "organization", "vessel", "aircraft", "unknown". */
const char *dx_entry_kind_name(dx_entry_kind kind);

typedef enum dx_name_kind {
    DX_NAME_PRIMARY = 0,      /* the list's own name of the entry */
    DX_NAME_ALIAS_STRONG,     /* a.k.a. the list treats as a full match (OFAC "strong", UN "Good") */
    DX_NAME_ALIAS_WEAK,       /* low-quality a.k.a. (OFAC weak a.k.a., UN "Low") */
    DX_NAME_ORIGINAL_SCRIPT,  /* the name in its own script (漢字, Arabic, Cyrillic, ...) */
    DX_NAME_FORMER            /* f.k.a. / formerly known as */
} dx_name_kind;

/* "primary", "strong_alias", "weak_alias", "original_script", "former". */
const char *dx_name_kind_name(dx_name_kind kind);

typedef struct dx_entry_name {
    dx_name_kind kind;
    const char *text;
} dx_entry_name;

/*
 * A fact about an entry, typed by a short word. Types used by the importers (docs/lists.md):
 * dob, pob, nationality, citizenship, address, passport, national_id, tax_id, registration,
 * imo, call_sign, vessel_type, vessel_flag, gender, title, program, linked_to, email, website,
 * sub_list (a list inside a list, e.g. "EL" in the CSL), concern (METI B/C/M/N/CW), country
 * (where an organisation is), license_requirement, license_policy, federal_register,
 * listed_on, effective_date, expiration_date, designation, entity_number (the CSL's, which for
 * Treasury rows is OFAC's ent_num), dataid (the UN's), id (an identifier of another kind). `country` is an ISO alpha-2 code when the fact names a country that
 * resolves, "" otherwise; `value` keeps the text as the list wrote it.
 */
typedef struct dx_entry_fact {
    const char *type;
    const char *value;
    char country[3];
} dx_entry_fact;

typedef struct dx_entry {
    const char *list_id;  /* "us_ofac_sdn", "us_csl", "jp_meti_eul", ... */
    const char *entry_id; /* the list's own stable id, or a documented derived key */
    dx_entry_kind kind;
    const char *name;     /* the primary name */
    size_t n_names;       /* every name, the primary first */
    const dx_entry_name *names;
    size_t n_facts;
    const dx_entry_fact *facts;
    unsigned concern_types; /* DX_CONCERN_* bits (records.h), for End User List entries */
    const char *remarks;    /* NULL when none */
    const char *source_url; /* NULL when none */
    const char *start_date; /* YYYY-MM-DD when listed, NULL when unknown */
    const char *raw;        /* JSON object of every source field */
} dx_entry;

/* Receives each entry of an import; return DX_OK to go on. */
typedef dx_status (*dx_entry_fn)(void *ctx, const dx_entry *entry);

#ifdef __cplusplus
}
#endif
#endif
