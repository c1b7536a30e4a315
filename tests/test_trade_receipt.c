/* Warehouse receipts (src/trade/receipt.c, receipt_iot.c): the registry is
 * unique by warehouse and lot; a second live pledge is refused by the store
 * itself (also with the code's path bypassed); valuation and LTV are exact;
 * a margin call and a liquidation notice are recorded once; release frees
 * the receipt for a new pledge; the IoT check raises weight, geofence and
 * temperature alerts from a hand-made feed, once; every event has an
 * evidence leaf that the stored row rebuilds, and an edited row does not. */
#include "trade_fixture.h"

#include "puhui/receipt.h"

static void seed_lots(fixture *fx)
{
    ph_test_exec(fx->store,
                 "INSERT INTO feed_warehouse_lots VALUES "
                 "('WH0001', 'L00000001', '" OWNER "', 'copper', 100000, '2026-01-05', NULL, "
                 "30.274100, 120.155100, 500, '2026-01-05', 0, 1, 0),"
                 "('WH0001', 'L00000002', '" OWNER "', 'steel', 200000, '2026-01-05', NULL, "
                 "30.274100, 120.155100, 500, '2026-01-05', 0, 2, 0),"
                 "('WH0001', 'L00000003', '" OWNER "', 'steel', 5000, '2026-01-05', "
                 "'2026-01-20', 30.274100, 120.155100, 500, '2026-01-05', 0, 3, 0);"
                 "INSERT INTO feed_commodity_prices VALUES "
                 "('copper', '2026-01-01', 6800, '2026-01-01', 0, 1, 0),"
                 "('copper', '2026-02-01', 5000, '2026-02-01', 0, 2, 0),"
                 "('steel', '2026-01-01', 380, '2026-01-01', 0, 3, 0),"
                 "('steel', '2026-02-03', 350, '2026-02-03', 0, 4, 0);");
}

