/*
 * The early-warning engine (warning.h, docs/warning.md#the-engine).
 *
 * Events arrive in time order. An event touches only its own firm's state:
 * the window rules on its feed add its value to the open period's slot of a
 * ring buffer, the event rules on its feed evaluate their condition against
 * the event and the last one before it. Nothing is re-read. When a day ends,
 * the periods ending that day are closed: each firm's window value and
 * baseline come from its ring, the peers' average from one pass over the
 * firms, and the condition runs once per firm and period. Then the colours
 * calm down where no rule has held for long enough.
 *
 * Every report is made in a fixed order (events in the order given; at a
 * close, rules in document order and firms in index order), so the same
 * events give the same reports byte for byte, and so does a run restarted
 * from a checkpoint (checkpoint.c).
 */
#include "monitor/monitor_internal.h"

#include "core/i128.h"

#include <stdarg.h>
#include <stdio.h>

#define GROUP_NONE (-1)

/* The peer pass's scratch per firm (eng->peer_x): the firm's index, and the
 * window value, baseline and events pass 1 read, which pass 2 reuses. */
enum { PX_INDEX, PX_VALUE, PX_BASELINE, PX_EVENTS, PEER_X };

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The period a day falls in: the day itself, or its ISO week (Monday first;
 * 1970-01-05 was a Monday, day 4). */
static int64_t period_of(const warn_rule *r, ph_date day)
{
    return r->period_days == 1 ? (int64_t)day : floor_div((int64_t)day + 3, 7);
}

/* The last day of period p. */
static ph_date period_end(const warn_rule *r, int64_t p)
{
    return r->period_days == 1 ? (ph_date)p : (ph_date)(p * 7 - 3 + 6);
}

static size_t slot_of(const warn_rule_state *s, int64_t p)
{
    int64_t m = p % s->slots;
    return (size_t)(m < 0 ? m + s->slots : m);
}

/* ---- allocation ----------------------------------------------------------------------- */

