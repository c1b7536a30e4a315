/*
 * puhui feeds list              the feed catalog: name, file, frequency, key, columns
 * puhui feeds show NAME         one feed's documentation (Markdown)
 * puhui feeds doc --out DIR     the documentation as files: DIR/README.md, DIR/<name>.md
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static int feeds_list(ph_cli *cli, int argc, char **argv)
{
    int code = ph_cli_no_more_args(cli, "feeds", argc - 1, argv + 1);
    if (code != PH_EXIT_OK)
        return code;
    static const char *const headers[] = {"name", "path", "frequency", "key", "columns"};
    static const int numeric[] = {0, 0, 0, 0, 1};
    ph_cli_table *table = ph_cli_table_new(headers, numeric, 5);
    for (size_t i = 0; i < ph_feed_count(); i++) {
        const ph_feed *feed = ph_feed_at(i);
        char columns[32];
        snprintf(columns, sizeof(columns), "%zu", feed->column_count);
        const char *cells[] = {feed->name, feed->path, ph_feed_frequency_name(feed->frequency),
                               feed->key, columns};
        ph_cli_table_add(table, cells);
    }
    ph_cli_table_print(cli, table, NULL);
    ph_cli_table_free(table);
    return PH_EXIT_OK;
}

/* The named feed, or NULL after printing the error. */
static const ph_feed *find_feed(ph_cli *cli, const char *name, int *code)
{
    const ph_feed *feed = ph_feed_find(name);
    if (feed == NULL) {
        ph_error err;
        ph_error_set(&err, PH_ENOTFOUND, "feed", name, "no such feed in the catalog");
        *code = ph_cli_fail(cli, PH_ENOTFOUND, &err, "'puhui feeds list' shows the feeds");
    }
    return feed;
}

static int feeds_show(ph_cli *cli, int argc, char **argv)
{
    if (argc < 3)
        return ph_cli_usage_error(cli, "feeds", "'feeds show' needs a feed name");
    int code = ph_cli_no_more_args(cli, "feeds", argc - 2, argv + 2);
    if (code != PH_EXIT_OK)
        return code;
    const ph_feed *feed = find_feed(cli, argv[2], &code);
    if (feed == NULL)
        return code;
    ph_error err;
    ph_status st = ph_feed_doc_write(feed, cli->out, &err);
    return st == PH_OK ? PH_EXIT_OK : ph_cli_fail(cli, st, &err, NULL);
}

/* Write one Markdown file DIR/NAME: the index when feed is NULL. */
static ph_status write_doc(const char *dir, const char *name, const ph_feed *feed,
                           ph_error *err)
{
    size_t size = strlen(dir) + strlen(name) + 2;
    char *path = malloc(size);
    if (path == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    snprintf(path, size, "%s/%s", dir, name);
    ph_status st = PH_OK;
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        st = ph_error_set(err, PH_EIO, NULL, NULL, "%s: cannot open for writing: %s", path,
                          strerror(errno));
    } else {
        st = feed ? ph_feed_doc_write(feed, f, err) : ph_feed_doc_index(f, err);
        if (fclose(f) != 0 && st == PH_OK)
            st = ph_error_set(err, PH_EIO, NULL, NULL, "%s: cannot write: %s", path,
                              strerror(errno));
        else if (st != PH_OK)
            ph_error_locate(err, path, 0, 0);
    }
    free(path);
    return st;
}

static int take_out_dir(ph_cli *cli, const char *option, const char *value, void *user)
{
    (void)option;
    if (value[0] == '\0')
        return ph_cli_usage_error(cli, "feeds", "--out needs a directory");
    *(const char **)user = value;
    return PH_EXIT_OK;
}

static int feeds_doc(ph_cli *cli, int argc, char **argv)
{
    static const char *const options[] = {"--out"};
    const char *dir = NULL;
    int code = ph_cli_each_option(cli, "feeds", argc, argv, 2, options, 1, take_out_dir, &dir);
    if (code != PH_EXIT_OK)
        return code;
    if (dir == NULL)
        return ph_cli_usage_error(cli, "feeds", "'feeds doc' needs --out DIR");

    ph_error err;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        ph_error_set(&err, PH_EIO, NULL, NULL, "%s: cannot create the directory: %s", dir,
                     strerror(errno));
        return ph_cli_fail(cli, PH_EIO, &err, NULL);
    }
    ph_status st = write_doc(dir, "README.md", NULL, &err);
    size_t files = 1;
    for (size_t i = 0; st == PH_OK && i < ph_feed_count(); i++, files++) {
        const ph_feed *feed = ph_feed_at(i);
        char name[128];
        snprintf(name, sizeof(name), "%s.md", feed->name);
        st = write_doc(dir, name, feed, &err);
    }
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err, NULL);
    if (cli->format == PH_FORMAT_JSON)
        ph_cli_print_json(cli, json_pack("{s:s, s:i}", "directory", dir, "files", (int)files));
    else
        fprintf(cli->out, "wrote %zu files to %s\n", files, dir);
    return PH_EXIT_OK;
}

int ph_cmd_feeds(ph_cli *cli, int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(ph_cli *cli, int argc, char **argv);
    } verbs[] = {{"list", feeds_list}, {"show", feeds_show}, {"doc", feeds_doc}};
    for (size_t i = 0; argc >= 2 && i < sizeof(verbs) / sizeof(verbs[0]); i++)
        if (strcmp(argv[1], verbs[i].name) == 0)
            return verbs[i].run(cli, argc, argv);
    return ph_cli_usage_error(cli, "feeds", "'feeds' takes 'list', 'show' or 'doc'");
}
