/*
 * Policy expressions: the symbol table, compiling and freeing (expr.h).
 * The grammar is in expr_parse.c, the evaluator in expr_eval.c.
 */
#include "decide/expr_internal.h"

#include <stdio.h>
#include <string.h>

typedef struct symbol {
    char *name;
    ph_value_kind kind;
} symbol;

struct ph_expr_symbols {
    const ph_ctx *ctx;
    symbol *items;
    size_t count, cap;
};

ph_status expr_fail(ph_error *err, ph_status code, const char *source, const char *text,
                       uint32_t column, const char *fmt, ...)
{
    if (err == NULL)
        return code;
    va_list ap;
    va_start(ap, fmt);
    ph_error_setv(err, code, "expression", text, strlen(text), fmt, ap);
    va_end(ap);
    if (source != NULL && source[0] != '\0')
        ph_error_locate(err, source, 0, 0);
    err->column = column; /* the detail says it; the message keeps one mention */
    return code;
}

ph_status ph_expr_symbols_new(const ph_ctx *ctx, ph_expr_symbols **out, ph_error *err)
{
    if (ctx == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_expr_symbols_new: %s is NULL",
                            ctx == NULL ? "ctx" : "out");
    ph_expr_symbols *sym = ph_calloc(ctx, 1, sizeof(*sym));
    if (sym == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a symbol table");
    sym->ctx = ctx;
    *out = sym;
    return PH_OK;
}

void ph_expr_symbols_free(ph_expr_symbols *sym)
{
    if (sym == NULL)
        return;
    for (size_t i = 0; i < sym->count; i++)
        ph_free(sym->ctx, sym->items[i].name);
    ph_free(sym->ctx, sym->items);
    ph_free(sym->ctx, sym);
}

size_t ph_expr_symbols_count(const ph_expr_symbols *sym)
{
    return sym != NULL ? sym->count : 0;
}

ph_status expr_symbols_find(const ph_expr_symbols *sym, const char *name, size_t len,
                               size_t *slot, ph_value_kind *kind)
{
    for (size_t i = 0; i < sym->count; i++) {
        if (strlen(sym->items[i].name) == len && memcmp(sym->items[i].name, name, len) == 0) {
            *slot = i;
            *kind = sym->items[i].kind;
            return PH_OK;
        }
    }
    return PH_ENOTFOUND;
}

/* Edit distance of a and b, capped: anything above 2 is 3. */
static int distance(const char *a, size_t an, const char *b, size_t bn)
{
    if (an > bn + 2 || bn > an + 2 || an > PH_EXPR_NAME_MAX || bn > PH_EXPR_NAME_MAX)
        return 3;
    int row[PH_EXPR_NAME_MAX + 1];
    for (size_t j = 0; j <= bn; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= an; i++) {
        int diagonal = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= bn; j++) {
            int above = row[j];
            int best = diagonal + (a[i - 1] != b[j - 1]);
            if (above + 1 < best)
                best = above + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diagonal = above;
        }
    }
    return row[bn] > 2 ? 3 : row[bn];
}

void expr_symbols_near(const ph_expr_symbols *sym, const char *name, size_t len, char *buf,
                          size_t size)
{
    const char *near[3];
    size_t found = 0;
    for (size_t i = 0; i < sym->count && found < 3; i++)
        if (distance(name, len, sym->items[i].name, strlen(sym->items[i].name)) <= 2)
            near[found++] = sym->items[i].name;
    buf[0] = '\0';
    if (found == 1)
        snprintf(buf, size, "; did you mean '%s'?", near[0]);
    else if (found == 2)
        snprintf(buf, size, "; did you mean '%s' or '%s'?", near[0], near[1]);
    else if (found == 3)
        snprintf(buf, size, "; did you mean '%s', '%s' or '%s'?", near[0], near[1], near[2]);
}

