/*
 * facts_us.h — the U.S. EAR functions of the records binding (facts_us.c): Country Chart,
 * Country Groups, the CCL, and a subject's deemed-export destination. Internal: the public
 * face is dx_us_controls in dexcheck/rules_records.h.
 */
#ifndef DX_FACTS_US_H
#define DX_FACTS_US_H

#include "dexcheck/rules_records.h"

/* Register the us_* functions and most_recent_country with `env`. They read the control
 * data that the evaluation's host carries (dx_records_host_us); without it every us_*
 * function is unknown, so a rule that needs one gives needs_review. */
dx_status dx_us_register_functions(dx_ruleenv *env);

/* facts_records.c: the control data of the evaluation `host` (a dx_rcall_host), or NULL. */
const dx_us_controls *dx_records_host_us(const void *host);

#endif
