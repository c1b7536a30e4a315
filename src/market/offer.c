/*
 * A stored decision read as an offer, for the loan book to accept
 * (docs/loans.md#booking). The market owns the decision, the application and
 * the appeal; the policy store owns the product, read through it so that a
 * tampered policy is refused here as in a replay.
 */
#include "market_internal.h"

#include <stdio.h>
#include <string.h>

#include "json/json_internal.h"
#include "puhui/policy.h"
#include "puhui/policy_store.h"

static ph_status copy_text(char *dst, size_t size, const char *src, const char *field,
                           ph_error *err)
{
    size_t n = strlen(src);
    if (n >= size)
        return ph_error_set(err, PH_ERANGE, field, NULL,
                            "stored value of %zu bytes; an offer holds at most %zu", n, size - 1);
    memcpy(dst, src, n + 1);
    return PH_OK;
}

static ph_status read_row(ph_store *store, int64_t id, ph_market_offer *o, char **facts,
                          ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(
        store,
        "SELECT d.application_id, a.uscc, d.lender, d.policy_name, d.policy_version, "
        "a.purpose, d.approved, d.served, d.offer_fen, d.rate, a.term, a.guarantor, "
        "a.subsidy_programme_id, d.subsidy_rate, d.award_fen, a.asof, a.facts, a.amount_fen "
        "FROM decision d JOIN application a ON a.id = d.application_id WHERE d.id = ?",
        &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, id, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_DONE) {
        char v[24];
        snprintf(v, sizeof(v), "%lld", (long long)id);
        st = ph_error_set(err, PH_ENOTFOUND, "decision", v, "no decision with that id");
    }
    if (st == PH_OK) {
        o->decision_id = id;
        o->application_id = ph_stmt_column_int64(s, 0);
        st = copy_text(o->uscc, sizeof(o->uscc), ph_stmt_column_text(s, 1), "uscc", err);
    }
    if (st == PH_OK)
        st = copy_text(o->lender, sizeof(o->lender), ph_stmt_column_text(s, 2), "lender", err);
    if (st == PH_OK)
        st = copy_text(o->policy, sizeof(o->policy), ph_stmt_column_text(s, 3), "policy", err);
    if (st == PH_OK)
        st = copy_text(o->purpose, sizeof(o->purpose), ph_stmt_column_text(s, 5), "purpose",
                       err);
    if (st == PH_OK) {
        o->policy_version = ph_stmt_column_int64(s, 4);
        o->approved = (int)ph_stmt_column_int64(s, 6);
        o->served = (int)ph_stmt_column_int64(s, 7);
        o->amount = ph_stmt_column_is_null(s, 8) ? 0 : ph_stmt_column_int64(s, 8);
        o->rate = ph_stmt_column_is_null(s, 9) ? 0 : ph_stmt_column_int64(s, 9);
        o->term = ph_stmt_column_int64(s, 10);
        o->guarantor = (int)ph_stmt_column_int64(s, 11);
        o->subsidy_programme_id = ph_stmt_column_is_null(s, 12) ? 0 : ph_stmt_column_int64(s, 12);
        o->subsidy_rate = ph_stmt_column_is_null(s, 13) ? 0 : ph_stmt_column_int64(s, 13);
        o->award = ph_stmt_column_is_null(s, 14) ? 0 : ph_stmt_column_int64(s, 14);
        const char *asof = ph_stmt_column_text(s, 15);
        st = ph_date_parse(asof, strlen(asof), &o->asof, err);
    }
    if (st == PH_OK) {
        *facts = ph_strdup(ph_store_ctx(store), ph_stmt_column_text(s, 16));
        if (*facts == NULL)
            st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    ph_money requested = st == PH_OK ? ph_stmt_column_int64(s, 17) : 0;
    ph_stmt_free(s);
    if (st != PH_OK)
        return st;

    /* An appeal that overturned the decision sets the offer's limit and rate. */
    st = ph_store_prepare(store,
                          "SELECT limit_fen, rate FROM appeal WHERE decision_id = ? "
                          "AND status = 'overturned' ORDER BY id DESC",
                          &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, id, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_OK) {
        o->approved = 1;
        if (!ph_stmt_column_is_null(s, 0)) {
            ph_money limit = ph_stmt_column_int64(s, 0);
            o->amount = requested < limit ? requested : limit;
        }
        if (!ph_stmt_column_is_null(s, 1))
            o->rate = ph_stmt_column_int64(s, 1);
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

/* first_loan is one of the stored facts: the pools that cover first loans
 * read it (docs/domain.md#risk-sharing-guarantees-and-subsidies). */
static ph_status read_first_loan(const char *facts, int *out, ph_error *err)
{
    json_t *root;
    ph_status st = pjson_load_text(facts, strlen(facts), "facts", &root, err);
    if (st != PH_OK)
        return st;
    *out = json_is_true(json_object_get(root, "first_loan"));
    json_decref(root);
    return PH_OK;
}

ph_status ph_market_offer_get(ph_store *store, int64_t decision_id, ph_market_offer *out,
                              ph_error *err)
{
    if (store == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_market_offer_get: NULL argument");
    ph_status st = ph_store_require_schema(store, 8, "the marketplace", err);
    if (st != PH_OK)
        return st;
    ph_market_offer o;
    memset(&o, 0, sizeof(o));
    char *facts = NULL;
    st = read_row(store, decision_id, &o, &facts, err);
    if (st == PH_OK)
        st = read_first_loan(facts, &o.first_loan, err);
    ph_free(ph_store_ctx(store), facts);
    ph_policy *policy = NULL;
    if (st == PH_OK)
        st = ph_policy_store_get(store, o.lender, o.policy, o.policy_version, &policy, NULL, err);
    if (st == PH_OK) {
        const ph_policy_product *p = ph_policy_product_of(policy);
        st = copy_text(o.product, sizeof(o.product), p->name, "product", err);
        if (st == PH_OK)
            st = copy_text(o.repayment, sizeof(o.repayment), p->repayment, "repayment", err);
        if (o.guarantor && p->has_guarantee_fee)
            o.guarantee_fee = p->guarantee_fee;
    }
    ph_policy_free(policy);
    if (st == PH_OK)
        *out = o;
    return st;
}

ph_status ph_market_offers_list(ph_store *store, ph_date from, ph_date to, ph_market_offer_fn fn,
                                void *user, ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_market_offers_list: NULL argument");
    ph_status st = ph_store_require_schema(store, 8, "the marketplace", err);
    char a[16], b[16];
    if (st == PH_OK)
        st = ph_date_format(from, a, sizeof(a), err);
    if (st == PH_OK)
        st = ph_date_format(to, b, sizeof(b), err);
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(
            store,
            "SELECT d.id, d.application_id, a.uscc, a.asof, d.net_apr FROM decision d "
            "JOIN application a ON a.id = d.application_id "
            "WHERE d.approved = 1 AND d.served = 1 AND a.asof BETWEEN ? AND ? "
            "ORDER BY d.application_id, d.net_apr IS NULL, d.net_apr, d.id",
            &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, a, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 2, b, -1, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        ph_market_offer_ref o;
        memset(&o, 0, sizeof(o));
        o.decision_id = ph_stmt_column_int64(s, 0);
        o.application_id = ph_stmt_column_int64(s, 1);
        st = copy_text(o.uscc, sizeof(o.uscc), ph_stmt_column_text(s, 2), "uscc", err);
        const char *asof = ph_stmt_column_text(s, 3);
        if (st == PH_OK)
            st = ph_date_parse(asof, strlen(asof), &o.asof, err);
        o.net_apr = ph_stmt_column_is_null(s, 4) ? 0 : ph_stmt_column_int64(s, 4);
        if (st == PH_OK && fn(&o, user) != 0)
            st = PH_DONE;
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}
