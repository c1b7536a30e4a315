/*
 * Early-warning rule sets: the JSON document compiled (warning.h,
 * docs/warning.md#rule-sets).
 *
 * A rule set is data a risk officer edits, so every mistake is reported
 * where it is: the member's path, its line and column in the text, the value
 * and what was expected. Conditions are policy expressions compiled here
 * once against the variables the rule's kind provides; nothing about a rule
 * is decided at evaluation time except the values.
 */
#include "monitor/monitor_internal.h"

#include <jansson.h>
#include <stdio.h>

#include "json/json_internal.h"

typedef struct loader {
    const char *text;
    size_t len;
    const char *source;
    pjson_step path[4];
    size_t depth;
} loader;

/* Locate the error at the deepest step of the current path the text has. */
static ph_status locate(const loader *ld, ph_status st, ph_error *err)
{
    uint64_t line = 0, column = 0;
    for (size_t n = ld->depth + 1; n-- > 0;)
        if (pjson_locate(ld->text, ld->len, ld->path, n, &line, &column))
            break;
    ph_error_locate(err, ld->source, line, column);
    return st;
}

static void at_member(loader *ld, size_t depth, const char *key)
{
    ld->path[depth].key = key;
    ld->depth = depth + 1;
}

static void at_index(loader *ld, size_t depth, size_t index)
{
    ld->path[depth].key = NULL;
    ld->path[depth].index = index;
    ld->depth = depth + 1;
}

static const char *const TOP_MEMBERS[] = {"name", "version", "description", "levels", "rules",
                                          NULL};
static const char *const LEVEL_MEMBERS[] = {"memory_days", "calm_days", "red_when_yellow_rules",
                                            NULL};
static const char *const CALM_MEMBERS[] = {"yellow", "red", NULL};
static const char *const WINDOW_MEMBERS[] = {
    "id", "title", "kind", "feed", "field", "aggregate", "period", "window", "compare",
    "baseline", "min_peers", "when", "consecutive", "level", "action", NULL};
static const char *const EVENT_MEMBERS[] = {"id", "title", "kind", "feed", "when", "count",
                                            "repeat_days", "level", "action", NULL};
static const char *const COUNT_MEMBERS[] = {"at_least", "days", NULL};
static const char *const GRAPH_MEMBERS[] = {"id",     "title",  "kind",        "on",
                                            "levels", "action", "repeat_days", NULL};

/* pjson_check_members, with the unknown key located. */
static ph_status check_members(loader *ld, size_t depth, const json_t *o, const char *path,
                               const char *const *allowed, ph_error *err)
{
    const char *unknown = NULL;
    ph_status st = pjson_check_members(o, path, allowed, &unknown, err);
    if (st != PH_OK) {
        if (unknown != NULL)
            at_member(ld, depth, unknown);
        return locate(ld, st, err);
    }
    return PH_OK;
}

/* An integer member in [lo, hi], `def` when absent (def < lo: required). */
static ph_status get_int(loader *ld, size_t depth, const json_t *o, const char *path,
                         const char *key, int64_t lo, int64_t hi, int64_t def, int *out,
                         ph_error *err)
{
    int64_t v = def;
    at_member(ld, depth, key);
    ph_status st = def < lo ? pjson_get_int(o, path, key, &v, err)
                            : pjson_opt_int(o, path, key, &v, err);
    if (st == PH_OK && (v < lo || v > hi)) {
        char name[128], value[32];
        pjson_member_name(path, key, name, sizeof(name));
        snprintf(value, sizeof(value), "%lld", (long long)v);
        st = ph_error_set(err, PH_EINVAL, name, value, "expected a whole number from %lld to %lld",
                          (long long)lo, (long long)hi);
    }
    if (st != PH_OK)
        return locate(ld, st, err);
    *out = (int)v;
    return PH_OK;
}

/* A string member that must be one of names[] (NULL-terminated); *out its
 * index; `def` when absent (-1: required). */
