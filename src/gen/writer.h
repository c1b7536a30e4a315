/*
 * puhui gen — the run's output files (private to src/gen).
 */
#ifndef PH_GEN_WRITER_H
#define PH_GEN_WRITER_H

#include <sodium.h>
#include <stdio.h>

#include "gen/gen_internal.h"

typedef struct gen_file {
    int fd;                  /* -1 when closed */
    char path[GEN_PATH_MAX];
    crypto_generichash_state hash;
    uint64_t rows;           /* data rows written, header excluded */
    uint64_t bytes;
} gen_file;

typedef struct gen_writer {
    const ph_ctx *ctx;
    const ph_feed *const *feeds;
    gen_file files[GEN_F_COUNT];
    gen_buf dirty_buf;
    uint64_t dirty_rows;
} gen_writer;

/* The catalogue entries of every gen_feed_id, or PH_EMISUSE naming a missing one. */
ph_status gen_feeds_resolve(const ph_feed **feeds, ph_error *err);
/* Create DIR, DIR/feeds, DIR/reference and DIR/truth. */
ph_status gen_writer_dirs(const char *dir, ph_error *err);
/* An empty writer with no file open (safe to abort). */
void gen_writer_init(gen_writer *w, const ph_ctx *ctx);
/* Create every file and write its header. */
ph_status gen_writer_open(gen_writer *w, const char *dir, const ph_feed *const *feeds,
                          ph_error *err);
/* Append one block (in block order), with its dirty-row truth. */
ph_status gen_writer_block(gen_writer *w, const gen_block *block, ph_error *err);
/* The same, except that the feeds' checksums are not updated (truth/dirty.csv's
 * is, since its rows are made here): the caller passes every other file's
 * part of the block to gen_writer_hash, in block order for each file, on any
 * thread, but never two calls for one file at once. Lets the hashing, a fifth
 * of a run's work, spread across the pipeline's threads. */
ph_status gen_writer_block_unhashed(gen_writer *w, const gen_block *block, ph_error *err);
/* Add file `file`'s rows of `block` to that file's checksum. */
void gen_writer_hash(gen_writer *w, int file, const gen_block *block);
/* Flush, sync and close; fill the summary's file list. */
ph_status gen_writer_close(gen_writer *w, ph_gen_summary *summary, ph_error *err);
/* Close whatever is open after a failure. */
void gen_writer_abort(gen_writer *w);

#endif
