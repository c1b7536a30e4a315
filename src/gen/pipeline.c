/*
 * puhui gen — blocks of firms across threads, written in order.
 *
 * Worker threads each fill a block (every feed's rows for 2,048 firms) into
 * memory; the calling thread appends finished blocks to the files strictly
 * in block order. Block b may only use slot b % slots, so at most `slots`
 * blocks are in memory at once and the output never depends on which
 * thread ran which block.
 *
 * The files' BLAKE2b checksums are a fifth of the work and each is
 * sequential, so they are not left to the writing thread: every file's part
 * of a block is a separate job, taken by whichever thread is free (workers
 * first, the writer while it waits), in block order for each file. Hashing
 * 24 files in parallel leaves the writer with little more than write(2).
 */
#include <pthread.h>
#include <string.h>

#include "gen/gen_internal.h"
#include "gen/pipeline.h"
#include "gen/writer.h"

enum { SLOT_FREE, SLOT_FILLING, SLOT_READY };

typedef struct pipeline {
    const gen_run *run;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    gen_writer *w;
    gen_block *blocks;
    int *state;
    uint64_t *index;         /* the block each slot holds */
    int *written;            /* the writer has appended the slot's block */
    int *hashed;             /* files of the slot's block hashed so far */
    int slots;
    uint64_t nblocks, next_claim;
    uint64_t hash_next[GEN_F_COUNT]; /* each file's next block to hash */
    int hash_busy[GEN_F_COUNT];
    int hash_turn;           /* where the search for a job starts */
    int stop;
} pipeline;

static void stats_firm(gen_stats *s, const gen_run *run, const gen_firm_ctx *fc)
{
    const gen_firm *f = fc->firm;
    const gen_path *p = fc->path;
    int start_year = run->start / 12;
    s->firms++;
    s->county_firms += (f->flags & GEN_FIRM_COUNTY) != 0;
    s->female += (f->flags & GEN_FIRM_FEMALE) != 0;
    s->under35 += start_year - f->birth_year < 35;
    s->young += f->registered_on > run->window_last - 3 * 365;
    int defaulted = p->default_date && p->default_date <= run->window_last;
    s->defaults += defaulted;
    int gone = p->status == GEN_STATUS_DEREGISTERED || p->status == GEN_STATUS_REVOKED
                   ? p->status_month + 1
                   : run->months;
    double months = 0.0;
    for (int t = p->first; t < p->end && t < gone; t++) {
        if (p->default_date && p->default_date < run->month_first[t + GEN_LAG])
            break;
        months += 1.0;
    }
    double years = months / 12.0;
    s->firm_years += years;
    int covered[PH_GEN_SRC_COUNT] = {
        (f->flags & GEN_FIRM_VAT) != 0, p->first < run->months, (f->flags & GEN_FIRM_SOCIAL) != 0,
        (f->flags & GEN_FIRM_POWER) != 0, (f->flags & GEN_FIRM_PAYMENTS) != 0,
        fc->has_credit_history,
    };
    for (int i = 0; i < PH_GEN_SRC_COUNT; i++) {
        s->covered[i] += (uint64_t)covered[i];
        if (f->flags & GEN_FIRM_COUNTY)
            s->county_covered[i] += (uint64_t)covered[i];
    }
    s->city_firms[f->city]++;
    s->city_defaults[f->city] += defaulted;
    s->city_years[f->city] += years;
    int sec = fc->ind->section - 'A';
    s->section_firms[sec]++;
    s->section_defaults[sec] += defaulted;
    s->section_years[sec] += years;
    s->size_firms[f->size_class]++;
    s->size_defaults[f->size_class] += defaulted;
    s->size_years[f->size_class] += years;
}

void gen_stats_merge(gen_stats *into, const gen_stats *s)
{
    into->firms += s->firms;
    into->county_firms += s->county_firms;
    into->female += s->female;
    into->under35 += s->under35;
    into->young += s->young;
    into->defaults += s->defaults;
    into->firm_years += s->firm_years;
    for (int i = 0; i < PH_GEN_SRC_COUNT; i++) {
        into->covered[i] += s->covered[i];
        into->county_covered[i] += s->county_covered[i];
    }
    for (int i = 0; i < PH_GEN_MAX_CITIES; i++) {
        into->city_firms[i] += s->city_firms[i];
        into->city_defaults[i] += s->city_defaults[i];
        into->city_years[i] += s->city_years[i];
    }
    for (int i = 0; i < PH_GEN_SECTIONS; i++) {
        into->section_firms[i] += s->section_firms[i];
        into->section_defaults[i] += s->section_defaults[i];
        into->section_years[i] += s->section_years[i];
    }
    for (int i = 0; i < PH_GEN_SIZES; i++) {
        into->size_firms[i] += s->size_firms[i];
        into->size_defaults[i] += s->size_defaults[i];
        into->size_years[i] += s->size_years[i];
    }
}

static void block_clear(gen_block *b)
{
    for (int i = 0; i < GEN_F_COUNT; i++)
        gen_buf_reset(&b->out[i]);
    b->dirty.count = 0;
    memset(&b->stats, 0, sizeof(b->stats));
}

