/*
 * The current time as the platform records it: UTC, ISO 8601, to the second.
 */
#include <time.h>

#include "puhui/common.h"

ph_status ph_utc_now(char buf[PH_UTC_MAX], ph_error *err)
{
    time_t now = time(NULL);
    struct tm tm;
    if (buf == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_utc_now: NULL buffer");
    if (now == (time_t)-1 || gmtime_r(&now, &tm) == NULL ||
        strftime(buf, PH_UTC_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return ph_error_set(err, PH_ERANGE, "clock", NULL,
                            "expected the system clock to give the current UTC time");
    return PH_OK;
}
