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
 * Ownership (OFAC's 50 % rule, the BIS Affiliates rule; rules/us/ownership.rules): the
 * functions owned_share(org, codes, threshold), owned_share_unknown(...) and
 * listed_owners_text(...) read organizations.csv's owners (org_id@percent) and each owner's
 * own organization.list_hits. An owner counts as listed when it has a hit whose code is in
 * `codes`, or — indirect ownership — when its own owners, counted the same way, hold at least
 * `threshold` of it (OFAC's guidance: an entity blocked by ownership blocks in turn; the
 * Affiliates rule says "directly or indirectly" too). A threshold above 1 counts direct
 * owners only. The walk keeps its path: an owner already on it (a cycle of cross-holdings)
 * adds nothing through the cycle. It stops at OWN_MAX_DEPTH levels and after OWN_MAX_VISITS
 * owners per call; an owner past either limit, an owner whose org_id has no accepted row
 * (its row was rejected, so it was never screened) and an owner whose own owners leave the
 * question open are *unknown*: their shares are owned_share_unknown, never counted as clear.
 * Shares are summed in percent and rounded to 1e-6 before they are compared or returned as
 * ratios (0.55), so that 30 % + 20 % is exactly the threshold 50 %.
 *
 * Storage: each hit is one arena block (a dx_list_hit followed by its concern words), so the
 * pointers handed to the rules never move; an owner's hits are a growing pointer array found
 * through a string map keyed "type\x1fid". Everything is freed with the set.
 */
#include <math.h>
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

/* ---- ownership ---- */

enum { OWN_MAX_DEPTH = 8, OWN_MAX_VISITS = 10000 };

typedef enum own_status { OWN_CLEAR, OWN_LISTED, OWN_BY_OWNERS, OWN_UNKNOWN } own_status;

typedef struct own_walk {
    const void *host;
    const dx_list_hits *hits;
    const dx_rvalue *codes;   /* list<text>: the list codes that count */
    double threshold;         /* in percent */
    const dx_organization *path[OWN_MAX_DEPTH + 1];
    size_t depth, visits;
} own_walk;

/* The listed and unknown shares of an organisation's owners, in percent. */
typedef struct own_shares {
    double listed, unknown;
} own_shares;

static double pct_round(double x)
{
    return floor(x * 1e6 + 0.5) / 1e6;
}

/* The first hit of organisation `org_id` whose code is in the walk's codes, or NULL. */
static const dx_list_hit *listed_hit(const own_walk *w, const char *org_id)
{
    const void *const *items;
    size_t n;
    dx_list_hits_of(w->hits, "organization", org_id, &items, &n);
    for (size_t i = 0; i < n; i++) {
        const dx_list_hit *h = &((const lhit *)items[i])->hit;
        for (size_t j = 0; j < w->codes->u.texts.n; j++)
            if (!strcmp(w->codes->u.texts.items[j], h->list))
                return h;
    }
    return NULL;
}

static own_shares walk_owners(own_walk *w, const dx_organization *org);

/* How one owner counts; *sub (may be NULL) gets its own owners' shares when they were read. */
static own_status owner_status(own_walk *w, const dx_owner *o, own_shares *sub)
{
    const dx_organization *owner = dx_records_host_org(w->host, o->org_id);
    if (!owner)
        return OWN_UNKNOWN;
    if (listed_hit(w, owner->org_id))
        return OWN_LISTED;
    if (owner->n_owners == 0 || w->threshold > 100.0)
        return OWN_CLEAR;
    for (size_t k = 0; k < w->depth; k++)
        if (w->path[k] == owner)
            return OWN_CLEAR; /* a cycle: nothing more through it */
    if (w->depth > OWN_MAX_DEPTH || ++w->visits > OWN_MAX_VISITS)
        return OWN_UNKNOWN;
    w->path[w->depth++] = owner;
    own_shares s = walk_owners(w, owner);
    w->depth--;
    if (sub)
        *sub = s;
    return s.listed >= w->threshold ? OWN_BY_OWNERS
           : pct_round(s.listed + s.unknown) >= w->threshold ? OWN_UNKNOWN : OWN_CLEAR;
}

static own_shares walk_owners(own_walk *w, const dx_organization *org)
{
    own_shares s = {0, 0};
    for (size_t i = 0; i < org->n_owners; i++) {
        own_status st = owner_status(w, &org->owners[i], NULL);
        if (st == OWN_LISTED || st == OWN_BY_OWNERS)
            s.listed += org->owners[i].percent;
        else if (st == OWN_UNKNOWN)
            s.unknown += org->owners[i].percent;
    }
    s.listed = pct_round(s.listed), s.unknown = pct_round(s.unknown);
    return s;
}

/* A walk from the arguments (organization, list<text>, number), with the root on its path. */
static void walk_start(own_walk *w, dx_rcall *call, const dx_rvalue *a)
{
    memset(w, 0, sizeof *w);
    w->host = dx_rcall_host(call);
    w->hits = dx_records_host_hits(w->host);
    w->codes = &a[1];
    w->threshold = pct_round(a[2].u.number * 100.0);
    w->path[w->depth++] = a[0].u.object;
}

/* owned_share(organization, list<text>, number) -> number: the ratio held by listed owners. */
static dx_status fn_owned_share(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    own_walk w;
    walk_start(&w, call, a);
    out->known = 1;
    out->u.number = walk_owners(&w, a[0].u.object).listed / 100.0;
    return DX_OK;
}

/* owned_share_unknown(...) -> number: the ratio held by owners whose standing is unknown. */
static dx_status fn_owned_unknown(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    own_walk w;
    walk_start(&w, call, a);
    out->known = 1;
    out->u.number = walk_owners(&w, a[0].u.object).unknown / 100.0;
    return DX_OK;
}

/* A percentage as the reasons write it: "30 %", "12.5 %". */
static void fmt_pct(char *buf, size_t size, double p)
{
    snprintf(buf, size, "%.6g %%", pct_round(p));
}

/* One owner in words, in the call's memory; NULL when out of memory. */
static char *owner_words(dx_rcall *call, own_walk *w, const dx_owner *o, own_status st,
                         const own_shares *sub)
{
    const dx_organization *owner = dx_records_host_org(w->host, o->org_id);
    char share[32], why[160];
    fmt_pct(share, sizeof share, o->percent);
    if (st == OWN_LISTED) {
        snprintf(why, sizeof why, "%s", listed_hit(w, owner->org_id)->list);
    } else if (st == OWN_BY_OWNERS) {
        char held[32];
        fmt_pct(held, sizeof held, sub->listed);
        snprintf(why, sizeof why, "owned %s by listed parties", held);
    } else if (!owner) {
        snprintf(why, sizeof why, "no accepted row in organizations.csv: not screened");
    } else if (sub->listed == 0 && sub->unknown == 0) {
        snprintf(why, sizeof why, "its owners go deeper than the walk reads");
    } else {
        char held[32], open[32];
        fmt_pct(held, sizeof held, sub->listed);
        fmt_pct(open, sizeof open, sub->unknown);
        snprintf(why, sizeof why, "its own owners undecided: %s listed, %s unknown", held, open);
    }
    const char *name = owner && owner->name ? owner->name : "";
    size_t len = strlen(o->org_id) + strlen(name) + strlen(share) + strlen(why) + 8;
    char *t = dx_rcall_alloc(call, len);
    if (t)
        snprintf(t, len, "%s%s%s %s (%s)", o->org_id, *name ? " " : "", name, share, why);
    return t;
}

/* listed_owners_text(organization, list<text>, number) -> list<text>: the owners that count
 * as listed or unknown, each as "O11 Name 30 % (EL)". */
static dx_status fn_listed_owners(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    own_walk w;
    walk_start(&w, call, a);
    const dx_organization *org = a[0].u.object;
    const char **items = dx_rcall_alloc(call, (org->n_owners + 1) * sizeof *items);
    if (!items)
        return DX_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < org->n_owners; i++) {
        own_shares sub = {0, 0};
        own_status st = owner_status(&w, &org->owners[i], &sub);
        if (st == OWN_CLEAR)
            continue;
        if (!(items[k++] = owner_words(call, &w, &org->owners[i], st, &sub)))
            return DX_ERR_NOMEM;
    }
    out->known = 1;
    out->u.texts.n = k;
    out->u.texts.items = items;
    return DX_OK;
}

