/*
 * A market result read through its accessors, and written as JSON: amounts
 * in yuan text and rates as decimal fractions in text, so a reader never
 * meets a binary float for money.
 */
#include "market_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t ph_market_result_application_id(const ph_market_result *r)
{
    return r ? r->application_id : 0;
}

ph_date ph_market_result_asof(const ph_market_result *r)
{
    return r ? r->asof : 0;
}

ph_rate ph_market_result_lpr(const ph_market_result *r)
{
    return r ? r->lpr : 0;
}

size_t ph_market_result_quote_count(const ph_market_result *r)
{
    return r ? r->n_quotes : 0;
}

size_t ph_market_result_offer_count(const ph_market_result *r)
{
    return r ? r->n_offers : 0;
}

const ph_quote *ph_market_result_quote(const ph_market_result *r, size_t i)
{
    return r && i < r->n_quotes ? &r->quotes[i] : NULL;
}

static json_t *money_json(ph_money m)
{
    char buf[PH_MONEY_FORMAT_MAX];
    return ph_money_format(m, 0, buf, sizeof(buf), NULL) == PH_OK ? json_string(buf) : NULL;
}

/* A rate as a decimal fraction: 3.85% is "0.0385". */
static json_t *rate_json(ph_rate r)
{
    ph_value v = ph_value_decimal((ph_decimal)r);
    return market_value_json(&v);
}

static json_t *number_or_null(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

static json_t *offer_json(const ph_quote *q)
{
    return json_pack("{s:o, s:o, s:o, s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:s}",
                     "limit", money_json(q->limit), "amount", money_json(q->amount), "rate",
                     rate_json(q->rate), "term", (json_int_t)q->term, "repayment",
                     q->repayment, "conditions", q->conditions, "subsidy_rate",
                     rate_json(q->subsidy.subsidy_rate), "first_loan_award",
                     money_json(q->subsidy.first_loan_award), "apr", rate_json(q->cost.apr),
                     "net_apr", rate_json(q->cost.net_apr), "total_interest",
                     money_json(q->cost.total_interest), "net_cost",
                     money_json(q->cost.net_cost), "subsidy", q->subsidy.explanation);
}

static json_t *quote_json(const ph_quote *q)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:b, s:I, s:o, s:o}", "status",
                          ph_quote_status_name(q->status), "lender", q->lender, "lender_name",
                          q->lender_name, "policy", q->policy, "policy_version",
                          (json_int_t)q->policy_version, "challenger", q->challenger,
                          "decision_id", (json_int_t)q->decision_id, "score",
                          number_or_null(q->score), "pd", number_or_null(q->pd));
    if (o == NULL)
        return NULL;
    int bad = 0;
    if (q->status == PH_QUOTE_OFFER) {
        bad = json_object_set_new(o, "offer", offer_json(q)) != 0;
    } else if (q->status == PH_QUOTE_DECLINE) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < q->n_reasons; i++)
            bad |= json_array_append_new(arr, json_pack("{s:s, s:s}", "code",
                                                        q->reasons[i].code, "text",
                                                        q->reasons[i].text)) != 0;
        bad |= arr == NULL || json_object_set_new(o, "reasons", arr) != 0;
    } else {
        bad = json_object_set_new(o, "note", json_string(q->note)) != 0;
    }
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

ph_status ph_market_result_write_json(const ph_market_result *r, FILE *out, ph_error *err)
{
    if (r == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_market_result_write_json: NULL argument");
    char asof[PH_DATE_FORMAT_MAX];
    ph_status st = ph_date_format(r->asof, asof, sizeof(asof), err);
    if (st != PH_OK)
        return st;
    json_t *quotes = json_array();
    for (size_t i = 0; quotes && i < r->n_quotes; i++) {
        if (json_array_append_new(quotes, quote_json(&r->quotes[i])) != 0) {
            json_decref(quotes);
            quotes = NULL;
        }
    }
    json_t *root = quotes ? json_pack("{s:I, s:s, s:o, s:I, s:o}", "application_id",
                                      (json_int_t)r->application_id, "asof", asof, "lpr",
                                      rate_json(r->lpr), "offers", (json_int_t)r->n_offers,
                                      "quotes", quotes)
                          : NULL;
    if (root == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory writing a result");
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc != 0 || fputc('\n', out) == EOF)
        return ph_error_set(err, PH_EIO, NULL, NULL, "cannot write the result");
    return PH_OK;
}
