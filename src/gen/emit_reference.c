/*
 * puhui gen — the province-wide files: the market's lenders, guarantors,
 * risk pools and core enterprises, the supply chains that hang from the
 * core enterprises, and the macro path (truth).
 *
 * Supply chains are built before the firms' blocks run because a link joins
 * two firms; the chains' sizes scale with the province so a small sandbox
 * is not all supply chain.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gen/gen_internal.h"

/* Serial indexes of the institutions' codes, after the firms'. */
#define SERIAL_LENDERS 0
#define SERIAL_GUARANTORS 100
#define SERIAL_CORES 200

static void institution_uscc(const gen_run *run, uint64_t offset, int division, char out[20])
{
    if (gen_firm_uscc(run, run->firm_count + offset, '9', '1', division, out, NULL) != PH_OK)
        memcpy(out, "000000000000000000", 19);
}

void gen_institution_codes(gen_run *run)
{
    double cum = 0.0;
    for (size_t i = 0; i < run->lender_count && i < 32; i++) {
        institution_uscc(run, SERIAL_LENDERS + i, run->lenders[i].scope, run->lender_uscc[i]);
        cum += run->lenders[i].market_share;
        run->lender_cum[i] = cum;
    }
    size_t n;
    const gen_core_enterprise *c = gen_world_core_enterprises(&n);
    for (size_t i = 0; i < n && i < 32; i++)
        institution_uscc(run, SERIAL_CORES + i, c[i].region, run->core_uscc[i]);
}

static void emit_lenders(const gen_run *run, gen_block *block)
{
    gen_buf *b = &block->out[GEN_F_LENDERS];
    for (size_t i = 0; i < run->lender_count; i++) {
        const gen_lender *l = &run->lenders[i];
        gen_put_raw(b, run->lender_uscc[i], 18);
        gen_put_str(b, l->name);
        gen_put_str(b, gen_lender_type_name(l->type));
        gen_put_int(b, l->scope);
        gen_put_str(b, l->serves_counties ? "Y" : "N");
        gen_put_money(b, l->min_amount_yuan * 100);
        gen_put_money(b, l->max_amount_yuan * 100);
        gen_put_int(b, l->max_term_months);
        gen_put_str(b, l->target_sizes);
        gen_put_str(b, l->industries);
        gen_put_decimal(b, l->credit_share, 4);
        gen_put_int(b, l->spread_min_bp);
        gen_put_int(b, l->spread_max_bp);
        gen_put_int(b, l->max_apr_bp);
        gen_row_end(b, GEN_F_LENDERS, NULL);
    }
}

static void emit_guarantors(const gen_run *run, gen_block *block)
{
    size_t n;
    const gen_guarantor *g = gen_world_guarantors(&n);
    gen_buf *b = &block->out[GEN_F_GUARANTORS];
    for (size_t i = 0; i < n; i++) {
        char code[20];
        institution_uscc(run, SERIAL_GUARANTORS + i, g[i].region, code);
        gen_put_raw(b, code, 18);
        gen_put_str(b, g[i].name);
        gen_put_str(b, g[i].is_reguarantor ? "re_guarantor" : "government");
        gen_put_int(b, g[i].region);
        gen_put_money(b, g[i].capital_yuan * 100);
        gen_put_decimal(b, g[i].leverage_cap, 1);
        gen_put_int(b, g[i].fee_rate_bp);
        gen_put_decimal(b, g[i].bank_share, 4);
        gen_row_end(b, GEN_F_GUARANTORS, NULL);
    }
}

static void emit_pools(gen_block *block)
{
    size_t n;
    const gen_risk_pool *p = gen_world_risk_pools(&n);
    gen_buf *b = &block->out[GEN_F_RISK_POOLS];
    for (size_t i = 0; i < n; i++) {
        char id[16];
        int len = snprintf(id, sizeof(id), "RP%02zu", i + 1);
        gen_put_raw(b, id, (size_t)len);
        gen_put_str(b, p[i].name);
        gen_put_int(b, p[i].sponsor);
        gen_put_money(b, p[i].capital_yuan * 100);
        gen_put_decimal(b, p[i].compensation_rate, 4);
        gen_put_str(b, p[i].eligible);
        gen_row_end(b, GEN_F_RISK_POOLS, NULL);
    }
}

static void emit_cores(const gen_run *run, gen_block *block)
{
    size_t n;
    const gen_core_enterprise *c = gen_world_core_enterprises(&n);
    gen_buf *b = &block->out[GEN_F_CORE];
    for (size_t i = 0; i < n; i++) {
        gen_put_raw(b, run->core_uscc[i], 18);
        gen_put_str(b, c[i].name);
        gen_put_str(b, c[i].industry_code);
        gen_put_int(b, c[i].region);
        gen_put_str(b, c[i].rating);
        gen_put_money(b, c[i].annual_procurement_yuan * 100);
        gen_row_end(b, GEN_F_CORE, NULL);
    }
}

void gen_emit_reference(const gen_run *run, gen_block *block)
{
    emit_lenders(run, block);
    emit_guarantors(run, block);
    emit_pools(block);
    emit_cores(run, block);
}

/* --- supply chains ----------------------------------------------------------- */

/* Sections whose firms sell to other firms and can sit in a chain. */
static int sells_to_firms(char section)
{
    return strchr("ACEFGILM", section) != NULL;
}

