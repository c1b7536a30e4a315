/*
 * A minimal loader of `puhui gen` output into the feed tables, for tests and
 * benchmarks of modules that read the tables (the feature store) without
 * depending on the ingestion module: every stored feed's CSV is read with the
 * catalogue's column order, converted by the schema's rules (money to fen,
 * empty to NULL) and inserted with known_on = the row's time column (a
 * month: its last day) + the feed's lag, or `snapshot` for feeds without one.
 * No validation beyond the conversions: use it on generated, clean data.
 */
#ifndef PH_FEED_LOAD_H
#define PH_FEED_LOAD_H

#include "puhui/puhui.h"

/* Load the CSV files of DIR/feeds and DIR/reference into `store` (migrated).
 * `rows` (may be NULL) receives the number of rows inserted. */
ph_status ph_test_load_feeds(ph_store *store, const char *dir, ph_date snapshot,
                             uint64_t *rows, ph_error *err);

#endif
