/* The claim vouchers' handlers (src/server/api_vouchers.c) on a copy of the
 * test platform, whose vouchers tests/http/platform.sh made and whose
 * evidence log it checkpointed: a firm's parts and a lender's financed parts
 * in pages; a part's proof bundle, which verifies against the log's signed
 * checkpoint and key and holds the part's chain of title only; another
 * tenant's part refused with a missing part's words; an edited event row
 * that no longer verifies; the roles the authorisation table leaves out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ph_api_test.h"
#include "puhui/evidence.h"

/* The items' voucher ids of the last answer, comma-separated, into buf. */
static const char *ids_of(api_fx *p, char *buf, size_t size)
{
    json_t *items = json_object_get(p->answer, "items");
    assert_true(json_is_array(items));
    size_t w = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < json_array_size(items); i++)
        w += (size_t)snprintf(buf + w, size - w, "%s%s", i ? "," : "",
                              api_str(json_array_get(items, i), "voucher_id"));
    return buf;
}

static void lists_a_firms_and_a_lenders_parts(void **state)
{
    api_fx *p = api_fx_get(state);
    const char *firm = api_name(p, "VFIRM_A"), *lender = api_name(p, "LENDER_A");
    char ids[256];
    /* the firm holds one part now: the one it kept and financed (the issued
     * voucher split, the other half passed on) */
    ph_assert_ok(api_call(p, srv_routes_vouchers, SRV_ROLE_ENTERPRISE, firm, "GET",
                          "/v1/vouchers", NULL, NULL, NULL),
                 &p->err);
    assert_string_equal(ids_of(p, ids, sizeof(ids)), api_name(p, "VOUCHER_A"));
    json_t *v = json_array_get(json_object_get(p->answer, "items"), 0);
    assert_string_equal(api_str(v, "holder"), firm);
    assert_string_equal(api_str(v, "status"), "financed");
    assert_string_equal(api_str(v, "face"), "300000.00");
    assert_string_equal(api_str(json_object_get(v, "financing"), "lender"), lender);
    assert_true(json_is_null(json_object_get(p->answer, "next")));
    /* the lender: the parts it financed; the other lender's part is not there */
    ph_assert_ok(api_call(p, srv_routes_vouchers, SRV_ROLE_INSTITUTION, lender, "GET",
                          "/v1/vouchers", NULL, "limit=500", NULL),
                 &p->err);
    assert_string_equal(ids_of(p, ids, sizeof(ids)), api_name(p, "VOUCHER_A"));
    ph_assert_ok(api_call(p, srv_routes_vouchers, SRV_ROLE_INSTITUTION, api_name(p, "LENDER_B"),
                          "GET", "/v1/vouchers", NULL, NULL, NULL),
                 &p->err);
    assert_string_equal(ids_of(p, ids, sizeof(ids)), api_name(p, "VOUCHER_B"));
    /* pages: two more parts of the firm's, then one per page */
    ph_test_exec(p->store,
                 "INSERT INTO voucher (id, seq, root_id, parent_id, issuer_uscc, face, maturity, "
                 "grade, payable_ref, holder_uscc, tier, status, created_on) "
                 "SELECT 'V000901', 901, 'V000901', NULL, issuer_uscc, 100, maturity, grade, "
                 "payable_ref, holder_uscc, 1, 'held', created_on FROM voucher "
                 "WHERE parent_id IS NULL ORDER BY seq LIMIT 1");
    ph_test_exec(p->store,
                 "INSERT INTO voucher (id, seq, root_id, parent_id, issuer_uscc, face, maturity, "
                 "grade, payable_ref, holder_uscc, tier, status, created_on) "
                 "SELECT 'V000902', 902, 'V000902', NULL, issuer_uscc, 100, maturity, grade, "
                 "payable_ref, holder_uscc, 1, 'held', created_on FROM voucher "
                 "WHERE parent_id IS NULL ORDER BY seq LIMIT 1");
    ph_assert_ok(api_call(p, srv_routes_vouchers, SRV_ROLE_ENTERPRISE, firm, "GET",
                          "/v1/vouchers", NULL, "limit=2", NULL),
                 &p->err);
    char want[64];
    snprintf(want, sizeof(want), "%s,V000901", api_name(p, "VOUCHER_A"));
    assert_string_equal(ids_of(p, ids, sizeof(ids)), want);
    assert_string_equal(api_str(p->answer, "next"), "V000901");
    ph_assert_ok(api_call(p, srv_routes_vouchers, SRV_ROLE_ENTERPRISE, firm, "GET",
                          "/v1/vouchers", NULL, "limit=2&after=V000901", NULL),
                 &p->err);
    assert_string_equal(ids_of(p, ids, sizeof(ids)), "V000902");
    assert_true(json_is_null(json_object_get(p->answer, "next")));
    /* bad parameters name themselves */
    api_assert_bad(api_call(p, srv_routes_vouchers, SRV_ROLE_ENTERPRISE, firm, "GET",
                            "/v1/vouchers", NULL, "limit=0", NULL),
                   p, "limit");
    api_assert_bad(api_call(p, srv_routes_vouchers, SRV_ROLE_ENTERPRISE, firm, "GET",
                            "/v1/vouchers", NULL, "after=V0-1", NULL),
                   p, "after");
    api_assert_bad(api_call(p, srv_routes_vouchers, SRV_ROLE_ENTERPRISE, firm, "GET",
                            "/v1/vouchers", NULL, "holder=x", NULL),
                   p, "holder");
}

