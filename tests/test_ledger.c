/*
 * The general ledger (ledger.h) on a real SQLite file: balanced and
 * unbalanced entries, every refusal naming its line, reversal once, the
 * trial balance and a loan's balance and statement at dates, and verify
 * catching rows changed, removed or added around the triggers.
 */
#include "ph_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/ledger.h"

#include <sodium.h>

#define ZEROS64 "0000000000000000000000000000000000000000000000000000000000000000"

typedef struct fixture {
    char *dir;
    ph_ctx *ctx;
    ph_store *store;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    ph_test_env_open("ledger", &fx->ctx, &fx->dir);
    fx->store = ph_test_open_db(fx->ctx, fx->dir, "p.db");
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ph_store_free(fx->store);
    ph_test_env_close(fx->ctx, fx->dir);
    free(fx);
    return 0;
}

static ph_date day(const char *iso)
{
    ph_date d = 0;
    ph_error err;
    ph_assert_ok(ph_date_parse(iso, strlen(iso), &d, &err), &err);
    return d;
}

/* Disburse 1,000.00 to loan 7 (product "micro"), accrue 1.50 of interest. */
static int64_t disburse(ph_store *s, int64_t loan, const char *on, ph_money amount)
{
    ph_ledger_line lines[] = {
        {"1301", loan, "micro", "", amount, 0},
        {"1001", 0, "", "", 0, amount},
    };
    int64_t id = 0;
    ph_error err;
    ph_assert_ok(ph_ledger_post(s, day(on), "disburse", "drawdown", lines, 2, &id, &err), &err);
    return id;
}

static int64_t accrue(ph_store *s, int64_t loan, const char *on, ph_money amount)
{
    ph_ledger_line lines[] = {
        {"1311", loan, "micro", "", amount, 0},
        {"6011", loan, "micro", "", 0, amount},
    };
    int64_t id = 0;
    ph_error err;
    ph_assert_ok(ph_ledger_post(s, day(on), "accrue", "", lines, 2, &id, &err), &err);
    return id;
}

static ph_money loan_balance(ph_store *s, int64_t loan, const char *account, const char *on)
{
    ph_money m = -1;
    ph_error err;
    ph_assert_ok(ph_ledger_loan_balance(s, loan, account, day(on), &m, &err), &err);
    return m;
}

static void test_chart_is_in_code_order_and_complete(void **state)
{
    (void)state;
    size_t n = 0;
    const ph_ledger_account *chart = ph_ledger_chart(&n);
    assert_true(n >= 21);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(strlen(chart[i].code), 4);
        if (i > 0)
            assert_true(strcmp(chart[i - 1].code, chart[i].code) < 0);
    }
    const ph_ledger_account *provision = ph_ledger_account_find("1231");
    assert_non_null(provision);
    assert_int_equal(provision->normal, PH_SIDE_CREDIT);
    assert_true(provision->loan_level);
    assert_true(ph_ledger_account_find("1301")->loan_level);
    assert_false(ph_ledger_account_find("1001")->loan_level);
    assert_string_equal(ph_ledger_account_find("2901")->name, "risk_pool_fund");
    assert_null(ph_ledger_account_find("9999"));
}

static void test_post_balanced_writes_entry_lines_and_subledger(void **state)
{
    fixture *fx = *state;
    assert_int_equal(disburse(fx->store, 7, "2026-01-05", 100000), 1);
    assert_int_equal(accrue(fx->store, 7, "2026-01-06", 150), 2);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM journal_entry"), 2);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM journal_line"), 4);
    /* 1301 and 1311 are loan-level; 1001 and 6011 are not */
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM ledger_subledger"), 2);
    assert_int_equal(ph_test_query_int(fx->store,
                                       "SELECT COUNT(*) FROM journal_entry WHERE id = 2 AND "
                                       "prev_hash = (SELECT hash FROM journal_entry WHERE id = 1)"),
                     1);
    assert_int_equal(loan_balance(fx->store, 7, "1301", "2026-01-05"), 100000);
    assert_int_equal(loan_balance(fx->store, 7, "1301", "2026-01-04"), 0);
    assert_int_equal(loan_balance(fx->store, 7, "1311", "2026-01-06"), 150);
    assert_int_equal(loan_balance(fx->store, 8, "1301", "2026-12-31"), 0);
}

