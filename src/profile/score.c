/*
 * Scoring a profile: the five dimensions and the class, from feature values,
 * by the tables in rules.c.
 *
 * Missing stays missing. A component whose feature is missing scores
 * nothing and its weight is left out; a dimension with features behind less
 * than half of its weight has no score ("insufficient data") rather than a
 * score made of what little is there. So a firm with no footprint shows a
 * low digital-footprint score and unscored dimensions, never a clean bill.
 */
#include <math.h>
#include <string.h>

#include "profile/profile_internal.h"

static double component_points(const profile_component_rule *rule, double value)
{
    if (isnan(value))
        return NAN;
    double t = (value - rule->lo) / (rule->hi - rule->lo);
    if (t < 0)
        t = 0;
    if (t > 1)
        t = 1;
    return 100.0 * (rule->better > 0 ? t : 1.0 - t);
}

static void score_dimensions(ph_profile_value_fn value, void *user, ph_profile_scores *out)
{
    double weight_all[PH_PROFILE_DIMENSION_COUNT] = {0};
    double weight_seen[PH_PROFILE_DIMENSION_COUNT] = {0};
    double points_sum[PH_PROFILE_DIMENSION_COUNT] = {0};
    for (size_t d = 0; d < PH_PROFILE_DIMENSION_COUNT; d++) {
        out->dimensions[d].name = PROFILE_DIMENSIONS[d].name;
        out->dimensions[d].name_zh = PROFILE_DIMENSIONS[d].name_zh;
        out->dimensions[d].description = PROFILE_DIMENSIONS[d].description;
    }
    for (size_t i = 0; i < PROFILE_COMPONENT_COUNT; i++) {
        const profile_component_rule *rule = &PROFILE_COMPONENTS[i];
        ph_profile_dimension_score *dim = &out->dimensions[rule->dimension];
        if (dim->component_count >= PH_PROFILE_MAX_COMPONENTS)
            continue; /* rules.c holds fewer; the test of the tables checks it */
        ph_profile_component *c = &dim->components[dim->component_count++];
        c->feature = rule->feature;
        c->value = value(user, rule->feature);
        c->points = component_points(rule, c->value);
        c->weight = rule->weight;
        weight_all[rule->dimension] += rule->weight;
        if (!isnan(c->points)) {
            weight_seen[rule->dimension] += rule->weight;
            points_sum[rule->dimension] += rule->weight * c->points;
        }
    }
    for (size_t d = 0; d < PH_PROFILE_DIMENSION_COUNT; d++) {
        ph_profile_dimension_score *dim = &out->dimensions[d];
        dim->coverage = weight_all[d] > 0 ? weight_seen[d] / weight_all[d] : 0;
        dim->score = dim->coverage >= PROFILE_MIN_COVERAGE ? points_sum[d] / weight_seen[d] : NAN;
    }
}

static int condition_holds(const profile_condition *c, ph_profile_value_fn value, void *user)
{
    if (c->feature == NULL)
        return 1;
    double v = value(user, c->feature);
    if (isnan(v))
        return 0;
    switch (c->op) {
    case PROFILE_LT: return v < c->value;
    case PROFILE_LE: return v <= c->value;
    case PROFILE_GE: return v >= c->value;
    case PROFILE_GT: return v > c->value;
    }
    return 0;
}

static const profile_class_label *class_label(const char *class_name)
{
    for (size_t i = 0; i < PROFILE_CLASS_LABEL_COUNT; i++)
        if (strcmp(PROFILE_CLASS_LABELS[i].class_name, class_name) == 0)
            return &PROFILE_CLASS_LABELS[i];
    return NULL;
}

static ph_status place_in_class(ph_profile_value_fn value, void *user, char section,
                                ph_profile_scores *out, ph_error *err)
{
    for (size_t i = 0; i < PROFILE_CLASS_RULE_COUNT; i++) {
        const profile_class_rule *rule = &PROFILE_CLASSES[i];
        if (rule->sections != NULL && (section == '\0' || strchr(rule->sections, section) == NULL))
            continue;
        if (!condition_holds(&rule->when[0], value, user) ||
            !condition_holds(&rule->when[1], value, user))
            continue;
        const profile_class_label *label = class_label(rule->class_name);
        out->class_name = rule->class_name;
        out->class_zh = label ? label->name_zh : rule->class_name;
        out->class_en = label ? label->name_en : rule->class_name;
        out->subclass = rule->subclass;
        out->class_reason = rule->why;
        return PH_OK;
    }
    /* rules.c ends with a catch-all, so this means the tables were broken */
    return ph_error_set(err, PH_EMISUSE, "profile rules", NULL,
                        "expected the last class rule to match every firm");
}

