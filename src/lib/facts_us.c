/*
 * facts_us.c — the U.S. EAR control data as functions of the rule language (domain.md §2):
 * the Commerce Country Chart, the Country Groups, the reasons for control of an ECCN, and the
 * deemed-export destination of a person (§734.13(b): the most recent country of citizenship or
 * permanent residency).
 *
 * Where the data come from. dx_us_controls_load reads the newest version of three lists of
 * the store (docs/lists.md, "Control data") into memory once per run:
 *   us_country_chart   per destination: the columns marked X, the footnotes, the Part 746
 *                      pointer (embargo) and the territories that take the row (Hong Kong →
 *                      China, Liechtenstein → Switzerland);
 *   us_country_groups  per group ("A:5", "B", "E:1"): its member countries;
 *   us_ccl             per ECCN: its Country Chart columns, its reasons, its licence-exception
 *                      flags, and whether every control applies to the entire entry.
 * Everything is kept under composite keys in one string map ("x|DE|NS1", "in|B|DE",
 * "ccl|3E001"), the texts in one arena.
 *
 * The CCL headings. For a few ECCNs the source file ran the License Requirements text into the
 * heading and left reasonForControl short: 3E001 has only NS and AT as facts, while its
 * heading reads "Reason for Control: NS, MT, NP, RS, AT" with "MT Column 1", "NP Column 1",
 * "RS Column 2" and scope controls (D:1/D:4/D:5, worldwide). The importer keeps the file as it
 * is (import_us_ear.c); here, the codes after "Reason for Control:" and every "XX Column N"
 * of the heading are added to the facts, and such an entry counts as partial (its controls
 * depend on the paragraph). So 3E001 gives NS, MT, NP, RS, AT and NS1, MT1, NP1, RS2, AT1.
 *
 * Unknown, never a guess: without the data (no store, or a store without these lists), for a
 * destination the chart does not have, a group or an ECCN the lists do not have, every
 * function's result is unknown, and a rule that needs it gives needs_review.
 *
 * The functions (registered by dx_us_register_functions; their data come from the host of
 * the evaluation, dx_records_host_us):
 *   most_recent_country(list<country_since>, list<country_since>) -> text
 *   us_controls_loaded() -> bool                     chart, groups and CCL are all there
 *   us_chart_x(text, list<text>) -> list<text>       the columns marked X for a destination
 *   us_chart_embargo(text) -> bool                   the row points to Part 746 (no marks)
 *   us_chart_footnote(text, text) -> bool            a footnote of the row contains the text
 *   us_in_group(text, text) -> bool                  country in Country Group
 *   us_eccn_columns(text) -> list<text>, us_eccn_reasons(text) -> list<text>
 *   us_eccn_partial(text) -> bool                    some control depends on the paragraph
 *   us_eccn_exception(text, text) -> text            the ECCN's flag for an exception ("Yes")
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "arena.h"
#include "facts_us.h"
#include "strbuf.h"
#include "strmap.h"

typedef struct strlist {
    const char **items;
    size_t n, cap;
} strlist;

typedef struct us_eccn {
    strlist columns, reasons, exceptions; /* exceptions: "TSR|Yes" */
    int partial;
} us_eccn;

struct dx_us_controls {
    dx_arena arena;
    dx_strmap keys;       /* composite key → index into texts or eccns, or 0 */
    strlist texts;        /* footnotes (joined), chart rows of territories */
    us_eccn *eccns;
    size_t n_eccns, cap_eccns;
    int have_chart, have_groups, have_ccl;
};

/* ---- building ---- */

static dx_status list_push(dx_us_controls *c, strlist *l, const char *s, size_t n)
{
    if (l->n == l->cap) {
        size_t cap = dx_grow_cap(l->cap, l->n + 1, (size_t)1 << 24);
        const char **items = cap ? dx_arena_alloc(&c->arena, cap * sizeof *items) : NULL;
        if (!items)
            return DX_ERR_NOMEM;
        if (l->n)
            memcpy(items, l->items, l->n * sizeof *items);
        l->items = items, l->cap = cap;
    }
    char *copy = dx_arena_strndup(&c->arena, s, n);
    if (!copy)
        return DX_ERR_NOMEM;
    l->items[l->n++] = copy;
    return DX_OK;
}

