/*
 * puhui gen — the files: headers from the feed catalogue, blocks appended
 * in order, a BLAKE2b-256 checksum kept as the bytes go out, the dirty-row
 * truth with absolute line numbers, and the manifest written last.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json/json_internal.h"
#include "gen/gen_internal.h"
#include "gen/writer.h"

static const char *const feed_names[GEN_F_COUNT] = {
    "registration", "vat_invoices", "tax_payments", "tax_grades", "social_security",
    "electricity_daily", "electricity_monthly", "payments_daily", "litigation", "penalties",
    "patents", "subsidies", "credit_loans", "credit_status", "supply_chain",
    "logistics_gps", "public_opinion", "warehouse_lots", "warehouse_iot", "commodity_prices",
    "lenders", "guarantors", "risk_pools", "core_enterprises",
    "truth_pd", "truth_defaults", "truth_firms", "truth_dirty", "truth_macro",
    "truth_warehouse_anomalies",
};

ph_status gen_feeds_resolve(const ph_feed **feeds, ph_error *err)
{
    for (int i = 0; i < GEN_F_COUNT; i++) {
        feeds[i] = ph_feed_find(feed_names[i]);
        if (!feeds[i])
            return ph_error_set(err, PH_EMISUSE, "feed", feed_names[i],
                                "the feed catalogue has no such feed (src/feed/catalog.c)");
    }
    return PH_OK;
}

static ph_status make_dir(const char *path, ph_error *err)
{
    if (mkdir(path, 0777) == 0 || errno == EEXIST) {
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            return PH_OK;
        return ph_error_set(err, PH_EIO, "out", path, "exists and is not a directory");
    }
    return ph_error_set(err, PH_EIO, "out", path, "cannot create the directory: %s", strerror(errno));
}

/* Create DIR and DIR/<area> for every area. */
ph_status gen_writer_dirs(const char *dir, ph_error *err)
{
    static const char *const areas[] = {"feeds", "reference", "truth"};
    ph_status st = make_dir(dir, err);
    for (size_t i = 0; i < 3 && st == PH_OK; i++) {
        char path[GEN_PATH_MAX];
        snprintf(path, sizeof(path), "%s/%s", dir, areas[i]);
        st = make_dir(path, err);
    }
    return st;
}

/* Blocks are megabytes already: write(2) them straight from the block's
 * buffer rather than copying through stdio. The checksum is left to the
 * caller when `hash` is 0 (see gen_writer_hash). */
