/*
 * Appeals: a manual review of a served decision. Opening records the firm's
 * grounds; deciding records the reviewer, the reason and, when overturned,
 * the limit and rate granted. Database triggers keep a decided appeal from
 * changing, and the decision row itself is never touched.
 */
#include "market_internal.h"

#include <stdio.h>
#include <string.h>

static void id_text(char *buf, size_t size, int64_t id)
{
    snprintf(buf, size, "%lld", (long long)id);
}

/* Is decision `id` there, and was it served? */
static ph_status check_decision(ph_store *store, int64_t id, ph_error *err)
{
    char v[24];
    id_text(v, sizeof(v), id);
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store, "SELECT served, role, application_id FROM decision "
                                           "WHERE id = ?", &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, id, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_DONE)
        st = ph_error_set(err, PH_ENOTFOUND, "decision", v, "no decision with that id");
    else if (st == PH_OK && ph_stmt_column_int64(stmt, 0) == 0)
        st = ph_error_set(err, PH_EINVAL, "decision", v,
                          "expected the decision the firm was given; this is the %s's "
                          "recorded outcome for application %lld, which was not served",
                          ph_stmt_column_text(stmt, 1),
                          (long long)ph_stmt_column_int64(stmt, 2));
    ph_stmt_free(stmt);
    return st;
}

ph_status ph_appeal_open(ph_store *store, int64_t decision_id, const char *grounds, int64_t *id,
                         ph_error *err)
{
    if (store == NULL || grounds == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_appeal_open: NULL store or grounds");
    if (grounds[0] == '\0')
        return ph_error_set(err, PH_EINVAL, "grounds", "",
                            "expected the firm's grounds for the appeal");
    char now[PH_UTC_MAX];
    ph_status st = market_check_schema(store, err);
    if (st == PH_OK)
        st = check_decision(store, decision_id, err);
    if (st == PH_OK)
        st = market_begin_write(store, now, err);
    if (st != PH_OK)
        return st;
    ph_stmt *stmt = NULL;
    st = ph_store_prepare(store, "SELECT id FROM appeal WHERE decision_id = ? AND status = "
                                 "'open'", &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, decision_id, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_OK) {
        char v[24];
        id_text(v, sizeof(v), decision_id);
        st = ph_error_set(err, PH_EEXISTS, "decision", v,
                          "appeal %lld of this decision is open already; it must be decided "
                          "first", (long long)ph_stmt_column_int64(stmt, 0));
    } else if (st == PH_DONE) {
        st = PH_OK;
    }
    ph_stmt_free(stmt);
    stmt = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store, "INSERT INTO appeal (decision_id, grounds, opened_at) "
                                     "VALUES (?, ?, ?) RETURNING id", &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, decision_id, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 2, grounds, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 3, now, -1, err);
    int64_t got = 0;
    if (st == PH_OK)
        st = ph_stmt_step_id(stmt, &got, err);
    ph_stmt_free(stmt);
    st = market_finish(store, st, err);
    if (st == PH_OK && id != NULL)
        *id = got;
    return st;
}

static ph_status check_outcome(ph_appeal_outcome outcome, const char *reviewer,
                               const char *reason, ph_money limit, ph_rate rate, ph_error *err)
{
    if (reviewer[0] == '\0')
        return ph_error_set(err, PH_EINVAL, "reviewer", "",
                            "expected the name of the reviewer who decides");
    if (reason[0] == '\0')
        return ph_error_set(err, PH_EINVAL, "reason", "",
                            "expected the reason for the outcome, in words the firm can read");
    if (outcome == PH_APPEAL_OVERTURN && limit <= 0)
        return ph_error_set(err, PH_EINVAL, "limit", NULL,
                            "overturning grants a loan: expected a limit above 0");
    if (outcome == PH_APPEAL_OVERTURN && (rate <= 0 || rate > PH_RATE_ONE))
        return ph_error_set(err, PH_EINVAL, "rate", NULL,
                            "overturning grants a loan: expected a rate above 0 and at most "
                            "100%%");
    if (outcome == PH_APPEAL_UPHOLD && (limit != 0 || rate != 0))
        return ph_error_set(err, PH_EINVAL, "limit", NULL,
                            "upholding grants nothing: give no limit or rate");
    if (outcome != PH_APPEAL_UPHOLD && outcome != PH_APPEAL_OVERTURN)
        return ph_error_set(err, PH_EINVAL, "outcome", NULL, "expected uphold or overturn");
    return PH_OK;
}

/* The appeal's current status, for the "decided already" message. */
static ph_status check_open(ph_store *store, int64_t appeal_id, ph_error *err)
{
    char v[24];
    id_text(v, sizeof(v), appeal_id);
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store, "SELECT status, reviewer, decided_at FROM appeal "
                                           "WHERE id = ?", &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, appeal_id, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_DONE)
        st = ph_error_set(err, PH_ENOTFOUND, "appeal", v, "no appeal with that id");
    else if (st == PH_OK && strcmp(ph_stmt_column_text(stmt, 0), "open") != 0)
        st = ph_error_set(err, PH_EINVAL, "appeal", v,
                          "it was decided already (%s by %s on %s); a decided appeal does not "
                          "change", ph_stmt_column_text(stmt, 0), ph_stmt_column_text(stmt, 1),
                          ph_stmt_column_text(stmt, 2));
    ph_stmt_free(stmt);
    return st;
}

