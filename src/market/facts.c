/*
 * The facts of an application: what the platform knows about the firm on
 * the as-of date, as values a policy reads by name.
 *
 * The list is data: each fact says its kind, the feeds it comes from (so the
 * consent a lender needs is computed, not guessed) and what it means. The
 * catalogue features follow the facts below under their own names, so a
 * policy can read any feature; a missing feature is null, never 0.
 */
#include "market_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/json_internal.h"
#include "puhui/enterprise.h"
#include "puhui/feed.h"

typedef struct fact_def {
    const char *name;
    ph_value_kind kind;
    const char *sources;
    const char *description;
} fact_def;

static const fact_def BASE[MARKET_BASE_FACTS] = {
    [FACT_AMOUNT] = {"amount", PH_VALUE_DECIMAL, "", "the amount applied for, in yuan"},
    [FACT_TERM] = {"term", PH_VALUE_DECIMAL, "", "the term applied for, in months"},
    [FACT_PURPOSE] = {"purpose", PH_VALUE_TEXT, "", "the purpose of the loan"},
    [FACT_GUARANTOR] = {"guarantor", PH_VALUE_BOOL, "", "a guarantor takes part"},
    [FACT_MONTH] = {"month", PH_VALUE_DECIMAL, "", "the calendar month of the as-of date, 1-12"},
    [FACT_LPR] = {"lpr", PH_VALUE_DECIMAL, "",
                  "the 1-year loan prime rate in force on the as-of date, as a fraction"},
    [FACT_BUSINESS_STATUS] = {"business_status", PH_VALUE_TEXT, "registration",
                              "存续 when operating, else 经营异常, 注销 or 吊销 from the date "
                              "the status took effect"},
    [FACT_INDUSTRY_SECTION] = {"industry_section", PH_VALUE_TEXT, "registration",
                               "GB/T 4754-2017 section letter of the main business"},
    [FACT_INDUSTRY_CODE] = {"industry_code", PH_VALUE_TEXT, "registration",
                            "GB/T 4754-2017 section and division, \"C13\""},
    [FACT_REGION_CODE] = {"region_code", PH_VALUE_TEXT, "registration",
                          "GB/T 2260 county-level division code of the registered address"},
    [FACT_SIZE_CLASS] = {"size_class", PH_VALUE_TEXT, "registration",
                         "micro, small, medium or large by the 2011 SME rule"},
    [FACT_ENTITY_TYPE] = {"entity_type", PH_VALUE_TEXT, "registration",
                          "company, individual or cooperative"},
    [FACT_TAX_GRADE] = {"tax_grade", PH_VALUE_TEXT, "tax_grades",
                        "the latest published tax credit grade A, B, M, C or D"},
    [FACT_COURT_ENFORCEMENT] = {"court_enforcement", PH_VALUE_BOOL, "litigation",
                                "an enforcement case against the firm is open"},
    [FACT_FRAUD_FLAG] = {"fraud_flag", PH_VALUE_BOOL, "",
                         "a fraud flag; the data hub has no fraud source yet, so it is null "
                         "(a knock-out on it never fires by itself)"},
    [FACT_AVG_INFLOW_12M] = {"avg_inflow_12m", PH_VALUE_DECIMAL, "payments_daily",
                             "average monthly payment inflow of the last 12 months, yuan"},
    [FACT_ANNUAL_DEBT_SERVICE] = {"annual_debt_service", PH_VALUE_DECIMAL,
                                  "credit_status,credit_loans",
                                  "principal falling due within a year, taken as the "
                                  "outstanding balance (small-firm loans run a year); 0 for "
                                  "a credit-white firm"},
    [FACT_GREEN] = {"green", PH_VALUE_BOOL, "subsidies",
                    "green-rated: a green subsidy in the last 24 months"},
    [FACT_TECH] = {"tech", PH_VALUE_BOOL, "patents", "technology firm: holds invention patents"},
    [FACT_FIRST_LOAN] = {"first_loan", PH_VALUE_BOOL, "credit_loans",
                         "no loan before (信用白户): this would be its first loan"},
};

