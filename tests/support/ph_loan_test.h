/* A mixed book of loans for the loan tests (ph_loan_import rows). */
#ifndef PH_LOAN_TEST_H
#define PH_LOAN_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/loan.h"

/* Rows for a book of n loans booked on `on`, reproducible from `seed`:
 * mixed methods (equal instalment, equal principal, interest only,
 * revolving), amounts 10,000 to 1,000,000 yuan, rates 3% to 12%, terms
 * 3 to 36 months, one in four guaranteed (with a fee), one in five
 * subsidised. Texts live in *texts (free both with ph_test_loan_rows_free).
 * References are "<prefix>-<i>". Fails the test on error. */
ph_loan_import_row *ph_test_loan_rows(size_t n, uint64_t seed, ph_date on, const char *prefix,
                                      char **texts);
void ph_test_loan_rows_free(ph_loan_import_row *rows, char *texts);

#endif
