/*
 * Scoring with scorecards through ph_model: points and PD checked by hand,
 * contributions, reason codes, the same scores after a PMML round trip,
 * another tool's scorecard, and every scoring error with its line.
 */
#include "ph_failalloc.h"
#include "ph_scorecard_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    ph_ctx *ctx;
    char *dir;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    ph_test_env_open("model_scorecard", &f->ctx, &f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ph_test_env_close(f->ctx, f->dir);
    free(f);
    return 0;
}

/* A CSV file NAME in the test directory, read as a dataset. */
static ph_dataset *csv(const fixture *f, const char *name, const char *text)
{
    char *path = ph_test_path(f->dir, name);
    ph_test_write_file(path, text);
    ph_dataset *ds;
    ph_error err;
    ph_assert_ok(ph_dataset_read_csv(f->ctx, path, NULL, &ds, &err), &err);
    free(path);
    return ds;
}

static ph_model_input *bind(const ph_model *m, const ph_dataset *ds)
{
    ph_model_input *in;
    ph_error err;
    ph_assert_ok(ph_model_bind(m, ds, &in, &err), &err);
    return in;
}

static ph_model *card_model(const fixture *f)
{
    ph_scorecard *sc = sct_card(f->ctx);
    ph_model *m;
    ph_error err;
    ph_assert_ok(ph_model_from_scorecard(f->ctx, sc, &m, &err), &err);
    ph_scorecard_free(sc); /* the model keeps its own copy */
    return m;
}

static const char card_rows[] =
    "id,age,grade,income\n"
    "1,30,A,6000\n"
    "2,,C,800\n"
    "3,45,,\n"
    "4,24.999,D E,1000\n";

static double pd_of(double points)
{
    return 1.0 / (1.0 + 50.0 * exp2((points - 600.0) / 20.0));
}

/* The opaque scorecard read through its accessors: sct_card's values. */
static void test_scorecard_accessors(void **state)
{
    fixture *f = *state;
    ph_scorecard *sc = sct_card(f->ctx);
    assert_string_equal(ph_scorecard_name(sc), "shop credit");
    assert_true(ph_scorecard_initial_score(sc) == 500);
    size_t count = 0;
    const ph_sc_characteristic *c = ph_scorecard_characteristics(sc, &count);
    assert_int_equal(count, 3);
    assert_string_equal(c[1].name, "grade_score");
    assert_string_equal(c[2].field, "income");
    assert_int_equal(ph_scorecard_uses_reason_codes(sc), 1);
    assert_int_equal(ph_scorecard_reason_algorithm(sc), PH_SC_POINTS_BELOW);
    double points = 0, odds = 0, pdo = 0;
    assert_int_equal(ph_scorecard_scale(sc, &points, &odds, &pdo), 1);
    assert_true(points == 600 && odds == 50 && pdo == 20);
    uint64_t rows = 0, bads = 0;
    const char *target = NULL;
    ph_scorecard_training(sc, &rows, &bads, &target, NULL);
    assert_int_equal(rows, 1000);
    assert_int_equal(bads, 80);
    assert_string_equal(target, "bad");
    ph_scorecard_free(sc);
}

