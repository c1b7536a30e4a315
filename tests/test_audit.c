/* The access log (src/access/log.c): the hash encoding against vectors
 * computed independently (Python hashlib.blake2b), listing, and
 * verification catching every kind of tampering made around the triggers. */
#include "ph_test.h"
#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"

typedef struct fixture {
    char *dir;
    ph_ctx *ctx;
    ph_store *store;
    char firm[PH_USCC_LEN + 1];
    char other[PH_USCC_LEN + 1];
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    ph_test_env_open("audit", &fx->ctx, &fx->dir);
    ph_error err;
    fx->store = ph_test_open_db(fx->ctx, fx->dir, "p.db");
    ph_test_add_parties(fx->store, fx->firm, fx->other);
    ph_source_set set = 0;
    ph_assert_ok(ph_source_set_parse("vat_invoices", 0, &set, &err), &err);
    const char *firms[] = {fx->firm, fx->other};
    ph_date today = 0; /* granted today for 300 days, live whenever the test runs */
    ph_assert_ok(ph_ctx_today(fx->ctx, &today, &err), &err);
    for (size_t i = 0; i < 2; i++) {
        ph_consent_terms t = {firms[i], "BANK01", PH_PURPOSE_CREDIT, set, 0, 0, today + 300};
        int64_t id = 0;
        ph_assert_ok(ph_consent_grant(fx->store, &t, &id, &err), &err);
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ph_store_free(fx->store);
    ph_test_env_close(fx->ctx, fx->dir);
    free(fx);
    return 0;
}

/* n reads: allowed for the firm by BANK01, the 3rd by BANK02 (refused). */
static void reads(fixture *fx, int n)
{
    for (int i = 1; i <= n; i++) {
        ph_access_request req;
        memset(&req, 0, sizeof(req));
        req.institution_id = i == 3 ? "BANK02" : "BANK01";
        req.uscc = i == 4 ? fx->other : fx->firm;
        req.purpose = PH_PURPOSE_CREDIT;
        ph_error err;
        ph_assert_ok(ph_source_set_parse("vat_invoices", 0, &req.sources, &err), &err);
        char what[32];
        snprintf(what, sizeof(what), "features %d", i);
        req.what = what;
        ph_access_grant g;
        ph_status st = ph_access_check(fx->store, &req, &g, &err);
        ph_assert_error(st, i == 3 ? PH_EDENIED : PH_OK, &err, NULL);
    }
}

static void drop_triggers(fixture *fx)
{
    ph_test_exec(fx->store, "DROP TRIGGER access_log_no_update; "
                            "DROP TRIGGER access_log_no_delete");
}

/* Put the triggers back as the schema creates them (an intruder covering up). */
static void restore_triggers(fixture *fx)
{
    ph_test_exec(fx->store,
                 "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log "
                 "BEGIN SELECT RAISE(ABORT, 'access_log is append-only: entries cannot be "
                 "changed'); END;"
                 "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log "
                 "BEGIN SELECT RAISE(ABORT, 'access_log is append-only: entries cannot be "
                 "deleted'); END;");
}

static void hash_of(fixture *fx, int64_t seq, char out[PH_AUDIT_HASH_HEX])
{
    ph_stmt *stmt = NULL;
    ph_error err;
    ph_assert_ok(ph_store_prepare(fx->store, "SELECT hash FROM access_log WHERE seq = ?", &stmt,
                                  &err),
                 &err);
    ph_assert_ok(ph_stmt_bind_int64(stmt, 1, seq, &err), &err);
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    snprintf(out, PH_AUDIT_HASH_HEX, "%s", ph_stmt_column_text(stmt, 0));
    ph_stmt_free(stmt);
}

/* Verification fails at `seq` with a message containing `needle`. */
static void expect_broken(fixture *fx, const ph_audit_anchor *anchor, int64_t seq,
                          const char *needle)
{
    ph_audit_report r;
    memset(&r, 0, sizeof(r));
    ph_error err;
    char prefix[64];
    snprintf(prefix, sizeof(prefix), "field seq, value '%lld': ", (long long)seq);
    ph_assert_error(ph_audit_verify(fx->store, anchor, &r, &err), PH_ESTORE, &err, prefix);
    ph_assert_error(PH_ESTORE, PH_ESTORE, &err, needle);
    assert_int_equal(r.intact, 0);
    assert_int_equal(r.bad_seq, seq);
    assert_non_null(strstr(err.message, r.problem));
}

static void test_hash_vectors(void **state)
{
    (void)state;
    ph_audit_entry e = {1, "2025-01-02T03:04:05Z", "BANK01", "913701020000000015", "credit",
                        "allowed", "profile asof 2025-12-31", "vat_invoices,payments_daily", 0,
                        "3,7", "", ZEROS, NULL, NULL, 1};
    char h1[PH_AUDIT_HASH_HEX], h2[PH_AUDIT_HASH_HEX];
    ph_error err;
    ph_assert_ok(ph_audit_entry_hash(&e, h1, &err), &err);
    assert_string_equal(h1, "0dbd9a4405608c36d41de15eb143c601253a45f5d28b08404e26bd570bc07b34");
    e.seq = 2;
    e.institution_id = "银行";
    e.raw = 1;
    e.prev_hash = h1;
    ph_assert_ok(ph_audit_entry_hash(&e, h2, &err), &err);
    assert_string_equal(h2, "390007de9f87722c39b5efaf9aaa3640038fcace0fd385b6dada3b7ebbfe6604");
    /* the length prefixes keep field boundaries: moving a character between
     * two fields changes the hash */
    e.what = "profile asof 2025-12-3";
    e.sources = "1vat_invoices,payments_daily";
    ph_assert_ok(ph_audit_entry_hash(&e, h1, &err), &err);
    assert_string_not_equal(h1, h2);
    e.reason = NULL;
    ph_assert_error(ph_audit_entry_hash(&e, h1, &err), PH_EMISUSE, &err, NULL);
}

static void test_verify_intact(void **state)
{
    fixture *fx = *state;
    ph_audit_report r;
    ph_error err;
    ph_assert_ok(ph_audit_verify(fx->store, NULL, &r, &err), &err);
    assert_int_equal(r.entries, 0);
    assert_int_equal(r.head_seq, 0);
    assert_string_equal(r.head, ZEROS);
    assert_int_equal(r.intact, 1);
    assert_int_equal(r.bad_seq, 0);
    assert_string_equal(r.problem, "");

    reads(fx, 5);
    ph_assert_ok(ph_audit_verify(fx->store, NULL, &r, &err), &err);
    assert_int_equal(r.entries, 5);
    assert_int_equal(r.head_seq, 5);
    char h5[PH_AUDIT_HASH_HEX], h3[PH_AUDIT_HASH_HEX];
    hash_of(fx, 5, h5);
    hash_of(fx, 3, h3);
    assert_string_equal(r.head, h5);

    /* anchored: the head published now, and an older one after the log grew */
    ph_audit_anchor a = {h5, 5, NULL};
    ph_assert_ok(ph_audit_verify(fx->store, &a, &r, &err), &err);
    a.count = 0;
    ph_assert_ok(ph_audit_verify(fx->store, &a, &r, &err), &err);
    a.head = h3;
    a.count = 3;
    ph_assert_ok(ph_audit_verify(fx->store, &a, &r, &err), &err);
    for (char *p = h3; *p; p++) /* published heads may be upper case */
        *p = (char)(*p >= 'a' && *p <= 'f' ? *p - 'a' + 'A' : *p);
    ph_assert_ok(ph_audit_verify(fx->store, &a, &r, &err), &err);
    a.count = 0;
    ph_assert_ok(ph_audit_verify(fx->store, &a, &r, &err), &err);

    a.head = "abc";
    ph_assert_error(ph_audit_verify(fx->store, &a, &r, &err), PH_EINVAL, &err,
                    "field head, value 'abc': expected 64 hexadecimal digits (a BLAKE2b-256 "
                    "hash), got 3 characters");
    a.head = NULL;
    a.count = -1;
    ph_assert_error(ph_audit_verify(fx->store, &a, &r, &err), PH_EINVAL, &err,
                    "field count, value '-1'");
    ph_assert_error(ph_audit_verify(fx->store, NULL, NULL, &err), PH_EMISUSE, &err, NULL);

    /* the triggers still stand in an untampered database */
    ph_assert_error(ph_store_exec(fx->store, "DELETE FROM access_log WHERE seq = 5", &err),
                    PH_EINVAL, &err, "access_log is append-only: entries cannot be deleted");
}

static void test_tamper_edit(void **state)
{
    fixture *fx = *state;
    reads(fx, 5);
    drop_triggers(fx);
    ph_test_exec(fx->store, "UPDATE access_log SET what = 'nothing to see' WHERE seq = 3");
    char h3[PH_AUDIT_HASH_HEX];
    hash_of(fx, 3, h3);
    char needle[256];
    snprintf(needle, sizeof(needle), "entry 3 was altered: its contents hash to ");
    expect_broken(fx, NULL, 3, needle);
    snprintf(needle, sizeof(needle), " but it records %s", h3);
    expect_broken(fx, NULL, 3, needle);
    ph_audit_report r;
    ph_error err;
    (void)ph_audit_verify(fx->store, NULL, &r, &err);
    assert_int_equal(r.entries, 3);
    assert_int_equal(r.head_seq, 2); /* the last sound entry */
}

static void test_tamper_edit_outcome(void **state)
{
    fixture *fx = *state;
    reads(fx, 4);
    drop_triggers(fx); /* hide the refusal: it was entry 3 */
    ph_test_exec(fx->store, "UPDATE access_log SET outcome = 'allowed', reason = '' "
                            "WHERE seq = 3");
    expect_broken(fx, NULL, 3, "entry 3 was altered");
}

/* An editor who also recomputes the entry's own hash breaks the link to
 * the next entry instead. */
static void test_tamper_rewrite_with_hash(void **state)
{
    fixture *fx = *state;
    reads(fx, 5);
    drop_triggers(fx);
    ph_test_exec(fx->store, "UPDATE access_log SET what = 'rewritten' WHERE seq = 3");
    ph_stmt *stmt = NULL;
    ph_error err;
    ph_assert_ok(ph_store_prepare(fx->store,
                                  "SELECT seq, at, institution_id, uscc, purpose, outcome, "
                                  "what, sources, raw, consents, reason, prev_hash, data_on "
                                  "FROM access_log WHERE seq = 3",
                                  &stmt, &err),
                 &err);
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    ph_audit_entry e = {ph_stmt_column_int64(stmt, 0), ph_stmt_column_text(stmt, 1),
                        ph_stmt_column_text(stmt, 2), ph_stmt_column_text(stmt, 3),
                        ph_stmt_column_text(stmt, 4), ph_stmt_column_text(stmt, 5),
                        ph_stmt_column_text(stmt, 6), ph_stmt_column_text(stmt, 7),
                        (int)ph_stmt_column_int64(stmt, 8), ph_stmt_column_text(stmt, 9),
                        ph_stmt_column_text(stmt, 10), ph_stmt_column_text(stmt, 11), NULL,
                        ph_stmt_column_text(stmt, 12), 2};
    char forged[PH_AUDIT_HASH_HEX];
    ph_assert_ok(ph_audit_entry_hash(&e, forged, &err), &err);
    ph_stmt_free(stmt);
    char sql[256];
    snprintf(sql, sizeof(sql), "UPDATE access_log SET hash = '%s' WHERE seq = 3", forged);
    ph_test_exec(fx->store, sql);
    expect_broken(fx, NULL, 4, "entry 4 does not follow entry 3: it records prev_hash ");
    char needle[128];
    snprintf(needle, sizeof(needle), "but entry 3's hash is %s", forged);
    expect_broken(fx, NULL, 4, needle);
}

static void test_tamper_delete_middle(void **state)
{
    fixture *fx = *state;
    reads(fx, 5);
    drop_triggers(fx);
    ph_test_exec(fx->store, "DELETE FROM access_log WHERE seq = 3");
    expect_broken(fx, NULL, 3, "entry 3 is missing: the log goes from entry 2 to entry 4");
}

static void test_tamper_delete_first(void **state)
{
    fixture *fx = *state;
    reads(fx, 2);
    drop_triggers(fx);
    ph_test_exec(fx->store, "DELETE FROM access_log WHERE seq = 1");
    expect_broken(fx, NULL, 1, "entry 1 is missing: the log goes from entry 0 to entry 2");
}

/* Deleting and renumbering keeps seq without gaps, but not the chain. */
static void test_tamper_delete_and_renumber(void **state)
{
    fixture *fx = *state;
    reads(fx, 5);
    drop_triggers(fx);
    ph_test_exec(fx->store, "DELETE FROM access_log WHERE seq = 3; "
                            "UPDATE access_log SET seq = 1 - seq WHERE seq > 3; "
                            "UPDATE access_log SET seq = -seq WHERE seq < 0");
    expect_broken(fx, NULL, 3, "entry 3 was altered");
}

static void test_tamper_delete_last(void **state)
{
    fixture *fx = *state;
    reads(fx, 5);
    ph_audit_report r;
    ph_error err;
    ph_assert_ok(ph_audit_verify(fx->store, NULL, &r, &err), &err);
    char head[PH_AUDIT_HASH_HEX];
    memcpy(head, r.head, sizeof(head)); /* the operator publishes this */
    drop_triggers(fx);
    ph_test_exec(fx->store, "DELETE FROM access_log WHERE seq = 5");

    /* without the anchor the shortened chain looks whole (once the triggers are
     * back): that is why heads are published */
    restore_triggers(fx);
    ph_assert_ok(ph_audit_verify(fx->store, NULL, &r, &err), &err);
    assert_int_equal(r.entries, 4);

    ph_audit_anchor a = {head, 0, NULL};
    char needle[256];
    snprintf(needle, sizeof(needle),
             "no entry has the published head hash %s: the entries after entry 4 (at least "
             "entry 5) were deleted, or the log was rewritten",
             head);
    expect_broken(fx, &a, 5, needle);
    a.head = NULL;
    a.count = 5;
    expect_broken(fx, &a, 5, "entry 5 is missing: the log ends at entry 4 but 5 entries were "
                             "published");
    a.head = head;
    expect_broken(fx, &a, 5, "entry 5 is missing");
}

/* A head that names an entry which is no longer what was published. */
static void test_anchor_mismatch(void **state)
{
    fixture *fx = *state;
    reads(fx, 5);
    char h2[PH_AUDIT_HASH_HEX];
    hash_of(fx, 2, h2);
    ph_audit_anchor a = {h2, 3, NULL};
    char needle[256];
    snprintf(needle, sizeof(needle),
             "entry 3 does not have the published head hash %s: it, or an entry before it, "
             "was rewritten",
             h2);
    expect_broken(fx, &a, 3, needle);
}

static void test_tamper_reorder(void **state)
{
    fixture *fx = *state;
    reads(fx, 5);
    drop_triggers(fx);
    ph_test_exec(fx->store, "UPDATE access_log SET seq = -2 WHERE seq = 2;"
                            "UPDATE access_log SET seq = 2 WHERE seq = 4;"
                            "UPDATE access_log SET seq = 4 WHERE seq = -2");
    expect_broken(fx, NULL, 2, "entry 2 was altered");
}

static void test_tamper_insert(void **state)
{
    fixture *fx = *state;
    reads(fx, 3);
    drop_triggers(fx);
    /* make room at 2 and insert a forged entry there */
    ph_test_exec(fx->store, "UPDATE access_log SET seq = seq + 10 WHERE seq >= 2;"
                            "UPDATE access_log SET seq = seq - 9 WHERE seq >= 12;"
                            "INSERT INTO access_log (seq, at, institution_id, uscc, purpose, "
                            "what, prev_hash, hash) SELECT 2, at, 'BANK02', uscc, purpose, "
                            "'forged', hash, hash FROM access_log WHERE seq = 1");
    expect_broken(fx, NULL, 2, "entry 2 was altered");
    /* an entry appended with a chain-correct hash is an append: only an
     * anchor published before it could tell, and it is not a gap */
}


/* Item: the verifier hashes the stored bytes, not a C string: a NUL slipped
 * into a field hides nothing (the documented Python re-verifier agrees). */
static void test_tamper_nul_in_field(void **state)
{
    fixture *fx = *state;
    reads(fx, 3);
    drop_triggers(fx);
    ph_test_exec(fx->store,
                 "UPDATE access_log SET reason = reason || char(0) || 'junk' WHERE seq = 2");
    expect_broken(fx, NULL, 2, "entry 2 was altered");
}

/* Dropped append-only triggers fail verification, naming them. */
static void test_missing_triggers(void **state)
{
    fixture *fx = *state;
    reads(fx, 3);
    ph_test_exec(fx->store, "DROP TRIGGER access_log_no_delete");
    ph_audit_report r;
    ph_error err;
    ph_assert_error(ph_audit_verify(fx->store, NULL, &r, &err), PH_ESTORE, &err,
                    "field trigger, value 'access_log_no_delete': the append-only protection "
                    "of the access log is gone: trigger access_log_no_delete is missing");
    assert_int_equal(r.intact, 0);
    assert_int_equal(r.bad_seq, 0);
    assert_int_equal(r.head_seq, 3);
    assert_string_equal(r.missing_triggers, "access_log_no_delete");
    ph_test_exec(fx->store, "DROP TRIGGER access_checkpoint_no_update");
    ph_assert_error(ph_audit_verify(fx->store, NULL, &r, &err), PH_ESTORE, &err,
                    "triggers access_log_no_delete, access_checkpoint_no_update are missing");
    /* put back as the schema has it (other white space): no longer missing */
    ph_test_exec(fx->store, "CREATE TRIGGER access_log_no_delete\n  BEFORE DELETE ON access_log\n"
                            "BEGIN\n  SELECT RAISE(ABORT, 'access_log is append-only: entries "
                            "cannot be deleted');\nEND");
    ph_assert_error(ph_audit_verify(fx->store, NULL, &r, &err), PH_ESTORE, &err,
                    "field trigger, value 'access_checkpoint_no_update': the append-only "
                    "protection of the access log is gone: trigger access_checkpoint_no_update "
                    "is missing");
}

/* A trigger that keeps the name but not the protection counts as gone. */
static void test_hollow_triggers(void **state)
{
    fixture *fx = *state;
    reads(fx, 2);
    ph_audit_report r;
    ph_error err;
    ph_test_exec(fx->store, "DROP TRIGGER access_log_no_delete; "
                            "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log "
                            "BEGIN SELECT 1; END;");
    /* the hollow trigger lets an entry go */
    ph_test_exec(fx->store, "DELETE FROM access_log WHERE seq = 2");
    ph_assert_error(ph_audit_verify(fx->store, NULL, &r, &err), PH_ESTORE, &err,
                    "field trigger, value 'access_log_no_delete': the append-only protection "
                    "of the access log is gone: trigger access_log_no_delete is missing or not "
                    "as the schema creates it");
    assert_string_equal(r.missing_triggers, "access_log_no_delete");
    ph_test_exec(fx->store, "DROP TRIGGER access_log_no_delete; "
                            "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log "
                            "BEGIN SELECT RAISE(ABORT, 'access_log is append-only: entries "
                            "cannot be deleted'); END;");
    ph_assert_ok(ph_audit_verify(fx->store, NULL, &r, &err), &err);
    /* the right body on another event, and the checkpoints' triggers too */
    ph_test_exec(fx->store, "DROP TRIGGER access_checkpoint_no_update; "
                            "CREATE TRIGGER access_checkpoint_no_update AFTER INSERT ON "
                            "access_checkpoint BEGIN SELECT RAISE(ABORT, 'access_checkpoint is "
                            "append-only: checkpoints cannot be changed'); END;");
    ph_assert_error(ph_audit_verify(fx->store, NULL, &r, &err), PH_ESTORE, &err,
                    "field trigger, value 'access_checkpoint_no_update'");
    ph_test_exec(fx->store, "DROP TRIGGER access_checkpoint_no_update; "
                            "CREATE TRIGGER access_checkpoint_no_update BEFORE UPDATE ON "
                            "access_checkpoint WHEN 0 BEGIN SELECT RAISE(ABORT, "
                            "'access_checkpoint is append-only: checkpoints cannot be changed'); "
                            "END;");
    ph_assert_error(ph_audit_verify(fx->store, NULL, &r, &err), PH_ESTORE, &err,
                    "field trigger, value 'access_checkpoint_no_update'");
}

static ph_status keep_data_on(void *user, const ph_audit_entry *e, ph_error *err)
{
    (void)err;
    char *out = user;
    if (e->seq == 1)
        snprintf(out, 32, "%s v%d", e->data_on ? e->data_on : "(null)", e->version);
    return PH_OK;
}

/* The data date is logged next to the wall-clock time, and hashed. */
static void test_data_date_logged(void **state)
{
    fixture *fx = *state;
    ph_access_request req;
    memset(&req, 0, sizeof(req));
    req.institution_id = "BANK01";
    req.uscc = fx->firm;
    req.purpose = PH_PURPOSE_CREDIT;
    req.what = "profile asof 2099-06-30";
    ph_error err;
    ph_assert_ok(ph_source_set_parse("vat_invoices", 0, &req.sources, &err), &err);
    ph_assert_ok(ph_date_parse("2099-06-30", 10, &req.on, &err), &err);
    ph_access_grant g;
    ph_assert_ok(ph_access_check(fx->store, &req, &g, &err), &err);
    char seen[32] = "";
    ph_assert_ok(ph_audit_list(fx->store, NULL, keep_data_on, seen, &err), &err);
    assert_string_equal(seen, "2099-06-30 v2");
    ph_audit_report r;
    ph_assert_ok(ph_audit_verify(fx->store, NULL, &r, &err), &err);
    drop_triggers(fx);
    ph_test_exec(fx->store, "UPDATE access_log SET data_on = '2099-07-01' WHERE seq = 1");
    expect_broken(fx, NULL, 1, "entry 1 was altered");
}

/* Entries written before schema 10 (encoding v1, no data date) keep
 * verifying, and v2 entries chain on; a later entry never goes back to v1. */
static void test_v1_entries_keep_verifying(void **state)
{
    fixture *fx = *state;
    ph_audit_entry e = {1, "2025-01-02T03:04:05Z", "BANK01", fx->firm, "credit", "allowed",
                        "profile", "vat_invoices", 0, "1", "", ZEROS, NULL, NULL, 1};
    char h1[PH_AUDIT_HASH_HEX];
    ph_error err;
    ph_assert_ok(ph_audit_entry_hash(&e, h1, &err), &err);
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "INSERT INTO access_log (seq, at, institution_id, uscc, purpose, outcome, what, "
             "sources, raw, consents, reason, prev_hash, hash) VALUES (1, '%s', 'BANK01', '%s', "
             "'credit', 'allowed', 'profile', 'vat_invoices', 0, '1', '', '%s', '%s')",
             e.at, fx->firm, ZEROS, h1);
    ph_test_exec(fx->store, sql);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT hash_version FROM access_log"), 1);
    reads(fx, 2); /* v2 entries 2 and 3 */
    ph_audit_report r;
    ph_assert_ok(ph_audit_verify(fx->store, NULL, &r, &err), &err);
    assert_int_equal(r.entries, 3);
    /* the same v1 entry read as v2 hashes otherwise */
    char h2[PH_AUDIT_HASH_HEX];
    e.version = 2;
    e.data_on = "";
    ph_assert_ok(ph_audit_entry_hash(&e, h2, &err), &err);
    assert_string_not_equal(h1, h2);
    drop_triggers(fx);
    /* a v1 entry's data_on is not hashed: setting it is caught all the same */
    ph_test_exec(fx->store, "UPDATE access_log SET data_on = '2020-01-01' WHERE seq = 1");
    expect_broken(fx, NULL, 1, "entry 1 was altered: it uses hash encoding 1, which has no "
                               "data date, but it records data_on '2020-01-01'");
    ph_test_exec(fx->store, "UPDATE access_log SET data_on = NULL WHERE seq = 1");
    ph_test_exec(fx->store, "SAVEPOINT e; UPDATE access_log SET data_on = NULL WHERE seq = 2");
    expect_broken(fx, NULL, 2, "entry 2 was altered: it uses hash encoding 2 but its data_on "
                               "is NULL");
    ph_test_exec(fx->store, "ROLLBACK TO e; RELEASE e");
    ph_test_exec(fx->store, "UPDATE access_log SET hash_version = 1 WHERE seq = 3");
    expect_broken(fx, NULL, 3, "entry 3 was altered: it uses hash encoding 1 after an entry "
                               "that uses 2");
}

