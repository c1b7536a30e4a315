/*
 * The LightGBM text model loader: the file Booster.save_model() writes.
 *
 *   tree
 *   version=v3
 *   num_class=1
 *   num_tree_per_iteration=1
 *   max_feature_idx=7
 *   objective=binary sigmoid:1
 *   feature_names=a b c ...
 *   ...
 *   Tree=0
 *   num_leaves=3
 *   split_feature=2 0
 *   threshold=3.5 0.25
 *   decision_type=2 8
 *   left_child=1 -1
 *   right_child=-2 -3
 *   leaf_value=... leaf_count=... internal_count=...
 *   ...
 *   end of trees
 *   (feature importances and parameters follow; they are not read)
 *
 * A tree of L leaves has L - 1 internal nodes; a child c >= 0 is internal
 * node c, c < 0 is leaf ~c (-c - 1). We number internal nodes 0..L-2 and
 * leaf j as node L - 1 + j, so the root stays node 0. A split sends x left
 * when x <= threshold (double); decision_type's bits: 1 categorical, 2
 * default left, 4-8 the missing type (0 None: NaN is read as 0; 1 Zero: 0
 * and NaN take the default; 2 NaN: NaN takes the default). Leaf values have
 * the shrinkage applied already. Errors name the file, line and column.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

/*
 * What a LightGBM model may hold, in one place (docs/tree_models.md lists
 * them). Memory while loading stays a few times the text: the trees are
 * stored as LightGBM gives them (2 L - 1 nodes for L leaves), never padded.
 */
const model_limits model_lightgbm_limits = {
    .file_bytes = (size_t)64 << 20, /* 64 MiB of text */
    .trees = 100000,
    .features = 1000000,
    .leaves = 131072, /* LightGBM's own maximum num_leaves */
    .depth = MODEL_TREESHAP_MAX_DEPTH, /* so every model loaded can be explained */
    .margin = 1e100, /* the sum over trees of each tree's largest |leaf value| */
};

/* The members of a Tree=N block, as lines of the text. */
enum {
    KEY_NUM_LEAVES,
    KEY_NUM_CAT,
    KEY_SPLIT_FEATURE,
    KEY_THRESHOLD,
    KEY_DECISION_TYPE,
    KEY_LEFT_CHILD,
    KEY_RIGHT_CHILD,
    KEY_LEAF_VALUE,
    KEY_LEAF_COUNT,
    KEY_INTERNAL_COUNT,
    KEY_IS_LINEAR,
    KEY_COUNT
};

static const char *const tree_keys[KEY_COUNT] = {
    "num_leaves", "num_cat", "split_feature", "threshold", "decision_type", "left_child",
    "right_child", "leaf_value", "leaf_count", "internal_count", "is_linear",
};

/* One line of the text: NUL-terminated in the reader's copy. */
typedef struct lgb_line {
    char *text;  /* the whole line */
    char *value; /* after the '=' (NULL when the line has none) */
    char *end;   /* where the line ends: a NUL byte before it is part of the line */
    uint64_t number;
} lgb_line;

typedef struct lgb_reader {
    const ph_ctx *ctx;
    const char *source;
    ph_error *err;
    char *copy;        /* the text, each '\n' replaced by NUL as we go */
    char *next;        /* start of the next line */
    char *end;
    uint64_t line_number;
} lgb_reader;

/* PH_EINVAL at a line (column 0: the whole line; else 1-based). */
static ph_status bad(const lgb_reader *r, const lgb_line *at, const char *p, const char *field,
                     const char *value, const char *fmt, ...) PH_PRINTF(6, 7);
static ph_status bad_n(const lgb_reader *r, const lgb_line *at, const char *p,
                       const char *field, const char *value, size_t value_len,
                       const char *fmt, ...) PH_PRINTF(7, 8);

static ph_status bad_at(const lgb_reader *r, const lgb_line *at, const char *p,
                        const char *field, const char *value, size_t value_len,
                        const char *fmt, va_list ap) PH_PRINTF(7, 0);