size_t ph_market_fact_count(void)
{
    return MARKET_FACTS;
}

const char *ph_market_fact_name(size_t i)
{
    if (i < MARKET_BASE_FACTS)
        return BASE[i].name;
    const ph_feature *f = ph_feature_at(i - MARKET_BASE_FACTS);
    return f ? f->name : NULL;
}

ph_value_kind ph_market_fact_kind(size_t i)
{
    if (i < MARKET_BASE_FACTS)
        return BASE[i].kind;
    return i < MARKET_FACTS ? PH_VALUE_DECIMAL : PH_VALUE_NULL;
}

const char *ph_market_fact_sources(size_t i)
{
    if (i < MARKET_BASE_FACTS)
        return BASE[i].sources;
    const ph_feature *f = ph_feature_at(i - MARKET_BASE_FACTS);
    return f ? f->sources : NULL;
}

const char *ph_market_fact_description(size_t i)
{
    if (i < MARKET_BASE_FACTS)
        return BASE[i].description;
    const ph_feature *f = ph_feature_at(i - MARKET_BASE_FACTS);
    return f ? f->description : NULL;
}

long ph_market_fact_index(const char *name)
{
    if (name == NULL)
        return -1;
    for (size_t i = 0; i < MARKET_BASE_FACTS; i++)
        if (strcmp(BASE[i].name, name) == 0)
            return (long)i;
    int f = ph_feature_index(name);
    return f < 0 ? -1 : (long)MARKET_BASE_FACTS + f;
}

/* ---- gathering ------------------------------------------------------------------------ */

void market_facts_set_text(market_facts *f, size_t fact, const char *s)
{
    if (s == NULL) {
        f->v[fact] = ph_value_null();
        return;
    }
    snprintf(f->text[fact], MARKET_TEXT_MAX, "%s", s);
    f->v[fact] = ph_value_text(f->text[fact]);
}

double market_fact_number(const market_facts *f, size_t fact)
{
    const ph_value *v = &f->v[fact];
    if (v->kind == PH_VALUE_DECIMAL)
        return ph_decimal_to_double(v->as.decimal);
    if (v->kind == PH_VALUE_BOOL)
        return v->as.boolean ? 1.0 : 0.0;
    return NAN;
}

/* A feature's double as a decimal fact; NaN is null. Features carry at most
 * six decimals, so the 1e-8 decimal holds them exactly as printed. */
static ph_status decimal_fact(market_facts *f, size_t fact, double x, ph_error *err)
{
    if (isnan(x)) {
        f->v[fact] = ph_value_null();
        return PH_OK;
    }
    ph_decimal d;
    ph_status st = ph_decimal_from_double(x, &d, err);
    if (st == PH_OK)
        f->v[fact] = ph_value_decimal(d);
    return st;
}

/* A feature's double in yuan as a decimal fact to the fen (it is money);
 * NaN is null. */
static ph_status money_fact(market_facts *f, size_t fact, double yuan, ph_error *err)
{
    ph_money fen;
    ph_decimal d;
    if (isnan(yuan)) {
        f->v[fact] = ph_value_null();
        return PH_OK;
    }
    ph_status st = ph_money_from_yuan_double(yuan, &fen, err);
    if (st == PH_OK)
        st = ph_decimal_from_money(fen, &d, err);
    if (st == PH_OK)
        f->v[fact] = ph_value_decimal(d);
    return st;
}

static double feature(const double *values, const char *name)
{
    int i = ph_feature_index(name);
    return i < 0 ? NAN : values[i];
}

static ph_value flag(double x, int when_positive)
{
    if (isnan(x))
        return ph_value_null();
    return ph_value_bool(when_positive ? x > 0 : x != 0);
}

