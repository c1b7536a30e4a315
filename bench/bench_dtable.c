/*
 * Decision-table evaluation speed: a 50-rule FIRST table (score bands x
 * debt-ratio bands x industry lists -> spread) and a 50-rule COLLECT SUM
 * scorecard-like table, each evaluated on a fixed pool of synthetic
 * applicants. Prints ns per evaluation on one thread.
 *
 *   bench_dtable [EVALUATIONS]     (default 2,000,000 per table)
 */
#include "bench_util.h"

#include "puhui/puhui.h"

#include <stdint.h>
#include <string.h>

#define RULES 50
#define POOL 1024

static const char *const INDUSTRIES[] = {"C13", "C14", "F51", "F52", "H61", "I65", "E47"};

static uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* FIRST: 49 banded rules then a catch-all; inputs score, debt_ratio, industry, green. */
static int build_first(const ph_ctx *ctx, ph_dtable **out)
{
    ph_dtable_column in[4] = {{.name = "score", .kind = PH_VALUE_DECIMAL},
                              {.name = "debt_ratio", .kind = PH_VALUE_DECIMAL},
                              {.name = "industry", .kind = PH_VALUE_TEXT},
                              {.name = "green", .kind = PH_VALUE_BOOL}};
    ph_dtable_column col = {.name = "spread", .kind = PH_VALUE_DECIMAL};
    ph_error err;
    if (ph_dtable_new(ctx, "spread", PH_HIT_FIRST, PH_AGG_NONE, in, 4, &col, 1, out, &err)) {
        fprintf(stderr, "bench_dtable: %s\n", err.message);
        return -1;
    }
    for (int r = 0; r < RULES; r++) {
        char score[64], ratio[64], industry[64];
        snprintf(score, sizeof(score), "[%d..%d)", 800 - (r / 7 + 1) * 40, 800 - (r / 7) * 40);
        snprintf(ratio, sizeof(ratio), "<= %d%%", 30 + (r % 7) * 10);
        snprintf(industry, sizeof(industry), "not(\"%s\", \"%s\")", INDUSTRIES[r % 7],
                 INDUSTRIES[(r + 3) % 7]);
        const char *cells[4] = {score, ratio, industry, r % 5 == 0 ? "true" : "-"};
        const char *any[4] = {"-", "-", "-", "-"};
        ph_value spread = ph_value_decimal((ph_decimal)(50 + r * 5) * 10000); /* bp */
        if (ph_dtable_add_rule(*out, r == RULES - 1 ? any : cells, &spread, NULL, &err)) {
            fprintf(stderr, "bench_dtable: %s\n", err.message);
            return -1;
        }
    }
    return 0;
}

/* COLLECT SUM: points per characteristic band, ten bands for each of five inputs. */
static int build_sum(const ph_ctx *ctx, ph_dtable **out)
{
    ph_dtable_column in[5] = {{.name = "age_months", .kind = PH_VALUE_DECIMAL},
                              {.name = "inflow_cv", .kind = PH_VALUE_DECIMAL},
                              {.name = "tax_grade", .kind = PH_VALUE_TEXT},
                              {.name = "employees", .kind = PH_VALUE_DECIMAL},
                              {.name = "overdue_days", .kind = PH_VALUE_DECIMAL}};
    ph_dtable_column col = {.name = "points", .kind = PH_VALUE_DECIMAL};
    ph_error err;
    if (ph_dtable_new(ctx, "points", PH_HIT_COLLECT, PH_AGG_SUM, in, 5, &col, 1, out, &err)) {
        fprintf(stderr, "bench_dtable: %s\n", err.message);
        return -1;
    }
    static const char *const grades[] = {"\"A\"", "\"B\"", "\"M\"", "\"C\"", "\"D\""};
    for (int r = 0; r < RULES; r++) {
        int input = r / 10, band = r % 10;
        char cell[64];
        if (input == 2)
            snprintf(cell, sizeof(cell), "%s", band < 5 ? grades[band] : "null");
        else
            snprintf(cell, sizeof(cell), "[%d..%d)", band * 12, band * 12 + 12);
        const char *cells[5] = {"-", "-", "-", "-", "-"};
        cells[input] = cell;
        ph_value pts = ph_value_decimal((ph_decimal)(band * 7 - 20) * PH_DECIMAL_ONE / 4);
        if (ph_dtable_add_rule(*out, cells, &pts, NULL, &err)) {
            fprintf(stderr, "bench_dtable: %s\n", err.message);
            return -1;
        }
    }
    return 0;
}

