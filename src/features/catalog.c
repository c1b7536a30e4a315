/*
 * The feature catalogue: one row of data per feature, from which the CSV
 * header, `puhui features list`, docs/features.md and, later, reason codes
 * are all derived. The definitions themselves are in compute.c; each
 * description here says exactly what compute.c does, in a credit officer's
 * words.
 */
#include <math.h>
#include <string.h>

#include "features/features_internal.h"

#define Y PH_UNIT_YUAN
#define R PH_UNIT_RATIO
#define P PH_UNIT_PEOPLE
#define K PH_UNIT_KWH
#define D PH_UNIT_DAYS
#define M PH_UNIT_MONTHS
#define C PH_UNIT_COUNT
#define F PH_UNIT_FLAG
#define S PH_UNIT_SCORE
#define OPS PH_DIM_OPERATING_STABILITY
#define IND PH_DIM_INDUSTRY_PROSPERITY
#define CRH PH_DIM_CREDIT_HISTORY
#define DIG PH_DIM_DIGITAL_FOOTPRINT
#define POL PH_DIM_POLICY_FIT
#define COV PH_DIM_COVERAGE
#define NEU PH_DIRECTION_NEUTRAL
#define BET PH_DIRECTION_HIGHER_BETTER
#define WOR PH_DIRECTION_HIGHER_WORSE

