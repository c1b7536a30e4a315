/*
 * The platform's schema as data: a list of migrations, in order.
 *
 * To change the schema, append a migration with the next version; never
 * edit one that has been released, because databases in the field already
 * carry it. SQL is kept to what both SQLite and PostgreSQL accept.
 */
#include "puhui/schema.h"

#include "puhui/industry.h"
#include "puhui/region.h"

#include <string.h>

#include "schema/schema_triggers.h"
#include "schema/schema_internal.h"

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
     * region_code: the GB/T 2260 county-level division where it is
     * registered; industry_section: GB/T 4754 letter section and
     * industry_division its 2-digit division (NULL when unknown);
     * registered_on: ISO 8601 date. */
    "CREATE TABLE enterprise ("
    "  uscc TEXT PRIMARY KEY CHECK (length(uscc) = 18),"
    "  name TEXT NOT NULL,"
    "  region_code INTEGER NOT NULL CHECK (region_code BETWEEN 100000 AND 999999),"
    "  industry_section TEXT NOT NULL CHECK (length(industry_section) = 1),"
    "  industry_division INTEGER CHECK (industry_division BETWEEN 1 AND 97),"
    "  size_class TEXT CHECK (size_class IN ('micro', 'small', 'medium', 'large')),"
    "  registered_on TEXT,"
    "  status TEXT NOT NULL DEFAULT 'active'"
    "    CHECK (status IN ('active', 'abnormal', 'deregistered', 'revoked'))"
    ");";

/* Version 2: the reference data that reports join against, seeded from the
 * library's own tables (src/ident) so there is one source of truth. */
static const char REFERENCE_DATA_SQL[] =
    "CREATE TABLE industry_section ("
    "  letter TEXT PRIMARY KEY,"
    "  name_zh TEXT NOT NULL,"
    "  name_en TEXT NOT NULL,"
    "  first_division INTEGER NOT NULL,"
    "  last_division INTEGER NOT NULL"
    ");"
    "CREATE TABLE region ("
    "  code INTEGER PRIMARY KEY,"
    "  parent_code INTEGER REFERENCES region(code),"
    "  level TEXT NOT NULL CHECK (level IN ('province', 'city', 'county')),"
    "  kind TEXT NOT NULL,"
    "  name_zh TEXT NOT NULL,"
    "  name_en TEXT"
    ");"
    "CREATE INDEX region_parent ON region(parent_code);";