static int list_has(const strlist *l, const char *s, size_t n)
{
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->items[i]) == n && !strncmp(l->items[i], s, n))
            return 1;
    return 0;
}

/* The key "a|b|c" (c may be NULL) into buf; 0 when it does not fit. */
static int make_key(char *buf, size_t size, const char *a, const char *b, const char *c)
{
    int n = snprintf(buf, size, "%s|%s%s%s", a, b, c ? "|" : "", c ? c : "");
    return n > 0 && (size_t)n < size;
}

static dx_status put(dx_us_controls *c, const char *a, const char *b, const char *d,
                     size_t value)
{
    char buf[256];
    if (!make_key(buf, sizeof buf, a, b, d))
        return DX_OK; /* no key of the data is that long; ignore */
    char *key = dx_arena_strndup(&c->arena, buf, strlen(buf));
    int inserted;
    return key ? dx_strmap_put(&c->keys, key, value, &inserted, NULL) : DX_ERR_NOMEM;
}

static int get(const dx_us_controls *c, const char *a, const char *b, const char *d,
               size_t *value)
{
    char buf[256];
    size_t v;
    return make_key(buf, sizeof buf, a, b, d) && dx_strmap_get(&c->keys, buf, value ? value : &v);
}

/* One destination of the Country Chart. */
static dx_status chart_entry(void *ctx, const dx_entry *e)
{
    dx_us_controls *c = ctx;
    dx_strbuf notes = DX_STRBUF_INIT;
    dx_status st = put(c, "row", e->entry_id, NULL, 0);
    for (size_t i = 0; st == DX_OK && i < e->n_facts; i++) {
        const dx_entry_fact *f = &e->facts[i];
        if (!strcmp(f->type, "x"))
            st = put(c, "x", e->entry_id, f->value, 0);
        else if (!strcmp(f->type, "embargo"))
            st = put(c, "emb", e->entry_id, NULL, 0);
        else if (!strcmp(f->type, "footnote"))
            st = dx_strbuf_printf(&notes, "%s\n", f->value);
        else if (!strcmp(f->type, "territory") && f->country[0]) {
            st = list_push(c, &c->texts, e->entry_id, strlen(e->entry_id));
            st = st == DX_OK ? put(c, "ter", f->country, NULL, c->texts.n - 1) : st;
        }
    }
    if (st == DX_OK && notes.len) {
        st = list_push(c, &c->texts, notes.data, notes.len);
        st = st == DX_OK ? put(c, "fn", e->entry_id, NULL, c->texts.n - 1) : st;
    }
    dx_strbuf_free(&notes);
    return st;
}

/* One Country Group and its members. */
static dx_status group_entry(void *ctx, const dx_entry *e)
{
    dx_us_controls *c = ctx;
    dx_status st = put(c, "grp", e->entry_id, NULL, 0);
    for (size_t i = 0; st == DX_OK && i < e->n_facts; i++)
        if (!strcmp(e->facts[i].type, "country") && e->facts[i].country[0])
            st = put(c, "in", e->entry_id, e->facts[i].country, 0);
    return st;
}

static int is_code(const char *s)
{
    return isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]) &&
           !isalnum((unsigned char)s[2]);
}

/* The reason codes after "Reason for Control:" in a heading ("NS, MT, NP, RS, AT"). */
static dx_status heading_reasons(dx_us_controls *c, us_eccn *u, const char *h)
{
    const char *p = strstr(h, "Reason for Control:");
    if (!p)
        return DX_OK;
    p += strlen("Reason for Control:");
    dx_status st = DX_OK;
    for (;;) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!is_code(p))
            break;
        if (!list_has(&u->reasons, p, 2))
            st = list_push(c, &u->reasons, p, 2);
        if (st != DX_OK)
            return st;
        p += 2;
    }
    u->partial = 1; /* the heading carries the control text: the paragraph decides */
    return DX_OK;
}

