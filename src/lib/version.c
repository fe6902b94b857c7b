/* version.c — the library version string. */
#include "dexcheck/version.h"

const char *dx_version(void)
{
    return DX_VERSION_STRING;
}
