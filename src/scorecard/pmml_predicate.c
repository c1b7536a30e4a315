/*
 * PMML predicates as scorecard attributes.
 *
 * A ph_sc_attribute holds one shape: everything, missing, one interval, or
 * one set of levels. A PMML predicate can be more (an "or", a notEqual, an
 * isIn of numbers), so a predicate compiles to a UNION of shapes ("atoms");
 * the reader turns one PMML <Attribute> into consecutive attributes with the
 * same points, which keeps PMML's first-match semantics exactly. "and"
 * intersects unions, "or" joins them, "surrogate" falls through on a
 * missing value. A predicate that can never match compiles to nothing.
 *
 * Missing values follow PMML's three-valued logic: a comparison on a
 * missing value is UNKNOWN, which never selects an attribute; ranges and
 * level sets never match a missing value, so that is what they already do.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pmml_internal.h"

/* ---- atom lists ------------------------------------------------------------ */

static void atom_clear(const ph_ctx *ctx, ph_sc_attribute *a)
{
    for (size_t i = 0; i < a->n_levels; i++)
        ph_free(ctx, a->levels[i]);
    ph_free(ctx, a->levels);
    memset(a, 0, sizeof(*a));
}

void pmml_atoms_clear(const ph_ctx *ctx, pmml_atoms *a)
{
    for (size_t i = 0; i < a->n; i++)
        atom_clear(ctx, &a->v[i]);
    ph_free(ctx, a->v);
    memset(a, 0, sizeof(*a));
}

static ph_status oom(pmml_reader *r)
{
    return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory reading PMML");
}

/* Append `atom` (taking what it owns; cleared on failure too). */
static ph_status push(pmml_reader *r, pmml_atoms *list, ph_sc_attribute *atom)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 4;
        ph_sc_attribute *v = ph_realloc(r->ctx, list->v, cap * sizeof(*v));
        if (!v) {
            atom_clear(r->ctx, atom);
            return oom(r);
        }
        list->v = v;
        list->cap = cap;
    }
    list->v[list->n++] = *atom;
    memset(atom, 0, sizeof(*atom));
    return PH_OK;
}

static ph_status push_kind(pmml_reader *r, pmml_atoms *list, ph_sc_match match)
{
    ph_sc_attribute a = {.match = match};
    return push(r, list, &a);
}

static ph_status push_range(pmml_reader *r, pmml_atoms *list, double low, int low_inclusive,
                            double high, int high_inclusive)
{
    ph_sc_attribute a = {.match = PH_SC_RANGE, .low = low, .high = high,
                         .low_inclusive = !isinf(low) && low_inclusive,
                         .high_inclusive = !isinf(high) && high_inclusive};
    return push(r, list, &a);
}

static int has_level(const ph_sc_attribute *a, const char *level)
{
    for (size_t i = 0; i < a->n_levels; i++) {
        if (strcmp(a->levels[i], level) == 0)
            return 1;
    }
    return 0;
}

/* Add `level` to a PH_SC_IN atom unless it is there already. */
static ph_status add_level(pmml_reader *r, ph_sc_attribute *a, const char *level)
{
    if (has_level(a, level))
        return PH_OK;
    char **levels = ph_realloc(r->ctx, a->levels, (a->n_levels + 1) * sizeof(char *));
    if (!levels)
        return oom(r);
    a->levels = levels;
    if (!(a->levels[a->n_levels] = ph_strdup(r->ctx, level)))
        return oom(r);
    a->n_levels++;
    return PH_OK;
}

/* A PH_SC_IN atom of `levels` minus those in `except` (may be NULL). */
static ph_status push_levels(pmml_reader *r, pmml_atoms *list, const char *const *levels,
                             size_t n, const ph_sc_attribute *except)
{
    ph_sc_attribute a = {.match = PH_SC_IN};
    for (size_t i = 0; i < n; i++) {
        if (except && has_level(except, levels[i]))
            continue;
        ph_status st = add_level(r, &a, levels[i]);
        if (st != PH_OK) {
            atom_clear(r->ctx, &a);
            return st;
        }
    }
    return push(r, list, &a);
}

