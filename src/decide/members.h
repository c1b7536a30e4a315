/*
 * "A JSON object has only these members", one rule for every object of a
 * policy document: the policy itself, its product, inputs and formulas
 * (policy_load.c), its appetite (policy_market.c) and its decision tables,
 * their columns and rules (table_load.c). A misspelt member ("hitpolicy")
 * is an error, never silently ignored. Private to src/decide.
 */
#ifndef PH_DECIDE_MEMBERS_H
#define PH_DECIDE_MEMBERS_H

#include "puhui/common.h"

#include <jansson.h>

/* PH_OK when every member of `obj` is named in `allowed` (NULL-terminated);
 * else PH_EINVAL: "WHERE: unknown member 'KEY' (expected A, B, C)", the key
 * cut to 64 bytes, "WHERE: " left out when `where` is "". O(members x
 * allowed). */
ph_status decide_check_members(const json_t *obj, const char *const *allowed,
                               const char *where, ph_error *err);

#endif
