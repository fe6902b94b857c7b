/*
 * report_matrix.c — the deemed-export matrix of one regime: subjects down, technologies
 * across, each cell the determination of that access pair, coloured by it.
 *
 * How it works. Determinations arrive in any order, but a constant-memory sheet must be
 * written row by row, so the matrix is buffered until close, compactly: subject and technology
 * ids are interned once (an arena and a hash map each), and each cell is a small fixed record
 * (row, column, determination, where its reason is). Rows are the subjects in the order their
 * first determination arrived, columns the technologies likewise: the caller's order, never a
 * sort. At close the cells are sorted by (row, column) only to write them in sheet order.
 *
 * The reason is one click away. A determination that is on the Findings sheet (it needs
 * attention or was reviewed) links to its row there; a clean one carries its determination,
 * basis and reason as a cell comment, so that an auditor sees why it was cleared — the first
 * DX_MATRIX_MAX_NOTES of a regime; every clean determination is also a row of the sheet
 * "Clean determinations" (report_xlsx.c). A sheet takes at most 65,530 links (Excel's
 * limit); past that a cell gets a comment naming its Findings row.
 *
 * Two determinations for the same pair (product.md §5 says there is one) keep the more urgent
 * one (dx_result_urgency), the first on a tie. A matrix over 16,382 technologies does not fit a
 * sheet (DX_ERR_LIMIT); over the sheet's row limit it continues on "Matrix JP (2)" and so on.
 */
#include "report_xlsx.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "report_names.h"

#define MAX_TECHS 16382           /* columns after the subject id and name */
#define MAX_LINKS 65530           /* per sheet, Excel's limit */
#define NOTE_MAX 2000             /* bytes of a comment's text */
#define NO_NOTE UINT64_MAX
#define LEGEND_ROW 3              /* the legend's first row */

dx_status dx_matrix_init(dx_matrix *m, const char *regime)
{
    memset(m, 0, sizeof *m);
    m->regime = regime;
    return DX_OK;
}

void dx_matrix_free(dx_matrix *m)
{
    dx_arena_free(&m->ids);
    dx_strmap_free(&m->subject_index);
    dx_strmap_free(&m->tech_index);
    dx_free(m->subjects);
    dx_free(m->tech_id);
    dx_free(m->cells);
    dx_strbuf_free(&m->notes);
}

/* Make room for item n of an array of `size`-byte items; NULL when out of memory (the
 * array is then unchanged). */
static void *grow(void *array, size_t size, size_t n, size_t *cap)
{
    if (n < *cap)
        return array;
    size_t next = dx_grow_cap(*cap, n + 1, SIZE_MAX / size);
    void *p = next ? dx_realloc(array, next * size) : NULL;
    if (p)
        *cap = next;
    return p;
}

/* The row of a subject, adding it (with its name) on first sight. */
static dx_status subject_row(dx_matrix *m, const dx_result *r, size_t *row)
{
    if (dx_strmap_get(&m->subject_index, r->subject_id, row))
        return DX_OK;
    struct dx_matrix_subject *subjects =
        grow(m->subjects, sizeof *subjects, m->n_subjects, &m->cap_subjects);
    if (!subjects)
        return DX_ERR_NOMEM;
    m->subjects = subjects;
    const char *name = r->subject_name ? r->subject_name : "";
    char *id = dx_arena_strndup(&m->ids, r->subject_id, strlen(r->subject_id));
    char *nm = dx_arena_strndup(&m->ids, name, strlen(name));
    if (!id || !nm || dx_strmap_put(&m->subject_index, id, m->n_subjects, NULL, NULL) != DX_OK)
        return DX_ERR_NOMEM;
    subjects[m->n_subjects] = (struct dx_matrix_subject){id, nm};
    *row = m->n_subjects++;
    return DX_OK;
}

static dx_status tech_col(dx_matrix *m, const char *tech, size_t *col)
{
    if (dx_strmap_get(&m->tech_index, tech, col))
        return DX_OK;
    if (m->n_techs >= MAX_TECHS)
        return DX_ERR_LIMIT;
    const char **techs = grow(m->tech_id, sizeof *techs, m->n_techs, &m->cap_techs);
    if (!techs)
        return DX_ERR_NOMEM;
    m->tech_id = techs;
    char *id = dx_arena_strndup(&m->ids, tech, strlen(tech));
    if (!id || dx_strmap_put(&m->tech_index, id, m->n_techs, NULL, NULL) != DX_OK)
        return DX_ERR_NOMEM;
    techs[m->n_techs] = id;
    *col = m->n_techs++;
    return DX_OK;
}