/* The platform's evidence file `name`, NUL-terminated. */
static char *evidence_file(const char *name, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/platform.db.evidence/%s", getenv("PUHUI_TEST_PLATFORM_DIR"),
             name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s (tests/http/platform.sh makes it)", path);
    char *text = calloc(1, 1 << 16);
    assert_non_null(text);
    *len = fread(text, 1, (1 << 16) - 1, f);
    fclose(f);
    return text;
}

/* The leaves of a bundle, decoded, joined by newlines into buf. */
static void bundle_leaves(const json_t *bundle, char *buf, size_t size)
{
    json_t *leaves = json_object_get(bundle, "leaves");
    size_t w = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < json_array_size(leaves); i++) {
        const char *b64 = api_str(json_array_get(leaves, i), "data");
        unsigned char bin[4096];
        size_t n = 0;
        assert_int_equal(sodium_base642bin(bin, sizeof(bin) - 1, b64, strlen(b64), NULL, &n,
                                           NULL, sodium_base64_VARIANT_ORIGINAL),
                         0);
        bin[n] = '\0';
        w += (size_t)snprintf(buf + w, size - w, "%s\n", (const char *)bin);
    }
}

static void a_proof_verifies_and_holds_the_chain_of_title_only(void **state)
{
    api_fx *p = api_fx_get(state);
    const char *firm = api_name(p, "VFIRM_A");
    ph_assert_ok(api_call(p, srv_routes_vouchers, SRV_ROLE_ENTERPRISE, firm, "GET",
                          "/v1/vouchers/{id}/proof", API_PARAMS(api_name(p, "VOUCHER_A")), NULL,
                          NULL),
                 &p->err);
    assert_non_null(p->call.raw_json);
    assert_string_equal(api_str(p->answer, "format"), "puhui-evidence-bundle/1");
    /* it verifies against the checkpoint and key the server publishes */
    size_t nlen = 0, vlen = 0, leaves = 0;
    char *note = evidence_file("checkpoint", &nlen), *vkey = evidence_file("log.vkey", &vlen);
    ph_error err;
    ph_assert_ok(ph_evidence_bundle_verify(p->ctx, p->call.raw_json, p->call.raw_len, note,
                                           nlen, vkey, &leaves, &err),
                 &err);
    /* the issue, the split and the part's own financing; not the transfer of
     * the sibling part to the other firm, nor that firm's financing */
    assert_int_equal(leaves, 3);
    char text[8192];
    bundle_leaves(p->answer, text, sizeof(text));
    assert_non_null(strstr(text, "\"type\":\"voucher.issue\""));
    assert_non_null(strstr(text, "\"type\":\"voucher.split\""));
    assert_non_null(strstr(text, "\"type\":\"voucher.finance\""));
    assert_null(strstr(text, "\"type\":\"voucher.transfer\""));
    assert_null(strstr(text, api_name(p, "VFIRM_B")));
    /* the lender that financed the other part proves it: four events, the
     * transfer that brought it to its holder among them */
    ph_assert_ok(api_call(p, srv_routes_vouchers, SRV_ROLE_INSTITUTION, api_name(p, "LENDER_B"),
                          "GET", "/v1/vouchers/{id}/proof", API_PARAMS(api_name(p, "VOUCHER_B")),
                          NULL, NULL),
                 &p->err);
    ph_assert_ok(ph_evidence_bundle_verify(p->ctx, p->call.raw_json, p->call.raw_len, note,
                                           nlen, vkey, &leaves, &err),
                 &err);
    assert_int_equal(leaves, 4);
    bundle_leaves(p->answer, text, sizeof(text));
    assert_non_null(strstr(text, "\"type\":\"voucher.transfer\""));
    /* the firm proves the issued voucher it held before it split it: its
     * issue and split only */
    ph_assert_ok(api_call(p, srv_routes_vouchers, SRV_ROLE_ENTERPRISE, firm, "GET",
                          "/v1/vouchers", NULL, NULL, NULL),
                 &p->err);
    char *root_id =
        strdup(api_str(json_array_get(json_object_get(p->answer, "items"), 0), "root_id"));
    ph_assert_ok(api_call(p, srv_routes_vouchers, SRV_ROLE_ENTERPRISE, firm, "GET",
                          "/v1/vouchers/{id}/proof", API_PARAMS(root_id), NULL, NULL),
                 &p->err);
    ph_assert_ok(ph_evidence_bundle_verify(p->ctx, p->call.raw_json, p->call.raw_len, note,
                                           nlen, vkey, &leaves, &err),
                 &err);
    assert_int_equal(leaves, 2);
    free(root_id);
    free(note);
    free(vkey);
}

