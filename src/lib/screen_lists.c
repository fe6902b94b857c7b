/*
 * screen_lists.c — the list screening of a run: every name the records carry, against the
 * store's restricted-party lists (dexcheck/index.h), each hit reported as a finding with the
 * list's legal effect.
 *
 * What is screened (one query per name; a subject's queries are consecutive):
 *   - a person: the full name (else family + given name), the name in local script, each
 *     alias; schema PERSON, countries = citizenships and permanent residencies, dob = date
 *     of birth; the affiliation (schema ORGANIZATION, the affiliation's country);
 *   - a visitor: the same, and the organisation the visitor comes from;
 *   - an organisation of organizations.csv: its name and aliases, with its country;
 *   - a project: its sponsor (with the sponsor's country) and each collaborator.
 * The finding's subject is the person, visitor, organisation or project; the reason says which
 * of its names matched ("sponsor 'Raybeam Optronics Co. Ltd.' matches ...").
 *
 * One finding per (subject, list entry): the hits of one subject's names are gathered and,
 * for an entry matched by several names, the best score is kept. An index hit that stands for
 * several sources (a CSL row repeating an OFAC entry) is one finding; its legal effect is the
 * most severe of its sources', and the explanation lists the other sources.
 *
 * The legal effect of each list (rule id, severity, basis, action), by list id and, for the
 * CSL, by sub-list (the prefix of the entry id, "EL:..."; import_csl.c):
 *
 *   rule             list                                   severity  action
 *   LIST-SDN         us_ofac_sdn; us_csl SDN                critical  blocked: no dealings
 *   LIST-EL          us_csl EL (Entity List)                critical  licence for all items
 *                                                                     subject to the EAR
 *   LIST-DPL         us_bis_dpl; us_csl DPL                 critical  denied: no transactions
 *   LIST-DTC         us_csl DTC (ITAR debarred)             critical  no ITAR transactions
 *   LIST-MEU         us_csl MEU (Military End-User)         high      licence for Supp. 2 items
 *   LIST-ISN         us_csl ISN (State nonproliferation)    high      check the sanction terms
 *   LIST-UN          un_sc                                  high      asset freeze (MOF permit)
 *   LIST-MOF         jp_mof                                 high      asset freeze (MOF permit)
 *   LIST-EUL         jp_meti_eul (End User List)            high      item 16 licence when the
 *                                                                     concern type matches
 *   LIST-UVL         us_csl UVL (Unverified List)           medium    hold: UVL statement needed
 *   LIST-OFAC-OTHER  us_ofac_nonsdn; us_csl SSI FSE CAP     medium    check the programme's
 *                    CMIC NS-MBS PLC                                  terms
 *   LIST-DFAT        au_dfat                                medium    Australian nexus only
 *   LIST-HIT         any other list                         medium    review the match
 *
 * Every list hit needs attention (medium or above) until a reviewer marks it false_positive.
 * Whether a hit changes a determination (an Entity List employer, an End User List concern
 * that matches item 16 technology) is for the rules, not for this module: each hit is also
 * added to the run's dx_list_hits under its owner, with the rule id without "LIST-" as its
 * `list` code ("EL", "EUL", ...), and the screen runs this module before the rules.
 */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "audit_int.h"
#include "screen_int.h"

/* ---- the legal effect of each list ---- */

typedef struct list_rule {
    const char *id, *title;
    dx_finding_severity severity;
    const char *basis, *action;
} list_rule;

enum { LR_SDN, LR_EL, LR_DPL, LR_DTC, LR_MEU, LR_ISN, LR_UN, LR_MOF, LR_EUL, LR_UVL,
       LR_OFAC_OTHER, LR_DFAT, LR_HIT, LR_COUNT };

