/*
 * rescreen.c — what `dexcheck rescreen` screens (dexcheck/screen.h, rescreen = 1): the
 * subjects stored by earlier runs, against only the list entries added or changed since.
 *
 * Design. The newest recorded run that screened against lists says which version of each
 * list the store's subjects were last screened against (run_list). For each restricted-party
 * list whose newest version differs, `dx_store_diff` gives the entries added, removed and
 * changed (by content hash) between the two; a list that run did not use counts as added
 * whole. The name index is built over the added and changed entries only (a few hundred
 * after a typical update, instead of 30,000), and the latest stored queries of every subject
 * (audit.c: the names, countries and dates of birth recorded when they were screened) are
 * searched against it: each hit is new, or an entry that changed and still matches (a
 * reviewer's false_positive on it is reopened, because the entry's content hash differs).
 *
 * The stored queries are read on two more connections, each on a thread of its own reading
 * half of the subjects, while the index is built; with no entry added or changed they are not
 * read at all.
 *
 * Delistings: every list hit recorded since the newest full screen (that screen and the
 * rescreens after it) whose entry was removed is reported as LIST-DELISTED (low): the hold it
 * caused can be reviewed and lifted.
 */
#include "rescreen_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "audit_int.h"
#include "store_int.h"
#include "strbuf.h"

typedef struct last_list {
    const char *list_id;
    long long version_id;
    size_t entries;
} last_list;

typedef struct plan_build {
    dx_rescreen_plan *p;
    last_list *last;
    size_t n_last, cap_last;
    last_list *newest;
    size_t n_newest, cap_newest;
} plan_build;

static const char *pkeep(dx_rescreen_plan *p, const char *s)
{
    return s ? dx_arena_strndup(&p->arena, s, strlen(s)) : NULL;
}

/* The key of a removed entry, "list\x1fentry", in the plan's scratch buffer. */
static const char *entry_key(dx_rescreen_plan *p, const char *list_id, const char *entry_id)
{
    dx_strbuf_reset(&p->scratch);
    dx_status st = dx_strbuf_puts(&p->scratch, list_id);
    if (st == DX_OK)
        st = dx_strbuf_putc(&p->scratch, '\x1f');
    if (st == DX_OK)
        st = dx_strbuf_puts(&p->scratch, entry_id);
    return st == DX_OK ? p->scratch.data : NULL;
}

static dx_status add_last(void *ctx, const char *list_id, long long version_id)
{
    plan_build *b = ctx;
    const char *id = pkeep(b->p, list_id);
    if (!id || dx_grow_array((void **)&b->last, &b->cap_last, b->n_last + 1, sizeof *b->last))
        return DX_ERR_NOMEM;
    b->last[b->n_last++] = (last_list){id, version_id, 0};
    return DX_OK;
}

static dx_status add_newest(void *ctx, const dx_list_version *v)
{
    plan_build *b = ctx;
    if (!v->newest || !dx_index_takes_format(v->format)) /* control data is not screened */
        return DX_OK;
    const char *id = pkeep(b->p, v->list_id);
    if (!id || dx_grow_array((void **)&b->newest, &b->cap_newest, b->n_newest + 1,
                             sizeof *b->newest))
        return DX_ERR_NOMEM;
    b->newest[b->n_newest++] = (last_list){id, v->version_id, v->entries};
    return DX_OK;
}

typedef struct diff_ctx {
    dx_rescreen_plan *p;
    const char *list_id;
    const char **ids; /* added and changed */
    size_t n_ids, cap_ids;
} diff_ctx;

static dx_status on_change(void *ctx, dx_change change, const char *entry_id,
                           const char *name)
{
    diff_ctx *d = ctx;
    dx_rescreen_plan *p = d->p;
    if (change == DX_CHANGE_REMOVED) {
        const char *key = pkeep(p, entry_key(p, d->list_id, entry_id));
        if (!key)
            return DX_ERR_NOMEM;
        int inserted;
        p->removed_count++;
        return dx_strmap_put(&p->removed, key, 0, &inserted, NULL);
    }
    if (change == DX_CHANGE_ADDED)
        p->added_count++;
    else
        p->changed_count++;
    const char *id = pkeep(p, entry_id);
    if (!id || dx_grow_array((void **)&d->ids, &d->cap_ids, d->n_ids + 1, sizeof *d->ids))
        return DX_ERR_NOMEM;
    d->ids[d->n_ids++] = id;
    return DX_OK;
}

static dx_status add_part(dx_rescreen_plan *p, const char *list_id, const char **ids, size_t n)
{
    if (dx_grow_array((void **)&p->parts, &p->cap_parts, p->n_parts + 1, sizeof *p->parts))
        return DX_ERR_NOMEM;
    p->parts[p->n_parts++] = (dx_index_part){list_id, ids, n};
    return DX_OK;
}

