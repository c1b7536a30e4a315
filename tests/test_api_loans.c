/* The loan and portfolio handlers (src/server/api_loans.c) on a copy of the
 * test platform: answers' shapes, tenancy (another tenant's loan is a 404
 * marked refused), bad bodies that store nothing, a draw over a line's limit
 * refused and a repayment allocated as the loan book allocates it; and the
 * library's per-lender book (ph_book_summary_lender, ph_book_lenders). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ph_api_test.h"

static int64_t count(api_fx *p, const char *sql)
{
    return ph_test_query_int(p->store, sql);
}

/* Loans, events and ledger entries: what a refused call must not change. */
static int64_t stored_rows(api_fx *p)
{
    return count(p, "SELECT (SELECT COUNT(*) FROM loan) + (SELECT COUNT(*) FROM loan_event) + "
                    "(SELECT COUNT(*) FROM journal_entry)");
}

static void loan_shape(const json_t *l)
{
    static const char *const members[] = {
        "loan_id", "decision_id", "uscc", "lender", "product", "amount", "rate", "term",
        "repayment", "status", "category", "principal_outstanding", "interest_due",
        "overdue_days", "opened", "matures", "provision", "frozen"};
    for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++)
        if (json_object_get(l, members[i]) == NULL)
            fail_msg("loan answer lacks '%s'", members[i]);
    assert_true(json_is_string(json_object_get(l, "amount")));
    assert_non_null(strchr(api_str(l, "amount"), '.'));
}

