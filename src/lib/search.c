/*
 * search.c — name search over the restricted-party lists: the index over the store, the
 * scoring of candidates, secondary evidence, and one hit per real listed party.
 *
 * Building. Every entry of the newest version of each restricted-party list is read from the
 * store (dx_store_entries). Each of its names is normalised (name_norm.c) and prepared for
 * scoring once, under the schema of the entry's kind (person, organisation, vessel; unknown
 * kinds under "any"); a person's name written "SURNAME, Given" is also prepared in
 * given-first order. Names that normalise alike within one entry are kept once. Every
 * prepared name (a "variant") goes into the candidate index (name_index.c). Dates of birth,
 * countries (nationality, citizenship, country, address, place of birth) and identifiers
 * (passport, national id, tax id, registration, IMO) are read from the facts.
 *
 * One party, one hit. The CSL repeats Treasury's lists: a CSL row whose sub-list is one of
 * OFAC's (SDN, SSI, FSE, NS-MBS, CAP, CMIC, PLC) carries OFAC's entity number, which is the
 * entry id on OFAC's list. Such entries form one group; a search returns one hit per group,
 * naming every source, the best-scoring first.
 *
 * Screening costs. Names are scored with DX_NAME_COSTS_SCREEN rather than the pair costs of
 * `dexcheck match`: the query is a record's whole name, so a word of it that the listed name
 * lacks costs 2.0 of its weight (not 0.5: "Martin Wilson" is not the listed "Martin"), a
 * listed word the query lacks 0.8 (not 0.4; lists carry patronymics and middle names a
 * record may leave out, so it stays below the query's), two words of six letters or fewer
 * two edits apart, or of four letters or fewer one edit apart, are at most 0.6 similar
 * ("Sarah" / "Lara", "Jones" / "Joel", and the syllables of Chinese names: "Lei" / "Wei"),
 * and an initial matches a word it begins at 0.6 (0.8 in pairs: "M. Aziz" says little
 * about "Azize Manço"). Measured by `make eval` on the synthetic negatives and the perturbed
 * UN persons (scripts/eval-search.sh).
 *
 * The default threshold of a search is 0.81, above the pair scorer's 0.77 (dexcheck match):
 * screening compares one name with some 90,000 listed names, so a threshold that balances
 * precision and recall on one pair at a time alerts too often. It was chosen with `make
 * eval` (scripts/eval-search.sh) on the same data that measures it, so those figures are
 * in-sample: at 0.81 the perturbed UN persons are found at 99.3 % and the synthetic
 * negatives alert 0.7 per 1,000 (at 0.80 before the four-letter rule above: 99.4 % and 1.0
 * per 1,000; at 0.77, 1.7 per 1,000). The OFAC-compatible mode keeps its 0.85.
 *
 * Searching. The query name is prepared under each schema its eligible entries use (a person
 * query is compared with persons and entries of unknown kind, an organisation with
 * organisations and unknown kinds, a vessel with vessels, aircraft and unknown kinds; "any"
 * with everything), in both orders when it is in list form. The index returns the variants
 * that can reach the threshold (less the largest bonus below); a candidate whose words cannot
 * reach it, by the similarities the index found (dx_name_score_may_reach), is dropped
 * without scoring; the others are scored and the best score per entry kept. With
 * --exhaustive, or when the index cannot answer with its guarantee, every eligible variant
 * is scored. The OFAC-compatible algorithm scores the names as listed with ofac_score.c; its
 * candidates come from the same index, built for the default scorer, so it may miss a name
 * that OFAC's score alone would rate at its threshold: parity work should use --exhaustive.
 *
 * Secondary evidence adjusts the name score; it mostly subtracts, because a list entry's
 * dates and countries are incomplete and a matching date is weak evidence on its own:
 *   date of birth  same full date +0.03; same year (day unknown on a side) 0; a year apart or
 *                  another day of the same year -0.03; two years apart or more -0.10
 *                  (lists give several dates or a range; the closest counts);
 *   country        when the query and the entry both name countries and none is shared
 *                  -0.05 (people move and change nationality, so it is a small penalty);
 *   identifier     an identifier equal to one of the entry's (passport, national id, ...)
 *                  makes the score 1.0 whatever the name: identifiers are what lists
 *                  publish to tell parties apart.
 * The threshold applies to the final score. Every adjustment is a line of the explanation.
 */
#include "dexcheck/index.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "arena.h"
#include "evidence.h"
#include "name_index.h"
#include "name_norm.h"
#include "name_score.h"
#include "ofac_score.h"
#include "search_int.h"
#include "strbuf.h"
#include "strmap.h"

#define SEARCH_THRESHOLD 0.81
#define DOB_SAME_DAY 0.03
#define DOB_NEAR -0.03
#define DOB_DIFFERENT -0.10
#define COUNTRY_OTHER -0.05
#define MAX_BONUS DOB_SAME_DAY
#define MAX_DOBS 16
#define MAX_COUNTRIES 16
#define BATCH_CHUNK 2048

static const char *const PARTY_FORMATS[] = {"ofac", "csl", "dpl", "un",
                                            "meti-eul", "au-dfat", "jp-mof"};
static const char *const OFAC_SUBLISTS[] = {"SDN", "SSI", "FSE", "NS-MBS", "CAP", "CMIC", "PLC"};

typedef struct ix_list {
    const char *list_id;
    long long version_id;
    size_t entries;
} ix_list;

typedef struct ix_entry {
    const char *list_id, *entry_id, *name;
    dx_entry_kind kind;
    unsigned concern_types;
    uint32_t group;       /* the first entry of its party group */
    uint32_t next_in_group; /* UINT32_MAX: last */
    const dx_dob *dobs;
    size_t n_dobs;
    const char *countries; /* alpha-2 codes, concatenated */
    const char *ofac_key;  /* OFAC entity number this entry is or repeats, or NULL */
} ix_entry;

typedef struct id_holder {
    const char *id; /* normalised (dx_identifier_norm) */
    uint32_t entry;
} id_holder;

typedef struct ix_variant {
    uint32_t entry;
    int reordered;        /* the given-first order of a list-form name */
    const char *text;     /* the name as listed */
    const dx_name_prep *prep;
} ix_variant;

struct dx_index {
    dx_arena arena;
    dx_name_normalizer *norm;
    dx_countries *countries; /* for the country columns of batch files (search_file.c) */
    dx_name_index *names;
    ix_list *lists;
    size_t n_lists;
    ix_entry *entries;
    size_t n_entries, cap_entries;
    ix_variant *variants;
    size_t n_variants, cap_variants;
    id_holder *holders;   /* (identifier, entry), sorted by identifier once built */
    size_t n_holders, cap_holders;
    dx_strmap ids;        /* normalised identifier -> its first index in holders */
    dx_strmap ofac;       /* OFAC entity number -> group */
    size_t by_schema[4];  /* variants of each dx_name_schema: a query skips the others */
};

