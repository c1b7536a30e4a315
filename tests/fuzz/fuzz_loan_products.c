/*
 * The servicing products document (src/loan/product.c) through
 * ph_loan_products_check_text, the same parse `puhui loan products FILE`
 * runs before it stores a document (members, the allocation order, the
 * harvest months, and the renewal rule compiled in the policy expression
 * language). Beyond memory safety: a document that is accepted names at
 * least one product and is accepted again, with the same count, when read a
 * second time (the parse keeps no state); a refused input's error must carry
 * a message.
 */
#include "fuzz_common.h"

#include "puhui/loan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ph_ctx *ctx = fuzz_ctx();
    ph_error err;
    size_t count = 0, again = 0;
    if (ph_loan_products_check_text(ctx, (const char *)data, size, "fuzz", &count, &err) ==
        PH_OK) {
        if (count == 0)
            abort();
        if (ph_loan_products_check_text(ctx, (const char *)data, size, "fuzz", &again, &err) !=
                PH_OK ||
            again != count)
            abort();
    } else if (err.message[0] == '\0') {
        abort();
    }
    ph_ctx_free(ctx);
    return 0;
}
