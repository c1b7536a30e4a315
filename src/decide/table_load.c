/*
 * Policy documents: reading decision tables from JSON. Every error says
 * where the bad part is - the file, the table, the 1-based rule and cell or
 * output with its column name - and what was expected, because a lender's
 * analyst who writes the policy has only the message to go on.
 */
#include "table_internal.h"
#include "members.h"

#include "json/json_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct ph_dtable_set {
    const ph_ctx *ctx;
    ph_dtable **tables;
    size_t n_tables;
};

static const char *const TABLE_MEMBERS[] = {"name", "inputs", "outputs", "rules",
                                             "hit_policy", "aggregation", NULL};
static const char *const COLUMN_MEMBERS[] = {"name", "kind", "priority", NULL};
static const char *const RULE_MEMBERS[] = {"when", "then", "reason", NULL};

static ph_status fail(ph_error *err, ph_status code, const char *fmt, ...) PH_PRINTF(3, 4);

static ph_status fail(ph_error *err, ph_status code, const char *fmt, ...)
{
    char detail[PH_ERROR_DETAIL_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    return ph_error_set(err, code, NULL, NULL, "%s", detail);
}

/* A JSON value as a message shows it: "\"D\"", 600, 0.5, true, an array. */
static void describe(const json_t *j, char *buf, size_t size)
{
    switch (json_typeof(j)) {
    case JSON_STRING: snprintf(buf, size, "\"%.80s\"", json_string_value(j)); break;
    case JSON_INTEGER: snprintf(buf, size, "%lld", (long long)json_integer_value(j)); break;
    case JSON_REAL: snprintf(buf, size, "the JSON number %.17g", json_real_value(j)); break;
    case JSON_TRUE: snprintf(buf, size, "true"); break;
    case JSON_FALSE: snprintf(buf, size, "false"); break;
    case JSON_NULL: snprintf(buf, size, "null"); break;
    case JSON_ARRAY: snprintf(buf, size, "an array"); break;
    case JSON_OBJECT: snprintf(buf, size, "an object"); break;
    }
}

static int lookup_name(const char *text, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(text, names[i]) == 0)
            return (int)i;
    return -1;
}

/* ---- values ------------------------------------------------------------------ */

/* Read a literal output or priority value of `kind`. Text borrows from j. */
static ph_status read_value(const json_t *j, ph_value_kind kind, const char *where,
                            ph_value *out, ph_error *err)
{
    char shown[128];
    describe(j, shown, sizeof(shown));
    if (json_is_null(j)) {
        *out = ph_value_null();
        return PH_OK;
    }
    if (kind == PH_VALUE_TEXT && json_is_string(j)) {
        out->kind = PH_VALUE_TEXT;
        out->as.text.ptr = json_string_value(j);
        out->as.text.len = json_string_length(j);
        return PH_OK;
    }
    if (kind == PH_VALUE_BOOL && json_is_boolean(j)) {
        *out = ph_value_bool(json_is_true(j));
        return PH_OK;
    }
    if (kind == PH_VALUE_DECIMAL && json_is_string(j)) {
        ph_decimal d;
        if (ph_decimal_parse(json_string_value(j), json_string_length(j), &d, NULL) == PH_OK) {
            *out = ph_value_decimal(d);
            return PH_OK;
        }
    }
    if (kind == PH_VALUE_DECIMAL && json_is_integer(j)) {
        ph_decimal d;
        if (!__builtin_mul_overflow((ph_decimal)json_integer_value(j), PH_DECIMAL_ONE, &d)) {
            *out = ph_value_decimal(d);
            return PH_OK;
        }
    }
    static const char *const expected[] = {
        [PH_VALUE_DECIMAL] = "a decimal as a string (\"0.85%\", \"1,000.50\") or an integer "
                             "(JSON reals are refused: they went through a double)",
        [PH_VALUE_TEXT] = "a string",
        [PH_VALUE_BOOL] = "true or false",
    };
    return fail(err, PH_EINVAL, "%s: expected %s, got %s", where,
                kind <= PH_VALUE_TEXT && expected[kind] ? expected[kind] : "a value", shown);
}