/* ---------------------------------------------------------------- building ---- */

static int in_set(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, set[i]) == 0)
            return 1;
    return 0;
}

int dx_index_takes_format(const char *format)
{
    return in_set(format, PARTY_FORMATS, sizeof PARTY_FORMATS / sizeof *PARTY_FORMATS);
}

static dx_name_schema schema_of_kind(dx_entry_kind kind)
{
    switch (kind) {
    case DX_ENTRY_PERSON:
        return DX_SCHEMA_PERSON;
    case DX_ENTRY_ORGANIZATION:
        return DX_SCHEMA_ORGANIZATION;
    case DX_ENTRY_VESSEL:
    case DX_ENTRY_AIRCRAFT:
        return DX_SCHEMA_VESSEL;
    default:
        return DX_SCHEMA_ANY;
    }
}

typedef struct build_ctx {
    dx_index *ix;
    dx_diags *diags;
    const char *list_id;
    dx_strmap seen;      /* normalised names of the current entry */
    dx_arena scratch;
} build_ctx;

static dx_status add_variant(build_ctx *b, uint32_t entry, const char *text, int reordered,
                             const dx_name_form *form, dx_name_schema schema)
{
    dx_index *ix = b->ix;
    int inserted = 0;
    char *key = dx_arena_strndup(&b->scratch, form->latin, strlen(form->latin) + 1);
    if (!key)
        return DX_ERR_NOMEM;
    key[strlen(form->latin)] = reordered ? 'r' : '\0'; /* one of each order */
    dx_status st = dx_strmap_put(&b->seen, key, 0, &inserted, NULL);
    if (st != DX_OK || !inserted || form->n_tokens == 0)
        return st;
    if (dx_grow_array((void **)&ix->variants, &ix->cap_variants, ix->n_variants + 1,
             sizeof(*ix->variants)))
        return DX_ERR_NOMEM;
    dx_name_prep *prep = NULL;
    st = dx_name_prep_build(form, schema, &ix->arena, &prep);
    if (st != DX_OK)
        return st;
    const char *kept = dx_arena_strndup(&ix->arena, text, strlen(text));
    if (!kept)
        return DX_ERR_NOMEM;
    ix->variants[ix->n_variants] = (ix_variant){entry, reordered, kept, prep};
    st = dx_name_index_add(ix->names, (uint32_t)ix->n_variants, prep);
    if (st == DX_OK) {
        ix->n_variants++;
        ix->by_schema[(unsigned)schema & 3]++;
    }
    return st;
}

/* Normalise one listed name and add it (and its given-first order for persons). A name
 * that cannot be normalised is a warning: the entry keeps its other names. */
static dx_status add_name(build_ctx *b, uint32_t entry, const dx_entry *e, const char *text)
{
    dx_name_schema schema = schema_of_kind(e->kind);
    dx_name_form *form = NULL;
    dx_status st = dx_name_normalize(b->ix->norm, text, &form);
    if (st == DX_ERR_ENCODING || st == DX_ERR_LIMIT)
        return dx_diags_add(b->diags, DX_SEV_WARNING, b->list_id, 0, 0, "index.name", NULL,
                            "entry %s: name not indexed (%s)", e->entry_id, dx_status_str(st));
    if (st == DX_OK)
        st = add_variant(b, entry, text, 0, form, schema);
    dx_name_form_free(form);
    if (st != DX_OK || schema == DX_SCHEMA_ORGANIZATION || schema == DX_SCHEMA_VESSEL ||
        !dx_name_is_reversed_list_form(text))
        return st;
    char *given_first = NULL;
    form = NULL;
    st = dx_name_given_first(text, &given_first);
    if (st == DX_OK)
        st = dx_name_normalize(b->ix->norm, given_first, &form);
    if (st == DX_OK)
        st = add_variant(b, entry, text, 1, form, schema);
    dx_name_form_free(form);
    dx_free(given_first);
    return st == DX_ERR_ENCODING || st == DX_ERR_LIMIT ? DX_OK : st;
}

/* Is alpha-2 `code` one of the pairs of `codes` (concatenated alpha-2 codes)? */
static int has_country(const char *codes, const char *code)
{
    for (const char *c = codes; c[0]; c += 2)
        if (c[0] == code[0] && c[1] == code[1])
            return 1;
    return 0;
}

static int is_country_fact(const char *type)
{
    static const char *const T[] = {"nationality", "citizenship", "country", "address", "pob"};
    return in_set(type, T, sizeof T / sizeof T[0]);
}

static int is_identifier_fact(const char *type)
{
    static const char *const T[] = {"passport", "national_id", "tax_id", "registration", "imo"};
    return in_set(type, T, sizeof T / sizeof T[0]);
}

static dx_status add_identifier(dx_index *ix, uint32_t entry, const char *value)
{
    char norm[128];
    if (!dx_identifier_norm(value, norm, sizeof norm))
        return DX_OK;
    char *key = dx_arena_strndup(&ix->arena, norm, strlen(norm));
    if (!key || dx_grow_array((void **)&ix->holders, &ix->cap_holders, ix->n_holders + 1,
                     sizeof(*ix->holders)) != DX_OK)
        return DX_ERR_NOMEM;
    ix->holders[ix->n_holders++] = (id_holder){key, entry};
    return DX_OK;
}

static int cmp_holder(const void *a, const void *b)
{
    const id_holder *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : x->entry < y->entry ? -1 : x->entry > y->entry;
}

/* Sort the identifier holders, drop repeats, and map each identifier to its first holder. */
static dx_status index_identifiers(dx_index *ix)
{
    if (ix->n_holders)
        qsort(ix->holders, ix->n_holders, sizeof(*ix->holders), cmp_holder);
    size_t k = 0;
    for (size_t i = 0; i < ix->n_holders; i++) {
        if (k && cmp_holder(&ix->holders[k - 1], &ix->holders[i]) == 0)
            continue;
        ix->holders[k++] = ix->holders[i];
    }
    ix->n_holders = k;
    for (size_t i = 0; i < k; i++) {
        if (i && strcmp(ix->holders[i - 1].id, ix->holders[i].id) == 0)
            continue;
        dx_status st = dx_strmap_put(&ix->ids, ix->holders[i].id, i, NULL, NULL);
        if (st != DX_OK)
            return st;
    }
    return DX_OK;
}