void gen_block_init(gen_block *b, const gen_run *run)
{
    memset(b, 0, sizeof(*b));
    for (int i = 0; i < GEN_F_COUNT; i++) {
        b->out[i].ctx = run->ctx;
        b->out[i].dates = &run->dates;
    }
}

void gen_block_free(gen_block *b, const ph_ctx *ctx)
{
    for (int i = 0; i < GEN_F_COUNT; i++)
        gen_buf_free(&b->out[i]);
    ph_free(ctx, b->dirty.items);
    b->dirty.items = NULL;
}

static void fill_block(const gen_run *run, gen_block *b, uint64_t index, gen_path *path)
{
    block_clear(b);
    b->first = index * GEN_BLOCK_FIRMS;
    b->count = run->firm_count - b->first < GEN_BLOCK_FIRMS ? run->firm_count - b->first
                                                            : GEN_BLOCK_FIRMS;
    for (uint64_t i = b->first; i < b->first + b->count; i++) {
        const gen_firm *f = &run->firms[i];
        gen_simulate_firm(run, f, i, path);
        gen_dirty dirty = {.rate = run->opt.dirty_rate, .list = &b->dirty, .feeds = run->feeds};
        if (dirty.rate > 0.0)
            gen_rng_init(&dirty.rng, run->opt.seed, GEN_STREAM_DIRTY, i);
        gen_firm_ctx fc = {
            .run = run, .firm = f, .index = i, .ind = &run->industries[f->industry],
            .path = path, .block = b, .dirty = dirty.rate > 0.0 ? &dirty : NULL,
        };
        gen_emit_registration(&fc);
        gen_emit_monthly(&fc);
        gen_emit_daily(&fc);
        gen_emit_events(&fc);
        gen_emit_credit(&fc);
        gen_emit_truth(&fc);
        gen_emit_watch(&fc); /* after the others: see gen_emit_watch */
        gen_emit_warehouse(&fc);
        stats_firm(&b->stats, run, &fc);
    }
}

/* A checksum job: file `file`'s rows of the block in `slot`. A file's
 * blocks are hashed strictly in order, one at a time, so its BLAKE2b state
 * sees the same bytes in the same order as the file does. Called locked. */
static int find_hash_job(pipeline *pl, int *slot_out, int *file_out)
{
    for (int k = 0; k < GEN_F_COUNT; k++) {
        int i = (pl->hash_turn + k) % GEN_F_COUNT;
        if (i == GEN_F_TRUTH_DIRTY || pl->hash_busy[i] || pl->hash_next[i] >= pl->nblocks)
            continue;
        int slot = (int)(pl->hash_next[i] % (uint64_t)pl->slots);
        if (pl->state[slot] == SLOT_READY && pl->index[slot] == pl->hash_next[i]) {
            pl->hash_turn = i + 1;
            *slot_out = slot;
            *file_out = i;
            return 1;
        }
    }
    return 0;
}

/* A slot is free again once the writer has written it and every file's
 * part is hashed. Called locked. */
static void release_if_done(pipeline *pl, int slot)
{
    if (pl->written[slot] && pl->hashed[slot] == GEN_F_COUNT - 1) {
        pl->state[slot] = SLOT_FREE;
        pl->written[slot] = 0;
        pl->hashed[slot] = 0;
        pthread_cond_broadcast(&pl->cv);
    }
}

/* Run one checksum job, if there is one; called locked, returns locked. */
static int hash_one(pipeline *pl)
{
    int slot, file;
    if (!find_hash_job(pl, &slot, &file))
        return 0;
    pl->hash_busy[file] = 1;
    pthread_mutex_unlock(&pl->mu);
    gen_writer_hash(pl->w, file, &pl->blocks[slot]);
    pthread_mutex_lock(&pl->mu);
    pl->hash_busy[file] = 0;
    pl->hash_next[file]++;
    pl->hashed[slot]++;
    release_if_done(pl, slot);
    pthread_cond_broadcast(&pl->cv);
    return 1;
}

static int all_hashed(const pipeline *pl)
{
    for (int i = 0; i < GEN_F_COUNT; i++)
        if (i != GEN_F_TRUTH_DIRTY && pl->hash_next[i] < pl->nblocks)
            return 0;
    return 1;
}

/* A worker hashes whatever is ready first (that frees slots soonest), else
 * fills the next block, else waits. */
