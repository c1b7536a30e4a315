#define _XOPEN_SOURCE 700 /* realpath */
/*
 * What to ingest: a plain file (its feed from its name), or a directory
 * written by `puhui gen`, whose manifest.json lists every file with its
 * BLAKE2b-256 checksum. Truth files are listed there too and never
 * ingested. A file whose checksum differs from the manifest's changed after
 * it was written: it is refused before anything is read from it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json/json_internal.h"
#include "puhui/schema.h"

#include "ingest/ingest_internal.h"

ph_status ing_file_checksum(const ph_ctx *ctx, const char *path, char out[80], ph_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        ph_error_set(err, PH_EIO, NULL, NULL, "cannot open for reading: %s", strerror(errno));
        ph_error_locate(err, path, 0, 0);
        return PH_EIO;
    }
    crypto_generichash_state state;
    crypto_generichash_init(&state, NULL, 0, 32);
    static const size_t chunk = (size_t)1 << 20;
    unsigned char *buf = ph_malloc(ctx, chunk);
    ph_status st = buf ? PH_OK : ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    while (st == PH_OK) {
        ssize_t n = read(fd, buf, chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            st = ph_error_set(err, PH_EIO, NULL, NULL, "read failed: %s", strerror(errno));
            ph_error_locate(err, path, 0, 0);
        }
        if (n <= 0)
            break;
        crypto_generichash_update(&state, buf, (unsigned long long)n);
    }
    ph_free(ctx, buf);
    close(fd);
    if (st != PH_OK)
        return st;
    unsigned char digest[32];
    char hex[65];
    crypto_generichash_final(&state, digest, sizeof(digest));
    sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
    snprintf(out, 80, "blake2b-256:%s", hex);
    return PH_OK;
}

void ing_input_clear(const ph_ctx *ctx, ing_input *in)
{
    ph_free(ctx, in->path);
    ph_free(ctx, in->stored_path);
    memset(in, 0, sizeof(*in));
}

/* The list of stored feeds, for "known feeds are ..." messages. */
static void stored_feeds(char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < ph_feed_count() && used < size; i++)
        if (ph_schema_feed_stored(ph_feed_at(i)))
            used += (size_t)snprintf(out + used, size - used, "%s%s", used ? ", " : "",
                                     ph_feed_at(i)->name);
}

