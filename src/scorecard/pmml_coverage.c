/*
 * Attribute gaps: a numeric characteristic must score every number.
 *
 * PMML leaves a value that no attribute matches to the consumer (the score
 * is "invalid"). A scorecard whose ranges leave a hole scores some firms
 * and fails others in production, depending on data nobody has seen yet,
 * so puhui refuses it when it is read, naming the first hole exactly:
 * "Characteristic 'age': no attribute covers values in [25, 30)".
 *
 * The check sweeps the ranges sorted by their lower end, tracking how far
 * the covered part of the line reaches and whether that end point itself
 * is covered. A field of dataType integer only needs its whole numbers
 * covered: (0, 1) is no hole for a count of children.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "pmml_internal.h"

typedef struct interval {
    double low, high;
    int low_inclusive, high_inclusive;
} interval;

/* By lower end; at the same lower end the closed one first. */
static int compare_intervals(const void *a, const void *b)
{
    const interval *x = a, *y = b;
    if (x->low != y->low)
        return x->low < y->low ? -1 : 1;
    return y->low_inclusive - x->low_inclusive;
}

/* Does the interval (lo, hi) with these bracket types hold any number
 * (or, with `integer`, any whole number)? */
static int holds_a_value(double lo, int lo_in, double hi, int hi_in, int integer)
{
    if (isinf(lo) || isinf(hi))
        return lo < hi;
    if (!integer)
        return lo < hi || (lo == hi && lo_in && hi_in);
    double k = ceil(lo);
    if (k == lo && !lo_in)
        k += 1;
    return k < hi || (k == hi && hi_in);
}

static void format_end(double v, char buf[PMML_NUMBER_MAX])
{
    if (isinf(v))
        snprintf(buf, PMML_NUMBER_MAX, "%s", v > 0 ? "inf" : "-inf");
    else
        pmml_format_double(v, buf);
}

static ph_status gap(pmml_reader *r, const xmlNode *node, const ph_sc_characteristic *c,
                     double lo, int lo_in, double hi, int hi_in)
{
    char a[PMML_NUMBER_MAX], b[PMML_NUMBER_MAX];
    format_end(lo, a);
    format_end(hi, b);
    return pmml_fail(r, node, PH_EINVAL, "Characteristic '%s': no attribute covers values in %c%s, %s%c",
                     c->name, lo_in && !isinf(lo) ? '[' : '(', a, b,
                     hi_in && !isinf(hi) ? ']' : ')');
}

ph_status pmml_check_coverage(pmml_reader *r, const xmlNode *node,
                              const ph_sc_characteristic *c, int integer)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_attributes; i++) {
        if (c->attributes[i].match == PH_SC_ANY)
            return PH_OK;
        n += c->attributes[i].match == PH_SC_RANGE;
    }
    if (n == 0)
        return gap(r, node, c, -INFINITY, 0, INFINITY, 0);
    interval *v = ph_malloc(r->ctx, n * sizeof(*v));
    if (!v)
        return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory reading PMML");
    n = 0;
    for (size_t i = 0; i < c->n_attributes; i++) {
        const ph_sc_attribute *a = &c->attributes[i];
        if (a->match == PH_SC_RANGE)
            v[n++] = (interval){a->low, a->high, a->low_inclusive, a->high_inclusive};
    }
    qsort(v, n, sizeof(*v), compare_intervals);
    /* Covered so far: everything below `reach`, and `reach` itself when
     * reach_in. -inf is no number, so it counts as covered. */
    double reach = -INFINITY;
    int reach_in = 1;
    ph_status st = PH_OK;
    for (size_t i = 0; i < n && st == PH_OK; i++) {
        if (holds_a_value(reach, !reach_in, v[i].low, !v[i].low_inclusive, integer) &&
            (v[i].low > reach || (!reach_in && !v[i].low_inclusive))) {
            st = gap(r, node, c, reach, !reach_in, v[i].low, !v[i].low_inclusive);
            break;
        }
        if (v[i].high > reach) {
            reach = v[i].high;
            reach_in = v[i].high_inclusive;
        } else if (v[i].high == reach) {
            reach_in |= v[i].high_inclusive;
        }
    }
    if (st == PH_OK && reach < INFINITY && holds_a_value(reach, !reach_in, INFINITY, 0, integer))
        st = gap(r, node, c, reach, !reach_in, INFINITY, 0);
    ph_free(r->ctx, v);
    return st;
}