/* Dates of birth, countries, identifiers and the OFAC key of an entry's facts. */
static dx_status add_facts(build_ctx *b, ix_entry *ie, uint32_t entry, const dx_entry *e)
{
    dx_index *ix = b->ix;
    dx_dob dobs[MAX_DOBS];
    char countries[MAX_COUNTRIES * 2 + 1] = "";
    size_t n_dobs = 0, n_c = 0;
    const char *sub_list = NULL, *entity_number = NULL;
    dx_status st = DX_OK;
    for (size_t i = 0; i < e->n_facts && st == DX_OK; i++) {
        const dx_entry_fact *f = &e->facts[i];
        if (strcmp(f->type, "dob") == 0)
            n_dobs += dx_dob_parse_fact(f->value, dobs + n_dobs, MAX_DOBS - n_dobs);
        else if (is_country_fact(f->type) && f->country[0] && n_c < MAX_COUNTRIES &&
                 !has_country(countries, f->country))
            memcpy(countries + 2 * n_c++, f->country, 3);
        else if (is_identifier_fact(f->type))
            st = add_identifier(ix, entry, f->value);
        else if (strcmp(f->type, "sub_list") == 0)
            sub_list = f->value;
        else if (strcmp(f->type, "entity_number") == 0)
            entity_number = f->value;
    }
    if (st != DX_OK)
        return st;
    dx_dob *kept = n_dobs ? dx_arena_alloc(&ix->arena, n_dobs * sizeof(*kept)) : NULL;
    ie->countries = dx_arena_strndup(&ix->arena, countries, strlen(countries));
    if ((n_dobs && !kept) || !ie->countries)
        return DX_ERR_NOMEM;
    if (n_dobs)
        memcpy(kept, dobs, n_dobs * sizeof(*kept));
    ie->dobs = kept;
    ie->n_dobs = n_dobs;
    const char *key = strncmp(b->list_id, "us_ofac_", 8) == 0 ? e->entry_id
                      : in_set(sub_list, OFAC_SUBLISTS, sizeof OFAC_SUBLISTS / sizeof *OFAC_SUBLISTS)
                          ? entity_number
                          : NULL;
    ie->ofac_key = key ? dx_arena_strndup(&ix->arena, key, strlen(key)) : NULL;
    return key && !ie->ofac_key ? DX_ERR_NOMEM : DX_OK;
}

static dx_status add_entry(void *ctx, const dx_entry *e)
{
    build_ctx *b = ctx;
    dx_index *ix = b->ix;
    if (dx_grow_array((void **)&ix->entries, &ix->cap_entries, ix->n_entries + 1, sizeof(*ix->entries)))
        return DX_ERR_NOMEM;
    uint32_t n = (uint32_t)ix->n_entries;
    ix_entry *ie = &ix->entries[n];
    *ie = (ix_entry){.list_id = b->list_id, .kind = e->kind, .concern_types = e->concern_types,
                     .group = n, .next_in_group = UINT32_MAX};
    ie->entry_id = dx_arena_strndup(&ix->arena, e->entry_id, strlen(e->entry_id));
    ie->name = dx_arena_strndup(&ix->arena, e->name, strlen(e->name));
    if (!ie->entry_id || !ie->name)
        return DX_ERR_NOMEM;
    dx_status st = add_facts(b, ie, n, e);
    ix->n_entries++;
    dx_arena_reset(&b->scratch);
    dx_strmap_free(&b->seen);
    b->seen = (dx_strmap)DX_STRMAP_INIT;
    for (size_t i = 0; i < e->n_names && st == DX_OK; i++)
        st = add_name(b, n, e, e->names[i].text);
    return st;
}

typedef struct pick_ctx {
    dx_index *ix;
    const char *const *want;
    size_t n_want;
    unsigned char *found;
} pick_ctx;

static dx_status pick_version(void *ctx, const dx_list_version *v)
{
    pick_ctx *p = ctx;
    if (!v->newest || !in_set(v->format, PARTY_FORMATS, sizeof PARTY_FORMATS / sizeof *PARTY_FORMATS))
        return DX_OK;
    int wanted = p->n_want == 0;
    for (size_t i = 0; i < p->n_want; i++)
        if (strcmp(p->want[i], v->list_id) == 0)
            wanted = p->found[i] = 1;
    if (!wanted)
        return DX_OK;
    dx_index *ix = p->ix;
    size_t cap = ix->n_lists;
    if (dx_grow_array((void **)&ix->lists, &cap, ix->n_lists + 1, sizeof(*ix->lists)))
        return DX_ERR_NOMEM;
    const char *id = dx_arena_strndup(&ix->arena, v->list_id, strlen(v->list_id));
    if (!id)
        return DX_ERR_NOMEM;
    ix->lists[ix->n_lists++] = (ix_list){id, v->version_id, v->entries};
    return DX_OK;
}

/* Join each entry that repeats an OFAC entry to that entry's group. */
static dx_status group_parties(dx_index *ix)
{
    for (uint32_t i = 0; i < ix->n_entries; i++) {
        ix_entry *e = &ix->entries[i];
        if (!e->ofac_key)
            continue;
        int inserted = 0;
        size_t first = 0;
        dx_status st = dx_strmap_put(&ix->ofac, e->ofac_key, i, &inserted, &first);
        if (st != DX_OK)
            return st;
        if (inserted)
            continue;
        ix_entry *head = &ix->entries[first];
        e->group = (uint32_t)first;
        e->next_in_group = head->next_in_group;
        head->next_in_group = i;
    }
    return DX_OK;
}

static dx_status read_lists(dx_index *ix, dx_store *store, dx_diags *diags,
                            const dx_index_part *parts, size_t n_parts)
{
    build_ctx b = {ix, diags, NULL, DX_STRMAP_INIT, DX_ARENA_INIT};
    dx_status st = DX_OK;
    for (size_t i = 0; i < ix->n_lists && st == DX_OK; i++) {
        b.list_id = ix->lists[i].list_id;
        const dx_index_part *part = NULL;
        for (size_t k = 0; k < n_parts; k++)
            if (strcmp(parts[k].list_id, b.list_id) == 0)
                part = &parts[k];
        st = part && part->entry_ids
                 ? dx_store_entries_some(store, ix->lists[i].version_id, part->entry_ids,
                                         part->n_entry_ids, add_entry, &b)
                 : dx_store_entries(store, ix->lists[i].version_id, add_entry, &b);
    }
    dx_strmap_free(&b.seen);
    dx_arena_free(&b.scratch);
    if (st == DX_OK)
        st = group_parties(ix);
    if (st == DX_OK)
        st = index_identifiers(ix);
    if (st == DX_OK)
        st = dx_name_index_finish(ix->names);
    return st;
}

