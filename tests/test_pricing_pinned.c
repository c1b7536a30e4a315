/*
 * Pricing pinned: the exact outputs of ph_loan_cost_compute for
 * representative loans, and a digest of every output over a grid of
 * 23,040 loans (amounts from one fen to 50 million yuan, 1 to 360 months,
 * the three repayments, rates from 0 to 36%, with and without fee, subsidy
 * and award). Recorded from the implementation before it was made faster
 * (issue 15), so that any speed-up which changes a single fen, or an APR
 * by 1e-8, shows here. A change that is meant to alter results must say
 * why and re-record the values in the same commit.
 */
#include "support/ph_test.h"

#include "puhui/pricing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define YUAN(x) ((ph_money)(x) * 100)
#define BP(x) ((ph_rate)(x) * PH_RATE_BP)

/* Recorded before the speed-up; see the top of the file. */
#define PINNED_GRID_FAILED 0
#define PINNED_GRID_DIGEST UINT64_C(0xb611fd7c457016fc)

typedef struct pinned {
    ph_loan_terms terms;
    ph_loan_cost cost;
} pinned;

/* The fields in the order of ph_loan_cost: total_interest, total_subsidy,
 * upfront_fee, award, net_cost, first_payment, max_payment, apr, net_apr. */
static const pinned PINNED[] = {
    {{12000000, 12, PH_REPAY_EQUAL_INSTALLMENT, 6000000, 0, 0, 0},
     {393566, 0, 0, 0, 393566, 1032797, 1032799, 6000001, 6000001}},
    {{2000000, 3, PH_REPAY_EQUAL_INSTALLMENT, 3450000, 0, 0, 0},
     {11511, 0, 0, 0, 11511, 670504, 670504, 3449999, 3449999}},
    {{50000000, 12, PH_REPAY_EQUAL_INSTALLMENT, 4350000, 0, 1500000, 0},
     {1185941, 408939, 0, 0, 777002, 4202995, 4260184, 4350003, 2850024}},
    {{100000000, 24, PH_REPAY_EQUAL_INSTALLMENT, 4850000, 500000, 1720000, 2000000},
     {5130185, 1819353, 500000, 2000000, 1810832, 4237091, 4374180, 5341224, 1694398}},
    {{300000000, 36, PH_REPAY_EQUAL_INSTALLMENT, 3900000, 0, 1000000, 0},
     {18378825, 4712502, 0, 0, 13666323, 8593856, 8836519, 3899999, 2900003}},
    {{2000123, 38, PH_REPAY_EQUAL_INSTALLMENT, 7950000, 0, 0, 200000},
     {268900, 0, 0, 200000, 68900, 59711, 59716, 7949944, 1908460}},
    {{8000000, 13, PH_REPAY_EQUAL_INSTALLMENT, 12000000, 80000, 0, 0},
     {571141, 0, 80000, 0, 651141, 659319, 659319, 13779434, 13779434}},
    {{250000000, 360, PH_REPAY_EQUAL_INSTALLMENT, 4200000, 0, 500000, 0},
     {190115420, 22632607, 0, 0, 167482813, 1118377, 1221976, 4200000, 3700003}},
    {{30000000, 12, PH_REPAY_EQUAL_PRINCIPAL, 5500000, 0, 2000000, 0},
     {893750, 324996, 0, 0, 568754, 2587500, 2587500, 5500000, 3500024}},
    {{12345678, 39, PH_REPAY_EQUAL_PRINCIPAL, 6000000, 100000, 0, 0},
     {1234567, 0, 100000, 0, 1334567, 378284, 378284, 6522712, 6522712}},
    {{100000000, 60, PH_REPAY_EQUAL_PRINCIPAL, 4350000, 0, 0, 1000000},
     {11056250, 0, 0, 1000000, 10056250, 2029167, 2029167, 4350001, 3929509}},
    {{20000000, 6, PH_REPAY_INTEREST_ONLY, 5000000, 0, 2500000, 0},
     {499998, 249996, 0, 0, 250002, 41667, 20041667, 4999980, 2500020}},
    {{500000000, 24, PH_REPAY_INTEREST_ONLY, 3800000, 2000000, 1000000, 500000},
     {37999992, 9999984, 2000000, 500000, 29500008, 1166667, 501166667, 4008457, 2954661}},
    {{5000000, 12, PH_REPAY_EQUAL_INSTALLMENT, 0, 0, 0, 0},
     {0, 0, 0, 0, 0, 416667, 416667, 0, 0}},
    {{7, 360, PH_REPAY_EQUAL_INSTALLMENT, 36000000, 0, 0, 0},
     {0, 0, 0, 0, 0, 0, 7, 0, 0}},
    {{10000000, 12, PH_REPAY_EQUAL_INSTALLMENT, 3000000, 0, 3000000, 300000},
     {163244, 163239, 0, 300000, -299995, 821937, 844825, 3000003, -5397624}},
};

