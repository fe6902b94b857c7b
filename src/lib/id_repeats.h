/*
 * id_repeats.h — unique entry ids for importers that derive them, with repeats numbered.
 *
 * Some lists have no usable id of their own (or one that repeats), so their importers derive
 * an id from the row (a sub-list code and key, a digest of chosen fields). When the list
 * publishes a row twice, the derived id repeats. The rule both importers follow (import_csl.c,
 * import_dpl.c):
 *   - the first row keeps the id; a later row with the same id is kept as "<id>#2" ("#3",
 *     ...: the first suffix no row holds yet), with a warning the importer words itself;
 *   - an importer that can tell an exact repeat from a different row under the same id
 *     (import_dpl.c, by a digest of the whole row) rejects the different row as an error.
 *     Per row it calls dx_id_repeats_content (was this exact row seen?), then, when it was
 *     not, dx_id_repeats_taken (is the id someone else's? then the error, nothing claimed),
 *     and otherwise dx_id_repeats_claim. An importer without that distinction (import_csl.c)
 *     only calls dx_id_repeats_claim.
 *
 * The registry lives for one import (every file of it), so ids stay unique across files. It
 * owns a copy of every key (one arena); the ids map a key to its claim (the line of the row
 * that took it and the next suffix to try), so that the n-th repeat of an id costs one
 * look-up, not one per earlier repeat. Memory comes from alloc.h. A failure (DX_ERR_NOMEM, or
 * DX_ERR_LIMIT from the id buffer's cap) leaves the registry consistent and freeable. The
 * diagnostics stay with the importers: this file reports lines, never messages.
 *
 * Internal to the library.
 */
#ifndef DX_ID_REPEATS_H
#define DX_ID_REPEATS_H

#include <stddef.h>

#include "arena.h"
#include "dexcheck/status.h"
#include "strbuf.h"
#include "strmap.h"

/* An id given in this import: the row that got it, and the next suffix to try for a repeat. */
typedef struct dx_id_claim {
    unsigned long line;
    unsigned long next_suffix;
} dx_id_claim;

typedef struct dx_id_repeats {
    dx_strmap ids;        /* id -> index in claims */
    dx_strmap contents;   /* content key -> line of the first row with it */
    dx_arena keys;        /* the keys of both maps */
    dx_id_claim *claims;
    size_t n_claims, cap_claims;
} dx_id_repeats;

#define DX_ID_REPEATS_INIT {DX_STRMAP_INIT, DX_STRMAP_INIT, DX_ARENA_INIT, NULL, 0, 0}

void dx_id_repeats_free(dx_id_repeats *r);

/*
 * Give the row at `line` the id in `id`, or when another row has it, the first free "<id>#n"
 * (n = 2, 3, ...). On return `id` holds the id given and *first_line is the line of the row
 * that first had the id `id` held on entry (0 when it was new).
 */
dx_status dx_id_repeats_claim(dx_id_repeats *r, dx_strbuf *id, unsigned long line,
                              unsigned long *first_line);

/* 1 when `id` (NUL-terminated) has been given, with *line the row that got it; else 0. */
int dx_id_repeats_taken(const dx_id_repeats *r, const char *id, unsigned long *line);

/*
 * Remember that the row at `line` has the content key `key` (NUL-terminated, e.g. a digest of
 * every field), unless a row had it before: *first_line = the line of that row, else 0.
 */
dx_status dx_id_repeats_content(dx_id_repeats *r, const char *key, unsigned long line,
                                unsigned long *first_line);

#endif
