/*
 * print.c — how the tool shows diagnostics, and which exit status a library status gives.
 *
 * A diagnostic is printed the way compilers print them, so editors and people read it alike:
 *
 *     people.csv:12:5: error: unknown country "Atlantis"
 *         P012,Doe,Jane,,Atlantis
 *             ^
 *         hint: use an ISO code, an English or Japanese country name
 *
 * The caret sits under the diagnostic's column counted in characters (UTF-8 code points, one
 * cell each; a tab in the line is repeated in the padding so the caret stays aligned).
 * Everything printed that came from an input (paths, messages, source lines, hints) has its
 * control characters replaced by '?', so a crafted record cannot send escape sequences to the
 * terminal. Colour is used only on a terminal, and never when NO_COLOR is set and not empty
 * (https://no-color.org) or TERM is "dumb".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define SGR_RESET "\033[0m"
#define SGR_BOLD "\033[1m"

/* The escape sequences to use; all "" when colour is off. */
typedef struct palette {
    const char *bold, *severity, *reset;
} palette;

static int colour_wanted(FILE *stream)
{
    const char *no_color = getenv("NO_COLOR");
    if (no_color && no_color[0] != '\0')
        return 0;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return 0;
    int fd = fileno(stream);
    return fd >= 0 && isatty(fd);
}

static const char *severity_sgr(dx_severity severity)
{
    switch (severity) {
    case DX_SEV_ERROR:
        return "\033[1;31m"; /* bold red */
    case DX_SEV_WARNING:
        return "\033[1;35m"; /* bold magenta */
    case DX_SEV_NOTE:
        break;
    }
    return "\033[1;36m"; /* bold cyan */
}

/*
 * Write len bytes of text, replacing C0 controls, DEL and UTF-8-encoded C1 controls
 * (U+0080..U+009F) by '?', one '?' per character so that caret columns are kept. Tabs are kept
 * when keep_tab is set, else shown as a space.
 */
static void put_clean(FILE *out, const char *text, size_t len, int keep_tab)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (c == '\t')
            putc(keep_tab ? '\t' : ' ', out);
        else if (c < 0x20 || c == 0x7f)
            putc('?', out);
        else if (c == 0xc2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f) {
            putc('?', out);
            i++;
        } else
            putc(c, out);
    }
}

static void put_clean_str(FILE *out, const char *text)
{
    put_clean(out, text, strlen(text), 0);
}

/*
 * The caret line: padding under the first column-1 characters of the line (a tab for a tab,
 * else a space), then '^'. A column past the end puts the caret just after the last character.
 */
static void put_caret(FILE *out, const palette *pal, const char *line, size_t len,
                      unsigned long column)
{
    unsigned long chars = 0;
    fputs("    ", out);
    for (size_t i = 0; i < len && chars + 1 < column; i++) {
        unsigned char c = (unsigned char)line[i];
        if ((c & 0xc0) == 0x80)
            continue; /* a continuation byte: same character */
        putc(c == '\t' ? '\t' : ' ', out);
        chars++;
    }
    fprintf(out, "%s^%s\n", pal->severity, pal->reset);
}

/* `path:line:col: severity: message`; ":line" and ":col" left out when 0 (col needs a line). */
static void put_heading(FILE *out, const palette *pal, const dx_diag *d)
{
    fputs(pal->bold, out);
    put_clean_str(out, d->source[0] ? d->source : "dexcheck");
    if (d->line) {
        fprintf(out, ":%lu", d->line);
        if (d->column)
            fprintf(out, ":%lu", d->column);
    }
    fprintf(out, ":%s %s%s:%s %s", pal->reset, pal->severity, dx_severity_str(d->severity),
            pal->reset, pal->bold);
    put_clean_str(out, d->message);
    fprintf(out, "%s\n", pal->reset);
}

static void print_diag(FILE *out, const palette *pal, const dx_diag *d)
{
    put_heading(out, pal, d);
    if (d->source_line) {
        size_t len = strcspn(d->source_line, "\r\n"); /* without its line ending */
        fputs("    ", out);
        put_clean(out, d->source_line, len, 1);
        putc('\n', out);
        if (d->column)
            put_caret(out, pal, d->source_line, len, d->column);
    }
    if (d->hint) {
        fputs("    hint: ", out);
        put_clean_str(out, d->hint);
        putc('\n', out);
    }
}

void dx_cli_print_diags(FILE *stream, const dx_diags *diags)
{
    if (!stream || !diags)
        return;
    int colour = colour_wanted(stream);
    size_t n = dx_diags_count(diags);
    for (size_t i = 0; i < n; i++) {
        const dx_diag *d = dx_diags_get(diags, i);
        if (!d)
            continue;
        palette pal = {"", "", ""};
        if (colour)
            pal = (palette){SGR_BOLD, severity_sgr(d->severity), SGR_RESET};
        print_diag(stream, &pal, d);
    }
}

/*
 * The exit status (product.md §3) for a library status. `io_exit` is what an unreadable or
 * missing file means for the command at hand: 3 for an input, 5 for the store or an output.
 * The tool checks its options itself, so DX_ERR_INVALID (a call the library refused) is an
 * internal error; DX_ERR_UNSUPPORTED is input in a form dexcheck does not read. There is
 * deliberately no default case: a status appended to the list must be given an exit status
 * here before the tool compiles (-Wswitch).
 */
int dx_cli_exit_for_status(dx_status st, int io_exit)
{
    switch (st) {
    case DX_OK:
        return DX_EXIT_OK;
    case DX_ERR_IO:
    case DX_ERR_NOT_FOUND:
        return io_exit;
    case DX_ERR_ENCODING:
    case DX_ERR_UNSUPPORTED:
    case DX_ERR_INPUT:
    case DX_ERR_LIMIT:
    case DX_ERR_NO_SUBJECTS:
        return DX_EXIT_INPUT;
    case DX_ERR_INVALID:
    case DX_ERR_NOMEM:
    case DX_ERR_INTERNAL:
        break;
    }
    return DX_EXIT_INTERNAL;
}

void dx_cli_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}