static void test_points_and_pd_by_hand(void **state)
{
    fixture *f = *state;
    ph_model *m = card_model(f);
    assert_int_equal(ph_model_kind_of(m), PH_MODEL_SCORECARD);
    assert_string_equal(ph_model_source(m), "shop credit");
    assert_int_equal(ph_model_has_points(m), 1);
    assert_int_equal(ph_model_tree_count(m), 0);
    assert_int_equal(ph_model_feature_count(m), 3);
    assert_string_equal(ph_model_feature_name(m, 0), "age");
    assert_string_equal(ph_model_feature_name(m, 1), "grade");
    assert_string_equal(ph_model_feature_name(m, 2), "income");
    assert_int_equal(ph_model_feature_categorical(m, 0), 0);
    assert_int_equal(ph_model_feature_categorical(m, 1), 1);
    assert_int_equal(ph_model_feature_categorical(m, 2), 0);
    assert_string_equal(ph_model_scorecard(m)->characteristics[1].name, "grade_score");

    ph_dataset *ds = csv(f, "card.csv", card_rows);
    ph_model_input *in = bind(m, ds);
    double pd[4], points[4];
    ph_error err;
    ph_assert_ok(ph_model_predict(in, 0, 4, pd, points, &err), &err);
    /* 500 + age + grade + income */
    assert_true(points[0] == 500 + 20 + 40 + 50); /* 30 in [25,40), A, 6000 > 5000 */
    assert_true(points[1] == 500 + 5 + 25 + 0);   /* missing, C, 800 <= 1000 */
    assert_true(points[2] == 500 + 30 + 0 + 15);  /* 45 >= 40, missing, missing: True */
    assert_true(points[3] == 500 + 10 + 10 + 0);  /* 24.999 < 25, "D E", 1000 <= 1000 */
    for (int i = 0; i < 4; i++)
        assert_true(pd[i] == pd_of(points[i]));
    /* 610 is half a doubling above 600: odds 50 * sqrt(2). 530: 2^-3.5. */
    assert_true(fabs(pd[0] - 1.0 / (1.0 + 50.0 * sqrt(2.0))) < 1e-16);
    assert_true(fabs(pd[1] - 1.0 / (1.0 + 50.0 / (8.0 * sqrt(2.0)))) < 1e-16);

    /* A sub-range, and pd without points. */
    double one;
    ph_assert_ok(ph_model_predict(in, 3, 1, &one, NULL, &err), &err);
    assert_true(one == pd_of(520));

    double contrib[4];
    ph_assert_ok(ph_model_contributions(in, 1, contrib, &err), &err);
    assert_true(contrib[0] == 5 && contrib[1] == 25 && contrib[2] == 0 && contrib[3] == 500);
    ph_model_input_free(in);
    ph_dataset_free(ds);
    ph_model_free(m);
}

/* A reason code is given whole, however long (it was cut at 63 bytes), and
 * a sentence that cannot be held is an error, never a cut sentence. */
static void test_reasons_are_whole(void **state)
{
    fixture *f = *state;
    ph_scorecard *sc = sct_card(f->ctx);
    size_t count = 0;
    ph_sc_characteristic *c = (ph_sc_characteristic *)ph_scorecard_characteristics(sc, &count);
    char code[201];
    memset(code, 'R', 200);
    code[200] = '\0';
    for (size_t i = 0; i < count; i++)
        if (strcmp(c[i].reason_code ? c[i].reason_code : "", "RC_INCOME") == 0) {
            ph_free(f->ctx, c[i].reason_code);
            c[i].reason_code = ph_strdup(f->ctx, code);
        }
    ph_model *m;
    ph_error err;
    ph_assert_ok(ph_model_from_scorecard(f->ctx, sc, &m, &err), &err);
    ph_scorecard_free(sc);
    ph_dataset *ds = csv(f, "card.csv", card_rows);
    ph_model_input *in = bind(m, ds);
    ph_reason r[5];
    size_t n = 0;
    ph_assert_ok(ph_model_reasons(in, 1, 5, r, &n, &err), &err);
    assert_string_equal(r[0].name, "income");
    assert_string_equal(r[0].code, code);
    ph_model_input_free(in);
    ph_dataset_free(ds);
    ph_model_free(m);
}

