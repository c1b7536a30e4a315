/*
 * puhui — the enterprise profile (企业信用画像): five dimensions, each scored
 * from the features behind it, and a class and sub-class (docs/domain.md#credit-assessment, Hebei's
 * "five-dimension tags": operating stability, industry prosperity, credit
 * history, digital footprint, policy fit; four classes, twelve sub-classes).
 *
 * Scoring is a pure function of feature values (ph_profile_score); the rules
 * are data (src/profile/rules.c). Reading a profile for an institution goes
 * through consent and the access log (see the reading API below).
 */
#ifndef PUHUI_PROFILE_H
#define PUHUI_PROFILE_H

#include "puhui/access.h"
#include "puhui/common.h"
#include "puhui/date.h"
#include "puhui/enterprise.h"
#include "puhui/features.h"
#include "puhui/store.h"

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

/*
 * The components of a scored profile that say most about the firm, at most
 * `max`: first the concerns (present values scoring below 50, weakest
 * first), then the strengths (above 50, strongest first), half each when
 * both have enough; among equal points the heavier weight comes first.
 * Returns how many were written to out[].
 */
PH_EXTERN size_t ph_profile_key_components(const ph_profile_scores *scores,
                                           const ph_profile_component **out, size_t max);

/* --- Reading a profile on behalf of an institution ------------------------------ */

typedef struct ph_profile_request {
    const char *uscc;           /* the enterprise */
    const char *institution_id; /* who reads: a row of table institution */
    unsigned purpose;           /* one PH_PURPOSE_* bit; 0: credit assessment */
    ph_date asof;               /* features as the platform knew them on this day; 0: today.
                                   The data date only: consent is judged on the day
                                   of the read, by the wall clock (access.h) */
} ph_profile_request;

/*
 * A profile as an institution receives it: derived values only. Opaque, so
 * that a new feature or field changes no caller's layout: read it through
 * the accessors below and free it with ph_profile_free.
 */
typedef struct ph_profile ph_profile;

/*
 * Read the profile of req->uscc for req->institution_id: the consent gate
 * (access.h) in subset mode over every source behind the features — a
 * profile needs a live consent for the purpose covering at least one of
 * them, and the read is logged —, then the firm's registration and features
 * as of req->asof (ph_registration_asof and ph_features_for, both point in
 * time: the size and status shown are those the platform knew on asof),
 * with the features of sources not covered withheld, then the scores.
 * Nothing raw is returned.
 *
 * Errors: PH_EDENIED when no consent covers any source (logged, the message
 * names what is missing); PH_ENOTFOUND for an unregistered enterprise or
 * institution, or a firm not yet known on asof; PH_ENOMEM; as
 * ph_access_check and ph_features_for otherwise. *out is set on success
 * only; free it with ph_profile_free.
 */
PH_EXTERN ph_status ph_profile_read(ph_store *store, const ph_profile_request *req,
                                    ph_profile **out, ph_error *err);

/* Free a profile. NULL is allowed. */
PH_EXTERN void ph_profile_free(ph_profile *p);

/* The firm's registration as of the profile's date (enterprise.h): uscc,
 * name, region, industry ("C13"), size, status... Valid while p lives. */
PH_EXTERN const ph_registration *ph_profile_registration(const ph_profile *p);

/* The as-of date the profile was read for, and the purpose (a PH_PURPOSE_* bit). */
PH_EXTERN ph_date ph_profile_asof(const ph_profile *p);
PH_EXTERN unsigned ph_profile_purpose(const ph_profile *p);

/* The date of the peer-median refresh the features used (ph_features_for):
 * the as-of date, or the latest refresh before it. */
PH_EXTERN ph_date ph_profile_peers_asof(const ph_profile *p);

/* The sources the consent covered (and the profile used), and those behind
 * the features that it did not cover. */
PH_EXTERN ph_source_set ph_profile_allowed(const ph_profile *p);
PH_EXTERN ph_source_set ph_profile_refused(const ph_profile *p);

/* The access-log entry of this read. */
PH_EXTERN int64_t ph_profile_log_seq(const ph_profile *p);

/* Feature `i`'s value (catalogue order, 0 .. ph_feature_count()-1); NaN
 * when missing, withheld or i is out of range. */
PH_EXTERN double ph_profile_value(const ph_profile *p, size_t i);

/* 1 when feature `i` was withheld for want of consent (its value is NaN),
 * else 0 (also for i out of range). */
PH_EXTERN int ph_profile_withheld(const ph_profile *p, size_t i);

/* The scores: dimensions, class and sub-class. Valid while p lives. */
PH_EXTERN const ph_profile_scores *ph_profile_get_scores(const ph_profile *p);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_PROFILE_H */