static ph_status bad_at(const lgb_reader *r, const lgb_line *at, const char *p,
                        const char *field, const char *value, size_t value_len,
                        const char *fmt, va_list ap)
{
    ph_error_setv(r->err, PH_EINVAL, field, value, value_len, fmt, ap);
    ph_error_locate(r->err, r->source, at ? at->number : 0,
                    at && p ? (uint64_t)(p - at->text) + 1 : 0);
    return PH_EINVAL;
}

static ph_status bad(const lgb_reader *r, const lgb_line *at, const char *p, const char *field,
                     const char *value, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bad_at(r, at, p, field, value, value ? strlen(value) : 0, fmt, ap);
    va_end(ap);
    return PH_EINVAL;
}

/* The same for a value of value_len bytes, NUL bytes included (shown \x00). */
static ph_status bad_n(const lgb_reader *r, const lgb_line *at, const char *p,
                       const char *field, const char *value, size_t value_len,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bad_at(r, at, p, field, value, value_len, fmt, ap);
    va_end(ap);
    return PH_EINVAL;
}

/* The next line, or 0 at the end of the text. */
static int next_line(lgb_reader *r, lgb_line *out)
{
    if (r->next >= r->end)
        return 0;
    char *start = r->next, *nl = memchr(start, '\n', (size_t)(r->end - start));
    char *stop = nl ? nl : r->end;
    r->next = nl ? nl + 1 : r->end;
    if (stop > start && stop[-1] == '\r')
        stop--;
    *stop = '\0';
    out->text = start;
    out->end = stop;
    out->number = ++r->line_number;
    char *eq = memchr(start, '=', (size_t)(stop - start));
    out->value = eq ? eq + 1 : NULL;
    return 1;
}

/* Does the line set `key` (key=...)? */
static int is_key(const lgb_line *line, const char *key)
{
    size_t n = strlen(key);
    return line->value && (size_t)(line->value - 1 - line->text) == n &&
           memcmp(line->text, key, n) == 0;
}

/* Is the line exactly `text` (no NUL byte hiding a tail)? */
static int is_line(const lgb_line *line, const char *text)
{
    size_t n = strlen(text);
    return (size_t)(line->end - line->text) == n && memcmp(line->text, text, n) == 0;
}

static size_t value_len(const lgb_line *line) { return (size_t)(line->end - line->value); }

/* A text value (objective, feature names) holds no NUL byte. */
static ph_status text_value(const lgb_reader *r, const lgb_line *line, const char *key)
{
    const char *nul = memchr(line->value, '\0', value_len(line));
    if (!nul)
        return PH_OK;
    return bad_n(r, line, nul, key, line->value, value_len(line),
                 "expected text without NUL bytes");
}

/* ---- numbers ------------------------------------------------------------- */

/*
 * Number syntax. LightGBM writes integers as decimal digits and doubles with
 * %.17g (1.0000000180025095e-35, -0.25, 60), an unbounded threshold as inf
 * or -inf. Only that is read: no hex floats, no leading '+' or space, no
 * other spellings of infinity or NaN, nothing (not even a NUL byte) after
 * the number up to the space or the end of the line.
 */
static const char *skip_digits(const char *p, const char *end)
{
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    return p;
}

/* -?DIGITS, all of [p, end). */
static int plain_integer(const char *p, const char *end)
{
    if (p < end && *p == '-')
        p++;
    const char *d = skip_digits(p, end);
    return d > p && d == end;
}

/* -?DIGITS(.DIGITS)?([eE][+-]?DIGITS)?, all of [p, end). */
static int plain_decimal(const char *p, const char *end)
{
    if (p < end && *p == '-')
        p++;
    const char *d = skip_digits(p, end);
    if (d == p)
        return 0;
    if (d < end && *d == '.') {
        const char *f = skip_digits(d + 1, end);
        if (f == d + 1)
            return 0;
        d = f;
    }
    if (d < end && (*d == 'e' || *d == 'E')) {
        const char *e = d + 1;
        if (e < end && (*e == '+' || *e == '-'))
            e++;
        const char *x = skip_digits(e, end);
        if (x == e)
            return 0;
        d = x;
    }
    return d == end;
}

