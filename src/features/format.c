/*
 * Feature values as text: CSV cells, reason-code sentences and the
 * catalogue's documentation (docs/features.md).
 */
#include <math.h>
#include <string.h>

#include "puhui/money.h"

#include "features/features_internal.h"

/* Copy `text` into buf, or say how much room it needed. */
static ph_status put_text(const char *text, char *buf, size_t size, ph_error *err)
{
    size_t n = strlen(text);
    if (buf == NULL || n >= size)
        return ph_error_set(err, PH_EMISUSE, "buf", NULL, "expected room for %zu bytes, got %zu",
                            n + 1, buf == NULL ? (size_t)0 : size);
    memcpy(buf, text, n + 1);
    return PH_OK;
}

static ph_status check_index(size_t index, ph_error *err)
{
    if (index >= PH_FEATURE_COUNT) {
        char text[32];
        snprintf(text, sizeof(text), "%zu", index);
        return ph_error_set(err, PH_ERANGE, "feature", text, "expected an index below %d",
                            PH_FEATURE_COUNT);
    }
    return PH_OK;
}

/* Fixed-point text of v, never "-0" or "-0.00". */
static void fixed(double v, int decimals, char *out, size_t size)
{
    snprintf(out, size, "%.*f", decimals, v);
    if (out[0] == '-' && strspn(out + 1, "0.") == strlen(out + 1))
        memmove(out, out + 1, strlen(out));
}

ph_status ph_feature_format(size_t index, double value, char *buf, size_t size, ph_error *err)
{
    ph_status st = check_index(index, err);
    if (st != PH_OK)
        return st;
    char text[400];
    if (isnan(value))
        text[0] = '\0';
    else
        fixed(value, ph_feature_at(index)->decimals, text, sizeof(text));
    return put_text(text, buf, size, err);
}

/* ---- reason sentences ------------------------------------------------------------------
 * The sentences are catalogue data (catalog.c): one per state of a value.
 * This code only puts the value in the words of its unit and picks the
 * sentence; it knows nothing of any one feature. */

/* Singular and plural words of the units that are counted in a sentence;
 * NULL where the number stands alone (counts, scores) or has its own sign. */
static const struct {
    const char *one, *other;
} UNIT_WORDS[] = {
    [PH_UNIT_YUAN] = {"yuan", "yuan"}, [PH_UNIT_RATIO] = {NULL, NULL},
    [PH_UNIT_PEOPLE] = {NULL, NULL},   [PH_UNIT_KWH] = {"kWh", "kWh"},
    [PH_UNIT_DAYS] = {"day", "days"},  [PH_UNIT_MONTHS] = {"month", "months"},
    [PH_UNIT_COUNT] = {NULL, NULL},    [PH_UNIT_FLAG] = {NULL, NULL},
    [PH_UNIT_SCORE] = {NULL, NULL}};

/* The feeds in a firm's words, for "not consented" sentences. */
static const struct {
    const char *feed, *words;
} FEED_WORDS[] = {
    {"vat_invoices", "VAT invoices"},
    {"tax_payments", "tax payment records"},
    {"tax_grades", "tax credit grades"},
    {"social_security", "social-security records"},
    {"electricity_daily", "electricity meter readings"},
    {"electricity_monthly", "electricity meter readings"},
    {"payments_daily", "payment flows"},
    {"credit_loans", "credit bureau records"},
    {"credit_status", "credit bureau records"},
    {"registration", "registration record"},
    {"litigation", "court records"},
    {"penalties", "administrative penalty records"},
    {"subsidies", "subsidy records"},
    {"patents", "patent records"},
    {"supply_chain", "supply-chain records"},
};

/* A value's words: the number with its sign if `sign`, its unit's word, and
 * whether it reads as zero or as exactly one. */
typedef struct value_words {
    char text[440];
    int zero, one;
} value_words;

/* Fixed-point text that reads as zero ("0", "0.0", "-0.00")? */
static int reads_zero(const char *num)
{
    return strspn(num + (num[0] == '-' || num[0] == '+'), "0.") ==
           strlen(num + (num[0] == '-' || num[0] == '+'));
}

/* A whole number with thousands separators, "-12,345"; |v| < 1e15 and
 * size >= 32. Money has its own formatter; this one is for quantities. */
static void grouped_whole(double v, char *buf, size_t size)
{
    char digits[24];
    int n = snprintf(digits, sizeof(digits), "%.0f", fabs(v));
    size_t at = 0;
    if (v <= -0.5)
        buf[at++] = '-';
    for (int i = 0; i < n && at + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[at++] = ',';
        buf[at++] = digits[i];
    }
    buf[at] = '\0';
}