static void test_reasons_points_below(void **state)
{
    fixture *f = *state;
    ph_model *m = card_model(f);
    ph_dataset *ds = csv(f, "card.csv", card_rows);
    ph_model_input *in = bind(m, ds);
    ph_reason r[5];
    size_t n = 99;
    ph_error err;

    /* Row 2: income 50 below its baseline, age 25 (missing: 5 of 30), grade 15. */
    ph_assert_ok(ph_model_reasons(in, 1, 5, r, &n, &err), &err);
    assert_int_equal(n, 3);
    assert_int_equal(r[0].feature, 2);
    assert_string_equal(r[0].name, "income");
    assert_string_equal(r[0].code, "RC_INCOME");
    assert_string_equal(r[0].value, "800");
    assert_true(r[0].impact == 50);
    assert_string_equal(r[0].text, "income is 800 (50 points below the baseline)");
    assert_string_equal(r[1].code, "RC_AGE");
    assert_string_equal(r[1].value, "");
    assert_true(r[1].impact == 25);
    assert_string_equal(r[1].text, "age is missing");
    assert_string_equal(r[2].code, "RC_GRADE_BC"); /* the attribute's own code */
    assert_string_equal(r[2].value, "C");
    assert_true(r[2].impact == 15);

    /* k limits; a characteristic at its baseline is no reason. */
    ph_assert_ok(ph_model_reasons(in, 1, 1, r, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].code, "RC_INCOME");
    ph_assert_ok(ph_model_reasons(in, 0, 3, r, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].code, "RC_AGE");
    assert_true(r[0].impact == 10);
    ph_assert_ok(ph_model_reasons(in, 2, 3, r, &n, &err), &err);
    assert_int_equal(n, 2);
    assert_string_equal(r[0].code, "RC_GRADE_MISSING");
    assert_true(r[0].impact == 40);
    assert_string_equal(r[1].code, "RC_INCOME");
    assert_true(r[1].impact == 35);
    ph_model_input_free(in);
    ph_dataset_free(ds);
    ph_model_free(m);
}

static void test_reasons_points_above(void **state)
{
    fixture *f = *state;
    ph_scorecard *sc = sct_card(f->ctx);
    sc->reason_algorithm = PH_SC_POINTS_ABOVE;
    for (size_t i = 0; i < sc->n_characteristics; i++)
        sc->characteristics[i].baseline_score = 0;
    ph_model *m;
    ph_error err;
    ph_assert_ok(ph_model_from_scorecard(f->ctx, sc, &m, &err), &err);
    ph_dataset *ds = csv(f, "card.csv", card_rows);
    ph_model_input *in = bind(m, ds);
    ph_reason r[3];
    size_t n;
    /* Row 2 above 0: grade 25, age 5, income 0 (no reason). */
    ph_assert_ok(ph_model_reasons(in, 1, 3, r, &n, &err), &err);
    assert_int_equal(n, 2);
    assert_string_equal(r[0].code, "RC_GRADE_BC");
    assert_true(r[0].impact == 25);
    assert_string_equal(r[1].code, "RC_AGE");
    assert_true(r[1].impact == 5);
    assert_string_equal(r[1].text, "age is missing");
    assert_string_equal(r[0].text, "grade is C (25 points above the baseline)");
    ph_model_input_free(in);
    ph_dataset_free(ds);
    ph_model_free(m);
    ph_scorecard_free(sc);
}

/* A level too long for ph_reason.value is shortened at a character boundary
 * with "...", never shown as missing. */
static void test_reason_value_shortened(void **state)
{
    fixture *f = *state;
    ph_scorecard *sc = sct_card(f->ctx);
    /* 25 three-byte characters: 75 bytes, more than the 63 that fit. */
    char long_level[128] = "";
    for (int i = 0; i < 25; i++)
        strcat(long_level, "\xe4\xb8\xad");
    const char *const levels[] = {"D E", long_level};
    sct_levels(sc, &sc->characteristics[1].attributes[2], levels, 2);
    ph_model *m;
    ph_error err;
    ph_assert_ok(ph_model_from_scorecard(f->ctx, sc, &m, &err), &err);
    char text[256];
    snprintf(text, sizeof(text), "id,age,grade,income\n5,30,%s,6000\n", long_level);
    ph_dataset *ds = csv(f, "long.csv", text);
    ph_model_input *in = bind(m, ds);
    ph_reason r[1];
    size_t n;
    ph_assert_ok(ph_model_reasons(in, 0, 1, r, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].code, "RC_GRADE_LOW");
    char expected[64];
    memcpy(expected, long_level, 60); /* 20 whole characters */
    strcpy(expected + 60, "...");
    assert_string_equal(r[0].value, expected);
    ph_model_input_free(in);
    ph_dataset_free(ds);
    ph_model_free(m);
    ph_scorecard_free(sc);
}