static const struct {
    const char *sig, *doc;
    dx_rfunc_fn fn;
} list_functions[] = {
    {"list_hits_text(list<list_hit>, list<text>) -> list<text>",
     "the hits whose list code is in the second list (all when it is empty), each as "
     "'listed name (LIST, which name matched)'", fn_hits_text},
    {"owned_share(organization, list<text>, number) -> number",
     "the share (a ratio) of the organisation held by owners with a hit on one of the lists, "
     "or held at least the third argument by such owners in turn (indirect ownership)",
     fn_owned_share},
    {"owned_share_unknown(organization, list<text>, number) -> number",
     "the share (a ratio) held by owners whose standing cannot be decided: not in the accepted "
     "records, or their own owners leave it open", fn_owned_unknown},
    {"listed_owners_text(organization, list<text>, number) -> list<text>",
     "the owners that count for owned_share or owned_share_unknown, each as "
     "'O11 name 30 % (EL)'", fn_listed_owners},
};

dx_status dx_list_hits_register_fields(dx_ruleenv *env)
{
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < sizeof list_functions / sizeof list_functions[0]; i++)
        st = dx_ruleenv_add_function(env, list_functions[i].sig, list_functions[i].doc, 0,
                                     list_functions[i].fn, NULL);
    for (size_t i = 0; st == DX_OK && i < sizeof hit_fields / sizeof hit_fields[0]; i++)
        st = dx_ruleenv_add_field(env, "list_hit", hit_fields[i].name, hit_fields[i].type,
                                  hit_fields[i].label, get_hit, hit_fields[i].name);
    return st;
}
