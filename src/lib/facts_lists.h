/*
 * facts_lists.h — the restricted-party list hits of a run as facts of the rule language
 * (facts_lists.c). Internal: the public face is dx_list_hits in dexcheck/rules_records.h.
 */
#ifndef DX_FACTS_LISTS_H
#define DX_FACTS_LISTS_H

#include "dexcheck/rules_records.h"

/* Register the fields of the kind "list_hit" and the functions list_hits_text, owned_share,
 * owned_share_unknown and listed_owners_text (docs/rules.md, "List hits" and "Ownership"); the
 * kinds list_hit and organization must be registered first. */
dx_status dx_list_hits_register_fields(dx_ruleenv *env);

/* What the ownership functions read from the records binding's host (facts_records.c), the
 * `host` of the evaluation: the run's list hits (NULL: none), and an organisation by its
 * org_id (NULL when no accepted row of organizations.csv has it). Borrowed for the run. */
const dx_list_hits *dx_records_host_hits(const void *host);
const dx_organization *dx_records_host_org(const void *host, const char *org_id);

/* The hits of one owner ("person", "visitor", "organization", "project"), in the order they
 * were added, as objects of the kind list_hit: *items and *n (0 when none, or hits is NULL).
 * The pointers live as long as `hits`. */
void dx_list_hits_of(const dx_list_hits *hits, const char *owner_type, const char *owner_id,
                     const void *const **items, size_t *n);

#endif