/* Every "XX Column N" of a heading, as "XXN". */
static dx_status heading_columns(dx_us_controls *c, us_eccn *u, const char *h)
{
    for (const char *p = strstr(h, " Column "); p; p = strstr(p + 1, " Column ")) {
        if (p - h < 2 || !is_code(p - 2) || (p - h > 2 && isalnum((unsigned char)p[-3])))
            continue;
        char col[4] = {p[-2], p[-1], p[8], 0};
        if (!isdigit((unsigned char)p[8]) || list_has(&u->columns, col, 3))
            continue;
        dx_status st = list_push(c, &u->columns, col, 3);
        if (st != DX_OK)
            return st;
    }
    return DX_OK;
}

/* Whether a chart_scope fact ("NS1|NS applies to entire entry") covers the whole entry. */
static int whole_entry(const char *scope)
{
    const char *bar = strchr(scope, '|');
    const char *rest = bar ? strstr(bar, "applies to entire entry") : NULL;
    return rest && rest[strlen("applies to entire entry")] == '\0';
}

static dx_status eccn_fact(dx_us_controls *c, us_eccn *u, const dx_entry_fact *f)
{
    const char *v = f->value;
    if (!strcmp(f->type, "chart_column") && !list_has(&u->columns, v, strlen(v)))
        return list_push(c, &u->columns, v, strlen(v));
    if (!strcmp(f->type, "reason") && !list_has(&u->reasons, v, strlen(v)))
        return list_push(c, &u->reasons, v, strlen(v));
    if (!strcmp(f->type, "license_exception"))
        return list_push(c, &u->exceptions, v, strlen(v));
    if (!strcmp(f->type, "chart_other") || (!strcmp(f->type, "chart_scope") && !whole_entry(v)))
        u->partial = 1;
    return DX_OK;
}

/* One ECCN of the CCL. */
static dx_status ccl_entry(void *ctx, const dx_entry *e)
{
    dx_us_controls *c = ctx;
    if (c->n_eccns == c->cap_eccns) {
        size_t cap = dx_grow_cap(c->cap_eccns, c->n_eccns + 1, (size_t)1 << 20);
        us_eccn *n = cap ? dx_realloc(c->eccns, cap * sizeof *n) : NULL;
        if (!n)
            return DX_ERR_NOMEM;
        c->eccns = n, c->cap_eccns = cap;
    }
    us_eccn *u = &c->eccns[c->n_eccns];
    memset(u, 0, sizeof *u);
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < e->n_facts; i++)
        st = eccn_fact(c, u, &e->facts[i]);
    if (st == DX_OK && e->name)
        st = heading_reasons(c, u, e->name);
    if (st == DX_OK && e->name)
        st = heading_columns(c, u, e->name);
    if (st == DX_OK)
        st = put(c, "ccl", e->entry_id, NULL, c->n_eccns);
    c->n_eccns += st == DX_OK;
    return st;
}

typedef struct newest {
    long long id;
} newest;

static dx_status on_version(void *ctx, const dx_list_version *v)
{
    if (v->newest)
        ((newest *)ctx)->id = v->version_id;
    return DX_OK;
}

/* The entries of the newest version of `list` to `fn`; *found = 0 when there is none. */
static dx_status load_list(dx_store *s, const char *list, dx_entry_fn fn, void *ctx, int *found)
{
    newest n = {0};
    dx_status st = dx_store_list_versions(s, list, on_version, &n);
    *found = st == DX_OK && n.id;
    return *found ? dx_store_entries(s, n.id, fn, ctx) : st;
}

