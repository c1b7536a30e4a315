/*
 * The leaf bytes of each anchored record (anchor.h): compact JSON, members
 * in the order written here, money in yuan with two decimals and rates as
 * percentages, both as strings, so that nothing is a float and the same
 * row always gives the same bytes. A leaf is a function of the row alone:
 * ph_anchor_check rebuilds it years later and compares.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "anchor/anchor_internal.h"

static int put_text(json_t *o, const char *key, const char *value)
{
    return json_object_set_new(o, key, json_string(value != NULL ? value : ""));
}

static int put_int(json_t *o, const char *key, int64_t value)
{
    return json_object_set_new(o, key, json_integer((json_int_t)value));
}

static int put_date(json_t *o, const char *key, ph_date d)
{
    char buf[PH_DATE_FORMAT_MAX] = "";
    if (d != 0 && ph_date_format(d, buf, sizeof(buf), NULL) != PH_OK)
        buf[0] = '\0';
    return put_text(o, key, buf);
}

static int put_money(json_t *o, const char *key, ph_money m)
{
    char buf[40];
    if (ph_money_format(m, 0, buf, sizeof(buf), NULL) != PH_OK)
        return -1;
    return put_text(o, key, buf);
}

static int put_rate(json_t *o, const char *key, int has, ph_rate r)
{
    char buf[40] = "";
    if (has && ph_rate_format_percent(r, buf, sizeof(buf), NULL) != PH_OK)
        return -1;
    return put_text(o, key, buf);
}

/* A model's score or PD: the shortest text that reads back to the same
 * double ("" without a model), so the leaf holds no float. */
static int put_real(json_t *o, const char *key, double v)
{
    char buf[40] = "";
    if (v == v) /* not NaN */
        for (int digits = 15; digits <= 17; digits++) {
            snprintf(buf, sizeof(buf), "%.*g", digits, v);
            if (strtod(buf, NULL) == v)
                break;
        }
    return put_text(o, key, buf);
}

/* Serialise o into out (ph_free'd by the caller) and drop o. */
static ph_status finish(const ph_ctx *ctx, json_t *o, int bad, anchor_leaf *out, ph_error *err)
{
    char *text = bad ? NULL : json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (text == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "could not build an evidence leaf");
    size_t len = strlen(text);
    out->data = ph_malloc(ctx, len + 1);
    if (out->data == NULL) {
        free(text);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    memcpy(out->data, text, len + 1);
    out->len = len;
    free(text);
    return PH_OK;
}

ph_status anchor_consent_leaf(const ph_ctx *ctx, const ph_consent *c, int revocation,
                              anchor_leaf *out, ph_error *err)
{
    json_t *o = json_object();
    if (o == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    int bad = put_text(o, "type", revocation ? ANCHOR_REVOKE : ANCHOR_GRANT);
    bad |= put_int(o, "id", c->id);
    bad |= put_text(o, "uscc", c->uscc);
    bad |= put_text(o, "institution", c->institution_id);
    bad |= put_text(o, "purpose", ph_feed_purpose_name(c->purpose));
    if (revocation) {
        bad |= put_text(o, "revoked_at", c->revoked_at);
    } else {
        char sources[PH_SOURCE_SET_FORMAT_MAX];
        if (ph_source_set_format(c->sources, sources, sizeof(sources), err) != PH_OK) {
            json_decref(o);
            return err != NULL ? err->code : PH_EINVAL;
        }
        bad |= put_text(o, "sources", sources);
        bad |= put_int(o, "raw", c->raw_access);
        bad |= put_date(o, "granted_on", c->granted_on);
        bad |= put_date(o, "expires_on", c->expires_on);
        bad |= put_text(o, "created_at", c->created_at);
    }
    return finish(ctx, o, bad, out, err);
}

ph_status anchor_decision_leaf(const ph_ctx *ctx, const ph_market_decision *d,
                               const char *trace, anchor_leaf *out, ph_error *err)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    crypto_hash_sha256(digest, (const unsigned char *)trace, strlen(trace));
    sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
    json_t *o = json_object();
    if (o == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    int bad = put_text(o, "type", ANCHOR_DECISION);
    bad |= put_int(o, "id", d->id);
    bad |= put_int(o, "application", d->application_id);
    bad |= put_text(o, "uscc", d->uscc);
    bad |= put_text(o, "lender", d->lender);
    bad |= put_text(o, "policy", d->policy);
    bad |= put_int(o, "policy_version", d->policy_version);
    bad |= put_text(o, "role", d->role);
    bad |= put_int(o, "served", d->served);
    bad |= put_int(o, "approved", d->approved);
    bad |= put_money(o, "limit", d->has_limit ? d->limit : 0);
    bad |= put_rate(o, "rate", d->has_rate, d->rate);
    bad |= put_money(o, "amount", d->amount);
    bad |= put_rate(o, "apr", d->amount != 0, d->apr);
    bad |= put_rate(o, "net_apr", d->amount != 0, d->net_apr);
    bad |= put_real(o, "score", d->score);
    bad |= put_real(o, "pd", d->pd);
    json_t *reasons = json_array();
    for (size_t i = 0; reasons != NULL && i < d->n_reasons; i++)
        bad |= json_array_append_new(reasons, json_string(d->reasons[i].code)) |
               json_array_append_new(reasons, json_string(d->reasons[i].text));
    bad |= reasons == NULL || json_object_set_new(o, "reasons", reasons);
    bad |= put_text(o, "model", d->model);
    bad |= put_int(o, "model_version", d->model_version);
    bad |= put_date(o, "asof", d->asof);
    bad |= put_text(o, "decided_at", d->decided_at);
    bad |= put_text(o, "trace_sha256", hex);
    return finish(ctx, o, bad, out, err);
}

ph_status anchor_head_leaf(const ph_ctx *ctx, int64_t seq, const char *hash, anchor_leaf *out,
                           ph_error *err)
{
    json_t *o = json_object();
    if (o == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    int bad = put_text(o, "type", ANCHOR_HEAD);
    bad |= put_int(o, "seq", seq);
    bad |= put_text(o, "hash", hash);
    return finish(ctx, o, bad, out, err);
}