/* How a list's tokens read: whole numbers, finite doubles, or doubles that
 * may be inf / -inf (thresholds). */
typedef enum { SYNTAX_WHOLE, SYNTAX_FINITE, SYNTAX_THRESHOLD } lgb_syntax;

static const char *const syntax_expected[] = {
    [SYNTAX_WHOLE] = "expected a whole number (decimal digits, '-' before a negative one)",
    [SYNTAX_FINITE] = "expected a finite number in plain decimal (digits, a '.', an exponent: "
                      "-0.25, 1.5e-05)",
    [SYNTAX_THRESHOLD] = "expected a number in plain decimal (digits, a '.', an exponent: 0.5, "
                         "1.0000000180025095e-35), inf or -inf",
};

/* The token [p, end) as a number, or 0. The byte at `end` is a space or the
 * line's terminating NUL, so strtoll / strtod stop there. */
static int read_token(const char *p, const char *end, lgb_syntax syntax, double *out)
{
    size_t n = (size_t)(end - p);
    char *stop;
    errno = 0;
    if (syntax == SYNTAX_WHOLE) {
        if (!plain_integer(p, end))
            return 0;
        long long v = strtoll(p, &stop, 10);
        if (stop != end || errno == ERANGE)
            return 0;
        *out = (double)v;
        return 1;
    }
    if (syntax == SYNTAX_THRESHOLD && ((n == 3 && memcmp(p, "inf", 3) == 0) ||
                                       (n == 4 && memcmp(p, "-inf", 4) == 0))) {
        *out = *p == '-' ? -INFINITY : INFINITY;
        return 1;
    }
    if (!plain_decimal(p, end))
        return 0;
    double v = strtod(p, &stop);
    if (stop != end || !isfinite(v))
        return 0; /* 1e400: out of range (a tiny value reads as 0 or subnormal) */
    *out = v;
    return 1;
}

/* The one whole number of a key=value line, in [min, max]. */
static ph_status line_count(const lgb_reader *r, const lgb_line *line, const char *key,
                            long long min, long long max, long long *out)
{
    double v;
    if (!read_token(line->value, line->end, SYNTAX_WHOLE, &v) || v < (double)min ||
        v > (double)max)
        return bad_n(r, line, line->value, key, line->value, value_len(line),
                     "expected a whole number from %lld to %lld", min, max);
    *out = (long long)v;
    return PH_OK;
}

/* The space-separated values of `line` as `count` numbers; `check` checks
 * one (NULL: none beyond the syntax). Names value i as key[i] in errors. */
typedef const char *(*lgb_check)(double v, double limit);

static const char *check_index(double v, double limit)
{
    return v >= 0 && v < limit ? NULL : "expected a feature index below max_feature_idx + 1";
}

static const char *check_count(double v, double limit)
{
    (void)limit;
    return v >= 0 ? NULL : "expected a count >= 0";
}

static const char *check_decision_type(double v, double limit)
{
    (void)limit;
    return v >= 0 && v <= 255 ? NULL : "expected a decision type from 0 to 255";
}

static ph_status line_numbers(const lgb_reader *r, const lgb_line *line, const char *key,
                              uint32_t count, lgb_syntax syntax, lgb_check check, double limit,
                              double *out)
{
    char *p = line->value;
    uint32_t found = 0;
    while (p < line->end) {
        char field[64];
        char *token_end = memchr(p, ' ', (size_t)(line->end - p));
        if (!token_end)
            token_end = line->end;
        size_t token_len = (size_t)(token_end - p);
        snprintf(field, sizeof(field), "%s[%u]", key, found);
        double v = 0.0;
        if (!read_token(p, token_end, syntax, &v))
            return bad_n(r, line, p, field, p, token_len, "%s", syntax_expected[syntax]);
        const char *problem = check ? check(v, limit) : NULL;
        if (problem)
            return bad_n(r, line, p, field, p, token_len, "%s", problem);
        if (found == count)
            return bad(r, line, p, key, NULL, "expected %u values, found more", count);
        out[found++] = v;
        p = token_end < line->end ? token_end + 1 : token_end;
    }
    if (found != count)
        return bad(r, line, NULL, key, NULL, "expected %u values, found %u", count, found);
    return PH_OK;
}

