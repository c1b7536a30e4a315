/*
 * Lender policies: the two members that place a policy in the marketplace.
 *
 *   "model":    "NAME" or "NAME@VERSION", the registered model whose outputs
 *               the policy reads as its "score" and "pd" inputs;
 *   "appetite": which applications the lender wants to see at all:
 *               {"purposes": [...], "industries": ["C", "F52"],
 *                "regions": ["3701", "37"], "size_classes": ["micro", "small"]}
 *               (each list optional; industries and regions match by prefix
 *               of the GB/T 4754 code and the GB/T 2260 division code).
 *
 * An application outside the appetite is not sent to the lender at all: it
 * is not a decline, and the firm's data is not read on the lender's behalf.
 */
#include "policy_internal.h"
#include "members.h"

#include "json/json_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const APPETITE_MEMBERS[] = {"purposes", "industries", "regions",
                                               "size_classes", NULL};

/* Read the string array appetite.<key> (absent: any). */
static ph_status read_list(ph_policy *p, const json_t *appetite, size_t which, ph_error *err)
{
    const char *key = APPETITE_MEMBERS[which];
    const json_t *arr = json_object_get(appetite, key);
    if (arr == NULL)
        return PH_OK;
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return ph_error_set(err, PH_EINVAL, NULL, NULL,
                            "appetite.%s: expected a non-empty array of strings (leave the "
                            "member out to accept any)", key);
    size_t n = json_array_size(arr);
    char **list = ph_calloc(p->ctx, n + 1, sizeof(char *));
    if (list == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    p->appetite_lists[which] = list;
    for (size_t i = 0; i < n; i++) {
        const json_t *s = json_array_get(arr, i);
        if (!json_is_string(s) || json_string_length(s) == 0)
            return ph_error_set(err, PH_EINVAL, NULL, NULL,
                                "appetite.%s[%zu]: expected a non-empty string", key, i);
        if ((list[i] = ph_strdup(p->ctx, json_string_value(s))) == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    p->appetite_counts[which] = n;
    return PH_OK;
}

ph_status pol_read_market(ph_policy *p, const json_t *root, ph_error *err)
{
    const json_t *model = json_object_get(root, "model");
    if (model != NULL) {
        const char *s = json_is_string(model) ? json_string_value(model) : NULL;
        if (s == NULL || s[0] == '\0' || s[0] == '@')
            return ph_error_set(err, PH_EINVAL, NULL, NULL,
                                "model: expected the name of a registered model, \"NAME\" or "
                                "\"NAME@VERSION\"");
        if ((p->model = ph_strdup(p->ctx, s)) == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    const json_t *appetite = json_object_get(root, "appetite");
    if (appetite == NULL)
        return PH_OK;
    if (!json_is_object(appetite))
        return ph_error_set(err, PH_EINVAL, NULL, NULL, "appetite: expected an object");
    ph_status st = decide_check_members(appetite, APPETITE_MEMBERS, "appetite", err);
    if (st != PH_OK)
        return st;
    for (size_t i = 0; i < POL_APPETITE_LISTS && st == PH_OK; i++)
        st = read_list(p, appetite, i, err);
    return st;
}

void pol_free_market(ph_policy *p)
{
    ph_free(p->ctx, p->model);
    for (size_t i = 0; i < POL_APPETITE_LISTS; i++) {
        for (size_t k = 0; p->appetite_lists[i] && p->appetite_lists[i][k]; k++)
            ph_free(p->ctx, p->appetite_lists[i][k]);
        ph_free(p->ctx, p->appetite_lists[i]);
    }
}

const char *ph_policy_model(const ph_policy *p)
{
    return p ? p->model : NULL;
}

/* Does `value` fit list `which`: an empty list takes anything; industries and
 * regions match by prefix, purposes and size classes exactly. */
static int fits(const ph_policy *p, size_t which, const char *value)
{
    char *const *list = p->appetite_lists[which];
    if (list == NULL)
        return 1;
    if (value == NULL)
        return 0;
    int prefix = which == 1 || which == 2;
    for (size_t k = 0; list[k]; k++) {
        size_t n = strlen(list[k]);
        if (prefix ? strncmp(value, list[k], n) == 0 : strcmp(value, list[k]) == 0)
            return 1;
    }
    return 0;
}

int ph_policy_appetite_explain(const ph_policy *p, const char *purpose,
                               const char *industry_code, const char *region_code,
                               const char *size_class, FILE *why)
{
    static const char *const WHAT[] = {"purpose", "industry", "region", "size class"};
    const char *values[POL_APPETITE_LISTS] = {purpose, industry_code, region_code, size_class};
    if (p == NULL)
        return 0;
    for (size_t i = 0; i < POL_APPETITE_LISTS; i++) {
        if (fits(p, i, values[i]))
            continue;
        if (why != NULL) {
            fprintf(why, "%s %s is outside the lender's appetite (", WHAT[i],
                    values[i] ? values[i] : "(unknown)");
            for (size_t k = 0; p->appetite_lists[i][k]; k++)
                fprintf(why, "%s%s", k ? ", " : "", p->appetite_lists[i][k]);
            fputc(')', why);
        }
        return 0;
    }
    return 1;
}

int ph_policy_appetite_matches(const ph_policy *p, const char *purpose,
                               const char *industry_code, const char *region_code,
                               const char *size_class, char *why, size_t why_size)
{
    if (why == NULL || why_size == 0)
        return ph_policy_appetite_explain(p, purpose, industry_code, region_code, size_class,
                                          NULL);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    int fits_all = ph_policy_appetite_explain(p, purpose, industry_code, region_code,
                                              size_class, mem);
    if (mem == NULL || fclose(mem) != 0) {
        free(text);
        text = NULL;
    }
    snprintf(why, why_size, "%s", text && !fits_all ? text : "");
    free(text);
    return fits_all;
}