static int64_t pick_supplier(gen_rng *r, const gen_run *run)
{
    for (int tries = 0; tries < 64; tries++) {
        uint64_t i = gen_below(r, run->firm_count);
        const gen_firm *f = &run->firms[i];
        if (f->entity != GEN_ENTITY_INDIVIDUAL && sells_to_firms(run->industries[f->industry].section)
            && f->registered_on < run->window_first - 90)
            return (int64_t)i;
    }
    return -1;
}

static int add_link(gen_run *run, size_t *cap, const gen_chain_link *l)
{
    if (run->link_count == *cap) {
        size_t n = *cap ? *cap * 2 : 1024;
        gen_chain_link *p = ph_realloc(run->ctx, run->links, n * sizeof(*p));
        if (!p)
            return -1;
        run->links = p;
        *cap = n;
    }
    run->links[run->link_count++] = *l;
    return 0;
}

static int linked(const gen_run *run, size_t from, uint64_t supplier, int64_t buyer)
{
    for (size_t i = from; i < run->link_count; i++)
        if (run->links[i].supplier == supplier && run->links[i].buyer == buyer)
            return 1;
    return 0;
}

ph_status gen_supply_build(gen_run *run, ph_error *err)
{
    size_t ncores, cap = 0;
    const gen_core_enterprise *cores = gen_world_core_enterprises(&ncores);
    double scale = fmin(1.0, (double)run->firm_count / 200000.0);
    gen_rng r;
    gen_rng_init(&r, run->opt.seed, GEN_STREAM_SUPPLY, 0);
    for (size_t c = 0; c < ncores; c++) {
        size_t chain_start = run->link_count;
        int n1 = (int)fmax(2.0, floor(cores[c].tier1_suppliers * scale + 0.5));
        size_t tier_start = run->link_count;
        for (int tier = 1; tier <= cores[c].depth && tier <= 7; tier++) {
            size_t tier_end = run->link_count;
            int buyers = tier == 1 ? 1 : (int)(tier_end - tier_start);
            int made = 0, limit = n1 * 3;
            for (int k = 0; k < buyers && made < limit; k++) {
                int64_t buyer = tier == 1 ? -1 : (int64_t)run->links[tier_start + (size_t)k].supplier;
                int m = tier == 1 ? n1 : (int)gen_poisson(&r, 1.1);
                for (int j = 0; j < m && made < limit; j++) {
                    int64_t s = pick_supplier(&r, run);
                    if (s < 0 || s == buyer || linked(run, chain_start, (uint64_t)s, buyer))
                        continue;
                    const gen_firm *f = &run->firms[s];
                    ph_date since = run->window_first - 90 - (ph_date)gen_below(&r, 2400);
                    if (since < f->registered_on + 30)
                        since = f->registered_on + 30;
                    if (buyer >= 0 && since < run->firms[buyer].registered_on + 30)
                        since = run->firms[buyer].registered_on + 30;
                    gen_chain_link l = {
                        .chain = (uint32_t)c,
                        .tier = (uint8_t)tier,
                        .supplier = (uint64_t)s,
                        .buyer = buyer,
                        .since = since,
                        .volume_fen = gen_fen(floor((double)f->revenue_fen / 100.0
                                                    * (0.15 + 0.45 * gen_uniform(&r)))),
                    };
                    if (add_link(run, &cap, &l))
                        return ph_error_set(err, PH_ENOMEM, NULL, NULL,
                                            "out of memory for the supply chains");
                    run->firms[s].flags |= GEN_FIRM_CORE_SUPPLIER;
                    made++;
                }
            }
            tier_start = tier_end;
            if (run->link_count == tier_end)
                break;
        }
    }
    return PH_OK;
}

void gen_emit_supply(const gen_run *run, gen_block *block, gen_dirty *dirty)
{
    gen_buf *b = &block->out[GEN_F_SUPPLY_CHAIN];
    for (size_t i = 0; i < run->link_count; i++) {
        const gen_chain_link *l = &run->links[i];
        char chain[16];
        const char *core = run->core_uscc[l->chain];
        int len = snprintf(chain, sizeof(chain), "SC%04u", l->chain + 1);
        gen_put_raw(b, chain, (size_t)len);
        gen_put_raw(b, core, 18);
        gen_put_int(b, l->tier);
        gen_put_raw(b, run->firms[l->supplier].uscc, 18);
        gen_put_raw(b, l->buyer < 0 ? core : run->firms[l->buyer].uscc, 18);
        gen_put_date(b, l->since);
        gen_put_money(b, l->volume_fen);
        gen_row_end(b, GEN_F_SUPPLY_CHAIN, dirty);
    }
}

void gen_emit_macro(const gen_run *run, gen_block *block)
{
    gen_buf *b = &block->out[GEN_F_TRUTH_MACRO];
    for (int t = 0; t < run->months; t++) {
        gen_put_month(b, run->start + t);
        gen_put_raw(b, "macro", 5);
        gen_put_decimal(b, run->macro[t + GEN_LAG], 4);
        gen_row_end(b, GEN_F_TRUTH_MACRO, NULL);
        for (size_t k = 0; k < run->industry_count; k++) {
            if (run->industries[k].share <= 0.0)
                continue;
            gen_put_month(b, run->start + t);
            gen_put_raw(b, &run->industries[k].section, 1);
            gen_put_decimal(b, run->systemic[k * (size_t)run->horizon + (size_t)(t + GEN_LAG)], 4);
            gen_row_end(b, GEN_F_TRUTH_MACRO, NULL);
        }
    }
}
