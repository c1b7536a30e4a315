/*
 * Full decisions per second on one thread, in process: a firm's feature
 * vector scored by a province-like scorecard (20 characteristics) and the
 * result, with the firm's features and application, run through a lender
 * policy of 53 rules. The target is 200,000 decisions per CPU-second on one
 * core. Every phase is reported per wall-clock second and per CPU-second
 * (the process's user + system time, CLOCK_PROCESS_CPUTIME_ID): on a shared
 * machine the wall clock varies threefold from run to run, CPU time much
 * less, so a regression cannot hide behind a busy neighbour.
 *
 * Per decision: gather the model's features from the firm's 65-feature
 * vector (catalogue order) by precomputed index; ph_model_predict_row;
 * score, PD and the policy's feature inputs to decimals
 * (ph_decimal_from_double; NaN becomes null) by precomputed index;
 * ph_policy_eval; and an approval priced as the marketplace prices an
 * offer: the subsidy programme applied (ph_subsidy_apply, the Chongqing
 * fixture) and the repayment schedule with APR and net APR
 * (ph_loan_cost_compute). The pool of 1,024 synthetic firms is built once
 * from a fixed seed, about 4% of feature values missing. Not included: the
 * database (features, consent, storing the trace), which `puhui apply
 * --batch` measures end to end.
 *
 * Then the same work split by phase, and pricing alone on the pool's
 * approvals: the whole of it, ph_subsidy_apply with the terms, and
 * ph_loan_cost_compute by itself, in ns per priced approval.
 *
 * For comparison only: GoRules ZEN publishes 45,000 evaluations/s for a
 * loan-approval decision on one Apple M3 core. That is their published
 * figure on other hardware and another decision, not a peer run here.
 *
 *   bench_decide [DECISIONS [SCORECARD.pmml POLICY.json]]
 *       (default 1,000,000 decisions on tests/fixtures/pmml/province_scorecard.pmml
 *        and tests/fixtures/policies/bench_50_rules.json, looked for from the
 *        repository root or the build directory)
 */
#include "bench_util.h"

#include "puhui/puhui.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define POOL 1024
#define MAX_FEATURES 128
#define MAX_INPUTS 64
#define TARGET_PER_S 200000.0
#define ZEN_PUBLISHED_PER_S 45000.0

static uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Uniform in [0, 1). */
static double uniform(uint64_t *s) { return (double)(next_random(s) >> 11) / 9007199254740992.0; }

static const char *fixture(const char *relative, char *buf, size_t size)
{
    snprintf(buf, size, "%s", relative);
    FILE *f = fopen(buf, "r");
    if (f == NULL) {
        snprintf(buf, size, "../%s", relative);
        f = fopen(buf, "r");
    }
    if (f != NULL)
        fclose(f);
    return buf;
}

/* One firm: its features in catalogue order and the policy's inputs (the
 * application part set once; score, pd and features written per decision). */
typedef struct firm {
    double features[MAX_FEATURES];
    ph_value inputs[MAX_INPUTS];
} firm;

/*
 * A plausible value of catalogue feature f for a firm of quality q in [0, 1)
 * (1 the safest): bad events (days past due, lawsuits, late months) are
 * rarer and growth better as q rises, so scores spread the way a province's
 * do instead of every firm looking like noise.
 */