/* ---- columns --------------------------------------------------------------------- */

static ph_status read_kind(const json_t *col, const char *where, ph_value_kind *out,
                           ph_error *err)
{
    static const char *const kinds[] = {"decimal", "text", "bool"};
    static const ph_value_kind values[] = {PH_VALUE_DECIMAL, PH_VALUE_TEXT, PH_VALUE_BOOL};
    const json_t *j = json_object_get(col, "kind");
    int k = json_is_string(j) ? lookup_name(json_string_value(j), kinds, 3) : -1;
    if (k < 0) {
        char shown[128] = "nothing";
        if (j != NULL)
            describe(j, shown, sizeof(shown));
        return fail(err, PH_EINVAL, "%s: kind: expected \"decimal\", \"text\" or \"bool\", got %s",
                    where, shown);
    }
    *out = values[k];
    return PH_OK;
}

/* Fill cols[i] from the array member `role`s ("inputs"/"outputs"). Priority
 * arrays are allocated in *scratch (one block for the whole table). */
static ph_status read_columns(const ph_ctx *ctx, const json_t *table, const char *tname,
                              const char *role, ph_dtable_column **out, size_t *n_out,
                              ph_value **scratch, ph_error *err)
{
    const json_t *arr = json_object_get(table, role);
    if (!json_is_array(arr))
        return fail(err, PH_EINVAL, "table '%s': expected \"%s\": an array of {\"name\", "
                    "\"kind\"}", tname, role);
    size_t n = json_array_size(arr), n_priority = 0;
    for (size_t i = 0; i < n; i++)
        n_priority += json_array_size(json_object_get(json_array_get(arr, i), "priority"));
    ph_dtable_column *cols = n ? ph_calloc(ctx, n, sizeof(*cols)) : NULL;
    ph_value *prio = n_priority ? ph_calloc(ctx, n_priority, sizeof(*prio)) : NULL;
    *out = cols;
    *scratch = prio;
    if ((n && cols == NULL) || (n_priority && prio == NULL))
        return fail(err, PH_ENOMEM, "out of memory");
    *n_out = n;
    const char *singular = role[0] == 'i' ? "input" : "output";
    for (size_t i = 0; i < n; i++) {
        const json_t *col = json_array_get(arr, i);
        char where[192];
        snprintf(where, sizeof(where), "table '%s', %s %zu", tname, singular, i + 1);
        if (!json_is_object(col))
            return fail(err, PH_EINVAL, "%s: expected an object {\"name\", \"kind\"}", where);
        ph_status st = decide_check_members(col, COLUMN_MEMBERS, where, err);
        const json_t *name = json_object_get(col, "name");
        if (st == PH_OK && !json_is_string(name))
            return fail(err, PH_EINVAL, "%s: expected a \"name\" string", where);
        if (st == PH_OK) {
            cols[i].name = json_string_value(name);
            snprintf(where, sizeof(where), "table '%s', %s %zu (%s)", tname, singular, i + 1,
                     cols[i].name);
            st = read_kind(col, where, &cols[i].kind, err);
        }
        const json_t *list = json_object_get(col, "priority");
        if (st == PH_OK && list != NULL && (role[0] == 'i' || !json_is_array(list)))
            return fail(err, PH_EINVAL, "%s: priority: expected an array of the %s's values, "
                        "highest first", where, singular);
        cols[i].priority = prio;
        for (size_t k = 0; st == PH_OK && k < json_array_size(list); k++) {
            char at[256];
            snprintf(at, sizeof(at), "%s, priority value %zu", where, k + 1);
            st = read_value(json_array_get(list, k), cols[i].kind, at, prio++, err);
            cols[i].priority_count++;
        }
        if (st != PH_OK)
            return st;
    }
    return PH_OK;
}

/* ---- rules ------------------------------------------------------------------------- */

