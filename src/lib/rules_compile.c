/*
 * rules_compile.c — the compiler's driver: sources in, an immutable rule set out.
 *
 * Parse every source (all syntax errors), apply parameter overrides, then resolve and check
 * the whole set at once (all name and type errors), so `dexcheck rules check` shows every
 * error of every file in one pass. A set with any error is freed, never returned. The rule
 * set owns its syntax tree (one arena) and borrows the environment.
 *
 * Also here: reading rule files and folders, and the introspection used by reports.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "rules_int.h"

void dx_ruleset_free(dx_ruleset *rs)
{
    if (!rs)
        return;
    dx_free(rs->files);
    dx_free(rs->params);
    dx_free(rs->sets);
    dx_free(rs->concls);
    dx_free(rs->rules);
    dx_arena_free(&rs->arena);
    dx_free(rs);
}

/* The parsed declarations become the rule set's (its arrays change owner). */
static void take_decls(dx_ruleset *rs, rdecls *d)
{
    rs->files = d->files;
    rs->n_files = d->n_files;
    rs->params = d->params;
    rs->n_params = d->n_params;
    rs->sets = d->sets;
    rs->n_sets = d->n_sets;
    rs->concls = d->concls;
    rs->n_concls = d->n_concls;
    rs->rules = d->rules;
    rs->n_rules = d->n_rules;
}

/* Replace parameters' defaults by the overrides; returns the number of errors, -1 on NOMEM. */
static int apply_overrides(dx_ruleset *rs, const dx_ruleset_options *opt, dx_diags *diags)
{
    int errors = 0;
    for (size_t i = 0; opt && i < opt->n_overrides; i++) {
        const dx_rule_override *o = &opt->overrides[i];
        rparam *p = NULL;
        for (size_t j = 0; o->name && j < rs->n_params; j++)
            if (!strcmp(rs->params[j].name, o->name))
                p = &rs->params[j];
        size_t len = o->value ? strlen(o->value) : 0;
        rnode *v = p && o->value ? rules_parse_literal(&rs->arena, o->value, len) : NULL;
        if (v && v->op == p->value->op) {
            p->value = v;
            if (!(p->value_text = dx_arena_strndup(&rs->arena, o->value, len)))
                return -1;
            continue;
        }
        errors++;
        dx_status st = dx_diags_add(
            diags, DX_SEV_ERROR, "parameter override", 0, 0, "rules.override",
            p ? "write the value as in a rule file, of the parameter's type" : NULL,
            p ? "'%s' is not a valid value for parameter %s" : "%s%s: no such parameter",
            p ? (o->value ? o->value : "") : "", o->name ? o->name : "");
        if (st != DX_OK)
            return -1;
    }
    return errors;
}

static void order_regimes(dx_ruleset *rs)
{
    for (size_t i = 0; i < rs->n_rules; i++) {
        const rrule *r = &rs->rules[i];
        if (r->outcome == OUT_FINDING)
            continue;
        size_t k = 0;
        while (k < rs->n_regimes && rs->regime_order[k] != r->regime)
            k++;
        if (k == rs->n_regimes && k < sizeof rs->regime_order / sizeof rs->regime_order[0])
            rs->regime_order[rs->n_regimes++] = r->regime;
    }
}

/* Parse every source; sources[i] that were parsed are listed in parsed[] (in file order). */
static int parse_all(dx_ruleset *rs, rdecls *d, const dx_rule_source *sources, size_t n,
                     dx_rule_source *parsed, dx_diags *diags)
{
    int errors = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = sources[i].name ? sources[i].name : "";
        if (sources[i].len > RULES_MAX_SOURCE || (!sources[i].text && sources[i].len)) {
            errors++;
            if (dx_diags_add(diags, DX_SEV_ERROR, name, 0, 0, "rules.too-large", NULL,
                             "a rule file is at most %d bytes", RULES_MAX_SOURCE) != DX_OK)
                return -1;
            continue;
        }
        int r = rules_parse(&rs->arena, d, name, sources[i].text ? sources[i].text : "",
                            sources[i].len, diags);
        if (r < 0)
            return -1;
        parsed[d->n_files - 1] = sources[i];
        errors += r;
    }
    return errors;
}