static double feature_value(const ph_feature *f, double q, uint64_t *s)
{
    double u = uniform(s);
    double event = 0.03 + 0.4 * (1 - q) * (1 - q); /* chance of a bad event */
    if (strcmp(f->name, "tax_grade_score") == 0)
        return floor(fmin(4, q * 4.5 + uniform(s)));
    if (strcmp(f->name, "coverage_share") == 0)
        return 0.4 + 0.6 * fmin(1, q + 0.3 * u);
    if (strcmp(f->name, "chain_tier") == 0)
        return (double)(1 + next_random(s) % 3);
    if (strcmp(f->name, "days_since_last_inflow") == 0)
        return uniform(s) < event ? floor(30 + 120 * u) : floor(10 * u);
    if (f->direction == PH_DIRECTION_HIGHER_WORSE && f->unit != PH_UNIT_RATIO)
        return uniform(s) < event ? floor(1 + u * (f->unit == PH_UNIT_DAYS ? 120 : 4)) : 0;
    switch (f->unit) {
    case PH_UNIT_YUAN: return floor(exp(log(1e5) + (q + u) * 0.5 * (log(2e7) - log(1e5))) * 100) / 100;
    case PH_UNIT_RATIO:
        if (f->direction == PH_DIRECTION_HIGHER_WORSE)
            return 0.1 + 0.5 * u + 0.6 * (1 - q) * uniform(s);
        return -0.25 + 0.4 * q + 0.3 * (u - 0.5);
    case PH_UNIT_PEOPLE: return strstr(f->name, "change") ? floor(-4 + 6 * q + 3 * u) : floor(1 + 200 * u);
    case PH_UNIT_KWH: return floor(1e3 + 1e6 * u);
    case PH_UNIT_DAYS: return floor(u * 90);
    case PH_UNIT_MONTHS: return floor(6 + 200 * q * u + 20 * u);
    case PH_UNIT_COUNT: return floor(u * 3);
    case PH_UNIT_FLAG: return u < 0.7 ? 1.0 : 0.0;
    case PH_UNIT_SCORE: return floor(u * 5);
    }
    return u;
}

/* The policy input slots filled from a firm's features: input index and
 * catalogue index. */
typedef struct feature_slot {
    size_t input;
    size_t feature;
} feature_slot;

typedef struct decider {
    const ph_model *model;
    const ph_policy *policy;
    ph_policy_run *run;
    size_t n_model;                   /* model features */
    size_t model_index[MAX_FEATURES]; /* catalogue index of each model feature */
    size_t n_slots;
    feature_slot slots[MAX_INPUTS];
    size_t score_input, pd_input;
    long amount_input, term_input;    /* -1: the policy has none */
    size_t green_feature, white_feature; /* catalogue indexes the subsidy reads */
    const ph_subsidy_programme *programme;
} decider;

static int set_input(const ph_policy *p, ph_value *in, const char *name, ph_value v)
{
    long k = ph_policy_input_index(p, name);
    if (k < 0 || k >= MAX_INPUTS) {
        fprintf(stderr, "bench_decide: the policy has no input '%s'\n", name);
        return -1;
    }
    in[k] = v;
    return 0;
}

/* The application: mostly ordinary, sometimes a knock-out or an odd amount. */
static int fill_application(const ph_policy *p, firm *f, uint64_t *s)
{
    static const char *const sections[] = {"A", "C", "F", "G", "H", "I", "E", "C"};
    static const char *const statuses[] = {"存续", "在业", "吊销"};
    static const char *const grades[] = {"D", "C", "M", "B", "A"};
    long grade = ph_feature_index("tax_grade_score");
    double g = f->features[grade];
    double inflow = f->features[ph_feature_index("inflow_12m")];
    struct {
        const char *name;
        ph_value v;
    } items[] = {
        {"business_status", ph_value_text(statuses[next_random(s) % 20 == 0 ? 2 : next_random(s) % 2])},
        {"tax_grade", isnan(g) ? ph_value_null() : ph_value_text(grades[(int)g])},
        {"court_enforcement", ph_value_bool(next_random(s) % 50 == 0)},
        {"fraud_flag", ph_value_bool(next_random(s) % 200 == 0)},
        {"amount", ph_value_decimal((ph_decimal)(20000 + next_random(s) % 3000000) * PH_DECIMAL_ONE)},
        {"term", ph_value_decimal((ph_decimal)(3 + next_random(s) % 36) * PH_DECIMAL_ONE)},
        {"industry_section", ph_value_text(sections[next_random(s) % 8])},
        {"month", ph_value_decimal((ph_decimal)(1 + next_random(s) % 12) * PH_DECIMAL_ONE)},
        {"annual_debt_service",
         ph_value_decimal((ph_decimal)(isnan(inflow) ? 0 : inflow * 0.3 * uniform(s)) *
                          PH_DECIMAL_ONE)},
        {"lpr", ph_value_decimal(3450000)},
        {"green", ph_value_bool(next_random(s) % 4 == 0)},
        {"guarantor", ph_value_bool(next_random(s) % 2 == 0)},
    };
    for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
        if (set_input(p, f->inputs, items[i].name, items[i].v) != 0)
            return -1;
    return 0;
}

