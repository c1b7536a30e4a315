/* Placeholder until the LightGBM loader lands (next commit on this branch). */
#include "model_internal.h"

ph_status model_load_lightgbm(const ph_ctx *ctx, const char *data, size_t len,
                              const char *source, ph_model **out, ph_error *err)
{
    (void)ctx, (void)data, (void)len, (void)out;
    return ph_error_set(err, PH_EINVAL, "model", source, "LightGBM models are not supported yet");
}