/* Empty registration fields are null facts. */
static void registration_text(market_facts *f, size_t fact, const char *s)
{
    market_facts_set_text(f, fact, s[0] ? s : NULL);
}

/* The registration valid on asof (enterprise.h: the one point-in-time read). */
static ph_status read_registration(ph_store *store, const char *uscc, ph_date asof,
                                   market_facts *f, ph_error *err)
{
    ph_registration reg;
    ph_status st = ph_registration_asof(store, uscc, asof, &reg, err);
    if (st != PH_OK)
        return st;
    char section[2] = {reg.industry_code[0], '\0'};
    registration_text(f, FACT_INDUSTRY_SECTION, section);
    registration_text(f, FACT_INDUSTRY_CODE, reg.industry_code);
    char region[16];
    snprintf(region, sizeof(region), "%d", reg.region_code);
    market_facts_set_text(f, FACT_REGION_CODE, region);
    registration_text(f, FACT_SIZE_CLASS, reg.size_class);
    registration_text(f, FACT_ENTITY_TYPE, reg.entity_type);
    /* The status the registration reports now; it counts only from its
     * date, which the status_abnormal feature already knows. */
    registration_text(f, FACT_BUSINESS_STATUS, reg.status);
    return PH_OK;
}

/* The status in the words of the registry (存续 when operating). A status
 * counts only from its date, which the status_abnormal feature knows; an
 * unknown word reads as abnormal. */
static const char *status_words(const char *status, double abnormal)
{
    if (isnan(abnormal) || abnormal == 0)
        return ph_business_status_zh(PH_BUSINESS_ACTIVE);
    int s = ph_business_status_parse(status);
    return ph_business_status_zh(s > PH_BUSINESS_ACTIVE ? s : PH_BUSINESS_ABNORMAL);
}

/* The grade whose rank is the tax_grade_score feature (A=4 .. D=0). */
static const char *tax_grade_letter(double score)
{
    if (isnan(score) || score < 0 || score >= PH_TAX_GRADE_COUNT || score != floor(score))
        return NULL;
    return ph_tax_grade_of_rank((int)score);
}

/* The facts derived from features and the registration. */
static ph_status derive(market_facts *f, const double *values, ph_error *err)
{
    char status[MARKET_TEXT_MAX];
    snprintf(status, sizeof(status), "%s", f->text[FACT_BUSINESS_STATUS]);
    market_facts_set_text(f, FACT_BUSINESS_STATUS,
                          status_words(status, feature(values, "status_abnormal")));
    market_facts_set_text(f, FACT_TAX_GRADE, tax_grade_letter(feature(values, "tax_grade_score")));
    f->v[FACT_COURT_ENFORCEMENT] = flag(feature(values, "enforcement_open"), 1);
    f->v[FACT_FRAUD_FLAG] = ph_value_null();
    f->v[FACT_GREEN] = flag(feature(values, "green_subsidy_24m"), 1);
    f->v[FACT_TECH] = flag(feature(values, "invention_patents"), 1);
    double white = feature(values, "credit_white");
    f->v[FACT_FIRST_LOAN] = flag(white, 1);
    double inflow = feature(values, "inflow_12m");
    ph_status st = money_fact(f, FACT_AVG_INFLOW_12M, isnan(inflow) ? NAN : inflow / 12.0, err);
    if (st != PH_OK)
        return st;
    double balance = feature(values, "loan_balance");
    if (isnan(balance) && white == 1)
        balance = 0; /* nothing owed: the one place missing means zero, and it is known */
    st = decimal_fact(f, FACT_ANNUAL_DEBT_SERVICE, balance, err);
    return st;
}