/* Words a variable may not be named: the keywords and the functions. */
static const char *const reserved[] = {
    "and", "or", "not", "in", "between", "if", "then", "else", "true", "false", "null",
    "min", "max", "abs", "round", "round_half_even", "floor", "ceil", "is_null", "coalesce",
};

static int valid_name(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > PH_EXPR_NAME_MAX || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_'))
        return 0;
    for (size_t i = 1; i < len; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.'))
            return 0;
    }
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        if (strcmp(reserved[i], name) == 0)
            return 0;
    return 1;
}

ph_status ph_expr_symbols_add(ph_expr_symbols *sym, const char *name, ph_value_kind kind,
                              size_t *slot, ph_error *err)
{
    if (sym == NULL || name == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_expr_symbols_add: %s is NULL",
                            sym == NULL ? "sym" : "name");
    if (!valid_name(name))
        return ph_error_set(err, PH_EINVAL, "variable", name,
                            "expected a name of 1 to %d characters a-z, 0-9, '_' and '.', "
                            "starting with a letter or '_', that is not a keyword or a function",
                            PH_EXPR_NAME_MAX);
    if ((unsigned)kind > PH_VALUE_TEXT)
        return ph_error_set(err, PH_EINVAL, "variable", name,
                            "expected a kind from PH_VALUE_NULL (any) to PH_VALUE_TEXT, got %d",
                            (int)kind);
    size_t existing;
    ph_value_kind existing_kind;
    if (expr_symbols_find(sym, name, strlen(name), &existing, &existing_kind) == PH_OK)
        return ph_error_set(err, PH_EEXISTS, "variable", name, "declared already (slot %zu)",
                            existing);
    if (sym->count == sym->cap) {
        size_t cap = sym->cap ? sym->cap * 2 : 16;
        symbol *items = ph_realloc(sym->ctx, sym->items, cap * sizeof(*items));
        if (items == NULL)
            return ph_error_set(err, PH_ENOMEM, "variable", name, "out of memory");
        sym->items = items;
        sym->cap = cap;
    }
    char *copy = ph_strdup(sym->ctx, name);
    if (copy == NULL)
        return ph_error_set(err, PH_ENOMEM, "variable", name, "out of memory");
    sym->items[sym->count].name = copy;
    sym->items[sym->count].kind = kind;
    if (slot != NULL)
        *slot = sym->count;
    sym->count++;
    return PH_OK;
}

ph_status ph_expr_compile(const ph_expr_symbols *sym, const char *text, const char *source,
                          ph_expr **out, ph_error *err)
{
    if (sym == NULL || text == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_expr_compile: %s is NULL",
                            sym == NULL ? "sym" : text == NULL ? "text" : "out");
    size_t len = strlen(text);
    if (len > PH_EXPR_TEXT_MAX)
        return expr_fail(err, PH_EINVAL, source, text, 0,
                            "expected at most %d bytes of expression, got %zu",
                            PH_EXPR_TEXT_MAX, len);
    ph_expr *e = ph_calloc(sym->ctx, 1, sizeof(*e));
    if (e == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for an expression");
    e->ctx = sym->ctx;
    e->text = ph_strdup(sym->ctx, text);
    e->source = ph_strdup(sym->ctx, source != NULL ? source : "");
    if (e->text == NULL || e->source == NULL) {
        ph_expr_free(e);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for an expression");
    }
    ph_status status = expr_parse(sym, e, err);
    if (status != PH_OK) {
        ph_expr_free(e);
        return status;
    }
    *out = e;
    return PH_OK;
}

void ph_expr_free(ph_expr *e)
{
    if (e == NULL)
        return;
    ph_free(e->ctx, e->text);
    ph_free(e->ctx, e->source);
    ph_free(e->ctx, e->code);
    ph_free(e->ctx, e->consts);
    ph_free(e->ctx, e);
}

ph_value_kind ph_expr_result_kind(const ph_expr *e)
{
    return e != NULL ? e->result_kind : PH_VALUE_NULL;
}

const char *ph_expr_text(const ph_expr *e)
{
    return e != NULL ? e->text : NULL;
}
