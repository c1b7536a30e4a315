/* Placeholder until TreeSHAP lands (issue 5, shap branch). */
#include <string.h>

#include "model_internal.h"

size_t model_treeshap_scratch_size(const ph_model *m)
{
    (void)m;
    return 1;
}

void model_treeshap_row(const ph_model *m, const float *x, double *out, void *scratch)
{
    (void)x, (void)scratch;
    memset(out, 0, (m->n_features + 1) * sizeof(double));
}
