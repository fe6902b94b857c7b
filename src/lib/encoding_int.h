/*
 * encoding_int.h — testing hooks of encoding.c, not part of the public API.
 */
#ifndef DX_ENCODING_INT_H
#define DX_ENCODING_INT_H

/* 1 (the default): CP932 is decoded by its table; 0: through iconv, for comparison. */
void dx_encoding_testing_use_tables(int on);

#endif
