/*
 * One application through the marketplace: the registration (the firm
 * exists; the appetite match reads it), then per lender the appetite, the
 * consent, and only then the firm's feeds (read once, when the first lender
 * that reads them has its consent), the decision (champion and challenger)
 * and the quote; then everything stored at once and the offers ranked. All
 * of it is one store unit (ph_store_begin_unit): one snapshot, one commit.
 */
#include "market_decide.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


const char *ph_quote_status_name(ph_quote_status status)
{
    static const char *const NAMES[] = {"offer", "decline", "no_consent", "not_matched",
                                        "unavailable"};
    return (unsigned)status < 5 ? NAMES[status] : "?";
}

/* The strings of a quote that do not apply point here; every other is the
 * result's own allocation. */
static const char EMPTY[] = "";

/* printf into a new string the result owns (with ctx), whole. */
static ph_status own_format(const ph_ctx *ctx, const char **dst, ph_error *err,
                            const char *fmt, ...) PH_PRINTF(4, 5);
static ph_status own_format(const ph_ctx *ctx, const char **dst, ph_error *err,
                            const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *buf = n < 0 ? NULL : ph_malloc(ctx, (size_t)n + 1);
    if (buf == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a quote");
    va_start(ap, fmt);
    vsnprintf(buf, (size_t)n + 1, fmt, ap);
    va_end(ap);
    *dst = buf;
    return PH_OK;
}

static void free_owned(const ph_ctx *ctx, const char *s)
{
    if (s != NULL && s != EMPTY)
        ph_free(ctx, (void *)(uintptr_t)s);
}

static void quote_init(ph_quote *q)
{
    q->lender = q->lender_name = q->policy = q->repayment = q->conditions = q->note = EMPTY;
}

static void quote_clear(const ph_ctx *ctx, ph_quote *q)
{
    const char *owned[] = {q->lender, q->lender_name, q->policy, q->repayment, q->conditions,
                           q->note};
    for (size_t i = 0; i < sizeof(owned) / sizeof(owned[0]); i++)
        free_owned(ctx, owned[i]);
    for (size_t i = 0; q->reasons != NULL && i < q->n_reasons; i++) {
        free_owned(ctx, q->reasons[i].code);
        free_owned(ctx, q->reasons[i].text);
    }
    ph_free(ctx, (void *)(uintptr_t)q->reasons);
}

/* Which side serves: a stable share of applications goes to the challenger,
 * by a hash of the firm, the lender and the day, so the same application
 * always takes the same route and replays and simulations agree. */
static ph_status challenger_serves(const ph_ctx *ctx, const market_lender *l,
                                   const ph_application *app, ph_date asof, int *serves,
                                   ph_error *err)
{
    *serves = 0;
    if (!l->has_challenger)
        return PH_OK;
    char day[PH_DATE_FORMAT_MAX], sum[PH_CHECKSUM_HEX];
    const char *key = NULL;
    ph_status st = ph_date_format(asof, day, sizeof(day), err);
    if (st == PH_OK)
        st = own_format(ctx, &key, err, "%s|%s|%s|%s", app->uscc, l->id,
                        ph_policy_name(l->champion.policy), day);
    if (st != PH_OK)
        return st;
    ph_checksum_hex(key, strlen(key), sum);
    free_owned(ctx, key);
    sum[8] = '\0'; /* the first 32 bits of the hash */
    *serves = (int64_t)(strtoul(sum, NULL, 16) % 10000) < l->share_bp;
    return PH_OK;
}

/* The lender's sources: the feeds its champion and challenger read. */
static ph_source_set lender_sources(const market_lender *l)
{
    ph_source_set sources = l->champion.bind.sources;
    if (l->has_challenger)
        sources |= l->challenger.bind.sources;
    return sources;
}

/* The consent check for one lender: every feed its policy and model read,
 * for credit assessment, on the as-of date. PH_EDENIED sets *note (the
 * result's). */
static ph_status check_consent(ph_market *m, const market_lender *l, const ph_application *app,
                               ph_date asof, int *allowed, const char **note, ph_error *err)
{
    ph_source_set sources = lender_sources(l);
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
        return own_format(m->ctx, note, err, "not asked: %s", denied.detail);
    }
    if (st != PH_OK && err != NULL)
        *err = denied;
    return st;
}

