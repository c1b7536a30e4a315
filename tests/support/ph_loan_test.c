#include "ph_loan_test.h"

#include <stdio.h>
#include <stdlib.h>

#include "ph_test.h"
#include "puhui/uscc.h"

enum { TEXT_STRIDE = 96 }; /* per row: uscc (19) + reference (up to 64) */

static uint64_t next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

ph_loan_import_row *ph_test_loan_rows(size_t n, uint64_t seed, ph_date on, const char *prefix,
                                      char **texts)
{
    static const char *const methods[] = {"equal_installment", "equal_principal",
                                          "interest_only", "revolving"};
    ph_loan_import_row *rows = calloc(n ? n : 1, sizeof(*rows));
    char *t = calloc(n ? n : 1, TEXT_STRIDE);
    assert_non_null(rows);
    assert_non_null(t);
    uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1;
    for (size_t i = 0; i < n; i++) {
        ph_loan_import_row *r = &rows[i];
        char *uscc = t + i * TEXT_STRIDE, *ref = uscc + 19;
        ph_error err;
        ph_assert_ok(ph_uscc_generate('9', '1', 370102, (uint64_t)(i % 50000) + 1, uscc, &err),
                     &err);
        snprintf(ref, TEXT_STRIDE - 19, "%s-%zu", prefix, i);
        r->reference = ref;
        r->uscc = uscc;
        r->lender = (next(&x) & 1) ? "BANK01" : "BANK02";
        r->product = "micro";
        r->method = methods[next(&x) % 4];
        r->amount = (ph_money)(1000000 + next(&x) % 99000000);
        r->rate = (ph_rate)(3000000 + next(&x) % 9000000);
        r->term = 3 + (int64_t)(next(&x) % 34);
        r->booked_on = on;
        if (next(&x) % 4 == 0) {
            r->guarantor = "G-370100";
            r->guarantee_fee = 1000000;
        }
        if (next(&x) % 5 == 0)
            r->subsidy_rate = r->rate / 2;
    }
    *texts = t;
    return rows;
}

void ph_test_loan_rows_free(ph_loan_import_row *rows, char *texts)
{
    free(rows);
    free(texts);
}
