/*
 * rules_lex.c — the tokens of the rule language, and how its errors are reported.
 *
 * Tokens: identifiers and keywords (ASCII), numbers (12, 0.25, and 25% = 0.25), dates
 * (2026-02-14), strings ("…", UTF-8, escapes \" \\ \n \t, one line), punctuation, and after
 * the keyword `rule` a rule id ([A-Za-z0-9_.-]+, e.g. JP-RES-010: the parser asks for that
 * mode). `#` starts a comment to the end of the line. Anything else outside strings and
 * comments is an error, reported and skipped, so lexing always goes on to the end.
 *
 * Positions are 1-based lines and columns counted in characters (UTF-8 code points), as
 * diag.h says for rule files. Every error carries the source line, so the CLI can print a
 * caret. A file reports at most RULES_MAX_ERRORS errors (then one note), which bounds the
 * work a hostile file can cause.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules_int.h"

enum { RULES_MAX_ERRORS = 50, LINE_SHOWN_MAX = 1000 };

static const char *const keywords[K_COUNT_] = {
    [K_RULE] = "rule",       [K_PARAM] = "param",       [K_SET] = "set",
    [K_TABLE] = "table",     [K_DEFINE] = "define",     [K_FOR] = "for",
    [K_WHEN] = "when",       [K_THEN] = "then",         [K_CASE] = "case",
    [K_OTHERWISE] = "otherwise", [K_BECAUSE] = "because", [K_DOC] = "doc",
    [K_UNCERTAIN] = "uncertain", [K_APPLIES] = "applies", [K_TO] = "to",
    [K_REGIME] = "regime",   [K_CHANNEL] = "channel",   [K_BASIS] = "basis",
    [K_REASON] = "reason",   [K_REGULATION] = "regulation", [K_VERSION] = "version",
    [K_DATE] = "date",       [K_FINDING] = "finding",   [K_STORE] = "store",
    [K_AND] = "and",         [K_OR] = "or",             [K_NOT] = "not",
    [K_IN] = "in",           [K_IS] = "is",             [K_KNOWN] = "known",
    [K_UNKNOWN] = "unknown", [K_TRUE] = "true",         [K_FALSE] = "false",
    [K_WHERE] = "where",     [K_ANY] = "any",           [K_ALL] = "all",
    [K_COUNT] = "count",     [K_SUM] = "sum",           [K_MIN] = "min",
    [K_MAX] = "max",
};

const char *rules_keyword_name(int kw)
{
    return kw > K_NONE && kw < K_COUNT_ ? keywords[kw] : "";
}

static int keyword(const char *s, size_t len)
{
    for (int k = K_NONE + 1; k < K_COUNT_; k++)
        if (strlen(keywords[k]) == len && !memcmp(keywords[k], s, len))
            return k;
    return K_NONE;
}

void rules_lex_init(rlexer *lx, const char *name, const char *text, size_t len,
                    dx_diags *diags)
{
    *lx = (rlexer){text, text + len, text, text + len, name, 1, 1, text, diags, 0, 0};
}

/* The text of line `line` of the source: its start and length without the line ending. */
static const char *line_text(const rlexer *lx, unsigned long line, size_t *len)
{
    const char *p = lx->src;
    for (unsigned long l = 1; l < line && p < lx->text_end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(lx->text_end - p));
        if (!nl)
            return NULL;
        p = nl + 1;
    }
    const char *nl = memchr(p, '\n', (size_t)(lx->text_end - p));
    *len = (size_t)((nl ? nl : lx->text_end) - p);
    return p;
}

void rules_lex_verror(rlexer *lx, unsigned long line, unsigned long col, const char *code,
                      const char *hint, const char *fmt, va_list ap)
{
    if (lx->nomem || lx->errors > RULES_MAX_ERRORS)
        return;
    if (++lx->errors > RULES_MAX_ERRORS) {
        if (dx_diags_add(lx->diags, DX_SEV_NOTE, lx->name, 0, 0, "rules.too-many-errors", NULL,
                         "more than %d errors in this file; the rest are not shown",
                         RULES_MAX_ERRORS) != DX_OK)
            lx->nomem = 1;
        return;
    }
    dx_status st = dx_diags_addv(lx->diags, DX_SEV_ERROR, lx->name, line, col, code, hint, fmt, ap);
    size_t len = 0;
    const char *text = st == DX_OK ? line_text(lx, line, &len) : NULL;
    if (text && len <= LINE_SHOWN_MAX)
        st = dx_diags_set_source_line(lx->diags, text, len);
    if (st != DX_OK)
        lx->nomem = 1;
}

void rules_lex_error(rlexer *lx, unsigned long line, unsigned long col, const char *code,
                     const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rules_lex_verror(lx, line, col, code, hint, fmt, ap);
    va_end(ap);
}

