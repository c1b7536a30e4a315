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

struct ph_profile {
    const ph_ctx *ctx;       /* frees it */
    ph_registration reg;     /* as of asof */
    unsigned purpose;
    ph_date asof;
    ph_date peers_asof;      /* the peer-median refresh used: asof, or the latest before it */
    ph_source_set allowed;   /* sources the consent covered, and the profile used */
    ph_source_set refused;   /* sources behind the features that were not covered */
    int64_t log_seq;         /* the access-log entry of this read */
    double values[PH_FEATURE_COUNT];          /* catalogue order; NaN: missing or withheld */
    unsigned char withheld[PH_FEATURE_COUNT]; /* 1: not consented (value NaN) */
    ph_profile_scores scores;
};

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

ph_status ph_profile_read(ph_store *store, const ph_profile_request *req, ph_profile **out,
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
    p->ctx = ph_store_ctx(store);
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
        /* features first: a firm not known on asof is reported as the
         * feature store reports it */
        st = ph_features_for(store, req->uscc, asof, p->values, &p->peers_asof, err);
    }
    /* the registration as of the profile's date, like its features: the
     * size and status the firm had then, not today's */
    if (st == PH_OK)
        st = ph_registration_asof(store, req->uscc, asof, &p->reg, err);
    if (st == PH_OK) {
        withhold_unconsented(p, need);
        st = ph_profile_score(profile_value, p, p->reg.industry_code[0], &p->scores, err);
    }
    if (st == PH_OK)
        *out = p;
    else
        ph_profile_free(p);
    return st;
}

void ph_profile_free(ph_profile *p)
{
    if (p != NULL)
        ph_free(p->ctx, p);
}

const ph_registration *ph_profile_registration(const ph_profile *p)
{
    return &p->reg;
}

ph_date ph_profile_asof(const ph_profile *p)
{
    return p->asof;
}

ph_date ph_profile_peers_asof(const ph_profile *p)
{
    return p->peers_asof;
}

unsigned ph_profile_purpose(const ph_profile *p)
{
    return p->purpose;
}

ph_source_set ph_profile_allowed(const ph_profile *p)
{
    return p->allowed;
}

ph_source_set ph_profile_refused(const ph_profile *p)
{
    return p->refused;
}

int64_t ph_profile_log_seq(const ph_profile *p)
{
    return p->log_seq;
}

double ph_profile_value(const ph_profile *p, size_t i)
{
    return i < PH_FEATURE_COUNT ? p->values[i] : ph_feature_missing();
}

int ph_profile_withheld(const ph_profile *p, size_t i)
{
    return i < PH_FEATURE_COUNT && p->withheld[i];
}

const ph_profile_scores *ph_profile_get_scores(const ph_profile *p)
{
    return &p->scores;
}