static void test_same_scores_after_pmml(void **state)
{
    fixture *f = *state;
    ph_model *direct = card_model(f);
    ph_scorecard *sc = sct_card(f->ctx);
    size_t len;
    char *text = sct_pmml(sc, &len);
    ph_model *loaded;
    ph_error err;
    ph_assert_ok(ph_model_load_memory(f->ctx, text, len, "card.pmml", &loaded, &err), &err);
    assert_string_equal(ph_model_source(loaded), "card.pmml");
    sct_assert_equal(sc, ph_model_scorecard(loaded));

    ph_dataset *ds = csv(f, "card.csv", card_rows);
    ph_model_input *a = bind(direct, ds), *b = bind(loaded, ds);
    double pd_a[4], pd_b[4], pt_a[4], pt_b[4];
    ph_assert_ok(ph_model_predict(a, 0, 4, pd_a, pt_a, &err), &err);
    ph_assert_ok(ph_model_predict(b, 0, 4, pd_b, pt_b, &err), &err);
    assert_memory_equal(pd_a, pd_b, sizeof(pd_a));
    assert_memory_equal(pt_a, pt_b, sizeof(pt_a));
    ph_model_input_free(a);
    ph_model_input_free(b);
    ph_dataset_free(ds);
    ph_model_free(direct);
    ph_model_free(loaded);
    ph_scorecard_free(sc);
    free(text);
}

static void test_other_tool_points_only(void **state)
{
    fixture *f = *state;
    char *path = ph_test_fixture("pmml/shop_other_tool.pmml");
    ph_model *m;
    ph_error err;
    ph_assert_ok(ph_model_load_file(f->ctx, path, &m, &err), &err);
    assert_string_equal(ph_model_source(m), path);
    assert_int_equal(ph_model_feature_count(m), 4);
    assert_string_equal(ph_model_feature_name(m, 3), "staff");
    ph_dataset *ds = csv(f, "shops.csv",
                         "sector,years_trading,monthly_sales,staff\n"
                         "food service,7,,3\n"
                         "retail,0.5,20000,\n"
                         "\"repair \"\"quick\"\"\",12,60000,1\n");
    ph_model_input *in = bind(m, ds);
    double pd[3], points[3];
    ph_assert_ok(ph_model_predict(in, 0, 3, pd, points, &err), &err);
    assert_true(points[0] == 3 + 12 + 3 + 4);  /* service, (5,10], missing, 3 */
    assert_true(points[1] == 19 - 3 + 5 + 0);  /* trade, <= 1, [1e4,5e4), missing: surrogate */
    assert_true(points[2] == 3 + 18 + 10 + 0); /* service, > 10, True, 1 <= 1 */
    for (int i = 0; i < 3; i++)
        assert_true(isnan(pd[i]));
    ph_reason r[3];
    size_t n;
    ph_assert_ok(ph_model_reasons(in, 0, 3, r, &n, &err), &err);
    assert_int_equal(n, 3);
    assert_string_equal(r[0].code, "SEC_SERVICE");
    assert_true(r[0].impact == 16);
    assert_string_equal(r[1].code, "SALES");
    assert_true(r[1].impact == 7);
    assert_string_equal(r[2].code, "YRS");
    assert_true(r[2].impact == 6);
    ph_model_input_free(in);
    ph_dataset_free(ds);
    ph_model_free(m);
    free(path);
}

