/*
 * Policy expressions: the lexer and the one-pass parser that emits postfix
 * code (expr_internal.h) while checking kinds. Each parse_* function emits
 * the code of one construct and returns the construct's static kind
 * (PH_VALUE_NULL when only known at evaluation), or -1 after an error.
 */
#include "decide/expr_internal.h"

#include "core/escape.h"

#include <stdio.h>
#include <string.h>

/* Nesting of parentheses, unary operators and `if`; bounds the recursion. */
#define NESTING_MAX 200

typedef enum token_type {
    T_END, T_NUMBER, T_TEXT, T_NAME,
    T_LPAREN, T_RPAREN, T_LBRACKET, T_RBRACKET, T_COMMA,
    T_PLUS, T_MINUS, T_STAR, T_SLASH,
    T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE,
    T_AND, T_OR, T_NOT, T_IN, T_BETWEEN, T_IF, T_THEN, T_ELSE, T_TRUE, T_FALSE, T_NULL
} token_type;

static const struct {
    const char *word;
    token_type type;
} keywords[] = {
    {"and", T_AND}, {"or", T_OR},     {"not", T_NOT},     {"in", T_IN},
    {"between", T_BETWEEN}, {"if", T_IF}, {"then", T_THEN}, {"else", T_ELSE},
    {"true", T_TRUE}, {"false", T_FALSE}, {"null", T_NULL},
};

/* Functions: name, opcode, argument count range, and whether the
 * arguments must be decimals (else any kind). */
static const struct {
    const char *name;
    expr_op op;
    int min_args, max_args;
    int decimal_args;
} functions[] = {
    {"min", OP_MIN, 1, 65535, 1},      {"max", OP_MAX, 1, 65535, 1},
    {"abs", OP_ABS, 1, 1, 1},          {"round", OP_ROUND, 2, 2, 1},
    {"round_half_even", OP_ROUND_EVEN, 2, 2, 1},
    {"floor", OP_FLOOR, 1, 1, 1},      {"ceil", OP_CEIL, 1, 1, 1},
    {"is_null", OP_IS_NULL, 1, 1, 0},  {"coalesce", OP_COALESCE, 1, 65535, 0},
};
#define FUNCTION_LIST "min, max, abs, round, round_half_even, floor, ceil, is_null, coalesce"

typedef struct token {
    token_type type;
    size_t start, len;
    ph_decimal number;
} token;

typedef struct parser {
    const ph_expr_symbols *sym;
    ph_expr *e;           /* text, source, and the code and constants grown here */
    size_t code_cap, consts_cap;
    size_t pos;           /* lexer position: the byte after `tok` */
    token tok;
    int depth, max_depth; /* value-stack depth while the code runs */
    int nesting;
    ph_error *err;
    int failed;
    ph_status status; /* of the first failure */
} parser;

static uint32_t column_of(size_t start)
{
    return (uint32_t)(start + 1);
}

static int fail(parser *p, ph_status code, size_t start, const char *fmt, ...) PH_PRINTF(4, 5);

static int fail(parser *p, ph_status code, size_t start, const char *fmt, ...)
{
    if (p->failed)
        return -1;
    p->failed = 1;
    p->status = code;
    char detail[PH_ERROR_DETAIL_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    expr_fail(p->err, code, p->e->source, p->e->text, column_of(start), "%s", detail);
    return -1;
}

/* "'<token>'" or "end of text", for "got ..." (long tokens shortened). */
static const char *describe_token(const parser *p, const token *t, char *buf, size_t size)
{
    if (t->type == T_END)
        return "end of text";
    int len = t->len > 24 ? 24 : (int)t->len;
    snprintf(buf, size, "'%.*s%s'", len, p->e->text + t->start, t->len > 24 ? "..." : "");
    return buf;
}

/* ---- lexer --------------------------------------------------------------- */

static int is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || c == '_';
}