static void own_loans_and_schedule(void **state)
{
    api_fx *p = api_fx_get(state);
    const char *firm = api_name(p, "FIRM_A"), *lender = api_name(p, "LENDER_A");
    const char *loan_a = api_name(p, "LOAN_A");
    const char *id[] = {loan_a, NULL};
    /* the firm reads its loan */
    ph_assert_ok(api_call(p, srv_routes_loans, SRV_ROLE_ENTERPRISE, firm, "GET", "/v1/loans/{id}",
                          id, NULL, NULL),
                 &p->err);
    loan_shape(p->answer);
    assert_string_equal(api_str(p->answer, "uscc"), firm);
    assert_string_equal(api_str(p->answer, "amount"), "300000.00");
    assert_string_equal(api_str(p->answer, "category"), "normal");
    /* its list holds only its own */
    ph_assert_ok(api_call(p, srv_routes_loans, SRV_ROLE_ENTERPRISE, firm, "GET", "/v1/loans", NULL,
                          NULL, NULL),
                 &p->err);
    json_t *items = json_object_get(p->answer, "items");
    assert_int_equal(json_array_size(items), 1);
    assert_true(json_is_null(json_object_get(p->answer, "next")));
    /* the lender's book, in pages of 2: ids ascend, next continues */
    ph_assert_ok(api_call(p, srv_routes_loans, SRV_ROLE_INSTITUTION, lender, "GET", "/v1/loans",
                          NULL, "limit=2", NULL),
                 &p->err);
    items = json_object_get(p->answer, "items");
    assert_int_equal(json_array_size(items), 2);
    int64_t next = api_int(p->answer, "next");
    for (size_t i = 0; i < json_array_size(items); i++)
        assert_string_equal(api_str(json_array_get(items, i), "lender"), lender);
    char after[64];
    snprintf(after, sizeof(after), "limit=2&after=%lld", (long long)next);
    ph_assert_ok(api_call(p, srv_routes_loans, SRV_ROLE_INSTITUTION, lender, "GET", "/v1/loans",
                          NULL, after, NULL),
                 &p->err);
    items = json_object_get(p->answer, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_true(api_int(json_array_get(items, 0), "loan_id") > next);
    /* a bad limit is named */
    assert_int_equal(api_call(p, srv_routes_loans, SRV_ROLE_INSTITUTION, lender, "GET", "/v1/loans",
                              NULL, "limit=501", NULL),
                     PH_EINVAL);
    assert_string_equal(p->err.field, "limit");
    /* as every list's: ?after= is an id, 1 or more (0 is no cursor: leave it out) */
    assert_int_equal(api_call(p, srv_routes_loans, SRV_ROLE_INSTITUTION, lender, "GET", "/v1/loans",
                              NULL, "after=0", NULL),
                     PH_EINVAL);
    assert_string_equal(p->err.field, "after");
    /* the schedule: 12 instalments, money as strings */
    ph_assert_ok(api_call(p, srv_routes_loans, SRV_ROLE_INSTITUTION, lender, "GET",
                          "/v1/loans/{id}/schedule", id, NULL, NULL),
                 &p->err);
    items = json_object_get(p->answer, "items");
    assert_int_equal(json_array_size(items), 12);
    assert_string_equal(api_str(json_array_get(items, 11), "balance_after"), "0.00");
    /* the statement: from booking to the open day, the disbursement first */
    ph_assert_ok(api_call(p, srv_routes_loans, SRV_ROLE_ENTERPRISE, firm, "GET",
                          "/v1/loans/{id}/statement", id, NULL, NULL),
                 &p->err);
    assert_string_equal(api_str(p->answer, "from"), "2025-12-31");
    assert_string_equal(api_str(p->answer, "to"), api_name(p, "OPEN_DAY"));
    items = json_object_get(p->answer, "items");
    assert_true(json_array_size(items) >= 1);
    assert_string_equal(api_str(json_array_get(items, 0), "event"), "disburse");
    assert_int_equal(api_call(p, srv_routes_loans, SRV_ROLE_ENTERPRISE, firm, "GET",
                              "/v1/loans/{id}/statement", id, "from=2026-13-01", NULL),
                     PH_EINVAL);
    assert_string_equal(p->err.field, "from");
    assert_string_equal(p->err.value, "2026-13-01");
}

static void another_tenants_loan_is_not_found(void **state)
{
    api_fx *p = api_fx_get(state);
    const char *loan_b = api_name(p, "LOAN_B");
    const char *id[] = {loan_b, NULL}, *missing[] = {"999999", NULL};
    const char *paths[] = {"/v1/loans/{id}", "/v1/loans/{id}/schedule",
                           "/v1/loans/{id}/statement"};
    /* the answer for a missing loan, to compare with */
    assert_int_equal(api_call(p, srv_routes_loans, SRV_ROLE_ENTERPRISE, api_name(p, "FIRM_A"),
                              "GET", "/v1/loans/{id}", missing, NULL, NULL),
                     PH_ENOTFOUND);
    /* the same words (the id aside) as for a loan that does not exist */
    char missing_detail[sizeof(p->err.detail)];
    snprintf(missing_detail, sizeof(missing_detail), "%s", p->err.detail);
    assert_string_equal(p->call.refused, "");
    for (size_t i = 0; i < 3; i++) {
        /* FIRM_A and LENDER_A ask for LOAN_B (FIRM_B's at LENDER_B) */
        assert_int_equal(api_call(p, srv_routes_loans, SRV_ROLE_ENTERPRISE, api_name(p, "FIRM_A"),
                                  "GET", paths[i], id, NULL, NULL),
                         PH_ENOTFOUND);
        assert_null(p->answer);
        assert_string_not_equal(p->call.refused, "");
        assert_string_equal(p->err.detail, missing_detail);
        assert_string_equal(p->err.field, "loan");
        assert_int_equal(api_call(p, srv_routes_loans, SRV_ROLE_INSTITUTION,
                                  api_name(p, "LENDER_A"), "GET", paths[i], id, NULL, NULL),
                         PH_ENOTFOUND);
        assert_null(p->answer);
        assert_string_not_equal(p->call.refused, "");
    }
    /* servicing another's loan: refused, nothing stored */
    int64_t before = stored_rows(p);
    assert_int_equal(api_call(p, srv_routes_loans, SRV_ROLE_INSTITUTION, api_name(p, "LENDER_A"),
                              "POST", "/v1/loans/{id}/repayments", id, NULL,
                              "{\"amount\":\"10.00\"}"),
                     PH_ENOTFOUND);
    assert_string_not_equal(p->call.refused, "");
    assert_int_equal(stored_rows(p), before);
    /* accepting another firm's offer */
    char body[96];
    snprintf(body, sizeof(body), "{\"decision_id\":%s}", api_name(p, "DECISION_B"));
    assert_int_equal(api_call(p, srv_routes_loans, SRV_ROLE_ENTERPRISE, api_name(p, "FIRM_A"),
                              "POST", "/v1/loans", NULL, NULL, body),
                     PH_ENOTFOUND);
    assert_string_equal(p->err.field, "decision");
    assert_string_not_equal(p->call.refused, "");
    assert_int_equal(stored_rows(p), before);
    /* a lender has no loan.create row; the regulator no loan row at all */
    assert_int_equal(api_call(p, srv_routes_loans, SRV_ROLE_INSTITUTION, api_name(p, "LENDER_A"),
                              "POST", "/v1/loans", NULL, NULL, body),
                     PH_EDENIED);
    assert_int_equal(api_call(p, srv_routes_loans, SRV_ROLE_REGULATOR, "", "GET", "/v1/loans/{id}",
                              id, NULL, NULL),
                     PH_EDENIED);
}

static void bad_bodies_store_nothing(void **state)
{
    api_fx *p = api_fx_get(state);
    const char *firm = api_name(p, "FIRM_A");
    const char *id[] = {api_name(p, "LOAN_A"), NULL};
    struct {
        const char *path, *body, *field, *value;
        ph_status st;
    } cases[] = {
        {"/v1/loans/{id}/repayments", "{\"amount\":\"10.00\",\"extra\":1}", "extra", NULL,
         PH_EINVAL},
        {"/v1/loans/{id}/repayments", "{\"amount\":10}", "amount", "10", PH_EINVAL},
        {"/v1/loans/{id}/repayments", "{\"amount\":\"-3\"}", "amount", NULL, PH_EINVAL},
        {"/v1/loans/{id}/repayments", "{}", "amount", NULL, PH_EINVAL},
        {"/v1/loans/{id}/repayments", "{\"amount\":\"1.00\",\"reference\":7}", "reference", "7",
         PH_EINVAL},
        {"/v1/loans/{id}/draws", "{\"amount\":\"1.005\"}", "amount", "1.005", PH_EINVAL},
        {"/v1/loans/{id}/draws", "[1]", "body", NULL, PH_EINVAL},
        {"/v1/loans", "{\"decision_id\":\"3\"}", "decision_id", "\"3\"", PH_EINVAL},
        {"/v1/loans", "{\"decision_id\":0}", "decision_id", "0", PH_EINVAL},
        {"/v1/loans", "{\"decision\":3}", "decision", NULL, PH_EINVAL},
    };
    int64_t before = stored_rows(p);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *const *params = strcmp(cases[i].path, "/v1/loans") ? id : NULL;
        ph_status st = api_call(p, srv_routes_loans, SRV_ROLE_ENTERPRISE, firm, "POST",
                                cases[i].path, params, NULL, cases[i].body);
        if (st != cases[i].st || strcmp(p->err.field, cases[i].field) != 0 ||
            (cases[i].value && strcmp(p->err.value, cases[i].value) != 0))
            fail_msg("case %zu (%s %s): %s field '%s' value '%s': %s", i, cases[i].path,
                     cases[i].body, ph_status_name(st), p->err.field, p->err.value,
                     p->err.message);
        assert_null(p->answer);
    }
    assert_int_equal(stored_rows(p), before);
    api_assert_balanced(p);
    /* a declined decision cannot be accepted, and nothing is stored */
    char body[96];
    snprintf(body, sizeof(body), "{\"decision_id\":%s}", api_name(p, "DECLINE_A"));
    ph_status st = api_call(p, srv_routes_loans, SRV_ROLE_ENTERPRISE, api_name(p, "FIRM_A"), "POST",
                            "/v1/loans", NULL, NULL, body);
    /* DECLINE_A may be another firm's: then it is not found */
    assert_true(st == PH_EINVAL || st == PH_ENOTFOUND);
    assert_int_equal(stored_rows(p), before);
    /* accepting an offer twice: 409 naming the loan */
    snprintf(body, sizeof(body), "{\"decision_id\":%s}", api_name(p, "DECISION_A"));
    ph_assert_error(api_call(p, srv_routes_loans, SRV_ROLE_ENTERPRISE, firm, "POST", "/v1/loans",
                             NULL, NULL, body),
                    PH_EEXISTS, &p->err, "accepted already");
    assert_int_equal(stored_rows(p), before);
}

