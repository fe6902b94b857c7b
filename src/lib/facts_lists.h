/*
 * facts_lists.h — the restricted-party list hits of a run as facts of the rule language
 * (facts_lists.c). Internal: the public face is dx_list_hits in dexcheck/rules_records.h.
 */
#ifndef DX_FACTS_LISTS_H
#define DX_FACTS_LISTS_H

#include "dexcheck/rules_records.h"

/* Register the fields of the kind "list_hit" (the kind itself must be registered first) and
 * the function list_hits_text(list<list_hit>, list<text>) -> list<text>. */
dx_status dx_list_hits_register_fields(dx_ruleenv *env);

/* The hits of one owner ("person", "visitor", "organization", "project"), in the order they
 * were added, as objects of the kind list_hit: *items and *n (0 when none, or hits is NULL).
 * The pointers live as long as `hits`. */
void dx_list_hits_of(const dx_list_hits *hits, const char *owner_type, const char *owner_id,
                     const void *const **items, size_t *n);

#endif