static const ph_feature FEATURES[] = {
    [FI_HAS_VAT] = {"has_vat", F, COV, BET, 0, "vat_invoices",
        "1 when VAT invoice data exists for any of the last 12 complete months, else 0",
        "VAT invoice data covers the firm",
        "no VAT invoice data in the last 12 months", NULL,
        "VAT invoice coverage"},
    [FI_HAS_TAX] = {"has_tax", F, COV, BET, 0, "tax_payments",
        "1 when tax payment records exist for any of the last 12 complete months, else 0",
        "tax payment records cover the firm",
        "no tax payment records in the last 12 months", NULL,
        "tax payment coverage"},
    [FI_HAS_SOCIAL_SECURITY] = {"has_social_security", F, COV, BET, 0, "social_security",
        "1 when social-security data exists for any of the last 12 complete months, else 0",
        "social-security data covers the firm",
        "no social-security data in the last 12 months", NULL,
        "social-security coverage"},
    [FI_HAS_POWER] = {"has_power", F, COV, BET, 0, "electricity_daily, electricity_monthly",
        "1 when electricity data (daily or monthly) exists for any of the last 12 complete months, else 0",
        "electricity data covers the firm",
        "no electricity data in the last 12 months", NULL,
        "electricity coverage"},
    [FI_HAS_PAYMENTS] = {"has_payments", F, COV, BET, 0, "payments_daily",
        "1 when payment-flow data exists for any of the last 12 complete months, else 0",
        "payment-flow data covers the firm",
        "no payment-flow data in the last 12 months", NULL,
        "payment-flow coverage"},
    [FI_HAS_CREDIT_HISTORY] = {"has_credit_history", F, COV, BET, 0, "credit_loans, credit_status",
        "1 when the credit bureau reported a loan status in the last 12 complete months or a loan opened in the last 12 months, else 0",
        "the credit bureau reports on the firm",
        "no credit bureau data in the last 12 months", NULL,
        "credit bureau coverage"},
    [FI_COVERAGE_SHARE] = {"coverage_share", R, COV, BET, 6, "vat_invoices, tax_payments, social_security, electricity_daily, "
        "electricity_monthly, payments_daily, credit_loans, credit_status",
        "share of the six sources VAT, tax, social security, power, payments and credit bureau with data in the last 12 months",
        "%s of the six main data sources cover the firm",
        "none of the six main data sources covers the firm", NULL,
        "data-source coverage"},
    [FI_AGE_MONTHS] = {"age_months", M, OPS, BET, 0, "registration",
        "whole months from the registration date to the as-of date",
        "the firm was registered %s ago",
        "the firm was registered this month", "the firm's registration date is unknown",
        "the firm's age"},
    [FI_STATUS_ABNORMAL] = {"status_abnormal", F, OPS, WOR, 0, "registration",
        "1 when the business status is abnormal, deregistered or revoked from a date on or before the as-of date",
        "the firm's business status is abnormal, deregistered or revoked",
        "the firm's business status is normal", "the firm's business status is unknown",
        "business status"},
    [FI_SALES_3M] = {"sales_3m", Y, OPS, BET, 2, "vat_invoices",
        "invoiced sales of the last 3 complete months (a month without a report counts as the mean of the reported ones)",
        "invoiced sales of the last 3 months were %s",
        "no invoiced sales in the last 3 months", NULL,
        "invoiced sales of the last 3 months"},
    [FI_SALES_12M] = {"sales_12m", Y, OPS, BET, 2, "vat_invoices",
        "invoiced sales of the last 12 complete months (a month without a report counts as the mean of the reported ones)",
        "invoiced sales of the last 12 months were %s",
        "no invoiced sales in the last 12 months", NULL,
        "invoiced sales of the last 12 months"},
    [FI_SALES_GROWTH_3M] = {"sales_growth_3m", R, OPS, BET, 6, "vat_invoices",
        "mean monthly invoiced sales of the last 3 months against the 3 before, minus 1 (-1 = fell to zero)",
        "invoiced sales [rose|fell] by %~s over the last 3 months against the 3 before",
        "invoiced sales were unchanged over the last 3 months against the 3 before", NULL,
        "the change in invoiced sales over the last 3 months"},
    [FI_SALES_YOY_3M] = {"sales_yoy_3m", R, OPS, BET, 6, "vat_invoices",
        "mean monthly invoiced sales of the last 3 months against the same 3 months a year earlier, minus 1",
        "invoiced sales [rose|fell] by %~s against the same months last year",
        "invoiced sales were unchanged against the same months last year", NULL,
        "invoiced sales against the same months last year"},
    [FI_SALES_TREND_12M] = {"sales_trend_12m", R, OPS, BET, 6, "vat_invoices",
        "least-squares slope of monthly sales over the last 12 months, as a share of mean monthly sales per month",
        "invoiced sales trended [up|down] by %~s a month over the last 12 months",
        "invoiced sales were flat over the last 12 months", NULL,
        "the trend of invoiced sales"},
    [FI_SALES_VOLATILITY_12M] = {"sales_volatility_12m", R, OPS, WOR, 6, "vat_invoices",
        "coefficient of variation (standard deviation / mean) of the reported monthly sales of the last 12 months",
        "monthly invoiced sales vary by %s of their mean",
        "monthly invoiced sales were steady over the last 12 months", NULL,
        "the volatility of invoiced sales"},
    [FI_SALES_VS_PEER_12M] = {"sales_vs_peer_12m", R, IND, BET, 6, "vat_invoices",
        "sales_12m against the median of the firm's peer group (industry section and city), minus 1",
        "sales of the last 12 months were %~s [above|below] the peer median",
        "sales of the last 12 months equal the peer median", NULL,
        "sales against the peer median"},
    [FI_PURCHASE_TO_SALES_12M] = {"purchase_to_sales_12m", R, OPS, NEU, 6, "vat_invoices",
        "invoiced purchases over invoiced sales, reported months of the last 12",
        "invoiced purchases are %s of invoiced sales",
        "no invoiced purchases against the sales of the last 12 months", NULL,
        "purchases against sales"},
    [FI_TOP_BUYER_SHARE_3M] = {"top_buyer_share_3m", R, OPS, WOR, 6, "vat_invoices",
        "share of the last 3 months' sales that went to each month's largest buyer (sales-weighted)",
        "the largest buyer takes %s of invoiced sales",
        "no invoiced sales went to a largest buyer in the last 3 months", NULL,
        "the largest buyer's share of sales"},
    [FI_MONTHS_WITHOUT_SALES_12M] = {"months_without_sales_12m", M, OPS, WOR, 0, "vat_invoices",
        "reported months of the last 12 with no invoiced sales",
        "no invoiced sales in %s of the last 12",
        "invoiced sales in every reported month of the last 12", NULL,
        "months without invoiced sales"},
    [FI_TAX_PAID_12M] = {"tax_paid_12m", Y, CRH, BET, 2, "tax_payments",
        "tax paid for the tax periods ending in the last 12 complete months",
        "tax paid over the last 12 months was %s",
        "no tax paid over the last 12 months", NULL,
        "tax paid over the last 12 months"},
    [FI_TAX_LATE_COUNT_12M] = {"tax_late_count_12m", C, CRH, WOR, 0, "tax_payments",
        "tax payments of those periods made late or still unpaid",
        "%s late tax {payment|payments} in the last 12 months",
        "no late tax payments in the last 12 months", NULL,
        "late tax payments"},
    [FI_TAX_GRADE_SCORE] = {"tax_grade_score", S, CRH, BET, 0, "tax_grades",
        "latest published tax credit grade: A=4, B=3, M=2, C=1, D=0",
        "tax credit grade %<D|C|M|B|A> (score %s of 4)",
        "tax credit grade D, the lowest", "no tax credit grade has been published for the firm",
        "the tax credit grade"},
    [FI_TAX_GRADE_D] = {"tax_grade_d", F, CRH, WOR, 0, "tax_grades",
        "1 when the latest published tax credit grade is D, else 0 (also 0 with no grade)",
        "the latest tax credit grade is D, the lowest",
        "the latest tax credit grade is not D", NULL,
        "the tax credit grade"},
    [FI_HEADCOUNT_LAST] = {"headcount_last", P, OPS, BET, 0, "social_security",
        "insured employees in the latest reported month of the last 12",
        "%s insured {employee|employees}",
        "no insured employees", NULL,
        "insured employees"},
    [FI_HEADCOUNT_CHANGE_3M] = {"headcount_change_3m", P, OPS, BET, 0, "social_security",
        "insured employees in the latest reported month minus 3 months before it",
        "social-security headcount [rose|fell] by %~s {person|people} over 3 months",
        "social-security headcount unchanged over 3 months", NULL,
        "the change in headcount"},
    [FI_WAGE_BASE_3M] = {"wage_base_3m", Y, OPS, BET, 2, "social_security",
        "contribution wage base of the last 3 complete months (a month without a report counts as the mean of the reported ones)",
        "wage base of the last 3 months was %s",
        "no wage base reported in the last 3 months", NULL,
        "the wage base of the last 3 months"},
    [FI_WAGE_TO_SALES_12M] = {"wage_to_sales_12m", R, OPS, NEU, 6, "social_security, vat_invoices",
        "wage base of the last 12 months over sales_12m: a wage-bill proxy",
        "wages are %s of invoiced sales",
        "no wages against the invoiced sales of the last 12 months", NULL,
        "wages against sales"},
    [FI_SS_LATE_MONTHS_12M] = {"ss_late_months_12m", M, CRH, WOR, 0, "social_security",
        "reported months of the last 12 whose contributions were paid late",
        "social-security contributions late in %s of the last 12",
        "social-security contributions paid on time in every reported month of the last 12", NULL,
        "late social-security contributions"},
    [FI_POWER_KWH_3M] = {"power_kwh_3m", K, DIG, BET, 1, "electricity_daily, electricity_monthly",
        "electricity used in the last 3 complete months (daily meters summed; a month without data counts as the mean of the others)",
        "electricity use of the last 3 months was %s",
        "no electricity used in the last 3 months", NULL,
        "electricity use of the last 3 months"},
    [FI_POWER_GROWTH_3M] = {"power_growth_3m", R, DIG, BET, 6, "electricity_daily, electricity_monthly",
        "mean monthly electricity use of the last 3 months against the 3 before, minus 1",
        "electricity use [rose|fell] by %~s over the last 3 months against the 3 before",
        "electricity use was unchanged over the last 3 months against the 3 before", NULL,
        "the change in electricity use over the last 3 months"},
    [FI_POWER_YOY_3M] = {"power_yoy_3m", R, DIG, BET, 6, "electricity_daily, electricity_monthly",
        "mean monthly electricity use of the last 3 months against the same months a year earlier, minus 1",
        "electricity use [rose|fell] by %~s against the same months last year",
        "electricity use was unchanged against the same months last year", NULL,
        "electricity use against the same months last year"},
    [FI_POWER_VOLATILITY_12M] = {"power_volatility_12m", R, DIG, WOR, 6, "electricity_daily, electricity_monthly",
        "coefficient of variation of monthly electricity use over the last 12 months",
        "monthly electricity use varies by %s of its mean",
        "monthly electricity use was steady over the last 12 months", NULL,
        "the volatility of electricity use"},
    [FI_POWER_VS_PEER_3M] = {"power_vs_peer_3m", R, IND, BET, 6, "electricity_daily, electricity_monthly",
        "power_kwh_3m against the median of the firm's peer group, minus 1",
        "electricity use of the last 3 months was %~s [above|below] the peer median",
        "electricity use of the last 3 months equals the peer median", NULL,
        "electricity use against the peer median"},
    [FI_INFLOW_1M] = {"inflow_1m", Y, DIG, BET, 2, "payments_daily",
        "incoming payments of the last complete month (a day without a row had none)",
        "payment inflow of the last month was %s",
        "no incoming payments in the last month", NULL,
        "payment inflow of the last month"},
    [FI_INFLOW_3M] = {"inflow_3m", Y, DIG, BET, 2, "payments_daily",
        "incoming payments of the last 3 complete months",
        "payment inflow of the last 3 months was %s",
        "no incoming payments in the last 3 months", NULL,
        "payment inflow of the last 3 months"},
    [FI_INFLOW_12M] = {"inflow_12m", Y, DIG, BET, 2, "payments_daily",
        "incoming payments of the last 12 complete months",
        "payment inflow of the last 12 months was %s",
        "no incoming payments in the last 12 months", NULL,
        "payment inflow of the last 12 months"},
    [FI_INFLOW_GROWTH_3M] = {"inflow_growth_3m", R, DIG, BET, 6, "payments_daily",
        "incoming payments of the last 3 months against the 3 before, minus 1",
        "payment inflow [rose|fell] by %~s over the last 3 months against the 3 before",
        "payment inflow was unchanged over the last 3 months against the 3 before", NULL,
        "the change in payment inflow over the last 3 months"},
    [FI_INFLOW_YOY_3M] = {"inflow_yoy_3m", R, DIG, BET, 6, "payments_daily",
        "incoming payments of the last 3 months against the same months a year earlier, minus 1",
        "payment inflow [rose|fell] by %~s against the same months last year",
        "payment inflow was unchanged against the same months last year", NULL,
        "payment inflow against the same months last year"},
    [FI_INFLOW_VOLATILITY_12M] = {"inflow_volatility_12m", R, DIG, WOR, 6, "payments_daily",
        "coefficient of variation of monthly inflow over the last 12 months, from the first month with data",
        "monthly payment inflow varies by %s of its mean",
        "monthly payment inflow was steady over the last 12 months", NULL,
        "the volatility of payment inflow"},
    [FI_INFLOW_TREND_12M] = {"inflow_trend_12m", R, DIG, BET, 6, "payments_daily",
        "least-squares slope of monthly inflow over the last 12 months (from the first month with data), as a share of the mean per month",
        "payment inflow trended [up|down] by %~s a month over the last 12 months",
        "payment inflow was flat over the last 12 months", NULL,
        "the trend of payment inflow"},
    [FI_INFLOW_VS_PEER_12M] = {"inflow_vs_peer_12m", R, IND, BET, 6, "payments_daily",
        "inflow_12m against the median of the firm's peer group, minus 1",
        "payment inflow of the last 12 months was %~s [above|below] the peer median",
        "payment inflow of the last 12 months equals the peer median", NULL,
        "payment inflow against the peer median"},
    [FI_PAYMENTS_TO_SALES_12M] = {"payments_to_sales_12m", R, DIG, BET, 6, "payments_daily, vat_invoices",
        "inflow_12m over sales_12m: how much of invoiced sales is seen as payments",
        "payments received are %s of invoiced sales",
        "no payments received against the invoiced sales of the last 12 months", NULL,
        "payments received against invoiced sales"},
    [FI_ACTIVE_DAYS_3M] = {"active_days_3m", D, DIG, BET, 0, "payments_daily",
        "days with at least one incoming payment in the last 3 complete months",
        "payments received on %s in the last 3 months",
        "no incoming payments on any day of the last 3 months", NULL,
        "days with incoming payments"},
    [FI_DAYS_SINCE_LAST_INFLOW] = {"days_since_last_inflow", D, DIG, WOR, 0, "payments_daily",
        "days from the last day with an incoming payment known by the as-of date; missing when none ever",
        "no incoming payment for %s",
        "an incoming payment arrived on the as-of date", "no incoming payment has ever been recorded",
        "the last incoming payment"},
    [FI_LITIGATION_COUNT_12M] = {"litigation_count_12m", C, CRH, WOR, 0, "litigation",
        "court cases filed in the last 12 months against the firm (defendant or enforced party)",
        "%s court {case|cases} filed against the firm in the last 12 months",
        "no court cases filed against the firm in the last 12 months", NULL,
        "court cases against the firm"},
    [FI_LITIGATION_OPEN] = {"litigation_open", C, CRH, WOR, 0, "litigation",
        "cases against the firm filed and not closed by the as-of date",
        "%s open court {case|cases} against the firm",
        "no open court cases against the firm", NULL,
        "open court cases"},
    [FI_ENFORCEMENT_OPEN] = {"enforcement_open", C, CRH, WOR, 0, "litigation",
        "open enforcement cases (执行) in which the firm is the enforced party",
        "%s open enforcement {case|cases} against the firm",
        "no open enforcement cases against the firm", NULL,
        "open enforcement cases"},
    [FI_PENALTY_COUNT_12M] = {"penalty_count_12m", C, CRH, WOR, 0, "penalties",
        "administrative penalties decided in the last 12 months",
        "%s administrative {penalty|penalties} in the last 12 months",
        "no administrative penalties in the last 12 months", NULL,
        "administrative penalties"},
    [FI_PENALTY_SERIOUS_24M] = {"penalty_serious_24m", C, CRH, WOR, 0, "penalties",
        "penalties classified serious (严重违法) in the last 24 months",
        "%s serious {penalty|penalties} in the last 24 months",
        "no serious penalties in the last 24 months", NULL,
        "serious penalties"},
    [FI_ENVIRONMENT_PENALTY_24M] = {"environment_penalty_24m", C, CRH, WOR, 0, "penalties",
        "environmental penalties in the last 24 months",
        "%s environmental {penalty|penalties} in the last 24 months",
        "no environmental penalties in the last 24 months", NULL,
        "environmental penalties"},
    [FI_DAYS_SINCE_PENALTY] = {"days_since_penalty", D, CRH, BET, 0, "penalties",
        "days since the latest penalty decision; missing when the firm has had none",
        "the latest penalty was %s ago",
        "a penalty was decided on the as-of date", "no penalty on record",
        "the latest penalty"},
    [FI_LOANS_OPEN] = {"loans_open", C, CRH, NEU, 0, "credit_loans",
        "loans opened by the as-of date whose maturity is after it",
        "%s {loan|loans} open",
        "no loans open", NULL,
        "open loans"},
    [FI_LOAN_BALANCE] = {"loan_balance", Y, CRH, NEU, 2, "credit_status",
        "outstanding balance of all loans at the end of the latest complete reporting month; missing for a credit-white firm",
        "outstanding loan balance %s",
        "no outstanding loan balance", "no loan balance on record (no loan history)",
        "the outstanding loan balance"},
    [FI_MAX_DPD_12M] = {"max_dpd_12m", D, CRH, WOR, 0, "credit_status",
        "most days past due on any loan at a month end of the last 12 complete months; missing for a credit-white firm",
        "a loan was up to %s past due in the last 12 months",
        "no loan past due in the last 12 months", "no loan repayment record (no loan history)",
        "loans past due"},
    [FI_OVERDUE_MONTHS_12M] = {"overdue_months_12m", M, CRH, WOR, 0, "credit_status",
        "months of the last 12 with any loan past due at month end; missing for a credit-white firm",
        "loans past due in %s of the last 12",
        "loans repaid on time in every month of the last 12", "no loan repayment record (no loan history)",
        "months with loans past due"},
    [FI_CREDIT_WHITE] = {"credit_white", F, CRH, NEU, 0, "credit_loans",
        "1 when no loan of the firm is known by the as-of date (信用白户), else 0",
        "no loan history (credit-white)",
        "the firm has a loan history", NULL,
        "loan history"},
    [FI_CREDIT_HISTORY_MONTHS] = {"credit_history_months", M, CRH, BET, 0, "credit_loans",
        "whole months since the first loan was opened; missing for a credit-white firm",
        "credit history of %s",
        "credit history of less than a month", "no credit history (no loan on record)",
        "the length of credit history"},
    [FI_SUBSIDY_12M] = {"subsidy_12m", Y, POL, BET, 2, "subsidies",
        "government subsidies paid in the last 12 months",
        "subsidies of %s received in the last 12 months",
        "no subsidies received in the last 12 months", NULL,
        "subsidies received"},
    [FI_GREEN_SUBSIDY_24M] = {"green_subsidy_24m", Y, POL, BET, 2, "subsidies",
        "green-programme subsidies paid in the last 24 months",
        "green subsidies of %s received in the last 24 months",
        "no green subsidies received in the last 24 months", NULL,
        "green subsidies received"},
    [FI_PATENTS_TOTAL] = {"patents_total", C, POL, BET, 0, "patents",
        "patents granted to the firm by the as-of date",
        "%s {patent|patents} granted",
        "no patents granted", NULL,
        "patents"},
    [FI_INVENTION_PATENTS] = {"invention_patents", C, POL, BET, 0, "patents",
        "invention patents (发明) among them",
        "%s invention {patent|patents}",
        "no invention patents", NULL,
        "invention patents"},
    [FI_CHAIN_MEMBER] = {"chain_member", F, POL, BET, 0, "supply_chain",
        "1 when the firm is a confirmed supplier or buyer in a core enterprise's supply chain, else 0",
        "member of a core enterprise's supply chain",
        "not a member of a core enterprise's supply chain", NULL,
        "supply-chain membership"},
    [FI_CHAIN_TIER] = {"chain_tier", S, POL, WOR, 0, "supply_chain",
        "the firm's closest tier to a core enterprise (1 sells to it directly); missing outside chains",
        "supply-chain tier %s (tier 1 sells to the core enterprise directly)",
        "the core enterprise itself", "not in a core enterprise's supply chain",
        "the supply-chain tier"},
    [FI_INDUSTRY_GROWTH_12M] = {"industry_growth_12m", R, IND, BET, 6, "vat_invoices",
        "median sales_yoy_3m of the firms of the same industry section in the province: industry prosperity",
        "sales in the firm's industry [rose|fell] by %~s over the year",
        "sales in the firm's industry were unchanged over the year", NULL,
        "industry sales growth"},
    [FI_REGION_GROWTH_12M] = {"region_growth_12m", R, IND, BET, 6, "vat_invoices",
        "median sales_yoy_3m of the firms of the same city, all industries",
        "sales in the firm's city [rose|fell] by %~s over the year",
        "sales in the firm's city were unchanged over the year", NULL,
        "city sales growth"},
};

