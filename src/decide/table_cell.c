/*
 * Input cells: parsing a FEEL-like unary test ("< 600", "[1..5)",
 * "\"A\", \"B\"", "not(\"D\")", "-") and compiling it into a dt_cell that
 * the evaluator tests with a couple of integer compares.
 *
 * Parsing first yields a small list of items, each an interval of
 * decimals, a text or a bool; compiling then checks the items against the
 * input's kind and picks the cheapest representation.
 */
#include "table_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOWN_MAX 80 /* characters of a cell quoted in a message */

static const char SYNTAX_HINT[] =
    "expected a unary test such as '< 600', '[1..5)', '\"A\",\"B\"' or '-'";

typedef enum item_kind { ITEM_DECIMAL, ITEM_TEXT, ITEM_BOOL, ITEM_NULL } item_kind;

typedef struct item {
    item_kind kind;
    ph_decimal lo, hi;   /* ITEM_DECIMAL, closed */
    const char *text;    /* ITEM_TEXT, in the cell's text */
    size_t text_len;
    int boolean;
} item;

typedef struct parser {
    const char *s;
    size_t len, pos;
    const char *cell; /* the whole cell, for messages */
    item *items;
    size_t n_items, cap_items;
    const ph_ctx *ctx;
} parser;

static ph_status syntax_error(const parser *p, ph_error *err)
{
    return ph_error_set(err, PH_EINVAL, NULL, NULL, "%s, got '%.*s'", SYNTAX_HINT, SHOWN_MAX,
                        p->cell);
}

static void skip_space(parser *p)
{
    while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t'))
        p->pos++;
}

