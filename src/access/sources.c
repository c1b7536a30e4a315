/*
 * Purposes and source sets: the vocabulary of consent. A source set is a bit
 * mask over catalogue indexes, so "does this consent cover that read" is one
 * AND, and the catalogue stays the one list of what a source is.
 */
#include <stdio.h>
#include <string.h>

#include "puhui/schema.h"

#include "access/access_internal.h"

static const struct {
    unsigned bit;
    const char *title;
} PURPOSE_TITLES[] = {
    {PH_PURPOSE_CREDIT, "credit assessment"},
    {PH_PURPOSE_MONITORING, "post-loan monitoring"},
    {PH_PURPOSE_SUPPLY_CHAIN, "supply-chain finance"},
};

#define PURPOSE_COUNT (sizeof(PURPOSE_TITLES) / sizeof(PURPOSE_TITLES[0]))

ph_status ph_purpose_parse(const char *s, unsigned *out, ph_error *err)
{
    if (s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_purpose_parse: s and out must not be NULL");
    for (size_t i = 0; i < PURPOSE_COUNT; i++) {
        if (strcmp(s, ph_feed_purpose_name(PURPOSE_TITLES[i].bit)) == 0) {
            *out = PURPOSE_TITLES[i].bit;
            return PH_OK;
        }
    }
    return ph_error_set(err, PH_EINVAL, "purpose", s,
                        "expected credit, monitoring or supply_chain");
}

const char *ph_purpose_title(unsigned purpose)
{
    for (size_t i = 0; i < PURPOSE_COUNT; i++)
        if (PURPOSE_TITLES[i].bit == purpose)
            return PURPOSE_TITLES[i].title;
    return NULL;
}

ph_status access_check_purpose(unsigned purpose, ph_error *err)
{
    if (ph_purpose_title(purpose) != NULL)
        return PH_OK;
    char value[16];
    snprintf(value, sizeof(value), "0x%x", purpose);
    return ph_error_set(err, PH_EINVAL, "purpose", value,
                        "expected exactly one of PH_PURPOSE_CREDIT, PH_PURPOSE_MONITORING, "
                        "PH_PURPOSE_SUPPLY_CHAIN");
}

/* Catalogue indexes past this cannot be sources: the set is 64 bits. */
static size_t set_limit(void)
{
    size_t count = ph_feed_count();
    return count < 64 ? count : 64;
}

ph_status ph_source_set_add(ph_source_set *set, const char *name, ph_error *err)
{
    if (set == NULL || name == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_source_set_add: set and name must not be NULL");
    const ph_feed *feed = ph_feed_find(name);
    if (feed == NULL)
        return ph_error_set(err, PH_EINVAL, "sources", name,
                            "expected the name of a feed of the catalogue (see 'puhui feeds "
                            "list')");
    if (!ph_schema_feed_stored(feed))
        return ph_error_set(err, PH_EINVAL, "sources", name,
                            "expected a feed stored by the platform; %s/ files are never "
                            "shared",
                            ph_feed_area_name(feed->area));
    for (size_t i = 0; i < ph_feed_count(); i++) {
        if (ph_feed_at(i) != feed)
            continue;
        if (i >= 64)
            return ph_error_set(err, PH_ERANGE, "sources", name,
                                "expected a catalogue index below 64 (a source set has 64 "
                                "bits), got %zu",
                                i);
        *set |= PH_SOURCE_BIT(i);
        return PH_OK;
    }
    return ph_error_set(err, PH_EINVAL, "sources", name, "expected a feed of the catalogue");
}

ph_source_set ph_source_set_for_purpose(unsigned purpose)
{
    ph_source_set set = 0;
    for (size_t i = 0; i < set_limit(); i++) {
        const ph_feed *feed = ph_feed_at(i);
        if (ph_schema_feed_stored(feed) && (feed->purposes & purpose) != 0)
            set |= PH_SOURCE_BIT(i);
    }
    return set;
}

/* "credit" or "credit, monitoring": the purposes a feed serves. */
static void purposes_text(unsigned purposes, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < PURPOSE_COUNT; i++) {
        if ((purposes & PURPOSE_TITLES[i].bit) == 0)
            continue;
        int n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
                         ph_feed_purpose_name(PURPOSE_TITLES[i].bit));
        if (n < 0 || (size_t)n >= size - used)
            return;
        used += (size_t)n;
    }
}

