/*
 * The human-readable summary of a scorecard (ph_scorecard_write_summary):
 * what a credit officer or a model validator reads. One block per
 * characteristic; the attribute's predicate comes last on its line so long
 * lists of levels never push the numbers out of their columns.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "train_internal.h"

void sc_number_text(double v, char *buf, size_t size)
{
    if (isinf(v)) {
        snprintf(buf, size, "%s", v < 0 ? "-inf" : "inf");
        return;
    }
    snprintf(buf, size, "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, size, "%.17g", v);
}

void sc_attribute_print(FILE *out, const ph_sc_attribute *a)
{
    char lo[32], hi[32];
    switch (a->match) {
    case PH_SC_ANY:
        fputs("any other value", out);
        break;
    case PH_SC_MISSING:
        fputs("missing", out);
        break;
    case PH_SC_RANGE:
        sc_number_text(a->low, lo, sizeof(lo));
        sc_number_text(a->high, hi, sizeof(hi));
        if (a->low == a->high && a->low_inclusive && a->high_inclusive)
            fprintf(out, "= %s", lo);
        else
            fprintf(out, "%s%s, %s%s", a->low_inclusive ? "[" : "(", lo, hi,
                    a->high_inclusive ? "]" : ")");
        break;
    case PH_SC_IN:
        fputs("in {", out);
        for (size_t i = 0; i < a->n_levels; i++)
            fprintf(out, "%s%s", i ? ", " : "", a->levels[i]);
        fputs("}", out);
        break;
    }
}

static void write_characteristic(FILE *out, const ph_scorecard *sc,
                                 const ph_sc_characteristic *c)
{
    int trained = sc->train_rows > 0;
    fprintf(out, "\n%s (%s, field %s)", c->name, c->categorical ? "categorical" : "numeric",
            c->field);
    if (trained)
        fprintf(out, "  IV %.4f  coefficient %.4f", c->iv, c->coefficient);
    fprintf(out, "  baseline %.2f  reason code %s\n", c->baseline_score,
            c->reason_code ? c->reason_code : "(per attribute)");
    if (trained)
        fprintf(out, "  %9s %9s %9s %9s  %s\n", "count", "bad rate", "WOE", "points",
                "attribute");
    else
        fprintf(out, "  %9s  %s\n", "points", "attribute");
    for (size_t i = 0; i < c->n_attributes; i++) {
        const ph_sc_attribute *a = &c->attributes[i];
        if (trained) {
            char rate[16] = "-";
            if (a->count)
                snprintf(rate, sizeof(rate), "%.4f", (double)a->bads / (double)a->count);
            fprintf(out, "  %9llu %9s %9.4f %9.2f  ", (unsigned long long)a->count, rate,
                    a->woe, a->partial_score);
        } else {
            fprintf(out, "  %9.2f  ", a->partial_score);
        }
        sc_attribute_print(out, a);
        fputc('\n', out);
    }
}

ph_status ph_scorecard_write_summary(const ph_scorecard *sc, FILE *out, ph_error *err)
{
    if (!sc || !out)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_scorecard_write_summary needs a scorecard and a stream");
    errno = 0;
    fprintf(out, "scorecard %s: %zu characteristics, initial score %.4f\n",
            sc->name ? sc->name : "(unnamed)", sc->n_characteristics, sc->initial_score);
    if (sc->has_scale)
        fprintf(out, "scale: %g points at odds %g:1 (good:bad), %g points to double the odds; "
                     "PD = 1 / (1 + odds)\n",
                sc->base_points, sc->base_odds, sc->pdo);
    else
        fputs("scale: none (points only)\n", out);
    if (sc->train_rows)
        fprintf(out, "trained on %llu rows, %llu bad (%.2f%%), target %s; intercept %.6f "
                     "(log-odds of good at WOE 0)\n",
                (unsigned long long)sc->train_rows, (unsigned long long)sc->train_bads,
                100.0 * (double)sc->train_bads / (double)sc->train_rows,
                sc->target ? sc->target : "?", sc->intercept);
    fprintf(out, "reasons: points %s the baseline\n",
            sc->reason_algorithm == PH_SC_POINTS_ABOVE ? "above" : "below");
    for (size_t i = 0; i < sc->n_characteristics; i++)
        write_characteristic(out, sc, &sc->characteristics[i]);
    if (fflush(out) != 0 || ferror(out))
        return ph_error_set(err, PH_EIO, NULL, NULL, "writing the scorecard summary failed: %s",
                            strerror(errno ? errno : EIO));
    return PH_OK;
}
