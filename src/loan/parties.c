/*
 * Who shares a loan's loss (docs/loans.md#risk-sharing): the guarantor that
 * serves the firm's city (else the provincial re-guarantor), and the richest
 * risk-compensation pool the loan is eligible for. Both come from the
 * reference feeds the data hub holds (docs/formats/guarantors.md,
 * docs/formats/risk_pools.md); the loan copies them into its contract.
 */
#include "loan_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "loan_parties.h"

static ph_status copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src);
    return PH_OK;
}

ph_status loan_pick_guarantor(ph_store *store, int32_t region, char *id, size_t size,
                              char *reguarantor, size_t rsize, ph_error *err)
{
    id[0] = reguarantor[0] = '\0';
    ph_stmt *s = NULL;
    int32_t city = region / 100 * 100;
    ph_status st = ph_store_prepare(store,
                                    "SELECT guarantor_id, type, region FROM feed_guarantors "
                                    "ORDER BY guarantor_id",
                                    &s, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        const char *gid = ph_stmt_column_text(s, 0);
        const char *type = ph_stmt_column_text(s, 1);
        int64_t where = ph_stmt_column_int64(s, 2);
        if (strcmp(type, "re_guarantor") == 0 && reguarantor[0] == '\0')
            copy(reguarantor, rsize, gid);
        else if (where == city && id[0] == '\0')
            copy(id, size, gid);
    }
    ph_stmt_free(s);
    if (st == PH_DONE)
        st = PH_OK;
    if (st == PH_OK && id[0] == '\0')
        copy(id, size, reguarantor);
    return st;
}

ph_status loan_pick_pool(ph_store *store, int32_t region, const char *industry, int first_loan,
                         char *id, size_t size, int32_t *bp, ph_money *capital, ph_error *err)
{
    id[0] = '\0';
    *bp = 0;
    *capital = 0;
    ph_stmt *s = NULL;
    int32_t city = region / 100 * 100, province = region / 10000 * 10000;
    ph_status st = ph_store_prepare(store,
                                    "SELECT pool_id, sponsor, capital_fen, compensation_rate, "
                                    "eligible FROM feed_risk_pools ORDER BY pool_id",
                                    &s, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        int64_t sponsor = ph_stmt_column_int64(s, 1);
        const char *eligible = ph_stmt_column_text(s, 4);
        int where = sponsor == province || sponsor == city || sponsor == region;
        int fits = strcmp(eligible, "all") == 0 ||
                   (strcmp(eligible, "first_loan") == 0 && first_loan) ||
                   (strcmp(eligible, "agriculture") == 0 && strcmp(industry, "A") == 0);
        /* A share of the bank's loss in basis points: a parameter read from
         * the reference data (4 decimals), never a balance. */
        int32_t share = (int32_t)llround(ph_stmt_column_double(s, 3) * 10000.0);
        if (where && fits && share > *bp && share <= 10000) {
            *bp = share;
            *capital = ph_stmt_column_int64(s, 2);
            copy(id, size, ph_stmt_column_text(s, 0));
        }
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

ph_status loan_pool_seed(ph_store *store, const char *pool, ph_money capital, ph_date on,
                         ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store, "SELECT 1 FROM risk_pool WHERE pool = ?", &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, pool, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    ph_stmt_free(s);
    if (st != PH_DONE)
        return st; /* PH_OK: seeded already */
    int64_t entry = 0;
    st = PH_OK;
    if (capital > 0) {
        ph_ledger_line l[2] = {
            {ACC_CASH, 0, "", pool, capital, 0},
            {ACC_POOL_FUND, 0, "", pool, 0, capital},
        };
        char memo[96];
        snprintf(memo, sizeof(memo), "risk-compensation pool %s: its capital", pool);
        st = ph_ledger_post(store, on, "pool", memo, l, 2, &entry, err);
    }
    char day[16];
    if (st == PH_OK)
        st = ph_date_format(on, day, sizeof(day), err);
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "INSERT INTO risk_pool (pool, capital_fen, seeded_on, entry_id) "
                              "VALUES (?, ?, ?, ?)",
                              &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, pool, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 2, capital, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 3, day, -1, err);
    if (st == PH_OK)
        st = entry ? ph_stmt_bind_int64(s, 4, entry, err) : ph_stmt_bind_null(s, 4, err);
    if (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_DONE)
        st = PH_OK;
    ph_stmt_free(s);
    return st;
}