static ph_status get_choice(loader *ld, size_t depth, const json_t *o, const char *path,
                            const char *key, const char *const *names, int def, int *out,
                            ph_error *err)
{
    const char *s = NULL;
    at_member(ld, depth, key);
    ph_status st = def < 0 ? pjson_get_string(o, path, key, &s, err)
                           : pjson_opt_string(o, path, key, &s, err);
    if (st != PH_OK)
        return locate(ld, st, err);
    if (s == NULL) {
        *out = def;
        return PH_OK;
    }
    char expected[256] = "";
    for (int i = 0; names[i] != NULL; i++) {
        if (strcmp(names[i], s) == 0) {
            *out = i;
            return PH_OK;
        }
        snprintf(expected + strlen(expected), sizeof(expected) - strlen(expected), "%s%s",
                 i ? ", " : "", names[i]);
    }
    char name[128];
    pjson_member_name(path, key, name, sizeof(name));
    ph_error_set(err, PH_EINVAL, name, s, "expected one of %s", expected);
    return locate(ld, PH_EINVAL, err);
}

static const char *const LEVEL_NAMES[] = {"green", "yellow", "red", NULL};
static const char *const ACTION_NAMES[] = {"alert", "inspection", "pause_draws", "freeze", NULL};
static const char *const KIND_NAMES[] = {"window", "event", "graph", NULL};
static const char *const AGG_NAMES[] = {"sum", "mean", "min", "max", "count", NULL};
static const char *const PERIOD_NAMES[] = {"day", "week", NULL};
static const char *const CMP_NAMES[] = {"baseline", "peers", "threshold", NULL};

const char *ph_warn_level_name(ph_warn_level level)
{
    return (unsigned)level <= PH_WARN_RED ? LEVEL_NAMES[level] : NULL;
}

int ph_warn_level_parse(const char *name)
{
    for (int i = 0; name != NULL && LEVEL_NAMES[i] != NULL; i++)
        if (strcmp(LEVEL_NAMES[i], name) == 0)
            return i;
    return -1;
}

const char *ph_warn_action_name(ph_warn_action action)
{
    return (unsigned)action <= PH_WARN_FREEZE ? ACTION_NAMES[action] : NULL;
}

int ph_warn_action_parse(const char *name)
{
    for (int i = 0; name != NULL && ACTION_NAMES[i] != NULL; i++)
        if (strcmp(ACTION_NAMES[i], name) == 0)
            return i;
    return -1;
}

/* "expected a feed serving monitoring: a, b, c" */
static ph_status unknown_feed(loader *ld, const char *member, const char *value, ph_error *err)
{
    char expected[512] = "";
    for (size_t i = 0; i < ph_warn_feed_count(); i++)
        snprintf(expected + strlen(expected), sizeof(expected) - strlen(expected), "%s%s",
                 i ? ", " : "", ph_warn_feed_at(i)->name);
    ph_error_set(err, PH_EINVAL, member, value, "expected a feed serving monitoring: %s",
                 expected);
    return locate(ld, PH_EINVAL, err);
}

static ph_status get_feed(loader *ld, const json_t *o, const char *path, warn_rule *r,
                          ph_error *err)
{
    const char *s = NULL;
    at_member(ld, 2, "feed");
    ph_status st = pjson_get_string(o, path, "feed", &s, err);
    if (st != PH_OK)
        return locate(ld, st, err);
    r->feed = ph_warn_feed_index(s);
    if (r->feed < 0) {
        char name[128];
        pjson_member_name(path, "feed", name, sizeof(name));
        return unknown_feed(ld, name, s, err);
    }
    r->info.feed = ph_warn_feed_at((size_t)r->feed)->name;
    r->nfields = (int)ph_warn_field_count((size_t)r->feed);
    return PH_OK;
}

/* Compile `when` against `sym`, the expression's error located at the member. */
static ph_status compile_when(loader *ld, const ph_ctx *ctx, const json_t *o, const char *path,
                              const ph_expr_symbols *sym, warn_rule *r, ph_error *err)
{
    const char *s = NULL;
    at_member(ld, 2, "when");
    ph_status st = pjson_get_string(o, path, "when", &s, err);
    if (st != PH_OK)
        return locate(ld, st, err);
    char where[160];
    snprintf(where, sizeof(where), "%s: %s.when", ld->source, path);
    st = ph_expr_compile(sym, s, where, &r->when, err);
    if (st != PH_OK) {
        uint64_t column = err != NULL ? err->column : 0, line = 0, at = 0;
        /* the member's line; the column inside the expression stays in the detail */
        if (pjson_locate(ld->text, ld->len, ld->path, ld->depth, &line, &at))
            ph_error_locate(err, ld->source, line, at);
        if (err != NULL)
            err->column = column ? column : at;
        return st;
    }
    ph_value_kind kind = ph_expr_result_kind(r->when);
    if (kind != PH_VALUE_BOOL && kind != PH_VALUE_NULL) {
        char name[128];
        pjson_member_name(path, "when", name, sizeof(name));
        return locate(ld, ph_error_set(err, PH_EINVAL, name, s,
                                       "expected a condition (true or false), got a %s",
                                       ph_value_kind_name(kind)),
                      err);
    }
    r->info.when = ph_expr_text(r->when);
    (void)ctx;
    return PH_OK;
}