static ph_status conditions(const ph_ctx *ctx, const market_side *side,
                            const ph_application *app, const char **out, ph_error *err)
{
    const ph_policy_product *pr = ph_policy_product_of(side->policy);
    char fee[PH_RATE_FORMAT_MAX] = "";
    if (app->guarantor && pr->has_guarantee_fee)
        (void)ph_rate_format_percent(pr->guarantee_fee, fee, sizeof(fee), NULL);
    return own_format(ctx, out, err, "%s, %s over %lld months%s%s%s", pr->name, pr->repayment,
                      (long long)app->term, fee[0] ? "; guarantee fee " : "", fee,
                      fee[0] ? " a year, included in the rate" : "");
}

/* The decision's reasons, copied into the result. */
static ph_status copy_reasons(const ph_ctx *ctx, ph_quote *q, const market_decision *d,
                              ph_error *err)
{
    if (d->n_reasons == 0)
        return PH_OK;
    ph_quote_reason *reasons = ph_calloc(ctx, d->n_reasons, sizeof(*reasons));
    if (reasons == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for reasons");
    q->reasons = reasons;
    ph_status st = PH_OK;
    for (size_t i = 0; st == PH_OK && i < d->n_reasons; i++) {
        reasons[i].code = reasons[i].text = EMPTY;
        q->n_reasons = i + 1; /* so that quote_clear frees what was copied */
        st = own_format(ctx, &reasons[i].code, err, "%s", d->reasons[i].code);
        if (st == PH_OK)
            st = own_format(ctx, &reasons[i].text, err, "%s", d->reasons[i].text);
    }
    return st;
}

static ph_status fill_quote(const ph_ctx *ctx, ph_quote *q, const market_decision *d,
                            const ph_application *app, ph_error *err)
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
    ph_status st = PH_OK;
    if (d->approved) {
        q->amount = d->offer;
        q->subsidy = d->subsidy;
        q->cost = d->cost;
        st = own_format(ctx, &q->repayment, err, "%s", ph_repayment_name(side->repayment));
        if (st == PH_OK)
            st = conditions(ctx, side, app, &q->conditions, err);
    }
    if (st == PH_OK)
        st = copy_reasons(ctx, q, d, err);
    return st;
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
    ph_rate lpr;
    ph_date day;
    int features_read; /* the feeds behind the features were read (after a consent) */
    ph_source_set granted; /* the feeds some lender's consent covered */
} apply_state;


/* "not asked: industry K70 is outside the lender's appetite (C, F, G)",
 * whole however long the lender's lists are. */
static ph_status appetite_note(const ph_ctx *ctx, const market_lender *l, const char *text[4],
                               const char **note, ph_error *err)
{
    char *why = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&why, &len);
    if (mem != NULL) {
        (void)ph_policy_appetite_explain(l->champion.policy, text[0], text[1], text[2],
                                         text[3], mem);
        if (fclose(mem) != 0) {
            free(why);
            why = NULL;
        }
    }
    ph_status st = why != NULL
                       ? own_format(ctx, note, err, "not asked: %s", why)
                       : ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a note");
    free(why);
    return st;
}

