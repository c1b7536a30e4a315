/*
 * The XGBoost JSON loader (src/model/xgboost.c) through ph_model_load_memory,
 * then a few rows scored and explained (see fuzz_model.h). Inputs that do
 * not start with "{" belong to another loader and are refused.
 */
#include "fuzz_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_model_run(data, size, "{");
}
