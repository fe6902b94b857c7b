/*
 * import.h — what a list importer gets and gives (internal).
 *
 * An importer is a function over the files of one publication (OFAC's four CSV files, one CSL
 * CSV, one xlsx, ...). It builds each entry with the entry builder (entry.h) and hands it to
 * im->emit. Problems go to im->diags with file:line (or file:row / XML line); an importer
 * reports every problem it can and returns DX_ERR_INPUT when there was any error, so that the
 * store keeps nothing of that import. It never prints, never exits, and bounds what it reads.
 */
#ifndef DX_IMPORT_H
#define DX_IMPORT_H

#include <stddef.h>

#include "dexcheck/lists.h"
#include "entry.h"

typedef struct dx_import_file {
    const char *path;           /* as given, for diagnostics */
    const char *name;           /* base name, e.g. "sdn.csv" */
    const unsigned char *bytes; /* the whole file */
    size_t len;
} dx_import_file;

typedef struct dx_import {
    dx_diags *diags;
    dx_entry_builder *builder;
    dx_entry_fn emit;             /* call with dx_entry_finish(builder) for each entry */
    void *emit_ctx;
    const dx_countries *countries;
    char publication_date[11];    /* YYYY-MM-DD when the publication carries one, else "" */
    char *meta; /* JSON object of the publication's data that belongs to no entry (e.g. the
                   Country Chart's all-destinations entries); set by the importer with memory
                   from dx_malloc, stored with the version, freed by the caller; NULL = none */
} dx_import;

typedef dx_status (*dx_import_fn)(dx_import *im, const dx_import_file *files, size_t n_files);

/* The importers (one file each: import_ofac.c, import_csl.c, ...). */
dx_status dx_import_ofac(dx_import *im, const dx_import_file *files, size_t n_files);
dx_status dx_import_csl(dx_import *im, const dx_import_file *files, size_t n_files);
dx_status dx_import_dpl(dx_import *im, const dx_import_file *files, size_t n_files);
dx_status dx_import_un(dx_import *im, const dx_import_file *files, size_t n_files);
dx_status dx_import_meti_eul(dx_import *im, const dx_import_file *files, size_t n_files);
dx_status dx_import_au_dfat(dx_import *im, const dx_import_file *files, size_t n_files);
dx_status dx_import_jp_mof(dx_import *im, const dx_import_file *files, size_t n_files);

/*
 * Control data is stored as entries of lists of its own (docs/lists.md), so that the rules
 * engine reads it from the same versioned, provenance-tracked store:
 *   us_ccl              one entry per ECCN (entry_id "3E001"; name = heading; facts per paragraph)
 *   us_country_chart    one entry per destination (entry_id = ISO alpha-2; facts "NS1" = "X")
 *   us_country_groups   one entry per group (entry_id "A:5"; facts country = alpha-2)
 *   us_license_exceptions  one entry per exception (entry_id "TSR")
 *   jp_export_order     entries for 別表第一 items and for the country sets of 別表第三,
 *                       別表第三の二 and 別表第四 (entry ids documented in the importer)
 *   eu_annex_i          one entry per Annex I entry (entry_id "3E001")
 */
dx_status dx_import_us_ccl(dx_import *im, const dx_import_file *files, size_t n_files);
dx_status dx_import_us_country_chart(dx_import *im, const dx_import_file *files, size_t n_files);
dx_status dx_import_us_country_groups(dx_import *im, const dx_import_file *files, size_t n_files);
dx_status dx_import_us_license_exceptions(dx_import *im, const dx_import_file *files,
                                          size_t n_files);
dx_status dx_import_jp_export_order(dx_import *im, const dx_import_file *files, size_t n_files);
dx_status dx_import_eu_annex(dx_import *im, const dx_import_file *files, size_t n_files);

#endif
