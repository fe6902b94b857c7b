/*
 * rules_env.c — the environment a rule set is compiled against: what the host offers.
 *
 * The language core hard-codes no fact, no function and no set: the host registers object
 * kinds with their fields (each with a type, a label in plain words and a getter), the targets
 * rules apply to, C functions by signature ("add_months(date, number) -> date") and named
 * sets and tables of text. The compiler resolves every name of a rule file against these
 * tables and keeps indices, so registering is the only coupling between the language and the
 * host (the records binding is in facts_records.c).
 *
 * Everything is copied into the environment's arena; the arrays grow by doubling.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "rules_int.h"

dx_status dx_ruleenv_new(dx_ruleenv **out)
{
    if (!out)
        return DX_ERR_INVALID;
    dx_ruleenv *env = dx_calloc(1, sizeof *env);
    if (!env)
        return DX_ERR_NOMEM;
    *out = env;
    return DX_OK;
}

void dx_ruleenv_free(dx_ruleenv *env)
{
    if (!env)
        return;
    dx_free(env->kinds);
    dx_free(env->fields);
    dx_free(env->targets);
    dx_free(env->funcs);
    dx_free(env->tables);
    dx_arena_free(&env->arena);
    dx_free(env);
}

/* Make room for one more item of `size` bytes in *arr (count n, capacity *cap). */
static dx_status grow(void **arr, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return DX_OK;
    size_t want = dx_grow_cap(*cap, n + 1, 1u << 20);
    if (!want)
        return DX_ERR_LIMIT;
    void *p = dx_realloc(*arr, want * size);
    if (!p)
        return DX_ERR_NOMEM;
    *arr = p;
    *cap = want;
    return DX_OK;
}

static const char *copy(dx_ruleenv *env, const char *s)
{
    return s ? dx_arena_strndup(&env->arena, s, strlen(s)) : NULL;
}

static int is_name(const char *s)
{
    if (!s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' ||
              (*s >= '0' && *s <= '9')))
            return 0;
    return 1;
}

int rules_env_kind(const dx_ruleenv *env, const char *name, size_t len)
{
    for (size_t i = 0; i < env->n_kinds; i++)
        if (strlen(env->kinds[i].name) == len && !memcmp(env->kinds[i].name, name, len))
            return (int)i;
    return -1;
}

int rules_env_field(const dx_ruleenv *env, int kind, const char *name, size_t len)
{
    for (size_t i = 0; i < env->n_fields; i++)
        if (env->fields[i].kind == kind && strlen(env->fields[i].name) == len &&
            !memcmp(env->fields[i].name, name, len))
            return (int)i;
    return -1;
}

int rules_env_func(const dx_ruleenv *env, const char *name, size_t len)
{
    for (size_t i = 0; i < env->n_funcs; i++)
        if (strlen(env->funcs[i].name) == len && !memcmp(env->funcs[i].name, name, len))
            return (int)i;
    return -1;
}

int rules_env_table(const dx_ruleenv *env, const char *name)
{
    for (size_t i = 0; i < env->n_tables; i++)
        if (!strcmp(env->tables[i].name, name))
            return (int)i;
    return -1;
}

int dx_ruleenv_target_id(const dx_ruleenv *env, const char *name)
{
    for (size_t i = 0; env && name && i < env->n_targets; i++)
        if (!strcmp(env->targets[i].name, name))
            return (int)i;
    return -1;
}

static size_t trim(const char **s, size_t len)
{
    while (len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        len--;
    }
    while (len && ((*s)[len - 1] == ' ' || (*s)[len - 1] == '\t'))
        len--;
    return len;
}

static int word_is(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && !memcmp(s, word, len);
}

int rules_env_parse_type(const dx_ruleenv *env, const char *text, size_t len, rty *out)
{
    len = trim(&text, len);
    if (len > 6 && !memcmp(text, "list<", 5) && text[len - 1] == '>') {
        rty inner;
        if (rules_env_parse_type(env, text + 5, len - 6, &inner) != 0)
            return -1;
        if (inner.base == DX_RT_TEXT)
            *out = (rty){DX_RT_TEXT_LIST, -1};
        else if (inner.base == DX_RT_OBJECT)
            *out = (rty){DX_RT_OBJECT_LIST, inner.kind};
        else
            return -1;
        return 0;
    }
    static const struct {
        const char *word;
        dx_rtype base;
    } simple[] = {{"bool", DX_RT_BOOL},   {"number", DX_RT_NUMBER},   {"text", DX_RT_TEXT},
                  {"date", DX_RT_DATE},   {"set", DX_RT_TEXT_LIST}};
    for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++)
        if (word_is(text, len, simple[i].word)) {
            *out = (rty){simple[i].base, -1};
            return 0;
        }
    int kind = rules_env_kind(env, text, len);
    if (kind < 0)
        return -1;
    *out = (rty){DX_RT_OBJECT, kind};
    return 0;
}