static void words(const ph_feature *f, double v, int sign, value_words *w)
{
    char num[400];
    if (f->unit == PH_UNIT_YUAN) {
        char money[PH_MONEY_FORMAT_MAX];
        ph_money fen;
        if (ph_money_from_yuan_double(v, &fen, NULL) == PH_OK &&
            ph_money_format(fen, PH_MONEY_GROUPING, money, sizeof(money), NULL) == PH_OK)
            snprintf(num, sizeof(num), "%s", money);
        else
            fixed(v, 0, num, sizeof(num));
    } else if (f->unit == PH_UNIT_RATIO) {
        /* whole percent, one decimal below 1% so a small share is not "0%" */
        double pct = v * 100.0;
        fixed(pct, fabs(pct) < 0.95 ? 1 : 0, num, sizeof(num));
    } else if (f->unit == PH_UNIT_KWH && fabs(v) < 1e15) {
        grouped_whole(v, num, sizeof(num)); /* whole kWh, grouped: "9,300" */
    } else {
        fixed(v, 0, num, sizeof(num));
    }
    w->zero = reads_zero(num);
    w->one = strcmp(num, "1") == 0 || strcmp(num, "1.0") == 0;
    const char *unit = w->one ? UNIT_WORDS[f->unit].one : UNIT_WORDS[f->unit].other;
    snprintf(w->text, sizeof(w->text), "%s%s%s%s%s", sign && !w->zero && num[0] != '-' ? "+" : "",
             num, f->unit == PH_UNIT_RATIO ? "%" : "", unit ? " " : "", unit ? unit : "");
}

/* Copy the branch of "{a|b}" or "[a|b]" at p that `first` picks; returns
 * the text after the closing bracket. */
static const char *branch(const char *p, char close_char, int first, char *out, size_t *n,
                          size_t size)
{
    const char *bar = strchr(p, '|'), *close = strchr(bar, close_char);
    const char *from = first ? p + 1 : bar + 1, *to = first ? bar : close;
    *n += (size_t)snprintf(out + *n, size - *n, "%.*s", (int)(to - from), from);
    return close + 1;
}

/* A "{a|b}" or "[a|b]" choice starting at p, closed by `close`. */
static int is_choice(const char *p, char open, char close)
{
    const char *bar = p[0] == open ? strchr(p, '|') : NULL;
    return bar != NULL && strchr(bar, close) != NULL;
}

/* "%<D|C|M|B|A>" at p: the word the value names (0 the first, 1 the next,
 * ...), so that a score reads as the grade it stands for; the value's words
 * when it names none (not a whole number in range). Returns the text after
 * the '>'. */
static const char *level_word(const char *p, double v, const value_words *w, char *out,
                              size_t *n, size_t size)
{
    const char *close = strchr(p, '>');
    long want = v >= 0 && v == floor(v) ? (long)v : -1;
    const char *word = p + 2;
    for (long i = 0; word < close; i++) {
        const char *end = memchr(word, '|', (size_t)(close - word));
        end = end ? end : close;
        if (i == want) {
            *n += (size_t)snprintf(out + *n, size - *n, "%.*s", (int)(end - word), word);
            return close + 1;
        }
        word = end + 1;
    }
    *n += (size_t)snprintf(out + *n, size - *n, "%s", w->text);
    return close + 1;
}

/* The template with "%s"/"%+s"/"%~s" replaced by the value's words (as is,
 * signed, or its magnitude), "%<a|b|...>" by the word the value names, each
 * "{one|other}" by the branch its number takes and each "[up|down]" by the
 * branch its sign takes, so that a change reads "fell by 42%" rather than
 * "changed by -42%". */
static void render(const char *tmpl, const ph_feature *f, double v, char *out, size_t size)
{
    value_words w;
    int sign = strstr(tmpl, "%+s") != NULL;
    int magnitude = strstr(tmpl, "%~s") != NULL;
    words(f, magnitude ? fabs(v) : v, sign, &w);
    size_t n = 0;
    for (const char *p = tmpl; *p && n + 1 < size;) {
        if (p[0] == '%' && (p[1] == 's' || ((p[1] == '+' || p[1] == '~') && p[2] == 's'))) {
            n += (size_t)snprintf(out + n, size - n, "%s", w.text);
            p += p[1] == 's' ? 2 : 3;
        } else if (p[0] == '%' && p[1] == '<' && strchr(p, '>') != NULL) {
            p = level_word(p, v, &w, out, &n, size);
        } else if (is_choice(p, '{', '}')) {
            p = branch(p, '}', w.one, out, &n, size);
        } else if (is_choice(p, '[', ']')) {
            p = branch(p, ']', v > 0, out, &n, size);
        } else {
            out[n++] = *p++;
        }
        if (n >= size)
            n = size - 1;
    }
    out[n] = '\0';
}

