/*
 * How many bad rows a file may have before it is refused as a whole.
 *
 * A file whose rows are mostly bad is not a feed with some damaged lines:
 * it is the wrong file, a broken export, or a reader out of step with the
 * file (one unclosed quote once turned a 10 MB file into millions of
 * quarantine rows). Quarantining such a file row by row floods the database
 * and hides the one real problem, so past a limit the file is refused and
 * none of its rows are kept (docs/ingest.md, "Limits").
 *
 * The count limit is checked before each batch commits, so a flood stops at
 * the first batch that crosses it; the share is checked when the file ends
 * (a share of the first rows says little about the whole file), and only
 * for a file of share_min_records records or more.
 */
#include <stdio.h>
#include <string.h>

#include "ingest/ingest_internal.h"

/* The defaults: change them here, not in code. */
static const struct {
    const char *name;
    double value;
    const char *why;
} reject_limit_defaults[] = {
    {"max_rejects", 100000, "more bad rows than this is a broken file, not damaged lines"},
    {"max_reject_share", 0.10, "a feed with more than one bad row in ten is the wrong file"},
    {"share_min_records", 1000, "the share says little about a file of a few lines"},
    {"lease_stale_seconds", 600, "a live run renews its lease at every batch commit"},
    {"bad_record_max_lines", 1000,
     "a bad record longer than this is a quote out of step with the file, not a damaged line"},
};

double ing_limit_default(const char *name)
{
    for (size_t i = 0; i < sizeof(reject_limit_defaults) / sizeof(reject_limit_defaults[0]); i++)
        if (strcmp(reject_limit_defaults[i].name, name) == 0)
            return reject_limit_defaults[i].value;
    return 0;
}

/* The share as a percentage, without trailing zeros: "10", "2.5". */
static void percent(double share, char *out, size_t size)
{
    snprintf(out, size, "%.4g", share * 100.0);
}

ph_status ing_limits_check(const ing_limits *limits, const char *path,
                           const ph_ingest_counts *counts, int at_end, ph_error *err)
{
    if (counts->rejected > limits->max_rejects)
        return ph_error_set(err, PH_EINVAL, "max_rejects", NULL,
                            "%s: refused: %llu bad rows in its first %llu records, more than the "
                            "limit of %llu (--max-rejects); none of its rows were kept",
                            path, (unsigned long long)counts->rejected,
                            (unsigned long long)counts->rows,
                            (unsigned long long)limits->max_rejects);
    if (!at_end || limits->max_reject_share >= 1.0 ||
        counts->rows < (uint64_t)ing_limit_default("share_min_records"))
        return PH_OK;
    double share = (double)counts->rejected / (double)counts->rows;
    if (share <= limits->max_reject_share)
        return PH_OK;
    char got[32], limit[32];
    percent(share, got, sizeof(got));
    percent(limits->max_reject_share, limit, sizeof(limit));
    return ph_error_set(err, PH_EINVAL, "max_reject_share", NULL,
                        "%s: refused: %llu of its %llu records are bad (%s%%), more than the "
                        "limit of %s%% (--max-reject-share); none of its rows were kept",
                        path, (unsigned long long)counts->rejected,
                        (unsigned long long)counts->rows, got, limit);
}

ph_status ing_limits_check_bad_record(const char *path, uint64_t line, uint64_t lines,
                                      int unclosed, uint64_t quote_line, ph_error *err)
{
    if (unclosed)
        return ph_error_set(err, PH_EINVAL, "bad_record_max_lines", NULL,
                            "%s: refused: the quote opened at line %llu is never closed, so the "
                            "bad record starting at line %llu runs to the end of the file (%llu "
                            "lines) and the rest of the file would be lost; expected a closing "
                            "'\"' for it (a '\"' inside a quoted field is written \"\"); none of "
                            "its rows were kept",
                            path, (unsigned long long)quote_line, (unsigned long long)line,
                            (unsigned long long)lines);
    uint64_t limit = (uint64_t)ing_limit_default("bad_record_max_lines");
    if (lines <= limit)
        return PH_OK;
    return ph_error_set(err, PH_EINVAL, "bad_record_max_lines", NULL,
                        "%s: refused: the bad record starting at line %llu spans %llu lines (to "
                        "line %llu), more than the limit of %llu: a quote in it opens a quoted "
                        "field that closes far below; expected each bad record to end within "
                        "%llu lines; none of its rows were kept",
                        path, (unsigned long long)line, (unsigned long long)lines,
                        (unsigned long long)(line + lines - 1), (unsigned long long)limit,
                        (unsigned long long)limit);
}
