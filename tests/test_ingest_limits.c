/*
 * Ingestion's defences against bad files: a file past the bad-row limits
 * (count or share) is refused with a message naming it, the counts and the
 * limit, and everything it had committed in earlier batches is rolled back
 * (corrections it made are undone) while other files stay; a file just
 * under the limits is accepted; a file never adds more quarantine entries
 * than it has records. Also: quarantine entries carry the field's column
 * number, JSON Lines skips a byte-order mark as CSV does, and an empty file
 * is refused with the same message in both formats.
 */
#include "ph_ingest_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ROWS 1200
#define KNOWN_ON "2024-06-30"

typedef struct fixture {
    ph_ctx *ctx;
    char *dir;
    char *reg;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    ph_test_env_open("test_ingest_limits", &f->ctx, &f->dir);
    f->reg = ph_test_path(f->dir, "registration.csv");
    ph_test_write_file(f->reg, REG_HEADER REG_A);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    free(f->reg);
    ph_test_env_close(f->ctx, f->dir);
    free(f);
    return 0;
}

static ph_status run(ph_store *store, const char *path, uint64_t max_rejects, double share,
                     ph_ingest **out, ph_error *err)
{
    ph_ingest_options opts;
    ph_ingest_options_init(&opts);
    opts.known_on = KNOWN_ON;
    opts.batch_rows = 100; /* many batches: the refusal must take back committed ones */
    if (max_rejects != 0)
        opts.max_rejects = max_rejects;
    if (share != 0)
        opts.max_reject_share = share;
    ph_ingest *ing = NULL;
    ph_status st = ph_ingest_new(store, &opts, &ing, err);
    if (st == PH_OK)
        st = ph_ingest_paths(ing, &path, 1, err);
    if (out != NULL)
        *out = ing;
    else
        ph_ingest_free(ing);
    return st;
}

static void assert_contains(const char *text, const char *part)
{
    if (strstr(text, part) == NULL)
        fail_msg("'%s'\n  does not contain '%s'", text, part);
}

/* The database with FIRM_A registered. */
static ph_store *registered(const fixture *f, const char *name)
{
    ph_store *store = ph_test_open_db(f->ctx, f->dir, name);
    ph_error err;
    ph_assert_ok(run(store, f->reg, 0, 0, NULL, &err), &err);
    return store;
}

static int64_t vat_state_count(ph_store *store, const char *state)
{
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM ingest_file WHERE feed = 'vat_invoices' "
                               "AND state = '%s'", state);
    return ph_test_query_int(store, sql);
}

/* --- refused and accepted ------------------------------------------------------------- */

static void test_mostly_bad_file_refused(void **state)
{
    fixture *f = *state;
    ph_store *store = registered(f, "mostly_bad.db");
    ph_error err;
    /* a good load first: the bad file's corrections of it must be undone */
    char *good = ph_ingest_test_vat_file(f->dir, "good", 24, 0, "100.00");
    ph_assert_ok(run(store, good, 0, 0, NULL, &err), &err);
    char *before = ph_ingest_test_dump(store, NULL);

    char *bad = ph_ingest_test_vat_file(f->dir, "bad", ROWS, 700, "200.00"); /* 700 of 1200 bad: 58% */
    ph_assert_error(run(store, bad, 0, 0, NULL, &err), PH_EINVAL, &err, NULL);
    assert_contains(err.message, "bad/vat_invoices.csv: refused: 700 of its 1200 records are "
                                 "bad (58.33%), more than the limit of 10% "
                                 "(--max-reject-share); none of its rows were kept");
    /* its 500 good rows (some committed in earlier batches, some correcting
     * the good load) and its quarantine entries are gone; the rest stays */
    char *after = ph_ingest_test_dump(store, NULL);
    assert_string_equal(after, before);
    assert_int_equal(vat_state_count(store, "failed"), 1);
    char *outcome = ph_ingest_test_text(store, "SELECT outcome FROM ingest_file WHERE state = "
                                               "'failed'");
    assert_contains(outcome, "700 of its 1200 records are bad");
    /* a re-run finds nothing to resume: it is refused again, afresh */
    ph_assert_error(run(store, bad, 0, 0, NULL, &err), PH_EINVAL, &err, "refused");
    assert_int_equal(vat_state_count(store, "failed"), 2);
    assert_int_equal(vat_state_count(store, "running"), 0);
    /* the count limit stops it in the middle, the reader thread still going */
    ph_assert_error(run(store, bad, 10, 0, NULL, &err), PH_EINVAL, &err,
                    "refused: 100 bad rows in its first 600 records, more than the limit of 10");
    char *again = ph_ingest_test_dump(store, NULL);
    assert_string_equal(again, before);
    free(again);
    assert_int_equal(vat_state_count(store, "running"), 0);
    free(outcome);
    free(after);
    free(before);
    free(bad);
    free(good);
    ph_store_free(store);
}