/* A revolving line of FIRM_A at LENDER_A, imported on the open day. */
static int64_t import_line(api_fx *p)
{
    ph_loan_import_row row;
    memset(&row, 0, sizeof(row));
    row.reference = "api-test-line";
    row.uscc = api_name(p, "FIRM_A");
    row.lender = api_name(p, "LENDER_A");
    row.product = "default";
    row.method = "revolving";
    row.amount = 5000000; /* 50,000.00 */
    row.rate = 400000;    /* 4% */
    row.term = 12;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_cob_open_day(p->store, &row.booked_on, &err), &err);
    ph_loan_import_report rep;
    ph_assert_ok(ph_loan_import(p->store, &row, 1, &rep, &err), &err);
    return rep.first_id;
}

static void draw_over_the_limit_is_refused(void **state)
{
    api_fx *p = api_fx_get(state);
    int64_t line = import_line(p);
    char id_text[24];
    snprintf(id_text, sizeof(id_text), "%lld", (long long)line);
    const char *id[] = {id_text, NULL};
    const char *firm = api_name(p, "FIRM_A");
    int64_t before = stored_rows(p);
    ph_assert_error(api_call(p, srv_routes_loans, SRV_ROLE_ENTERPRISE, firm, "POST",
                             "/v1/loans/{id}/draws", id, NULL, "{\"amount\":\"50000.01\"}"),
                    PH_EINVAL, &p->err, NULL);
    assert_string_equal(p->err.field, "amount");
    assert_int_equal(stored_rows(p), before);
    /* within the limit: drawn on the open day, the loan answered */
    ph_assert_ok(api_call(p, srv_routes_loans, SRV_ROLE_ENTERPRISE, firm, "POST",
                          "/v1/loans/{id}/draws", id, NULL, "{\"amount\":\"20000.00\"}"),
                 &p->err);
    loan_shape(p->answer);
    assert_string_equal(api_str(p->answer, "principal_outstanding"), "20000.00");
    assert_string_equal(api_str(p->answer, "repayment"), "revolving");
    /* the rest of the limit, and not a fen more */
    ph_assert_error(api_call(p, srv_routes_loans, SRV_ROLE_ENTERPRISE, firm, "POST",
                             "/v1/loans/{id}/draws", id, NULL, "{\"amount\":\"30000.01\"}"),
                    PH_EINVAL, &p->err, NULL);
    /* the amount is echoed as sent, without the library's grouping commas (review item 9) */
    assert_string_equal(p->err.field, "amount");
    assert_string_equal(p->err.value, "30000.01");
    ph_assert_error(api_call(p, srv_routes_loans, SRV_ROLE_ENTERPRISE, firm, "POST",
                             "/v1/loans/{id}/repayments", id, NULL,
                             "{\"amount\":\"92233720368547758.07\"}"),
                    PH_EINVAL, &p->err, NULL);
    assert_string_equal(p->err.field, "amount");
    assert_string_equal(p->err.value, "92233720368547758.07");
    /* a lender has no draw row */
    assert_int_equal(api_call(p, srv_routes_loans, SRV_ROLE_INSTITUTION, api_name(p, "LENDER_A"),
                              "POST", "/v1/loans/{id}/draws", id, NULL, "{\"amount\":\"1.00\"}"),
                     PH_EDENIED);
    api_assert_balanced(p);
}