/* A log written at schema version 8 (before data_on) is migrated to 10 and
 * still verifies: its entries keep encoding 1. */
static void test_migration_keeps_old_entries(void **state)
{
    fixture *fx = *state;
    char *path = ph_test_path(fx->dir, "old.db");
    ph_store *store = NULL;
    ph_error err;
    ph_assert_ok(ph_store_open(fx->ctx, path, NULL, &store, &err), &err);
    ph_assert_ok(ph_schema_migrate(store, 8, NULL, &err), &err);
    char prev[PH_AUDIT_HASH_HEX] = ZEROS, hash[PH_AUDIT_HASH_HEX];
    for (int64_t seq = 1; seq <= 2; seq++) {
        ph_audit_entry e = {seq, "2025-01-02T03:04:05Z", "BANK01", fx->firm, "credit",
                            "allowed", "profile", "vat_invoices", 0, "1", "", prev, NULL,
                            NULL, 1};
        ph_assert_ok(ph_audit_entry_hash(&e, hash, &err), &err);
        char sql[1024];
        snprintf(sql, sizeof(sql),
                 "INSERT INTO access_log (seq, at, institution_id, uscc, purpose, outcome, "
                 "what, sources, raw, consents, reason, prev_hash, hash) VALUES (%lld, '%s', "
                 "'BANK01', '%s', 'credit', 'allowed', 'profile', 'vat_invoices', 0, '1', '', "
                 "'%s', '%s')",
                 (long long)seq, e.at, fx->firm, prev, hash);
        ph_test_exec(store, sql);
        memcpy(prev, hash, sizeof(prev));
    }
    ph_assert_ok(ph_schema_migrate(store, -1, NULL, &err), &err);
    assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM access_log WHERE "
                                              "hash_version = 1 AND data_on IS NULL"),
                     2);
    ph_audit_report r;
    ph_assert_ok(ph_audit_verify(store, NULL, &r, &err), &err);
    assert_int_equal(r.entries, 2);
    assert_string_equal(r.head, hash);
    ph_store_free(store);
    free(path);
}

