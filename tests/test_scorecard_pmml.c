/*
 * PMML 4.4 scorecards: what puhui writes, that it reads back exactly (same
 * struct, same bytes), another tool's scorecard, every predicate shape the
 * reader maps, and every error with its line.
 */
#include "ph_failalloc.h"
#include "ph_scorecard_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void assert_contains(const char *text, const char *needle)
{
    if (!strstr(text, needle))
        fail_msg("expected to find [%s] in:\n%s", needle, text);
}

static char *read_fixture(const char *relative, size_t *len)
{
    char *path = ph_test_fixture(relative);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 16);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 16) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    free(path);
    return buf;
}

/*
 * A small document around `body` (the Characteristic elements), which
 * starts on line 12. `attrs` are the Scorecard element's attributes.
 */
static char *doc(const char *attrs, const char *body)
{
    static const char head[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                               /* 1 */
        "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\">\n"            /* 2 */
        "  <DataDictionary>\n"                                                      /* 3 */
        "    <DataField name=\"age\" optype=\"continuous\" dataType=\"double\"/>\n" /* 4 */
        "    <DataField name=\"grade\" optype=\"categorical\" dataType=\"string\"/>\n"
        "    <DataField name=\"kids\" optype=\"continuous\" dataType=\"integer\"/>\n" /* 6 */
        "    <DataField name=\"sector\" optype=\"categorical\" dataType=\"string\">"
        "<Value value=\"a\"/><Value value=\"b\"/><Value value=\"c\"/></DataField>\n" /* 7 */
        "  </DataDictionary>\n";                                                    /* 8 */
    static const char schema[] =
        "    <MiningSchema><MiningField name=\"age\"/><MiningField name=\"grade\"/>"
        "<MiningField name=\"kids\"/><MiningField name=\"sector\"/></MiningSchema>\n" /* 10 */
        "    <Characteristics>\n";                                                 /* 11 */
    static const char tail[] = "    </Characteristics>\n  </Scorecard>\n</PMML>\n";
    size_t n = strlen(head) + strlen(attrs) + strlen(schema) + strlen(body) + strlen(tail) + 64;
    char *s = malloc(n);
    assert_non_null(s);
    snprintf(s, n, "%s  <Scorecard functionName=\"regression\" %s>\n%s%s%s", head, attrs, schema,
             body, tail);
    return s;
}

static ph_status read_doc(const ph_ctx *ctx, const char *attrs, const char *body,
                          ph_scorecard **out, ph_error *err)
{
    char *text = doc(attrs, body);
    ph_status st = ph_scorecard_read_pmml(ctx, text, strlen(text), "card.pmml", out, err);
    free(text);
    return st;
}

/* Read a body that must fail, and check the status and the message. */
static void expect_error(const char *attrs, const char *body, ph_status code, const char *message)
{
    ph_ctx *ctx = sct_ctx();
    ph_scorecard *sc = NULL;
    ph_error err;
    ph_status st = read_doc(ctx, attrs, body, &sc, &err);
    ph_assert_error(st, code, &err, message);
    assert_null(sc);
    ph_ctx_free(ctx);
}

/* Read a body that must succeed. */
static ph_scorecard *expect_ok(const ph_ctx *ctx, const char *attrs, const char *body)
{
    ph_scorecard *sc = NULL;
    ph_error err;
    ph_assert_ok(read_doc(ctx, attrs, body, &sc, &err), &err);
    return sc;
}

#define NO_CODES "useReasonCodes=\"false\""

/* ---- writing ----------------------------------------------------------------- */

static void test_write_is_standard_pmml(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    ph_scorecard *sc = sct_card(ctx);
    char *text = sct_pmml(sc, NULL);
    assert_contains(text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\">\n"
                          "  <Header>\n    <Application name=\"puhui\" version=\"0.1.0\"/>\n"
                          "  </Header>\n");
    assert_null(strstr(text, "Timestamp"));
    assert_contains(text, "<DataDictionary numberOfFields=\"4\">");
    assert_contains(text, "<DataField name=\"age\" optype=\"continuous\" dataType=\"double\"/>");
    assert_contains(text, "<DataField name=\"grade\" optype=\"categorical\" dataType=\"string\">\n"
                          "      <Value value=\"A\"/>\n      <Value value=\"B\"/>\n");
    assert_contains(text, "<Value value=\"say &quot;hi&quot;\"/>");
    assert_contains(text, "<Scorecard modelName=\"shop credit\" functionName=\"regression\" "
                          "useReasonCodes=\"true\" reasonCodeAlgorithm=\"pointsBelow\" "
                          "baselineMethod=\"max\" initialScore=\"500\">");
    assert_contains(text, "<Scale basePoints=\"600\" baseOdds=\"50\" pdo=\"20\"/>");
    assert_contains(text, "<MiningField name=\"grade\" invalidValueTreatment=\"asIs\"/>");
    assert_contains(text, "<MiningField name=\"bad\" usageType=\"predicted\"/>");
    assert_contains(text, "feature=\"predictedValue\"/>");
    assert_contains(text, "<OutputField name=\"puhui_reason_3\" optype=\"categorical\" "
                          "dataType=\"string\" feature=\"reasonCode\" rank=\"3\"/>");
    assert_contains(text, "feature=\"transformedValue\">\n        <Apply function=\"/\">");
    assert_contains(text, "<Apply function=\"pow\">\n"
                          "                <Constant dataType=\"double\">2</Constant>");
    assert_contains(text, "<FieldRef field=\"puhui_score\"/>");
    assert_contains(text, "<Characteristic name=\"age_score\" reasonCode=\"RC_AGE\" "
                          "baselineScore=\"30\">");
    assert_contains(text, "<Training count=\"300\" bads=\"40\" woe=\"0.33333333333333331\"/>");
    assert_contains(text, "<SimplePredicate field=\"age\" operator=\"lessThan\" value=\"25\"/>");
    assert_contains(text, "<CompoundPredicate booleanOperator=\"and\">\n"
                          "            <SimplePredicate field=\"age\" operator=\"greaterOrEqual\" "
                          "value=\"25\"/>\n"
                          "            <SimplePredicate field=\"age\" operator=\"lessThan\" "
                          "value=\"40\"/>\n          </CompoundPredicate>");
    assert_contains(text, "<Attribute reasonCode=\"RC_GRADE_BC\" partialScore=\"25\">\n"
                          "          <SimpleSetPredicate field=\"grade\" booleanOperator=\"isIn\">\n"
                          "            <Array n=\"2\" type=\"string\">B C</Array>");
    assert_contains(text, "<Array n=\"3\" type=\"string\">\"D E\" \"say \\\"hi\\\"\" "
                          "\"back\\\\slash\"</Array>");
    assert_contains(text, "<SimplePredicate field=\"grade\" operator=\"isMissing\"/>");
    assert_contains(text, "<Attribute partialScore=\"15\">\n          <True/>");
    free(text);
    ph_scorecard_free(sc);
    ph_ctx_free(ctx);
}

static void test_round_trip_is_exact(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    ph_scorecard *sc = sct_card(ctx);
    /* Numbers that need 17 digits, and an equal-range and an all-numbers one. */
    sc->initial_score = 0.1 + 0.2;
    sc->characteristics[2].attributes[1].partial_score = 2.0 / 3.0;
    sc->characteristics[0].baseline_score = 1e-300;
    size_t len, len2, len3;
    char *text = sct_pmml(sc, &len);
    char *again = sct_pmml(sc, &len3);
    assert_int_equal(len, len3);
    assert_memory_equal(text, again, len);

    ph_scorecard *back;
    ph_error err;
    ph_assert_ok(ph_scorecard_read_pmml(ctx, text, len, "card.pmml", &back, &err), &err);
    sct_assert_equal(sc, back);
    char *rewritten = sct_pmml(back, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(text, rewritten, len);
    free(text);
    free(again);
    free(rewritten);
    ph_scorecard_free(back);
    ph_scorecard_free(sc);
    ph_ctx_free(ctx);
}

static void test_round_trip_plain_card(void **state)
{
    (void)state;
    /* pointsAbove, no reason codes, no scale, no statistics, a point range,
     * a range over every number and a level set with an empty level. */
    ph_ctx *ctx = sct_ctx();
    ph_scorecard *sc;
    ph_error err;
    ph_assert_ok(ph_scorecard_new(ctx, &sc, &err), &err);
    sc->use_reason_codes = 0;
    sc->reason_algorithm = PH_SC_POINTS_ABOVE;
    sc->initial_score = -7.25;
    ph_sc_characteristic *c = sct_characteristic(sc, "n", "n", 0, NULL, 3);
    sct_range(sct_attribute(sc, c, PH_SC_RANGE, 1, NULL), 2, 1, 2, 1);
    sct_range(sct_attribute(sc, c, PH_SC_RANGE, 3, NULL), -INFINITY, 0, INFINITY, 0);
    sct_attribute(sc, c, PH_SC_MISSING, -2, NULL);
    c = sct_characteristic(sc, "t", "t", 1, NULL, 0);
    static const char *const levels[] = {"", "x\ty", "<&>"};
    sct_levels(sc, sct_attribute(sc, c, PH_SC_IN, 4, NULL), levels, 3);

    size_t len;
    char *text = sct_pmml(sc, &len);
    assert_null(strstr(text, "puhui-scale"));
    assert_null(strstr(text, "puhui-training"));
    assert_null(strstr(text, "reasonCode\""));
    assert_null(strstr(text, "transformedValue"));
    assert_contains(text, "useReasonCodes=\"false\" reasonCodeAlgorithm=\"pointsAbove\"");
    assert_contains(text, "<SimplePredicate field=\"n\" operator=\"equal\" value=\"2\"/>");
    assert_contains(text, "<SimplePredicate field=\"n\" operator=\"isNotMissing\"/>");
    assert_contains(text, "<Array n=\"3\" type=\"string\">\"\" \"x&#9;y\" &lt;&amp;&gt;</Array>");
    ph_scorecard *back;
    ph_assert_ok(ph_scorecard_read_pmml(ctx, text, len, NULL, &back, &err), &err);
    sct_assert_equal(sc, back);
    free(text);
    ph_scorecard_free(back);
    ph_scorecard_free(sc);
    ph_ctx_free(ctx);
}

static void test_write_errors(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    ph_error err;
    FILE *sink = fopen("/dev/null", "w");
    assert_non_null(sink);

    ph_scorecard *sc = sct_card(ctx);
    ph_assert_error(ph_scorecard_write_pmml(NULL, sink, &err), PH_EMISUSE, &err,
                    "ph_scorecard_write_pmml needs a scorecard and a stream");
    ph_assert_error(ph_scorecard_write_pmml(sc, NULL, &err), PH_EMISUSE, &err, NULL);

    /* An attribute without a reason code when its characteristic has none. */
    ph_free(ctx, sc->characteristics[1].attributes[2].reason_code);
    sc->characteristics[1].attributes[2].reason_code = NULL;
    ph_assert_error(ph_scorecard_write_pmml(sc, sink, &err), PH_EINVAL, &err,
                    "field characteristic, value 'grade_score': attribute 3 has no reason code "
                    "and neither has its characteristic");
    sc->use_reason_codes = 0;
    ph_assert_ok(ph_scorecard_write_pmml(sc, sink, &err), &err);

    /* An empty range. */
    sc->characteristics[0].attributes[2].high = 25;
    ph_assert_error(ph_scorecard_write_pmml(sc, sink, &err), PH_EINVAL, &err,
                    "value 'age_score': attribute 3 is an empty range");
    sc->characteristics[0].attributes[2].high = 40;

    /* A range on a categorical characteristic, a level set on a numeric one. */
    sc->characteristics[0].categorical = 1;
    ph_assert_error(ph_scorecard_write_pmml(sc, sink, &err), PH_EINVAL, &err,
                    "attribute 2 is a numeric range but the characteristic is categorical");
    sc->characteristics[0].categorical = 0;
    sc->characteristics[1].categorical = 0;
    ph_assert_error(ph_scorecard_write_pmml(sc, sink, &err), PH_EINVAL, &err,
                    "attribute 1 is a set of levels but the characteristic is numeric");
    sc->characteristics[1].categorical = 1;

    /* Text XML cannot hold. */
    sc->characteristics[1].name[0] = '\x01';
    ph_assert_error(ph_scorecard_write_pmml(sc, sink, &err), PH_EINVAL, &err,
                    "field characteristic, value '\\x01rade_score': expected UTF-8 text without "
                    "control characters");
    sc->characteristics[1].name[0] = 'g';

    /* The target read as an input. */
    ph_free(ctx, sc->target);
    sc->target = ph_strdup(ctx, "income");
    ph_assert_error(ph_scorecard_write_pmml(sc, sink, &err), PH_EINVAL, &err,
                    "value 'income_score': it reads the target field 'income'");
    ph_scorecard_free(sc);

    ph_assert_ok(ph_scorecard_new(ctx, &sc, &err), &err);
    ph_assert_error(ph_scorecard_write_pmml(sc, sink, &err), PH_EINVAL, &err,
                    "a PMML scorecard needs at least one characteristic");
    ph_scorecard_free(sc);
    fclose(sink);
    ph_ctx_free(ctx);
}

/* ---- another tool's scorecard --------------------------------------------- */

static void assert_range(const ph_sc_attribute *a, double low, int li, double high, int hi,
                         double points)
{
    assert_int_equal(a->match, PH_SC_RANGE);
    assert_true(a->low == low);
    assert_int_equal(a->low_inclusive, li);
    assert_true(a->high == high);
    assert_int_equal(a->high_inclusive, hi);
    assert_true(a->partial_score == points);
}

static void test_read_other_tool(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    size_t len;
    char *text = read_fixture("pmml/shop_other_tool.pmml", &len);
    ph_scorecard *sc;
    ph_error err;
    ph_assert_ok(ph_scorecard_read_pmml(ctx, text, len, "shop.pmml", &sc, &err), &err);
    assert_string_equal(sc->name, "ShopScore");
    assert_true(sc->initial_score == 0);
    assert_int_equal(sc->use_reason_codes, 1);
    assert_int_equal(sc->reason_algorithm, PH_SC_POINTS_BELOW);
    assert_int_equal(sc->has_scale, 0);
    assert_true(isnan(ph_scorecard_pd(sc, 40)));
    assert_string_equal(sc->target, "final_score");
    assert_int_equal(sc->train_rows, 0);
    assert_int_equal(sc->n_characteristics, 4);

    const ph_sc_characteristic *c = &sc->characteristics[0];
    assert_string_equal(c->name, "sectorScore");
    assert_string_equal(c->field, "sector");
    assert_int_equal(c->categorical, 1);
    assert_null(c->reason_code);
    assert_true(c->baseline_score == 19);
    assert_int_equal(c->n_attributes, 3);
    assert_int_equal(c->attributes[0].match, PH_SC_MISSING);
    assert_string_equal(c->attributes[0].reason_code, "SEC_MISSING");
    assert_true(c->attributes[0].partial_score == -9);
    assert_int_equal(c->attributes[1].match, PH_SC_IN);
    assert_int_equal(c->attributes[1].n_levels, 2);
    assert_string_equal(c->attributes[1].levels[0], "retail");
    assert_string_equal(c->attributes[1].levels[1], "wholesale");
    assert_int_equal(c->attributes[2].n_levels, 2);
    assert_string_equal(c->attributes[2].levels[0], "food service");
    assert_string_equal(c->attributes[2].levels[1], "repair \"quick\"");
    assert_string_equal(c->attributes[2].reason_code, "SEC_SERVICE");

    c = &sc->characteristics[1];
    assert_string_equal(c->reason_code, "YRS");
    assert_int_equal(c->categorical, 0);
    assert_int_equal(c->n_attributes, 5);
    assert_int_equal(c->attributes[0].match, PH_SC_MISSING);
    assert_null(c->attributes[0].reason_code);
    assert_range(&c->attributes[1], -INFINITY, 0, 1, 1, -3);
    assert_range(&c->attributes[2], 1, 0, 5, 1, 0);
    assert_range(&c->attributes[3], 5, 0, 10, 1, 12);
    assert_range(&c->attributes[4], 10, 0, INFINITY, 0, 18);

    c = &sc->characteristics[2];
    assert_range(&c->attributes[1], -INFINITY, 0, 10000, 0, -5);
    assert_range(&c->attributes[2], 10000, 1, 50000, 0, 5);
    assert_int_equal(c->attributes[3].match, PH_SC_ANY);

    /* surrogate(staff <= 1, True) is "<= 1, or missing"; or(equal 2,
     * equal 3) two points; the integer field has no gap between them. */
    c = &sc->characteristics[3];
    assert_int_equal(c->n_attributes, 5);
    assert_range(&c->attributes[0], -INFINITY, 0, 1, 1, 0);
    assert_int_equal(c->attributes[1].match, PH_SC_MISSING);
    assert_true(c->attributes[1].partial_score == 0);
    assert_range(&c->attributes[2], 2, 1, 2, 1, 4);
    assert_string_equal(c->attributes[2].reason_code, "STAFF_SMALL");
    assert_range(&c->attributes[3], 3, 1, 3, 1, 4);
    assert_string_equal(c->attributes[3].reason_code, "STAFF_SMALL");
    assert_range(&c->attributes[4], 4, 1, INFINITY, 0, 6);
    ph_scorecard_free(sc);
    free(text);
    ph_ctx_free(ctx);
}

/* ---- predicate shapes --------------------------------------------------------- */

static void test_predicates_map_to_attributes(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    ph_scorecard *sc = expect_ok(ctx, NO_CODES,
        "<Characteristic name=\"g\">\n"
        "  <Attribute partialScore=\"1\"><CompoundPredicate booleanOperator=\"or\">"
        "<SimplePredicate field=\"grade\" operator=\"equal\" value=\"A\"/>"
        "<SimplePredicate field=\"grade\" operator=\"isMissing\"/>"
        "<SimplePredicate field=\"grade\" operator=\"equal\" value=\"B\"/>"
        "</CompoundPredicate></Attribute>\n"
        "  <Attribute partialScore=\"2\"><False/></Attribute>\n"
        "  <Attribute partialScore=\"3\"><SimpleSetPredicate field=\"grade\" "
        "booleanOperator=\"isIn\"><Array type=\"string\">C C D</Array></SimpleSetPredicate>"
        "</Attribute>\n"
        "</Characteristic>\n"
        "<Characteristic name=\"s\">\n"
        "  <Attribute partialScore=\"4\"><SimplePredicate field=\"sector\" operator=\"notEqual\" "
        "value=\"b\"/></Attribute>\n"
        "  <Attribute partialScore=\"5\"><SimpleSetPredicate field=\"sector\" "
        "booleanOperator=\"isNotIn\"><Array n=\"1\" type=\"string\">a</Array>"
        "</SimpleSetPredicate></Attribute>\n"
        "  <Attribute partialScore=\"6\"><SimplePredicate field=\"sector\" "
        "operator=\"isNotMissing\"/></Attribute>\n"
        "</Characteristic>\n"
        "<Characteristic name=\"a\" baselineScore=\"9\">\n"
        "  <Attribute partialScore=\"7\"><SimpleSetPredicate field=\"age\" "
        "booleanOperator=\"isNotIn\"><Array type=\"real\">3 1</Array></SimpleSetPredicate>"
        "</Attribute>\n"
        "  <Attribute partialScore=\"8\"><CompoundPredicate booleanOperator=\"and\">"
        "<SimplePredicate field=\"age\" operator=\"greaterThan\" value=\"0\"/>"
        "<SimplePredicate field=\"age\" operator=\"lessOrEqual\" value=\"3\"/>"
        "<SimplePredicate field=\"age\" operator=\"greaterOrEqual\" value=\"1\"/>"
        "</CompoundPredicate></Attribute>\n"
        "  <Attribute partialScore=\"9\"><SimplePredicate field=\"age\" operator=\"notEqual\" "
        "value=\"2\"/></Attribute>\n"
        "</Characteristic>\n");
    assert_int_equal(sc->n_characteristics, 3);
    /* or(equal A, isMissing, equal B): the levels merge, missing apart;
     * False scores nothing and is dropped; a repeated level counts once. */
    const ph_sc_characteristic *c = &sc->characteristics[0];
    assert_int_equal(c->categorical, 1);
    assert_int_equal(c->n_attributes, 3);
    assert_int_equal(c->attributes[0].match, PH_SC_IN);
    assert_int_equal(c->attributes[0].n_levels, 2);
    assert_string_equal(c->attributes[0].levels[0], "A");
    assert_string_equal(c->attributes[0].levels[1], "B");
    assert_int_equal(c->attributes[1].match, PH_SC_MISSING);
    assert_true(c->attributes[1].partial_score == 1);
    assert_int_equal(c->attributes[2].n_levels, 2);
    assert_string_equal(c->attributes[2].levels[1], "D");
    /* baselineMethod absent and reason codes off: baseline 0. */
    assert_true(c->baseline_score == 0);
    /* Complements through the DataDictionary's Value list. */
    c = &sc->characteristics[1];
    assert_int_equal(c->attributes[0].n_levels, 2);
    assert_string_equal(c->attributes[0].levels[0], "a");
    assert_string_equal(c->attributes[0].levels[1], "c");
    assert_int_equal(c->attributes[1].n_levels, 2);
    assert_string_equal(c->attributes[1].levels[0], "b");
    assert_int_equal(c->attributes[2].n_levels, 3);
    /* Numbers: isNotIn {3, 1} is three open intervals; and() intersects. */
    c = &sc->characteristics[2];
    assert_int_equal(c->n_attributes, 6);
    assert_range(&c->attributes[0], -INFINITY, 0, 1, 0, 7);
    assert_range(&c->attributes[1], 1, 0, 3, 0, 7);
    assert_range(&c->attributes[2], 3, 0, INFINITY, 0, 7);
    assert_range(&c->attributes[3], 1, 1, 3, 1, 8);
    assert_range(&c->attributes[4], -INFINITY, 0, 2, 0, 9);
    assert_range(&c->attributes[5], 2, 0, INFINITY, 0, 9);
    assert_true(c->baseline_score == 9);
    ph_scorecard_free(sc);
    ph_ctx_free(ctx);
}

static void test_false_first(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    ph_scorecard *sc = expect_ok(ctx, NO_CODES,
        "<Characteristic name=\"g\">\n"
        "  <Attribute partialScore=\"1\"><False/></Attribute>\n"
        "  <Attribute partialScore=\"2\"><SimplePredicate field=\"grade\" operator=\"equal\" "
        "value=\"A\"/></Attribute>\n"
        "</Characteristic>\n");
    assert_int_equal(sc->characteristics[0].n_attributes, 1);
    assert_true(sc->characteristics[0].attributes[0].partial_score == 2);
    ph_scorecard_free(sc);
    ph_ctx_free(ctx);
}

/* One run of the sweep over ph_scorecard_read_pmml. */
typedef struct read_run {
    const char *doc;
    size_t len;
    const ph_scorecard *expected; /* NULL: any card */
    const ph_ctx *ctx;
    ph_scorecard *card;
} read_run;

static void read_before(void *user, const ph_ctx *ctx, void **state)
{
    read_run *r = user;
    r->ctx = ctx;
    r->card = NULL;
    *state = r;
}

static ph_status read_call(void *user, void *state, ph_error *err)
{
    (void)user;
    read_run *r = state;
    ph_status st = ph_scorecard_read_pmml(r->ctx, r->doc, r->len, "x.pmml", &r->card, err);
    if (st == PH_OK && r->expected != NULL)
        sct_assert_equal(r->expected, r->card);
    if (st != PH_OK)
        assert_null(r->card);
    return st;
}

static void read_after(void *user, void *state)
{
    (void)user;
    read_run *r = state;
    ph_scorecard_free(r->card);
}

/* Out of memory at every allocation in turn: PH_ENOMEM, nothing leaked
 * (ASan), and finally the same scorecard. */
static void test_read_out_of_memory(void **state)
{
    (void)state;
    ph_ctx *plain = sct_ctx();
    size_t len, fixture_len;
    ph_scorecard *card = sct_card(plain);
    char *text = sct_pmml(card, &len);
    char *other = read_fixture("pmml/shop_other_tool.pmml", &fixture_len);
    const char *docs[] = {text, other};
    size_t lens[] = {len, fixture_len};
    for (int d = 0; d < 2; d++) {
        read_run run = {docs[d], lens[d], d == 0 ? card : NULL, NULL, NULL};
        ph_failalloc_case c = {"ph_scorecard_read_pmml", &run, read_before, read_call,
                               read_after, 0};
        assert_true(ph_failalloc_sweep(&c, NULL, 100000) > 10);
    }
    free(text);
    free(other);
    ph_scorecard_free(card);
    ph_ctx_free(plain);
}

static void test_baselines(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    static const char body[] =
        "<Characteristic name=\"a\" reasonCode=\"R\">\n"
        "  <Attribute partialScore=\"7\"><SimplePredicate field=\"age\" operator=\"lessThan\" "
        "value=\"1\"/></Attribute>\n"
        "  <Attribute partialScore=\"-2\"><True/></Attribute>\n"
        "  <Attribute partialScore=\"12\"><SimplePredicate field=\"age\" operator=\"isMissing\"/>"
        "</Attribute>\n"
        "</Characteristic>\n";
    ph_scorecard *sc = expect_ok(ctx, "baselineMethod=\"max\"", body);
    assert_true(sc->characteristics[0].baseline_score == 12);
    ph_scorecard_free(sc);
    sc = expect_ok(ctx, "baselineMethod=\"min\"", body);
    assert_true(sc->characteristics[0].baseline_score == -2);
    ph_scorecard_free(sc);
    sc = expect_ok(ctx, "baselineScore=\"3.5\" baselineMethod=\"mean\"", body);
    assert_true(sc->characteristics[0].baseline_score == 3.5);
    ph_scorecard_free(sc);
    expect_error("baselineMethod=\"mean\"", body, PH_EINVAL,
                 "card.pmml:12: Characteristic 'a' has no baselineScore, nor has the Scorecard, "
                 "and baselineMethod 'mean' does not say how to compute one");
    expect_error("", body, PH_EINVAL, "baselineMethod 'other' does not say");
    ph_ctx_free(ctx);
}

/* ---- errors --------------------------------------------------------------------- */

static void test_attribute_gaps(void **state)
{
    (void)state;
    expect_error(NO_CODES,
                 "<Characteristic name=\"age\">\n"
                 "  <Attribute partialScore=\"1\"><SimplePredicate field=\"age\" "
                 "operator=\"lessThan\" value=\"25\"/></Attribute>\n"
                 "  <Attribute partialScore=\"2\"><SimplePredicate field=\"age\" "
                 "operator=\"greaterOrEqual\" value=\"30\"/></Attribute>\n"
                 "</Characteristic>\n",
                 PH_EINVAL,
                 "card.pmml:12: Characteristic 'age': no attribute covers values in [25, 30)");
    /* One point left out. */
    expect_error(NO_CODES,
                 "<Characteristic name=\"age\">\n"
                 "  <Attribute partialScore=\"1\"><SimplePredicate field=\"age\" "
                 "operator=\"notEqual\" value=\"2.5\"/></Attribute>\n"
                 "</Characteristic>\n",
                 PH_EINVAL, "card.pmml:12: Characteristic 'age': no attribute covers values in "
                            "[2.5, 2.5]");
    /* The ends of the line. */
    expect_error(NO_CODES,
                 "<Characteristic name=\"age\">\n"
                 "  <Attribute partialScore=\"1\"><SimplePredicate field=\"age\" "
                 "operator=\"greaterThan\" value=\"0.1\"/></Attribute>\n"
                 "</Characteristic>\n",
                 PH_EINVAL, "Characteristic 'age': no attribute covers values in (-inf, 0.1]");
    expect_error(NO_CODES,
                 "<Characteristic name=\"age\">\n"
                 "  <Attribute partialScore=\"1\"><SimplePredicate field=\"age\" "
                 "operator=\"isMissing\"/></Attribute>\n"
                 "  <Attribute partialScore=\"1\"><SimplePredicate field=\"age\" "
                 "operator=\"lessOrEqual\" value=\"1e6\"/></Attribute>\n"
                 "</Characteristic>\n",
                 PH_EINVAL, "Characteristic 'age': no attribute covers values in (1000000, inf)");
    expect_error(NO_CODES,
                 "<Characteristic name=\"age\">\n"
                 "  <Attribute partialScore=\"1\"><SimplePredicate field=\"age\" "
                 "operator=\"isMissing\"/></Attribute>\n"
                 "</Characteristic>\n",
                 PH_EINVAL, "Characteristic 'age': no attribute covers values in (-inf, inf)");
    /* An integer field needs only its whole numbers: (1, 2) is no gap, [3, 4) is. */
    ph_ctx *ctx = sct_ctx();
    ph_scorecard *sc = expect_ok(ctx, NO_CODES,
        "<Characteristic name=\"k\">\n"
        "  <Attribute partialScore=\"1\"><SimplePredicate field=\"kids\" operator=\"lessOrEqual\" "
        "value=\"1\"/></Attribute>\n"
        "  <Attribute partialScore=\"2\"><SimplePredicate field=\"kids\" operator=\"greaterThan\" "
        "value=\"1.5\"/></Attribute>\n"
        "</Characteristic>\n");
    ph_scorecard_free(sc);
    ph_ctx_free(ctx);
    expect_error(NO_CODES,
                 "<Characteristic name=\"k\">\n"
                 "  <Attribute partialScore=\"1\"><SimplePredicate field=\"kids\" "
                 "operator=\"lessThan\" value=\"3\"/></Attribute>\n"
                 "  <Attribute partialScore=\"2\"><SimplePredicate field=\"kids\" "
                 "operator=\"greaterOrEqual\" value=\"4\"/></Attribute>\n"
                 "</Characteristic>\n",
                 PH_EINVAL, "card.pmml:12: Characteristic 'k': no attribute covers values in "
                            "[3, 4)");
}

static void test_malformed_and_foreign_documents(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    ph_scorecard *sc = NULL;
    ph_error err;
    static const char broken[] = "<PMML version=\"4.4\">\n  <DataDictionary>\n</PMML>\n";
    ph_assert_error(ph_scorecard_read_pmml(ctx, broken, strlen(broken), "card.pmml", &sc, &err),
                    PH_EINVAL, &err,
                    "card.pmml:3:8: malformed XML: Opening and ending tag mismatch: "
                    "DataDictionary line 2 and PMML");
    assert_int_equal(err.line, 3);
    ph_assert_error(ph_scorecard_read_pmml(ctx, "", 0, "empty.pmml", &sc, &err), PH_EINVAL, &err,
                    "empty.pmml");
    assert_non_null(strstr(err.message, "malformed XML"));

    static const char tree[] =
        "<?xml version=\"1.0\"?>\n"
        "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\">\n"
        "  <Header/>\n"
        "  <DataDictionary><DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>"
        "</DataDictionary>\n"
        "  <TreeModel functionName=\"regression\"><MiningSchema/><Node score=\"1\"><True/></Node>"
        "</TreeModel>\n"
        "</PMML>\n";
    ph_assert_error(ph_scorecard_read_pmml(ctx, tree, strlen(tree), "tree.pmml", &sc, &err),
                    PH_EINVAL, &err, "tree.pmml:5: TreeModel: expected a Scorecard model");

    static const char old[] = "<PMML version=\"3.2\"><DataDictionary/></PMML>";
    ph_assert_error(ph_scorecard_read_pmml(ctx, old, strlen(old), "old.pmml", &sc, &err),
                    PH_EINVAL, &err, "old.pmml:1: PMML version '3.2', expected 4.x");
    static const char html[] = "<html/>";
    ph_assert_error(ph_scorecard_read_pmml(ctx, html, strlen(html), "x.html", &sc, &err),
                    PH_EINVAL, &err, "x.html:1: root element html, expected PMML");

    /* An external entity: refused without being fetched or expanded. */
    static const char xxe[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE PMML [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
        "<PMML version=\"4.4\"><Header>&x;</Header><DataDictionary/></PMML>\n";
    ph_assert_error(ph_scorecard_read_pmml(ctx, xxe, strlen(xxe), "xxe.pmml", &sc, &err),
                    PH_EINVAL, &err, "xxe.pmml: a DOCTYPE is not allowed in a PMML model");
    assert_null(strstr(err.message, "root:"));
    /* In an attribute the parser itself refuses the external entity. */
    static const char xxe_attr[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE PMML [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
        "<PMML version=\"4.4\"><DataDictionary/><Scorecard modelName=\"&x;\"/></PMML>\n";
    ph_assert_error(ph_scorecard_read_pmml(ctx, xxe_attr, strlen(xxe_attr), "xxe.pmml", &sc,
                                           &err),
                    PH_EINVAL, &err,
                    "xxe.pmml:3:63: malformed XML: Attribute references external entity 'x'");

    ph_assert_error(ph_scorecard_read_pmml(NULL, tree, 1, "x", &sc, &err), PH_EMISUSE, &err,
                    "ph_scorecard_read_pmml needs ctx, data and out");
    ph_assert_error(ph_scorecard_read_pmml(ctx, NULL, 3, "x", &sc, &err), PH_EMISUSE, &err, NULL);
    assert_null(sc);
    ph_ctx_free(ctx);
}

static void test_bad_attributes(void **state)
{
    (void)state;
    expect_error(NO_CODES,
                 "<Characteristic name=\"a\">\n"
                 "  <Attribute partialScore=\"1\"><SimplePredicate field=\"agee\" "
                 "operator=\"isMissing\"/></Attribute>\n"
                 "</Characteristic>\n",
                 PH_EINVAL,
                 "card.pmml:13: SimplePredicate: field 'agee' is not in the DataDictionary");
    expect_error(NO_CODES,
                 "<Characteristic name=\"a\">\n"
                 "  <Attribute><True/></Attribute>\n"
                 "</Characteristic>\n",
                 PH_EINVAL, "card.pmml:13: Attribute has no partialScore");
    expect_error(NO_CODES,
                 "<Characteristic name=\"a\">\n"
                 "  <Attribute><True/><ComplexPartialScore><FieldRef field=\"age\"/>"
                 "</ComplexPartialScore></Attribute>\n"
                 "</Characteristic>\n",
                 PH_EINVAL, "card.pmml:13: Attribute: ComplexPartialScore is not supported");
    expect_error(NO_CODES,
                 "<Characteristic name=\"a\">\n"
                 "  <Attribute partialScore=\"ten\"><True/></Attribute>\n"
                 "</Characteristic>\n",
                 PH_EINVAL, "card.pmml:13: Attribute: partialScore 'ten' is not a number");
    expect_error("useReasonCodes=\"true\" baselineMethod=\"max\"",
                 "<Characteristic name=\"a\">\n"
                 "  <Attribute partialScore=\"1\" reasonCode=\"R1\"><SimplePredicate field=\"age\" "
                 "operator=\"lessThan\" value=\"0\"/></Attribute>\n"
                 "  <Attribute partialScore=\"2\"><True/></Attribute>\n"
                 "</Characteristic>\n",
                 PH_EINVAL,
                 "card.pmml:14: Attribute has no reasonCode and neither has Characteristic 'a' "
                 "(useReasonCodes is true)");
    expect_error(NO_CODES,
                 "<Characteristic name=\"a\">\n"
                 "  <Attribute partialScore=\"1\">\n"
                 "    <CompoundPredicate booleanOperator=\"xor\"><True/><False/></CompoundPredicate>"
                 "</Attribute>\n"
                 "</Characteristic>\n",
                 PH_EINVAL, "card.pmml:14: CompoundPredicate: booleanOperator 'xor' is not "
                            "supported (and, or, surrogate)");
    expect_error(NO_CODES,
                 "<Characteristic name=\"g\">\n"
                 "  <Attribute partialScore=\"1\"><SimplePredicate field=\"grade\" "
                 "operator=\"lessThan\" value=\"B\"/></Attribute>\n"
                 "</Characteristic>\n",
                 PH_EINVAL, "card.pmml:13: SimplePredicate: operator 'lessThan' on categorical "
                            "field 'grade' is not supported");
    expect_error(NO_CODES,
                 "<Characteristic name=\"g\">\n"
                 "  <Attribute partialScore=\"1\"><SimplePredicate field=\"grade\" "
                 "operator=\"notEqual\" value=\"B\"/></Attribute>\n"
                 "</Characteristic>\n",
                 PH_EINVAL, "card.pmml:13: SimplePredicate: notEqual on categorical field "
                            "'grade' needs its <Value> list in the DataDictionary");
    expect_error(NO_CODES,
                 "<Characteristic name=\"a\">\n"
                 "  <Attribute partialScore=\"1\"><SimplePredicate field=\"age\" "
                 "operator=\"lessThan\" value=\"x1\"/></Attribute>\n"
                 "</Characteristic>\n",
                 PH_EINVAL, "card.pmml:13: SimplePredicate: value 'x1' is not a number");
    expect_error(NO_CODES,
                 "<Characteristic name=\"a\">\n"
                 "  <Attribute partialScore=\"1\"><SimplePredicate field=\"age\" "
                 "operator=\"between\" value=\"1\"/></Attribute>\n"
                 "</Characteristic>\n",
                 PH_EINVAL, "card.pmml:13: SimplePredicate: unknown operator 'between'");
    expect_error(NO_CODES,
                 "<Characteristic name=\"g\">\n"
                 "  <Attribute partialScore=\"1\"><SimpleSetPredicate field=\"grade\" "
                 "booleanOperator=\"isIn\">\n"
                 "    <Array n=\"3\" type=\"string\">A \"B C\"</Array></SimpleSetPredicate>"
                 "</Attribute>\n"
                 "</Characteristic>\n",
                 PH_EINVAL, "card.pmml:14: Array: n=\"3\" but it holds 2 values");
    expect_error(NO_CODES,
                 "<Characteristic name=\"g\">\n"
                 "  <Attribute partialScore=\"1\"><SimpleSetPredicate field=\"grade\" "
                 "booleanOperator=\"isIn\"><Array type=\"string\">A \"B</Array>"
                 "</SimpleSetPredicate></Attribute>\n"
                 "</Characteristic>\n",
                 PH_EINVAL, "card.pmml:13: Array: a quoted value has no closing quote");
    expect_error(NO_CODES,
                 "<Characteristic name=\"two\">\n"
                 "  <Attribute partialScore=\"1\"><SimplePredicate field=\"age\" "
                 "operator=\"isMissing\"/></Attribute>\n"
                 "  <Attribute partialScore=\"1\"><SimplePredicate field=\"kids\" "
                 "operator=\"isMissing\"/></Attribute>\n"
                 "</Characteristic>\n",
                 PH_EINVAL, "card.pmml:14: SimplePredicate: field 'kids', but the characteristic "
                            "already reads 'age'; puhui scores one field per characteristic");
    expect_error(NO_CODES,
                 "<Characteristic name=\"t\">\n"
                 "  <Attribute partialScore=\"1\"><True/></Attribute>\n"
                 "</Characteristic>\n",
                 PH_EINVAL, "card.pmml:12: Characteristic 't' reads no field");
    expect_error(NO_CODES, "", PH_EINVAL,
                 "card.pmml:11: Scorecard has no Characteristics/Characteristic");
}

static void test_bad_schema(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    ph_scorecard *sc = NULL;
    ph_error err;
    static const char unknown[] =
        "<PMML version=\"4.4\">\n"
        "<DataDictionary><DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>"
        "</DataDictionary>\n"
        "<Scorecard useReasonCodes=\"false\">\n"
        "<MiningSchema><MiningField name=\"x\"/>\n<MiningField name=\"y\"/></MiningSchema>\n"
        "</Scorecard></PMML>\n";
    ph_assert_error(ph_scorecard_read_pmml(ctx, unknown, strlen(unknown), "s.pmml", &sc, &err),
                    PH_EINVAL, &err,
                    "s.pmml:5: MiningField: field 'y' is not in the DataDictionary");
    static const char target_as_input[] =
        "<PMML version=\"4.4\">\n"
        "<DataDictionary><DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>"
        "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>\n"
        "<Scorecard useReasonCodes=\"false\">\n"
        "<MiningSchema><MiningField name=\"x\"/><MiningField name=\"y\" usageType=\"target\"/>"
        "</MiningSchema>\n"
        "<Characteristics><Characteristic name=\"c\">\n"
        "<Attribute partialScore=\"1\"><SimplePredicate field=\"y\" operator=\"isMissing\"/>"
        "</Attribute></Characteristic></Characteristics>\n"
        "</Scorecard></PMML>\n";
    ph_assert_error(ph_scorecard_read_pmml(ctx, target_as_input, strlen(target_as_input),
                                           "s.pmml", &sc, &err),
                    PH_EINVAL, &err,
                    "s.pmml:6: SimplePredicate: field 'y' is the model's target, not an input");
    static const char bad_scale[] =
        "<PMML version=\"4.4\">\n<DataDictionary/>\n"
        "<Scorecard useReasonCodes=\"false\">\n"
        "<Extension extender=\"puhui\" name=\"puhui-scale\">\n"
        "<Scale basePoints=\"600\" baseOdds=\"0\" pdo=\"20\"/></Extension>\n"
        "<MiningSchema/></Scorecard></PMML>\n";
    ph_assert_error(ph_scorecard_read_pmml(ctx, bad_scale, strlen(bad_scale), "s.pmml", &sc,
                                           &err),
                    PH_EINVAL, &err, "s.pmml:5: puhui-scale: expected basePoints, baseOdds > 0 "
                                     "and pdo > 0, all finite");
    assert_null(sc);
    ph_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_is_standard_pmml),
        cmocka_unit_test(test_round_trip_is_exact),
        cmocka_unit_test(test_round_trip_plain_card),
        cmocka_unit_test(test_write_errors),
        cmocka_unit_test(test_read_other_tool),
        cmocka_unit_test(test_predicates_map_to_attributes),
        cmocka_unit_test(test_false_first),
        cmocka_unit_test(test_read_out_of_memory),
        cmocka_unit_test(test_baselines),
        cmocka_unit_test(test_attribute_gaps),
        cmocka_unit_test(test_malformed_and_foreign_documents),
        cmocka_unit_test(test_bad_attributes),
        cmocka_unit_test(test_bad_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