static ph_status set_paths(const ph_ctx *ctx, const char *path, ing_input *out, ph_error *err)
{
    char resolved[PATH_MAX];
    out->path = ph_strdup(ctx, path);
    out->stored_path = ph_strdup(ctx, realpath(path, resolved) ? resolved : path);
    if (out->path == NULL || out->stored_path == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    return PH_OK;
}

ph_status ing_input_for_file(const ph_ctx *ctx, const char *path, ing_input *out, ph_error *err)
{
    memset(out, 0, sizeof(*out));
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    static const struct {
        const char *extension;
        ing_format format;
    } formats[] = {{".csv", ING_CSV}, {".jsonl", ING_JSONL}};
    int known = -1;
    for (int i = 0; dot != NULL && i < 2; i++)
        if (strcmp(dot, formats[i].extension) == 0)
            known = i;
    char feeds[1024];
    stored_feeds(feeds, sizeof(feeds));
    if (known < 0)
        return ph_error_set(err, PH_EINVAL, "path", path,
                            "expected a feed file named FEED.csv or FEED.jsonl, or a directory "
                            "with a manifest.json; feeds: %s", feeds);
    char name[64];
    size_t n = (size_t)(dot - base);
    snprintf(name, sizeof(name), "%.*s", (int)(n < 63 ? n : 63), base);
    const ph_feed *feed = n < 63 ? ph_feed_find(name) : NULL;
    if (feed == NULL || !ph_schema_feed_stored(feed))
        return ph_error_set(err, PH_EINVAL, "path", path,
                            "'%s' is not a feed that is ingested; expected the file name of "
                            "one of: %s", name, feeds);
    out->feed = feed;
    out->format = formats[known].format;
    ph_status st = set_paths(ctx, path, out, err);
    if (st == PH_OK)
        st = ing_file_checksum(ctx, path, out->checksum, err);
    if (st != PH_OK)
        ing_input_clear(ctx, out);
    return st;
}

static ph_status append(const ph_ctx *ctx, ing_input **inputs, size_t *count, size_t *cap,
                        const ing_input *in, ph_error *err)
{
    if (*count == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 16;
        ing_input *grown = ph_realloc(ctx, *inputs, grown_cap * sizeof(*grown));
        if (grown == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        *inputs = grown;
        *cap = grown_cap;
    }
    (*inputs)[(*count)++] = *in;
    return PH_OK;
}

/* One listed file: stored feeds are verified and added; truth is skipped. */
static ph_status manifest_entry(const ph_ctx *ctx, const char *dir, const char *manifest,
                                json_t *entry, size_t index, ing_input **inputs, size_t *count,
                                size_t *cap, ph_error *err)
{
    char where[32];
    snprintf(where, sizeof(where), "files[%zu]", index);
    const char *rel = NULL, *checksum = NULL;
    ph_status st = pjson_get_string(entry, where, "path", &rel, err);
    if (st == PH_OK)
        st = pjson_get_string(entry, where, "checksum", &checksum, err);
    if (st != PH_OK) {
        ph_error_locate(err, manifest, 0, 0);
        return st;
    }
    const ph_feed *feed = ph_feed_find_path(rel);
    if (feed == NULL)
        return ph_error_set(err, PH_EINVAL, "path", rel,
                            "%s lists a file that is not in the feed catalog", manifest);
    if (!ph_schema_feed_stored(feed))
        return PH_OK; /* truth/: never ingested */
    size_t len = strlen(dir) + strlen(rel) + 2;
    char *path = ph_malloc(ctx, len);
    if (path == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    snprintf(path, len, "%s/%s", dir, rel);
    ing_input in;
    memset(&in, 0, sizeof(in));
    in.feed = feed;
    in.format = ING_CSV;
    st = set_paths(ctx, path, &in, err);
    if (st == PH_OK)
        st = ing_file_checksum(ctx, path, in.checksum, err);
    if (st == PH_OK && strcmp(in.checksum, checksum) != 0)
        st = ph_error_set(err, PH_EINVAL, "checksum", rel,
                          "checksum mismatch: %s lists %s but the file has %s; the file changed "
                          "after it was written or is damaged, so it is not ingested",
                          manifest, checksum, in.checksum);
    ph_free(ctx, path);
    if (st == PH_OK)
        st = append(ctx, inputs, count, cap, &in, err);
    if (st != PH_OK)
        ing_input_clear(ctx, &in);
    return st;
}

ph_status ing_manifest_inputs(const ph_ctx *ctx, const char *dir, ing_input **inputs,
                              size_t *count, size_t *cap, ph_error *err)
{
    size_t len = strlen(dir) + sizeof("/manifest.json");
    char *manifest = ph_malloc(ctx, len);
    if (manifest == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    snprintf(manifest, len, "%s/manifest.json", dir);
    json_t *root = NULL, *files = NULL;
    ph_status st = pjson_load_file(manifest, &root, err);
    if (st == PH_ENOTFOUND || st == PH_EIO) {
        char why[PH_ERROR_DETAIL_MAX];
        snprintf(why, sizeof(why), "%s", err ? err->detail : "cannot read it");
        st = ph_error_set(err, st, "path", dir,
                          "expected a directory written by puhui gen, with a manifest.json: %s",
                          why);
    }
    if (st == PH_OK)
        st = pjson_get_array(root, "", "files", &files, err);
    for (size_t i = 0; st == PH_OK && i < json_array_size(files); i++)
        st = manifest_entry(ctx, dir, manifest, json_array_get(files, i), i, inputs, count, cap,
                            err);
    json_decref(root);
    ph_free(ctx, manifest);
    return st;
}