/* --- signed checkpoints ---------------------------------------------------------------- */

static void key_path(fixture *fx, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", fx->dir, name);
}

static void keygen(fixture *fx, const char *name, char pub[PH_AUDIT_PUBKEY_MAX])
{
    char path[512], id[PH_AUDIT_KEY_ID_MAX];
    key_path(fx, name, path, sizeof(path));
    ph_error err;
    ph_assert_ok(ph_audit_keygen(path, pub, id, &err), &err);
    assert_int_equal(strlen(pub), 44);
    assert_int_equal(strlen(id), 8);
}

static void sign(fixture *fx, const char *name, ph_audit_checkpoint *c)
{
    char path[512];
    key_path(fx, name, path, sizeof(path));
    ph_error err;
    ph_assert_ok(ph_audit_checkpoint_sign(fx->store, path, c, &err), &err);
}

static void test_keygen_files(void **state)
{
    fixture *fx = *state;
    char pub[PH_AUDIT_PUBKEY_MAX], id[PH_AUDIT_KEY_ID_MAX], path[512];
    keygen(fx, "k.key", pub);
    key_path(fx, "k.key", path, sizeof(path));
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    ph_error err;
    char again[PH_AUDIT_PUBKEY_MAX];
    ph_assert_error(ph_audit_keygen(path, again, id, &err), PH_EEXISTS, &err,
                    "refusing to overwrite an existing key file");
    /* the refused keygen left the key alone: it still signs */
    reads(fx, 1);
    ph_audit_checkpoint c;
    sign(fx, "k.key", &c);
    ph_audit_anchor a = {NULL, 0, pub};
    ph_audit_report r;
    ph_assert_ok(ph_audit_verify(fx->store, &a, &r, &err), &err);
    assert_int_equal(chmod(path, 0604), 0);
    ph_assert_error(ph_audit_checkpoint_sign(fx->store, path, &c, &err), PH_EINVAL, &err,
                    "permissions 0604 are too open");
    assert_int_equal(chmod(path, 0600), 0);

    /* bad key files: missing, not a key, edited */
    key_path(fx, "none.key", path, sizeof(path));
    ph_assert_error(ph_audit_checkpoint_sign(fx->store, path, &c, &err), PH_EIO, &err,
                    "cannot open the key file");
    key_path(fx, "bad.key", path, sizeof(path));
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("hello\n", f);
    fclose(f);
    /* readable by others: refused before it is read, naming file and mode */
    assert_int_equal(chmod(path, 0640), 0);
    ph_assert_error(ph_audit_checkpoint_sign(fx->store, path, &c, &err), PH_EINVAL, &err,
                    "permissions 0640 are too open: the checkpoint secret key must be "
                    "readable by its owner only");
    assert_non_null(strstr(err.message, path));
    assert_int_equal(chmod(path, 0600), 0);
    ph_assert_error(ph_audit_checkpoint_sign(fx->store, path, &c, &err), PH_EINVAL, &err,
                    "line 1: not a checkpoint secret key; expected one line "
                    "PRIVATE+KEY+puhui-access-log+<8 hex digits>+<base64 of 33 bytes>");
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("PRIVATE+KEY+puhui-access-log+00000000+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
          f);
    fclose(f);
    assert_int_equal(chmod(path, 0600), 0);
    ph_assert_error(ph_audit_checkpoint_sign(fx->store, path, &c, &err), PH_EINVAL, &err,
                    "the key id does not match the key");
    a.public_key = "not a key";
    ph_assert_error(ph_audit_verify(fx->store, &a, &r, &err), PH_EINVAL, &err,
                    "field key, value 'not a key': expected the checkpoint public key");
}

