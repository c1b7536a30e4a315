/*
 * Interest-subsidy programmes: matching one loan offer against a loaded
 * programme (免申即享 — the platform does this for every loan, unasked).
 *
 * Everything is integer: the subsidy rate is one exact product rounded
 * down once, the award one product rounded down to the fen. Rounding down
 * because a subsidy is public money paid out: it never exceeds the rule.
 * No allocation, so it can run inside the marketplace's ranking loop.
 */
#include "subsidy_internal.h"

#include "core/text.h"

#include <stdio.h>
#include <string.h>

__extension__ typedef __int128 sub_i128;

/* Shares and bonuses read best bare: "100%", "12.5%" (never "100.00%"). */
static void format_share(ph_rate r, char *buf, size_t size)
{
    int64_t whole = r / PH_RATE_PERCENT, frac = r % PH_RATE_PERCENT;
    if (frac == 0) {
        snprintf(buf, size, "%lld%%", (long long)whole);
        return;
    }
    char digits[8];
    snprintf(digits, sizeof(digits), "%06lld", (long long)frac);
    size_t n = strlen(digits);
    while (n > 0 && digits[n - 1] == '0')
        digits[--n] = '\0';
    snprintf(buf, size, "%lld.%s%%", (long long)whole, digits);
}

static void format_rate(ph_rate r, char *buf, size_t size)
{
    if (ph_rate_format_percent(r, buf, size, NULL) != PH_OK)
        snprintf(buf, size, "?");
}

static void format_money(ph_money m, char *buf, size_t size)
{
    if (ph_money_format(m, PH_MONEY_GROUPING, buf, size, NULL) != PH_OK)
        snprintf(buf, size, "?");
}

static ph_status rate_error(ph_error *err, const char *field, ph_rate r, const char *what)
{
    char text[PH_RATE_FORMAT_MAX];
    format_rate(r, text, sizeof(text));
    return ph_error_set(err, PH_EINVAL, field, text, "expected %s", what);
}

static ph_status money_error(ph_error *err, const char *field, ph_money m, const char *what)
{
    char text[PH_MONEY_FORMAT_MAX];
    format_money(m, text, sizeof(text));
    return ph_error_set(err, PH_EINVAL, field, text, "expected %s", what);
}

static ph_status check_inputs(const ph_subsidy_programme *p, const ph_subsidy_firm *firm,
                              ph_money amount, ph_rate loan_rate, ph_rate lpr, ph_error *err)
{
    if (amount <= 0)
        return money_error(err, "amount", amount, "a loan amount > 0");
    if (firm->existing_credit < 0)
        return money_error(err, "existing_credit", firm->existing_credit, "an amount >= 0");
    if (loan_rate < 0 || loan_rate > PH_RATE_ONE)
        return rate_error(err, "loan_rate", loan_rate, "a rate in [0, 100%]");
    if (p->base_is_lpr && (lpr <= 0 || lpr > PH_RATE_ONE))
        return rate_error(err, "lpr", lpr, "the LPR, a rate in (0, 100%]");
    return PH_OK;
}

/* The size check: 1 when the programme admits the firm. *size is -1 when
 * the firm's size class is unknown. */
static ph_status size_admitted(const ph_subsidy_programme *p, const ph_subsidy_firm *firm,
                               int *admitted, int *size, ph_error *err)
{
    *size = -1;
    if (firm->size_class != NULL) {
        ph_size_class sc;
        ph_status st = ph_size_class_parse(firm->size_class, strlen(firm->size_class), &sc, err);
        if (st != PH_OK)
            return st;
        *size = (int)sc;
    }
    *admitted = p->size_mask == 0 || (*size >= 0 && (p->size_mask & (1u << *size)));
    return PH_OK;
}

static ph_rate bonus_of(const ph_subsidy_programme *p, const ph_subsidy_firm *firm)
{
    ph_rate sum = (firm->green ? p->bonus_green : 0) + (firm->tech ? p->bonus_tech : 0);
    return sum < p->bonus_max ? sum : p->bonus_max;
}

/* share x base x (1 + bonus), exact, rounded down to 1e-8. Each factor is
 * at most 100% (200% for 1 + bonus), so the product stays below 2^81. */
static ph_rate subsidy_rate_of(ph_rate share, ph_rate base, ph_rate bonus)
{
    sub_i128 num = (sub_i128)share * base * (PH_RATE_ONE + bonus);
    return (ph_rate)(num / ((sub_i128)PH_RATE_ONE * PH_RATE_ONE));
}