static void repayment_is_allocated(void **state)
{
    api_fx *p = api_fx_get(state);
    /* close business past the first due day: an instalment is billed */
    ph_error err;
    ph_error_clear(&err);
    ph_date through = 0;
    ph_assert_ok(ph_date_parse("2026-02-02", 10, &through, &err), &err);
    ph_assert_ok(ph_cob_through(p->store, through, NULL, NULL, NULL, NULL, &err), &err);
    int64_t loan = atoll(api_name(p, "LOAN_A"));
    ph_loan_info before;
    ph_assert_ok(ph_loan_get(p->store, loan, &before, &err), &err);
    ph_money due = before.state.penalty + before.fee_receivable + before.state.interest_due +
                   before.state.principal_due;
    assert_true(due > 0);
    const char *id[] = {api_name(p, "LOAN_A"), NULL};
    char body[128], amount[PH_MONEY_FORMAT_MAX];
    /* more than is due is refused, as the CLI's repay is */
    ph_money_format(due + 1, 0, amount, sizeof(amount), NULL);
    snprintf(body, sizeof(body), "{\"amount\":\"%s\"}", amount);
    int64_t rows = stored_rows(p);
    assert_int_equal(api_call(p, srv_routes_loans, SRV_ROLE_ENTERPRISE, api_name(p, "FIRM_A"),
                              "POST", "/v1/loans/{id}/repayments", id, NULL, body),
                     PH_EINVAL);
    assert_string_equal(p->err.field, "amount");
    assert_int_equal(stored_rows(p), rows);
    /* what is due, with a reference: penalty, interest, then principal */
    ph_money_format(due, 0, amount, sizeof(amount), NULL);
    snprintf(body, sizeof(body), "{\"amount\":\"%s\",\"reference\":\"pay-1\"}", amount);
    ph_assert_ok(api_call(p, srv_routes_loans, SRV_ROLE_INSTITUTION, api_name(p, "LENDER_A"),
                          "POST", "/v1/loans/{id}/repayments", id, NULL, body),
                 &p->err);
    assert_int_equal(p->call.status, 0);
    json_t *alloc = json_object_get(p->answer, "allocated");
    char want[PH_MONEY_FORMAT_MAX];
    ph_money_format(before.state.interest_due, 0, want, sizeof(want), NULL);
    assert_string_equal(api_str(alloc, "interest"), want);
    ph_money_format(before.state.principal_due, 0, want, sizeof(want), NULL);
    assert_string_equal(api_str(alloc, "principal"), want);
    ph_money_format(before.state.penalty, 0, want, sizeof(want), NULL);
    assert_string_equal(api_str(alloc, "penalty"), want);
    ph_money_format(before.fee_receivable, 0, want, sizeof(want), NULL);
    assert_string_equal(api_str(alloc, "fee"), want);
    assert_string_equal(api_str(p->answer, "on"), "2026-02-03");
    json_t *l = json_object_get(p->answer, "loan");
    assert_string_equal(api_str(l, "interest_due"), "0.00");
    assert_string_equal(api_str(l, "principal_due"), "0.00");
    /* the same reference again: 409, nothing stored */
    rows = stored_rows(p);
    ph_assert_error(api_call(p, srv_routes_loans, SRV_ROLE_ENTERPRISE, api_name(p, "FIRM_A"),
                             "POST", "/v1/loans/{id}/repayments", id, NULL, body),
                    PH_EEXISTS, &p->err, NULL);
    assert_int_equal(stored_rows(p), rows);
    ph_loan_info_free(p->ctx, &before);
    api_assert_balanced(p);
}

