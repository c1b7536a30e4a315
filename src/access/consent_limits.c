/*
 * How far back a consent may start and how long it may last, per purpose:
 * the grant limits as data. Change a limit here, not in code; the grant
 * (consent.c) only looks the purpose up, and docs/consent.md#grant-limits
 * explains each row to the firms.
 *
 * Why limits at all: PIPL art. 19 keeps personal information only as long
 * as the purpose needs, and a consent is the purpose's licence. A consent
 * "until 9999-12-31" outlives any loan; one "from 1949-01-01" claims an
 * authorisation no one can have given. The numbers:
 *   - backdating: a consent signed on paper reaches the platform within a
 *     month, so granted_on may be up to 30 days before the day of the grant;
 *   - starting ahead: a consent may be recorded before it begins (pending
 *     until then), but a firm agreeing today agrees to a read it can
 *     foresee, not one a year away: granted_on at most 30 days after the
 *     day of the grant;
 *   - credit assessment: an application is decided, and its data goes
 *     stale, within a year: 366 days (a leap year's same date);
 *   - post-loan monitoring: the loan's term; micro and small enterprise
 *     loans run up to 3 years: 1096 days;
 *   - supply-chain finance: one year of trade with the core enterprise,
 *     renewed with the contract: 366 days.
 */
#include "access/access_internal.h"

static const ph_consent_limit LIMITS[] = {
    /* purpose                  backdate  ahead  duration  what the duration follows */
    {PH_PURPOSE_CREDIT,         30,       30,    366,      "an application is decided within a year"},
    {PH_PURPOSE_MONITORING,     30,       30,    1096,     "the loan term, at most 3 years"},
    {PH_PURPOSE_SUPPLY_CHAIN,   30,       30,    366,      "one year of the supply contract"},
};

const ph_consent_limit *ph_consent_limit_for(unsigned purpose)
{
    for (size_t i = 0; i < sizeof(LIMITS) / sizeof(LIMITS[0]); i++)
        if (LIMITS[i].purpose == purpose)
            return &LIMITS[i];
    return NULL;
}