static void test_just_under_share_accepted(void **state)
{
    fixture *f = *state;
    ph_store *store = registered(f, "under.db");
    ph_error err;
    char *path = ph_ingest_test_vat_file(f->dir, "under", ROWS, ROWS / 10, "100.00"); /* exactly 10% */
    ph_ingest *ing = NULL;
    ph_assert_ok(run(store, path, 0, 0, &ing, &err), &err);
    const ph_ingest_file_result *r = ph_ingest_result_at(ing, 0);
    assert_int_equal(r->counts.rows, ROWS);
    assert_int_equal(r->counts.rejected, ROWS / 10);
    assert_int_equal(r->counts.accepted, ROWS - ROWS / 10);
    ph_ingest_free(ing);
    /* one more bad row is past the limit */
    free(path);
    path = ph_ingest_test_vat_file(f->dir, "over", ROWS, ROWS / 10 + 1, "100.00");
    ph_assert_error(run(store, path, 0, 0, NULL, &err), PH_EINVAL, &err,
                    "121 of its 1200 records are bad (10.08%), more than the limit of 10%");
    free(path);
    ph_store_free(store);
}

static void test_max_rejects(void **state)
{
    fixture *f = *state;
    ph_store *store = registered(f, "count.db");
    ph_error err;
    char *path = ph_ingest_test_vat_file(f->dir, "count", ROWS, 50, "100.00");
    /* at the limit: accepted */
    ph_assert_ok(run(store, path, 50, 0, NULL, &err), &err);
    /* one under it: refused at the batch that crosses it (the last); the
     * corrections its earlier batches committed are undone */
    char *other = ph_ingest_test_vat_file(f->dir, "count2", ROWS, 50, "300.00");
    ph_assert_error(run(store, other, 49, 0, NULL, &err), PH_EINVAL, &err,
                    "count2/vat_invoices.csv: refused: 50 bad rows in its first 1200 records, "
                    "more than the limit of 49 (--max-rejects); none of its rows were kept");
    assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM feed_vat_invoices_history"),
                     0);
    assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM feed_vat_invoices WHERE "
                                              "sales_amount_fen = 30000"),
                     0);
    assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM feed_vat_invoices"),
                     ROWS - 50);
    /* bad options */
    ph_ingest_options opts;
    ph_ingest_options_init(&opts);
    opts.max_reject_share = 1.5;
    ph_ingest *ing = NULL;
    ph_assert_error(ph_ingest_new(store, &opts, &ing, &err), PH_EINVAL, &err,
                    "expected a share from 0 to 1");
    free(other);
    free(path);
    ph_store_free(store);
}

/* Never more quarantine entries than records, whatever the file. */
static void test_quarantine_not_above_records(void **state)
{
    fixture *f = *state;
    ph_store *store = registered(f, "flood.db");
    ph_error err;
    char *dir = ph_test_path(f->dir, "flood");
    mkdir(dir, 0700);
    char *path = ph_test_path(dir, "vat_invoices.csv");
    /* an unclosed quote near the top: the rest of the file is one field */
    size_t cap = 200000;
    char *text = malloc(cap);
    size_t len = (size_t)snprintf(text, cap, VAT_HEADER FIRM_A ",1950-01,\"12,1,1.00,1,1,\n");
    for (int i = 1; i < 1500; i++)
        len += (size_t)snprintf(text + len, cap - len, FIRM_A ",%04d-%02d,1.00,1,1.00,1,1,\n",
                                1950 + i / 12, i % 12 + 1);
    ph_test_write_file(path, text);
    ph_status st = run(store, path, 0, 1.0, NULL, &err);
    (void)st; /* accepted or refused, depending on how the reader recovers */
    assert_true(ph_test_query_int(store, "SELECT count(*) FROM quarantine") <=
                ph_test_query_int(store, "SELECT coalesce(max(rows_read), 0) FROM ingest_file "
                                         "WHERE feed = 'vat_invoices'"));
    free(text);
    free(path);
    free(dir);
    ph_store_free(store);
}