static void test_register_pledge_release(void **state)
{
    fixture *fx = *state;
    seed_lots(fx);
    ph_error err;
    char id[PH_RECEIPT_ID_MAX], id2[PH_RECEIPT_ID_MAX];
    ph_assert_ok(ph_receipt_register(fx->store, "WH0001", "L00000001", day_of("2026-01-10"),
                                     NULL, id, &err),
                 &err);
    assert_string_equal(id, "R000001");
    ph_assert_ok(ph_receipt_register(fx->store, "WH0001", "L00000002", day_of("2026-01-10"),
                                     NULL, id2, &err),
                 &err);
    assert_string_equal(id2, "R000002");
    /* the same goods again */
    ph_assert_error(ph_receipt_register(fx->store, "WH0001", "L00000001", day_of("2026-01-11"),
                                        NULL, id2, &err),
                    PH_EEXISTS, &err, "is receipt R000001 already");
    ph_assert_error(ph_receipt_register(fx->store, "WH0009", "L1", day_of("2026-01-11"), NULL,
                                        id2, &err),
                    PH_ENOTFOUND, &err, "feed_warehouse_lots");
    /* goods that have left the warehouse back nothing */
    ph_assert_error(ph_receipt_register(fx->store, "WH0001", "L00000003", day_of("2026-01-20"),
                                        NULL, id2, &err),
                    PH_EINVAL, &err,
                    "lot L00000003 left warehouse WH0001 on 2026-01-20: expected goods still "
                    "stored on 2026-01-20");

    /* pledge; a second live pledge refused, naming the first */
    int64_t p1 = 0;
    ph_assert_error(ph_receipt_pledge(fx->store, id, "GOV", 100, day_of("2026-01-12"), NULL,
                                      &p1, &err),
                    PH_EINVAL, &err, "expected a lender");
    ph_assert_ok(ph_receipt_pledge(fx->store, id, BANK, 300000000, day_of("2026-01-12"), NULL,
                                   &p1, &err),
                 &err);
    ph_assert_error(ph_receipt_pledge(fx->store, id, BANK2, 100000, day_of("2026-01-13"), NULL,
                                      NULL, &err),
                    PH_EEXISTS, &err, "it is pledged to " BANK " (pledge");
    /* the store itself refuses, whatever the code */
    ph_error e2;
    ph_stmt *s = NULL;
    ph_assert_ok(ph_store_prepare(fx->store,
                                  "INSERT INTO receipt_pledge (receipt_id, lender, exposure, "
                                  "pledged_on) VALUES ('R000001', 'BANK02', 5, '2026-01-13')",
                                  &s, &e2),
                 &e2);
    assert_int_equal(ph_stmt_step(s, &e2), PH_EEXISTS);
    ph_stmt_free(s);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM receipt_pledge"), 1);

    /* valuation: 100,000 kg x 68.00 yuan x 75% = 5,100,000.00 yuan; LTV 3,000,000 / 5,100,000 */
    ph_receipt_value v;
    ph_assert_ok(ph_receipt_valuation(fx->store, id, day_of("2026-01-20"), &v, &err), &err);
    assert_int_equal(v.price_per_kg, 6800);
    assert_int_equal(v.gross, INT64_C(680000000));
    assert_int_equal(v.value, INT64_C(510000000));
    assert_int_equal(v.ltv, INT64_C(58823529)); /* 58.823529% rounded half-up */

    /* January: no call. February's price 50.00: value 3,750,000, LTV 80% -> liquidation */
    int64_t calls = -1;
    ph_assert_ok(ph_receipt_margin_check(fx->store, day_of("2026-01-20"), NULL, NULL, NULL,
                                         &calls, NULL, &err),
                 &err);
    assert_int_equal(calls, 0);
    ph_assert_ok(ph_receipt_margin_check(fx->store, day_of("2026-02-02"), NULL, NULL, NULL,
                                         &calls, NULL, &err),
                 &err);
    assert_int_equal(calls, 1);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM receipt_event WHERE "
                                                  "type = 'liquidation'"),
                     1);
    /* the same day again: recorded once */
    ph_assert_ok(ph_receipt_margin_check(fx->store, day_of("2026-02-02"), NULL, NULL, NULL,
                                         &calls, NULL, &err),
                 &err);
    assert_int_equal(calls, 0);
    /* a pledge starts at or below the margin-call LTV: 200,000 kg x 3.80 x 70% = 532,000.00,
     * so at most 372,400.00; 360,000.00 is taken, and when steel falls to 3.50 the value is
     * 490,000.00 and the LTV 73.47%: a margin call between 70% and 80% */
    ph_assert_error(ph_receipt_pledge(fx->store, id2, BANK2, 37240001, day_of("2026-02-02"),
                                      NULL, NULL, &err),
                    PH_EINVAL, &err,
                    "expected an exposure of at most 372,400.00 yuan: the margin-call LTV "
                    "70.00% of the receipt's value 532,000.00 yuan on 2026-02-02");
    ph_assert_ok(ph_receipt_pledge(fx->store, id2, BANK2, 36000000, day_of("2026-02-02"), NULL,
                                   NULL, &err),
                 &err);
    ph_assert_ok(ph_receipt_margin_check(fx->store, day_of("2026-02-03"), NULL, NULL, NULL,
                                         &calls, NULL, &err),
                 &err);
    assert_int_equal(calls, 2);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM receipt_event WHERE "
                                                  "type = 'margin_call' AND subject = "
                                                  "'R000002'"),
                     1);

    /* release, then a new pledge is fine */
    ph_assert_ok(ph_receipt_release(fx->store, id, day_of("2026-02-05"), NULL, &err), &err);
    ph_assert_error(ph_receipt_release(fx->store, id, day_of("2026-02-05"), NULL, &err),
                    PH_EINVAL, &err, "live pledge to release");
    ph_assert_ok(ph_receipt_pledge(fx->store, id, BANK2, 100000, day_of("2026-02-06"), NULL,
                                   NULL, &err),
                 &err);
    assert_int_equal(ph_test_query_int(fx->store,
                                       "SELECT COUNT(*) FROM receipt_pledge WHERE status = "
                                       "'live'"),
                     2);
    /* a released pledge stays released */
    s = NULL;
    ph_assert_ok(ph_store_prepare(fx->store,
                                  "UPDATE receipt_pledge SET status = 'live', released_on = "
                                  "NULL WHERE status = 'released'",
                                  &s, &e2),
                 &e2);
    assert_int_equal(ph_stmt_step(s, &e2), PH_EINVAL);
    ph_stmt_free(s);
}