static ph_status add_symbol(ph_expr_symbols *sym, const char *name, ph_value_kind kind, int *slot,
                            ph_error *err)
{
    size_t s = 0;
    ph_status st = ph_expr_symbols_add(sym, name, kind, &s, err);
    *slot = (int)s;
    return st;
}

static ph_status load_window(loader *ld, const ph_ctx *ctx, const json_t *o, const char *path,
                             warn_rule *r, ph_error *err)
{
    ph_status st = check_members(ld, 2, o, path, WINDOW_MEMBERS, err);
    int agg = 0, period = 0, cmp = 0;
    if (st == PH_OK)
        st = get_feed(ld, o, path, r, err);
    if (st == PH_OK)
        st = get_choice(ld, 2, o, path, "aggregate", AGG_NAMES, -1, &agg, err);
    r->agg = (warn_agg)agg;
    r->field = -1;
    if (st == PH_OK && (r->agg != AGG_COUNT || json_object_get(o, "field") != NULL)) {
        const char *s = NULL;
        at_member(ld, 2, "field");
        st = pjson_get_string(o, path, "field", &s, err);
        if (st == PH_OK) {
            r->field = warn_field_index((size_t)r->feed, s);
            const ph_feed_column *col =
                r->field >= 0 ? ph_warn_field_at((size_t)r->feed, (size_t)r->field) : NULL;
            if (col == NULL || col->type == PH_FIELD_ENUM) {
                char name[128], expected[256] = "";
                for (size_t i = 0; i < (size_t)r->nfields; i++) {
                    const ph_feed_column *c = ph_warn_field_at((size_t)r->feed, i);
                    if (c->type != PH_FIELD_ENUM)
                        snprintf(expected + strlen(expected), sizeof(expected) - strlen(expected),
                                 "%s%s", expected[0] ? ", " : "", c->name);
                }
                pjson_member_name(path, "field", name, sizeof(name));
                st = ph_error_set(err, PH_EINVAL, name, s, "expected a numeric field of %s: %s",
                                  r->info.feed, expected);
            } else {
                r->field_type = col->type;
            }
        }
        if (st != PH_OK)
            return locate(ld, st, err);
    }
    if (st == PH_OK)
        st = get_choice(ld, 2, o, path, "period", PERIOD_NAMES, -1, &period, err);
    r->period_days = period == 0 ? 1 : 7;
    if (st == PH_OK)
        st = get_int(ld, 2, o, path, "window", 1, period == 0 ? 366 : 52, 1, &r->window, err);
    if (st == PH_OK)
        st = get_choice(ld, 2, o, path, "compare", CMP_NAMES, -1, &cmp, err);
    r->cmp = (warn_cmp)cmp;
    /* a baseline is required to compare with it, optional with peers (each
     * firm then counts as its value over its own baseline, so a small plant is
     * not "below its peers" for being small), and meaningless with a threshold */
    if (st == PH_OK && r->cmp != CMP_THRESHOLD)
        st = get_int(ld, 2, o, path, "baseline", 1, period == 0 ? 366 : 52,
                     r->cmp == CMP_BASELINE ? 0 : 1, &r->baseline, err);
    if (st == PH_OK && r->cmp == CMP_PEERS && json_object_get(o, "baseline") == NULL)
        r->baseline = 0;
    if (st == PH_OK && r->cmp == CMP_THRESHOLD && json_object_get(o, "baseline") != NULL) {
        at_member(ld, 2, "baseline");
        st = locate(ld, ph_error_set(err, PH_EINVAL, "baseline", NULL,
                                     "a baseline length needs \"compare\": \"baseline\" or "
                                     "\"peers\""),
                    err);
    }
    if (st == PH_OK)
        st = get_int(ld, 2, o, path, "min_peers", 2, 100000, 5, &r->min_peers, err);
    if (st == PH_OK)
        st = get_int(ld, 2, o, path, "consecutive", 1, 366, 1, &r->consecutive, err);
    ph_expr_symbols *sym = NULL;
    if (st == PH_OK)
        st = ph_expr_symbols_new(ctx, &sym, err);
    static const char *const VARS[WV_COUNT] = {"value", "baseline", "peers",
                                               "ratio", "change",   "events"};
    for (int i = 0; st == PH_OK && i < WV_COUNT; i++) {
        int slot = 0;
        st = add_symbol(sym, VARS[i], PH_VALUE_DECIMAL, &slot, err);
    }
    r->nslots = WV_COUNT;
    if (st == PH_OK)
        st = compile_when(ld, ctx, o, path, sym, r, err);
    ph_expr_symbols_free(sym);
    return st;
}