/* ---- the header ---------------------------------------------------------- */

/* objective=binary sigmoid:1 is the only objective whose prediction is
 * logistic(margin) with the margin as stored. */
static ph_status check_objective(const lgb_reader *r, const lgb_line *line)
{
    const char *v = line->value;
    size_t name_len = strcspn(v, " ");
    if (name_len != 6 || memcmp(v, "binary", 6) != 0) {
        char name[64];
        snprintf(name, sizeof(name), "%.*s", (int)(name_len < 63 ? name_len : 63), v);
        return bad(r, line, line->value, "objective", name,
                   "unsupported objective; expected binary (objective=binary sigmoid:1): "
                   "puhui scores the probability of bad of a binary target");
    }
    const char *sig = strstr(v, " sigmoid:");
    if (sig) {
        const char *p = sig + 9, *end = memchr(p, ' ', (size_t)(line->end - p));
        double s = 0.0;
        if (!read_token(p, end ? end : line->end, SYNTAX_FINITE, &s) || s != 1.0)
            return bad(r, line, sig + 1, "objective", v,
                       "expected sigmoid:1 (a model trained with another sigmoid scale is not "
                       "supported)");
    }
    return PH_OK;
}

static ph_status read_feature_names(lgb_reader *r, const lgb_line *line, long long max_index,
                                    ph_model *m)
{
    size_t n = (size_t)max_index + 1;
    m->feature_names = ph_calloc(r->ctx, n, sizeof(char *));
    if (!m->feature_names)
        return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory for a model");
    m->n_features = n;
    char *p = line->value;
    for (size_t i = 0; i < n; i++) {
        size_t len = strcspn(p, " ");
        if (len == 0)
            return bad(r, line, p, "feature_names", NULL,
                       "expected %zu names (max_feature_idx + 1), found %zu", n, i);
        char field[64];
        snprintf(field, sizeof(field), "feature_names[%zu]", i);
        for (size_t j = 0; j < i; j++)
            if (strlen(m->feature_names[j]) == len && memcmp(m->feature_names[j], p, len) == 0)
                return bad(r, line, p, field, m->feature_names[j],
                           "duplicate feature name (also feature %zu)", j);
        if (!(m->feature_names[i] = ph_malloc(r->ctx, len + 1)))
            return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory for a model");
        memcpy(m->feature_names[i], p, len);
        m->feature_names[i][len] = '\0';
        p += len;
        if (*p == ' ')
            p++;
    }
    if (*p != '\0')
        return bad(r, line, p, "feature_names", NULL,
                   "expected %zu names (max_feature_idx + 1), found more", n);
    return PH_OK;
}

/*
 * Header lines up to the first Tree=: the objective, one class, the feature
 * names. Leaves `first` at the Tree= line (or at "end of trees").
 */
static ph_status read_header(lgb_reader *r, ph_model *m, lgb_line *first)
{
    lgb_line line, objective = {0}, names = {0};
    long long max_index = -1, one;
    ph_status st = PH_OK;
    while (st == PH_OK && next_line(r, &line)) {
        if (is_key(&line, "Tree") || is_line(&line, "end of trees")) {
            *first = line;
            break;
        }
        if (is_key(&line, "objective"))
            objective = line;
        else if (is_key(&line, "feature_names"))
            names = line;
        else if (is_key(&line, "max_feature_idx"))
            st = line_count(r, &line, "max_feature_idx", 0,
                            (long long)model_lightgbm_limits.features - 1, &max_index);
        else if (is_key(&line, "num_class") || is_key(&line, "num_tree_per_iteration"))
            st = line_count(r, &line, is_key(&line, "num_class") ? "num_class"
                                                                : "num_tree_per_iteration",
                            1, 1, &one);
        else if (is_line(&line, "average_output"))
            st = bad(r, &line, NULL, NULL, NULL, "average_output (a random forest, "
                     "boosting=rf) is not supported; expected a gbdt model");
    }
    if (st != PH_OK)
        return st;
    if (!first->text)
        return bad(r, NULL, NULL, NULL, NULL, "no Tree= block and no 'end of trees' line: "
                   "expected a LightGBM text model (is the file truncated?)");
    if (!objective.text)
        return bad(r, first, NULL, "objective", NULL, "no objective line before the trees; "
                   "expected objective=binary sigmoid:1");
    if ((st = text_value(r, &objective, "objective")) != PH_OK ||
        (st = check_objective(r, &objective)) != PH_OK)
        return st;
    if (max_index < 0)
        return bad(r, first, NULL, "max_feature_idx", NULL,
                   "no max_feature_idx line before the trees");
    if (!names.text)
        return bad(r, first, NULL, "feature_names", NULL,
                   "no feature_names line before the trees: puhui matches inputs to features "
                   "by name");
    if ((st = text_value(r, &names, "feature_names")) != PH_OK)
        return st;
    return read_feature_names(r, &names, max_index, m);
}

