/* Internal to the schema module: the migration steps defined outside schema.c. */
#ifndef PUHUI_SCHEMA_INTERNAL_H
#define PUHUI_SCHEMA_INTERNAL_H

#include "puhui/store.h"

/* Migration 3's data step: create every feed table from the catalog. */
ph_status schema_create_feed_tables(ph_store *store, ph_error *err);

#endif
