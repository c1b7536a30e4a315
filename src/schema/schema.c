/*
 * The platform's schema as data: a list of migrations, in order.
 *
 * To change the schema, append a migration with the next version; never
 * edit one that has been released, because databases in the field already
 * carry it. SQL is kept to what both SQLite and PostgreSQL accept.
 */
#include "puhui/schema.h"

/* Version 1. Enumerations are CHECK lists so that a bad code is refused by
 * the database itself, whichever program writes the row. */
static const char CORE_REGISTRY_SQL[] =
    "CREATE TABLE meta ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ");"
    "CREATE TABLE institution ("
    "  id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ("
    "    'state_bank', 'commercial_bank', 'rural_bank', 'village_bank', 'micro_lender',"
    "    'digital_bank', 'guarantor', 'government', 'core_enterprise', 'regulator'))"
    ");"
    /* uscc: the unified social credit code (GB 32100-2015), 18 characters;
     * division_code: GB/T 4754 industry division; industry_section: its
     * letter section; registered_on: ISO 8601 date. */
    "CREATE TABLE enterprise ("
    "  uscc TEXT PRIMARY KEY CHECK (length(uscc) = 18),"
    "  name TEXT NOT NULL,"
    "  division_code INTEGER NOT NULL,"
    "  industry_section TEXT NOT NULL,"
    "  size_class TEXT CHECK (size_class IN ('micro', 'small', 'medium', 'large')),"
    "  registered_on TEXT,"
    "  status TEXT NOT NULL DEFAULT 'active'"
    "    CHECK (status IN ('active', 'abnormal', 'deregistered', 'revoked'))"
    ");";

/* Append new versions here: {N, "name", SQL, apply-or-NULL}. */
static const ph_migration SCHEMA_MIGRATIONS[] = {
    {1, "core registry", CORE_REGISTRY_SQL, NULL},
};

#define SCHEMA_MIGRATION_COUNT (sizeof(SCHEMA_MIGRATIONS) / sizeof(SCHEMA_MIGRATIONS[0]))

int ph_schema_latest(void)
{
    return (int)SCHEMA_MIGRATION_COUNT;
}

ph_status ph_schema_migrate(ph_store *store, int target, int *applied, ph_error *err)
{
    return ph_store_migrate(store, SCHEMA_MIGRATIONS, SCHEMA_MIGRATION_COUNT, target, applied,
                            err);
}
