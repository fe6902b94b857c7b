/* dexcheck/version.h — the library version. */
#ifndef DEXCHECK_VERSION_H
#define DEXCHECK_VERSION_H

#define DX_VERSION_MAJOR 0
#define DX_VERSION_MINOR 1
#define DX_VERSION_PATCH 0
#define DX_VERSION_STRING "0.1.0"

/* The version of the linked library, e.g. "0.1.0". */
const char *dx_version(void);

#endif