/* "VAT invoices", "electricity meter readings and payment flows": the
 * feature's feeds in words, each once. */
static void feed_words(const ph_feature *f, char *out, size_t size)
{
    const char *seen[8];
    size_t n_seen = 0;
    for (size_t i = 0; i < sizeof(FEED_WORDS) / sizeof(FEED_WORDS[0]); i++) {
        const char *at = strstr(f->sources, FEED_WORDS[i].feed);
        size_t len = strlen(FEED_WORDS[i].feed);
        if (at == NULL || (at[len] != '\0' && at[len] != ','))
            continue;
        int dup = 0;
        for (size_t k = 0; k < n_seen; k++)
            dup |= strcmp(seen[k], FEED_WORDS[i].words) == 0;
        if (!dup && n_seen < sizeof(seen) / sizeof(seen[0]))
            seen[n_seen++] = FEED_WORDS[i].words;
    }
    size_t used = 0;
    out[0] = '\0';
    for (size_t k = 0; k < n_seen && used < size; k++)
        used += (size_t)snprintf(out + used, size - used, "%s%s",
                                 k == 0 ? "" : k + 1 == n_seen ? " and " : ", ", seen[k]);
    if (n_seen == 0)
        snprintf(out, size, "data");
}

ph_status ph_feature_reason_state(size_t index, ph_feature_state state, double value,
                                  char *buf, size_t size, ph_error *err)
{
    ph_status st = check_index(index, err);
    if (st != PH_OK)
        return st;
    const ph_feature *f = ph_feature_at(index);
    char sentence[1024];
    if (state == PH_FEATURE_VALUE && isnan(value))
        state = PH_FEATURE_MISSING;
    if (state == PH_FEATURE_NOT_CONSENTED) {
        char feeds[512];
        feed_words(f, feeds, sizeof(feeds));
        snprintf(sentence, sizeof(sentence),
                 "the firm has not consented to this lender reading its %s (%s)", feeds,
                 f->topic);
    } else if (state == PH_FEATURE_MISSING) {
        if (f->reason_missing != NULL)
            snprintf(sentence, sizeof(sentence), "%s", f->reason_missing);
        else
            snprintf(sentence, sizeof(sentence), "no data on %s", f->topic);
    } else if (state == PH_FEATURE_VALUE) {
        value_words w;
        words(f, value, 0, &w);
        int zero = f->unit == PH_UNIT_FLAG ? value == 0.0 : w.zero;
        render(zero && f->reason_zero != NULL ? f->reason_zero : f->reason, f, value, sentence,
               sizeof(sentence));
    } else {
        char text[32];
        snprintf(text, sizeof(text), "%d", (int)state);
        return ph_error_set(err, PH_EINVAL, "state", text,
                            "expected PH_FEATURE_VALUE, _MISSING or _NOT_CONSENTED");
    }
    return put_text(sentence, buf, size, err);
}

ph_status ph_feature_reason(size_t index, double value, char *buf, size_t size, ph_error *err)
{
    return ph_feature_reason_state(index, PH_FEATURE_VALUE, value, buf, size, err);
}

