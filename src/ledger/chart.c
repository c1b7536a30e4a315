/*
 * The chart of accounts as data: one row per account. Add an account here,
 * with its kind, normal side and whether it is kept per loan; nothing else
 * in the ledger names an account. The codes follow the Chinese banks'
 * numbering (1 assets, 2 liabilities, 3 equity, 6 income and expense).
 */
#include <string.h>

#include "ledger/ledger_internal.h"

#define D PH_SIDE_DEBIT
#define C PH_SIDE_CREDIT

/* In code order (ph_ledger_chart promises it; the tests check it). */
static const ph_ledger_account CHART[] = {
    {"1001", "cash", PH_ACCOUNT_ASSET, D, 0, ""},
    {"1221", "guarantor_receivable", PH_ACCOUNT_ASSET, D, 0, "guarantor"},
    {"1222", "pool_receivable", PH_ACCOUNT_ASSET, D, 0, "pool"},
    {"1223", "government_receivable", PH_ACCOUNT_ASSET, D, 0, "government"},
    {"1224", "subsidy_receivable", PH_ACCOUNT_ASSET, D, 0, "programme"},
    /* a contra asset: the provision held against the loans, credit-normal */
    {"1231", "loan_loss_provision", PH_ACCOUNT_ASSET, C, 1, ""},
    {"1301", "loan_principal", PH_ACCOUNT_ASSET, D, 1, ""},
    {"1302", "loan_principal_overdue", PH_ACCOUNT_ASSET, D, 1, ""},
    {"1311", "interest_receivable", PH_ACCOUNT_ASSET, D, 1, ""},
    {"1312", "interest_due", PH_ACCOUNT_ASSET, D, 1, ""},
    {"1313", "penalty_receivable", PH_ACCOUNT_ASSET, D, 1, ""},
    {"1314", "fee_receivable", PH_ACCOUNT_ASSET, D, 1, ""},
    {"2241", "subsidy_payable", PH_ACCOUNT_LIABILITY, C, 0, "firm"},
    {"2242", "guarantee_fee_payable", PH_ACCOUNT_LIABILITY, C, 0, "guarantor"},
    {"2901", "risk_pool_fund", PH_ACCOUNT_LIABILITY, C, 0, "pool"},
    {"3001", "equity_funding", PH_ACCOUNT_EQUITY, C, 0, ""},
    {"6011", "interest_income", PH_ACCOUNT_INCOME, C, 0, ""},
    {"6012", "penalty_income", PH_ACCOUNT_INCOME, C, 0, ""},
    {"6021", "fee_income", PH_ACCOUNT_INCOME, C, 0, ""},
    {"6701", "provision_expense", PH_ACCOUNT_EXPENSE, D, 0, ""},
    {"6702", "credit_loss", PH_ACCOUNT_EXPENSE, D, 0, ""},
};

enum { CHART_SIZE = (int)(sizeof(CHART) / sizeof(CHART[0])) };

const ph_ledger_account *ph_ledger_chart(size_t *count)
{
    if (count != NULL)
        *count = (size_t)CHART_SIZE;
    return CHART;
}

/* Binary search: the chart is in code order, and a close of business looks
 * an account up for each of its millions of lines. */
int ledger_account_index_n(const char *code, size_t len)
{
    int lo = 0, hi = CHART_SIZE - 1;
    while (code != NULL && lo <= hi) {
        int mid = (lo + hi) / 2;
        const char *c = CHART[mid].code;
        size_t clen = strlen(c);
        int cmp = memcmp(code, c, len < clen ? len : clen);
        if (cmp == 0)
            cmp = len < clen ? -1 : len > clen;
        if (cmp == 0)
            return mid;
        if (cmp < 0)
            hi = mid - 1;
        else
            lo = mid + 1;
    }
    return -1;
}

int ledger_account_index(const char *code)
{
    return code == NULL ? -1 : ledger_account_index_n(code, strlen(code));
}

const ph_ledger_account *ledger_account_at(int index)
{
    return index >= 0 && index < CHART_SIZE ? &CHART[index] : NULL;
}

const ph_ledger_account *ph_ledger_account_find(const char *code)
{
    return ledger_account_at(ledger_account_index(code));
}

const char *ph_account_kind_name(ph_account_kind kind)
{
    static const char *const NAMES[] = {"asset", "liability", "equity", "income", "expense"};
    return (unsigned)kind < sizeof(NAMES) / sizeof(NAMES[0]) ? NAMES[kind] : "?";
}
