/* The platform's records anchored in the evidence log (src/anchor): each
 * consent grant and revocation once, the access log's head when it moved;
 * the audit finds a row edited after it was anchored; the misuse and
 * old-schema errors; the leaves come before the anchors, so a sweep whose
 * anchors fail to be recorded leaves only leaves no anchor names, and the
 * next sweep anchors the records again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ph_test.h"
#include "puhui/access.h"
#include "puhui/anchor.h"
#include "puhui/evidence.h"
#include "puhui/schema.h"

typedef struct fixture {
    ph_ctx *ctx;
    char *dir;
    ph_store *store;
    ph_evidence_log *log;
    char firm[PH_USCC_LEN + 1], other[PH_USCC_LEN + 1];
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    ph_test_env_open("anchor", &fx->ctx, &fx->dir);
    fx->store = ph_test_open_db(fx->ctx, fx->dir, "a.db");
    ph_test_add_parties(fx->store, fx->firm, fx->other);
    char *path = ph_test_path(fx->dir, "a.db.evidence");
    ph_error err;
    ph_assert_ok(ph_evidence_open(fx->ctx, path, "test.local/anchor", 1, &fx->log, &err), &err);
    free(path);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ph_evidence_free(fx->log);
    ph_store_free(fx->store);
    ph_test_env_close(fx->ctx, fx->dir);
    free(fx);
    return 0;
}

static int64_t grant(fixture *fx, const char *uscc)
{
    ph_date today = 0;
    ph_error err;
    ph_assert_ok(ph_ctx_today(fx->ctx, &today, &err), &err);
    ph_consent_terms t = {.uscc = uscc,
                          .institution_id = "BANK01",
                          .purpose = PH_PURPOSE_CREDIT,
                          .sources = ph_source_set_for_purpose(PH_PURPOSE_CREDIT),
                          .expires_on = today + 30};
    int64_t id = 0;
    ph_assert_ok(ph_consent_grant(fx->store, &t, &id, &err), &err);
    return id;
}

typedef struct seen {
    int n;
    char source[32];
    int64_t key;
    char problem[160];
} seen;

static ph_status on_mismatch(void *user, const ph_anchor_mismatch *m, ph_error *err)
{
    (void)err;
    seen *s = user;
    s->n++;
    snprintf(s->source, sizeof(s->source), "%s", m->source);
    s->key = m->key;
    snprintf(s->problem, sizeof(s->problem), "%s", m->problem);
    return PH_OK;
}

static void test_sweep_once_each(void **state)
{
    fixture *fx = *state;
    ph_error err;
    int64_t a = grant(fx, fx->firm), b = grant(fx, fx->other);
    ph_anchor_report r;
    ph_assert_ok(ph_anchor_sweep(fx->store, fx->log, &r, &err), &err);
    assert_int_equal(r.grants, 2);
    assert_int_equal(r.revocations, 0);
    assert_int_equal(r.decisions, 0);
    assert_int_equal(r.heads, 0); /* nothing was read yet: no head */
    assert_int_equal(r.leaves, 2);
    assert_int_equal(r.first_leaf, 0);
    assert_int_equal(ph_evidence_size(fx->log), 2);

    /* nothing new: nothing appended */
    ph_assert_ok(ph_anchor_sweep(fx->store, fx->log, &r, &err), &err);
    assert_int_equal(r.leaves, 0);
    assert_int_equal(ph_evidence_size(fx->log), 2);

    /* a revocation and a read: one leaf each */
    ph_assert_ok(ph_consent_revoke(fx->store, b, &err), &err);
    ph_access_request req = {.uscc = fx->firm,
                             .institution_id = "BANK01",
                             .purpose = PH_PURPOSE_CREDIT,
                             .sources = ph_source_set_for_purpose(PH_PURPOSE_CREDIT),
                             .what = "test read"};
    ph_access_grant dec;
    ph_assert_ok(ph_access_check(fx->store, &req, &dec, &err), &err);
    ph_assert_ok(ph_anchor_sweep(fx->store, fx->log, &r, &err), &err);
    assert_int_equal(r.grants, 0);
    assert_int_equal(r.revocations, 1);
    assert_int_equal(r.heads, 1);
    assert_int_equal(r.first_leaf, 2);
    assert_int_equal(r.leaves, 2);

    uint64_t leaf = 99;
    ph_assert_ok(ph_anchor_find(fx->store, "consent.grant", a, &leaf, &err), &err);
    assert_int_equal(leaf, 0);
    ph_assert_ok(ph_anchor_find(fx->store, "consent.revoke", b, &leaf, &err), &err);
    assert_int_equal(leaf, 2);
    ph_assert_error(ph_anchor_find(fx->store, "consent.revoke", a, &leaf, &err), PH_ENOTFOUND,
                    &err, "never anchored");

    /* the leaf holds the row's canonical bytes */
    const uint8_t *data = NULL;
    size_t len = 0;
    ph_assert_ok(ph_evidence_leaf_data(fx->log, 2, &data, &len, &err), &err);
    char text[512];
    snprintf(text, sizeof(text), "%.*s", (int)len, (const char *)data);
    char want[128];
    snprintf(want, sizeof(want), "{\"type\":\"consent.revoke\",\"id\":%lld,\"uscc\":\"%s\"",
             (long long)b, fx->other);
    assert_true(strncmp(text, want, strlen(want)) == 0);

    seen s = {0};
    int64_t checked = 0, bad = -1;
    ph_assert_ok(ph_anchor_check(fx->store, fx->log, on_mismatch, &s, &checked, &bad, &err),
                 &err);
    assert_int_equal(checked, 4);
    assert_int_equal(bad, 0);
}

