/*
 * xlsx_pack.h — for the xlsx fuzz targets: pack "name\0content\0name\0content..." into a
 * stored (uncompressed) zip with libzip. A mutated zip almost always fails its CRC before any
 * XML is parsed; packing a member list gives well-formed archives whose XML mutations reach
 * the readers. Header-only: each fuzz target is built from its own file.
 */
#ifndef DX_XLSX_PACK_H
#define DX_XLSX_PACK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define DX_PACK_MAX_MEMBERS 32

/* Pack "name\0content\0..." into a stored zip; NULL when the input has no member. */
static inline uint8_t *pack_members(const uint8_t *data, size_t size, size_t *len)
{
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *out = zip_source_buffer_create(NULL, 0, 0, &err);
    zip_t *za = out ? zip_open_from_source(out, ZIP_TRUNCATE, &err) : NULL;
    if (!za) {
        zip_source_free(out);
        return NULL;
    }
    zip_source_keep(out);
    size_t pos = 0, members = 0;
    while (pos < size && members < DX_PACK_MAX_MEMBERS) {
        const uint8_t *name = data + pos, *nul = memchr(name, 0, size - pos);
        if (!nul)
            break;
        const uint8_t *content = nul + 1, *end = memchr(content, 0, size - (size_t)(content - data));
        size_t clen = end ? (size_t)(end - content) : size - (size_t)(content - data);
        pos = (size_t)(content - data) + clen + 1;
        zip_source_t *s = zip_source_buffer(za, content, clen, 0);
        zip_int64_t idx = s ? zip_file_add(za, (const char *)name, s, ZIP_FL_OVERWRITE) : -1;
        if (idx < 0) {
            zip_source_free(s);
            continue;
        }
        zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
        members++;
    }
    uint8_t *bytes = NULL;
    zip_stat_t st;
    int closed = members && zip_close(za) == 0;
    if (!closed)
        zip_discard(za);
    if (closed && zip_source_open(out) == 0) {
        if (zip_source_stat(out, &st) == 0 && (bytes = malloc(st.size + 1)) != NULL &&
            zip_source_read(out, bytes, st.size) != (zip_int64_t)st.size) {
            free(bytes);
            bytes = NULL;
        }
        *len = bytes ? st.size : 0;
        zip_source_close(out);
    }
    zip_source_free(out);
    return bytes;
}

#endif
