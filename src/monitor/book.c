/*
 * Who watches whom: a firm is watched on a day when some lender has a loan
 * to it in the book that day and holds a live monitoring consent from it
 * covering every feed the rule set reads. The book is read once (one scan
 * of the loans); the consents are read again before every day settled (one
 * query, nothing logged), so a consent revoked during a run stops the
 * firm's monitoring from the next day on; the gate, which logs, is called
 * only when a pair is first watched on a wall-clock day.
 *
 * "Once per firm, lender and wall-clock day" holds across runs too: before
 * calling the gate for a pair the access log is read back (newest first,
 * stopping at yesterday's entries) for an allowed entry of today's watch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/access.h"
#include "puhui/loan.h"

#include "monitor/watch_internal.h"

typedef struct book_loan {
    int64_t id;
    uint32_t firm;
    uint32_t lender;
    uint8_t revolving;
    ph_date booked_on, ended_on;
} book_loan;

typedef struct book_pair {
    uint32_t firm, lender;
    size_t first_loan, nloans;  /* its loans: loans[first_loan ..] */
    ph_source_set consented;    /* today's live consents' sources (scratch) */
    ph_date gated;              /* the wall-clock day the gate allowed it */
    ph_date denied;             /* the wall-clock day the gate refused it */
    ph_date looked;             /* the wall-clock day the log was read for it */
    uint8_t watched, ever;
} book_pair;

struct watch_book {
    ph_store *store;
    const ph_ctx *ctx;
    const watch_firms *firms;
    watch_book_opts opts;
    char **lender;              /* sorted, unique */
    size_t nlenders;
    book_loan *loans;           /* sorted by firm, lender, id */
    size_t nloans, loan_cap;
    book_pair *pairs;           /* sorted by firm, lender */
    size_t npairs;
    size_t *firm_start;         /* firms + 1: pairs of firm f are [firm_start[f], [f+1]) */
    uint8_t *watched;           /* per firm: 0, 1, or 2 (unknown: tell the engine) */
    uint8_t *ever;              /* per firm */
    uint32_t nfirms;
    int settled;                /* a day has been settled */
    /* loading scratch: lender names as met */
    char **raw_lender;
    size_t nraw, raw_cap;
};