static ph_status seed_industry_sections(ph_store *store, ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store,
                                    "INSERT INTO industry_section (letter, name_zh, name_en, "
                                    "first_division, last_division) VALUES (?, ?, ?, ?, ?)",
                                    &stmt, err);
    for (size_t i = 0; st == PH_OK && i < PH_INDUSTRY_SECTION_COUNT; i++) {
        const ph_industry_section *section = ph_industry_section_at(i);
        char letter[2] = {section->letter, '\0'};
        st = ph_stmt_bind_text(stmt, 1, letter, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(stmt, 2, section->name_zh, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(stmt, 3, section->name_en, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(stmt, 4, section->first_division, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(stmt, 5, section->last_division, err);
        if (st == PH_OK)
            st = ph_stmt_step(stmt, err);
        if (st == PH_DONE)
            st = PH_OK;
    }
    ph_stmt_free(stmt);
    return st;
}

static const char *level_name(ph_div_level level)
{
    switch (level) {
    case PH_DIV_PROVINCE: return "province";
    case PH_DIV_CITY: return "city";
    case PH_DIV_COUNTY: return "county";
    case PH_DIV_INVALID: break;
    }
    return "invalid";
}

static ph_status insert_region(ph_stmt *stmt, const ph_division *d, int parent, ph_error *err)
{
    ph_status st = ph_stmt_bind_int64(stmt, 1, d->code, err);
    if (st == PH_OK)
        st = parent ? ph_stmt_bind_int64(stmt, 2, parent, err) : ph_stmt_bind_null(stmt, 2, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 3, level_name(d->level), -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 4, ph_division_kind_name(d->kind), -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 5, d->name_zh, -1, err);
    if (st == PH_OK)
        st = d->name_en ? ph_stmt_bind_text(stmt, 6, d->name_en, -1, err)
                        : ph_stmt_bind_null(stmt, 6, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    return st == PH_DONE ? PH_OK : st;
}

/* Every province, and below them every city and county the library knows. */
static ph_status seed_regions(ph_store *store, ph_stmt *stmt, int parent, ph_error *err)
{
    const ph_division *children = NULL;
    size_t count = 0;
    ph_status st = ph_division_children(parent, &children, &count, err);
    if (st == PH_ENOTFOUND) /* the library has no breakdown below this one */
        return PH_OK;
    for (size_t i = 0; st == PH_OK && i < count; i++) {
        st = insert_region(stmt, &children[i], parent, err);
        if (st == PH_OK && children[i].level != PH_DIV_COUNTY)
            st = seed_regions(store, stmt, children[i].code, err);
    }
    return st;
}

static ph_status seed_reference_data(ph_store *store, ph_error *err)
{
    ph_status st = seed_industry_sections(store, err);
    if (st != PH_OK)
        return st;
    ph_stmt *stmt = NULL;
    st = ph_store_prepare(store,
                          "INSERT INTO region (code, parent_code, level, kind, name_zh, "
                          "name_en) VALUES (?, ?, ?, ?, ?, ?)",
                          &stmt, err);
    if (st == PH_OK)
        st = seed_regions(store, stmt, 0, err);
    ph_stmt_free(stmt);
    return st;
}

/* Version 3: the data hub's ingestion record; the feed tables themselves are
 * generated from the catalog by schema_create_feed_tables (feed_tables.c).
 * ingest_run: one `puhui ingest` command; known_on is the date the run's
 * data became known (for snapshots and corrections). ingest_file: one file of
 * a run, with its outcome counts; state 'running' survives a crash, so the
 * next run can tell it was interrupted. quarantine: one refused row, with the
 * field, the value and why; `raw` is the line as read (valid UTF-8 or NULL). */
static const char DATA_HUB_SQL[] =
    "CREATE TABLE ingest_run ("
    "  id INTEGER PRIMARY KEY,"
    "  started_at TEXT NOT NULL,"
    "  finished_at TEXT,"
    "  known_on TEXT NOT NULL,"
    "  command TEXT"
    ");"
    "CREATE TABLE ingest_file ("
    "  id INTEGER PRIMARY KEY,"
    "  run_id INTEGER NOT NULL REFERENCES ingest_run(id),"
    "  feed TEXT NOT NULL,"
    "  path TEXT NOT NULL,"
    "  format TEXT NOT NULL CHECK (format IN ('csv', 'jsonl')),"
    "  checksum TEXT,"
    "  state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),"
    "  started_at TEXT NOT NULL,"
    "  finished_at TEXT,"
    "  rows_read INTEGER NOT NULL DEFAULT 0,"
    "  accepted INTEGER NOT NULL DEFAULT 0,"
    "  unchanged INTEGER NOT NULL DEFAULT 0,"
    "  superseded INTEGER NOT NULL DEFAULT 0,"
    "  rejected INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX ingest_file_run ON ingest_file(run_id);"
    "CREATE TABLE quarantine ("
    "  id INTEGER PRIMARY KEY,"
    "  file_id INTEGER NOT NULL REFERENCES ingest_file(id),"
    "  feed TEXT NOT NULL,"
    "  path TEXT NOT NULL,"
    "  line INTEGER NOT NULL,"
    "  field TEXT,"
    "  value TEXT,"
    "  reason TEXT NOT NULL,"
    "  detail TEXT NOT NULL,"
    "  raw TEXT"
    ");"
    "CREATE INDEX quarantine_file ON quarantine(file_id);"
    "CREATE INDEX quarantine_path_line ON quarantine(path, line);";

/* Version 4: consent and the access log (docs/domain.md#data-hub-and-consent, docs/consent.md). A
 * consent lets one institution read one enterprise's named sources for one
 * purpose from granted_on to expires_on (inclusive) unless revoked.
 * sources: feed names joined by ',' (an explicit list: "all" is expanded
 * when granted, so feeds added later are never covered by old consents).
 * raw_access 1: raw records may be read, not only derived features (data
 * minimisation).
 * access_log: one entry per decided read, allowed or refused (outcome);
 * sources: those allowed (for 'denied', those asked for); consents: the ids
 * relied on, joined by ','; reason: why refused. The log is append-only:
 * triggers refuse UPDATE and DELETE, and each entry's hash covers the
 * previous entry's hash (src/access/log.c), so an edit that bypasses the
 * triggers is still detected by `puhui audit verify`. */
static const char CONSENT_SQL[] =
    "CREATE TABLE consent ("
    "  id INTEGER PRIMARY KEY,"
    "  uscc TEXT NOT NULL REFERENCES enterprise(uscc),"
    "  institution_id TEXT NOT NULL REFERENCES institution(id),"
    "  purpose TEXT NOT NULL CHECK (purpose IN ('credit', 'monitoring', 'supply_chain')),"
    "  sources TEXT NOT NULL CHECK (sources <> ''),"
    "  raw_access INTEGER NOT NULL DEFAULT 0 CHECK (raw_access IN (0, 1)),"
    "  granted_on TEXT NOT NULL,"
    "  expires_on TEXT NOT NULL CHECK (expires_on >= granted_on),"
    "  created_at TEXT NOT NULL,"
    "  revoked_at TEXT"
    ");"
    "CREATE INDEX consent_lookup ON consent(uscc, institution_id, purpose);"
    "CREATE INDEX consent_institution ON consent(institution_id);"
    "CREATE TABLE access_log ("
    "  seq INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  institution_id TEXT NOT NULL,"
    "  uscc TEXT NOT NULL,"
    "  purpose TEXT NOT NULL,"
    "  outcome TEXT NOT NULL DEFAULT 'allowed'"
    "    CHECK (outcome IN ('allowed', 'partial', 'denied')),"
    "  what TEXT NOT NULL,"
    "  sources TEXT NOT NULL DEFAULT '',"
    "  raw INTEGER NOT NULL DEFAULT 0 CHECK (raw IN (0, 1)),"
    "  consents TEXT NOT NULL DEFAULT '',"
    "  reason TEXT NOT NULL DEFAULT '',"
    "  prev_hash TEXT NOT NULL,"
    "  hash TEXT NOT NULL"
    ");"
    "CREATE INDEX access_log_uscc ON access_log(uscc, seq);"
    "CREATE INDEX access_log_institution ON access_log(institution_id, seq);"
    ACCESS_LOG_NO_UPDATE_TRIGGER ";"
    ACCESS_LOG_NO_DELETE_TRIGGER ";";

/* Version 5: the feature store (src/features). feature_peer holds the
 * median of each peer group's values at each as-of date, computed by a
 * batch over all firms, so that one firm's features can be read alone.
 * peer_group: section letter (or '*' for all) and a division code,
 * "C:370100"; feature: the value's name ("sales_12m"); n: firms with a
 * value. feature_peer_date records each date whose medians were computed
 * (firms: how many were known then), even when no group had a value. The history tables of feeds whose key does not start with the
 * firm's code get a uscc index, so that one firm's superseded versions are
 * found without a scan. */
static const char FEATURE_STORE_SQL[] =
    "CREATE TABLE feature_peer ("
    "  asof TEXT NOT NULL,"
    "  peer_group TEXT NOT NULL,"
    "  feature TEXT NOT NULL,"
    "  median REAL NOT NULL,"
    "  n INTEGER NOT NULL CHECK (n > 0),"
    "  PRIMARY KEY (asof, peer_group, feature)"
    ") WITHOUT ROWID;"
    "CREATE TABLE feature_peer_date ("
    "  asof TEXT PRIMARY KEY,"
    "  firms INTEGER NOT NULL,"
    "  computed_at TEXT NOT NULL"
    ");"
    "CREATE INDEX feed_litigation_history_uscc ON feed_litigation_history(uscc);"
    "CREATE INDEX feed_penalties_history_uscc ON feed_penalties_history(uscc);"
    "CREATE INDEX feed_patents_history_uscc ON feed_patents_history(uscc);"
    "CREATE INDEX feed_credit_loans_history_uscc ON feed_credit_loans_history(uscc);"
    "CREATE INDEX feed_credit_status_history_uscc ON feed_credit_status_history(uscc);"
    "CREATE INDEX feed_supply_chain_history_supplier ON "
    "feed_supply_chain_history(supplier_uscc);"
    "CREATE INDEX feed_supply_chain_history_buyer ON feed_supply_chain_history(buyer_uscc);";

/* Version 6: the model registry (src/governance/registry.c, docs/domain.md#supervision).
 * model_registry: one row per registered model version, holding the exact
 * bytes decisions must use (model), their BLAKE2b-256 checksum, the kind
 * and features read from the model itself, the training-data summary and
 * the metrics at registration (JSON texts), and the current state. Only
 * `state` may ever change, and only along the legal transitions (draft ->
 * approved | rejected, approved -> retired); rows are never deleted.
 * model_event: every transition with who, when and why; append-only like the
 * access log. The triggers make the database itself refuse what the library
 * never does, whichever program writes; ph_registry_load_approved still
 * re-hashes the bytes, for a change made around the triggers. */
static const char MODEL_REGISTRY_SQL[] =
    "CREATE TABLE model_registry ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL CHECK (name <> ''),"
    "  version INTEGER NOT NULL CHECK (version >= 1),"
    "  kind TEXT NOT NULL CHECK (kind IN ('scorecard', 'xgboost', 'lightgbm')),"
    "  checksum TEXT NOT NULL CHECK (length(checksum) = 64),"
    "  size INTEGER NOT NULL CHECK (size >= 0),"
    "  model BLOB NOT NULL,"
    "  file TEXT NOT NULL,"
    "  features TEXT NOT NULL,"
    "  training TEXT,"
    "  metrics TEXT,"
    "  state TEXT NOT NULL DEFAULT 'draft'"
    "    CHECK (state IN ('draft', 'approved', 'rejected', 'retired')),"
    "  registered_at TEXT NOT NULL,"
    "  UNIQUE (name, version)"
    ");"
    "CREATE TABLE model_event ("
    "  seq INTEGER PRIMARY KEY,"
    "  model_id INTEGER NOT NULL REFERENCES model_registry(id),"
    "  at TEXT NOT NULL,"
    "  from_state TEXT NOT NULL,"
    "  to_state TEXT NOT NULL,"
    "  actor TEXT NOT NULL CHECK (actor <> ''),"
    "  note TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE INDEX model_event_model ON model_event(model_id, seq);"
    "CREATE TRIGGER model_registry_no_delete BEFORE DELETE ON model_registry "
    "BEGIN SELECT RAISE(ABORT, 'model_registry keeps every registered model: rows cannot be "
    "deleted'); END;"
    "CREATE TRIGGER model_registry_frozen BEFORE UPDATE OF id, name, version, kind, checksum, "
    "size, model, file, features, training, metrics, registered_at ON model_registry "
    "BEGIN SELECT RAISE(ABORT, 'model_registry: a registered model cannot be changed, only "
    "its state'); END;"
    "CREATE TRIGGER model_registry_transition BEFORE UPDATE OF state ON model_registry "
    "WHEN NOT ((OLD.state = 'draft' AND NEW.state IN ('approved', 'rejected')) OR "
    "(OLD.state = 'approved' AND NEW.state = 'retired')) "
    "BEGIN SELECT RAISE(ABORT, 'model_registry: illegal state transition'); END;"
    "CREATE TRIGGER model_event_no_update BEFORE UPDATE ON model_event "
    "BEGIN SELECT RAISE(ABORT, 'model_event is append-only: events cannot be changed'); END;"
    "CREATE TRIGGER model_event_no_delete BEFORE DELETE ON model_event "
    "BEGIN SELECT RAISE(ABORT, 'model_event is append-only: events cannot be deleted'); END;";

/* Version 7: lender policies (src/decide/policy_store.c, issue 6).
 * policy: one row per loaded policy version, holding the document's exact
 * bytes and their BLAKE2b-256 checksum, so that a decision taken under
 * LENDER / NAME version V can be replayed with the very same rules. Rows are
 * immutable except `active`, the one version of (lender, name) that serves
 * decisions (a partial unique index allows at most one); rows are never
 * deleted. ph_policy_store_get still re-hashes the bytes, for a change made
 * around the triggers. */
static const char POLICY_SQL[] =
    "CREATE TABLE policy ("
    "  id INTEGER PRIMARY KEY,"
    "  lender TEXT NOT NULL CHECK (lender <> ''),"
    "  name TEXT NOT NULL CHECK (name <> ''),"
    "  version INTEGER NOT NULL CHECK (version >= 1),"
    "  checksum TEXT NOT NULL CHECK (length(checksum) = 64),"
    "  size INTEGER NOT NULL CHECK (size >= 0),"
    "  document BLOB NOT NULL,"
    "  file TEXT NOT NULL,"
    "  loaded_at TEXT NOT NULL,"
    "  active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),"
    "  UNIQUE (lender, name, version)"
    ");"
    "CREATE UNIQUE INDEX policy_one_active ON policy(lender, name) WHERE active = 1;"
    "CREATE TRIGGER policy_no_delete BEFORE DELETE ON policy "
    "BEGIN SELECT RAISE(ABORT, 'policy keeps every loaded version: rows cannot be deleted'); "
    "END;"
    "CREATE TRIGGER policy_frozen BEFORE UPDATE OF id, lender, name, version, checksum, size, "
    "document, file, loaded_at ON policy "
    "BEGIN SELECT RAISE(ABORT, 'policy: a loaded version cannot be changed, only activated'); "
    "END;";

/* Version 8: the marketplace (src/market, issue 6).
 * lpr: the loan prime rate in force from a date (a rate as text, "3.00%").
 * subsidy_programme: interest-subsidy programmes by version, exact bytes and
 *   checksum as for policies; the newest loaded is in force.
 * policy_challenger: the challenger version of a lender's policy and the
 *   share of applications (basis points) it serves.
 * application: one row per application, with the facts the platform knew
 *   (JSON, the inputs every policy and model reads) and the lenders not asked.
 * decision: one row per policy evaluated for an application (champion and
 *   challenger both), with the policy version, model outputs, outcome, offer,
 *   reasons, the policy inputs and the full trace. Applications and
 *   decisions are immutable, so a decision replays under what took it.
 * appeal: a manual review of a decision: opened with grounds, decided once
 *   by a named reviewer with a reason (an override may set limit and rate). */
static const char MARKET_SQL[] =
    "CREATE TABLE lpr ("
    "  effective_on TEXT PRIMARY KEY,"
    "  rate TEXT NOT NULL,"
    "  set_at TEXT NOT NULL"
    ");"
    "CREATE TABLE subsidy_programme ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  version INTEGER NOT NULL CHECK (version >= 1),"
    "  checksum TEXT NOT NULL CHECK (length(checksum) = 64),"
    "  document BLOB NOT NULL,"
    "  file TEXT NOT NULL,"
    "  loaded_at TEXT NOT NULL,"
    "  UNIQUE (name, version)"
    ");"
    "CREATE TABLE policy_challenger ("
    "  lender TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  version INTEGER NOT NULL CHECK (version >= 1),"
    "  share_bp INTEGER NOT NULL CHECK (share_bp BETWEEN 1 AND 10000),"
    "  set_at TEXT NOT NULL,"
    "  PRIMARY KEY (lender, name)"
    ");"
    "CREATE TABLE application ("
    "  id INTEGER PRIMARY KEY,"
    "  uscc TEXT NOT NULL,"
    "  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),"
    "  term INTEGER NOT NULL CHECK (term BETWEEN 1 AND 360),"
    "  purpose TEXT NOT NULL,"
    "  guarantor INTEGER NOT NULL CHECK (guarantor IN (0, 1)),"
    "  asof TEXT NOT NULL,"
    "  lpr TEXT NOT NULL,"
    "  subsidy_programme_id INTEGER REFERENCES subsidy_programme(id),"
    "  facts TEXT NOT NULL,"
    "  not_asked TEXT NOT NULL,"
    "  created_at TEXT NOT NULL"
    ");"
    "CREATE INDEX application_uscc ON application(uscc, asof);"
    "CREATE TABLE decision ("
    "  id INTEGER PRIMARY KEY,"
    "  application_id INTEGER NOT NULL REFERENCES application(id),"
    "  lender TEXT NOT NULL,"
    "  policy_name TEXT NOT NULL,"
    "  policy_version INTEGER NOT NULL,"
    "  policy_checksum TEXT NOT NULL,"
    "  role TEXT NOT NULL CHECK (role IN ('champion', 'challenger')),"
    "  served INTEGER NOT NULL CHECK (served IN (0, 1)),"
    "  model TEXT,"
    "  model_version INTEGER,"
    "  score REAL,"
    "  pd REAL,"
    "  approved INTEGER NOT NULL CHECK (approved IN (0, 1)),"
    "  limit_fen INTEGER,"
    "  rate INTEGER,"
    "  offer_fen INTEGER,"
    "  subsidy_rate INTEGER,"
    "  award_fen INTEGER,"
    "  apr INTEGER,"
    "  net_apr INTEGER,"
    "  reasons TEXT NOT NULL,"
    "  inputs TEXT NOT NULL,"
    "  trace TEXT NOT NULL,"
    "  decided_at TEXT NOT NULL"
    ");"
    "CREATE INDEX decision_application ON decision(application_id);"
    "CREATE INDEX decision_policy ON decision(lender, policy_name, role);"
    "CREATE TABLE appeal ("
    "  id INTEGER PRIMARY KEY,"
    "  decision_id INTEGER NOT NULL REFERENCES decision(id),"
    "  grounds TEXT NOT NULL CHECK (grounds <> ''),"
    "  opened_at TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'overturned')),"
    "  reviewer TEXT,"
    "  reason TEXT,"
    "  decided_at TEXT,"
    "  limit_fen INTEGER,"
    "  rate INTEGER"
    ");"
    "CREATE UNIQUE INDEX appeal_one_open ON appeal(decision_id) WHERE status = 'open';"
    "CREATE TRIGGER application_frozen BEFORE UPDATE ON application "
    "BEGIN SELECT RAISE(ABORT, 'application: a recorded application cannot be changed'); END;"
    "CREATE TRIGGER application_no_delete BEFORE DELETE ON application "
    "BEGIN SELECT RAISE(ABORT, 'application: recorded applications cannot be deleted'); END;"
    "CREATE TRIGGER decision_frozen BEFORE UPDATE ON decision "
    "BEGIN SELECT RAISE(ABORT, 'decision: a recorded decision cannot be changed (appeal it)'); "
    "END;"
    "CREATE TRIGGER decision_no_delete BEFORE DELETE ON decision "
    "BEGIN SELECT RAISE(ABORT, 'decision: recorded decisions cannot be deleted'); END;"
    "CREATE TRIGGER appeal_decided_once BEFORE UPDATE ON appeal "
    "WHEN OLD.status <> 'open' OR NEW.decision_id <> OLD.decision_id "
    "OR NEW.grounds <> OLD.grounds OR NEW.opened_at <> OLD.opened_at "
    "BEGIN SELECT RAISE(ABORT, 'appeal: a decided appeal cannot be changed'); END;"
    "CREATE TRIGGER appeal_no_delete BEFORE DELETE ON appeal "
    "BEGIN SELECT RAISE(ABORT, 'appeal: appeals cannot be deleted'); END;"
    "CREATE TRIGGER subsidy_programme_frozen BEFORE UPDATE ON subsidy_programme "
    "BEGIN SELECT RAISE(ABORT, 'subsidy_programme: a loaded version cannot be changed'); END;";

/* Version 9: ingest runs and quarantine (docs/ingest.md). A running file is
 * held by a lease: the process id and host that load it and a heartbeat
 * (seconds since 1970, UTC) renewed at each batch commit, so another run
 * resumes only a crashed run's file. outcome says why a file ended 'failed'
 * (refused for too many bad rows, or replaced after a crash) and what was
 * rolled back. quarantine.field_number: the 1-based column of the field
 * (NULL when the row as a whole was refused). */
static const char INGEST_LEASE_SQL[] =
    "ALTER TABLE ingest_file ADD COLUMN lease_pid INTEGER;"
    "ALTER TABLE ingest_file ADD COLUMN lease_host TEXT;"
    "ALTER TABLE ingest_file ADD COLUMN lease_heartbeat INTEGER;"
    "ALTER TABLE ingest_file ADD COLUMN outcome TEXT;"
    "ALTER TABLE quarantine ADD COLUMN field_number INTEGER;"
    "CREATE INDEX ingest_file_path ON ingest_file(path, state);";

/* Version 10: access log v2 (src/access/log.c, docs/consent.md).
 * access_log.data_on: the date the data was read as of (the request's date),
 * next to `at`, the wall-clock time of the read; NULL in entries written
 * before this version. hash_version: the entry's hash encoding, 1 for those
 * older entries (whose hashes stay valid) and 2 for new ones, which hash
 * data_on too. access_checkpoint: the log's head signed with the platform's
 * Ed25519 key (kept outside the database); `note` is the signed note exactly
 * as published, the other columns index it. Append-only like the log. */
static const char ACCESS_LOG_V2_SQL[] =
    "ALTER TABLE access_log ADD COLUMN data_on TEXT;"
    "ALTER TABLE access_log ADD COLUMN hash_version INTEGER NOT NULL DEFAULT 1"
    "  CHECK (hash_version IN (1, 2));"
    "CREATE TABLE access_checkpoint ("
    "  id INTEGER PRIMARY KEY,"
    "  size INTEGER NOT NULL CHECK (size >= 0),"
    "  head TEXT NOT NULL CHECK (length(head) = 64),"
    "  signed_at TEXT NOT NULL,"
    "  key_id TEXT NOT NULL CHECK (length(key_id) = 8),"
    "  note TEXT NOT NULL"
    ");"
    ACCESS_CHECKPOINT_NO_UPDATE_TRIGGER ";"
    ACCESS_CHECKPOINT_NO_DELETE_TRIGGER ";";

/* Version 11: the general ledger (src/ledger, include/puhui/ledger.h,
 * docs/ledger.md). journal_entry: one row per balanced entry, numbered
 * 1, 2, ... in posting order; value_date 'YYYY-MM-DD' (the business day);
 * reverses: the entry this one reverses (at most one reversal each: the
 * unique index); its journal_line rows are line_no 1..line_count and its
 * ledger_subledger rows ids first_sub..first_sub+sub_count-1; hash chains
 * it to the entry before (prev_hash). journal_line: the general ledger, the
 * entry's lines summed by (account, product, party) ('' = none), debits and
 * credits apart. ledger_subledger: one row per line on a loan-level account.
 * Money columns are BIGINT fen. All three are append-only (triggers), and
 * nothing records the wall clock. Indexes: journal_line_balance for the
 * trial balance, journal_entry_date for a date range, ledger_subledger_loan
 * for one loan's balance and statement. */
static const char GENERAL_LEDGER_SQL[] =
    "CREATE TABLE journal_entry ("
    "  id INTEGER PRIMARY KEY CHECK (id >= 1),"
    "  value_date TEXT NOT NULL CHECK (length(value_date) = 10),"
    "  event TEXT NOT NULL CHECK (event <> ''),"
    "  memo TEXT NOT NULL DEFAULT '',"
    "  reverses INTEGER REFERENCES journal_entry(id),"
    "  line_count INTEGER NOT NULL CHECK (line_count >= 1),"
    "  first_sub INTEGER NOT NULL CHECK (first_sub >= 1),"
    "  sub_count INTEGER NOT NULL CHECK (sub_count >= 0),"
    "  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),"
    "  hash TEXT NOT NULL CHECK (length(hash) = 64)"
    ");"
    "CREATE UNIQUE INDEX journal_entry_reverses ON journal_entry(reverses);"
    "CREATE INDEX journal_entry_date ON journal_entry(value_date, id);"
    "CREATE TABLE journal_line ("
    "  entry_id INTEGER NOT NULL REFERENCES journal_entry(id),"
    "  line_no INTEGER NOT NULL CHECK (line_no >= 1),"
    "  account TEXT NOT NULL,"
    "  product TEXT NOT NULL DEFAULT '',"
    "  party TEXT NOT NULL DEFAULT '',"
    "  debit BIGINT NOT NULL CHECK (debit >= 0),"
    "  credit BIGINT NOT NULL CHECK (credit >= 0),"
    "  PRIMARY KEY (entry_id, line_no)"
    ");"
    "CREATE INDEX journal_line_balance ON journal_line(account, product, party);"
    "CREATE TABLE ledger_subledger ("
    "  id INTEGER PRIMARY KEY CHECK (id >= 1),"
    "  entry_id INTEGER NOT NULL,"
    "  loan_id INTEGER NOT NULL CHECK (loan_id >= 1),"
    "  account TEXT NOT NULL,"
    "  debit BIGINT NOT NULL CHECK (debit >= 0),"
    "  credit BIGINT NOT NULL CHECK (credit >= 0)"
    ");"
    "CREATE INDEX ledger_subledger_loan ON ledger_subledger(loan_id, entry_id);"
    JOURNAL_ENTRY_NO_UPDATE_TRIGGER ";"
    JOURNAL_ENTRY_NO_DELETE_TRIGGER ";"
    JOURNAL_LINE_NO_UPDATE_TRIGGER ";"
    JOURNAL_LINE_NO_DELETE_TRIGGER ";"
    LEDGER_SUBLEDGER_NO_UPDATE_TRIGGER ";"
    LEDGER_SUBLEDGER_NO_DELETE_TRIGGER ";";
/* Version 12: the loan book (src/loan, docs/loans.md).
 * loan_product: servicing products as data by name and version, exact bytes.
 * loan: the contract, copied from the accepted decision and never changed
 *   (decision_id UNIQUE: an offer is accepted once, enforced by the store).
 * loan_state: the one mutable row per loan, what COB and servicing update;
 *   the accrual columns are the exact sub-fen state (docs/loans.md#accrual).
 * loan_schedule: instalments by schedule version (a prepayment or repricing
 *   writes a new version from its instalment on; old versions stay).
 * loan_due: each instalment billed, with what was paid of it, oldest first.
 * loan_event: every servicing event with the ledger entry it posted;
 *   append-only. cob_day: the days closed, one row each, written in the
 *   day's own transaction (so a killed day is simply not there).
 * loan_share: a defaulted loan's loss split by party, and what recoveries
 *   returned of it. risk_pool: a pool's
 *   capital as it entered the ledger (its balance is the ledger's). */
static const char LOAN_BOOK_SQL[] =
    "CREATE TABLE loan_product ("
    "  id INTEGER PRIMARY KEY,"
    "  version INTEGER NOT NULL UNIQUE CHECK (version >= 1),"
    "  checksum TEXT NOT NULL CHECK (length(checksum) = 64),"
    "  document TEXT NOT NULL,"
    "  file TEXT NOT NULL,"
    "  loaded_at TEXT NOT NULL"
    ");"
    "CREATE TABLE loan ("
    "  id INTEGER PRIMARY KEY,"
    "  decision_id INTEGER UNIQUE REFERENCES decision(id),"
    "  renewal_of INTEGER UNIQUE REFERENCES loan(id),"
    "  uscc TEXT NOT NULL CHECK (length(uscc) = 18),"
    "  lender TEXT NOT NULL,"
    "  product TEXT NOT NULL,"
    "  product_version INTEGER NOT NULL,"
    "  method TEXT NOT NULL,"
    "  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),"
    "  rate INTEGER NOT NULL CHECK (rate >= 0),"
    "  term INTEGER NOT NULL CHECK (term BETWEEN 1 AND 360),"
    "  daycount TEXT NOT NULL,"
    "  penalty_rate INTEGER NOT NULL CHECK (penalty_rate >= 0),"
    "  grace_days INTEGER NOT NULL CHECK (grace_days >= 0),"
    "  allocation TEXT NOT NULL,"
    "  harvest_months INTEGER NOT NULL,"
    "  guarantor TEXT,"
    "  guarantee_fee INTEGER NOT NULL CHECK (guarantee_fee >= 0),"
    "  scheme TEXT NOT NULL,"
    "  pool TEXT,"
    "  pool_bp INTEGER NOT NULL CHECK (pool_bp BETWEEN 0 AND 10000),"
    "  subsidy_programme_id INTEGER,"
    "  subsidy_rate INTEGER NOT NULL CHECK (subsidy_rate >= 0),"
    "  award_fen INTEGER NOT NULL CHECK (award_fen >= 0),"
    "  restructured INTEGER NOT NULL CHECK (restructured IN (0, 1)),"
    "  booked_on TEXT NOT NULL,"
    "  maturity_on TEXT NOT NULL,"
    "  booked_at TEXT NOT NULL,"
    "  reference TEXT UNIQUE"
    ");"
    "CREATE INDEX loan_uscc ON loan(uscc);"
    "CREATE INDEX loan_lender ON loan(lender);"
    "CREATE TABLE loan_state ("
    "  loan_id INTEGER PRIMARY KEY REFERENCES loan(id),"
    "  status TEXT NOT NULL CHECK (status IN ('active', 'closed', 'renewed', 'written_off')),"
    "  flags INTEGER NOT NULL,"
    "  rate INTEGER NOT NULL,"
    "  principal INTEGER NOT NULL,"
    "  principal_due INTEGER NOT NULL,"
    "  interest_receivable INTEGER NOT NULL,"
    "  interest_due INTEGER NOT NULL,"
    "  penalty INTEGER NOT NULL,"
    "  fee_receivable INTEGER NOT NULL,"
    "  acc_closed INTEGER NOT NULL, acc_balance_days INTEGER NOT NULL, acc_posted INTEGER NOT NULL,"
    "  pen_closed INTEGER NOT NULL, pen_balance_days INTEGER NOT NULL, pen_posted INTEGER NOT NULL,"
    "  fee_closed INTEGER NOT NULL, fee_balance_days INTEGER NOT NULL, fee_posted INTEGER NOT NULL,"
    "  oldest_unpaid_due TEXT,"
    "  dpd INTEGER NOT NULL,"
    "  category INTEGER NOT NULL CHECK (category BETWEEN 0 AND 4),"
    "  restructured_on TEXT,"
    "  npl_since TEXT,"
    "  provision INTEGER NOT NULL,"
    "  schedule_version INTEGER NOT NULL,"
    "  next_k INTEGER NOT NULL,"
    "  defaulted_on TEXT,"
    "  last_event_on TEXT NOT NULL,"
    "  last_cob TEXT,"
    "  acc_balance INTEGER NOT NULL, acc_rate INTEGER NOT NULL,"
    "  pen_base INTEGER NOT NULL, pen_rate INTEGER NOT NULL,"
    "  penalty_rate INTEGER NOT NULL"
    ");"
    "CREATE INDEX loan_state_status ON loan_state(status);"
    "CREATE TABLE loan_schedule ("
    "  loan_id INTEGER NOT NULL REFERENCES loan(id),"
    "  version INTEGER NOT NULL,"
    "  k INTEGER NOT NULL,"
    "  due_on TEXT NOT NULL,"
    "  period_start TEXT NOT NULL,"
    "  principal INTEGER NOT NULL,"
    "  interest INTEGER NOT NULL,"
    "  balance_after INTEGER NOT NULL,"
    "  PRIMARY KEY (loan_id, version, k)"
    ");"
    "CREATE INDEX loan_schedule_due ON loan_schedule(due_on);"
    "CREATE TABLE loan_due ("
    "  loan_id INTEGER NOT NULL REFERENCES loan(id),"
    "  k INTEGER NOT NULL,"
    "  due_on TEXT NOT NULL,"
    "  principal INTEGER NOT NULL,"
    "  interest INTEGER NOT NULL,"
    "  paid_principal INTEGER NOT NULL,"
    "  paid_interest INTEGER NOT NULL,"
    "  PRIMARY KEY (loan_id, k)"
    ");"
    "CREATE TABLE loan_event ("
    "  id INTEGER PRIMARY KEY,"
    "  loan_id INTEGER NOT NULL REFERENCES loan(id),"
    "  on_date TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  amount_fen INTEGER NOT NULL,"
    "  detail TEXT NOT NULL,"
    "  entry_id INTEGER,"
    "  reference TEXT"
    ");"
    "CREATE INDEX loan_event_loan ON loan_event(loan_id, id);"
    "CREATE UNIQUE INDEX loan_event_reference ON loan_event(reference);"
    "CREATE TABLE cob_day ("
    "  on_date TEXT PRIMARY KEY,"
    "  loans INTEGER NOT NULL,"
    "  entry_id INTEGER"
    ");"
    "CREATE TABLE loan_share ("
    "  loan_id INTEGER PRIMARY KEY REFERENCES loan(id),"
    "  on_date TEXT NOT NULL,"
    "  scheme TEXT NOT NULL,"
    "  loss_fen INTEGER NOT NULL,"
    "  bank_fen INTEGER NOT NULL, guarantor_fen INTEGER NOT NULL, reguarantor_fen INTEGER NOT NULL,"
    "  government_fen INTEGER NOT NULL, pool_fen INTEGER NOT NULL,"
    "  guarantor TEXT, pool TEXT,"
    "  recovered_fen INTEGER NOT NULL DEFAULT 0 CHECK (recovered_fen BETWEEN 0 AND loss_fen)"
    ");"
    "CREATE TABLE risk_pool ("
    "  pool TEXT PRIMARY KEY,"
    "  capital_fen INTEGER NOT NULL CHECK (capital_fen >= 0),"
    "  seeded_on TEXT NOT NULL,"
    "  entry_id INTEGER"
    ");"
    "CREATE TRIGGER loan_frozen BEFORE UPDATE ON loan "
    "BEGIN SELECT RAISE(ABORT, 'loan: a contract cannot be changed (renew or restructure it)'); END;"
    "CREATE TRIGGER loan_no_delete BEFORE DELETE ON loan "
    "BEGIN SELECT RAISE(ABORT, 'loan: contracts cannot be deleted'); END;"
    "CREATE TRIGGER loan_event_no_update BEFORE UPDATE ON loan_event "
    "BEGIN SELECT RAISE(ABORT, 'loan_event is append-only: events cannot be changed'); END;"
    "CREATE TRIGGER loan_event_no_delete BEFORE DELETE ON loan_event "
    "BEGIN SELECT RAISE(ABORT, 'loan_event is append-only: events cannot be deleted'); END;"
    "CREATE TRIGGER loan_schedule_frozen BEFORE UPDATE ON loan_schedule "
    "BEGIN SELECT RAISE(ABORT, 'loan_schedule: a schedule version cannot be changed'); END;";

/* Version 13: API keys (src/apikey, include/puhui/apikey.h, docs/keys.md).
 * One row per key: its role, the tenant it acts for ('' for admin and the
 * provincial regulator), a label for people, and the BLAKE2b-256 of the
 * whole key text as 64 lower-case hex digits, never the key itself. The key
 * names its row ("phk_<id>_..."), so the hash is written in the creating
 * transaction just after the insert that gives the id: hash '' is that
 * moment only. Keys are never deleted, and nothing about one changes except
 * its revocation (revoked_at, set once) and the hash, set once from ''. */
static const char API_KEY_SQL[] =
    "CREATE TABLE api_key ("
    "  id INTEGER PRIMARY KEY,"
    "  role TEXT NOT NULL CHECK (role IN ('enterprise', 'institution', 'regulator', 'admin')),"
    "  tenant TEXT NOT NULL,"
    "  label TEXT NOT NULL DEFAULT '',"
    "  hash TEXT NOT NULL CHECK (hash = '' OR length(hash) = 64),"
    "  created_at TEXT NOT NULL,"
    "  revoked_at TEXT"
    ");"
    "CREATE TRIGGER api_key_frozen BEFORE UPDATE ON api_key "
    "WHEN NEW.id <> OLD.id OR NEW.role <> OLD.role OR NEW.tenant <> OLD.tenant "
    "OR NEW.label <> OLD.label OR NEW.created_at <> OLD.created_at "
    "OR (OLD.hash <> '' AND NEW.hash <> OLD.hash) "
    "BEGIN SELECT RAISE(ABORT, 'api_key: a key cannot be changed, only revoked'); END;"
    "CREATE TRIGGER api_key_revoked_once BEFORE UPDATE OF revoked_at ON api_key "
    "WHEN OLD.revoked_at IS NOT NULL "
    "BEGIN SELECT RAISE(ABORT, 'api_key: a revoked key stays revoked'); END;"
    "CREATE TRIGGER api_key_no_delete BEFORE DELETE ON api_key "
    "BEGIN SELECT RAISE(ABORT, 'api_key: keys cannot be deleted, only revoked'); END;";

/* Version 15: the early warning's store (src/monitor, include/puhui/monitor.h).
 * warning_rules: rule sets (warning.h) by name and version with their exact
 *   bytes and BLAKE2b-256 checksum, like policies: a loaded version never
 *   changes (only `active`), rows are never deleted, at most one is active
 *   (the set `puhui watch` runs; none: the built-in default).
 * warning_run: one replay or follow session: the rule set it ran, the days
 *   it covered, its counts, and for follow (or a replay asked to keep it) the
 *   engine's checkpoint and the last ingest_file consumed (cursor_file_id).
 * warning_alert: one rule hit for one watched firm and one lender (the
 *   institution whose account manager gets it), with the engine's evidence;
 *   one per run, day, firm, lender and rule (so a follow that re-reads a
 *   day after a crash does not write it twice);
 *   only `state` (and updated_at) change, along open -> acknowledged |
 *   escalated | closed, acknowledged -> escalated | closed, escalated ->
 *   closed; never deleted.
 * warning_alert_event: what happened to an alert, append-only: a person's
 *   ack, close (with a reason) or escalate, and the watch's own actions on a
 *   line (freeze, pause, resume: loan_id names the line).
 * warning_level: every change of a watched firm's colour the engine reported
 *   (the rule that raised it, or "calm"), append-only: a firm's colour now is
 *   its last row. */
static const char EARLY_WARNING_SQL[] =
    "CREATE TABLE warning_rules ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL CHECK (name <> ''),"
    "  version INTEGER NOT NULL CHECK (version >= 1),"
    "  checksum TEXT NOT NULL CHECK (length(checksum) = 64),"
    "  size INTEGER NOT NULL CHECK (size >= 0),"
    "  text BLOB NOT NULL,"
    "  file TEXT NOT NULL,"
    "  loaded_at TEXT NOT NULL,"
    "  active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),"
    "  UNIQUE (name, version)"
    ");"
    "CREATE UNIQUE INDEX warning_rules_one_active ON warning_rules(active) WHERE active = 1;"
    "CREATE TRIGGER warning_rules_no_delete BEFORE DELETE ON warning_rules "
    "BEGIN SELECT RAISE(ABORT, 'warning_rules keeps every loaded version: rows cannot be "
    "deleted'); END;"
    "CREATE TRIGGER warning_rules_frozen BEFORE UPDATE OF id, name, version, checksum, size, "
    "text, file, loaded_at ON warning_rules "
    "BEGIN SELECT RAISE(ABORT, 'warning_rules: a loaded version cannot be changed, only "
    "activated'); END;"
    "CREATE TABLE warning_run ("
    "  id INTEGER PRIMARY KEY,"
    "  rule_set_id INTEGER NOT NULL REFERENCES warning_rules(id),"
    "  mode TEXT NOT NULL CHECK (mode IN ('replay', 'follow')),"
    "  from_day TEXT,"
    "  to_day TEXT,"
    "  started_at TEXT NOT NULL,"
    "  finished_at TEXT,"
    "  events INTEGER NOT NULL DEFAULT 0 CHECK (events >= 0),"
    "  hits INTEGER NOT NULL DEFAULT 0 CHECK (hits >= 0),"
    "  checkpoint BLOB,"
    "  cursor_file_id INTEGER NOT NULL DEFAULT 0 CHECK (cursor_file_id >= 0)"
    ");"
    "CREATE INDEX warning_run_mode ON warning_run(mode, id);"
    "CREATE TABLE warning_alert ("
    "  id INTEGER PRIMARY KEY,"
    "  run_id INTEGER NOT NULL REFERENCES warning_run(id),"
    "  day TEXT NOT NULL CHECK (length(day) = 10),"
    "  uscc TEXT NOT NULL CHECK (length(uscc) = 18),"
    "  institution_id TEXT NOT NULL CHECK (institution_id <> ''),"
    "  loan_id INTEGER,"
    "  rule_set_id INTEGER NOT NULL REFERENCES warning_rules(id),"
    "  rule TEXT NOT NULL CHECK (rule <> ''),"
    "  level TEXT NOT NULL CHECK (level IN ('green', 'yellow', 'red')),"
    "  action TEXT NOT NULL CHECK (action IN ('alert', 'inspection', 'pause_draws', "
    "'freeze')),"
    "  evidence TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'open'"
    "    CHECK (state IN ('open', 'acknowledged', 'escalated', 'closed')),"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL"
    ");"
    "CREATE INDEX warning_alert_uscc ON warning_alert(uscc, id);"
    "CREATE INDEX warning_alert_institution ON warning_alert(institution_id, id);"
    "CREATE INDEX warning_alert_rule ON warning_alert(rule, id);"
    "CREATE UNIQUE INDEX warning_alert_once ON warning_alert(run_id, day, uscc, "
    "institution_id, rule);"
    "CREATE TRIGGER warning_alert_frozen BEFORE UPDATE OF id, run_id, day, uscc, "
    "institution_id, loan_id, rule_set_id, rule, level, action, evidence, created_at "
    "ON warning_alert "
    "BEGIN SELECT RAISE(ABORT, 'warning_alert: an alert cannot be changed, only "
    "acknowledged, escalated or closed'); END;"
    "CREATE TRIGGER warning_alert_state BEFORE UPDATE OF state ON warning_alert "
    "WHEN NOT ((OLD.state = 'open' AND NEW.state IN ('acknowledged', 'escalated', 'closed')) "
    "OR (OLD.state = 'acknowledged' AND NEW.state IN ('escalated', 'closed')) "
    "OR (OLD.state = 'escalated' AND NEW.state = 'closed')) "
    "BEGIN SELECT RAISE(ABORT, 'warning_alert: illegal state transition'); END;"
    "CREATE TRIGGER warning_alert_no_delete BEFORE DELETE ON warning_alert "
    "BEGIN SELECT RAISE(ABORT, 'warning_alert: alerts cannot be deleted, only closed'); END;"
    "CREATE TABLE warning_alert_event ("
    "  id INTEGER PRIMARY KEY,"
    "  alert_id INTEGER NOT NULL REFERENCES warning_alert(id),"
    "  at TEXT NOT NULL,"
    "  event TEXT NOT NULL CHECK (event IN ('ack', 'close', 'escalate', 'freeze', 'pause', "
    "'resume')),"
    "  by_whom TEXT NOT NULL CHECK (by_whom <> ''),"
    "  reason TEXT NOT NULL DEFAULT '',"
    "  loan_id INTEGER,"
    "  CHECK (event <> 'close' OR reason <> ''),"
    "  CHECK ((event IN ('freeze', 'pause', 'resume')) = (loan_id IS NOT NULL))"
    ");"
    "CREATE INDEX warning_alert_event_alert ON warning_alert_event(alert_id, id);"
    "CREATE INDEX warning_alert_event_loan ON warning_alert_event(loan_id, id);"
    WARNING_ALERT_EVENT_NO_UPDATE_TRIGGER ";"
    WARNING_ALERT_EVENT_NO_DELETE_TRIGGER ";"
    "CREATE TABLE warning_level ("
    "  id INTEGER PRIMARY KEY,"
    "  run_id INTEGER NOT NULL REFERENCES warning_run(id),"
    "  day TEXT NOT NULL CHECK (length(day) = 10),"
    "  uscc TEXT NOT NULL CHECK (length(uscc) = 18),"
    "  level TEXT NOT NULL CHECK (level IN ('green', 'yellow', 'red')),"
    "  previous TEXT NOT NULL CHECK (previous IN ('green', 'yellow', 'red')),"
    "  rule TEXT NOT NULL,"
    "  evidence TEXT NOT NULL,"
    "  UNIQUE (run_id, uscc, day, level)"
    ");"
    "CREATE INDEX warning_level_uscc ON warning_level(uscc, id);"
    WARNING_LEVEL_NO_UPDATE_TRIGGER ";"
    WARNING_LEVEL_NO_DELETE_TRIGGER ";";

/* Version 17: digital claim vouchers (数字债权凭证; src/voucher,
 * include/puhui/voucher.h, docs/supply_chain.md).
 * voucher: one row per part. The issued voucher has no parent; a split makes
 *   children of the same holder summing exactly to the parent, a transfer one
 *   child of the full face held by the recipient (tier + 1). Lineage is the
 *   parent/child tree; the current holders are its leaves (status held or
 *   financed, later settled) and their faces sum to the root's. Only status
 *   moves, along held -> split | transferred | financed | settled and
 *   financed -> settled; rows are never deleted.
 * voucher_event: what happened, append-only (issue, split, transfer,
 *   finance, settle): who acted, towards whom, the amount, a canonical JSON
 *   detail, and the evidence log's leaf index of the event's canonical bytes
 *   (NULL when no log was given).
 * voucher_financing: a part is discounted at most once: voucher_id is
 *   UNIQUE, so the store refuses a second financing whatever the code does.
 * voucher_settlement: what the issuer paid at maturity for each leaf, to
 *   whom (the financier, else the holder) and how many days late.
 * voucher_grade_spread: the spread over the LPR for each issuer grade, as
 *   data (defaults AAA 0.30%, AA+ 0.50%, AA 0.80%, AA- 1.20%). */
static const char CLAIM_VOUCHER_SQL[] =
    "CREATE TABLE voucher ("
    "  id TEXT PRIMARY KEY,"
    "  seq INTEGER NOT NULL UNIQUE CHECK (seq > 0),"
    "  root_id TEXT NOT NULL,"
    "  parent_id TEXT REFERENCES voucher(id),"
    "  issuer_uscc TEXT NOT NULL CHECK (length(issuer_uscc) = 18),"
    "  face BIGINT NOT NULL CHECK (face > 0),"
    "  maturity TEXT NOT NULL CHECK (length(maturity) = 10),"
    "  grade TEXT NOT NULL CHECK (grade IN ('AAA', 'AA+', 'AA', 'AA-')),"
    "  payable_ref TEXT NOT NULL,"
    "  holder_uscc TEXT NOT NULL CHECK (length(holder_uscc) = 18),"
    "  tier INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 7),"
    "  status TEXT NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'split', 'transferred', "
    "'financed', 'settled')),"
    "  created_on TEXT NOT NULL CHECK (length(created_on) = 10),"
    "  CHECK ((parent_id IS NULL) = (root_id = id))"
    ");"
    "CREATE INDEX voucher_root ON voucher(root_id, seq);"
    "CREATE INDEX voucher_parent ON voucher(parent_id, seq);"
    "CREATE INDEX voucher_holder ON voucher(holder_uscc, seq);"
    "CREATE INDEX voucher_issuer ON voucher(issuer_uscc, seq);"
    "CREATE TRIGGER voucher_frozen BEFORE UPDATE OF id, seq, root_id, parent_id, issuer_uscc, "
    "face, maturity, grade, payable_ref, holder_uscc, tier, created_on ON voucher "
    "BEGIN SELECT RAISE(ABORT, 'voucher: a part cannot be changed, only split, transferred, "
    "financed or settled'); END;"
    "CREATE TRIGGER voucher_status BEFORE UPDATE OF status ON voucher "
    "WHEN NOT ((OLD.status = 'held' AND NEW.status IN ('split', 'transferred', 'financed', "
    "'settled')) OR (OLD.status = 'financed' AND NEW.status = 'settled')) "
    "BEGIN SELECT RAISE(ABORT, 'voucher: illegal status transition'); END;"
    "CREATE TRIGGER voucher_no_delete BEFORE DELETE ON voucher "
    "BEGIN SELECT RAISE(ABORT, 'voucher: parts cannot be deleted'); END;"
    "CREATE TABLE voucher_event ("
    "  seq INTEGER PRIMARY KEY,"
    "  voucher_id TEXT NOT NULL REFERENCES voucher(id),"
    "  type TEXT NOT NULL CHECK (type IN ('issue', 'split', 'transfer', 'finance', 'settle')),"
    "  day TEXT NOT NULL CHECK (length(day) = 10),"
    "  actor TEXT NOT NULL,"
    "  counterparty TEXT NOT NULL,"
    "  amount BIGINT NOT NULL,"
    "  detail TEXT NOT NULL,"
    "  leaf_index BIGINT"
    ");"
    "CREATE INDEX voucher_event_voucher ON voucher_event(voucher_id, seq);"
    VOUCHER_EVENT_NO_UPDATE_TRIGGER ";"
    VOUCHER_EVENT_NO_DELETE_TRIGGER ";"
    "CREATE TABLE voucher_financing ("
    "  voucher_id TEXT NOT NULL UNIQUE REFERENCES voucher(id),"
    "  lender TEXT NOT NULL REFERENCES institution(id),"
    "  day TEXT NOT NULL CHECK (length(day) = 10),"
    "  rate TEXT NOT NULL,"
    "  days INTEGER NOT NULL CHECK (days >= 0),"
    "  discount BIGINT NOT NULL CHECK (discount >= 0),"
    "  advance BIGINT NOT NULL CHECK (advance >= 0)"
    ");"
    "CREATE INDEX voucher_financing_lender ON voucher_financing(lender);"
    "CREATE TRIGGER voucher_financing_no_update BEFORE UPDATE ON voucher_financing "
    "BEGIN SELECT RAISE(ABORT, 'voucher_financing: a financing cannot be changed'); END;"
    "CREATE TRIGGER voucher_financing_no_delete BEFORE DELETE ON voucher_financing "
    "BEGIN SELECT RAISE(ABORT, 'voucher_financing: a financing cannot be deleted'); END;"
    "CREATE TABLE voucher_settlement ("
    "  voucher_id TEXT NOT NULL UNIQUE REFERENCES voucher(id),"
    "  issuer_uscc TEXT NOT NULL,"
    "  paid_to TEXT NOT NULL,"
    "  maturity TEXT NOT NULL,"
    "  day TEXT NOT NULL CHECK (length(day) = 10),"
    "  days_late INTEGER NOT NULL CHECK (days_late >= 0),"
    "  amount BIGINT NOT NULL CHECK (amount > 0)"
    ");"
    "CREATE INDEX voucher_settlement_day ON voucher_settlement(day);"
    "CREATE TRIGGER voucher_settlement_no_update BEFORE UPDATE ON voucher_settlement "
    "BEGIN SELECT RAISE(ABORT, 'voucher_settlement: a settlement cannot be changed'); END;"
    "CREATE TRIGGER voucher_settlement_no_delete BEFORE DELETE ON voucher_settlement "
    "BEGIN SELECT RAISE(ABORT, 'voucher_settlement: a settlement cannot be deleted'); END;"
    "CREATE TABLE voucher_grade_spread ("
    "  grade TEXT PRIMARY KEY CHECK (grade IN ('AAA', 'AA+', 'AA', 'AA-')),"
    "  spread TEXT NOT NULL"
    ");"
    "INSERT INTO voucher_grade_spread (grade, spread) VALUES ('AAA', '0.30%'), "
    "('AA+', '0.50%'), ('AA', '0.80%'), ('AA-', '1.20%');";

/* Version 18: order financing and warehouse receipts (src/trade, order.h,
 * receipt.h, docs/supply_chain.md). Money is BIGINT fen, rates BIGINT
 * 1e-8 (ph_rate), dates TEXT 'YYYY-MM-DD'.
 * trade_limit: the thresholds as data (advance cap, margin call, liquidation
 *   notice, weight tolerance), changed here, not in code.
 * receipt_commodity: per commodity the valuation haircut and the
 *   temperature range (tenths of a degree) the goods tolerate.
 * trade_order: a confirmed order (buyer pays seller by due_on);
 * order_advance: at most one advance per order (the primary key), booked in
 *   the loan book as loan_id (reference 'order:<id>');
 * order_whitelist: a seller's explicit additions to its suppliers;
 * order_event, receipt_event: append-only, one row per state change and per
 *   refused payment, with the evidence log's leaf_index (NULL without a log);
 * receipt: the registry, unique by (warehouse_id, lot);
 * receipt_pledge: a receipt has at most one live pledge (partial unique
 *   index: the store refuses the second, whatever the code does);
 * receipt_alert: one IoT anomaly per receipt, day and kind. */
static const char TRADE_SQL[] =
    "CREATE TABLE trade_limit ("
    "  name TEXT PRIMARY KEY,"
    "  rate BIGINT NOT NULL CHECK (rate >= 0)"
    ");"
    "INSERT INTO trade_limit (name, rate) VALUES ('order_advance_cap', 80000000),"
    "  ('receipt_margin_call', 70000000), ('receipt_liquidation', 80000000),"
    "  ('receipt_weight_tolerance', 5000000);"
    "CREATE TABLE receipt_commodity ("
    "  commodity TEXT PRIMARY KEY,"
    "  haircut BIGINT NOT NULL CHECK (haircut > 0 AND haircut <= 100000000),"
    "  temp_min_c10 INTEGER NOT NULL,"
    "  temp_max_c10 INTEGER NOT NULL,"
    "  CHECK (temp_min_c10 < temp_max_c10)"
    ");"
    "INSERT INTO receipt_commodity (commodity, haircut, temp_min_c10, temp_max_c10) VALUES"
    "  ('steel', 70000000, -300, 500), ('copper', 75000000, -300, 500),"
    "  ('aluminium', 70000000, -300, 500), ('soybean', 60000000, -100, 250),"
    "  ('corn', 60000000, -100, 250), ('cotton', 60000000, -100, 300),"
    "  ('rubber', 60000000, -100, 350), ('coal', 55000000, -300, 400);"
    "CREATE TABLE trade_order ("
    "  id TEXT PRIMARY KEY CHECK (id <> '' AND length(id) <= 64),"
    "  buyer_uscc TEXT NOT NULL CHECK (length(buyer_uscc) = 18),"
    "  seller_uscc TEXT NOT NULL CHECK (length(seller_uscc) = 18),"
    "  amount BIGINT NOT NULL CHECK (amount > 0),"
    "  confirmed_on TEXT NOT NULL CHECK (length(confirmed_on) = 10),"
    "  due_on TEXT NOT NULL CHECK (length(due_on) = 10 AND due_on > confirmed_on),"
    "  status TEXT NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'financed', 'paid')),"
    "  CHECK (buyer_uscc <> seller_uscc)"
    ");"
    "CREATE INDEX trade_order_seller ON trade_order(seller_uscc);"
    "CREATE TABLE order_advance ("
    "  order_id TEXT PRIMARY KEY REFERENCES trade_order(id),"
    "  lender TEXT NOT NULL CHECK (lender <> ''),"
    "  on_day TEXT NOT NULL CHECK (length(on_day) = 10),"
    "  amount BIGINT NOT NULL CHECK (amount > 0),"
    "  rate BIGINT NOT NULL CHECK (rate >= 0),"
    "  loan_id INTEGER NOT NULL,"
    "  paid_out BIGINT NOT NULL DEFAULT 0 CHECK (paid_out >= 0 AND paid_out <= amount),"
    "  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'repaid'))"
    ");"
    "CREATE TABLE order_whitelist ("
    "  seller_uscc TEXT NOT NULL CHECK (length(seller_uscc) = 18),"
    "  supplier_uscc TEXT NOT NULL CHECK (length(supplier_uscc) = 18),"
    "  added_on TEXT NOT NULL,"
    "  PRIMARY KEY (seller_uscc, supplier_uscc)"
    ");"
    "CREATE TABLE order_event ("
    "  seq INTEGER PRIMARY KEY,"
    "  subject TEXT NOT NULL,"
    "  type TEXT NOT NULL CHECK (type IN ('confirm', 'advance', 'whitelist', 'pay', "
    "'pay_refused', 'repay', 'remit')),"
    "  on_day TEXT NOT NULL CHECK (length(on_day) = 10),"
    "  actor TEXT NOT NULL,"
    "  counterparty TEXT NOT NULL DEFAULT '',"
    "  amount BIGINT NOT NULL DEFAULT 0,"
    "  detail TEXT NOT NULL DEFAULT '',"
    "  leaf_index BIGINT"
    ");"
    "CREATE INDEX order_event_subject ON order_event(subject, seq);"
    "CREATE TRIGGER order_event_no_update BEFORE UPDATE ON order_event "
    "BEGIN SELECT RAISE(ABORT, 'order_event is append-only'); END;"
    "CREATE TRIGGER order_event_no_delete BEFORE DELETE ON order_event "
    "BEGIN SELECT RAISE(ABORT, 'order_event is append-only'); END;"
    "CREATE TABLE receipt ("
    "  id TEXT PRIMARY KEY,"
    "  warehouse_id TEXT NOT NULL CHECK (warehouse_id <> ''),"
    "  lot TEXT NOT NULL CHECK (lot <> ''),"
    "  owner_uscc TEXT NOT NULL CHECK (length(owner_uscc) = 18),"
    "  commodity TEXT NOT NULL REFERENCES receipt_commodity(commodity),"
    "  quantity_kg BIGINT NOT NULL CHECK (quantity_kg > 0),"
    "  stored_on TEXT NOT NULL CHECK (length(stored_on) = 10),"
    "  lat_e6 BIGINT NOT NULL CHECK (lat_e6 BETWEEN -90000000 AND 90000000),"
    "  lon_e6 BIGINT NOT NULL CHECK (lon_e6 BETWEEN -180000000 AND 180000000),"
    "  geofence_m BIGINT NOT NULL CHECK (geofence_m > 0),"
    "  registered_on TEXT NOT NULL CHECK (length(registered_on) = 10),"
    "  UNIQUE (warehouse_id, lot)"
    ");"
    "CREATE TRIGGER receipt_frozen BEFORE UPDATE ON receipt "
    "BEGIN SELECT RAISE(ABORT, 'receipt: a registered receipt cannot be changed'); END;"
    "CREATE TRIGGER receipt_no_delete BEFORE DELETE ON receipt "
    "BEGIN SELECT RAISE(ABORT, 'receipt: receipts cannot be deleted'); END;"
    "CREATE TABLE receipt_pledge ("
    "  id INTEGER PRIMARY KEY,"
    "  receipt_id TEXT NOT NULL REFERENCES receipt(id),"
    "  lender TEXT NOT NULL CHECK (lender <> ''),"
    "  exposure BIGINT NOT NULL CHECK (exposure > 0),"
    "  pledged_on TEXT NOT NULL CHECK (length(pledged_on) = 10),"
    "  status TEXT NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'released')),"
    "  released_on TEXT,"
    "  CHECK ((status = 'released') = (released_on IS NOT NULL))"
    ");"
    "CREATE UNIQUE INDEX receipt_pledge_one_live ON receipt_pledge(receipt_id) "
    "WHERE status = 'live';"
    "CREATE TRIGGER receipt_pledge_frozen BEFORE UPDATE OF id, receipt_id, lender, exposure, "
    "pledged_on ON receipt_pledge "
    "BEGIN SELECT RAISE(ABORT, 'receipt_pledge: a pledge cannot be changed, only released'); "
    "END;"
    "CREATE TRIGGER receipt_pledge_release_once BEFORE UPDATE OF status ON receipt_pledge "
    "WHEN OLD.status <> 'live' "
    "BEGIN SELECT RAISE(ABORT, 'receipt_pledge: a released pledge stays released'); END;"
    "CREATE TRIGGER receipt_pledge_no_delete BEFORE DELETE ON receipt_pledge "
    "BEGIN SELECT RAISE(ABORT, 'receipt_pledge: pledges cannot be deleted'); END;"
    "CREATE TABLE receipt_alert ("
    "  id INTEGER PRIMARY KEY,"
    "  receipt_id TEXT NOT NULL REFERENCES receipt(id),"
    "  day TEXT NOT NULL CHECK (length(day) = 10),"
    "  kind TEXT NOT NULL CHECK (kind IN ('weight_drop', 'geofence', 'temperature')),"
    "  detail TEXT NOT NULL,"
    "  UNIQUE (receipt_id, day, kind)"
    ");"
    "CREATE TABLE receipt_event ("
    "  seq INTEGER PRIMARY KEY,"
    "  subject TEXT NOT NULL,"
    "  type TEXT NOT NULL CHECK (type IN ('register', 'pledge', 'margin_call', "
    "'liquidation', 'release', 'alert')),"
    "  on_day TEXT NOT NULL CHECK (length(on_day) = 10),"
    "  actor TEXT NOT NULL,"
    "  counterparty TEXT NOT NULL DEFAULT '',"
    "  amount BIGINT NOT NULL DEFAULT 0,"
    "  detail TEXT NOT NULL DEFAULT '',"
    "  leaf_index BIGINT"
    ");"
    "CREATE INDEX receipt_event_subject ON receipt_event(subject, seq);"
    "CREATE TRIGGER receipt_event_no_update BEFORE UPDATE ON receipt_event "
    "BEGIN SELECT RAISE(ABORT, 'receipt_event is append-only'); END;"
    "CREATE TRIGGER receipt_event_no_delete BEFORE DELETE ON receipt_event "
    "BEGIN SELECT RAISE(ABORT, 'receipt_event is append-only'); END;";

/* Append new versions here: {N, "name", SQL, apply-or-NULL}. */
/* Version 19: what the platform anchors in the evidence log (src/anchor,
 * anchor.h, docs/evidence.md#what-is-anchored): one row per record given a
 * leaf — a consent grant or revocation (record: the consent id), a decision
 * (its id) or the access log's head (its seq). Rows are only added; the
 * primary key stops a record being anchored twice. */
static const char EVIDENCE_ANCHOR_SQL[] =
    "CREATE TABLE evidence_anchor ("
    "  source TEXT NOT NULL CHECK (source IN ("
    "    'consent.grant', 'consent.revoke', 'decision', 'access.head')),"
    "  record BIGINT NOT NULL,"
    "  leaf_index BIGINT NOT NULL CHECK (leaf_index >= 0),"
    "  PRIMARY KEY (source, record)"
    ");";

static const ph_migration SCHEMA_MIGRATIONS[] = {
    {1, "core registry", CORE_REGISTRY_SQL, NULL},
    {2, "reference data", REFERENCE_DATA_SQL, seed_reference_data},
    {3, "data hub feeds", DATA_HUB_SQL, schema_create_feed_tables},
    {4, "consent and access log", CONSENT_SQL, NULL},
    {5, "feature store", FEATURE_STORE_SQL, NULL},
    {6, "model registry", MODEL_REGISTRY_SQL, NULL},
    {7, "lender policies", POLICY_SQL, NULL},
    {8, "marketplace", MARKET_SQL, NULL},
    {9, "ingest runs and quarantine", INGEST_LEASE_SQL, NULL},
    {10, "access log v2", ACCESS_LOG_V2_SQL, NULL},
    {11, "general ledger", GENERAL_LEDGER_SQL, NULL},
    {12, "loan book", LOAN_BOOK_SQL, NULL},
    {13, "api keys", API_KEY_SQL, NULL},
    {14, "early-warning feeds", NULL, schema_create_early_warning_feed_tables},
    {15, "early warning", EARLY_WARNING_SQL, NULL},
    {16, "warehouse feeds", NULL, schema_create_warehouse_feed_tables},
    {17, "claim vouchers", CLAIM_VOUCHER_SQL, NULL},
    {18, "order financing and warehouse receipts", TRADE_SQL, NULL},
    {19, "evidence anchors", EVIDENCE_ANCHOR_SQL, NULL},
};

#define SCHEMA_MIGRATION_COUNT (sizeof(SCHEMA_MIGRATIONS) / sizeof(SCHEMA_MIGRATIONS[0]))

int ph_schema_latest(void)
{
    return (int)SCHEMA_MIGRATION_COUNT;
}

/* The triggers the migrations create, by name (schema_triggers.h). */
static const struct {
    const char *name;
    const char *definition;
} SCHEMA_TRIGGERS[] = {
    {"access_log_no_update", ACCESS_LOG_NO_UPDATE_TRIGGER},
    {"access_log_no_delete", ACCESS_LOG_NO_DELETE_TRIGGER},
    {"access_checkpoint_no_update", ACCESS_CHECKPOINT_NO_UPDATE_TRIGGER},
    {"access_checkpoint_no_delete", ACCESS_CHECKPOINT_NO_DELETE_TRIGGER},
    {"journal_entry_no_update", JOURNAL_ENTRY_NO_UPDATE_TRIGGER},
    {"journal_entry_no_delete", JOURNAL_ENTRY_NO_DELETE_TRIGGER},
    {"journal_line_no_update", JOURNAL_LINE_NO_UPDATE_TRIGGER},
    {"journal_line_no_delete", JOURNAL_LINE_NO_DELETE_TRIGGER},
    {"ledger_subledger_no_update", LEDGER_SUBLEDGER_NO_UPDATE_TRIGGER},
    {"ledger_subledger_no_delete", LEDGER_SUBLEDGER_NO_DELETE_TRIGGER},
    {"warning_alert_event_no_update", WARNING_ALERT_EVENT_NO_UPDATE_TRIGGER},
    {"warning_alert_event_no_delete", WARNING_ALERT_EVENT_NO_DELETE_TRIGGER},
    {"warning_level_no_update", WARNING_LEVEL_NO_UPDATE_TRIGGER},
    {"warning_level_no_delete", WARNING_LEVEL_NO_DELETE_TRIGGER},
    {"voucher_event_no_update", VOUCHER_EVENT_NO_UPDATE_TRIGGER},
    {"voucher_event_no_delete", VOUCHER_EVENT_NO_DELETE_TRIGGER},
};

const char *ph_schema_trigger_definition(const char *name)
{
    for (size_t i = 0; name != NULL && i < sizeof(SCHEMA_TRIGGERS) / sizeof(SCHEMA_TRIGGERS[0]);
         i++)
        if (strcmp(SCHEMA_TRIGGERS[i].name, name) == 0)
            return SCHEMA_TRIGGERS[i].definition;
    return NULL;
}

ph_status ph_schema_migrate(ph_store *store, int target, int *applied, ph_error *err)
{
    return ph_store_migrate(store, SCHEMA_MIGRATIONS, SCHEMA_MIGRATION_COUNT, target, applied,
                            err);
}
