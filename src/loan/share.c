/*
 * Risk sharing: splitting a defaulted loan's loss by its scheme, a pool's
 * compensation out of the bank's part, recoveries flowing back in the same
 * shares, and a guarantor's leverage and compensation rate.
 *
 * The invariants, kept next to the code that keeps them:
 *   - a split's parts sum exactly to the amount split, to the fen;
 *   - a loss is rounded once per party, down, and the bank takes the rest;
 *   - a recovery is shared as a function of the running total recovered,
 *     monotone for every party and bounded by what the party paid, so that
 *     any sequence of recoveries adds up to the split of their total and
 *     nobody is ever asked to give money back.
 * Exact in 128 bits; no floating point, no allocation.
 */
#include "loan/share_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/i128.h"

static const char *const PARTY_NAMES[PH_PARTY_COUNT] = {"bank", "guarantor", "reguarantor",
                                                        "government", "pool"};

const char *ph_share_party_name(ph_share_party party)
{
    size_t i = (size_t)party;
    return i < PH_PARTY_COUNT ? PARTY_NAMES[i] : "unknown";
}

ph_status ph_share_party_parse(const char *s, size_t len, ph_share_party *out, ph_error *err)
{
    if (s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_share_party_parse: NULL argument");
    for (size_t i = 0; i < PH_PARTY_COUNT; i++) {
        if (strlen(PARTY_NAMES[i]) == len && memcmp(PARTY_NAMES[i], s, len) == 0) {
            *out = (ph_share_party)i;
            return PH_OK;
        }
    }
    return ph_error_setn(err, PH_EINVAL, "party", s, len,
                         "expected bank, guarantor, reguarantor, government or pool");
}

int share_scheme_party(const char *name, ph_share_party *out)
{
    ph_share_party p;
    if (ph_share_party_parse(name, strlen(name), &p, NULL) != PH_OK || p == PH_PARTY_POOL)
        return 0;
    *out = p;
    return 1;
}

/* ---- the schemes -------------------------------------------------------------------- */

/* The built-in schemes (docs/domain.md#risk-sharing-guarantees-and-subsidies):
 * change a share here, not in code. Order: bank, guarantor, reguarantor,
 * government, pool. */
static const struct {
    const char *name;
    int32_t bp[PH_PARTY_COUNT];
} DEFAULT_SCHEMES[] = {
    {"bank_guarantor_2_8", {2000, 8000, 0, 0, 0}},
    {"4321", {2000, 4000, 3000, 1000, 0}},
    {"bank_only", {10000, 0, 0, 0, 0}},
};
enum { DEFAULT_DPD = 90 };

ph_status share_schemes_new(const ph_ctx *ctx, size_t n, ph_share_schemes **out, ph_error *err)
{
    ph_share_schemes *s = ph_calloc(ctx, 1, sizeof(*s));
    if (s != NULL && n > 0)
        s->items = ph_calloc(ctx, n, sizeof(*s->items));
    if (s == NULL || (n > 0 && s->items == NULL)) {
        ph_free(ctx, s);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    s->ctx = ctx;
    s->default_dpd = DEFAULT_DPD;
    s->on_write_off = 1;
    *out = s;
    return PH_OK;
}

ph_status ph_share_schemes_default(const ph_ctx *ctx, ph_share_schemes **out, ph_error *err)
{
    if (ctx == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_share_schemes_default: NULL argument");
    size_t n = sizeof(DEFAULT_SCHEMES) / sizeof(DEFAULT_SCHEMES[0]);
    ph_share_schemes *s = NULL;
    ph_status st = share_schemes_new(ctx, n, &s, err);
    if (st != PH_OK)
        return st;
    for (size_t i = 0; i < n; i++) {
        snprintf(s->items[i].name, sizeof(s->items[i].name), "%s", DEFAULT_SCHEMES[i].name);
        memcpy(s->items[i].bp, DEFAULT_SCHEMES[i].bp, sizeof(s->items[i].bp));
    }
    s->n = n;
    *out = s;
    return PH_OK;
}

void ph_share_schemes_free(ph_share_schemes *schemes)
{
    if (schemes == NULL)
        return;
    ph_free(schemes->ctx, schemes->items);
    ph_free(schemes->ctx, schemes);
}

const ph_share_scheme *ph_share_schemes_find(const ph_share_schemes *schemes, const char *name)
{
    if (schemes == NULL || name == NULL)
        return NULL;
    for (size_t i = 0; i < schemes->n; i++)
        if (strcmp(schemes->items[i].name, name) == 0)
            return &schemes->items[i];
    return NULL;
}

size_t ph_share_schemes_count(const ph_share_schemes *schemes)
{
    return schemes != NULL ? schemes->n : 0;
}

const ph_share_scheme *ph_share_schemes_at(const ph_share_schemes *schemes, size_t i)
{
    return schemes != NULL && i < schemes->n ? &schemes->items[i] : NULL;
}

int32_t ph_share_schemes_default_dpd(const ph_share_schemes *schemes)
{
    return schemes != NULL ? schemes->default_dpd : 0;
}

int ph_share_schemes_default_on_write_off(const ph_share_schemes *schemes)
{
    return schemes != NULL ? schemes->on_write_off : 0;
}

int ph_share_is_default(const ph_share_schemes *schemes, int32_t dpd, int written_off)
{
    if (schemes == NULL)
        return 0;
    if (schemes->default_dpd > 0 && dpd >= schemes->default_dpd)
        return 1;
    return written_off && schemes->on_write_off;
}

const char *ph_share_scheme_name(const ph_share_scheme *scheme)
{
    return scheme != NULL ? scheme->name : NULL;
}

int32_t ph_share_scheme_bp(const ph_share_scheme *scheme, ph_share_party party)
{
    if (scheme == NULL || (size_t)party >= PH_PARTY_COUNT)
        return 0;
    return scheme->bp[party];
}

/* ---- a loss ----------------------------------------------------------------------- */

/* Who takes the fen that rounding down leaves: the bank when the scheme gives
 * it a share, else the party with the largest share (first among equals). */
static ph_share_party residue_party(const ph_share_scheme *scheme)
{
    if (scheme->bp[PH_PARTY_BANK] > 0)
        return PH_PARTY_BANK;
    ph_share_party best = PH_PARTY_BANK;
    for (size_t p = 0; p < PH_PARTY_COUNT; p++)
        if (scheme->bp[p] > scheme->bp[best])
            best = (ph_share_party)p;
    return best;
}

ph_status ph_share_loss(const ph_share_scheme *scheme, ph_money loss, int32_t pool_bp,
                        ph_money *pool_balance, ph_share_split *out, ph_error *err)
{
    if (scheme == NULL || out == NULL || (pool_bp > 0 && pool_balance == NULL))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_share_loss: NULL scheme, out, or pool balance with a pool share");
    char text[32];
    if (loss < 0) {
        snprintf(text, sizeof(text), "%lld", (long long)loss);
        return ph_error_set(err, PH_EINVAL, "loss", text, "expected a loss in fen >= 0");
    }
    if (pool_bp < 0 || pool_bp > PH_SHARE_BP_ONE) {
        snprintf(text, sizeof(text), "%d", (int)pool_bp);
        return ph_error_set(err, PH_EINVAL, "pool_bp", text,
                            "expected a pool share in basis points from 0 to 10000");
    }
    if (pool_balance != NULL && *pool_balance < 0) {
        snprintf(text, sizeof(text), "%lld", (long long)*pool_balance);
        return ph_error_set(err, PH_EINVAL, "pool_balance", text,
                            "expected a pool balance in fen >= 0");
    }

    ph_share_split s;
    memset(&s, 0, sizeof(s));
    ph_share_party rest = residue_party(scheme);
    ph_money given = 0;
    for (size_t p = 0; p < PH_PARTY_COUNT; p++) {
        if (p == (size_t)rest)
            continue;
        /* loss * bp / 10000 <= loss: the product fits 128 bits, the part 64. */
        s.part[p] = (ph_money)((i128)loss * scheme->bp[p] / PH_SHARE_BP_ONE);
        given += s.part[p]; /* <= loss: the shares sum to 10000 */
    }
    s.part[rest] = loss - given; /* the parts sum exactly to the loss */

    ph_money pool_paid = 0;
    if (pool_bp > 0) {
        ph_money want = (ph_money)((i128)s.part[PH_PARTY_BANK] * pool_bp / PH_SHARE_BP_ONE);
        pool_paid = want < *pool_balance ? want : *pool_balance; /* until the pool runs out */
        s.part[PH_PARTY_BANK] -= pool_paid;
        s.part[PH_PARTY_POOL] += pool_paid;
        *pool_balance -= pool_paid;
    }
    *out = s;
    return PH_OK;
}

ph_status ph_share_split_total(const ph_share_split *split, ph_money *out, ph_error *err)
{
    if (split == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_share_split_total: NULL argument");
    i128 sum = 0;
    for (size_t p = 0; p < PH_PARTY_COUNT; p++)
        sum += split->part[p];
    int64_t total;
    if (!i128_to_i64(sum, &total))
        return ph_error_set(err, PH_ERANGE, "loss_split", NULL, "the parts' sum overflows");
    *out = total;
    return PH_OK;
}

/* ---- a recovery ------------------------------------------------------------------- */

/* The order in which a running total recovered is shared: the bank last, so
 * that it takes what rounding down leaves (as in a loss). */
static const ph_share_party RECOVERY_ORDER[PH_PARTY_COUNT] = {
    PH_PARTY_GUARANTOR, PH_PARTY_REGUARANTOR, PH_PARTY_GOVERNMENT, PH_PARTY_POOL, PH_PARTY_BANK};

/*
 * What each party has got back once `recovered` (0 <= recovered <= loss) is
 * recovered in all. Party by party, p gets floor(left * paid_p / loss_left)
 * and both shrink by what p got and paid. Each step is a nondecreasing
 * function of `left` that grows by 0 or 1 per fen (paid_p <= loss_left), and
 * what is left for the next parties grows by 0 or 1 per fen too, so every
 * party's amount never decreases as `recovered` grows; at recovered = loss
 * every party gets exactly what it paid, hence never more before.
 */
static void recovered_by_party(const ph_share_split *paid, ph_money loss, ph_money recovered,
                               ph_money got[PH_PARTY_COUNT])
{
    ph_money left = recovered, loss_left = loss;
    for (size_t i = 0; i < PH_PARTY_COUNT; i++) {
        ph_share_party p = RECOVERY_ORDER[i];
        if (i + 1 == PH_PARTY_COUNT) {
            got[p] = left; /* the last takes the rest: the sum is exact */
            break;
        }
        got[p] = loss_left > 0 ? (ph_money)((i128)left * paid->part[p] / loss_left) : 0;
        left -= got[p];
        loss_left -= paid->part[p];
    }
}

ph_status ph_share_recovery(const ph_share_split *loss_split, ph_money recovered_so_far,
                            ph_money recovery, ph_share_split *out, ph_error *err)
{
    if (loss_split == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_share_recovery: NULL argument");
    char text[32];
    for (size_t p = 0; p < PH_PARTY_COUNT; p++) {
        if (loss_split->part[p] < 0) {
            snprintf(text, sizeof(text), "%lld", (long long)loss_split->part[p]);
            return ph_error_set(err, PH_EINVAL, "loss_split", text,
                                "expected every party's part >= 0 (the %s's is negative)",
                                ph_share_party_name((ph_share_party)p));
        }
    }
    ph_money loss = 0;
    if (ph_share_split_total(loss_split, &loss, NULL) != PH_OK)
        return ph_error_set(err, PH_EINVAL, "loss_split", NULL,
                            "expected parts whose sum fits in 64 bits");
    if (loss == 0)
        return ph_error_set(err, PH_EINVAL, "loss_split", "0",
                            "expected a loss > 0 to recover against");
    if (recovered_so_far < 0 || recovered_so_far > loss) {
        snprintf(text, sizeof(text), "%lld", (long long)recovered_so_far);
        return ph_error_set(err, PH_EINVAL, "recovered_so_far", text,
                            "expected 0 to the loss (%lld fen)", (long long)loss);
    }
    if (recovery <= 0 || recovery > loss - recovered_so_far) {
        snprintf(text, sizeof(text), "%lld", (long long)recovery);
        return ph_error_set(err, PH_EINVAL, "recovery", text,
                            "expected a recovery > 0 and at most the %lld fen of the loss not "
                            "recovered yet (a surplus is the firm's, not shared)",
                            (long long)(loss - recovered_so_far));
    }
    ph_money before[PH_PARTY_COUNT], after[PH_PARTY_COUNT];
    recovered_by_party(loss_split, loss, recovered_so_far, before);
    recovered_by_party(loss_split, loss, recovered_so_far + recovery, after);
    for (size_t p = 0; p < PH_PARTY_COUNT; p++)
        out->part[p] = after[p] - before[p];
    return PH_OK;
}

/* ---- pools ------------------------------------------------------------------------ */

static const char *const ELIGIBLE_NAMES[PH_POOL_ELIGIBLE_COUNT] = {"all", "first_loan", "ip_loan",
                                                                  "agriculture"};

const char *ph_share_pool_eligible_name(ph_share_pool_eligible e)
{
    size_t i = (size_t)e;
    return i < PH_POOL_ELIGIBLE_COUNT ? ELIGIBLE_NAMES[i] : "unknown";
}

ph_status ph_share_pool_eligible_parse(const char *s, size_t len, ph_share_pool_eligible *out,
                                       ph_error *err)
{
    if (s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_share_pool_eligible_parse: NULL argument");
    for (size_t i = 0; i < PH_POOL_ELIGIBLE_COUNT; i++) {
        if (strlen(ELIGIBLE_NAMES[i]) == len && memcmp(ELIGIBLE_NAMES[i], s, len) == 0) {
            *out = (ph_share_pool_eligible)i;
            return PH_OK;
        }
    }
    return ph_error_setn(err, PH_EINVAL, "eligible", s, len,
                         "expected all, first_loan, ip_loan or agriculture");
}

int ph_share_pool_covers(ph_share_pool_eligible e, int first_loan, int ip_loan, int agriculture)
{
    switch (e) {
    case PH_POOL_ALL:
        return 1;
    case PH_POOL_FIRST_LOAN:
        return first_loan != 0;
    case PH_POOL_IP_LOAN:
        return ip_loan != 0;
    case PH_POOL_AGRICULTURE:
        return agriculture != 0;
    default:
        return 0;
    }
}

/* ---- a guarantor's figures -------------------------------------------------------- */

/* num / den as a 1e-8 ratio, rounded half up; den > 0, num >= 0. */
static ph_status ratio(ph_money num, ph_money den, const char *what, ph_rate *out, ph_error *err)
{
    i128 r = i128_div_round((i128)num * PH_RATE_ONE, den, PH_ROUND_HALF_UP);
    int64_t v;
    if (!i128_to_i64(r, &v))
        return ph_error_set(err, PH_ERANGE, what, NULL, "the ratio does not fit a ph_rate");
    *out = v;
    return PH_OK;
}

ph_status ph_share_leverage(ph_money outstanding, ph_money capital, ph_rate cap,
                            ph_rate *leverage, int *within_cap, ph_error *err)
{
    char text[32];
    if (outstanding < 0) {
        snprintf(text, sizeof(text), "%lld", (long long)outstanding);
        return ph_error_set(err, PH_EINVAL, "outstanding", text,
                            "expected guarantees outstanding in fen >= 0");
    }
    if (capital <= 0) {
        snprintf(text, sizeof(text), "%lld", (long long)capital);
        return ph_error_set(err, PH_EINVAL, "capital", text, "expected capital in fen > 0");
    }
    if (cap < 0) {
        snprintf(text, sizeof(text), "%lld", (long long)cap);
        return ph_error_set(err, PH_EINVAL, "cap", text,
                            "expected a leverage cap >= 0 (1e-8 units: 10x = 1000000000)");
    }
    ph_rate lev = 0;
    ph_status st = ratio(outstanding, capital, "leverage", &lev, err);
    if (st != PH_OK)
        return st;
    if (leverage != NULL)
        *leverage = lev;
    if (within_cap != NULL) /* exactly: outstanding <= cap * capital */
        *within_cap = (i128)outstanding * PH_RATE_ONE <= (i128)cap * capital;
    return PH_OK;
}

ph_status ph_share_compensation_rate(ph_money compensated, ph_money matured, ph_rate *rate,
                                     ph_error *err)
{
    if (rate == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_share_compensation_rate: NULL rate");
    char text[32];
    if (compensated < 0) {
        snprintf(text, sizeof(text), "%lld", (long long)compensated);
        return ph_error_set(err, PH_EINVAL, "compensated", text,
                            "expected compensation paid in fen >= 0");
    }
    if (matured < 0 || (matured == 0 && compensated > 0)) {
        snprintf(text, sizeof(text), "%lld", (long long)matured);
        return ph_error_set(err, PH_EINVAL, "matured", text,
                            matured < 0 ? "expected guarantees matured in fen >= 0"
                                        : "expected guarantees matured > 0 when compensation "
                                          "was paid");
    }
    if (matured == 0) {
        *rate = 0;
        return PH_OK;
    }
    return ratio(compensated, matured, "compensation_rate", rate, err);
}