ph_status ph_appeal_decide(ph_store *store, int64_t appeal_id, ph_appeal_outcome outcome,
                           const char *reviewer, const char *reason, ph_money limit,
                           ph_rate rate, ph_error *err)
{
    if (store == NULL || reviewer == NULL || reason == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_appeal_decide: NULL store, reviewer or reason");
    char now[PH_UTC_MAX];
    ph_status st = check_outcome(outcome, reviewer, reason, limit, rate, err);
    if (st == PH_OK)
        st = market_check_schema(store, err);
    if (st == PH_OK)
        st = check_open(store, appeal_id, err);
    if (st == PH_OK)
        st = market_begin_write(store, now, err);
    if (st != PH_OK)
        return st;
    ph_stmt *stmt = NULL;
    st = ph_store_prepare(store, "UPDATE appeal SET status = ?, reviewer = ?, reason = ?, "
                                 "decided_at = ?, limit_fen = ?, rate = ? WHERE id = ? AND "
                                 "status = 'open'", &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, outcome == PH_APPEAL_OVERTURN ? "overturned" : "upheld",
                               -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 2, reviewer, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 3, reason, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 4, now, -1, err);
    if (st == PH_OK)
        st = outcome == PH_APPEAL_OVERTURN ? ph_stmt_bind_int64(stmt, 5, limit, err)
                                           : ph_stmt_bind_null(stmt, 5, err);
    if (st == PH_OK)
        st = outcome == PH_APPEAL_OVERTURN ? ph_stmt_bind_int64(stmt, 6, rate, err)
                                           : ph_stmt_bind_null(stmt, 6, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 7, appeal_id, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_DONE)
        st = ph_store_changes(store) == 1
                 ? PH_OK
                 : ph_error_set(err, PH_EBUSY, "appeal", NULL,
                                "the appeal was decided by someone else meanwhile");
    ph_stmt_free(stmt);
    return market_finish(store, st, err);
}

/* The appeals of one decision (by_appeal 0; all when key is 0) or one
 * appeal (by_appeal 1), by id. */
static ph_status walk(ph_store *store, int by_appeal, int64_t key, ph_appeal_fn fn, void *user,
                      int *seen, ph_error *err)
{
    ph_status st = market_check_schema(store, err);
    ph_stmt *stmt = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(
            store,
            by_appeal
                ? "SELECT p.id, p.decision_id, d.application_id, a.uscc, d.lender, d.approved, "
                  "p.grounds, p.opened_at, p.status, coalesce(p.reviewer, ''), "
                  "coalesce(p.reason, ''), coalesce(p.decided_at, ''), p.limit_fen, p.rate "
                  "FROM appeal p JOIN decision d ON d.id = p.decision_id JOIN application a ON "
                  "a.id = d.application_id WHERE p.id = ?1"
                : "SELECT p.id, p.decision_id, d.application_id, a.uscc, d.lender, d.approved, "
                  "p.grounds, p.opened_at, p.status, coalesce(p.reviewer, ''), "
                  "coalesce(p.reason, ''), coalesce(p.decided_at, ''), p.limit_fen, p.rate "
                  "FROM appeal p JOIN decision d ON d.id = p.decision_id JOIN application a ON "
                  "a.id = d.application_id WHERE ?1 = 0 OR p.decision_id = ?1 ORDER BY p.id",
            &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, key, err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        ph_appeal a;
        memset(&a, 0, sizeof(a));
        a.id = ph_stmt_column_int64(stmt, 0);
        a.decision_id = ph_stmt_column_int64(stmt, 1);
        a.application_id = ph_stmt_column_int64(stmt, 2);
        a.uscc = ph_stmt_column_text(stmt, 3);
        a.lender = ph_stmt_column_text(stmt, 4);
        a.decision_approved = (int)ph_stmt_column_int64(stmt, 5);
        a.grounds = ph_stmt_column_text(stmt, 6);
        a.opened_at = ph_stmt_column_text(stmt, 7);
        a.status = ph_stmt_column_text(stmt, 8);
        a.reviewer = ph_stmt_column_text(stmt, 9);
        a.reason = ph_stmt_column_text(stmt, 10);
        a.decided_at = ph_stmt_column_text(stmt, 11);
        a.has_override = !ph_stmt_column_is_null(stmt, 12);
        a.limit = ph_stmt_column_int64(stmt, 12);
        a.rate = ph_stmt_column_int64(stmt, 13);
        (*seen)++;
        st = fn(user, &a, err);
    }
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_appeal_list(ph_store *store, int64_t decision_id, ph_appeal_fn fn, void *user,
                         ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_appeal_list: NULL store or fn");
    int seen = 0;
    return walk(store, 0, decision_id, fn, user, &seen, err);
}

ph_status ph_appeal_get(ph_store *store, int64_t appeal_id, ph_appeal_fn fn, void *user,
                        ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_appeal_get: NULL store or fn");
    int seen = 0;
    ph_status st = walk(store, 1, appeal_id, fn, user, &seen, err);
    if (st == PH_OK && seen == 0) {
        char v[24];
        id_text(v, sizeof(v), appeal_id);
        st = ph_error_set(err, PH_ENOTFOUND, "appeal", v, "no appeal %s", v);
    }
    return st;
}