static const list_rule LIST_RULES[LR_COUNT] = {
    {"LIST-SDN", "OFAC Specially Designated National", DX_FSEV_CRITICAL,
     "31 CFR Chapter V (OFAC SDN List: blocking)",
     "hold: blocked party, no dealings and no release of technology; escalate"},
    {"LIST-EL", "BIS Entity List", DX_FSEV_CRITICAL,
     "EAR §744.11, Supp. No. 4 to Part 744 (Entity List)",
     "hold: licence required for items subject to the EAR as the entry states"},
    {"LIST-DPL", "BIS Denied Persons List", DX_FSEV_CRITICAL,
     "EAR §764.3 and the denial order (Denied Persons List)",
     "hold: denied party, no participation in transactions subject to the EAR"},
    {"LIST-DTC", "State ITAR debarred party", DX_FSEV_CRITICAL,
     "ITAR 22 CFR §127.7, §120.16 (AECA debarment)",
     "hold: debarred, no ITAR-controlled transactions"},
    {"LIST-MEU", "BIS Military End-User List", DX_FSEV_HIGH,
     "EAR §744.21, Supp. No. 7 to Part 744 (Military End-User List)",
     "hold: licence required for the items of Supp. No. 2 to Part 744"},
    {"LIST-ISN", "State nonproliferation sanctions", DX_FSEV_HIGH,
     "State Department nonproliferation sanctions (ISN)",
     "hold: check the terms of the sanction before any transaction"},
    {"LIST-UN", "UN Security Council sanctions", DX_FSEV_HIGH,
     "UN Security Council sanctions; FEFTA Art. 16, 21, 25(6) (MOF permission)",
     "hold: sanctioned party, payments and services need MOF permission"},
    {"LIST-MOF", "Japan MOF economic sanctions", DX_FSEV_HIGH,
     "FEFTA Art. 16, 21, 25(6) (財務省 経済制裁対象者)",
     "hold: asset-freeze party, payments and services need MOF permission"},
    {"LIST-EUL", "METI End User List", DX_FSEV_HIGH,
     "外為令別表16項 (catch-all); METI 外国ユーザーリスト",
     "hold: a licence is needed for item 16 technology when the concern type matches"},
    {"LIST-UVL", "BIS Unverified List", DX_FSEV_MEDIUM,
     "EAR §744.15, Supp. No. 6 to Part 744 (Unverified List)",
     "hold: UVL statement needed before any export"},
    {"LIST-OFAC-OTHER", "OFAC sanctions other than the SDN List", DX_FSEV_MEDIUM,
     "31 CFR Chapter V (OFAC non-SDN programmes)",
     "review: check the programme's terms (sectoral, capital markets, ...)"},
    {"LIST-DFAT", "Australian DFAT consolidated list", DX_FSEV_MEDIUM,
     "Autonomous Sanctions Regulations 2011 (Cth); Charter of the UN Act 1945 (Cth)",
     "review: binding where there is an Australian nexus"},
    {"LIST-HIT", "Restricted-party list", DX_FSEV_MEDIUM, "restricted-party list",
     "review the match"},
};

typedef struct list_map {
    const char *list_id, *sub; /* sub: the CSL sub-list (entry id prefix); NULL = any */
    int rule;
} list_map;

static const list_map LIST_MAP[] = {
    {"us_ofac_sdn", NULL, LR_SDN},     {"us_ofac_nonsdn", NULL, LR_OFAC_OTHER},
    {"us_bis_dpl", NULL, LR_DPL},      {"un_sc", NULL, LR_UN},
    {"jp_mof", NULL, LR_MOF},          {"jp_meti_eul", NULL, LR_EUL},
    {"au_dfat", NULL, LR_DFAT},        {"us_csl", "SDN", LR_SDN},
    {"us_csl", "EL", LR_EL},           {"us_csl", "DPL", LR_DPL},
    {"us_csl", "DTC", LR_DTC},         {"us_csl", "MEU", LR_MEU},
    {"us_csl", "ISN", LR_ISN},         {"us_csl", "UVL", LR_UVL},
    {"us_csl", "SSI", LR_OFAC_OTHER},  {"us_csl", "FSE", LR_OFAC_OTHER},
    {"us_csl", "CAP", LR_OFAC_OTHER},  {"us_csl", "CMIC", LR_OFAC_OTHER},
    {"us_csl", "NS-MBS", LR_OFAC_OTHER}, {"us_csl", "PLC", LR_OFAC_OTHER},
};

size_t dx_screen_list_rule_count(void)
{
    return LR_COUNT;
}

void dx_screen_list_rule(size_t i, dx_report_rule *out)
{
    const list_rule *r = &LIST_RULES[i < LR_COUNT ? i : LR_HIT];
    *out = (dx_report_rule){r->id, r->title, r->basis};
}