static void make_firm(const ph_policy *p, firm *f, uint64_t *s, int *failed)
{
    double q = uniform(s);
    for (size_t j = 0; j < ph_feature_count(); j++)
        f->features[j] = next_random(s) % 25 == 0 ? NAN : feature_value(ph_feature_at(j), q, s);
    if (fill_application(p, f, s) != 0)
        *failed = 1;
}

/* Where each model feature and each feature-like policy input come from. */
static int wire(decider *d)
{
    d->n_model = ph_model_feature_count(d->model);
    if (d->n_model > MAX_FEATURES || ph_feature_count() > MAX_FEATURES) {
        fprintf(stderr, "bench_decide: more than %d features\n", MAX_FEATURES);
        return -1;
    }
    for (size_t j = 0; j < d->n_model; j++) {
        int idx = ph_feature_index(ph_model_feature_name(d->model, j));
        if (idx < 0) {
            fprintf(stderr, "bench_decide: model feature '%s' is not in the catalogue\n",
                    ph_model_feature_name(d->model, j));
            return -1;
        }
        d->model_index[j] = (size_t)idx;
    }
    long score = ph_policy_input_index(d->policy, "score");
    long pd = ph_policy_input_index(d->policy, "pd");
    if (score < 0 || pd < 0 || ph_policy_input_count(d->policy) > MAX_INPUTS) {
        fprintf(stderr, "bench_decide: the policy needs decimal inputs score and pd "
                        "(and at most %d inputs)\n", MAX_INPUTS);
        return -1;
    }
    d->score_input = (size_t)score;
    d->pd_input = (size_t)pd;
    d->n_slots = 0;
    for (size_t i = 0; i < ph_policy_input_count(d->policy); i++) {
        int idx = ph_feature_index(ph_policy_input_name(d->policy, i));
        if (idx >= 0 && ph_policy_input_kind(d->policy, i) == PH_VALUE_DECIMAL)
            d->slots[d->n_slots++] = (feature_slot){i, (size_t)idx};
    }
    return 0;
}

static ph_value decimal_or_null(double x, ph_error *err, int *bad)
{
    ph_decimal d;
    if (isnan(x))
        return ph_value_null();
    if (ph_decimal_from_double(x, &d, err) != PH_OK) {
        *bad = 1;
        return ph_value_null();
    }
    return ph_value_decimal(d);
}

/* Step 1: the firm's model row scored. */
static ph_status score_firm(const decider *d, const firm *f, double *pd, double *points,
                            ph_error *err)
{
    double x[MAX_FEATURES];
    for (size_t j = 0; j < d->n_model; j++)
        x[j] = f->features[d->model_index[j]];
    return ph_model_predict_row(d->model, x, pd, points, err);
}

/* Step 2: score, PD and features into the policy's inputs. */
static ph_status convert(const decider *d, firm *f, double pd, double points, ph_error *err)
{
    int bad = 0;
    f->inputs[d->score_input] = decimal_or_null(points, err, &bad);
    f->inputs[d->pd_input] = decimal_or_null(pd, err, &bad);
    for (size_t k = 0; k < d->n_slots; k++)
        f->inputs[d->slots[k].input] = decimal_or_null(f->features[d->slots[k].feature], err, &bad);
    return bad ? PH_EINVAL : PH_OK;
}

/* An approval as an offer: the requested amount up to the limit, the
 * subsidy the firm qualifies for (ph_subsidy_apply), and the loan's terms. */
static ph_status offer_terms(const decider *d, const firm *f, ph_money limit, ph_rate rate,
                             ph_loan_terms *t, ph_error *err)
{
    ph_money amount = limit;
    int64_t term = 12;
    if (d->amount_input >= 0 && f->inputs[d->amount_input].kind == PH_VALUE_DECIMAL) {
        ph_money asked;
        if (ph_decimal_to_money(f->inputs[d->amount_input].as.decimal, PH_ROUND_HALF_UP, &asked,
                                NULL) == PH_OK && asked < amount)
            amount = asked;
    }
    if (d->term_input >= 0 && f->inputs[d->term_input].kind == PH_VALUE_DECIMAL)
        term = f->inputs[d->term_input].as.decimal / PH_DECIMAL_ONE;
    ph_subsidy_firm who = {0};
    who.size_class = "micro";
    who.green = f->features[d->green_feature] > 0;
    who.first_loan = f->features[d->white_feature] == 1;
    ph_subsidy_result sub;
    ph_status st = ph_subsidy_apply(d->programme, &who, amount, rate, 3450000, &sub, err);
    if (st != PH_OK)
        return st;
    memset(t, 0, sizeof(*t));
    t->amount = amount;
    t->term_months = term;
    t->repayment = PH_REPAY_EQUAL_INSTALLMENT;
    t->rate = rate;
    t->subsidy_rate = sub.subsidy_rate;
    t->award = sub.award_to_enterprise ? sub.first_loan_award : 0;
    return PH_OK;
}

