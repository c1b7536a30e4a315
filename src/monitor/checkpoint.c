/*
 * The engine's checkpoint (warning.h): its whole state as bytes, and back.
 *
 * The state is flat arrays (monitor_internal.h), so a checkpoint is those
 * arrays in a fixed order behind a header, closed by a checksum of
 * everything before it. What can be derived (the chain adjacency, the peer
 * pass's scratch) is not written: it is rebuilt. The bytes are the host's
 * (a checkpoint moves between runs of the platform, not between machines of
 * different byte order; the header says which order it was written in).
 */
#include "monitor/monitor_internal.h"

#define MAGIC "PHWARN\0\1"
#define FORMAT_VERSION 1u
#define BYTE_ORDER_MARK 0x01020304u

typedef struct writer {
    const ph_ctx *ctx;
    unsigned char *buf;
    size_t len, cap;
    int failed;
} writer;

static void put(writer *w, const void *p, size_t n)
{
    if (w->failed || n == 0)
        return;
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap < w->len + n)
            cap *= 2;
        unsigned char *b = ph_realloc(w->ctx, w->buf, cap);
        if (b == NULL) {
            w->failed = 1;
            return;
        }
        w->buf = b;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}

static void put_u64(writer *w, uint64_t v)
{
    put(w, &v, sizeof(v));
}