dx_status dx_us_controls_load(dx_store *store, dx_us_controls **out)
{
    if (!out)
        return DX_ERR_INVALID;
    *out = NULL;
    dx_us_controls *c = dx_calloc(1, sizeof *c);
    if (!c)
        return DX_ERR_NOMEM;
    c->arena = (dx_arena)DX_ARENA_INIT;
    c->keys = (dx_strmap)DX_STRMAP_INIT;
    dx_status st = DX_OK;
    if (store) {
        st = load_list(store, "us_country_chart", chart_entry, c, &c->have_chart);
        if (st == DX_OK)
            st = load_list(store, "us_country_groups", group_entry, c, &c->have_groups);
        if (st == DX_OK)
            st = load_list(store, "us_ccl", ccl_entry, c, &c->have_ccl);
    }
    if (st != DX_OK) {
        dx_us_controls_free(c);
        return st;
    }
    *out = c;
    return DX_OK;
}

void dx_us_controls_free(dx_us_controls *c)
{
    if (!c)
        return;
    dx_strmap_free(&c->keys);
    dx_arena_free(&c->arena);
    dx_free(c->eccns);
    dx_free(c);
}

/* ---- the functions ---- */

static const dx_us_controls *controls(dx_rcall *call)
{
    return dx_records_host_us(dx_rcall_host(call));
}

static dx_status set_bool(dx_rvalue *out, int b)
{
    out->known = 1;
    out->u.boolean = b != 0;
    return DX_OK;
}

static dx_status set_texts(dx_rvalue *out, const char *const *items, size_t n)
{
    out->known = 1;
    out->u.texts.n = n;
    out->u.texts.items = items;
    return DX_OK;
}

/* The chart row of a destination (a territory takes its country's row), or NULL. */
static const char *chart_row(const dx_us_controls *c, const char *country)
{
    size_t at;
    if (!c || !c->have_chart)
        return NULL;
    if (get(c, "ter", country, NULL, &at))
        return c->texts.items[at];
    return get(c, "row", country, NULL, NULL) ? country : NULL;
}

static dx_status fn_chart_x(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    const dx_us_controls *c = controls(call);
    const char *row = chart_row(c, a[0].u.text);
    if (!row)
        return DX_OK;
    const char **xs = dx_rcall_alloc(call, (a[1].u.texts.n + 1) * sizeof *xs);
    if (!xs)
        return DX_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < a[1].u.texts.n; i++)
        if (get(c, "x", row, a[1].u.texts.items[i], NULL))
            xs[k++] = a[1].u.texts.items[i];
    return set_texts(out, xs, k);
}

static dx_status fn_chart_embargo(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    const dx_us_controls *c = controls(call);
    const char *row = chart_row(c, a[0].u.text);
    return row ? set_bool(out, get(c, "emb", row, NULL, NULL)) : DX_OK;
}

static dx_status fn_chart_footnote(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    const dx_us_controls *c = controls(call);
    const char *row = chart_row(c, a[0].u.text);
    size_t at;
    if (!row)
        return DX_OK;
    return set_bool(out, get(c, "fn", row, NULL, &at) && strstr(c->texts.items[at], a[1].u.text));
}

static dx_status fn_in_group(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    const dx_us_controls *c = controls(call);
    if (!c || !c->have_groups || !get(c, "grp", a[1].u.text, NULL, NULL))
        return DX_OK;
    const char *row = chart_row(c, a[0].u.text);
    return set_bool(out, get(c, "in", a[1].u.text, a[0].u.text, NULL) ||
                             (row && get(c, "in", a[1].u.text, row, NULL)));
}

static const us_eccn *eccn_of(dx_rcall *call, const char *eccn)
{
    const dx_us_controls *c = controls(call);
    size_t at;
    return c && c->have_ccl && get(c, "ccl", eccn, NULL, &at) ? &c->eccns[at] : NULL;
}

static dx_status fn_eccn_columns(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    const us_eccn *u = eccn_of(call, a[0].u.text);
    return u ? set_texts(out, u->columns.items, u->columns.n) : DX_OK;
}

static dx_status fn_eccn_reasons(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    const us_eccn *u = eccn_of(call, a[0].u.text);
    return u ? set_texts(out, u->reasons.items, u->reasons.n) : DX_OK;
}