typedef struct seen {
    int n;
    char kinds[8][16];
} seen;

static void on_alert(void *user, const ph_receipt_alert *a)
{
    seen *s = user;
    if (s->n < 8)
        snprintf(s->kinds[s->n], sizeof(s->kinds[0]), "%s", a->kind);
    s->n++;
}

static void test_iot_alerts(void **state)
{
    fixture *fx = *state;
    seed_lots(fx);
    ph_error err;
    char id[PH_RECEIPT_ID_MAX];
    ph_assert_ok(ph_receipt_register(fx->store, "WH0001", "L00000001", day_of("2026-01-10"),
                                     NULL, id, &err),
                 &err);
    /* day 1 normal; day 2 weight -4% (within 5%); day 3 -10%; day 4 outside the fence
     * (about 1.1 km north) and too warm (copper's range ends at 50.0 C) */
    ph_test_exec(fx->store,
                 "INSERT INTO feed_warehouse_iot VALUES "
                 "('WH0001', 'L00000001', '2026-03-01', 100020, 12.5, 30.274200, 120.155100, "
                 "'2026-03-01', 0, 1, 0),"
                 "('WH0001', 'L00000001', '2026-03-02', 96000, 12.5, 30.274100, 120.155000, "
                 "'2026-03-02', 0, 2, 0),"
                 "('WH0001', 'L00000001', '2026-03-03', 90000, 12.4, 30.274100, 120.155100, "
                 "'2026-03-03', 0, 3, 0),"
                 "('WH0001', 'L00000001', '2026-03-04', 100000, 50.1, 30.284100, 120.155100, "
                 "'2026-03-04', 0, 4, 0),"
                 "('WH0001', 'L00000002', '2026-03-04', 1, 99.0, 0.0, 0.0, "
                 "'2026-03-04', 0, 5, 0);");
    seen s = {0, {{0}}};
    int64_t count = 0;
    ph_assert_ok(ph_receipt_iot_check(fx->store, day_of("2026-03-01"), day_of("2026-03-31"),
                                      NULL, on_alert, &s, &count, &err),
                 &err);
    /* L00000002 is not registered: no alert for it */
    assert_int_equal(count, 3);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.kinds[0], "weight_drop");
    assert_string_equal(s.kinds[1], "geofence");
    assert_string_equal(s.kinds[2], "temperature");
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM receipt_alert WHERE "
                                                  "day = '2026-03-03' AND kind = "
                                                  "'weight_drop'"),
                     1);
    /* once: the same range again adds nothing */
    ph_assert_ok(ph_receipt_iot_check(fx->store, day_of("2026-03-01"), day_of("2026-03-31"),
                                      NULL, NULL, NULL, &count, &err),
                 &err);
    assert_int_equal(count, 0);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM receipt_event WHERE "
                                                  "type = 'alert'"),
                     3);
    /* the haversine: 0.01 degree of latitude is about 1,112 m */
    double d = ph_receipt_distance_m(30.0, 120.0, 30.01, 120.0);
    assert_true(d > 1110.0 && d < 1113.0);
    ph_assert_error(ph_receipt_iot_check(fx->store, day_of("2026-03-31"), day_of("2026-03-01"),
                                         NULL, NULL, NULL, NULL, &err),
                    PH_EINVAL, &err, "expected a day on or after 2026-03-31");

    /* an episode is told once: goods light for three days raise one alert, a
     * check that starts in the middle of it none, and a new drop after a
     * normal day another */
    ph_test_exec(fx->store,
                 "INSERT INTO feed_warehouse_iot VALUES "
                 "('WH0001', 'L00000001', '2026-04-01', 70000, 12.5, 30.274100, 120.155100, "
                 "'2026-04-01', 0, 6, 0),"
                 "('WH0001', 'L00000001', '2026-04-02', 70100, 12.5, 30.274100, 120.155100, "
                 "'2026-04-02', 0, 7, 0),"
                 "('WH0001', 'L00000001', '2026-04-03', 69900, 12.5, 30.274100, 120.155100, "
                 "'2026-04-03', 0, 8, 0),"
                 "('WH0001', 'L00000001', '2026-04-04', 100000, 12.5, 30.274100, 120.155100, "
                 "'2026-04-04', 0, 9, 0),"
                 "('WH0001', 'L00000001', '2026-04-05', 60000, 12.5, 30.274100, 120.155100, "
                 "'2026-04-05', 0, 10, 0);");
    ph_assert_ok(ph_receipt_iot_check(fx->store, day_of("2026-04-02"), day_of("2026-04-03"),
                                      NULL, NULL, NULL, &count, &err),
                 &err);
    assert_int_equal(count, 0);
    ph_assert_ok(ph_receipt_iot_check(fx->store, day_of("2026-04-01"), day_of("2026-04-30"),
                                      NULL, NULL, NULL, &count, &err),
                 &err);
    assert_int_equal(count, 2);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM receipt_alert WHERE "
                                                  "day IN ('2026-04-01', '2026-04-05')"),
                     2);
}

