/*
 * xmlsafe.c — libxml2 with no DTD, no network and no stderr (see xmlsafe.h).
 */
#include "xmlsafe.h"

#include <limits.h>
#include <pthread.h>
#include <string.h>

#include <libxml/parser.h>

#define ENCODING_HINT "save the file as UTF-8, or download it again"

#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_arg;
#else
typedef xmlErrorPtr xml_error_arg;
#endif

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
    xmlInitParser();
}

static void silent_generic_error(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

void dx_xmlsafe_init(dx_xmlsafe *xs, const dx_xmlsafe_spec *spec, dx_diags *diags,
                     const char *source, unsigned long *errors)
{
    memset(xs, 0, sizeof *xs);
    xs->spec = spec;
    xs->diags = diags;
    xs->source = source;
    xs->errors = errors;
    xs->status = DX_OK;
}

void dx_xmlsafe_begin(dx_xmlsafe *xs)
{
    pthread_once(&xml_once, xml_init);
    xs->saved_generic = xmlGenericError;
    xs->saved_generic_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, silent_generic_error);
}

void dx_xmlsafe_end(dx_xmlsafe *xs)
{
    xmlSetGenericErrorFunc(xs->saved_generic_ctx, xs->saved_generic);
}

/* ---- the byte scan ------------------------------------------------------------------------ */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static unsigned long line_at(const unsigned char *s, size_t pos)
{
    unsigned long line = 1;
    for (size_t i = 0; i < pos; i++)
        line += s[i] == '\n';
    return line;
}

/* The offset just past the first `end` at or after `from`, or 0 when there is none. */
static size_t past(const unsigned char *s, size_t n, size_t from, const char *end)
{
    size_t e = strlen(end);
    for (size_t i = from; i + e <= n; i++) {
        if (memcmp(s + i, end, e) == 0)
            return i + e;
    }
    return 0;
}

/* The line of a "<!DOCTYPE" in the prolog of an ASCII-compatible document, or 0 when there
 * is none before the first element (or the encoding is not ASCII-compatible). */
static unsigned long prolog_doctype_line(const unsigned char *s, size_t n)
{
    size_t i = n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < n) {
        size_t next;
        if (is_space(s[i])) {
            i++;
            continue;
        }
        if (n - i >= 9 && memcmp(s + i, "<!DOCTYPE", 9) == 0)
            return line_at(s, i);
        if (n - i >= 2 && memcmp(s + i, "<?", 2) == 0)
            next = past(s, n, i + 2, "?>");
        else if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0)
            next = past(s, n, i + 4, "-->");
        else
            return 0;
        if (!next)
            return 0;
        i = next;
    }
    return 0;
}

/* An error of the file; DX_OK, or DX_ERR_NOMEM when it could not be kept. */
static dx_status report(dx_xmlsafe *xs, unsigned long line, const char *code, const char *hint,
                        const char *message)
{
    dx_status st = dx_diags_add(xs->diags, DX_SEV_ERROR, xs->source, line, 0, code, hint, "%s",
                                message);
    (*xs->errors)++;
    return st;
}

/* The checks made on the bytes before libxml2 sees them: UTF-8, no DTD. DX_ERR_INPUT
 * (reported) refuses the file. */
static dx_status check_prolog(dx_xmlsafe *xs, const unsigned char *s, size_t n)
{
    dx_status st = DX_OK;
    if (n >= 2 && (s[0] == 0 || s[1] == 0 || (s[0] == 0xFF && s[1] == 0xFE) ||
                   (s[0] == 0xFE && s[1] == 0xFF)))
        st = report(xs, 1, xs->spec->encoding_code, ENCODING_HINT, xs->spec->encoding_message);
    unsigned long line = st == DX_OK ? prolog_doctype_line(s, n) : 0;
    if (line)
        st = report(xs, line, xs->spec->dtd_code, xs->spec->hint, xs->spec->dtd_message);
    return st == DX_OK && *xs->errors ? DX_ERR_INPUT : st;
}

/* ---- libxml2's messages ------------------------------------------------------------------- */

/* How many of the `n` bytes of `s` to show in a message: at most `max`, not splitting a UTF-8
 * sequence. */
static size_t shown(const char *s, size_t n, size_t max)
{
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    return n;
}

/* The reader's structured error handler: libxml2's message becomes a diagnostic. */
static void on_xml_error(void *arg, xml_error_arg err)
{
    dx_xmlsafe *xs = arg;
    if (!err)
        return;
    int warning = err->level == XML_ERR_WARNING;
    if (!warning)
        (*xs->errors)++;
    if (xs->status != DX_OK || xs->xml_diags >= DX_XMLSAFE_MAX_DIAGS)
        return;
    xs->xml_diags++;
    /* one line: libxml2 puts a newline at the end and sometimes inside ("... Bytes: 0xE9") */
    const char *msg = err->message ? err->message : "unknown error";
    char line[256];
    size_t n = shown(msg, strlen(msg), sizeof line - 1);
    for (size_t i = 0; i < n; i++)
        line[i] = msg[i] == '\n' || msg[i] == '\r' ? ' ' : msg[i];
    while (n && is_space((unsigned char)line[n - 1]))
        n--;
    line[n] = '\0';
    dx_status st = dx_diags_add(xs->diags, warning ? DX_SEV_WARNING : DX_SEV_ERROR, xs->source,
                                err->line > 0 ? (unsigned long)err->line : 0, 0,
                                warning ? xs->spec->warning_code : xs->spec->malformed_code,
                                warning ? NULL : xs->spec->hint, "XML: %s", line);
    if (st != DX_OK)
        xs->status = st;
}

dx_status dx_xmlsafe_open(dx_xmlsafe *xs, const unsigned char *bytes, size_t len,
                          xmlTextReaderPtr *reader)
{
    *reader = NULL;
    dx_status st = check_prolog(xs, bytes, len);
    if (st != DX_OK)
        return st;
    if (len > INT_MAX)
        return DX_ERR_INVALID;
    /* UTF-8 whatever the declaration says, so that the byte scan above saw the prolog as
     * libxml2 will */
    *reader = xmlReaderForMemory((const char *)bytes, (int)len, NULL, "UTF-8",
                                 XML_PARSE_NONET | XML_PARSE_IGNORE_ENC);
    if (!*reader)
        return DX_ERR_NOMEM;
    xmlTextReaderSetStructuredErrorHandler(*reader, on_xml_error, xs);
    return DX_OK;
}
