/*
 * puhui — the platform's database schema.
 *
 * The schema is a list of migrations (see ph_store_migrate in store.h);
 * version N of the schema is the database after migrations 1..N. Each new
 * release appends migrations and never edits the ones already shipped, so
 * that any older database can be brought up to date in place.
 *
 * Version 1, "core registry":
 *   meta(key, value)            settings and facts about this database
 *   institution(id, name, kind) lenders, guarantors, government bodies...
 *   enterprise(uscc, ...)       small and micro enterprises, by their
 *                               18-character unified social credit code
 */
#ifndef PUHUI_SCHEMA_H
#define PUHUI_SCHEMA_H

#include "puhui/common.h"
#include "puhui/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The schema version this library creates and understands. */
PH_EXTERN int ph_schema_latest(void);

/*
 * Bring the store's schema up to `target` (-1: ph_schema_latest()), one
 * migration per transaction. `applied` (may be NULL) receives how many
 * migrations ran; 0 when the database was up to date.
 * Errors: PH_ESCHEMA when the database is newer than this library (upgrade
 * puhui); PH_ERANGE for a target outside -1..ph_schema_latest(); a failed
 * migration's own error, naming the migration, with the database left at the
 * previous version; PH_EMISUSE for a NULL store or an open transaction.
 */
PH_EXTERN ph_status ph_schema_migrate(ph_store *store, int target, int *applied, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_SCHEMA_H */