static void test_lines_of_one_key_are_summed(void **state)
{
    fixture *fx = *state;
    ph_ledger_line lines[] = {
        {"1301", 1, "micro", "", 300, 0},
        {"1301", 2, "micro", "", 200, 0},
        {"1301", 3, "agri", "", 100, 0},
        {"1001", 0, "", "", 0, 600},
    };
    ph_error err;
    ph_assert_ok(ph_ledger_post(fx->store, day("2026-01-05"), "disburse", NULL, lines, 4, NULL,
                                &err),
                 &err);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM journal_line"), 3);
    assert_int_equal(ph_test_query_int(fx->store,
                                       "SELECT debit FROM journal_line WHERE account = '1301' "
                                       "AND product = 'micro'"),
                     500);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM ledger_subledger"), 3);
}

typedef struct refusal {
    ph_ledger_line line;  /* replaces line 1 of a balanced pair */
    const char *needle;
} refusal;

static void test_refusals_name_line_field_value_and_store_nothing(void **state)
{
    fixture *fx = *state;
    static const refusal cases[] = {
        {{"9999", 0, "", "", 0, 100}, "field lines[1].account, value '9999': expected an account"},
        {{"1301", 0, "", "", 0, 100}, "field lines[1].loan_id, value '0': account 1301"},
        {{"1001", 0, "", "", 100, 100}, "field lines[1].debit, value '100': a line is a debit or a credit, not both"},
        {{"1001", 0, "", "", 0, 0}, "field lines[1].debit, value '0': expected a debit or a credit"},
        {{"1001", 0, "", "", 0, -100}, "field lines[1].credit, value '-100': expected an amount of 0 or more"},
        {{"1001", 0, "", "", 0, 99}, "field lines, value '100/99': an entry must balance"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ph_ledger_line lines[] = {{"1001", 0, "", "", 100, 0}, cases[i].line};
        ph_error err;
        int64_t id = -5;
        ph_status st = ph_ledger_post(fx->store, day("2026-01-05"), "repay", "", lines, 2, &id, &err);
        ph_assert_error(st, PH_EINVAL, &err, cases[i].needle);
        assert_int_equal(id, -5);
    }
    ph_ledger_line ok[] = {{"1001", 0, "", "", 100, 0}, {"3001", 0, "", "", 0, 100}};
    ph_error err;
    ph_assert_error(ph_ledger_post(fx->store, day("2026-01-05"), "Repay!", "", ok, 2, NULL, &err),
                    PH_EINVAL, &err, "field event, value 'Repay!'");
    ph_assert_error(ph_ledger_post(fx->store, day("2026-01-05"), "repay", "", ok, 0, NULL, &err),
                    PH_EINVAL, &err, "field lines");
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM journal_entry"), 0);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM journal_line"), 0);
}

static void test_refused_inside_open_transaction_writes_nothing(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_assert_ok(ph_store_begin(fx->store, &err), &err);
    disburse(fx->store, 1, "2026-01-05", 500);
    ph_ledger_line bad[] = {{"1301", 1, "", "", 100, 0}, {"1001", 0, "", "", 0, 101}};
    ph_assert_error(ph_ledger_post(fx->store, day("2026-01-05"), "repay", "", bad, 2, NULL, &err),
                    PH_EINVAL, &err, "must balance");
    assert_true(ph_store_in_transaction(fx->store));
    ph_assert_ok(ph_store_commit(fx->store, &err), &err);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM journal_entry"), 1);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM ledger_subledger"), 1);
}

