/*
 * One file through the pipeline: a reader fills batches (parse, check,
 * convert, sort by key) and the writer applies them to the database.
 *
 * With two threads the reader runs on its own thread and hands batches
 * over a small queue; the writer runs on the calling thread, which owns the
 * store. Three batches circulate: one being filled, one queued, one being
 * written, so neither side waits for the other while both have work. With
 * one thread the same reader fills a batch and the writer applies it in
 * turn.
 */
#include <pthread.h>
#include <string.h>

#include "ingest/ingest_internal.h"

#define BATCHES 3

typedef struct queue {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    ing_batch *free_list[BATCHES];
    size_t nfree;
    ing_batch *full[BATCHES];
    size_t head, nfull;
    int abort; /* the writer failed: the reader stops */
} queue;

/* Where the reader gets empty batches and sends full ones. */
typedef struct reader_io {
    ing_batch *(*acquire)(void *user);
    ph_status (*deliver)(void *user, ing_batch *b, ph_error *err);
    void *user;
} reader_io;

typedef struct reader {
    const ing_file_job *job;
    ing_source *src;
    ing_checker *checker;
    reader_io io;
} reader;

/* The checker switched to remembering every key: pass it the file's first
 * `count` records again (skipped, so only their keys and firms count). */
static ph_status replay(reader *r, uint64_t count, ph_error *err)
{
    const ing_file_job *job = r->job;
    ing_source *src = NULL;
    ph_status st = ing_source_open(ph_store_ctx(job->store), job->input->path,
                                   job->input->format, job->input->feed, &src, err);
    for (uint64_t i = 0; st == PH_OK && i < count; i++) {
        ing_record rec;
        st = ing_source_next(src, &rec, err);
        if (st == PH_OK)
            st = ing_checker_record(r->checker, &rec, 1, NULL, err);
        else if (st == PH_DONE) /* the file changed under us */
            st = ph_error_set(err, PH_EIO, NULL, NULL,
                              "%s ended early when read again; expected it unchanged while it "
                              "is ingested",
                              job->input->path);
        if (st == PH_OK && ing_checker_replay_needed(r->checker))
            st = ph_error_set(err, PH_EMISUSE, NULL, NULL, "the key set was started twice");
    }
    ing_source_free(src);
    return st;
}

/* Read the whole file into batches. Every path ends by delivering a batch
 * marked last or carrying the error, unless the writer gave up. */
static void read_file(reader *r)
{
    const ing_file_job *job = r->job;
    size_t nkey;
    const int *key = ing_checker_key(r->checker, &nkey);
    uint64_t records = 0;
    ing_batch *b = r->io.acquire(r->io.user);
    while (b != NULL) {
        ing_record rec;
        ph_status st = ing_source_next(r->src, &rec, &b->error);
        if (st == PH_OK) {
            records++;
            int skip = records <= job->skip;
            st = ing_checker_record(r->checker, &rec, skip, b, &b->error);
            if (st == PH_OK && ing_checker_replay_needed(r->checker)) {
                st = replay(r, records - 1, &b->error);
                if (st == PH_OK)
                    st = ing_checker_record(r->checker, &rec, skip, b, &b->error);
            }
            b->records += (uint64_t)!skip;
        }
        if (st == PH_DONE)
            b->last = 1;
        else if (st != PH_OK) {
            b->status = st;
            b->refused = ing_source_refused(r->src);
        }
        if (b->last || b->status != PH_OK ||
            b->row_count + b->reject_count >= job->batch_rows) {
            int done = b->last || b->status != PH_OK;
            b->bytes_end = ing_source_bytes(r->src);
            ing_batch_sort(b, key, nkey);
            if (r->io.deliver(r->io.user, b, NULL) != PH_OK || done)
                return;
            b = r->io.acquire(r->io.user);
        }
    }
}

/* --- the threaded queue ------------------------------------------------------------ */

static ing_batch *queue_acquire(void *user)
{
    queue *q = user;
    pthread_mutex_lock(&q->mu);
    while (q->nfree == 0 && !q->abort)
        pthread_cond_wait(&q->cv, &q->mu);
    ing_batch *b = q->abort ? NULL : q->free_list[--q->nfree];
    pthread_mutex_unlock(&q->mu);
    if (b != NULL)
        ing_batch_clear(b);
    return b;
}