static int is_name_char(char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '.';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int lex_number(parser *p, token *t)
{
    const char *s = p->e->text;
    size_t i = t->start;
    while (is_digit(s[i]) || s[i] == '.')
        i++;
    if (s[i] == '%')
        i++;
    else if (s[i] == 'b' && s[i + 1] == 'p' && !is_name_char(s[i + 2]))
        i += 2;
    t->len = i - t->start;
    ph_error inner;
    if (ph_decimal_parse(s + t->start, t->len, &t->number, &inner) != PH_OK)
        return fail(p, inner.code, t->start, "bad number '%.*s' at column %u: %s",
                    (int)t->len, s + t->start, column_of(t->start), inner.detail);
    return 0;
}

static token_type two_char(const char *s, size_t *len)
{
    static const struct {
        const char *text;
        token_type type;
    } ops[] = {
        {"!=", T_NE}, {"<=", T_LE}, {">=", T_GE}, {"(", T_LPAREN}, {")", T_RPAREN},
        {"[", T_LBRACKET}, {"]", T_RBRACKET}, {",", T_COMMA}, {"+", T_PLUS},
        {"-", T_MINUS}, {"*", T_STAR}, {"/", T_SLASH}, {"=", T_EQ}, {"<", T_LT},
        {">", T_GT},
    };
    for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
        size_t n = strlen(ops[k].text);
        if (strncmp(s, ops[k].text, n) == 0) {
            *len = n;
            return ops[k].type;
        }
    }
    return T_END;
}

/* Read the next token into p->tok. */
static int next(parser *p)
{
    const char *s = p->e->text;
    size_t i = p->pos;
    while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
        i++;
    token t = {T_END, i, 0, 0};
    if (s[i] == '\0') {
        /* end of text */
    } else if (is_digit(s[i])) {
        t.type = T_NUMBER;
        if (lex_number(p, &t) != 0)
            return -1;
    } else if (s[i] == '"') {
        const char *close = strchr(s + i + 1, '"');
        if (close == NULL)
            return fail(p, PH_EINVAL, i, "unterminated text literal starting at column %u",
                        column_of(i));
        t.type = T_TEXT;
        t.len = (size_t)(close - (s + i)) + 1;
    } else if (is_name_start(s[i])) {
        size_t j = i;
        while (is_name_char(s[j]))
            j++;
        t.type = T_NAME;
        t.len = j - i;
        for (size_t k = 0; k < sizeof(keywords) / sizeof(keywords[0]); k++)
            if (strlen(keywords[k].word) == t.len && memcmp(keywords[k].word, s + i, t.len) == 0)
                t.type = keywords[k].type;
    } else {
        t.type = two_char(s + i, &t.len);
        if (t.type == T_END) {
            char what[16];
            return fail(p, PH_EINVAL, i, "unexpected %s at column %u",
                        describe_byte((unsigned char)s[i], what, sizeof(what)),
                        column_of(i));
        }
    }
    p->tok = t;
    p->pos = t.start + t.len;
    return 0;
}

/* Consume a token of `type` or fail with "expected WHAT at column N, got X". */
static int expect(parser *p, token_type type, const char *what)
{
    if (p->tok.type != type) {
        char got[40];
        return fail(p, PH_EINVAL, p->tok.start, "expected %s at column %u, got %s", what,
                    column_of(p->tok.start), describe_token(p, &p->tok, got, sizeof(got)));
    }
    return next(p);
}

/* ---- code ---------------------------------------------------------------- */

static int emit(parser *p, expr_op op, int count, size_t start, int32_t arg, int effect)
{
    if (p->failed)
        return -1;
    ph_expr *e = p->e;
    if (e->code_len == p->code_cap) {
        size_t cap = p->code_cap ? p->code_cap * 2 : 16;
        expr_insn *code = ph_realloc(e->ctx, e->code, cap * sizeof(*code));
        if (code == NULL)
            return fail(p, PH_ENOMEM, start, "out of memory compiling the expression");
        e->code = code;
        p->code_cap = cap;
    }
    expr_insn insn = {(uint8_t)op, 0, (uint16_t)count, column_of(start), arg};
    e->code[e->code_len++] = insn;
    p->depth += effect;
    if (p->depth > p->max_depth)
        p->max_depth = p->depth;
    if (p->depth > PH_EXPR_STACK_MAX)
        return fail(p, PH_EINVAL, start,
                    "the expression needs more than %d values at once at column %u; "
                    "split it",
                    PH_EXPR_STACK_MAX, column_of(start));
    return 0;
}

