/*
 * search_int.h — what the search modules share inside the library (search.c builds the
 * index; search_file.c reads batch files for it).
 */
#ifndef DX_SEARCH_INT_H
#define DX_SEARCH_INT_H

#include "dexcheck/country.h"
#include "dexcheck/index.h"

/* The index's country table, built once with the index: borrowed for the index's life. */
const dx_countries *dx_index_countries(const dx_index *index);

#endif