static dx_status build(dx_store *store, const char *const *list_ids, size_t n_list_ids,
                       const dx_index_part *parts, size_t n_parts, dx_diags *diags,
                       dx_index **out);

dx_status dx_index_build(dx_store *store, const char *const *list_ids, size_t n_list_ids,
                         dx_diags *diags, dx_index **out)
{
    return build(store, list_ids, n_list_ids, NULL, 0, diags, out);
}

dx_status dx_index_build_parts(dx_store *store, const dx_index_part *parts, size_t n_parts,
                               dx_diags *diags, dx_index **out)
{
    if (!parts || !n_parts)
        return DX_ERR_INVALID;
    const char **ids = dx_calloc(n_parts, sizeof *ids);
    if (!ids)
        return DX_ERR_NOMEM;
    for (size_t i = 0; i < n_parts; i++)
        ids[i] = parts[i].list_id;
    dx_status st = build(store, ids, n_parts, parts, n_parts, diags, out);
    dx_free(ids);
    return st;
}

static dx_status build(dx_store *store, const char *const *list_ids, size_t n_list_ids,
                       const dx_index_part *parts, size_t n_parts, dx_diags *diags,
                       dx_index **out)
{
    if (!store || !out || (n_list_ids && !list_ids))
        return DX_ERR_INVALID;
    dx_index *ix = dx_calloc(1, sizeof(*ix));
    unsigned char *found = dx_calloc(n_list_ids + 1, 1);
    dx_status st = ix && found ? DX_OK : DX_ERR_NOMEM;
    if (st == DX_OK)
        st = dx_name_normalizer_new(&ix->norm);
    if (st == DX_OK)
        st = dx_countries_new(&ix->countries);
    if (st == DX_OK)
        st = dx_name_index_new(&ix->names);
    pick_ctx p = {ix, list_ids, n_list_ids, found};
    if (st == DX_OK)
        st = dx_store_list_versions(store, NULL, pick_version, &p);
    for (size_t i = 0; st == DX_OK && i < n_list_ids; i++)
        if (!found[i]) {
            st = dx_diags_add(diags, DX_SEV_ERROR, list_ids[i], 0, 0, "index.list", NULL,
                              "no restricted-party list '%s' in the store", list_ids[i]);
            st = st == DX_OK ? DX_ERR_NOT_FOUND : st;
        }
    if (st == DX_OK && ix->n_lists == 0) {
        st = dx_diags_add(diags, DX_SEV_ERROR, NULL, 0, 0, "index.empty",
                          "import lists first: dexcheck lists import FILES",
                          "the store holds no restricted-party list");
        st = st == DX_OK ? DX_ERR_INPUT : st;
    }
    if (st == DX_OK)
        st = read_lists(ix, store, diags, parts, n_parts);
    dx_free(found);
    if (st != DX_OK) {
        dx_index_free(ix);
        return st;
    }
    *out = ix;
    return DX_OK;
}

void dx_index_free(dx_index *ix)
{
    if (!ix)
        return;
    dx_name_normalizer_free(ix->norm);
    dx_countries_free(ix->countries);
    dx_name_index_free(ix->names);
    dx_free(ix->lists);
    dx_free(ix->entries);
    dx_free(ix->variants);
    dx_free(ix->holders);
    dx_strmap_free(&ix->ids);
    dx_strmap_free(&ix->ofac);
    dx_arena_free(&ix->arena);
    dx_free(ix);
}

const dx_countries *dx_index_countries(const dx_index *ix)
{
    return ix->countries;
}

void dx_index_stats_get(const dx_index *ix, dx_index_stats *out)
{
    *out = (dx_index_stats){ix->n_lists, ix->n_entries, ix->n_variants, 0, 0};
    dx_name_index_size(ix->names, &out->words, &out->keys);
}

void dx_index_list(const dx_index *ix, size_t i, const char **list_id, long long *version_id,
                   size_t *entries)
{
    *list_id = ix->lists[i].list_id;
    *version_id = ix->lists[i].version_id;
    *entries = ix->lists[i].entries;
}

/* ---------------------------------------------------------------- searching ---- */

double dx_search_default_threshold(dx_algorithm algorithm)
{
    return algorithm == DX_ALGO_OFAC ? dx_match_default_threshold(algorithm) : SEARCH_THRESHOLD;
}

struct dx_search_result {
    dx_arena arena;
    dx_search_hit *hits;
    size_t n_hits;
    size_t scored;
    int exhaustive;
};

/* The query prepared for scoring: per schema, the name in its own order and (list form)
 * given-first. */
typedef struct query_forms {
    dx_arena arena;
    const dx_name_prep *prep[4][2]; /* by dx_name_schema */
    const dx_name_prep *all[8];
    size_t n_all;
    int eligible[4];
    dx_dob dob;
    int has_dob;
} query_forms;

/* Per-search working memory (one per thread in a batch). */
typedef struct searcher {
    const dx_index *ix;
    dx_name_cands *cands;
    float *best;        /* by entry: best name score of this search */
    uint32_t *best_var; /* by entry: the variant that gave it */
    uint32_t *mark;     /* by entry: epoch of the search that set best */
    uint32_t *id_mark;  /* by entry: epoch of the search in which an identifier matched */
    uint32_t epoch;
    uint32_t *touched;  /* entries scored in this search */
    size_t n_touched;
} searcher;

static void searcher_free(searcher *s)
{
    dx_name_cands_free(s->cands);
    dx_free(s->best);
    dx_free(s->best_var);
    dx_free(s->mark);
    dx_free(s->id_mark);
    dx_free(s->touched);
}

static dx_status searcher_init(searcher *s, const dx_index *ix)
{
    *s = (searcher){.ix = ix};
    size_t n = ix->n_entries + 1;
    s->best = dx_malloc(n * sizeof(float));
    s->best_var = dx_malloc(n * sizeof(uint32_t));
    s->mark = dx_calloc(n, sizeof(uint32_t));
    s->id_mark = dx_calloc(n, sizeof(uint32_t));
    s->touched = dx_malloc(n * sizeof(uint32_t));
    dx_status st =
        s->best && s->best_var && s->mark && s->id_mark && s->touched ? DX_OK : DX_ERR_NOMEM;
    if (st == DX_OK)
        st = dx_name_cands_new(ix->names, &s->cands);
    if (st != DX_OK)
        searcher_free(s);
    return st;
}

