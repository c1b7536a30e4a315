/*
 * The profile's rules, as data: how each of the five dimensions is scored
 * from features, and how a firm is placed in one of four classes and twelve
 * sub-classes (docs/domain.md#credit-assessment, Hebei's "five-dimension tags").
 *
 * Change a weight, a reference point or a rule here, not in code: score.c
 * only interprets these tables. Reference points are where a feature's
 * points reach 0 and 100; between them points are linear, outside they are
 * clamped, so one extreme value cannot swamp a dimension.
 */
#include "profile/profile_internal.h"

/* Dimension names, in ph_profile_dimension order. */
const profile_dimension_info PROFILE_DIMENSIONS[PH_PROFILE_DIMENSION_COUNT] = {
    {"operating_stability", "经营稳定性", "how steady the business runs: age, volatility, "
                                      "growth, headcount, months without sales"},
    {"industry_prosperity", "行业景气度", "how the firm's industry and region are doing, and "
                                      "the firm against its peers"},
    {"credit_history", "信用记录", "loans repaid, tax and social security paid on time, "
                                  "lawsuits and penalties"},
    {"digital_footprint", "数字足迹", "how much of the firm's activity the platform can see"},
    {"policy_fit", "政策契合度", "patents, subsidies, supply-chain membership, green record and "
                               "first-loan eligibility"},
};

#define HIGHER 1
#define LOWER -1

const profile_component_rule PROFILE_COMPONENTS[] = {
    {PH_PROFILE_OPERATING_STABILITY, "age_months", HIGHER, 6, 120, 1.0},
    {PH_PROFILE_OPERATING_STABILITY, "status_abnormal", LOWER, 0, 1, 2.0},
    {PH_PROFILE_OPERATING_STABILITY, "sales_volatility_12m", LOWER, 0.1, 1.0, 1.0},
    {PH_PROFILE_OPERATING_STABILITY, "inflow_volatility_12m", LOWER, 0.1, 1.0, 1.0},
    {PH_PROFILE_OPERATING_STABILITY, "sales_growth_3m", HIGHER, -0.5, 0.3, 1.0},
    {PH_PROFILE_OPERATING_STABILITY, "inflow_growth_3m", HIGHER, -0.5, 0.3, 1.0},
    {PH_PROFILE_OPERATING_STABILITY, "months_without_sales_12m", LOWER, 0, 6, 1.0},
    {PH_PROFILE_OPERATING_STABILITY, "headcount_change_3m", HIGHER, -10, 5, 0.5},
    {PH_PROFILE_OPERATING_STABILITY, "top_buyer_share_3m", LOWER, 0.3, 0.9, 0.5},

    {PH_PROFILE_INDUSTRY_PROSPERITY, "industry_growth_12m", HIGHER, -0.2, 0.2, 2.0},
    {PH_PROFILE_INDUSTRY_PROSPERITY, "region_growth_12m", HIGHER, -0.2, 0.2, 1.0},
    {PH_PROFILE_INDUSTRY_PROSPERITY, "sales_vs_peer_12m", HIGHER, -0.8, 1.0, 1.0},
    {PH_PROFILE_INDUSTRY_PROSPERITY, "inflow_vs_peer_12m", HIGHER, -0.8, 1.0, 1.0},
    {PH_PROFILE_INDUSTRY_PROSPERITY, "power_vs_peer_3m", HIGHER, -0.8, 1.0, 0.5},

    {PH_PROFILE_CREDIT_HISTORY, "max_dpd_12m", LOWER, 0, 90, 2.0},
    {PH_PROFILE_CREDIT_HISTORY, "overdue_months_12m", LOWER, 0, 6, 1.0},
    {PH_PROFILE_CREDIT_HISTORY, "tax_grade_score", HIGHER, 0, 4, 2.0},
    {PH_PROFILE_CREDIT_HISTORY, "tax_late_count_12m", LOWER, 0, 4, 1.0},
    {PH_PROFILE_CREDIT_HISTORY, "ss_late_months_12m", LOWER, 0, 6, 1.0},
    {PH_PROFILE_CREDIT_HISTORY, "litigation_count_12m", LOWER, 0, 3, 1.0},
    {PH_PROFILE_CREDIT_HISTORY, "enforcement_open", LOWER, 0, 1, 2.0},
    {PH_PROFILE_CREDIT_HISTORY, "penalty_serious_24m", LOWER, 0, 1, 1.0},

    {PH_PROFILE_DIGITAL_FOOTPRINT, "coverage_share", HIGHER, 0, 1, 3.0},
    {PH_PROFILE_DIGITAL_FOOTPRINT, "has_payments", HIGHER, 0, 1, 1.0},
    {PH_PROFILE_DIGITAL_FOOTPRINT, "has_vat", HIGHER, 0, 1, 1.0},
    {PH_PROFILE_DIGITAL_FOOTPRINT, "has_power", HIGHER, 0, 1, 1.0},
    {PH_PROFILE_DIGITAL_FOOTPRINT, "has_social_security", HIGHER, 0, 1, 1.0},
    {PH_PROFILE_DIGITAL_FOOTPRINT, "active_days_3m", HIGHER, 0, 60, 1.0},

    {PH_PROFILE_POLICY_FIT, "patents_total", HIGHER, 0, 5, 1.0},
    {PH_PROFILE_POLICY_FIT, "invention_patents", HIGHER, 0, 2, 1.0},
    {PH_PROFILE_POLICY_FIT, "subsidy_12m", HIGHER, 0, 100000, 1.0},
    {PH_PROFILE_POLICY_FIT, "green_subsidy_24m", HIGHER, 0, 50000, 0.5},
    {PH_PROFILE_POLICY_FIT, "environment_penalty_24m", LOWER, 0, 1, 1.0},
    {PH_PROFILE_POLICY_FIT, "chain_member", HIGHER, 0, 1, 1.0},
    {PH_PROFILE_POLICY_FIT, "credit_white", HIGHER, 0, 1, 0.5},
};