const char *rules_type_name(const dx_ruleenv *env, rty ty, char *buf, size_t size)
{
    static const char *const names[] = {"nothing", "bool", "number", "text", "date",
                                        "list<text>"};
    if (ty.base <= DX_RT_TEXT_LIST)
        return names[ty.base];
    const char *kind = ty.kind >= 0 && (size_t)ty.kind < env->n_kinds ? env->kinds[ty.kind].name
                                                                       : "?";
    snprintf(buf, size, ty.base == DX_RT_OBJECT ? "%s" : "list<%s>", kind);
    return buf;
}

dx_status dx_ruleenv_add_kind(dx_ruleenv *env, const char *name, const char *doc)
{
    if (!env || !is_name(name) || rules_env_kind(env, name, strlen(name)) >= 0)
        return DX_ERR_INVALID;
    dx_status st = grow((void **)&env->kinds, env->n_kinds, &env->cap_kinds, sizeof(rkind));
    if (st != DX_OK)
        return st;
    rkind *k = &env->kinds[env->n_kinds];
    k->name = copy(env, name);
    k->doc = copy(env, doc ? doc : "");
    if (!k->name || !k->doc)
        return DX_ERR_NOMEM;
    env->n_kinds++;
    return DX_OK;
}

/* A field of kind `kind` (-1: a global). */
static dx_status add_field(dx_ruleenv *env, int kind, const char *name, const char *type,
                           const char *label, dx_rfact_fn get, const void *data)
{
    rty ty;
    if (!is_name(name) || !type || !get || rules_env_field(env, kind, name, strlen(name)) >= 0 ||
        rules_env_parse_type(env, type, strlen(type), &ty) != 0)
        return DX_ERR_INVALID;
    dx_status st = grow((void **)&env->fields, env->n_fields, &env->cap_fields, sizeof(rfield));
    if (st != DX_OK)
        return st;
    rfield *f = &env->fields[env->n_fields];
    *f = (rfield){kind, copy(env, name), copy(env, label ? label : name), ty, get, data};
    if (!f->name || !f->label)
        return DX_ERR_NOMEM;
    env->n_fields++;
    return DX_OK;
}

dx_status dx_ruleenv_add_field(dx_ruleenv *env, const char *kind, const char *name,
                               const char *type, const char *label, dx_rfact_fn get,
                               const void *field_data)
{
    int k = env && kind ? rules_env_kind(env, kind, strlen(kind)) : -1;
    if (k < 0)
        return DX_ERR_INVALID;
    return add_field(env, k, name, type, label, get, field_data);
}

dx_status dx_ruleenv_add_global(dx_ruleenv *env, const char *name, const char *type,
                                const char *label, dx_rfact_fn get, const void *field_data)
{
    if (!env)
        return DX_ERR_INVALID;
    return add_field(env, -1, name, type, label, get, field_data);
}

/* One "name: kind" of a target's variable list into t (arrays already sized). */
static dx_status add_var(dx_ruleenv *env, rtarget *t, const char *s, size_t len)
{
    len = trim(&s, len);
    const char *colon = memchr(s, ':', len);
    if (!colon)
        return DX_ERR_INVALID;
    const char *kname = colon + 1;
    size_t nlen = trim(&s, (size_t)(colon - s));
    size_t klen = trim(&kname, len - (size_t)(kname - s));
    char *name = dx_arena_strndup(&env->arena, s, nlen);
    if (!name)
        return DX_ERR_NOMEM;
    int kind = rules_env_kind(env, kname, klen);
    if (kind < 0 || !is_name(name))
        return DX_ERR_INVALID;
    for (size_t i = 0; i < t->n_vars; i++)
        if (!strcmp(t->var_names[i], name))
            return DX_ERR_INVALID;
    t->var_names[t->n_vars] = name;
    t->var_kinds[t->n_vars++] = kind;
    return DX_OK;
}

dx_status dx_ruleenv_add_target(dx_ruleenv *env, const char *name, const char *vars, int *id)
{
    if (!env || !is_name(name) || !vars || dx_ruleenv_target_id(env, name) >= 0)
        return DX_ERR_INVALID;
    size_t n = 1;
    for (const char *p = vars; *p; p++)
        n += *p == ',';
    if (n > RULES_MAX_ARGS)
        return DX_ERR_INVALID;
    dx_status st = grow((void **)&env->targets, env->n_targets, &env->cap_targets,
                        sizeof(rtarget));
    if (st != DX_OK)
        return st;
    rtarget t = {copy(env, name), 0, dx_arena_alloc(&env->arena, n * sizeof(char *)),
                 dx_arena_alloc(&env->arena, n * sizeof(int))};
    if (!t.name || !t.var_names || !t.var_kinds)
        return DX_ERR_NOMEM;
    for (const char *p = vars; st == DX_OK;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        st = add_var(env, &t, p, len);
        if (!comma)
            break;
        p = comma + 1;
    }
    if (st != DX_OK)
        return st;
    if (id)
        *id = (int)env->n_targets;
    env->targets[env->n_targets++] = t;
    return DX_OK;
}