typedef struct leaves {
    ph_evidence_log *log;
    const ph_ctx *ctx;
    int events, matched;
} leaves;

static ph_status check_leaf(void *user, const ph_receipt_event *e, ph_error *err)
{
    leaves *l = user;
    char *bytes = NULL;
    size_t len = 0;
    ph_status st = ph_receipt_event_leaf(l->ctx, e, &bytes, &len, err);
    if (st != PH_OK)
        return st;
    uint8_t mine[PH_EVIDENCE_HASH], stored[PH_EVIDENCE_HASH];
    ph_merkle_leaf_hash(bytes, len, mine);
    ph_free(l->ctx, bytes);
    assert_true(e->leaf_index >= 0);
    st = ph_evidence_leaf_hash(l->log, (uint64_t)e->leaf_index, stored, err);
    l->events++;
    if (st == PH_OK && memcmp(mine, stored, PH_EVIDENCE_HASH) == 0)
        l->matched++;
    return st;
}

static void test_evidence_leaves(void **state)
{
    fixture *fx = *state;
    seed_lots(fx);
    ph_error err;
    ph_evidence_log *log = NULL;
    char *dir = ph_test_path(fx->dir, "evidence");
    ph_assert_ok(ph_evidence_open(fx->ctx, dir, "puhui.test/evidence", 1, &log, &err), &err);
    char id[PH_RECEIPT_ID_MAX];
    ph_assert_ok(ph_receipt_register(fx->store, "WH0001", "L00000001", day_of("2026-01-10"), log,
                                     id, &err),
                 &err);
    ph_assert_ok(ph_receipt_pledge(fx->store, id, BANK, 300000000, day_of("2026-01-12"), log,
                                   NULL, &err),
                 &err);
    /* a refused second pledge appends nothing that the store keeps */
    ph_assert_error(ph_receipt_pledge(fx->store, id, BANK2, 1, day_of("2026-01-12"), log, NULL,
                                      &err),
                    PH_EEXISTS, &err, NULL);
    ph_assert_ok(ph_receipt_release(fx->store, id, day_of("2026-01-20"), log, &err), &err);
    assert_int_equal(ph_evidence_size(log), 3);

    leaves l = {log, fx->ctx, 0, 0};
    ph_assert_ok(ph_receipt_events(fx->store, id, check_leaf, &l, &err), &err);
    assert_int_equal(l.events, 3);
    assert_int_equal(l.matched, 3);
    /* ...so the receipt's history proves against the log */
    size_t proved = 0;
    ph_assert_ok(ph_receipt_prove(fx->store, log, id, 3, NULL, &proved, &err), &err);
    assert_int_equal(proved, 3);
    ph_assert_error(ph_receipt_prove(fx->store, log, id, 2, NULL, &proved, &err), PH_EINVAL,
                    &err, "(release of receipt R000001) is leaf 2, past the checkpoint's 2 leaves");
    ph_assert_error(ph_receipt_prove(fx->store, log, "R999999", 3, NULL, &proved, &err),
                    PH_ENOTFOUND, &err, "no events of this receipt to prove");
    /* the leaf's bytes are fixed: keys in order, money in yuan with 2 places */
    ph_receipt_event e = {2, "R000001", "pledge", day_of("2026-01-12"), BANK, OWNER,
                          300000000, "{\"pledge\":1}", 0};
    char *bytes = NULL;
    size_t len = 0;
    ph_assert_ok(ph_receipt_event_leaf(fx->ctx, &e, &bytes, &len, &err), &err);
    assert_string_equal(bytes, "{\"type\":\"receipt.pledge\",\"seq\":2,\"id\":\"R000001\","
                               "\"on\":\"2026-01-12\",\"actor\":\"BANK01\",\"counterparty\":\""
                               OWNER "\",\"amount\":\"3000000.00\",\"detail\":{\"pledge\":1}}");
    ph_free(fx->ctx, bytes);
    /* the seq is in the leaf: the same event with another seq is another leaf */
    e.seq = 3;
    char *other = NULL;
    ph_assert_ok(ph_receipt_event_leaf(fx->ctx, &e, &other, &len, &err), &err);
    assert_string_not_equal(other, "{\"type\":\"receipt.pledge\",\"seq\":2,\"id\":\"R000001\","
                                   "\"on\":\"2026-01-12\",\"actor\":\"BANK01\",\"counterparty\":"
                                   "\"" OWNER "\",\"amount\":\"3000000.00\",\"detail\":"
                                   "{\"pledge\":1}}");
    ph_free(fx->ctx, other);

    /* the state: the rows against what the logged events give. The pledge's
     * exposure raised in receipt_pledge (its event untouched) */
    ph_test_exec(fx->store, "DROP TRIGGER receipt_pledge_frozen;"
                            "UPDATE receipt_pledge SET exposure = exposure + 1");
    ph_assert_error(ph_receipt_prove(fx->store, log, id, 3, NULL, &proved, &err), PH_EVERIFY,
                    &err,
                    "receipt R000001, pledge 1: exposure is 3,000,000.01 in the store but the "
                    "logged events give 3,000,000.00");
    ph_test_exec(fx->store, "UPDATE receipt_pledge SET exposure = exposure - 1");
    /* the release's event deleted: the pledge is released with no event saying so */
    ph_test_exec(fx->store, "DROP TRIGGER receipt_event_no_delete;"
                            "CREATE TEMP TABLE kept AS SELECT * FROM receipt_event WHERE type = "
                            "'release'; DELETE FROM receipt_event WHERE type = 'release'");
    ph_assert_error(ph_receipt_prove(fx->store, log, id, 3, NULL, &proved, &err), PH_EVERIFY,
                    &err,
                    "receipt R000001, pledge 1: status is released in the store but the logged "
                    "events give live");
    ph_test_exec(fx->store, "INSERT INTO receipt_event SELECT * FROM kept");
    /* the registered quantity raised */
    ph_test_exec(fx->store, "DROP TRIGGER receipt_frozen;"
                            "UPDATE receipt SET quantity_kg = 200000");
    ph_assert_error(ph_receipt_prove(fx->store, log, id, 3, NULL, &proved, &err), PH_EVERIFY,
                    &err,
                    "receipt R000001: quantity_kg is 200000 in the store but the logged events "
                    "give 100000");
    ph_test_exec(fx->store, "UPDATE receipt SET quantity_kg = 100000");
    ph_assert_ok(ph_receipt_prove(fx->store, log, id, 3, NULL, &proved, &err), &err);
    /* a pledge or an alert the store holds that no logged event makes, and a
     * logged pledge the store lost */
    ph_test_exec(fx->store, "INSERT INTO receipt_pledge (id, receipt_id, lender, exposure, "
                            "pledged_on, status, released_on) VALUES (2, 'R000001', 'BANK01', "
                            "100, '2026-01-20', 'released', '2026-01-21')");
    ph_assert_error(ph_receipt_prove(fx->store, log, id, 3, NULL, &proved, &err), PH_EVERIFY,
                    &err,
                    "receipt R000001, pledge 2: the store holds it but no logged event "
                    "pledges it");
    ph_test_exec(fx->store, "DROP TRIGGER receipt_pledge_no_delete;"
                            "DELETE FROM receipt_pledge WHERE id = 2;"
                            "CREATE TEMP TABLE kept_pledge AS SELECT * FROM receipt_pledge;"
                            "DELETE FROM receipt_pledge");
    ph_assert_error(ph_receipt_prove(fx->store, log, id, 3, NULL, &proved, &err), PH_EVERIFY,
                    &err,
                    "receipt R000001: the logged events make pledge 1 but the store has no row "
                    "for it");
    ph_test_exec(fx->store, "INSERT INTO receipt_pledge SELECT * FROM kept_pledge");
    ph_test_exec(fx->store, "INSERT INTO receipt_alert (receipt_id, day, kind, detail) VALUES "
                            "('R000001', '2026-01-20', 'geofence', 'moved')");
    ph_assert_error(ph_receipt_prove(fx->store, log, id, 3, NULL, &proved, &err), PH_EVERIFY,
                    &err,
                    "receipt R000001, alert 1: the store holds it but no logged event raises "
                    "it");
    ph_test_exec(fx->store, "DELETE FROM receipt_alert");
    ph_assert_ok(ph_receipt_prove(fx->store, log, id, 3, NULL, &proved, &err), &err);

    /* someone edits the stored pledge's exposure: its leaf no longer matches */
    ph_test_exec(fx->store, "DROP TRIGGER receipt_event_no_update;"
                            "UPDATE receipt_event SET amount = 100 WHERE type = 'pledge'");
    l.events = l.matched = 0;
    ph_assert_ok(ph_receipt_events(fx->store, id, check_leaf, &l, &err), &err);
    assert_int_equal(l.events, 3);
    assert_int_equal(l.matched, 2);
    ph_assert_error(ph_receipt_prove(fx->store, log, id, 3, NULL, &proved, &err), PH_EVERIFY,
                    &err,
                    "(pledge of receipt R000001) is leaf 1, but the stored row no longer gives "
                    "the leaf the evidence log holds");
    ph_evidence_free(log);
    free(dir);
}

