/*
 * puhui gen — the run: check the options, set up the province, build the
 * population, the systemic paths and PD tables, write the province-wide
 * files, stream the firms' blocks, and finish with the manifest.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "puhui/region.h"
#include "gen/gen_internal.h"
#include "gen/pipeline.h"
#include "gen/writer.h"


#define GEN_START_MIN (2016 * 12)
#define GEN_START_MAX (2030 * 12 + 11)

static const char *const scenario_names[] = {"baseline", "stress"};
static const char *const source_names[PH_GEN_SRC_COUNT] = {
    "vat", "tax", "social_security", "electricity", "payments", "credit_bureau",
};

void ph_gen_options_init(ph_gen_options *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof(*opts));
    opts->enterprises = 20000;
    opts->months = 24;
    opts->start = 2024 * 12; /* 2024-01 */
    opts->seed = 1;
    opts->scenario = PH_GEN_BASELINE;
}

ph_status ph_gen_scenario_parse(const char *s, ph_gen_scenario *out, ph_error *err)
{
    if (!s || !out)
        return ph_error_set(err, PH_EMISUSE, "scenario", NULL, "NULL argument");
    for (int i = 0; i < 2; i++)
        if (strcmp(s, scenario_names[i]) == 0) {
            *out = (ph_gen_scenario)i;
            return PH_OK;
        }
    return ph_error_set(err, PH_EINVAL, "scenario", s, "expected baseline or stress");
}

const char *ph_gen_scenario_name(ph_gen_scenario scenario)
{
    return (unsigned)scenario < 2 ? scenario_names[scenario] : "unknown";
}

const char *ph_gen_source_name(ph_gen_source source)
{
    return (unsigned)source < PH_GEN_SRC_COUNT ? source_names[source] : "unknown";
}

static ph_status check_options(const ph_gen_options *o, ph_error *err)
{
    char v[64];
    if (!o->out_dir || !*o->out_dir)
        return ph_error_set(err, PH_EINVAL, "out", NULL, "an output directory is required");
    if (o->enterprises < 1 || o->enterprises > PH_GEN_MAX_ENTERPRISES) {
        snprintf(v, sizeof(v), "%llu", (unsigned long long)o->enterprises);
        return ph_error_set(err, PH_EINVAL, "enterprises", v, "expected 1 to %llu",
                            (unsigned long long)PH_GEN_MAX_ENTERPRISES);
    }
    if (o->months < 1 || o->months > PH_GEN_MAX_MONTHS) {
        snprintf(v, sizeof(v), "%d", o->months);
        return ph_error_set(err, PH_EINVAL, "months", v, "expected 1 to %d", PH_GEN_MAX_MONTHS);
    }
    /* The province is calibrated on the 2020s; the range also keeps every
     * generated date and birth year inside what the feed formats accept. */
    if (!ph_month_is_valid(o->start) || o->start < GEN_START_MIN || o->start > GEN_START_MAX) {
        if (ph_month_format(o->start, v, sizeof(v), NULL) != PH_OK)
            snprintf(v, sizeof(v), "%d", (int)o->start);
        return ph_error_set(err, PH_EINVAL, "start", v, "expected a month from 2016-01 to 2030-12");
    }
    if (!(o->dirty_rate >= 0.0 && o->dirty_rate <= PH_GEN_MAX_DIRTY)) {
        snprintf(v, sizeof(v), "%g", o->dirty_rate);
        return ph_error_set(err, PH_EINVAL, "dirty", v, "expected a rate from 0 to %g",
                            PH_GEN_MAX_DIRTY);
    }
    /* every file's path is DIR + "/" + a catalogue path of under 64 bytes */
    size_t dir_len = strlen(o->out_dir);
    if (dir_len > GEN_PATH_MAX - 64) {
        snprintf(v, sizeof(v), "%.40s...", o->out_dir);
        return ph_error_set(err, PH_EINVAL, "out", v, "the path is %zu bytes long; at most %d",
                            dir_len, GEN_PATH_MAX - 64);
    }
    if (o->threads < 0 || o->threads > 64) {
        snprintf(v, sizeof(v), "%d", o->threads);
        return ph_error_set(err, PH_EINVAL, "threads", v, "expected 0 (automatic) to 64");
    }
    if ((unsigned)o->scenario > PH_GEN_STRESS) {
        snprintf(v, sizeof(v), "%d", (int)o->scenario);
        return ph_error_set(err, PH_EINVAL, "scenario", v, "expected baseline or stress");
    }
    return PH_OK;
}