_Static_assert(sizeof(FEATURES) / sizeof(FEATURES[0]) == PH_FEATURE_COUNT,
               "PH_FEATURE_COUNT must match the catalogue");
_Static_assert(FI_COUNT == PH_FEATURE_COUNT, "the index enum must match the catalogue");

size_t ph_feature_count(void)
{
    return PH_FEATURE_COUNT;
}

const ph_feature *ph_feature_at(size_t index)
{
    return index < PH_FEATURE_COUNT ? &FEATURES[index] : NULL;
}

int ph_feature_index(const char *name)
{
    for (size_t i = 0; name != NULL && i < PH_FEATURE_COUNT; i++)
        if (strcmp(FEATURES[i].name, name) == 0)
            return (int)i;
    return -1;
}

const ph_feature *ph_feature_find(const char *name)
{
    int i = ph_feature_index(name);
    return i < 0 ? NULL : &FEATURES[i];
}

static const char *const UNIT_NAMES[] = {"yuan", "ratio", "people", "kWh", "days",
                                         "months", "count", "flag", "score"};
static const char *const DIMENSION_NAMES[] = {"operating_stability", "industry_prosperity",
                                              "credit_history", "digital_footprint",
                                              "policy_fit", "coverage"};
static const char *const DIRECTION_NAMES[] = {"neutral", "higher_better", "higher_worse"};

#define NAME_OF(table, v) \
    ((size_t)(v) < sizeof(table) / sizeof(table[0]) ? table[(size_t)(v)] : "unknown")

const char *ph_feature_unit_name(ph_feature_unit unit)
{
    return NAME_OF(UNIT_NAMES, unit);
}

const char *ph_feature_dimension_name(ph_feature_dimension dimension)
{
    return NAME_OF(DIMENSION_NAMES, dimension);
}

const char *ph_feature_direction_name(ph_feature_direction direction)
{
    return NAME_OF(DIRECTION_NAMES, direction);
}

double ph_feature_missing(void)
{
    return NAN;
}

int ph_feature_is_missing(double value)
{
    return isnan(value);
}