static int matches_missing(const pmml_atoms *list)
{
    for (size_t i = 0; i < list->n; i++) {
        if (list->v[i].match == PH_SC_ANY || list->v[i].match == PH_SC_MISSING)
            return 1;
    }
    return 0;
}

/*
 * Tidy a union: ANY swallows everything, the level sets merge into the
 * first one, a repeated "missing" goes. Ranges stay as they are (in order):
 * overlapping ones cost nothing, and the first-match rule is unaffected
 * because all atoms of one union score the same points.
 */
static ph_status normalise(pmml_reader *r, pmml_atoms *list)
{
    size_t keep = 0, first_in = list->n, first_missing = list->n;
    for (size_t i = 0; i < list->n; i++) {
        if (list->v[i].match == PH_SC_ANY) {
            for (size_t j = 0; j < list->n; j++)
                atom_clear(r->ctx, &list->v[j]);
            list->v[0].match = PH_SC_ANY;
            list->n = 1;
            return PH_OK;
        }
    }
    for (size_t i = 0; i < list->n; i++) {
        ph_sc_attribute *a = &list->v[i];
        int drop = 0;
        if (a->match == PH_SC_IN && first_in < keep) {
            for (size_t k = 0; k < a->n_levels; k++) {
                ph_status st = add_level(r, &list->v[first_in], a->levels[k]);
                if (st != PH_OK) {
                    /* Slots from i on were never moved: release them. */
                    for (size_t j = i; j < list->n; j++)
                        atom_clear(r->ctx, &list->v[j]);
                    list->n = keep;
                    return st;
                }
            }
            drop = 1;
        } else if (a->match == PH_SC_MISSING && first_missing < keep) {
            drop = 1;
        }
        if (drop) {
            atom_clear(r->ctx, a);
            continue;
        }
        if (a->match == PH_SC_IN)
            first_in = keep;
        if (a->match == PH_SC_MISSING)
            first_missing = keep;
        list->v[keep++] = *a;
    }
    list->n = keep;
    return PH_OK;
}

/* The intersection of two atoms into *out; *empty when there is none. */
static ph_status meet(pmml_reader *r, const ph_sc_attribute *a, const ph_sc_attribute *b,
                      ph_sc_attribute *out, int *empty)
{
    memset(out, 0, sizeof(*out));
    *empty = 0;
    if (a->match == PH_SC_ANY) {
        const ph_sc_attribute *t = a;
        a = b;
        b = t;
    }
    if (b->match == PH_SC_ANY) {
        out->match = a->match;
        out->low = a->low, out->high = a->high;
        out->low_inclusive = a->low_inclusive, out->high_inclusive = a->high_inclusive;
        for (size_t i = 0; i < a->n_levels; i++) {
            ph_status st = add_level(r, out, a->levels[i]);
            if (st != PH_OK)
                return st;
        }
        return PH_OK;
    }
    if (a->match != b->match) {
        *empty = 1;
        return PH_OK;
    }
    out->match = a->match;
    if (a->match == PH_SC_IN) {
        for (size_t i = 0; i < a->n_levels; i++) {
            if (!has_level(b, a->levels[i]))
                continue;
            ph_status st = add_level(r, out, a->levels[i]);
            if (st != PH_OK)
                return st;
        }
        *empty = out->n_levels == 0;
    } else if (a->match == PH_SC_RANGE) {
        out->low = fmax(a->low, b->low);
        out->low_inclusive = (a->low != out->low || a->low_inclusive) &&
                             (b->low != out->low || b->low_inclusive);
        out->high = fmin(a->high, b->high);
        out->high_inclusive = (a->high != out->high || a->high_inclusive) &&
                              (b->high != out->high || b->high_inclusive);
        *empty = out->low > out->high ||
                 (out->low == out->high && !(out->low_inclusive && out->high_inclusive));
    }
    return PH_OK;
}