static void test_representative_loans(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(PINNED) / sizeof(PINNED[0]); i++) {
        const pinned *p = &PINNED[i];
        ph_loan_cost c;
        ph_error err;
        ph_assert_ok(ph_loan_cost_compute(&p->terms, &c, &err), &err);
        if (memcmp(&c, &p->cost, sizeof(c)) != 0)
            fail_msg("loan %zu (%lld fen, %lld months, %s, rate %lld): got interest %lld "
                     "subsidy %lld net %lld first %lld max %lld apr %lld net_apr %lld",
                     i, (long long)p->terms.amount, (long long)p->terms.term_months,
                     ph_repayment_name(p->terms.repayment), (long long)p->terms.rate,
                     (long long)c.total_interest, (long long)c.total_subsidy,
                     (long long)c.net_cost, (long long)c.first_payment,
                     (long long)c.max_payment, (long long)c.apr, (long long)c.net_apr);
    }
}

/* FNV-1a over 64-bit words. */
static uint64_t fold(uint64_t h, int64_t v)
{
    for (int b = 0; b < 8; b++) {
        h ^= (uint64_t)v >> (8 * b) & 0xff;
        h *= 1099511628211u;
    }
    return h;
}

static void test_grid_digest(void **state)
{
    (void)state;
    static const ph_money amounts[] = {1, 7, 99, YUAN(100), YUAN(5000), YUAN(20000),
                                       12345678, YUAN(300000), YUAN(3000000), YUAN(50000000)};
    static const int64_t months[] = {1, 2, 3, 6, 12, 13, 24, 36, 39, 60, 120, 360};
    static const ph_rate rates[] = {0, BP(150), BP(345), BP(435), BP(600), BP(1200), 2399999, BP(3600)};
    uint64_t h = 14695981039346656037u;
    size_t ok = 0, failed = 0;
    for (size_t a = 0; a < sizeof(amounts) / sizeof(amounts[0]); a++)
        for (size_t m = 0; m < sizeof(months) / sizeof(months[0]); m++)
            for (int kind = 0; kind < 3; kind++)
                for (size_t r = 0; r < sizeof(rates) / sizeof(rates[0]); r++)
                    for (int extra = 0; extra < 8; extra++) {
                        ph_loan_terms t = {amounts[a], months[m], (ph_repayment)kind, rates[r],
                                           0, 0, 0};
                        if (extra & 1)
                            t.upfront_fee = t.amount / 100; /* 1% */
                        if (extra & 2)
                            t.subsidy_rate = t.rate / 2 - t.rate / 7;
                        if (extra & 4)
                            t.award = YUAN(2000);
                        ph_loan_cost c;
                        ph_status st = ph_loan_cost_compute(&t, &c, NULL);
                        h = fold(h, st);
                        if (st != PH_OK) {
                            failed++;
                            continue;
                        }
                        ok++;
                        const int64_t fields[] = {c.total_interest, c.total_subsidy,
                                                  c.upfront_fee,    c.award,
                                                  c.net_cost,       c.first_payment,
                                                  c.max_payment,    c.apr,
                                                  c.net_apr};
                        for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
                            h = fold(h, fields[f]);
                    }
    if (getenv("PH_PRICING_PRINT") != NULL)
        printf("grid: %zu priced, %zu refused, digest %016llx\n", ok, failed,
               (unsigned long long)h);
    assert_int_equal(ok + failed, 23040);
    assert_int_equal(failed, PINNED_GRID_FAILED);
    assert_true(h == PINNED_GRID_DIGEST);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_representative_loans),
        cmocka_unit_test(test_grid_digest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
