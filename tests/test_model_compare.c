/* Champion and challenger (src/governance/compare.c): the swap sets and the
 * DeLong standard error of the AUC difference, on six rows worked by hand. */
#include "ph_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/model_report.h"

static ph_ctx *ctx;

static int setup(void **state)
{
    (void)state;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_ctx_new(NULL, &ctx, &err), &err);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ph_ctx_free(ctx);
    return 0;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Rows 0..5; bads are rows 1, 3 and 5. */
static const double CHAMPION[] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
static const double CHALLENGER[] = {0.6, 0.1, 0.2, 0.5, 0.3, 0.4};
static const uint8_t BAD[] = {0, 1, 0, 1, 0, 1};

typedef struct expected_cell {
    size_t count, bads;
    double bad_rate; /* NaN: an empty cell */
} expected_cell;

static void assert_cells(const ph_swap_set *s, const expected_cell want[PH_SWAP_CELLS])
{
    for (size_t c = 0; c < PH_SWAP_CELLS; c++) {
        assert_int_equal(s->cells[c].count, want[c].count);
        assert_int_equal(s->cells[c].bads, want[c].bads);
        if (isnan(want[c].bad_rate))
            assert_true(isnan(s->cells[c].bad_rate));
        else
            assert_float_equal(s->cells[c].bad_rate, want[c].bad_rate, 1e-12);
    }
}

/*
 * 50%: k = 3. The champion approves rows 0, 1, 2; the challenger its three
 * lowest PDs, rows 1 (0.1), 2 (0.2), 4 (0.3). Both: rows 1, 2 (one bad);
 * champion only: row 0 (good); challenger only: row 4 (good); both decline:
 * rows 3, 5 (both bad). Each model's approved hold one bad in three.
 * 70%: k = ceil(4.2) = 5. The champion declines row 5, the challenger row 0
 * (PD 0.6). Both: rows 1-4 (bads 1, 3); champion only: row 0 (good);
 * challenger only: row 5 (bad); nobody is declined by both. Approved bad
 * rates: champion 2/5 (rows 1, 3), challenger 3/5 (rows 1, 3, 5).
 */
static void test_swap_sets_by_hand(void **state)
{
    (void)state;
    ph_error err;
    const double rates[] = {0.5, 0.7};
    ph_swap_set s[2];
    ph_assert_ok(ph_swap_sets(ctx, CHAMPION, CHALLENGER, BAD, N(BAD), rates, 2, s, &err), &err);

    const expected_cell half[PH_SWAP_CELLS] = {
        [PH_SWAP_BOTH_APPROVE] = {2, 1, 0.5},
        [PH_SWAP_CHAMPION_ONLY] = {1, 0, 0.0},
        [PH_SWAP_CHALLENGER_ONLY] = {1, 0, 0.0},
        [PH_SWAP_BOTH_DECLINE] = {2, 2, 1.0},
    };
    assert_int_equal(s[0].approved, 3);
    assert_float_equal(s[0].approval_rate, 0.5, 0);
    assert_cells(&s[0], half);
    assert_float_equal(s[0].champion_bad_rate, 1.0 / 3.0, 1e-12);
    assert_float_equal(s[0].challenger_bad_rate, 1.0 / 3.0, 1e-12);

    const expected_cell seventy[PH_SWAP_CELLS] = {
        [PH_SWAP_BOTH_APPROVE] = {4, 2, 0.5},
        [PH_SWAP_CHAMPION_ONLY] = {1, 0, 0.0},
        [PH_SWAP_CHALLENGER_ONLY] = {1, 1, 1.0},
        [PH_SWAP_BOTH_DECLINE] = {0, 0, NAN},
    };
    assert_int_equal(s[1].approved, 5);
    assert_cells(&s[1], seventy);
    assert_float_equal(s[1].champion_bad_rate, 0.4, 1e-12);
    assert_float_equal(s[1].challenger_bad_rate, 0.6, 1e-12);

    assert_string_equal(ph_swap_cell_name(PH_SWAP_CHAMPION_ONLY), "champion only");
    assert_null(ph_swap_cell_name(PH_SWAP_CELLS));
}

/* A model decides by a cut-off: rows of equal PD are approved together,
 * whatever their order. At 50% (k = 2) the champion's 2nd best PD is 0.2,
 * so it approves rows 0-3 (four: three tie at 0.2); the challenger ties
 * everything at 0.5 and approves all. Reversing the rows changes nothing. */
static void test_swap_ties_go_together(void **state)
{
    (void)state;
    ph_error err;
    const double champion[] = {0.2, 0.2, 0.2, 0.1, 0.3};
    const double challenger[] = {0.5, 0.5, 0.5, 0.5, 0.5};
    const uint8_t bad[] = {1, 0, 0, 0, 1};
    const double rate = 0.5; /* k = ceil(2.5) = 3 */
    ph_swap_set s;
    ph_assert_ok(ph_swap_sets(ctx, champion, challenger, bad, 5, &rate, 1, &s, &err), &err);
    const expected_cell want[PH_SWAP_CELLS] = {
        [PH_SWAP_BOTH_APPROVE] = {4, 1, 0.25},
        [PH_SWAP_CHAMPION_ONLY] = {0, 0, NAN},
        [PH_SWAP_CHALLENGER_ONLY] = {1, 1, 1.0},
        [PH_SWAP_BOTH_DECLINE] = {0, 0, NAN},
    };
    assert_int_equal(s.approved, 3);
    assert_int_equal(s.champion_approved, 4);
    assert_int_equal(s.challenger_approved, 5);
    assert_float_equal(s.champion_cutoff, 0.2, 0);
    assert_cells(&s, want);
    assert_float_equal(s.champion_bad_rate, 0.25, 1e-12);
    assert_float_equal(s.challenger_bad_rate, 0.4, 1e-12);
    const double champion_r[] = {0.3, 0.1, 0.2, 0.2, 0.2};
    const uint8_t bad_r[] = {1, 0, 0, 0, 1};
    ph_swap_set r;
    ph_assert_ok(ph_swap_sets(ctx, champion_r, challenger, bad_r, 5, &rate, 1, &r, &err), &err);
    assert_cells(&r, want);
    assert_int_equal(r.champion_approved, 4);
}