/* *acc = *acc AND next. */
static ph_status intersect(pmml_reader *r, pmml_atoms *acc, const pmml_atoms *next)
{
    pmml_atoms result = {0};
    ph_status st = PH_OK;
    for (size_t i = 0; st == PH_OK && i < acc->n; i++) {
        for (size_t j = 0; st == PH_OK && j < next->n; j++) {
            ph_sc_attribute m;
            int empty;
            st = meet(r, &acc->v[i], &next->v[j], &m, &empty);
            if (st == PH_OK && !empty)
                st = push(r, &result, &m);
            else
                atom_clear(r->ctx, &m);
        }
    }
    if (st == PH_OK)
        st = normalise(r, &result);
    pmml_atoms_clear(r->ctx, acc);
    if (st != PH_OK) {
        pmml_atoms_clear(r->ctx, &result);
        return st;
    }
    *acc = result;
    return PH_OK;
}

/* *acc = *acc OR *next (next is emptied). */
static ph_status join(pmml_reader *r, pmml_atoms *acc, pmml_atoms *next)
{
    ph_status st = PH_OK;
    for (size_t i = 0; st == PH_OK && i < next->n; i++)
        st = push(r, acc, &next->v[i]);
    pmml_atoms_clear(r->ctx, next);
    return st == PH_OK ? normalise(r, acc) : st;
}

/* ---- the elements ---------------------------------------------------------- */

/* The field a predicate names: in the DataDictionary, and the one every
 * other predicate of the characteristic reads. */
static ph_status predicate_field(pmml_reader *r, const xmlNode *node,
                                 const pmml_field **field, const pmml_field **out)
{
    const char *name = pmml_attr(r, node, "field");
    if (!name)
        return pmml_fail(r, node, PH_EINVAL, "%s has no field attribute", (const char *)node->name);
    const pmml_field *f = pmml_field_find(r, name);
    if (!f)
        return pmml_fail(r, node, PH_EINVAL, "%s: field '%s' is not in the DataDictionary",
                         (const char *)node->name, name);
    if (f->predicted)
        return pmml_fail(r, node, PH_EINVAL, "%s: field '%s' is the model's target, not an input",
                         (const char *)node->name, name);
    if (*field && *field != f)
        return pmml_fail(r, node, PH_EINVAL,
                         "%s: field '%s', but the characteristic already reads '%s'; "
                         "puhui scores one field per characteristic",
                         (const char *)node->name, name, (*field)->name);
    *field = f;
    *out = f;
    return PH_OK;
}

enum op {
    OP_EQUAL, OP_NOT_EQUAL, OP_LESS, OP_LESS_EQ, OP_GREATER, OP_GREATER_EQ,
    OP_MISSING, OP_NOT_MISSING
};

static const struct {
    const char *name;
    enum op op;
    int needs_value;
} operators[] = {
    {"equal", OP_EQUAL, 1},           {"notEqual", OP_NOT_EQUAL, 1},
    {"lessThan", OP_LESS, 1},         {"lessOrEqual", OP_LESS_EQ, 1},
    {"greaterThan", OP_GREATER, 1},   {"greaterOrEqual", OP_GREATER_EQ, 1},
    {"isMissing", OP_MISSING, 0},     {"isNotMissing", OP_NOT_MISSING, 0},
};

/* A comparison on a number: the interval (or two) it selects. */
static ph_status numeric_comparison(pmml_reader *r, enum op op, double v, pmml_atoms *out)
{
    switch (op) {
    case OP_EQUAL: return push_range(r, out, v, 1, v, 1);
    case OP_NOT_EQUAL: {
        ph_status st = push_range(r, out, -INFINITY, 0, v, 0);
        return st == PH_OK ? push_range(r, out, v, 0, INFINITY, 0) : st;
    }
    case OP_LESS: return push_range(r, out, -INFINITY, 0, v, 0);
    case OP_LESS_EQ: return push_range(r, out, -INFINITY, 0, v, 1);
    case OP_GREATER: return push_range(r, out, v, 0, INFINITY, 0);
    case OP_GREATER_EQ: return push_range(r, out, v, 1, INFINITY, 0);
    case OP_NOT_MISSING: return push_range(r, out, -INFINITY, 0, INFINITY, 0);
    case OP_MISSING: return push_kind(r, out, PH_SC_MISSING);
    }
    return PH_OK;
}