/* Pricing an approval: its terms with the subsidy, then the schedule and
 * its APRs (ph_loan_cost_compute). */
static ph_status price(const decider *d, const firm *f, ph_money limit, ph_rate rate,
                       ph_loan_cost *cost, ph_error *err)
{
    ph_loan_terms t;
    ph_status st = offer_terms(d, f, limit, rate, &t, err);
    return st == PH_OK ? ph_loan_cost_compute(&t, cost, err) : st;
}

/* One full decision. */
static ph_status decide(const decider *d, firm *f, ph_policy_outcome *o, ph_loan_cost *cost,
                        ph_error *err)
{
    double pd, points;
    ph_status st = score_firm(d, f, &pd, &points, err);
    if (st == PH_OK)
        st = convert(d, f, pd, points, err);
    if (st == PH_OK)
        st = ph_policy_eval(d->policy, d->run, f->inputs, o, err);
    if (st == PH_OK && o->approved)
        st = price(d, f, o->limit, o->rate, cost, err);
    return st;
}

/* The most frequent reasons to decline over the pool (outside the timing):
 * the pool should look like a lender's applications, not a wall of refusals. */
static int print_reasons(const decider *d, firm *pool)
{
    enum { MAX_CODES = 64 };
    const char *code[MAX_CODES];
    size_t count[MAX_CODES], n_codes = 0;
    ph_error err;
    for (size_t i = 0; i < POOL; i++) {
        ph_policy_outcome o;
        ph_loan_cost cost;
        if (decide(d, &pool[i], &o, &cost, &err) != PH_OK) {
            fprintf(stderr, "bench_decide: %s\n", err.message);
            return -1;
        }
        for (size_t r = 0; r < o.n_reasons; r++) {
            size_t k = 0;
            while (k < n_codes && strcmp(code[k], o.reasons[r].code) != 0)
                k++;
            if (k == n_codes && n_codes < MAX_CODES) {
                code[n_codes] = o.reasons[r].code; /* owned by the policy */
                count[n_codes++] = 0;
            }
            if (k < n_codes)
                count[k]++;
        }
    }
    printf("  reasons over the pool of %d:", POOL);
    for (int shown = 0; shown < 5; shown++) {
        size_t best = n_codes;
        for (size_t k = 0; k < n_codes; k++)
            if (count[k] > 0 && (best == n_codes || count[k] > count[best]))
                best = k;
        if (best == n_codes)
            break;
        printf(" %s %zu", code[best], count[best]);
        count[best] = 0;
    }
    printf("\n");
    return 0;
}

/* Time spent since `start` on both clocks. */
static bench_clock since(bench_clock start)
{
    bench_clock now = bench_clock_now();
    return (bench_clock){now.wall - start.wall, now.cpu - start.cpu};
}

/* "NAME  W ns wall, C ns CPU" per item, one line. */
static void print_phase(const char *name, bench_clock spent, long long items)
{
    double n = items > 0 ? (double)items : 1.0;
    printf("    %-48s %8.1f ns wall %8.1f ns CPU (%.0f/s wall, %.0f per CPU-second)\n", name,
           spent.wall * 1e9 / n, spent.cpu * 1e9 / n, spent.wall > 0 ? n / spent.wall : 0.0,
           spent.cpu > 0 ? n / spent.cpu : 0.0);
}

