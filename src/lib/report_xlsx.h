/*
 * report_xlsx.h — the Excel audit workbook (product.md §5), shared by its three files:
 *   report_xlsx.c     the workbook, its formats and the streamed sheets (Findings, Subjects,
 *                     List hits, Input issues, Lists and rules), continuation and fitting;
 *   report_matrix.c   the deemed-export matrices, buffered and written at close;
 *   report_summary.c  the Summary's counters and "needs attention first" list, written at
 *                     close.
 *
 * Internal to the library; the public face is dexcheck/report.h.
 */
#ifndef DX_REPORT_XLSX_H
#define DX_REPORT_XLSX_H

#include <stdint.h>
#include <xlsxwriter.h>

#include "arena.h"
#include "dexcheck/report.h"
#include "report_atomic.h"
#include "strbuf.h"
#include "strmap.h"

#define DX_RPT_DET_COUNT 9      /* dx_determination values, NONE included */
#define DX_RPT_SEV_COUNT 6     /* dx_finding_severity values, NONE included */

/* Where a row went: the part of a streamed sheet (0 = the first sheet) and the 0-based row. */
typedef struct dx_sheet_pos {
    uint32_t part, row;
} dx_sheet_pos;

/* A column of a streamed sheet: its header, width bounds, and whether its text wraps. */
typedef struct dx_sheet_column {
    const char *header;
    double min_width, max_width;
    int wrap;
} dx_sheet_column;

/* One sheet of a streamed table. */
typedef struct dx_sheet_part {
    lxw_worksheet *ws;
    uint32_t rows; /* data rows written, below the header */
} dx_sheet_part;

/*
 * A table streamed over one or more sheets: "Findings", then "Findings (2)" when the first
 * is full, and so on. Each part repeats the header; widths are fitted over all parts.
 */
typedef struct dx_sheet_stream {
    const char *title;
    const dx_sheet_column *cols;
    int n_cols;
    dx_sheet_part *parts;
    size_t n_parts;
    double *width; /* fitted width of each column so far */
    unsigned long total;
} dx_sheet_stream;

/* The formats of the workbook (owned by it). */
typedef struct dx_wb_formats {
    lxw_format *title, *subtitle, *section, *label, *header, *text, *wrap, *integer, *score;
    lxw_format *link, *note, *sign_line, *alarm, *calm;
    lxw_format *det[DX_RPT_DET_COUNT];      /* fill per determination */
    lxw_format *cell[DX_RPT_DET_COUNT];     /* the same, centred, for matrix cells */
    lxw_format *sev[DX_RPT_SEV_COUNT]; /* fill per severity */
} dx_wb_formats;

/* One item of the Summary's "needs attention first" list (strings owned). */
typedef struct dx_attention_item {
    dx_finding_severity urgency;
    unsigned long seq;
    char *subject, *regime, *tech, *result, *reason;
    dx_sheet_pos at; /* its Findings row */
} dx_attention_item;

/* What the Summary counts while results stream past. */
typedef struct dx_summary_stats {
    unsigned long (*det)[DX_RPT_DET_COUNT]; /* [regime index][determination] */
    unsigned long sev[DX_RPT_SEV_COUNT], sev_attention[DX_RPT_SEV_COUNT];
    unsigned long attention, attention_det, attention_find, cleared, reviewed, seq;
    unsigned long subjects, subjects_attention, issues[3];
    dx_attention_item *top;
    size_t n_top, max_top;
} dx_summary_stats;

/* One cell of a matrix: an access pair's determination and where its reason is. */
typedef struct dx_matrix_cell {
    uint32_t row, col, seq;
    uint8_t determination, linked;
    dx_sheet_pos finding; /* when linked: its Findings row */
    uint64_t note;        /* when not linked: offset of its comment text in notes, or none */
} dx_matrix_cell;

/* The buffered deemed-export matrix of one regime. */
typedef struct dx_matrix {
    const char *regime;
    lxw_worksheet *first; /* the sheet made at open, so that it sits in its place */
    dx_arena ids;         /* subject ids, names and technology ids */
    dx_strmap subject_index, tech_index;
    struct dx_matrix_subject {
        const char *id, *name;
    } *subjects;
    const char **tech_id;
    size_t n_subjects, cap_subjects, n_techs, cap_techs;
    dx_matrix_cell *cells;
    size_t n_cells, cap_cells;
    dx_strbuf notes; /* comment texts, NUL-separated */
    size_t n_notes;  /* clean cells with a comment (at most DX_MATRIX_MAX_NOTES) */
} dx_matrix;

