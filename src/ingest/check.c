/*
 * Checking one record of a feed and converting it to stored values.
 *
 * In order: every field against the catalog (ph_feed_check_field), then the
 * firms it refers to (a firm must be registered, a lender or core
 * enterprise must be a known institution), then its natural key against
 * the file's earlier rows. A row that passes is converted (money to fen,
 * codes to integers, shares to reals, empty to NULL), hashed and dated
 * (known_on); the first problem found quarantines it.
 *
 * Duplicate keys, in memory that does not grow with the file. Feeds come
 * grouped by their key's first column (a firm's rows by date, firm after
 * firm): while they do, a key is new when it is past the previous row's key
 * within the group, or opens a group not seen before, and a duplicate when
 * it equals the previous row's key; a group whose keys come out of order is
 * checked against its own keys, up to GROUP_KEYS_MAX of them. Only the
 * groups are remembered across the file (one fingerprint per firm, not per
 * row). The first row that breaks the pattern (a group seen earlier, a key
 * out of order in a group of more keys than that) switches the file to a
 * set of every key: the caller replays the records before it
 * (ing_checker_replay_needed), and the file goes on as before.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/money.h"
#include "puhui/schema.h"

#include "ingest/ingest_internal.h"

#define MAX_KEY_COLUMNS 8
/* Keys of one group listed for a group whose keys come out of order. */
#define GROUP_KEYS_MAX 64

/* Columns that name a firm another source must have introduced, and what
 * may introduce it. buyer_uscc is a core enterprise for tier-1 suppliers. */
static const struct {
    const char *column;
    unsigned accepts;
    const char *expected;
} reference_rules[] = {
    {"uscc", ING_KNOWN_ENTERPRISE, "an enterprise registered in feed registration"},
    {"supplier_uscc", ING_KNOWN_ENTERPRISE, "an enterprise registered in feed registration"},
    {"buyer_uscc", ING_KNOWN_ENTERPRISE | ING_KNOWN_INSTITUTION,
     "an enterprise registered in feed registration, or a known core enterprise"},
    {"core_uscc", ING_KNOWN_INSTITUTION, "a known institution (reference/core_enterprises)"},
    {"lender_id", ING_KNOWN_INSTITUTION, "a known institution (reference/lenders)"},
};

/* Feeds that introduce firms: their column is the subject, not a reference. */
static const struct {
    const char *feed;
    const char *column;
    unsigned kind;
} firm_sources[] = {
    {"registration", "uscc", ING_KNOWN_ENTERPRISE},
    {"lenders", "lender_id", ING_KNOWN_INSTITUTION},
    {"guarantors", "guarantor_id", ING_KNOWN_INSTITUTION},
    {"core_enterprises", "uscc", ING_KNOWN_INSTITUTION},
};

struct ing_checker {
    const ph_ctx *ctx;
    const ph_feed *feed;
    ing_firm_set *firms;
    ing_key_set *keys;     /* every key so far; NULL while the keys come grouped */
    ing_key_set *groups;   /* while grouped: the groups (first key column) opened */
    uint64_t expected_rows;
    ing_text prev;         /* while grouped: the last new key, as length-prefixed fields */
    uint64_t prev_line;    /* its line; 0: none yet */
    ing_text cur;          /* this record's key, alike */
    ing_text group_keys;   /* the current group's first keys: line, length, key */
    size_t group_count;    /* keys of the current group */
    size_t group_listed;   /* of them in group_keys (at most GROUP_KEYS_MAX) */
    int group_in_order;    /* the current group's keys have come in order so far */
    int replay;            /* the last record needs the earlier ones replayed first */
    int key[MAX_KEY_COLUMNS];
    size_t nkey;
    int time_col;          /* -1: a snapshot */
    int source_col;        /* column this feed introduces firms by, or -1 */
    unsigned source_kind;
    signed char *rule;     /* per column: index into reference_rules, or -1 */
    ing_text raw;
    ing_text value; /* the refused value, escaped as every value shown is */
};