static ph_status application_facts(const ph_application *app, ph_date asof, ph_rate lpr,
                                   market_facts *f, ph_error *err)
{
    ph_decimal amount;
    ph_status st = ph_decimal_from_money(app->amount, &amount, err);
    if (st != PH_OK)
        return st;
    int y, m, d;
    st = ph_date_to_ymd(asof, &y, &m, &d, err);
    if (st != PH_OK)
        return st;
    f->v[FACT_AMOUNT] = ph_value_decimal(amount);
    f->v[FACT_TERM] = ph_value_decimal((ph_decimal)app->term * PH_DECIMAL_ONE);
    market_facts_set_text(f, FACT_PURPOSE, app->purpose);
    f->v[FACT_GUARANTOR] = ph_value_bool(app->guarantor);
    f->v[FACT_MONTH] = ph_value_decimal((ph_decimal)m * PH_DECIMAL_ONE);
    f->v[FACT_LPR] = ph_value_decimal((ph_decimal)lpr); /* the same 1e-8 unit */
    return PH_OK;
}

ph_status market_facts_gather_registration(ph_store *store, const ph_application *app,
                                           ph_date asof, ph_rate lpr, market_facts *out,
                                           ph_error *err)
{
    market_facts *f = out;
    memset(f, 0, sizeof(*f));
    ph_status st = read_registration(store, app->uscc, asof, f, err);
    if (st == PH_OK)
        st = application_facts(app, asof, lpr, f, err);
    /* The status counts only from its date, which the features know: until
     * they are read it is unknown (derive() reads the registration's text). */
    f->v[FACT_BUSINESS_STATUS] = ph_value_null();
    return st;
}

ph_status market_facts_gather_features(ph_store *store, const char *uscc, ph_date asof,
                                       market_facts *f, ph_error *err)
{
    double values[PH_FEATURE_COUNT];
    ph_status st = ph_features_for(store, uscc, asof, values, NULL, err);
    for (size_t i = 0; st == PH_OK && i < PH_FEATURE_COUNT; i++)
        st = decimal_fact(f, MARKET_BASE_FACTS + i, values[i], err);
    if (st == PH_OK)
        st = derive(f, values, err);
    return st;
}

/* ---- JSON --------------------------------------------------------------------------------- */

json_t *market_value_json(const ph_value *v)
{
    char buf[48];
    switch (v->kind) {
    case PH_VALUE_BOOL: return json_boolean(v->as.boolean);
    case PH_VALUE_TEXT: return json_stringn(v->as.text.ptr, v->as.text.len);
    case PH_VALUE_DECIMAL:
        return ph_decimal_format(v->as.decimal, buf, sizeof(buf), NULL) == PH_OK
                   ? json_string(buf)
                   : NULL;
    case PH_VALUE_NULL: break;
    }
    return json_null();
}

/* names[i] -> values[i] as one compact JSON object, malloc'd. */
static ph_status values_json(size_t n, const char *(*name_at)(const void *, size_t),
                             const void *user, const ph_value *values, char **out,
                             ph_error *err)
{
    json_t *obj = json_object();
    int bad = obj == NULL;
    for (size_t i = 0; !bad && i < n; i++) {
        json_t *j = market_value_json(&values[i]);
        bad = j == NULL || json_object_set_new(obj, name_at(user, i), j) != 0;
    }
    *out = bad ? NULL : json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(obj);
    return *out ? PH_OK : ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory writing JSON");
}

static const char *fact_name_at(const void *user, size_t i)
{
    (void)user;
    return ph_market_fact_name(i);
}

static const char *input_name_at(const void *user, size_t i)
{
    return ph_policy_input_name((const ph_policy *)user, i);
}

/* The facts the platform itself applies to every application, whichever
 * lenders are asked: the registration the appetite is matched on (read
 * before any consent, to know whom to ask) and the subsidy programme's tests
 * (green, tech, first loan, the credit the firm already has), which the
 * market view also counts. They are stored so that replay re-prices a
 * decision exactly. */