/* Refuse to write into a directory that holds anything, unless forced; a
 * forced run first removes the old manifest so a crash cannot leave it
 * describing new files. */
static ph_status check_out_dir(const ph_gen_options *o, ph_error *err)
{
    DIR *d = opendir(o->out_dir);
    if (!d)
        return errno == ENOENT ? PH_OK
                               : ph_error_set(err, PH_EIO, "out", o->out_dir, "cannot open: %s",
                                              strerror(errno));
    int entries = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            entries++;
    closedir(d);
    if (entries && !o->force)
        return ph_error_set(err, PH_EEXISTS, "out", o->out_dir,
                            "the directory is not empty; choose another or pass --force to "
                            "replace an earlier run");
    char manifest[GEN_PATH_MAX];
    snprintf(manifest, sizeof(manifest), "%s/manifest.json", o->out_dir);
    if (unlink(manifest) != 0 && errno != ENOENT)
        return ph_error_set(err, PH_EIO, "out", manifest, "cannot remove the old manifest: %s",
                            strerror(errno));
    return PH_OK;
}

static int online_threads(int requested)
{
    if (requested > 0)
        return requested;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

static ph_status setup_province(gen_run *run, ph_error *err)
{
    run->counties = gen_world_counties(&run->county_count);
    run->industries = gen_world_industries(&run->industry_count);
    run->lenders = gen_world_lenders(&run->lender_count);
    size_t cores;
    gen_world_core_enterprises(&cores);
    if (run->industry_count != PH_GEN_SECTIONS || run->lender_count > 32 || cores > 32)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "the province tables are inconsistent");
    run->county_cum = ph_malloc(run->ctx, run->county_count * sizeof(double));
    int months_total = run->months + GEN_LAG + 16;
    run->month_first = ph_malloc(run->ctx, (size_t)months_total * sizeof(ph_date));
    if (!run->county_cum || !run->month_first)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the province");
    double cum = 0.0;
    for (size_t i = 0; i < run->county_count; i++) {
        cum += run->counties[i].firm_weight;
        run->county_cum[i] = cum;
        int city = run->counties[i].code / 100 * 100;
        size_t c = 0;
        while (c < run->city_count && run->cities[c] != city)
            c++;
        if (c == run->city_count && c < PH_GEN_MAX_CITIES)
            run->cities[run->city_count++] = city;
    }
    for (int t = 0; t < months_total; t++) {
        ph_status st = ph_month_first_day(run->start + t - GEN_LAG, &run->month_first[t], err);
        if (st != PH_OK)
            return st;
    }
    run->window_first = run->month_first[GEN_LAG];
    run->window_last = run->month_first[GEN_LAG + run->months] - 1;
    /* the cache spans the burn-in, the window and a year after it */
    int days = (int)(run->month_first[months_total - 1] - run->month_first[0]);
    run->date_text = ph_malloc(run->ctx, (size_t)days * sizeof(*run->date_text));
    if (!run->date_text)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the calendar");
    for (int d = 0; d < days; d++)
        gen_format_date(run->month_first[0] + d, run->date_text[d]);
    run->dates.first = run->month_first[0];
    run->dates.count = days;
    run->dates.text = (const char (*)[10])run->date_text;
    gen_institution_codes(run);
    return gen_feeds_resolve(run->feeds, err);
}

static void run_free(gen_run *run)
{
    gen_dynamics_free(run);
    ph_free(run->ctx, run->county_cum);
    ph_free(run->ctx, run->month_first);
    ph_free(run->ctx, run->date_text);
    ph_free(run->ctx, run->firms);
    ph_free(run->ctx, run->links);
    ph_free(run->ctx, run->prices);
}