static int kind_eligible(dx_name_schema query, dx_name_schema listed)
{
    return query == DX_SCHEMA_ANY || listed == DX_SCHEMA_ANY || query == listed;
}

static dx_status prepare_query(const dx_index *ix, const dx_search_query *q, query_forms *f)
{
    dx_name_form *form[2] = {NULL, NULL};
    char *given_first = NULL;
    dx_status st = dx_name_normalize(ix->norm, q->name, &form[0]);
    int reorder = q->schema == DX_SCHEMA_PERSON || q->schema == DX_SCHEMA_ANY;
    if (st == DX_OK && reorder && dx_name_is_reversed_list_form(q->name)) {
        st = dx_name_given_first(q->name, &given_first);
        if (st == DX_OK)
            st = dx_name_normalize(ix->norm, given_first, &form[1]);
    }
    for (int s = 0; s < 4 && st == DX_OK; s++) {
        /* a schema no listed name has needs no prepared form (a rescreen's small index) */
        f->eligible[s] = kind_eligible(q->schema, (dx_name_schema)s) && ix->by_schema[s];
        for (int o = 0; o < 2 && st == DX_OK; o++) {
            if (!f->eligible[s] || !form[o])
                continue;
            dx_name_prep *p = NULL;
            st = dx_name_prep_build(form[o], (dx_name_schema)s, &f->arena, &p);
            f->prep[s][o] = p;
            if (st == DX_OK)
                f->all[f->n_all++] = p;
        }
    }
    dx_free(given_first);
    dx_name_form_free(form[0]);
    dx_name_form_free(form[1]);
    if (st == DX_OK && q->dob) {
        f->has_dob = dx_dob_parse_query(q->dob, &f->dob);
        if (!f->has_dob)
            st = DX_ERR_INPUT;
    }
    return st;
}

/* The name score of one variant: the best over the query's orders. */
static double score_variant(const dx_index *ix, const query_forms *f, const dx_search_query *q,
                            const ix_variant *v, dx_algorithm algo)
{
    if (algo == DX_ALGO_OFAC)
        return dx_ofac_score(q->name, strlen(q->name), v->text, strlen(v->text)) / 100.0;
    dx_name_schema s = v->prep->schema;
    double best = 0.0;
    for (int o = 0; o < 2; o++) {
        double sc = 0.0;
        if (f->prep[s][o] && dx_name_score_prep(f->prep[s][o], v->prep, &DX_NAME_COSTS_SCREEN, &sc, NULL) == DX_OK &&
            sc > best)
            best = sc;
    }
    (void)ix;
    return best;
}

/* Score variant v unless it is not eligible or, given the similarities the index found
 * (`found`, NULL: none), it cannot reach `floor`. Returns 1 when it was scored. */
static int consider(searcher *s, const query_forms *f, const dx_search_query *q, uint32_t v,
                    dx_algorithm algo, double floor, const unsigned char *found)
{
    const ix_variant *var = &s->ix->variants[v];
    dx_name_schema schema = var->prep->schema;
    if (!f->eligible[schema] || (algo == DX_ALGO_OFAC && var->reordered))
        return 0;
    if (found && algo == DX_ALGO_DEFAULT &&
        !dx_name_score_may_reach(f->prep[schema][0], var->prep, found, &DX_NAME_COSTS_SCREEN,
                                 floor))
        return 0;
    double sc = score_variant(s->ix, f, q, var, algo);
    if (sc < floor)
        return 1;
    uint32_t e = var->entry;
    if (s->mark[e] != s->epoch) {
        s->mark[e] = s->epoch;
        s->best[e] = -1.0f;
        s->touched[s->n_touched++] = e;
    }
    if (sc > s->best[e]) {
        s->best[e] = (float)sc;
        s->best_var[e] = v;
    }
    return 1;
}

static void new_epoch(searcher *s)
{
    if (++s->epoch == 0) {
        memset(s->mark, 0, (s->ix->n_entries + 1) * sizeof(uint32_t));
        memset(s->id_mark, 0, (s->ix->n_entries + 1) * sizeof(uint32_t));
        s->epoch = 1;
    }
    s->n_touched = 0;
}

/* Do two prepared forms have the same words in the same order? */
static int same_words(const dx_name_prep *a, const dx_name_prep *b)
{
    if (a->n_words != b->n_words)
        return 0;
    for (size_t i = 0; i < a->n_words; i++)
        if (a->words[i].len != b->words[i].len ||
            memcmp(a->words[i].s, b->words[i].s, a->words[i].len) != 0)
            return 0;
    return 1;
}

/* Gather the index's candidates for every eligible schema; 0 when the index cannot answer.
 * Organisation, vessel and "any" forms of a name have the same words (only weights differ),
 * and a person's form usually too (it differs when legal forms or letter runs were taken
 * out): one lookup serves all the forms with the same words. */
static int gather(searcher *s, const query_forms *f, double floor)
{
    dx_name_cands_begin(s->ix->names, s->cands);
    double cap = DX_NAME_COSTS_SCREEN.short_fuzzy_cap;
    unsigned others = 0;
    const dx_name_prep *form = NULL, *person = NULL;
    static const dx_name_schema other[] = {DX_SCHEMA_ANY, DX_SCHEMA_ORGANIZATION,
                                           DX_SCHEMA_VESSEL};
    for (size_t i = 0; i < 3; i++)
        if (f->eligible[other[i]] && f->prep[other[i]][0]) {
            others |= 1u << other[i];
            form = form ? form : f->prep[other[i]][0];
        }
    if (f->eligible[DX_SCHEMA_PERSON])
        person = f->prep[DX_SCHEMA_PERSON][0];
    int complete = 1;
    if (person && form && same_words(person, form))
        return dx_name_cands_add(s->ix->names, s->cands, person,
                                 others | 1u << DX_SCHEMA_PERSON, cap, floor);
    if (person)
        complete &= dx_name_cands_add(s->ix->names, s->cands, person, 1u << DX_SCHEMA_PERSON,
                                      cap, floor);
    if (form)
        complete &= dx_name_cands_add(s->ix->names, s->cands, form, others, cap, floor);
    return complete;
}

