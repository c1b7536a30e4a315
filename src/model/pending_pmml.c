/* Placeholder until PMML and scorecard scoring land (issue 5, pmml branch). */
#include "model_internal.h"

ph_status ph_scorecard_read_pmml(const ph_ctx *ctx, const char *data, size_t len,
                                 const char *source, ph_scorecard **out, ph_error *err)
{
    (void)ctx, (void)data, (void)len, (void)out;
    return ph_error_set(err, PH_EINVAL, "model", source, "PMML is not supported yet");
}

ph_status ph_scorecard_write_pmml(const ph_scorecard *sc, FILE *out, ph_error *err)
{
    (void)sc, (void)out;
    return ph_error_set(err, PH_EMISUSE, NULL, NULL, "PMML is not supported yet");
}

ph_status ph_model_from_scorecard(const ph_ctx *ctx, const ph_scorecard *sc, ph_model **out,
                                  ph_error *err)
{
    (void)ctx, (void)sc, (void)out;
    return ph_error_set(err, PH_EMISUSE, NULL, NULL, "scorecard scoring is not built yet");
}

ph_status model_scorecard_row(const ph_model_input *in, size_t row, double *points,
                              double *partial, size_t *attribute, ph_error *err)
{
    (void)in, (void)row, (void)points, (void)partial, (void)attribute;
    return ph_error_set(err, PH_EMISUSE, NULL, NULL, "scorecard scoring is not built yet");
}