typedef struct rule_scratch {
    const char **cells;
    char (*numbers)[32]; /* integer and bool cells as text */
    ph_value *values;
} rule_scratch;

static ph_status read_cells(const ph_dtable *t, const json_t *when, size_t r,
                            rule_scratch *s, ph_error *err)
{
    size_t n = t->n_inputs;
    if (!json_is_array(when) || json_array_size(when) != n) {
        char names[256] = "";
        for (size_t i = 0; i < n; i++) {
            strncat(names, i ? ", " : "", sizeof(names) - strlen(names) - 1);
            strncat(names, t->inputs[i].name, sizeof(names) - strlen(names) - 1);
        }
        if (!json_is_array(when))
            return fail(err, PH_EINVAL, "table '%s', rule %zu: expected \"when\": an array of "
                        "%zu cells (one per input: %s)", t->name, r + 1, n, names);
        return fail(err, PH_EINVAL, "table '%s', rule %zu: expected %zu cells (one per input: "
                    "%s), got %zu", t->name, r + 1, n, names, json_array_size(when));
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *c = json_array_get(when, i);
        if (json_is_string(c)) {
            s->cells[i] = json_string_value(c);
        } else if (json_is_integer(c)) {
            snprintf(s->numbers[i], sizeof(s->numbers[i]), "%lld",
                     (long long)json_integer_value(c));
            s->cells[i] = s->numbers[i];
        } else if (json_is_boolean(c)) {
            s->cells[i] = json_is_true(c) ? "true" : "false";
        } else {
            char shown[128];
            describe(c, shown, sizeof(shown));
            return fail(err, PH_EINVAL, "table '%s', rule %zu, cell %zu (%s): expected a string "
                        "(a unary test such as \"< 600\" or \"-\"), an integer or true/false, "
                        "got %s", t->name, r + 1, i + 1, t->inputs[i].name, shown);
        }
    }
    return PH_OK;
}

static ph_status read_rule(ph_dtable *t, const json_t *rule, size_t r, rule_scratch *s,
                           ph_error *err)
{
    char where[192];
    snprintf(where, sizeof(where), "table '%s', rule %zu", t->name, r + 1);
    if (!json_is_object(rule))
        return fail(err, PH_EINVAL, "%s: expected an object {\"when\", \"then\"}", where);
    ph_status st = decide_check_members(rule, RULE_MEMBERS, where, err);
    if (st == PH_OK)
        st = read_cells(t, json_object_get(rule, "when"), r, s, err);
    if (st != PH_OK)
        return st;
    const json_t *then = json_object_get(rule, "then");
    if (!json_is_array(then))
        return fail(err, PH_EINVAL, "%s: expected \"then\": an array of %zu output values",
                    where, t->n_outputs);
    if (json_array_size(then) != t->n_outputs)
        return fail(err, PH_EINVAL, "%s: expected %zu output values (one per output), got %zu",
                    where, t->n_outputs, json_array_size(then));
    for (size_t i = 0; i < t->n_outputs; i++) {
        char at[256];
        snprintf(at, sizeof(at), "%s, output %zu (%s)", where, i + 1, t->outputs[i].name);
        st = read_value(json_array_get(then, i), t->outputs[i].kind, at, &s->values[i], err);
        if (st != PH_OK)
            return st;
    }
    const json_t *reason = json_object_get(rule, "reason");
    if (reason != NULL && !json_is_string(reason))
        return fail(err, PH_EINVAL, "%s: reason: expected a string (a reason code)", where);
    return ph_dtable_add_rule(t, s->cells, s->values, reason ? json_string_value(reason) : NULL,
                              err);
}