/* The same work in separate loops, to see where the time goes. */
static int timing_splits(const decider *d, firm *pool, long long n)
{
    ph_error err;
    double sink = 0, pd, points;
    bench_clock t = bench_clock_now();
    for (long long i = 0; i < n; i++) {
        if (score_firm(d, &pool[i % POOL], &pd, &points, &err) != PH_OK)
            goto fail;
        sink += points;
    }
    bench_clock scoring = since(t);
    t = bench_clock_now();
    for (long long i = 0; i < n; i++) {
        firm *f = &pool[i % POOL];
        if (convert(d, f, 0.05, 600 + (double)(i % 7), &err) != PH_OK)
            goto fail;
    }
    bench_clock converting = since(t);
    for (long long i = 0; i < POOL; i++) { /* back to the real scores */
        if (score_firm(d, &pool[i], &pd, &points, &err) != PH_OK ||
            convert(d, &pool[i], pd, points, &err) != PH_OK)
            goto fail;
    }
    long long approved = 0;
    t = bench_clock_now();
    for (long long i = 0; i < n; i++) {
        ph_policy_outcome o;
        if (ph_policy_eval(d->policy, d->run, pool[i % POOL].inputs, &o, &err) != PH_OK)
            goto fail;
        approved += o.approved;
    }
    bench_clock evaluating = since(t);
    printf("  split (check %.0f, %lld):\n", sink, approved);
    print_phase("gather + ph_model_predict_row", scoring, n);
    print_phase("score, PD and features to decimals", converting, n);
    print_phase("ph_policy_eval", evaluating, n);
    return 0;
fail:
    fprintf(stderr, "bench_decide: %s\n", err.message);
    return -1;
}

/*
 * Pricing alone, on the pool's approvals (their limit and rate from the
 * policy, computed once outside the timing): the whole of it (subsidy and
 * cost), the subsidy and terms alone, and ph_loan_cost_compute alone on
 * terms built beforehand. `n` priced approvals each.
 */
static int pricing_alone(const decider *d, firm *pool, long long n)
{
    static size_t who[POOL];
    static ph_money limit[POOL];
    static ph_rate rate[POOL];
    static ph_loan_terms terms[POOL];
    size_t n_approved = 0;
    ph_error err;
    for (size_t i = 0; i < POOL; i++) {
        ph_policy_outcome o;
        if (ph_policy_eval(d->policy, d->run, pool[i].inputs, &o, &err) != PH_OK)
            goto fail;
        if (!o.approved)
            continue;
        who[n_approved] = i;
        limit[n_approved] = o.limit;
        rate[n_approved] = o.rate;
        if (offer_terms(d, &pool[i], o.limit, o.rate, &terms[n_approved], &err) != PH_OK)
            goto fail;
        n_approved++;
    }
    if (n_approved == 0) {
        printf("  pricing alone: no approval in the pool\n");
        return 0;
    }
    ph_money check = 0;
    bench_clock t = bench_clock_now();
    for (long long i = 0; i < n; i++) {
        size_t k = (size_t)i % n_approved;
        ph_loan_cost cost;
        if (price(d, &pool[who[k]], limit[k], rate[k], &cost, &err) != PH_OK)
            goto fail;
        check += cost.net_apr % 7;
    }
    bench_clock whole = since(t);
    t = bench_clock_now();
    for (long long i = 0; i < n; i++) {
        size_t k = (size_t)i % n_approved;
        ph_loan_terms lt;
        if (offer_terms(d, &pool[who[k]], limit[k], rate[k], &lt, &err) != PH_OK)
            goto fail;
        check += lt.subsidy_rate % 7;
    }
    bench_clock subsidy = since(t);
    t = bench_clock_now();
    for (long long i = 0; i < n; i++) {
        ph_loan_cost cost;
        if (ph_loan_cost_compute(&terms[(size_t)i % n_approved], &cost, &err) != PH_OK)
            goto fail;
        check += cost.apr % 7;
    }
    bench_clock cost = since(t);
    printf("  pricing alone, %zu approvals of the pool in turn (check %lld):\n", n_approved,
           (long long)check);
    print_phase("pricing an approval (subsidy, schedule, APRs)", whole, n);
    print_phase("  ph_subsidy_apply and the terms", subsidy, n);
    print_phase("  ph_loan_cost_compute", cost, n);
    return 0;
fail:
    fprintf(stderr, "bench_decide: %s\n", err.message);
    return -1;
}