static void test_checkpoint_unsigned_tail(void **state)
{
    fixture *fx = *state;
    char pub[PH_AUDIT_PUBKEY_MAX];
    keygen(fx, "k.key", pub);
    reads(fx, 3);
    ph_audit_checkpoint c;
    sign(fx, "k.key", &c);
    assert_int_equal(c.id, 1);
    assert_int_equal(c.size, 3);
    char h3[PH_AUDIT_HASH_HEX];
    hash_of(fx, 3, h3);
    assert_string_equal(c.head, h3);
    assert_non_null(strstr(c.note, "puhui-access-log\n3\n"));
    assert_non_null(strstr(c.note, "\n\n\xe2\x80\x94 puhui-access-log "));
    ph_audit_anchor a = {NULL, 0, pub};
    ph_audit_report r;
    ph_error err;
    ph_assert_ok(ph_audit_verify(fx->store, &a, &r, &err), &err);
    assert_int_equal(r.checkpoints, 1);
    assert_int_equal(r.signed_seq, 3);
    assert_int_equal(r.unsigned_tail, 0);
    /* appended without the key (as anyone who can write the database can):
     * the chain holds, but no signature covers the new entries */
    reads(fx, 2);
    ph_assert_ok(ph_audit_verify(fx->store, &a, &r, &err), &err);
    assert_int_equal(r.head_seq, 5);
    assert_int_equal(r.signed_seq, 3);
    assert_int_equal(r.unsigned_tail, 2);
}