static ph_status read_rules(ph_dtable *t, const json_t *rules, ph_error *err)
{
    if (!json_is_array(rules))
        return fail(err, PH_EINVAL, "table '%s': expected \"rules\": an array of {\"when\", "
                    "\"then\"}", t->name);
    const ph_ctx *ctx = t->ctx;
    size_t n_in = t->n_inputs ? t->n_inputs : 1, n_out = t->n_outputs ? t->n_outputs : 1;
    rule_scratch s = {
        .cells = ph_calloc(ctx, n_in, sizeof(*s.cells)),
        .numbers = ph_calloc(ctx, n_in, sizeof(*s.numbers)),
        .values = ph_calloc(ctx, n_out, sizeof(*s.values)),
    };
    ph_status st = s.cells && s.numbers && s.values ? PH_OK : fail(err, PH_ENOMEM, "out of memory");
    for (size_t r = 0; st == PH_OK && r < json_array_size(rules); r++)
        st = read_rule(t, json_array_get(rules, r), r, &s, err);
    ph_free(ctx, s.cells);
    ph_free(ctx, s.numbers);
    ph_free(ctx, s.values);
    return st;
}

/* ---- tables ---------------------------------------------------------------------- */

static ph_status read_policy(const json_t *table, const char *tname, ph_hit_policy *hit,
                             ph_aggregation *agg, ph_error *err)
{
    static const char *const hits[] = {"FIRST", "UNIQUE", "PRIORITY", "ANY", "COLLECT"};
    static const char *const aggs[] = {"NONE", "SUM", "MIN", "MAX", "COUNT"};
    const json_t *h = json_object_get(table, "hit_policy");
    int k = json_is_string(h) ? lookup_name(json_string_value(h), hits, 5) : -1;
    if (k < 0) {
        char shown[128] = "nothing";
        if (h != NULL)
            describe(h, shown, sizeof(shown));
        return fail(err, PH_EINVAL, "table '%s': hit_policy: expected one of FIRST, UNIQUE, "
                    "PRIORITY, ANY, COLLECT, got %s", tname, shown);
    }
    *hit = (ph_hit_policy)k;
    *agg = PH_AGG_NONE;
    const json_t *a = json_object_get(table, "aggregation");
    if (a == NULL)
        return PH_OK;
    k = json_is_string(a) ? lookup_name(json_string_value(a), aggs, 5) : -1;
    if (k < 0) {
        char shown[128];
        describe(a, shown, sizeof(shown));
        return fail(err, PH_EINVAL, "table '%s': aggregation: expected one of SUM, MIN, MAX, "
                    "COUNT, got %s", tname, shown);
    }
    *agg = (ph_aggregation)k;
    return PH_OK;
}

static ph_status read_table(const ph_ctx *ctx, const json_t *table, size_t index,
                            ph_dtable **out, ph_error *err)
{
    if (!json_is_object(table))
        return fail(err, PH_EINVAL, "table %zu: expected an object {\"name\", \"hit_policy\", "
                    "\"inputs\", \"outputs\", \"rules\"}", index + 1);
    const json_t *name = json_object_get(table, "name");
    if (!json_is_string(name) || json_string_length(name) == 0)
        return fail(err, PH_EINVAL, "table %zu: expected a \"name\" string", index + 1);
    const char *tname = json_string_value(name);
    char where[160];
    snprintf(where, sizeof(where), "table '%s'", tname);
    ph_hit_policy hit = PH_HIT_FIRST;
    ph_aggregation agg = PH_AGG_NONE;
    ph_dtable_column *inputs = NULL, *outputs = NULL;
    ph_value *prio_in = NULL, *prio_out = NULL;
    size_t n_in = 0, n_out = 0;
    ph_status st = decide_check_members(table, TABLE_MEMBERS, where, err);
    if (st == PH_OK)
        st = read_policy(table, tname, &hit, &agg, err);
    if (st == PH_OK)
        st = read_columns(ctx, table, tname, "inputs", &inputs, &n_in, &prio_in, err);
    if (st == PH_OK)
        st = read_columns(ctx, table, tname, "outputs", &outputs, &n_out, &prio_out, err);
    ph_dtable *t = NULL;
    if (st == PH_OK)
        st = ph_dtable_new(ctx, tname, hit, agg, inputs, n_in, outputs, n_out, &t, err);
    if (st == PH_OK)
        st = read_rules(t, json_object_get(table, "rules"), err);
    ph_free(ctx, inputs);
    ph_free(ctx, outputs);
    ph_free(ctx, prio_in);
    ph_free(ctx, prio_out);
    if (st != PH_OK) {
        ph_dtable_free(t);
        return st;
    }
    *out = t;
    return PH_OK;
}