/* A categorical field coded as numbers in the data: levels match numbers. */
static void test_categorical_levels_on_numeric_column(void **state)
{
    fixture *f = *state;
    ph_scorecard *sc;
    ph_error err;
    ph_assert_ok(ph_scorecard_new(f->ctx, &sc, &err), &err);
    sc->use_reason_codes = 0;
    ph_sc_characteristic *c = sct_characteristic(sc, "grade_score", "grade", 1, NULL, 0);
    static const char *const one[] = {"1"}, *const two_three[] = {"2.0", "03"};
    sct_levels(sc, sct_attribute(sc, c, PH_SC_IN, 10, NULL), one, 1);
    sct_levels(sc, sct_attribute(sc, c, PH_SC_IN, 20, NULL), two_three, 2);
    ph_model *m;
    ph_assert_ok(ph_model_from_scorecard(f->ctx, sc, &m, &err), &err);
    ph_dataset *ds = csv(f, "grades.csv", "grade\n1\n2\n3\n4\n");
    assert_int_equal(ph_dataset_column_kind(ds, 0), PH_COLUMN_NUMERIC);
    ph_model_input *in = bind(m, ds);
    double pd[3], points[3];
    ph_assert_ok(ph_model_predict(in, 0, 3, pd, points, &err), &err);
    assert_true(points[0] == 10 && points[1] == 20 && points[2] == 20);
    assert_true(isnan(pd[0]));
    ph_assert_error(ph_model_predict(in, 0, 4, pd, points, &err), PH_EINVAL, &err,
                    "grades.csv:5: field grade, value '4': no attribute of characteristic "
                    "'grade_score' matches this value (scorecard <memory>)");
    ph_model_input_free(in);
    ph_dataset_free(ds);
    ph_model_free(m);
    ph_scorecard_free(sc);
}

/* One run of the sweep: the run's context and what the call made. */
typedef struct from_card {
    const ph_scorecard *card;
    const ph_ctx *ctx;
    ph_model *model;
} from_card;

static void from_card_before(void *user, const ph_ctx *ctx, void **state)
{
    from_card *r = user;
    r->ctx = ctx;
    r->model = NULL;
    *state = r;
}

static ph_status from_card_call(void *user, void *state, ph_error *err)
{
    (void)user;
    from_card *r = state;
    ph_status st = ph_model_from_scorecard(r->ctx, r->card, &r->model, err);
    if (st == PH_OK)
        sct_assert_equal(r->card, ph_model_scorecard(r->model));
    else
        assert_null(r->model);
    return st;
}

static void from_card_after(void *user, void *state)
{
    (void)user;
    from_card *r = state;
    ph_model_free(r->model);
}

/* Out of memory at each allocation of ph_model_from_scorecard in turn. */
static void test_from_scorecard_out_of_memory(void **state)
{
    fixture *f = *state;
    ph_scorecard *sc = sct_card(f->ctx);
    from_card run = {sc, NULL, NULL};
    ph_failalloc_case c = {"ph_model_from_scorecard", &run, from_card_before, from_card_call,
                           from_card_after, 0};
    assert_true(ph_failalloc_sweep(&c, NULL, 10000) > 5);
    ph_scorecard_free(sc);
}

