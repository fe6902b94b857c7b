/*
 * xmlsafe.h — reading an outside XML file with libxml2 without giving it any power it does
 * not need (internal; used by import_un.c and import_jp_export_order.c).
 *
 * What it guards against, and why:
 *  - "Billion laughs" and external entities. A DTD is the only way into entity expansion
 *    (nested entities that grow a few bytes into gigabytes) and into external entities
 *    (SYSTEM "file:///etc/passwd", or an http URL). The lists we read never carry a DTD, so a
 *    document that declares one is refused outright: the prolog is scanned for "<!DOCTYPE"
 *    before libxml2 sees a byte, so no declaration is ever parsed. For that scan to see what
 *    libxml2 will see, the reader reads the bytes as UTF-8 whatever the XML declaration says
 *    (encoding "UTF-8" and XML_PARSE_IGNORE_ENC); UTF-16/32 input is refused by the scan, and
 *    a declared encoding cannot hide a DOCTYPE ("+ADw-!DOCTYPE" in UTF-7). Callers still
 *    refuse the reader's DOCUMENT_TYPE node, as a backstop should the two ever differ.
 *  - The network and the file system. The reader gets XML_PARSE_NONET and none of
 *    XML_PARSE_NOENT / DTDLOAD / DTDATTR / DTDVALID / XINCLUDE / HUGE: no network, no entity
 *    substitution, no external DTD, libxml2's default limits on names, text and depth.
 *  - stderr. The library never prints. A structured error handler on the reader turns
 *    libxml2's messages into diagnostics (flattened to one line, with the XML line), at most
 *    DX_XMLSAFE_MAX_DIAGS per file; the thread's generic error function, which a few messages
 *    reach without a parser context, is silenced between dx_xmlsafe_begin and dx_xmlsafe_end
 *    and restored after (libxml2 keeps it per thread, so other threads are not affected).
 *  - Global state. xmlInitParser runs once per process (pthread_once); xmlCleanupParser is
 *    never called, since other code in the process may use libxml2.
 *
 * Use:
 *   static const dx_xmlsafe_spec spec = {...codes and messages of the importer...};
 *   dx_xmlsafe xs;
 *   dx_xmlsafe_init(&xs, &spec, im->diags, path, &errors);
 *   dx_xmlsafe_begin(&xs);
 *   st = dx_xmlsafe_open(&xs, bytes, len, &reader);  // prolog checks, then the reader
 *   while (st == DX_OK && xs.status == DX_OK && xmlTextReaderRead(reader) == 1) ...
 *   dx_xmlsafe_end(&xs);
 */
#ifndef DX_XMLSAFE_H
#define DX_XMLSAFE_H

#include <stddef.h>

#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#include "dexcheck/diag.h"
#include "dexcheck/status.h"

#define DX_XMLSAFE_MAX_DIAGS 50 /* messages taken from libxml2 per file */

/* What the diagnostics of one importer say (all strings static). */
typedef struct dx_xmlsafe_spec {
    const char *encoding_code;    /* a UTF-16/32 file, e.g. "un.encoding" (line 1) */
    const char *encoding_message;
    const char *dtd_code;         /* a DOCTYPE in the prolog, e.g. "un.dtd" */
    const char *dtd_message;
    const char *malformed_code;   /* a libxml2 error, e.g. "un.malformed-xml" */
    const char *warning_code;     /* a libxml2 warning, e.g. "un.xml-warning" (no hint) */
    const char *hint;             /* the hint of DTD and libxml2 errors */
} dx_xmlsafe_spec;

typedef struct dx_xmlsafe {
    const dx_xmlsafe_spec *spec;
    dx_diags *diags;
    const char *source;           /* the file path, for diagnostics */
    unsigned long *errors;        /* the caller's error count: +1 per error reported here */
    unsigned long xml_diags;      /* messages taken from libxml2 */
    dx_status status;             /* DX_ERR_NOMEM when a libxml2 message could not be kept */
    xmlGenericErrorFunc saved_generic;
    void *saved_generic_ctx;
} dx_xmlsafe;

/* Sets up `xs` for one file; `errors` is the caller's count of error diagnostics. */
void dx_xmlsafe_init(dx_xmlsafe *xs, const dx_xmlsafe_spec *spec, dx_diags *diags,
                     const char *source, unsigned long *errors);

/* Initialises libxml2 (once per process) and silences this thread's generic error function;
 * dx_xmlsafe_end restores it. All parsing of the file goes between the two. */
void dx_xmlsafe_begin(dx_xmlsafe *xs);
void dx_xmlsafe_end(dx_xmlsafe *xs);

/*
 * The checks on the bytes (UTF-8, no DOCTYPE in the prolog), then a reader over them (UTF-8,
 * XML_PARSE_NONET | XML_PARSE_IGNORE_ENC) whose errors go to diagnostics through `xs`. The
 * bytes must outlive the reader; the caller frees it (xmlFreeTextReader). DX_OK with *reader
 * set; DX_ERR_INPUT when the file is refused (reported); DX_ERR_NOMEM; DX_ERR_INVALID when
 * `len` is past INT_MAX. While reading, a non-DX_OK xs->status stops the import.
 */
dx_status dx_xmlsafe_open(dx_xmlsafe *xs, const unsigned char *bytes, size_t len,
                          xmlTextReaderPtr *reader);

#endif