static void accept_an_offer(void **state)
{
    api_fx *p = api_fx_get(state);
    /* an approved, served offer of FIRM_B's not yet accepted, at LENDER_A */
    char sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT COALESCE(MIN(d.id), 0) FROM decision d JOIN application a ON a.id = "
             "d.application_id WHERE d.served = 1 AND d.approved = 1 AND a.uscc = '%s' AND "
             "d.id NOT IN (SELECT decision_id FROM loan WHERE decision_id IS NOT NULL)",
             api_name(p, "FIRM_B"));
    int64_t decision = count(p, sql);
    if (decision == 0)
        skip();
    char body[64];
    snprintf(body, sizeof(body), "{\"decision_id\":%lld}", (long long)decision);
    ph_status st = api_call(p, srv_routes_loans, SRV_ROLE_ENTERPRISE, api_name(p, "FIRM_B"), "POST",
                            "/v1/loans", NULL, NULL, body);
    /* booked on the open day, or refused because the offer has expired by then */
    if (st == PH_EINVAL) {
        assert_string_equal(p->err.field, "on");
        return;
    }
    ph_assert_ok(st, &p->err);
    assert_int_equal(p->call.status, 201);
    loan_shape(p->answer);
    assert_int_equal(api_int(p->answer, "decision_id"), decision);
    assert_string_equal(api_str(p->answer, "opened"), api_name(p, "OPEN_DAY"));
    api_assert_balanced(p);
}

/* Issue 18 review (unconfirmed item): a shadow decision (a challenger's, not
 * served) of the firm's own application was never given to the firm, so
 * accepting it answers as a decision that does not exist (404, refused),
 * not with the library's "a shadow decision cannot be accepted". */
