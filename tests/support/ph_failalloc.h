/*
 * The failing allocator: a ph_allocator that counts every allocation, the
 * bytes in use and their peak, and fails the Nth allocation on request;
 * and the sweep that fails each allocation of an entry point in turn,
 * proving that out of memory is reported cleanly (PH_ENOMEM, "out of
 * memory" in the message) and leaks nothing the context allocated. Run under
 * ASan (detect_leaks=1) it also catches leaks outside the context (SQLite,
 * jansson, libc).
 *
 * Thread-safe: the library's batch and ingest allocate from worker threads.
 */
#ifndef PH_FAILALLOC_H
#define PH_FAILALLOC_H

#include <pthread.h>

#include "ph_test.h"

typedef struct ph_failalloc {
    size_t calls;   /* malloc and realloc calls so far */
    size_t fail_at; /* the call (1-based, counted in calls) that fails; 0: none */
    size_t failed;  /* calls that failed */
    size_t live;    /* bytes in use */
    size_t peak;    /* most bytes in use at once */
    size_t blocks;  /* blocks in use */
    pthread_mutex_t lock;
} ph_failalloc;

/* Zero the counters; nothing fails. */
void ph_failalloc_init(ph_failalloc *fa);

/* The allocator over `fa` (which must outlive every context using it). */
ph_allocator ph_failalloc_allocator(ph_failalloc *fa);

/* A context allocating through `fa`: `base`'s options (NULL: defaults, logs
 * off) with the allocator replaced. Free with ph_ctx_free. */
ph_ctx *ph_failalloc_ctx(ph_failalloc *fa, const ph_ctx_options *base);

/* Runs at each failed allocation: `break ph_failalloc_failing` in a
 * debugger shows who asked. */
void ph_failalloc_failing(size_t call);

/* From now on, the `n`th allocation fails (n >= 1); 0: none. */
void ph_failalloc_fail_in(ph_failalloc *fa, size_t n);

/* One entry point under the sweep. `before` runs with allocation working
 * (open a store, load what the call needs) and returns its state in *state;
 * `call` is the entry point, with the failure armed; `after` frees what
 * `before` made and what a successful `call` returned. `before` and `after`
 * may be NULL. */
typedef struct ph_failalloc_case {
    const char *name;
    void *user;
    void (*before)(void *user, const ph_ctx *ctx, void **state);
    ph_status (*call)(void *user, void *state, ph_error *err);
    void (*after)(void *user, void *state);
    /* 1: the call may recover from a failed allocation and succeed (it has
     * a fallback, e.g. ingest's batch sort, only an optimisation); 0: a
     * success over a failed allocation is a swallowed error */
    int may_recover;
} ph_failalloc_case;

/*
 * For n = 1, 2, ...: a fresh context on a fresh ph_failalloc, `before`, then
 * `call` with its nth allocation failing, then `after` and ph_ctx_free. Each
 * run must fail with PH_ENOMEM and "out of memory" in the message, or
 * succeed having failed no allocation (the sweep then ends: every allocation
 * of the call has failed once; with may_recover, a success over a failed
 * allocation goes on to the next n); after each run no byte of the context's
 * allocator is still in use. A call that fails for another reason, reports
 * success over a failed allocation, or leaks fails the test (cmocka), naming
 * the case and n. `max` bounds n. Returns the allocations of the successful
 * call (the runs that failed). PH_FAILALLOC_FROM=N in the environment starts
 * at n = N, to debug one run (with `break ph_failalloc_failing`).
 */
size_t ph_failalloc_sweep(const ph_failalloc_case *c, const ph_ctx_options *base, size_t max);

#endif