static ph_status load_event(loader *ld, const ph_ctx *ctx, const json_t *o, const char *path,
                            warn_rule *r, ph_error *err)
{
    ph_status st = check_members(ld, 2, o, path, EVENT_MEMBERS, err);
    if (st == PH_OK)
        st = get_feed(ld, o, path, r, err);
    r->count_at_least = 1;
    r->count_days = 1;
    json_t *count = json_object_get(o, "count");
    if (st == PH_OK && count != NULL) {
        char cpath[96];
        snprintf(cpath, sizeof(cpath), "%s.count", path);
        at_member(ld, 2, "count");
        if (!json_is_object(count))
            return locate(ld, ph_error_set(err, PH_EINVAL, cpath, pjson_type_name(count),
                                           "expected an object {\"at_least\": N, \"days\": D}"),
                          err);
        st = check_members(ld, 3, count, cpath, COUNT_MEMBERS, err);
        if (st == PH_OK)
            st = get_int(ld, 3, count, cpath, "at_least", 1, WARN_COUNT_MAX, 0,
                         &r->count_at_least, err);
        if (st == PH_OK)
            st = get_int(ld, 3, count, cpath, "days", 1, 366, 0, &r->count_days, err);
    }
    if (st == PH_OK)
        st = get_int(ld, 2, o, path, "repeat_days", 0, 366, 30, &r->repeat_days, err);
    ph_expr_symbols *sym = NULL;
    if (st == PH_OK)
        st = ph_expr_symbols_new(ctx, &sym, err);
    for (int i = 0; st == PH_OK && i < r->nfields; i++) {
        const ph_feed_column *col = ph_warn_field_at((size_t)r->feed, (size_t)i);
        int is_enum = col->type == PH_FIELD_ENUM;
        char name[PH_EXPR_NAME_MAX + 1];
        r->slot_rank[i] = r->slot_prev_rank[i] = -1;
        st = add_symbol(sym, col->name, is_enum ? PH_VALUE_TEXT : PH_VALUE_DECIMAL,
                        &r->slot_val[i], err);
        snprintf(name, sizeof(name), "prev_%s", col->name);
        if (st == PH_OK)
            st = add_symbol(sym, name, is_enum ? PH_VALUE_TEXT : PH_VALUE_DECIMAL,
                            &r->slot_prev[i], err);
        if (st == PH_OK && is_enum) {
            snprintf(name, sizeof(name), "%s_rank", col->name);
            st = add_symbol(sym, name, PH_VALUE_DECIMAL, &r->slot_rank[i], err);
            snprintf(name, sizeof(name), "prev_%s_rank", col->name);
            if (st == PH_OK)
                st = add_symbol(sym, name, PH_VALUE_DECIMAL, &r->slot_prev_rank[i], err);
        }
    }
    if (st == PH_OK)
        st = add_symbol(sym, "days_since_prev", PH_VALUE_DECIMAL, &r->slot_days_since, err);
    if (st == PH_OK) {
        r->nslots = ph_expr_symbols_count(sym);
        st = compile_when(ld, ctx, o, path, sym, r, err);
    }
    ph_expr_symbols_free(sym);
    return st;
}

