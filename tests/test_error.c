/* The error convention and the context (src/core). */
#include "ph_test.h"

#include <stdlib.h>
#include <string.h>

static void test_message_names_everything(void **state)
{
    (void)state;
    ph_error err;
    ph_error_clear(&err);
    ph_status st = ph_error_set(&err, PH_EINVAL, "amount", "12x",
                                "expected a decimal amount such as 12345.67");
    assert_int_equal(st, PH_EINVAL);
    ph_error_locate(&err, "loans.csv", 7, 3);
    assert_string_equal(err.message, "loans.csv:7:3: field amount, value '12x': "
                                     "expected a decimal amount such as 12345.67");
    assert_int_equal(err.code, PH_EINVAL);
    assert_int_equal(err.line, 7);
    assert_int_equal(err.column, 3);
}

static void test_message_without_location(void **state)
{
    (void)state;
    ph_error err;
    ph_error_clear(&err);
    ph_error_set(&err, PH_ERANGE, NULL, "99999999999999999999", "overflows %d bits", 64);
    assert_string_equal(err.message, "value '99999999999999999999': overflows 64 bits");
    ph_error_set_field(&err, "balance");
    assert_string_equal(err.message,
                        "field balance, value '99999999999999999999': overflows 64 bits");
}

static void test_value_is_escaped_and_marked(void **state)
{
    (void)state;
    ph_error err;
    ph_error_clear(&err);
    /* control byte and a lone 0xff are escaped; Chinese stays readable */
    ph_error_set(&err, PH_EINVAL, "name", "\xe5\xb1\xb1\x01\xff", "bad");
    assert_string_equal(err.value, "\xe5\xb1\xb1\\x01\\xff");

    char long_value[400];
    memset(long_value, 'a', sizeof(long_value) - 1);
    long_value[sizeof(long_value) - 1] = '\0';
    ph_error_set(&err, PH_EINVAL, "name", long_value, "too long");
    size_t len = strlen(err.value);
    assert_true(len < PH_ERROR_VALUE_MAX);
    assert_string_equal(err.value + len - 3, "...");
}

static void test_null_error_is_allowed(void **state)
{
    (void)state;
    assert_int_equal(ph_error_set(NULL, PH_EIO, NULL, NULL, "x"), PH_EIO);
    ph_error_locate(NULL, "f", 1, 1);
}

static void test_status_names(void **state)
{
    (void)state;
    assert_string_equal(ph_status_name(PH_OK), "PH_OK");
    assert_string_equal(ph_status_name(PH_EBUSY), "PH_EBUSY");
    assert_string_equal(ph_status_name(PH_EDENIED), "PH_EDENIED");
    assert_true(ph_status_is_input_error(PH_EDENIED));
    assert_string_equal(ph_status_name(PH_EVERIFY), "PH_EVERIFY");
    assert_true(ph_status_is_input_error(PH_EVERIFY));
    assert_string_equal(ph_status_name((ph_status)-99), "PH_UNKNOWN");
    assert_true(ph_status_is_input_error(PH_EINVAL));
    assert_false(ph_status_is_input_error(PH_EIO));
}

/* A counting allocator proves the context's allocator is the one used. */
struct counting {
    int mallocs;
    int frees;
};

static void *count_malloc(void *user, size_t size)
{
    ((struct counting *)user)->mallocs++;
    return malloc(size);
}

static void *count_realloc(void *user, void *p, size_t size)
{
    (void)user;
    return realloc(p, size);
}

static void count_free(void *user, void *p)
{
    ((struct counting *)user)->frees++;
    free(p);
}

struct log_capture {
    int calls;
    char last[256];
};

static void capture_log(void *user, ph_log_level level, const char *message)
{
    struct log_capture *cap = user;
    (void)level;
    cap->calls++;
    strncpy(cap->last, message, sizeof(cap->last) - 1);
}

static void test_context_allocator_and_log(void **state)
{
    (void)state;
    struct counting counts = {0, 0};
    ph_allocator alloc = {count_malloc, count_realloc, count_free, &counts};
    struct log_capture cap = {0, ""};
    ph_ctx_options opts = {.allocator = &alloc, .log = capture_log, .log_user = &cap,
                           .log_level = PH_LOG_INFO};
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_assert_ok(ph_ctx_new(&opts, &ctx, &err), &err);
    char *s = ph_strdup(ctx, "fen");
    assert_string_equal(s, "fen");
    ph_free(ctx, s);
    ph_log(ctx, PH_LOG_DEBUG, "dropped %d", 1);
    ph_log(ctx, PH_LOG_WARN, "kept %d", 2);
    assert_int_equal(cap.calls, 1);
    assert_string_equal(cap.last, "kept 2");
    ph_ctx_free(ctx);
    assert_int_equal(counts.mallocs, 2);
    assert_int_equal(counts.frees, 2);
}

static void test_context_bad_options(void **state)
{
    (void)state;
    ph_allocator half = {count_malloc, NULL, count_free, NULL};
    ph_ctx_options opts = {.allocator = &half};
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_assert_error(ph_ctx_new(&opts, &ctx, &err), PH_EMISUSE, &err, "realloc_fn");
    assert_null(ctx);
    ph_ctx_options bad_level = {.log_level = (ph_log_level)42};
    ph_assert_error(ph_ctx_new(&bad_level, &ctx, &err), PH_EINVAL, &err,
                    "field log_level: expected a level from PH_LOG_DEBUG to PH_LOG_OFF, got 42");
    ph_assert_error(ph_ctx_new(NULL, NULL, &err), PH_EMISUSE, &err, "out is NULL");
}

/* ph_read_file: the whole file, an empty one, and the errors naming the path. */
static void test_read_file(void **state)
{
    (void)state;
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &ctx, &err), &err);
    char *dir = ph_test_tmpdir("read_file");
    char *path = ph_test_path(dir, "doc.txt");
    /* Larger than the first 64 KiB buffer, so the buffer grows. */
    size_t n = 70000;
    char *text = malloc(n + 1);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        text[i] = (char)('a' + i % 26);
    text[n] = '\0';
    ph_test_write_file(path, text);
    char *data = NULL;
    size_t len = 0;
    ph_assert_ok(ph_read_file(ctx, path, "policy", &data, &len, &err), &err);
    assert_int_equal(len, n);
    assert_memory_equal(data, text, n);
    ph_free(ctx, data);

    ph_test_write_file(path, "");
    ph_assert_ok(ph_read_file(ctx, path, NULL, &data, &len, &err), &err);
    assert_int_equal(len, 0);
    ph_free(ctx, data);

    char *absent = ph_test_path(dir, "absent.txt");
    data = NULL;
    ph_assert_error(ph_read_file(ctx, absent, "policy", &data, &len, &err), PH_EIO, &err,
                    "absent.txt': cannot open the policy: No such file or directory");
    assert_null(data);
    ph_assert_error(ph_read_file(ctx, NULL, NULL, &data, &len, &err), PH_EMISUSE, &err,
                    "NULL argument");
    free(absent);
    free(text);
    free(path);
    ph_test_rmtree(dir);
    free(dir);
    ph_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_message_names_everything),
        cmocka_unit_test(test_message_without_location),
        cmocka_unit_test(test_value_is_escaped_and_marked),
        cmocka_unit_test(test_null_error_is_allowed),
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_context_allocator_and_log),
        cmocka_unit_test(test_context_bad_options),
        cmocka_unit_test(test_read_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
