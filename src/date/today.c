/*
 * Today, by the context's clock. A separate file from the calendar
 * arithmetic of date.c because this is the one date function that depends
 * on the world (the clock and the time zone) rather than on its arguments.
 */
#include <time.h>

#include "puhui/date.h"

ph_status ph_date_of_instant(int64_t seconds, ph_date *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_date_of_instant: out must not be NULL");
    time_t t = (time_t)seconds;
    struct tm tm;
    if (seconds < 0 || (int64_t)t != seconds || localtime_r(&t, &tm) == NULL)
        return ph_error_set(err, PH_ERANGE, "clock", NULL,
                            "expected the clock to give today's date");
    return ph_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, out, err);
}

ph_status ph_ctx_today(const ph_ctx *ctx, ph_date *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_ctx_today: out must not be NULL");
    return ph_date_of_instant(ph_ctx_now(ctx), out, err);
}