/* --- columns, BOM, empty files ------------------------------------------------------------ */

typedef struct seen {
    int64_t field_number[4];
    char field[4][32];
    size_t count;
} seen;

static ph_status collect(void *user, const ph_rejected_row *row, ph_error *err)
{
    (void)err;
    seen *s = user;
    if (s->count < 4) {
        s->field_number[s->count] = row->field_number;
        snprintf(s->field[s->count], sizeof(s->field[0]), "%s", row->field ? row->field : "");
        s->count++;
    }
    return PH_OK;
}

static void test_quarantine_gives_column(void **state)
{
    fixture *f = *state;
    ph_store *store = registered(f, "column.db");
    ph_error err;
    char *dir = ph_test_path(f->dir, "column");
    mkdir(dir, 0700);
    char *path = ph_test_path(dir, "vat_invoices.csv");
    ph_test_write_file(path, VAT_HEADER FIRM_A ",2024-01,12x,1,1.00,1,1,\n"   /* column 3 */
                             FIRM_A ",2024-02,1.00,1,1.00,1,1,2\n"            /* column 8 */
                             FIRM_A ",2024-03,1.00\n");                        /* no column */
    ph_assert_ok(run(store, path, 0, 0, NULL, &err), &err);
    seen s;
    memset(&s, 0, sizeof(s));
    ph_assert_ok(ph_ingest_each_rejected(store, "vat_invoices", 0, collect, &s, &err), &err);
    assert_int_equal(s.count, 3);
    assert_int_equal(s.field_number[0], 3);
    assert_string_equal(s.field[0], "sales_amount");
    assert_int_equal(s.field_number[1], 8);
    assert_string_equal(s.field[1], "top_buyer_share");
    assert_int_equal(s.field_number[2], 0);
    assert_int_equal(ph_test_query_int(store, "SELECT field_number FROM quarantine WHERE line = 2"),
                     3);
    free(path);
    free(dir);
    ph_store_free(store);
}

static void test_jsonl_bom_like_csv(void **state)
{
    fixture *f = *state;
    ph_store *store = ph_test_open_db(f->ctx, f->dir, "bom.db");
    ph_error err;
    char *dir = ph_test_path(f->dir, "bom");
    mkdir(dir, 0700);
    char *csv = ph_test_path(dir, "registration.csv");
    ph_test_write_file(csv, "\xef\xbb\xbf" REG_HEADER REG_A);
    char *jsonl = ph_test_path(dir, "vat_invoices.jsonl");
    ph_test_write_file(jsonl, "\xef\xbb\xbf{\"uscc\":\"" FIRM_A "\",\"month\":\"2024-01\","
                              "\"sales_amount\":1,\"sales_invoices\":1,\"purchase_amount\":1,"
                              "\"purchase_invoices\":1,\"distinct_buyers\":1}\n");
    ph_ingest *ing = NULL;
    ph_assert_ok(ph_ingest_test_run(store, (const char *[]){csv, jsonl}, 2, KNOWN_ON, 2, 0, &ing,
                                    &err), &err);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(ph_ingest_result_at(ing, i)->counts.accepted, 1);
        assert_int_equal(ph_ingest_result_at(ing, i)->counts.rejected, 0);
    }
    ph_ingest_free(ing);
    free(csv);
    free(jsonl);
    free(dir);
    ph_store_free(store);
}

static void test_empty_files_alike(void **state)
{
    fixture *f = *state;
    ph_store *store = ph_test_open_db(f->ctx, f->dir, "empty.db");
    char *dir = ph_test_path(f->dir, "empty");
    mkdir(dir, 0700);
    static const char *const names[] = {"registration.csv", "registration.jsonl"};
    static const char *const contents[] = {"", "\n\n  \n", "\xef\xbb\xbf\n"};
    for (size_t n = 0; n < 2; n++)
        for (size_t c = 0; c < 3; c++) {
            char *path = ph_test_path(dir, names[n]);
            ph_test_write_file(path, contents[c]);
            ph_error err;
            ph_assert_error(ph_ingest_test_run(store, (const char *[]){path}, 1, KNOWN_ON, 2, 0,
                                               NULL, &err),
                            PH_EINVAL, &err,
                            "the file is empty (nothing but blank lines); expected a feed "
                            "file: a CSV header line, or JSON Lines with one object per line");
            assert_contains(err.message, names[n]);
            free(path);
        }
    /* a CSV header without rows is not empty: a feed with no rows this time */
    char *path = ph_test_path(dir, "registration.csv");
    ph_test_write_file(path, REG_HEADER);
    ph_error err;
    ph_assert_ok(ph_ingest_test_run(store, (const char *[]){path}, 1, KNOWN_ON, 2, 0, NULL, &err),
                 &err);
    free(path);
    free(dir);
    ph_store_free(store);
}