static void test_reverse_once_never_a_reversal(void **state)
{
    fixture *fx = *state;
    int64_t id = disburse(fx->store, 7, "2026-01-05", 100000);
    int64_t rev = 0;
    ph_error err;
    ph_assert_ok(ph_ledger_reverse(fx->store, id, day("2026-01-07"), "wrong amount", &rev, &err),
                 &err);
    assert_int_equal(rev, 2);
    assert_int_equal(loan_balance(fx->store, 7, "1301", "2026-01-06"), 100000);
    assert_int_equal(loan_balance(fx->store, 7, "1301", "2026-01-07"), 0);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT reverses FROM journal_entry WHERE id = 2"),
                     1);
    assert_int_equal(ph_test_query_int(fx->store,
                                       "SELECT credit FROM journal_line WHERE entry_id = 2 AND "
                                       "account = '1301'"),
                     100000);
    int64_t again = -1;
    ph_assert_error(ph_ledger_reverse(fx->store, id, day("2026-01-08"), "again", &again, &err),
                    PH_EEXISTS, &err, "entry 1 was reversed already, by entry 2");
    ph_assert_error(ph_ledger_reverse(fx->store, rev, day("2026-01-08"), "undo", &again, &err),
                    PH_EINVAL, &err, "a reversal is never reversed");
    ph_assert_error(ph_ledger_reverse(fx->store, 99, day("2026-01-08"), "x", &again, &err),
                    PH_ENOTFOUND, &err, "field entry, value '99'");
    int64_t other = disburse(fx->store, 8, "2026-01-05", 10);
    ph_assert_error(ph_ledger_reverse(fx->store, other, day("2026-01-04"), "early", &again, &err),
                    PH_EINVAL, &err, "cannot be dated before");
    ph_assert_error(ph_ledger_reverse(fx->store, other, day("2026-01-05"), "", &again, &err),
                    PH_EINVAL, &err, "field reason");
    assert_int_equal(again, -1);
    /* the database refuses a second reversal too, whoever writes */
    ph_assert_error(ph_store_exec(fx->store,
                                  "INSERT INTO journal_entry (id, value_date, event, memo, "
                                  "reverses, line_count, first_sub, sub_count, prev_hash, hash) "
                                  "VALUES (9, '2026-01-09', 'reverse', '', 1, 1, 9, 0, '" ZEROS64
                                  "', '" ZEROS64 "')",
                                  &err),
                    PH_EEXISTS, &err, "UNIQUE constraint failed: journal_entry.reverses");
    ph_ledger_verify_result r;
    ph_assert_ok(ph_ledger_verify(fx->store, &r, &err), &err);
    assert_int_equal(r.entries, 3);
}

typedef struct tb {
    ph_money sum;
    int rows;
    ph_money cash;
} tb;

static int add_balance(const ph_ledger_balance *b, void *user)
{
    tb *t = user;
    t->sum += b->balance;
    t->rows++;
    if (strcmp(b->account, "1001") == 0)
        t->cash = b->balance;
    assert_int_equal(b->balance, b->debit - b->credit);
    assert_non_null(b->name);
    return 0;
}

static void test_trial_balance_at_dates(void **state)
{
    fixture *fx = *state;
    disburse(fx->store, 7, "2026-01-05", 100000);
    accrue(fx->store, 7, "2026-01-06", 150);
    disburse(fx->store, 8, "2026-02-01", 5000);
    ph_error err;
    tb t = {0, 0, 0};
    ph_assert_ok(ph_ledger_trial_balance(fx->store, day("2026-01-05"), add_balance, &t, &err), &err);
    assert_int_equal(t.sum, 0);
    assert_int_equal(t.rows, 2);
    assert_int_equal(t.cash, -100000);
    t = (tb){0, 0, 0};
    ph_assert_ok(ph_ledger_trial_balance(fx->store, day("2026-01-31"), add_balance, &t, &err), &err);
    assert_int_equal(t.rows, 4);
    assert_int_equal(t.sum, 0);
    t = (tb){0, 0, 0};
    ph_assert_ok(ph_ledger_trial_balance(fx->store, day("2026-12-31"), add_balance, &t, &err), &err);
    assert_int_equal(t.cash, -105000);
    assert_int_equal(t.sum, 0);
    t = (tb){0, 0, 0};
    ph_assert_ok(ph_ledger_trial_balance(fx->store, day("2025-12-31"), add_balance, &t, &err), &err);
    assert_int_equal(t.rows, 0);
}

typedef struct stmt_seen {
    int n;
    int64_t entries[8];
    char accounts[8][5];
    ph_money debit, credit;
} stmt_seen;

