/*
 * The expression compiler (include/puhui/expr.h) against a symbol table of
 * every kind, as a policy's formulas and table cells are compiled; an
 * expression that compiles is then evaluated over a few sets of slot
 * values (ordinary, zero, null, extreme, and an "any" variable holding each
 * kind), so evaluation sees what the compiler let through.
 */
#include "fuzz_common.h"

#include "puhui/expr.h"
#include "puhui/value.h"

static const struct {
    const char *name;
    ph_value_kind kind;
} vars[] = {
    {"amount", PH_VALUE_DECIMAL}, {"rate", PH_VALUE_DECIMAL}, {"industry", PH_VALUE_TEXT},
    {"green", PH_VALUE_BOOL},     {"any", PH_VALUE_NULL},     {"firm.months_trading", PH_VALUE_DECIMAL},
};
#define N_VARS (sizeof(vars) / sizeof(vars[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > PH_EXPR_TEXT_MAX + 16)
        return -1;
    char *text = fuzz_text(data, size);
    ph_ctx *ctx = fuzz_ctx();
    ph_expr_symbols *sym = NULL;
    ph_expr *e = NULL;
    ph_error err;
    if (ph_expr_symbols_new(ctx, &sym, NULL) != PH_OK)
        abort();
    for (size_t i = 0; i < N_VARS; i++) {
        size_t slot;
        if (ph_expr_symbols_add(sym, vars[i].name, vars[i].kind, &slot, NULL) != PH_OK)
            abort();
    }
    if (ph_expr_compile(sym, text, "fuzz", &e, &err) == PH_OK) {
        (void)ph_expr_result_kind(e);
        (void)ph_expr_text(e);
        const ph_value any[] = {ph_value_decimal(3), ph_value_text("C13"), ph_value_bool(1),
                                ph_value_null()};
        const ph_decimal numbers[] = {7 * PH_DECIMAL_ONE, 0, INT64_MAX, INT64_MIN};
        for (size_t k = 0; k < 4; k++) {
            ph_value slots[N_VARS] = {
                ph_value_decimal(numbers[k]), ph_value_decimal(numbers[(k + 1) % 4]),
                k == 3 ? ph_value_null() : ph_value_text(k ? "" : "C13"),
                k == 3 ? ph_value_null() : ph_value_bool((int)(k & 1)), any[k],
                ph_value_decimal(numbers[(k + 2) % 4]),
            };
            ph_value out;
            (void)ph_expr_eval(e, slots, &out, &err);
        }
    }
    ph_expr_free(e);
    ph_expr_symbols_free(sym);
    ph_ctx_free(ctx);
    free(text);
    return 0;
}
