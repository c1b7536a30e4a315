/*
 * The modelling table: kinds detected per column, missing tokens, forced
 * kinds, levels in order of first appearance, lines for errors, targets,
 * and every error naming the file, line, field and value.
 */
#include "ph_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct fixture {
    ph_ctx *ctx;
    char *dir;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    ph_test_env_open("dataset", &f->ctx, &f->dir);
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

/* Write `text` to DIR/NAME and read it as a dataset. */
static ph_status read_text(fixture *f, const char *name, const char *text,
                           const ph_dataset_options *opts, ph_dataset **out, ph_error *err)
{
    char *path = ph_test_path(f->dir, name);
    ph_test_write_file(path, text);
    ph_status st = ph_dataset_read_csv(f->ctx, path, opts, out, err);
    free(path);
    return st;
}

static void test_kinds_and_missing(void **state)
{
    fixture *f = *state;
    ph_error err;
    ph_dataset *ds;
    ph_assert_ok(read_text(f, "a.csv",
                           "id,amount,grade,rate\n"
                           "007,12.5,A,1e-2\n"
                           "008,,B,NA\n"
                           "009,-3,A,null\n"
                           "010,N/A,,0.5\n",
                           NULL, &ds, &err),
                 &err);
    assert_int_equal(ph_dataset_rows(ds), 4);
    assert_int_equal(ph_dataset_columns(ds), 4);
    /* "007" reads as a number, so an id needs forcing (next test). */
    assert_int_equal(ph_dataset_column_kind(ds, 0), PH_COLUMN_NUMERIC);
    const double *amount = ph_dataset_numeric(ds, 1);
    assert_non_null(amount);
    assert_true(amount[0] == 12.5 && isnan(amount[1]) && amount[2] == -3.0 && isnan(amount[3]));
    assert_int_equal(ph_dataset_column_kind(ds, 2), PH_COLUMN_CATEGORICAL);
    assert_null(ph_dataset_numeric(ds, 2));
    const uint32_t *grade = ph_dataset_codes(ds, 2);
    assert_int_equal(ph_dataset_level_count(ds, 2), 2);
    assert_string_equal(ph_dataset_level(ds, 2, 0), "A");
    assert_string_equal(ph_dataset_level(ds, 2, 1), "B");
    assert_null(ph_dataset_level(ds, 2, 2));
    assert_true(grade[0] == 0 && grade[1] == 1 && grade[2] == 0 && grade[3] == PH_DATASET_MISSING);
    const double *rate = ph_dataset_numeric(ds, 3);
    assert_true(rate[0] == 0.01 && isnan(rate[1]) && isnan(rate[2]) && rate[3] == 0.5);
    assert_int_equal(ph_dataset_column_index(ds, "rate"), 3);
    assert_int_equal(ph_dataset_column_index(ds, "nope"), -1);
    assert_int_equal(ph_dataset_row_line(ds, 0), 2);
    assert_int_equal(ph_dataset_row_line(ds, 3), 5);

    char buf[32];
    ph_assert_ok(ph_dataset_cell_text(ds, 1, 0, buf, sizeof(buf), &err), &err);
    assert_string_equal(buf, "12.5");
    ph_assert_ok(ph_dataset_cell_text(ds, 1, 1, buf, sizeof(buf), &err), &err);
    assert_string_equal(buf, "");
    ph_assert_ok(ph_dataset_cell_text(ds, 2, 1, buf, sizeof(buf), &err), &err);
    assert_string_equal(buf, "B");
    ph_assert_error(ph_dataset_cell_text(ds, 2, 1, buf, 1, &err), PH_EMISUSE, &err, "too small");
    ph_dataset_free(ds);
}

static void test_words_that_look_like_numbers_are_text(void **state)
{
    fixture *f = *state;
    ph_error err;
    ph_dataset *ds;
    /* strtod would take "inf", "0x10" and " 5": a data column does not. */
    ph_assert_ok(read_text(f, "b.csv", "a,b,c\ninf,0x10, 5\n1,2,3\n", NULL, &ds, &err), &err);
    for (size_t c = 0; c < 3; c++)
        assert_int_equal(ph_dataset_column_kind(ds, c), PH_COLUMN_CATEGORICAL);
    ph_dataset_free(ds);
}

