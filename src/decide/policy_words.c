/*
 * Lender policies: the sentences a firm reads for the policy's reason codes.
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
        return ph_error_set(err, PH_EINVAL, NULL, NULL,
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
            return ph_error_set(err, PH_EINVAL, NULL, NULL,
                                "reasons.%.64s: expected the code of a knock-out or "
                                "eligibility rule of this policy, got a code no rule gives",
                                code);
        size_t len = json_is_string(text) ? json_string_length(text) : 0;
        if (len == 0 || len > WORDS_MAX)
            return ph_error_set(err, PH_EINVAL, NULL, NULL,
                                "reasons.%.64s: expected a sentence of 1 to %d bytes", code,
                                WORDS_MAX);
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
