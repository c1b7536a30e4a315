/*
 * train-gbdt's errors: each names the file, the field and the value and
 * says what was expected (docs/errors.md), and leaves no result behind.
 */
#include "ph_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/gbdt.h"

typedef struct fixture {
    ph_ctx *ctx;
    char *dir;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    ph_test_env_open("gbdt_errors", &f->ctx, &f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ph_test_env_close(f->ctx, f->dir);
    free(f);
    return 0;
}

/* A CSV of 200 rows over two dates: id, asof, x, empty (all missing),
 * target. `bad_of(i)` gives row i's target text. */
static char *write_panel(fixture *f, const char *name, const char *(*bad_of)(size_t))
{
    size_t cap = 64 * 210, used = 0;
    char *text = malloc(cap);
    used += (size_t)snprintf(text + used, cap - used, "id,asof,x,empty,target\n");
    for (size_t i = 0; i < 200; i++)
        used += (size_t)snprintf(text + used, cap - used, "F%03zu,%s,%zu,,%s\n", i,
                                 i < 150 ? "2024-05-31" : "2024-06-30", (i * 37) % 101,
                                 bad_of(i));
    char *path = ph_test_path(f->dir, name);
    ph_test_write_file(path, text);
    free(text);
    return path;
}

static const char *mixed(size_t i) { return (i * 7) % 5 < 2 ? "1" : "0"; }
static const char *constant(size_t i) { (void)i; return "0"; }
static const char *with_a_two(size_t i) { return i == 42 ? "2" : mixed(i); }

static ph_status train(fixture *f, const char *path, ph_gbdt_options *o, ph_error *err)
{
    ph_dataset *ds = NULL;
    ph_assert_ok(ph_dataset_read_csv(f->ctx, path, NULL, &ds, err), err);
    static const char *const exclude[] = {"id", NULL};
    o->target = "target";
    if (!o->exclude)
        o->exclude = exclude;
    o->threads = 1;
    o->params.num_round = 20;
    ph_gbdt_result *res = NULL;
    ph_status st = ph_gbdt_train(f->ctx, ds, o, &res, err);
    if (st != PH_OK)
        assert_null(res);
    ph_gbdt_result_free(res);
    ph_dataset_free(ds);
    return st;
}

static void assert_names(const ph_error *err, const char *a, const char *b, const char *c)
{
    const char *parts[] = {a, b, c};
    for (size_t i = 0; i < 3; i++)
        if (parts[i] && !strstr(err->message, parts[i]))
            fail_msg("'%s' not in: %s", parts[i], err->message);
}

static const char *const skip_empty[] = {"id", "empty", NULL};

static void test_constant_target(void **state)
{
    fixture *f = *state;
    char *path = write_panel(f, "constant.csv", constant);
    ph_gbdt_options o;
    ph_gbdt_options_init(&o);
    o.exclude = skip_empty;
    ph_error err;
    ph_assert_error(train(f, path, &o, &err), PH_EINVAL, &err, "target is constant");
    assert_names(&err, path, "field target", "expected both 0 (good) and 1 (bad)");
    free(path);
}

static void test_target_not_binary(void **state)
{
    fixture *f = *state;
    char *path = write_panel(f, "two.csv", with_a_two);
    ph_gbdt_options o;
    ph_gbdt_options_init(&o);
    o.exclude = skip_empty;
    ph_error err;
    ph_assert_error(train(f, path, &o, &err), PH_EINVAL, &err, "'2'");
    assert_names(&err, path, ":44", "target"); /* row 42 is line 44 */
    free(path);
}

static void test_feature_all_missing(void **state)
{
    fixture *f = *state;
    char *path = write_panel(f, "empty.csv", mixed);
    ph_gbdt_options o;
    ph_gbdt_options_init(&o);
    ph_error err;
    ph_assert_error(train(f, path, &o, &err), PH_EINVAL, &err, "missing on every row");
    assert_names(&err, path, "field empty", "--exclude empty");
    free(path);
}

static void test_monotone_contradictory_or_not_a_feature(void **state)
{
    fixture *f = *state;
    char *path = write_panel(f, "mono.csv", mixed);
    static const char *const twice[] = {"x=+1", "x=-1", NULL};
    ph_gbdt_options o;
    ph_gbdt_options_init(&o);
    o.exclude = skip_empty;
    o.monotone = twice;
    ph_error err;
    ph_assert_error(train(f, path, &o, &err), PH_EINVAL, &err, "contradictory");
    assert_names(&err, path, "value 'x'", "one sign per column");

    static const char *const same[] = {"x=+1", "x=1", NULL};
    o.monotone = same;
    ph_assert_ok(train(f, path, &o, &err), &err);

    static const char *const stranger[] = {"y=-1", NULL};
    o.monotone = stranger;
    ph_assert_error(train(f, path, &o, &err), PH_EINVAL, &err, "not a feature");
    assert_names(&err, path, "value 'y'", NULL);

    static const char *const target[] = {"target=+1", NULL};
    o.monotone = target;
    ph_assert_error(train(f, path, &o, &err), PH_EINVAL, &err, "not a feature");

    static const char *const sign[] = {"x=up", NULL};
    o.monotone = sign;
    ph_assert_error(train(f, path, &o, &err), PH_EINVAL, &err, "expected COL=+1, COL=-1");
    free(path);
}

static void test_no_validation_rows(void **state)
{
    fixture *f = *state;
    char *path = write_panel(f, "late.csv", mixed);
    ph_gbdt_options o;
    ph_gbdt_options_init(&o);
    o.exclude = skip_empty;
    o.time_column = "asof";
    o.valid_from = "2030-01-01";
    ph_error err;
    ph_assert_error(train(f, path, &o, &err), PH_EINVAL, &err, "no validation rows");
    assert_names(&err, path, "value '2030-01-01'", "the latest is 2024-06-30");

    o.valid_from = "2024-01-01";
    ph_assert_error(train(f, path, &o, &err), PH_EINVAL, &err, "no training rows");

    o.valid_from = NULL; /* the latest date: 50 rows */
    /* on 50 rows of this small panel the model ranks the slice backwards,
     * so a Platt calibration is refused (test_calibration.c): none here */
    o.calibration = 0;
    ph_assert_ok(train(f, path, &o, &err), &err);
    o.calibration = PH_CALIBRATION_PLATT;
    ph_assert_error(train(f, path, &o, &err), PH_EINVAL, &err, "the model does not rank");
    free(path);
}

static void test_unknown_parameter(void **state)
{
    fixture *f = *state;
    char *path = ph_test_path(f->dir, "params.json");
    ph_test_write_file(path, "{\"max_depth\": 3, \"max_depht\": 5}");
    ph_gbdt_params p;
    ph_gbdt_params_default(&p);
    ph_error err;
    ph_assert_error(ph_gbdt_params_read(path, &p, &err), PH_EINVAL, &err, "unknown");
    assert_names(&err, path, "field max_depht", "expected one of max_depth, eta");
    assert_int_equal(p.max_depth, 4); /* unchanged on error */

    ph_test_write_file(path, "{\"subsample\": 1.5}");
    ph_assert_error(ph_gbdt_params_read(path, &p, &err), PH_EINVAL, &err, "from 0.01 to 1");
    assert_names(&err, path, "field subsample", "'1.5'");

    ph_test_write_file(path, "{\"max_depth\": 2.5}");
    ph_assert_error(ph_gbdt_params_read(path, &p, &err), PH_EINVAL, &err, "whole number");
    assert_names(&err, path, "field max_depth", "value '2.5'");

    ph_test_write_file(path, "{\"eta\": true}");
    ph_assert_error(ph_gbdt_params_read(path, &p, &err), PH_EINVAL, &err, "a number");
    assert_names(&err, path, "field eta", "value 'true'");

    ph_test_write_file(path, "{\"max_depth\": 6, \"learning_rate\": 0.1, \"n_estimators\": 7}");
    ph_assert_ok(ph_gbdt_params_read(path, &p, &err), &err);
    assert_int_equal(p.max_depth, 6);
    assert_true(p.eta == 0.1);
    assert_int_equal(p.num_round, 7);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_constant_target, setup, teardown),
        cmocka_unit_test_setup_teardown(test_target_not_binary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_feature_all_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_monotone_contradictory_or_not_a_feature, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_no_validation_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_parameter, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
