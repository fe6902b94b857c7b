/*
 * status.c — messages for dx_status, generated from the X-macro list in dexcheck/status.h so
 * the enum and its text can never drift apart.
 */
#include "dexcheck/status.h"

const char *dx_status_str(dx_status status)
{
    switch (status) {
#define DX_STATUS_CASE_(name, value, msg) \
    case name:                            \
        return msg;
        DX_STATUS_LIST(DX_STATUS_CASE_)
#undef DX_STATUS_CASE_
    }
    return "unknown status";
}

const char *dx_status_name(dx_status status)
{
    switch (status) {
#define DX_STATUS_CASE_(name, value, msg) \
    case name:                            \
        return #name;
        DX_STATUS_LIST(DX_STATUS_CASE_)
#undef DX_STATUS_CASE_
    }
    return "DX_UNKNOWN";
}
