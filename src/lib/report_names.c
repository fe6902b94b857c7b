/*
 * report_names.c — the names of dispositions and result kinds, the parsing of every name the
 * outputs use, and the two policies computed from a result's own fields (needs attention,
 * urgency).
 *
 * The names are the vocabulary of product.md §5: they are what JSON, CSV and the workbook
 * show, what a reviewer picks from the disposition drop-down and what `review import` reads
 * back. Determinations and severities are named by the rules engine (rules_value.c); the
 * names of dispositions and result kinds are tables here, indexed by the enum.
 */
#include "dexcheck/report.h"

#include <strings.h>

#include "report_names.h"

static const char *const disposition_names[] = {NULL, "true_match", "false_positive",
                                                "escalated", "cleared_with_licence"};
static const char *const kind_names[] = {"determination", "finding"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_of(const char *const *names, size_t n, int value)
{
    return value >= 0 && (size_t)value < n ? names[value] : NULL;
}

/* The index of `name` in `names` (NULL entries never match); -1 when absent. */
static int index_of(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; name && i < n; i++)
        if (names[i] && strcasecmp(names[i], name) == 0)
            return (int)i;
    return -1;
}

const char *dx_report_det_name(dx_determination d)
{
    const char *name = d > DX_DET_NONE && d <= DX_DET_NEEDS_REVIEW ? dx_determination_name(d) : NULL;
    return name && name[0] ? name : NULL;
}

const char *dx_report_sev_name(dx_finding_severity s)
{
    const char *name = s > DX_FSEV_NONE && s <= DX_FSEV_INFO ? dx_finding_severity_name(s) : NULL;
    return name && name[0] ? name : NULL;
}

const char *dx_disposition_name(dx_disposition d)
{
    return name_of(disposition_names, COUNT(disposition_names), (int)d);
}

const char *dx_result_kind_name(dx_result_kind k)
{
    return name_of(kind_names, COUNT(kind_names), (int)k);
}

dx_status dx_determination_parse(const char *name, dx_determination *out)
{
    for (int d = DX_DET_LICENSE_REQUIRED; name && d <= DX_DET_NEEDS_REVIEW; d++)
        if (strcasecmp(dx_report_det_name((dx_determination)d), name) == 0) {
            *out = (dx_determination)d;
            return DX_OK;
        }
    return DX_ERR_NOT_FOUND;
}

dx_status dx_finding_severity_parse(const char *name, dx_finding_severity *out)
{
    for (int s = DX_FSEV_CRITICAL; name && s <= DX_FSEV_INFO; s++)
        if (strcasecmp(dx_report_sev_name((dx_finding_severity)s), name) == 0) {
            *out = (dx_finding_severity)s;
            return DX_OK;
        }
    return DX_ERR_NOT_FOUND;
}

dx_status dx_disposition_parse(const char *name, dx_disposition *out)
{
    int i = index_of(disposition_names, COUNT(disposition_names), name);
    if (i < 0)
        return DX_ERR_NOT_FOUND;
    *out = (dx_disposition)i;
    return DX_OK;
}

dx_status dx_result_kind_parse(const char *name, dx_result_kind *out)
{
    int i = index_of(kind_names, COUNT(kind_names), name);
    if (i < 0)
        return DX_ERR_NOT_FOUND;
    *out = (dx_result_kind)i;
    return DX_OK;
}

int dx_finding_severity_rank(dx_finding_severity s)
{
    return s > DX_FSEV_NONE && s <= DX_FSEV_INFO ? DX_FSEV_INFO + 1 - (int)s : 0;
}

/* The determinations that need attention on their own (product.md §5, "Needs attention"). */
static int determination_alarms(dx_determination d)
{
    return d == DX_DET_LICENSE_REQUIRED || d == DX_DET_EXCEPTION_AVAILABLE ||
           d == DX_DET_PROHIBITED || d == DX_DET_NEEDS_REVIEW;
}

int dx_result_needs_attention(const dx_result *r)
{
    if (r->cleared)
        return 0;
    return determination_alarms(r->determination) ||
           dx_finding_severity_rank(r->severity) >= dx_finding_severity_rank(DX_FSEV_MEDIUM);
}

dx_finding_severity dx_result_urgency(const dx_result *r)
{
    dx_finding_severity u = DX_FSEV_INFO;
    switch (r->determination) {
    case DX_DET_PROHIBITED: u = DX_FSEV_CRITICAL; break;
    case DX_DET_LICENSE_REQUIRED:
    case DX_DET_NEEDS_REVIEW: u = DX_FSEV_HIGH; break;
    case DX_DET_EXCEPTION_AVAILABLE: u = DX_FSEV_MEDIUM; break;
    default: break;
    }
    return dx_finding_severity_rank(r->severity) > dx_finding_severity_rank(u) ? r->severity : u;
}