static dx_status fn_eccn_partial(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    const us_eccn *u = eccn_of(call, a[0].u.text);
    return u ? set_bool(out, u->partial) : DX_OK;
}

static dx_status fn_eccn_exception(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    const us_eccn *u = eccn_of(call, a[0].u.text);
    size_t len = strlen(a[1].u.text);
    for (size_t i = 0; u && i < u->exceptions.n; i++) {
        const char *e = u->exceptions.items[i];
        if (!strncmp(e, a[1].u.text, len) && e[len] == '|') {
            out->known = 1;
            out->u.text = e + len + 1;
            return DX_OK;
        }
    }
    return DX_OK;
}

static const dx_country_at *item(const dx_rvalue *a, size_t l, size_t i)
{
    return a[l].u.objects.items[i];
}

/* The latest acquired country of both lists; unknown when there are several countries and
 * a date is missing or the latest date is shared (domain.md §2.1 [U]: decide by hand). */
static dx_status fn_most_recent(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    const dx_country_at *best = NULL;
    int several = 0, undated = 0;
    for (size_t l = 0; l < 2; l++)
        for (size_t i = 0; i < a[l].u.objects.n; i++) {
            const dx_country_at *c = item(a, l, i);
            undated |= c->acquired.year == 0;
            several |= best && strcmp(c->country, best->country);
            if (!best || (c->acquired.year && best->acquired.year &&
                          dx_date_days(c->acquired) > dx_date_days(best->acquired)))
                best = c;
        }
    if (!best || (several && undated))
        return DX_OK;
    for (size_t l = 0; several && l < 2; l++)
        for (size_t i = 0; i < a[l].u.objects.n; i++)
            if (strcmp(item(a, l, i)->country, best->country) &&
                dx_date_days(item(a, l, i)->acquired) == dx_date_days(best->acquired))
                return DX_OK;
    out->known = 1;
    out->u.text = best->country;
    return DX_OK;
}

static dx_status fn_loaded(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    const dx_us_controls *c = controls(call);
    return set_bool(out, c && c->have_chart && c->have_groups && c->have_ccl);
}

static const struct {
    const char *sig, *doc;
    dx_rfunc_fn fn;
} us_functions[] = {
    {"us_controls_loaded() -> bool",
     "the Country Chart, the Country Groups and the CCL are in the store", fn_loaded},
    {"most_recent_country(list<country_since>, list<country_since>) -> text",
     "the most recently acquired country of citizenship or permanent residency (EAR §734.13(b)); "
     "unknown when several countries lack dates or share the latest date", fn_most_recent},
    {"us_chart_x(text, list<text>) -> list<text>",
     "the Country Chart columns of the list that are marked X for the destination", fn_chart_x},
    {"us_chart_embargo(text) -> bool",
     "the Country Chart row points to Part 746 instead of marks (Cuba, Iran, North Korea, Syria)",
     fn_chart_embargo},
    {"us_chart_footnote(text, text) -> bool",
     "a footnote of the destination's Country Chart row contains the text", fn_chart_footnote},
    {"us_in_group(text, text) -> bool",
     "the country is in the Country Group (Supp. No. 1 to Part 740)", fn_in_group},
    {"us_eccn_columns(text) -> list<text>", "the Country Chart columns the ECCN names",
     fn_eccn_columns},
    {"us_eccn_reasons(text) -> list<text>", "the ECCN's reasons for control", fn_eccn_reasons},
    {"us_eccn_partial(text) -> bool",
     "some control of the ECCN applies to some paragraphs only, or by a scope outside the chart",
     fn_eccn_partial},
    {"us_eccn_exception(text, text) -> text",
     "the ECCN's List Based License Exception flag for the symbol (\"Yes\", \"N/A\", ...)",
     fn_eccn_exception},
};

dx_status dx_us_register_functions(dx_ruleenv *env)
{
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < sizeof us_functions / sizeof us_functions[0]; i++)
        st = dx_ruleenv_add_function(env, us_functions[i].sig, us_functions[i].doc, 0,
                                     us_functions[i].fn, NULL);
    return st;
}
