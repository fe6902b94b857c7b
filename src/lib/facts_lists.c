/*
 * facts_lists.c — the list hits of a screening run, kept by owner, for the rules
 * (dx_list_hits in dexcheck/rules_records.h; docs/rules.md, "List hits").
 *
 * The screen runs the list search before the rules (screen.c): every hit it reports is also
 * added here under its owner — the person, visitor, organisation or project whose name,
 * alias, affiliation, organisation, sponsor or collaborator matched. The records binding
 * (facts_records.c) then offers them as subject.list_hits, project.list_hits and
 * organization.list_hits, lists of objects of the kind list_hit whose fields are registered
 * here: list (the legal effect's code, "EL", "EUL", ...), list_id, entry_id, entry_name,
 * matched_name, role, score and concern_types (B, C, M, N, CW, as technology.concern_types);
 * and the function list_hits_text(hits, codes), which names them in a reason.
 *
 * Storage: each hit is one arena block (a dx_list_hit followed by its concern words), so the
 * pointers handed to the rules never move; an owner's hits are a growing pointer array found
 * through a string map keyed "type\x1fid". Everything is freed with the set.
 */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "arena.h"
#include "facts_lists.h"
#include "strmap.h"

typedef struct lhit {
    dx_list_hit hit;          /* first: the fields read it at offset 0 */
    const char *concerns[5];
    size_t n_concerns;
} lhit;

typedef struct owner_hits {
    const void **items;
    size_t n, cap;
} owner_hits;

struct dx_list_hits {
    dx_arena arena;
    dx_strmap owners;         /* "type\x1fid" → index into groups */
    owner_hits *groups;
    size_t n_groups, cap_groups, count;
};

static const char *const concern_words[] = {"B", "C", "M", "N", "CW"};

dx_status dx_list_hits_new(dx_list_hits **out)
{
    dx_list_hits *h = dx_calloc(1, sizeof *h);
    if (!h)
        return DX_ERR_NOMEM;
    h->arena = (dx_arena)DX_ARENA_INIT;
    h->owners = (dx_strmap)DX_STRMAP_INIT;
    *out = h;
    return DX_OK;
}

void dx_list_hits_free(dx_list_hits *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n_groups; i++)
        dx_free(h->groups[i].items);
    dx_free(h->groups);
    dx_strmap_free(&h->owners);
    dx_arena_free(&h->arena);
    dx_free(h);
}

size_t dx_list_hits_count(const dx_list_hits *h)
{
    return h ? h->count : 0;
}

/* "type\x1fid" into buf; 0 when it does not fit. */
static int owner_key(char *buf, size_t size, const char *type, const char *id)
{
    int n = snprintf(buf, size, "%s\x1f%s", type, id);
    return n > 0 && (size_t)n < size;
}

static const char *copy(dx_list_hits *h, const char *s, int *ok)
{
    if (!s)
        return NULL;
    char *c = dx_arena_strndup(&h->arena, s, strlen(s));
    *ok &= c != NULL;
    return c;
}

/* The group of an owner, made when new; NULL when out of memory or the id is too long. */
static owner_hits *group_of(dx_list_hits *h, const char *type, const char *id, dx_status *st)
{
    char buf[512];
    size_t at;
    if (!owner_key(buf, sizeof buf, type, id)) {
        *st = DX_ERR_INVALID;
        return NULL;
    }
    if (dx_strmap_get(&h->owners, buf, &at))
        return &h->groups[at];
    if (h->n_groups == h->cap_groups) {
        size_t cap = dx_grow_cap(h->cap_groups, h->n_groups + 1, (size_t)1 << 28);
        owner_hits *g = cap ? dx_realloc(h->groups, cap * sizeof *g) : NULL;
        if (!g) {
            *st = DX_ERR_NOMEM;
            return NULL;
        }
        h->groups = g, h->cap_groups = cap;
    }
    char *key = dx_arena_strndup(&h->arena, buf, strlen(buf));
    int inserted;
    *st = key ? dx_strmap_put(&h->owners, key, h->n_groups, &inserted, NULL) : DX_ERR_NOMEM;
    if (*st != DX_OK)
        return NULL;
    h->groups[h->n_groups] = (owner_hits){NULL, 0, 0};
    return &h->groups[h->n_groups++];
}