static int push_const(parser *p, ph_value v, size_t start)
{
    ph_expr *e = p->e;
    if (e->consts_len == p->consts_cap) {
        size_t cap = p->consts_cap ? p->consts_cap * 2 : 8;
        ph_value *consts = ph_realloc(e->ctx, e->consts, cap * sizeof(*consts));
        if (consts == NULL)
            return fail(p, PH_ENOMEM, start, "out of memory compiling the expression");
        e->consts = consts;
        p->consts_cap = cap;
    }
    e->consts[e->consts_len] = v;
    return emit(p, OP_CONST, 0, start, (int32_t)e->consts_len++, 1);
}

/* Point a jump at the next instruction. */
static void patch(parser *p, size_t at)
{
    p->e->code[at].arg = (int32_t)p->e->code_len;
}

/* ---- kinds --------------------------------------------------------------- */

/* Fail unless `kind` is `want` or unknown. */
static int require(parser *p, int kind, ph_value_kind want, const char *op, size_t start)
{
    if (kind < 0)
        return -1;
    if (kind == PH_VALUE_NULL || kind == (int)want)
        return 0;
    return fail(p, PH_EINVAL, start, "'%s' at column %u expects %s, got %s", op,
                column_of(start), ph_value_kind_name(want),
                ph_value_kind_name((ph_value_kind)kind));
}

/* The common kind of a and b, or fail when both are known and differ. */
static int unify(parser *p, int a, int b, const char *op, const char *how, size_t start)
{
    if (a < 0 || b < 0)
        return -1;
    if (a == PH_VALUE_NULL)
        return b;
    if (b == PH_VALUE_NULL || a == b)
        return a;
    return fail(p, PH_EINVAL, start, "'%s' at column %u %s %s and %s", op, column_of(start),
                how, ph_value_kind_name((ph_value_kind)a), ph_value_kind_name((ph_value_kind)b));
}

/* ---- grammar ------------------------------------------------------------- */

static int parse_expr(parser *p);

static int enter(parser *p)
{
    if (++p->nesting > NESTING_MAX)
        return fail(p, PH_EINVAL, p->tok.start,
                    "the expression nests more than %d levels deep at column %u",
                    NESTING_MAX, column_of(p->tok.start));
    return 0;
}

/* The comma-separated arguments up to ')'; their count, or -1. Each kind
 * is checked (decimal_args) or unified into *kind. */
static int parse_arguments(parser *p, const char *name, int decimal_args, int *kind)
{
    int count = 0;
    *kind = PH_VALUE_NULL;
    if (p->tok.type == T_RPAREN)
        return next(p) == 0 ? 0 : -1;
    for (;;) {
        size_t start = p->tok.start;
        int k = parse_expr(p);
        if (decimal_args ? require(p, k, PH_VALUE_DECIMAL, name, start) != 0
                         : (*kind = unify(p, *kind, k, name, "mixes", start)) < 0)
            return -1;
        count++;
        if (p->tok.type == T_COMMA) {
            if (next(p) != 0)
                return -1;
            continue;
        }
        if (expect(p, T_RPAREN, "',' or ')'") != 0)
            return -1;
        return count;
    }
}

static int parse_call(parser *p, const token *name)
{
    const char *text = p->e->text + name->start;
    size_t f = 0, n = sizeof(functions) / sizeof(functions[0]);
    while (f < n && !(strlen(functions[f].name) == name->len &&
                      memcmp(functions[f].name, text, name->len) == 0))
        f++;
    if (f == n)
        return fail(p, PH_EINVAL, name->start,
                    "unknown function '%.*s' at column %u; expected one of " FUNCTION_LIST,
                    (int)name->len, text, column_of(name->start));
    if (next(p) != 0) /* the '(' */
        return -1;
    int kind;
    int count = parse_arguments(p, functions[f].name, functions[f].decimal_args, &kind);
    if (count < 0)
        return -1;
    int lo = functions[f].min_args, hi = functions[f].max_args;
    if (count < lo || count > hi) {
        if (lo == hi)
            return fail(p, PH_EINVAL, name->start, "'%s' at column %u takes %d argument%s, got %d",
                        functions[f].name, column_of(name->start), lo, lo == 1 ? "" : "s",
                        count);
        return fail(p, PH_EINVAL, name->start,
                    "'%s' at column %u takes %d to %d arguments, got %d", functions[f].name,
                    column_of(name->start), lo, hi, count);
    }
    if (emit(p, functions[f].op, count, name->start, 0, 1 - count) != 0)
        return -1;
    if (functions[f].op == OP_IS_NULL)
        return PH_VALUE_BOOL;
    return functions[f].decimal_args ? PH_VALUE_DECIMAL : kind;
}

