/* Internal to the profile module: the rule tables (rules.c) that score.c
 * interprets. */
#ifndef PUHUI_PROFILE_INTERNAL_H
#define PUHUI_PROFILE_INTERNAL_H

#include "puhui/profile.h"

typedef struct profile_dimension_info {
    const char *name;
    const char *name_zh;
    const char *description;
} profile_dimension_info;

/* One feature's part in a dimension: `better` is +1 when a higher value is
 * better, -1 when lower is; points run 0..100 linearly from `worst` to
 * `best` reference values (for better = -1, from lo = best to hi = worst). */
typedef struct profile_component_rule {
    ph_profile_dimension dimension;
    const char *feature;
    int better;
    double lo, hi;
    double weight;
} profile_component_rule;

typedef enum profile_op { PROFILE_LT, PROFILE_LE, PROFILE_GE, PROFILE_GT } profile_op;

typedef struct profile_condition {
    const char *feature; /* NULL: no condition */
    profile_op op;
    double value;
} profile_condition;

typedef struct profile_class_rule {
    const char *class_name;
    const char *subclass;
    const char *sections; /* GB/T 4754 section letters the rule applies to; NULL: all */
    profile_condition when[2];
    const char *why;
} profile_class_rule;

typedef struct profile_class_label {
    const char *class_name;
    const char *name_zh;
    const char *name_en;
} profile_class_label;

extern const profile_dimension_info PROFILE_DIMENSIONS[PH_PROFILE_DIMENSION_COUNT];
extern const profile_component_rule PROFILE_COMPONENTS[];
extern const size_t PROFILE_COMPONENT_COUNT;
extern const profile_class_rule PROFILE_CLASSES[];
extern const size_t PROFILE_CLASS_RULE_COUNT;
extern const profile_class_label PROFILE_CLASS_LABELS[];
extern const size_t PROFILE_CLASS_LABEL_COUNT;

/* A dimension's score needs features behind at least this share of its weight. */
#define PROFILE_MIN_COVERAGE 0.5

#endif