static const char DOC_HEAD[] =
    "# Features\n"
    "\n"
    "<!-- Generated by `puhui features doc` from the feature catalogue\n"
    "     (src/features/catalog.c); edit the catalogue, not this file. -->\n"
    "\n"
    "The feature store (`include/puhui/features.h`) computes these numbers for every\n"
    "enterprise and as-of date from the data hub's feed tables. `puhui features --asof\n"
    "DATE --out FILE.csv` exports them, one row per enterprise: `uscc`, `asof`, then\n"
    "every feature in the order below.\n"
    "\n"
    "## Rules common to every feature\n"
    "\n"
    "- **Missing is explicit.** A feature whose source has no data for the firm is\n"
    "  missing (NaN in the C API, an empty CSV cell, \"missing\" in text), never 0.\n"
    "  The `has_*` flags (never missing) and `coverage_share` say what the platform\n"
    "  sees, so a firm without a footprint is never read as \"no risk\". Courts,\n"
    "  penalties, subsidies and patents publish for every firm: no row counts 0.\n"
    "  A credit-white firm (no loan ever) has `credit_white` 1 and its balance and\n"
    "  arrears features missing.\n"
    "- **Point in time.** Features as of D use only the row versions the platform\n"
    "  knew on D: current rows with `known_on` <= D, and superseded versions with\n"
    "  `known_on` <= D < `superseded_on`. A monthly window ends at the source's latest\n"
    "  complete month: month M counts once M's last day plus the feed's lag is <= D\n"
    "  (VAT 15 days, tax 20, social security 10, monthly power 5, credit status 10,\n"
    "  daily power and payments 1). Daily feeds are summed to months the same way.\n"
    "  Events count when their date is <= D and their row is known by D; \"last 12\n"
    "  months\" of events means dated after D minus 12 calendar months. A firm\n"
    "  appears from the day its registration row is known. The rule (`known_on` <= D <\n"
    "  `superseded_on`, a current row never superseded) is written once,\n"
    "  `ph_schema_version_span` in `schema.h`: the bulk reader (`load.c`) turns\n"
    "  each version's span into a range of as-of dates, and the single-firm\n"
    "  registration read, `ph_registration_asof` (`enterprise.h`), tests it for\n"
    "  one day. That read serves the market's facts and the profile, so a profile\n"
    "  as of D shows the name, size class and status the firm had on D, beside\n"
    "  the features as of D (not today's registry row).\n"
    "- **Domain words.** Business status and tax grades are the feed catalogue's\n"
    "  enumerations, looked up through `feed.h` (`ph_business_status_parse`,\n"
    "  `ph_tax_grade_rank`: A 4, B 3, M 2, C 1, D 0, the value of\n"
    "  `tax_grade_score`); no module keeps its own copy of the words.\n"
    "- **Monthly windows.** VAT, social security and power sources skip some months;\n"
    "  a sum over N months is the mean of the reported months times N, so a gap is\n"
    "  not read as a fall. Growth compares mean monthly values; it is missing when\n"
    "  either window has no report or the earlier one is zero. Volatility and trend\n"
    "  need 3 reported months and a positive mean. Payments: a day without a row had\n"
    "  no payments, so months without rows count 0 once the firm has payment data.\n"
    "- **Peers.** The peer group is the firm's industry section (GB/T 4754) in its\n"
    "  city; when fewer than 20 firms of that group have a value, the section\n"
    "  province-wide. Medians are over the firms known on D. An export computes\n"
    "  them itself and stores nothing.\n"
    "- **The peer-median refresh: a read never writes.** One firm's features\n"
    "  (`puhui features show`, profiles, applications) read the medians stored in\n"
    "  the `feature_peer` table by the refresh, an explicit, scheduled step:\n"
    "  `puhui features refresh --asof D[,D...]` (`ph_features_refresh`). It costs\n"
    "  one pass over all firms for that date (15 CPU-seconds and 275 MB for 100,000\n"
    "  firms with 13 months of data); a single firm then reads in about 1 ms. Run it\n"
    "  each day before reads of that day, and again for a date when late data\n"
    "  arrives (it replaces that date's medians).\n"
    "  A read as of D uses the latest refresh on or before D. When that is D\n"
    "  itself, its values equal the export's; when it is earlier, the five peer\n"
    "  features (`sales_vs_peer_12m`, `power_vs_peer_3m`, `inflow_vs_peer_12m`,\n"
    "  `industry_growth_12m`, `region_growth_12m`) compare the firm as of D with\n"
    "  those earlier medians, and the read says so (`show` prints \"note: peer\n"
    "  medians from the refresh of 2025-11-30 (none on 2025-12-01)\", a profile\n"
    "  shows a \"peer medians\" row). With no refresh on or before D the read fails\n"
    "  (\"no peer-median refresh on or before this date: run `puhui features\n"
    "  refresh --asof D`\"). A decision stores the feature values it used, so its\n"
    "  replay does not depend on later refreshes.\n"
    "- Money is in yuan, ratios are fractions (0.25 = 25%, -0.42 = down 42%).\n"
    "\n"
    "## Catalogue\n"
    "\n"
    "| # | feature | unit | dimension | higher is | sources | description |\n"
    "|---:|---|---|---|---|---|---|\n";

ph_status ph_feature_doc_write(FILE *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_feature_doc_write: out is NULL");
    static const char *const higher[] = {"neutral", "better", "worse"};
    int bad = fputs(DOC_HEAD, out) < 0;
    for (size_t i = 0; !bad && i < PH_FEATURE_COUNT; i++) {
        const ph_feature *f = ph_feature_at(i);
        bad = fprintf(out, "| %zu | `%s` | %s | %s | %s | %s | %s |\n", i + 1, f->name,
                      ph_feature_unit_name(f->unit), ph_feature_dimension_name(f->dimension),
                      higher[f->direction], f->sources, f->description) < 0;
    }
    if (bad || fflush(out) != 0)
        return ph_error_set(err, PH_EIO, NULL, NULL, "cannot write the feature documentation");
    return PH_OK;
}