/* --- a quote that runs away -------------------------------------------------------- */

/* dir/sub/vat_invoices.csv with `rows` good months; the row on line
 * `open_line` has a sales_amount that opens a quote ("100.00 ...), and the
 * row on line `close_line` (0: none) ends with a '"' that closes it. */
static char *quote_file(const fixture *f, const char *sub, int rows, int open_line,
                        int close_line)
{
    char *dir = ph_test_path(f->dir, sub);
    mkdir(dir, 0700);
    char *path = ph_test_path(dir, "vat_invoices.csv");
    free(dir);
    size_t cap = (size_t)rows * 96 + sizeof(VAT_HEADER);
    char *text = malloc(cap);
    assert_non_null(text);
    size_t len = (size_t)snprintf(text, cap, "%s", VAT_HEADER);
    for (int i = 0; i < rows; i++) {
        int line = i + 2;
        len += (size_t)snprintf(text + len, cap - len, FIRM_A ",%04d-%02d,%s100.00,1,1.00,1,1,%s\n",
                                1950 + i / 12, i % 12 + 1, line == open_line ? "\"" : "",
                                line == close_line ? "\"" : "");
    }
    ph_test_write_file(path, text);
    free(text);
    return path;
}

static void test_unclosed_quote_refused(void **state)
{
    fixture *f = *state;
    ph_store *store = registered(f, "unclosed.db");
    ph_error err;
    char *before = ph_ingest_test_dump(store, NULL);
    /* 5,000 lines, one stray quote on line 3 and no other '"' in the file:
     * the rest of the file would be one bad record, 1 of 3 records */
    char *path = quote_file(f, "unclosed", 4999, 3, 0);
    ph_assert_error(run(store, path, 0, 0, NULL, &err), PH_EINVAL, &err, NULL);
    assert_contains(err.message,
                    "unclosed/vat_invoices.csv: refused: the quote opened at line 3 is never "
                    "closed, so the bad record starting at line 3 runs to the end of the file "
                    "(4998 lines) and the rest of the file would be lost; expected a closing "
                    "'\"' for it");
    assert_contains(err.message, "none of its rows were kept");
    char *after = ph_ingest_test_dump(store, NULL);
    assert_string_equal(after, before);
    assert_int_equal(vat_state_count(store, "failed"), 1);
    assert_int_equal(vat_state_count(store, "running"), 0);
    free(after);
    free(path);
    free(before);
    ph_store_free(store);
}

static void test_long_bad_record_refused(void **state)
{
    fixture *f = *state;
    ph_store *store = registered(f, "long.db");
    ph_error err;
    char *before = ph_ingest_test_dump(store, NULL);
    /* a quote opened on line 150 closes on line 1180: 1,031 lines of one bad
     * record, after a committed batch that the refusal takes back */
    char *path = quote_file(f, "long", ROWS, 150, 1180);
    ph_assert_error(run(store, path, 0, 0, NULL, &err), PH_EINVAL, &err,
                    "long/vat_invoices.csv: refused: the bad record starting at line 150 spans "
                    "1031 lines (to line 1180), more than the limit of 1000");
    char *after = ph_ingest_test_dump(store, NULL);
    assert_string_equal(after, before);
    assert_int_equal(vat_state_count(store, "failed"), 1);
    /* a quote closed a few lines on is one bad record, no more */
    free(path);
    path = quote_file(f, "short", ROWS, 150, 160);
    ph_ingest *ing = NULL;
    ph_assert_ok(run(store, path, 0, 0, &ing, &err), &err);
    assert_int_equal(ph_ingest_result_at(ing, 0)->counts.rejected, 1);
    assert_int_equal(ph_ingest_result_at(ing, 0)->counts.rows, ROWS - 10);
    ph_ingest_free(ing);
    free(after);
    free(path);
    free(before);
    ph_store_free(store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_mostly_bad_file_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_just_under_share_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_max_rejects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quarantine_not_above_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quarantine_gives_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_bom_like_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_files_alike, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unclosed_quote_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_bad_record_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