/* ---- trees --------------------------------------------------------------- */

/* The lines of one Tree=N block, by key. */
typedef struct lgb_block {
    lgb_line head; /* the Tree=N line */
    lgb_line key[KEY_COUNT];
} lgb_block;

/* Read the lines of a block up to the next Tree= or "end of trees". */
static void read_block(lgb_reader *r, lgb_block *b, lgb_line *after)
{
    lgb_line line;
    memset(b->key, 0, sizeof(b->key));
    memset(after, 0, sizeof(*after));
    while (next_line(r, &line)) {
        if (is_key(&line, "Tree") || is_line(&line, "end of trees")) {
            *after = line;
            return;
        }
        for (int k = 0; k < KEY_COUNT; k++)
            if (is_key(&line, tree_keys[k]))
                b->key[k] = line;
    }
}

static ph_status require(const lgb_reader *r, const lgb_block *b, int key)
{
    if (b->key[key].text)
        return PH_OK;
    return bad(r, &b->head, NULL, tree_keys[key], NULL, "the tree has no %s line",
               tree_keys[key]);
}

/* Child reference c of internal node i as our node number. */
static ph_status child_node(const lgb_reader *r, const lgb_block *b, int key, uint32_t i,
                            double c, uint32_t leaves, int32_t *out)
{
    uint32_t internal = leaves - 1;
    if (c >= 0 && c < internal) {
        *out = (int32_t)c;
        return PH_OK;
    }
    if (c < 0 && -c - 1 < leaves) {
        *out = (int32_t)(internal + (uint32_t)(-c - 1));
        return PH_OK;
    }
    char field[64], value[32];
    snprintf(field, sizeof(field), "%s[%u]", tree_keys[key], i);
    snprintf(value, sizeof(value), "%.0f", c);
    return bad(r, &b->key[key], NULL, field, value,
               "expected an internal node below %u or a leaf -1 to -%u", internal, leaves);
}

static const uint8_t missing_types[3] = {
    MODEL_MISSING_AS_ZERO, /* 0 None: NaN is read as 0.0 */
    MODEL_MISSING_ZERO,    /* 1 Zero: 0.0 and NaN take the default */
    MODEL_MISSING_DEFAULT, /* 2 NaN: NaN takes the default */
};

/* The split rule of internal node i; dt is in [0, 255] (check_decision_type). */
static ph_status split_rule(const lgb_reader *r, const lgb_block *b, uint32_t i, double dt,
                            model_tree *t)
{
    unsigned type = (unsigned)dt;
    char field[64], value[32];
    snprintf(field, sizeof(field), "decision_type[%u]", i);
    snprintf(value, sizeof(value), "%u", type);
    if (type & 1)
        return bad(r, &b->key[KEY_DECISION_TYPE], NULL, field, value,
                   "categorical splits not supported; encode the feature as numbers");
    if (((type >> 2) & 3) == 3)
        return bad(r, &b->key[KEY_DECISION_TYPE], NULL, field, value,
                   "unknown missing type 3; expected 0 (None), 1 (Zero) or 2 (NaN)");
    t->default_left[i] = (type & 2) != 0;
    t->missing[i] = missing_types[(type >> 2) & 3];
    return PH_OK;
}