static void test_swap_bad_inputs(void **state)
{
    (void)state;
    ph_error err;
    ph_swap_set s;
    const double zero = 0.0, over = 1.5, half = 0.5;
    ph_assert_error(ph_swap_sets(ctx, CHAMPION, CHALLENGER, BAD, N(BAD), &zero, 1, &s, &err),
                    PH_EINVAL, &err, "field approval_rate, value '0'");
    ph_assert_error(ph_swap_sets(ctx, CHAMPION, CHALLENGER, BAD, N(BAD), &over, 1, &s, &err),
                    PH_EINVAL, &err, "value '1.5'");
    ph_assert_error(ph_swap_sets(ctx, CHAMPION, CHALLENGER, BAD, N(BAD), &half, 0, &s, &err),
                    PH_EINVAL, &err, "at least one approval rate");
    ph_assert_error(ph_swap_sets(ctx, CHAMPION, CHALLENGER, BAD, 0, &half, 1, &s, &err),
                    PH_EINVAL, &err, NULL);
    const double nan_pd[] = {0.1, NAN, 0.3, 0.4, 0.5, 0.6};
    ph_assert_error(ph_swap_sets(ctx, CHAMPION, nan_pd, BAD, N(BAD), &half, 1, &s, &err),
                    PH_EINVAL, &err, "pd[1]");
    ph_assert_error(ph_swap_sets(ctx, NULL, CHALLENGER, BAD, N(BAD), &half, 1, &s, &err),
                    PH_EMISUSE, &err, NULL);
}

/*
 * DeLong on the same six rows. Champion: each bad's share of goods below
 * it (V10) is 1/3, 2/3, 1 (AUC 2/3); each good's share of bads above it
 * (V01) is 1, 2/3, 1/3. Challenger: V10 0, 2/3, 2/3 (AUC 4/9); V01 0, 2/3,
 * 2/3. Differences per bad -1/3, 0, -1/3: variance 1/27; per good -1, 0,
 * 1/3: variance 13/27. Var = (1/27)/3 + (13/27)/3 = 14/81, so the standard
 * error is sqrt(14)/9 and z = (-2/9) / (sqrt(14)/9) = -2/sqrt(14).
 */
static void test_delong_by_hand(void **state)
{
    (void)state;
    ph_error err;
    ph_auc_comparison a;
    ph_assert_ok(ph_metric_auc_delong(ctx, CHAMPION, CHALLENGER, BAD, N(BAD), &a, &err), &err);
    assert_float_equal(a.champion, 2.0 / 3.0, 1e-12);
    assert_float_equal(a.challenger, 4.0 / 9.0, 1e-12);
    assert_float_equal(a.difference, -2.0 / 9.0, 1e-12);
    assert_float_equal(a.se, sqrt(14.0) / 9.0, 1e-12);
    assert_float_equal(a.z, -2.0 / sqrt(14.0), 1e-12);
    assert_float_equal(a.p_value, erfc(2.0 / sqrt(14.0) / sqrt(2.0)), 1e-12);

    /* the same model twice: no difference, no error to speak of */
    ph_assert_ok(ph_metric_auc_delong(ctx, CHAMPION, CHAMPION, BAD, N(BAD), &a, &err), &err);
    assert_float_equal(a.difference, 0.0, 0);
    assert_float_equal(a.se, 0.0, 0);
    assert_true(isnan(a.z) && isnan(a.p_value));

    /* ties count one half, as ph_metric_auc */
    const double tie_pd[] = {0.1, 0.4, 0.35, 0.8, 0.4, 0.2};
    const uint8_t tie_bad[] = {0, 0, 1, 1, 1, 0};
    double auc;
    ph_assert_ok(ph_metric_auc(ctx, tie_pd, tie_bad, 6, &auc, &err), &err);
    ph_assert_ok(ph_metric_auc_delong(ctx, tie_pd, CHAMPION, tie_bad, 6, &a, &err), &err);
    assert_float_equal(a.champion, auc, 1e-12);

    const uint8_t all_good[] = {0, 0, 0, 0, 0, 0};
    ph_assert_error(ph_metric_auc_delong(ctx, CHAMPION, CHALLENGER, all_good, 6, &a, &err),
                    PH_EINVAL, &err, "every case is good");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_swap_sets_by_hand),
        cmocka_unit_test(test_swap_ties_go_together),
        cmocka_unit_test(test_swap_bad_inputs),
        cmocka_unit_test(test_delong_by_hand),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
