/*
 * puhui gen — the block pipeline (private to src/gen).
 */
#ifndef PH_GEN_PIPELINE_H
#define PH_GEN_PIPELINE_H

#include "gen/gen_internal.h"
#include "gen/writer.h"

/* Firms per block: fixed, so the output does not depend on the thread count. */
#define GEN_BLOCK_FIRMS 2048

void gen_block_init(gen_block *b, const gen_run *run);
void gen_block_free(gen_block *b, const ph_ctx *ctx);
void gen_stats_merge(gen_stats *into, const gen_stats *s);

/* Simulate every firm on `threads` workers and append the blocks to `w` in
 * order; accumulate the statistics into *total. */
ph_status gen_pipeline_run(const gen_run *run, gen_writer *w, int threads, gen_stats *total,
                           ph_error *err);

#endif