/* A graph rule's "on" names rules defined before it. */
static ph_status load_graph(loader *ld, const json_t *o, const char *path, ph_warn_rules *set,
                            size_t self, ph_error *err)
{
    warn_rule *r = &set->rule[self];
    ph_status st = check_members(ld, 2, o, path, GRAPH_MEMBERS, err);
    json_t *on = NULL, *levels = NULL;
    char name[128];
    if (st == PH_OK) {
        at_member(ld, 2, "on");
        st = pjson_get_array(o, path, "on", &on, err);
        if (st == PH_OK && (json_array_size(on) == 0 || json_array_size(on) > WARN_GRAPH_MAX)) {
            pjson_member_name(path, "on", name, sizeof(name));
            st = ph_error_set(err, PH_EINVAL, name, NULL,
                              "expected 1 to %d ids of rules defined before this one",
                              WARN_GRAPH_MAX);
        }
        if (st != PH_OK)
            return locate(ld, st, err);
    }
    for (size_t i = 0; st == PH_OK && i < json_array_size(on); i++) {
        const char *id = json_string_value(json_array_get(on, i));
        int found = -1;
        for (size_t j = 0; id != NULL && j < self; j++)
            if (strcmp(set->rule[j].info.id, id) == 0 &&
                set->rule[j].info.kind != PH_WARN_RULE_GRAPH)
                found = (int)j;
        if (found < 0) {
            at_index(ld, 3, i);
            snprintf(name, sizeof(name), "%s.on[%zu]", path, i);
            return locate(ld, ph_error_set(err, PH_EINVAL, name, id,
                                           "expected the id of a window or event rule defined "
                                           "before this one"),
                          err);
        }
        r->on[r->on_count++] = found;
    }
    if (st == PH_OK) {
        at_member(ld, 2, "levels");
        st = pjson_get_array(o, path, "levels", &levels, err);
        if (st == PH_OK &&
            (json_array_size(levels) == 0 || json_array_size(levels) > WARN_GRAPH_MAX)) {
            pjson_member_name(path, "levels", name, sizeof(name));
            st = ph_error_set(err, PH_EINVAL, name, NULL,
                              "expected 1 to %d levels, one per tier away from the firm",
                              WARN_GRAPH_MAX);
        }
        if (st != PH_OK)
            return locate(ld, st, err);
    }
    for (size_t i = 0; st == PH_OK && i < json_array_size(levels); i++) {
        int lv = ph_warn_level_parse(json_string_value(json_array_get(levels, i)));
        if (lv < 0 || (i > 0 && lv > (int)r->tier_level[i - 1])) {
            at_index(ld, 3, i);
            snprintf(name, sizeof(name), "%s.levels[%zu]", path, i);
            return locate(ld, ph_error_set(err, PH_EINVAL, name,
                                           json_string_value(json_array_get(levels, i)),
                                           lv < 0 ? "expected green, yellow or red"
                                                  : "expected a level no higher than the tier "
                                                    "before: the level decays with distance"),
                          err);
        }
        r->tier_level[r->tiers++] = (ph_warn_level)lv;
    }
    if (st == PH_OK)
        st = get_int(ld, 2, o, path, "repeat_days", 0, 366, 30, &r->repeat_days, err);
    r->feed = -1;
    return st;
}

static int valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 40)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

