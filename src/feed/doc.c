/*
 * Markdown documentation of the feeds, derived from the catalog so that it
 * cannot drift from what the generator writes: one page per feed and an
 * index with the conventions common to every file. docs/formats/ is this
 * output, committed; CI regenerates it and fails on any difference, so the
 * output must be deterministic (no dates, no versions of the program).
 */
#include "puhui/feed.h"

#include <errno.h>
#include <string.h>

/* How a field of each type is written, for the index's conventions. */
static const struct {
    ph_field_type type;
    const char *form;
} type_forms[] = {
    {PH_FIELD_USCC, "Unified Social Credit Code (GB 32100-2015), 18 characters with both "
                    "check characters right: `91350100M000100Y43`"},
    {PH_FIELD_TEXT, "free text in UTF-8, no control characters"},
    {PH_FIELD_ID, "an identifier: letters, digits, CJK characters and `- _ ( ) .` "
                  "(case numbers such as `(2024)鲁0102民初1234号`)"},
    {PH_FIELD_DATE, "`YYYY-MM-DD`, a real calendar day from " PH_FEED_YEAR_MIN " to "
                    PH_FEED_YEAR_MAX ": `2024-03-15`"},
    {PH_FIELD_MONTH, "`YYYY-MM`, from " PH_FEED_YEAR_MIN " to " PH_FEED_YEAR_MAX ": `2024-03`"},
    {PH_FIELD_INT, "a whole number in base 10, digits only; a `-` sign only where the "
                   "column's range goes below zero"},
    {PH_FIELD_MONEY, "yuan with 2 decimals, no thousands separators, never negative: "
                     "`12345.67`"},
    {PH_FIELD_SHARE, "a fraction from 0 to 1 with 4 decimals: `0.3125` is 31.25%"},
    {PH_FIELD_DECIMAL, "a number in base 10 with the decimals the column states, `-` when "
                       "negative: `10.0`, `0.012345`"},
    {PH_FIELD_ENUM, "exactly one of the values the column lists (case matters)"},
    {PH_FIELD_REGION, "a county-level GB/T 2260 division code of the province: `370102`"},
    {PH_FIELD_DIVISION, "a GB/T 2260 division code of any level: province `370000`, city "
                        "`370100` or county `370102`"},
    {PH_FIELD_INDUSTRY, "GB/T 4754-2017 section letter and 2-digit division: `C13`"},
};

/* Write text for a Markdown table cell: '|' would end the cell. */
static void put_cell(FILE *out, const char *text)
{
    for (const char *p = text ? text : ""; *p != '\0'; p++) {
        if (*p == '|')
            fputc('\\', out);
        fputc(*p, out);
    }
}

/* "a|b|c" as code spans: `a`, `b`, `c`. */
static void put_code_list(FILE *out, const char *list, char separator)
{
    const char *p = list;
    while (*p != '\0') {
        size_t n = strcspn(p, (char[]){separator, '\0'});
        fprintf(out, "%s`%.*s`", p == list ? "" : ", ", (int)n, p);
        p += n + (p[n] == separator);
    }
}

/* The "allowed values / range" cell of a column. */
static void put_range(FILE *out, const ph_feed_column *col)
{
    int bounded = col->min != 0 || col->max != 0;
    switch (col->type) {
    case PH_FIELD_ENUM:
        put_code_list(out, col->values ? col->values : "", '|');
        return;
    case PH_FIELD_INT:
        if (!bounded)
            fputs("≥ 0", out);
        else if (col->max == INT64_MAX)
            fprintf(out, "≥ %lld", (long long)col->min);
        else
            fprintf(out, "%lld to %lld", (long long)col->min, (long long)col->max);
        return;
    case PH_FIELD_DECIMAL:
        if (bounded)
            fprintf(out, "%lld to %lld, ", (long long)col->min, (long long)col->max);
        fprintf(out, "%d decimals", col->decimals);
        return;
    case PH_FIELD_SHARE:
        fprintf(out, "0 to 1, %d decimals", col->decimals);
        return;
    case PH_FIELD_MONEY:
        fputs("≥ 0.00", out);
        return;
    case PH_FIELD_DATE:
        fputs("YYYY-MM-DD", out);
        return;
    case PH_FIELD_MONTH:
        fputs("YYYY-MM", out);
        return;
    case PH_FIELD_REGION:
        fputs("county code", out);
        return;
    case PH_FIELD_DIVISION:
        fputs("province, city or county code", out);
        return;
    case PH_FIELD_INDUSTRY:
        fputs("section + division", out);
        return;
    case PH_FIELD_USCC:
        fputs("18 characters", out);
        return;
    case PH_FIELD_TEXT:
    case PH_FIELD_ID:
        return;
    }
}

