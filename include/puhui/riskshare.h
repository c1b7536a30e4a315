/*
 * puhui — risk sharing: how a defaulted loan's loss is split between the
 * bank, the guarantor, the provincial re-guarantor, the local government and
 * a risk-compensation pool, how a later recovery flows back in the same
 * shares, and the two figures a guarantor is watched by (leverage and the
 * compensation rate). docs/domain.md#risk-sharing-guarantees-and-subsidies
 * gives the rules; docs/loans.md ("Risk sharing") the rounding and the
 * ledger entries.
 *
 * Everything here is exact integer arithmetic (fen, basis points, 1e-8
 * ratios; 128-bit intermediates) and, but for loading schemes, pure: no
 * allocation, no store, O(1) per call. The loan module feeds these functions
 * from the book and posts the results.
 *
 * Schemes are data: a JSON document, with built-in defaults equal to
 *
 *   {"schemes": [
 *      {"name": "bank_guarantor_2_8", "shares": {"bank": 2000, "guarantor": 8000}},
 *      {"name": "4321", "shares": {"guarantor": 4000, "reguarantor": 3000,
 *                                  "bank": 2000, "government": 1000}},
 *      {"name": "bank_only", "shares": {"bank": 10000}}],
 *    "default_trigger": {"dpd": 90, "write_off": true}}
 */
#ifndef PUHUI_RISKSHARE_H
#define PUHUI_RISKSHARE_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/common.h"
#include "puhui/money.h"
#include "puhui/rate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Who bears a part of a loss. The pool is never named by a scheme: its part
 * is taken out of the bank's part (pool_bp of ph_share_loss). */
typedef enum ph_share_party {
    PH_PARTY_BANK = 0,    /* "bank": the lender */
    PH_PARTY_GUARANTOR,   /* "guarantor": government financing guarantor 政府性融资担保 */
    PH_PARTY_REGUARANTOR, /* "reguarantor": provincial re-guarantor 再担保 */
    PH_PARTY_GOVERNMENT,  /* "government": the local government's share */
    PH_PARTY_POOL,        /* "pool": a risk-compensation pool 风险补偿资金池 */
    PH_PARTY_COUNT
} ph_share_party;

/* One loss (or recovery) by party; the parts sum exactly to the amount split. */
typedef struct ph_share_split {
    ph_money part[PH_PARTY_COUNT];
} ph_share_split;

/* Shares are basis points of the loss: a scheme's shares sum to this. */
#define PH_SHARE_BP_ONE 10000

/* The longest scheme name, in bytes (without the NUL). */
#define PH_SHARE_NAME_MAX 63

/* At most this many schemes in one document. */
#define PH_SHARE_MAX_SCHEMES 256

typedef struct ph_share_scheme ph_share_scheme;
typedef struct ph_share_schemes ph_share_schemes;

/* "bank", "guarantor", "reguarantor", "government", "pool"; "unknown" for a
 * value outside the enum. Never NULL; the string is static. */
PH_EXTERN const char *ph_share_party_name(ph_share_party party);

/* The party named by s[0..len) (the names above). PH_EINVAL (field "party",
 * the value, the expected names) for anything else; PH_EMISUSE for NULL s or
 * out. *out is written only on success. */
PH_EXTERN ph_status ph_share_party_parse(const char *s, size_t len, ph_share_party *out,
                                         ph_error *err);

/* ---- schemes --------------------------------------------------------------------- */

/*
 * The built-in schemes (the document above): bank_guarantor_2_8, 4321 and
 * bank_only; default at 90 days past due or at write-off. The caller owns
 * *out (ph_share_schemes_free). Errors: PH_EMISUSE for NULL ctx or out,
 * PH_ENOMEM. Cost: three small allocations.
 */
PH_EXTERN ph_status ph_share_schemes_default(const ph_ctx *ctx, ph_share_schemes **out,
                                             ph_error *err);

/*
 * Load schemes from a JSON file shaped as the document above. Rules checked:
 * the top level an object with "schemes" (required) and "default_trigger"
 * (optional; absent = {"dpd": 90, "write_off": true}) and nothing else;
 * "schemes" a non-empty array of at most PH_SHARE_MAX_SCHEMES objects, each
 * with exactly "name" (a non-empty string of at most PH_SHARE_NAME_MAX bytes,
 * unique in the document) and "shares" (an object whose members are parties
 * — bank, guarantor, reguarantor, government; not pool — each an integer
 * number of basis points in [0, 10000], together exactly 10000);
 * "default_trigger" an object with "dpd" (an integer in [1, 3650]; absent:
 * days past due never trigger) and "write_off" (a boolean, absent = true),
 * at least one of which triggers.
 *
 * Every error names the file, the line and column (of the JSON syntax error,
 * or of the offending member or array element), the member's path
 * ("schemes[1].shares.bank"), the value, and what was expected:
 *
 *   share.json:7:34: field schemes[1].shares.bank, value '2500': expected
 *   shares that sum to 10000 bp (100%), found 10500 bp
 *
 * PH_EINVAL for a syntax error, a bad value or type, or an unknown member
 * (the expected ones listed); PH_ENOTFOUND for a missing required member;
 * PH_EIO when the file cannot be read; PH_ENOMEM; PH_EMISUSE for NULL
 * arguments. The caller owns *out (ph_share_schemes_free); *out is written
 * only on success. Cost: one parse of the file, O(size) time and memory.
 */
