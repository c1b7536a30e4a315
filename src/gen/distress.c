/*
 * puhui gen — how close a firm is to trouble, as the early-warning emitters
 * (emit_watch.c: trucks and opinion; emit_warehouse.c: lots and their IoT
 * readings) see it: the month's distress, the approach of a default and the
 * last day the firm exists. One definition, so that both feeds rise on the
 * same days for the same firms.
 */
#include <math.h>

#include "gen/gen_internal.h"

/* The parameters: calibration data, not logic. */
static const struct distress_model {
    /* distress(h): 0 for a healthy firm, towards 1 as the month's health h
     * falls below -center (a logistic of this width). Healthy firms sit
     * around 0 (5% below -1.3); defaulters are near -3 in their last three
     * months. */
    double distress_center, distress_width;
    /* the approach of a default: 0 until pre_lead days before the default
     * date, rising to 1 at pre_full days before, held through the default
     * and fading over pre_fade days after it */
    int pre_lead, pre_full, pre_fade;
} model = {
    .distress_center = 1.8,
    .distress_width = 0.35,
    .pre_lead = 150,
    .pre_full = 30,
    .pre_fade = 60,
};

double gen_distress(double health)
{
    return 1.0 / (1.0 + exp((health + model.distress_center) / model.distress_width));
}

double gen_pre_default(const gen_path *p, ph_date day)
{
    if (!p->default_date)
        return 0.0;
    int before = (int)(p->default_date - day);
    if (before > model.pre_lead)
        return 0.0;
    if (before > model.pre_full)
        return (double)(model.pre_lead - before) / (model.pre_lead - model.pre_full);
    if (before >= 0)
        return 1.0;
    return fmax(0.0, 1.0 + (double)before / model.pre_fade);
}

ph_date gen_last_day(const gen_firm_ctx *fc)
{
    const gen_path *p = fc->path;
    if ((p->status == GEN_STATUS_DEREGISTERED || p->status == GEN_STATUS_REVOKED) &&
        p->status_date < fc->run->window_last)
        return p->status_date;
    return fc->run->window_last;
}