/* Keep the comment text of a clean determination: "determination. basis\nreason". */
static dx_status keep_note(dx_matrix *m, const dx_result *r, uint64_t *at)
{
    size_t start = m->notes.len;
    dx_status st = dx_strbuf_printf(&m->notes, "%s", dx_report_det_name(r->determination));
    if (st == DX_OK && r->basis)
        st = dx_strbuf_printf(&m->notes, " (%s)", r->basis);
    if (st == DX_OK && r->reason)
        st = dx_strbuf_printf(&m->notes, "\n%s", r->reason);
    if (st != DX_OK)
        return st;
    if (m->notes.len - start > NOTE_MAX) { /* cut on a character boundary */
        size_t cut = start + NOTE_MAX;
        while (cut > start && ((unsigned char)m->notes.data[cut] & 0xC0) == 0x80)
            cut--;
        m->notes.len = cut;
        st = dx_strbuf_append(&m->notes, " [...]", 6);
    }
    *at = start;
    return st == DX_OK ? dx_strbuf_putc(&m->notes, '\0') : st;
}

dx_status dx_matrix_add(dx_matrix *m, const dx_result *r, const dx_sheet_pos *finding)
{
    size_t row, col;
    dx_status st = subject_row(m, r, &row);
    if (st == DX_OK)
        st = tech_col(m, r->tech_id, &col);
    if (st != DX_OK)
        return st;
    dx_matrix_cell *cells = grow(m->cells, sizeof *cells, m->n_cells, &m->cap_cells);
    if (!cells)
        return DX_ERR_NOMEM;
    m->cells = cells;
    dx_matrix_cell c = {(uint32_t)row, (uint32_t)col, (uint32_t)m->n_cells,
                        (uint8_t)r->determination, finding != NULL, {0, 0}, NO_NOTE};
    if (finding) {
        c.finding = *finding;
    } else if (m->n_notes < DX_MATRIX_MAX_NOTES) {
        if ((st = keep_note(m, r, &c.note)) != DX_OK)
            return st;
        m->n_notes++;
    }
    m->cells[m->n_cells++] = c;
    return DX_OK;
}

/* ---- writing at close ---- */

static int cell_order(const void *a, const void *b)
{
    const dx_matrix_cell *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cell_urgency(const dx_matrix_cell *c)
{
    dx_result r = {.determination = (dx_determination)c->determination};
    return dx_finding_severity_rank(dx_result_urgency(&r));
}

/* Of the run of cells for one pair starting at cells[i], the one to show; *next gets the
 * index after the run. */
static const dx_matrix_cell *pick(const dx_matrix *m, size_t i, size_t *next)
{
    const dx_matrix_cell *best = &m->cells[i];
    size_t j = i + 1;
    for (; j < m->n_cells && m->cells[j].row == best->row && m->cells[j].col == best->col; j++)
        if (cell_urgency(&m->cells[j]) > cell_urgency(best))
            best = &m->cells[j];
    *next = j;
    return best;
}

static const char *regime_title(const char *regime)
{
    if (strcmp(regime, "JP") == 0)
        return "Japan: Foreign Exchange and Foreign Trade Act (FEFTA), deemed exports";
    if (strcmp(regime, "US") == 0)
        return "United States: Export Administration Regulations (EAR), deemed exports and "
               "reexports";
    if (strcmp(regime, "EU") == 0)
        return "European Union: Regulation (EU) 2021/821, dual-use technology";
    return "";
}

/* Legend columns: as many as technologies (at least 2, at most 8), so that the legend is
 * never wider than the matrix. */
static size_t legend_cols(const dx_matrix *m)
{
    return m->n_techs < 2 ? 2 : m->n_techs > 8 ? 8 : m->n_techs;
}

/* The header row: below the legend and one blank row. Subjects start on the row after it. */
static uint32_t header_row(const dx_matrix *m)
{
    size_t cols = legend_cols(m);
    return (uint32_t)(LEGEND_ROW + (DX_RPT_DET_COUNT - 1 + cols - 1) / cols + 1);
}

/* Title, explanation, legend and the header row of one part. */
static dx_status part_head(dx_workbook *x, dx_matrix *m, lxw_worksheet *ws)
{
    char title[96];
    snprintf(title, sizeof title, "Deemed-export matrix: %s", m->regime);
    dx_status st = dx_wb_text(x, ws, 0, 0, title, x->fmt.title);
    if (st == DX_OK)
        st = dx_wb_text(x, ws, 0, 2, regime_title(m->regime), x->fmt.subtitle);
    if (st == DX_OK)
        st = dx_wb_text(x, ws, 1, 0, "Each cell is the determination for the subject (row) "
                          "and technology (column); blank: no access.", x->fmt.note);
    if (st == DX_OK)
        st = dx_wb_text(x, ws, 2, 0, "Click a cell to open its finding; a red corner means "
                          "that the reason is in the cell's comment; every clean determination "
                          "is also on the sheet 'Clean determinations'.", x->fmt.note);
    if (st == DX_OK)
        st = dx_wb_text(x, ws, LEGEND_ROW, 1, "Legend", x->fmt.label);
    size_t cols = legend_cols(m);
    for (int d = 1; d < DX_RPT_DET_COUNT && st == DX_OK; d++)
        st = dx_wb_text(x, ws, (uint32_t)(LEGEND_ROW + (size_t)(d - 1) / cols),
                          (uint16_t)(2 + (size_t)(d - 1) % cols),
                          dx_report_det_name((dx_determination)d), x->fmt.cell[d]);
    uint32_t head = header_row(m);
    if (st == DX_OK)
        st = dx_wb_text(x, ws, head, 0, "subject_id", x->fmt.header);
    if (st == DX_OK)
        st = dx_wb_text(x, ws, head, 1, "subject_name", x->fmt.header);
    for (size_t t = 0; t < m->n_techs && st == DX_OK; t++)
        st = dx_wb_text(x, ws, head, (uint16_t)(t + 2), m->tech_id[t], x->fmt.header);
    return st;
}

/* Start part `part` of the matrix: its sheet, column widths, frozen panes, head. */
static dx_status part_start(dx_workbook *x, dx_matrix *m, size_t part, lxw_worksheet **out)
{
    lxw_worksheet *ws = m->first;
    if (part > 0) {
        char base[40], name[64];
        snprintf(base, sizeof base, "Matrix %.20s", m->regime);
        dx_wb_part_name(base, part, name, sizeof name);
        if (!(ws = workbook_add_worksheet(x->wb, name)))
            return DX_ERR_NOMEM;
    }
    worksheet_set_column(ws, 0, 0, 14, NULL);
    worksheet_set_column(ws, 1, 1, 26, NULL);
    worksheet_set_column(ws, 2, (lxw_col_t)(legend_cols(m) > m->n_techs ? legend_cols(m) + 1
                                                                         : m->n_techs + 1), 20, NULL);
    worksheet_freeze_panes(ws, header_row(m) + 1, 2);
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, header_row(m), header_row(m));
    *out = ws;
    return part_head(x, m, ws);
}