/* Arrays of one tree, read into scratch of 5 x leaves doubles. */
static ph_status read_splits(const lgb_reader *r, const lgb_block *b, size_t n_features,
                             uint32_t leaves, double *s, model_tree *t)
{
    uint32_t internal = leaves - 1;
    double *feature = s, *threshold = s + leaves, *dt = s + 2 * leaves;
    double *left = s + 3 * leaves, *right = s + 4 * leaves;
    static const int needed[] = {KEY_SPLIT_FEATURE, KEY_THRESHOLD, KEY_DECISION_TYPE,
                                 KEY_LEFT_CHILD, KEY_RIGHT_CHILD, KEY_INTERNAL_COUNT,
                                 KEY_LEAF_COUNT};
    ph_status st = PH_OK;
    for (size_t k = 0; st == PH_OK && k < sizeof(needed) / sizeof(needed[0]); k++)
        st = require(r, b, needed[k]);
    if (st == PH_OK)
        st = line_numbers(r, &b->key[KEY_SPLIT_FEATURE], "split_feature", internal,
                          SYNTAX_WHOLE, check_index, (double)n_features, feature);
    if (st == PH_OK)
        st = line_numbers(r, &b->key[KEY_THRESHOLD], "threshold", internal, SYNTAX_THRESHOLD,
                          NULL, 0, threshold);
    if (st == PH_OK)
        st = line_numbers(r, &b->key[KEY_DECISION_TYPE], "decision_type", internal,
                          SYNTAX_WHOLE, check_decision_type, 0, dt);
    if (st == PH_OK)
        st = line_numbers(r, &b->key[KEY_LEFT_CHILD], "left_child", internal, SYNTAX_WHOLE,
                          NULL, 0, left);
    if (st == PH_OK)
        st = line_numbers(r, &b->key[KEY_RIGHT_CHILD], "right_child", internal, SYNTAX_WHOLE,
                          NULL, 0, right);
    if (st == PH_OK)
        st = line_numbers(r, &b->key[KEY_INTERNAL_COUNT], "internal_count", internal,
                          SYNTAX_FINITE, check_count, 0, t->cover);
    if (st == PH_OK)
        st = line_numbers(r, &b->key[KEY_LEAF_COUNT], "leaf_count", leaves, SYNTAX_FINITE,
                          check_count, 0, t->cover + internal);
    for (uint32_t i = 0; st == PH_OK && i < internal; i++) {
        t->feature[i] = (uint32_t)feature[i];
        t->threshold[i] = threshold[i];
        st = split_rule(r, b, i, dt[i], t);
        if (st == PH_OK)
            st = child_node(r, b, KEY_LEFT_CHILD, i, left[i], leaves, &t->left[i]);
        if (st == PH_OK)
            st = child_node(r, b, KEY_RIGHT_CHILD, i, right[i], leaves, &t->right[i]);
    }
    return st;
}

static ph_status check_tree_shape(const lgb_reader *r, const lgb_block *b, model_tree *t)
{
    uint32_t parent;
    int side;
    int ok = model_tree_shape(r->ctx, t, &parent, &side);
    if (ok < 0)
        return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory checking a tree");
    if (ok)
        return PH_OK;
    int key = side == 0 ? KEY_LEFT_CHILD : KEY_RIGHT_CHILD;
    char field[64];
    snprintf(field, sizeof(field), "%s[%u]", tree_keys[key], parent);
    return bad(r, &b->key[key], NULL, field, NULL,
               "node %d is reached twice: expected a tree (no cycle, one parent per node)",
               side == 0 ? t->left[parent] : t->right[parent]);
}