static int sub_matches(const char *entry_id, const char *sub)
{
    size_t n = strlen(sub);
    return entry_id && !strncmp(entry_id, sub, n) && entry_id[n] == ':';
}

static int rule_of(const char *list_id, const char *entry_id)
{
    for (size_t i = 0; i < sizeof LIST_MAP / sizeof LIST_MAP[0]; i++)
        if (!strcmp(LIST_MAP[i].list_id, list_id) &&
            (!LIST_MAP[i].sub || sub_matches(entry_id, LIST_MAP[i].sub)))
            return LIST_MAP[i].rule;
    return LR_HIT;
}

/* The most severe effect over every source of a hit. */
static int rule_of_hit(const dx_search_hit *h)
{
    int best = rule_of(h->list_id, h->entry_id);
    for (size_t i = 0; i < h->n_sources; i++) {
        int r = rule_of(h->sources[i].list_id, h->sources[i].entry_id);
        if (dx_finding_severity_rank(LIST_RULES[r].severity) >
            dx_finding_severity_rank(LIST_RULES[best].severity))
            best = r;
    }
    return best;
}

/* ---- the queries ---- */

#define MAX_COUNTRIES 6

/* Who a query is about, and which of its names it is. */
typedef struct query_meta {
    size_t owner;              /* queries of one owner share this number */
    const char *subject_type, *subject_id, *subject_name, *project_id;
    const char *role;          /* "name", "alias", "organisation", "sponsor", ... */
    const char *countries[MAX_COUNTRIES];
    size_t n_countries;
    char dob[11];
} query_meta;

typedef struct query_set {
    dx_screen_ctx *c;
    query_meta *meta;
    dx_search_query *q;
    size_t n, cap, owners;
} query_set;

static dx_status add_query(query_set *s, const query_meta *m, const char *name,
                           dx_name_schema schema)
{
    if (!name || !*name)
        return DX_OK;
    if (s->n == s->cap) {
        size_t cap = dx_grow_cap(s->cap, s->n + 1, (size_t)1 << 28);
        query_meta *meta = cap ? dx_realloc(s->meta, cap * sizeof *meta) : NULL;
        if (meta)
            s->meta = meta;
        dx_search_query *q = meta ? dx_realloc(s->q, cap * sizeof *q) : NULL;
        if (!q)
            return DX_ERR_NOMEM;
        s->q = q, s->cap = cap;
    }
    s->meta[s->n] = *m;
    s->q[s->n] = (dx_search_query){name, schema, NULL, 0, NULL, NULL, 0};
    s->n++;
    return DX_OK;
}

static void add_country(query_meta *m, const char *cc)
{
    if (cc && *cc && m->n_countries < MAX_COUNTRIES)
        m->countries[m->n_countries++] = cc;
}

/* The queries of one person or visitor's own names. */
static dx_status person_queries(query_set *s, const dx_person *p, const char *type,
                                const char *display)
{
    query_meta m = {s->owners, type, p->person_id, display, NULL, "name", {0}, 0, ""};
    for (size_t i = 0; i < p->citizenships.n; i++)
        add_country(&m, p->citizenships.items[i].country);
    for (size_t i = 0; i < p->permanent_residencies.n; i++)
        add_country(&m, p->permanent_residencies.items[i].country);
    dx_date_format(p->date_of_birth, m.dob);
    dx_status st = add_query(s, &m, display, DX_SCHEMA_PERSON);
    m.role = "name in local script";
    if (st == DX_OK && p->name_local && strcmp(p->name_local, display))
        st = add_query(s, &m, p->name_local, DX_SCHEMA_PERSON);
    m.role = "alias";
    for (size_t i = 0; st == DX_OK && i < p->aliases.n; i++)
        st = add_query(s, &m, p->aliases.items[i], DX_SCHEMA_PERSON);
    m.role = "affiliation";
    m.n_countries = 0, m.dob[0] = 0;
    add_country(&m, p->affiliation_country);
    if (st == DX_OK)
        st = add_query(s, &m, p->affiliation, DX_SCHEMA_ORGANIZATION);
    return st;
}

