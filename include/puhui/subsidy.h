/*
 * puhui — interest subsidies (贴息) and first-loan awards (首贷奖励).
 *
 * Exact in integer fen and 1e-8 rates (docs/subsidies.md). A programme,
 * e.g. Chongqing's: full subsidy of the base rate for firms whose credit
 * stays below 10M yuan, half below 30M, a bonus for green or tech firms, a
 * first-loan award. A programme is a JSON document — data, not code —
 * loaded once and then applied to any number of firms without allocating,
 * so the platform can match every loan against every programme
 * automatically (免申即享: granted without an application).
 *
 * What the resulting subsidy rate and award do to the firm's cost of a loan
 * is loan pricing: include/puhui/pricing.h.
 */
#ifndef PUHUI_SUBSIDY_H
#define PUHUI_SUBSIDY_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/common.h"
#include "puhui/money.h"
#include "puhui/rate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- interest-subsidy programmes ---------------------------------------------- */

typedef struct ph_subsidy_programme ph_subsidy_programme;

/*
 * Load a programme from a JSON document:
 *
 *   {"name": "Chongqing inclusive loan interest subsidy", "version": 1,
 *    "base_rate": "lpr",                      -- or a fixed rate such as "1.5%"
 *    "eligible_sizes": ["micro", "small"],    -- optional; absent: every size
 *    "tiers": [{"credit_below": "10,000,000", "share": "100%"},
 *              {"credit_below": "30,000,000", "share": "50%"}],
 *    "bonus": {"green": "10%", "tech": "5%", "max": "15%"},       -- optional
 *    "first_loan_award": {"rate": "1%", "max": "50,000",          -- optional
 *                         "payee": "enterprise"}}                 -- or "lender"
 *
 * Amounts are yuan (strings with optional thousands commas, or integers),
 * rates are strings ("10%", "30bp", "0.1"). Rules checked at load: name a
 * non-empty string; version an integer >= 1; base_rate "lpr" or a rate in
 * (0, 100%]; eligible_sizes a non-empty array of distinct size classes
 * (micro, small, medium, large, or 微型 小型 中型 大型); tiers a non-empty array
 * of at most PH_SUBSIDY_MAX_TIERS, credit_below > 0 and strictly ascending,
 * share in (0, 100%]; bonus members green, tech, max each optional, in
 * [0, 100%] (max absent: green + tech, i.e. no cap); first_loan_award rate in
 * (0, 100%], max > 0, payee "enterprise" or "lender". Unknown members are
 * errors, listing the expected ones.
 *
 * Errors name the source (the path, or `source` for text) and the member
 * path: "subsidy.json: field tiers[1].share, value '150%': expected a share
 * in (0, 100%]". PH_EINVAL for a bad value or type, PH_ENOTFOUND for a
 * missing required member, PH_EIO when the file cannot be read, PH_ENOMEM,
 * PH_EMISUSE for NULL arguments. The caller owns *out (free with
 * ph_subsidy_programme_free); *out is written only on success.
 */
PH_EXTERN ph_status ph_subsidy_programme_load_file(const ph_ctx *ctx, const char *path,
                                                   ph_subsidy_programme **out, ph_error *err);

/* As ph_subsidy_programme_load_file, from text[0..len); `source` names it
 * in errors (NULL: "subsidy programme"). */
PH_EXTERN ph_status ph_subsidy_programme_load_text(const ph_ctx *ctx, const char *text,
                                                   size_t len, const char *source,
                                                   ph_subsidy_programme **out, ph_error *err);

/* Free a programme; NULL is fine. */
PH_EXTERN void ph_subsidy_programme_free(ph_subsidy_programme *programme);

/* The programme's name (owned by the programme) and version. */
PH_EXTERN const char *ph_subsidy_programme_name(const ph_subsidy_programme *programme);
PH_EXTERN int64_t ph_subsidy_programme_version(const ph_subsidy_programme *programme);

#define PH_SUBSIDY_MAX_TIERS 32

/* What a programme needs to know about the firm. */
typedef struct ph_subsidy_firm {
    ph_money existing_credit; /* outstanding credit before this loan, fen, >= 0 */
    const char *size_class;   /* "micro", "small", ... or 微型...; NULL: unknown */
    int green;                /* nonzero: green-rated firm (bonus) */
    int tech;                 /* nonzero: technology firm (bonus) */
    int first_loan;           /* nonzero: no loan before (首贷户, credit-white) */
} ph_subsidy_firm;

#define PH_SUBSIDY_EXPLANATION_MAX 256

/* What the firm gets. */
typedef struct ph_subsidy_result {
    int eligible;           /* 1 when the firm gets an interest subsidy or an award */
    ph_rate base_rate;      /* the base the share applies to (the LPR or the fixed rate) */
    ph_rate share;          /* the tier's share; 0 when no tier applies */
    ph_rate bonus;          /* the bonus coefficient after the cap; 0 when no tier applies */
    ph_rate subsidy_rate;   /* annual rate subsidised, <= the loan's rate; 0 if none */
    ph_money first_loan_award; /* fen; 0 when none */
    int award_to_enterprise;   /* 1: the award is paid to the firm; 0: to the lender */
    char explanation[PH_SUBSIDY_EXPLANATION_MAX]; /* one sentence for the firm */
} ph_subsidy_result;

/*
 * Apply a programme to one loan offer: `amount` fen offered at the annual
 * rate `loan_rate` to `firm`, with `lpr` the current one-year LPR (used when
 * the programme's base is the LPR).
 *
 * - The size class must be one the programme lists (when it lists any); an
 *   unknown size class (NULL) is then not eligible. Not eligible: nothing.
 * - credit = existing_credit + amount. The first tier whose credit_below is
 *   greater than credit gives the share; when none does, no interest
 *   subsidy (the first-loan award may still apply).
 * - bonus = the green bonus if firm->green + the tech bonus if firm->tech,
 *   capped at the programme's max.
 * - subsidy_rate = share x base_rate x (1 + bonus), computed exactly and
 *   rounded DOWN to 1e-8 once, then capped at loan_rate: a subsidy never
 *   pays the firm more interest than it is charged.
 * - The first-loan award, for a firm with firm->first_loan set, is
 *   amount x the award rate rounded DOWN to the fen, capped at the
 *   programme's max. Only an award to the enterprise lowers the firm's cost.
 *
 * The explanation is one sentence, e.g. "interest subsidy 3.00% a year
 * (100% of the 3.00% LPR, credit 1,200,000.00 yuan below 10,000,000.00;
 * +10% green bonus); first-loan award 10,000.00 yuan", "no interest
 * subsidy: credit 35,000,000.00 yuan is at or above the programme's
 * 30,000,000.00", "not eligible: size class medium".
 *
 * Errors: PH_EINVAL for amount <= 0 (field "amount"), existing_credit < 0
 * ("existing_credit"), loan_rate outside [0, 100%] ("loan_rate"), lpr
 * outside (0, 100%] when the programme uses it ("lpr"), a size class that
 * is not one ("size_class"); PH_ERANGE when credit overflows; PH_EMISUSE
 * for NULL arguments. Does not allocate; *out is written only on success.
 */
PH_EXTERN ph_status ph_subsidy_apply(const ph_subsidy_programme *programme,
                                     const ph_subsidy_firm *firm, ph_money amount,
                                     ph_rate loan_rate, ph_rate lpr, ph_subsidy_result *out,
                                     ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_SUBSIDY_H */