static int add_statement_line(const ph_ledger_statement_line *l, void *user)
{
    stmt_seen *s = user;
    if (s->n < 8) {
        s->entries[s->n] = l->entry_id;
        snprintf(s->accounts[s->n], 5, "%s", l->account);
    }
    s->n++;
    s->debit += l->debit;
    s->credit += l->credit;
    return 0;
}

static void test_statement_in_value_date_order(void **state)
{
    fixture *fx = *state;
    disburse(fx->store, 7, "2026-01-05", 100000);     /* entry 1 */
    accrue(fx->store, 7, "2026-01-07", 150);          /* entry 2 */
    accrue(fx->store, 7, "2026-01-06", 140);          /* entry 3, an earlier day */
    disburse(fx->store, 8, "2026-01-06", 1);          /* entry 4, another loan */
    stmt_seen s;
    memset(&s, 0, sizeof(s));
    ph_error err;
    ph_assert_ok(ph_ledger_loan_statement(fx->store, 7, day("2026-01-01"), day("2026-01-31"),
                                          add_statement_line, &s, &err),
                 &err);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.entries[0], 1);
    assert_int_equal(s.entries[1], 3);
    assert_int_equal(s.entries[2], 2);
    assert_string_equal(s.accounts[1], "1311");
    assert_int_equal(s.debit, 100290);
    memset(&s, 0, sizeof(s));
    ph_assert_ok(ph_ledger_loan_statement(fx->store, 7, day("2026-01-06"), day("2026-01-06"),
                                          add_statement_line, &s, &err),
                 &err);
    assert_int_equal(s.n, 1);
    ph_assert_error(ph_ledger_loan_statement(fx->store, 7, day("2026-01-06"), day("2026-01-05"),
                                             add_statement_line, &s, &err),
                    PH_EINVAL, &err, "field to, value '2026-01-05'");
    ph_assert_error(ph_ledger_loan_statement(fx->store, 0, day("2026-01-06"), day("2026-01-07"),
                                             add_statement_line, &s, &err),
                    PH_EINVAL, &err, "field loan_id");
}

static int count_journal(const ph_ledger_journal_line *l, void *user)
{
    int *n = user;
    assert_non_null(l->name);
    (*n)++;
    return 0;
}

static void test_journal_lists_gl_lines_or_one_loan(void **state)
{
    fixture *fx = *state;
    disburse(fx->store, 7, "2026-01-05", 100000);
    accrue(fx->store, 7, "2026-01-06", 150);
    disburse(fx->store, 8, "2026-01-06", 1);
    ph_error err;
    int n = 0;
    ph_assert_ok(ph_ledger_journal(fx->store, day("2026-01-01"), day("2026-01-31"), 0,
                                   count_journal, &n, &err),
                 &err);
    assert_int_equal(n, 6);
    n = 0;
    ph_assert_ok(ph_ledger_journal(fx->store, day("2026-01-06"), day("2026-01-06"), 7,
                                   count_journal, &n, &err),
                 &err);
    assert_int_equal(n, 1);
}

/* --- verify -------------------------------------------------------------------- */

static void drop_triggers(ph_store *s)
{
    ph_test_exec(s, "PRAGMA foreign_keys = OFF;"
                    "DROP TRIGGER journal_entry_no_update; DROP TRIGGER journal_entry_no_delete;"
                    "DROP TRIGGER journal_line_no_update; DROP TRIGGER journal_line_no_delete;"
                    "DROP TRIGGER ledger_subledger_no_update;"
                    "DROP TRIGGER ledger_subledger_no_delete;");
}

static void three_entries(ph_store *s)
{
    disburse(s, 7, "2026-01-05", 100000);
    accrue(s, 7, "2026-01-06", 150);
    disburse(s, 8, "2026-01-07", 5000);
}

static void test_verify_sound_ledger(void **state)
{
    fixture *fx = *state;
    ph_ledger_verify_result r;
    ph_error err;
    ph_assert_ok(ph_ledger_verify(fx->store, &r, &err), &err);
    assert_int_equal(r.entries, 0);
    assert_string_equal(r.head, ZEROS64);
    three_entries(fx->store);
    ph_assert_ok(ph_ledger_verify(fx->store, &r, &err), &err);
    assert_int_equal(r.entries, 3);
    assert_int_equal(r.lines, 6);
    assert_int_equal(r.subledger_rows, 3);
    assert_int_equal(r.bad_entry, 0);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM journal_entry WHERE "
                                                  "id = 3 AND hash = '" ZEROS64 "'"),
                     0);
}

