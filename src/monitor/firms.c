/*
 * The firms as the engine numbers them, and what the engine is told about
 * them before any event: every registered enterprise (its county and
 * section place it among its peers) and the supply-chain links between
 * them. The engine keeps no index from USCC to number (a lookup per event
 * would be its cost); the watch keeps one here, a hash of the 18 characters.
 */
#include <stdio.h>
#include <string.h>

#include "puhui/enterprise.h"
#include "puhui/feed.h"
#include "puhui/schema.h"

#include "monitor/watch_internal.h"

const char *watch_day_text(ph_date day, char *buf)
{
    if (ph_date_format(day, buf, PH_DATE_FORMAT_MAX, NULL) != PH_OK)
        snprintf(buf, PH_DATE_FORMAT_MAX, "?");
    return buf;
}

/* ---- the index ---------------------------------------------------------------------- */

static uint64_t hash_uscc(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211u;
    }
    return h;
}

void watch_firms_init(watch_firms *f, const ph_ctx *ctx)
{
    memset(f, 0, sizeof(*f));
    f->ctx = ctx;
}

void watch_firms_free(watch_firms *f)
{
    ph_free(f->ctx, f->uscc);
    ph_free(f->ctx, f->slot);
    memset(f, 0, sizeof(*f));
}

int64_t watch_firms_find(const watch_firms *f, const char *uscc, size_t len)
{
    if (f->nslots == 0 || len != 18)
        return -1;
    size_t mask = f->nslots - 1;
    for (size_t i = (size_t)hash_uscc(uscc, len) & mask;; i = (i + 1) & mask) {
        uint32_t v = f->slot[i];
        if (v == 0)
            return -1;
        if (memcmp(f->uscc[v - 1], uscc, 18) == 0)
            return (int64_t)(v - 1);
    }
}

static void place(watch_firms *f, uint32_t index)
{
    size_t mask = f->nslots - 1;
    size_t i = (size_t)hash_uscc(f->uscc[index], 18) & mask;
    while (f->slot[i] != 0)
        i = (i + 1) & mask;
    f->slot[i] = index + 1;
}

