/*
 * The early-warning checkpoint reader (ph_warn_engine_restore). A
 * checkpoint ends in a checksum of its bytes, which a fuzzer cannot forge,
 * so the harness appends the right checksum to the input: what is fuzzed
 * is everything behind the check — the header's counts, the firms, links,
 * groups and every rule's arrays — and a restored engine then closes a day,
 * walks its contagion and writes its own checkpoint.
 */
#include "fuzz_common.h"

#include "puhui/warning.h"

static const char RULES[] =
    "{\"name\": \"fuzz\", \"version\": 1, \"rules\": [\n"
    "  {\"id\": \"drop\", \"kind\": \"window\", \"feed\": \"payments_daily\",\n"
    "   \"field\": \"inflow_amount\", \"aggregate\": \"sum\", \"period\": \"week\",\n"
    "   \"compare\": \"baseline\", \"baseline\": 2, \"when\": \"change < -40%\",\n"
    "   \"level\": \"yellow\"},\n"
    "  {\"id\": \"peers\", \"kind\": \"window\", \"feed\": \"payments_daily\",\n"
    "   \"field\": \"inflow_amount\", \"aggregate\": \"max\", \"period\": \"day\",\n"
    "   \"compare\": \"peers\", \"min_peers\": 2, \"when\": \"ratio < 50%\", \"level\": \"yellow\"},\n"
    "  {\"id\": \"overdue\", \"kind\": \"event\", \"feed\": \"credit_status\",\n"
    "   \"when\": \"days_past_due > 0\", \"count\": {\"at_least\": 2, \"days\": 40},\n"
    "   \"level\": \"red\"},\n"
    "  {\"id\": \"chain\", \"kind\": \"graph\", \"on\": [\"overdue\"], \"levels\": [\"yellow\"]}\n"
    "]}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ph_ctx *ctx = fuzz_ctx();
    ph_warn_rules *rules = NULL;
    ph_error err;
    if (ph_warn_rules_load(ctx, RULES, sizeof(RULES) - 1, "rules", &rules, &err) != PH_OK)
        abort();
    unsigned char *buf = malloc(size + 64);
    if (buf == NULL)
        abort();
    memcpy(buf, data, size);
    char sum[PH_CHECKSUM_HEX];
    ph_checksum_hex(buf, size, sum);
    memcpy(buf + size, sum, 64);
    ph_warn_engine *eng = NULL;
    if (ph_warn_engine_restore(ctx, rules, buf, size + 64, "fuzz", NULL, &eng, &err) == PH_OK) {
        ph_date day = ph_warn_engine_closed(eng);
        if (day > 0 && day < 2900000) {
            ph_warn_event ev = {day + 1, 0, (uint16_t)ph_warn_feed_index("credit_status"), 0,
                                {0}};
            ev.v[1] = 5;
            if (ph_warn_engine_firm_count(eng) > 0) {
                (void)ph_warn_engine_push(eng, &ev, 1, &err);
                ev.day += 2;
                (void)ph_warn_engine_push(eng, &ev, 1, &err);
            }
            (void)ph_warn_engine_close_through(eng, day + 8, &err);
        }
        unsigned char *again = NULL;
        size_t len = 0;
        if (ph_warn_engine_checkpoint(eng, &again, &len, &err) == PH_OK)
            ph_free(ctx, again);
        ph_warn_engine_free(eng);
    }
    free(buf);
    ph_warn_rules_free(rules);
    ph_ctx_free(ctx);
    return 0;
}