static void test_audit_finds_an_edit(void **state)
{
    fixture *fx = *state;
    ph_error err;
    int64_t a = grant(fx, fx->firm);
    ph_anchor_report r;
    ph_assert_ok(ph_anchor_sweep(fx->store, fx->log, &r, &err), &err);
    /* whoever can write the database removes the guard and widens a consent */
    ph_test_exec(fx->store, "DROP TRIGGER IF EXISTS consent_no_update;"
                            "UPDATE consent SET expires_on = '2099-12-31'");
    seen s = {0};
    int64_t checked = 0, bad = 0;
    ph_assert_ok(ph_anchor_check(fx->store, fx->log, on_mismatch, &s, &checked, &bad, &err),
                 &err);
    assert_int_equal(bad, 1);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.source, "consent.grant");
    assert_int_equal(s.key, a);
    assert_non_null(strstr(s.problem, "changed after it was anchored"));
    /* and one deleted outright */
    ph_test_exec(fx->store, "DROP TRIGGER IF EXISTS consent_no_delete; DELETE FROM consent");
    s.n = 0;
    ph_assert_ok(ph_anchor_check(fx->store, fx->log, on_mismatch, &s, &checked, &bad, &err),
                 &err);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.problem, "the consent is no longer in the store");
}

/* A sweep whose anchors cannot be recorded has committed its leaves; the
 * next sweep appends the records again and anchors them there. */
static void test_leaves_before_anchors(void **state)
{
    fixture *fx = *state;
    ph_error err;
    grant(fx, fx->firm);
    ph_test_exec(fx->store, "CREATE TRIGGER refuse BEFORE INSERT ON evidence_anchor "
                            "BEGIN SELECT RAISE(ABORT, 'refused'); END;");
    ph_anchor_report r;
    assert_int_not_equal(ph_anchor_sweep(fx->store, fx->log, &r, &err), PH_OK);
    assert_int_equal(ph_evidence_size(fx->log), 1);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM evidence_anchor"), 0);
    ph_test_exec(fx->store, "DROP TRIGGER refuse");
    ph_assert_ok(ph_anchor_sweep(fx->store, fx->log, &r, &err), &err);
    assert_int_equal(r.grants, 1);
    assert_int_equal(r.first_leaf, 1);
    seen s = {0};
    int64_t checked = 0, bad = 0;
    ph_assert_ok(ph_anchor_check(fx->store, fx->log, on_mismatch, &s, &checked, &bad, &err),
                 &err);
    assert_int_equal(checked, 1);
    assert_int_equal(bad, 0);
}

static void test_misuse(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_anchor_report r;
    ph_assert_error(ph_anchor_sweep(NULL, fx->log, &r, &err), PH_EMISUSE, &err, NULL);
    ph_assert_error(ph_anchor_sweep(fx->store, NULL, &r, &err), PH_EMISUSE, &err, NULL);
    ph_assert_ok(ph_store_begin(fx->store, &err), &err);
    ph_assert_error(ph_anchor_sweep(fx->store, fx->log, &r, &err), PH_EMISUSE, &err,
                    "none may be open");
    ph_assert_ok(ph_store_rollback(fx->store, &err), &err);

    /* a database at schema 18 has no anchors */
    char *path = ph_test_path(fx->dir, "old.db");
    ph_store *old = NULL;
    ph_assert_ok(ph_store_open(fx->ctx, path, NULL, &old, &err), &err);
    free(path);
    int applied = 0;
    ph_assert_ok(ph_schema_migrate(old, 18, &applied, &err), &err);
    ph_assert_error(ph_anchor_sweep(old, fx->log, &r, &err), PH_ESCHEMA, &err, NULL);
    ph_store_free(old);
}

/* A sweep that fails after appending leaves and before committing the log
 * (here the decisions cannot be read) keeps none of them: the log's size is
 * unchanged, and the next sweep's leaves follow the last committed one. */
static void test_failed_sweep_leaves_no_leaf(void **state)
{
    fixture *fx = *state;
    ph_error err;
    grant(fx, fx->firm);
    ph_anchor_report r;
    ph_assert_ok(ph_anchor_sweep(fx->store, fx->log, &r, &err), &err);
    assert_int_equal(ph_evidence_size(fx->log), 1);
    grant(fx, fx->other);
    ph_test_exec(fx->store, "ALTER TABLE decision RENAME TO decision_away");
    assert_int_not_equal(ph_anchor_sweep(fx->store, fx->log, &r, &err), PH_OK);
    assert_int_equal(ph_evidence_size(fx->log), 1);
    ph_test_exec(fx->store, "ALTER TABLE decision_away RENAME TO decision");
    ph_assert_ok(ph_anchor_sweep(fx->store, fx->log, &r, &err), &err);
    assert_int_equal(r.grants, 1);
    assert_int_equal(r.first_leaf, 1);
    assert_int_equal(ph_evidence_size(fx->log), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sweep_once_each, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_finds_an_edit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_leaves_before_anchors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_misuse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_sweep_leaves_no_leaf, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
