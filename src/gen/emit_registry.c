/*
 * puhui gen — the firm itself: its registration record, and the ground truth
 * about it that no model may read (latent traits, monthly PD, default date).
 */
#include <stdio.h>

#include "puhui/industry.h"
#include "gen/gen_internal.h"

static const char *const entity_names[] = {"company", "individual", "cooperative"};

void gen_emit_registration(gen_firm_ctx *fc)
{
    const gen_firm *f = fc->firm;
    const gen_path *p = fc->path;
    const gen_division *d = fc->ind->division_count ? &fc->ind->divisions[f->division_idx] : NULL;
    gen_buf *b = &fc->block->out[GEN_F_REGISTRATION];
    char name[256], industry[8];
    gen_firm_name(fc->run, f, fc->index, name, sizeof(name));
    snprintf(industry, sizeof(industry), "%c%02d", fc->ind->section, d ? d->division : 0);
    gen_put_raw(b, f->uscc, 18);
    gen_put_str(b, name);
    gen_put_str(b, entity_names[f->entity]);
    gen_put_int(b, f->region);
    gen_put_str(b, industry);
    gen_put_date(b, f->registered_on);
    gen_put_money(b, f->capital_fen);
    gen_put_str(b, (f->flags & GEN_FIRM_FEMALE) ? "F" : "M");
    gen_put_int(b, f->birth_year);
    gen_put_int(b, f->employees);
    gen_put_money(b, f->revenue_fen);
    gen_put_money(b, f->assets_fen);
    gen_put_str(b, ph_size_class_name((ph_size_class)f->size_class));
    gen_put_str(b, (f->flags & GEN_FIRM_GENERAL_VAT) ? "general" : "small_scale");
    gen_put_str(b, ph_business_status_name(p->status));
    if (p->status == GEN_STATUS_ACTIVE)
        gen_put_empty(b);
    else
        gen_put_date(b, p->status_date);
    gen_row_end(b, GEN_F_REGISTRATION, fc->dirty);
}

static const char *yn(int v)
{
    return v ? "Y" : "N";
}

void gen_emit_truth(gen_firm_ctx *fc)
{
    const gen_run *run = fc->run;
    const gen_firm *f = fc->firm;
    const gen_path *p = fc->path;
    gen_buf *b = &fc->block->out[GEN_F_TRUTH_FIRMS];
    gen_put_raw(b, f->uscc, 18);
    gen_put_int(b, f->tier);
    gen_put_int(b, fc->ind->volatility_tier);
    gen_put_decimal(b, f->base_health, 4);
    gen_put_str(b, yn(f->flags & GEN_FIRM_CREDIT_WHITE));
    gen_put_str(b, yn(f->flags & GEN_FIRM_PAYMENTS));
    gen_put_str(b, yn(f->flags & GEN_FIRM_POWER));
    gen_put_str(b, yn(f->flags & GEN_FIRM_SOCIAL));
    gen_row_end(b, GEN_F_TRUTH_FIRMS, NULL);

    b = &fc->block->out[GEN_F_TRUTH_PD];
    int gone = p->status == GEN_STATUS_DEREGISTERED || p->status == GEN_STATUS_REVOKED
                   ? p->status_month
                   : run->months;
    for (int t = p->first; t < p->end && t < gone; t++) {
        ph_date month_end = run->month_first[t + 1 + GEN_LAG] - 1;
        if (p->default_date && p->default_date <= month_end)
            break;
        gen_put_raw(b, f->uscc, 18);
        gen_put_month(b, run->start + t);
        gen_put_decimal(b, p->pd[t], 6);
        gen_put_decimal(b, p->health[t + GEN_LAG], 4);
        gen_put_str(b, p->regime[t] ? "distress" : "normal");
        gen_row_end(b, GEN_F_TRUTH_PD, NULL);
    }
    if (p->default_date) {
        b = &fc->block->out[GEN_F_TRUTH_DEFAULTS];
        gen_put_raw(b, f->uscc, 18);
        gen_put_date(b, p->default_date);
        gen_put_str(b, yn(fc->had_loan_at_miss));
        gen_row_end(b, GEN_F_TRUTH_DEFAULTS, NULL);
    }
}
