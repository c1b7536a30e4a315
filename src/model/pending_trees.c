/* Placeholder until the XGBoost and LightGBM loaders land (issue 5, trees branch). */
#include "model_internal.h"

ph_status model_load_xgboost(const ph_ctx *ctx, const char *data, size_t len,
                             const char *source, ph_model **out, ph_error *err)
{
    (void)ctx, (void)data, (void)len, (void)out;
    return ph_error_set(err, PH_EINVAL, "model", source, "XGBoost models are not supported yet");
}

ph_status model_load_lightgbm(const ph_ctx *ctx, const char *data, size_t len,
                              const char *source, ph_model **out, ph_error *err)
{
    (void)ctx, (void)data, (void)len, (void)out;
    return ph_error_set(err, PH_EINVAL, "model", source, "LightGBM models are not supported yet");
}

ph_status model_forest_margin(const ph_model *m, const float *x, size_t rows, double *margin,
                              ph_error *err)
{
    (void)m, (void)x, (void)rows, (void)margin;
    return ph_error_set(err, PH_EMISUSE, NULL, NULL, "tree scoring is not built yet");
}
