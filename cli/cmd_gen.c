/*
 * puhui gen --enterprises N --months M --start YYYY-MM --seed S --out DIR
 *           [--scenario baseline|stress] [--dirty RATE] [--threads N] [--force]
 * Generate the synthetic province and print a summary of it.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "progress.h"

typedef struct gen_args {
    ph_gen_options opts;
} gen_args;

static int parse_option(ph_cli *cli, const char *option, const char *value, void *user)
{
    gen_args *a = user;
    ph_error err;
    ph_status st = PH_OK;
    long long n;
    if (strcmp(option, "--enterprises") == 0) {
        int code = ph_cli_parse_int(cli, "gen", option, value, 1,
                                    (long long)PH_GEN_MAX_ENTERPRISES, &n);
        a->opts.enterprises = (uint64_t)n;
        return code;
    } else if (strcmp(option, "--months") == 0) {
        int code = ph_cli_parse_int(cli, "gen", option, value, 1, PH_GEN_MAX_MONTHS, &n);
        a->opts.months = (int)n;
        return code;
    } else if (strcmp(option, "--seed") == 0) {
        int code = ph_cli_parse_int(cli, "gen", option, value, 0, 0x7fffffffffffffffLL, &n);
        a->opts.seed = (uint64_t)n;
        return code;
    } else if (strcmp(option, "--threads") == 0) {
        int code = ph_cli_parse_int(cli, "gen", option, value, 0, 64, &n);
        a->opts.threads = (int)n;
        return code;
    } else if (strcmp(option, "--start") == 0) {
        st = ph_month_parse(value, strlen(value), &a->opts.start, &err);
    } else if (strcmp(option, "--out") == 0) {
        a->opts.out_dir = value;
    } else if (strcmp(option, "--scenario") == 0) {
        st = ph_gen_scenario_parse(value, &a->opts.scenario, &err);
    } else if (strcmp(option, "--dirty") == 0) {
        ph_rate rate;
        st = ph_rate_parse(value, strlen(value), &rate, &err);
        if (st == PH_OK && (rate < 0 || rate > PH_RATE_ONE / 2))
            return ph_cli_usage_error(cli, "gen", "--dirty takes a rate from 0 to 0.5 (or 50%%), "
                                                  "got '%s'", value);
        a->opts.dirty_rate = (double)rate / (double)PH_RATE_ONE;
    }
    if (st != PH_OK) {
        ph_error_set_field(&err, option);
        return ph_cli_fail(cli, st, &err, "see 'puhui help gen'");
    }
    return PH_EXIT_OK;
}

static void cell_u64(char *buf, size_t n, uint64_t v)
{
    snprintf(buf, n, "%llu", (unsigned long long)v);
}

static void cell_pct(char *buf, size_t n, double part, double whole)
{
    snprintf(buf, n, "%.1f%%", whole > 0.0 ? 100.0 * part / whole : 0.0);
}

static void cell_rate(char *buf, size_t n, const ph_gen_group *g)
{
    snprintf(buf, n, "%.2f%%", g->firm_years > 0.0 ? 100.0 * g->defaults / g->firm_years : 0.0);
}

/* One table of groups: key, name, firms, share, defaults, annual default rate. */
static ph_cli_table *group_table(const ph_gen_summary *s, const ph_gen_group *groups, size_t n,
                                 const char *key_header, int kind)
{
    static const char *const headers[] = {"", "name", "firms", "share", "defaults",
                                          "default_rate"};
    const char *h[6];
    memcpy(h, headers, sizeof(h));
    h[0] = key_header;
    static const int numeric[] = {0, 0, 1, 1, 1, 1};
    ph_cli_table *t = ph_cli_table_new(h, numeric, 6);
    for (size_t i = 0; i < n; i++) {
        const ph_gen_group *g = &groups[i];
        if (g->firms == 0)
            continue;
        char key[16], firms[24], share[16], defaults[24], rate[16];
        const char *name;
        if (kind == 0) {
            snprintf(key, sizeof(key), "%d", g->key);
            name = ph_division_name(g->key);
        } else if (kind == 1) {
            snprintf(key, sizeof(key), "%c", (char)g->key);
            name = ph_industry_section_find((char)g->key)->name_zh;
        } else {
            snprintf(key, sizeof(key), "%s", ph_size_class_name((ph_size_class)g->key));
            name = ph_size_class_name_zh((ph_size_class)g->key);
        }
        cell_u64(firms, sizeof(firms), g->firms);
        cell_pct(share, sizeof(share), (double)g->firms, (double)s->enterprises);
        cell_u64(defaults, sizeof(defaults), g->defaults);
        cell_rate(rate, sizeof(rate), g);
        const char *cells[] = {key, name ? name : "", firms, share, defaults, rate};
        ph_cli_table_add(t, cells);
    }
    return t;
}

