/*
 * puhui profile --enterprise USCC --as INSTITUTION [--asof DATE] [--purpose P]
 *
 * The firm's profile as an institution receives it: who the firm is, its
 * class and sub-class, the five dimensions with the features behind each,
 * the features that say most, and what the platform can see. The read goes
 * through consent and the access log (ph_profile_read).
 */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char CMD[] = "profile";

typedef struct profile_args {
    const char *uscc, *institution, *asof, *purpose, *on;
} profile_args;

static int take_option(ph_cli *cli, const char *option, const char *value, void *user)
{
    (void)cli;
    profile_args *a = user;
    const char **slot = strcmp(option, "--enterprise") == 0 ? &a->uscc
                        : strcmp(option, "--as") == 0       ? &a->institution
                        : strcmp(option, "--asof") == 0     ? &a->asof
                        : strcmp(option, "--purpose") == 0  ? &a->purpose
                                                            : &a->on;
    *slot = value;
    return PH_EXIT_OK;
}

static int parse_date(ph_cli *cli, const char *option, const char *text, ph_date *out)
{
    ph_error err;
    ph_status st = ph_date_parse(text, strlen(text), out, &err);
    if (st == PH_OK)
        return PH_EXIT_OK;
    ph_error_set_field(&err, option);
    return ph_cli_fail(cli, st, &err, "dates are YYYY-MM-DD");
}

static void format_score(double score, char *buf, size_t size)
{
    if (isnan(score))
        snprintf(buf, size, "insufficient data");
    else
        snprintf(buf, size, "%.0f", score);
}

static void feature_text(const ph_profile *p, int index, char *buf, size_t size)
{
    if (index < 0) {
        snprintf(buf, size, "?");
    } else if (ph_profile_withheld(p, (size_t)index)) {
        snprintf(buf, size, "not consented");
    } else {
        (void)ph_feature_format((size_t)index, ph_profile_value(p, (size_t)index), buf, size,
                                NULL);
        if (buf[0] == '\0')
            snprintf(buf, size, "missing");
    }
}

static ph_cli_table *identity_table(const ph_profile *p, const char *institution)
{
    static const char *const headers[] = {"field", "value"};
    static const int numeric[] = {0, 0};
    ph_cli_table *t = ph_cli_table_new(headers, numeric, 2);
    const ph_registration *reg = ph_profile_registration(p);
    const ph_profile_scores *scores = ph_profile_get_scores(p);
    char region[16], asof[PH_DATE_FORMAT_MAX], cls[160];
    snprintf(region, sizeof(region), "%d", reg->region_code);
    (void)ph_date_format(ph_profile_asof(p), asof, sizeof(asof), NULL);
    snprintf(cls, sizeof(cls), "%s %s (%s)", scores->class_zh, scores->class_name,
             scores->class_en);
    const char *rows[][2] = {
        {"uscc", reg->uscc},
        {"name", reg->name},
        {"region", region},
        {"industry", reg->industry_code},
        {"size", reg->size_class},
        {"status", reg->status},
        {"asof", asof},
        {"read by", institution},
        {"purpose", ph_purpose_title(ph_profile_purpose(p))},
        {"class", cls},
        {"sub-class", scores->subclass},
        {"because", scores->class_reason},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        ph_cli_table_add(t, rows[i]);
    if (ph_profile_peers_asof(p) != ph_profile_asof(p)) { /* an older refresh: say so */
        char used[PH_DATE_FORMAT_MAX], note[96];
        (void)ph_date_format(ph_profile_peers_asof(p), used, sizeof(used), NULL);
        snprintf(note, sizeof(note), "from the refresh of %s (none on %s)", used, asof);
        const char *row[] = {"peer medians", note};
        ph_cli_table_add(t, row);
    }
    return t;
}

static ph_cli_table *dimension_table(const ph_profile *p)
{
    static const char *const headers[] = {"dimension", "维度", "score", "coverage",
                                          "features behind it"};
    static const int numeric[] = {0, 0, 0, 1, 0};
    ph_cli_table *t = ph_cli_table_new(headers, numeric, 5);
    for (size_t d = 0; d < PH_PROFILE_DIMENSION_COUNT; d++) {
        const ph_profile_dimension_score *dim = &ph_profile_get_scores(p)->dimensions[d];
        char score[32], coverage[16];
        format_score(dim->score, score, sizeof(score));
        snprintf(coverage, sizeof(coverage), "%.2f", dim->coverage);
        /* every feature behind the score, however many: the text grows */
        char *behind = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&behind, &len);
        for (size_t i = 0; mem != NULL && i < dim->component_count; i++) {
            char value[64];
            feature_text(p, ph_feature_index(dim->components[i].feature), value, sizeof(value));
            fprintf(mem, "%s%s=%s", i ? ", " : "", dim->components[i].feature, value);
        }
        if (mem == NULL || fclose(mem) != 0) {
            free(behind);
            behind = NULL;
        }
        const char *cells[] = {dim->name, dim->name_zh, score, coverage,
                               behind ? behind : "(out of memory)"};
        ph_cli_table_add(t, cells);
        free(behind);
    }
    return t;
}