static void put_purposes(FILE *out, unsigned purposes)
{
    if (purposes == 0) {
        fputs("none: ground truth for evaluation only", out);
        return;
    }
    const char *separator = "";
    for (unsigned bit = 1; bit <= PH_PURPOSE_ALL; bit <<= 1) {
        if (purposes & bit) {
            fprintf(out, "%s%s", separator, ph_feed_purpose_name(bit));
            separator = ", ";
        }
    }
}

/* The caller's stream may have failed anywhere above: one check at the end. */
/* 1 when the feed's time column is a MONTH: a month is known from its last day. */
static int time_column_is_month(const ph_feed *feed)
{
    int col = ph_feed_column_index(feed, feed->time_column);
    return col >= 0 && feed->columns[col].type == PH_FIELD_MONTH;
}

static ph_status finish(FILE *out, const char *what, ph_error *err)
{
    if (fflush(out) != 0 || ferror(out))
        return ph_error_set(err, PH_EIO, NULL, NULL, "cannot write the documentation of %s: %s",
                            what, strerror(errno ? errno : EIO));
    return PH_OK;
}

ph_status ph_feed_doc_write(const ph_feed *feed, FILE *out, ph_error *err)
{
    if (feed == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_feed_doc_write: %s is NULL",
                            feed == NULL ? "feed" : "out");
    errno = 0;
    fprintf(out, "# %s — %s\n\n", feed->name, feed->title_zh);
    if (feed->area == PH_FEED_AREA_TRUTH)
        fputs("> **Ground truth.** For evaluating models only: a model must never read this "
              "file.\n\n",
              out);
    fprintf(out, "%s\n\n", feed->description);
    fputs("| | |\n|---|---|\n", out);
    fprintf(out, "| file | `%s` |\n", feed->path);
    fputs("| source | ", out);
    put_cell(out, feed->source);
    fprintf(out, " |\n| frequency | %s |\n", ph_feed_frequency_name(feed->frequency));
    fprintf(out, "| lag | %d day%s |\n", feed->lag_days, feed->lag_days == 1 ? "" : "s");
    if (feed->time_column != NULL)
        fprintf(out, "| known from | `%s`%s + lag |\n", feed->time_column,
                time_column_is_month(feed) ? " (its last day)" : "");
    else
        fputs("| known from | the day it is ingested (a snapshot) |\n", out);
    fputs("| key | ", out);
    put_code_list(out, feed->key, ',');
    fputs(" |\n| purposes | ", out);
    put_purposes(out, feed->purposes);
    fprintf(out, " |\n| format version | %d |\n\n", feed->version);

    fputs("## Columns\n\n"
          "| # | column | type | unit | required | allowed values / range | description |\n"
          "|---:|---|---|---|---|---|---|\n",
          out);
    for (size_t i = 0; i < feed->column_count; i++) {
        const ph_feed_column *col = &feed->columns[i];
        fprintf(out, "| %zu | `%s` | %s | %s | %s | ", i + 1, col->name,
                ph_field_type_name(col->type), col->unit ? col->unit : "",
                col->required ? "yes" : "no");
        put_range(out, col);
        fputs(" | ", out);
        put_cell(out, col->description);
        fputs(" |\n", out);
    }
    return finish(out, feed->name, err);
}