static void test_checkpoint_forged(void **state)
{
    fixture *fx = *state;
    char pub[PH_AUDIT_PUBKEY_MAX], other[PH_AUDIT_PUBKEY_MAX];
    keygen(fx, "k.key", pub);
    keygen(fx, "forger.key", other);
    reads(fx, 2);
    ph_audit_checkpoint c;
    sign(fx, "k.key", &c);
    reads(fx, 1);
    sign(fx, "forger.key", &c); /* the forger's own key, not the platform's */
    ph_audit_anchor a = {NULL, 0, pub};
    ph_audit_report r;
    ph_error err;
    ph_assert_error(ph_audit_verify(fx->store, &a, &r, &err), PH_ESTORE, &err,
                    "field checkpoint, value '2': checkpoint 2 is not signed by the key given");
    assert_int_equal(r.intact, 0);
    /* the wrong public key rejects the platform's own checkpoint */
    a.public_key = other;
    ph_assert_error(ph_audit_verify(fx->store, &a, &r, &err), PH_ESTORE, &err,
                    "field checkpoint, value '1': checkpoint 1 is not signed by the key given");
    /* after a rotation both keys are given, and both checkpoints verify */
    char both[2 * PH_AUDIT_PUBKEY_MAX];
    snprintf(both, sizeof(both), "%s,%s", pub, other);
    a.public_key = both;
    ph_assert_ok(ph_audit_verify(fx->store, &a, &r, &err), &err);
    assert_int_equal(r.checkpoints, 2);
    assert_int_equal(r.signed_seq, 3);

    /* a checkpoint note edited to sign a later head: the signature breaks */
    reads(fx, 1);
    ph_test_exec(fx->store, "DROP TRIGGER access_checkpoint_no_update");
    ph_test_exec(fx->store, "UPDATE access_checkpoint SET size = 4, note = replace(note, "
                            "'puhui-access-log' || char(10) || '2' || char(10), "
                            "'puhui-access-log' || char(10) || '4' || char(10)) WHERE id = 1");
    a.public_key = pub;
    ph_assert_error(ph_audit_verify(fx->store, &a, &r, &err), PH_ESTORE, &err,
                    "checkpoint 1's signature does not verify");
}