const size_t PROFILE_COMPONENT_COUNT = sizeof(PROFILE_COMPONENTS) / sizeof(PROFILE_COMPONENTS[0]);

/* Classes and sub-classes. The first rule whose conditions all hold wins;
 * a condition on a missing feature does not hold. `sections` limits a rule
 * to GB/T 4754 sections (NULL: any). The last rule has no condition, so
 * every firm is placed. */
#define COND(f, op, v) {f, op, v}
#define NONE {NULL, PROFILE_GE, 0}

static const char TRANSITION[] = "in_transition";
static const char TECH[] = "high_potential_tech";
static const char MANUFACTURING[] = "stable_manufacturing";
static const char SERVICES[] = "volatile_services";

const profile_class_rule PROFILE_CLASSES[] = {
    {TRANSITION, "distressed", NULL, {COND("enforcement_open", PROFILE_GE, 1), NONE},
     "a court enforcement against the firm is open"},
    {TRANSITION, "distressed", NULL, {COND("status_abnormal", PROFILE_GE, 1), NONE},
     "the firm is listed for abnormal operation"},
    {TRANSITION, "distressed", NULL, {COND("max_dpd_12m", PROFILE_GE, 30), NONE},
     "a loan was 30 or more days past due in the last 12 months"},
    {TRANSITION, "declining", NULL, {COND("inflow_growth_3m", PROFILE_LE, -0.3), NONE},
     "payment inflow fell by 30% or more against the 3 months before"},
    {TRANSITION, "declining", NULL, {COND("sales_growth_3m", PROFILE_LE, -0.3), NONE},
     "invoiced sales fell by 30% or more against the 3 months before"},
    {TRANSITION, "thin_data", NULL, {COND("coverage_share", PROFILE_LT, 0.34), NONE},
     "the platform sees fewer than a third of the firm's usual sources"},
    {TECH, "patent_rich", NULL, {COND("invention_patents", PROFILE_GE, 2), NONE},
     "the firm holds two or more invention patents"},
    {TECH, "fast_growing", NULL,
     {COND("patents_total", PROFILE_GE, 1), COND("sales_yoy_3m", PROFILE_GE, 0.15)},
     "a patent holder with sales up 15% or more on the same months last year"},
    {TECH, "early_stage", "IM", {COND("age_months", PROFILE_LT, 48), NONE},
     "a young firm in information technology or research and technical services"},
    {MANUFACTURING, "chain_supplier", "C", {COND("chain_member", PROFILE_GE, 1), NONE},
     "a manufacturer in a core enterprise's confirmed supply chain"},
    {MANUFACTURING, "steady_power", "C", {COND("power_volatility_12m", PROFILE_LT, 0.35), NONE},
     "a manufacturer whose power use varies little from month to month"},
    {MANUFACTURING, "general_manufacturing", "C", {NONE, NONE},
     "a manufacturer without a steadier signal"},
    {SERVICES, "trade", "F", {NONE, NONE}, "a wholesale or retail business"},
    {SERVICES, "consumer_services", "HKLNOPQR", {NONE, NONE},
     "a consumer or business service: catering, lodging, property, leasing, repair, "
     "education, health, culture"},
    {SERVICES, "project_and_seasonal", NULL, {NONE, NONE},
     "a project-based or seasonal trade: farming, construction, transport and others"},
};

const size_t PROFILE_CLASS_RULE_COUNT = sizeof(PROFILE_CLASSES) / sizeof(PROFILE_CLASSES[0]);

const profile_class_label PROFILE_CLASS_LABELS[] = {
    {TECH, "科技成长型", "high-potential technology"},
    {MANUFACTURING, "稳健制造型", "stable manufacturing"},
    {SERVICES, "波动服务型", "volatile services"},
    {TRANSITION, "转型调整型", "in transition"},
};

const size_t PROFILE_CLASS_LABEL_COUNT =
    sizeof(PROFILE_CLASS_LABELS) / sizeof(PROFILE_CLASS_LABELS[0]);