/* Categorical complements ("every level but ...") need the field's list of
 * valid values; without one they cannot be scored exactly. */
static ph_status need_values(pmml_reader *r, const xmlNode *node, const pmml_field *f,
                             const char *what)
{
    if (f->n_values)
        return PH_OK;
    return pmml_fail(r, node, PH_EINVAL,
                     "%s: %s on categorical field '%s' needs its <Value> list in the "
                     "DataDictionary, which has none", (const char *)node->name, what, f->name);
}

static ph_status simple_predicate(pmml_reader *r, const xmlNode *node, const pmml_field **field,
                                  pmml_atoms *out)
{
    const pmml_field *f;
    ph_status st = predicate_field(r, node, field, &f);
    if (st != PH_OK)
        return st;
    const char *op_name = pmml_attr(r, node, "operator");
    size_t k = 0, n_ops = sizeof(operators) / sizeof(operators[0]);
    while (k < n_ops && !(op_name && strcmp(op_name, operators[k].name) == 0))
        k++;
    if (k == n_ops)
        return pmml_fail(r, node, PH_EINVAL, "SimplePredicate: unknown operator '%s'",
                         op_name ? op_name : "");
    enum op op = operators[k].op;
    const char *value = pmml_attr(r, node, "value");
    if (operators[k].needs_value && !value)
        return pmml_fail(r, node, PH_EINVAL, "SimplePredicate: operator '%s' needs a value",
                         op_name);
    if (!f->categorical) {
        double v = 0;
        if (operators[k].needs_value && (st = pmml_number(r, node, "value", value, &v)) != PH_OK)
            return st;
        return numeric_comparison(r, op, v, out);
    }
    switch (op) {
    case OP_EQUAL:
        return push_levels(r, out, &value, 1, NULL);
    case OP_MISSING:
        return push_kind(r, out, PH_SC_MISSING);
    case OP_NOT_EQUAL:
    case OP_NOT_MISSING: {
        if ((st = need_values(r, node, f, op_name)) != PH_OK)
            return st;
        ph_sc_attribute except = {.match = PH_SC_IN};
        char *one = (char *)(op == OP_NOT_EQUAL ? value : NULL);
        except.levels = &one;
        except.n_levels = one ? 1 : 0;
        return push_levels(r, out, f->values, f->n_values, &except);
    }
    default:
        return pmml_fail(r, node, PH_EINVAL,
                         "SimplePredicate: operator '%s' on categorical field '%s' is not "
                         "supported (only equal, notEqual, isMissing, isNotMissing)",
                         op_name, f->name);
    }
}

/* ---- Array ----------------------------------------------------------------- */

/*
 * The values of an <Array>: separated by whitespace; a value holding
 * whitespace is in double quotes, where \" stands for a quote (and \\ for
 * a backslash, which puhui writes so that a value may end in one).
 */
static ph_status parse_array(pmml_reader *r, const xmlNode *node, ph_sc_attribute *out)
{
    const char *text = pmml_text(r, node);
    if (!text)
        return oom(r);
    size_t len = strlen(text);
    char *buf = ph_malloc(r->ctx, len + 1);
    if (!buf)
        return oom(r);
    ph_status st = PH_OK;
    const char *p = text;
    out->match = PH_SC_IN;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (*p == '\0')
            break;
        size_t n = 0;
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                    p++;
                buf[n++] = *p;
            }
            if (*p != '"') {
                st = pmml_fail(r, node, PH_EINVAL, "Array: a quoted value has no closing quote");
                break;
            }
            p++;
        } else {
            while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
                buf[n++] = *p++;
        }
        buf[n] = '\0';
        /* Each value once: a repeat adds nothing to a set. */
        if ((st = add_level(r, out, buf)) != PH_OK)
            break;
    }
    ph_free(r->ctx, buf);
    return st;
}

/* Count the values as written, repeats included, to check n="...". */
static size_t array_count_written(const char *text)
{
    size_t count = 0;
    const char *p = text;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            return count;
        count++;
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                    p++;
            }
            if (*p)
                p++;
        } else {
            while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
                p++;
        }
    }
}