static void another_tenants_part_is_missing(void **state)
{
    api_fx *p = api_fx_get(state);
    const char *firm = api_name(p, "VFIRM_A");
    const char *theirs = api_name(p, "VOUCHER_B");
    ph_status st = api_call(p, srv_routes_vouchers, SRV_ROLE_ENTERPRISE, firm, "GET",
                            "/v1/vouchers/{id}/proof", API_PARAMS(theirs), NULL, NULL);
    api_assert_refused(st, p);
    char foreign[sizeof(p->err.message)];
    snprintf(foreign, sizeof(foreign), "%s", p->err.message);
    assert_string_equal(p->err.field, "voucher");
    assert_int_equal(api_call(p, srv_routes_vouchers, SRV_ROLE_ENTERPRISE, firm, "GET",
                              "/v1/vouchers/{id}/proof", API_PARAMS("V999999"), NULL, NULL),
                     PH_ENOTFOUND);
    assert_string_equal(p->call.refused, ""); /* a missing part is not a refusal */
    assert_string_equal(p->err.field, "voucher");
    /* the same words, but for the id */
    char *at = strstr(foreign, theirs);
    assert_non_null(at);
    memcpy(at, "V999999", strlen("V999999"));
    assert_string_equal(p->err.message, foreign);
    /* a lender: a part it did not finance; a firm: one it never held */
    api_assert_refused(api_call(p, srv_routes_vouchers, SRV_ROLE_INSTITUTION,
                                api_name(p, "LENDER_A"), "GET", "/v1/vouchers/{id}/proof",
                                API_PARAMS(theirs), NULL, NULL),
                       p);
    api_assert_refused(api_call(p, srv_routes_vouchers, SRV_ROLE_ENTERPRISE,
                                api_name(p, "VFIRM_B"), "GET", "/v1/vouchers/{id}/proof",
                                API_PARAMS(api_name(p, "VOUCHER_A")), NULL, NULL),
                       p);
    /* an id that is not one is a bad request, never a lookup */
    api_assert_bad(api_call(p, srv_routes_vouchers, SRV_ROLE_ENTERPRISE, firm, "GET",
                            "/v1/vouchers/{id}/proof", API_PARAMS("V0/../1"), NULL, NULL),
                   p, "voucher");
    api_assert_bad(api_call(p, srv_routes_vouchers, SRV_ROLE_ENTERPRISE, firm, "GET",
                            "/v1/vouchers/{id}/proof",
                            API_PARAMS("V00000000000000000000000000002"), NULL, NULL),
                   p, "voucher");
}