/* The diffs of every list whose newest version is not the one last screened against. */
static dx_status plan_diffs(plan_build *b, dx_diags *diags)
{
    dx_rescreen_plan *p = b->p;
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < b->n_newest; i++) {
        const last_list *nw = &b->newest[i];
        const last_list *old = NULL;
        for (size_t k = 0; k < b->n_last; k++)
            if (strcmp(b->last[k].list_id, nw->list_id) == 0)
                old = &b->last[k];
        if (old && old->version_id == nw->version_id)
            continue;
        if (!old) { /* a list the last run did not use: every entry is new */
            p->added_count += nw->entries;
            st = add_part(p, nw->list_id, NULL, 0);
            continue;
        }
        diff_ctx d = {p, nw->list_id, NULL, 0, 0};
        long long used_old, used_new;
        st = dx_store_diff(p->store, nw->list_id, old->version_id, nw->version_id, on_change, &d,
                           &used_old, &used_new);
        /* the ids live in the arena; the array is copied there too, so the part owns nothing */
        const char **ids = NULL;
        if (st == DX_OK && d.n_ids) {
            ids = dx_arena_alloc(&p->arena, d.n_ids * sizeof *ids);
            if (!ids)
                st = DX_ERR_NOMEM;
            else
                memcpy(ids, d.ids, d.n_ids * sizeof *ids);
        }
        if (st == DX_OK && ids)
            st = add_part(p, nw->list_id, ids, d.n_ids);
        dx_free(d.ids);
    }
    (void)diags;
    return st;
}

/* Reads the stored queries on a connection of its own, so that it can run on another thread
 * while the index is built (WAL: readers do not block each other). */
typedef struct query_reader {
    const char *path;
    int part, parts;
    dx_stored_query *queries;
    size_t n_queries;
    dx_arena arena;
    dx_status st;
} query_reader;

static void *read_queries(void *arg)
{
    query_reader *r = arg;
    dx_diags *diags = NULL;
    dx_store *store = NULL;
    r->st = dx_diags_new(&diags);
    if (r->st == DX_OK)
        r->st = dx_store_open(r->path, diags, &store);
    if (r->st == DX_OK)
        r->st = dx_audit_stored_queries(store, r->part, r->parts, &r->arena, &r->queries,
                                        &r->n_queries);
    dx_store_close(store);
    dx_diags_free(diags);
    return NULL;
}

static dx_status keep_removed_hit(void *ctx, const dx_stored_hit *h)
{
    dx_rescreen_plan *p = ctx;
    const char *key = entry_key(p, h->list, h->entry_id);
    size_t v;
    if (!key)
        return DX_ERR_NOMEM;
    if (!dx_strmap_get(&p->removed, key, &v) || dx_strmap_get(&p->delisted_ids, h->finding_id, &v))
        return DX_OK;
    if (dx_grow_array((void **)&p->delisted, &p->cap_delisted, p->n_delisted + 1,
                      sizeof *p->delisted))
        return DX_ERR_NOMEM;
    char name[512];
    dx_status st = dx_audit_subject_name(p->store, h->subject_type, h->subject_id, name,
                                         sizeof name);
    if (st != DX_OK)
        return st;
    dx_stored_hit c = {pkeep(p, h->finding_id), pkeep(p, h->rule), pkeep(p, h->subject_type),
                       pkeep(p, h->subject_id), name[0] ? pkeep(p, name) : NULL,
                       pkeep(p, h->project_id), pkeep(p, h->list), pkeep(p, h->entry_id),
                       pkeep(p, h->entry_name), pkeep(p, h->matched_name), h->score};
    if (!c.finding_id || !c.subject_id || !c.list || !c.entry_id)
        return DX_ERR_NOMEM;
    int inserted;
    st = dx_strmap_put(&p->delisted_ids, c.finding_id, p->n_delisted, &inserted, NULL);
    if (st == DX_OK)
        p->delisted[p->n_delisted++] = c;
    return st;
}

/* Delistings in a stable order: by subject, then finding id. */
static int by_subject(const void *a, const void *b)
{
    const dx_stored_hit *x = a, *y = b;
    int c = strcmp(x->subject_id, y->subject_id);
    return c ? c : strcmp(x->finding_id, y->finding_id);
}