PH_EXTERN ph_status ph_share_schemes_load_file(const ph_ctx *ctx, const char *path,
                                               ph_share_schemes **out, ph_error *err);

/* As ph_share_schemes_load_file, from text[0..len); `source` names the
 * text in errors (NULL: "risk-sharing schemes"). */
PH_EXTERN ph_status ph_share_schemes_load_text(const ph_ctx *ctx, const char *text, size_t len,
                                               const char *source, ph_share_schemes **out,
                                               ph_error *err);

/* The scheme called `name` (exact bytes), owned by `schemes`; NULL when
 * there is none or an argument is NULL. O(number of schemes). */
PH_EXTERN const ph_share_scheme *ph_share_schemes_find(const ph_share_schemes *schemes,
                                                       const char *name);

/* How many schemes, and the i-th in document order (NULL past the end):
 * for listing them in reports. */
PH_EXTERN size_t ph_share_schemes_count(const ph_share_schemes *schemes);
PH_EXTERN const ph_share_scheme *ph_share_schemes_at(const ph_share_schemes *schemes, size_t i);

/* The default trigger: the days past due at which a loan's loss is shared
 * (0 = days past due never trigger), and whether a write-off triggers. */
PH_EXTERN int32_t ph_share_schemes_default_dpd(const ph_share_schemes *schemes);
PH_EXTERN int ph_share_schemes_default_on_write_off(const ph_share_schemes *schemes);

/* Whether a loan at `dpd` days past due, written off or not, is in default
 * by the trigger: dpd >= default_dpd (when that is set), or written_off
 * (when write-offs trigger). 0 for NULL schemes. */
PH_EXTERN int ph_share_is_default(const ph_share_schemes *schemes, int32_t dpd, int written_off);

/* Free the schemes (and every scheme pointer found in them); NULL is fine. */
PH_EXTERN void ph_share_schemes_free(ph_share_schemes *schemes);

/* A scheme's name (owned by its schemes) and its share of `party` in basis
 * points (0 for the pool, for a party it does not name, or a NULL scheme). */
PH_EXTERN const char *ph_share_scheme_name(const ph_share_scheme *scheme);
PH_EXTERN int32_t ph_share_scheme_bp(const ph_share_scheme *scheme, ph_share_party party);

/* ---- splitting a loss and a recovery --------------------------------------------- */

/*
 * Split `loss` (fen, >= 0) by the scheme, then let a risk-compensation pool
 * pay `pool_bp` (0..10000) of the bank's part, as long as its money lasts.
 *
 * Rounding (docs/loans.md, "Risk sharing"):
 *   1. every party but the bank gets floor(loss * share / 10000);
 *   2. the bank gets the rest, so the parts sum exactly to `loss` (the bank
 *      thus bears at most 3 fen more than its exact share); a scheme without
 *      a bank share gives the rest to its party with the largest share (the
 *      first in enum order among equals);
 *   3. the pool pays min(floor(bank part * pool_bp / 10000), *pool_balance),
 *      taken from the bank's part; *pool_balance is decreased by it.
 * A pool with nothing left pays 0; a pool that runs out mid-loss pays what it
 * has. pool_balance may be NULL when pool_bp is 0 (no pool).
 *
 * Errors: PH_EMISUSE for a NULL scheme or out, or a NULL pool_balance with
 * pool_bp > 0; PH_EINVAL (fields "loss", "pool_bp", "pool_balance") for a
 * negative loss, pool_bp outside [0, 10000] or a negative pool balance.
 * *out and *pool_balance are written only on success. O(1), no allocation.
 */
PH_EXTERN ph_status ph_share_loss(const ph_share_scheme *scheme, ph_money loss, int32_t pool_bp,
                                  ph_money *pool_balance, ph_share_split *out, ph_error *err);

