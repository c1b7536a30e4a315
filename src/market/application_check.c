/*
 * The checks of an application's own fields (USCC, amount, term,
 * guarantor, purpose), before anything about the firm is read.
 */
#include "puhui/market.h"

#include <stdio.h>
#include <string.h>

#include "puhui/uscc.h"

static const char *const PURPOSES[] = {"working_capital", "equipment", "trade",
                                       "expansion", "agriculture", "green_upgrade", NULL};

const char *ph_application_purpose(size_t i)
{
    return i < sizeof(PURPOSES) / sizeof(PURPOSES[0]) ? PURPOSES[i] : NULL;
}

#define MAX_AMOUNT_FEN ((ph_money)100000000 * PH_FEN_PER_YUAN)

ph_status ph_application_check(const ph_application *app, ph_error *err)
{
    if (app == NULL || app->uscc == NULL || app->purpose == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_application_check: NULL application, uscc or purpose");
    ph_status st = ph_uscc_validate(app->uscc, strlen(app->uscc), err);
    if (st != PH_OK)
        return st;
    if (app->amount <= 0 || app->amount > MAX_AMOUNT_FEN) {
        char buf[PH_MONEY_FORMAT_MAX];
        if (ph_money_format(app->amount, 0, buf, sizeof(buf), NULL) != PH_OK)
            buf[0] = '\0';
        return ph_error_set(err, PH_EINVAL, "amount", buf,
                            "expected an amount above 0 and at most 100,000,000.00 yuan");
    }
    if (app->term < 1 || app->term > 360) {
        char buf[24];
        snprintf(buf, sizeof(buf), "%lld", (long long)app->term);
        return ph_error_set(err, PH_EINVAL, "term", buf, "expected 1 to 360 months");
    }
    if (app->guarantor != 0 && app->guarantor != 1)
        return ph_error_set(err, PH_EINVAL, "guarantor", NULL, "expected 0 or 1");
    for (size_t i = 0; PURPOSES[i]; i++)
        if (strcmp(PURPOSES[i], app->purpose) == 0)
            return PH_OK;
    return ph_error_set(err, PH_EINVAL, "purpose", app->purpose,
                        "expected one of working_capital, equipment, trade, expansion, "
                        "agriculture, green_upgrade");
}