static void test_scoring_errors(void **state)
{
    fixture *f = *state;
    ph_model *m = card_model(f);
    ph_error err;
    char *csv_path = ph_test_path(f->dir, "bad.csv");

    /* A level no attribute of grade_score has. */
    ph_dataset *ds = csv(f, "bad.csv", "id,age,grade,income\n1,30,A,6000\n2,31,Z,6000\n");
    ph_model_input *in = bind(m, ds);
    double pd[2] = {-1, -1}, points[2] = {-1, -1};
    char expected[512];
    snprintf(expected, sizeof(expected),
             "%s:3: field grade, value 'Z': no attribute of characteristic 'grade_score' "
             "matches this value (scorecard shop credit)", csv_path);
    ph_assert_error(ph_model_predict(in, 0, 2, pd, points, &err), PH_EINVAL, &err, expected);
    assert_int_equal(err.line, 3);
    /* Row 1 scores, row 2 does not: nothing written. */
    assert_true(pd[0] == -1 && pd[1] == -1 && points[0] == -1 && points[1] == -1);
    double contrib[4] = {-1, -1, -1, -1};
    ph_assert_error(ph_model_contributions(in, 1, contrib, &err), PH_EINVAL, &err, expected);
    assert_true(contrib[0] == -1 && contrib[3] == -1); /* nothing written */
    ph_reason r[3];
    size_t n = 7;
    ph_assert_error(ph_model_reasons(in, 1, 3, r, &n, &err), PH_EINVAL, &err, expected);
    assert_int_equal(n, 7);
    ph_model_input_free(in);
    ph_dataset_free(ds);

    /* A feature the data lacks. */
    ds = csv(f, "bad.csv", "id,age,grade\n1,30,A\n");
    snprintf(expected, sizeof(expected),
             "field feature, value 'income': the model shop credit needs this feature, which "
             "is missing from input %s", csv_path);
    ph_assert_error(ph_model_bind(m, ds, &in, &err), PH_ENOTFOUND, &err, expected);
    ph_dataset_free(ds);

    /* Text where the scorecard compares numbers. */
    ds = csv(f, "bad.csv", "age,grade,income\n30,A,6000\n41+,B,7000\n");
    snprintf(expected, sizeof(expected),
             "field feature, value 'age': the scorecard shop credit compares it with numeric "
             "ranges; input %s holds text in it ('41+')", csv_path);
    ph_assert_error(ph_model_bind(m, ds, &in, &err), PH_EINVAL, &err, expected);
    ph_dataset_free(ds);
    ph_model_free(m);

    /* A missing value where no attribute takes one, a number in a hole. */
    ph_scorecard *sc;
    ph_assert_ok(ph_scorecard_new(f->ctx, &sc, &err), &err);
    sc->use_reason_codes = 0;
    ph_sc_characteristic *c = sct_characteristic(sc, "n_score", "n", 0, NULL, 0);
    sct_range(sct_attribute(sc, c, PH_SC_RANGE, 1, NULL), 0, 1, 10, 0);
    ph_assert_ok(ph_model_from_scorecard(f->ctx, sc, &m, &err), &err);
    ds = csv(f, "bad.csv", "id,n\n1,5\n2,\n3,12.5\n");
    in = bind(m, ds);
    snprintf(expected, sizeof(expected),
             "%s:3: field n: the value is missing and no attribute of characteristic 'n_score' "
             "matches a missing value", csv_path);
    ph_assert_error(ph_model_predict(in, 0, 3, pd, NULL, &err), PH_EINVAL, &err, expected);
    snprintf(expected, sizeof(expected),
             "%s:4: field n, value '12.5': no attribute of characteristic 'n_score' matches "
             "this value", csv_path);
    ph_assert_error(ph_model_predict(in, 2, 1, pd, NULL, &err), PH_EINVAL, &err, expected);
    ph_model_input_free(in);
    ph_dataset_free(ds);
    ph_model_free(m);

    /* A characteristic without a field cannot be scored. */
    ph_free(f->ctx, sc->characteristics[0].field);
    sc->characteristics[0].field = NULL;
    ph_assert_error(ph_model_from_scorecard(f->ctx, sc, &m, &err), PH_EINVAL, &err,
                    "field characteristic, value 'n_score': characteristic 1 has no field");
    ph_assert_error(ph_model_from_scorecard(f->ctx, NULL, &m, &err), PH_EMISUSE, &err,
                    "ph_model_from_scorecard needs ctx, a scorecard and out");
    ph_scorecard_free(sc);

    /* A PMML attribute gap reaches the loader's caller with its line. */
    static const char gap[] =
        "<PMML version=\"4.4\">\n"
        "<DataDictionary><DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>"
        "</DataDictionary>\n"
        "<Scorecard useReasonCodes=\"false\"><MiningSchema><MiningField name=\"x\"/>"
        "</MiningSchema>\n<Characteristics>\n<Characteristic name=\"x_score\">\n"
        "<Attribute partialScore=\"1\"><SimplePredicate field=\"x\" operator=\"lessThan\" "
        "value=\"25\"/></Attribute>\n"
        "<Attribute partialScore=\"2\"><SimplePredicate field=\"x\" operator=\"greaterThan\" "
        "value=\"30\"/></Attribute>\n"
        "</Characteristic></Characteristics></Scorecard></PMML>\n";
    ph_assert_error(ph_model_load_memory(f->ctx, gap, strlen(gap), "card.pmml", &m, &err),
                    PH_EINVAL, &err,
                    "card.pmml:5: Characteristic 'x_score': no attribute covers values in "
                    "[25, 30]");
    free(csv_path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scorecard_accessors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_points_and_pd_by_hand, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reasons_points_below, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reasons_are_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reasons_points_above, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reason_value_shortened, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_scores_after_pmml, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_tool_points_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_categorical_levels_on_numeric_column, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_from_scorecard_out_of_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scoring_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