static dx_status subject_queries(query_set *s)
{
    dx_status st = DX_OK;
    size_t n_people, n_visitors;
    const dx_person *people = dx_records_people(s->c->records, &n_people);
    const dx_visitor *visitors = dx_records_visitors(s->c->records, &n_visitors);
    for (size_t i = 0; st == DX_OK && i < n_people; i++, s->owners++)
        st = person_queries(s, &people[i], "person", s->c->subjects[i].name);
    for (size_t i = 0; st == DX_OK && i < n_visitors; i++, s->owners++) {
        const dx_visitor *v = &visitors[i];
        const char *name = s->c->subjects[n_people + i].name;
        st = person_queries(s, &v->person, "visitor", name);
        query_meta m = {s->owners, "visitor", v->person.person_id, name, NULL, "organisation",
                        {0}, 0, ""};
        add_country(&m, v->organization_country);
        if (st == DX_OK)
            st = add_query(s, &m, v->organization, DX_SCHEMA_ORGANIZATION);
    }
    return st;
}

static dx_status party_queries(query_set *s)
{
    dx_status st = DX_OK;
    size_t n_orgs, n_projects;
    const dx_organization *orgs = dx_records_organizations(s->c->records, &n_orgs);
    const dx_project *projects = dx_records_projects(s->c->records, &n_projects);
    for (size_t i = 0; st == DX_OK && i < n_orgs; i++, s->owners++) {
        const dx_organization *o = &orgs[i];
        query_meta m = {s->owners, "organization", o->org_id, o->name, NULL, "name", {0}, 0, ""};
        add_country(&m, o->country);
        st = add_query(s, &m, o->name, DX_SCHEMA_ORGANIZATION);
        m.role = "alias";
        for (size_t k = 0; st == DX_OK && k < o->aliases.n; k++)
            st = add_query(s, &m, o->aliases.items[k], DX_SCHEMA_ORGANIZATION);
    }
    for (size_t i = 0; st == DX_OK && i < n_projects; i++, s->owners++) {
        const dx_project *p = &projects[i];
        query_meta m = {s->owners, "project", p->project_id, p->title, p->project_id, "sponsor",
                        {0}, 0, ""};
        add_country(&m, p->sponsor_country);
        st = add_query(s, &m, p->sponsor, DX_SCHEMA_ORGANIZATION);
        m.role = "collaborator", m.n_countries = 0;
        for (size_t k = 0; st == DX_OK && k < p->collaborators.n; k++)
            st = add_query(s, &m, p->collaborators.items[k], DX_SCHEMA_ORGANIZATION);
    }
    return st;
}

/* The queries stored with the subjects of earlier runs (rescreen.c), one owner per subject. */
static dx_status stored_source(query_set *s)
{
    dx_status st = DX_OK;
    const dx_stored_query *sq = s->c->stored;
    for (size_t i = 0; st == DX_OK && i < s->c->n_stored; i++) {
        if (i && (strcmp(sq[i].subject_id, sq[i - 1].subject_id) != 0 ||
                  strcmp(sq[i].subject_type, sq[i - 1].subject_type) != 0))
            s->owners++;
        query_meta m = {s->owners, sq[i].subject_type, sq[i].subject_id, sq[i].subject_name,
                        sq[i].project_id, sq[i].role, {0}, 0, ""};
        for (size_t k = 0; k < sq[i].q.n_countries; k++)
            add_country(&m, sq[i].q.countries[k]);
        if (sq[i].q.dob)
            snprintf(m.dob, sizeof m.dob, "%s", sq[i].q.dob);
        st = add_query(s, &m, sq[i].q.name, sq[i].q.schema);
    }
    return st;
}

/* Point each query at its meta's countries and dob (the arrays no longer move). */
static void link_queries(query_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        s->q[i].countries = s->meta[i].n_countries ? s->meta[i].countries : NULL;
        s->q[i].n_countries = s->meta[i].n_countries;
        s->q[i].dob = s->meta[i].dob[0] ? s->meta[i].dob : NULL;
    }
}

/* Each owner's queries into the store's audit trail (audit_int.h), which recognises a subject
 * screened before with the same names. */
