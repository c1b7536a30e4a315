/*
 * The feeds an early-warning event comes from, derived from the catalogue
 * rather than listed again: every feed that serves monitoring, and of each
 * its columns that carry a value a rule can read (int, money, share,
 * decimal, enum), in catalogue order. Adding a monitored feed to the
 * catalogue makes it available to rules with no change here.
 */
#include "monitor/monitor_internal.h"

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

size_t ph_warn_feed_count(void)
{
    size_t n = 0;
    for (size_t i = 0; i < ph_feed_count(); i++)
        n += monitored(ph_feed_at(i));
    return n;
}

const ph_feed *ph_warn_feed_at(size_t index)
{
    for (size_t i = 0; i < ph_feed_count(); i++) {
        const ph_feed *f = ph_feed_at(i);
        if (monitored(f) && index-- == 0)
            return f;
    }
    return NULL;
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