static void shadow_decision_is_not_found(void **state)
{
    api_fx *p = api_fx_get(state);
    /* the platform has no challenger: record one's shadow of DECISION_A, as
     * the market records a challenger's decision (served 0) */
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "INSERT INTO decision (application_id, lender, policy_name, policy_version, "
             "policy_checksum, role, served, model, model_version, score, pd, approved, "
             "limit_fen, rate, offer_fen, subsidy_rate, award_fen, apr, net_apr, reasons, inputs, "
             "trace, decided_at) SELECT application_id, lender, policy_name, policy_version, "
             "policy_checksum, 'challenger', 0, model, model_version, score, pd, approved, "
             "limit_fen, rate, offer_fen, subsidy_rate, award_fen, apr, net_apr, reasons, inputs, "
             "trace, decided_at FROM decision WHERE id = %lld",
             (long long)api_id(p, "DECISION_A"));
    ph_test_exec(p->store, sql);
    int64_t shadow = count(p, "SELECT MAX(id) FROM decision");
    ph_market_offer offer;
    ph_error err;
    ph_assert_ok(ph_market_offer_get(p->store, shadow, &offer, &err), &err);
    assert_false(offer.served);
    assert_string_equal(offer.uscc, api_name(p, "FIRM_A"));
    int64_t loans = api_count(p, "loan");
    char body[64];
    snprintf(body, sizeof(body), "{\"decision_id\":%lld}", (long long)shadow);
    ph_status st = api_call(p, srv_routes_loans, SRV_ROLE_ENTERPRISE, api_name(p, "FIRM_A"),
                            "POST", "/v1/loans", NULL, NULL, body);
    api_assert_refused(st, p);
    assert_string_equal(p->err.field, "decision");
    assert_non_null(strstr(p->err.detail, "no decision with that id"));
    assert_null(strstr(p->err.message, "shadow"));
    assert_int_equal(api_count(p, "loan"), loans);
}

static void portfolio_views(void **state)
{
    api_fx *p = api_fx_get(state);
    const char *lender = api_name(p, "LENDER_A");
    ph_assert_ok(api_call(p, srv_routes_loans, SRV_ROLE_INSTITUTION, lender, "GET", "/v1/portfolio",
                          NULL, NULL, NULL),
                 &p->err);
    json_t *r = p->answer;
    assert_string_equal(api_str(r, "view"), "own");
    assert_int_equal(api_int(r, "loans"), 4); /* LOAN_A and three more at LENDER_A */
    assert_int_equal(json_array_size(json_object_get(r, "categories")), 5);
    assert_null(json_object_get(r, "lenders"));
    assert_string_equal(api_str(r, "asof"), "2026-01-10");
    /* the regulator: the aggregate and one row per lender, no firm anywhere */
    ph_assert_ok(api_call(p, srv_routes_loans, SRV_ROLE_REGULATOR, "", "GET", "/v1/portfolio", NULL,
                          NULL, NULL),
                 &p->err);
    r = p->answer;
    assert_string_equal(api_str(r, "view"), "aggregate");
    int64_t book = api_count(p, "loan"); /* every loan is active on the platform */
    assert_int_equal(api_int(r, "loans"), book);
    json_t *lenders = json_object_get(r, "lenders");
    assert_int_equal(json_array_size(lenders), 2);
    int64_t sum = 0;
    for (size_t i = 0; i < 2; i++) {
        json_t *row = json_array_get(lenders, i);
        sum += api_int(row, "loans");
        assert_string_equal(api_str(row, "colour"), "green");
    }
    assert_int_equal(sum, book);
    char *text = json_dumps(r, JSON_COMPACT);
    assert_null(strstr(text, api_name(p, "FIRM_A")));
    assert_null(strstr(text, "uscc"));
    free(text);
    /* a firm has no portfolio row */
    assert_int_equal(api_call(p, srv_routes_loans, SRV_ROLE_ENTERPRISE, api_name(p, "FIRM_A"),
                              "GET", "/v1/portfolio", NULL, NULL, NULL),
                     PH_EDENIED);
}

