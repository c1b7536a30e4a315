/*
 * Lender policies: what a firm reads about a decline. The sentences for the
 * policy's reason codes, and which values the limit and the rate are
 * computed from, so that a missing limit is left out of the reasons only when
 * a reason already names the missing data it was computed from.
 *
 *   "reasons": {"TERM_OUT_OF_RANGE": "the term asked for is outside the 3 to 36 months
 *                                     this loan is made for", ...}
 *
 * A rule's code ("TERM_OUT_OF_RANGE") is what a credit officer, a report and
 * a replay key on; the firm reads the sentence. Without one, a decline shows
 * the values the rule read ("term_in_range = false"), which a firm cannot act
 * on (docs/domain.md#decisions-and-the-marketplace: reasons are distinct and
 * actionable). Every key must be the code of a knock-out or eligibility rule
 * of this policy, so that a typo in a code is an error at load, not a
 * sentence that silently never shows.
 */
#include "policy_internal.h"
#include "expr_internal.h"
#include "table_internal.h"

#include <stdio.h>
#include <string.h>

/* Long enough for a sentence, short enough for a phone screen. */
#define WORDS_MAX 300

/* Whether a knock-out or eligibility rule of the flow gives `code`. */
static int flow_gives(const ph_policy *p, const char *code)
{
    for (size_t i = 0; i < p->n_steps; i++) {
        const pol_step *s = &p->steps[i];
        if (s->kind != PH_POLICY_STEP_KNOCKOUT && s->kind != PH_POLICY_STEP_ELIGIBILITY)
            continue;
        for (size_t r = 0; r < s->table->n_rules; r++)
            if (strcmp(s->table->rules[r].reason, code) == 0)
                return 1;
    }
    return 0;
}

ph_status pol_read_words(ph_policy *p, const json_t *root, ph_error *err)
{
    const json_t *words = json_object_get(root, "reasons");
    if (words == NULL)
        return PH_OK;
    if (!json_is_object(words) || json_object_size(words) == 0)
        return ph_error_set(err, PH_EINVAL, "reasons", NULL,
                            "reasons: expected an object {\"CODE\": \"the sentence a firm "
                            "reads\", ...} (leave the member out for none)");
    size_t n = json_object_size(words);
    p->word_codes = ph_calloc(p->ctx, n, sizeof(char *));
    p->word_texts = ph_calloc(p->ctx, n, sizeof(char *));
    if (p->word_codes == NULL || p->word_texts == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    const char *code;
    const json_t *text;
    json_object_foreach((json_t *)words, code, text) {
        if (!flow_gives(p, code))
            return ph_error_set(err, PH_EINVAL, "reasons", code,
                                "expected the code of a knock-out or eligibility rule of "
                                "this policy, got a code no rule gives");
        if (!json_is_string(text))
            return ph_error_set(err, PH_EINVAL, "reasons", code,
                                "expected a string, the sentence a firm reads");
        size_t len = json_string_length(text);
        if (len == 0 || len > WORDS_MAX)
            return ph_error_set(err, PH_EINVAL, "reasons", code,
                                "expected a sentence of 1 to %d bytes, got %zu", WORDS_MAX,
                                len);
        size_t k = p->n_words;
        p->word_codes[k] = ph_strdup(p->ctx, code);
        p->word_texts[k] = ph_strdup(p->ctx, json_string_value(text));
        if (p->word_codes[k] == NULL || p->word_texts[k] == NULL) {
            ph_free(p->ctx, p->word_codes[k]);
            ph_free(p->ctx, p->word_texts[k]);
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        }
        p->n_words++;
    }
    return PH_OK;
}

void pol_free_words(ph_policy *p)
{
    ph_free(p->ctx, p->feeds[0]);
    ph_free(p->ctx, p->feeds[1]);
    for (size_t i = 0; i < p->n_words; i++) {
        ph_free(p->ctx, p->word_codes[i]);
        ph_free(p->ctx, p->word_texts[i]);
    }
    ph_free(p->ctx, p->word_codes);
    ph_free(p->ctx, p->word_texts);
}

const char *ph_policy_reason_words(const ph_policy *p, const char *code)
{
    if (p == NULL || code == NULL)
        return NULL;
    for (size_t i = 0; i < p->n_words; i++)
        if (strcmp(p->word_codes[i], code) == 0)
            return p->word_texts[i];
    return NULL;
}

/* ---- what the limit and the rate are computed from -------------------------------------- */

/* The step that defines environment slot `slot` (a formula, or one of a
 * table's outputs); NULL for inputs and constants. */
static const pol_step *defining_step(const ph_policy *p, size_t slot)
{
    for (size_t i = 0; i < p->n_steps; i++) {
        const pol_step *s = &p->steps[i];
        if (s->kind == PH_POLICY_STEP_FORMULA && s->out_slot == slot)
            return s;
        if (s->kind == PH_POLICY_STEP_TABLE && slot >= s->out_slot &&
            slot < s->out_slot + s->table->n_outputs)
            return s;
    }
    return NULL;
}

/* Set feeds[v] for `target` and every slot it is computed from, directly or
 * through other formulas and tables. `stack` has room for n_values. */
static void mark_sources(const ph_policy *p, size_t target, uint8_t *feeds, size_t *stack)
{
    size_t top = 0;
    feeds[target] = 1;
    stack[top++] = target;
    while (top > 0) {
        const pol_step *s = defining_step(p, stack[--top]);
        if (s == NULL)
            continue;
        size_t n = s->kind == PH_POLICY_STEP_FORMULA ? s->expr->code_len : s->table->n_inputs;
        for (size_t i = 0; i < n; i++) {
            size_t from;
            if (s->kind == PH_POLICY_STEP_FORMULA) {
                if (s->expr->code[i].op != OP_LOAD)
                    continue;
                from = (size_t)s->expr->code[i].arg;
            } else {
                from = s->in_slots[i];
            }
            if (from < p->n_values && !feeds[from]) {
                feeds[from] = 1;
                stack[top++] = from; /* each slot is pushed at most once */
            }
        }
    }
}

ph_status pol_mark_sources(ph_policy *p, ph_error *err)
{
    size_t *stack = ph_calloc(p->ctx, p->n_values, sizeof(*stack));
    for (size_t i = 0; i < 2; i++)
        p->feeds[i] = ph_calloc(p->ctx, p->n_values, 1);
    if (stack == NULL || p->feeds[0] == NULL || p->feeds[1] == NULL) {
        ph_free(p->ctx, stack);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    mark_sources(p, p->limit_slot, p->feeds[0], stack);
    mark_sources(p, p->rate_slot, p->feeds[1], stack);
    ph_free(p->ctx, stack);
    return PH_OK;
}

int ph_policy_feeds(const ph_policy *p, const char *name, const char *target)
{
    if (p == NULL || name == NULL || target == NULL || p->feeds[0] == NULL)
        return 0;
    int which = strcmp(target, "limit") == 0 ? 0 : strcmp(target, "rate") == 0 ? 1 : -1;
    size_t slot;
    ph_value_kind kind;
    if (which < 0 || expr_symbols_find(p->sym, name, strlen(name), &slot, &kind) != PH_OK ||
        slot >= p->n_values)
        return 0;
    return p->feeds[which][slot];
}
