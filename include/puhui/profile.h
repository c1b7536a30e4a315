/*
 * puhui — the enterprise profile (企业信用画像): five dimensions, each scored
 * from the features behind it, and a class and sub-class (brief §3, Hebei's
 * "five-dimension tags": operating stability, industry prosperity, credit
 * history, digital footprint, policy fit; four classes, twelve sub-classes).
 *
 * Scoring is a pure function of feature values (ph_profile_score); the rules
 * are data (src/profile/rules.c). Reading a profile for an institution goes
 * through consent and the access log (see the reading API below).
 */
#ifndef PUHUI_PROFILE_H
#define PUHUI_PROFILE_H

#include "puhui/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ph_profile_dimension {
    PH_PROFILE_OPERATING_STABILITY,
    PH_PROFILE_INDUSTRY_PROSPERITY,
    PH_PROFILE_CREDIT_HISTORY,
    PH_PROFILE_DIGITAL_FOOTPRINT,
    PH_PROFILE_POLICY_FIT,
    PH_PROFILE_DIMENSION_COUNT
} ph_profile_dimension;

#define PH_PROFILE_MAX_COMPONENTS 12

/* One feature behind a dimension. */
typedef struct ph_profile_component {
    const char *feature; /* the feature catalogue's name */
    double value;        /* NaN when missing */
    double points;       /* 0..100; NaN when the value is missing */
    double weight;       /* its weight in the dimension */
} ph_profile_component;

typedef struct ph_profile_dimension_score {
    const char *name;        /* "operating_stability" */
    const char *name_zh;     /* "经营稳定性" */
    const char *description; /* one line */
    double score;    /* 0..100, the weighted mean of the components present;
                        NaN ("insufficient data") when coverage < 0.5 */
    double coverage; /* share of the dimension's weight whose features are present */
    size_t component_count;
    ph_profile_component components[PH_PROFILE_MAX_COMPONENTS];
} ph_profile_dimension_score;

typedef struct ph_profile_scores {
    ph_profile_dimension_score dimensions[PH_PROFILE_DIMENSION_COUNT];
    const char *class_name;   /* high_potential_tech | stable_manufacturing |
                                 volatile_services | in_transition */
    const char *class_zh;     /* 科技成长型 ... */
    const char *class_en;     /* "high-potential technology" ... */
    const char *subclass;     /* one of twelve: "patent_rich", "distressed" ... */
    const char *class_reason; /* the rule that placed the firm, in words */
} ph_profile_scores;

/* A feature's value by catalogue name; NaN when missing (or unknown). */
typedef double (*ph_profile_value_fn)(void *user, const char *feature);

/*
 * Score a firm from its feature values. `industry_section` is its GB/T 4754
 * section letter ('\0' when unknown: only section-free class rules apply).
 * All strings in *out are static. Errors: PH_EMISUSE for NULL value or out;
 * PH_EINVAL for a section outside A..T.
 */
PH_EXTERN ph_status ph_profile_score(ph_profile_value_fn value, void *user,
                                     char industry_section, ph_profile_scores *out,
                                     ph_error *err);

/* Number of distinct (class, sub-class) pairs the rules can give: 12. */
PH_EXTERN size_t ph_profile_subclass_count(void);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_PROFILE_H */