/* ---- loading the book ------------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int64_t find_lender(const watch_book *b, const char *id)
{
    char *const *hit = id != NULL && b->nlenders > 0
                           ? bsearch(&id, b->lender, b->nlenders, sizeof(char *), cmp_str)
                           : NULL;
    return hit != NULL ? (int64_t)(hit - b->lender) : -1;
}

static ph_status take_span(void *user, const ph_loan_span *span, ph_error *err)
{
    watch_book *b = user;
    int64_t firm = span->uscc != NULL ? watch_firms_find(b->firms, span->uscc, strlen(span->uscc))
                                      : -1;
    if (firm < 0 || span->lender == NULL)
        return PH_OK; /* a loan to a firm the registry does not hold: nothing to watch */
    if (b->nloans == b->loan_cap) {
        size_t cap = b->loan_cap ? b->loan_cap * 2 : 256;
        book_loan *g = ph_realloc(b->ctx, b->loans, cap * sizeof(*g));
        char **r = ph_realloc(b->ctx, b->raw_lender, cap * sizeof(*r));
        if (g != NULL)
            b->loans = g;
        if (r != NULL)
            b->raw_lender = r;
        if (g == NULL || r == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the book");
        b->loan_cap = cap;
    }
    char *name = ph_strdup(b->ctx, span->lender);
    if (name == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the book");
    book_loan *l = &b->loans[b->nloans];
    l->id = span->id;
    l->firm = (uint32_t)firm;
    l->lender = 0;
    l->revolving = (uint8_t)(span->revolving != 0);
    l->booked_on = span->booked_on;
    l->ended_on = span->ended_on;
    b->raw_lender[b->nloans] = name;
    b->nloans++;
    b->nraw = b->nloans;
    return PH_OK;
}

static int cmp_loan(const void *a, const void *b)
{
    const book_loan *x = a, *y = b;
    if (x->firm != y->firm)
        return x->firm < y->firm ? -1 : 1;
    if (x->lender != y->lender)
        return x->lender < y->lender ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* Lenders interned, loans sorted, pairs and the per-firm index built. */
static ph_status index_book(watch_book *b, ph_error *err)
{
    if (b->nloans > 0) {
        b->lender = ph_malloc(b->ctx, b->nloans * sizeof(char *));
        if (b->lender == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the book");
        memcpy(b->lender, b->raw_lender, b->nloans * sizeof(char *));
        qsort(b->lender, b->nloans, sizeof(char *), cmp_str);
        size_t n = 0;
        for (size_t i = 0; i < b->nloans; i++)
            if (n == 0 || strcmp(b->lender[n - 1], b->lender[i]) != 0)
                b->lender[n++] = b->lender[i];
        b->nlenders = n;
        for (size_t i = 0; i < b->nloans; i++)
            b->loans[i].lender = (uint32_t)find_lender(b, b->raw_lender[i]);
        qsort(b->loans, b->nloans, sizeof(book_loan), cmp_loan);
    }
    size_t npairs = 0;
    for (size_t i = 0; i < b->nloans; i++)
        npairs += i == 0 || b->loans[i].firm != b->loans[i - 1].firm ||
                  b->loans[i].lender != b->loans[i - 1].lender;
    b->nfirms = b->firms->count;
    b->pairs = ph_calloc(b->ctx, npairs > 0 ? npairs : 1, sizeof(book_pair));
    b->firm_start = ph_calloc(b->ctx, (size_t)b->nfirms + 1, sizeof(size_t));
    b->watched = ph_malloc(b->ctx, (size_t)b->nfirms + 1);
    b->ever = ph_calloc(b->ctx, (size_t)b->nfirms + 1, 1);
    if (b->pairs == NULL || b->firm_start == NULL || b->watched == NULL || b->ever == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the book");
    for (size_t i = 0; i < b->nloans; i++) {
        const book_loan *l = &b->loans[i];
        if (b->npairs == 0 || b->pairs[b->npairs - 1].firm != l->firm ||
            b->pairs[b->npairs - 1].lender != l->lender) {
            book_pair *p = &b->pairs[b->npairs++];
            p->firm = l->firm;
            p->lender = l->lender;
            p->first_loan = i;
        }
        b->pairs[b->npairs - 1].nloans++;
    }
    /* firm_start: a count per firm, then prefix sums */
    for (size_t i = 0; i < b->npairs; i++)
        b->firm_start[b->pairs[i].firm + 1]++;
    for (uint32_t f = 0; f < b->nfirms; f++)
        b->firm_start[f + 1] += b->firm_start[f];
    return PH_OK;
}

ph_status watch_book_open(ph_store *store, const watch_firms *firms, const watch_book_opts *opts,
                          watch_book **out, ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(store);
    watch_book *b = ph_calloc(ctx, 1, sizeof(*b));
    if (b == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the book");
    b->store = store;
    b->ctx = ctx;
    b->firms = firms;
    b->opts = *opts;
    ph_status st = opts->all_firms ? PH_OK : ph_loan_each_span(store, take_span, b, err);
    if (st == PH_OK)
        st = index_book(b, err);
    if (st != PH_OK) {
        watch_book_free(b);
        return st;
    }
    /* a fresh engine holds every firm unwatched; a restored one: tell it */
    memset(b->watched, opts->fresh ? 0 : 2, (size_t)b->nfirms + 1);
    *out = b;
    return PH_OK;
}

void watch_book_free(watch_book *b)
{
    if (b == NULL)
        return;
    for (size_t i = 0; i < b->nraw; i++)
        ph_free(b->ctx, b->raw_lender[i]);
    ph_free(b->ctx, b->raw_lender);
    ph_free(b->ctx, b->lender);
    ph_free(b->ctx, b->loans);
    ph_free(b->ctx, b->pairs);
    ph_free(b->ctx, b->firm_start);
    ph_free(b->ctx, b->watched);
    ph_free(b->ctx, b->ever);
    ph_free(b->ctx, b);
}

/* ---- settling a day -------------------------------------------------------------------- */

static book_pair *find_pair(watch_book *b, uint32_t firm, int64_t lender)
{
    if (firm >= b->nfirms || lender < 0)
        return NULL;
    for (size_t i = b->firm_start[firm]; i < b->firm_start[firm + 1]; i++)
        if (b->pairs[i].lender == (uint32_t)lender)
            return &b->pairs[i];
    return NULL;
}

static ph_status take_consent(void *user, const ph_consent *c, ph_error *err)
{
    (void)err;
    watch_book *b = user;
    int64_t firm = c->uscc != NULL ? watch_firms_find(b->firms, c->uscc, strlen(c->uscc)) : -1;
    book_pair *p = firm >= 0 ? find_pair(b, (uint32_t)firm, find_lender(b, c->institution_id))
                             : NULL;
    if (p != NULL)
        p->consented |= c->sources;
    return PH_OK;
}

static int loan_in_book(const book_loan *l, ph_date day)
{
    return l->booked_on <= day && (l->ended_on == 0 || day <= l->ended_on);
}

static int pair_in_book(const watch_book *b, const book_pair *p, ph_date day)
{
    for (size_t i = 0; i < p->nloans; i++)
        if (loan_in_book(&b->loans[p->first_loan + i], day))
            return 1;
    return 0;
}

/* The access log's text for today's watch of a pair: the same text on the
 * same wall-clock day, so a second run can find the first one's entry. */
static void gate_what(char *buf, size_t size, ph_date today)
{
    char t[PH_DATE_FORMAT_MAX];
    snprintf(buf, size, "early warning watch, wall-clock day %s", watch_day_text(today, t));
}

typedef struct log_look {
    const char *what;
    char yesterday[PH_DATE_FORMAT_MAX];
    int found;
} log_look;

static ph_status look_entry(void *user, const ph_audit_entry *e, ph_error *err)
{
    (void)err;
    log_look *l = user;
    if (e->at != NULL && strncmp(e->at, l->yesterday, 10) < 0)
        return PH_DONE; /* older than yesterday (UTC): today's entry is not further down */
    if (e->purpose != NULL && strcmp(e->purpose, "monitoring") == 0 && e->what != NULL &&
        strcmp(e->what, l->what) == 0) {
        l->found = e->outcome != NULL && strcmp(e->outcome, "allowed") == 0;
        return PH_DONE;
    }
    return PH_OK;
}

/* The gate for pair p, unless the log shows it allowed today already. */
static ph_status gate_pair(watch_book *b, book_pair *p, ph_date day, ph_date today,
                           ph_monitor_summary *sum, ph_error *err)
{
    char what[96];
    gate_what(what, sizeof(what), today);
    const char *uscc = b->firms->uscc[p->firm];
    const char *lender = b->lender[p->lender];
    if (p->looked != today) {
        p->looked = today;
        log_look look = {what, "", 0};
        ph_date yesterday = today - 1;
        watch_day_text(yesterday, look.yesterday);
        ph_audit_filter f;
        memset(&f, 0, sizeof(f));
        f.uscc = uscc;
        f.institution_id = lender;
        ph_status st = ph_audit_list(b->store, &f, look_entry, &look, err);
        if (st != PH_OK && st != PH_DONE)
            return st;
        if (look.found) {
            p->gated = today;
            return PH_OK;
        }
    }
    ph_access_request req;
    memset(&req, 0, sizeof(req));
    req.institution_id = lender;
    req.uscc = uscc;
    req.purpose = PH_PURPOSE_MONITORING;
    req.sources = b->opts.sources;
    req.on = day;
    req.what = what;
    req.mode = PH_ACCESS_STRICT;
    ph_access_grant grant;
    ph_error local;
    ph_error_clear(&local);
    ph_status st = ph_access_check(b->store, &req, &grant, &local);
    if (sum != NULL)
        sum->gate_checks++;
    if (st == PH_OK) {
        p->gated = today;
        return PH_OK;
    }
    if (st == PH_EDENIED || st == PH_ENOTFOUND) {
        /* refused and logged (or a party no longer registered): not watched
         * today; the gate is not asked again until tomorrow */
        p->denied = today;
        if (sum != NULL)
            sum->gate_denied++;
        return PH_OK;
    }
    if (err != NULL)
        *err = local;
    return st;
}

static ph_status tell_engines(ph_warn_engine *const *engines, size_t n, uint32_t firm,
                              int watched, ph_error *err)
{
    ph_status st = PH_OK;
    for (size_t e = 0; st == PH_OK && e < n; e++)
        st = ph_warn_engine_watch(engines[e], firm, watched, err);
    return st;
}

ph_status watch_book_settle(watch_book *b, ph_date day, ph_warn_engine *const *engines,
                            size_t n, ph_monitor_summary *sum, ph_error *err)
{
    ph_status st = PH_OK;
    if (b->opts.all_firms) {
        for (uint32_t f = 0; st == PH_OK && f < b->nfirms; f++) {
            if (b->watched[f] != 1)
                st = tell_engines(engines, n, f, 1, err);
            b->watched[f] = 1;
            if (!b->ever[f] && sum != NULL)
                sum->firms_watched++;
            b->ever[f] = 1;
        }
        return st;
    }
    ph_date today = 0;
    st = ph_ctx_today(b->ctx, &today, err);
    for (size_t i = 0; i < b->npairs; i++)
        b->pairs[i].consented = 0;
    if (st == PH_OK && b->npairs > 0) {
        ph_consent_filter f;
        memset(&f, 0, sizeof(f));
        f.live_only = 1;
        f.purpose = PH_PURPOSE_MONITORING;
        st = ph_consent_list(b->store, &f, take_consent, b, err);
    }
    ph_date on = b->opts.book_on != 0 ? b->opts.book_on : day;
    for (size_t i = 0; st == PH_OK && i < b->npairs; i++) {
        book_pair *p = &b->pairs[i];
        int candidate = (p->consented & b->opts.sources) == b->opts.sources &&
                        pair_in_book(b, p, on);
        if (candidate && b->opts.gate && p->gated != today && p->denied != today)
            st = gate_pair(b, p, day, today, sum, err);
        p->watched = (uint8_t)(candidate && (!b->opts.gate || p->gated == today));
        if (p->watched && !p->ever) {
            p->ever = 1;
            if (sum != NULL)
                sum->pairs_watched++;
        }
    }
    /* A firm without a loan is never watched: a restored engine is told so
     * once; after that only firms with pairs can change. */
    if (!b->settled) {
        for (uint32_t f = 0; st == PH_OK && f < b->nfirms; f++)
            if (b->firm_start[f] == b->firm_start[f + 1] && b->watched[f] != 0) {
                st = tell_engines(engines, n, f, 0, err);
                b->watched[f] = 0;
            }
        b->settled = st == PH_OK;
    }
    for (size_t i = 0; st == PH_OK && i < b->npairs;) {
        uint32_t f = b->pairs[i].firm;
        int watched = 0;
        for (; i < b->npairs && b->pairs[i].firm == f; i++)
            watched |= b->pairs[i].watched;
        if (watched != b->watched[f])
            st = tell_engines(engines, n, f, watched, err);
        b->watched[f] = (uint8_t)watched;
        if (watched && !b->ever[f]) {
            b->ever[f] = 1;
            if (sum != NULL)
                sum->firms_watched++;
        }
    }
    return st;
}

/* ---- what the actions need ------------------------------------------------------------- */

ph_status watch_book_each_watcher(const watch_book *b, uint32_t firm, ph_date day,
                                  watch_pair_fn fn, void *user, ph_error *err)
{
    if (firm >= b->nfirms)
        return PH_OK;
    ph_date on = b->opts.book_on != 0 ? b->opts.book_on : day;
    ph_status st = PH_OK;
    for (size_t i = b->firm_start[firm]; st == PH_OK && i < b->firm_start[firm + 1]; i++) {
        const book_pair *p = &b->pairs[i];
        if (!p->watched)
            continue;
        int64_t first = 0;
        for (size_t k = 0; k < p->nloans && first == 0; k++)
            if (loan_in_book(&b->loans[p->first_loan + k], on))
                first = b->loans[p->first_loan + k].id;
        st = fn(user, firm, b->lender[p->lender], first, err);
    }
    return st;
}

size_t watch_book_lines(const watch_book *b, uint32_t firm, const char *lender, int64_t *ids,
                        size_t cap)
{
    size_t n = 0;
    if (firm >= b->nfirms)
        return 0;
    int64_t li = find_lender(b, lender);
    for (size_t i = b->firm_start[firm]; i < b->firm_start[firm + 1]; i++) {
        const book_pair *p = &b->pairs[i];
        if ((int64_t)p->lender != li)
            continue;
        for (size_t k = 0; k < p->nloans && n < cap; k++) {
            const book_loan *l = &b->loans[p->first_loan + k];
            if (l->revolving && l->ended_on == 0)
                ids[n++] = l->id;
        }
    }
    return n;
}

int watch_book_ever_watched(const watch_book *b, uint32_t firm)
{
    return firm < b->nfirms && b->ever[firm];
}