/* Recompute every hash from `from` on, as someone who rewrites history
 * would. */
static void rehash_from(fixture *fx, int64_t from, int64_t to)
{
    for (int64_t seq = from; seq <= to; seq++) {
        char prev[PH_AUDIT_HASH_HEX], hash[PH_AUDIT_HASH_HEX];
        hash_of(fx, seq - 1, prev);
        ph_stmt *stmt = NULL;
        ph_error err;
        ph_assert_ok(ph_store_prepare(fx->store,
                                      "SELECT seq, at, institution_id, uscc, purpose, "
                                      "outcome, what, sources, raw, consents, reason, data_on "
                                      "FROM access_log WHERE seq = ?",
                                      &stmt, &err),
                     &err);
        ph_assert_ok(ph_stmt_bind_int64(stmt, 1, seq, &err), &err);
        ph_assert_ok(ph_stmt_step(stmt, &err), &err);
        ph_audit_entry e = {seq, ph_stmt_column_text(stmt, 1), ph_stmt_column_text(stmt, 2),
                            ph_stmt_column_text(stmt, 3), ph_stmt_column_text(stmt, 4),
                            ph_stmt_column_text(stmt, 5), ph_stmt_column_text(stmt, 6),
                            ph_stmt_column_text(stmt, 7), (int)ph_stmt_column_int64(stmt, 8),
                            ph_stmt_column_text(stmt, 9), ph_stmt_column_text(stmt, 10), prev,
                            NULL, ph_stmt_column_text(stmt, 11), 2};
        ph_assert_ok(ph_audit_entry_hash(&e, hash, &err), &err);
        ph_stmt_free(stmt);
        char sql[512];
        snprintf(sql, sizeof(sql),
                 "UPDATE access_log SET prev_hash = '%s', hash = '%s' WHERE seq = %lld", prev,
                 hash, (long long)seq);
        ph_test_exec(fx->store, sql);
    }
}