typedef struct verdicts {
    int n, unpriced;
    char last_unpriced[PH_RECEIPT_ID_MAX];
    ph_money unpriced_exposure;
} verdicts;

static void on_verdict(void *user, const char *id, const ph_receipt_value *v,
                       ph_receipt_margin verdict)
{
    verdicts *x = user;
    x->n++;
    if (verdict == PH_RECEIPT_MARGIN_UNPRICED) {
        x->unpriced++;
        snprintf(x->last_unpriced, sizeof(x->last_unpriced), "%s", id);
        x->unpriced_exposure = v->exposure;
    }
}

/* One receipt without a market price on the day does not stop the margin
 * run: it is reported unpriced (to the callback and in the count) and the
 * others are valued and called as usual. */
static void test_margin_unpriced(void **state)
{
    fixture *fx = *state;
    seed_lots(fx);
    ph_test_exec(fx->store,
                 "INSERT INTO feed_warehouse_lots VALUES "
                 "('WH0001', 'L00000004', '" OWNER "', 'corn', 100000, '2026-01-05', NULL, "
                 "30.274100, 120.155100, 500, '2026-01-05', 0, 4, 0);"
                 "INSERT INTO feed_commodity_prices VALUES "
                 "('corn', '2026-01-01', 250, '2026-01-01', 0, 5, 0);");
    ph_error err;
    char a[PH_RECEIPT_ID_MAX], b[PH_RECEIPT_ID_MAX];
    ph_assert_ok(ph_receipt_register(fx->store, "WH0001", "L00000001", day_of("2026-01-10"),
                                     NULL, a, &err),
                 &err);
    ph_assert_ok(ph_receipt_register(fx->store, "WH0001", "L00000004", day_of("2026-01-10"),
                                     NULL, b, &err),
                 &err);
    ph_assert_ok(ph_receipt_pledge(fx->store, a, BANK, 300000000, day_of("2026-01-12"), NULL,
                                   NULL, &err),
                 &err);
    ph_assert_ok(ph_receipt_pledge(fx->store, b, BANK2, 1000000, day_of("2026-01-12"), NULL,
                                   NULL, &err),
                 &err);
    /* corn's prices withdrawn from the feed: the receipt cannot be valued */
    ph_test_exec(fx->store, "DELETE FROM feed_commodity_prices WHERE commodity = 'corn'");
    verdicts x = {0};
    int64_t calls = -1, unpriced = -1;
    ph_assert_ok(ph_receipt_margin_check(fx->store, day_of("2026-02-02"), NULL, on_verdict, &x,
                                         &calls, &unpriced, &err),
                 &err);
    assert_int_equal(x.n, 2);
    assert_int_equal(x.unpriced, 1);
    assert_string_equal(x.last_unpriced, b);
    assert_int_equal(x.unpriced_exposure, 1000000);
    assert_int_equal(unpriced, 1);
    assert_int_equal(calls, 1); /* copper's liquidation notice, as without corn */
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM receipt_event WHERE "
                                                  "type = 'liquidation' AND subject = "
                                                  "'R000001'"),
                     1);
    /* the valuation itself still says why */
    ph_receipt_value v;
    ph_assert_error(ph_receipt_valuation(fx->store, b, day_of("2026-02-02"), &v, &err),
                    PH_ENOTFOUND, &err, "expected a market price on or before 2026-02-02");
}

