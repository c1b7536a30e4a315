/*
 * puhui — the feature store: for every enterprise and as-of date, the
 * numbers a credit model and a credit officer read, computed from the data
 * hub's feed tables (schema.h).
 *
 * Missing is explicit. A feature whose source has no data for the firm is
 * NaN (ph_feature_missing), never 0: a firm without a power meter has
 * "power: missing", and the has_* flags and coverage_share say how much of
 * the firm the platform can see, so a firm with no footprint is never read
 * as "no risk" (docs/domain.md#credit-assessment). Sources that publish for every firm (courts,
 * penalties, subsidies, patents) count 0 when a firm has no rows.
 *
 * Point in time. Features as of D read only what the platform knew on D:
 * the row versions valid on D (current rows with known_on <= D, history
 * versions with known_on <= D < superseded_on). A monthly window ends at the
 * source's latest complete month by D (month M counts once M's last day +
 * the feed's lag <= D); daily sources are rolled up to months the same way;
 * an event counts when its date <= D and its row is known by D. A firm
 * exists from the day its registration row is known. docs/features.md lists
 * every feature with its exact definition.
 *
 * The catalogue is static data (names, units, descriptions): its pointers
 * stay valid for the life of the program, from any thread.
 */
#ifndef PUHUI_FEATURES_H
#define PUHUI_FEATURES_H

#include <stdio.h>

#include "puhui/common.h"
#include "puhui/date.h"
#include "puhui/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Number of features; every value array holds this many doubles, in
 * catalogue order. Adding a feature appends it (indexes are stable). */
#define PH_FEATURE_COUNT 65

/* The unit of a feature's value. */
typedef enum ph_feature_unit {
    PH_UNIT_YUAN,   /* money in yuan (2 decimals) */
    PH_UNIT_RATIO,  /* a fraction or change: 0.25 = 25%, -0.42 = down 42% */
    PH_UNIT_PEOPLE,
    PH_UNIT_KWH,
    PH_UNIT_DAYS,
    PH_UNIT_MONTHS,
    PH_UNIT_COUNT,
    PH_UNIT_FLAG,   /* 0 or 1 */
    PH_UNIT_SCORE   /* an ordinal score; the description gives its scale */
} ph_feature_unit;

/* The profile dimension a feature belongs to (Hebei's five tags, docs/domain.md#credit-assessment,
 * plus the data-coverage flags). */
typedef enum ph_feature_dimension {
    PH_DIM_OPERATING_STABILITY,
    PH_DIM_INDUSTRY_PROSPERITY,
    PH_DIM_CREDIT_HISTORY,
    PH_DIM_DIGITAL_FOOTPRINT,
    PH_DIM_POLICY_FIT,
    PH_DIM_COVERAGE
} ph_feature_dimension;

/* What a higher value means for credit risk. */
typedef enum ph_feature_direction {
    PH_DIRECTION_NEUTRAL,       /* context, not good or bad in itself */
    PH_DIRECTION_HIGHER_BETTER, /* more is lower risk */
    PH_DIRECTION_HIGHER_WORSE   /* more is higher risk */
} ph_feature_direction;

/* One feature of the catalogue. */
typedef struct ph_feature {
    const char *name;     /* stable: "inflow_growth_3m" */
    ph_feature_unit unit;
    ph_feature_dimension dimension;
    ph_feature_direction direction;
    int decimals;         /* digits after the point in CSV and text output */
    const char *sources;  /* the feeds it reads: "payments_daily" */
    const char *description; /* one line for a credit officer */
    /* The reason sentences (docs/domain.md#credit-assessment), data rather
     * than code, one per state of the value:
     *   reason          a value: at most one "%s" (the value in the words of
     *                   its unit), "%+s" (the same with its sign, "+12%") or
     *                   "%~s" (its magnitude, "12%"), any "{one|other}"
     *                   choices, taken by whether the value reads as exactly
     *                   1 ("1 court case", "3 court cases"), and any
     *                   "[up|down]" choices, taken by whether it is above
     *                   zero ("rose by 12%", "fell by 12%"); a score may
     *                   name its levels, "%<D|C|M|B|A>" (0 the first word:
     *                   "tax credit grade B" for 3). A flag's sentence is
     *                   for 1 and has no "%s".
     *   reason_zero     the value reads as zero; NULL: `reason` with "0".
     *   reason_missing  missing (no data); NULL: "no data on " + topic.
     *   topic           a noun phrase for the feature ("invoiced sales of the
     *                   last 3 months"), used for "not consented". */
    const char *reason;
    const char *reason_zero;
    const char *reason_missing;
    const char *topic;
} ph_feature;

/* The state of a value a reason sentence is written for. */
typedef enum ph_feature_state {
    PH_FEATURE_VALUE,        /* a value (NaN reads as missing) */
    PH_FEATURE_MISSING,      /* no data for the firm */
    PH_FEATURE_NOT_CONSENTED /* data exists, but the firm did not consent to
                                this reader reading its sources */
} ph_feature_state;