/* Advance over one byte, keeping line and column (columns count UTF-8 lead bytes). */
static void step(rlexer *lx)
{
    unsigned char c = (unsigned char)*lx->pos++;
    if (c == '\n') {
        lx->line++;
        lx->col = 1;
        lx->line_start = lx->pos;
    } else if ((c & 0xc0) != 0x80) {
        lx->col++;
    }
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static void skip_space(rlexer *lx)
{
    while (lx->pos < lx->end) {
        char c = *lx->pos;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            step(lx);
        else if (c == '#')
            while (lx->pos < lx->end && *lx->pos != '\n')
                step(lx);
        else
            break;
    }
}

/* "dddd-dd-dd" at p (and not followed by a digit): a date literal. */
static int date_at(const char *p, const char *end, long *days)
{
    if (end - p < 10)
        return 0;
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? p[i] != '-' : !is_digit(p[i]))
            return 0;
    if (end - p > 10 && (is_digit(p[10]) || is_alpha(p[10])))
        return 0;
    int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
    int m = (p[5] - '0') * 10 + (p[6] - '0'), d = (p[8] - '0') * 10 + (p[9] - '0');
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
        return -1;
    *days = dx_rdate_from_ymd(y, m, d);
    return 1;
}

static void lex_number(rlexer *lx, rtoken *tok)
{
    int r = date_at(lx->pos, lx->end, &tok->date);
    if (r != 0) {
        for (int i = 0; i < 10; i++)
            step(lx);
        tok->type = T_DATE;
        if (r < 0)
            rules_lex_error(lx, tok->line, tok->col, "rules.bad-date", "write YYYY-MM-DD",
                            "%.10s is not a calendar date", tok->start);
        return;
    }
    double v = 0, scale = 0;
    int digits = 0;
    while (lx->pos < lx->end && (is_digit(*lx->pos) || (*lx->pos == '.' && !scale))) {
        if (*lx->pos == '.') {
            if (lx->pos + 1 >= lx->end || !is_digit(lx->pos[1]))
                break;
            scale = 1;
        } else if (digits++ < 18) {
            v = v * 10 + (*lx->pos - '0');
            if (scale)
                scale *= 10;
        } else if (!scale) {
            v *= 10; /* more digits than a double holds: keep the magnitude */
        }
        step(lx);
    }
    tok->number = scale ? v / scale : v;
    if (lx->pos < lx->end && *lx->pos == '%') {
        step(lx);
        tok->number /= 100;
    }
    tok->type = T_NUMBER;
}

static void lex_string(rlexer *lx, rtoken *tok)
{
    step(lx); /* the opening quote */
    while (lx->pos < lx->end && *lx->pos != '"' && *lx->pos != '\n') {
        if (*lx->pos == '\\' && lx->pos + 1 < lx->end && lx->pos[1] != '\n')
            step(lx);
        step(lx);
    }
    if (lx->pos >= lx->end || *lx->pos != '"') {
        rules_lex_error(lx, tok->line, tok->col, "rules.unclosed-string",
                        "close the text with \" on the line where it starts",
                        "this text is not closed on its line");
    } else {
        step(lx);
    }
    tok->type = T_STRING;
}

/* One- and two-character punctuation; 0 when c starts none. */
static int punct(rlexer *lx)
{
    char c = *lx->pos, d = lx->pos + 1 < lx->end ? lx->pos[1] : '\0';
    int two = (c == '=' && d == '=') ? P_EQ : (c == '!' && d == '=') ? P_NE
            : (c == '<' && d == '=') ? P_LE : (c == '>' && d == '=') ? P_GE
            : (c == '-' && d == '>') ? P_ARROW : 0;
    if (two) {
        step(lx);
        step(lx);
        return two;
    }
    if (c && strchr("(){}[],.:=<>+-*/", c)) {
        step(lx);
        return c;
    }
    return 0;
}

static void lex_rule_id(rlexer *lx, rtoken *tok)
{
    while (lx->pos < lx->end &&
           (is_alpha(*lx->pos) || is_digit(*lx->pos) || *lx->pos == '-' || *lx->pos == '.'))
        step(lx);
    tok->type = T_RULEID;
}

/* Skip one unexpected character (all its UTF-8 bytes), reporting it. */
static void lex_bad(rlexer *lx, rtoken *tok)
{
    unsigned char c = (unsigned char)*lx->pos;
    step(lx);
    while (lx->pos < lx->end && ((unsigned char)*lx->pos & 0xc0) == 0x80)
        lx->pos++;
    if (c >= 0x20 && c < 0x7f)
        rules_lex_error(lx, tok->line, tok->col, "rules.unexpected-character", NULL,
                        "unexpected character '%c'", c);
    else
        rules_lex_error(lx, tok->line, tok->col, "rules.unexpected-character",
                        "outside quotes a rule file holds only ASCII names, numbers and "
                        "punctuation", "unexpected character (byte 0x%02x)", c);
    tok->type = T_BAD;
}

void rules_lex_next(rlexer *lx, rtoken *tok, int rule_id)
{
    skip_space(lx);
    *tok = (rtoken){T_EOF, K_NONE, 0, lx->pos, 0, lx->line, lx->col, 0, 0};
    if (lx->pos >= lx->end)
        return;
    char c = *lx->pos;
    if (rule_id && (is_alpha(c) || is_digit(c)))
        lex_rule_id(lx, tok);
    else if (is_alpha(c)) {
        while (lx->pos < lx->end && (is_alpha(*lx->pos) || is_digit(*lx->pos)))
            step(lx);
        tok->kw = keyword(tok->start, (size_t)(lx->pos - tok->start));
        tok->type = tok->kw ? T_KEYWORD : T_IDENT;
    } else if (is_digit(c))
        lex_number(lx, tok);
    else if (c == '"')
        lex_string(lx, tok);
    else if ((tok->punct = punct(lx)) != 0)
        tok->type = T_PUNCT;
    else
        lex_bad(lx, tok);
    tok->len = (size_t)(lx->pos - tok->start);
}
