/*
 * bench_expr: the cost of evaluating a compiled policy expression (issue 6
 * wants ~50 rules per decision at 200,000 decisions per second per core, so
 * one evaluation must cost well under a microsecond). One thread; a typical
 * limit formula and a typical price formula, each evaluated N times with the
 * inputs varying so nothing is hoisted out of the loop.
 *
 * usage: bench_expr [--iterations N]   (default 10,000,000)
 */
#include "bench_util.h"

#include "puhui/puhui.h"

#include <stdio.h>
#include <string.h>

static const char *const LIMIT =
    "min(product_cap, 5 * avg_inflow_12m * volatility_coeff * seasonal_factor, dscr_cap)";
static const char *const PRICE = "min(lpr + spread - green_discount + guarantee_fee, 4 * lpr)";

static const char *const names[] = {"product_cap", "avg_inflow_12m", "volatility_coeff",
                                    "seasonal_factor", "dscr_cap", "lpr", "spread",
                                    "green_discount", "guarantee_fee"};
#define VARS (sizeof(names) / sizeof(names[0]))

static int run(const ph_expr *e, const char *label, long long iterations, ph_value *slots)
{
    ph_error err;
    ph_value v;
    ph_decimal checksum = 0;
    double start = bench_now_seconds();
    for (long long i = 0; i < iterations; i++) {
        slots[1].as.decimal = INT64_C(1234567000000) + (i & 1023) * PH_DECIMAL_ONE;
        if (ph_expr_eval(e, slots, &v, &err) != PH_OK) {
            fprintf(stderr, "bench_expr: %s\n", err.message);
            return 1;
        }
        checksum ^= v.as.decimal;
    }
    double seconds = bench_now_seconds() - start;
    char text[PH_DECIMAL_FORMAT_MAX];
    ph_decimal_format(v.as.decimal, text, sizeof(text), NULL);
    printf("%-6s %6.1f ns/eval  (%lld evaluations in %.2f s; last %s, checksum %lld)\n", label,
           seconds * 1e9 / (double)iterations, iterations, seconds, text, (long long)checksum);
    return 0;
}

int main(int argc, char **argv)
{
    long long iterations = 10000000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--iterations") == 0 && i + 1 < argc) {
            if (bench_number("bench_expr", "--iterations", argv[++i], 1, 1000000000000LL,
                             &iterations) != 0)
                return 2;
        } else {
            fprintf(stderr, "usage: bench_expr [--iterations N]\n");
            return 2;
        }
    }
    ph_ctx *ctx = NULL;
    ph_expr_symbols *sym = NULL;
    ph_expr *limit = NULL, *price = NULL;
    ph_error err;
    ph_error_clear(&err);
    int rc = 1;
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK || ph_expr_symbols_new(ctx, &sym, &err) != PH_OK)
        goto done;
    for (size_t i = 0; i < VARS; i++)
        if (ph_expr_symbols_add(sym, names[i], PH_VALUE_DECIMAL, NULL, &err) != PH_OK)
            goto done;
    if (ph_expr_compile(sym, LIMIT, "bench limit", &limit, &err) != PH_OK ||
        ph_expr_compile(sym, PRICE, "bench price", &price, &err) != PH_OK)
        goto done;
    static const char *const inputs[VARS] = {"3000000", "12345.67", "0.85", "1.1",
                                             "500000", "3.45%", "150bp", "20bp", "50bp"};
    ph_value slots[VARS];
    for (size_t i = 0; i < VARS; i++) {
        ph_decimal d;
        if (ph_decimal_parse(inputs[i], strlen(inputs[i]), &d, &err) != PH_OK)
            goto done;
        slots[i] = ph_value_decimal(d);
    }
    printf("bench_expr: one thread, %lld evaluations each\n", iterations);
    printf("limit: %s\nprice: %s\n", LIMIT, PRICE);
    rc = run(limit, "limit", iterations, slots) || run(price, "price", iterations, slots);
done:
    if (rc != 0 && err.message[0] != '\0')
        fprintf(stderr, "bench_expr: %s\n", err.message);
    ph_expr_free(limit);
    ph_expr_free(price);
    ph_expr_symbols_free(sym);
    ph_ctx_free(ctx);
    return rc;
}