static ph_status read_tree(lgb_reader *r, const lgb_block *b, size_t n_features, model_tree *t)
{
    long long leaves, flag;
    ph_status st = require(r, b, KEY_NUM_LEAVES);
    if (st == PH_OK)
        st = line_count(r, &b->key[KEY_NUM_LEAVES], "num_leaves", 1,
                        model_lightgbm_limits.leaves, &leaves);
    if (st == PH_OK && b->key[KEY_NUM_CAT].text) {
        st = line_count(r, &b->key[KEY_NUM_CAT], "num_cat", 0, 1 << 30, &flag);
        if (st == PH_OK && flag != 0)
            st = bad(r, &b->key[KEY_NUM_CAT], b->key[KEY_NUM_CAT].value, "num_cat",
                     b->key[KEY_NUM_CAT].value,
                     "categorical splits not supported; expected num_cat=0");
    }
    if (st == PH_OK && b->key[KEY_IS_LINEAR].text) {
        st = line_count(r, &b->key[KEY_IS_LINEAR], "is_linear", 0, 1, &flag);
        if (st == PH_OK && flag != 0)
            st = bad(r, &b->key[KEY_IS_LINEAR], b->key[KEY_IS_LINEAR].value, "is_linear", "1",
                     "linear trees are not supported; expected is_linear=0");
    }
    if (st == PH_OK)
        st = require(r, b, KEY_LEAF_VALUE);
    if (st != PH_OK)
        return st;
    uint32_t n_leaves = (uint32_t)leaves, internal = n_leaves - 1;
    /* The values must be there before num_leaves sizes any allocation. */
    const lgb_line *values = &b->key[KEY_LEAF_VALUE];
    size_t tokens = values->end > values->value ? 1 : 0;
    for (const char *v = values->value; v < values->end; v++)
        tokens += *v == ' ';
    if (tokens != n_leaves)
        return bad(r, &b->key[KEY_LEAF_VALUE], NULL, "leaf_value", NULL,
                   "expected %u values (num_leaves), found %zu", n_leaves, tokens);
    double *scratch = ph_malloc(r->ctx, (size_t)n_leaves * 5 * sizeof(double));
    if (!scratch || model_tree_alloc(r->ctx, t, 2 * n_leaves - 1, r->err) != PH_OK) {
        ph_free(r->ctx, scratch);
        return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory for a tree");
    }
    st = line_numbers(r, &b->key[KEY_LEAF_VALUE], "leaf_value", n_leaves, SYNTAX_FINITE, NULL,
                      0, t->value + internal);
    for (uint32_t j = 0; j < n_leaves; j++)
        t->left[internal + j] = t->right[internal + j] = -1;
    if (st == PH_OK && internal > 0)
        st = read_splits(r, b, n_features, n_leaves, scratch, t);
    else if (st == PH_OK && b->key[KEY_LEAF_COUNT].text &&
             b->key[KEY_LEAF_COUNT].end > b->key[KEY_LEAF_COUNT].value)
        st = line_numbers(r, &b->key[KEY_LEAF_COUNT], "leaf_count", 1, SYNTAX_FINITE,
                          check_count, 0, t->cover);
    ph_free(r->ctx, scratch);
    if (st == PH_OK)
        st = check_tree_shape(r, b, t);
    if (st == PH_OK && t->max_depth > model_lightgbm_limits.depth)
        st = bad_n(r, &b->head, b->head.value, "Tree", b->head.value, value_len(&b->head),
                   "the tree is %u levels deep, above the limit of %u levels", t->max_depth,
                   model_lightgbm_limits.depth);
    return st;
}

/*
 * Add tree t's largest |leaf value| to *sum, the bound on any margin: past
 * the limit, a sum of leaf values could overflow to infinity (and would
 * mean nothing long before). Tree `index` is b's.
 */
static ph_status bound_margin(const lgb_reader *r, const lgb_block *b, const model_tree *t,
                              size_t index, double *sum)
{
    double largest = 0.0, value = 0.0;
    for (uint32_t n = 0; n < t->n_nodes; n++)
        if (t->left[n] < 0 && fabs(t->value[n]) > largest)
            largest = fabs(value = t->value[n]);
    *sum += largest;
    if (*sum <= model_lightgbm_limits.margin)
        return PH_OK;
    char value_text[32], sum_text[32], limit_text[32];
    model_number_text(value, value_text, sizeof(value_text));
    model_number_text(*sum, sum_text, sizeof(sum_text));
    model_number_text(model_lightgbm_limits.margin, limit_text, sizeof(limit_text));
    return bad(r, &b->key[KEY_LEAF_VALUE], NULL, "leaf_value", value_text,
               "the largest |leaf value| of each tree, summed over trees 0 to %zu, is %s, "
               "above the limit of %s (a margin could overflow)", index, sum_text, limit_text);
}