/* Evaluate `t` n times over a pool of inputs; ns per evaluation (-1 on error). */
static double run(const ph_ctx *ctx, const ph_dtable *t, const ph_value *pool, size_t width,
                  long long n, double *matched_share)
{
    ph_dtable_result *res;
    ph_error err;
    if (ph_dtable_result_new(ctx, t, &res, &err) != PH_OK)
        return -1;
    long long matched = 0;
    double start = bench_now_seconds();
    for (long long i = 0; i < n; i++) {
        if (ph_dtable_eval(t, &pool[(size_t)(i % POOL) * width], res, &err) != PH_OK) {
            fprintf(stderr, "bench_dtable: %s\n", err.message);
            ph_dtable_result_free(ctx, res);
            return -1;
        }
        matched += res->match_count;
    }
    double elapsed = bench_now_seconds() - start;
    *matched_share = (double)matched / (double)n;
    ph_dtable_result_free(ctx, res);
    return elapsed * 1e9 / (double)n;
}

int main(int argc, char **argv)
{
    long long n = 2000000;
    if (argc > 1 && bench_number(argv[0], "EVALUATIONS", argv[1], 1, 1000000000LL, &n) != 0)
        return 2;
    ph_ctx *ctx;
    ph_error err;
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK)
        return 1;
    ph_dtable *first = NULL, *sum = NULL;
    int rc = 1;
    static ph_value pool_first[POOL * 4], pool_sum[POOL * 5];
    static const char *const grade_text[] = {"A", "B", "M", "C", "D"};
    uint64_t seed = 0x9e3779b97f4a7c15u;
    for (size_t i = 0; i < POOL; i++) {
        ph_value *f = &pool_first[i * 4], *s = &pool_sum[i * 5];
        f[0] = ph_value_decimal((ph_decimal)(500 + next_random(&seed) % 300) * PH_DECIMAL_ONE);
        f[1] = ph_value_decimal((ph_decimal)(next_random(&seed) % 100) * PH_DECIMAL_ONE / 100);
        f[2] = ph_value_text(INDUSTRIES[next_random(&seed) % 7]);
        f[3] = ph_value_bool((int)(next_random(&seed) % 2));
        s[0] = ph_value_decimal((ph_decimal)(next_random(&seed) % 120) * PH_DECIMAL_ONE);
        s[1] = ph_value_decimal((ph_decimal)(next_random(&seed) % 120) * PH_DECIMAL_ONE);
        s[2] = next_random(&seed) % 10 == 0 ? ph_value_null()
                                            : ph_value_text(grade_text[next_random(&seed) % 5]);
        s[3] = ph_value_decimal((ph_decimal)(next_random(&seed) % 120) * PH_DECIMAL_ONE);
        s[4] = ph_value_decimal((ph_decimal)(next_random(&seed) % 120) * PH_DECIMAL_ONE);
    }
    if (build_first(ctx, &first) == 0 && build_sum(ctx, &sum) == 0) {
        double share_first, share_sum;
        double ns_first = run(ctx, first, pool_first, 4, n, &share_first);
        double ns_sum = run(ctx, sum, pool_sum, 5, n, &share_sum);
        if (ns_first >= 0 && ns_sum >= 0) {
            printf("dtable FIRST   %d rules: %7.1f ns/eval (%.0f evals/s), matches/eval %.2f\n",
                   RULES, ns_first, 1e9 / ns_first, share_first);
            printf("dtable COLLECT %d rules SUM: %7.1f ns/eval (%.0f evals/s), matches/eval "
                   "%.2f\n",
                   RULES, ns_sum, 1e9 / ns_sum, share_sum);
            rc = 0;
        }
    }
    ph_dtable_free(first);
    ph_dtable_free(sum);
    ph_ctx_free(ctx);
    return rc;
}