dx_status dx_ruleset_compile(const dx_ruleenv *env, const dx_rule_source *sources, size_t n,
                             const dx_ruleset_options *opt, dx_diags *diags, dx_ruleset **out)
{
    if (!env || !diags || !out || (n && !sources))
        return DX_ERR_INVALID;
    *out = NULL;
    dx_ruleset *rs = dx_calloc(1, sizeof *rs);
    dx_rule_source *parsed = dx_calloc(n ? n : 1, sizeof *parsed);
    if (!rs || !parsed) {
        dx_free(rs);
        dx_free(parsed);
        return DX_ERR_NOMEM;
    }
    rs->env = env;
    rdecls d = {0};
    int errors = parse_all(rs, &d, sources, n, parsed, diags);
    take_decls(rs, &d);
    int more = errors < 0 ? -1 : apply_overrides(rs, opt, diags);
    if (more >= 0) {
        errors += more;
        more = rules_check(rs, diags, parsed);
    }
    dx_free(parsed);
    if (errors < 0 || more < 0) {
        dx_ruleset_free(rs);
        return DX_ERR_NOMEM;
    }
    if (errors + more > 0) {
        dx_ruleset_free(rs);
        return DX_ERR_INPUT;
    }
    order_regimes(rs);
    *out = rs;
    return DX_OK;
}

/* ---- from paths ---- */

typedef struct pathlist {
    char **items;
    size_t n, cap;
} pathlist;

static dx_status pathlist_add(pathlist *l, const char *path)
{
    if (l->n == l->cap) {
        size_t cap = dx_grow_cap(l->cap, l->n + 1, 100000);
        char **items = cap ? dx_realloc(l->items, cap * sizeof *items) : NULL;
        if (!items)
            return cap ? DX_ERR_NOMEM : DX_ERR_LIMIT;
        l->items = items;
        l->cap = cap;
    }
    if (!(l->items[l->n] = dx_strdup(path)))
        return DX_ERR_NOMEM;
    l->n++;
    return DX_OK;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.rules files under a folder, recursively (hidden entries skipped). */
static dx_status collect_dir(const char *dir, pathlist *l, int depth)
{
    DIR *d = depth < 8 ? opendir(dir) : NULL;
    if (!d)
        return DX_ERR_IO;
    dx_status st = DX_OK;
    struct dirent *e;
    char path[4096];
    while (st == DX_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode))
            st = collect_dir(path, l, depth + 1);
        else if (ends_with(e->d_name, ".rules"))
            st = pathlist_add(l, path);
    }
    closedir(d);
    return st;
}

