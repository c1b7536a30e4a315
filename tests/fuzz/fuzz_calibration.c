/*
 * A calibration's stored form (src/model/calibration_json.c) through
 * ph_calibration_from_json, as the XGBoost loader reads the attribute
 * learner.attributes.puhui_calibration. What loads is applied over [0, 1]
 * and written back. Beyond memory safety two properties are checked: a
 * calibrated probability is in [PH_CALIBRATION_P_MIN, PH_CALIBRATION_P_MAX], never decreasing for an
 * isotonic calibration, and the written form reads back to the same text.
 */
#include <math.h>

#include "fuzz_common.h"

#include "puhui/calibration.h"

static void check_apply(const ph_calibration *c)
{
    double before = 0.0;
    for (int k = 0; k <= 64; k++) {
        double q = ph_calibration_apply(c, k / 64.0);
        if (!(q >= PH_CALIBRATION_P_MIN && q <= PH_CALIBRATION_P_MAX)) {
            fprintf(stderr, "fuzz: calibrated %g to %g\n", k / 64.0, q);
            abort();
        }
        if (ph_calibration_method_of(c) == PH_CALIBRATION_ISOTONIC && q < before) {
            fprintf(stderr, "fuzz: isotonic calibration decreases at %g\n", k / 64.0);
            abort();
        }
        before = q;
    }
    (void)ph_calibration_apply(c, NAN);
    (void)ph_calibration_apply(c, -1.0);
    (void)ph_calibration_apply(c, 2.0);
}

static void check_round_trip(const ph_ctx *ctx, const ph_calibration *c)
{
    char *text = NULL, *again = NULL;
    ph_calibration *back = NULL;
    ph_error err;
    if (ph_calibration_to_json(c, &text, &err) != PH_OK)
        return; /* out of memory */
    if (ph_calibration_from_json(ctx, text, strlen(text), &back, &err) != PH_OK) {
        fprintf(stderr, "fuzz: written calibration refused: %s\n%s\n", err.message, text);
        abort();
    }
    if (ph_calibration_to_json(back, &again, &err) == PH_OK && strcmp(text, again) != 0) {
        fprintf(stderr, "fuzz: calibration text changed on reading back:\n%s\n%s\n", text,
                again);
        abort();
    }
    ph_free(ctx, text);
    ph_free(ctx, again);
    ph_calibration_free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ph_ctx *ctx = fuzz_ctx();
    ph_calibration *c = NULL;
    ph_error err;
    if (ph_calibration_from_json(ctx, (const char *)data, size, &c, &err) == PH_OK) {
        check_apply(c);
        check_round_trip(ctx, c);
    }
    ph_calibration_free(c);
    ph_ctx_free(ctx);
    return 0;
}
