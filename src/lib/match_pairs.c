/*
 * match_pairs.c — `match --pairs FILE`: score every pair of a CSV file.
 *
 * The file goes through the same decoding and CSV reader as the records (any supported
 * encoding, file:line:column for every problem). The header names the columns; name1 and
 * name2 are required, schema is optional, the rest is ignored. Each pair is scored with
 * dx_match_names and handed to the caller in file order.
 */
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "csvread.h"
#include "dexcheck/match.h"

typedef struct pairs_ctx {
    const dx_matcher *matcher;
    dx_algorithm algorithm;
    dx_diags *diags;
    const char *path;
    dx_pair_fn fn;
    void *ctx;
    int header_seen;
    long col_name1, col_name2, col_schema;
} pairs_ctx;

dx_status dx_name_schema_parse(const char *text, dx_name_schema *out)
{
    static const struct {
        const char *word;
        dx_name_schema schema;
    } words[] = {{"person", DX_SCHEMA_PERSON},         {"organization", DX_SCHEMA_ORGANIZATION},
                 {"organisation", DX_SCHEMA_ORGANIZATION}, {"company", DX_SCHEMA_ORGANIZATION},
                 {"legalentity", DX_SCHEMA_ORGANIZATION},  {"vessel", DX_SCHEMA_VESSEL},
                 {"any", DX_SCHEMA_ANY},                   {"", DX_SCHEMA_ANY}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strcasecmp(text, words[i].word) == 0) {
            *out = words[i].schema;
            return DX_OK;
        }
    }
    return DX_ERR_NOT_FOUND;
}

static dx_status read_header(pairs_ctx *c, const dx_csv_row *row)
{
    c->header_seen = 1;
    c->col_name1 = c->col_name2 = c->col_schema = -1;
    for (size_t i = 0; i < row->n_fields; i++) {
        if (!strcasecmp(row->fields[i], "name1"))
            c->col_name1 = (long)i;
        else if (!strcasecmp(row->fields[i], "name2"))
            c->col_name2 = (long)i;
        else if (!strcasecmp(row->fields[i], "schema"))
            c->col_schema = (long)i;
    }
    if (c->col_name1 >= 0 && c->col_name2 >= 0)
        return DX_OK;
    dx_status st = dx_diags_add(c->diags, DX_SEV_ERROR, c->path, row->line, 0, "pairs.header",
                                "the header names the columns name1 and name2",
                                "the pairs file has no name1 or no name2 column");
    return st != DX_OK ? st : DX_ERR_INPUT;
}

static dx_status on_pair(void *ctx, const dx_csv_row *row)
{
    pairs_ctx *c = ctx;
    if (!c->header_seen)
        return read_header(c, row);
    long need = c->col_name1 > c->col_name2 ? c->col_name1 : c->col_name2;
    if (row->damaged || (long)row->n_fields <= need)
        return row->damaged ? DX_OK
                            : dx_diags_add(c->diags, DX_SEV_ERROR, c->path, row->line, 0,
                                           "pairs.row", NULL, "the row has no name1 or name2");
    dx_pair_result r = {row->line, row->fields[c->col_name1], row->fields[c->col_name2],
                        DX_SCHEMA_ANY, 0, NULL};
    if (c->col_schema >= 0 && c->col_schema < (long)row->n_fields &&
        dx_name_schema_parse(row->fields[c->col_schema], &r.schema) != DX_OK)
        return dx_diags_add(c->diags, DX_SEV_ERROR, c->path, row->line,
                            (unsigned long)c->col_schema + 1, "pairs.schema",
                            "person, organization (or company, legalentity), vessel",
                            "unknown schema '%s'", row->fields[c->col_schema]);
    char *explanation = NULL;
    dx_status st = dx_match_names(c->matcher, r.name1, r.name2, r.schema, c->algorithm,
                                  &r.score, &explanation);
    if (st == DX_ERR_ENCODING || st == DX_ERR_LIMIT)
        return dx_diags_add(c->diags, DX_SEV_ERROR, c->path, row->line, 0, "pairs.name", NULL,
                            "a name of this pair cannot be scored: %s", dx_status_str(st));
    if (st != DX_OK)
        return st;
    r.explanation = explanation;
    st = c->fn(c->ctx, &r);
    dx_match_explanation_free(explanation);
    return st;
}

dx_status dx_match_pairs_file(const dx_matcher *matcher, const char *path,
                              dx_algorithm algorithm, dx_diags *diags, dx_pair_fn fn,
                              void *ctx)
{
    if (!matcher || !path || !diags || !fn)
        return DX_ERR_INVALID;
    pairs_ctx c = {matcher, algorithm, diags, path, fn, ctx, 0, -1, -1, -1};
    return dx_csv_read_path(path, "pairs", "pairs file", diags, on_pair, &c);
}
