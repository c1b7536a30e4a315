/* Internal to the schema module: the migration steps defined outside schema.c. */
#ifndef PUHUI_SCHEMA_INTERNAL_H
#define PUHUI_SCHEMA_INTERNAL_H

#include "puhui/store.h"

/* Migration 3's data step: create the tables of every feed the catalog had
 * then (ph_schema_feed_version 3). */
ph_status schema_create_feed_tables(ph_store *store, ph_error *err);

/* Migration 14's: the tables of the early-warning feeds (logistics_gps,
 * public_opinion; ph_schema_feed_version 14). */
ph_status schema_create_early_warning_feed_tables(ph_store *store, ph_error *err);

/* Migration 16's: the tables of the warehouse feeds (warehouse_lots,
 * warehouse_iot, commodity_prices; ph_schema_feed_version 16). */
ph_status schema_create_warehouse_feed_tables(ph_store *store, ph_error *err);

#endif