int main(int argc, char **argv)
{
    long long n = 1000000;
    if (argc > 1 && bench_number(argv[0], "DECISIONS", argv[1], 1, 1000000000LL, &n) != 0)
        return 2;
    if (argc == 3 || argc > 4) {
        fprintf(stderr, "usage: %s [DECISIONS [SCORECARD.pmml POLICY.json]]\n", argv[0]);
        return 2;
    }
    char model_buf[512], policy_buf[512], subsidy_buf[512];
    const char *model_path =
        argc > 3 ? argv[2] : fixture("tests/fixtures/pmml/province_scorecard.pmml", model_buf,
                                     sizeof(model_buf));
    const char *policy_path =
        argc > 3 ? argv[3] : fixture("tests/fixtures/policies/bench_50_rules.json", policy_buf,
                                     sizeof(policy_buf));
    ph_ctx *ctx;
    ph_error err;
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK)
        return 1;
    int rc = 1;
    ph_model *model = NULL;
    ph_policy *policy = NULL;
    ph_subsidy_programme *programme = NULL;
    static decider d;
    firm *pool = calloc(POOL, sizeof(firm));
    if (pool == NULL) {
        fprintf(stderr, "bench_decide: out of memory\n");
        goto done;
    }
    if (ph_model_load_file(ctx, model_path, &model, &err) != PH_OK ||
        ph_policy_load_file(ctx, policy_path, &policy, &err) != PH_OK ||
        ph_policy_run_new(policy, &d.run, &err) != PH_OK ||
        ph_subsidy_programme_load_file(ctx, fixture("tests/fixtures/market/subsidy_chongqing.json",
                                                    subsidy_buf, sizeof(subsidy_buf)),
                                       &programme, &err) != PH_OK) {
        fprintf(stderr, "bench_decide: %s\n", err.message);
        goto done;
    }
    d.model = model;
    d.policy = policy;
    d.programme = programme;
    d.amount_input = ph_policy_input_index(policy, "amount");
    d.term_input = ph_policy_input_index(policy, "term");
    d.green_feature = (size_t)ph_feature_index("green_subsidy_24m");
    d.white_feature = (size_t)ph_feature_index("credit_white");
    if (wire(&d) != 0)
        goto done;
    uint64_t seed = 0x9e3779b97f4a7c15u;
    int failed = 0;
    for (size_t i = 0; i < POOL; i++)
        make_firm(policy, &pool[i], &seed, &failed);
    if (failed)
        goto done;

    long long approved = 0;
    ph_money limits = 0;
    bench_clock start = bench_clock_now();
    for (long long i = 0; i < n; i++) {
        ph_policy_outcome o;
        ph_loan_cost cost;
        if (decide(&d, &pool[i % POOL], &o, &cost, &err) != PH_OK) {
            fprintf(stderr, "bench_decide: decision %lld: %s\n", i, err.message);
            goto done;
        }
        approved += o.approved;
        limits += o.approved ? (o.limit + cost.net_apr) % 1000 : 0; /* keep the result alive */
    }
    bench_clock spent = since(start);
    double per_s = (double)n / spent.wall, per_cpu_s = (double)n / spent.cpu;
    printf("full decision: scorecard %s (%zu characteristics) + policy %s v%lld "
           "(%zu steps) + an approval priced net of subsidies, %zu firms in the pool\n",
           model_path, d.n_model, ph_policy_name(policy), (long long)ph_policy_version(policy),
           ph_policy_step_count(policy), (size_t)POOL);
    printf("  %lld decisions on one thread in %.3f s wall, %.3f s CPU: %.0f decisions/s wall, "
           "%.0f per CPU-second; %.1f ns wall, %.1f ns CPU a decision; approved %.1f%% "
           "(check %lld)\n",
           n, spent.wall, spent.cpu, per_s, per_cpu_s, spent.wall * 1e9 / (double)n,
           spent.cpu * 1e9 / (double)n, 100.0 * (double)approved / (double)n, (long long)limits);
    printf("  GoRules ZEN's published figure, 45,000 evaluations/s on one Apple M3 core "
           "(other hardware, other decision; not a peer run here): %.1fx that (per CPU-second)\n",
           per_cpu_s / ZEN_PUBLISHED_PER_S);
    printf("  target %.0f decisions per CPU-second on one core: %s\n", TARGET_PER_S,
           per_cpu_s >= TARGET_PER_S ? "PASS" : "FAIL");
    if (print_reasons(&d, pool) != 0 || timing_splits(&d, pool, n) != 0 ||
        pricing_alone(&d, pool, n) != 0)
        goto done;
    rc = 0;
done:
    ph_policy_run_free(d.run);
    ph_subsidy_programme_free(programme);
    ph_policy_free(policy);
    ph_model_free(model);
    free(pool);
    ph_ctx_free(ctx);
    return rc;
}
