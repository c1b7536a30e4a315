/*
 * Reading a profile for an institution: consent first, then features, then
 * scores — and only derived values leave the platform (data minimisation).
 *
 * The gate is asked in subset mode for every source behind the features: a
 * firm that consented to some sources gets a profile built from those, the
 * features of the others are withheld (shown as "not consented", scored as
 * missing), and the access log records which sources were used.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "puhui/access.h"
#include "puhui/enterprise.h"
#include "puhui/features.h"
#include "puhui/feed.h"
#include "puhui/schema.h"
#include "profile/profile_internal.h"

/* The sources behind a feature (its catalogue `sources`, comma-joined). */
static ph_source_set feature_sources(const ph_feature *feature)
{
    ph_source_set set = 0;
    if (feature->sources == NULL || feature->sources[0] == '\0')
        return 0;
    if (ph_source_set_parse(feature->sources, 0, &set, NULL) != PH_OK)
        return 0;
    return set;
}

/* The sources behind every feature, parsed once per read; their union,
 * limited to those that serve `purpose`, is returned. */
static ph_source_set profile_sources(unsigned purpose, ph_source_set need[PH_FEATURE_COUNT])
{
    ph_source_set all = 0;
    for (size_t i = 0; i < PH_FEATURE_COUNT; i++) {
        need[i] = feature_sources(ph_feature_at(i));
        all |= need[i];
    }
    return all & ph_source_set_for_purpose(purpose);
}

/* The registration as of the profile's date, like its features: the size
 * and status the firm had then, not today's. */
static ph_status read_registration(ph_store *store, ph_profile *p, ph_error *err)
{
    ph_registration reg;
    ph_status st = ph_registration_asof(store, p->uscc, p->asof, &reg, err);
    if (st != PH_OK)
        return st;
    memcpy(p->name, reg.name, sizeof(p->name));
    p->region_code = reg.region_code;
    memcpy(p->industry, reg.industry_code, sizeof(p->industry));
    memcpy(p->size_class, reg.size_class, sizeof(p->size_class));
    memcpy(p->status, reg.status, sizeof(p->status));
    return PH_OK;
}

static double profile_value(void *user, const char *feature)
{
    const ph_profile *p = user;
    int i = ph_feature_index(feature);
    return i < 0 ? NAN : p->values[i];
}

/* Withhold the features that read a source the institution may not use. */
static void withhold_unconsented(ph_profile *p, const ph_source_set need[PH_FEATURE_COUNT])
{
    for (size_t i = 0; i < PH_FEATURE_COUNT; i++) {
        p->withheld[i] = (need[i] & ~p->allowed) != 0;
        if (p->withheld[i])
            p->values[i] = ph_feature_missing();
    }
}

ph_status ph_profile_read(ph_store *store, const ph_profile_request *req, ph_profile *out,
                          ph_error *err)
{
    if (store == NULL || req == NULL || out == NULL || req->uscc == NULL ||
        req->institution_id == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_profile_read: store, req, req->uscc, req->institution_id "
                            "and out must not be NULL");
    unsigned purpose = req->purpose ? req->purpose : PH_PURPOSE_CREDIT;
    ph_date asof = req->asof;
    ph_status st = asof ? PH_OK : ph_ctx_today(ph_store_ctx(store), &asof, err);
    if (st != PH_OK)
        return st;

    ph_profile *p = ph_malloc(ph_store_ctx(store), sizeof(*p));
    if (p == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a profile");
    memset(p, 0, sizeof(*p));
    snprintf(p->uscc, sizeof(p->uscc), "%s", req->uscc);
    p->purpose = purpose;
    p->asof = asof;

    char what[64], day[PH_DATE_FORMAT_MAX];
    (void)ph_date_format(asof, day, sizeof(day), NULL);
    snprintf(what, sizeof(what), "profile asof %s", day);
    ph_access_request access = {0};
    access.institution_id = req->institution_id;
    access.uscc = req->uscc;
    access.purpose = purpose;
    ph_source_set need[PH_FEATURE_COUNT];
    access.sources = profile_sources(purpose, need);
    access.on = asof; /* the data date; consent is judged today (access.h) */
    access.what = what;
    access.mode = PH_ACCESS_SUBSET;
    ph_access_grant grant;
    st = ph_access_check(store, &access, &grant, err);
    if (st == PH_OK) {
        p->allowed = grant.allowed;
        p->refused = grant.refused;
        p->log_seq = grant.log_seq;
        st = read_registration(store, p, err);
    }
    if (st == PH_OK)
        st = ph_features_for(store, req->uscc, asof, p->values, err);
    if (st == PH_OK) {
        withhold_unconsented(p, need);
        st = ph_profile_score(profile_value, p, p->industry[0], &p->scores, err);
    }
    if (st == PH_OK)
        *out = *p;
    ph_free(ph_store_ctx(store), p);
    return st;
}