static void queue_release(queue *q, ing_batch *b)
{
    pthread_mutex_lock(&q->mu);
    q->free_list[q->nfree++] = b;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

static ph_status queue_deliver(void *user, ing_batch *b, ph_error *err)
{
    (void)err;
    queue *q = user;
    pthread_mutex_lock(&q->mu);
    int aborted = q->abort;
    if (aborted) {
        q->free_list[q->nfree++] = b;
    } else {
        q->full[(q->head + q->nfull) % BATCHES] = b;
        q->nfull++;
    }
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    return aborted ? PH_EMISUSE : PH_OK;
}

static ing_batch *queue_take(queue *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->nfull == 0)
        pthread_cond_wait(&q->cv, &q->mu);
    ing_batch *b = q->full[q->head];
    q->head = (q->head + 1) % BATCHES;
    q->nfull--;
    pthread_mutex_unlock(&q->mu);
    return b;
}

static void queue_abort(queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->abort = 1;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

static void *reader_main(void *arg)
{
    read_file(arg);
    return NULL;
}

/* Apply one delivered batch; PH_DONE after the last. */
static ph_status write_batch(const ing_file_job *job, ing_writer *w, ing_batch *b,
                             ph_error *err)
{
    if (b->status != PH_OK) {
        if (b->refused)
            *job->refused = 1; /* the caller takes back what the file committed */
        if (err != NULL)
            *err = b->error;
        return b->status;
    }
    ph_status st = ing_writer_apply(w, b, job->counts, job->refused, err);
    if (st != PH_OK)
        return st;
    if (job->progress != NULL)
        job->progress(job->progress_user, job->input->stored_path, job->counts);
    if (job->progress_bytes != NULL)
        job->progress_bytes(job->progress_user, job->bytes_before + b->bytes_end,
                            job->bytes_total);
    return b->last ? PH_DONE : PH_OK;
}

static ph_status run_threaded(reader *r, ing_writer *w, ing_batch **batches, ph_error *err)
{
    queue q;
    memset(&q, 0, sizeof(q));
    pthread_mutex_init(&q.mu, NULL);
    pthread_cond_init(&q.cv, NULL);
    for (size_t i = 0; i < BATCHES; i++)
        q.free_list[q.nfree++] = batches[i];
    r->io = (reader_io){queue_acquire, queue_deliver, &q};
    pthread_t thread;
    ph_status st = PH_OK;
    if (pthread_create(&thread, NULL, reader_main, r) != 0) {
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "cannot start the reader thread");
    } else {
        for (;;) {
            ing_batch *b = queue_take(&q);
            st = write_batch(r->job, w, b, err);
            queue_release(&q, b);
            if (st != PH_OK)
                break;
        }
        if (st != PH_DONE)
            queue_abort(&q);
        pthread_join(thread, NULL);
    }
    pthread_cond_destroy(&q.cv);
    pthread_mutex_destroy(&q.mu);
    return st == PH_DONE ? PH_OK : st;
}

/* --- one thread -------------------------------------------------------------------- */

typedef struct inline_io {
    ing_batch *batch;
    const ing_file_job *job;
    ing_writer *writer;
    ph_status status;
    ph_error *err;
} inline_io;

static ing_batch *inline_acquire(void *user)
{
    inline_io *io = user;
    ing_batch_clear(io->batch);
    return io->batch;
}

static ph_status inline_deliver(void *user, ing_batch *b, ph_error *err)
{
    (void)err;
    inline_io *io = user;
    io->status = write_batch(io->job, io->writer, b, io->err);
    return io->status == PH_OK ? PH_OK : PH_EMISUSE;
}

ph_status ing_pipeline_run(const ing_file_job *job, ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(job->store);
    reader r = {job, NULL, NULL, {NULL, NULL, NULL}};
    ing_writer *w = NULL;
    ing_batch *batches[BATCHES] = {NULL, NULL, NULL};
    r.src = job->source;
    ph_status st = ing_checker_new(ctx, job->input->feed, job->firms, job->expected_rows, &r.checker, err);
    if (st == PH_OK)
        st = ing_writer_new(job->store, job->input->feed, job->file_id, job->input->stored_path,
                            job->run_known_on, &job->limits, &w, err);
    for (size_t i = 0; st == PH_OK && i < BATCHES; i++)
        if ((batches[i] = ing_batch_new(ctx)) == NULL)
            st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for batches");
    if (st == PH_OK) {
        if (job->threads >= 2) {
            st = run_threaded(&r, w, batches, err);
        } else {
            inline_io io = {batches[0], job, w, PH_OK, err};
            r.io = (reader_io){inline_acquire, inline_deliver, &io};
            read_file(&r);
            st = io.status == PH_DONE ? PH_OK : io.status;
        }
    }
    for (size_t i = 0; i < BATCHES; i++)
        ing_batch_free(batches[i]);
    ing_writer_free(w);
    ing_checker_free(r.checker);
    return st;
}