void ing_checker_free(ing_checker *c)
{
    if (c == NULL)
        return;
    ing_key_set_free(c->keys);
    ing_key_set_free(c->groups);
    ing_text_free(&c->prev);
    ing_text_free(&c->cur);
    ing_text_free(&c->group_keys);
    ph_free(c->ctx, c->rule);
    ing_text_free(&c->raw);
    ing_text_free(&c->value);
    ph_free(c->ctx, c);
}

static ph_status parse_key(ing_checker *c, ph_error *err)
{
    const char *p = c->feed->key;
    while (*p != '\0') {
        size_t n = strcspn(p, ",");
        char name[64];
        snprintf(name, sizeof(name), "%.*s", (int)(n < 63 ? n : 63), p);
        int idx = ph_feed_column_index(c->feed, name);
        if (idx < 0 || c->nkey == MAX_KEY_COLUMNS)
            return ph_error_set(err, PH_EMISUSE, "key", c->feed->key,
                                "feed %s: the key names an unknown column or too many",
                                c->feed->name);
        c->key[c->nkey++] = idx;
        p += n + (p[n] == ',');
    }
    return PH_OK;
}

static void find_rules(ing_checker *c)
{
    c->source_col = -1;
    for (size_t i = 0; i < sizeof(firm_sources) / sizeof(firm_sources[0]); i++)
        if (strcmp(firm_sources[i].feed, c->feed->name) == 0) {
            c->source_col = ph_feed_column_index(c->feed, firm_sources[i].column);
            c->source_kind = firm_sources[i].kind;
        }
    for (size_t col = 0; col < c->feed->column_count; col++) {
        c->rule[col] = -1;
        if ((int)col == c->source_col)
            continue;
        for (size_t r = 0; r < sizeof(reference_rules) / sizeof(reference_rules[0]); r++)
            if (strcmp(reference_rules[r].column, c->feed->columns[col].name) == 0)
                c->rule[col] = (signed char)r;
    }
}