/*
 * The parts of one recovery (fen, > 0) on a loss split as `loss_split`, after
 * `recovered_so_far` fen (>= 0) were recovered on it before. Every recovery
 * flows back in the loss's own proportions, and the split depends only on
 * the running total: what each party has got back after any sequence of
 * recoveries summing to R is the same as after one recovery of R, never
 * decreases as R grows, never exceeds what the party paid, and equals it
 * when the whole loss is recovered.
 *
 * Rule (exact; docs/loans.md, "Risk sharing"): the running total R is shared
 * party by party in the order guarantor, reguarantor, government, pool, bank:
 * each party p gets floor(R_p * paid_p / L_p), where R_p is what is left of R
 * after the parties before it and L_p what is left of the loss; the bank, last,
 * gets the rest. This recovery's part is the difference between the running
 * total's shares after it and before it.
 *
 * Errors: PH_EMISUSE for NULL loss_split or out; PH_EINVAL for a negative
 * part or a loss that sums to 0 or overflows (field "loss_split"), a
 * negative recovered_so_far (field "recovered_so_far"), a recovery <= 0 or
 * one that would bring the total recovered above the loss (field
 * "recovery": the surplus is not shared, it is the firm's). *out is written
 * only on success. O(1), no allocation.
 */
PH_EXTERN ph_status ph_share_recovery(const ph_share_split *loss_split, ph_money recovered_so_far,
                                      ph_money recovery, ph_share_split *out, ph_error *err);

/* Sum of a split's parts into *out. PH_ERANGE on overflow; PH_EMISUSE for
 * NULL arguments. */
PH_EXTERN ph_status ph_share_split_total(const ph_share_split *split, ph_money *out,
                                         ph_error *err);

/* ---- pools ---------------------------------------------------------------------- */

/* Which loans a risk-compensation pool covers (docs/formats/risk_pools.md,
 * column `eligible`). */
typedef enum ph_share_pool_eligible {
    PH_POOL_ALL = 0,       /* "all": every loan */
    PH_POOL_FIRST_LOAN,    /* "first_loan": a firm's first loan 首贷 */
    PH_POOL_IP_LOAN,       /* "ip_loan": loans against intellectual property 知识产权质押 */
    PH_POOL_AGRICULTURE,   /* "agriculture": agricultural loans */
    PH_POOL_ELIGIBLE_COUNT
} ph_share_pool_eligible;

/* "all", "first_loan", "ip_loan", "agriculture"; "unknown" outside the enum. */
PH_EXTERN const char *ph_share_pool_eligible_name(ph_share_pool_eligible e);

/* The eligibility named by s[0..len). PH_EINVAL (field "eligible", the value,
 * the expected names) for anything else; PH_EMISUSE for NULL s or out. */
PH_EXTERN ph_status ph_share_pool_eligible_parse(const char *s, size_t len,
                                                 ph_share_pool_eligible *out, ph_error *err);

/* Whether a pool of eligibility `e` covers a loan that is (nonzero) or is
 * not the firm's first loan, pledged on intellectual property, agricultural.
 * 0 for a value outside the enum. O(1). */
PH_EXTERN int ph_share_pool_covers(ph_share_pool_eligible e, int first_loan, int ip_loan,
                                   int agriculture);

/* ---- a guarantor's figures --------------------------------------------------------- */

/*
 * Guarantee leverage (放大倍数): outstanding guaranteed / capital as a 1e-8
 * ratio (3.2x = 320000000 = 3.2 * PH_RATE_ONE), rounded half up; and
 * *within_cap = 1 when outstanding <= cap * capital, decided exactly (not on
 * the rounded ratio). `cap` is a 1e-8 ratio too (10x = 10 * PH_RATE_ONE).
 * Either output may be NULL.
 *
 * Errors: PH_EINVAL for a negative outstanding (field "outstanding"), a
 * capital <= 0 (field "capital") or a negative cap (field "cap"); PH_ERANGE
 * when the ratio does not fit a ph_rate. Outputs are written only on
 * success. O(1).
 */
PH_EXTERN ph_status ph_share_leverage(ph_money outstanding, ph_money capital, ph_rate cap,
                                      ph_rate *leverage, int *within_cap, ph_error *err);

/*
 * Compensation rate (代偿率): compensated / guaranteed that matured, as a
 * 1e-8 ratio (2% = 2000000), rounded half up; 0 when nothing matured and
 * nothing was compensated.
 *
 * Errors: PH_EINVAL for a negative amount (fields "compensated",
 * "matured"), or compensation with nothing matured (field "matured");
 * PH_ERANGE when the ratio does not fit; PH_EMISUSE for NULL rate. *rate is
 * written only on success. O(1).
 */
PH_EXTERN ph_status ph_share_compensation_rate(ph_money compensated, ph_money matured,
                                               ph_rate *rate, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_RISKSHARE_H */
