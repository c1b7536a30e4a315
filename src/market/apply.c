/*
 * One application through the marketplace: facts, then per lender the
 * appetite, the consent, the decision (champion and challenger), and the
 * quote; then everything stored at once and the offers ranked. All of it
 * is one store unit (ph_store_begin_unit): one snapshot, one commit.
 */
#include "market_decide.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


const char *ph_quote_status_name(ph_quote_status status)
{
    static const char *const NAMES[] = {"offer", "decline", "no_consent", "not_matched",
                                        "unavailable"};
    return (unsigned)status < 5 ? NAMES[status] : "?";
}

/* Which side serves: a stable share of applications goes to the challenger,
 * by a hash of the firm, the lender and the day, so the same application
 * always takes the same route and replays and simulations agree. */
static int challenger_serves(const market_lender *l, const ph_application *app,
                             const char *asof)
{
    if (!l->has_challenger)
        return 0;
    char key[512], sum[PH_CHECKSUM_HEX];
    snprintf(key, sizeof(key), "%s|%s|%s|%s", app->uscc, l->id,
             ph_policy_name(l->champion.policy), asof);
    ph_checksum_hex(key, strlen(key), sum);
    sum[8] = '\0'; /* the first 32 bits of the hash */
    return (int64_t)(strtoul(sum, NULL, 16) % 10000) < l->share_bp;
}

/* The consent check for one lender: every feed its policy and model read,
 * for credit assessment, on the as-of date. PH_EDENIED fills `note`. */
static ph_status check_consent(ph_market *m, const market_lender *l, const ph_application *app,
                               ph_date asof, int *allowed, char *note, size_t size,
                               ph_error *err)
{
    ph_source_set sources = l->champion.bind.sources;
    if (l->has_challenger)
        sources |= l->challenger.bind.sources;
    *allowed = 1;
    if (sources == 0)
        return PH_OK; /* the policy reads nothing of the firm's data */
    char what[128], amount[PH_MONEY_FORMAT_MAX];
    if (ph_money_format(app->amount, 0, amount, sizeof(amount), NULL) != PH_OK)
        amount[0] = '\0';
    snprintf(what, sizeof(what), "credit application: %s yuan, %lld months, %s", amount,
             (long long)app->term, app->purpose);
    ph_access_request req = {0};
    req.institution_id = l->id;
    req.uscc = app->uscc;
    req.purpose = PH_PURPOSE_CREDIT;
    req.sources = sources;
    req.on = asof;
    req.what = what;
    req.mode = PH_ACCESS_STRICT;
    ph_access_grant grant;
    ph_error denied = {0};
    ph_status st = ph_access_check(m->store, &req, &grant, &denied);
    if (st == PH_EDENIED || st == PH_ENOTFOUND) {
        /* a lender not registered as an institution cannot be given data either */
        *allowed = 0;
        snprintf(note, size, "not asked: %.300s", denied.detail);
        return PH_OK;
    }
    if (st != PH_OK && err != NULL)
        *err = denied;
    return st;
}

static void conditions(const market_side *side, const ph_application *app, char *buf,
                       size_t size)
{
    const ph_policy_product *pr = ph_policy_product_of(side->policy);
    char fee[PH_RATE_FORMAT_MAX] = "";
    if (app->guarantor && pr->has_guarantee_fee)
        (void)ph_rate_format_percent(pr->guarantee_fee, fee, sizeof(fee), NULL);
    snprintf(buf, size, "%s, %s over %lld months%s%s%s", pr->name, pr->repayment,
             (long long)app->term, fee[0] ? "; guarantee fee " : "", fee,
             fee[0] ? " a year, included in the rate" : "");
}

static void fill_quote(ph_quote *q, const market_decision *d, const ph_application *app)
{
    const market_side *side = d->side;
    q->status = d->approved ? PH_QUOTE_OFFER : PH_QUOTE_DECLINE;
    q->policy_version = ph_policy_version(side->policy);
    q->challenger = d->challenger;
    q->score = d->score;
    q->pd = d->pd;
    q->limit = d->limit;
    q->rate = d->rate;
    q->term = app->term;
    if (d->approved) {
        q->amount = d->offer;
        q->subsidy = d->subsidy;
        q->cost = d->cost;
        snprintf(q->repayment, sizeof(q->repayment), "%s", ph_repayment_name(side->repayment));
        conditions(side, app, q->conditions, sizeof(q->conditions));
    }
    q->n_reasons = d->n_reasons;
    memcpy(q->reasons, d->reasons, sizeof(q->reasons));
}