static ph_status write_bytes(gen_file *f, const char *data, size_t len, int hash, ph_error *err)
{
    if (hash)
        crypto_generichash_update(&f->hash, (const unsigned char *)data, len);
    f->bytes += len;
    while (len > 0) {
        ssize_t n = write(f->fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return ph_error_set(err, PH_EIO, "file", f->path, "write failed: %s",
                                n < 0 ? strerror(errno) : "no progress");
        data += n;
        len -= (size_t)n;
    }
    return PH_OK;
}

void gen_writer_init(gen_writer *w, const ph_ctx *ctx)
{
    memset(w, 0, sizeof(*w));
    w->ctx = ctx;
    w->dirty_buf.ctx = ctx;
    for (int i = 0; i < GEN_F_COUNT; i++)
        w->files[i].fd = -1;
}

ph_status gen_writer_open(gen_writer *w, const char *dir, const ph_feed *const *feeds,
                          ph_error *err)
{
    w->feeds = feeds;
    /* sodium_init picks the fastest BLAKE2b for this CPU (AVX2 where there
     * is one); without it libsodium hashes with its portable code (about
     * 15% slower here), and every byte of the run is hashed. */
    if (sodium_init() < 0)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "libsodium could not be initialised");
    for (int i = 0; i < GEN_F_COUNT; i++) {
        gen_file *f = &w->files[i];
        snprintf(f->path, sizeof(f->path), "%s/%s", dir, feeds[i]->path);
        f->fd = open(f->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (f->fd < 0)
            return ph_error_set(err, PH_EIO, "file", f->path, "cannot create: %s", strerror(errno));
        crypto_generichash_init(&f->hash, NULL, 0, 32);
        char header[2048];
        size_t len = 0;
        for (size_t c = 0; c < feeds[i]->column_count; c++) {
            size_t n = strlen(feeds[i]->columns[c].name);
            if (len + n + 2 > sizeof(header))
                return ph_error_set(err, PH_EMISUSE, "feed", feeds[i]->name,
                                    "the catalogue's header is longer than %zu bytes",
                                    sizeof(header));
            if (c)
                header[len++] = ',';
            memcpy(header + len, feeds[i]->columns[c].name, n);
            len += n;
        }
        header[len++] = '\n';
        ph_status st = write_bytes(f, header, len, 1, err);
        if (st != PH_OK)
            return st;
    }
    return PH_OK;
}

/* truth/dirty.csv rows for a block, with lines counted from the file's top. */
static ph_status write_dirty(gen_writer *w, const gen_block *block, ph_error *err)
{
    gen_buf *b = &w->dirty_buf;
    gen_buf_reset(b);
    for (size_t i = 0; i < block->dirty.count; i++) {
        const gen_dirty_record *r = &block->dirty.items[i];
        const ph_feed *feed = w->feeds[r->feed];
        gen_put_str(b, feed->path);
        gen_put_int(b, (int64_t)(w->files[r->feed].rows + r->line + 2));
        gen_put_str(b, gen_dirty_kind_name((gen_dirty_kind)r->kind));
        if (r->column >= 0)
            gen_put_str(b, feed->columns[r->column].name);
        else
            gen_put_empty(b);
        gen_put_str(b, r->detail);
        gen_row_end(b, GEN_F_TRUTH_DIRTY, NULL);
    }
    if (b->failed)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the dirty-row truth");
    gen_file *f = &w->files[GEN_F_TRUTH_DIRTY];
    ph_status st = write_bytes(f, b->data, b->len, 1, err);
    f->rows += b->lines;
    w->dirty_rows += b->lines;
    return st;
}

static ph_status write_block(gen_writer *w, const gen_block *block, int hash, ph_error *err)
{
    for (int i = 0; i < GEN_F_COUNT; i++)
        if (block->out[i].failed)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a block of rows");
    ph_status st = write_dirty(w, block, err);
    for (int i = 0; i < GEN_F_COUNT && st == PH_OK; i++) {
        if (i == GEN_F_TRUTH_DIRTY)
            continue;
        st = write_bytes(&w->files[i], block->out[i].data, block->out[i].len, hash, err);
        w->files[i].rows += block->out[i].lines;
    }
    return st;
}

ph_status gen_writer_block(gen_writer *w, const gen_block *block, ph_error *err)
{
    return write_block(w, block, 1, err);
}

ph_status gen_writer_block_unhashed(gen_writer *w, const gen_block *block, ph_error *err)
{
    return write_block(w, block, 0, err);
}

void gen_writer_hash(gen_writer *w, int file, const gen_block *block)
{
    const gen_buf *b = &block->out[file];
    crypto_generichash_update(&w->files[file].hash, (const unsigned char *)b->data, b->len);
}

ph_status gen_writer_close(gen_writer *w, ph_gen_summary *summary, ph_error *err)
{
    ph_status st = PH_OK;
    summary->file_count = 0;
    summary->total_rows = summary->total_bytes = 0;
    for (int i = 0; i < GEN_F_COUNT; i++) {
        gen_file *f = &w->files[i];
        if (f->fd < 0)
            continue;
        int failed = fsync(f->fd) != 0;
        failed |= close(f->fd) != 0;
        f->fd = -1;
        if (failed && st == PH_OK)
            st = ph_error_set(err, PH_EIO, "file", f->path, "cannot finish writing: %s",
                              strerror(errno));
        unsigned char digest[32];
        crypto_generichash_final(&f->hash, digest, sizeof(digest));
        ph_gen_file *out = &summary->files[summary->file_count++];
        snprintf(out->path, sizeof(out->path), "%s", w->feeds[i]->path);
        snprintf(out->feed, sizeof(out->feed), "%s", w->feeds[i]->name);
        out->rows = f->rows;
        out->bytes = f->bytes;
        char h[65];
        sodium_bin2hex(h, sizeof(h), digest, sizeof(digest));
        snprintf(out->checksum, sizeof(out->checksum), "blake2b-256:%s", h);
        summary->total_rows += f->rows;
        summary->total_bytes += f->bytes;
    }
    summary->dirty_rows = w->dirty_rows;
    gen_buf_free(&w->dirty_buf);
    return st;
}

void gen_writer_abort(gen_writer *w)
{
    for (int i = 0; i < GEN_F_COUNT; i++)
        if (w->files[i].fd >= 0) {
            close(w->files[i].fd);
            w->files[i].fd = -1;
        }
    gen_buf_free(&w->dirty_buf);
}
