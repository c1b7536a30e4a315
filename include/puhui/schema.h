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
 *
 * Version 2, "reference data": industry_section, region (from src/ident).
 *
 * Version 3, "data hub feeds": one pair of tables per stored feed (below),
 * and the ingestion record:
 *   ingest_run(id, started_at, finished_at, known_on, command)
 *   ingest_file(id, run_id, feed, path, format, checksum, state, counts...)
 *   quarantine(id, file_id, feed, path, line, field, value, reason, detail, raw)
 *
 * Version 4, "consent and access log":
 *   consent(id, uscc, institution_id, purpose, sources, raw_access,
 *           granted_on, expires_on, revoked_at, ...)
 *   access_log(seq, at, institution_id, uscc, purpose, outcome, what,
 *              sources, raw, consents, reason, prev_hash, hash)
 *     append-only (triggers refuse UPDATE and DELETE) and hash-chained
 *     (access.h, docs/consent.md).
 *
 * Version 5, "feature store":
 *   feature_peer(asof, peer_group, feature, median, n)  peer-group medians
 *     (see features.h), and uscc indexes on the history tables of feeds
 *     whose key does not start with the firm's code.
 *
 * Version 6, "model registry" (registry.h):
 *   model_registry(id, name, version, kind, checksum, size, model BLOB, file,
 *                  features, training, metrics, state, registered_at)
 *     one row per registered model version; only `state` can change, along
 *     draft -> approved | rejected and approved -> retired (triggers), and
 *     rows are never deleted;
 *   model_event(seq, model_id, at, from_state, to_state, actor, note)
 *     every state transition; append-only (triggers).
 *
 * Version 10, "access log v2" (access.h, docs/consent.md):
 *   access_log gains data_on (the date the data was read as of) and
 *     hash_version (1 for older entries, 2 for new ones, which hash data_on);
 *   access_checkpoint(id, size, head, signed_at, key_id, note)
 *     the log's head signed with the platform's key; append-only (triggers).
 *
 * Version 11, "general ledger" (ledger.h, docs/ledger.md):
 *   journal_entry(id, value_date, event, memo, reverses, line_count,
 *                 first_sub, sub_count, prev_hash, hash)  hash-chained;
 *   journal_line(entry_id, line_no, account, product, party, debit, credit);
 *   ledger_subledger(id, entry_id, loan_id, account, debit, credit);
 *     all three append-only (triggers).
 *
 * Version 14, "early-warning feeds": the tables of the feeds added to the
 *   catalog for post-loan early warning (issue 19), feed_logistics_gps and
 *   feed_public_opinion with their history tables, and a uscc index on both
 *   logistics_gps tables (its key starts with the trip).
 *
 * Version 15, "early warning" (monitor.h, docs/watch.md):
 *   warning_rules(id, name, version, checksum, size, text, file, loaded_at,
 *                 active)  rule sets by version, exact bytes; only `active`
 *     changes, at most one is active, never deleted;
 *   warning_run(id, rule_set_id, mode, from_day, to_day, started_at,
 *               finished_at, events, hits, checkpoint, cursor_file_id);
 *   warning_alert(id, run_id, day, uscc, institution_id, loan_id,
 *                 rule_set_id, rule, level, action, evidence, state,
 *                 created_at, updated_at)  only state moves, by the legal
 *     transitions (triggers), never deleted;
 *   warning_alert_event(id, alert_id, at, event, by_whom, reason, loan_id)
 *     append-only (triggers);
 *   warning_level(id, run_id, day, uscc, level, previous, rule, evidence)
 *     every colour change of a watched firm, append-only (triggers).
 *
 * Version 16, "warehouse feeds": the tables of the feeds added to the
 *   catalog for warehouse-receipt finance (issue 20): feed_warehouse_lots
 *   (key warehouse_id, lot; an owner_uscc index), feed_warehouse_iot (key
 *   warehouse_id, lot, date) and feed_commodity_prices (key commodity, date;
 *   price_per_kg_fen), each with its history table.
 *
 * Feed tables. Every feed of the catalog's feeds/ and reference/ areas is
 * stored in feed_<name> (the current version of each row; primary key = the
 * feed's natural key; WITHOUT ROWID) and feed_<name>_history (the versions
 * that corrections superseded, with superseded_on and superseded_by = the
 * ingest_file that superseded them). Columns are the catalog's, in its
 * order, typed by ph_schema_feed_sql_type: money as INTEGER fen in a column
 * named <name>_fen; int, region and division INTEGER; share and decimal
 * REAL; everything else (dates 'YYYY-MM-DD', months 'YYYY-MM') TEXT; an
 * empty field is NULL. Then four columns of provenance:
 *   known_on   'YYYY-MM-DD': the first day the platform could know the row
 *              (point in time: features as of D read only rows known_on <= D)
 *   file_id    the ingest_file the row came from
 *   line       its physical line in that file (1-based; the header is line 1)
 *   row_hash   a 64-bit hash of the row's fields, to tell a correction from
 *              a repeat
 */
