/*
 * The lender policy loader (ph_policy_load_text: JSON, decision tables,
 * formulas) as `puhui policy` loads a file; a policy that loads is then
 * evaluated once with every input missing and once with every input set,
 * and its trace written, as the decision engine does with an applicant.
 */
#include "fuzz_common.h"

#include "puhui/policy.h"
#include "puhui/value.h"

static void evaluate(const ph_policy *p, int missing)
{
    size_t n = ph_policy_input_count(p);
    ph_value *inputs = calloc(n ? n : 1, sizeof(*inputs));
    if (inputs == NULL)
        abort();
    for (size_t i = 0; i < n; i++) {
        switch (missing ? PH_VALUE_NULL : ph_policy_input_kind(p, i)) {
        case PH_VALUE_BOOL: inputs[i] = ph_value_bool(1); break;
        case PH_VALUE_DECIMAL: inputs[i] = ph_value_decimal(12 * PH_DECIMAL_ONE); break;
        case PH_VALUE_TEXT: inputs[i] = ph_value_text("C13"); break;
        default: inputs[i] = ph_value_null(); break;
        }
    }
    ph_policy_run *run = NULL;
    ph_error err;
    if (ph_policy_run_new(p, &run, &err) == PH_OK) {
        ph_policy_outcome outcome;
        (void)ph_policy_eval(p, run, inputs, &outcome, &err);
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        if (out != NULL) {
            (void)ph_policy_trace_write_json(p, run, out, &err);
            fclose(out);
        }
        free(text);
    }
    ph_policy_run_free(run);
    free(inputs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ph_ctx *ctx = fuzz_ctx();
    ph_policy *p = NULL;
    ph_error err;
    if (ph_policy_load_text(ctx, (const char *)data, size, "fuzz.json", &p, &err) == PH_OK) {
        for (size_t i = 0; i < ph_policy_step_count(p); i++)
            (void)ph_policy_step_name(p, i);
        evaluate(p, 1);
        evaluate(p, 0);
    }
    ph_policy_free(p);
    ph_ctx_free(ctx);
    return 0;
}