static int parse_variable(parser *p, const token *name)
{
    const char *text = p->e->text + name->start;
    size_t slot;
    ph_value_kind kind;
    if (expr_symbols_find(p->sym, text, name->len, &slot, &kind) != PH_OK) {
        char hint[PH_ERROR_DETAIL_MAX / 2];
        expr_symbols_near(p->sym, text, name->len, hint, sizeof(hint));
        return fail(p, PH_EINVAL, name->start, "unknown variable '%.*s' at column %u%s",
                    (int)name->len, text, column_of(name->start), hint);
    }
    if (emit(p, OP_LOAD, 0, name->start, (int32_t)slot, 1) != 0)
        return -1;
    p->e->code[p->e->code_len - 1].kind = (uint8_t)kind;
    return kind;
}

static int parse_if(parser *p)
{
    size_t start = p->tok.start;
    if (next(p) != 0)
        return -1;
    int cond = parse_expr(p);
    if (cond < 0 || expect(p, T_THEN, "'then'") != 0)
        return -1;
    if (cond != PH_VALUE_NULL && cond != PH_VALUE_BOOL)
        return fail(p, PH_EINVAL, start, "'if' at column %u expects a bool condition, got %s",
                    column_of(start), ph_value_kind_name((ph_value_kind)cond));
    size_t jump_else = p->e->code_len;
    if (emit(p, OP_JUMP_UNLESS, 0, start, 0, -1) != 0)
        return -1;
    int a = parse_expr(p);
    if (a < 0 || expect(p, T_ELSE, "'else'") != 0)
        return -1;
    size_t jump_end = p->e->code_len;
    if (emit(p, OP_JUMP, 0, start, 0, 0) != 0)
        return -1;
    p->depth--; /* the else branch starts where the then branch did */
    patch(p, jump_else);
    int b = parse_expr(p);
    if (b < 0)
        return -1;
    patch(p, jump_end);
    return unify(p, a, b, "if", "has branches of different kinds:", start);
}

static int parse_primary(parser *p)
{
    token t = p->tok;
    switch (t.type) {
    case T_NUMBER:
        return next(p) == 0 && push_const(p, ph_value_decimal(t.number), t.start) == 0
                   ? PH_VALUE_DECIMAL : -1;
    case T_TEXT: {
        ph_value v = ph_value_null();
        v.kind = PH_VALUE_TEXT;
        v.as.text.ptr = p->e->text + t.start + 1;
        v.as.text.len = t.len - 2;
        return next(p) == 0 && push_const(p, v, t.start) == 0 ? PH_VALUE_TEXT : -1;
    }
    case T_TRUE:
    case T_FALSE:
        return next(p) == 0 && push_const(p, ph_value_bool(t.type == T_TRUE), t.start) == 0
                   ? PH_VALUE_BOOL : -1;
    case T_NULL:
        return next(p) == 0 && push_const(p, ph_value_null(), t.start) == 0 ? PH_VALUE_NULL
                                                                            : -1;
    case T_NAME:
        if (next(p) != 0)
            return -1;
        return p->tok.type == T_LPAREN ? parse_call(p, &t) : parse_variable(p, &t);
    case T_LPAREN: {
        if (next(p) != 0)
            return -1;
        int kind = parse_expr(p);
        if (kind < 0 || expect(p, T_RPAREN, "')'") != 0)
            return -1;
        return kind;
    }
    case T_IF: return parse_if(p);
    default: {
        char got[40];
        return fail(p, PH_EINVAL, t.start, "expected a value at column %u, got %s",
                    column_of(t.start), describe_token(p, &t, got, sizeof(got)));
    }
    }
}