/* Score the candidates (or every variant); returns how many were scored. */
static size_t score_names(searcher *s, const query_forms *f, const dx_search_query *q,
                          const dx_search_options *o, double threshold, int *exhaustive)
{
    double floor = threshold - MAX_BONUS;
    *exhaustive = o->exhaustive || !gather(s, f, floor);
    if (*exhaustive) {
        for (uint32_t v = 0; v < s->ix->n_variants; v++)
            consider(s, f, q, v, o->algorithm, floor, NULL);
        return s->ix->n_variants;
    }
    const uint32_t *cand = NULL;
    size_t n = dx_name_cands_get(s->cands, &cand), scored = 0;
    const ix_variant *vars = s->ix->variants;
    for (size_t i = 0; i < n; i++) {
        /* Candidates are scattered over memory: fetch ahead, the variant first, its name
         * later (prefetches of addresses past the end are harmless hints). */
        if (i + 16 < n)
            __builtin_prefetch(&vars[cand[i + 16]]);
        if (i + 8 < n)
            __builtin_prefetch(vars[cand[i + 8]].prep);
        scored += consider(s, f, q, cand[i], o->algorithm, floor,
                           dx_name_cands_found(s->cands, cand[i]));
    }
    return scored;
}

/* Does the query give a country the entry names? -1: no evidence either way. */
static int country_agrees(const dx_search_query *q, const ix_entry *e)
{
    if (q->n_countries == 0 || !e->countries[0])
        return -1;
    for (size_t i = 0; i < q->n_countries; i++)
        for (const char *c = e->countries; c[0]; c += 2)
            if (q->countries[i] && strncasecmp(c, q->countries[i], 2) == 0 &&
                strlen(q->countries[i]) == 2)
                return 1;
    return 0;
}

/* The evidence adjustment of an entry, explained into ex when not NULL. */
static double evidence(const query_forms *f, const dx_search_query *q, const ix_entry *e,
                       dx_strbuf *ex)
{
    double adj = 0.0;
    dx_dob_match m = dx_dob_compare(f->has_dob ? &f->dob : NULL, e->dobs, e->n_dobs);
    static const char *const what[] = {"", "same date of birth", "same year of birth",
                                       "date of birth a year apart or another day",
                                       "date of birth two years apart or more"};
    static const double delta[] = {0, DOB_SAME_DAY, 0, DOB_NEAR, DOB_DIFFERENT};
    if (m != DX_DOB_UNKNOWN) {
        adj += delta[m];
        if (ex)
            dx_strbuf_printf(ex, "%s: %+.3f\n", what[m], delta[m]);
    }
    if (country_agrees(q, e) == 0) {
        adj += COUNTRY_OTHER;
        if (ex)
            dx_strbuf_printf(ex, "no country in common (entry: %s): %+.3f\n", e->countries,
                             COUNTRY_OTHER);
    }
    return adj;
}

/* Entries holding one of the query's identifiers: scored 1.0. */
static void identifier_hits(searcher *s, const dx_search_query *q)
{
    char norm[128];
    const dx_index *ix = s->ix;
    for (size_t i = 0; i < q->n_identifiers; i++) {
        size_t at;
        if (!q->identifiers[i] || !dx_identifier_norm(q->identifiers[i], norm, sizeof norm) ||
            !dx_strmap_get(&ix->ids, norm, &at))
            continue;
        for (; at < ix->n_holders && strcmp(ix->holders[at].id, norm) == 0; at++) {
            uint32_t e = ix->holders[at].entry;
            if (s->mark[e] != s->epoch) {
                s->mark[e] = s->epoch;
                s->touched[s->n_touched++] = e;
                s->best[e] = 0.0f; /* the name did not reach the floor */
                s->best_var[e] = UINT32_MAX;
            }
            s->id_mark[e] = s->epoch;
        }
    }
}

typedef struct scored {
    uint32_t entry, group;
    double score, name_score;
    int by_id; /* an identifier of the query is the entry's */
    const char *list_id, *entry_id;
} scored;

static int cmp_group(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

static int cmp_rank(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    int c = strcmp(x->list_id, y->list_id);
    return c ? c : strcmp(x->entry_id, y->entry_id);
}

/* Final scores of the touched entries; those at the threshold, one per party, ranked. */
static dx_status rank(searcher *s, const query_forms *f, const dx_search_query *q,
                      double threshold, scored **out, size_t *n_out)
{
    scored *list = dx_malloc((s->n_touched + 1) * sizeof(*list));
    if (!list)
        return DX_ERR_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < s->n_touched; i++) {
        uint32_t e = s->touched[i];
        int by_id = s->id_mark[e] == s->epoch;
        double name = s->best[e] < 0.0f ? 0.0 : s->best[e];
        double sc = by_id ? 1.0 : name + evidence(f, q, &s->ix->entries[e], NULL);
        sc = sc < 0.0 ? 0.0 : sc > 1.0 ? 1.0 : sc;
        const ix_entry *ie = &s->ix->entries[e];
        if (sc >= threshold)
            list[n++] = (scored){e, ie->group, sc, name, by_id, ie->list_id, ie->entry_id};
    }
    qsort(list, n, sizeof(*list), cmp_group);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || list[i].group != list[k - 1].group)
            list[k++] = list[i];
    qsort(list, k, sizeof(*list), cmp_rank);
    *out = list;
    *n_out = k;
    return DX_OK;
}

/* The name part of a hit's explanation: the scorer's account for the best variant. */
static dx_status explain_name(const searcher *s, const query_forms *f, const dx_search_query *q,
                              const ix_variant *v, dx_algorithm algo, dx_strbuf *ex)
{
    dx_status st = dx_strbuf_printf(ex, "matched listed name '%s'%s\n", v->text,
                                    v->reordered ? " in given-first order" : "");
    if (st != DX_OK)
        return st;
    if (algo == DX_ALGO_OFAC) {
        dx_ofac_score_explain(q->name, strlen(q->name), v->text, strlen(v->text), ex);
        return dx_strbuf_append(ex, "\n", 1);
    }
    dx_strbuf trial = DX_STRBUF_INIT, best = DX_STRBUF_INIT;
    double top = -1.0;
    dx_name_schema sc = v->prep->schema;
    for (int o = 0; o < 2 && st == DX_OK; o++) {
        double score = 0.0;
        if (!f->prep[sc][o])
            continue;
        dx_strbuf_reset(&trial);
        st = dx_name_score_prep(f->prep[sc][o], v->prep, &DX_NAME_COSTS_SCREEN, &score, &trial);
        if (st == DX_OK && score > top) {
            top = score;
            dx_strbuf_reset(&best);
            if (o == 1)
                st = dx_strbuf_printf(&best, "given-first order of the query tried\n");
            if (st == DX_OK)
                st = dx_strbuf_append(&best, trial.data, trial.len);
        }
    }
    if (st == DX_OK && best.len)
        st = dx_strbuf_append(ex, best.data, best.len);
    dx_strbuf_free(&trial);
    dx_strbuf_free(&best);
    (void)s;
    return st;
}

