/*
 * Scoring rows on several threads (ph_model_predict_threads, model.h).
 *
 * A bound model and its dataset are read-only, and ph_model_predict keeps
 * its scratch per call, so contiguous shares of the rows can be scored at
 * once with no locking. Each row's value depends only on that row, so the
 * output is the single-threaded output whatever the split.
 */
#include <pthread.h>

#include "puhui/model.h"

enum { MIN_ROWS_PER_THREAD = 1024 };

/* A share keeps no ph_error (about 2 KB each, 32 of them on the caller's
 * stack): a share that fails is scored again on the calling thread for the
 * message, which the same rows always give again. */
typedef struct share {
    const ph_model_input *in;
    size_t first, count;
    double *pd, *points;
    ph_status status;
} share;

static void *score_share(void *arg)
{
    share *s = arg;
    s->status = ph_model_predict(s->in, s->first, s->count, s->pd, s->points, NULL);
    return NULL;
}

ph_status ph_model_predict_threads(const ph_model_input *in, size_t first, size_t count,
                                   int threads, double *pd, double *points, ph_error *err)
{
    if (threads < 0 || threads > PH_MODEL_MAX_THREADS)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_model_predict_threads: threads must be 0 to %d",
                            PH_MODEL_MAX_THREADS);
    size_t n = (size_t)(threads ? threads : 1);
    if (count / MIN_ROWS_PER_THREAD < n)
        n = count / MIN_ROWS_PER_THREAD ? count / MIN_ROWS_PER_THREAD : 1;
    if (n == 1)
        return ph_model_predict(in, first, count, pd, points, err);
    if (!in || !pd)
        return ph_model_predict(in, first, count, pd, points, err); /* its misuse error */
    share shares[PH_MODEL_MAX_THREADS];
    pthread_t tid[PH_MODEL_MAX_THREADS];
    int started[PH_MODEL_MAX_THREADS] = {0};
    size_t per = (count + n - 1) / n;
    for (size_t t = 0; t < n; t++) {
        size_t a = per * t < count ? per * t : count;
        size_t b = a + per < count ? a + per : count;
        shares[t] = (share){.in = in, .first = first + a, .count = b - a, .pd = pd + a,
                            .points = points ? points + a : NULL};
        if (t > 0)
            started[t] = pthread_create(&tid[t], NULL, score_share, &shares[t]) == 0;
    }
    score_share(&shares[0]);
    for (size_t t = 1; t < n; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            score_share(&shares[t]); /* no thread: its share is scored here */
    }
    for (size_t t = 0; t < n; t++) {
        if (shares[t].status != PH_OK) {
            const share *s = &shares[t];
            ph_status again = ph_model_predict(s->in, s->first, s->count, s->pd, s->points, err);
            if (again != PH_OK)
                return again;
            /* Passed the second time: memory was short on the worker only. */
            return ph_error_set(err, s->status, NULL, NULL,
                                "%s scoring rows %zu to %zu on a worker thread",
                                s->status == PH_ENOMEM ? "out of memory" : "failed",
                                s->first, s->first + s->count - 1);
        }
    }
    return PH_OK;
}