/* Parse "name(type, type) -> type" into f (names copied). */
static dx_status parse_signature(dx_ruleenv *env, const char *sig, rfunc *f)
{
    const char *open = strchr(sig, '('), *close = open ? strchr(open, ')') : NULL;
    const char *arrow = close ? strstr(close, "->") : NULL;
    if (!arrow)
        return DX_ERR_INVALID;
    const char *name = sig;
    size_t nlen = trim(&name, (size_t)(open - sig));
    f->name = dx_arena_strndup(&env->arena, name, nlen);
    if (!f->name)
        return DX_ERR_NOMEM;
    if (!is_name(f->name) || rules_env_func(env, name, nlen) >= 0 ||
        rules_env_parse_type(env, arrow + 2, strlen(arrow + 2), &f->result) != 0)
        return DX_ERR_INVALID;
    const char *p = open + 1;
    size_t rest = trim(&p, (size_t)(close - p));
    while (rest) {
        const char *comma = memchr(p, ',', rest);
        size_t len = comma ? (size_t)(comma - p) : rest;
        if (f->n_params == RULES_MAX_ARGS ||
            rules_env_parse_type(env, p, len, &f->params[f->n_params]) != 0)
            return DX_ERR_INVALID;
        f->n_params++;
        if (!comma)
            break;
        rest -= len + 1;
        p = comma + 1;
    }
    return DX_OK;
}

dx_status dx_ruleenv_add_function(dx_ruleenv *env, const char *signature, const char *doc,
                                  unsigned flags, dx_rfunc_fn fn, const void *data)
{
    if (!env || !signature || !fn)
        return DX_ERR_INVALID;
    rfunc f = {0};
    dx_status st = parse_signature(env, signature, &f);
    if (st != DX_OK)
        return st;
    f.doc = copy(env, doc ? doc : "");
    f.flags = flags;
    f.fn = fn;
    f.data = data;
    if (!f.doc)
        return DX_ERR_NOMEM;
    st = grow((void **)&env->funcs, env->n_funcs, &env->cap_funcs, sizeof(rfunc));
    if (st != DX_OK)
        return st;
    env->funcs[env->n_funcs++] = f;
    return DX_OK;
}

/* Merge sort of keys[lo..hi) with their values, using tmp arrays of the same size. */
static void merge_sort(const char **keys, const char **values, const char **tk,
                       const char **tv, size_t lo, size_t hi)
{
    if (hi - lo < 2)
        return;
    size_t mid = lo + (hi - lo) / 2, i = lo, j = mid, o = lo;
    merge_sort(keys, values, tk, tv, lo, mid);
    merge_sort(keys, values, tk, tv, mid, hi);
    while (i < mid || j < hi) {
        size_t from = (j >= hi || (i < mid && strcmp(keys[i], keys[j]) <= 0)) ? i++ : j++;
        tk[o] = keys[from];
        if (values)
            tv[o] = values[from];
        o++;
    }
    memcpy(keys + lo, tk + lo, (hi - lo) * sizeof *keys);
    if (values)
        memcpy(values + lo, tv + lo, (hi - lo) * sizeof *values);
}

int rules_sort_table(rtable *t, const char **dup)
{
    *dup = NULL;
    if (t->n < 2)
        return 0;
    const char **tmp = dx_malloc(2 * t->n * sizeof *tmp);
    if (!tmp)
        return -1;
    merge_sort(t->keys, t->values, tmp, tmp + t->n, 0, t->n);
    dx_free(tmp);
    for (size_t i = 1; i < t->n && !*dup; i++)
        if (!strcmp(t->keys[i - 1], t->keys[i]))
            *dup = t->keys[i];
    return 0;
}

dx_status dx_ruleenv_add_table(dx_ruleenv *env, const char *name, const char *const *keys,
                               const char *const *values, size_t n, const char *doc)
{
    if (!env || !name || !*name || (n && !keys) || rules_env_table(env, name) >= 0 ||
        n > RULES_MAX_ITEMS)
        return DX_ERR_INVALID;
    dx_status st = grow((void **)&env->tables, env->n_tables, &env->cap_tables, sizeof(rtable));
    if (st != DX_OK)
        return st;
    rtable t = {copy(env, name), copy(env, doc ? doc : ""), n,
                dx_arena_alloc(&env->arena, (n ? n : 1) * sizeof(char *)),
                values ? dx_arena_alloc(&env->arena, (n ? n : 1) * sizeof(char *)) : NULL};
    if (!t.name || !t.doc || !t.keys || (values && !t.values))
        return DX_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!keys[i] || (values && !values[i]))
            return DX_ERR_INVALID;
        t.keys[i] = copy(env, keys[i]);
        if (values)
            t.values[i] = copy(env, values[i]);
        if (!t.keys[i] || (values && !t.values[i]))
            return DX_ERR_NOMEM;
    }
    const char *dup;
    if (rules_sort_table(&t, &dup) != 0)
        return DX_ERR_NOMEM;
    if (dup)
        return DX_ERR_INVALID;
    env->tables[env->n_tables++] = t;
    return DX_OK;
}