/* One cell: a link to its Findings row, or its text with the reason as a comment. */
static dx_status write_cell(dx_workbook *x, dx_matrix *m, lxw_worksheet *ws, uint32_t row,
                            const dx_matrix_cell *c, size_t *links)
{
    uint16_t col = (uint16_t)(c->col + 2);
    const char *name = dx_report_det_name((dx_determination)c->determination);
    lxw_format *f = x->fmt.cell[c->determination];
    if (c->linked && *links < MAX_LINKS) {
        ++*links;
        return dx_wb_link(x, ws, row, col, c->finding, name, f);
    }
    dx_status st = dx_wb_text(x, ws, row, col, name, f);
    if (!c->linked && c->note == NO_NOTE) /* past DX_MATRIX_MAX_NOTES: no comment */
        return st;
    char see[96];
    const char *note = see;
    if (c->linked) {
        char sheet[64];
        dx_wb_part_name(x->findings.title, c->finding.part, sheet, sizeof sheet);
        snprintf(see, sizeof see, "%s: see sheet '%s', row %lu.", name, sheet,
                 (unsigned long)c->finding.row + 1);
    } else if (c->note != NO_NOTE) {
        note = dx_wb_clean(x, m->notes.data + c->note);
    }
    if (st == DX_OK && !note)
        st = DX_ERR_NOMEM;
    lxw_comment_options co = {.author = "dexcheck", .x_scale = 2.5, .y_scale = 2};
    if (st == DX_OK)
        st = dx_wb_error(worksheet_write_comment_opt(ws, row, col, note, &co));
    return st;
}

unsigned long dx_matrix_rows_per_part(const dx_workbook *x, const dx_matrix *m)
{
    unsigned long room = LXW_ROW_MAX - header_row(m) - 1;
    return x->sheet_rows < room ? x->sheet_rows : room;
}

dx_status dx_matrix_write(dx_workbook *x, dx_matrix *m)
{
    if (m->n_cells > 1)
        qsort(m->cells, m->n_cells, sizeof *m->cells, cell_order);
    uint32_t first = header_row(m) + 1;
    unsigned long per_part = dx_matrix_rows_per_part(x, m);
    lxw_worksheet *ws = NULL;
    size_t part = 0, links = 0, i = 0;
    dx_status st = part_start(x, m, 0, &ws);
    if (st == DX_OK && m->n_subjects == 0)
        st = dx_wb_text(x, ws, first, 0, "No determination in this regime.", x->fmt.note);
    for (size_t s = 0; s < m->n_subjects && st == DX_OK; s++) {
        if (s / per_part != part) {
            st = part_start(x, m, ++part, &ws);
            links = 0;
        }
        uint32_t row = (uint32_t)(first + s % per_part);
        if (st == DX_OK)
            st = dx_wb_text(x, ws, row, 0, m->subjects[s].id, x->fmt.text);
        if (st == DX_OK)
            st = dx_wb_text(x, ws, row, 1, m->subjects[s].name, x->fmt.text);
        while (st == DX_OK && i < m->n_cells && m->cells[i].row == s)
            st = write_cell(x, m, ws, row, pick(m, i, &i), &links);
    }
    return st;
}