/* Offers by net APR (then the larger amount, then the lender), then
 * declines, then the lenders not asked, each by lender. */
static int quote_order(const void *a, const void *b)
{
    const ph_quote *x = a, *y = b;
    if (x->status != y->status)
        return (int)x->status - (int)y->status;
    if (x->status == PH_QUOTE_OFFER) {
        if (x->cost.net_apr != y->cost.net_apr)
            return x->cost.net_apr < y->cost.net_apr ? -1 : 1;
        if (x->amount != y->amount)
            return x->amount > y->amount ? -1 : 1;
    }
    return strcmp(x->lender, y->lender);
}

/* Everything one application needs while it is decided. */
typedef struct apply_state {
    market_facts facts;
    market_decision *decisions; /* up to 2 per lender */
    size_t n_decisions;
    json_t *not_asked;
    char asof[11];
    ph_rate lpr;
    ph_date day;
} apply_state;

static ph_status ask_lender(ph_market *m, market_lender *l, const ph_application *app,
                            apply_state *s, ph_quote *q, size_t quote, ph_error *err)
{
    const market_facts *f = &s->facts;
    snprintf(q->lender, sizeof(q->lender), "%s", l->id);
    snprintf(q->lender_name, sizeof(q->lender_name), "%s", l->name);
    q->score = q->pd = NAN;
    if (l->broken[0] != '\0') {
        q->status = PH_QUOTE_UNAVAILABLE;
        snprintf(q->note, sizeof(q->note), "not asked: the lender's policy cannot run: %.270s",
                 l->broken);
        json_t *o = json_pack("{s:s, s:s, s:s}", "lender", l->id, "status", "unavailable",
                              "note", q->note);
        if (o == NULL || json_array_append_new(s->not_asked, o) != 0)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        return PH_OK;
    }
    snprintf(q->policy, sizeof(q->policy), "%s", ph_policy_name(l->champion.policy));
    q->policy_version = ph_policy_version(l->champion.policy);
    const char *text[4];
    const size_t facts_used[4] = {FACT_PURPOSE, FACT_INDUSTRY_CODE, FACT_REGION_CODE,
                                  FACT_SIZE_CLASS};
    for (size_t i = 0; i < 4; i++)
        text[i] = f->v[facts_used[i]].kind == PH_VALUE_TEXT ? f->text[facts_used[i]] : NULL;
    char why[256];
    int allowed = 0;
    ph_status st = PH_OK;
    if (!ph_policy_appetite_matches(l->champion.policy, text[0], text[1], text[2], text[3], why,
                                    sizeof(why))) {
        q->status = PH_QUOTE_NOT_MATCHED;
        snprintf(q->note, sizeof(q->note), "not asked: %s", why);
    } else if ((st = check_consent(m, l, app, s->day, &allowed, q->note, sizeof(q->note),
                                   err)) == PH_OK &&
               !allowed) {
        q->status = PH_QUOTE_NO_CONSENT;
    }
    if (st != PH_OK)
        return st;
    if (q->status == PH_QUOTE_NOT_MATCHED || q->status == PH_QUOTE_NO_CONSENT) {
        json_t *o = json_pack("{s:s, s:s, s:s}", "lender", l->id, "status",
                              ph_quote_status_name(q->status), "note", q->note);
        if (o == NULL || json_array_append_new(s->not_asked, o) != 0)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        return PH_OK;
    }
    int to_challenger = challenger_serves(l, app, s->asof);
    market_side *sides[2] = {&l->champion, l->has_challenger ? &l->challenger : NULL};
    for (size_t k = 0; k < 2 && st == PH_OK; k++) {
        if (sides[k] == NULL)
            continue;
        market_decision *d = &s->decisions[s->n_decisions++];
        memset(d, 0, sizeof(*d));
        d->lender = l;
        d->side = sides[k];
        d->challenger = k == 1;
        d->served = (k == 1) == (to_challenger != 0);
        d->quote = quote;
        st = market_decide(m, sides[k], app, f, s->lpr, d, err);
        if (st == PH_OK && d->served)
            fill_quote(q, d, app);
    }
    return st;
}