static int parse_unary(parser *p)
{
    if (p->tok.type != T_MINUS)
        return parse_primary(p);
    size_t start = p->tok.start;
    if (enter(p) != 0 || next(p) != 0)
        return -1;
    if (p->tok.type == T_NUMBER) {
        /* Fold a negative literal, so a list of them stays constant. */
        ph_decimal d = -p->tok.number; /* a parsed literal is >= 0 and <= INT64_MAX */
        p->nesting--;
        if (next(p) != 0)
            return -1;
        return push_const(p, ph_value_decimal(d), start) == 0 ? PH_VALUE_DECIMAL : -1;
    }
    int kind = parse_unary(p);
    p->nesting--;
    if (require(p, kind, PH_VALUE_DECIMAL, "-", start) != 0)
        return -1;
    return emit(p, OP_NEG, 0, start, 0, 0) == 0 ? PH_VALUE_DECIMAL : -1;
}

static int parse_binary_decimal(parser *p, int (*operand)(parser *), token_type t1, expr_op op1,
                                token_type t2, expr_op op2, const char *n1, const char *n2)
{
    int kind = operand(p);
    while (kind >= 0 && (p->tok.type == t1 || p->tok.type == t2)) {
        int first = p->tok.type == t1;
        size_t at = p->tok.start;
        const char *name = first ? n1 : n2;
        if (require(p, kind, PH_VALUE_DECIMAL, name, at) != 0 || next(p) != 0)
            return -1;
        int right = operand(p);
        if (require(p, right, PH_VALUE_DECIMAL, name, at) != 0 ||
            emit(p, first ? op1 : op2, 0, at, 0, -1) != 0)
            return -1;
        kind = PH_VALUE_DECIMAL;
    }
    return kind;
}

static int parse_mul(parser *p)
{
    return parse_binary_decimal(p, parse_unary, T_STAR, OP_MUL, T_SLASH, OP_DIV, "*", "/");
}

static int parse_add(parser *p)
{
    return parse_binary_decimal(p, parse_mul, T_PLUS, OP_ADD, T_MINUS, OP_SUB, "+", "-");
}

static const struct {
    token_type type;
    expr_op op;
    const char *name;
} comparisons[] = {
    {T_EQ, OP_EQ, "="}, {T_NE, OP_NE, "!="}, {T_LT, OP_LT, "<"},
    {T_LE, OP_LE, "<="}, {T_GT, OP_GT, ">"}, {T_GE, OP_GE, ">="},
};
#define COMPARISON_COUNT (sizeof(comparisons) / sizeof(comparisons[0]))

static size_t comparison_of(token_type type)
{
    size_t c = 0;
    while (c < COMPARISON_COUNT && comparisons[c].type != type)
        c++;
    return c;
}

/* x in [a, b, ...]: while the items are literals, their code is taken back
 * as soon as it is emitted, so they stay only in the constant pool
 * (contiguous from consts_before) and a long list costs no stack: OP_IN
 * with kind 1 reads them there. At the first item that is not a literal,
 * the literals so far are pushed after it (the order of the items does
 * not change the result) and every item is pushed. */
static int parse_in(parser *p, int x)
{
    size_t start = p->tok.start;
    if (next(p) != 0 || expect(p, T_LBRACKET, "'['") != 0)
        return -1;
    size_t consts_before = p->e->consts_len;
    int all_literal = 1, count = 0, kind = x;
    for (;;) {
        size_t item_start = p->tok.start, item_code = p->e->code_len;
        int k = parse_expr(p);
        if ((kind = unify(p, kind, k, "in", "cannot compare", item_start)) < 0)
            return -1;
        int literal = p->e->code_len == item_code + 1 && p->e->code[item_code].op == OP_CONST;
        if (all_literal && literal) {
            p->e->code_len--;
            p->depth--;
        } else if (all_literal) {
            all_literal = 0;
            for (int i = 0; i < count; i++)
                if (emit(p, OP_CONST, 0, start, (int32_t)(consts_before + (size_t)i), 1) != 0)
                    return -1;
        }
        if (++count > 65535)
            return fail(p, PH_EINVAL, start, "'in' at column %u takes at most 65535 items",
                        column_of(start));
        if (p->tok.type != T_COMMA)
            break;
        if (next(p) != 0)
            return -1;
    }
    if (expect(p, T_RBRACKET, "',' or ']'") != 0)
        return -1;
    if (all_literal) {
        if (emit(p, OP_IN, count, start, (int32_t)consts_before, 0) != 0)
            return -1;
        p->e->code[p->e->code_len - 1].kind = 1;
    } else if (emit(p, OP_IN, count, start, 0, -count) != 0) {
        return -1;
    }
    return PH_VALUE_BOOL;
}