static void test_checkpoint_rewritten_history(void **state)
{
    fixture *fx = *state;
    char pub[PH_AUDIT_PUBKEY_MAX];
    keygen(fx, "k.key", pub);
    reads(fx, 4);
    ph_audit_checkpoint c;
    sign(fx, "k.key", &c);
    drop_triggers(fx);
    ph_test_exec(fx->store, "UPDATE access_log SET institution_id = 'BANK02' WHERE seq = 2");
    rehash_from(fx, 2, 4);
    restore_triggers(fx);
    /* the chain alone is whole again: only the signed head shows the rewrite */
    ph_audit_report r;
    ph_error err;
    ph_assert_ok(ph_audit_verify(fx->store, NULL, &r, &err), &err);
    ph_audit_anchor a = {NULL, 0, pub};
    ph_assert_error(ph_audit_verify(fx->store, &a, &r, &err), PH_ESTORE, &err,
                    "field checkpoint, value '1': checkpoint 1 signs entry 4 with hash");
    ph_assert_error(PH_ESTORE, PH_ESTORE, &err,
                    "the log up to entry 4 was rewritten after it was signed");
    assert_int_equal(r.bad_seq, 4);
    /* and a log that fails verification is never signed */
    drop_triggers(fx);
    ph_test_exec(fx->store, "UPDATE access_log SET what = 'x' WHERE seq = 1");
    restore_triggers(fx);
    char path[512];
    key_path(fx, "k.key", path, sizeof(path));
    ph_assert_error(ph_audit_checkpoint_sign(fx->store, path, &c, &err), PH_ESTORE, &err,
                    "entry 1 was altered");
    assert_int_equal(ph_test_query_int(fx->store, "SELECT count(*) FROM access_checkpoint"), 1);
}

/* The attack of the review: rewrite the log under an existing checkpoint,
 * put the triggers back, and have the platform sign the forgery's head. The
 * signer checks its own earlier checkpoints and refuses. */
static void test_sign_refuses_rewritten_history(void **state)
{
    fixture *fx = *state;
    char pub[PH_AUDIT_PUBKEY_MAX], other[PH_AUDIT_PUBKEY_MAX];
    keygen(fx, "k.key", pub);
    keygen(fx, "old.key", other);
    reads(fx, 2);
    ph_audit_checkpoint c;
    sign(fx, "old.key", &c); /* a key this one replaced: not checkable by it */
    reads(fx, 2);
    sign(fx, "k.key", &c);
    drop_triggers(fx);
    ph_test_exec(fx->store, "UPDATE access_log SET institution_id = 'BANK02' WHERE seq = 2");
    rehash_from(fx, 2, 4);
    restore_triggers(fx);
    reads(fx, 1);
    char path[512];
    key_path(fx, "k.key", path, sizeof(path));
    ph_error err;
    ph_assert_error(ph_audit_checkpoint_sign(fx->store, path, &c, &err), PH_ESTORE, &err,
                    "field checkpoint, value '2': checkpoint 2 signs entry 4 with hash");
    assert_int_equal(ph_test_query_int(fx->store, "SELECT count(*) FROM access_checkpoint"), 2);
}

/* Rotation: the checkpoints of a replaced key do not stop the new key. */
static void test_sign_after_rotation(void **state)
{
    fixture *fx = *state;
    char pub[PH_AUDIT_PUBKEY_MAX], other[PH_AUDIT_PUBKEY_MAX];
    keygen(fx, "k.key", pub);
    keygen(fx, "old.key", other);
    reads(fx, 2);
    ph_audit_checkpoint c;
    sign(fx, "old.key", &c);
    reads(fx, 1);
    sign(fx, "k.key", &c);
    assert_int_equal(c.size, 3);
    sign(fx, "k.key", &c);
    assert_int_equal(c.id, 3);
}

/* The columns beside the note are compared with it, signed_at and key_id too. */
static void test_checkpoint_columns(void **state)
{
    fixture *fx = *state;
    char pub[PH_AUDIT_PUBKEY_MAX];
    keygen(fx, "k.key", pub);
    reads(fx, 2);
    ph_audit_checkpoint c;
    sign(fx, "k.key", &c);
    ph_test_exec(fx->store, "DROP TRIGGER access_checkpoint_no_update");
    ph_audit_anchor a = {NULL, 0, pub};
    ph_audit_report r;
    ph_error err;
    const char *edits[] = {
        "UPDATE access_checkpoint SET signed_at = '2001-01-01T00:00:00Z'",
        "UPDATE access_checkpoint SET key_id = '00000000'",
        "UPDATE access_checkpoint SET size = 1",
    };
    for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
        char sql[256];
        snprintf(sql, sizeof(sql), "SAVEPOINT e; %s", edits[i]);
        ph_test_exec(fx->store, sql);
        ph_assert_error(ph_audit_verify(fx->store, &a, &r, &err), PH_ESTORE, &err,
                        "field checkpoint, value '1': checkpoint 1's size, head, signed_at and "
                        "key_id columns disagree with its signed note");
        ph_test_exec(fx->store, "ROLLBACK TO e; RELEASE e");
    }
    ph_test_exec(fx->store, "CREATE TRIGGER access_checkpoint_no_update BEFORE UPDATE ON "
                            "access_checkpoint BEGIN SELECT RAISE(ABORT, 'access_checkpoint is "
                            "append-only: checkpoints cannot be changed'); END;");
    ph_assert_ok(ph_audit_verify(fx->store, &a, &r, &err), &err);
}

/* Two connections: the other signs a checkpoint (of an entry it appends)
 * between this verification's walk of the log and its check of the
 * checkpoints. One snapshot sees neither: no false alarm. */
typedef struct interleave {
    fixture *fx;
    ph_store *other;
    int done;
} interleave;

static void sign_from_other(void *user, const char *sql)
{
    interleave *t = user;
    if (t->done || strstr(sql, "FROM access_checkpoint") == NULL)
        return;
    t->done = 1;
    ph_access_request req;
    memset(&req, 0, sizeof(req));
    req.institution_id = "BANK01";
    req.uscc = t->fx->firm;
    req.purpose = PH_PURPOSE_CREDIT;
    ph_error err;
    ph_assert_ok(ph_source_set_parse("vat_invoices", 0, &req.sources, &err), &err);
    req.what = "during the verification";
    ph_access_grant g;
    ph_assert_ok(ph_access_check(t->other, &req, &g, &err), &err);
    char path[512];
    key_path(t->fx, "k.key", path, sizeof(path));
    ph_audit_checkpoint c;
    ph_assert_ok(ph_audit_checkpoint_sign(t->other, path, &c, &err), &err);
    assert_int_equal(c.size, 3);
}