static ph_cli_table *facts_table(const ph_gen_summary *s)
{
    static const char *const headers[] = {"measure", "value", "target"};
    static const int numeric[] = {0, 1, 0};
    ph_cli_table *t = ph_cli_table_new(headers, numeric, 3);
    char v[6][32];
    double n = (double)s->enterprises;
    snprintf(v[0], sizeof(v[0]), "%.2f%%", 100.0 * s->annual_default_rate);
    cell_pct(v[1], sizeof(v[1]), (double)s->county_firms, n);
    cell_pct(v[2], sizeof(v[2]), (double)s->female_owners, n);
    cell_pct(v[3], sizeof(v[3]), (double)s->owners_under_35, n);
    cell_pct(v[4], sizeof(v[4]), (double)s->young_firms, n);
    cell_u64(v[5], sizeof(v[5]), s->defaults);
    const char *rows[][3] = {
        {"annual default rate", v[0], "1.5-3%"},
        {"firms in counties", v[1], "about half (47.8% of loans)"},
        {"female owners", v[2], "32.7%"},
        {"owners under 35", v[3], "41.3%"},
        {"firms under 3 years old", v[4], "many young firms"},
        {"defaults in the window", v[5], ""},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        ph_cli_table_add(t, rows[i]);
    return t;
}

static ph_cli_table *coverage_table(const ph_gen_summary *s)
{
    static const char *const headers[] = {"source", "firms", "all_firms", "county_firms"};
    static const int numeric[] = {0, 1, 1, 1};
    ph_cli_table *t = ph_cli_table_new(headers, numeric, 4);
    for (int i = 0; i < PH_GEN_SRC_COUNT; i++) {
        char firms[24], all[16], county[16];
        cell_u64(firms, sizeof(firms), s->covered[i]);
        cell_pct(all, sizeof(all), (double)s->covered[i], (double)s->enterprises);
        cell_pct(county, sizeof(county), (double)s->county_covered[i], (double)s->county_firms);
        const char *cells[] = {ph_gen_source_name((ph_gen_source)i), firms, all, county};
        ph_cli_table_add(t, cells);
    }
    return t;
}

static ph_cli_table *files_table(const ph_gen_summary *s)
{
    static const char *const headers[] = {"file", "rows", "bytes"};
    static const int numeric[] = {0, 1, 1};
    ph_cli_table *t = ph_cli_table_new(headers, numeric, 3);
    for (size_t i = 0; i < s->file_count; i++) {
        char rows[24], bytes[24];
        cell_u64(rows, sizeof(rows), s->files[i].rows);
        cell_u64(bytes, sizeof(bytes), s->files[i].bytes);
        const char *cells[] = {s->files[i].path, rows, bytes};
        ph_cli_table_add(t, cells);
    }
    return t;
}

static void print_summary(ph_cli *cli, const gen_args *a, const ph_gen_summary *s)
{
    ph_cli_table *tables[6] = {
        facts_table(s),
        group_table(s, s->cities, s->city_count, "city", 0),
        group_table(s, s->sections, PH_GEN_SECTIONS, "section", 1),
        group_table(s, s->sizes, PH_GEN_SIZES, "size", 2),
        coverage_table(s),
        files_table(s),
    };
    static const char *const titles[] = {"The province", "Firms by city", "Firms by industry",
                                         "Firms by size (2011 rule)", "Data coverage",
                                         "Files"};
    static const char *const keys[] = {"province", "cities", "industries", "sizes", "coverage",
                                       "files"};
    char start[8];
    ph_month_format(a->opts.start, start, sizeof(start), NULL);
    if (cli->format == PH_FORMAT_JSON) {
        json_t *doc = json_pack("{s:s, s:I, s:i, s:s, s:I, s:s, s:f, s:I, s:I, s:f}",
                                "out", a->opts.out_dir, "enterprises", (json_int_t)s->enterprises,
                                "months", a->opts.months, "start", start,
                                "seed", (json_int_t)a->opts.seed,
                                "scenario", ph_gen_scenario_name(a->opts.scenario),
                                "dirty_rate", a->opts.dirty_rate,
                                "rows", (json_int_t)s->total_rows,
                                "bytes", (json_int_t)s->total_bytes, "seconds", s->seconds);
        for (int i = 0; i < 6; i++)
            json_object_set_new(doc, keys[i], ph_cli_table_json(tables[i]));
        ph_cli_print_json(cli, doc);
    } else {
        fprintf(cli->out,
                "puhui gen: %llu enterprises x %d months from %s, seed %llu, %s%s -> %s\n"
                "%llu rows, %.1f MB in %.1f s (%.2f M rows/s)\n",
                (unsigned long long)s->enterprises, a->opts.months, start,
                (unsigned long long)a->opts.seed, ph_gen_scenario_name(a->opts.scenario),
                a->opts.dirty_rate > 0.0 ? ", dirty" : "", a->opts.out_dir,
                (unsigned long long)s->total_rows, s->total_bytes / 1e6, s->seconds,
                s->seconds > 0.0 ? s->total_rows / s->seconds / 1e6 : 0.0);
        if (s->dirty_rows)
            fprintf(cli->out, "%llu bad rows injected, listed in truth/dirty.csv\n",
                    (unsigned long long)s->dirty_rows);
        for (int i = 0; i < 6; i++) {
            fputc('\n', cli->out);
            ph_cli_table_print(cli, tables[i], titles[i]);
        }
    }
    for (int i = 0; i < 6; i++)
        ph_cli_table_free(tables[i]);
}

int ph_cmd_gen(ph_cli *cli, int argc, char **argv)
{
    static const char *const options[] = {"--enterprises", "--months", "--start", "--seed",
                                           "--out", "--scenario", "--dirty", "--threads"};
    gen_args a;
    ph_gen_options_init(&a.opts);
    /* --force is the one option without a value: take it out before the walk */
    char **rest = malloc(sizeof(char *) * (size_t)(argc + 1));
    if (!rest)
        return ph_cli_usage_error(cli, "gen", "out of memory");
    int n = 0;
    for (int i = 0; i < argc; i++) {
        if (i > 0 && strcmp(argv[i], "--force") == 0)
            a.opts.force = 1;
        else
            rest[n++] = argv[i];
    }
    rest[n] = NULL;
    int code = ph_cli_each_option(cli, "gen", n, rest, 1, options,
                                  sizeof(options) / sizeof(options[0]), parse_option, &a);
    free(rest);
    if (code != PH_EXIT_OK)
        return code;
    if (!a.opts.out_dir)
        return ph_cli_usage_error(cli, "gen", "--out DIR is required");
    ph_gen_summary *s = malloc(sizeof(*s));
    if (!s)
        return ph_cli_usage_error(cli, "gen", "out of memory");
    ph_cli_progress *meter = ph_cli_progress_start(cli, "puhui gen", "enterprises");
    if (meter) {
        a.opts.progress = ph_cli_progress_cb;
        a.opts.progress_user = meter;
    }
    ph_error err;
    ph_status st = ph_gen_run(cli->ctx, &a.opts, s, &err);
    ph_cli_progress_finish(meter);
    if (st != PH_OK) {
        free(s);
        return ph_cli_fail(cli, st, &err,
                           st == PH_EEXISTS ? "use an empty directory, or --force to replace the "
                                              "earlier run"
                                            : "see 'puhui help gen'");
    }
    print_summary(cli, &a, s);
    free(s);
    return PH_EXIT_OK;
}