static ph_cli_table *key_feature_table(const ph_profile *p)
{
    static const char *const headers[] = {"feature", "value", "unit", "points", "what it says"};
    static const int numeric[] = {0, 1, 0, 1, 0};
    ph_cli_table *t = ph_cli_table_new(headers, numeric, 5);
    const ph_profile_component *key[6];
    size_t n = ph_profile_key_components(ph_profile_get_scores(p), key, 6);
    for (size_t i = 0; i < n; i++) {
        int index = ph_feature_index(key[i]->feature);
        char value[64], points[16], sentence[256] = "";
        feature_text(p, index, value, sizeof(value));
        snprintf(points, sizeof(points), "%.0f", key[i]->points);
        if (index >= 0)
            (void)ph_feature_reason((size_t)index, key[i]->value, sentence, sizeof(sentence),
                                    NULL);
        const char *unit = index >= 0 ? ph_feature_unit_name(ph_feature_at((size_t)index)->unit)
                                      : "";
        const char *cells[] = {key[i]->feature, value, unit, points, sentence};
        ph_cli_table_add(t, cells);
    }
    return t;
}

static ph_cli_table *coverage_table(const ph_profile *p)
{
    static const char *const headers[] = {"coverage", "value"};
    static const int numeric[] = {0, 1};
    ph_cli_table *t = ph_cli_table_new(headers, numeric, 2);
    for (size_t i = 0; i < ph_feature_count(); i++) {
        if (ph_feature_at(i)->dimension != PH_DIM_COVERAGE)
            continue;
        char value[64];
        feature_text(p, (int)i, value, sizeof(value));
        const char *cells[] = {ph_feature_at(i)->name, value};
        ph_cli_table_add(t, cells);
    }
    return t;
}

static void print_profile(ph_cli *cli, const ph_profile *p, const char *institution)
{
    ph_cli_table *parts[] = {identity_table(p, institution), dimension_table(p),
                             key_feature_table(p), coverage_table(p)};
    static const char *const names[] = {"enterprise", "dimensions", "key_features", "coverage"};
    char allowed[PH_SOURCE_SET_FORMAT_MAX], refused[PH_SOURCE_SET_FORMAT_MAX];
    (void)ph_source_set_format(ph_profile_allowed(p), allowed, sizeof(allowed), NULL);
    (void)ph_source_set_format(ph_profile_refused(p), refused, sizeof(refused), NULL);
    if (cli->format == PH_FORMAT_JSON) {
        json_t *doc = json_object();
        for (size_t i = 0; i < 4; i++)
            json_object_set_new(doc, names[i], ph_cli_table_json(parts[i]));
        json_object_set_new(doc, "sources_consented", json_string(allowed));
        json_object_set_new(doc, "sources_not_consented", json_string(refused));
        json_object_set_new(doc, "access_log_seq", json_integer(ph_profile_log_seq(p)));
        ph_cli_print_json(cli, doc);
    } else {
        char title[512];
        const ph_registration *reg = ph_profile_registration(p);
        snprintf(title, sizeof(title), "profile of %s (%s)", reg->name, reg->uscc);
        ph_cli_table_print(cli, parts[0], title);
        fputc('\n', cli->out);
        ph_cli_table_print(cli, parts[1], "five dimensions (0-100, higher is better)");
        fputc('\n', cli->out);
        ph_cli_table_print(cli, parts[2], "key features: concerns, then strengths");
        fputc('\n', cli->out);
        ph_cli_table_print(cli, parts[3], "data coverage");
        fprintf(cli->out, "\nsources consented: %s\nsources not consented: %s\n",
                allowed[0] ? allowed : "none", refused[0] ? refused : "none");
        fprintf(cli->out, "(this read is access-log entry %lld)\n", (long long)ph_profile_log_seq(p));
    }
    for (size_t i = 0; i < 4; i++)
        ph_cli_table_free(parts[i]);
}

static const char *hint_for(ph_status st, const ph_error *err)
{
    switch (st) {
    case PH_EDENIED:
        return "the enterprise must grant a consent first: puhui consent grant --enterprise "
               "USCC --institution ID --purpose credit --until DATE";
    case PH_ENOTFOUND: /* field "asof": no peer-median refresh, the message names the fix */
        return strcmp(err->field, "asof") == 0
                   ? NULL
                   : "ingest the firm's registration (puhui ingest) and register the institution";
    case PH_ESCHEMA:
        return "upgrade the database with 'puhui init'";
    default:
        return NULL;
    }
}

int ph_cmd_profile(ph_cli *cli, int argc, char **argv)
{
    static const char *const options[] = {"--enterprise", "--as", "--asof", "--purpose", "--on"};
    profile_args a = {0};
    int code = ph_cli_each_option(cli, CMD, argc, argv, 1, options, 5, take_option, &a);
    if (code != PH_EXIT_OK)
        return code;
    if (a.uscc == NULL || a.institution == NULL)
        return ph_cli_usage_error(cli, CMD, "profile needs --enterprise USCC and --as INSTITUTION");
    if (a.on != NULL)
        return ph_cli_usage_error(cli, CMD,
                                  "--on is gone: consent is judged on the day of the read, "
                                  "whatever the data date; --asof DATE sets the data date");
    ph_profile_request req = {a.uscc, a.institution, PH_PURPOSE_CREDIT, 0};
    ph_error err;
    if (a.purpose != NULL && ph_purpose_parse(a.purpose, &req.purpose, &err) != PH_OK)
        return ph_cli_fail(cli, PH_EINVAL, &err, NULL);
    if (a.asof != NULL && (code = parse_date(cli, "--asof", a.asof, &req.asof)) != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_profile *profile = NULL;
    ph_status st = ph_profile_read(store, &req, &profile, &err);
    ph_store_free(store);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err, hint_for(st, &err));
    print_profile(cli, profile, a.institution);
    ph_profile_free(profile);
    return PH_EXIT_OK;
}