static void explain_subsidy(text_buf *s, const ph_subsidy_programme *p,
                            const ph_subsidy_firm *firm, const ph_subsidy_result *r,
                            ph_money credit, const sub_tier *tier, ph_rate uncapped)
{
    char rate[PH_RATE_FORMAT_MAX], share[24], base[PH_RATE_FORMAT_MAX];
    char credit_text[PH_MONEY_FORMAT_MAX], bound[PH_MONEY_FORMAT_MAX];
    format_rate(r->subsidy_rate, rate, sizeof(rate));
    format_share(r->share, share, sizeof(share));
    format_rate(r->base_rate, base, sizeof(base));
    format_money(credit, credit_text, sizeof(credit_text));
    format_money(tier->credit_below, bound, sizeof(bound));
    text_append(s, "interest subsidy %s a year (%s of the %s %s, credit %s yuan below %s", rate,
                share, base, p->base_is_lpr ? "LPR" : "base rate", credit_text, bound);
    if (r->bonus > 0) {
        char bonus[24];
        format_share(r->bonus, bonus, sizeof(bonus));
        const char *who = firm->green && firm->tech && p->bonus_green > 0 && p->bonus_tech > 0
                              ? "green and tech"
                          : firm->green && p->bonus_green > 0 ? "green"
                                                              : "tech";
        ph_rate sum = (firm->green ? p->bonus_green : 0) + (firm->tech ? p->bonus_tech : 0);
        text_append(s, "; +%s %s bonus%s", bonus, who,
                    sum > r->bonus ? " (the programme's maximum)" : "");
    }
    if (r->subsidy_rate < uncapped)
        text_append(s, "; capped at the loan's own rate");
    text_append(s, ")");
}

ph_status ph_subsidy_apply(const ph_subsidy_programme *p, const ph_subsidy_firm *firm,
                           ph_money amount, ph_rate loan_rate, ph_rate lpr,
                           ph_subsidy_result *out, ph_error *err)
{
    if (p == NULL || firm == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_subsidy_apply: NULL argument");
    ph_status st = check_inputs(p, firm, amount, loan_rate, lpr, err);
    if (st != PH_OK)
        return st;
    int admitted, size;
    st = size_admitted(p, firm, &admitted, &size, err);
    if (st != PH_OK)
        return st;
    ph_money credit;
    if (__builtin_add_overflow(firm->existing_credit, amount, &credit)) {
        char text[PH_MONEY_FORMAT_MAX];
        format_money(firm->existing_credit, text, sizeof(text));
        return ph_error_set(err, PH_ERANGE, "existing_credit", text,
                            "existing credit plus the amount does not fit in an amount");
    }

    ph_subsidy_result r;
    memset(&r, 0, sizeof(r));
    r.base_rate = p->base_is_lpr ? lpr : p->base_rate;
    /* The explanation is one sentence: a piece that does not fit is not
     * cut off but reported (text.h's `full`). */
    text_buf s;
    text_init(&s, r.explanation, sizeof(r.explanation));
    if (!admitted) {
        text_append(&s, "not eligible: size class %s",
                    size >= 0 ? ph_size_class_name((ph_size_class)size) : "unknown");
        *out = r;
        return PH_OK;
    }

    const sub_tier *tier = NULL;
    for (size_t i = 0; i < p->n_tiers && tier == NULL; i++)
        if (credit < p->tiers[i].credit_below)
            tier = &p->tiers[i];
    if (tier != NULL) {
        r.share = tier->share;
        r.bonus = bonus_of(p, firm);
        ph_rate uncapped = subsidy_rate_of(r.share, r.base_rate, r.bonus);
        r.subsidy_rate = uncapped < loan_rate ? uncapped : loan_rate;
        explain_subsidy(&s, p, firm, &r, credit, tier, uncapped);
    } else {
        char credit_text[PH_MONEY_FORMAT_MAX], top[PH_MONEY_FORMAT_MAX];
        format_money(credit, credit_text, sizeof(credit_text));
        format_money(p->tiers[p->n_tiers - 1].credit_below, top, sizeof(top));
        text_append(&s, "no interest subsidy: credit %s yuan is at or above the programme's %s",
                    credit_text, top);
    }

    if (p->has_award && firm->first_loan) {
        ph_money award;
        st = ph_money_mul_rate(amount, p->award_rate, PH_ROUND_DOWN, &award, err);
        if (st != PH_OK)
            return st;
        int capped = award > p->award_max;
        r.first_loan_award = capped ? p->award_max : award;
        r.award_to_enterprise = p->award_to_enterprise;
        if (r.first_loan_award > 0) {
            char text[PH_MONEY_FORMAT_MAX];
            format_money(r.first_loan_award, text, sizeof(text));
            text_append(&s, "; first-loan award %s yuan%s%s", text,
                        capped ? " (the maximum)" : "",
                        p->award_to_enterprise ? "" : ", paid to the lender");
        }
    }
    r.eligible = r.subsidy_rate > 0 || r.first_loan_award > 0;
    if (s.full)
        return ph_error_set(err, PH_ERANGE, "explanation", NULL,
                            "the explanation does not fit in %d bytes",
                            PH_SUBSIDY_EXPLANATION_MAX);
    *out = r;
    return PH_OK;
}
