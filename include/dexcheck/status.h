/*
 * dexcheck/status.h — the one status vocabulary of the library.
 *
 * Every fallible function returns a dx_status. The list below is the single source of the
 * enum, of dx_status_str() and of docs/errors.md (`make docs/errors.md`): values are never
 * renumbered, new ones are appended.
 */
#ifndef DEXCHECK_STATUS_H
#define DEXCHECK_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

/* X(NAME, value, message) */
#define DX_STATUS_LIST(X)                                                                   \
    X(DX_OK, 0, "success")                                                                  \
    X(DX_ERR_NOMEM, 1, "out of memory")                                                     \
    X(DX_ERR_INVALID, 2, "invalid argument")                                                \
    X(DX_ERR_IO, 3, "file could not be read or written")                                    \
    X(DX_ERR_NOT_FOUND, 4, "not found")                                                     \
    X(DX_ERR_ENCODING, 5, "text could not be decoded in the requested encoding")            \
    X(DX_ERR_INPUT, 6, "input has problems; see the diagnostics")                           \
    X(DX_ERR_LIMIT, 7, "a size limit was exceeded")                                         \
    X(DX_ERR_UNSUPPORTED, 8, "not supported")                                               \
    X(DX_ERR_NO_SUBJECTS, 9, "no subject file (people, visitors, projects, organizations)") \
    X(DX_ERR_INTERNAL, 10, "internal error")

typedef enum dx_status {
#define DX_STATUS_ENUM_(name, value, msg) name = value,
    DX_STATUS_LIST(DX_STATUS_ENUM_)
#undef DX_STATUS_ENUM_
} dx_status;

/* A fixed English sentence for a status; never NULL (unknown values give "unknown status"). */
const char *dx_status_str(dx_status status);

/* The enum's identifier, e.g. "DX_ERR_NOMEM"; never NULL. */
const char *dx_status_name(dx_status status);

#ifdef __cplusplus
}
#endif
#endif
