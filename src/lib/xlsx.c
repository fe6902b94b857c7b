/*
 * xlsx.c — the .xlsx reader (see xlsx.h).
 *
 * How it works. An .xlsx file is a zip archive of XML members. libzip opens the archive
 * straight from the caller's buffer (zip_source_buffer_create + zip_open_from_source, with
 * ZIP_CHECKCONS so that local headers must agree with the central directory; an archive that
 * fails only that check, as libxlsxwriter's zip64 workbooks do, is opened again without it,
 * since only the central directory is read). Each member
 * we need is inflated with zip_fread, chunk by chunk, into a buffer of our own
 * (inflate_member): the size the archive declares is never used, so a member that lies about
 * its size is stopped by our count, not trusted. Three caps apply while inflating (xlsx.h,
 * dx_xlsx_limits): bytes per member, bytes per workbook, and the inflated / compressed ratio
 * once a member is past a floor: a deflate stream of one repeated byte inflates about 1000
 * times, real spreadsheet XML 4 to 30 times (METI's workbook: 4 to 15), so a bomb is refused
 * once it passes 200 times its compressed size, which bounds its memory by the size of the
 * file rather than by the 256 MB cap.
 *
 * The XML is read with libxml2's xmlTextReader, a pull parser that keeps only the current node
 * and its ancestors: options XML_PARSE_NONET (no network) and nothing that loads or
 * substitutes entities (no XML_PARSE_NOENT / DTDLOAD / DTDATTR); a document that has a DTD at
 * all is refused as soon as the reader reports its DOCTYPE node, and libxml2's own limits
 * (no XML_PARSE_HUGE) bound names and text nodes. libxml2's errors never reach stderr: a
 * structured error handler on each reader turns them into diagnostics with the XML line and
 * column. Elements are matched by local name, which also reads "strict" OOXML.
 *
 * Open reads, in order: xl/workbook.xml (sheet names and relationship ids),
 * xl/_rels/workbook.xml.rels (id → member, and where the shared strings are), the shared
 * strings (each <si> is the concatenation of its <t> texts, directly or in <r> runs; <rPh>
 * phonetic runs are skipped, "_xHHHH_" escapes decoded), and docProps/core.xml when present. Rows are read lazily:
 * dx_xlsx_rows_open inflates one sheet and dx_xlsx_rows_next delivers one <row> at a time, its
 * cell values in an arena reset at every row; shared-string cells point at the workbook's
 * copy. Member paths from relationships are resolved as strings ("xl/" + target, "." and
 * ".." folded) and only ever used to look a member up in the archive.
 */
#include "xlsx.h"

#include <libxml/xmlreader.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zip.h>

#include "alloc.h"
#include "arena.h"
#include "strbuf.h"

#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_arg;
#else
typedef xmlErrorPtr xml_error_arg;
#endif

#define INFLATE_CHUNK (64 * 1024)
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES)

static const char WORKBOOK[] = "xl/workbook.xml";
static const char WORKBOOK_RELS[] = "xl/_rels/workbook.xml.rels";
static const char CORE_PROPS[] = "docProps/core.xml";

typedef struct xlsx_sheet {
    const char *name;
    const char *rel_id;
    const char *member; /* NULL until the relationships are read */
} xlsx_sheet;

typedef struct shared {
    const char *text;
    size_t len;
} shared;

struct dx_xlsx {
    char *path;
    dx_diags *diags;
    dx_xlsx_limits limits;
    zip_t *zip;
    size_t archive_len; /* bytes of the whole file: no member's compressed size exceeds it */
    size_t inflated; /* bytes inflated so far, against limits.max_total */
    dx_arena arena;  /* names, members, shared strings, dates */
    xlsx_sheet *sheets;
    size_t n_sheets, cap_sheets;
    shared *shared;
    size_t n_shared, cap_shared;
    const char *shared_member; /* NULL when the workbook has none */
    const char *created, *modified;
};

/* ---- diagnostics ------------------------------------------------------------------------ */

/* Report an error about `member` (NULL: the whole archive) and return `st`, or DX_ERR_NOMEM
 * when the diagnostic could not be stored. */