/* A pledge needs goods that back the receipt on the day: not before the
 * receipt was registered, not once the lot has left the warehouse. */
static void test_pledge_days(void **state)
{
    fixture *fx = *state;
    seed_lots(fx);
    ph_error err;
    char id[PH_RECEIPT_ID_MAX];
    /* L00000003 (steel, 5,000 kg) left WH0001 on 2026-01-20 */
    ph_assert_ok(ph_receipt_register(fx->store, "WH0001", "L00000003", day_of("2026-01-10"),
                                     NULL, id, &err),
                 &err);
    ph_assert_error(ph_receipt_pledge(fx->store, id, BANK, 100000, day_of("2026-01-09"), NULL,
                                      NULL, &err),
                    PH_EINVAL, &err,
                    "field on, value '2026-01-09': expected the receipt's registration day "
                    "2026-01-10 or later");
    ph_assert_error(ph_receipt_pledge(fx->store, id, BANK, 100000, day_of("2026-01-20"), NULL,
                                      NULL, &err),
                    PH_EINVAL, &err,
                    "lot L00000003 left warehouse WH0001 on 2026-01-20: expected goods still "
                    "stored on 2026-01-20 to pledge receipt R000001");
    ph_assert_error(ph_receipt_pledge(fx->store, id, BANK, 100000, day_of("2026-03-01"), NULL,
                                      NULL, &err),
                    PH_EINVAL, &err, "left warehouse WH0001 on 2026-01-20");
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM receipt_pledge"), 0);
    /* the day before it left, it backs a pledge */
    ph_assert_ok(ph_receipt_pledge(fx->store, id, BANK, 100000, day_of("2026-01-19"), NULL, NULL,
                                   &err),
                 &err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_register_pledge_release, trade_setup,
                                        trade_teardown),
        cmocka_unit_test_setup_teardown(test_iot_alerts, trade_setup, trade_teardown),
        cmocka_unit_test_setup_teardown(test_evidence_leaves, trade_setup, trade_teardown),
        cmocka_unit_test_setup_teardown(test_margin_unpriced, trade_setup, trade_teardown),
        cmocka_unit_test_setup_teardown(test_pledge_days, trade_setup, trade_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
