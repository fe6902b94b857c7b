/*
 * readfile.h — a whole regular file into memory, with a size cap (internal).
 *
 * Used where a parser needs the file's bytes at once (records, disposition files). Every
 * problem is a diagnostic on the path: "<prefix>.unreadable" (cannot open, not a regular
 * file, short read: DX_ERR_IO) or "<prefix>.too-large" (over `max` bytes: DX_ERR_LIMIT);
 * out of memory is DX_ERR_NOMEM. `what` names the file in messages ("file", "disposition
 * file"). The bytes are NUL-terminated one past *len; the caller frees them with dx_free.
 */
#ifndef DX_READFILE_H
#define DX_READFILE_H

#include <stddef.h>

#include "dexcheck/diag.h"
#include "dexcheck/status.h"

dx_status dx_read_whole_file(const char *path, size_t max, const char *prefix, const char *what,
                             dx_diags *diags, unsigned char **out, size_t *len);

#endif