dx_status dx_rescreen_plan_new(dx_store *store, dx_diags *diags, dx_rescreen_plan **out)
{
    dx_rescreen_plan *p = dx_calloc(1, sizeof *p);
    if (!p)
        return DX_ERR_NOMEM;
    *p = (dx_rescreen_plan){.store = store, .arena = DX_ARENA_INIT, .removed = DX_STRMAP_INIT,
                            .delisted_ids = DX_STRMAP_INIT, .query_arena = DX_ARENA_INIT,
                            .query_arena2 = DX_ARENA_INIT, .scratch = DX_STRBUF_INIT};
    plan_build b = {p, NULL, 0, 0, NULL, 0, 0};
    int found = 0;
    dx_status st = dx_audit_last_lists(store, p->last_run, add_last, &b, &found);
    if (st == DX_OK && !found) {
        st = dx_diags_add(diags, DX_SEV_ERROR, dx_store_path(store), 0, 0, "rescreen.no-run",
                          "run dexcheck screen first: it stores the subjects",
                          "no screening against lists is recorded in this store");
        st = st == DX_OK ? DX_ERR_NOT_FOUND : st;
    }
    if (st == DX_OK)
        st = dx_store_list_versions(store, NULL, add_newest, &b);
    if (st == DX_OK)
        st = plan_diffs(&b, diags);
    /* Only an entry added or changed can give a new hit: without any, no subject is read. */
    query_reader reader[2] = {{dx_store_path(store), 0, 2, NULL, 0, DX_ARENA_INIT, DX_OK},
                              {dx_store_path(store), 1, 2, NULL, 0, DX_ARENA_INIT, DX_OK}};
    pthread_t tid[2];
    int threaded[2] = {0, 0};
    for (int k = 0; k < 2 && st == DX_OK && p->n_parts; k++) {
        threaded[k] = pthread_create(&tid[k], NULL, read_queries, &reader[k]) == 0;
        if (!threaded[k])
            read_queries(&reader[k]);
    }
    if (st == DX_OK && p->removed.len)
        st = dx_audit_recent_hits(store, keep_removed_hit, p);
    if (st == DX_OK && p->n_delisted > 1)
        qsort(p->delisted, p->n_delisted, sizeof *p->delisted, by_subject);
    if (st == DX_OK && p->n_parts) {
        st = dx_index_build_parts(store, p->parts, p->n_parts, diags, &p->index);
        if (st == DX_OK) {
            dx_index_stats stats;
            dx_index_stats_get(p->index, &stats);
            p->indexed = stats.entries;
        }
    }
    for (int k = 0; k < 2; k++)
        if (threaded[k])
            pthread_join(tid[k], NULL);
    dx_status rst = reader[0].st != DX_OK ? reader[0].st : reader[1].st;
    if (st == DX_OK && rst != DX_OK)
        st = dx_diags_add(diags, DX_SEV_ERROR, dx_store_path(store), 0, 0, "rescreen.subjects",
                          NULL, "cannot read the stored subjects: %s",
                          dx_status_str(rst)) == DX_OK ? rst : DX_ERR_NOMEM;
    /* the two halves, in order, in one array; the second half's strings stay in its arena */
    size_t cap = reader[0].n_queries;
    if (st == DX_OK && reader[1].n_queries &&
        dx_grow_array((void **)&reader[0].queries, &cap,
                      reader[0].n_queries + reader[1].n_queries, sizeof *reader[0].queries))
        st = DX_ERR_NOMEM;
    if (st == DX_OK && reader[1].n_queries) {
        memcpy(reader[0].queries + reader[0].n_queries, reader[1].queries,
               reader[1].n_queries * sizeof *reader[1].queries);
        reader[0].n_queries += reader[1].n_queries;
    }
    dx_free(reader[1].queries);
    p->queries = reader[0].queries, p->n_queries = reader[0].n_queries;
    p->query_arena = reader[0].arena, p->query_arena2 = reader[1].arena;
    if (st == DX_OK && b.n_newest) {
        p->newest = dx_calloc(b.n_newest, sizeof *p->newest);
        if (!p->newest)
            st = DX_ERR_NOMEM;
        for (size_t i = 0; st == DX_OK && i < b.n_newest; i++)
            p->newest[p->n_newest++] = b.newest[i].version_id;
    }
    dx_free(b.last);
    dx_free(b.newest);
    if (st != DX_OK) {
        dx_rescreen_plan_free(p);
        return st;
    }
    *out = p;
    return DX_OK;
}

void dx_rescreen_plan_free(dx_rescreen_plan *p)
{
    if (!p)
        return;
    dx_index_free(p->index);
    dx_strmap_free(&p->removed);
    dx_strmap_free(&p->delisted_ids);
    dx_strbuf_free(&p->scratch);
    dx_free(p->newest);
    dx_free(p->parts);
    dx_free(p->queries);
    dx_arena_free(&p->query_arena);
    dx_arena_free(&p->query_arena2);
    dx_free(p->delisted);
    dx_arena_free(&p->arena);
    dx_free(p);
}