static void test_verify_one_snapshot(void **state)
{
    fixture *fx = *state;
    char pub[PH_AUDIT_PUBKEY_MAX];
    keygen(fx, "k.key", pub);
    reads(fx, 2);
    ph_audit_checkpoint c;
    sign(fx, "k.key", &c);
    interleave t = {fx, NULL, 0};
    char *db = ph_test_path(fx->dir, "p.db");
    ph_error err;
    ph_assert_ok(ph_store_open(fx->ctx, db, NULL, &t.other, &err), &err);
    free(db);
    store_set_prepare_hook(fx->store, sign_from_other, &t);
    ph_audit_anchor a = {NULL, 0, pub};
    ph_audit_report r;
    ph_status st = ph_audit_verify(fx->store, &a, &r, &err);
    store_set_prepare_hook(fx->store, NULL, NULL);
    assert_int_equal(t.done, 1);
    ph_assert_ok(st, &err);
    assert_int_equal(r.head_seq, 2);
    assert_int_equal(r.checkpoints, 1);
    /* afterwards the new state verifies as a whole */
    ph_assert_ok(ph_audit_verify(fx->store, &a, &r, &err), &err);
    assert_int_equal(r.head_seq, 3);
    assert_int_equal(r.checkpoints, 2);
    assert_int_equal(r.signed_seq, 3);
    ph_store_free(t.other);
}

typedef struct seen_entries {
    size_t count;
    int64_t seqs[16];
    char last_what[64];
} seen_entries;

static ph_status keep_entry(void *user, const ph_audit_entry *e, ph_error *err)
{
    (void)err;
    seen_entries *s = user;
    assert_true(s->count < 16);
    s->seqs[s->count++] = e->seq;
    snprintf(s->last_what, sizeof(s->last_what), "%s/%s/%s", e->what, e->outcome,
             e->institution_id);
    return PH_OK;
}

static ph_status stop_entry(void *user, const ph_audit_entry *e, ph_error *err)
{
    (void)user, (void)e;
    return ph_error_set(err, PH_EIO, NULL, NULL, "stop");
}

static void test_list(void **state)
{
    fixture *fx = *state;
    reads(fx, 5);
    seen_entries s;
    memset(&s, 0, sizeof(s));
    ph_error err;
    ph_audit_filter f = {fx->firm, NULL, 0, 0};
    ph_assert_ok(ph_audit_list(fx->store, &f, keep_entry, &s, &err), &err);
    assert_int_equal(s.count, 4); /* entry 4 is about the other firm */
    assert_int_equal(s.seqs[0], 5);
    assert_int_equal(s.seqs[1], 3);
    assert_int_equal(s.seqs[2], 2);
    assert_int_equal(s.seqs[3], 1);
    assert_string_equal(s.last_what, "features 1/allowed/BANK01");

    memset(&s, 0, sizeof(s));
    f.institution_id = "BANK02";
    ph_assert_ok(ph_audit_list(fx->store, &f, keep_entry, &s, &err), &err);
    assert_int_equal(s.count, 1);
    assert_string_equal(s.last_what, "features 3/denied/BANK02");

    memset(&s, 0, sizeof(s));
    ph_audit_filter newest = {NULL, NULL, 2, 0};
    ph_assert_ok(ph_audit_list(fx->store, &newest, keep_entry, &s, &err), &err);
    assert_int_equal(s.count, 2);
    assert_int_equal(s.seqs[0], 5);
    assert_int_equal(s.seqs[1], 4);

    memset(&s, 0, sizeof(s));
    ph_assert_ok(ph_audit_list(fx->store, NULL, keep_entry, &s, &err), &err);
    assert_int_equal(s.count, 5);
    ph_assert_error(ph_audit_list(fx->store, NULL, stop_entry, NULL, &err), PH_EIO, &err,
                    "stop");
    newest.limit = -3;
    ph_assert_error(ph_audit_list(fx->store, &newest, keep_entry, &s, &err), PH_EINVAL, &err,
                    "field limit, value '-3': expected a positive number of entries, or 0 "
                    "for all");
    ph_assert_error(ph_audit_list(fx->store, NULL, NULL, &s, &err), PH_EMISUSE, &err, NULL);

    /* keyset pages: entries below `before`, newest first */
    memset(&s, 0, sizeof(s));
    ph_audit_filter page = {fx->firm, NULL, 2, 5};
    ph_assert_ok(ph_audit_list(fx->store, &page, keep_entry, &s, &err), &err);
    assert_int_equal(s.count, 2);
    assert_int_equal(s.seqs[0], 3);
    assert_int_equal(s.seqs[1], 2);
    memset(&s, 0, sizeof(s));
    page.before = 2;
    ph_assert_ok(ph_audit_list(fx->store, &page, keep_entry, &s, &err), &err);
    assert_int_equal(s.count, 1);
    assert_int_equal(s.seqs[0], 1);
    page.before = -1;
    ph_assert_error(ph_audit_list(fx->store, &page, keep_entry, &s, &err), PH_EINVAL, &err,
                    "field before, value '-1'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_vectors),
        cmocka_unit_test_setup_teardown(test_verify_intact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_edit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_edit_outcome, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_rewrite_with_hash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_delete_middle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_delete_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_delete_and_renumber, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_delete_last, setup, teardown),
        cmocka_unit_test_setup_teardown(test_anchor_mismatch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_reorder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_insert, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_nul_in_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_triggers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hollow_triggers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_data_date_logged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v1_entries_keep_verifying, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migration_keeps_old_entries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keygen_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkpoint_unsigned_tail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkpoint_forged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkpoint_rewritten_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign_refuses_rewritten_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign_after_rotation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkpoint_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_one_snapshot, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