static const char *const PLATFORM_FACTS[] = {
    "business_status", "industry_section", "industry_code", "region_code", "size_class",
    "entity_type", "green", "tech", "first_loan", "loan_balance",
};

static int platform_fact(size_t i)
{
    const char *name = ph_market_fact_name(i);
    for (size_t k = 0; name != NULL && k < sizeof(PLATFORM_FACTS) / sizeof(PLATFORM_FACTS[0]);
         k++)
        if (strcmp(name, PLATFORM_FACTS[k]) == 0)
            return 1;
    return 0;
}

ph_status market_fact_source_set(size_t fact, ph_source_set *out, ph_error *err)
{
    *out = 0;
    const char *list = ph_market_fact_sources(fact);
    char name[64];
    while (list != NULL && *list != '\0') {
        list += strspn(list, " "); /* the catalogue writes "vat_invoices, tax_payments" */
        size_t n = strcspn(list, ", ");
        if (n > 0 && n < sizeof(name)) {
            memcpy(name, list, n);
            name[n] = '\0';
            ph_status st = ph_source_set_add(out, name, err);
            if (st != PH_OK)
                return st;
        }
        list += n + (list[n] == ',' || list[n] == ' ');
    }
    return PH_OK;
}

ph_status market_facts_stored_need(ph_source_set need[MARKET_FACTS], ph_error *err)
{
    ph_status st = PH_OK;
    for (size_t i = 0; st == PH_OK && i < MARKET_FACTS; i++) {
        need[i] = 0;
        if (!platform_fact(i))
            st = market_fact_source_set(i, &need[i], err);
    }
    return st;
}

/* The features are computed together, so once one lender's consent lets
 * the firm's feeds be read, facts of feeds other lenders were refused are
 * computed too. They serve no decision (each lender's policy reads only
 * facts its consent covers), and they are not kept: beside the platform's
 * own facts, the stored facts are only those some consented lender may
 * see. */
void market_facts_withhold(market_facts *f, const ph_source_set need[MARKET_FACTS],
                           ph_source_set granted)
{
    for (size_t i = 0; i < MARKET_FACTS; i++)
        if ((need[i] & ~granted) != 0)
            f->v[i] = ph_value_null();
}

ph_status market_facts_to_json(const market_facts *f, char **out, ph_error *err)
{
    return values_json(MARKET_FACTS, fact_name_at, NULL, f->v, out, err);
}

ph_status market_inputs_to_json(const ph_policy *p, const ph_value *inputs, char **out,
                                ph_error *err)
{
    return values_json(ph_policy_input_count(p), input_name_at, p, inputs, out, err);
}

ph_status market_facts_from_json(const char *json, market_facts *out, ph_error *err)
{
    json_t *root;
    ph_status st = pjson_load_text(json, strlen(json), "facts", &root, err);
    if (st != PH_OK)
        return st;
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; st == PH_OK && i < MARKET_FACTS; i++) {
        const char *name = ph_market_fact_name(i);
        json_t *j = json_object_get(root, name);
        ph_value_kind kind = ph_market_fact_kind(i);
        if (j == NULL || json_is_null(j)) {
            out->v[i] = ph_value_null();
        } else if (kind == PH_VALUE_BOOL && json_is_boolean(j)) {
            out->v[i] = ph_value_bool(json_is_true(j));
        } else if (kind == PH_VALUE_TEXT && json_is_string(j)) {
            market_facts_set_text(out, i, json_string_value(j));
        } else if (kind == PH_VALUE_DECIMAL && json_is_string(j)) {
            ph_decimal d;
            st = ph_decimal_parse(json_string_value(j), json_string_length(j), &d, err);
            if (st == PH_OK)
                out->v[i] = ph_value_decimal(d);
        } else {
            st = ph_error_set(err, PH_ESTORE, name, NULL,
                              "stored facts: expected a %s or null", ph_value_kind_name(kind));
        }
    }
    json_decref(root);
    return st;
}