static dx_status explain_hit(const searcher *s, const query_forms *f, const dx_search_query *q,
                             const scored *h, dx_algorithm algo, dx_arena *arena,
                             const char **out)
{
    dx_strbuf ex = DX_STRBUF_INIT;
    dx_status st = DX_OK;
    uint32_t v = s->best_var[h->entry];
    if (v != UINT32_MAX)
        st = explain_name(s, f, q, &s->ix->variants[v], algo, &ex);
    if (st == DX_OK && h->by_id)
        st = dx_strbuf_printf(&ex, "an identifier of the query is one of the entry's: "
                                   "score 1.000\n");
    else if (st == DX_OK)
        evidence(f, q, &s->ix->entries[h->entry], &ex);
    if (st == DX_OK)
        st = dx_strbuf_printf(&ex, "final score %.3f", h->score);
    if (st == DX_OK && !(*out = dx_arena_strndup(arena, ex.data ? ex.data : "", ex.len)))
        st = DX_ERR_NOMEM;
    dx_strbuf_free(&ex);
    return st;
}

/* The sources of a hit: its entry first, then the rest of its party group. */
static dx_status hit_sources(const dx_index *ix, uint32_t entry, dx_arena *arena,
                             dx_search_hit *hit)
{
    size_t n = 0;
    uint32_t head = ix->entries[entry].group;
    for (uint32_t e = head; e != UINT32_MAX; e = ix->entries[e].next_in_group)
        n++;
    dx_hit_source *src = dx_arena_alloc(arena, n * sizeof(*src));
    if (!src)
        return DX_ERR_NOMEM;
    size_t k = 0;
    src[k++] = (dx_hit_source){ix->entries[entry].list_id, ix->entries[entry].entry_id};
    for (uint32_t e = head; e != UINT32_MAX; e = ix->entries[e].next_in_group)
        if (e != entry)
            src[k++] = (dx_hit_source){ix->entries[e].list_id, ix->entries[e].entry_id};
    hit->sources = src;
    hit->n_sources = k;
    return DX_OK;
}

static dx_status make_hits(const searcher *s, const query_forms *f, const dx_search_query *q,
                           const dx_search_options *o, const scored *list, size_t n,
                           dx_search_result *r)
{
    if (o->limit && n > o->limit)
        n = o->limit;
    r->n_hits = 0;
    if (n == 0) /* most searches: no arena block at all */
        return DX_OK;
    r->hits = dx_arena_alloc(&r->arena, n * sizeof(*r->hits));
    if (!r->hits)
        return DX_ERR_NOMEM;
    dx_status st = DX_OK;
    for (size_t i = 0; i < n && st == DX_OK; i++) {
        const ix_entry *e = &s->ix->entries[list[i].entry];
        uint32_t v = s->best_var[list[i].entry];
        dx_search_hit *h = &r->hits[i];
        *h = (dx_search_hit){e->list_id, e->entry_id, e->name,
                             v == UINT32_MAX ? e->name : s->ix->variants[v].text, e->kind,
                             e->concern_types, list[i].score, list[i].name_score, NULL, 0, NULL};
        st = hit_sources(s->ix, list[i].entry, &r->arena, h);
        if (st == DX_OK && o->explain)
            st = explain_hit(s, f, q, &list[i], o->algorithm, &r->arena, &h->explanation);
    }
    r->n_hits = n;
    return st;
}

static dx_status search_with(searcher *s, const dx_search_query *q, const dx_search_options *o,
                             dx_search_result **out)
{
    if (!q || !q->name || !o)
        return DX_ERR_INVALID;
    if (strlen(q->name) > DX_NAME_MAX_BYTES)
        return DX_ERR_LIMIT;
    double threshold = o->threshold >= 0.0 ? o->threshold : dx_search_default_threshold(o->algorithm);
    query_forms f = {.arena = DX_ARENA_INIT};
    dx_search_result *r = dx_calloc(1, sizeof(*r));
    scored *list = NULL;
    size_t n = 0;
    dx_status st = r ? prepare_query(s->ix, q, &f) : DX_ERR_NOMEM;
    if (st == DX_OK) {
        new_epoch(s);
        r->scored = score_names(s, &f, q, o, threshold, &r->exhaustive);
        identifier_hits(s, q);
        st = rank(s, &f, q, threshold, &list, &n);
    }
    if (st == DX_OK)
        st = make_hits(s, &f, q, o, list, n, r);
    dx_free(list);
    dx_arena_free(&f.arena);
    if (st != DX_OK) {
        dx_search_result_free(r);
        return st;
    }
    *out = r;
    return DX_OK;
}

dx_status dx_index_search(const dx_index *ix, const dx_search_query *q,
                          const dx_search_options *o, dx_search_result **out)
{
    if (!ix || !out)
        return DX_ERR_INVALID;
    searcher s;
    dx_status st = searcher_init(&s, ix);
    if (st != DX_OK)
        return st;
    st = search_with(&s, q, o, out);
    searcher_free(&s);
    return st;
}

size_t dx_search_result_count(const dx_search_result *r)
{
    return r ? r->n_hits : 0;
}

const dx_search_hit *dx_search_result_hit(const dx_search_result *r, size_t i)
{
    return r && i < r->n_hits ? &r->hits[i] : NULL;
}

void dx_search_result_work(const dx_search_result *r, size_t *scored_names, int *exhaustive)
{
    *scored_names = r->scored;
    *exhaustive = r->exhaustive;
}

void dx_search_result_free(dx_search_result *r)
{
    if (!r)
        return;
    dx_arena_free(&r->arena);
    dx_free(r);
}

/* ---------------------------------------------------------------- batches ---- */

typedef struct batch {
    const dx_index *ix;
    const dx_search_query *queries;
    const dx_search_options *opt;
    size_t begin, end;            /* the chunk being searched */
    size_t next;                  /* next query to take, under lock */
    pthread_mutex_t lock;
    size_t *rep;                  /* by query: the first query identical to it */
    size_t *last;                 /* by representative: the last query identical to it */
    dx_search_result **results;   /* by representative, until its last query is delivered */
    dx_status *status;
    searcher *searchers;          /* one per thread, kept from chunk to chunk (their memos) */
    dx_status *inits;             /* searcher_init's status of each */
    unsigned n_searchers;
} batch;

typedef struct worker {
    batch *b;
    unsigned slot;
} worker;