/* Append a zeroed tree to the forest, growing its array. */
static model_tree *add_tree(const lgb_reader *r, model_forest *f, size_t *cap)
{
    if (f->n_trees == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        model_tree *nt = ph_realloc(r->ctx, f->trees, ncap * sizeof(model_tree));
        if (!nt)
            return NULL;
        f->trees = nt;
        *cap = ncap;
    }
    model_tree *t = &f->trees[f->n_trees++];
    memset(t, 0, sizeof(*t));
    return t;
}

static ph_status read_trees(lgb_reader *r, ph_model *m, lgb_line line)
{
    model_forest *f = ph_calloc(r->ctx, 1, sizeof(*f));
    if (!f)
        return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory for a model");
    m->forest = f;
    f->split_le = 1;
    f->base_margin = 0.0;
    size_t cap = 0;
    double margin_bound = 0.0;
    while (line.text && is_key(&line, "Tree")) {
        char index[32];
        snprintf(index, sizeof(index), "%zu", f->n_trees);
        if (value_len(&line) != strlen(index) || memcmp(line.value, index, strlen(index)) != 0)
            return bad_n(r, &line, line.value, "Tree", line.value, value_len(&line),
                         "expected Tree=%s (the trees in order)", index);
        if (f->n_trees == model_lightgbm_limits.trees)
            return bad(r, &line, line.value, "Tree", line.value,
                       "more than %zu trees, the limit on trees in a model",
                       model_lightgbm_limits.trees);
        lgb_block b = {.head = line};
        read_block(r, &b, &line);
        model_tree *t = add_tree(r, f, &cap);
        if (!t)
            return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory for a model");
        ph_status st = read_tree(r, &b, m->n_features, t);
        if (st == PH_OK)
            st = bound_margin(r, &b, t, f->n_trees - 1, &margin_bound);
        if (st != PH_OK)
            return st;
    }
    if (!line.text)
        return bad(r, NULL, NULL, NULL, NULL, "the text ends inside the trees, at line %llu: "
                   "expected an 'end of trees' line (is the file truncated?)",
                   (unsigned long long)r->line_number);
    return PH_OK;
}

ph_status model_load_lightgbm(const ph_ctx *ctx, const char *data, size_t len,
                              const char *source, ph_model **out, ph_error *err)
{
    const char *name = source ? source : "<memory>";
    if (len > model_lightgbm_limits.file_bytes) {
        ph_error_set(err, PH_EINVAL, NULL, NULL, "the LightGBM model is %zu bytes, above the "
                     "limit of %zu bytes (%zu MiB)", len, model_lightgbm_limits.file_bytes,
                     model_lightgbm_limits.file_bytes >> 20);
        ph_error_locate(err, name, 0, 0);
        return PH_EINVAL;
    }
    lgb_reader r = {ctx, name, err, NULL, NULL, NULL, 0};
    r.copy = ph_malloc(ctx, len + 1);
    if (!r.copy)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory reading a model");
    memcpy(r.copy, data, len);
    r.copy[len] = '\0';
    r.next = r.copy;
    r.end = r.copy + len;
    ph_model *m = NULL;
    lgb_line first = {0};
    ph_status st = model_alloc(ctx, PH_MODEL_LIGHTGBM, name, &m, err);
    if (st == PH_OK)
        st = read_header(&r, m, &first);
    if (st == PH_OK)
        st = read_trees(&r, m, first);
    if (st == PH_OK)
        st = model_forest_compile(ctx, m, err);
    ph_free(ctx, r.copy);
    if (st != PH_OK) {
        ph_model_free(m);
        return st;
    }
    *out = m;
    return PH_OK;
}
