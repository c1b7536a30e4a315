/*
 * The synthetic province against its calibration targets, on 50,000 firms
 * over 24 months (docs/domain.md#data-hub-and-consent, docs/domain.md#loans,
 * docs/domain.md#calibration-figures): the annual default rate, owners,
 * counties, size mix; that weak counties and volatile industries default
 * more; that the stress scenario hurts; that the true 12-month PD matches
 * the defaults that followed; and that distress shows in payment inflows
 * months before a default.
 *
 * Tolerances are stated with each test; they are wide enough for sampling
 * noise at this size (about 2,300 defaults) and narrow enough that a broken
 * calibration fails.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "puhui/puhui.h"
#include "support/ph_test.h"

#define FIRMS 50000
#define MONTHS 24
#define START_YEAR 2024

typedef struct fixture {
    ph_ctx *ctx;
    char *dir;
    ph_gen_summary summary;
    char (*uscc)[19];          /* registration order = firm index */
    int *default_month;        /* window month of the default date, -1 none */
    ph_date *default_date;
} fixture;

static fixture fx;

static char *generate(const char *name, uint64_t firms, ph_gen_scenario scenario,
                      ph_gen_summary *s)
{
    char *dir = ph_test_tmpdir(name);
    ph_test_rmtree(dir);
    ph_gen_options o;
    ph_gen_options_init(&o);
    o.enterprises = firms;
    o.months = MONTHS;
    o.start = START_YEAR * 12;
    o.seed = 2024;
    o.scenario = scenario;
    o.out_dir = dir;
    ph_error err;
    if (ph_gen_run(fx.ctx, &o, s, &err) != PH_OK) {
        fprintf(stderr, "gen failed: %s\n", err.message);
        return NULL;
    }
    return dir;
}

/* Open DIR/FILE with the CSV reader; the caller loops ph_csv_next. */
static ph_csv_reader *open_csv(const char *file)
{
    char *path = ph_test_path(fx.dir, file);
    ph_csv_reader *r = NULL;
    ph_error err;
    if (ph_csv_open_file(fx.ctx, path, NULL, &r, &err) != PH_OK)
        fprintf(stderr, "%s\n", err.message);
    free(path);
    return r;
}

static void field(ph_csv_reader *r, size_t i, const char **p, size_t *n)
{
    ph_error err;
    ph_assert_ok(ph_csv_field(r, i, p, n, &err), &err);
}

static int cmp_uscc(const void *a, const void *b)
{
    return memcmp(a, b, 18);
}

/* Firm index of a code: registration order is sorted here once. */
typedef struct index_entry {
    char uscc[19];
    int index;
} index_entry;

static index_entry *sorted_index;

static int firm_index(const char *code)
{
    index_entry key;
    memcpy(key.uscc, code, 18);
    index_entry *e = bsearch(&key, sorted_index, FIRMS, sizeof(index_entry), cmp_uscc);
    return e ? e->index : -1;
}

static int setup(void **state)
{
    (void)state;
    ph_ctx_options co = {0};
    co.log_level = PH_LOG_OFF;
    ph_error err;
    if (ph_ctx_new(&co, &fx.ctx, &err) != PH_OK)
        return -1;
    fx.dir = generate("gen_calibration", FIRMS, PH_GEN_BASELINE, &fx.summary);
    if (!fx.dir)
        return -1;
    fx.uscc = calloc(FIRMS, sizeof(*fx.uscc));
    fx.default_month = malloc(FIRMS * sizeof(int));
    fx.default_date = calloc(FIRMS, sizeof(ph_date));
    sorted_index = calloc(FIRMS, sizeof(index_entry));
    ph_csv_reader *r = open_csv("feeds/registration.csv");
    int n = 0;
    while (r && n < FIRMS && ph_csv_next(r, &err) == PH_OK) {
        const char *p;
        size_t len;
        field(r, 0, &p, &len);
        memcpy(fx.uscc[n], p, 18);
        memcpy(sorted_index[n].uscc, p, 18);
        sorted_index[n].index = n;
        fx.default_month[n] = -1;
        n++;
    }
    ph_csv_free(r);
    qsort(sorted_index, FIRMS, sizeof(index_entry), cmp_uscc);
    r = open_csv("truth/defaults.csv");
    while (r && ph_csv_next(r, &err) == PH_OK) {
        const char *p, *d;
        size_t len, dlen;
        field(r, 0, &p, &len);
        field(r, 1, &d, &dlen);
        int i = firm_index(p);
        ph_date date;
        if (i < 0 || ph_date_parse(d, dlen, &date, &err) != PH_OK)
            return -1;
        fx.default_date[i] = date;
        int m = (int)(ph_month_of(date) - START_YEAR * 12);
        fx.default_month[i] = m < MONTHS ? m : -1;
    }
    ph_csv_free(r);
    return n == FIRMS ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    if (fx.dir)
        ph_test_rmtree(fx.dir);
    free(fx.dir);
    free(fx.uscc);
    free(fx.default_month);
    free(fx.default_date);
    free(sorted_index);
    ph_ctx_free(fx.ctx);
    return 0;
}