/* The library's per-lender book equals the whole book, lender by lender. */
static void book_by_lender(void **state)
{
    api_fx *p = api_fx_get(state);
    ph_error err;
    ph_error_clear(&err);
    /* LENDER_B's loans (LOAN_B's lender's) into loss, so the lenders differ */
    ph_test_exec(p->store, "UPDATE loan_state SET category = 4, provision = principal "
                           "WHERE loan_id IN (SELECT id FROM loan WHERE lender = "
                           "(SELECT lender FROM loan WHERE id = 2))");
    ph_book_summary all, a, b;
    ph_assert_ok(ph_book_summary_get(p->store, &all, &err), &err);
    ph_assert_ok(ph_book_summary_lender(p->store, api_name(p, "LENDER_A"), &a, &err), &err);
    ph_assert_ok(ph_book_summary_lender(p->store, api_name(p, "LENDER_B"), &b, &err), &err);
    assert_int_equal(a.loans + b.loans, all.loans);
    assert_int_equal(a.exposure + b.exposure, all.exposure);
    assert_int_equal(a.npl, 0);
    assert_int_equal(b.npl, b.exposure);
    assert_int_equal(b.npl_ratio, 100000000);
    assert_int_equal(b.coverage, 100000000);
    assert_int_equal(all.npl, b.npl);
    ph_book_summary none;
    ph_assert_ok(ph_book_summary_lender(p->store, "nobody", &none, &err), &err);
    assert_int_equal(none.loans, 0);
    assert_int_equal(none.npl_ratio, 0);
    assert_int_equal(ph_book_summary_lender(p->store, NULL, &none, &err), PH_EMISUSE);
    /* the walk gives the same figures, by lender id */
    ph_assert_ok(
        api_call(p, srv_routes_loans, SRV_ROLE_ADMIN, "", "GET", "/v1/portfolio", NULL, NULL, NULL),
        &p->err);
    json_t *lenders = json_object_get(p->answer, "lenders");
    assert_int_equal(json_array_size(lenders), 2);
    for (size_t i = 0; i < 2; i++) {
        json_t *row = json_array_get(lenders, i);
        int is_b = strcmp(api_str(row, "lender"), api_name(p, "LENDER_B")) == 0;
        assert_int_equal(api_int(row, "loans"), is_b ? b.loans : a.loans);
        assert_string_equal(api_str(row, "colour"), is_b ? "red" : "green");
        assert_string_equal(api_str(row, "npl_ratio"), is_b ? "1" : "0");
    }
    assert_true(strcmp(api_str(json_array_get(lenders, 0), "lender"),
                       api_str(json_array_get(lenders, 1), "lender")) < 0);
}

static int collect_id(const ph_loan_info *info, void *user)
{
    int64_t *ids = user;
    ids[++ids[0]] = info->id;
    return 0;
}

/* The library's keyset pages: ids after `after`, at most `limit`. */
static void loan_list_page(void **state)
{
    api_fx *p = api_fx_get(state);
    ph_error err;
    ph_error_clear(&err);
    int64_t ids[16] = {0};
    ph_assert_ok(ph_loan_list_page(p->store, NULL, api_name(p, "LENDER_A"), 0, 2, collect_id,
                                   ids, &err),
                 &err);
    assert_int_equal(ids[0], 2);
    int64_t last = ids[2];
    memset(ids, 0, sizeof(ids));
    ph_assert_ok(ph_loan_list_page(p->store, NULL, api_name(p, "LENDER_A"), last, 10, collect_id,
                                   ids, &err),
                 &err);
    assert_int_equal(ids[0], 2); /* four loans at LENDER_A */
    assert_true(ids[1] > last);
    memset(ids, 0, sizeof(ids));
    ph_assert_ok(ph_loan_list_page(p->store, api_name(p, "FIRM_B"), NULL, 0, 10, collect_id, ids,
                                   &err),
                 &err);
    assert_int_equal(ids[0], 1);
    assert_int_equal(ids[1], atoll(api_name(p, "LOAN_B")));
    assert_int_equal(ph_loan_list_page(p->store, NULL, NULL, 0, 0, collect_id, ids, &err),
                     PH_EINVAL);
    assert_string_equal(err.field, "limit");
    assert_int_equal(ph_loan_list_page(p->store, NULL, NULL, -1, 5, collect_id, ids, &err),
                     PH_EINVAL);
    assert_string_equal(err.field, "after");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(own_loans_and_schedule, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(another_tenants_loan_is_not_found, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(bad_bodies_store_nothing, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(draw_over_the_limit_is_refused, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(repayment_is_allocated, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(shadow_decision_is_not_found, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(accept_an_offer, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(portfolio_views, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(book_by_lender, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(loan_list_page, api_setup, api_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