dx_status dx_list_hits_add(dx_list_hits *h, const dx_list_hit *hit)
{
    if (!h || !hit || !hit->owner_type || !hit->owner_id || !hit->list)
        return DX_ERR_INVALID;
    dx_status st = DX_OK;
    owner_hits *g = group_of(h, hit->owner_type, hit->owner_id, &st);
    if (!g)
        return st;
    lhit *l = dx_arena_alloc(&h->arena, sizeof *l);
    if (!l)
        return DX_ERR_NOMEM;
    int ok = 1;
    memset(l, 0, sizeof *l);
    l->hit = (dx_list_hit){copy(h, hit->owner_type, &ok), copy(h, hit->owner_id, &ok),
                           copy(h, hit->role, &ok), copy(h, hit->list, &ok),
                           copy(h, hit->list_id, &ok), copy(h, hit->entry_id, &ok),
                           copy(h, hit->entry_name, &ok), copy(h, hit->matched_name, &ok),
                           hit->score, hit->concern_types};
    for (int b = 0; b < 5; b++)
        if (hit->concern_types & (1u << b))
            l->concerns[l->n_concerns++] = concern_words[b];
    if (!ok)
        return DX_ERR_NOMEM;
    if (g->n == g->cap) {
        size_t cap = dx_grow_cap(g->cap, g->n + 1, (size_t)1 << 24);
        const void **items = cap ? dx_realloc(g->items, cap * sizeof *items) : NULL;
        if (!items)
            return DX_ERR_NOMEM;
        g->items = items, g->cap = cap;
    }
    g->items[g->n++] = l;
    h->count++;
    return DX_OK;
}

void dx_list_hits_of(const dx_list_hits *h, const char *type, const char *id,
                     const void *const **items, size_t *n)
{
    char buf[512];
    size_t at;
    *items = NULL, *n = 0;
    if (h && type && id && owner_key(buf, sizeof buf, type, id) &&
        dx_strmap_get(&h->owners, buf, &at))
        *items = h->groups[at].items, *n = h->groups[at].n;
}

/* ---- the fields of a list_hit ---- */

static dx_status get_hit(void *host, const void *obj, const void *data, dx_rvalue *out)
{
    const lhit *l = obj;
    const char *what = data;
    if (!strcmp(what, "score")) {
        out->known = 1;
        out->u.number = l->hit.score;
        return DX_OK;
    }
    if (!strcmp(what, "concern_types")) {
        out->known = 1;
        out->u.texts.n = l->n_concerns;
        out->u.texts.items = l->concerns;
        return DX_OK;
    }
    const char *v = !strcmp(what, "list") ? l->hit.list
                    : !strcmp(what, "list_id") ? l->hit.list_id
                    : !strcmp(what, "entry_id") ? l->hit.entry_id
                    : !strcmp(what, "entry_name") ? l->hit.entry_name
                    : !strcmp(what, "matched_name") ? l->hit.matched_name
                                                    : l->hit.role;
    out->known = v && *v;
    out->u.text = v;
    return DX_OK;
}

static const struct {
    const char *name, *type, *label;
} hit_fields[] = {
    {"list", "text", "legal effect of the list (EL, UVL, SDN, DPL, MEU, EUL, ...)"},
    {"list_id", "text", "list"},
    {"entry_id", "text", "list entry"},
    {"entry_name", "text", "listed name"},
    {"matched_name", "text", "listed name or alias that matched"},
    {"role", "text", "which name matched (name, alias, affiliation, organisation, sponsor, ...)"},
    {"score", "number", "match score"},
    {"concern_types", "list<text>", "End User List concern types (B, C, M, N, CW)"},
};

/* list_hits_text(list<list_hit>, list<text>) -> list<text>: "NAME (LIST, ROLE 'QUERY')" for
 * each hit whose list code is in the second argument (every hit when it is empty). */
static dx_status fn_hits_text(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    size_t k = 0, nh = a[0].u.objects.n;
    const char **items = dx_rcall_alloc(call, (nh + 1) * sizeof *items);
    if (!items)
        return DX_ERR_NOMEM;
    for (size_t i = 0; i < nh; i++) {
        const dx_list_hit *h = &((const lhit *)a[0].u.objects.items[i])->hit;
        int wanted = a[1].u.texts.n == 0;
        for (size_t j = 0; !wanted && j < a[1].u.texts.n; j++)
            wanted = !strcmp(a[1].u.texts.items[j], h->list);
        if (!wanted)
            continue;
        const char *name = h->entry_name ? h->entry_name : h->entry_id ? h->entry_id : "?";
        const char *role = h->role ? h->role : "name";
        size_t len = strlen(name) + strlen(h->list) + strlen(role) + 8;
        char *t = dx_rcall_alloc(call, len);
        if (!t)
            return DX_ERR_NOMEM;
        snprintf(t, len, "%s (%s, %s)", name, h->list, role);
        items[k++] = t;
    }
    out->known = 1;
    out->u.texts.n = k;
    out->u.texts.items = items;
    return DX_OK;
}

dx_status dx_list_hits_register_fields(dx_ruleenv *env)
{
    dx_status st = dx_ruleenv_add_function(
        env, "list_hits_text(list<list_hit>, list<text>) -> list<text>",
        "the hits whose list code is in the second list (all when it is empty), each as "
        "'listed name (LIST, which name matched)'", 0, fn_hits_text, NULL);
    for (size_t i = 0; st == DX_OK && i < sizeof hit_fields / sizeof hit_fields[0]; i++)
        st = dx_ruleenv_add_field(env, "list_hit", hit_fields[i].name, hit_fields[i].type,
                                  hit_fields[i].label, get_hit, hit_fields[i].name);
    return st;
}
