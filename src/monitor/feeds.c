/*
 * The feeds an early-warning event comes from, derived from the catalogue
 * rather than listed again: every feed that serves monitoring, and of each
 * its columns that carry a value a rule can read (int, money, share,
 * decimal, enum), in catalogue order. Adding a monitored feed to the
 * catalogue makes it available to rules with no change here.
 *
 * After them come the platform's own records that serve monitoring: rows
 * no source delivers and nobody ingests, kept by another module of the
 * platform and read through its public function (source.c). They are
 * described as a feed is, so that a rule names them, the engine reads
 * their fields and a mistake lists them like any feed; they come last, so
 * the catalogue feeds keep their indexes (and a checkpoint its meaning).
 * A consent does not name them (they are not a source a firm consents to:
 * docs/watch.md#the-platforms-own-records), so they add nothing to a rule
 * set's sources (rules.c).
 */
#include "monitor/monitor_internal.h"

/* voucher.h's ph_voucher_late_settlements: a core enterprise paid a part of
 * a claim voucher after its maturity. The row is the firm that waited for
 * the money (the part's holder: docs/watch.md says why not the issuer). */
static const ph_feed_column VOUCHER_LATE_COLUMNS[] = {
    {"voucher_id", PH_FIELD_ID, 1, NULL, NULL, 0, 0, 0, "the part settled late"},
    {"uscc", PH_FIELD_USCC, 1, NULL, NULL, 0, 0, 0,
     "the firm paid late: the part's holder, to whom the issuer owed it"},
    {"issuer_uscc", PH_FIELD_USCC, 1, NULL, NULL, 0, 0, 0,
     "the core enterprise that issued the voucher and paid late"},
    {"day", PH_FIELD_DATE, 1, NULL, NULL, 0, 0, 0, "the day the issuer paid"},
    {"days_late", PH_FIELD_INT, 1, "days", NULL, 1, 36600, 0,
     "days after the voucher's maturity that it was paid (at least 1)"},
    {"amount", PH_FIELD_MONEY, 1, "yuan", NULL, 0, 0, 0, "what was paid: the part's face"},
};

static const ph_feed RECORDS[] = {
    {"voucher_late_settlements", NULL, PH_FEED_AREA_REFERENCE, "数字债权凭证逾期兑付",
     "the platform's claim-voucher registry (src/voucher, voucher_settlement)", PH_FREQ_EVENT, 0,
     "voucher_id", PH_PURPOSE_MONITORING | PH_PURPOSE_SUPPLY_CHAIN, 1,
     "One row per part of a claim voucher whose issuer paid its holder after maturity; a part "
     "paid to the lender that financed it is about no registered firm.",
     sizeof(VOUCHER_LATE_COLUMNS) / sizeof(VOUCHER_LATE_COLUMNS[0]), VOUCHER_LATE_COLUMNS, "day"},
};
#define NRECORDS (sizeof(RECORDS) / sizeof(RECORDS[0]))

static int carries_value(ph_field_type t)
{
    return t == PH_FIELD_INT || t == PH_FIELD_MONEY || t == PH_FIELD_SHARE ||
           t == PH_FIELD_DECIMAL || t == PH_FIELD_ENUM;
}

static int monitored(const ph_feed *f)
{
    return f->area == PH_FEED_AREA_FEEDS && (f->purposes & PH_PURPOSE_MONITORING) != 0 &&
           f->time_column != NULL;
}

/* The catalogue's monitored feeds: indexes [0, this). */
static size_t catalogue_count(void)
{
    size_t n = 0;
    for (size_t i = 0; i < ph_feed_count(); i++)
        n += monitored(ph_feed_at(i));
    return n;
}

size_t ph_warn_feed_count(void)
{
    return catalogue_count() + NRECORDS;
}

int warn_feed_is_record(size_t index)
{
    size_t first = catalogue_count();
    return index >= first && index < first + NRECORDS;
}

const ph_feed *ph_warn_feed_at(size_t index)
{
    for (size_t i = 0; i < ph_feed_count(); i++) {
        const ph_feed *f = ph_feed_at(i);
        if (monitored(f) && index-- == 0)
            return f;
    }
    return index < NRECORDS ? &RECORDS[index] : NULL;
}

int ph_warn_feed_index(const char *name)
{
    if (name == NULL)
        return -1;
    int n = 0;
    for (size_t i = 0; i < ph_feed_count(); i++) {
        const ph_feed *f = ph_feed_at(i);
        if (!monitored(f))
            continue;
        if (strcmp(f->name, name) == 0)
            return n;
        n++;
    }
    for (size_t i = 0; i < NRECORDS; i++)
        if (strcmp(RECORDS[i].name, name) == 0)
            return n + (int)i;
    return -1;
}

size_t ph_warn_field_count(size_t feed_index)
{
    const ph_feed *f = ph_warn_feed_at(feed_index);
    size_t n = 0;
    for (size_t i = 0; f != NULL && i < f->column_count && n < PH_WARN_FIELDS; i++)
        n += carries_value(f->columns[i].type);
    return n;
}

const ph_feed_column *ph_warn_field_at(size_t feed_index, size_t i)
{
    const ph_feed *f = ph_warn_feed_at(feed_index);
    if (f == NULL || i >= PH_WARN_FIELDS)
        return NULL;
    for (size_t c = 0; c < f->column_count; c++)
        if (carries_value(f->columns[c].type) && i-- == 0)
            return &f->columns[c];
    return NULL;
}

int warn_field_index(size_t feed_index, const char *name)
{
    size_t n = ph_warn_field_count(feed_index);
    for (size_t i = 0; i < n; i++)
        if (strcmp(ph_warn_field_at(feed_index, i)->name, name) == 0)
            return (int)i;
    return -1;
}

int64_t warn_enum_code(const ph_feed_column *col, const char *label, size_t len)
{
    const char *p = col->values;
    for (int64_t i = 0; p != NULL && *p != '\0'; i++) {
        size_t n = strcspn(p, "|");
        if (n == len && memcmp(p, label, len) == 0)
            return i;
        p += n;
        if (*p == '|')
            p++;
    }
    return -1;
}
