/* The failing allocator and the out-of-memory sweep; see ph_failalloc.h. */
#include "ph_failalloc.h"

#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each block carries its size in front, aligned for any type. */
#define HEADER (alignof(max_align_t) > sizeof(size_t) ? alignof(max_align_t) : sizeof(size_t))

void ph_failalloc_init(ph_failalloc *fa)
{
    memset(fa, 0, sizeof(*fa));
    pthread_mutex_init(&fa->lock, NULL);
}

/* Called at each failed allocation: a place for a debugger's breakpoint
 * (`break ph_failalloc_failing`) to see who asked. */
__attribute__((noinline)) void ph_failalloc_failing(size_t call)
{
    __asm__ volatile("" ::"r"(call) : "memory");
}

/* Count a call; 1 when it is the one that fails. */
static int next_fails(ph_failalloc *fa)
{
    int fails = ++fa->calls == fa->fail_at;
    fa->failed += (size_t)fails;
    if (fails)
        ph_failalloc_failing(fa->calls);
    return fails;
}

static void account(ph_failalloc *fa, size_t more, size_t less, int blocks)
{
    fa->live = fa->live + more - less;
    fa->blocks = (size_t)((long)fa->blocks + blocks);
    if (fa->live > fa->peak)
        fa->peak = fa->live;
}

static void *fa_malloc(void *user, size_t size)
{
    ph_failalloc *fa = user;
    pthread_mutex_lock(&fa->lock);
    unsigned char *p = next_fails(fa) ? NULL : malloc(size + HEADER);
    if (p != NULL) {
        memcpy(p, &size, sizeof(size));
        account(fa, size, 0, 1);
    }
    pthread_mutex_unlock(&fa->lock);
    return p ? p + HEADER : NULL;
}

static void *fa_realloc(void *user, void *ptr, size_t size)
{
    if (ptr == NULL)
        return fa_malloc(user, size);
    ph_failalloc *fa = user;
    unsigned char *old = (unsigned char *)ptr - HEADER;
    size_t was;
    memcpy(&was, old, sizeof(was));
    pthread_mutex_lock(&fa->lock);
    unsigned char *p = next_fails(fa) ? NULL : realloc(old, size + HEADER);
    if (p != NULL) {
        memcpy(p, &size, sizeof(size));
        account(fa, size, was, 0);
    }
    pthread_mutex_unlock(&fa->lock);
    return p ? p + HEADER : NULL;
}

static void fa_free(void *user, void *ptr)
{
    if (ptr == NULL)
        return;
    ph_failalloc *fa = user;
    unsigned char *p = (unsigned char *)ptr - HEADER;
    size_t was;
    memcpy(&was, p, sizeof(was));
    pthread_mutex_lock(&fa->lock);
    account(fa, 0, was, -1);
    pthread_mutex_unlock(&fa->lock);
    free(p);
}

ph_allocator ph_failalloc_allocator(ph_failalloc *fa)
{
    ph_allocator a = {fa_malloc, fa_realloc, fa_free, fa};
    return a;
}

ph_ctx *ph_failalloc_ctx(ph_failalloc *fa, const ph_ctx_options *base)
{
    ph_ctx_options o = {0};
    o.log_level = PH_LOG_OFF;
    if (base != NULL)
        o = *base;
    ph_allocator a = ph_failalloc_allocator(fa); /* ph_ctx_new copies it */
    o.allocator = &a;
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_assert_ok(ph_ctx_new(&o, &ctx, &err), &err);
    return ctx;
}

void ph_failalloc_fail_in(ph_failalloc *fa, size_t n)
{
    pthread_mutex_lock(&fa->lock);
    fa->fail_at = n ? fa->calls + n : 0;
    pthread_mutex_unlock(&fa->lock);
}

size_t ph_failalloc_sweep(const ph_failalloc_case *c, const ph_ctx_options *base, size_t max)
{
    /* PH_FAILALLOC_FROM=N starts at the Nth allocation: to debug one run */
    const char *from = getenv("PH_FAILALLOC_FROM");
    for (size_t n = from ? strtoul(from, NULL, 10) : 1; n <= max; n++) {
        ph_failalloc fa;
        ph_failalloc_init(&fa);
        ph_ctx *ctx = ph_failalloc_ctx(&fa, base);
        void *state = NULL;
        if (c->before != NULL)
            c->before(c->user, ctx, &state);
        size_t calls_before = fa.calls;
        ph_failalloc_fail_in(&fa, n);
        ph_error err;
        memset(&err, 0, sizeof(err));
        ph_status st = c->call(c->user, state, &err);
        ph_failalloc_fail_in(&fa, 0);
        size_t made = fa.calls - calls_before;
        if (c->after != NULL)
            c->after(c->user, state);
        ph_ctx_free(ctx);
        int recovered = st == PH_OK && fa.failed > 0;
        if (recovered && !c->may_recover)
            fail_msg("%s: allocation %zu failed but the call reported success", c->name, n);
        if (st != PH_OK && (st != PH_ENOMEM || strstr(err.message, "out of memory") == NULL))
            fail_msg("%s: allocation %zu failed: expected PH_ENOMEM (\"out of memory\"), got "
                     "%s: %s",
                     c->name, n, ph_status_name(st), err.message);
        if (fa.live != 0 || fa.blocks != 0)
            fail_msg("%s: allocation %zu failed: %zu bytes in %zu blocks never freed", c->name,
                     n, fa.live, fa.blocks);
        pthread_mutex_destroy(&fa.lock);
        if (st == PH_OK && !recovered)
            return made;
    }
    fail_msg("%s: still failing after %zu allocations", c->name, max);
    return 0;
}