ph_status ph_warn_engine_checkpoint(const ph_warn_engine *eng, unsigned char **buf, size_t *len,
                                    ph_error *err)
{
    if (eng == NULL || buf == NULL || len == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_warn_engine_checkpoint: NULL argument");
    writer w = {eng->ctx, NULL, 0, 0, 0};
    uint32_t head[2] = {FORMAT_VERSION, BYTE_ORDER_MARK};
    put(&w, MAGIC, 8);
    put(&w, head, sizeof(head));
    put(&w, eng->rules->checksum, 64);
    int64_t closed = eng->closed;
    put(&w, &closed, sizeof(closed));
    put_u64(&w, eng->nfirms);
    put_u64(&w, eng->nlinks);
    put_u64(&w, eng->ngroups);
    put_u64(&w, eng->gtab_cap);
    put(&w, eng->firm, eng->nfirms * sizeof(warn_firm));
    put(&w, eng->link, eng->nlinks * sizeof(warn_link));
    put(&w, eng->gtab, eng->gtab_cap * sizeof(warn_group_key));
    for (size_t i = 0; i < eng->rules->count; i++) {
        warn_rule_array a[WARN_RULE_ARRAYS];
        size_t n = warn_rule_arrays(&eng->rules->rule[i], &eng->rs[i], a);
        for (size_t k = 0; k < n; k++)
            put(&w, *a[k].p, eng->nfirms * a[k].per_firm);
    }
    char sum[PH_CHECKSUM_HEX];
    if (!w.failed) {
        ph_checksum_hex(w.buf, w.len, sum);
        put(&w, sum, 64);
    }
    if (w.failed) {
        ph_free(eng->ctx, w.buf);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    *buf = w.buf;
    *len = w.len;
    return PH_OK;
}

typedef struct reader {
    const unsigned char *p;
    size_t left;
} reader;

static int get(reader *r, void *out, size_t n)
{
    if (n > r->left)
        return 0;
    if (n > 0)
        memcpy(out, r->p, n);
    r->p += n;
    r->left -= n;
    return 1;
}

static ph_status corrupt(const char *source, const char *why, ph_error *err)
{
    ph_error_set(err, PH_EINVAL, "checkpoint", NULL, "not a usable early-warning checkpoint: %s",
                 why);
    ph_error_locate(err, source, 0, 0);
    return PH_EINVAL;
}

ph_status ph_warn_engine_restore(const ph_ctx *ctx, const ph_warn_rules *rules,
                                 const unsigned char *buf, size_t len, const char *source,
                                 const ph_warn_engine_opts *opts, ph_warn_engine **out,
                                 ph_error *err)
{
    if (ctx == NULL || rules == NULL || buf == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_warn_engine_restore: NULL argument");
    if (source == NULL)
        source = "checkpoint";
    char magic[8], sum[PH_CHECKSUM_HEX], checksum[65] = "";
    uint32_t head[2];
    if (len < 8 + 8 + 64 + 64 || memcmp(buf, MAGIC, 8) != 0)
        return corrupt(source, "it does not start with the checkpoint mark", err);
    ph_checksum_hex(buf, len - 64, sum);
    if (memcmp(sum, buf + len - 64, 64) != 0)
        return corrupt(source, "its checksum does not match its bytes (cut short or altered)",
                       err);
    reader r = {buf, len - 64};
    get(&r, magic, 8);
    get(&r, head, sizeof(head));
    if (head[0] != FORMAT_VERSION || head[1] != BYTE_ORDER_MARK)
        return corrupt(source, head[1] != BYTE_ORDER_MARK
                                   ? "it was written on a machine of another byte order"
                                   : "it is of another format version",
                       err);
    get(&r, checksum, 64);
    if (memcmp(checksum, rules->checksum, 64) != 0) {
        ph_error_set(err, PH_EINVAL, "checkpoint", checksum,
                     "taken with another rule set (checksum %s); the rules given have %s",
                     checksum, rules->checksum);
        ph_error_locate(err, source, 0, 0);
        return PH_EINVAL;
    }
    int64_t closed = 0;
    uint64_t nfirms = 0, nlinks = 0, ngroups = 0, gcap = 0;
    if (!get(&r, &closed, 8) || !get(&r, &nfirms, 8) || !get(&r, &nlinks, 8) ||
        !get(&r, &ngroups, 8) || !get(&r, &gcap, 8) || nfirms > r.left || nlinks > r.left ||
        gcap > r.left || ngroups > gcap)
        return corrupt(source, "its header is cut short", err);
    /* the exact length the counts imply, checked before anything is
     * allocated: a checksum anyone can compute proves no honesty, so a short
     * file claiming a million firms must not cost a million firms' memory */
    uint64_t per_firm = sizeof(warn_firm);
    for (size_t i = 0; i < rules->count; i++)
        per_firm += warn_rule_state_bytes(&rules->rule[i]);
    uint64_t expected = per_firm * nfirms + nlinks * sizeof(warn_link) +
                        gcap * sizeof(warn_group_key);
    if (nfirms > UINT32_MAX || expected != r.left)
        return corrupt(source, "its length is not what its counts of firms, links and groups "
                               "need",
                       err);
    ph_warn_engine *eng = NULL;
    ph_status st = warn_engine_alloc(ctx, rules, opts, &eng, err);
    if (st == PH_OK)
        st = warn_engine_reserve(eng, nfirms > 64 ? (size_t)nfirms : 64, err);
    if (st == PH_OK) {
        eng->link = ph_calloc(ctx, nlinks + 1, sizeof(warn_link));
        eng->gtab = ph_calloc(ctx, gcap + 1, sizeof(warn_group_key));
        if (eng->link == NULL || eng->gtab == NULL)
            st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    if (st == PH_OK) {
        eng->closed = (ph_date)closed;
        eng->nfirms = (size_t)nfirms;
        eng->nlinks = eng->link_cap = (size_t)nlinks;
        eng->link_cap += 1;
        eng->ngroups = (size_t)ngroups;
        eng->gtab_cap = (size_t)gcap;
        int ok = get(&r, eng->firm, eng->nfirms * sizeof(warn_firm)) &&
                 get(&r, eng->link, eng->nlinks * sizeof(warn_link)) &&
                 get(&r, eng->gtab, eng->gtab_cap * sizeof(warn_group_key));
        for (size_t i = 0; ok && i < rules->count; i++) {
            warn_rule_array a[WARN_RULE_ARRAYS];
            size_t n = warn_rule_arrays(&rules->rule[i], &eng->rs[i], a);
            for (size_t k = 0; ok && k < n; k++)
                ok = get(&r, *a[k].p, eng->nfirms * a[k].per_firm);
        }
        if (!ok || r.left != 0)
            st = corrupt(source, ok ? "it has bytes past its end" : "it is cut short", err);
    }
    for (size_t i = 0; st == PH_OK && i < eng->nlinks; i++)
        if (eng->link[i].supplier >= eng->nfirms || eng->link[i].buyer >= eng->nfirms)
            st = corrupt(source, "a supply-chain link names a firm it does not hold", err);
    for (size_t i = 0; st == PH_OK && i < eng->nfirms; i++)
        eng->firm[i].uscc[18] = '\0'; /* a text, whatever the bytes said */
    if (st == PH_OK && (closed < 0 || closed > PH_DATE_MAX))
        st = corrupt(source, "its day closed is not a date", err);
    size_t used = 0;
    for (size_t i = 0; st == PH_OK && i < eng->gtab_cap; i++) {
        used += eng->gtab[i].key != 0;
        if (eng->gtab[i].key != 0 && (eng->gtab[i].group < 0 ||
                                      (size_t)eng->gtab[i].group >= eng->ngroups))
            st = corrupt(source, "a peer group is out of range", err);
    }
    if (st == PH_OK && (used != eng->ngroups || (eng->ngroups > 0 &&
                                                 eng->ngroups * 2 + 2 > eng->gtab_cap)))
        st = corrupt(source, "its peer groups do not add up", err);
    for (size_t i = 0; st == PH_OK && i < rules->count; i++)
        for (size_t f = 0; st == PH_OK && f < eng->nfirms; f++)
            if (eng->rs[i].hit_level[f] > PH_WARN_RED ||
                (eng->rs[i].streak != NULL && eng->rs[i].streak[f] < 0))
                st = corrupt(source, "a rule's state is out of range", err);
    for (size_t i = 0; st == PH_OK && i < eng->nfirms; i++)
        if (eng->firm[i].group < 0 || (size_t)eng->firm[i].group >= eng->ngroups ||
            eng->firm[i].level > PH_WARN_RED)
            st = corrupt(source, "a firm's group or colour is out of range", err);
    eng->adj_dirty = 1;
    if (st == PH_OK)
        warn_engine_derive_baselines(eng);
    if (st != PH_OK) {
        ph_warn_engine_free(eng);
        return st;
    }
    *out = eng;
    return PH_OK;
}
