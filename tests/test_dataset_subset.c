/*
 * ph_dataset_subset: chosen rows of a dataset, kinds, levels and source lines
 * kept (the train/test split of scorecard training uses it).
 */
#include "ph_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static ph_ctx *new_ctx(void)
{
    ph_ctx *ctx;
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &ctx, &err), &err);
    return ctx;
}

/* A CSV of five rows (lines 2-6) with a numeric and a categorical column. */
static ph_dataset *read_sample(ph_ctx *ctx, char **dir_out)
{
    char *dir = ph_test_tmpdir("dataset_subset");
    char *path = ph_test_path(dir, "d.csv");
    ph_test_write_file(path, "x,city\n1.5,jinan\n,qingdao\n3,jinan\n4,\n5,yantai\n");
    ph_dataset *ds;
    ph_error err;
    ph_assert_ok(ph_dataset_read_csv(ctx, path, NULL, &ds, &err), &err);
    free(path);
    *dir_out = dir;
    return ds;
}

static void test_subset_keeps_rows_levels_lines(void **state)
{
    (void)state;
    ph_ctx *ctx = new_ctx();
    char *dir;
    ph_dataset *ds = read_sample(ctx, &dir);
    const size_t rows[] = {4, 1, 1, 3};
    ph_dataset *sub;
    ph_error err;
    ph_assert_ok(ph_dataset_subset(ds, rows, 4, &sub, &err), &err);
    assert_int_equal(ph_dataset_rows(sub), 4);
    assert_int_equal(ph_dataset_columns(sub), 2);
    assert_string_equal(ph_dataset_source(sub), ph_dataset_source(ds));
    assert_int_equal(ph_dataset_column_kind(sub, 0), PH_COLUMN_NUMERIC);
    assert_int_equal(ph_dataset_column_kind(sub, 1), PH_COLUMN_CATEGORICAL);
    const double *x = ph_dataset_numeric(sub, 0);
    assert_true(x[0] == 5.0);
    assert_true(isnan(x[1]) && isnan(x[2]));
    assert_true(x[3] == 4.0);
    /* levels copied whole: "jinan" keeps code 0 though no chosen row has it */
    assert_int_equal(ph_dataset_level_count(sub, 1), 3);
    assert_string_equal(ph_dataset_level(sub, 1, 0), "jinan");
    const uint32_t *codes = ph_dataset_codes(sub, 1);
    assert_int_equal(codes[0], 2);
    assert_int_equal(codes[1], 1);
    assert_int_equal(codes[3], PH_DATASET_MISSING);
    /* each row remembers its line in the file */
    assert_int_equal(ph_dataset_row_line(sub, 0), 6);
    assert_int_equal(ph_dataset_row_line(sub, 1), 3);
    assert_int_equal(ph_dataset_row_line(sub, 3), 5);
    ph_dataset_free(sub);

    ph_assert_ok(ph_dataset_subset(ds, NULL, 0, &sub, &err), &err);
    assert_int_equal(ph_dataset_rows(sub), 0);
    assert_int_equal(ph_dataset_columns(sub), 2);
    ph_dataset_free(sub);
    ph_dataset_free(ds);
    ph_test_rmtree(dir);
    free(dir);
    ph_ctx_free(ctx);
}

static void test_subset_of_built_dataset(void **state)
{
    (void)state;
    ph_ctx *ctx = new_ctx();
    ph_dataset *ds, *sub;
    ph_error err;
    const double v[] = {10, 20, 30};
    ph_assert_ok(ph_dataset_new(ctx, 3, &ds, &err), &err);
    ph_assert_ok(ph_dataset_add_numeric(ds, "v", v, &err), &err);
    const size_t rows[] = {2};
    ph_assert_ok(ph_dataset_subset(ds, rows, 1, &sub, &err), &err);
    assert_true(ph_dataset_numeric(sub, 0)[0] == 30.0);
    assert_int_equal(ph_dataset_row_line(sub, 0), 3); /* row 2 of the built one */
    ph_dataset_free(sub);
    ph_dataset_free(ds);
    ph_ctx_free(ctx);
}

static void test_subset_errors(void **state)
{
    (void)state;
    ph_ctx *ctx = new_ctx();
    char *dir;
    ph_dataset *ds = read_sample(ctx, &dir);
    ph_dataset *sub = NULL;
    ph_error err;
    const size_t rows[] = {0, 5};
    ph_assert_error(ph_dataset_subset(ds, rows, 2, &sub, &err), PH_ERANGE, &err,
                    "field rows, value '5': expected a row index below 5 (the rows of ");
    assert_null(sub);
    ph_assert_error(ph_dataset_subset(NULL, rows, 1, &sub, &err), PH_EMISUSE, &err,
                    "ph_dataset_subset: NULL argument");
    ph_assert_error(ph_dataset_subset(ds, NULL, 1, &sub, &err), PH_EMISUSE, &err, "NULL");
    ph_assert_error(ph_dataset_subset(ds, rows, 1, NULL, &err), PH_EMISUSE, &err, "NULL");
    ph_dataset_free(ds);
    ph_test_rmtree(dir);
    free(dir);
    ph_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_subset_keeps_rows_levels_lines),
        cmocka_unit_test(test_subset_of_built_dataset),
        cmocka_unit_test(test_subset_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