static int peek(const parser *p, size_t ahead)
{
    return p->pos + ahead < p->len ? (unsigned char)p->s[p->pos + ahead] : -1;
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* The bytes of a number: sign, digits, '.', unit letters ("%", "bp"), and
 * a comma only directly between digits (a thousands separator). Stops
 * before ".." so that "[600..700)" reads 600. */
static size_t number_span(const parser *p)
{
    size_t i = p->pos;
    if (i < p->len && (p->s[i] == '-' || p->s[i] == '+'))
        i++;
    while (i < p->len) {
        int c = (unsigned char)p->s[i];
        if (c == '.' && i + 1 < p->len && p->s[i + 1] == '.')
            break;
        if (is_digit(c) || c == '.' || c == '%' || is_alpha(c)) {
            i++;
        } else if (c == ',' && i > p->pos && is_digit((unsigned char)p->s[i - 1]) &&
                   i + 1 < p->len && is_digit((unsigned char)p->s[i + 1])) {
            i++;
        } else {
            break;
        }
    }
    return i - p->pos;
}

static ph_status parse_number(parser *p, ph_decimal *out, ph_error *err)
{
    size_t n = number_span(p);
    int c = peek(p, 0);
    if (n == 0 || !(is_digit(c) || c == '-' || c == '+' || c == '.'))
        return syntax_error(p, err);
    if (ph_decimal_parse(p->s + p->pos, n, out, NULL) != PH_OK)
        return ph_error_set(err, PH_EINVAL, NULL, NULL,
                            "expected a decimal such as 600, 0.3, 5%% or 85bp (separate list "
                            "items with ', '), got '%.*s' in '%.*s'",
                            (int)n, p->s + p->pos, SHOWN_MAX, p->cell);
    p->pos += n;
    return PH_OK;
}

static ph_status push_item(parser *p, const item *it, ph_error *err)
{
    if (p->n_items == p->cap_items) {
        size_t cap = p->cap_items ? p->cap_items * 2 : 8;
        item *grown = ph_realloc(p->ctx, p->items, cap * sizeof(item));
        if (grown == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        p->items = grown;
        p->cap_items = cap;
    }
    p->items[p->n_items++] = *it;
    return PH_OK;
}

/* Move an open bound one unit (1e-8) inward, so every interval is closed.
 * Returns 0 when there is no such value (the bound is the range's end). */
static int close_low(ph_decimal *lo)
{
    if (*lo == INT64_MAX)
        return 0;
    (*lo)++;
    return 1;
}

static int close_high(ph_decimal *hi)
{
    if (*hi == INT64_MIN)
        return 0;
    (*hi)--;
    return 1;
}

static ph_status empty_range(const parser *p, ph_error *err)
{
    return ph_error_set(err, PH_EINVAL, NULL, NULL,
                        "expected a range that holds at least one value, got '%.*s'",
                        SHOWN_MAX, p->cell);
}

/* "[" or "(" , optional low end, "..", optional high end, "]" or ")". */
static ph_status parse_range(parser *p, item *it, ph_error *err)
{
    int low_open = p->s[p->pos] == '(';
    p->pos++;
    skip_space(p);
    it->kind = ITEM_DECIMAL;
    it->lo = INT64_MIN;
    it->hi = INT64_MAX;
    int has_lo = !(peek(p, 0) == '.' && peek(p, 1) == '.');
    if (has_lo) {
        ph_status st = parse_number(p, &it->lo, err);
        if (st != PH_OK)
            return st;
        skip_space(p);
    }
    if (!(peek(p, 0) == '.' && peek(p, 1) == '.'))
        return syntax_error(p, err);
    p->pos += 2;
    skip_space(p);
    int has_hi = peek(p, 0) != ']' && peek(p, 0) != ')';
    if (has_hi) {
        ph_status st = parse_number(p, &it->hi, err);
        if (st != PH_OK)
            return st;
        skip_space(p);
    }
    int close = peek(p, 0);
    if (close != ']' && close != ')')
        return syntax_error(p, err);
    p->pos++;
    if (!has_lo && !has_hi)
        return syntax_error(p, err);
    if ((has_lo && low_open && !close_low(&it->lo)) ||
        (has_hi && close == ')' && !close_high(&it->hi)) || it->lo > it->hi)
        return empty_range(p, err);
    return PH_OK;
}

/* A literal: "text", true, false, null or a decimal. */
static ph_status parse_literal(parser *p, item *it, ph_error *err)
{
    int c = peek(p, 0);
    if (c == '"') {
        size_t start = p->pos + 1, end = start;
        while (end < p->len && p->s[end] != '"')
            end++;
        if (end >= p->len)
            return syntax_error(p, err);
        it->kind = ITEM_TEXT;
        it->text = p->s + start;
        it->text_len = end - start;
        p->pos = end + 1;
        return PH_OK;
    }
    if (is_alpha(c)) {
        size_t n = 0;
        while (is_alpha(peek(p, n)))
            n++;
        const char *word = p->s + p->pos;
        if (n == 4 && memcmp(word, "true", 4) == 0) {
            it->kind = ITEM_BOOL;
            it->boolean = 1;
        } else if (n == 5 && memcmp(word, "false", 5) == 0) {
            it->kind = ITEM_BOOL;
            it->boolean = 0;
        } else if (n == 4 && memcmp(word, "null", 4) == 0) {
            it->kind = ITEM_NULL;
        } else {
            return ph_error_set(err, PH_EINVAL, NULL, NULL,
                                "expected a literal: a quoted text such as \"%.*s\", a decimal, "
                                "true, false or null, got '%.*s'",
                                (int)n, word, SHOWN_MAX, p->cell);
        }
        p->pos += n;
        return PH_OK;
    }
    it->kind = ITEM_DECIMAL;
    ph_status st = parse_number(p, &it->lo, err);
    it->hi = it->lo;
    return st;
}

/* A comparison "< 600", "<= 0.3", "> 5%", ">= 85bp", "= 1". */
static ph_status parse_comparison(parser *p, item *it, ph_error *err)
{
    int op = peek(p, 0), or_equal = peek(p, 1) == '=';
    p->pos += (op != '=' && or_equal) ? 2 : 1;
    skip_space(p);
    ph_decimal bound;
    ph_status st = parse_number(p, &bound, err);
    if (st != PH_OK)
        return st;
    it->kind = ITEM_DECIMAL;
    it->lo = INT64_MIN;
    it->hi = INT64_MAX;
    if (op == '=') {
        it->lo = it->hi = bound;
    } else if (op == '<') {
        it->hi = bound;
        if (!or_equal && !close_high(&it->hi))
            return empty_range(p, err);
    } else {
        it->lo = bound;
        if (!or_equal && !close_low(&it->lo))
            return empty_range(p, err);
    }
    return PH_OK;
}

static ph_status parse_item(parser *p, ph_error *err)
{
    item it;
    memset(&it, 0, sizeof(it));
    skip_space(p);
    int c = peek(p, 0);
    ph_status st;
    if (c == '[' || c == '(')
        st = parse_range(p, &it, err);
    else if (c == '<' || c == '>' || (c == '=' && peek(p, 1) != '='))
        st = parse_comparison(p, &it, err);
    else
        st = parse_literal(p, &it, err);
    if (st != PH_OK)
        return st;
    return push_item(p, &it, err);
}

/* item (", " item)* up to `end` (exclusive). */
static ph_status parse_list(parser *p, ph_error *err)
{
    for (;;) {
        ph_status st = parse_item(p, err);
        if (st != PH_OK)
            return st;
        skip_space(p);
        if (p->pos >= p->len)
            return PH_OK;
        if (p->s[p->pos] != ',')
            return syntax_error(p, err);
        p->pos++;
    }
}

/* The whole cell: "-", "not(list)", "!= literal" or a list. *negate tells. */
static ph_status parse_cell(parser *p, int *negate, ph_error *err)
{
    *negate = 0;
    skip_space(p);
    if (peek(p, 0) == '!' && peek(p, 1) == '=') {
        p->pos += 2;
        skip_space(p);
        *negate = 1;
        item it;
        memset(&it, 0, sizeof(it));
        ph_status st = parse_literal(p, &it, err);
        if (st == PH_OK)
            st = push_item(p, &it, err);
        if (st != PH_OK)
            return st;
        skip_space(p);
        if (p->pos < p->len)
            return ph_error_set(err, PH_EINVAL, NULL, NULL,
                                "expected one value after '!=' (use not(...) for several), "
                                "got '%.*s'",
                                SHOWN_MAX, p->cell);
        return PH_OK;
    }
    if (p->len - p->pos >= 3 && memcmp(p->s + p->pos, "not", 3) == 0) {
        size_t save = p->pos;
        p->pos += 3;
        skip_space(p);
        if (peek(p, 0) == '(') {
            /* The list ends at the last ')' of the cell. */
            size_t close = p->len;
            while (close > p->pos && p->s[close - 1] == ' ')
                close--;
            if (close == p->pos || p->s[close - 1] != ')')
                return syntax_error(p, err);
            p->pos++;
            size_t full = p->len;
            p->len = close - 1;
            ph_status st = parse_list(p, err);
            p->len = full;
            p->pos = full;
            *negate = 1;
            return st;
        }
        p->pos = save;
    }
    return parse_list(p, err);
}

static ph_status kind_error(const parser *p, const char *input, ph_value_kind kind,
                            ph_error *err)
{
    static const char *const wanted[] = {
        [PH_VALUE_DECIMAL] = "decimals, comparisons or ranges",
        [PH_VALUE_TEXT] = "quoted texts (\"A\"), a list of them or != \"A\"",
        [PH_VALUE_BOOL] = "true, false or != true",
    };
    const char *what = kind <= PH_VALUE_TEXT && wanted[kind] ? wanted[kind] : "a known kind";
    return ph_error_set(err, PH_EINVAL, NULL, NULL, "expected %s (input '%s' is %s), got '%.*s'",
                        what, input, ph_value_kind_name(kind), SHOWN_MAX, p->cell);
}

static int compare_decimals(const void *a, const void *b)
{
    ph_decimal x = *(const ph_decimal *)a, y = *(const ph_decimal *)b;
    return (x > y) - (x < y);
}

static ph_status compile_decimal(ph_dtable *t, const parser *p, dt_cell *cell, ph_error *err)
{
    int all_points = 1;
    for (size_t i = 0; i < p->n_items; i++)
        all_points &= p->items[i].lo == p->items[i].hi;
    if (p->n_items == 1) {
        cell->op = DT_RANGE;
        cell->lo = p->items[0].lo;
        cell->hi = p->items[0].hi;
    } else if (all_points) {
        ph_decimal *points = dt_arena_alloc(t, p->n_items * sizeof(ph_decimal));
        if (points == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        size_t n = 0;
        for (size_t i = 0; i < p->n_items; i++)
            points[i] = p->items[i].lo;
        qsort(points, p->n_items, sizeof(ph_decimal), compare_decimals);
        for (size_t i = 0; i < p->n_items; i++)
            if (n == 0 || points[n - 1] != points[i])
                points[n++] = points[i];
        cell->op = DT_POINTS;
        cell->items = points;
        cell->count = (uint32_t)n;
    } else {
        dt_interval *ranges = dt_arena_alloc(t, p->n_items * sizeof(dt_interval));
        if (ranges == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        for (size_t i = 0; i < p->n_items; i++) {
            ranges[i].lo = p->items[i].lo;
            ranges[i].hi = p->items[i].hi;
        }
        cell->op = DT_RANGES;
        cell->items = ranges;
        cell->count = (uint32_t)p->n_items;
    }
    return PH_OK;
}

static ph_status compile_text(ph_dtable *t, const parser *p, dt_cell *cell, ph_error *err)
{
    dt_text *texts = dt_arena_alloc(t, p->n_items * sizeof(dt_text));
    if (texts == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    for (size_t i = 0; i < p->n_items; i++) {
        texts[i].ptr = dt_arena_strndup(t, p->items[i].text, p->items[i].text_len);
        texts[i].len = p->items[i].text_len;
        if (texts[i].ptr == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    cell->op = DT_TEXT;
    cell->items = texts;
    cell->count = (uint32_t)p->n_items;
    return PH_OK;
}

static ph_status compile_items(ph_dtable *t, const parser *p, const dt_column *col,
                               dt_cell *cell, ph_error *err)
{
    static const item_kind item_of[] = {
        [PH_VALUE_DECIMAL] = ITEM_DECIMAL, [PH_VALUE_TEXT] = ITEM_TEXT,
        [PH_VALUE_BOOL] = ITEM_BOOL,
    };
    for (size_t i = 0; i < p->n_items; i++) {
        const item *it = &p->items[i];
        if (it->kind == ITEM_NULL)
            return ph_error_set(err, PH_EINVAL, NULL, NULL,
                                "expected null alone in its cell ('null' or 'not(null)'), "
                                "got '%.*s'",
                                SHOWN_MAX, p->cell);
        if (it->kind != item_of[col->kind])
            return kind_error(p, col->name, col->kind, err);
    }
    switch (col->kind) {
    case PH_VALUE_DECIMAL:
        return compile_decimal(t, p, cell, err);
    case PH_VALUE_TEXT:
        return compile_text(t, p, cell, err);
    case PH_VALUE_BOOL:
        cell->op = DT_BOOL;
        for (size_t i = 0; i < p->n_items; i++)
            cell->bools |= (uint8_t)(1u << (p->items[i].boolean ? 1 : 0));
        if (cell->negate)
            cell->bools = (uint8_t)(~cell->bools & 3u);
        cell->negate = 0;
        return PH_OK;
    default:
        return kind_error(p, col->name, col->kind, err);
    }
}

static int is_dash_or_empty(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s == '-')
        s++;
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0';
}

ph_status dt_cell_compile(ph_dtable *t, uint32_t input, const char *text, dt_cell *cell,
                          int *is_any, ph_error *err)
{
    memset(cell, 0, sizeof(*cell));
    cell->input = input;
    *is_any = 0;
    if (text == NULL || is_dash_or_empty(text)) {
        *is_any = 1;
        return PH_OK;
    }
    parser p = {.s = text, .len = strlen(text), .cell = text, .ctx = t->ctx};
    int negate;
    ph_status st = parse_cell(&p, &negate, err);
    if (st == PH_OK) {
        cell->negate = (uint8_t)negate;
        if (p.n_items == 1 && p.items[0].kind == ITEM_NULL)
            cell->op = DT_NULL;
        else
            st = compile_items(t, &p, &t->inputs[input], cell, err);
    }
    ph_free(t->ctx, p.items);
    return st;
}

static int match_points(const ph_decimal *points, uint32_t n, ph_decimal x)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (points[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && points[lo] == x;
}

int dt_cell_match(const dt_cell *cell, const ph_value *v)
{
    int hit = 0;
    switch ((dt_op)cell->op) {
    case DT_RANGE:
        hit = v->as.decimal >= cell->lo && v->as.decimal <= cell->hi;
        break;
    case DT_POINTS:
        hit = match_points(cell->items, cell->count, v->as.decimal);
        break;
    case DT_RANGES: {
        const dt_interval *r = cell->items;
        for (uint32_t i = 0; i < cell->count && !hit; i++)
            hit = v->as.decimal >= r[i].lo && v->as.decimal <= r[i].hi;
        break;
    }
    case DT_TEXT: {
        const dt_text *s = cell->items;
        for (uint32_t i = 0; i < cell->count && !hit; i++)
            hit = s[i].len == v->as.text.len &&
                  (s[i].len == 0 || memcmp(s[i].ptr, v->as.text.ptr, s[i].len) == 0);
        break;
    }
    case DT_BOOL:
        hit = (cell->bools >> (v->as.boolean ? 1 : 0)) & 1;
        break;
    case DT_NULL:
        hit = 0; /* a present value is not null */
        break;
    }
    return hit ^ cell->negate;
}

void dt_value_text(const ph_value *v, char *buf, size_t size)
{
    if (v->kind == PH_VALUE_TEXT) {
        size_t n = v->as.text.len < SHOWN_MAX ? v->as.text.len : SHOWN_MAX;
        snprintf(buf, size, "\"%.*s\"", (int)n, v->as.text.ptr);
    } else if (ph_value_format(v, buf, size, NULL) != PH_OK) {
        snprintf(buf, size, "?");
    }
}
