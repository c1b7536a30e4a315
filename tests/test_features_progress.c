/*
 * The feature store's optional progress callback (ph_features_options'
 * progress): the stages in order, each from 0 to its total, on the calling
 * thread, with one thread or several; and the same rows whether or not it is
 * set. A NULL callback is the default and draws nothing.
 */
#include "features_fixture.h"

#include <pthread.h>

#define MAX_CALLS 4096

typedef struct seen {
    size_t n;
    const char *stage[MAX_CALLS];
    uint64_t done[MAX_CALLS], total[MAX_CALLS];
    pthread_t caller;
    int off_thread; /* a call from another thread */
} seen;

static void record(void *user, const char *stage, uint64_t done, uint64_t total)
{
    seen *s = user;
    if (!pthread_equal(pthread_self(), s->caller))
        s->off_thread = 1;
    if (s->n < MAX_CALLS) {
        s->stage[s->n] = stage;
        s->done[s->n] = done;
        s->total[s->n] = total;
        s->n++;
    }
}

static ph_status count_rows(void *user, const char *uscc, ph_date asof, const double *values,
                            ph_error *err)
{
    (void)uscc, (void)asof, (void)values, (void)err;
    (*(size_t *)user)++;
    return PH_OK;
}

/* The stages seen, in order, each once: "A B C". Within a stage done never
 * goes back, starts at 0 and ends at the total. */
static void assert_stages(const seen *s, const char *const *expected, size_t n_expected,
                          const uint64_t *totals)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        int first = i == 0 || strcmp(s->stage[i], s->stage[i - 1]) != 0;
        if (first) {
            assert_true(k < n_expected);
            assert_string_equal(s->stage[i], expected[k]);
            assert_int_equal(s->done[i], 0);
            k++;
        } else {
            assert_true(s->done[i] >= s->done[i - 1]);
        }
        assert_int_equal(s->total[i], totals[k - 1]);
        int last = i + 1 == s->n || strcmp(s->stage[i + 1], s->stage[i]) != 0;
        if (last)
            assert_int_equal(s->done[i], s->total[i]);
    }
    assert_int_equal(k, n_expected);
}

static void fill(ph_store *s)
{
    add_firm(s, FIRM_A, 370102, "C13", "2020-03-10", "active", NULL, "2020-03-11");
    add_firm(s, FIRM_B, 370102, "C13", "2021-05-01", "active", NULL, "2021-05-02");
    add_firm(s, FIRM_C, 370281, "A03", "2019-01-01", "active", NULL, "2019-01-02");
    add_vat(s, FIRM_A, "2025-01", 100000, 50000, "0.5");
}

static void test_refresh_and_batch_report_their_stages(void **state)
{
    fx *f = *state;
    fill(f->store);
    ph_date dates[] = {day("2025-03-31"), day("2025-04-30")};
    const char *const refresh_stages[] = {PH_FEATURES_STAGE_TABLES, PH_FEATURES_STAGE_PEERS};
    const char *const batch_stages[] = {PH_FEATURES_STAGE_TABLES, PH_FEATURES_STAGE_PEERS,
                                        PH_FEATURES_STAGE_FIRMS};
    ph_error err;
    for (int threads = 1; threads <= 2; threads++) {
        seen *s = calloc(1, sizeof(*s));
        s->caller = pthread_self();
        ph_features_options opts = {.threads = threads, .progress = record, .progress_user = s};
        ph_assert_ok(ph_features_refresh(f->store, dates, 2, &opts, &err), &err);
        uint64_t tables = s->n > 0 ? s->total[0] : 0;
        assert_true(tables > 1);
        const uint64_t refresh_totals[] = {tables, 3};
        assert_stages(s, refresh_stages, 2, refresh_totals);
        assert_false(s->off_thread);

        memset(s, 0, sizeof(*s));
        s->caller = pthread_self();
        size_t with = 0, without = 0;
        ph_assert_ok(ph_features_batch(f->store, dates, 2, &opts, count_rows, &with, &err),
                     &err);
        const uint64_t batch_totals[] = {tables, 3, 3};
        assert_stages(s, batch_stages, 3, batch_totals);
        assert_false(s->off_thread);
        ph_features_options quiet = {.threads = threads};
        ph_assert_ok(ph_features_batch(f->store, dates, 2, &quiet, count_rows, &without, &err),
                     &err);
        assert_int_equal(with, 6);
        assert_int_equal(with, without);
        free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_refresh_and_batch_report_their_stages, fx_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
