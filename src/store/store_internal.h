/*
 * Helpers shared by the files of the store module (store.c, migrate.c).
 * Not part of the public contract.
 */
#ifndef PH_STORE_INTERNAL_H
#define PH_STORE_INTERNAL_H

#include "puhui/store.h"

#include <stddef.h>

/*
 * Guard the open transaction for the store's own use (migrations): while
 * guarded, ph_store_begin, ph_store_commit and ph_store_rollback are
 * PH_EMISUSE and SQL transaction control (BEGIN, COMMIT, ROLLBACK) is
 * refused. Lift the guard before committing or rolling back.
 */
void store_guard_transaction(ph_store *store, int on);

/* Does a user table of this name exist? *exists is 1 or 0. */
ph_status store_has_table(ph_store *store, const char *table, int *exists, ph_error *err);

/*
 * A test hook: called with the SQL text before every ph_store_prepare on
 * this store, so a test can interleave another connection's commit at an
 * exact point of a multi-statement read (tests/test_market_snapshot.c). The
 * hook must not use this store. NULL removes it.
 */
typedef void (*store_prepare_hook)(void *user, const char *sql);
void store_set_prepare_hook(ph_store *store, store_prepare_hook hook, void *user);

/* How many idle prepared statements the store's connection keeps for reuse
 * (the SQLite backend's statement cache), so tests can see hits, misses and
 * eviction. */
size_t store_cached_statements(const ph_store *store);

#endif /* PH_STORE_INTERNAL_H */