static ph_status grow(const ph_ctx *ctx, void **p, size_t old_n, size_t new_n, size_t size,
                      ph_error *err)
{
    if (new_n == 0)
        return PH_OK;
    void *q = ph_realloc(ctx, *p, new_n * size);
    if (q == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    memset((char *)q + old_n * size, 0, (new_n - old_n) * size);
    *p = q;
    return PH_OK;
}

ph_status warn_engine_reserve(ph_warn_engine *eng, size_t cap, ph_error *err)
{
    if (cap <= eng->cap)
        return PH_OK;
    const ph_ctx *ctx = eng->ctx;
    size_t old = eng->cap;
    ph_status st = grow(ctx, (void **)&eng->firm, old, cap, sizeof(warn_firm), err);
    for (size_t i = 0; st == PH_OK && i < eng->rules->count; i++) {
        const warn_rule *r = &eng->rules->rule[i];
        warn_rule_state *s = &eng->rs[i];
        st = grow(ctx, (void **)&s->last_hit, old, cap, sizeof(int32_t), err);
        if (st == PH_OK)
            st = grow(ctx, (void **)&s->last_alert, old, cap, sizeof(int32_t), err);
        if (st == PH_OK)
            st = grow(ctx, (void **)&s->hit_level, old, cap, sizeof(uint8_t), err);
        if (st == PH_OK && r->info.kind == PH_WARN_RULE_WINDOW) {
            size_t k = (size_t)s->slots;
            st = grow(ctx, (void **)&s->first_period, old, cap, sizeof(int32_t), err);
            if (st == PH_OK)
                st = grow(ctx, (void **)&s->streak, old, cap, sizeof(int32_t), err);
            if (st == PH_OK)
                st = grow(ctx, (void **)&s->acc, old * k, cap * k, sizeof(int64_t), err);
            if (st == PH_OK)
                st = grow(ctx, (void **)&s->cnt, old * k, cap * k, sizeof(int32_t), err);
            if (st == PH_OK && s->running)
                st = grow(ctx, (void **)&s->bsum, old, cap, sizeof(int64_t), err);
            if (st == PH_OK && s->running)
                st = grow(ctx, (void **)&s->bcnt, old, cap, sizeof(int64_t), err);
        } else if (st == PH_OK && r->info.kind == PH_WARN_RULE_EVENT) {
            size_t k = (size_t)r->nfields, c = (size_t)r->count_at_least;
            st = grow(ctx, (void **)&s->prev, old * k, cap * k, sizeof(int64_t), err);
            if (st == PH_OK)
                st = grow(ctx, (void **)&s->prev_day, old, cap, sizeof(int32_t), err);
            if (st == PH_OK)
                st = grow(ctx, (void **)&s->recent, old * c, cap * c, sizeof(int32_t), err);
        }
    }
    if (st == PH_OK)
        st = grow(ctx, (void **)&eng->dist, old, cap, sizeof(uint8_t), err);
    if (st == PH_OK)
        st = grow(ctx, (void **)&eng->peer_x, old * PEER_X, cap * PEER_X, sizeof(int64_t), err);
    if (st == PH_OK)
        st = grow(ctx, (void **)&eng->peer_ok, old, cap, sizeof(uint8_t), err);
    if (st == PH_OK)
        eng->cap = cap;
    return st;
}

size_t warn_rule_arrays(const warn_rule *r, warn_rule_state *s, warn_rule_array *out)
{
    size_t n = 0;
    out[n++] = (warn_rule_array){(void **)&s->last_hit, sizeof(int32_t)};
    out[n++] = (warn_rule_array){(void **)&s->last_alert, sizeof(int32_t)};
    out[n++] = (warn_rule_array){(void **)&s->hit_level, sizeof(uint8_t)};
    if (r->info.kind == PH_WARN_RULE_WINDOW) {
        size_t slots = (size_t)(r->window + r->baseline + 1);
        out[n++] = (warn_rule_array){(void **)&s->first_period, sizeof(int32_t)};
        out[n++] = (warn_rule_array){(void **)&s->streak, sizeof(int32_t)};
        out[n++] = (warn_rule_array){(void **)&s->acc, slots * sizeof(int64_t)};
        out[n++] = (warn_rule_array){(void **)&s->cnt, slots * sizeof(int32_t)};
    } else if (r->info.kind == PH_WARN_RULE_EVENT) {
        out[n++] = (warn_rule_array){(void **)&s->prev, (size_t)r->nfields * sizeof(int64_t)};
        out[n++] = (warn_rule_array){(void **)&s->prev_day, sizeof(int32_t)};
        out[n++] = (warn_rule_array){(void **)&s->recent,
                                     (size_t)r->count_at_least * sizeof(int32_t)};
    }
    return n;
}

size_t warn_rule_state_bytes(const warn_rule *r)
{
    warn_rule_state probe;
    warn_rule_array a[WARN_RULE_ARRAYS];
    memset(&probe, 0, sizeof(probe));
    size_t n = warn_rule_arrays(r, &probe, a), bytes = 0;
    for (size_t k = 0; k < n; k++)
        bytes += a[k].per_firm;
    return bytes;
}

size_t ph_warn_engine_bytes_per_firm(const ph_warn_engine *eng)
{
    if (eng == NULL)
        return 0;
    size_t n = sizeof(warn_firm);
    for (size_t i = 0; i < eng->rules->count; i++)
        n += warn_rule_state_bytes(&eng->rules->rule[i]);
    return n;
}

/* The labels of an enum column's "a|b|c" as text values into `out` (NULL:
 * only count them), pointing into the catalogue's text, each cut at 47
 * bytes as the engine always cut a label; how many. 0 for another column. */
static size_t enum_labels(const ph_feed_column *col, ph_value *out)
{
    if (col == NULL || col->type != PH_FIELD_ENUM || col->values == NULL)
        return 0;
    const char *p = col->values;
    for (size_t n = 0;; n++) {
        size_t len = strcspn(p, "|");
        if (out != NULL) {
            out[n] = ph_value_null();
            out[n].kind = PH_VALUE_TEXT;
            out[n].as.text.ptr = p;
            out[n].as.text.len = len < 48 ? len : 47;
        }
        if (p[len] != '|')
            return n + 1;
        p += len + 1;
    }
}

ph_status warn_engine_alloc(const ph_ctx *ctx, const ph_warn_rules *rules,
                            const ph_warn_engine_opts *opts, ph_warn_engine **out, ph_error *err)
{
    if (ctx == NULL || rules == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_warn_engine_new: NULL argument");
    ph_warn_engine *eng = ph_calloc(ctx, 1, sizeof(*eng));
    if (eng == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    eng->ctx = ctx;
    eng->rules = rules;
    if (opts != NULL)
        eng->opts = *opts;
    eng->adj_dirty = 1;
    eng->nfeeds = ph_warn_feed_count();
    size_t n = rules->count;
    eng->rs = ph_calloc(ctx, n, sizeof(*eng->rs));
    eng->feed_window = ph_calloc(ctx, eng->nfeeds * n + 1, sizeof(int));
    eng->feed_event = ph_calloc(ctx, eng->nfeeds * n + 1, sizeof(int));
    eng->feed_nwindow = ph_calloc(ctx, eng->nfeeds + 1, sizeof(size_t));
    eng->feed_nevent = ph_calloc(ctx, eng->nfeeds + 1, sizeof(size_t));
    eng->field = ph_calloc(ctx, eng->nfeeds * PH_WARN_FIELDS + 1, sizeof(*eng->field));
    if (eng->rs == NULL || eng->feed_window == NULL || eng->feed_event == NULL ||
        eng->feed_nwindow == NULL || eng->feed_nevent == NULL || eng->field == NULL) {
        ph_warn_engine_free(eng);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    /* ph_warn_field_at walks the catalogue: once here, not twice a field per event */
    for (size_t f = 0; f < eng->nfeeds; f++)
        for (size_t k = 0; k < ph_warn_field_count(f); k++)
            eng->field[f * PH_WARN_FIELDS + k] = ph_warn_field_at(f, k);
    /* and the enum fields' labels as text values, once: counted, then made */
    size_t nfields = eng->nfeeds * PH_WARN_FIELDS, nlabels = 0;
    for (size_t k = 0; k < nfields; k++)
        nlabels += enum_labels(eng->field[k], NULL);
    eng->enum_label = ph_calloc(ctx, nlabels + 1, sizeof(ph_value));
    eng->enum_first = ph_calloc(ctx, nfields + 1, sizeof(uint32_t));
    eng->enum_count = ph_calloc(ctx, nfields + 1, sizeof(uint32_t));
    if (eng->enum_label == NULL || eng->enum_first == NULL || eng->enum_count == NULL) {
        ph_warn_engine_free(eng);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    for (size_t k = 0, at = 0; k < nfields; k++) {
        eng->enum_first[k] = (uint32_t)at;
        eng->enum_count[k] = (uint32_t)enum_labels(eng->field[k], &eng->enum_label[at]);
        at += eng->enum_count[k];
    }
    for (size_t i = 0; i < n; i++) {
        const warn_rule *r = &rules->rule[i];
        eng->rs[i].slots = r->window + r->baseline + 1;
        eng->rs[i].running = r->info.kind == PH_WARN_RULE_WINDOW && r->baseline > 0 &&
                             (r->agg == AGG_SUM || r->agg == AGG_COUNT || r->agg == AGG_MEAN);
        if (r->feed < 0)
            continue;
        size_t f = (size_t)r->feed;
        if (r->info.kind == PH_WARN_RULE_WINDOW)
            eng->feed_window[f * n + eng->feed_nwindow[f]++] = (int)i;
        else
            eng->feed_event[f * n + eng->feed_nevent[f]++] = (int)i;
    }
    *out = eng;
    return PH_OK;
}

ph_status ph_warn_engine_new(const ph_ctx *ctx, const ph_warn_rules *rules,
                             const ph_warn_engine_opts *opts, ph_warn_engine **out, ph_error *err)
{
    ph_warn_engine *eng = NULL;
    ph_status st = warn_engine_alloc(ctx, rules, opts, &eng, err);
    if (st == PH_OK)
        st = warn_engine_reserve(eng, 64, err);
    if (st != PH_OK) {
        ph_warn_engine_free(eng);
        return st;
    }
    *out = eng;
    return PH_OK;
}

void ph_warn_engine_free(ph_warn_engine *eng)
{
    if (eng == NULL)
        return;
    const ph_ctx *ctx = eng->ctx;
    for (size_t i = 0; eng->rs != NULL && i < eng->rules->count; i++) {
        warn_rule_state *s = &eng->rs[i];
        ph_free(ctx, s->last_hit);
        ph_free(ctx, s->last_alert);
        ph_free(ctx, s->hit_level);
        ph_free(ctx, s->first_period);
        ph_free(ctx, s->streak);
        ph_free(ctx, s->acc);
        ph_free(ctx, s->cnt);
        ph_free(ctx, s->bsum);
        ph_free(ctx, s->bcnt);
        ph_free(ctx, s->prev);
        ph_free(ctx, s->prev_day);
        ph_free(ctx, s->recent);
    }
    ph_free(ctx, eng->rs);
    ph_free(ctx, eng->firm);
    ph_free(ctx, eng->link);
    ph_free(ctx, eng->gtab);
    ph_free(ctx, eng->adj_start);
    ph_free(ctx, eng->adj);
    ph_free(ctx, eng->dist);
    ph_free(ctx, eng->peer_x);
    ph_free(ctx, eng->peer_ok);
    ph_free(ctx, eng->gsum);
    ph_free(ctx, eng->gcnt);
    ph_free(ctx, eng->feed_window);
    ph_free(ctx, eng->feed_event);
    ph_free(ctx, eng->feed_nwindow);
    ph_free(ctx, eng->feed_nevent);
    ph_free(ctx, eng->field);
    ph_free(ctx, eng->enum_label);
    ph_free(ctx, eng->enum_first);
    ph_free(ctx, eng->enum_count);
    ph_free(ctx, eng->uscc_tab);
    ph_free(ctx, eng);
}

/* ---- firms, groups and links ---------------------------------------------------------- */

ph_status warn_engine_group_of(ph_warn_engine *eng, char section, int32_t division,
                               int32_t *group, ph_error *err)
{
    int32_t city = division >= 100000 ? division / 100 : division;
    int32_t key = (int32_t)(section - 'A' + 1) * 100000 + city % 100000;
    if (eng->ngroups * 2 + 2 > eng->gtab_cap) {
        size_t cap = eng->gtab_cap ? eng->gtab_cap * 2 : 256;
        warn_group_key *t = ph_calloc(eng->ctx, cap, sizeof(*t));
        if (t == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        for (size_t i = 0; i < eng->gtab_cap; i++) {
            if (eng->gtab[i].key == 0)
                continue;
            size_t h = (uint32_t)eng->gtab[i].key * 2654435761u % cap;
            while (t[h].key != 0)
                h = (h + 1) % cap;
            t[h] = eng->gtab[i];
        }
        ph_free(eng->ctx, eng->gtab);
        eng->gtab = t;
        eng->gtab_cap = cap;
    }
    size_t h = (uint32_t)key * 2654435761u % eng->gtab_cap;
    while (eng->gtab[h].key != 0 && eng->gtab[h].key != key)
        h = (h + 1) % eng->gtab_cap;
    if (eng->gtab[h].key == 0) {
        eng->gtab[h].key = key;
        eng->gtab[h].group = (int32_t)eng->ngroups++;
    }
    *group = eng->gtab[h].group;
    return PH_OK;
}

/* The USCC index: open addressing over uscc_cap (a power of two) slots,
 * each 0 or 1 + a firm's index. Derived from the firms, not checkpointed:
 * firms [0, uscc_count) are in it, and the rest (a restored engine's) are
 * added when a firm is next registered. */
static size_t uscc_slot(const ph_warn_engine *eng, const char *uscc)
{
    uint64_t h = 0xCBF29CE484222325ull; /* FNV-1a */
    for (int i = 0; i < 18; i++)
        h = (h ^ (unsigned char)uscc[i]) * 0x100000001B3ull;
    size_t mask = eng->uscc_cap - 1, at = (size_t)(h ^ (h >> 32)) & mask;
    while (eng->uscc_tab[at] != 0 && memcmp(eng->firm[eng->uscc_tab[at] - 1].uscc, uscc, 18) != 0)
        at = (at + 1) & mask;
    return at;
}

/* Index every registered firm, with room for one more at half load. */
static ph_status uscc_index(ph_warn_engine *eng, ph_error *err)
{
    if ((eng->nfirms + 1) * 2 > eng->uscc_cap) {
        size_t cap = eng->uscc_cap ? eng->uscc_cap : 64;
        while ((eng->nfirms + 1) * 2 > cap)
            cap *= 2;
        uint32_t *t = ph_calloc(eng->ctx, cap, sizeof(uint32_t));
        if (t == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        ph_free(eng->ctx, eng->uscc_tab);
        eng->uscc_tab = t;
        eng->uscc_cap = cap;
        eng->uscc_count = 0;
    }
    /* a later firm with the same USCC wins, as the search from the end found it */
    for (; eng->uscc_count < eng->nfirms; eng->uscc_count++)
        eng->uscc_tab[uscc_slot(eng, eng->firm[eng->uscc_count].uscc)] =
            (uint32_t)eng->uscc_count + 1;
    return PH_OK;
}

ph_status ph_warn_engine_add_firm(ph_warn_engine *eng, const char *uscc, int32_t division,
                                  char section, int watched, uint32_t *index, ph_error *err)
{
    if (eng == NULL || uscc == NULL || index == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_warn_engine_add_firm: NULL argument");
    if (strlen(uscc) != 18)
        return ph_error_set(err, PH_EINVAL, "uscc", uscc, "expected 18 characters");
    if (section < 'A' || section > 'Z')
        return ph_error_setn(err, PH_EINVAL, "industry", &section, 1,
                             "expected an industry section letter A to T");
    /* A repeat is rare (the caller registers each firm once), but a search
     * through every firm made registering n firms cost n^2 / 2 comparisons
     * (minutes for a million): the USCC index, derived and not checkpointed. */
    ph_status st = uscc_index(eng, err);
    if (st != PH_OK)
        return st;
    size_t slot = uscc_slot(eng, uscc);
    if (eng->uscc_tab[slot] != 0) {
        size_t i = eng->uscc_tab[slot] - 1;
        eng->firm[i].watched = watched != 0;
        *index = (uint32_t)i;
        return PH_OK;
    }
    if (eng->nfirms == eng->cap)
        st = warn_engine_reserve(eng, eng->cap * 2, err);
    int32_t group = 0;
    if (st == PH_OK)
        st = warn_engine_group_of(eng, section, division, &group, err);
    if (st != PH_OK)
        return st;
    warn_firm *f = &eng->firm[eng->nfirms];
    memcpy(f->uscc, uscc, 18);
    f->uscc[18] = '\0';
    f->watched = watched != 0;
    f->section = section;
    f->division = division;
    f->group = group;
    eng->uscc_tab[slot] = (uint32_t)eng->nfirms + 1;
    eng->uscc_count = eng->nfirms + 1;
    *index = (uint32_t)eng->nfirms++;
    eng->adj_dirty = 1;
    return PH_OK;
}

ph_status ph_warn_engine_watch(ph_warn_engine *eng, uint32_t index, int watched, ph_error *err)
{
    if (eng == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_warn_engine_watch: NULL engine");
    if (index >= eng->nfirms)
        return ph_error_set(err, PH_EINVAL, "firm", NULL, "no firm %u is registered", index);
    eng->firm[index].watched = watched != 0;
    if (!watched) /* a streak or a count of matches does not survive a gap in watching */
        for (size_t i = 0; i < eng->rules->count; i++) {
            const warn_rule *r = &eng->rules->rule[i];
            if (eng->rs[i].streak != NULL)
                eng->rs[i].streak[index] = 0;
            if (eng->rs[i].recent != NULL)
                memset(&eng->rs[i].recent[(size_t)index * (size_t)r->count_at_least], 0,
                       (size_t)r->count_at_least * sizeof(int32_t));
        }
    return PH_OK;
}

ph_status ph_warn_engine_add_link(ph_warn_engine *eng, uint32_t chain, uint32_t supplier,
                                  uint32_t buyer, ph_error *err)
{
    if (eng == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_warn_engine_add_link: NULL engine");
    if (supplier >= eng->nfirms || buyer >= eng->nfirms || supplier == buyer)
        return ph_error_set(err, PH_EINVAL, "firm", NULL,
                            "a link needs two different registered firms (got %u and %u of %zu)",
                            supplier, buyer, eng->nfirms);
    if (eng->nlinks == eng->link_cap) {
        size_t cap = eng->link_cap ? eng->link_cap * 2 : 64;
        ph_status st = grow(eng->ctx, (void **)&eng->link, eng->link_cap, cap, sizeof(warn_link),
                            err);
        if (st != PH_OK)
            return st;
        eng->link_cap = cap;
    }
    eng->link[eng->nlinks++] = (warn_link){chain, supplier, buyer};
    eng->adj_dirty = 1;
    return PH_OK;
}

ph_date ph_warn_engine_closed(const ph_warn_engine *eng)
{
    return eng != NULL ? eng->closed : 0;
}

size_t ph_warn_engine_firm_count(const ph_warn_engine *eng)
{
    return eng != NULL ? eng->nfirms : 0;
}

ph_warn_level ph_warn_engine_level(const ph_warn_engine *eng, uint32_t index)
{
    return eng != NULL && index < eng->nfirms ? (ph_warn_level)eng->firm[index].level
                                              : PH_WARN_GREEN;
}

const char *ph_warn_engine_uscc(const ph_warn_engine *eng, uint32_t index)
{
    return eng != NULL && index < eng->nfirms ? eng->firm[index].uscc : NULL;
}

/* ---- evidence ------------------------------------------------------------------------- */

typedef struct ev_buf {
    char *p;
    size_t size, len;
} ev_buf;

static void ev_raw(ev_buf *b, const char *fmt, ...) PH_PRINTF(2, 3);
static void ev_raw(ev_buf *b, const char *fmt, ...)
{
    if (b->len >= b->size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->p + b->len, b->size - b->len, fmt, ap);
    va_end(ap);
    b->len = n < 0 ? b->size : b->len + (size_t)n;
    if (b->len >= b->size)
        b->len = b->size - 1;
}

static void ev_key(ev_buf *b, const char *key)
{
    ev_raw(b, "%s\"%s\":", b->len > 1 ? "," : "", key);
}

static void ev_decimal(ev_buf *b, const char *key, const ph_value *v)
{
    ev_key(b, key);
    char text[PH_DECIMAL_FORMAT_MAX];
    if (v->kind == PH_VALUE_DECIMAL && ph_decimal_format(v->as.decimal, text, sizeof(text),
                                                         NULL) == PH_OK)
        ev_raw(b, "\"%s\"", text);
    else if (v->kind == PH_VALUE_TEXT)
        ev_raw(b, "\"%.*s\"", (int)v->as.text.len, v->as.text.ptr);
    else
        ev_raw(b, "null");
}

static void ev_date(ev_buf *b, const char *key, ph_date d)
{
    char text[PH_DATE_FORMAT_MAX] = "";
    ev_key(b, key);
    if (d != 0 && ph_date_format(d, text, sizeof(text), NULL) == PH_OK)
        ev_raw(b, "\"%s\"", text);
    else
        ev_raw(b, "null");
}

/* ---- colours -------------------------------------------------------------------------- */

/* The colour the firm's rules support on `day`: the highest level of a rule
 * that held within memory_days, or red when red_when_yellow distinct rules
 * did. *held receives how many rules held. */
static ph_warn_level supported_level(const ph_warn_engine *eng, uint32_t f, ph_date day,
                                     int *held)
{
    const ph_warn_rules *set = eng->rules;
    int level = 0, n = 0;
    for (size_t i = 0; i < set->count; i++) {
        int32_t last = eng->rs[i].last_hit[f];
        if (last == 0 || (int64_t)day - last >= set->memory_days)
            continue;
        int lv = eng->rs[i].hit_level[f];
        if (lv > level)
            level = lv;
        n += lv >= PH_WARN_YELLOW;
    }
    if (set->red_when_yellow > 0 && n >= set->red_when_yellow)
        level = PH_WARN_RED;
    if (held != NULL)
        *held = n;
    return (ph_warn_level)level;
}

static ph_status report(ph_warn_engine *eng, const ph_warn_report *rep, ph_error *err)
{
    return eng->opts.report != NULL ? eng->opts.report(eng->opts.user, rep, err) : PH_OK;
}

/* After a hit: raise the firm's colour at once when its rules support more. */
static ph_status raise_level(ph_warn_engine *eng, uint32_t f, ph_date day, const char *rule,
                             ph_error *err)
{
    warn_firm *firm = &eng->firm[f];
    int held = 0;
    ph_warn_level lv = supported_level(eng, f, day, &held);
    for (int l = PH_WARN_YELLOW; l <= (int)lv; l++)
        firm->at_level[l] = day;
    if ((int)lv <= firm->level)
        return PH_OK;
    ev_buf b = {eng->evidence, sizeof(eng->evidence), 0};
    ev_raw(&b, "{");
    ev_key(&b, "rules_holding");
    ev_raw(&b, "%d", held);
    ev_key(&b, "rules");
    ev_raw(&b, "[");
    int first = 1;
    for (size_t i = 0; i < eng->rules->count; i++) {
        int32_t last = eng->rs[i].last_hit[f];
        if (last != 0 && (int64_t)day - last < eng->rules->memory_days &&
            eng->rs[i].hit_level[f] > 0) {
            ev_raw(&b, "%s\"%s\"", first ? "" : ",", eng->rules->rule[i].info.id);
            first = 0;
        }
    }
    ev_raw(&b, "]}");
    ph_warn_report rep = {PH_WARN_LEVEL, day,  f,  firm->uscc, rule, lv, (ph_warn_level)firm->level,
                          PH_WARN_ALERT, eng->evidence};
    firm->level = (uint8_t)lv;
    return report(eng, &rep, err);
}

/* At the end of a day: a colour no rule has supported for its calm days steps
 * down to what the rules support now. Entering is immediate, leaving is
 * slow: that is the hysteresis that keeps a colour from flapping. */
static ph_status calm_down(ph_warn_engine *eng, ph_date day, ph_error *err)
{
    for (uint32_t f = 0; f < eng->nfirms; f++) {
        warn_firm *firm = &eng->firm[f];
        if (firm->level == PH_WARN_GREEN || !firm->watched)
            continue;
        ph_warn_level now = supported_level(eng, f, day, NULL);
        for (int l = PH_WARN_YELLOW; l <= (int)now; l++)
            firm->at_level[l] = day;
        int level = firm->level;
        if ((int)now >= level ||
            (int64_t)day - firm->at_level[level] < eng->rules->calm_days[level])
            continue;
        ev_buf b = {eng->evidence, sizeof(eng->evidence), 0};
        ev_raw(&b, "{");
        ev_key(&b, "calm_days");
        ev_raw(&b, "%d", eng->rules->calm_days[level]);
        ev_date(&b, "last_supported", firm->at_level[level]);
        ev_raw(&b, "}");
        ph_warn_report rep = {PH_WARN_LEVEL, day, f, firm->uscc, "calm", now,
                              (ph_warn_level)level, PH_WARN_ALERT, eng->evidence};
        firm->level = (uint8_t)now;
        ph_status st = report(eng, &rep, err);
        if (st != PH_OK)
            return st;
    }
    return PH_OK;
}

/* ---- hits and contagion --------------------------------------------------------------- */

static ph_status contagion(ph_warn_engine *eng, size_t source_rule, uint32_t f, ph_date day,
                           ph_error *err);

/* Rule `ri` held for firm f on `day` at `level`. A new alert is reported
 * unless the rule was reported for the firm within its repeat days; either
 * way the hit keeps the firm's colour. */
static ph_status hit(ph_warn_engine *eng, size_t ri, uint32_t f, ph_date day, ph_warn_level level,
                     int repeat_days, const char *evidence, ph_error *err)
{
    warn_rule_state *s = &eng->rs[ri];
    const warn_rule *r = &eng->rules->rule[ri];
    s->last_hit[f] = day;
    s->hit_level[f] = (uint8_t)level;
    int fresh = s->last_alert[f] == 0 || (int64_t)day - s->last_alert[f] >= repeat_days;
    ph_status st = PH_OK;
    if (fresh) {
        s->last_alert[f] = day;
        ph_warn_report rep = {PH_WARN_HIT, day,    f, eng->firm[f].uscc, r->info.id, level,
                              PH_WARN_GREEN, r->info.action, evidence};
        st = report(eng, &rep, err);
    }
    if (st == PH_OK && level > PH_WARN_GREEN)
        st = raise_level(eng, f, day, r->info.id, err);
    if (st == PH_OK && fresh && r->info.kind != PH_WARN_RULE_GRAPH)
        st = contagion(eng, ri, f, day, err);
    return st;
}

static ph_status build_adjacency(ph_warn_engine *eng, ph_error *err)
{
    const ph_ctx *ctx = eng->ctx;
    ph_free(ctx, eng->adj_start);
    ph_free(ctx, eng->adj);
    eng->adj_start = ph_calloc(ctx, eng->nfirms + 1, sizeof(uint32_t));
    eng->adj = ph_calloc(ctx, eng->nlinks * 2 + 1, sizeof(warn_link));
    if (eng->adj_start == NULL || eng->adj == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    for (size_t i = 0; i < eng->nlinks; i++) {
        eng->adj_start[eng->link[i].supplier + 1]++;
        eng->adj_start[eng->link[i].buyer + 1]++;
    }
    for (size_t i = 0; i < eng->nfirms; i++)
        eng->adj_start[i + 1] += eng->adj_start[i];
    uint32_t *fill = ph_calloc(ctx, eng->nfirms + 1, sizeof(uint32_t));
    if (fill == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    for (size_t i = 0; i < eng->nlinks; i++) { /* link order: deterministic */
        const warn_link *l = &eng->link[i];
        eng->adj[eng->adj_start[l->supplier] + fill[l->supplier]++] =
            (warn_link){l->chain, l->buyer, 0};
        eng->adj[eng->adj_start[l->buyer] + fill[l->buyer]++] =
            (warn_link){l->chain, l->supplier, 0};
    }
    ph_free(ctx, fill);
    memset(eng->dist, 0xFF, eng->cap);
    eng->adj_dirty = 0;
    return PH_OK;
}

/* A delay at firm f warns its counterparties in every supply chain it is
 * part of: tier 1 (a direct supplier or buyer in that chain) at the graph
 * rule's first level, tier 2 at the second, and so on, each reached firm at
 * its nearest tier over all chains. */
static ph_status contagion(ph_warn_engine *eng, size_t source_rule, uint32_t f, ph_date day,
                           ph_error *err)
{
    const ph_warn_rules *set = eng->rules;
    for (size_t gi = 0; gi < set->count; gi++) {
        const warn_rule *g = &set->rule[gi];
        int listens = 0;
        for (size_t k = 0; k < g->on_count; k++)
            listens |= g->on[k] == (int)source_rule;
        if (g->info.kind != PH_WARN_RULE_GRAPH || !listens || eng->nlinks == 0)
            continue;
        ph_status st = eng->adj_dirty ? build_adjacency(eng, err) : PH_OK;
        if (st != PH_OK)
            return st;
        /* breadth first within each chain of f (each chain once), each firm
         * kept at its nearest tier over all chains; reached[] in discovery order */
        uint32_t reached[256], chain_of[256];
        size_t nreached = 0;
        for (uint32_t a = eng->adj_start[f]; a < eng->adj_start[f + 1]; a++) {
            uint32_t chain = eng->adj[a].chain;
            int done = 0;
            for (uint32_t e = eng->adj_start[f]; e < a; e++)
                done |= eng->adj[e].chain == chain;
            if (done)
                continue;
            uint32_t seen[256], frontier[256];
            size_t nseen = 1, nf = 1, from = 0;
            seen[0] = frontier[0] = f;
            for (size_t tier = 1; tier <= g->tiers && nf > 0; tier++) {
                size_t nn = 0;
                for (size_t q = 0; q < nf; q++) {
                    uint32_t u = frontier[q];
                    for (uint32_t b = eng->adj_start[u]; b < eng->adj_start[u + 1]; b++) {
                        uint32_t v = eng->adj[b].supplier;
                        int known = eng->adj[b].chain != chain;
                        for (size_t j = 0; j < nseen && !known; j++)
                            known = seen[j] == v;
                        if (known || nseen == 256)
                            continue;
                        seen[nseen++] = v;
                        if (eng->dist[v] == 0xFF) {
                            /* a firm past the list is not marked either, so
                             * no mark outlives this walk (dist is scratch,
                             * never in a checkpoint) */
                            if (nreached == 256)
                                continue;
                            reached[nreached] = v;
                            chain_of[nreached++] = chain;
                        }
                        if (eng->dist[v] > tier)
                            eng->dist[v] = (uint8_t)tier;
                        nn++;
                    }
                }
                /* the next frontier: the firms just seen */
                memcpy(frontier, seen + nseen - nn, nn * sizeof(uint32_t));
                from += nf;
                nf = nn;
            }
            (void)from;
        }
        /* report in firm order, so the order does not depend on link order */
        for (size_t i = 1; i < nreached; i++)
            for (size_t j = i; j > 0 && reached[j - 1] > reached[j]; j--) {
                uint32_t t = reached[j];
                reached[j] = reached[j - 1];
                reached[j - 1] = t;
                t = chain_of[j];
                chain_of[j] = chain_of[j - 1];
                chain_of[j - 1] = t;
            }
        for (size_t i = 0; i < nreached && st == PH_OK; i++) {
            uint32_t v = reached[i];
            int tier = eng->dist[v];
            if (!eng->firm[v].watched)
                continue;
            char text[512];
            ev_buf b = {text, sizeof(text), 0};
            ev_raw(&b, "{");
            ev_key(&b, "source");
            ev_raw(&b, "\"%s\"", eng->firm[f].uscc);
            ev_key(&b, "source_rule");
            ev_raw(&b, "\"%s\"", set->rule[source_rule].info.id);
            ev_key(&b, "chain");
            ev_raw(&b, "%u", chain_of[i]);
            ev_key(&b, "tier");
            ev_raw(&b, "%d}", tier);
            st = hit(eng, gi, v, day, g->tier_level[tier - 1], g->repeat_days, text, err);
        }
        for (size_t i = 0; i < nreached; i++)
            eng->dist[reached[i]] = 0xFF;
        if (st != PH_OK)
            return st;
    }
    return PH_OK;
}

/* ---- event rules ---------------------------------------------------------------------- */

/* Field i of the rule's feed, from the engine's table (ph_warn_field_at). */
static const ph_feed_column *field_col(const ph_warn_engine *eng, const warn_rule *r, int i)
{
    return eng->field[(size_t)r->feed * PH_WARN_FIELDS + (size_t)i];
}

/* Field i's raw value as a variable: an enum's label (null for a code
 * without one), else a decimal. */
static ph_status field_value(const ph_warn_engine *eng, const warn_rule *r, int i, int64_t raw,
                             ph_value *out, ph_error *err)
{
    size_t at = (size_t)r->feed * PH_WARN_FIELDS + (size_t)i;
    const ph_feed_column *col = eng->field[at];
    if (col->type == PH_FIELD_ENUM) {
        *out = raw >= 0 && raw < (int64_t)eng->enum_count[at]
                   ? eng->enum_label[eng->enum_first[at] + (size_t)raw]
                   : ph_value_null();
        return PH_OK;
    }
    ph_decimal d = 0;
    ph_status st = warn_to_decimal(col->type, raw, &d, err);
    if (st == PH_OK)
        *out = ph_value_decimal(d);
    return st;
}

/* The event becomes the rule's previous row for its firm. */
static void keep_as_previous(ph_warn_engine *eng, size_t ri, const ph_warn_event *ev)
{
    const warn_rule *r = &eng->rules->rule[ri];
    warn_rule_state *s = &eng->rs[ri];
    memcpy(&s->prev[(size_t)ev->firm * (size_t)r->nfields], ev->v,
           (size_t)r->nfields * sizeof(int64_t));
    s->prev_day[ev->firm] = ev->day;
}

static ph_status run_event_rule(ph_warn_engine *eng, size_t ri, const ph_warn_event *ev,
                                ph_error *err)
{
    const warn_rule *r = &eng->rules->rule[ri];
    warn_rule_state *s = &eng->rs[ri];
    uint32_t f = ev->firm;
    int k = r->nfields;
    ph_value slots[4 * PH_WARN_FIELDS + 1];
    int64_t *prev = &s->prev[(size_t)f * (size_t)k];
    int has_prev = s->prev_day[f] != 0;
    ph_status st = PH_OK;
    for (int i = 0; i < k && st == PH_OK; i++) {
        st = field_value(eng, r, i, ev->v[i], &slots[r->slot_val[i]], err);
        if (st == PH_OK && has_prev)
            st = field_value(eng, r, i, prev[i], &slots[r->slot_prev[i]], err);
        else
            slots[r->slot_prev[i]] = ph_value_null();
        if (st == PH_OK && r->slot_rank[i] >= 0) {
            slots[r->slot_rank[i]] = ph_value_decimal(ev->v[i] * PH_DECIMAL_ONE);
            slots[r->slot_prev_rank[i]] =
                has_prev ? ph_value_decimal(prev[i] * PH_DECIMAL_ONE) : ph_value_null();
        }
    }
    slots[r->slot_days_since] =
        has_prev ? ph_value_decimal(((int64_t)ev->day - s->prev_day[f]) * PH_DECIMAL_ONE)
                 : ph_value_null();
    ph_value out;
    if (st == PH_OK)
        st = ph_expr_eval(r->when, slots, &out, err);
    /* the event is the rule's "previous" from now on, whatever it decided */
    memcpy(prev, ev->v, (size_t)k * sizeof(int64_t));
    s->prev_day[f] = ev->day;
    if (st != PH_OK || out.kind != PH_VALUE_BOOL || !out.as.boolean)
        return st;
    int32_t *recent = &s->recent[(size_t)f * (size_t)r->count_at_least];
    int c = r->count_at_least;
    memmove(recent, recent + 1, (size_t)(c - 1) * sizeof(int32_t));
    recent[c - 1] = ev->day;
    if (recent[0] == 0 || (int64_t)ev->day - recent[0] >= r->count_days)
        return PH_OK;
    char text[1024];
    ev_buf b = {text, sizeof(text), 0};
    ev_raw(&b, "{");
    ev_key(&b, "feed");
    ev_raw(&b, "\"%s\"", r->info.feed);
    ev_date(&b, "day", ev->day);
    for (int i = 0; i < k; i++) {
        const ph_feed_column *col = field_col(eng, r, i);
        char name[80];
        ev_decimal(&b, col->name, &slots[r->slot_val[i]]);
        snprintf(name, sizeof(name), "prev_%s", col->name);
        ev_decimal(&b, name, &slots[r->slot_prev[i]]);
    }
    if (c > 1) {
        ev_key(&b, "matches");
        ev_raw(&b, "%d", c);
        ev_date(&b, "first_match", recent[0]);
    }
    ev_raw(&b, "}");
    return hit(eng, ri, f, ev->day, r->info.level, r->repeat_days, text, err);
}

/* ---- window rules --------------------------------------------------------------------- */

static void add_to_slot(const warn_rule *r, warn_rule_state *s, uint32_t f, const ph_warn_event *ev)
{
    int64_t p = period_of(r, ev->day);
    size_t at = (size_t)f * (size_t)s->slots + slot_of(s, p);
    int64_t v = r->field >= 0 ? ev->v[r->field] : 1;
    if (s->first_period[f] == 0)
        s->first_period[f] = (int32_t)(p + 1);
    int32_t n = s->cnt[at];
    if (n < INT32_MAX)
        s->cnt[at] = n + 1;
    switch (r->agg) {
    case AGG_MIN:
        s->acc[at] = n == 0 || v < s->acc[at] ? v : s->acc[at];
        break;
    case AGG_MAX:
        s->acc[at] = n == 0 || v > s->acc[at] ? v : s->acc[at];
        break;
    default: /* a sum saturates rather than wraps: no real feed comes near */
        if (__builtin_add_overflow(s->acc[at], v, &s->acc[at]))
            s->acc[at] = v > 0 ? INT64_MAX : INT64_MIN;
    }
}

/* The aggregate of periods [from, to] of firm f: *value (raw units summed,
 * or the min or max), *events; 0 when the aggregate has no value (a mean,
 * min or max of no event). */
static int aggregate(const warn_rule *r, const warn_rule_state *s, uint32_t f, int64_t from,
                     int64_t to, int64_t *value, int64_t *events)
{
    int64_t acc = 0, n = 0;
    int any = 0;
    /* period p's slot is slot_of(p): one division for the first, then step round the ring */
    size_t base = (size_t)f * (size_t)s->slots, slots = (size_t)s->slots, k = slot_of(s, from);
    for (int64_t p = from; p <= to; p++) {
        size_t at = base + k;
        if (++k == slots)
            k = 0;
        int32_t c = s->cnt[at];
        n += c;
        if (r->agg == AGG_MIN || r->agg == AGG_MAX) {
            if (c > 0 && (!any || (r->agg == AGG_MIN ? s->acc[at] < acc : s->acc[at] > acc)))
                acc = s->acc[at];
            any |= c > 0;
        } else if (__builtin_add_overflow(acc, s->acc[at], &acc)) {
            acc = s->acc[at] > 0 ? INT64_MAX : INT64_MIN;
        }
    }
    *events = n;
    *value = r->agg == AGG_COUNT ? n : acc;
    if (r->agg == AGG_SUM || r->agg == AGG_COUNT)
        return 1;
    return r->agg == AGG_MEAN ? n > 0 : any;
}

/* The aggregate as a decimal, a sum or count scaled by `scale_num /
 * scale_den` (a baseline's periods to the window's). */
/* n / d rounded half-even, d > 0, into *out; 0 when it does not fit an
 * int64: the one rounding division of the library (core/i128.h) that
 * ph_decimal_div and ph_decimal_mul end with, called here directly, since a
 * day close makes three per firm and the general path with its checks was a
 * tenth of the engine. */
static int div_half_even(i128 n, int64_t d, int64_t *out)
{
    return i128_to_i64(i128_div_round(n, d, PH_ROUND_HALF_EVEN), out);
}

static ph_status as_decimal(const warn_rule *r, int64_t value, int64_t events, int64_t scale_num,
                            int64_t scale_den, ph_value *out, ph_error *err)
{
    ph_decimal d = 0;
    ph_field_type type = r->agg == AGG_COUNT ? PH_FIELD_INT : r->field_type;
    ph_status st = warn_to_decimal(type, value, &d, err);
    /* a mean: d / events (ph_decimal_div of events units) */
    if (st == PH_OK && r->agg == AGG_MEAN && !div_half_even(d, events, &d))
        st = ph_decimal_div(d, events * PH_DECIMAL_ONE, PH_ROUND_HALF_EVEN, &d, err);
    /* a sum or count over the baseline scaled to the window: d x num / den,
     * the product exact (num is whole) as ph_decimal_mul's */
    if (st == PH_OK && scale_num != scale_den && r->agg != AGG_MEAN && r->agg != AGG_MIN &&
        r->agg != AGG_MAX) {
        i128 product = (i128)d * scale_num;
        if (product > INT64_MAX || product < INT64_MIN || !div_half_even(product, scale_den, &d)) {
            ph_decimal num = scale_num * PH_DECIMAL_ONE, den = scale_den * PH_DECIMAL_ONE;
            st = ph_decimal_mul(d, num, PH_ROUND_HALF_EVEN, &d, err);
            if (st == PH_OK)
                st = ph_decimal_div(d, den, PH_ROUND_HALF_EVEN, &d, err);
        }
    }
    if (st == PH_OK)
        *out = ph_value_decimal(d);
    return st;
}

/* a / b as ph_decimal_div would give it; null without a positive divisor or
 * when the quotient does not fit */
static ph_value ratio_of(const ph_value *a, const ph_value *b)
{
    ph_decimal q = 0;
    if (a->kind != PH_VALUE_DECIMAL || b->kind != PH_VALUE_DECIMAL || b->as.decimal <= 0 ||
        !div_half_even((i128)a->as.decimal * PH_DECIMAL_ONE, b->as.decimal, &q))
        return ph_value_null();
    return ph_value_decimal(q);
}

/* Whether firm f has the history period p needs: a first event of the
 * rule's feed at least window + baseline periods back (none: it has none). */
static int has_history(const warn_rule *r, const warn_rule_state *s, uint32_t f, int64_t p)
{
    int32_t first = s->first_period[f];
    return first != 0 && p - ((int64_t)first - 1) + 1 >= r->window + r->baseline;
}

/* The raw sums of periods [from, to] of firm f's ring, saturating as
 * aggregate() does; 0 when a sum saturated. */
static int ring_sums(const warn_rule_state *s, uint32_t f, int64_t from, int64_t to,
                     int64_t *acc, int64_t *cnt)
{
    int exact = 1;
    *acc = *cnt = 0;
    for (int64_t p = from; p <= to; p++) {
        size_t at = (size_t)f * (size_t)s->slots + slot_of(s, p);
        *cnt += s->cnt[at];
        if (__builtin_add_overflow(*acc, s->acc[at], acc)) {
            *acc = s->acc[at] > 0 ? INT64_MAX : INT64_MIN;
            exact = 0;
        }
    }
    return exact;
}

/*
 * A sum's or mean's baseline is the same B periods a period later less the
 * one that leaves plus the one that enters, so it is kept running instead of
 * summed over the ring at every close (a power rule's 28 days, twice a day:
 * a quarter of a close). After period p closes, bsum and bcnt hold the
 * baseline of p + 1, [p + 2 - W - B, p + 1 - W]: both ends are still in the
 * ring (its slot for p + 1 is cleared after this). A sum that would
 * overflow is summed again from the ring, saturating as aggregate() does,
 * so the figures are aggregate()'s whatever the values.
 */
static void roll_baseline(const warn_rule *r, warn_rule_state *s, size_t nfirms, int64_t p)
{
    int64_t enter = p + 1 - r->window, leave = p + 1 - r->window - r->baseline;
    size_t in = slot_of(s, enter), out = slot_of(s, leave);
    for (uint32_t f = 0; f < nfirms; f++) {
        if (s->first_period[f] == 0)
            continue;
        size_t base = (size_t)f * (size_t)s->slots;
        s->bcnt[f] += (int64_t)s->cnt[base + in] - s->cnt[base + out];
        int64_t sum = 0;
        if (s->bsum[f] == INT64_MAX || s->bsum[f] == INT64_MIN ||
            __builtin_add_overflow(s->bsum[f], s->acc[base + in], &sum) ||
            __builtin_sub_overflow(sum, s->acc[base + out], &sum))
            (void)ring_sums(s, f, leave + 1, enter, &sum, &s->bcnt[f]);
        s->bsum[f] = sum;
    }
}

/* After a restore: the running baselines of the next period to close. */
void warn_engine_derive_baselines(ph_warn_engine *eng)
{
    for (size_t i = 0; i < eng->rules->count; i++) {
        const warn_rule *r = &eng->rules->rule[i];
        warn_rule_state *s = &eng->rs[i];
        if (!s->running || eng->closed == 0)
            continue;
        /* the last period closed: the one ending on or before the day closed */
        int64_t q = period_of(r, eng->closed);
        if (period_end(r, q) != eng->closed)
            q--;
        for (uint32_t f = 0; f < eng->nfirms; f++)
            if (s->first_period[f] != 0)
                (void)ring_sums(s, f, q + 2 - r->window - r->baseline, q + 1 - r->window,
                                &s->bsum[f], &s->bcnt[f]);
    }
}

/* The window value, baseline and (for peers) the firm's index of firm f for
 * period p into v[WV_*]; 0 when the firm has too little history. */
static ph_status window_values(const warn_rule *r, const warn_rule_state *s, uint32_t f,
                               int64_t p, ph_value *v, int *ready, ph_error *err)
{
    *ready = 0;
    for (int i = 0; i < WV_COUNT; i++)
        v[i] = ph_value_null();
    if (!has_history(r, s, f, p))
        return PH_OK;
    int64_t value = 0, events = 0;
    ph_status st = PH_OK;
    if (aggregate(r, s, f, p - r->window + 1, p, &value, &events) &&
        (r->agg != AGG_MEAN || events > 0))
        st = as_decimal(r, value, events, 1, 1, &v[WV_VALUE], err);
    v[WV_EVENTS] = ph_value_decimal(events * PH_DECIMAL_ONE);
    if (st == PH_OK && r->baseline > 0) {
        int64_t bv = 0, be = 0;
        int64_t to = p - r->window;
        int ok = 0;
        if (s->running) { /* the same figures as aggregate(), kept running */
            be = s->bcnt[f];
            bv = r->agg == AGG_COUNT ? be : s->bsum[f];
            ok = r->agg != AGG_MEAN || be > 0;
        } else {
            ok = aggregate(r, s, f, to - r->baseline + 1, to, &bv, &be);
        }
        if (ok)
            st = as_decimal(r, bv, be, r->window, r->baseline, &v[WV_BASELINE], err);
    }
    if (st == PH_OK && r->cmp == CMP_BASELINE)
        v[WV_RATIO] = ratio_of(&v[WV_VALUE], &v[WV_BASELINE]);
    *ready = st == PH_OK;
    return st;
}

/* change = ratio - 1, when there is a ratio */
static ph_status finish_ratio(ph_value *v, ph_error *err)
{
    if (v[WV_RATIO].kind != PH_VALUE_DECIMAL)
        return PH_OK;
    ph_decimal change = 0;
    ph_status st = ph_decimal_sub(v[WV_RATIO].as.decimal, PH_DECIMAL_ONE, &change, err);
    if (st == PH_OK)
        v[WV_CHANGE] = ph_value_decimal(change);
    return st;
}

static ph_status window_hit(ph_warn_engine *eng, size_t ri, uint32_t f, int64_t p,
                            const ph_value *v, ph_error *err)
{
    const warn_rule *r = &eng->rules->rule[ri];
    char text[1024];
    ev_buf b = {text, sizeof(text), 0};
    ev_raw(&b, "{");
    ev_key(&b, "feed");
    ev_raw(&b, "\"%s\"", r->info.feed);
    ev_date(&b, "period_end", period_end(r, p));
    static const char *const NAMES[WV_COUNT] = {"value", "baseline", "peers",
                                                "ratio", "change",   "events"};
    for (int i = 0; i < WV_COUNT; i++)
        ev_decimal(&b, NAMES[i], &v[i]);
    ev_key(&b, "streak");
    ev_raw(&b, "%d}", eng->rs[ri].streak[f]);
    return hit(eng, ri, f, period_end(r, p), r->info.level, 0, text, err);
}

/* Evaluate the rule for watched firm f and carry its streak. */
static ph_status judge(ph_warn_engine *eng, size_t ri, uint32_t f, int64_t p, const ph_value *v,
                       ph_error *err)
{
    const warn_rule *r = &eng->rules->rule[ri];
    warn_rule_state *s = &eng->rs[ri];
    ph_value out;
    ph_status st = ph_expr_eval(r->when, v, &out, err);
    if (st != PH_OK)
        return st;
    if (out.kind != PH_VALUE_BOOL || !out.as.boolean) {
        s->streak[f] = 0;
        return PH_OK;
    }
    if (s->streak[f] < INT32_MAX)
        s->streak[f]++;
    if (s->streak[f] == r->consecutive)
        return window_hit(eng, ri, f, p, v, err);
    if (s->streak[f] > r->consecutive) { /* still holding: keeps the colour, no new alert */
        s->last_hit[f] = period_end(r, p);
        return raise_level(eng, f, period_end(r, p), r->info.id, err);
    }
    return PH_OK;
}

static ph_status close_window(ph_warn_engine *eng, size_t ri, int64_t p, ph_error *err)
{
    const warn_rule *r = &eng->rules->rule[ri];
    warn_rule_state *s = &eng->rs[ri];
    ph_value v[WV_COUNT];
    ph_status st = PH_OK;
    if (r->cmp == CMP_PEERS) {
        /* pass 1: each firm's index (its value, or value / own baseline) into
         * its group's sum; pass 2: each watched firm against its group */
        if (eng->group_scratch_cap < eng->ngroups) {
            ph_free(eng->ctx, eng->gsum);
            ph_free(eng->ctx, eng->gcnt);
            eng->gsum = ph_calloc(eng->ctx, eng->ngroups, sizeof(int64_t));
            eng->gcnt = ph_calloc(eng->ctx, eng->ngroups, sizeof(int32_t));
            if (eng->gsum == NULL || eng->gcnt == NULL)
                return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
            eng->group_scratch_cap = eng->ngroups;
        }
        memset(eng->gsum, 0, eng->ngroups * sizeof(int64_t));
        memset(eng->gcnt, 0, eng->ngroups * sizeof(int32_t));
        for (uint32_t f = 0; f < eng->nfirms && st == PH_OK; f++) {
            int ready = 0;
            eng->peer_ok[f] = 0;
            if (!has_history(r, s, f, p)) /* window_values would say: not ready */
                continue;
            st = window_values(r, s, f, p, v, &ready, err);
            ph_value x = r->baseline > 0 ? ratio_of(&v[WV_VALUE], &v[WV_BASELINE]) : v[WV_VALUE];
            if (st != PH_OK || !ready || x.kind != PH_VALUE_DECIMAL)
                continue;
            int64_t *px = &eng->peer_x[(size_t)f * PEER_X];
            px[PX_INDEX] = x.as.decimal;
            px[PX_VALUE] = v[WV_VALUE].as.decimal;
            px[PX_BASELINE] = v[WV_BASELINE].as.decimal; /* unread when there is no baseline */
            px[PX_EVENTS] = v[WV_EVENTS].as.decimal;
            eng->peer_ok[f] = 1;
            int32_t g = eng->firm[f].group;
            if (__builtin_add_overflow(eng->gsum[g], x.as.decimal, &eng->gsum[g]))
                return ph_error_set(err, PH_ERANGE, "peers", r->info.id,
                                    "the peers' total is beyond the range of a decimal");
            eng->gcnt[g]++;
        }
    }
    for (uint32_t f = 0; f < eng->nfirms && st == PH_OK; f++) {
        if (!eng->firm[f].watched)
            continue;
        int ready = 0;
        if (r->cmp == CMP_PEERS) {
            int32_t g = eng->firm[f].group;
            if (!eng->peer_ok[f] || eng->gcnt[g] < r->min_peers) {
                s->streak[f] = 0;
                continue;
            }
            /* what window_values said in pass 1: with an index, the value is a
             * decimal, and so is the baseline when there is one */
            const int64_t *px = &eng->peer_x[(size_t)f * PEER_X];
            for (int i = 0; i < WV_COUNT; i++)
                v[i] = ph_value_null();
            v[WV_VALUE] = ph_value_decimal(px[PX_VALUE]);
            if (r->baseline > 0)
                v[WV_BASELINE] = ph_value_decimal(px[PX_BASELINE]);
            v[WV_EVENTS] = ph_value_decimal(px[PX_EVENTS]);
            ready = 1;
            ph_value x = ph_value_decimal(px[PX_INDEX]);
            v[WV_PEERS] = ph_value_decimal(eng->gsum[g] / eng->gcnt[g]);
            v[WV_RATIO] = ratio_of(&x, &v[WV_PEERS]);
        } else if (has_history(r, s, f, p)) {
            st = window_values(r, s, f, p, v, &ready, err);
        }
        if (st == PH_OK && !ready) {
            s->streak[f] = 0;
            continue;
        }
        if (st == PH_OK)
            st = finish_ratio(v, err);
        if (st == PH_OK)
            st = judge(eng, ri, f, p, v, err);
    }
    if (s->running)
        roll_baseline(r, s, eng->nfirms, p);
    /* the next period starts empty (a firm that never had an event of the
     * feed has every slot empty already: not touching it saves a cache miss) */
    size_t next = slot_of(s, p + 1);
    for (uint32_t f = 0; f < eng->nfirms; f++) {
        if (s->first_period[f] == 0)
            continue;
        size_t at = (size_t)f * (size_t)s->slots + next;
        s->acc[at] = 0;
        s->cnt[at] = 0;
    }
    return st;
}

static ph_status close_day(ph_warn_engine *eng, ph_date day, ph_error *err)
{
    ph_status st = PH_OK;
    for (size_t i = 0; i < eng->rules->count && st == PH_OK; i++) {
        const warn_rule *r = &eng->rules->rule[i];
        if (r->info.kind != PH_WARN_RULE_WINDOW)
            continue;
        int64_t p = period_of(r, day);
        if (period_end(r, p) == day)
            st = close_window(eng, i, p, err);
    }
    if (st == PH_OK)
        st = calm_down(eng, day, err);
    if (st == PH_OK)
        eng->closed = day;
    return st;
}

ph_status ph_warn_engine_close_through(ph_warn_engine *eng, ph_date day, ph_error *err)
{
    if (eng == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_warn_engine_close_through: NULL");
    if (eng->closed == 0) { /* nothing has happened yet: nothing to close */
        eng->closed = day;
        return PH_OK;
    }
    ph_status st = PH_OK;
    for (ph_date d = eng->closed + 1; d <= day && st == PH_OK; d++)
        st = close_day(eng, d, err);
    return st;
}

static ph_status out_of_order(const ph_warn_engine *eng, size_t i, const ph_warn_event *ev,
                              ph_error *err)
{
    char day[PH_DATE_FORMAT_MAX] = "?", reached[PH_DATE_FORMAT_MAX] = "?";
    ph_date_format(ev->day, day, sizeof(day), NULL);
    ph_date_format(eng->closed, reached, sizeof(reached), NULL);
    const ph_feed *feed = ph_warn_feed_at(ev->feed);
    return ph_error_set(err, PH_EINVAL, "day", day,
                        "event %zu of feed %s for firm %s is dated before the days already "
                        "closed (through %s): events must come in time order",
                        i + 1, feed != NULL ? feed->name : "?", eng->firm[ev->firm].uscc, reached);
}

ph_status ph_warn_engine_push(ph_warn_engine *eng, const ph_warn_event *events, size_t n,
                              ph_error *err)
{
    if (eng == NULL || (events == NULL && n > 0))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_warn_engine_push: NULL argument");
    size_t nrules = eng->rules->count;
    for (size_t i = 0; i < n; i++) {
        const ph_warn_event *ev = &events[i];
        if (ev->firm >= eng->nfirms)
            return ph_error_set(err, PH_EINVAL, "firm", NULL,
                                "event %zu names firm %u; %zu are registered", i + 1, ev->firm,
                                eng->nfirms);
        if (ev->feed >= eng->nfeeds)
            return ph_error_set(err, PH_EINVAL, "feed", NULL,
                                "event %zu names feed %u; %zu feeds serve monitoring", i + 1,
                                ev->feed, eng->nfeeds);
        if (eng->closed == 0)
            eng->closed = ev->day - 1;
        if (ev->day <= eng->closed)
            return out_of_order(eng, i, ev, err);
        ph_status st = ev->day > eng->closed + 1
                           ? ph_warn_engine_close_through(eng, ev->day - 1, err)
                           : PH_OK;
        if (st != PH_OK)
            return st;
        size_t feed = ev->feed;
        for (size_t k = 0; k < eng->feed_nwindow[feed]; k++) {
            int ri = eng->feed_window[feed * nrules + k];
            add_to_slot(&eng->rules->rule[ri], &eng->rs[ri], ev->firm, ev);
        }
        /* an unwatched firm's row is still the previous row of its next
         * one, so a firm watched later compares with what really came before */
        if (!eng->firm[ev->firm].watched) {
            for (size_t k = 0; k < eng->feed_nevent[feed]; k++)
                keep_as_previous(eng, (size_t)eng->feed_event[feed * nrules + k], ev);
            continue;
        }
        for (size_t k = 0; k < eng->feed_nevent[feed] && st == PH_OK; k++)
            st = run_event_rule(eng, (size_t)eng->feed_event[feed * nrules + k], ev, err);
        if (st != PH_OK)
            return st;
    }
    return PH_OK;
}
