/*
 * report_names.h — names for the report's outputs, NULL when absent.
 *
 * dexcheck/rules.h names determinations and severities with "" for NONE; the outputs need
 * "absent" (JSON null, an empty cell), so the writers go through these.
 *
 * Internal to the library.
 */
#ifndef DX_REPORT_NAMES_H
#define DX_REPORT_NAMES_H

#include "dexcheck/report.h"

/* The name of a determination / severity; NULL for NONE and values out of range. */
const char *dx_report_det_name(dx_determination determination);
const char *dx_report_sev_name(dx_finding_severity severity);

#endif
