/*
 * entry.h — builds one dx_entry at a time for an importer (internal).
 *
 * The builder owns an arena that is reset at each dx_entry_begin, so an import of any size
 * uses the memory of one entry. Names and texts are copied with white space collapsed and
 * trimmed; an empty text is ignored; a name already present with the same kind is not added
 * twice. Raw source fields are collected into a JSON object (dx_entry.raw), escaped.
 */
#ifndef DX_ENTRY_H
#define DX_ENTRY_H

#include <stddef.h>

#include "dexcheck/lists.h"

typedef struct dx_entry_builder dx_entry_builder;

/* `countries` (borrowed) resolves country facts. Caller frees with dx_entry_builder_free. */
dx_status dx_entry_builder_new(const dx_countries *countries, dx_entry_builder **out);
void dx_entry_builder_free(dx_entry_builder *b); /* accepts NULL */

/* Start a new entry (forgets the previous one). `list_id` must outlive the import. */
void dx_entry_begin(dx_entry_builder *b, const char *list_id, dx_entry_kind kind);
dx_status dx_entry_set_id(dx_entry_builder *b, const char *id, size_t len);

/* The first DX_NAME_PRIMARY name becomes dx_entry.name. */
dx_status dx_entry_add_name(dx_entry_builder *b, dx_name_kind kind, const char *text, size_t len);

/* A fact; its country is looked up from `value` when resolve_country is set (a value that
 * does not resolve keeps country ""), or taken from `country` (alpha-2 or NULL). */
dx_status dx_entry_add_fact(dx_entry_builder *b, const char *type, const char *value, size_t len,
                            int resolve_country);
dx_status dx_entry_add_fact_in(dx_entry_builder *b, const char *type, const char *value,
                               size_t len, const char *country);

dx_status dx_entry_set_remarks(dx_entry_builder *b, const char *text, size_t len);
dx_status dx_entry_set_source_url(dx_entry_builder *b, const char *text, size_t len);
/* YYYY-MM-DD (other forms are kept only as facts / raw). */
dx_status dx_entry_set_start_date(dx_entry_builder *b, const char *text, size_t len);
void dx_entry_add_concerns(dx_entry_builder *b, unsigned bits);

/* One source field, kept in dx_entry.raw under its source name (repeated names are kept). */
dx_status dx_entry_add_raw(dx_entry_builder *b, const char *field, const char *value, size_t len);

/* The entry built since dx_entry_begin; valid until the next begin. NULL when it has no id
 * or no primary name (the importer reports that as an error). */
const dx_entry *dx_entry_finish(dx_entry_builder *b);

#endif