static void test_forced_kinds_and_skip(void **state)
{
    fixture *f = *state;
    ph_error err;
    ph_dataset *ds;
    static const char *const cat[] = {"id", NULL};
    static const char *const skip[] = {"note", NULL};
    ph_dataset_options opts = {.categorical = cat, .skip = skip};
    ph_assert_ok(read_text(f, "c.csv", "id,x,note\n007,1,hello\n008,2,\"a, b\"\n", &opts, &ds,
                           &err),
                 &err);
    assert_int_equal(ph_dataset_columns(ds), 2);
    assert_int_equal(ph_dataset_column_kind(ds, 0), PH_COLUMN_CATEGORICAL);
    assert_string_equal(ph_dataset_level(ds, 0, 0), "007");
    assert_int_equal(ph_dataset_column_index(ds, "note"), -1);
    ph_dataset_free(ds);

    static const char *const num[] = {"x", NULL};
    ph_dataset_options forced = {.numeric = num};
    ph_assert_error(read_text(f, "d.csv", "id,x\n1,2\n2,3\n3,12O.5\n", &forced, &ds, &err),
                    PH_EINVAL, &err, "d.csv:4:3: field x, value '12O.5': expected a number");

    static const char *const unknown[] = {"y", NULL};
    ph_dataset_options bad = {.numeric = unknown};
    ph_assert_error(read_text(f, "e.csv", "id,x\n1,2\n", &bad, &ds, &err), PH_EINVAL, &err,
                    "field numeric, value 'y': expected a column of");
}

/* `only` reads the columns listed and leaves the rest unparsed, whatever
 * they hold; a listed name the header lacks is no error. */
static void test_only_some_columns(void **state)
{
    fixture *f = *state;
    ph_error err;
    ph_dataset *ds;
    static const char *const only[] = {"x", "id", "absent", NULL};
    ph_dataset_options opts = {.only = only};
    ph_assert_ok(read_text(f, "o.csv", "id,note,x\n1,7,2.5\n2,text,3\n", &opts, &ds, &err),
                 &err);
    assert_int_equal(ph_dataset_columns(ds), 2);
    assert_int_equal(ph_dataset_column_index(ds, "note"), -1);
    assert_true(ph_dataset_numeric(ds, (size_t)ph_dataset_column_index(ds, "x"))[1] == 3.0);
    ph_dataset_free(ds);
}

/* Read `text` through a named pipe, written by a child process. */
static ph_status read_piped(fixture *f, const char *text, ph_dataset **out, ph_error *err)
{
    char *path = ph_test_path(f->dir, "pipe.csv");
    assert_int_equal(mkfifo(path, 0600), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        FILE *w = fopen(path, "w");
        int ok = w && fputs(text, w) >= 0;
        _exit(w && fclose(w) == 0 && ok ? 0 : 1);
    }
    ph_status st = ph_dataset_read_csv(f->ctx, path, NULL, out, err);
    int status = 0;
    waitpid(child, &status, 0);
    unlink(path);
    free(path);
    return st;
}

/* A pipe cannot be read twice: text after numbers is an error naming the
 * column, the line and the value, never a false "empty input"; text that
 * comes first (or after missing values only) reads from a pipe as usual. */
static void test_pipe_text_after_numbers(void **state)
{
    fixture *f = *state;
    ph_error err;
    ph_dataset *ds;
    ph_assert_error(read_piped(f, "id,late\n1,1\n2,2\n3,x\n", &ds, &err), PH_EINVAL, &err,
                    "pipe.csv:4:3: field late, value 'x': expected a number, as in the rows "
                    "above, or the column named as categorical");
    ph_assert_ok(read_piped(f, "id,late\n1,NA\n2,x\n3,1\n", &ds, &err), &err);
    assert_int_equal(ph_dataset_column_kind(ds, 1), PH_COLUMN_CATEGORICAL);
    assert_string_equal(ph_dataset_level(ds, 1, 1), "1");
    ph_dataset_free(ds);
}

