/*
 * The five categories (五级分类) and how a loan falls into one.
 *
 * The thresholds are data (ph_cob_rules: min_dpd per category), so a
 * change of regulation is a change of the rules document, not of this
 * code. On top of DPD, two rules of the 2023 regime protect against a
 * restructuring that hides a bad loan (docs/domain.md#loans):
 *   - during the observation period a restructured loan is never better
 *     than the floor (special mention by default);
 *   - during the observation period a non-performing loan is not upgraded,
 *     whatever its DPD.
 */
#include "cob_internal.h"

#include <string.h>

static const char *const CATEGORY_NAMES[PH_CATEGORY_COUNT] = {
    "normal", "special_mention", "substandard", "doubtful", "loss"};

const char *ph_loan_category_name(ph_loan_category c)
{
    return (unsigned)c < PH_CATEGORY_COUNT ? CATEGORY_NAMES[c] : NULL;
}

ph_status ph_loan_category_parse(const char *s, size_t len, ph_loan_category *out, ph_error *err)
{
    if (s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_loan_category_parse: NULL argument");
    for (int c = 0; c < PH_CATEGORY_COUNT; c++) {
        if (strlen(CATEGORY_NAMES[c]) == len && memcmp(CATEGORY_NAMES[c], s, len) == 0) {
            *out = (ph_loan_category)c;
            return PH_OK;
        }
    }
    return ph_error_setn(err, PH_EINVAL, "category", s, len,
                         "expected normal, special_mention, substandard, doubtful or loss");
}

int ph_loan_category_is_npl(ph_loan_category c)
{
    return c >= PH_CATEGORY_SUBSTANDARD && c < PH_CATEGORY_COUNT;
}

ph_loan_category cob_category_for_dpd(const ph_cob_rules *r, int32_t dpd)
{
    for (int c = PH_CATEGORY_LOSS; c > PH_CATEGORY_NORMAL; c--)
        if (dpd >= r->min_dpd[c])
            return (ph_loan_category)c;
    return PH_CATEGORY_NORMAL;
}

/*
 * Whether day d lies in the observation period of the loan's restructuring:
 * it lasts at least observation_days from the restructuring AND until
 * observation_periods instalments due after the restructuring have been
 * billed (or every instalment has been, for a loan with fewer left). The
 * second test is O(1): the schedule is sorted, so the periods have passed
 * when the observation_periods-th most recently billed instalment fell due
 * after the restructuring.
 */
static int in_observation(const ph_cob_rules *r, const ph_loan_state *s, ph_date d)
{
    if (s->restructured_on == 0)
        return 0;
    if ((int64_t)d < (int64_t)s->restructured_on + r->observation_days)
        return 1;
    int32_t periods = r->observation_periods;
    if (periods == 0 || s->next_k >= s->n_instalments)
        return 0;
    if (s->next_k < periods)
        return 1;
    return s->schedule[s->next_k - periods].due_on <= s->restructured_on;
}

ph_loan_category cob_classify(const ph_cob_rules *r, const ph_loan_state *s, ph_date d)
{
    ph_loan_category c = cob_category_for_dpd(r, s->dpd);
    if (in_observation(r, s, d)) {
        if (c < r->restructured_floor)
            c = r->restructured_floor;
        if (ph_loan_category_is_npl(s->category) && c < s->category)
            c = s->category;
    }
    return c;
}

ph_status ph_cob_classify(const ph_cob_rules *r, const ph_loan_state *s, ph_date d,
                          ph_loan_category *out, ph_error *err)
{
    if (r == NULL || s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_cob_classify: NULL argument");
    if (s->n_instalments > 0 && s->schedule == NULL)
        return ph_error_set(err, PH_EMISUSE, "schedule", NULL,
                            "loan %lld: n_instalments %d but no schedule",
                            (long long)s->loan_id, (int)s->n_instalments);
    *out = cob_classify(r, s, d);
    return PH_OK;
}