static int parse_comparison(parser *p)
{
    int left = parse_add(p);
    if (left < 0)
        return -1;
    size_t at = p->tok.start;
    size_t c = comparison_of(p->tok.type);
    if (c < COMPARISON_COUNT) {
        if (next(p) != 0)
            return -1;
        int right = parse_add(p);
        if (unify(p, left, right, comparisons[c].name, "cannot compare", at) < 0 ||
            emit(p, comparisons[c].op, 0, at, 0, -1) != 0)
            return -1;
    } else if (p->tok.type == T_IN) {
        if (parse_in(p, left) < 0)
            return -1;
    } else if (p->tok.type == T_BETWEEN) {
        if (next(p) != 0)
            return -1;
        int lo = parse_add(p);
        if (lo < 0 || expect(p, T_AND, "'and'") != 0)
            return -1;
        int hi = parse_add(p);
        if (unify(p, unify(p, left, lo, "between", "cannot compare", at), hi, "between",
                  "cannot compare", at) < 0 ||
            emit(p, OP_BETWEEN, 0, at, 0, -2) != 0)
            return -1;
    } else {
        return left;
    }
    if (comparison_of(p->tok.type) < COMPARISON_COUNT || p->tok.type == T_IN ||
        p->tok.type == T_BETWEEN)
        return fail(p, PH_EINVAL, p->tok.start,
                    "comparisons do not chain at column %u; join them with 'and'",
                    column_of(p->tok.start));
    return PH_VALUE_BOOL;
}

static int parse_not(parser *p)
{
    if (p->tok.type != T_NOT)
        return parse_comparison(p);
    size_t start = p->tok.start;
    if (enter(p) != 0 || next(p) != 0)
        return -1;
    int kind = parse_not(p);
    p->nesting--;
    if (require(p, kind, PH_VALUE_BOOL, "not", start) != 0)
        return -1;
    return emit(p, OP_NOT, 0, start, 0, 0) == 0 ? PH_VALUE_BOOL : -1;
}

/* a and b / a or b: jump over b when a decides (false for and, true for or). */
static int parse_logical(parser *p, int (*operand)(parser *), token_type type, expr_op jump,
                         expr_op combine, const char *name)
{
    int kind = operand(p);
    while (kind >= 0 && p->tok.type == type) {
        size_t at = p->tok.start;
        if (require(p, kind, PH_VALUE_BOOL, name, at) != 0 || next(p) != 0)
            return -1;
        size_t jump_at = p->e->code_len;
        if (emit(p, jump, 0, at, 0, 0) != 0)
            return -1;
        int right = operand(p);
        if (require(p, right, PH_VALUE_BOOL, name, at) != 0 || emit(p, combine, 0, at, 0, -1) != 0)
            return -1;
        patch(p, jump_at);
        kind = PH_VALUE_BOOL;
    }
    return kind;
}

static int parse_and(parser *p)
{
    return parse_logical(p, parse_not, T_AND, OP_JUMP_FALSE, OP_AND, "and");
}

static int parse_or(parser *p)
{
    return parse_logical(p, parse_and, T_OR, OP_JUMP_TRUE, OP_OR, "or");
}

static int parse_expr(parser *p)
{
    if (enter(p) != 0)
        return -1;
    int kind = p->tok.type == T_IF ? parse_if(p) : parse_or(p);
    p->nesting--;
    return kind;
}

ph_status expr_parse(const ph_expr_symbols *sym, ph_expr *e, ph_error *err)
{
    parser p;
    memset(&p, 0, sizeof(p));
    p.sym = sym;
    p.e = e;
    p.err = err;
    if (next(&p) == 0) {
        int kind = parse_expr(&p);
        if (kind >= 0 && p.tok.type != T_END) {
            char got[40];
            fail(&p, PH_EINVAL, p.tok.start, "expected an operator or the end at column %u, got %s",
                 column_of(p.tok.start), describe_token(&p, &p.tok, got, sizeof(got)));
        }
        if (!p.failed) {
            e->result_kind = (ph_value_kind)kind;
            return PH_OK;
        }
    }
    return p.status;
}