/* Read in one pass: a column that shows text only after numbers turns
 * categorical and its earlier rows keep their own texts ("1.50", not 1.5),
 * levels in order of first appearance; after only missing values it needs
 * no texts from before. Rows beyond the first allocation (4,096) too. */
static void test_column_that_turns_to_text_late(void **state)
{
    fixture *f = *state;
    ph_error err;
    ph_dataset *ds;
    size_t rows = 9000;
    size_t cap = 64 + rows * 32;
    char *text = malloc(cap);
    size_t n = (size_t)snprintf(text, cap, "late,missing_first,num,never\n");
    for (size_t r = 0; r < rows; r++) {
        const char *late = r == 5000 ? "x" : r % 3 == 0 ? "1.50" : r % 3 == 1 ? "2" : "NA";
        const char *first = r < 6000 ? "" : r % 2 ? "b" : "a";
        n += (size_t)snprintf(text + n, cap - n, "%s,%s,%zu.25,7\n", late, first, r);
    }
    ph_assert_ok(read_text(f, "late.csv", text, NULL, &ds, &err), &err);
    free(text);
    assert_int_equal(ph_dataset_rows(ds), rows);
    assert_int_equal(ph_dataset_column_kind(ds, 0), PH_COLUMN_CATEGORICAL);
    assert_int_equal(ph_dataset_level_count(ds, 0), 3);
    assert_string_equal(ph_dataset_level(ds, 0, 0), "1.50");
    assert_string_equal(ph_dataset_level(ds, 0, 1), "2");
    assert_string_equal(ph_dataset_level(ds, 0, 2), "x");
    const uint32_t *late = ph_dataset_codes(ds, 0);
    assert_true(late[0] == 0 && late[1] == 1 && late[2] == PH_DATASET_MISSING);
    assert_true(late[5000] == 2 && late[5001] == 0 && late[5002] == 1);
    assert_true(late[8999] == PH_DATASET_MISSING);
    assert_int_equal(ph_dataset_column_kind(ds, 1), PH_COLUMN_CATEGORICAL);
    assert_int_equal(ph_dataset_level_count(ds, 1), 2);
    assert_string_equal(ph_dataset_level(ds, 1, 0), "a");
    const uint32_t *first = ph_dataset_codes(ds, 1);
    assert_true(first[0] == PH_DATASET_MISSING && first[5999] == PH_DATASET_MISSING);
    assert_true(first[6000] == 0 && first[6001] == 1);
    const double *num = ph_dataset_numeric(ds, 2);
    assert_non_null(num);
    assert_true(num[0] == 0.25 && num[8999] == 8999.25);
    assert_true(ph_dataset_numeric(ds, 3)[8999] == 7.0);
    assert_int_equal(ph_dataset_row_line(ds, 8999), 9001);
    ph_dataset_free(ds);
}

/* Junk before or after a number in a column forced numeric is an error at
 * its line and column, naming the field and the value. */
static void test_junk_around_a_number_is_located(void **state)
{
    fixture *f = *state;
    ph_error err;
    ph_dataset *ds;
    static const char *const num[] = {"x", NULL};
    ph_dataset_options forced = {.numeric = num};
    ph_assert_error(read_text(f, "j1.csv", "id,x\n1,2.5\n2,2.5kg\n", &forced, &ds, &err),
                    PH_EINVAL, &err, "j1.csv:3:3: field x, value '2.5kg': expected a number");
    ph_assert_error(read_text(f, "j2.csv", "id,x\n1, 2.5\n", &forced, &ds, &err), PH_EINVAL,
                    &err, "j2.csv:2:3: field x, value ' 2.5'");
    ph_assert_error(read_text(f, "j3.csv", "id,x\n1,1e400\n", &forced, &ds, &err), PH_EINVAL,
                    &err, "j3.csv:2:3: field x, value '1e400'");
    ph_assert_error(read_text(f, "j4.csv", "id,x\n1,inf\n", &forced, &ds, &err), PH_EINVAL,
                    &err, "value 'inf'");
}