/* Clean cells of one matrix that carry their reason as a comment. Every clean determination
 * is also a row of the sheet "Clean determinations"; past this many, a cell has no comment:
 * comments are the costliest part of a workbook (VML), and Excel is slow to open a sheet with
 * hundreds of thousands of them. */
#define DX_MATRIX_MAX_NOTES 5000

typedef struct dx_workbook {
    lxw_workbook *wb;
    dx_atomic_file file;
    const dx_run_facts *facts; /* the report's copy */
    unsigned long sheet_rows;
    dx_wb_formats fmt;
    lxw_worksheet *summary, *lists;
    dx_sheet_stream findings, clean, subjects, hits, issues;
    dx_matrix *matrix; /* one per regime of facts */
    dx_summary_stats stats;
    dx_strbuf scratch;
} dx_workbook;

/* report_xlsx.c */
dx_status dx_wb_open(dx_workbook **out, const char *path, const dx_run_facts *facts,
                       const dx_report_options *options, dx_diags *diags);
dx_status dx_wb_result(dx_workbook *x, const dx_result *result, size_t regime);
dx_status dx_wb_subject(dx_workbook *x, const dx_subject_summary *subject);
dx_status dx_wb_issue(dx_workbook *x, const dx_diag *issue);
/* Write the Summary and matrices and the workbook's file (the temporary), fsynced. */
dx_status dx_wb_finish(dx_workbook *x, dx_diags *diags);
dx_status dx_wb_rename(dx_workbook *x, dx_diags *diags);
void dx_wb_free(dx_workbook *x); /* removes a temporary file not renamed; accepts NULL */

/* Cell writers shared by the three files: text is repaired, cut to Excel's limit and always
 * a string cell. NULL text writes nothing (or a blank with the format, when one is given). */
dx_status dx_wb_text(dx_workbook *x, lxw_worksheet *ws, uint32_t row, uint16_t col,
                       const char *text, lxw_format *format);
dx_status dx_wb_number(lxw_worksheet *ws, uint32_t row, uint16_t col, double value,
                         lxw_format *format);
/* `text` repaired to valid UTF-8 and cut to a cell's 32,767 characters: text itself when it
 * is already fine, else x's scratch buffer (valid until the next call); NULL when out of
 * memory. */
const char *dx_wb_clean(dx_workbook *x, const char *text);
/* Set the height of `row` so that the wrapped texts fit: texts[c] wraps in widths[c]
 * characters (a width of 0: the column does not wrap). Call before writing the row. */
dx_status dx_wb_fit_row(lxw_worksheet *ws, uint32_t row, const char *const *texts,
                          const double *widths, int n);
/* An internal link to a Findings row, showing `label`. */
dx_status dx_wb_link(dx_workbook *x, lxw_worksheet *ws, uint32_t row, uint16_t col,
                       dx_sheet_pos to, const char *label, lxw_format *format);
/* Subject rows per sheet of a matrix (report_matrix.c). */
unsigned long dx_matrix_rows_per_part(const dx_workbook *x, const dx_matrix *m);
/* The name of a streamed sheet's part ("Findings", "Findings (2)") into buf. */
void dx_wb_part_name(const char *title, size_t part, char *buf, size_t size);
dx_status dx_wb_error(lxw_error error);

/* report_matrix.c */
dx_status dx_matrix_init(dx_matrix *m, const char *regime);
dx_status dx_matrix_add(dx_matrix *m, const dx_result *result, const dx_sheet_pos *finding);
dx_status dx_matrix_write(dx_workbook *x, dx_matrix *m);
void dx_matrix_free(dx_matrix *m);

/* report_summary.c */
dx_status dx_summary_init(dx_summary_stats *s, size_t n_regimes, size_t max_top);
dx_status dx_summary_count(dx_summary_stats *s, const dx_result *result, size_t regime,
                           const dx_sheet_pos *finding);
dx_status dx_summary_write(dx_workbook *x);
void dx_summary_free(dx_summary_stats *s);

#endif