ph_status ing_checker_new(const ph_ctx *ctx, const ph_feed *feed, ing_firm_set *firms,
                          uint64_t expected_rows, ing_checker **out, ph_error *err)
{
    ing_checker *c = ph_calloc(ctx, 1, sizeof(*c));
    if (c == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    c->ctx = ctx;
    c->feed = feed;
    c->firms = firms;
    c->raw.ctx = c->value.ctx = c->prev.ctx = c->cur.ctx = c->group_keys.ctx = ctx;
    c->expected_rows = expected_rows;
    c->rule = ph_calloc(ctx, feed->column_count, 1);
    ph_status st = c->rule == NULL ? ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory")
                                   : ing_key_set_new(ctx, 0, &c->groups, err);
    if (st == PH_OK)
        st = parse_key(c, err);
    if (st != PH_OK) {
        ing_checker_free(c);
        return st;
    }
    c->time_col = feed->time_column ? ph_feed_column_index(feed, feed->time_column) : -1;
    find_rules(c);
    *out = c;
    return PH_OK;
}

const int *ing_checker_key(const ing_checker *c, size_t *count)
{
    *count = c->nkey;
    return c->key;
}

/* --- conversion ------------------------------------------------------------------- */

/* Digits (and one '-') of a field already checked as a whole number. */
static int64_t to_int(const char *s, size_t len)
{
    int negative = len > 0 && s[0] == '-';
    int64_t v = 0;
    for (size_t i = (size_t)negative; i < len; i++)
        v = v * 10 - (s[i] - '0'); /* toward the sign: INT64_MIN fits */
    return negative ? v : -v;
}

/* A checked decimal as a double: exact division when the digits fit a
 * double's mantissa (then it equals strtod's correctly rounded result),
 * strtod otherwise. */
static double to_real(const char *s, size_t len)
{
    static const double powers[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
                                    1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    int negative = len > 0 && s[0] == '-';
    uint64_t m = 0;
    int digits = 0, decimals = -1;
    for (size_t i = (size_t)negative; i < len; i++) {
        if (s[i] == '.') {
            decimals = 0;
            continue;
        }
        m = m * 10 + (uint64_t)(s[i] - '0');
        digits++;
        if (decimals >= 0)
            decimals++;
        if (digits > 15)
            break;
    }
    if (digits <= 15) {
        double v = (double)m / powers[decimals < 0 ? 0 : decimals];
        return negative ? -v : v;
    }
    char buf[400];
    if (len >= sizeof(buf))
        len = sizeof(buf) - 1; /* a checked decimal this long has no more precision */
    memcpy(buf, s, len);
    buf[len] = '\0';
    return strtod(buf, NULL);
}

static ph_status convert(ing_batch *b, ing_value *v, const ph_feed_column *col, const char *s,
                         size_t len, ph_error *err)
{
    if (len == 0) {
        v->kind = ING_NULL;
        return PH_OK;
    }
    if (col->type == PH_FIELD_MONEY) {
        v->kind = ING_INT;
        return ph_money_parse(s, len, &v->u.i, err);
    }
    switch (ph_schema_feed_storage(col->type)) {
    case PH_STORAGE_INTEGER:
        v->kind = ING_INT;
        v->u.i = to_int(s, len);
        return PH_OK;
    case PH_STORAGE_REAL:
        v->kind = ING_REAL;
        v->u.d = to_real(s, len);
        return PH_OK;
    case PH_STORAGE_TEXT:
        break;
    }
    v->kind = ING_TEXT;
    v->len = len;
    return ing_batch_text(b, s, len, &v->u.off, err);
}

/* The row hash: over the stored values, so the same row from CSV or JSONL
 * (12345.6 or "12345.60") hashes the same. */
static int64_t row_hash(const ing_batch *b, const ing_value *values, size_t n)
{
    uint64_t h = 0x70756875690a0001ULL; /* "puhui" and a format version */
    for (size_t i = 0; i < n; i++) {
        const ing_value *v = &values[i];
        h = ing_hash_mix(h, v->kind);
        switch ((ing_kind)v->kind) {
        case ING_NULL: break;
        case ING_INT: h = ing_hash_mix(h, (uint64_t)v->u.i); break;
        case ING_REAL: {
            uint64_t bits;
            double d = v->u.d == 0.0 ? 0.0 : v->u.d; /* -0.0 and 0.0 are one value */
            memcpy(&bits, &d, sizeof(bits));
            h = ing_hash_mix(h, bits);
            break;
        }
        case ING_TEXT: h = ing_hash_mix(h, ing_hash_bytes(b->text + v->u.off, v->len, i)); break;
        }
    }
    return (int64_t)ing_hash_bytes(&h, sizeof(h), n);
}

/* The day the row is known from: its time column (a month: its last day)
 * plus the feed's lag. */
static int row_date(const ing_checker *c, const ing_record *rec, ph_date *out)
{
    if (c->time_col < 0)
        return 0;
    const char *s = rec->fields[c->time_col];
    size_t len = rec->lens[c->time_col];
    ph_date d;
    if (c->feed->columns[c->time_col].type == PH_FIELD_MONTH) {
        ph_month m;
        if (ph_month_parse(s, len, &m, NULL) != PH_OK || ph_month_last_day(m, &d, NULL) != PH_OK)
            return 0;
    } else if (ph_date_parse(s, len, &d, NULL) != PH_OK) {
        return 0;
    }
    return ph_date_add_days(d, c->feed->lag_days, out, NULL) == PH_OK;
}

/* --- the checks --------------------------------------------------------------------- */

static ph_status reject(ing_checker *c, const ing_record *rec, ing_batch *b,
                        ph_reject_reason reason, int column, const char *field, const char *value,
                        size_t value_len, const char *detail, ph_error *err)
{
    const char *raw = rec->raw;
    size_t raw_len = rec->raw_len;
    if (raw == NULL) {
        ph_status st = ing_text_csv_line(&c->raw, rec->fields, rec->lens,
                                         c->feed->column_count, err);
        if (st != PH_OK)
            return st;
        raw = c->raw.data;
        raw_len = c->raw.len;
    }
    c->value.len = 0;
    ph_status st = ing_text_escaped(&c->value, value, value_len, err);
    if (st != PH_OK)
        return st;
    return ing_batch_add_reject(b, rec->line, reason, column + 1, field, c->value.data, c->value.len,
                                detail, raw, raw_len, err);
}

/* The fingerprint of the row's key: two seeds over the key fields, each
 * preceded by its length so ("ab","c") and ("a","bc") differ. */
static void key_fingerprint(const ing_checker *c, const ing_record *rec, uint64_t *h1,
                            uint64_t *h2)
{
    uint64_t a = 0x6b6579310aULL, z = 0x6b6579320aULL;
    for (size_t k = 0; k < c->nkey; k++) {
        const char *s = rec->fields[c->key[k]];
        size_t len = rec->lens[c->key[k]];
        a = ing_hash_mix(ing_hash_mix(a, len), ing_hash_bytes(s, len, 0x51));
        z = ing_hash_mix(ing_hash_mix(z, len), ing_hash_bytes(s, len, 0xa7));
    }
    *h1 = ing_hash_bytes(&a, sizeof(a), 1);
    *h2 = ing_hash_bytes(&z, sizeof(z), 2);
}

/* The record's key as length-prefixed fields, for comparing with the next. */
static ph_status key_text(const ing_checker *c, const ing_record *rec, ing_text *out,
                          ph_error *err)
{
    out->len = 0;
    for (size_t k = 0; k < c->nkey; k++) {
        size_t len = rec->lens[c->key[k]];
        ph_status st = ing_text_reserve(out, sizeof(len) + len, err);
        if (st != PH_OK)
            return st;
        memcpy(out->data + out->len, &len, sizeof(len));
        memcpy(out->data + out->len + sizeof(len), rec->fields[c->key[k]], len);
        out->len += sizeof(len) + len;
    }
    return PH_OK;
}

/* Two keys as key_text writes them, field by field (bytes, then the
 * shorter first): -1, 0 or 1 in *order, and whether the first field (the
 * group) is the same. */
static void key_compare(const char *x, const char *y, size_t nkey, int *order, int *same_group)
{
    *same_group = 0;
    *order = 0;
    for (size_t k = 0; k < nkey; k++) {
        size_t xl, yl;
        memcpy(&xl, x, sizeof(xl));
        memcpy(&yl, y, sizeof(yl));
        int r = memcmp(x + sizeof(xl), y + sizeof(yl), xl < yl ? xl : yl);
        if (r == 0 && xl != yl)
            r = xl < yl ? -1 : 1;
        if (r != 0) {
            *order = r < 0 ? -1 : 1;
            return;
        }
        if (k == 0)
            *same_group = 1;
        x += sizeof(xl) + xl;
        y += sizeof(yl) + yl;
    }
}

/* Remember `key` (c->cur) of `line` as the group's newest key: always as
 * the previous key, and among the group's listed keys while there is room. */
static ph_status group_add(ing_checker *c, uint64_t line, ph_error *err)
{
    c->group_count++;
    c->prev_line = line;
    c->prev.len = 0;
    ph_status st = ing_text_reserve(&c->prev, c->cur.len, err);
    if (st != PH_OK)
        return st;
    memcpy(c->prev.data, c->cur.data, c->cur.len);
    c->prev.len = c->cur.len;
    if (c->group_listed == GROUP_KEYS_MAX)
        return PH_OK;
    size_t entry = sizeof(uint64_t) + sizeof(size_t) + c->cur.len;
    st = ing_text_reserve(&c->group_keys, entry, err);
    if (st != PH_OK)
        return st;
    char *p = c->group_keys.data + c->group_keys.len;
    memcpy(p, &line, sizeof(line));
    memcpy(p + sizeof(line), &c->cur.len, sizeof(size_t));
    memcpy(p + sizeof(line) + sizeof(size_t), c->cur.data, c->cur.len);
    c->group_keys.len += entry;
    c->group_listed++;
    return PH_OK;
}

/* The line of the group's listed key equal to c->cur, 0 when none is. */
static uint64_t group_find(const ing_checker *c)
{
    const char *p = c->group_keys.data, *end = p + c->group_keys.len;
    while (p < end) {
        uint64_t line;
        size_t len;
        memcpy(&line, p, sizeof(line));
        memcpy(&len, p + sizeof(line), sizeof(len));
        const char *key = p + sizeof(line) + sizeof(len);
        if (len == c->cur.len && memcmp(key, c->cur.data, len) == 0)
            return line;
        p = key + len;
    }
    return 0;
}

/* Switch to the set of every key (the keys stopped coming grouped). */
static ph_status start_key_set(ing_checker *c, ph_error *err)
{
    ph_status st = ing_key_set_new(c->ctx, c->expected_rows, &c->keys, err);
    if (st != PH_OK)
        return st;
    ing_key_set_free(c->groups);
    c->groups = NULL;
    return PH_OK;
}

/* Whether the key is new while the keys come grouped: *first receives 0
 * (new) or the line of the same key (a duplicate); *broken is set when
 * the record breaks the grouping (nothing is recorded then). Within a
 * group, keys in order need only the previous one; a group out of order
 * (a firm's quarter listed 'vat' then 'cit') is checked against its listed
 * keys, as long as it has no more than GROUP_KEYS_MAX of them. */
static ph_status grouped_key(ing_checker *c, const ing_record *rec, uint64_t *first, int *broken,
                             ph_error *err)
{
    *first = 0;
    *broken = 0;
    ph_status st = key_text(c, rec, &c->cur, err);
    if (st != PH_OK)
        return st;
    int order = 1, same_group = 0;
    if (c->prev_line != 0)
        key_compare(c->cur.data, c->prev.data, c->nkey, &order, &same_group);
    if (!same_group) {
        const char *s = rec->fields[c->key[0]];
        size_t len = rec->lens[c->key[0]];
        uint64_t seen = 0;
        st = ing_key_set_insert(c->groups, ing_hash_bytes(s, len, 0x67),
                                ing_hash_bytes(s, len, 0x68), rec->line, &seen, err);
        if (st != PH_OK)
            return st;
        if (seen != 0) { /* the group came back: its keys may repeat anywhere now */
            *broken = 1;
            return PH_OK;
        }
        c->group_keys.len = 0;
        c->group_count = c->group_listed = 0;
        c->group_in_order = 1;
        return group_add(c, rec->line, err);
    }
    if (order == 0) {
        *first = c->prev_line;
        return PH_OK;
    }
    if (order > 0 && c->group_in_order)
        return group_add(c, rec->line, err);
    c->group_in_order = 0;
    if (c->group_listed < c->group_count) { /* not every key of the group is listed */
        *broken = 1;
        return PH_OK;
    }
    *first = group_find(c);
    if (*first != 0)
        return PH_OK;
    if (c->group_listed == GROUP_KEYS_MAX) { /* no room to list it */
        *broken = 1;
        return PH_OK;
    }
    return group_add(c, rec->line, err);
}

int ing_checker_replay_needed(ing_checker *c)
{
    int r = c->replay;
    c->replay = 0;
    return r;
}

static ph_status duplicate(ing_checker *c, const ing_record *rec, ing_batch *b, uint64_t first,
                           ph_error *err)
{
    char value[256], detail[160];
    size_t used = 0;
    for (size_t k = 0; k < c->nkey && used < sizeof(value); k++)
        used += (size_t)snprintf(value + used, sizeof(value) - used, "%s%.*s", k ? "," : "",
                                 (int)rec->lens[c->key[k]], rec->fields[c->key[k]]);
    snprintf(detail, sizeof(detail), "same key as line %llu; expected each key (%s) once per "
             "file", (unsigned long long)first, c->feed->key);
    /* the key's first column locates it; the field names the whole key */
    return reject(c, rec, b, PH_REJECT_DUPLICATE_KEY, c->key[0], c->feed->key, value,
                  strlen(value), detail, err);
}

ph_status ing_checker_record(ing_checker *c, const ing_record *rec, int skip, ing_batch *b,
                             ph_error *err)
{
    if (rec->bad)
        return skip ? PH_OK
                    : ing_batch_add_reject(b, rec->line, rec->reason, rec->field_number,
                                           rec->field, rec->value,
                                           rec->value_len, rec->detail, rec->raw, rec->raw_len,
                                           err);
    const ph_feed *feed = c->feed;
    for (size_t i = 0; i < feed->column_count; i++) {
        ph_error e;
        const ph_feed_column *col = &feed->columns[i];
        if (ph_feed_check_field(col, rec->fields[i], rec->lens[i], &e) != PH_OK)
            return skip ? PH_OK
                        : reject(c, rec, b, ing_reason_of_field(col, rec->lens[i]), (int)i,
                                 col->name,
                                 rec->fields[i], rec->lens[i], e.detail, err);
    }
    for (size_t i = 0; i < feed->column_count; i++) {
        if (c->rule[i] < 0 || rec->lens[i] != 18)
            continue;
        unsigned accepts = reference_rules[(size_t)c->rule[i]].accepts;
        if ((ing_firm_set_kinds(c->firms, rec->fields[i]) & accepts) != 0)
            continue;
        char detail[200];
        snprintf(detail, sizeof(detail), "unknown firm; expected %s",
                 reference_rules[(size_t)c->rule[i]].expected);
        return skip ? PH_OK
                    : reject(c, rec, b, PH_REJECT_UNKNOWN_ENTERPRISE, (int)i,
                             feed->columns[i].name,
                             rec->fields[i], rec->lens[i], detail, err);
    }
    uint64_t first = 0;
    ph_status st = PH_OK;
    if (c->keys == NULL) {
        int broken = 0;
        st = grouped_key(c, rec, &first, &broken, err);
        if (st == PH_OK && broken) {
            /* every key so far must go into the set: the caller replays the
             * earlier records, then checks this one again */
            st = start_key_set(c, err);
            c->replay = st == PH_OK;
            return st;
        }
    } else {
        uint64_t h1, h2;
        key_fingerprint(c, rec, &h1, &h2);
        st = ing_key_set_insert(c->keys, h1, h2, rec->line, &first, err);
    }
    if (st != PH_OK)
        return st;
    if (first != 0)
        return skip ? PH_OK : duplicate(c, rec, b, first, err);
    if (c->source_col >= 0) {
        st = ing_firm_set_add(c->firms, rec->fields[c->source_col], c->source_kind, err);
        if (st != PH_OK)
            return st;
    }
    if (skip)
        return PH_OK;
    ing_row *row = ing_batch_add_row(b, feed->column_count, err);
    if (row == NULL)
        return PH_ENOMEM;
    row->line = rec->line;
    ing_value *values = &b->values[row->first];
    for (size_t i = 0; i < feed->column_count; i++) {
        st = convert(b, &values[i], &feed->columns[i], rec->fields[i], rec->lens[i], err);
        if (st != PH_OK) {
            ing_batch_drop_row(b, feed->column_count);
            return st;
        }
    }
    row->hash = row_hash(b, values, feed->column_count);
    row->has_time = row_date(c, rec, &row->known_on);
    return PH_OK;
}