static void an_edited_event_does_not_verify_and_a_new_one_waits(void **state)
{
    api_fx *p = api_fx_get(state);
    const char *firm = api_name(p, "VFIRM_A");
    /* the amount edited in the database after it was logged */
    ph_test_exec(p->store, "DROP TRIGGER voucher_event_no_update");
    ph_test_exec(p->store, "UPDATE voucher_event SET amount = amount + 100 WHERE type = 'issue'");
    ph_status st = api_call(p, srv_routes_vouchers, SRV_ROLE_ENTERPRISE, firm, "GET",
                            "/v1/vouchers/{id}/proof", API_PARAMS(api_name(p, "VOUCHER_A")), NULL,
                            NULL);
    assert_int_equal(st, PH_EVERIFY);
    assert_string_equal(p->err.field, "voucher");
    assert_non_null(strstr(p->err.message, "no longer match its evidence log"));
    assert_null(p->call.raw_json);
    ph_test_exec(p->store, "UPDATE voucher_event SET amount = amount - 100 WHERE type = 'issue'");
    /* a row of the other firm's branch moved to a third firm: the whole tree
     * is checked, so no proof is given, and the answer does not name that
     * branch's firms (the server's log does) */
    ph_test_exec(p->store, "DROP TRIGGER voucher_frozen");
    char sql[256];
    snprintf(sql, sizeof(sql), "UPDATE voucher SET holder_uscc = '%s' WHERE id = '%s'",
             api_name(p, "FIRM_C"), api_name(p, "VOUCHER_B"));
    ph_test_exec(p->store, sql);
    st = api_call(p, srv_routes_vouchers, SRV_ROLE_ENTERPRISE, firm, "GET",
                  "/v1/vouchers/{id}/proof", API_PARAMS(api_name(p, "VOUCHER_A")), NULL, NULL);
    assert_int_equal(st, PH_EVERIFY);
    assert_null(strstr(p->err.message, api_name(p, "FIRM_C")));
    assert_null(strstr(p->err.message, api_name(p, "VFIRM_B")));
    snprintf(sql, sizeof(sql), "UPDATE voucher SET holder_uscc = '%s' WHERE id = '%s'",
             api_name(p, "VFIRM_B"), api_name(p, "VOUCHER_B"));
    ph_test_exec(p->store, sql);
    /* an event recorded without the log (or after the checkpoint) cannot be
     * proved yet: 409, not the client's fault */
    ph_test_exec(p->store, "UPDATE voucher_event SET leaf_index = 1000000 WHERE type = 'finance'");
    st = api_call(p, srv_routes_vouchers, SRV_ROLE_ENTERPRISE, firm, "GET",
                  "/v1/vouchers/{id}/proof", API_PARAMS(api_name(p, "VOUCHER_A")), NULL, NULL);
    assert_int_equal(st, PH_EINVAL);
    assert_int_equal(p->call.error_http, 409);
    assert_string_equal(p->call.error_slug, "conflict");
    assert_non_null(strstr(p->err.message, "sign a newer checkpoint"));
}

static void roles_without_a_row(void **state)
{
    api_fx *p = api_fx_get(state);
    assert_int_equal(api_call(p, srv_routes_vouchers, SRV_ROLE_REGULATOR, "", "GET",
                              "/v1/vouchers", NULL, NULL, NULL),
                     PH_EDENIED);
    assert_int_equal(api_call(p, srv_routes_vouchers, SRV_ROLE_REGULATOR, "", "GET",
                              "/v1/vouchers/{id}/proof", API_PARAMS(api_name(p, "VOUCHER_A")),
                              NULL, NULL),
                     PH_EDENIED);
    assert_int_equal(api_call(p, srv_routes_vouchers, SRV_ROLE_ADMIN, "", "GET",
                              "/v1/vouchers/{id}/proof", API_PARAMS(api_name(p, "VOUCHER_A")),
                              NULL, NULL),
                     PH_EDENIED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(lists_a_firms_and_a_lenders_parts, api_setup,
                                        api_teardown),
        cmocka_unit_test_setup_teardown(a_proof_verifies_and_holds_the_chain_of_title_only,
                                        api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(another_tenants_part_is_missing, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(an_edited_event_does_not_verify_and_a_new_one_waits,
                                        api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(roles_without_a_row, api_setup, api_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