static double share(uint64_t part, uint64_t whole)
{
    return whole ? (double)part / (double)whole : 0.0;
}

/* Annual default rate 1.5-3% (docs/domain.md#loans: published SME NPL 1.0-2.9% in good
 * provinces, 3.87% in Hunan; Shandong 1.62%). */
static void test_default_rate(void **state)
{
    (void)state;
    const ph_gen_summary *s = &fx.summary;
    printf("annual default rate %.4f (%llu defaults, %.0f firm-years)\n", s->annual_default_rate,
           (unsigned long long)s->defaults, s->firm_years);
    assert_true(s->annual_default_rate >= 0.015);
    assert_true(s->annual_default_rate <= 0.030);
}

/* Female owners 28-38% (Shandong 32.7%); under 35: 36-46% (41.3%). */
static void test_owners(void **state)
{
    (void)state;
    const ph_gen_summary *s = &fx.summary;
    double female = share(s->female_owners, s->enterprises);
    double young = share(s->owners_under_35, s->enterprises);
    printf("female owners %.4f, owners under 35 %.4f\n", female, young);
    assert_true(female >= 0.28 && female <= 0.38);
    assert_true(young >= 0.36 && young <= 0.46);
}

/* About half the firms sit in counties (43-53%; 47.8% of SME loans in
 * Shandong), and a few cities hold most of the rest: the top four at least 40%. */
static void test_geography(void **state)
{
    (void)state;
    const ph_gen_summary *s = &fx.summary;
    double county = share(s->county_firms, s->enterprises);
    assert_int_equal(s->city_count, 16);
    uint64_t top[4] = {0};
    for (size_t i = 0; i < s->city_count; i++) {
        uint64_t v = s->cities[i].firms;
        for (int k = 0; k < 4; k++)
            if (v > top[k]) {
                uint64_t t = top[k];
                top[k] = v;
                v = t;
            }
    }
    double top4 = share(top[0] + top[1] + top[2] + top[3], s->enterprises);
    printf("county share %.4f, top-4 cities %.4f\n", county, top4);
    assert_true(county >= 0.43 && county <= 0.53);
    assert_true(top4 >= 0.40);
}

/* Size mix of SMEs: mostly micro (60-92%), small 7-35%, medium and large
 * under 3%. */
static void test_size_mix(void **state)
{
    (void)state;
    const ph_gen_summary *s = &fx.summary;
    double micro = share(s->sizes[PH_SIZE_MICRO].firms, s->enterprises);
    double small = share(s->sizes[PH_SIZE_SMALL].firms, s->enterprises);
    double bigger = share(s->sizes[PH_SIZE_MEDIUM].firms + s->sizes[PH_SIZE_LARGE].firms,
                          s->enterprises);
    printf("micro %.4f small %.4f medium+large %.4f\n", micro, small, bigger);
    assert_true(micro >= 0.60 && micro <= 0.92);
    assert_true(small >= 0.07 && small <= 0.35);
    assert_true(bigger <= 0.03);
}

/* County firms have thinner digital footprints: lower coverage of payments
 * and social security than firms in districts. */
