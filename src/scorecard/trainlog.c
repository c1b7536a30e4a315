/*
 * The training log: what was done to every candidate variable and why,
 * the fit, then the scorecard's summary. Written for the model validator
 * who has to sign the model off: each dropped variable names its reason.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "train_internal.h"

static const char *direction_word(const sc_var *v)
{
    if (v->categorical)
        return "-";
    if (!v->monotone)
        return "not monotone";
    if (v->direction == PH_SC_DIRECTION_DECREASING)
        return v->direction_given ? "decreasing (given)" : "decreasing";
    return v->direction_given ? "increasing (given)" : "increasing";
}

/* The width of the name column: the longest name, at least "variable". */
static int name_width(const sc_train_report *r)
{
    size_t w = strlen("variable");
    for (size_t i = 0; i < r->n_vars; i++) {
        size_t n = strlen(r->vars[i].name);
        w = n > w ? n : w;
    }
    return w > 200 ? 200 : (int)w; /* longer names just push their line */
}

static void write_variables(FILE *out, const sc_train_report *r)
{
    int w = name_width(r), tried = 0;
    fprintf(out, "\n%-*s %-11s %5s %-19s %8s %11s  %s\n", w, "variable", "kind", "bins",
            "direction", "IV", "AUC if kept", "decision");
    for (size_t i = 0; i < r->n_vars; i++) {
        const sc_var *v = &r->vars[i];
        size_t used = 0;
        for (size_t b = 0; b < v->n_bins; b++)
            used += v->bins[b].count > 0;
        char gain[24] = "-";
        if (!isnan(v->auc_gain)) {
            snprintf(gain, sizeof(gain), "%+.4f", v->auc_gain);
            tried = 1;
        }
        fprintf(out, "%-*s %-11s %5zu %-19s %8.4f %11s  %s%s\n", w, v->name,
                v->categorical ? "categorical" : "numeric", used, direction_word(v), v->iv, gain,
                v->fate == SC_KEPT ? "kept" : "dropped: ", v->fate == SC_KEPT ? "" : v->why);
    }
    if (tried)
        fputs("AUC if kept: the training AUC of the final model refitted with the dropped "
              "variable added,\nminus the model's (no validation split: measured on the "
              "training rows, so an upper bound).\n",
              out);
}

static void write_fit(FILE *out, const sc_train_report *r, const ph_scorecard *sc)
{
    fprintf(out, "\nregression of good on WOE: %zu variables, converged in %zu iterations, "
                 "penalised log-likelihood %.4f, l2 %g\n",
            sc->n_characteristics, r->iterations, r->log_likelihood, r->l2);
    int w = name_width(r);
    fprintf(out, "  %-*s %12s\n", w, "variable", "coefficient");
    fprintf(out, "  %-*s %12.6f\n", w, "(intercept)", sc->intercept);
    for (size_t i = 0; i < sc->n_characteristics; i++)
        fprintf(out, "  %-*s %12.6f\n", w, sc->characteristics[i].field,
                sc->characteristics[i].coefficient);
    fprintf(out, "training AUC %.4f, KS %.4f (on the training rows: optimistic)\n", r->auc,
            r->ks);
}

ph_status sc_write_training_log(FILE *out, const sc_train_report *r, const ph_scorecard *sc,
                                ph_error *err)
{
    const ph_sc_train_options *o = r->opts;
    errno = 0;
    fprintf(out, "training: %zu rows, %llu bad (%.2f%%), target %s", r->rows,
            (unsigned long long)r->bads, 100.0 * (double)r->bads / (double)r->rows, o->target);
    if (o->bad_label)
        fprintf(out, " (bad = '%s')", o->bad_label);
    fprintf(out, "\nbinning: %zu fine classes, smallest bin %llu rows (%g of rows), "
                 "WOE = ln(%%good/%%bad) with +%g smoothing\n",
            o->fine_bins, (unsigned long long)r->min_count, o->min_bin_share, SC_WOE_SMOOTHING);
    fprintf(out, "numeric bins merged to a monotone bad rate: %s%s\n", o->monotone ? "on" : "off",
            o->monotone_by_variable && o->monotone_by_variable[0] ? " (with exceptions by "
                                                                    "variable)"
                                                                  : "");
    fprintf(out, "selection: IV >= %g, |r| <= %g, VIF <= %g%s\n", o->min_iv, o->max_correlation,
            o->max_vif, o->drop_wrong_sign ? ", coefficients positive" : "");
    write_variables(out, r);
    write_fit(out, r, sc);
    fputc('\n', out);
    if (ferror(out))
        return ph_error_set(err, PH_EIO, NULL, NULL, "writing the training log failed: %s",
                            strerror(errno ? errno : EIO));
    return ph_scorecard_write_summary(sc, out, err);
}
