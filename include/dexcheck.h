/*
 * dexcheck.h — the public API of the dexcheck library.
 *
 * The library reads personnel, visitor and research-project records, restricted-party lists
 * and control data, and decides deemed exports. It never prints and never exits: every
 * fallible call returns a dx_status and reports input problems as diagnostics (dexcheck/diag.h).
 */
#ifndef DEXCHECK_H
#define DEXCHECK_H

#include "dexcheck/status.h"
#include "dexcheck/version.h"
#include "dexcheck/diag.h"
#include "dexcheck/encoding.h"
#include "dexcheck/country.h"
#include "dexcheck/records.h"
#include "dexcheck/lists.h"
#include "dexcheck/store.h"
#include "dexcheck/match.h"
#include "dexcheck/index.h"
#include "dexcheck/rules.h"
#include "dexcheck/rules_records.h"
#include "dexcheck/report.h"
#include "dexcheck/screen.h"
#include "dexcheck/audit.h"

#endif