ph_status ph_profile_score(ph_profile_value_fn value, void *user, char industry_section,
                           ph_profile_scores *out, ph_error *err)
{
    if (value == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_profile_score: value and out must not be NULL");
    if (industry_section != '\0' && (industry_section < 'A' || industry_section > 'T'))
        return ph_error_setn(err, PH_EINVAL, "industry_section", &industry_section, 1,
                              "expected a GB/T 4754 section letter A to T");
    ph_profile_scores scores;
    memset(&scores, 0, sizeof(scores));
    score_dimensions(value, user, &scores);
    ph_status st = place_in_class(value, user, industry_section, &scores, err);
    if (st == PH_OK)
        *out = scores;
    return st;
}

size_t ph_profile_subclass_count(void)
{
    size_t count = 0;
    for (size_t i = 0; i < PROFILE_CLASS_RULE_COUNT; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(PROFILE_CLASSES[j].class_name, PROFILE_CLASSES[i].class_name) == 0 &&
                   strcmp(PROFILE_CLASSES[j].subclass, PROFILE_CLASSES[i].subclass) == 0;
        count += !seen;
    }
    return count;
}

/* Insert c into the `n` entries of out (capacity max) kept sorted by
 * `before`; returns the new count. */
static size_t insert_sorted(const ph_profile_component **out, size_t n, size_t max,
                            const ph_profile_component *c,
                            int (*before)(const ph_profile_component *,
                                          const ph_profile_component *))
{
    size_t at = n;
    while (at > 0 && before(c, out[at - 1]))
        at--;
    if (at >= max)
        return n;
    size_t last = n < max ? n : max - 1;
    for (size_t j = last; j > at; j--)
        out[j] = out[j - 1];
    out[at] = c;
    return n < max ? n + 1 : n;
}

/* Weakest first; among equals, the heavier weight first. */
static int weaker(const ph_profile_component *a, const ph_profile_component *b)
{
    return a->points < b->points || (a->points == b->points && a->weight > b->weight);
}

/* Strongest first; among equals, the heavier weight first. */
static int stronger(const ph_profile_component *a, const ph_profile_component *b)
{
    return a->points > b->points || (a->points == b->points && a->weight > b->weight);
}

size_t ph_profile_key_components(const ph_profile_scores *scores,
                                 const ph_profile_component **out, size_t max)
{
    if (scores == NULL || out == NULL || max == 0)
        return 0;
    /* half concerns (points below 50), half strengths (above 50); a side
     * with fewer leaves its room to the other */
    const ph_profile_component *weak[PH_PROFILE_DIMENSION_COUNT * PH_PROFILE_MAX_COMPONENTS];
    const ph_profile_component *strong[PH_PROFILE_DIMENSION_COUNT * PH_PROFILE_MAX_COMPONENTS];
    size_t nweak = 0, nstrong = 0, cap = sizeof(weak) / sizeof(weak[0]);
    for (size_t d = 0; d < PH_PROFILE_DIMENSION_COUNT; d++) {
        const ph_profile_dimension_score *dim = &scores->dimensions[d];
        for (size_t i = 0; i < dim->component_count; i++) {
            const ph_profile_component *c = &dim->components[i];
            if (isnan(c->points) || c->points == 50.0)
                continue;
            if (c->points < 50.0)
                nweak = insert_sorted(weak, nweak, cap, c, weaker);
            else
                nstrong = insert_sorted(strong, nstrong, cap, c, stronger);
        }
    }
    size_t take_weak = nweak < (max + 1) / 2 ? nweak : (max + 1) / 2;
    size_t take_strong = nstrong < max - take_weak ? nstrong : max - take_weak;
    if (take_weak + take_strong < max)
        take_weak = nweak < max - take_strong ? nweak : max - take_strong;
    size_t n = 0;
    for (size_t i = 0; i < take_weak; i++)
        out[n++] = weak[i];
    for (size_t i = 0; i < take_strong; i++)
        out[n++] = strong[i];
    return n;
}