static ph_status ask_lender(ph_market *m, market_lender *l, const ph_application *app,
                            apply_state *s, ph_quote *q, size_t quote, ph_error *err)
{
    const market_facts *f = &s->facts;
    q->score = q->pd = NAN;
    ph_status st = own_format(m->ctx, &q->lender, err, "%s", l->id);
    if (st == PH_OK)
        st = own_format(m->ctx, &q->lender_name, err, "%s", l->name ? l->name : l->id);
    if (st != PH_OK)
        return st;
    if (l->broken[0] != '\0') {
        q->status = PH_QUOTE_UNAVAILABLE;
        st = own_format(m->ctx, &q->note, err, "not asked: the lender's policy cannot run: %s",
                        l->broken);
        if (st != PH_OK)
            return st;
        json_t *o = json_pack("{s:s, s:s, s:s}", "lender", l->id, "status", "unavailable",
                              "note", q->note);
        if (o == NULL || json_array_append_new(s->not_asked, o) != 0)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        return PH_OK;
    }
    st = own_format(m->ctx, &q->policy, err, "%s", ph_policy_name(l->champion.policy));
    if (st != PH_OK)
        return st;
    q->policy_version = ph_policy_version(l->champion.policy);
    const char *text[4];
    const size_t facts_used[4] = {FACT_PURPOSE, FACT_INDUSTRY_CODE, FACT_REGION_CODE,
                                  FACT_SIZE_CLASS};
    for (size_t i = 0; i < 4; i++)
        text[i] = f->v[facts_used[i]].kind == PH_VALUE_TEXT ? f->text[facts_used[i]] : NULL;
    int allowed = 0;
    if (!ph_policy_appetite_explain(l->champion.policy, text[0], text[1], text[2], text[3],
                                    NULL)) {
        q->status = PH_QUOTE_NOT_MATCHED;
        st = appetite_note(m->ctx, l, text, &q->note, err);
    } else if ((st = check_consent(m, l, app, s->day, &allowed, &q->note, err)) == PH_OK &&
               !allowed) {
        q->status = PH_QUOTE_NO_CONSENT;
    }
    if (st != PH_OK)
        return st;
    if (allowed)
        s->granted |= lender_sources(l);
    if (q->status == PH_QUOTE_NOT_MATCHED || q->status == PH_QUOTE_NO_CONSENT) {
        json_t *o = json_pack("{s:s, s:s, s:s}", "lender", l->id, "status",
                              ph_quote_status_name(q->status), "note", q->note);
        if (o == NULL || json_array_append_new(s->not_asked, o) != 0)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        return PH_OK;
    }
    if (!s->features_read && lender_sources(l) != 0) {
        /* the first lender whose consent covers the firm's feeds: read them now */
        st = market_facts_gather_features(m->store, app->uscc, s->day, &s->facts, err);
        if (st != PH_OK)
            return st;
        s->features_read = 1;
    }
    int to_challenger = 0;
    st = challenger_serves(m->ctx, l, app, s->day, &to_challenger, err);
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
            st = fill_quote(m->ctx, q, d, app, err);
    }
    return st;
}

static ph_status new_result(ph_market *m, ph_market_result **out, ph_error *err)
{
    ph_market_result *r = ph_calloc(m->ctx, 1, sizeof(*r));
    if (r != NULL) {
        r->ctx = m->ctx;
        r->quotes = ph_calloc(m->ctx, m->n + 1, sizeof(ph_quote));
        for (size_t i = 0; r->quotes != NULL && i < m->n + 1; i++)
            quote_init(&r->quotes[i]);
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
        st = ph_market_lpr(m->store, s->day, &s->lpr, err);
    if (st == PH_OK)
        st = market_facts_gather_registration(m->store, app, s->day, s->lpr, &s->facts, err);
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
    market_facts_withhold(&s->facts, m->stored_need, s->granted);
    ph_status st = not_asked ? market_facts_to_json(&s->facts, &facts, err)
                             : ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    if (st == PH_OK)
        st = market_record(m, app, s->day, s->lpr, facts, not_asked, s->decisions,
                           s->n_decisions, &r->application_id, err);
    free(facts);
    free(not_asked);
    if (st != PH_OK)
        return st;
    /* the served decisions' ids, before the quotes are sorted */
    for (size_t i = 0; i < s->n_decisions; i++)
        if (s->decisions[i].served)
            r->quotes[s->decisions[i].quote].decision_id = s->decisions[i].id;
    r->asof = s->day;
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
    for (size_t i = 0; r->quotes != NULL && i < r->n_quotes; i++)
        quote_clear(r->ctx, &r->quotes[i]);
    ph_free(r->ctx, r->quotes);
    ph_free(r->ctx, r);
}
