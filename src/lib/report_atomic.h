/*
 * report_atomic.h — files that replace their target all at once, or not at all.
 *
 * A file is written under a temporary name in the target's folder ("audit.Xy12Zq.xlsx.tmp":
 * same file system, so the final rename is atomic; the ".xlsx.tmp" ending is git-ignored),
 * then fsynced and renamed over the target, and the folder is fsynced so that the rename
 * survives a crash. Until the rename the previous target is untouched; a discarded file's
 * temporary is removed. A new target gets mode 0666 less the process's umask; a replaced
 * target keeps its mode.
 *
 * Internal to the library.
 */
#ifndef DX_REPORT_ATOMIC_H
#define DX_REPORT_ATOMIC_H

#include <stdio.h>

#include "dexcheck/diag.h"
#include "dexcheck/status.h"

typedef struct dx_atomic_file {
    char *target; /* the final path */
    char *tmp;    /* the temporary path; NULL once renamed or removed */
    FILE *fp;     /* open for writing on tmp, when asked for */
} dx_atomic_file;

#define DX_ATOMIC_FILE_INIT {NULL, NULL, NULL}

/*
 * Create the temporary file for `target`. With `want_stream`, f->fp is open on it for
 * writing; without, the file exists, empty, for another writer to fill by name. DX_ERR_IO
 * (with a diagnostic naming the path and the system's reason, when diags is not NULL),
 * DX_ERR_NOMEM. On failure f holds nothing to discard.
 */
dx_status dx_atomic_open(dx_atomic_file *f, const char *target, int want_stream,
                         dx_diags *diags);

/* Flush, fsync and close the temporary file (the first half of a commit). DX_ERR_IO. */
dx_status dx_atomic_sync(dx_atomic_file *f, dx_diags *diags);

/* Rename the synced temporary over the target and fsync the folder. DX_ERR_IO. */
dx_status dx_atomic_rename(dx_atomic_file *f, dx_diags *diags);

/* Close and remove the temporary file if it still exists, and free f's strings. */
void dx_atomic_discard(dx_atomic_file *f);

#endif