static void test_county_coverage_thinner(void **state)
{
    (void)state;
    const ph_gen_summary *s = &fx.summary;
    uint64_t city_firms = s->enterprises - s->county_firms;
    int sources[] = {PH_GEN_SRC_PAYMENTS, PH_GEN_SRC_SOCIAL, PH_GEN_SRC_POWER};
    for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
        int src = sources[i];
        double county = share(s->county_covered[src], s->county_firms);
        double city = share(s->covered[src] - s->county_covered[src], city_firms);
        printf("%s coverage: county %.3f, districts %.3f\n",
               ph_gen_source_name((ph_gen_source)src), county, city);
        assert_true(county < city - 0.02);
    }
}

/* Weak counties default at least 30% more than strong ones; volatile
 * industries at least 20% more than stable ones. */
static void test_weak_counties_and_volatile_industries(void **state)
{
    (void)state;
    uint64_t firms[2][4] = {{0}}, defaults[2][4] = {{0}};
    ph_csv_reader *r = open_csv("truth/firms.csv");
    assert_non_null(r);
    ph_error err;
    int i = 0;
    while (ph_csv_next(r, &err) == PH_OK) {
        const char *tier, *vol;
        size_t tl, vl;
        field(r, 1, &tier, &tl);
        field(r, 2, &vol, &vl);
        int t = tier[0] - '0', v = vol[0] - '0';
        int d = fx.default_month[i] >= 0;
        firms[0][t]++, defaults[0][t] += (uint64_t)d;
        firms[1][v]++, defaults[1][v] += (uint64_t)d;
        i++;
    }
    ph_csv_free(r);
    double strong = share(defaults[0][1], firms[0][1]), weak = share(defaults[0][3], firms[0][3]);
    double stable = share(defaults[1][0], firms[1][0]), volatile_ = share(defaults[1][2], firms[1][2]);
    printf("defaults per firm: strong %.4f weak %.4f; stable %.4f volatile %.4f\n", strong, weak,
           stable, volatile_);
    assert_true(weak > 1.3 * strong);
    assert_true(volatile_ > 1.2 * stable);
}

/* The truth is honest: at the first month end, the mean true 12-month PD
 * matches the share of firms whose default date fell in the next 12 months
 * (within 15%), and it ranks them well (AUC above 0.75). */
typedef struct scored {
    double pd;
    int bad;
} scored;

static int cmp_scored(const void *a, const void *b)
{
    double x = ((const scored *)a)->pd, y = ((const scored *)b)->pd;
    return x < y ? -1 : x > y;
}

static void test_truth_pd_is_calibrated(void **state)
{
    (void)state;
    ph_date horizon_from, horizon_to;
    ph_error err;
    ph_assert_ok(ph_date_from_ymd(START_YEAR, 1, 31, &horizon_from, &err), &err);
    ph_assert_ok(ph_date_from_ymd(START_YEAR + 1, 1, 31, &horizon_to, &err), &err);
    scored *rows = calloc(FIRMS, sizeof(scored));
    size_t n = 0;
    double sum = 0.0;
    uint64_t bad = 0;
    ph_csv_reader *r = open_csv("truth/pd.csv");
    assert_non_null(r);
    while (ph_csv_next(r, &err) == PH_OK) {
        const char *code, *month, *pd;
        size_t cl, ml, pl;
        field(r, 1, &month, &ml);
        if (memcmp(month, "2024-01", 7) != 0)
            continue;
        field(r, 0, &code, &cl);
        field(r, 2, &pd, &pl);
        int i = firm_index(code);
        assert_true(i >= 0);
        rows[n].pd = strtod(pd, NULL);
        ph_date d = fx.default_date[i];
        rows[n].bad = d > horizon_from && d <= horizon_to;
        sum += rows[n].pd;
        bad += (uint64_t)rows[n].bad;
        n++;
    }
    ph_csv_free(r);
    double mean = sum / (double)n, observed = (double)bad / (double)n;
    /* AUC by ranks */
    qsort(rows, n, sizeof(scored), cmp_scored);
    double rank_sum = 0.0;
    for (size_t i = 0; i < n; i++)
        if (rows[i].bad)
            rank_sum += (double)(i + 1);
    double auc = (rank_sum - (double)bad * ((double)bad + 1.0) / 2.0)
                 / ((double)bad * (double)(n - bad));
    printf("month-end 2024-01: %zu firms, mean PD %.4f, observed %.4f, AUC %.3f\n", n, mean,
           observed, auc);
    assert_true(fabs(mean - observed) < 0.15 * observed);
    assert_true(auc > 0.75);
    free(rows);
}