static ph_status new_result(ph_market *m, ph_market_result **out, ph_error *err)
{
    ph_market_result *r = ph_calloc(m->ctx, 1, sizeof(*r));
    if (r != NULL) {
        r->ctx = m->ctx;
        r->quotes = ph_calloc(m->ctx, m->n + 1, sizeof(ph_quote));
    }
    if (r == NULL || r->quotes == NULL) {
        ph_market_result_free(r);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a result");
    }
    *out = r;
    return PH_OK;
}

static ph_status prepare(ph_market *m, const ph_application *app, apply_state *s,
                         ph_error *err)
{
    ph_status st = ph_application_check(app, err);
    s->day = app->asof;
    if (st == PH_OK && s->day == 0)
        st = ph_ctx_today(m->ctx, &s->day, err);
    if (st == PH_OK)
        st = ph_date_format(s->day, s->asof, sizeof(s->asof), err);
    if (st == PH_OK)
        st = ph_market_lpr(m->store, s->day, &s->lpr, err);
    if (st == PH_OK)
        st = market_facts_gather(m->store, app, s->day, s->lpr, &s->facts, err);
    if (st != PH_OK)
        return st;
    s->decisions = ph_calloc(m->ctx, 2 * m->n + 1, sizeof(market_decision));
    s->not_asked = json_array();
    if (s->decisions == NULL || s->not_asked == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    return PH_OK;
}

static ph_status finish_result(ph_market *m, const ph_application *app, apply_state *s,
                               ph_market_result *r, ph_error *err)
{
    char *facts = NULL, *not_asked = json_dumps(s->not_asked, JSON_COMPACT);
    ph_status st = not_asked ? market_facts_to_json(&s->facts, &facts, err)
                             : ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    if (st == PH_OK)
        st = market_record(m, app, s->asof, s->lpr, facts, not_asked, s->decisions,
                           s->n_decisions, &r->application_id, err);
    free(facts);
    free(not_asked);
    if (st != PH_OK)
        return st;
    /* the served decisions' ids, before the quotes are sorted */
    for (size_t i = 0; i < s->n_decisions; i++)
        if (s->decisions[i].served)
            r->quotes[s->decisions[i].quote].decision_id = s->decisions[i].id;
    snprintf(r->asof, sizeof(r->asof), "%s", s->asof);
    r->lpr = s->lpr;
    qsort(r->quotes, r->n_quotes, sizeof(ph_quote), quote_order);
    for (size_t i = 0; i < r->n_quotes; i++)
        r->n_offers += r->quotes[i].status == PH_QUOTE_OFFER;
    return PH_OK;
}

ph_status ph_market_apply(ph_market *m, const ph_application *app, ph_market_result **out,
                          ph_error *err)
{
    if (m == NULL || app == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_market_apply: NULL argument");
    apply_state *s = ph_calloc(m->ctx, 1, sizeof(*s));
    if (s == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    ph_market_result *r = NULL;
    /* One unit for the whole decision: the LPR, the registration, the
     * features, the consents and the stored decision all see one snapshot,
     * so an ingest committing meanwhile cannot give a decision facts from
     * two states of the database. The gate and market_record join it. */
    ph_status st = ph_store_begin_unit(m->store, err);
    int in_unit = st == PH_OK;
    if (st == PH_OK)
        st = prepare(m, app, s, err);
    if (st == PH_OK)
        st = new_result(m, &r, err);
    for (size_t i = 0; st == PH_OK && i < m->n; i++) {
        st = ask_lender(m, &m->lenders[i], app, s, &r->quotes[i], i, err);
        r->n_quotes = i + 1;
    }
    if (st == PH_OK)
        st = finish_result(m, app, s, r, err);
    if (in_unit) /* commit, or roll back what the gate and the record wrote */
        st = market_finish_unit(m->store, st, err);
    for (size_t i = 0; s->decisions && i < s->n_decisions; i++)
        market_decision_clear(&s->decisions[i]);
    ph_free(m->ctx, s->decisions);
    json_decref(s->not_asked);
    ph_free(m->ctx, s);
    if (st != PH_OK) {
        ph_market_result_free(r);
        return st;
    }
    *out = r;
    return PH_OK;
}

void ph_market_result_free(ph_market_result *r)
{
    if (r == NULL)
        return;
    ph_free(r->ctx, r->quotes);
    ph_free(r->ctx, r);
}
