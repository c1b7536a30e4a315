/*
 * Helpers shared by the scorecard tests (test_scorecard_pmml.c,
 * test_model_scorecard.c): building a scorecard by hand, the hand-checkable
 * card both use, PMML in memory, and comparing two scorecards field by field.
 */
#ifndef PH_SCORECARD_TEST_H
#define PH_SCORECARD_TEST_H

#include "ph_test.h"

/* Tests build and inspect scorecards field by field: the struct behind the
 * opaque ph_scorecard. */
#include "scorecard/scorecard_internal.h"

/* A context with the default options (free with ph_ctx_free). */
ph_ctx *sct_ctx(void);

/* Append a characteristic (its pointer is valid until the next append). */
ph_sc_characteristic *sct_characteristic(ph_scorecard *sc, const char *name, const char *field,
                                         int categorical, const char *reason_code,
                                         double baseline);

/* Append an attribute of kind `match` scoring `points` (reason code may be NULL). */
ph_sc_attribute *sct_attribute(ph_scorecard *sc, ph_sc_characteristic *c, ph_sc_match match,
                               double points, const char *reason_code);

/* Make `a` the range low..high with the given bracket types. */
void sct_range(ph_sc_attribute *a, double low, int low_inclusive, double high,
               int high_inclusive);

/* Make `a` the set of `n` levels (copied), replacing any it had. */
void sct_levels(ph_scorecard *sc, ph_sc_attribute *a, const char *const *levels, size_t n);

/*
 * The card every scorecard test checks by hand (scale 600 points at 50:1,
 * 20 points to double the odds; initial score 500):
 *   age_score (age, numeric, code RC_AGE, baseline 30):
 *       missing 5 | (-inf, 25) 10 | [25, 40) 20 | [40, inf) 30
 *   grade_score (grade, categorical, baseline 40, codes per attribute):
 *       {A} 40 RC_GRADE_A | {B, C} 25 RC_GRADE_BC |
 *       {"D E", say "hi", back\slash} 10 RC_GRADE_LOW | missing 0 RC_GRADE_MISSING
 *   income_score (income, numeric, code RC_INCOME, baseline 50):
 *       (-inf, 1000] 0 | (1000, 5000] 25 | (5000, inf) 50 | anything else 15
 * With training statistics (rows 1000, bads 80, target "bad", ...).
 */
ph_scorecard *sct_card(const ph_ctx *ctx);

/* `sc` written as PMML into a malloc'd NUL-terminated buffer. */
char *sct_pmml(const ph_scorecard *sc, size_t *len);

/* Fail unless a and b are equal in every field. */
void sct_assert_equal(const ph_scorecard *a, const ph_scorecard *b);

#endif