static void *worker(void *arg)
{
    pipeline *pl = arg;
    gen_path *path = ph_malloc(pl->run->ctx, sizeof(gen_path));
    pthread_mutex_lock(&pl->mu);
    while (!pl->stop && path) {
        if (hash_one(pl))
            continue;
        uint64_t b = pl->next_claim;
        if (b >= pl->nblocks) {
            if (all_hashed(pl))
                break;
            pthread_cond_wait(&pl->cv, &pl->mu);
            continue;
        }
        int slot = (int)(b % (uint64_t)pl->slots);
        if (pl->state[slot] != SLOT_FREE) {
            pthread_cond_wait(&pl->cv, &pl->mu);
            continue;
        }
        pl->state[slot] = SLOT_FILLING;
        pl->index[slot] = b;
        pl->next_claim++;
        pthread_mutex_unlock(&pl->mu);
        fill_block(pl->run, &pl->blocks[slot], b, path);
        pthread_mutex_lock(&pl->mu);
        pl->state[slot] = SLOT_READY;
        pthread_cond_broadcast(&pl->cv);
    }
    if (!path) {
        pl->stop = 1;
        pthread_cond_broadcast(&pl->cv);
    }
    pthread_mutex_unlock(&pl->mu);
    ph_free(pl->run->ctx, path);
    return NULL;
}

static void pipeline_free_arrays(pipeline *pl, const ph_ctx *ctx)
{
    ph_free(ctx, pl->blocks);
    ph_free(ctx, pl->state);
    ph_free(ctx, pl->index);
    ph_free(ctx, pl->written);
    ph_free(ctx, pl->hashed);
}

ph_status gen_pipeline_run(const gen_run *run, gen_writer *w, int threads, gen_stats *total,
                           ph_error *err)
{
    pipeline pl;
    memset(&pl, 0, sizeof(pl));
    pl.run = run;
    pl.nblocks = (run->firm_count + GEN_BLOCK_FIRMS - 1) / GEN_BLOCK_FIRMS;
    pl.w = w;
    pl.slots = 2 * threads + 1;
    pl.blocks = ph_calloc(run->ctx, (size_t)pl.slots, sizeof(gen_block));
    pl.state = ph_calloc(run->ctx, (size_t)pl.slots, sizeof(int));
    pl.index = ph_calloc(run->ctx, (size_t)pl.slots, sizeof(uint64_t));
    pl.written = ph_calloc(run->ctx, (size_t)pl.slots, sizeof(int));
    pl.hashed = ph_calloc(run->ctx, (size_t)pl.slots, sizeof(int));
    pthread_t *tids = ph_calloc(run->ctx, (size_t)threads, sizeof(pthread_t));
    if (!pl.blocks || !pl.state || !pl.index || !pl.written || !pl.hashed || !tids) {
        pipeline_free_arrays(&pl, run->ctx);
        ph_free(run->ctx, tids);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the block pipeline");
    }
    for (int i = 0; i < pl.slots; i++)
        gen_block_init(&pl.blocks[i], run);
    pthread_mutex_init(&pl.mu, NULL);
    pthread_cond_init(&pl.cv, NULL);

    ph_status st = PH_OK;
    int started = 0;
    for (; started < threads; started++)
        if (pthread_create(&tids[started], NULL, worker, &pl) != 0)
            break;
    if (started == 0)
        st = ph_error_set(err, PH_ENOMEM, "threads", NULL, "cannot start a worker thread");

    for (uint64_t b = 0; b < pl.nblocks && st == PH_OK; b++) {
        int slot = (int)(b % (uint64_t)pl.slots);
        pthread_mutex_lock(&pl.mu);
        while (!(pl.state[slot] == SLOT_READY && pl.index[slot] == b) && !pl.stop)
            if (!hash_one(&pl))
                pthread_cond_wait(&pl.cv, &pl.mu);
        int stopped = pl.state[slot] != SLOT_READY || pl.index[slot] != b;
        pthread_mutex_unlock(&pl.mu);
        if (stopped) {
            st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory in a worker thread");
            break;
        }
        /* read what is needed from the block before it can be reused */
        st = gen_writer_block_unhashed(w, &pl.blocks[slot], err);
        uint64_t done = pl.blocks[slot].first + pl.blocks[slot].count;
        if (st == PH_OK)
            gen_stats_merge(total, &pl.blocks[slot].stats);
        pthread_mutex_lock(&pl.mu);
        pl.written[slot] = 1;
        release_if_done(&pl, slot);
        pthread_mutex_unlock(&pl.mu);
        if (st == PH_OK && run->opt.progress)
            run->opt.progress(run->opt.progress_user, done, run->firm_count);
    }
    /* the last blocks' checksums: help the workers finish them */
    pthread_mutex_lock(&pl.mu);
    while (st == PH_OK && !pl.stop && !all_hashed(&pl))
        if (!hash_one(&pl))
            pthread_cond_wait(&pl.cv, &pl.mu);
    if (st == PH_OK && !all_hashed(&pl))
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory in a worker thread");
    pthread_mutex_unlock(&pl.mu);

    pthread_mutex_lock(&pl.mu);
    pl.stop = 1;
    pthread_cond_broadcast(&pl.cv);
    pthread_mutex_unlock(&pl.mu);
    for (int i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    pthread_mutex_destroy(&pl.mu);
    pthread_cond_destroy(&pl.cv);
    for (int i = 0; i < pl.slots; i++)
        gen_block_free(&pl.blocks[i], run->ctx);
    pipeline_free_arrays(&pl, run->ctx);
    ph_free(run->ctx, tids);
    return st;
}