static void fill_groups(ph_gen_summary *s, const gen_run *run, const gen_stats *st)
{
    s->enterprises = st->firms;
    s->county_firms = st->county_firms;
    s->female_owners = st->female;
    s->owners_under_35 = st->under35;
    s->young_firms = st->young;
    s->defaults = st->defaults;
    s->firm_years = st->firm_years;
    s->annual_default_rate = st->firm_years > 0.0 ? (double)st->defaults / st->firm_years : 0.0;
    for (int i = 0; i < PH_GEN_SRC_COUNT; i++) {
        s->covered[i] = st->covered[i];
        s->county_covered[i] = st->county_covered[i];
    }
    s->city_count = run->city_count;
    for (size_t i = 0; i < run->city_count; i++)
        s->cities[i] = (ph_gen_group){run->cities[i], st->city_firms[i], st->city_defaults[i],
                                      st->city_years[i]};
    for (int i = 0; i < PH_GEN_SECTIONS; i++)
        s->sections[i] = (ph_gen_group){'A' + i, st->section_firms[i], st->section_defaults[i],
                                        st->section_years[i]};
    for (int i = 0; i < PH_GEN_SIZES; i++)
        s->sizes[i] = (ph_gen_group){i, st->size_firms[i], st->size_defaults[i], st->size_years[i]};
}

/* The province-wide files: reference data, supply chains, the macro path. */
static ph_status write_province(gen_run *run, gen_writer *w, ph_error *err)
{
    gen_block b;
    gen_block_init(&b, run);
    gen_dirty dirty = {.rate = run->opt.dirty_rate, .list = &b.dirty, .feeds = run->feeds};
    gen_rng_init(&dirty.rng, run->opt.seed, GEN_STREAM_DIRTY, run->firm_count + 1);
    gen_emit_reference(run, &b);
    gen_emit_supply(run, &b, dirty.rate > 0.0 ? &dirty : NULL);
    gen_emit_macro(run, &b);
    gen_emit_prices(run, &b);
    ph_status st = gen_writer_block(w, &b, err);
    gen_block_free(&b, run->ctx);
    return st;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

ph_status ph_gen_run(const ph_ctx *ctx, const ph_gen_options *opts, ph_gen_summary *summary,
                     ph_error *err)
{
    if (!ctx || !opts)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "NULL context or options");
    double t0 = now_seconds();
    ph_status st = check_options(opts, err);
    if (st == PH_OK)
        st = check_out_dir(opts, err);
    /* create the folders first: an unwritable place fails before the work */
    if (st == PH_OK)
        st = gen_writer_dirs(opts->out_dir, err);
    if (st != PH_OK)
        return st;

    gen_run run;
    memset(&run, 0, sizeof(run));
    run.ctx = ctx;
    run.opt = *opts;
    run.start = opts->start;
    run.months = opts->months;
    run.firm_count = opts->enterprises;
    gen_writer w;
    gen_writer_init(&w, ctx);
    gen_stats total;
    memset(&total, 0, sizeof(total));
    ph_gen_summary local;
    ph_gen_summary *s = summary ? summary : &local;
    memset(s, 0, sizeof(*s));

    st = setup_province(&run, err);
    if (st == PH_OK) {
        run.firms = ph_calloc(ctx, run.firm_count, sizeof(gen_firm));
        st = run.firms ? gen_firms_build(&run, err)
                       : ph_error_set(err, PH_ENOMEM, "enterprises", NULL,
                                      "out of memory for %llu enterprises",
                                      (unsigned long long)run.firm_count);
    }
    if (st == PH_OK)
        st = gen_dynamics_build(&run, online_threads(opts->threads), err);
    if (st == PH_OK)
        st = gen_supply_build(&run, err);
    if (st == PH_OK)
        st = gen_warehouses_build(&run, err);
    if (st == PH_OK)
        st = gen_writer_open(&w, opts->out_dir, run.feeds, err);
    if (st == PH_OK)
        st = write_province(&run, &w, err);
    if (st == PH_OK)
        st = gen_pipeline_run(&run, &w, online_threads(opts->threads), &total, err);
    if (st == PH_OK) {
        st = gen_writer_close(&w, s, err);
        fill_groups(s, &run, &total);
        s->seconds = now_seconds() - t0;
    } else {
        gen_writer_abort(&w);
    }
    if (st == PH_OK)
        st = gen_manifest_write(&run, s, err);
    run_free(&run);
    return st;
}
