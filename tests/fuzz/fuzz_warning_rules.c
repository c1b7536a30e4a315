/*
 * Early-warning rule sets (ph_warn_rules_load) as `puhui warning rules load`
 * reads a file; a set that loads then runs: an engine with six firms in two
 * supply chains takes 40 days of events on every monitored feed (values
 * drawn from the input's own bytes, so odd values reach the conditions),
 * closes its days, and its checkpoint is restored and run one day more.
 */
#include "fuzz_common.h"

#include "puhui/warning.h"

static const char *const USCC[] = {"91370102MA00000001", "91370102MA00000002",
                                   "91370102MA00000003", "91370102MA00000004",
                                   "91370102MA00000005", "91370102MA00000006"};

static void run(const ph_ctx *ctx, const ph_warn_rules *rules, const uint8_t *data, size_t size)
{
    ph_warn_engine *eng = NULL;
    ph_error err;
    if (ph_warn_engine_new(ctx, rules, NULL, &eng, &err) != PH_OK)
        return;
    for (size_t i = 0; i < 6; i++) {
        uint32_t index = 0;
        (void)ph_warn_engine_add_firm(eng, USCC[i], i < 3 ? 370102 : 370211, 'C', i != 5,
                                      &index, &err);
    }
    (void)ph_warn_engine_add_link(eng, 1, 1, 0, &err);
    (void)ph_warn_engine_add_link(eng, 1, 2, 1, &err);
    (void)ph_warn_engine_add_link(eng, 2, 3, 0, &err);
    size_t at = 0;
    ph_status st = PH_OK;
    for (ph_date day = 20454; day < 20494 && st == PH_OK; day++) { /* 2026-01-01 + 40 days */
        for (size_t feed = 0; feed < ph_warn_feed_count() && st == PH_OK; feed++) {
            for (uint32_t firm = 0; firm < 6 && st == PH_OK; firm++) {
                ph_warn_event ev = {day, firm, (uint16_t)feed, 0, {0}};
                for (size_t k = 0; k < ph_warn_field_count(feed); k++) {
                    uint8_t b = size ? data[at++ % size] : 0;
                    const ph_feed_column *col = ph_warn_field_at(feed, k);
                    ev.v[k] = col->type == PH_FIELD_ENUM ? b % 4 : (int64_t)b * 1000;
                }
                st = ph_warn_engine_push(eng, &ev, 1, &err);
            }
        }
    }
    if (st == PH_OK)
        (void)ph_warn_engine_close_through(eng, 20500, &err);
    unsigned char *buf = NULL;
    size_t len = 0;
    if (ph_warn_engine_checkpoint(eng, &buf, &len, &err) == PH_OK) {
        ph_warn_engine *again = NULL;
        if (ph_warn_engine_restore(ctx, rules, buf, len, "fuzz", NULL, &again, &err) == PH_OK) {
            (void)ph_warn_engine_close_through(again, 20501, &err);
            ph_warn_engine_free(again);
        }
        ph_free(ctx, buf);
    }
    ph_warn_engine_free(eng);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ph_ctx *ctx = fuzz_ctx();
    ph_warn_rules *rules = NULL;
    ph_error err;
    if (ph_warn_rules_load(ctx, (const char *)data, size, "fuzz.json", &rules, &err) == PH_OK) {
        for (size_t i = 0; i < ph_warn_rules_count(rules); i++)
            (void)ph_warn_rules_at(rules, i);
        run(ctx, rules, data, size);
        ph_warn_rules_free(rules);
    }
    ph_ctx_free(ctx);
    return 0;
}
