/*
 * The model targets' one body: load the input with ph_model_load_memory as
 * `puhui` loads a model file, then score a few rows and explain them, as the
 * decision engine does right after loading, so a model that loads but is
 * not sound (a child outside its tree, a feature index past the list)
 * shows here rather than in production.
 */
#ifndef PH_FUZZ_MODEL_H
#define PH_FUZZ_MODEL_H

#include <math.h>

#include "fuzz_common.h"

#include "puhui/model.h"
#include "puhui/scorecard.h"

/* Larger feature lists load fine but are not worth a row per input. */
#define FUZZ_MODEL_MAX_FEATURES 4096

static inline void fuzz_model_score(const ph_model *model)
{
    size_t n = ph_model_feature_count(model);
    if (n > FUZZ_MODEL_MAX_FEATURES)
        return;
    const ph_scorecard *sc = ph_model_scorecard(model);
    int unscaled = sc != NULL && !ph_scorecard_scale(sc, NULL, NULL, NULL);
    double *x = malloc((n ? n : 1) * sizeof(double));
    if (x == NULL)
        abort();
    static const double fills[] = {NAN, 0.0, 1.0, -1e9, 1e9};
    for (size_t f = 0; f < sizeof(fills) / sizeof(fills[0]); f++) {
        for (size_t i = 0; i < n; i++)
            x[i] = (i & 1) ? fills[f] : fills[(f + 1) % 5];
        double pd, points;
        ph_error err;
        /* The one property checked beyond memory safety: whatever a model
         * that loaded holds, a score is a probability (a scorecard without
         * a scale has none: NaN, as ph_scorecard_pd says). */
        if (ph_model_predict_row(model, x, &pd, &points, &err) == PH_OK &&
            !(pd >= 0 && pd <= 1) && !(isnan(pd) && unscaled)) {
            fprintf(stderr, "fuzz: a loaded model scored pd = %g (row %zu)\n", pd, f);
            abort();
        }
        ph_reason reasons[3];
        size_t got = 0;
        (void)ph_model_reasons_row(model, x, 3, reasons, &got, &err);
    }
    free(x);
}

/* Load and score the input when its first non-blank byte is `lead`
 * (lightgbm: "tree"), else -1: the input belongs to another target. */
static inline int fuzz_model_run(const uint8_t *data, size_t size, const char *lead)
{
    size_t p = 0;
    while (p < size && (data[p] == ' ' || data[p] == '\t' || data[p] == '\r' || data[p] == '\n'))
        p++;
    size_t lead_len = strlen(lead);
    if (size - p < lead_len || memcmp(data + p, lead, lead_len) != 0)
        return -1;
    ph_ctx *ctx = fuzz_ctx();
    ph_model *model = NULL;
    ph_error err;
    if (ph_model_load_memory(ctx, (const char *)data, size, "fuzz", &model, &err) == PH_OK) {
        for (size_t i = 0; i < ph_model_feature_count(model); i++)
            (void)ph_model_feature_name(model, i);
        fuzz_model_score(model);
        const ph_scorecard *sc = ph_model_scorecard(model);
        if (sc != NULL) {
            char *text = NULL;
            size_t len = 0;
            FILE *out = open_memstream(&text, &len);
            if (out != NULL) {
                (void)ph_scorecard_write_pmml(sc, out, &err);
                (void)ph_scorecard_write_summary(sc, out, &err);
                fclose(out);
            }
            free(text);
        }
    }
    ph_model_free(model);
    ph_ctx_free(ctx);
    return 0;
}

#endif