/* Distress shows in payments first: among firms that default, the median
 * fall in payment inflow over the 3 months before the default month (against
 * the 3 months before those) is at least 20 points larger than among firms
 * that do not default, measured at a fixed month. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof(double), cmp_double);
    return n ? v[n / 2] : 0.0;
}

static double fall(const double *months, int at)
{
    double before = months[at - 6] + months[at - 5] + months[at - 4];
    double recent = months[at - 3] + months[at - 2] + months[at - 1];
    return before > 0.0 ? 1.0 - recent / before : NAN;
}

static void test_distress_shows_in_payments(void **state)
{
    (void)state;
    double (*inflow)[MONTHS] = calloc(FIRMS, sizeof(*inflow));
    ph_csv_reader *r = open_csv("feeds/payments_daily.csv");
    assert_non_null(r);
    ph_error err;
    int current = -1;
    char last[19] = "";
    while (ph_csv_next(r, &err) == PH_OK) {
        const char *code, *date, *amount;
        size_t cl, dl, al;
        field(r, 0, &code, &cl);
        if (memcmp(code, last, 18) != 0) {
            current = firm_index(code);
            memcpy(last, code, 18);
        }
        field(r, 1, &date, &dl);
        field(r, 3, &amount, &al);
        int month = (date[2] - '0') * 120 + (date[3] - '0') * 12 + (date[5] - '0') * 10
                    + (date[6] - '0') - 1 - (START_YEAR % 100) * 12;
        if (current >= 0 && month >= 0 && month < MONTHS)
            inflow[current][month] += strtod(amount, NULL);
    }
    ph_csv_free(r);
    double *bad = malloc(FIRMS * sizeof(double)), *good = malloc(FIRMS * sizeof(double));
    size_t nb = 0, ng = 0;
    const int reference_month = 18;
    for (int i = 0; i < FIRMS; i++) {
        int d = fx.default_month[i];
        if (d >= 6) {
            double f = fall(inflow[i], d);
            if (!isnan(f))
                bad[nb++] = f;
        } else if (!fx.default_date[i]) {
            double f = fall(inflow[i], reference_month);
            if (!isnan(f))
                good[ng++] = f;
        }
    }
    double mb = median(bad, nb), mg = median(good, ng);
    printf("median 3-month inflow fall: defaulters %.3f (%zu), others %.3f (%zu)\n", mb, nb, mg,
           ng);
    assert_true(nb > 200);
    assert_true(mb > mg + 0.20);
    free(bad);
    free(good);
    free(inflow);
}

/* The stress scenario (macro downturn and a construction shock) raises the
 * annual default rate by at least a quarter, and construction's by more. */
static void test_stress_scenario(void **state)
{
    (void)state;
    ph_gen_summary base, stress;
    char *d1 = generate("gen_cal_base", 20000, PH_GEN_BASELINE, &base);
    char *d2 = generate("gen_cal_stress", 20000, PH_GEN_STRESS, &stress);
    assert_non_null(d1);
    assert_non_null(d2);
    const ph_gen_group *eb = &base.sections['E' - 'A'], *es = &stress.sections['E' - 'A'];
    double e_base = (double)eb->defaults / eb->firm_years;
    double e_stress = (double)es->defaults / es->firm_years;
    printf("annual default rate: baseline %.4f, stress %.4f; construction %.4f -> %.4f\n",
           base.annual_default_rate, stress.annual_default_rate, e_base, e_stress);
    assert_true(stress.annual_default_rate > 1.25 * base.annual_default_rate);
    assert_true(e_stress / e_base > stress.annual_default_rate / base.annual_default_rate);
    ph_test_rmtree(d1);
    ph_test_rmtree(d2);
    free(d1);
    free(d2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_rate),
        cmocka_unit_test(test_owners),
        cmocka_unit_test(test_geography),
        cmocka_unit_test(test_size_mix),
        cmocka_unit_test(test_county_coverage_thinner),
        cmocka_unit_test(test_weak_counties_and_volatile_industries),
        cmocka_unit_test(test_truth_pd_is_calibrated),
        cmocka_unit_test(test_distress_shows_in_payments),
        cmocka_unit_test(test_stress_scenario),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