/* PH_FEATURE_COUNT. */
PH_EXTERN size_t ph_feature_count(void);

/* Feature `index` (0 .. PH_FEATURE_COUNT-1), or NULL past the end. */
PH_EXTERN const ph_feature *ph_feature_at(size_t index);

/* Index of the feature `name`, or -1 when unknown or NULL. */
PH_EXTERN int ph_feature_index(const char *name);

/* The feature `name`, or NULL when unknown or NULL. */
PH_EXTERN const ph_feature *ph_feature_find(const char *name);

/* Stable lower-case names: "yuan", "ratio", "people", "kWh", "days",
 * "months", "count", "flag", "score"; "operating_stability",
 * "industry_prosperity", "credit_history", "digital_footprint",
 * "policy_fit", "coverage"; "neutral", "higher_better", "higher_worse".
 * "unknown" for a value outside the enum. */
PH_EXTERN const char *ph_feature_unit_name(ph_feature_unit unit);
PH_EXTERN const char *ph_feature_dimension_name(ph_feature_dimension dimension);
PH_EXTERN const char *ph_feature_direction_name(ph_feature_direction direction);

/* The missing value (a quiet NaN), and the test for it. */
PH_EXTERN double ph_feature_missing(void);
PH_EXTERN int ph_feature_is_missing(double value);

/*
 * Format a value of feature `index` for CSV and text: fixed-point with the
 * feature's decimals ("12345.67", "-0.421053", "3"), the same text for the
 * same double on every platform; a missing value is "" (CSV) so callers
 * print "missing" themselves where words fit better. Negative zero prints
 * as zero. Errors: PH_ERANGE (field "feature") for an index past the end;
 * PH_EMISUSE for NULL buf or a buffer too small (64 bytes always suffice).
 */
PH_EXTERN ph_status ph_feature_format(size_t index, double value, char *buf, size_t size,
                                      ph_error *err);

/*
 * The reason-code sentence of feature `index` for `value`: the catalogue's
 * sentence for the value's state (ph_feature_reason_state with
 * PH_FEATURE_VALUE). Errors as for ph_feature_format (256 bytes always
 * suffice).
 */
PH_EXTERN ph_status ph_feature_reason(size_t index, double value, char *buf, size_t size,
                                      ph_error *err);

/*
 * The reason sentence of feature `index` in `state`. PH_FEATURE_VALUE: the
 * catalogue's `reason` with the value in the words of its unit ("-42%", "+15%",
 * "0.4%" for a ratio, "1 day", "3 days", "12,345.67 yuan"), or its
 * `reason_zero` when the value reads as zero, or its missing sentence when
 * the value is NaN. PH_FEATURE_MISSING: the catalogue's `reason_missing`, or
 * "no data on invoiced sales of the last 3 months" (`value` ignored). PH_FEATURE_NOT_CONSENTED: "the firm has not
 * consented to this lender reading its VAT invoices (invoiced sales of the
 * last 3 months)". Errors as for ph_feature_format, and PH_EINVAL for a
 * state outside the enum (256 bytes always suffice).
 */
PH_EXTERN ph_status ph_feature_reason_state(size_t index, ph_feature_state state, double value,
                                            char *buf, size_t size, ph_error *err);

/*
 * Write the Markdown documentation of the catalogue (docs/features.md is
 * this output): the conventions, then one row per feature with its unit,
 * dimension, direction, sources and description. Deterministic.
 * Errors: PH_EMISUSE for NULL out; PH_EIO when writing fails.
 */
PH_EXTERN ph_status ph_feature_doc_write(FILE *out, ph_error *err);

/* --- Computing features ------------------------------------------------------ */

/*
 * Called once per enterprise and as-of date, with PH_FEATURE_COUNT values
 * (valid during the call only). `uscc` is the 18-character code. Return
 * PH_OK to go on; any other status stops the batch and is returned (fill
 * err to say why).
 */
typedef ph_status (*ph_features_fn)(void *user, const char *uscc, ph_date asof,
                                    const double *values, ph_error *err);

/* Options of ph_features_batch and ph_features_refresh. Zero-initialise,
 * then set what you need. */
typedef struct ph_features_options {
    int threads; /* worker threads; 0 = 2. Each opens its own connection
                    to the store's URI; a ":memory:" store uses 1. */
    /* Optional progress (NULL: none), called on the calling thread: `done`
     * of `total` in stage PH_FEATURES_STAGE_TABLES (feed tables read), then
     * PH_FEATURES_STAGE_PEERS (firms whose peer-compared values are
     * computed; every 256 firms of the calling thread's share), then, for
     * a batch only, PH_FEATURES_STAGE_FIRMS (firms whose features are
     * computed and delivered; every 1,024 firms). `stage` is one of those
     * static strings; each stage starts at 0 and ends at its total. */
    void (*progress)(void *user, const char *stage, uint64_t done, uint64_t total);
    void *progress_user;
} ph_features_options;