static dx_status record_subjects(query_set *s)
{
    dx_screen_ctx *c = s->c;
    if (!c->audit)
        return DX_OK;
    const char **roles = dx_calloc(s->n + 1, sizeof *roles);
    const char **projects = dx_calloc(s->n + 1, sizeof *projects);
    dx_status st = roles && projects ? DX_OK : DX_ERR_NOMEM;
    for (size_t i = 0; st == DX_OK && i < s->n; i++)
        roles[i] = s->meta[i].role, projects[i] = s->meta[i].project_id;
    for (size_t i = 0, j; st == DX_OK && i < s->n; i = j) {
        for (j = i + 1; j < s->n && s->meta[j].owner == s->meta[i].owner;)
            j++;
        int changed;
        st = dx_audit_subject(c->audit, s->meta[i].subject_type, s->meta[i].subject_id,
                              s->meta[i].subject_name, &s->q[i], &roles[i], &projects[i],
                              j - i, &changed);
        c->sum->subjects_changed += st == DX_OK && changed;
    }
    dx_free(roles);
    dx_free(projects);
    return st;
}

/* ---- the hits of one owner, gathered, then reported ---- */

typedef struct pending_hit {
    const char *list_id, *entry_id, *entry_name, *matched_name, *explanation, *query;
    const char *role, *others;
    double score;
    unsigned concern;
    int rule;
} pending_hit;

typedef struct hit_sink {
    query_set *s;
    dx_arena arena;          /* the pending hits' strings; reset per owner */
    pending_hit *hits;
    size_t n, cap;
    size_t owner_query;      /* a query of the owner whose hits are pending */
} hit_sink;

static const char *acopy(hit_sink *k, const char *s, int *ok)
{
    if (!s)
        return NULL;
    char *c = dx_arena_strndup(&k->arena, s, strlen(s));
    *ok &= c != NULL;
    return c;
}

/* "also us_ofac_sdn 22685; ..." for the sources after the first. */
static const char *other_sources(hit_sink *k, const dx_search_hit *h, int *ok)
{
    dx_strbuf *b = &k->s->c->text2;
    dx_strbuf_reset(b);
    dx_status st = DX_OK;
    for (size_t i = 1; st == DX_OK && i < h->n_sources; i++)
        st = dx_strbuf_printf(b, "%s%s %s", i > 1 ? "; " : "", h->sources[i].list_id,
                              h->sources[i].entry_id);
    *ok &= st == DX_OK;
    return b->len ? acopy(k, b->data, ok) : NULL;
}

static pending_hit *find_pending(hit_sink *k, const dx_search_hit *h)
{
    for (size_t i = 0; i < k->n; i++)
        if (!strcmp(k->hits[i].list_id, h->list_id) && !strcmp(k->hits[i].entry_id, h->entry_id))
            return &k->hits[i];
    return NULL;
}

static dx_status keep_hit(hit_sink *k, size_t qi, const dx_search_hit *h)
{
    pending_hit *p = find_pending(k, h);
    if (p && p->score >= h->score)
        return DX_OK;
    if (!p && k->n == k->cap) {
        size_t cap = dx_grow_cap(k->cap, k->n + 1, (size_t)1 << 24);
        pending_hit *hits = cap ? dx_realloc(k->hits, cap * sizeof *hits) : NULL;
        if (!hits)
            return DX_ERR_NOMEM;
        k->hits = hits, k->cap = cap;
    }
    if (!p)
        p = &k->hits[k->n++];
    int ok = 1;
    *p = (pending_hit){acopy(k, h->list_id, &ok), acopy(k, h->entry_id, &ok),
                       acopy(k, h->entry_name, &ok), acopy(k, h->matched_name, &ok),
                       acopy(k, h->explanation, &ok), k->s->q[qi].name,
                       k->s->meta[qi].role, other_sources(k, h, &ok), h->score,
                       h->concern_types, rule_of_hit(h)};
    return ok ? DX_OK : DX_ERR_NOMEM;
}

static void concern_text(unsigned bits, char out[24])
{
    static const char *const names[] = {"B", "C", "M", "N", "CW"};
    out[0] = 0;
    for (int i = 0; i < 5; i++)
        if (bits & (1u << i))
            snprintf(out + strlen(out), 24 - strlen(out), "%s%s", out[0] ? "," : "", names[i]);
}