static dx_status report(dx_xlsx *x, const char *member, unsigned long line, unsigned long col,
                        const char *code, dx_status st, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static dx_status report(dx_xlsx *x, const char *member, unsigned long line, unsigned long col,
                        const char *code, dx_status st, const char *fmt, ...)
{
    dx_strbuf msg = DX_STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    dx_status ms = member ? dx_strbuf_printf(&msg, "%s: ", member) : DX_OK;
    if (ms == DX_OK)
        ms = dx_strbuf_vprintf(&msg, fmt, ap);
    va_end(ap);
    if (ms == DX_OK)
        ms = dx_diags_add(x->diags, DX_SEV_ERROR, x->path, line, col, code, NULL, "%s",
                          msg.data);
    dx_strbuf_free(&msg);
    return ms == DX_OK ? st : DX_ERR_NOMEM;
}

/* ---- the archive ------------------------------------------------------------------------ */

/* Where the inflated size of a member stands against the caps; DX_OK or a reported error. */
static dx_status check_caps(dx_xlsx *x, const char *member, size_t len, zip_uint64_t comp)
{
    const dx_xlsx_limits *l = &x->limits;
    if (len > l->max_member)
        return report(x, member, 0, 0, "xlsx.member-too-large", DX_ERR_LIMIT,
                      "inflates to more than %zu bytes (cap)", l->max_member);
    if (x->inflated > l->max_total)
        return report(x, member, 0, 0, "xlsx.workbook-too-large", DX_ERR_LIMIT,
                      "the workbook inflates to more than %zu bytes in all (cap)", l->max_total);
    if (len > l->ratio_floor && len / (comp ? comp : 1) > l->max_ratio)
        return report(x, member, 0, 0, "xlsx.compression-ratio", DX_ERR_LIMIT,
                      "inflates more than %zu times its compressed size %llu: refused as a "
                      "likely zip bomb",
                      l->max_ratio, (unsigned long long)comp);
    return DX_OK;
}

/* The zip index of `member` (case-insensitive, as OPC part names are); -1 when absent. */
static zip_int64_t locate(dx_xlsx *x, const char *member)
{
    return zip_name_locate(x->zip, member, ZIP_FL_NOCASE);
}

/* Inflate the member at `index` into `out` (cleared first), under every cap. */
static dx_status inflate_member(dx_xlsx *x, zip_int64_t index, const char *member,
                                dx_strbuf *out)
{
    zip_stat_t zs;
    zip_file_t *f;
    zip_uint64_t comp = 0;
    if (zip_stat_index(x->zip, (zip_uint64_t)index, 0, &zs) == 0 && (zs.valid & ZIP_STAT_COMP_SIZE))
        comp = zs.comp_size;
    if (comp > x->archive_len)
        comp = x->archive_len; /* a declared size, so not trusted beyond what can be true */
    f = zip_fopen_index(x->zip, (zip_uint64_t)index, 0);
    if (!f)
        return report(x, member, 0, 0, "xlsx.zip", DX_ERR_INPUT, "cannot be read: %s",
                      zip_strerror(x->zip));
    dx_strbuf_reset(out);
    out->max = x->limits.max_member + 1; /* one byte past the cap tells that it was passed */
    dx_status st = DX_OK;
    for (;;) {
        size_t room = out->max - out->len;
        size_t want = room < INFLATE_CHUNK ? room : INFLATE_CHUNK;
        if ((st = dx_strbuf_reserve(out, want)) != DX_OK)
            break;
        zip_int64_t n = zip_fread(f, out->data + out->len, want);
        if (n < 0) {
            st = report(x, member, 0, 0, "xlsx.zip", DX_ERR_INPUT, "cannot be inflated: %s",
                        zip_file_strerror(f));
            break;
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
        out->data[out->len] = '\0';
        x->inflated += (size_t)n;
        if ((st = check_caps(x, member, out->len, comp)) != DX_OK)
            break;
    }
    zip_fclose(f);
    return st;
}

/* Inflate `member`; DX_ERR_NOT_FOUND (no diagnostic) when the archive has no such member. */
static dx_status read_member(dx_xlsx *x, const char *member, dx_strbuf *out)
{
    zip_int64_t index = locate(x, member);
    if (index < 0)
        return DX_ERR_NOT_FOUND;
    return inflate_member(x, index, member, out);
}

/* ---- XML -------------------------------------------------------------------------------- */

typedef struct xml_doc {
    dx_xlsx *x;
    const char *member;
    xmlTextReaderPtr reader;
    const char *buf; /* the member's text, for positions libxml2 does not keep */
    size_t len;
    int failed;       /* libxml2 reported an error */
    dx_status status; /* DX_ERR_NOMEM when a diagnostic could not be stored */
} xml_doc;

/* libxml2's structured error handler: every message becomes a diagnostic on the member. */
static void xml_error(void *arg, xml_error_arg err)
{
    xml_doc *d = arg;
    if (!err)
        return;
    const char *text = err->message ? err->message : "XML error";
    size_t len = strlen(text);
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
        len--;
    int warning = err->level == XML_ERR_WARNING;
    if (!warning)
        d->failed = 1;
    unsigned long line = err->line > 0 ? (unsigned long)err->line : 0;
    unsigned long col = err->int2 > 0 ? (unsigned long)err->int2 : 0;
    if (dx_diags_add(d->x->diags, warning ? DX_SEV_WARNING : DX_SEV_ERROR, d->x->path, line, col,
                     "xlsx.xml", NULL, "%s: %.*s", d->member, (int)len, text) != DX_OK)
        d->status = DX_ERR_NOMEM;
}

/* libxml2's direct messages (xmlGenericError: "xmlParseChunk: encoder error" and the like),
 * which bypass every structured handler: also diagnostics, never stderr. */
static void xml_generic_error(void *arg, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void xml_generic_error(void *arg, const char *fmt, ...)
{
    xml_doc *d = arg;
    char text[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    size_t len = n < 0 ? 0 : strlen(text);
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
        len--;
    if (len == 0)
        return;
    d->failed = 1;
    if (dx_diags_add(d->x->diags, DX_SEV_ERROR, d->x->path, 0, 0, "xlsx.xml", NULL, "%s: %.*s",
                     d->member, (int)len, text) != DX_OK)
        d->status = DX_ERR_NOMEM;
}

/*
 * Some libxml2 errors (encoding conversion, I/O) are raised without a parser context, so the
 * reader's handler never sees them and libxml2 prints them to stderr through its global
 * handlers. Those globals are per thread, so they are pointed at this document around every
 * call that parses, and put back afterwards.
 */
typedef struct xml_guard {
    xmlGenericErrorFunc generic;
    void *generic_ctx;
    xmlStructuredErrorFunc structured;
    void *structured_ctx;
} xml_guard;

static void guard_on(xml_doc *d, xml_guard *g)
{
    g->generic = xmlGenericError;
    g->generic_ctx = xmlGenericErrorContext;
    g->structured = xmlStructuredError;
    g->structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(d, xml_generic_error);
    xmlSetStructuredErrorFunc(d, xml_error);
}

static void guard_off(const xml_guard *g)
{
    xmlSetGenericErrorFunc(g->generic_ctx, g->generic);
    xmlSetStructuredErrorFunc(g->structured_ctx, g->structured);
}

/* Start reading `len` bytes of `buf` (which must outlive the reader) as XML. */
static dx_status xml_open(xml_doc *d, dx_xlsx *x, const char *member, const char *buf,
                          size_t len)
{
    memset(d, 0, sizeof *d);
    d->x = x;
    d->member = member;
    d->buf = buf;
    d->len = len;
    if (len > INT32_MAX)
        return report(x, member, 0, 0, "xlsx.member-too-large", DX_ERR_LIMIT,
                      "is too large for the XML reader");
    xml_guard guard;
    guard_on(d, &guard);
    d->reader = xmlReaderForMemory(buf, (int)len, NULL, NULL, XML_OPTIONS);
    guard_off(&guard);
    if (d->status != DX_OK)
        return d->status;
    if (!d->reader)
        return report(x, member, 0, 0, "xlsx.xml", DX_ERR_INPUT, "cannot be read as XML");
    xmlTextReaderSetStructuredErrorHandler(d->reader, xml_error, d);
    return DX_OK;
}

static void xml_close(xml_doc *d)
{
    if (d->reader)
        xmlFreeTextReader(d->reader);
    d->reader = NULL;
}

static unsigned long node_line(xml_doc *d)
{
    xmlNodePtr node = xmlTextReaderCurrentNode(d->reader);
    long line = node ? xmlGetLineNo(node) : -1;
    return line > 0 ? (unsigned long)line : 0;
}

/* The line where "<!DOCTYPE" starts (the reader is past the internal subset when it says). */
static unsigned long doctype_line(const xml_doc *d)
{
    unsigned long line = 1;
    for (size_t i = 0; i + 9 <= d->len && memcmp(d->buf + i, "<!DOCTYPE", 9); i++)
        line += d->buf[i] == '\n';
    return line;
}

/* Advance to the next node: DX_OK with *more = 1 on a node, 0 at the end; an error after a
 * libxml2 error (already reported) or on a DTD. */
static dx_status xml_next(xml_doc *d, int *more)
{
    xml_guard guard;
    guard_on(d, &guard);
    int rc = xmlTextReaderRead(d->reader);
    guard_off(&guard);
    if (d->status != DX_OK)
        return d->status;
    if (rc < 0 || d->failed) {
        if (!d->failed)
            return report(d->x, d->member, 0, 0, "xlsx.xml", DX_ERR_INPUT,
                          "is not well-formed XML");
        return DX_ERR_INPUT;
    }
    *more = rc == 1;
    if (rc == 1 && xmlTextReaderNodeType(d->reader) == XML_READER_TYPE_DOCUMENT_TYPE)
        return report(d->x, d->member, doctype_line(d), 0, "xlsx.dtd", DX_ERR_INPUT, "has a DTD (<!DOCTYPE>), which is refused");
    return DX_OK;
}

static int node_type(xml_doc *d)
{
    return xmlTextReaderNodeType(d->reader);
}

static int is_element(xml_doc *d, const char *local)
{
    const xmlChar *name = xmlTextReaderConstLocalName(d->reader);
    return node_type(d) == XML_READER_TYPE_ELEMENT && name && !strcmp((const char *)name, local);
}

static int is_end_at(xml_doc *d, int depth)
{
    return node_type(d) == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(d->reader) == depth;
}

static int is_text(xml_doc *d)
{
    int t = node_type(d);
    return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
           t == XML_READER_TYPE_WHITESPACE || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

static int is_open_element(xml_doc *d)
{
    return node_type(d) == XML_READER_TYPE_ELEMENT && !xmlTextReaderIsEmptyElement(d->reader);
}

/*
 * Collect the text of the element the reader is on, up to its end tag. `rich` (an <si> or an
 * <is>): only text inside <t> elements counts, and <rPh> phonetic runs are skipped whole;
 * otherwise (a <v>, a date) every text node counts. Appends to `out`.
 */
static dx_status collect_text(xml_doc *d, int rich, dx_strbuf *out)
{
    if (!is_open_element(d))
        return DX_OK;
    int depth = xmlTextReaderDepth(d->reader);
    int skip_depth = -1, t_depth = -1, more = 1;
    dx_status st;
    while ((st = xml_next(d, &more)) == DX_OK && more && !is_end_at(d, depth)) {
        int at = xmlTextReaderDepth(d->reader);
        if (skip_depth >= 0) {
            if (is_end_at(d, skip_depth))
                skip_depth = -1;
        } else if (rich && is_element(d, "rPh") && is_open_element(d)) {
            skip_depth = at;
        } else if (rich && is_element(d, "t") && is_open_element(d)) {
            t_depth = at;
        } else if (rich && is_end_at(d, t_depth)) {
            t_depth = -1;
        } else if (is_text(d) && (!rich || t_depth >= 0)) {
            const char *v = (const char *)xmlTextReaderConstValue(d->reader);
            if (v && (st = dx_strbuf_append(out, v, strlen(v))) != DX_OK)
                break;
        }
    }
    if (st == DX_OK && !more)
        st = report(d->x, d->member, 0, 0, "xlsx.xml", DX_ERR_INPUT, "ends inside an element");
    return st;
}

static int hex4(const char *s, unsigned *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0'
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                       : -1;
        if (d < 0)
            return 0;
        *v = *v * 16 + (unsigned)d;
    }
    return 1;
}

/*
 * OOXML writes characters that XML cannot carry (control characters) as "_xHHHH_"
 * (ECMA-376 ST_Xstring), and a literal "_x" as "_x005F_x". Decoded in place: an escape is 7
 * bytes and its character at most 3. _x0000_ and surrogates are dropped.
 */
static void decode_xstring(dx_strbuf *b)
{
    if (!b->data || !memchr(b->data, '_', b->len))
        return;
    size_t o = 0;
    for (size_t i = 0; i < b->len;) {
        unsigned v;
        if (b->data[i] != '_' || i + 7 > b->len || b->data[i + 1] != 'x' ||
            !hex4(b->data + i + 2, &v) || b->data[i + 6] != '_') {
            b->data[o++] = b->data[i++];
            continue;
        }
        i += 7;
        if (v == 0 || (v >= 0xD800 && v <= 0xDFFF))
            continue;
        if (v < 0x80) {
            b->data[o++] = (char)v;
        } else if (v < 0x800) {
            b->data[o++] = (char)(0xC0 | (v >> 6));
            b->data[o++] = (char)(0x80 | (v & 0x3F));
        } else {
            b->data[o++] = (char)(0xE0 | (v >> 12));
            b->data[o++] = (char)(0x80 | ((v >> 6) & 0x3F));
            b->data[o++] = (char)(0x80 | (v & 0x3F));
        }
    }
    b->len = o;
    b->data[o] = '\0';
}

/* A copy of an attribute of the current element into the workbook arena; NULL when absent
 * (*st = DX_OK) or out of memory (*st = DX_ERR_NOMEM). */
static const char *attr_copy(xml_doc *d, const char *name, const char *ns, dx_status *st)
{
    xmlChar *v = ns ? xmlTextReaderGetAttributeNs(d->reader, (const xmlChar *)name,
                                                  (const xmlChar *)ns)
                    : xmlTextReaderGetAttribute(d->reader, (const xmlChar *)name);
    *st = DX_OK;
    if (!v)
        return NULL;
    const char *copy = dx_arena_strndup(&d->x->arena, (const char *)v, strlen((char *)v));
    xmlFree(v);
    if (!copy)
        *st = DX_ERR_NOMEM;
    return copy;
}

/* Run `fn` on every node of a whole member. */
typedef dx_status (*node_fn)(xml_doc *d, void *ctx);

static dx_status xml_walk(dx_xlsx *x, const char *member, const dx_strbuf *xml, node_fn fn,
                          void *ctx)
{
    xml_doc d;
    dx_status st = xml_open(&d, x, member, xml->data ? xml->data : "", xml->len);
    int more = 1;
    while (st == DX_OK && (st = xml_next(&d, &more)) == DX_OK && more)
        st = fn(&d, ctx);
    xml_close(&d);
    return st;
}

/* ---- workbook, relationships, shared strings, core properties --------------------------- */

static const char *const REL_NS[] = {
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
};

static dx_status on_workbook_node(xml_doc *d, void *ctx)
{
    dx_xlsx *x = d->x;
    (void)ctx;
    if (!is_element(d, "sheet") || xmlTextReaderDepth(d->reader) != 2)
        return DX_OK;
    dx_status st;
    xlsx_sheet s = {NULL, NULL, NULL};
    s.name = attr_copy(d, "name", NULL, &st);
    for (size_t i = 0; st == DX_OK && !s.rel_id && i < 2; i++)
        s.rel_id = attr_copy(d, "id", REL_NS[i], &st);
    if (st != DX_OK)
        return st;
    if (!s.name || !s.rel_id)
        return report(x, d->member, node_line(d), 0, "xlsx.sheet", DX_ERR_INPUT,
                      "a <sheet> has no %s", s.name ? "r:id" : "name");
    if (x->n_sheets == x->cap_sheets) {
        size_t cap = dx_grow_cap(x->cap_sheets, x->n_sheets + 1, SIZE_MAX / sizeof(xlsx_sheet));
        xlsx_sheet *grown = cap ? dx_realloc(x->sheets, cap * sizeof *grown) : NULL;
        if (!grown)
            return DX_ERR_NOMEM;
        x->sheets = grown;
        x->cap_sheets = cap;
    }
    x->sheets[x->n_sheets++] = s;
    return DX_OK;
}

/* "xl/" + target with "." and ".." folded; a target starting with '/' is from the root. */
static const char *resolve_target(dx_xlsx *x, const char *target)
{
    size_t n = strlen(target);
    char *out = dx_arena_alloc(&x->arena, n + 4);
    if (!out)
        return NULL;
    size_t o = 0;
    if (target[0] == '/')
        target++;
    else
        o = (size_t)sprintf(out, "xl/");
    while (*target) {
        size_t seg = strcspn(target, "/");
        if (seg == 2 && !strncmp(target, "..", 2)) {
            while (o > 0 && out[o - 1] == '/')
                o--;
            while (o > 0 && out[o - 1] != '/')
                o--;
        } else if (seg > 0 && !(seg == 1 && target[0] == '.')) {
            memcpy(out + o, target, seg);
            o += seg;
            if (target[seg] == '/')
                out[o++] = '/';
        }
        target += seg + (target[seg] == '/');
    }
    out[o] = '\0';
    return out;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

static dx_status on_rels_node(xml_doc *d, void *ctx)
{
    dx_xlsx *x = d->x;
    (void)ctx;
    if (!is_element(d, "Relationship"))
        return DX_OK;
    dx_status st;
    const char *id = attr_copy(d, "Id", NULL, &st);
    const char *type = st == DX_OK ? attr_copy(d, "Type", NULL, &st) : NULL;
    const char *target = st == DX_OK ? attr_copy(d, "Target", NULL, &st) : NULL;
    const char *mode = st == DX_OK ? attr_copy(d, "TargetMode", NULL, &st) : NULL;
    if (st != DX_OK || !id || !type || !target || (mode && !strcmp(mode, "External")))
        return st;
    const char *member = NULL;
    if (ends_with(type, "/worksheet") || ends_with(type, "/sharedStrings")) {
        if (!(member = resolve_target(x, target)))
            return DX_ERR_NOMEM;
    }
    if (ends_with(type, "/sharedStrings") && !x->shared_member)
        x->shared_member = member;
    for (size_t i = 0; member && ends_with(type, "/worksheet") && i < x->n_sheets; i++) {
        if (!x->sheets[i].member && !strcmp(x->sheets[i].rel_id, id))
            x->sheets[i].member = member;
    }
    return DX_OK;
}

static dx_status add_shared(dx_xlsx *x, const dx_strbuf *text)
{
    if (x->n_shared == x->cap_shared) {
        size_t cap = dx_grow_cap(x->cap_shared, x->n_shared + 1, SIZE_MAX / sizeof(shared));
        shared *grown = cap ? dx_realloc(x->shared, cap * sizeof *grown) : NULL;
        if (!grown)
            return DX_ERR_NOMEM;
        x->shared = grown;
        x->cap_shared = cap;
    }
    char *copy = dx_arena_strndup(&x->arena, text->data ? text->data : "", text->len);
    if (!copy)
        return DX_ERR_NOMEM;
    x->shared[x->n_shared++] = (shared){copy, text->len};
    return DX_OK;
}

static dx_status on_shared_node(xml_doc *d, void *ctx)
{
    dx_strbuf *text = ctx;
    if (!is_element(d, "si") || xmlTextReaderDepth(d->reader) != 1)
        return DX_OK;
    dx_strbuf_reset(text);
    dx_status st = collect_text(d, 1, text);
    decode_xstring(text);
    return st == DX_OK ? add_shared(d->x, text) : st;
}

static dx_status on_core_node(xml_doc *d, void *ctx)
{
    dx_strbuf *text = ctx;
    dx_xlsx *x = d->x;
    const char **field = is_element(d, "created")    ? &x->created
                         : is_element(d, "modified") ? &x->modified
                                                     : NULL;
    if (!field || *field)
        return DX_OK;
    dx_strbuf_reset(text);
    dx_status st = collect_text(d, 0, text);
    if (st == DX_OK && !(*field = dx_arena_strndup(&x->arena, text->data ? text->data : "",
                                                   text->len)))
        st = DX_ERR_NOMEM;
    return st;
}

/* Read a required member and walk it. */
static dx_status walk_member(dx_xlsx *x, const char *member, int required, dx_strbuf *xml,
                             node_fn fn, void *ctx)
{
    dx_status st = read_member(x, member, xml);
    if (st == DX_ERR_NOT_FOUND && required)
        return report(x, member, 0, 0, "xlsx.missing-member", DX_ERR_INPUT,
                      "is missing: this is not an .xlsx workbook");
    if (st == DX_ERR_NOT_FOUND)
        return DX_OK;
    return st == DX_OK ? xml_walk(x, member, xml, fn, ctx) : st;
}

static dx_status read_parts(dx_xlsx *x)
{
    dx_strbuf xml = DX_STRBUF_INIT, text = DX_STRBUF_INIT;
    dx_status st = walk_member(x, WORKBOOK, 1, &xml, on_workbook_node, NULL);
    if (st == DX_OK)
        st = walk_member(x, WORKBOOK_RELS, 1, &xml, on_rels_node, NULL);
    for (size_t i = 0; st == DX_OK && i < x->n_sheets; i++) {
        if (!x->sheets[i].member)
            st = report(x, WORKBOOK_RELS, 0, 0, "xlsx.sheet", DX_ERR_INPUT,
                        "sheet '%s' (%s) has no worksheet relationship", x->sheets[i].name,
                        x->sheets[i].rel_id);
    }
    if (st == DX_OK && !x->shared_member && locate(x, "xl/sharedStrings.xml") >= 0)
        x->shared_member = "xl/sharedStrings.xml";
    if (st == DX_OK && x->shared_member)
        st = walk_member(x, x->shared_member, 1, &xml, on_shared_node, &text);
    if (st == DX_OK)
        st = walk_member(x, CORE_PROPS, 0, &xml, on_core_node, &text);
    dx_strbuf_free(&xml);
    dx_strbuf_free(&text);
    return st;
}

static dx_status open_archive(dx_xlsx *x, const unsigned char *bytes, size_t len)
{
    static const unsigned char empty[1] = {0};
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(len ? bytes : empty, len, 0, &err);
    if (src) {
        x->zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
        if (!x->zip && zip_error_code_zip(&err) == ZIP_ER_INCONS) {
            /* libxlsxwriter (our own audit workbook, with use_zip64) writes zip64 extra fields
             * in the local headers only, which the consistency check refuses. Everything is
             * read through the central directory and every member stays under the caps, so
             * the archive is read without that check. */
            zip_error_fini(&err);
            zip_error_init(&err);
            x->zip = zip_open_from_source(src, ZIP_RDONLY, &err);
        }
        if (!x->zip)
            zip_source_free(src);
    }
    dx_status st = DX_OK;
    if (!x->zip) {
        st = zip_error_code_zip(&err) == ZIP_ER_MEMORY ? DX_ERR_NOMEM : DX_ERR_INPUT;
        if (st == DX_ERR_INPUT)
            st = report(x, NULL, 0, 0, "xlsx.zip", DX_ERR_INPUT,
                        "not a readable .xlsx (zip) file: %s", zip_error_strerror(&err));
    }
    zip_error_fini(&err);
    return st;
}

static void fill_limits(dx_xlsx_limits *l, const dx_xlsx_limits *given)
{
    dx_xlsx_limits none = {0, 0, 0, 0};
    if (!given)
        given = &none;
    l->max_member = given->max_member ? given->max_member : DX_XLSX_MAX_MEMBER;
    if (l->max_member > SIZE_MAX / 4)
        l->max_member = SIZE_MAX / 4; /* leaves room for the one byte past it */
    l->max_total = given->max_total ? given->max_total : DX_XLSX_MAX_TOTAL;
    l->max_ratio = given->max_ratio ? given->max_ratio : DX_XLSX_MAX_RATIO;
    l->ratio_floor = given->ratio_floor ? given->ratio_floor : DX_XLSX_RATIO_FLOOR;
}

dx_status dx_xlsx_open(const unsigned char *bytes, size_t len, const char *path,
                       const dx_xlsx_limits *limits, dx_diags *diags, dx_xlsx **out)
{
    if ((!bytes && len) || !diags || !out)
        return DX_ERR_INVALID;
    xmlInitParser();
    dx_xlsx *x = dx_calloc(1, sizeof *x);
    if (!x)
        return DX_ERR_NOMEM;
    x->diags = diags;
    x->archive_len = len;
    fill_limits(&x->limits, limits);
    x->path = dx_strdup(path ? path : "");
    dx_status st = x->path ? open_archive(x, bytes, len) : DX_ERR_NOMEM;
    if (st == DX_OK)
        st = read_parts(x);
    if (st != DX_OK) {
        dx_xlsx_free(x);
        return st;
    }
    *out = x;
    return DX_OK;
}

void dx_xlsx_free(dx_xlsx *x)
{
    if (!x)
        return;
    if (x->zip)
        zip_discard(x->zip);
    dx_arena_free(&x->arena);
    dx_free(x->sheets);
    dx_free(x->shared);
    dx_free(x->path);
    dx_free(x);
}

size_t dx_xlsx_sheet_count(const dx_xlsx *x)
{
    return x ? x->n_sheets : 0;
}

const char *dx_xlsx_sheet_name(const dx_xlsx *x, size_t i)
{
    return x && i < x->n_sheets ? x->sheets[i].name : NULL;
}

const char *dx_xlsx_sheet_member(const dx_xlsx *x, size_t i)
{
    return x && i < x->n_sheets ? x->sheets[i].member : NULL;
}

dx_status dx_xlsx_sheet_find(const dx_xlsx *x, const char *name, size_t *index)
{
    for (size_t i = 0; x && name && i < x->n_sheets; i++) {
        if (!strcmp(x->sheets[i].name, name)) {
            *index = i;
            return DX_OK;
        }
    }
    return DX_ERR_NOT_FOUND;
}

const char *dx_xlsx_created(const dx_xlsx *x)
{
    return x ? x->created : NULL;
}

const char *dx_xlsx_modified(const dx_xlsx *x)
{
    return x ? x->modified : NULL;
}

size_t dx_xlsx_shared_count(const dx_xlsx *x)
{
    return x ? x->n_shared : 0;
}

/* ---- rows ------------------------------------------------------------------------------- */

struct dx_xlsx_rows {
    dx_xlsx *x;
    const char *member;
    dx_strbuf xml;    /* the inflated sheet; the reader reads from it */
    xml_doc doc;
    int in_sheet_data;
    dx_arena arena;   /* values of the current row */
    dx_strbuf text;   /* scratch for one value */
    dx_xlsx_cell *cells;
    size_t n_cells, cap_cells;
    dx_xlsx_row row;
    unsigned long last_row;
    dx_status status; /* sticky: once not DX_OK, every call returns it */
    int done;
};

unsigned dx_xlsx_parse_ref(const char *ref, unsigned long *row_out)
{
    unsigned long col = 0, row = 0;
    size_t i = 0;
    for (; ref[i] >= 'A' && ref[i] <= 'Z' && i < 3; i++)
        col = col * 26 + (unsigned long)(ref[i] - 'A' + 1);
    size_t letters = i;
    for (; ref[i] >= '0' && ref[i] <= '9' && row <= DX_XLSX_MAX_ROW; i++)
        row = row * 10 + (unsigned long)(ref[i] - '0');
    if (!letters || i == letters || ref[i] || ref[letters] == '0' || col > 16384 || row < 1 ||
        row > DX_XLSX_MAX_ROW)
        return 0;
    if (row_out)
        *row_out = row;
    return (unsigned)col;
}

dx_status dx_xlsx_rows_open(dx_xlsx *x, size_t sheet, dx_xlsx_rows **out)
{
    if (!x || !out || sheet >= x->n_sheets)
        return DX_ERR_INVALID;
    dx_xlsx_rows *it = dx_calloc(1, sizeof *it);
    if (!it)
        return DX_ERR_NOMEM;
    it->x = x;
    it->member = x->sheets[sheet].member;
    it->text.max = x->limits.max_member;
    dx_status st = read_member(x, it->member, &it->xml);
    if (st == DX_ERR_NOT_FOUND)
        st = report(x, it->member, 0, 0, "xlsx.missing-member", DX_ERR_INPUT,
                    "is missing (sheet '%s')", x->sheets[sheet].name);
    if (st == DX_OK)
        st = xml_open(&it->doc, x, it->member, it->xml.data ? it->xml.data : "", it->xml.len);
    if (st != DX_OK) {
        dx_xlsx_rows_free(it);
        return st;
    }
    *out = it;
    return DX_OK;
}

void dx_xlsx_rows_free(dx_xlsx_rows *it)
{
    if (!it)
        return;
    xml_close(&it->doc);
    dx_strbuf_free(&it->xml);
    dx_strbuf_free(&it->text);
    dx_arena_free(&it->arena);
    dx_free(it->cells);
    dx_free(it);
}

/* Parse a decimal attribute value in 1..max; 0 when it is not one. */
static unsigned long parse_index(const char *s, unsigned long max)
{
    unsigned long v = 0;
    size_t i = 0;
    for (; s[i] >= '0' && s[i] <= '9' && v <= max; i++)
        v = v * 10 + (unsigned long)(s[i] - '0');
    return (i == 0 || s[i] || v > max) ? 0 : v;
}

static int cell_type(const char *t, dx_xlsx_cell_type *type, int *shared_index)
{
    static const struct {
        const char *name;
        dx_xlsx_cell_type type;
    } types[] = {{"s", DX_XLSX_TEXT},   {"inlineStr", DX_XLSX_TEXT}, {"str", DX_XLSX_TEXT},
                 {"n", DX_XLSX_NUMBER}, {"b", DX_XLSX_BOOL},         {"e", DX_XLSX_ERROR},
                 {"d", DX_XLSX_DATE}};
    *shared_index = t && !strcmp(t, "s");
    if (!t) {
        *type = DX_XLSX_NUMBER;
        return 1;
    }
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        if (!strcmp(t, types[i].name)) {
            *type = types[i].type;
            return 1;
        }
    }
    return 0;
}

/* An attribute of the current element, as libxml2 gives it (caller xmlFrees). */
static char *attr(xml_doc *d, const char *name)
{
    return (char *)xmlTextReaderGetAttribute(d->reader, (const xmlChar *)name);
}

/* Collect the value of the <c> the reader is on into it->text: *has_value when it had a <v>
 * or an <is>. */
static dx_status cell_value(dx_xlsx_rows *it, int *has_value)
{
    xml_doc *d = &it->doc;
    *has_value = 0;
    dx_strbuf_reset(&it->text);
    if (!is_open_element(d))
        return DX_OK;
    int depth = xmlTextReaderDepth(d->reader), more = 1;
    dx_status st;
    while ((st = xml_next(d, &more)) == DX_OK && more && !is_end_at(d, depth)) {
        if (xmlTextReaderDepth(d->reader) != depth + 1)
            continue;
        int rich = is_element(d, "is");
        if (rich || is_element(d, "v")) {
            *has_value = 1;
            if ((st = collect_text(d, rich, &it->text)) != DX_OK)
                break;
        }
    }
    if (st == DX_OK && !more)
        st = report(it->x, d->member, 0, 0, "xlsx.xml", DX_ERR_INPUT, "ends inside a cell");
    return st;
}

static dx_status push_cell(dx_xlsx_rows *it, const dx_xlsx_cell *cell)
{
    if (it->n_cells == DX_XLSX_MAX_CELLS_PER_ROW)
        return report(it->x, it->member, cell->line, 0, "xlsx.too-many-cells", DX_ERR_LIMIT,
                      "row %lu has more than %u cells", cell->row, DX_XLSX_MAX_CELLS_PER_ROW);
    if (it->n_cells == it->cap_cells) {
        size_t cap = dx_grow_cap(it->cap_cells, it->n_cells + 1, DX_XLSX_MAX_CELLS_PER_ROW);
        dx_xlsx_cell *grown = cap ? dx_realloc(it->cells, cap * sizeof *grown) : NULL;
        if (!grown)
            return DX_ERR_NOMEM;
        it->cells = grown;
        it->cap_cells = cap;
    }
    it->cells[it->n_cells++] = *cell;
    return DX_OK;
}

/* A shared-string index: decimal digits only, below `n`. */
static int parse_shared_index(const char *s, size_t n, size_t *out)
{
    size_t v = 0, i = 0;
    for (; s[i] >= '0' && s[i] <= '9'; i++) {
        if (v > n)
            return 0;
        v = v * 10 + (size_t)(s[i] - '0');
    }
    if (i == 0 || s[i] || v >= n)
        return 0;
    *out = v;
    return 1;
}

/* The value of a cell of type t="s": the shared string its <v> indexes. */
static dx_status shared_value(dx_xlsx_rows *it, dx_xlsx_cell *cell, const char *ref)
{
    const char *v = it->text.data ? it->text.data : "";
    size_t i;
    if (!parse_shared_index(v, it->x->n_shared, &i))
        return report(it->x, it->member, cell->line, 0, "xlsx.shared-string", DX_ERR_INPUT,
                      "cell %s refers to shared string '%.20s', but there are %zu", ref, v,
                      it->x->n_shared);
    cell->value = it->x->shared[i].text;
    cell->len = it->x->shared[i].len;
    return DX_OK;
}

/* Read the <c> the reader is on and add it to the row when it has a value. */
static dx_status read_cell(dx_xlsx_rows *it, unsigned *last_col)
{
    xml_doc *d = &it->doc;
    dx_xlsx_cell cell = {it->row.number, 0, DX_XLSX_TEXT, "", 0, node_line(d)};
    char *ref = attr(d, "r"), *t = attr(d, "t");
    int shared_index = 0, has_value = 0;
    unsigned long ref_row = it->row.number;
    dx_status st = DX_OK;
    cell.column = ref ? dx_xlsx_parse_ref(ref, &ref_row) : *last_col + 1;
    if (!cell.column || cell.column > 16384 || ref_row != it->row.number)
        st = report(it->x, d->member, cell.line, 0, "xlsx.cell-ref", DX_ERR_INPUT,
                    "cell reference '%.20s' is not a cell of row %lu", ref ? ref : "(none)",
                    it->row.number);
    else if (!cell_type(t, &cell.type, &shared_index))
        st = report(it->x, d->member, cell.line, 0, "xlsx.cell-type", DX_ERR_INPUT,
                    "cell %s has an unknown type t=\"%.20s\"", ref ? ref : "", t);
    *last_col = cell.column;
    if (st == DX_OK)
        st = cell_value(it, &has_value);
    if (st == DX_OK && has_value && shared_index) {
        st = shared_value(it, &cell, ref ? ref : "");
    } else if (st == DX_OK && has_value) {
        if (cell.type == DX_XLSX_TEXT)
            decode_xstring(&it->text);
        cell.len = it->text.len;
        cell.value = dx_arena_strndup(&it->arena, it->text.data ? it->text.data : "", cell.len);
        st = cell.value ? DX_OK : DX_ERR_NOMEM;
    }
    if (st == DX_OK && has_value)
        st = push_cell(it, &cell);
    xmlFree(ref);
    xmlFree(t);
    return st;
}

/* Read the <row> the reader is on into it->row. */
static dx_status read_row(dx_xlsx_rows *it)
{
    xml_doc *d = &it->doc;
    dx_arena_reset(&it->arena);
    it->n_cells = 0;
    it->row.line = node_line(d);
    char *r = attr(d, "r");
    unsigned long number = r ? parse_index(r, DX_XLSX_MAX_ROW) : it->last_row + 1;
    xmlFree(r);
    if (!number || number > DX_XLSX_MAX_ROW)
        return report(it->x, d->member, it->row.line, 0, "xlsx.row-number", DX_ERR_INPUT,
                      "a <row> has no valid row number (after row %lu)", it->last_row);
    it->row.number = it->last_row = number;
    if (!is_open_element(d))
        return DX_OK;
    int depth = xmlTextReaderDepth(d->reader), more = 1;
    unsigned last_col = 0;
    dx_status st;
    while ((st = xml_next(d, &more)) == DX_OK && more && !is_end_at(d, depth)) {
        if (is_element(d, "c") && xmlTextReaderDepth(d->reader) == depth + 1 &&
            (st = read_cell(it, &last_col)) != DX_OK)
            break;
    }
    if (st == DX_OK && !more)
        st = report(it->x, d->member, 0, 0, "xlsx.xml", DX_ERR_INPUT, "ends inside a row");
    return st;
}

dx_status dx_xlsx_rows_next(dx_xlsx_rows *it, const dx_xlsx_row **row)
{
    if (!it || !row)
        return DX_ERR_INVALID;
    *row = NULL;
    if (it->status != DX_OK || it->done)
        return it->status;
    xml_doc *d = &it->doc;
    int more = 1;
    dx_status st;
    while ((st = xml_next(d, &more)) == DX_OK && more) {
        int depth = xmlTextReaderDepth(d->reader);
        if (depth == 1 && is_element(d, "sheetData"))
            it->in_sheet_data = is_open_element(d);
        else if (depth == 1 && is_end_at(d, 1))
            it->in_sheet_data = 0;
        else if (it->in_sheet_data && depth == 2 && is_element(d, "row"))
            break;
    }
    if (st == DX_OK && more)
        st = read_row(it);
    it->status = st;
    if (st != DX_OK || !more) {
        it->done = 1;
        return st;
    }
    it->row.cells = it->cells;
    it->row.n_cells = it->n_cells;
    *row = &it->row;
    return DX_OK;
}
