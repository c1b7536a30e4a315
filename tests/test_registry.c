/* The model registry (src/governance/registry*.c): registering, versions,
 * checksums, the approval state machine and its append-only events, and
 * loading only approved, untampered models. */
#include "ph_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    char *dir;
    ph_ctx *ctx;
    ph_store *store;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    ph_test_env_open("registry", &fx->ctx, &fx->dir);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ph_test_env_close(fx->ctx, fx->dir);
    free(fx);
    return 0;
}

/* Each test starts from a fresh database. */
static int fresh(void **state)
{
    fixture *fx = *state;
    fx->store = ph_test_open_db(fx->ctx, fx->dir, "registry.db");
    return 0;
}

static int close_db(void **state)
{
    fixture *fx = *state;
    ph_store_free(fx->store);
    fx->store = NULL;
    return 0;
}

/* A registry row as another program (or an older puhui) would have written
 * it, for the tests that need a model the loaders need not understand. */
static void insert_model(ph_store *store, const char *name, int64_t version, const char *bytes)
{
    char checksum[PH_CHECKSUM_HEX];
    ph_checksum_hex(bytes, strlen(bytes), checksum);
    ph_stmt *stmt = NULL;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_store_prepare(store,
                                  "INSERT INTO model_registry (name, version, kind, checksum, "
                                  "size, model, file, features, registered_at) VALUES (?, ?, "
                                  "'xgboost', ?, ?, ?, 'm.json', '[\"a\",\"b\"]', "
                                  "'2025-03-01T08:00:00Z')",
                                  &stmt, &err),
                 &err);
    ph_assert_ok(ph_stmt_bind_text(stmt, 1, name, -1, &err), &err);
    ph_assert_ok(ph_stmt_bind_int64(stmt, 2, version, &err), &err);
    ph_assert_ok(ph_stmt_bind_text(stmt, 3, checksum, -1, &err), &err);
    ph_assert_ok(ph_stmt_bind_int64(stmt, 4, (int64_t)strlen(bytes), &err), &err);
    ph_assert_ok(ph_stmt_bind_blob(stmt, 5, bytes, strlen(bytes), &err), &err);
    assert_int_equal(ph_stmt_step(stmt, &err), PH_DONE);
    ph_stmt_free(stmt);
}