/* Read a whole file of at most RULES_MAX_SOURCE bytes (+1 to notice a larger one). */
static dx_status read_file(const char *path, char **text, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return DX_ERR_IO;
    char *buf = dx_malloc((size_t)RULES_MAX_SOURCE + 2);
    size_t n = buf ? fread(buf, 1, (size_t)RULES_MAX_SOURCE + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    if (!buf)
        return DX_ERR_NOMEM;
    if (bad) {
        dx_free(buf);
        return DX_ERR_IO;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return DX_OK;
}

static dx_status gather(const char *const *paths, size_t n, pathlist *files, dx_diags *diags)
{
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        size_t before = files->n;
        dx_status st = stat(paths[i], &sb) != 0 ? DX_ERR_IO
                       : S_ISDIR(sb.st_mode)    ? collect_dir(paths[i], files, 0)
                                                : pathlist_add(files, paths[i]);
        if (st == DX_OK && S_ISDIR(sb.st_mode))
            qsort(files->items + before, files->n - before, sizeof(char *), by_name);
        if (st == DX_ERR_IO)
            st = dx_diags_add(diags, DX_SEV_ERROR, paths[i], 0, 0, "rules.io", NULL,
                              "cannot read: %s", strerror(errno ? errno : EIO)) == DX_OK
                     ? DX_ERR_IO : DX_ERR_NOMEM;
        if (st != DX_OK)
            return st;
    }
    return DX_OK;
}

dx_status dx_ruleset_compile_paths(const dx_ruleenv *env, const char *const *paths, size_t n,
                                   const dx_ruleset_options *opt, dx_diags *diags,
                                   dx_ruleset **out)
{
    if (!env || !diags || !out || (n && !paths))
        return DX_ERR_INVALID;
    *out = NULL;
    pathlist files = {0};
    dx_status st = gather(paths, n, &files, diags);
    dx_rule_source *src = st == DX_OK ? dx_calloc(files.n ? files.n : 1, sizeof *src) : NULL;
    if (st == DX_OK && !src)
        st = DX_ERR_NOMEM;
    for (size_t i = 0; st == DX_OK && i < files.n; i++) {
        char *text = NULL;
        src[i].name = files.items[i];
        st = read_file(files.items[i], &text, &src[i].len);
        src[i].text = text;
        if (st == DX_ERR_IO)
            st = dx_diags_add(diags, DX_SEV_ERROR, files.items[i], 0, 0, "rules.io", NULL,
                              "cannot read: %s", strerror(errno ? errno : EIO)) == DX_OK
                     ? DX_ERR_IO : DX_ERR_NOMEM;
    }
    if (st == DX_OK)
        st = dx_ruleset_compile(env, src, files.n, opt, diags, out);
    for (size_t i = 0; i < files.n; i++) {
        if (src)
            dx_free((char *)src[i].text);
        dx_free(files.items[i]);
    }
    dx_free(src);
    dx_free(files.items);
    return st;
}

/* ---- introspection ---- */

size_t dx_ruleset_rule_count(const dx_ruleset *rs)
{
    return rs ? rs->n_rules : 0;
}

dx_status dx_ruleset_rule_get(const dx_ruleset *rs, size_t i, dx_rule_info *out)
{
    if (!rs || !out || i >= rs->n_rules)
        return DX_ERR_INVALID;
    const rrule *r = &rs->rules[i];
    const char *basis = r->basis->n_args == 1 && r->basis->args[0]->op == OP_TEXT
                            ? r->basis->args[0]->name : "(filled per outcome)";
    *out = (dx_rule_info){r->id, r->title, r->target_name, basis, r->channel, r->regime,
                          r->outcome == OUT_FINDING,
                          r->outcome == OUT_DETERMINATION ? r->determination : DX_DET_NONE,
                          r->severity, r->file, r->line};
    return DX_OK;
}

size_t dx_ruleset_param_count(const dx_ruleset *rs)
{
    return rs ? rs->n_params : 0;
}

dx_status dx_ruleset_param_get(const dx_ruleset *rs, size_t i, dx_rule_param_info *out)
{
    if (!rs || !out || i >= rs->n_params)
        return DX_ERR_INVALID;
    const rparam *p = &rs->params[i];
    *out = (dx_rule_param_info){p->name, p->value_text ? p->value_text : "", p->doc ? p->doc : "",
                                p->uncertain, p->file, p->line};
    return DX_OK;
}

size_t dx_ruleset_file_count(const dx_ruleset *rs)
{
    return rs ? rs->n_files : 0;
}

dx_status dx_ruleset_file_get(const dx_ruleset *rs, size_t i, dx_rule_file_info *out)
{
    if (!rs || !out || i >= rs->n_files)
        return DX_ERR_INVALID;
    const rfile *f = &rs->files[i];
    *out = (dx_rule_file_info){f->name, f->regulation, f->version, f->date};
    return DX_OK;
}
