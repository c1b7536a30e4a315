/*
 * Policy evaluation speed: the reference bank policy (5 knock-out rules, 6
 * eligibility rules, risk grade, spread, volatility and seasonal tables, 7
 * formulas) evaluated on a fixed pool of synthetic applicants, about two in
 * five knocked out, ineligible or without a positive limit. Prints ns per
 * decision on one thread.
 *
 *   bench_policy [DECISIONS [POLICY.json]]
 *       (default 1,000,000 decisions on tests/fixtures/policies/brief_bank.json,
 *        looked for from the repository root or the build directory)
 */
#include "bench_util.h"

#include "puhui/puhui.h"

#include <stdint.h>
#include <string.h>

#define POOL 1024
#define MAX_INPUTS 32

static uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static const char *default_policy(void)
{
    static const char *const candidates[] = {"tests/fixtures/policies/brief_bank.json",
                                             "../tests/fixtures/policies/brief_bank.json"};
    for (size_t i = 0; i < 2; i++) {
        FILE *f = fopen(candidates[i], "r");
        if (f != NULL) {
            fclose(f);
            return candidates[i];
        }
    }
    return candidates[0];
}

/* One applicant: mostly good, sometimes a knock-out or an odd amount. */
static int fill(const ph_policy *p, ph_value *in, uint64_t *seed)
{
    static const char *const sections[] = {"A", "C", "F", "G", "H", "I"};
    static const char *const statuses[] = {"存续", "在业", "吊销"};
    static const char *const grades[] = {"A", "B", "M", "C", "A", "B", "M", "D"};
    struct {
        const char *name;
        ph_value v;
    } items[] = {
        {"business_status", ph_value_text(statuses[next_random(seed) % 8 == 0 ? 2 : next_random(seed) % 2])},
        {"tax_grade", ph_value_text(grades[next_random(seed) % 8])},
        {"court_enforcement", ph_value_bool(next_random(seed) % 50 == 0)},
        {"fraud_flag", ph_value_bool(next_random(seed) % 100 == 0)},
        {"amount", ph_value_decimal((ph_decimal)(20000 + next_random(seed) % 3000000) *
                                    PH_DECIMAL_ONE)},
        {"term", ph_value_decimal((ph_decimal)(3 + next_random(seed) % 36) * PH_DECIMAL_ONE)},
        {"score", ph_value_decimal((ph_decimal)(520 + next_random(seed) % 300) * PH_DECIMAL_ONE)},
        {"industry_section", ph_value_text(sections[next_random(seed) % 6])},
        {"month", ph_value_decimal((ph_decimal)(1 + next_random(seed) % 12) * PH_DECIMAL_ONE)},
        {"avg_inflow_12m", ph_value_decimal((ph_decimal)(5000 + next_random(seed) % 500000) * PH_DECIMAL_ONE)},
        {"annual_debt_service",
         ph_value_decimal((ph_decimal)(next_random(seed) % 200000) * PH_DECIMAL_ONE)},
        {"lpr", ph_value_decimal(3450000)},
        {"green", ph_value_bool(next_random(seed) % 3 == 0)},
        {"guarantor", ph_value_bool(next_random(seed) % 2 == 0)},
    };
    for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
        long k = ph_policy_input_index(p, items[i].name);
        if (k < 0 || k >= MAX_INPUTS) {
            fprintf(stderr, "bench_policy: the policy has no input '%s'\n", items[i].name);
            return -1;
        }
        in[k] = items[i].v;
    }
    return 0;
}

int main(int argc, char **argv)
{
    long long n = 1000000;
    if (argc > 1 && bench_number(argv[0], "DECISIONS", argv[1], 1, 1000000000LL, &n) != 0)
        return 2;
    const char *path = argc > 2 ? argv[2] : default_policy();
    ph_ctx *ctx;
    ph_policy *p = NULL;
    ph_policy_run *run = NULL;
    ph_error err;
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK)
        return 1;
    int rc = 1;
    static ph_value pool[POOL][MAX_INPUTS];
    if (ph_policy_load_file(ctx, path, &p, &err) != PH_OK ||
        ph_policy_run_new(p, &run, &err) != PH_OK) {
        fprintf(stderr, "bench_policy: %s\n", err.message);
        goto done;
    }
    if (ph_policy_input_count(p) > MAX_INPUTS) {
        fprintf(stderr, "bench_policy: more than %d inputs\n", MAX_INPUTS);
        goto done;
    }
    uint64_t seed = 0x9e3779b97f4a7c15u;
    for (size_t i = 0; i < POOL; i++)
        if (fill(p, pool[i], &seed) != 0)
            goto done;
    long long approved = 0;
    ph_money limits = 0;
    double start = bench_now_seconds();
    for (long long i = 0; i < n; i++) {
        ph_policy_outcome o;
        if (ph_policy_eval(p, run, pool[i % POOL], &o, &err) != PH_OK) {
            fprintf(stderr, "bench_policy: %s\n", err.message);
            goto done;
        }
        approved += o.approved;
        limits += o.approved ? o.limit % 1000 : 0; /* keep the result alive */
    }
    double ns = (bench_now_seconds() - start) * 1e9 / (double)n;
    printf("policy %s v%lld, %zu steps: %7.1f ns/decision (%.0f decisions/s), approved %.1f%% "
           "(check %lld)\n",
           ph_policy_name(p), (long long)ph_policy_version(p), ph_policy_step_count(p), ns,
           1e9 / ns, 100.0 * (double)approved / (double)n, (long long)limits);
    rc = 0;
done:
    ph_policy_run_free(run);
    ph_policy_free(p);
    ph_ctx_free(ctx);
    return rc;
}
