/*
 * The reasons a row is quarantined: a small, stable public list. A field
 * refused by the catalog's check is classed by its column's type, so the
 * reason says what kind of value was wrong without parsing the message.
 */
#include <string.h>

#include "ingest/ingest_internal.h"

static const char *const reason_names[PH_REJECT_REASON_COUNT] = {
    [PH_REJECT_INVALID_UTF8] = "invalid_utf8",
    [PH_REJECT_MALFORMED_RECORD] = "malformed_record",
    [PH_REJECT_WRONG_FIELD_COUNT] = "wrong_field_count",
    [PH_REJECT_MISSING_VALUE] = "missing_value",
    [PH_REJECT_BAD_USCC] = "bad_uscc",
    [PH_REJECT_BAD_NUMBER] = "bad_number",
    [PH_REJECT_BAD_DATE] = "bad_date",
    [PH_REJECT_UNKNOWN_CODE] = "unknown_code",
    [PH_REJECT_BAD_TEXT] = "bad_text",
    [PH_REJECT_DUPLICATE_KEY] = "duplicate_key",
    [PH_REJECT_UNKNOWN_ENTERPRISE] = "unknown_enterprise",
};

/* The reason for a refused field of each type. */
static const ph_reject_reason type_reasons[] = {
    [PH_FIELD_USCC] = PH_REJECT_BAD_USCC,       [PH_FIELD_TEXT] = PH_REJECT_BAD_TEXT,
    [PH_FIELD_ID] = PH_REJECT_BAD_TEXT,         [PH_FIELD_DATE] = PH_REJECT_BAD_DATE,
    [PH_FIELD_MONTH] = PH_REJECT_BAD_DATE,      [PH_FIELD_INT] = PH_REJECT_BAD_NUMBER,
    [PH_FIELD_MONEY] = PH_REJECT_BAD_NUMBER,    [PH_FIELD_SHARE] = PH_REJECT_BAD_NUMBER,
    [PH_FIELD_DECIMAL] = PH_REJECT_BAD_NUMBER,  [PH_FIELD_ENUM] = PH_REJECT_UNKNOWN_CODE,
    [PH_FIELD_REGION] = PH_REJECT_UNKNOWN_CODE, [PH_FIELD_DIVISION] = PH_REJECT_UNKNOWN_CODE,
    [PH_FIELD_INDUSTRY] = PH_REJECT_UNKNOWN_CODE,
};

const char *ph_reject_reason_name(ph_reject_reason reason)
{
    return (unsigned)reason < PH_REJECT_REASON_COUNT ? reason_names[reason] : NULL;
}

ph_status ph_reject_reason_parse(const char *name, ph_reject_reason *out, ph_error *err)
{
    if (name == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_reject_reason_parse: name and out must not be NULL");
    for (int i = 0; i < PH_REJECT_REASON_COUNT; i++)
        if (strcmp(reason_names[i], name) == 0) {
            *out = (ph_reject_reason)i;
            return PH_OK;
        }
    return ph_error_set(err, PH_EINVAL, "reason", name,
                        "expected one of invalid_utf8, malformed_record, wrong_field_count, "
                        "missing_value, bad_uscc, bad_number, bad_date, unknown_code, bad_text, "
                        "duplicate_key, unknown_enterprise");
}

ph_reject_reason ing_reason_of_field(const ph_feed_column *col, size_t len)
{
    if (len == 0)
        return PH_REJECT_MISSING_VALUE;
    if ((size_t)col->type < sizeof(type_reasons) / sizeof(type_reasons[0]))
        return type_reasons[col->type];
    return PH_REJECT_BAD_TEXT;
}