static void test_state_names(void **state)
{
    (void)state;
    ph_error err;
    ph_model_state s = PH_MODEL_DRAFT;
    assert_string_equal(ph_model_state_name(PH_MODEL_DRAFT), "draft");
    assert_string_equal(ph_model_state_name(PH_MODEL_RETIRED), "retired");
    assert_null(ph_model_state_name((ph_model_state)9));
    ph_assert_ok(ph_model_state_parse("rejected", &s, &err), &err);
    assert_int_equal(s, PH_MODEL_REJECTED);
    ph_assert_error(ph_model_state_parse("Approved", &s, &err), PH_EINVAL, &err,
                    "field state, value 'Approved': expected draft, approved, rejected or "
                    "retired");
    /* BLAKE2b-256 of "abc" (RFC 7693 lists BLAKE2b-512; this is b2sum -l 256) */
    char hex[PH_CHECKSUM_HEX];
    ph_checksum_hex("abc", 3, hex);
    assert_string_equal(hex, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

static void test_needs_schema_6(void **state)
{
    fixture *fx = *state;
    ph_store *old = NULL;
    ph_error err;
    ph_error_clear(&err);
    char *path = ph_test_path(fx->dir, "old.db");
    remove(path);
    ph_assert_ok(ph_store_open(fx->ctx, path, NULL, &old, &err), &err);
    ph_assert_ok(ph_schema_migrate(old, 5, NULL, &err), &err);
    ph_registry_entry *e = NULL;
    ph_assert_error(ph_registry_get(old, "pd", 0, &e, &err), PH_ESCHEMA, &err,
                    "the model registry needs schema version 6 or later, the database has 5; "
                    "run `puhui init`");
    ph_model *m = NULL;
    ph_assert_error(ph_registry_load_approved(old, "pd", 0, &m, &err), PH_ESCHEMA, &err,
                    "schema version 6");
    ph_store_free(old);
    free(path);
}

static void test_register_errors(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_registry_entry *e = NULL;
    char *missing = ph_test_path(fx->dir, "absent.json");
    ph_registry_spec spec = {.path = missing, .name = "pd"};
    ph_assert_error(ph_registry_register(fx->store, &spec, &e, &err), PH_EIO, &err,
                    "absent.json': cannot open the file: No such file or directory");
    char *junk = ph_test_path(fx->dir, "junk.txt");
    ph_test_write_file(junk, "hello");
    spec.path = junk;
    ph_assert_error(ph_registry_register(fx->store, &spec, &e, &err), PH_EINVAL, &err,
                    "expected a PMML document");
    spec.name = "pd model";
    ph_assert_error(ph_registry_register(fx->store, &spec, &e, &err), PH_EINVAL, &err,
                    "field name, value 'pd model': expected 1 to 64 letters, digits, '.', '_' "
                    "or '-', starting with a letter or digit");
    spec.name = "-pd";
    ph_assert_error(ph_registry_register(fx->store, &spec, &e, &err), PH_EINVAL, &err,
                    "value '-pd'");
    spec.name = "pd";
    spec.version = -2;
    ph_assert_error(ph_registry_register(fx->store, &spec, &e, &err), PH_EINVAL, &err,
                    "field version, value '-2': expected a version of 1 or more, or 0 for the "
                    "next");
    ph_assert_error(ph_registry_register(fx->store, NULL, &e, &err), PH_EMISUSE, &err,
                    "ph_registry_register: store, spec, spec->path and spec->name must not be "
                    "NULL");
    assert_null(e);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT count(*) FROM model_registry"), 0);
    free(missing);
    free(junk);
}

typedef struct seen {
    int count;
    char names[8][32];
    int64_t versions[8];
} seen;

static ph_status collect(void *user, const ph_registry_entry *e, ph_error *err)
{
    (void)err;
    seen *s = user;
    snprintf(s->names[s->count], sizeof(s->names[0]), "%s", e->name);
    s->versions[s->count++] = e->version;
    return PH_OK;
}

static ph_status stop_at_first(void *user, const ph_registry_entry *e, ph_error *err)
{
    (void)user;
    (void)e;
    return ph_error_set(err, PH_EEXISTS, NULL, NULL, "stop");
}

static void test_get_and_list(void **state)
{
    fixture *fx = *state;
    ph_error err;
    insert_model(fx->store, "pd", 1, "model one");
    insert_model(fx->store, "pd", 2, "model two");
    insert_model(fx->store, "lgd", 1, "another");
    ph_registry_entry *e = NULL;
    ph_assert_ok(ph_registry_get(fx->store, "pd", 0, &e, &err), &err); /* the latest */
    assert_int_equal(e->version, 2);
    assert_string_equal(e->name, "pd");
    assert_int_equal(e->kind, PH_MODEL_XGBOOST);
    assert_int_equal(e->size, 9);
    assert_string_equal(e->file, "m.json");
    assert_string_equal(e->features, "[\"a\",\"b\"]");
    assert_null(e->training);
    assert_null(e->metrics);
    assert_int_equal(e->state, PH_MODEL_DRAFT);
    assert_string_equal(e->state_at, "2025-03-01T08:00:00Z");
    assert_string_equal(e->state_by, "");
    char hex[PH_CHECKSUM_HEX];
    ph_checksum_hex("model two", 9, hex);
    assert_string_equal(e->checksum, hex);
    ph_registry_entry_free(e);
    ph_assert_ok(ph_registry_get(fx->store, "pd", 1, &e, &err), &err);
    assert_int_equal(e->version, 1);
    ph_registry_entry_free(e);
    ph_registry_entry_free(NULL);

    e = NULL;
    ph_assert_error(ph_registry_get(fx->store, "pd", 9, &e, &err), PH_ENOTFOUND, &err,
                    "field model, value 'pd': no version 9 of this model is registered (see "
                    "`puhui model list`)");
    ph_assert_error(ph_registry_get(fx->store, "nope", 0, &e, &err), PH_ENOTFOUND, &err,
                    "field model, value 'nope': no model of this name is registered");
    ph_assert_error(ph_registry_get(fx->store, "pd", -1, &e, &err), PH_EINVAL, &err,
                    "field version, value '-1': expected a version of 1 or more (0: the "
                    "latest)");
    assert_null(e);

    seen s;
    memset(&s, 0, sizeof(s));
    ph_assert_ok(ph_registry_list(fx->store, NULL, collect, &s, &err), &err);
    assert_int_equal(s.count, 3);
    assert_string_equal(s.names[0], "lgd");
    assert_string_equal(s.names[1], "pd");
    assert_int_equal(s.versions[1], 1);
    assert_int_equal(s.versions[2], 2);
    memset(&s, 0, sizeof(s));
    ph_assert_ok(ph_registry_list(fx->store, "pd", collect, &s, &err), &err);
    assert_int_equal(s.count, 2);
    ph_assert_error(ph_registry_list(fx->store, NULL, stop_at_first, NULL, &err), PH_EEXISTS,
                    &err, "stop");
}

typedef struct events {
    int count;
    char lines[8][160];
} events;

static ph_status collect_event(void *user, const ph_registry_event *ev, ph_error *err)
{
    (void)err;
    events *s = user;
    snprintf(s->lines[s->count++], sizeof(s->lines[0]), "%s>%s by %s: %s", ev->from, ev->to,
             ev->actor, ev->note);
    return PH_OK;
}

static void test_state_machine(void **state)
{
    fixture *fx = *state;
    ph_error err;
    insert_model(fx->store, "pd", 1, "one");
    insert_model(fx->store, "pd", 2, "two");
    ph_store *s = fx->store;

    ph_assert_error(ph_registry_set_state(s, "pd", 1, PH_MODEL_RETIRED, "li", "old", &err),
                    PH_EINVAL, &err,
                    "field state, value 'retired': model pd version 1 cannot go from draft to "
                    "retired (allowed: draft to approved or rejected, approved to retired)");
    ph_assert_error(ph_registry_set_state(s, "pd", 1, PH_MODEL_APPROVED, "li", "  ", &err),
                    PH_EINVAL, &err,
                    "field note: a move from draft to approved needs a note saying why");
    ph_assert_error(ph_registry_set_state(s, "pd", 1, PH_MODEL_APPROVED, "", "fine", &err),
                    PH_EINVAL, &err,
                    "field actor: every decision on a model needs the person who takes it");
    ph_assert_error(ph_registry_set_state(s, "pd", 1, PH_MODEL_APPROVED, NULL, "fine", &err),
                    PH_EINVAL, &err, "field actor");
    ph_assert_error(ph_registry_set_state(s, "pd", 0, PH_MODEL_APPROVED, "li", "fine", &err),
                    PH_EINVAL, &err, "expected the version to decide on");
    ph_assert_error(ph_registry_set_state(s, "pd", 3, PH_MODEL_APPROVED, "li", "fine", &err),
                    PH_ENOTFOUND, &err, "no version 3 of this model is registered");
    ph_assert_error(ph_registry_set_state(s, "pd", 1, (ph_model_state)7, "li", "x", &err),
                    PH_EINVAL, &err, "field state, value '7'");
    assert_int_equal(ph_test_query_int(s, "SELECT count(*) FROM model_event"), 0);

    ph_assert_ok(ph_registry_set_state(s, "pd", 1, PH_MODEL_APPROVED, "Li Wei",
                                       "AUC 0.87 on the 2024 holdout; PSI 0.03", &err),
                 &err);
    ph_assert_ok(ph_registry_set_state(s, "pd", 2, PH_MODEL_REJECTED, "Wang Fang",
                                       "female-owner approval ratio 0.71", &err),
                 &err);
    ph_assert_error(ph_registry_set_state(s, "pd", 2, PH_MODEL_APPROVED, "Li Wei", "appeal",
                                          &err),
                    PH_EINVAL, &err, "cannot go from rejected to approved");
    ph_assert_error(ph_registry_set_state(s, "pd", 1, PH_MODEL_APPROVED, "Li Wei", "again",
                                          &err),
                    PH_EINVAL, &err, "cannot go from approved to approved");
    ph_assert_error(ph_registry_set_state(s, "pd", 1, PH_MODEL_DRAFT, "Li Wei", "undo", &err),
                    PH_EINVAL, &err, "cannot go from approved to draft");
    /* retiring needs no note */
    ph_assert_ok(ph_registry_set_state(s, "pd", 1, PH_MODEL_RETIRED, "Zhao Min", NULL, &err),
                 &err);
    ph_assert_error(ph_registry_set_state(s, "pd", 1, PH_MODEL_APPROVED, "Li Wei", "back",
                                          &err),
                    PH_EINVAL, &err, "cannot go from retired to approved");

    ph_registry_entry *e = NULL;
    ph_assert_ok(ph_registry_get(s, "pd", 1, &e, &err), &err);
    assert_int_equal(e->state, PH_MODEL_RETIRED);
    assert_string_equal(e->state_by, "Zhao Min");
    assert_string_equal(e->state_note, "");
    ph_registry_entry_free(e);
    ph_assert_ok(ph_registry_get(s, "pd", 2, &e, &err), &err);
    assert_int_equal(e->state, PH_MODEL_REJECTED);
    assert_string_equal(e->state_by, "Wang Fang");
    assert_string_equal(e->state_note, "female-owner approval ratio 0.71");
    ph_registry_entry_free(e);

    events ev;
    memset(&ev, 0, sizeof(ev));
    ph_assert_ok(ph_registry_events(s, "pd", 1, collect_event, &ev, &err), &err);
    assert_int_equal(ev.count, 2);
    assert_string_equal(ev.lines[0],
                        "draft>approved by Li Wei: AUC 0.87 on the 2024 holdout; PSI 0.03");
    assert_string_equal(ev.lines[1], "approved>retired by Zhao Min: ");
    ph_assert_error(ph_registry_events(s, "pd", 5, collect_event, &ev, &err), PH_ENOTFOUND,
                    &err, "no version 5");
    assert_int_equal(ph_test_query_int(s, "SELECT count(*) FROM model_event"), 3);
}

static void expect_refused(ph_store *store, const char *sql, const char *message)
{
    ph_error err;
    ph_error_clear(&err);
    ph_assert_error(ph_store_exec(store, sql, &err), PH_EINVAL, &err, message);
}

static void test_events_and_models_are_kept(void **state)
{
    fixture *fx = *state;
    ph_error err;
    insert_model(fx->store, "pd", 1, "one");
    ph_assert_ok(ph_registry_set_state(fx->store, "pd", 1, PH_MODEL_APPROVED, "Li Wei", "ok",
                                       &err),
                 &err);
    expect_refused(fx->store, "UPDATE model_event SET actor = 'someone else'",
                   "model_event is append-only: events cannot be changed");
    expect_refused(fx->store, "DELETE FROM model_event",
                   "model_event is append-only: events cannot be deleted");
    expect_refused(fx->store, "DELETE FROM model_registry", "rows cannot be deleted");
    expect_refused(fx->store, "UPDATE model_registry SET model = x'00'",
                   "a registered model cannot be changed, only its state");
    expect_refused(fx->store, "UPDATE model_registry SET state = 'draft'",
                   "model_registry: illegal state transition");
    assert_int_equal(ph_test_query_int(fx->store, "SELECT count(*) FROM model_event"), 1);
}

static void test_load_approved_refuses(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_store *s = fx->store;
    ph_model *m = NULL;
    insert_model(s, "pd", 1, "not a model");
    ph_assert_error(ph_registry_load_approved(s, "pd", 1, &m, &err), PH_EDENIED, &err, NULL);
    assert_string_equal(err.message, "field model, value 'pd': model pd version 1 is draft: an "
                                     "unapproved model cannot be used for decisions");
    ph_assert_error(ph_registry_load_approved(s, "pd", 0, &m, &err), PH_EDENIED, &err,
                    "model pd has no approved version (the latest, version 1, is draft): an "
                    "unapproved model cannot be used for decisions");
    ph_assert_error(ph_registry_load_approved(s, "ghost", 0, &m, &err), PH_ENOTFOUND, &err,
                    "no model of this name is registered");
    ph_assert_error(ph_registry_load_approved(s, "pd", 4, &m, &err), PH_ENOTFOUND, &err,
                    "no version 4 of this model is registered");

    insert_model(s, "pd", 2, "also not a model");
    ph_assert_ok(ph_registry_set_state(s, "pd", 2, PH_MODEL_REJECTED, "Li", "weak", &err), &err);
    ph_assert_error(ph_registry_load_approved(s, "pd", 2, &m, &err), PH_EDENIED, &err,
                    "model pd version 2 is rejected: an unapproved model cannot be used");
    ph_assert_error(ph_registry_load_approved(s, "pd", 0, &m, &err), PH_EDENIED, &err,
                    "(the latest, version 2, is rejected)");

    /* approved: the checksum holds, so the bytes reach the loader, under the
     * registry's name for them (these bytes are no model, so it refuses) */
    ph_assert_ok(ph_registry_set_state(s, "pd", 1, PH_MODEL_APPROVED, "Li", "ok", &err), &err);
    ph_assert_error(ph_registry_load_approved(s, "pd", 0, &m, &err), PH_EINVAL, &err,
                    "value 'registry:pd@1': expected a PMML document");
    ph_assert_ok(ph_registry_set_state(s, "pd", 1, PH_MODEL_RETIRED, "Li", NULL, &err), &err);
    ph_assert_error(ph_registry_load_approved(s, "pd", 1, &m, &err), PH_EDENIED, &err,
                    "model pd version 1 is retired: an unapproved model cannot be used");
    ph_assert_error(ph_registry_load_approved(s, "pd", -1, &m, &err), PH_EINVAL, &err,
                    "field version");
    ph_assert_error(ph_registry_load_approved(s, "pd", 0, NULL, &err), PH_EMISUSE, &err,
                    "out is NULL");
    assert_null(m);
}

static void test_tampered_bytes_are_refused(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_store *s = fx->store;
    insert_model(s, "pd", 1, "the approved bytes");
    ph_assert_ok(ph_registry_set_state(s, "pd", 1, PH_MODEL_APPROVED, "Li", "ok", &err), &err);
    /* someone goes around the trigger */
    ph_test_exec(s, "DROP TRIGGER model_registry_frozen;"
                    "UPDATE model_registry SET model = CAST('the swapped bytes' AS BLOB)");
    char recorded[PH_CHECKSUM_HEX], actual[PH_CHECKSUM_HEX];
    ph_checksum_hex("the approved bytes", 18, recorded);
    ph_checksum_hex("the swapped bytes", 17, actual);
    char expected[400];
    snprintf(expected, sizeof(expected),
             "field model, value 'registry:pd@1': the stored model bytes hash to %s but the "
             "registry records %s: the row was altered; it will not be used",
             actual, recorded);
    ph_model *m = NULL;
    ph_assert_error(ph_registry_load_approved(s, "pd", 0, &m, &err), PH_ESTORE, &err, NULL);
    assert_string_equal(err.message, expected);
    assert_null(m);
}

static char *file_checksum(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 20];
    size_t len = fread(buf, 1, sizeof(buf), f);
    assert_true(len < sizeof(buf));
    fclose(f);
    char *hex = malloc(PH_CHECKSUM_HEX);
    assert_non_null(hex);
    ph_checksum_hex(buf, len, hex);
    return hex;
}

static void test_register_real_models(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_error_clear(&err);
    ph_store *s = fx->store;
    char *path = ph_test_fixture("models/xgb_small.json");
    char *sum = file_checksum(path);
    ph_registry_spec spec = {.path = path, .name = "pd"};
    ph_registry_entry *e = NULL;
    ph_assert_ok(ph_registry_register(s, &spec, &e, &err), &err);
    assert_int_equal(e->version, 1);
    assert_int_equal(e->kind, PH_MODEL_XGBOOST);
    assert_string_equal(e->checksum, sum);
    assert_string_equal(e->file, "xgb_small.json");
    assert_string_equal(e->features,
                        "[\"revenue_growth_3m\",\"inflow_ratio\",\"overdue_days_max\","
                        "\"tax_paid_12m\",\"months_in_business\",\"inquiries_6m\","
                        "\"utilization\",\"owner_age\"]");
    assert_int_equal(e->state, PH_MODEL_DRAFT);
    assert_null(e->training);
    assert_string_equal(e->state_at, e->registered_at);
    ph_registry_entry_free(e);
    /* versions: the next by default, a free one when given, never a taken one */
    ph_assert_ok(ph_registry_register(s, &spec, NULL, &err), &err);
    spec.version = 2;
    ph_assert_error(ph_registry_register(s, &spec, &e, &err), PH_EEXISTS, &err,
                    "field version, value '2': model pd already has version 2 (registered "
                    "versions are never replaced; the next free one is 3)");
    spec.version = 10;
    ph_assert_ok(ph_registry_register(s, &spec, NULL, &err), &err);
    spec.version = 0;
    ph_assert_ok(ph_registry_register(s, &spec, &e, &err), &err);
    assert_int_equal(e->version, 11);
    ph_registry_entry_free(e);

    /* the training summary and the metrics */
    char *data = ph_test_fixture("governance/sample.csv");
    char *data_sum = file_checksum(data);
    ph_dataset *ds = NULL;
    ph_assert_ok(ph_dataset_read_csv(fx->ctx, data, NULL, &ds, &err), &err);
    spec = (ph_registry_spec){.path = path, .name = "pd.tree-v2", .training = ds,
                              .target = "bad", .metrics_json = "{ \"auc\": 0.71 }"};
    ph_assert_ok(ph_registry_register(s, &spec, &e, &err), &err);
    char expected[1024];
    snprintf(expected, sizeof(expected),
             "{\"file\":\"sample.csv\",\"checksum\":\"%s\",\"rows\":80,\"target\":\"bad\","
             "\"bad_rate\":0.3875,\"columns\":[\"firm_id\",\"utilization\","
             "\"owner_age\",\"tax_paid_12m\",\"revenue_growth_3m\",\"inquiries_6m\","
             "\"inflow_ratio\",\"months_in_business\",\"overdue_days_max\",\"bad\","
             "\"owner_gender\",\"city\"]}",
             data_sum);
    assert_string_equal(e->training, expected);
    assert_string_equal(e->metrics, "{\"auc\":0.71}");
    ph_registry_entry_free(e);
    spec.metrics_json = "[0.71]";
    ph_assert_error(ph_registry_register(s, &spec, &e, &err), PH_EINVAL, &err,
                    "field metrics, value '[0.71]': expected a JSON object");
    spec.metrics_json = "{\"auc\":";
    ph_assert_error(ph_registry_register(s, &spec, &e, &err), PH_EINVAL, &err,
                    "expected a JSON object: ");
    spec.metrics_json = NULL;
    spec.target = "nope";
    ph_assert_error(ph_registry_register(s, &spec, &e, &err), PH_ENOTFOUND, &err,
                    "field target, value 'nope'");
    assert_int_equal(ph_test_query_int(s, "SELECT count(*) FROM model_registry"), 5);
    ph_dataset_free(ds);
    free(data);
    free(data_sum);
    free(sum);
    free(path);
}

static void test_load_approved_scores_like_the_file(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_error_clear(&err);
    ph_store *s = fx->store;
    char *xgb = ph_test_fixture("models/xgb_small.json");
    char *lgb = ph_test_fixture("models/lgb_small.txt");
    ph_registry_spec spec = {.path = xgb, .name = "pd"};
    ph_assert_ok(ph_registry_register(s, &spec, NULL, &err), &err);
    spec.path = lgb;
    ph_assert_ok(ph_registry_register(s, &spec, NULL, &err), &err);
    ph_assert_ok(ph_registry_set_state(s, "pd", 1, PH_MODEL_APPROVED, "Li", "AUC 0.86", &err),
                 &err);
    ph_model *m = NULL;
    /* version 2 is a draft: the latest approved is 1 */
    ph_assert_ok(ph_registry_load_approved(s, "pd", 0, &m, &err), &err);
    assert_int_equal(ph_model_kind_of(m), PH_MODEL_XGBOOST);
    assert_string_equal(ph_model_source(m), "registry:pd@1");
    ph_model *direct = NULL;
    ph_assert_ok(ph_model_load_file(fx->ctx, xgb, &direct, &err), &err);
    char *input = ph_test_fixture("models/input.csv");
    ph_dataset *ds = NULL;
    ph_assert_ok(ph_dataset_read_csv(fx->ctx, input, NULL, &ds, &err), &err);
    size_t rows = ph_dataset_rows(ds);
    double *a = calloc(rows, sizeof(double)), *b = calloc(rows, sizeof(double));
    ph_model_input *ia = NULL, *ib = NULL;
    ph_assert_ok(ph_model_bind(m, ds, &ia, &err), &err);
    ph_assert_ok(ph_model_bind(direct, ds, &ib, &err), &err);
    ph_assert_ok(ph_model_predict(ia, 0, rows, a, NULL, &err), &err);
    ph_assert_ok(ph_model_predict(ib, 0, rows, b, NULL, &err), &err);
    assert_memory_equal(a, b, rows * sizeof(double));
    ph_model_input_free(ia);
    ph_model_input_free(ib);
    ph_model_free(m);
    ph_model_free(direct);
    m = NULL;
    ph_assert_error(ph_registry_load_approved(s, "pd", 2, &m, &err), PH_EDENIED, &err,
                    "model pd version 2 is draft");
    ph_assert_ok(ph_registry_set_state(s, "pd", 2, PH_MODEL_APPROVED, "Li", "better", &err),
                 &err);
    ph_assert_ok(ph_registry_load_approved(s, "pd", 0, &m, &err), &err);
    assert_int_equal(ph_model_kind_of(m), PH_MODEL_LIGHTGBM);
    ph_model_free(m);
    free(a);
    free(b);
    ph_dataset_free(ds);
    free(input);
    free(xgb);
    free(lgb);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fresh, close_db)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_names),
        cmocka_unit_test(test_needs_schema_6),
        T(test_register_errors),
        T(test_get_and_list),
        T(test_state_machine),
        T(test_events_and_models_are_kept),
        T(test_load_approved_refuses),
        T(test_tampered_bytes_are_refused),
        T(test_register_real_models),
        T(test_load_approved_scores_like_the_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