ph_status watch_firms_add(watch_firms *f, const char *uscc, ph_error *err)
{
    if (strlen(uscc) != 18)
        return ph_error_set(err, PH_EINVAL, "uscc", uscc, "expected 18 characters");
    if (f->count == UINT32_MAX - 1)
        return ph_error_set(err, PH_ERANGE, "firms", NULL, "too many firms for the engine");
    if (f->count == f->cap) {
        uint32_t cap = f->cap ? f->cap * 2 : 1024;
        char(*grown)[19] = ph_realloc(f->ctx, f->uscc, (size_t)cap * sizeof(*grown));
        if (grown == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the firms");
        f->uscc = grown;
        f->cap = cap;
    }
    if (2 * ((size_t)f->count + 1) > f->nslots) {
        size_t nslots = f->nslots ? f->nslots * 2 : 2048;
        uint32_t *slot = ph_calloc(f->ctx, nslots, sizeof(*slot));
        if (slot == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the firms");
        ph_free(f->ctx, f->slot);
        f->slot = slot;
        f->nslots = nslots;
        for (uint32_t i = 0; i < f->count; i++)
            place(f, i);
    }
    memcpy(f->uscc[f->count], uscc, 18);
    f->uscc[f->count][18] = '\0';
    place(f, f->count);
    f->count++;
    return PH_OK;
}

/* ---- registering the firms ---------------------------------------------------------- */

typedef struct reg_ctx {
    ph_warn_engine *const *engines;
    size_t n;
    watch_firms *firms;
    int64_t added;
} reg_ctx;

static ph_status add_place(void *user, const char *uscc, int32_t region, char section,
                           ph_error *err)
{
    reg_ctx *r = user;
    if (uscc == NULL || watch_firms_find(r->firms, uscc, strlen(uscc)) >= 0)
        return PH_OK;
    ph_status st = watch_firms_add(r->firms, uscc, err);
    for (size_t e = 0; st == PH_OK && e < r->n; e++) {
        uint32_t index = 0;
        st = ph_warn_engine_add_firm(r->engines[e], uscc, region, section, 0, &index, err);
        if (st == PH_OK && index != r->firms->count - 1)
            st = ph_error_set(err, PH_ESTORE, "firm", uscc,
                              "the engine numbered the firm %u, the watch %u: they no longer "
                              "agree",
                              index, r->firms->count - 1);
    }
    r->added += st == PH_OK;
    return st;
}

ph_status watch_register_firms(ph_store *store, ph_warn_engine *const *engines, size_t n,
                               watch_firms *firms, int64_t *added, ph_error *err)
{
    ph_status st = PH_OK;
    /* firms restored with an engine come first, in its order */
    size_t held = ph_warn_engine_firm_count(engines[0]);
    for (size_t i = firms->count; st == PH_OK && i < held; i++) {
        const char *uscc = ph_warn_engine_uscc(engines[0], (uint32_t)i);
        st = watch_firms_add(firms, uscc != NULL ? uscc : "", err);
    }
    reg_ctx r = {engines, n, firms, 0};
    if (st == PH_OK)
        st = ph_enterprise_each_place(store, add_place, &r, err);
    if (st == PH_OK && added != NULL)
        *added = r.added;
    return st;
}

/* ---- supply-chain links ------------------------------------------------------------- */

/* The chain's number: the digits of "SC0001"; ids without digits (another
 * province's convention) are numbered from 1,000,000,000 in the order met. */
static uint32_t chain_number(const char *id, uint32_t *next_other)
{
    const char *p = id;
    while (*p != '\0' && (*p < '0' || *p > '9'))
        p++;
    uint64_t v = 0;
    int digits = 0;
    for (; *p >= '0' && *p <= '9' && v < 1000000000u; p++, digits++)
        v = v * 10 + (uint64_t)(*p - '0');
    if (digits > 0 && *p == '\0' && v < 1000000000u)
        return (uint32_t)v;
    return (*next_other)++;
}

ph_status watch_register_links(ph_store *store, ph_warn_engine *const *engines, size_t n,
                               const watch_firms *firms, int64_t *links, ph_error *err)
{
    const ph_feed *feed = ph_feed_find("supply_chain");
    char table[96];
    ph_status st = feed != NULL ? ph_schema_feed_table(feed, 0, table, sizeof(table), err)
                                : PH_OK;
    if (feed == NULL || st != PH_OK)
        return st;
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT chain_id, supplier_uscc, buyer_uscc FROM %s "
             "ORDER BY chain_id, supplier_uscc, buyer_uscc",
             table);
    ph_stmt *s = NULL;
    st = ph_store_prepare(store, sql, &s, err);
    uint32_t next_other = 1000000000u;
    int64_t count = 0;
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        const char *chain = ph_stmt_column_text(s, 0);
        const char *sup = ph_stmt_column_text(s, 1), *buy = ph_stmt_column_text(s, 2);
        int64_t a = sup ? watch_firms_find(firms, sup, strlen(sup)) : -1;
        int64_t b = buy ? watch_firms_find(firms, buy, strlen(buy)) : -1;
        /* the core enterprise (tier 1's buyer) is not a registered firm: its
         * link carries no contagion between watched firms */
        if (chain == NULL || a < 0 || b < 0 || a == b)
            continue;
        uint32_t number = chain_number(chain, &next_other);
        for (size_t e = 0; st == PH_OK && e < n; e++)
            st = ph_warn_engine_add_link(engines[e], number, (uint32_t)a, (uint32_t)b, err);
        count++;
    }
    ph_stmt_free(s);
    if (st == PH_DONE)
        st = PH_OK;
    if (st == PH_OK && links != NULL)
        *links = count;
    return st;
}