/* One name of a list, s[0..len) with the spaces around it trimmed. */
static ph_status add_listed(ph_source_set *set, const char *s, size_t len, unsigned purpose,
                            ph_error *err)
{
    while (len > 0 && s[0] == ' ') {
        s++;
        len--;
    }
    while (len > 0 && s[len - 1] == ' ')
        len--;
    char name[64];
    if (len == 0)
        return ph_error_set(err, PH_EINVAL, "sources", NULL,
                            "expected feed names separated by ',', found an empty name");
    if (len >= sizeof(name))
        return ph_error_setn(err, PH_EINVAL, "sources", s, len,
                             "expected the name of a feed of the catalogue (see 'puhui feeds "
                             "list')");
    memcpy(name, s, len);
    name[len] = '\0';
    ph_source_set one = 0;
    ph_status st = ph_source_set_add(&one, name, err);
    if (st != PH_OK)
        return st;
    const ph_feed *feed = ph_feed_find(name);
    if (purpose != 0 && (feed->purposes & purpose) == 0) {
        char serves[64];
        purposes_text(feed->purposes, serves, sizeof(serves));
        return ph_error_set(err, PH_EINVAL, "sources", name,
                            "expected a source used for %s; %s serves %s only",
                            ph_purpose_title(purpose), name, serves);
    }
    *set |= one;
    return PH_OK;
}

ph_status ph_source_set_parse(const char *list, unsigned purpose, ph_source_set *out,
                              ph_error *err)
{
    if (list == NULL || out == NULL || (purpose != 0 && ph_purpose_title(purpose) == NULL))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_source_set_parse: list and out must not be NULL, purpose must "
                            "be 0 or one PH_PURPOSE_* bit");
    if (strcmp(list, "all") == 0) {
        *out = ph_source_set_for_purpose(purpose ? purpose : PH_PURPOSE_ALL);
        return PH_OK;
    }
    if (list[0] == '\0')
        return ph_error_set(err, PH_EINVAL, "sources", NULL,
                            "expected feed names separated by ',', or all; got an empty list");
    ph_source_set set = 0;
    const char *p = list;
    for (;;) {
        size_t len = strcspn(p, ",");
        ph_status st = add_listed(&set, p, len, purpose, err);
        if (st != PH_OK)
            return st;
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    *out = set;
    return PH_OK;
}

ph_status ph_source_set_format(ph_source_set set, char *buf, size_t size, ph_error *err)
{
    if (buf == NULL || size == 0)
        return ph_error_set(err, PH_EMISUSE, "buf", NULL,
                            "ph_source_set_format: expected a buffer of at least 1 byte");
    ph_source_set known = 0;
    for (size_t i = 0; i < set_limit(); i++)
        if (ph_schema_feed_stored(ph_feed_at(i)))
            known |= PH_SOURCE_BIT(i);
    if ((set & ~known) != 0) {
        char value[24];
        snprintf(value, sizeof(value), "0x%llx", (unsigned long long)(set & ~known));
        return ph_error_set(err, PH_EINVAL, "sources", value,
                            "expected bits of stored feeds of the catalogue");
    }
    size_t used = 0;
    for (size_t i = 0; i < set_limit(); i++) {
        if ((set & PH_SOURCE_BIT(i)) == 0)
            continue;
        const char *name = ph_feed_at(i)->name;
        size_t need = strlen(name) + (used ? 1 : 0);
        if (used + need + 1 > size)
            return ph_error_set(err, PH_EMISUSE, "buf", NULL,
                                "expected room for more than %zu bytes, got %zu", used + need,
                                size);
        if (used)
            buf[used++] = ',';
        memcpy(buf + used, name, strlen(name));
        used += strlen(name);
    }
    buf[used] = '\0';
    return PH_OK;
}

ph_source_set access_sources_from_text(const char *text)
{
    ph_source_set set = 0;
    const char *p = text ? text : "";
    while (*p != '\0') {
        size_t len = strcspn(p, ",");
        char name[64];
        if (len > 0 && len < sizeof(name)) {
            memcpy(name, p, len);
            name[len] = '\0';
            (void)ph_source_set_add(&set, name, NULL);
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return set;
}

ph_status access_resolve_date(const ph_ctx *ctx, ph_date d, ph_date *out, ph_error *err)
{
    if (d == 0)
        return ph_ctx_today(ctx, out, err);
    if (!ph_date_is_valid(d)) {
        char value[24];
        snprintf(value, sizeof(value), "%ld", (long)d);
        return ph_error_set(err, PH_ERANGE, "date", value,
                            "expected a day from 0001-01-01 to 9999-12-31");
    }
    *out = d;
    return PH_OK;
}