static void test_bad_files(void **state)
{
    fixture *f = *state;
    ph_error err;
    ph_dataset *ds;
    ph_assert_error(ph_dataset_read_csv(f->ctx, "/nonexistent/x.csv", NULL, &ds, &err), PH_EIO,
                    &err, "/nonexistent/x.csv");
    ph_assert_error(read_text(f, "f.csv", "a,b\n1,2\n3\n", NULL, &ds, &err), PH_EINVAL, &err,
                    "f.csv:3");
    ph_assert_ok(read_text(f, "g.csv", "a,b\n", NULL, &ds, &err), &err);
    assert_int_equal(ph_dataset_rows(ds), 0);
    assert_int_equal(ph_dataset_columns(ds), 2);
    ph_dataset_free(ds);
}

static void test_targets(void **state)
{
    fixture *f = *state;
    ph_error err;
    ph_dataset *ds;
    uint8_t y[4];
    ph_assert_ok(read_text(f, "t.csv",
                           "n,w,z,g\n"
                           "1,good,0,x\n"
                           "0,bad,1,y\n"
                           "1,bad,2,x\n"
                           "0,good,,x\n",
                           NULL, &ds, &err),
                 &err);
    ph_assert_ok(ph_dataset_binary_target(ds, "w", NULL, y, &err), &err);
    assert_memory_equal(y, ((uint8_t[]){0, 1, 1, 0}), 4);
    ph_assert_ok(ph_dataset_binary_target(ds, "g", "y", y, &err), &err);
    assert_memory_equal(y, ((uint8_t[]){0, 1, 0, 0}), 4);
    ph_assert_error(ph_dataset_binary_target(ds, "z", NULL, y, &err), PH_EINVAL, &err,
                    "t.csv:4: field z, value '2': expected a target of 1 (bad) or 0 (good)");
    ph_assert_error(ph_dataset_binary_target(ds, "g", NULL, y, &err), PH_EINVAL, &err,
                    "t.csv:2: field g, value 'x'");
    ph_assert_error(ph_dataset_binary_target(ds, "none", NULL, y, &err), PH_ENOTFOUND, &err,
                    "field target, value 'none'");
    ph_dataset_free(ds);
}

static void test_built_dataset(void **state)
{
    fixture *f = *state;
    ph_error err;
    ph_dataset *ds;
    ph_assert_ok(ph_dataset_new(f->ctx, 3, &ds, &err), &err);
    const double x[] = {1.0, NAN, 0.1};
    const char *const g[] = {"b", NULL, "b"};
    ph_assert_ok(ph_dataset_add_numeric(ds, "x", x, &err), &err);
    ph_assert_ok(ph_dataset_add_categorical(ds, "g", g, &err), &err);
    ph_assert_error(ph_dataset_add_numeric(ds, "g", x, &err), PH_EEXISTS, &err, "exists");
    assert_int_equal(ph_dataset_columns(ds), 2);
    assert_string_equal(ph_dataset_source(ds), "<memory>");
    assert_int_equal(ph_dataset_row_line(ds, 2), 3);
    assert_int_equal(ph_dataset_level_count(ds, 1), 1);
    assert_int_equal(ph_dataset_codes(ds, 1)[1], PH_DATASET_MISSING);
    char buf[32];
    ph_assert_ok(ph_dataset_cell_text(ds, 0, 2, buf, sizeof(buf), &err), &err);
    assert_string_equal(buf, "0.1");
    ph_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_kinds_and_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_words_that_look_like_numbers_are_text, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_forced_kinds_and_skip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_some_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pipe_text_after_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_column_that_turns_to_text_late, setup, teardown),
        cmocka_unit_test_setup_teardown(test_junk_around_a_number_is_located, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_targets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_built_dataset, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