static void put_area_table(FILE *out, ph_feed_area area)
{
    fputs("| feed | file | 名称 | source | frequency | lag (days) | key | purposes |\n"
          "|---|---|---|---|---|---:|---|---|\n",
          out);
    for (size_t i = 0; i < ph_feed_count(); i++) {
        const ph_feed *feed = ph_feed_at(i);
        if (feed->area != area)
            continue;
        fprintf(out, "| [%s](%s.md) | `%s` | %s | ", feed->name, feed->name, feed->path,
                feed->title_zh);
        put_cell(out, feed->source);
        fprintf(out, " | %s | %d | ", ph_feed_frequency_name(feed->frequency), feed->lag_days);
        put_code_list(out, feed->key, ',');
        fputs(" | ", out);
        put_purposes(out, feed->purposes);
        fputs(" |\n", out);
    }
}

ph_status ph_feed_doc_index(FILE *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_feed_doc_index: out is NULL");
    errno = 0;
    fputs("# Data feeds\n\n"
          "<!-- Generated by `puhui feeds doc --out docs/formats` from the feed catalog\n"
          "     (src/feed/catalog.c); edit the catalog, not these files. -->\n\n"
          "`puhui gen --out DIR` writes a synthetic province's data in the form a real\n"
          "platform receives it. Every file is described here, one page per file; the pages\n"
          "are generated from the feed catalog (`include/puhui/feed.h`), which the generator\n"
          "and the platform's ingestion read too.\n\n"
          "## Layout\n\n"
          "| directory | what it holds | who may read it |\n"
          "|---|---|---|\n"
          "| `DIR/feeds/` | data from government and market sources, as the platform ingests "
          "it | the platform and its models |\n"
          "| `DIR/reference/` | lenders, guarantors, risk pools and core enterprises: the "
          "platform's own reference data | the platform and its models |\n"
          "| `DIR/truth/` | the simulation's ground truth: true default probabilities, "
          "defaults, hidden firm attributes, injected errors | evaluation only: **never a "
          "model** |\n\n"
          "`DIR/manifest.json` lists the files written.\n\n"
          "**truth/ must never be read by a model**, nor by anything that feeds one (feature\n"
          "building, training, tuning). It exists to measure models and ingestion against\n"
          "what really happened; a model that has seen it is worthless.\n\n"
          "## Conventions of every file\n\n"
          "- UTF-8, LF line ends, a header row with the column names, comma separated; a\n"
          "  field is quoted (RFC 4180) only when it holds a comma, a quote or a line break.\n"
          "- Columns come in the order documented. Every file has format version 1.\n"
          "- An **empty field means missing** or not applicable. Only optional columns\n"
          "  (required: no) may be empty.\n"
          "- Amounts (money) are in **yuan with 2 decimals**, never in 万元 or fen.\n"
          "- **key**: the columns that identify a row; no two rows share a key.\n"
          "- **lag**: days after the period end (or the event) when the source makes a row\n"
          "  available. A point-in-time model must not use a row before then.\n"
          "- **known from**: the date column that dates a row (a month counts from its last\n"
          "  day); the row is known from that day plus the lag. A snapshot with no such\n"
          "  column is known from the day it is ingested.\n"
          "- **purposes**: credit (credit assessment), monitoring (post-loan monitoring),\n"
          "  supply_chain (supply-chain finance).\n\n"
          "Field types:\n\n"
          "| type | how a value is written |\n"
          "|---|---|\n",
          out);
    for (size_t i = 0; i < sizeof(type_forms) / sizeof(type_forms[0]); i++)
        fprintf(out, "| %s | %s |\n", ph_field_type_name(type_forms[i].type), type_forms[i].form);

    static const struct {
        ph_feed_area area;
        const char *heading;
    } areas[] = {
        {PH_FEED_AREA_FEEDS, "feeds/: what the platform ingests"},
        {PH_FEED_AREA_REFERENCE, "reference/: the platform's reference data"},
        {PH_FEED_AREA_TRUTH, "truth/: ground truth, never read by a model"},
    };
    fputs("\n## Files\n", out);
    for (size_t a = 0; a < sizeof(areas) / sizeof(areas[0]); a++) {
        fprintf(out, "\n### %s\n\n", areas[a].heading);
        put_area_table(out, areas[a].area);
    }
    return finish(out, "the feed index", err);
}