static ph_status load_rule(loader *ld, const ph_ctx *ctx, const json_t *o, size_t i,
                           ph_warn_rules *set, ph_error *err)
{
    char path[64];
    snprintf(path, sizeof(path), "rules[%zu]", i);
    warn_rule *r = &set->rule[i];
    at_index(ld, 1, i);
    if (!json_is_object(o))
        return locate(ld, ph_error_set(err, PH_EINVAL, path, pjson_type_name(o),
                                       "expected an object"),
                      err);
    const char *id = NULL, *title = NULL;
    int kind = 0, level = 0, action = 0;
    at_member(ld, 2, "id");
    ph_status st = pjson_get_string(o, path, "id", &id, err);
    if (st == PH_OK && !valid_id(id))
        st = ph_error_set(err, PH_EINVAL, "id", id,
                          "expected 1 to 40 characters of a-z, 0-9 and _");
    for (size_t j = 0; st == PH_OK && j < i; j++)
        if (strcmp(set->rule[j].info.id, id) == 0)
            st = ph_error_set(err, PH_EINVAL, "id", id, "a rule id used twice (rules[%zu])", j);
    if (st != PH_OK)
        return locate(ld, st, err);
    r->info.id = ph_strdup(ctx, id);
    at_member(ld, 2, "title");
    st = pjson_opt_string(o, path, "title", &title, err);
    if (st != PH_OK)
        return locate(ld, st, err);
    r->info.title = ph_strdup(ctx, title != NULL ? title : id);
    if (r->info.id == NULL || r->info.title == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    st = get_choice(ld, 2, o, path, "kind", KIND_NAMES, -1, &kind, err);
    r->info.kind = (ph_warn_rule_kind)kind;
    if (st == PH_OK && kind != PH_WARN_RULE_GRAPH)
        st = get_choice(ld, 2, o, path, "level", LEVEL_NAMES, -1, &level, err);
    if (st == PH_OK)
        st = get_choice(ld, 2, o, path, "action", ACTION_NAMES, PH_WARN_ALERT, &action, err);
    r->info.level = (ph_warn_level)level;
    r->info.action = (ph_warn_action)action;
    if (st != PH_OK)
        return st;
    if (kind == PH_WARN_RULE_WINDOW)
        st = load_window(ld, ctx, o, path, r, err);
    else if (kind == PH_WARN_RULE_EVENT)
        st = load_event(ld, ctx, o, path, r, err);
    else
        st = load_graph(ld, o, path, set, i, err);
    /* a platform record is no source a consent names (feeds.c) */
    if (st == PH_OK && r->feed >= 0 && !warn_feed_is_record((size_t)r->feed))
        st = ph_source_set_add(&set->sources, r->info.feed, err);
    if (st == PH_OK && kind == PH_WARN_RULE_GRAPH)
        r->info.level = r->tier_level[0];
    return st;
}

static ph_status load_levels(loader *ld, const json_t *root, ph_warn_rules *set, ph_error *err)
{
    set->memory_days = 30;
    set->calm_days[PH_WARN_YELLOW] = set->calm_days[PH_WARN_RED] = 30;
    set->red_when_yellow = 2;
    json_t *lv = json_object_get(root, "levels");
    if (lv == NULL)
        return PH_OK;
    at_member(ld, 0, "levels");
    if (!json_is_object(lv))
        return locate(ld, ph_error_set(err, PH_EINVAL, "levels", pjson_type_name(lv),
                                       "expected an object"),
                      err);
    ph_status st = check_members(ld, 1, lv, "levels", LEVEL_MEMBERS, err);
    if (st == PH_OK)
        st = get_int(ld, 1, lv, "levels", "memory_days", 1, 366, 30, &set->memory_days, err);
    if (st == PH_OK)
        st = get_int(ld, 1, lv, "levels", "red_when_yellow_rules", 0, 16, 2,
                     &set->red_when_yellow, err);
    json_t *calm = json_object_get(lv, "calm_days");
    if (st == PH_OK && calm != NULL) {
        at_member(ld, 1, "calm_days");
        if (!json_is_object(calm))
            return locate(ld, ph_error_set(err, PH_EINVAL, "levels.calm_days",
                                           pjson_type_name(calm),
                                           "expected an object {\"yellow\": D, \"red\": D}"),
                          err);
        st = check_members(ld, 2, calm, "levels.calm_days", CALM_MEMBERS, err);
        if (st == PH_OK)
            st = get_int(ld, 2, calm, "levels.calm_days", "yellow", 0, 366, 30,
                         &set->calm_days[PH_WARN_YELLOW], err);
        if (st == PH_OK)
            st = get_int(ld, 2, calm, "levels.calm_days", "red", 0, 366, 30,
                         &set->calm_days[PH_WARN_RED], err);
    }
    return st;
}

static ph_status load_root(loader *ld, const ph_ctx *ctx, const json_t *root, ph_warn_rules *set,
                           ph_error *err)
{
    ld->depth = 0;
    if (!json_is_object(root))
        return locate(ld, ph_error_set(err, PH_EINVAL, "rule set", pjson_type_name(root),
                                       "expected an object with name, version and rules"),
                      err);
    ph_status st = check_members(ld, 0, root, "", TOP_MEMBERS, err);
    if (st != PH_OK)
        return st;
    const char *name = NULL;
    int64_t version = 0;
    {
        at_member(ld, 0, "name");
        st = pjson_get_string(root, "", "name", &name, err);
        if (st != PH_OK)
            return locate(ld, st, err);
    }
    if (st == PH_OK) {
        at_member(ld, 0, "version");
        st = pjson_get_int(root, "", "version", &version, err);
        if (st == PH_OK && version < 1) {
            char v[32];
            snprintf(v, sizeof(v), "%lld", (long long)version);
            st = ph_error_set(err, PH_EINVAL, "version", v, "expected a whole number from 1");
        }
        if (st != PH_OK)
            return locate(ld, st, err);
    }
    set->name = ph_strdup(ctx, name);
    set->version = version;
    if (set->name == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    if (st == PH_OK)
        st = load_levels(ld, root, set, err);
    json_t *rules = NULL;
    if (st == PH_OK) {
        at_member(ld, 0, "rules");
        st = pjson_get_array(root, "", "rules", &rules, err);
        if (st == PH_OK && json_array_size(rules) == 0)
            st = ph_error_set(err, PH_EINVAL, "rules", NULL, "expected at least one rule");
        if (st != PH_OK)
            return locate(ld, st, err);
    }
    if (st == PH_OK) {
        set->rule = ph_calloc(ctx, json_array_size(rules), sizeof(*set->rule));
        if (set->rule == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    for (size_t i = 0; st == PH_OK && i < json_array_size(rules); i++) {
        set->count = i + 1;
        st = load_rule(ld, ctx, json_array_get(rules, i), i, set, err);
    }
    /* the watch asks the consent gate for the feeds the set reads: a set of
     * the platform's own records alone would ask for none */
    if (st == PH_OK && set->sources == 0) {
        at_member(ld, 0, "rules");
        st = locate(ld,
                    ph_error_set(err, PH_EINVAL, "rules", NULL,
                                 "expected at least one rule reading a feed of the catalogue: a "
                                 "watched firm consents to those feeds, and "
                                 "voucher_late_settlements is the platform's own record"),
                    err);
    }
    return st;
}

ph_status ph_warn_rules_load(const ph_ctx *ctx, const char *text, size_t len, const char *source,
                             ph_warn_rules **out, ph_error *err)
{
    if (ctx == NULL || text == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_warn_rules_load: NULL argument");
    if (source == NULL)
        source = "rule set";
    json_t *root = NULL;
    ph_status st = pjson_load_text(text, len, source, &root, err);
    if (st != PH_OK)
        return st;
    ph_warn_rules *set = ph_calloc(ctx, 1, sizeof(*set));
    if (set == NULL) {
        json_decref(root);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    set->ctx = ctx;
    ph_checksum_hex(text, len, set->checksum);
    loader ld = {text, len, source, {{0}}, 0};
    st = load_root(&ld, ctx, root, set, err);
    json_decref(root);
    if (st != PH_OK) {
        ph_warn_rules_free(set);
        return st;
    }
    *out = set;
    return PH_OK;
}

void ph_warn_rules_free(ph_warn_rules *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->count; i++) {
        ph_free(set->ctx, (char *)set->rule[i].info.id);
        ph_free(set->ctx, (char *)set->rule[i].info.title);
        ph_expr_free(set->rule[i].when);
    }
    ph_free(set->ctx, set->rule);
    ph_free(set->ctx, set->name);
    ph_free(set->ctx, set);
}

const char *ph_warn_rules_name(const ph_warn_rules *set)
{
    return set != NULL ? set->name : NULL;
}

int64_t ph_warn_rules_version(const ph_warn_rules *set)
{
    return set != NULL ? set->version : 0;
}

const char *ph_warn_rules_checksum(const ph_warn_rules *set)
{
    return set != NULL ? set->checksum : NULL;
}

size_t ph_warn_rules_count(const ph_warn_rules *set)
{
    return set != NULL ? set->count : 0;
}

const ph_warn_rule_info *ph_warn_rules_at(const ph_warn_rules *set, size_t i)
{
    return set != NULL && i < set->count ? &set->rule[i].info : NULL;
}

ph_source_set ph_warn_rules_sources(const ph_warn_rules *set)
{
    return set != NULL ? set->sources : 0;
}

ph_status warn_to_decimal(ph_field_type type, int64_t raw, ph_decimal *out, ph_error *err)
{
    int64_t scale = type == PH_FIELD_MONEY ? PH_DECIMAL_ONE / 100
                    : type == PH_FIELD_INT ? PH_DECIMAL_ONE
                                           : 1; /* share, decimal: already 1e-8 units */
    if (__builtin_mul_overflow(raw, scale, out))
        return ph_error_set(err, PH_ERANGE, "value", NULL,
                            "%lld is beyond the range of a policy decimal", (long long)raw);
    return PH_OK;
}
