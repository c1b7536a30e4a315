/*
 * The current time as the platform records it: UTC, ISO 8601, to the second.
 */
#include <time.h>

#include "puhui/common.h"

ph_status ph_utc_format(int64_t seconds, char buf[PH_UTC_MAX], ph_error *err)
{
    struct tm tm;
    time_t t = (time_t)seconds;
    if (buf == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_utc_format: NULL buffer");
    if (seconds < 0 || (int64_t)t != seconds || gmtime_r(&t, &tm) == NULL ||
        strftime(buf, PH_UTC_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return ph_error_set(err, PH_ERANGE, "clock", NULL,
                            "expected the clock to give the current UTC time");
    return PH_OK;
}

ph_status ph_ctx_utc_now(const ph_ctx *ctx, char buf[PH_UTC_MAX], ph_error *err)
{
    return ph_utc_format(ph_ctx_now(ctx), buf, err);
}