static ph_status read_document(const ph_ctx *ctx, const json_t *root, ph_dtable_set *set,
                               ph_error *err)
{
    const json_t *tables = json_is_object(root) ? json_object_get(root, "tables") : NULL;
    if (!json_is_array(tables))
        return fail(err, PH_EINVAL, "expected a JSON object with a \"tables\" array");
    size_t n = json_array_size(tables);
    set->tables = n ? ph_calloc(ctx, n, sizeof(*set->tables)) : NULL;
    if (n && set->tables == NULL)
        return fail(err, PH_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        ph_dtable *t = NULL;
        ph_status st = read_table(ctx, json_array_get(tables, i), i, &t, err);
        if (st != PH_OK)
            return st;
        set->tables[set->n_tables++] = t;
        for (size_t k = 0; k < i; k++)
            if (strcmp(set->tables[k]->name, t->name) == 0)
                return fail(err, PH_EINVAL, "table '%s' is defined twice (tables %zu and %zu)",
                            t->name, k + 1, i + 1);
    }
    return PH_OK;
}

ph_status dt_set_from_json(const ph_ctx *ctx, const json_t *root, const char *source,
                           ph_dtable_set **out, ph_error *err)
{
    ph_dtable_set *set = ph_calloc(ctx, 1, sizeof(*set));
    if (set == NULL)
        return fail(err, PH_ENOMEM, "out of memory");
    set->ctx = ctx;
    ph_status st = read_document(ctx, root, set, err);
    if (st != PH_OK) {
        ph_error_locate(err, source, 0, 0);
        ph_dtable_set_free(set);
        return st;
    }
    *out = set;
    return PH_OK;
}

/* dt_set_from_json, then release the parsed document. */
static ph_status load_json(const ph_ctx *ctx, json_t *root, const char *source,
                           ph_dtable_set **out, ph_error *err)
{
    ph_status st = dt_set_from_json(ctx, root, source, out, err);
    json_decref(root);
    return st;
}

ph_status ph_dtable_set_load_file(const ph_ctx *ctx, const char *path, ph_dtable_set **out,
                                  ph_error *err)
{
    if (ctx == NULL || path == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_dtable_set_load_file: NULL argument");
    json_t *root;
    ph_status st = pjson_load_file(path, &root, err);
    if (st != PH_OK)
        return st;
    return load_json(ctx, root, path, out, err);
}

ph_status ph_dtable_set_load_text(const ph_ctx *ctx, const char *text, size_t len,
                                  const char *source, ph_dtable_set **out, ph_error *err)
{
    if (ctx == NULL || text == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_dtable_set_load_text: NULL argument");
    if (source == NULL)
        source = "policy";
    json_t *root;
    ph_status st = pjson_load_text(text, len, source, &root, err);
    if (st != PH_OK)
        return st;
    return load_json(ctx, root, source, out, err);
}

const ph_dtable *ph_dtable_set_find(const ph_dtable_set *set, const char *name)
{
    for (size_t i = 0; set && name && i < set->n_tables; i++)
        if (strcmp(set->tables[i]->name, name) == 0)
            return set->tables[i];
    return NULL;
}

size_t ph_dtable_set_count(const ph_dtable_set *set)
{
    return set ? set->n_tables : 0;
}

const ph_dtable *ph_dtable_set_at(const ph_dtable_set *set, size_t i)
{
    return set && i < set->n_tables ? set->tables[i] : NULL;
}

void ph_dtable_set_free(ph_dtable_set *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->n_tables; i++)
        ph_dtable_free(set->tables[i]);
    ph_free(set->ctx, set->tables);
    ph_free(set->ctx, set);
}