static ph_status read_array(pmml_reader *r, const xmlNode *set, ph_sc_attribute *out)
{
    const xmlNode *array = NULL;
    for (const xmlNode *c = set->children; c; c = c->next) {
        if (pmml_is(c, "Array"))
            array = c;
    }
    if (!array)
        return pmml_fail(r, set, PH_EINVAL, "SimpleSetPredicate has no Array");
    ph_status st = parse_array(r, array, out);
    if (st != PH_OK)
        return st;
    const char *n_text = pmml_attr(r, array, "n");
    const char *text = pmml_text(r, array);
    if (!text)
        return oom(r);
    size_t written = array_count_written(text);
    if (n_text) {
        char *end;
        unsigned long long n = strtoull(n_text, &end, 10);
        if (*n_text == '-' || *end != '\0' || n != written)
            return pmml_fail(r, array, PH_EINVAL, "Array: n=\"%s\" but it holds %zu values",
                             n_text, written);
    }
    return PH_OK;
}

/* The numbers of an Array, sorted, into *values (caller frees). */
static ph_status array_numbers(pmml_reader *r, const xmlNode *node, const ph_sc_attribute *set,
                               double **values)
{
    double *v = ph_malloc(r->ctx, (set->n_levels ? set->n_levels : 1) * sizeof(double));
    if (!v)
        return oom(r);
    for (size_t i = 0; i < set->n_levels; i++) {
        ph_status st = pmml_number(r, node, "Array value", set->levels[i], &v[i]);
        if (st != PH_OK) {
            ph_free(r->ctx, v);
            return st;
        }
    }
    *values = v;
    return PH_OK;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* isIn / isNotIn of numbers: points, or the open intervals between them. */
static ph_status numeric_set(pmml_reader *r, const xmlNode *node, const ph_sc_attribute *set,
                             int negate, pmml_atoms *out)
{
    double *v = NULL;
    ph_status st = array_numbers(r, node, set, &v);
    if (st != PH_OK)
        return st;
    qsort(v, set->n_levels, sizeof(double), compare_doubles);
    double prev = -INFINITY;
    for (size_t i = 0; st == PH_OK && i < set->n_levels; i++) {
        if (i && v[i] == v[i - 1])
            continue;
        st = negate ? push_range(r, out, prev, 0, v[i], 0) : push_range(r, out, v[i], 1, v[i], 1);
        prev = v[i];
    }
    if (st == PH_OK && negate)
        st = push_range(r, out, prev, 0, INFINITY, 0);
    ph_free(r->ctx, v);
    return st;
}

static ph_status simple_set_predicate(pmml_reader *r, const xmlNode *node,
                                      const pmml_field **field, pmml_atoms *out)
{
    const pmml_field *f;
    ph_status st = predicate_field(r, node, field, &f);
    if (st != PH_OK)
        return st;
    const char *op = pmml_attr(r, node, "booleanOperator");
    int negate = op && strcmp(op, "isNotIn") == 0;
    if (!negate && !(op && strcmp(op, "isIn") == 0))
        return pmml_fail(r, node, PH_EINVAL,
                         "SimpleSetPredicate: booleanOperator '%s', expected isIn or isNotIn",
                         op ? op : "");
    ph_sc_attribute set = {0};
    st = read_array(r, node, &set);
    if (st == PH_OK && !f->categorical)
        st = numeric_set(r, node, &set, negate, out);
    else if (st == PH_OK && !negate)
        st = push(r, out, &set);
    else if (st == PH_OK && (st = need_values(r, node, f, "isNotIn")) == PH_OK)
        st = push_levels(r, out, f->values, f->n_values, &set);
    atom_clear(r->ctx, &set);
    return st;
}

/* Predicate child elements of a CompoundPredicate (Extensions skipped). */
static int is_predicate(const xmlNode *n)
{
    return pmml_is(n, "SimplePredicate") || pmml_is(n, "CompoundPredicate") ||
           pmml_is(n, "SimpleSetPredicate") || pmml_is(n, "True") || pmml_is(n, "False");
}

static const xmlNode *next_predicate(const xmlNode *n)
{
    while (n && !is_predicate(n))
        n = n->next;
    return n;
}

/* Is `n` a predicate that is FALSE, never UNKNOWN, on a missing value? */
static int false_when_missing(pmml_reader *r, const xmlNode *n)
{
    if (pmml_is(n, "False"))
        return 1;
    const char *op = pmml_is(n, "SimplePredicate") ? pmml_attr(r, n, "operator") : NULL;
    return op && strcmp(op, "isNotMissing") == 0;
}

/*
 * surrogate(p1, p2, ...): p1, unless p1 is UNKNOWN because the value is
 * missing, then the rest. With one field, only a missing value makes p1
 * UNKNOWN, so the result is p1 plus "missing" when the rest takes a
 * missing value.
 */
static ph_status surrogate(pmml_reader *r, const xmlNode *first, const pmml_field **field,
                           pmml_atoms *out)
{
    ph_status st = pmml_predicate(r, first, field, out);
    const xmlNode *rest = next_predicate(first->next);
    if (st != PH_OK || !rest || matches_missing(out) || false_when_missing(r, first))
        return st;
    pmml_atoms tail = {0};
    st = surrogate(r, rest, field, &tail);
    int add = st == PH_OK && matches_missing(&tail);
    pmml_atoms_clear(r->ctx, &tail);
    if (add)
        st = push_kind(r, out, PH_SC_MISSING);
    return st;
}

static ph_status compound_predicate(pmml_reader *r, const xmlNode *node,
                                    const pmml_field **field, pmml_atoms *out)
{
    const char *op = pmml_attr(r, node, "booleanOperator");
    const xmlNode *first = next_predicate(node->children);
    if (!first)
        return pmml_fail(r, node, PH_EINVAL, "CompoundPredicate has no predicates inside");
    if (op && strcmp(op, "surrogate") == 0)
        return surrogate(r, first, field, out);
    int is_and = op && strcmp(op, "and") == 0;
    if (!is_and && !(op && strcmp(op, "or") == 0))
        return pmml_fail(r, node, PH_EINVAL,
                         "CompoundPredicate: booleanOperator '%s' is not supported "
                         "(and, or, surrogate)", op ? op : "");
    ph_status st = pmml_predicate(r, first, field, out);
    for (const xmlNode *c = next_predicate(first->next); st == PH_OK && c;
         c = next_predicate(c->next)) {
        pmml_atoms next = {0};
        st = pmml_predicate(r, c, field, &next);
        if (st == PH_OK)
            st = is_and ? intersect(r, out, &next) : join(r, out, &next);
        pmml_atoms_clear(r->ctx, &next);
    }
    return st;
}

static ph_status true_predicate(pmml_reader *r, const xmlNode *node, const pmml_field **field,
                                pmml_atoms *out)
{
    (void)node, (void)field;
    return push_kind(r, out, PH_SC_ANY);
}

static ph_status false_predicate(pmml_reader *r, const xmlNode *node, const pmml_field **field,
                                 pmml_atoms *out)
{
    (void)r, (void)node, (void)field, (void)out;
    return PH_OK;
}

static const struct {
    const char *element;
    ph_status (*compile)(pmml_reader *, const xmlNode *, const pmml_field **, pmml_atoms *);
} predicates[] = {
    {"SimplePredicate", simple_predicate},
    {"SimpleSetPredicate", simple_set_predicate},
    {"CompoundPredicate", compound_predicate},
    {"True", true_predicate},
    {"False", false_predicate},
};

ph_status pmml_predicate(pmml_reader *r, const xmlNode *node, const pmml_field **field,
                         pmml_atoms *out)
{
    for (size_t i = 0; i < sizeof(predicates) / sizeof(predicates[0]); i++) {
        if (pmml_is(node, predicates[i].element)) {
            ph_status st = predicates[i].compile(r, node, field, out);
            if (st != PH_OK)
                pmml_atoms_clear(r->ctx, out);
            return st;
        }
    }
    return pmml_fail(r, node, PH_EINVAL, "%s is not a supported predicate",
                     (const char *)node->name);
}