static void *batch_worker(void *arg)
{
    worker *w = arg;
    batch *b = w->b;
    searcher *s = &b->searchers[w->slot];
    dx_status init = b->inits[w->slot];
    for (;;) { /* take the queries 8 at a time: one lock for 8 searches */
        pthread_mutex_lock(&b->lock);
        size_t from = b->next;
        b->next = from + 8 < b->end ? from + 8 : b->end;
        size_t to = b->next;
        pthread_mutex_unlock(&b->lock);
        if (from >= b->end)
            break;
        for (size_t i = from; i < to; i++) {
            if (b->rep[i] != i) /* the same query came before: its result serves */
                continue;
            b->results[i] = NULL;
            b->status[i] = init != DX_OK ? init : search_with(s, &b->queries[i], b->opt,
                                                                &b->results[i]);
        }
    }
    return NULL;
}

static unsigned thread_count(unsigned threads)
{
    if (threads)
        return threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

/* Search one chunk on the threads, then deliver its results in order. */
static dx_status run_chunk(batch *b, unsigned threads, dx_search_fn fn, void *ctx)
{
    pthread_t tid[64];
    worker w[64];
    unsigned started = 0;
    b->next = b->begin;
    for (unsigned t = 1; t < threads && t < b->n_searchers; t++) {
        w[started] = (worker){b, t};
        if (pthread_create(&tid[started], NULL, batch_worker, &w[started]) == 0)
            started++;
    }
    worker self = {b, 0};
    batch_worker(&self);
    for (unsigned t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    dx_status st = DX_OK;
    for (size_t i = b->begin; i < b->end; i++) {
        size_t r = b->rep[i];
        if (st == DX_OK)
            st = fn(ctx, i, b->status[r], b->results[r]);
        if (b->last[r] == i || st != DX_OK) {
            dx_search_result_free(b->results[r]);
            b->results[r] = NULL;
        }
    }
    return st;
}

/* Appends one part of a query's key: its length, then its bytes (so no part can run into
 * the next whatever bytes it holds). */
static dx_status key_part(dx_strbuf *k, const char *s)
{
    size_t len = s ? strlen(s) : 0;
    /* the length + 2 (1: absent), 7 bits a byte, then the bytes: no byte of the key is 0,
     * so it stays one C string */
    unsigned char head[10];
    size_t v = s ? len + 2 : 1, n = 0;
    do {
        head[n++] = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v && n < sizeof head);
    dx_status st = dx_strbuf_append(k, head, n);
    return st == DX_OK && s ? dx_strbuf_append(k, s, len) : st;
}

/* rep[i] = the first query with the same name, schema, countries, date of birth and
 * identifiers as query i (a search reads nothing else of it, so their results are equal);
 * last[r] = the last query whose representative is r. Names repeat in real records: every
 * person of a university names the same few affiliations. */
static dx_status find_repeats(batch *b, size_t n)
{
    dx_strmap seen = DX_STRMAP_INIT;
    dx_arena keys = DX_ARENA_INIT;
    dx_strbuf k = DX_STRBUF_INIT;
    dx_status st = dx_strmap_reserve(&seen, n);
    for (size_t i = 0; st == DX_OK && i < n; i++) {
        const dx_search_query *q = &b->queries[i];
        char schema[2] = {(char)('0' + (int)q->schema), 0};
        dx_strbuf_reset(&k);
        st = key_part(&k, q->name);
        if (st == DX_OK)
            st = key_part(&k, schema);
        for (size_t c = 0; st == DX_OK && c < q->n_countries; c++)
            st = key_part(&k, q->countries[c]);
        if (st == DX_OK)
            st = key_part(&k, "|");
        if (st == DX_OK)
            st = key_part(&k, q->dob);
        for (size_t c = 0; st == DX_OK && c < q->n_identifiers; c++)
            st = key_part(&k, q->identifiers[c]);
        char *key = st == DX_OK ? dx_arena_strndup(&keys, k.data, k.len) : NULL;
        if (st == DX_OK && !key)
            st = DX_ERR_NOMEM;
        int inserted = 0;
        size_t first = i;
        if (st == DX_OK)
            st = dx_strmap_put(&seen, key, i, &inserted, &first);
        b->rep[i] = inserted ? i : first;
        b->last[b->rep[i]] = i;
    }
    dx_strbuf_free(&k);
    dx_strmap_free(&seen);
    dx_arena_free(&keys);
    return st;
}

dx_status dx_index_search_batch(const dx_index *ix, const dx_search_query *queries,
                                size_t n_queries, const dx_search_options *opt,
                                unsigned threads, dx_search_fn fn, void *ctx)
{
    if (!ix || (n_queries && !queries) || !opt || !fn)
        return DX_ERR_INVALID;
    batch b = {.ix = ix, .queries = queries, .opt = opt};
    size_t n = n_queries ? n_queries : 1;
    b.results = dx_calloc(n, sizeof(*b.results));
    b.status = dx_calloc(n, sizeof(*b.status));
    b.rep = dx_calloc(n, sizeof(*b.rep));
    b.last = dx_calloc(n, sizeof(*b.last));
    dx_status st = b.results && b.status && b.rep && b.last ? DX_OK : DX_ERR_NOMEM;
    if (st == DX_OK)
        st = find_repeats(&b, n_queries);
    if (st == DX_OK && pthread_mutex_init(&b.lock, NULL) != 0)
        st = DX_ERR_INTERNAL;
    int locked = st == DX_OK;
    unsigned t = thread_count(threads);
    if (t > n_queries) /* no more threads than queries */
        t = n_queries > 1 ? (unsigned)n_queries : 1;
    if (st == DX_OK) {
        b.searchers = dx_calloc(t, sizeof *b.searchers);
        b.inits = dx_calloc(t, sizeof *b.inits);
        st = b.searchers && b.inits ? DX_OK : DX_ERR_NOMEM;
    }
    for (unsigned k = 0; st == DX_OK && k < t; k++, b.n_searchers++)
        b.inits[k] = searcher_init(&b.searchers[k], ix);
    for (size_t at = 0; st == DX_OK && at < n_queries; at += BATCH_CHUNK) {
        b.begin = at;
        b.end = at + BATCH_CHUNK < n_queries ? at + BATCH_CHUNK : n_queries;
        st = run_chunk(&b, t, fn, ctx);
    }
    if (locked)
        pthread_mutex_destroy(&b.lock);
    for (unsigned k = 0; k < b.n_searchers; k++)
        if (b.inits[k] == DX_OK)
            searcher_free(&b.searchers[k]);
    dx_free(b.searchers);
    dx_free(b.inits);
    if (b.results) /* after a stop: what later queries would have shared */
        for (size_t i = 0; i < n_queries; i++)
            dx_search_result_free(b.results[i]);
    dx_free(b.results);
    dx_free(b.status);
    dx_free(b.rep);
    dx_free(b.last);
    return st;
}
