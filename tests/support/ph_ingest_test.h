/*
 * Helpers for the ingestion tests (a fresh database is ph_test_open_db): a
 * run over some paths, and a text dump of the tables ingestion fills (to prove two
 * databases hold the same data).
 */
#ifndef PH_INGEST_TEST_H
#define PH_INGEST_TEST_H

#include "ph_test.h"

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

/* The first column of the first row of `sql`, as text ("" for NULL);
 * caller frees. */
char *ph_ingest_test_text(ph_store *store, const char *sql);

#endif