static void test_triggers_refuse_update_and_delete(void **state)
{
    fixture *fx = *state;
    three_entries(fx->store);
    static const char *const edits[] = {
        "UPDATE journal_entry SET memo = 'x' WHERE id = 1",
        "DELETE FROM journal_entry WHERE id = 3",
        "UPDATE journal_line SET debit = 1 WHERE entry_id = 1",
        "DELETE FROM journal_line WHERE entry_id = 1",
        "UPDATE ledger_subledger SET loan_id = 9",
        "DELETE FROM ledger_subledger",
    };
    for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
        ph_error err;
        ph_assert_error(ph_store_exec(fx->store, edits[i], &err), PH_EINVAL, &err,
                        "is append-only: rows cannot be");
    }
}

typedef struct tamper {
    const char *sql;
    int64_t bad_entry;
    const char *needle;
} tamper;

static void test_verify_catches_rows_changed_around_triggers(void **state)
{
    fixture *fx = *state;
    static const tamper cases[] = {
        {"UPDATE ledger_subledger SET loan_id = 9 WHERE id = 2", 2, "entry 2 was altered"},
        {"UPDATE journal_entry SET memo = 'other' WHERE id = 1", 1, "entry 1 was altered"},
        {"UPDATE journal_line SET debit = 100001 WHERE entry_id = 1 AND account = '1301'", 1,
         "entry 1"},
        {"DELETE FROM ledger_subledger WHERE id = 3", 3, "sub-ledger row 3 of entry 3 is missing"},
        {"DELETE FROM journal_entry WHERE id = 2", 2, "entry 2 is missing"},
        {"INSERT INTO ledger_subledger VALUES (4, 3, 8, '1301', 1, 0)", 3,
         "sub-ledger row 4 stands after"},
        {"UPDATE journal_entry SET value_date = '2026-01-01' WHERE id = 3", 3, "entry 3 was altered"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ph_store_free(fx->store);
        fx->store = ph_test_open_db(fx->ctx, fx->dir, "p.db");
        three_entries(fx->store);
        drop_triggers(fx->store);
        ph_test_exec(fx->store, cases[i].sql);
        ph_ledger_verify_result r;
        memset(&r, 0, sizeof(r));
        ph_error err;
        ph_assert_error(ph_ledger_verify(fx->store, &r, &err), PH_ESTORE, &err, cases[i].needle);
        assert_int_equal(r.bad_entry, cases[i].bad_entry);
        assert_string_equal(err.field, "entry");
    }
}

/* An independent encoder of docs/ledger.md's hash: every field an 8-byte
 * big-endian length and its bytes, integers 8 bytes big-endian. */
static void enc_bytes(crypto_generichash_state *h, const void *p, size_t len)
{
    unsigned char n[8];
    for (int i = 0; i < 8; i++)
        n[i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
    crypto_generichash_update(h, n, 8);
    crypto_generichash_update(h, p, len);
}

static void enc_text(crypto_generichash_state *h, const char *t)
{
    enc_bytes(h, t, strlen(t));
}

static void enc_int(crypto_generichash_state *h, int64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)((uint64_t)v >> (56 - 8 * i));
    enc_bytes(h, b, 8);
}

static void stored_text(ph_store *s, const char *sql, char *out, size_t size)
{
    ph_stmt *stmt = NULL;
    ph_error err;
    ph_assert_ok(ph_store_prepare(s, sql, &stmt, &err), &err);
    assert_int_equal(ph_stmt_step(stmt, &err), PH_OK);
    snprintf(out, size, "%s", ph_stmt_column_text(stmt, 0));
    ph_stmt_free(stmt);
}

/* Entry 3 of three_entries (loan 8's drawdown) hashed from its documented
 * encoding, with its one sub-ledger row on `account`. */
static void entry3_hash(ph_store *s, const char *account, char out[65])
{
    char prev[65];
    stored_text(s, "SELECT hash FROM journal_entry WHERE id = 2", prev, sizeof(prev));
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    enc_text(&h, "puhui-ledger-v1");
    enc_int(&h, 3);
    enc_text(&h, "2026-01-07");
    enc_text(&h, "disburse");
    enc_text(&h, "drawdown");
    enc_int(&h, 0); /* reverses nothing */
    enc_int(&h, 2); /* lines, in (account, product, party) order */
    enc_text(&h, "1001"), enc_text(&h, ""), enc_text(&h, ""), enc_int(&h, 0), enc_int(&h, 5000);
    enc_text(&h, "1301"), enc_text(&h, "micro"), enc_text(&h, ""), enc_int(&h, 5000),
        enc_int(&h, 0);
    enc_int(&h, 3); /* first sub-ledger row */
    enc_int(&h, 1); /* rows */
    enc_int(&h, 8), enc_text(&h, account), enc_int(&h, 5000), enc_int(&h, 0);
    enc_text(&h, prev);
    unsigned char digest[32];
    crypto_generichash_final(&h, digest, sizeof(digest));
    sodium_bin2hex(out, 65, digest, sizeof(digest));
}

static void test_hash_is_the_documented_encoding(void **state)
{
    fixture *fx = *state;
    three_entries(fx->store);
    char want[65], got[65];
    entry3_hash(fx->store, "1301", want);
    stored_text(fx->store, "SELECT hash FROM journal_entry WHERE id = 3", got, sizeof(got));
    assert_string_equal(got, want);
}

/* A forger who rewrites a row AND the entry's hash (the last entry, so the
 * chain still holds) is caught by the sums: the sub-ledger must equal the
 * general ledger, account by account. */
static void test_verify_catches_subledger_unequal_to_gl(void **state)
{
    fixture *fx = *state;
    three_entries(fx->store);
    drop_triggers(fx->store);
    char forged[65], sql[160];
    entry3_hash(fx->store, "1302", forged);
    ph_test_exec(fx->store, "UPDATE ledger_subledger SET account = '1302' WHERE id = 3");
    snprintf(sql, sizeof(sql), "UPDATE journal_entry SET hash = '%s' WHERE id = 3", forged);
    ph_test_exec(fx->store, sql);
    ph_ledger_verify_result r;
    ph_error err;
    ph_assert_error(ph_ledger_verify(fx->store, &r, &err), PH_ESTORE, &err,
                    "entry 3: the sub-ledger of account 1301 (loan_principal) holds debits 0 "
                    "and credits 0 fen, the general ledger 5000 and 0");
    assert_int_equal(r.bad_entry, 3);
}

static void test_verify_catches_missing_trigger(void **state)
{
    fixture *fx = *state;
    three_entries(fx->store);
    ph_test_exec(fx->store, "DROP TRIGGER ledger_subledger_no_delete");
    ph_ledger_verify_result r;
    ph_error err;
    ph_assert_error(ph_ledger_verify(fx->store, &r, &err), PH_ESTORE, &err,
                    "field trigger, value 'ledger_subledger_no_delete'");
    ph_test_exec(fx->store, "CREATE TRIGGER ledger_subledger_no_delete BEFORE DELETE ON "
                            "ledger_subledger BEGIN SELECT 1; END");
    ph_assert_error(ph_ledger_verify(fx->store, &r, &err), PH_ESTORE, &err,
                    "not as the schema creates it");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chart_is_in_code_order_and_complete),
        cmocka_unit_test_setup_teardown(test_post_balanced_writes_entry_lines_and_subledger, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lines_of_one_key_are_summed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals_name_line_field_value_and_store_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_inside_open_transaction_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reverse_once_never_a_reversal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trial_balance_at_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_statement_in_value_date_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_journal_lists_gl_lines_or_one_loan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_sound_ledger, setup, teardown),
        cmocka_unit_test_setup_teardown(test_triggers_refuse_update_and_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_catches_rows_changed_around_triggers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hash_is_the_documented_encoding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_catches_subledger_unequal_to_gl, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_catches_missing_trigger, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