/* The reason of a hit: which name matched which entry, and what to do. */
static dx_status hit_reason(dx_screen_ctx *c, const pending_hit *p, const list_rule *lr)
{
    char concern[24];
    concern_text(p->concern, concern);
    dx_strbuf_reset(&c->text);
    dx_status st = dx_strbuf_printf(&c->text, "%s '%s' matches %s entry %s '%s' (score %.2f",
                                    p->role, p->query, p->list_id, p->entry_id, p->entry_name,
                                    p->score);
    if (st == DX_OK && concern[0])
        st = dx_strbuf_printf(&c->text, "; concern %s", concern);
    if (st == DX_OK && p->others)
        st = dx_strbuf_printf(&c->text, "; also %s", p->others);
    if (st == DX_OK)
        st = dx_strbuf_printf(&c->text, "): %s", lr->action);
    return st;
}

static dx_status report_hit(hit_sink *k, const query_meta *m, const pending_hit *p)
{
    dx_screen_ctx *c = k->s->c;
    const list_rule *lr = &LIST_RULES[p->rule];
    dx_status st = hit_reason(c, p, lr);
    if (st != DX_OK)
        return st;
    dx_result r = {.kind = DX_RESULT_FINDING, .rule = lr->id, .regime = "LIST",
                   .subject_type = m->subject_type, .subject_id = m->subject_id,
                   .subject_name = m->subject_name, .project_id = m->project_id,
                   .severity = lr->severity, .basis = lr->basis, .reason = c->text.data,
                   .list = p->list_id, .entry_id = p->entry_id, .entry_name = p->entry_name,
                   .matched_name = p->matched_name, .score = p->score,
                   .explanation = p->explanation};
    c->sum->list_hits++;
    dx_list_hit lh = {m->subject_type, m->subject_id, p->role, lr->id + 5 /* "LIST-" */,
                      p->list_id, p->entry_id, p->entry_name, p->matched_name, p->score,
                      p->concern};
    st = c->hits ? dx_list_hits_add(c->hits, &lh) : DX_OK;
    char hash[65] = "";
    if (c->audit)
        dx_audit_entry_hash(c->audit, p->list_id, p->entry_id, hash);
    return st == DX_OK ? dx_screen_emit_hit(c, &r, hash[0] ? hash : NULL) : st;
}

static dx_status flush_owner(hit_sink *k)
{
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < k->n; i++)
        st = report_hit(k, &k->s->meta[k->owner_query], &k->hits[i]);
    k->n = 0;
    dx_arena_reset(&k->arena);
    return st;
}

static dx_status on_search(void *ctx, size_t i, dx_status status, const dx_search_result *res)
{
    hit_sink *k = ctx;
    dx_status st = DX_OK;
    if (k->n && k->s->meta[k->owner_query].owner != k->s->meta[i].owner)
        st = flush_owner(k);
    k->owner_query = i;
    if (status == DX_ERR_NOMEM)
        return status;
    if (status != DX_OK) /* a name the index cannot take (too long): say so, go on */
        return dx_diags_add(k->s->c->diags, DX_SEV_WARNING, k->s->meta[i].subject_id, 0, 0,
                            "screen.name-not-searched", NULL, "%s '%.80s' was not screened: %s",
                            k->s->meta[i].role, k->s->q[i].name, dx_status_str(status));
    for (size_t h = 0; st == DX_OK && h < dx_search_result_count(res); h++)
        st = keep_hit(k, i, dx_search_result_hit(res, h));
    return st;
}

dx_status dx_screen_lists(dx_screen_ctx *c, const dx_index *index)
{
    query_set s = {c, NULL, NULL, 0, 0, 0};
    dx_status st = DX_OK;
    if (c->stored) {
        st = stored_source(&s);
    } else {
        st = subject_queries(&s);
        if (st == DX_OK)
            st = party_queries(&s);
    }
    link_queries(&s);
    if (st == DX_OK && !c->stored)
        st = record_subjects(&s);
    c->sum->names_screened = s.n;
    dx_search_options so = {c->opt->threshold, 0, c->opt->exhaustive, DX_ALGO_DEFAULT, 1};
    hit_sink k = {&s, DX_ARENA_INIT, NULL, 0, 0, 0};
    if (st == DX_OK && s.n)
        st = dx_index_search_batch(index, s.q, s.n, &so, c->opt->threads, on_search, &k);
    if (st == DX_OK)
        st = flush_owner(&k);
    dx_free(k.hits);
    dx_arena_free(&k.arena);
    dx_free(s.meta);
    dx_free(s.q);
    return st;
}