#define PH_FEATURES_STAGE_TABLES "reading the feeds"
#define PH_FEATURES_STAGE_PEERS "peer values"
#define PH_FEATURES_STAGE_FIRMS "features"

/*
 * Features of every enterprise as of each date of asof[0..count) (any
 * order; duplicates are an error). Each feed table is read once, in key
 * order; each firm's monthly series are built in memory and then evaluated
 * at every date, so a monthly panel costs little more than one date.
 *
 * Peer features compare a firm with the median of its peer group: the same
 * industry section in the same city (region_code's city), or the section
 * province-wide when the city group has fewer than 20 firms with a value.
 * Medians are over the firms known on that date.
 *
 * `fn` (may be NULL, e.g. to store peers only) is called from the calling
 * thread, ordered by uscc (byte order) and then by date ascending; a firm
 * appears only at dates when it is known (registration known_on <= D).
 *
 * Reads run on their own connections (one per thread, to the store's URI),
 * so they see what is committed: do not call this inside an open write
 * transaction whose rows it should see.
 *
 * A batch only reads: it computes the medians it needs in memory and
 * stores nothing (ph_features_refresh stores them).
 *
 * Cost, measured by bench/bench_features.c on 2 cores (100,000 firms, 24
 * months, 35 million rows): one date 13 s, 24 month ends 19 s, 550 MB peak.
 *
 * Errors: PH_EMISUSE for a NULL store or asof, count 0 or > 4096;
 * PH_EINVAL (field "asof") for a
 * duplicate date or one outside 1949..2089; PH_ESCHEMA when the database
 * is older than schema 5 (run `puhui init`); PH_EINVAL naming the table,
 * column and value of a stored value that cannot be read (a date that is
 * not a date); PH_ERANGE when a month's sum overflows; store errors; the
 * callback's.
 */
PH_EXTERN ph_status ph_features_batch(ph_store *store, const ph_date *asof, size_t count,
                                      const ph_features_options *options, ph_features_fn fn,
                                      void *user, ph_error *err);

/*
 * The peer-median refresh: compute the medians of every peer group as of
 * each date of asof[0..count) over all firms (the first pass of
 * ph_features_batch, with the same options and checks) and store them in
 * feature_peer and feature_peer_date, replacing what was stored for those
 * dates, in one transaction. ph_features_for reads them. It is the one
 * step of the feature store that writes: a platform schedules it (`puhui
 * features refresh --asof D`, e.g. daily, before applications arrive), and
 * runs it again for a date when data for that date arrives later.
 *
 * Cost: every feed table read once and the peer-compared values of every
 * firm computed: for one date, 15 CPU-seconds (28 s wall on 2 busy cores)
 * and a 275 MB peak for 100,000 firms with 13 months of data (20 million
 * rows), linear in the rows (20,000 firms: 3.2 CPU-seconds, 62 MB);
 * measured by `bench_features --months 13 --refresh-only`. Most of it is
 * reading the rows out of SQLite and parsing their dates.
 *
 * Errors: as ph_features_batch (PH_EMISUSE names ph_features_refresh); store
 * errors when writing (PH_ESTORE on a read-only store; nothing is stored).
 */
PH_EXTERN ph_status ph_features_refresh(ph_store *store, const ph_date *asof, size_t count,
                                        const ph_features_options *options, ph_error *err);

/*
 * The features of one enterprise as of `asof` into values[0..PH_FEATURE_COUNT),
 * reading only that firm's rows (by primary key or uscc index) and the
 * peer medians of the latest refresh on or before `asof`
 * (ph_features_refresh). It never writes, so it runs on a read-only store.
 *
 * When a refresh of `asof` itself exists, the values are identical to those
 * ph_features_batch gives for the same firm and date. Otherwise the peer
 * features (sales_vs_peer_12m, power_vs_peer_3m, inflow_vs_peer_12m,
 * industry_growth_12m, region_growth_12m) compare the firm as of `asof`
 * with the medians of that earlier refresh, and *peers_asof says so: it
 * receives the date of the refresh used (== asof when fresh). `peers_asof`
 * may be NULL; it is written on success only.
 *
 * Errors: PH_EMISUSE for NULL store, uscc or values; PH_EINVAL (field
 * "uscc") for a code that is not a valid USCC; PH_ENOTFOUND (field "uscc")
 * when no registration of the firm is known on asof; PH_ENOTFOUND (field
 * "asof") when no refresh was made on or before asof, the message naming
 * the command to run; as ph_features_batch.
 */
PH_EXTERN ph_status ph_features_for(ph_store *store, const char *uscc, ph_date asof,
                                    double *values, ph_date *peers_asof, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_FEATURES_H */
