/*
 * Helpers for the ingestion tests (a fresh database is ph_test_open_db): a
 * run over some paths, and a text dump of the tables ingestion fills (to prove two
 * databases hold the same data).
 */
#ifndef PH_INGEST_TEST_H
#define PH_INGEST_TEST_H

#include "ph_test.h"

/* One registered firm and the two headers most ingestion tests write: the
 * registration and VAT feeds' columns in the catalogue's order
 * (docs/formats/). */
#define FIRM_A "91370281FKAW4U0T0X"
#define REG_HEADER                                                                           \
    "uscc,name,entity_type,region_code,industry_code,registered_on,registered_capital,"      \
    "owner_gender,owner_birth_year,employees,annual_revenue,total_assets,size_class,"         \
    "taxpayer_type,status,status_date\n"
#define REG_A_TAIL                                                                           \
    ",company,370281,A03,2019-02-12,100000.00,M,1989,1,218200.00,232100.00,micro,"          \
    "small_scale,active,\n"
#define REG_A FIRM_A ",青岛开顺牧业有限公司" REG_A_TAIL
#define VAT_HEADER                                                                           \
    "uscc,month,sales_amount,sales_invoices,purchase_amount,purchase_invoices,distinct_buyers," \
    "top_buyer_share\n"

/* Ingest `count` paths with known_on and threads (batch_rows 0: default);
 * returns the status, and the run (freed by the caller) through *out
 * when out is not NULL. */
ph_status ph_ingest_test_run(ph_store *store, const char *const *paths, size_t count,
                             const char *known_on, int threads, size_t batch_rows,
                             ph_ingest **out, ph_error *err);

/* Every row of the tables that ingestion fills (feed tables, their
 * histories, enterprise, institution, quarantine), one line per row in key
 * order, columns separated by '|'; `skip_column` (may be NULL) is left out
 * (e.g. "file_id" to compare loads made in a different order). Caller frees. */
char *ph_ingest_test_dump(ph_store *store, const char *skip_column);

/* dir/sub/vat_invoices.csv with `rows` months of FIRM_A from 1950-01 on;
 * the last `bad` of them have a malformed sales_amount (column 3), and
 * sales_amount is `amount` otherwise. Caller frees the path. */
char *ph_ingest_test_vat_file(const char *dir, const char *sub, int rows, int bad,
                              const char *amount);

/* The first column of the first row of `sql`, as text ("" for NULL);
 * caller frees. */
char *ph_ingest_test_text(ph_store *store, const char *sql);

#endif