#ifndef PUHUI_SCHEMA_H
#define PUHUI_SCHEMA_H

#include "puhui/common.h"
#include "puhui/date.h"
#include "puhui/feed.h"
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

/*
 * The definition ("CREATE TRIGGER ...") with which the migrations create
 * the trigger `name`, exactly as they ran it, so that a module can check
 * that a database still holds its protection unchanged (`audit verify`
 * checks the access log's append-only triggers). NULL for a trigger the
 * migrations do not create, or a NULL name. Static storage; no cost.
 */
PH_EXTERN const char *ph_schema_trigger_definition(const char *name);

/* 1 when `feed` is stored in the database (feeds/ and reference/ areas),
 * 0 for truth files and NULL. */
PH_EXTERN int ph_schema_feed_stored(const ph_feed *feed);

/* The schema version whose migration creates the tables of a stored feed:
 * 3 for the feeds the catalog had then, a later one for a feed added since
 * (14 for logistics_gps and public_opinion, 16 for warehouse_lots,
 * warehouse_iot and commodity_prices); 0 for a feed that is not
 * stored, or NULL. Ingestion requires it before it reads the feed's file. */
PH_EXTERN int ph_schema_feed_version(const ph_feed *feed);

/* The table of a stored feed: "feed_vat_invoices", or with `history` set
 * "feed_vat_invoices_history". Errors: PH_EINVAL for a feed that is not
 * stored; PH_EMISUSE for NULL arguments or a buffer too small. */
PH_EXTERN ph_status ph_schema_feed_table(const ph_feed *feed, int history, char *buf,
                                         size_t size, ph_error *err);

/* The SQL column of a catalog column: its name, with "_fen" appended for
 * money. Errors: PH_EMISUSE for NULL arguments or a buffer too small. */
PH_EXTERN ph_status ph_schema_feed_column(const ph_feed_column *col, char *buf, size_t size,
                                          ph_error *err);

/* How a field type is stored: the one rule the feed tables' DDL, ingest's
 * conversion of a field and the read back as the feed's text all follow.
 * Money is an INTEGER of fen. */
typedef enum ph_feed_storage {
    PH_STORAGE_INTEGER, /* int, money (fen), region, division */
    PH_STORAGE_REAL,    /* share, decimal */
    PH_STORAGE_TEXT     /* everything else: USCC, text, id, date, month, enum, industry */
} ph_feed_storage;

/* The storage of a field type. Inline: ingest asks it for every field it
 * converts. */
static inline ph_feed_storage ph_schema_feed_storage(ph_field_type type)
{
    switch (type) {
    case PH_FIELD_INT:
    case PH_FIELD_MONEY:
    case PH_FIELD_REGION:
    case PH_FIELD_DIVISION:
        return PH_STORAGE_INTEGER;
    case PH_FIELD_SHARE:
    case PH_FIELD_DECIMAL:
        return PH_STORAGE_REAL;
    case PH_FIELD_USCC:
    case PH_FIELD_TEXT:
    case PH_FIELD_ID:
    case PH_FIELD_DATE:
    case PH_FIELD_MONTH:
    case PH_FIELD_ENUM:
    case PH_FIELD_INDUSTRY:
        break;
    }
    return PH_STORAGE_TEXT;
}

/* "INTEGER", "REAL" or "TEXT": the SQL type of ph_schema_feed_storage. */
PH_EXTERN const char *ph_schema_feed_sql_type(ph_field_type type);

/*
 * The point-in-time rule of every feed table, written once: a row version
 * is what the platform knew on day D when from <= D < until, where from is
 * its known_on and until its superseded_on (a current row, never
 * superseded, holds from known_on on: until is INT32_MAX). Readers of one
 * firm test a day with ph_schema_version_holds; bulk readers turn the span
 * into a range of as-of dates.
 */
typedef struct ph_version_span {
    ph_date from;  /* first day it holds: known_on */
    ph_date until; /* first day it no longer holds: superseded_on, or INT32_MAX */
} ph_version_span;

/* The span of a version known on `known_on`; `superseded` is 0 for a
 * current row (superseded_on is then ignored). Inline: the bulk reader
 * calls it for every row it reads. */
static inline ph_version_span ph_schema_version_span(ph_date known_on, int superseded,
                                                     ph_date superseded_on)
{
    ph_version_span span = {known_on, superseded ? superseded_on : INT32_MAX};
    return span;
}

/* 1 when the span holds on `day`, else 0. */
static inline int ph_schema_version_holds(ph_version_span span, ph_date day)
{
    return span.from <= day && day < span.until;
}

/* The DDL of every feed table, as migrations 3 and 14 run it, feed by feed
 * in catalog order (for documentation and tests; migration 5's indexes on
 * the history tables of migration 3's feeds are not in it). *out is
 * allocated with ctx; free it with ph_free. */
PH_EXTERN ph_status ph_schema_feed_ddl(const ph_ctx *ctx, char **out, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_SCHEMA_H */
