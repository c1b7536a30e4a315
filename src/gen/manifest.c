/*
 * puhui gen — manifest.json: what a run wrote and how to check it.
 *
 * Written last, after every file is synced, so its presence means the run
 * finished. It holds nothing that varies between runs (no timestamps, no
 * timings), so the same arguments give the same manifest byte for byte.
 */
#include <stdio.h>

#include "json/json_internal.h"
#include "gen/gen_internal.h"

#define MANIFEST_FORMAT 1

static json_t *options_json(const gen_run *run)
{
    char start[8], dirty[32], seed[24];
    ph_month_format(run->start, start, sizeof(start), NULL);
    snprintf(dirty, sizeof(dirty), "%.6f", run->opt.dirty_rate);
    snprintf(seed, sizeof(seed), "%llu", (unsigned long long)run->opt.seed);
    return json_pack("{s:I, s:i, s:s, s:s, s:s, s:s}",
                     "enterprises", (json_int_t)run->firm_count, "months", run->months,
                     "start", start, "seed", seed,
                     "scenario", ph_gen_scenario_name(run->opt.scenario), "dirty_rate", dirty);
}

static json_t *files_json(const gen_run *run, const ph_gen_summary *s)
{
    json_t *files = json_array();
    for (size_t i = 0; files && i < s->file_count; i++) {
        const ph_gen_file *f = &s->files[i];
        const ph_feed *feed = run->feeds[i];
        json_array_append_new(
            files, json_pack("{s:s, s:s, s:s, s:i, s:I, s:I, s:s}", "path", f->path, "feed", f->feed,
                             "area", ph_feed_area_name(feed->area), "format_version", feed->version,
                             "rows", (json_int_t)f->rows, "bytes", (json_int_t)f->bytes,
                             "checksum", f->checksum));
    }
    return files;
}

static json_t *summary_json(const ph_gen_summary *s)
{
    char rate[32];
    snprintf(rate, sizeof(rate), "%.4f", s->annual_default_rate);
    json_t *covered = json_object();
    for (int i = 0; covered && i < PH_GEN_SRC_COUNT; i++)
        json_object_set_new(covered, ph_gen_source_name((ph_gen_source)i),
                            json_integer((json_int_t)s->covered[i]));
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:o, s:I}",
                     "enterprises", (json_int_t)s->enterprises,
                     "county_firms", (json_int_t)s->county_firms,
                     "female_owners", (json_int_t)s->female_owners,
                     "owners_under_35", (json_int_t)s->owners_under_35,
                     "young_firms", (json_int_t)s->young_firms,
                     "defaults", (json_int_t)s->defaults,
                     "annual_default_rate", rate,
                     "covered", covered,
                     "dirty_rows", (json_int_t)s->dirty_rows);
}

ph_status gen_manifest_write(const gen_run *run, const ph_gen_summary *s, ph_error *err)
{
    json_t *root = json_pack("{s:i, s:{s:s, s:s}, s:o, s:o, s:o, s:s}",
                             "manifest_format", MANIFEST_FORMAT,
                             "generator", "name", "puhui gen", "version", PH_VERSION_STRING,
                             "options", options_json(run),
                             "files", files_json(run, s),
                             "summary", summary_json(s),
                             "checksum_tool", "b2sum -l 256 FILE");
    if (!root)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "cannot build the manifest");
    char path[GEN_PATH_MAX];
    snprintf(path, sizeof(path), "%s/manifest.json", run->opt.out_dir);
    ph_status st = pjson_save_file(root, path, err);
    json_decref(root);
    return st;
}
