/*
 * The context: allocator and logger. Immutable after ph_ctx_new, so one
 * context can serve many threads; nothing here writes to shared state.
 */
#include "puhui/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct ph_ctx {
    ph_allocator allocator;
    ph_log_fn log;
    void *log_user;
    ph_log_level log_level;
    ph_clock_fn now;
    void *now_user;
};

static void *default_malloc(void *user, size_t size)
{
    (void)user;
    return malloc(size);
}

static void *default_realloc(void *user, void *ptr, size_t size)
{
    (void)user;
    return realloc(ptr, size);
}

static void default_free(void *user, void *ptr)
{
    (void)user;
    free(ptr);
}

static const char *level_name(ph_log_level level)
{
    switch (level) {
    case PH_LOG_DEBUG: return "debug";
    case PH_LOG_INFO: return "info";
    case PH_LOG_WARN: return "warning";
    case PH_LOG_ERROR: return "error";
    case PH_LOG_OFF: break;
    }
    return "log";
}

static void default_log(void *user, ph_log_level level, const char *message)
{
    (void)user;
    fprintf(stderr, "puhui: %s: %s\n", level_name(level), message);
}

ph_status ph_ctx_new(const ph_ctx_options *options, ph_ctx **out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_ctx_new: out is NULL");
    ph_allocator allocator = {default_malloc, default_realloc, default_free, NULL};
    if (options != NULL && options->allocator != NULL) {
        const ph_allocator *a = options->allocator;
        if (a->malloc_fn == NULL || a->realloc_fn == NULL || a->free_fn == NULL)
            return ph_error_set(err, PH_EMISUSE, "allocator", NULL,
                                "expected malloc_fn, realloc_fn and free_fn all set");
        allocator = *a;
    }
    ph_log_level level = options ? options->log_level : PH_LOG_WARN;
    if (level < PH_LOG_DEBUG || level > PH_LOG_OFF)
        return ph_error_set(err, PH_EINVAL, "log_level", NULL,
                            "expected a level from PH_LOG_DEBUG to PH_LOG_OFF, got %d",
                            (int)level);
    ph_ctx *ctx = allocator.malloc_fn(allocator.user, sizeof(*ctx));
    if (ctx == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory creating the context");
    ctx->allocator = allocator;
    ctx->log = (options && options->log) ? options->log : default_log;
    ctx->log_user = options ? options->log_user : NULL;
    ctx->log_level = level;
    ctx->now = options ? options->now : NULL;
    ctx->now_user = options ? options->now_user : NULL;
    *out = ctx;
    return PH_OK;
}

void ph_ctx_free(ph_ctx *ctx)
{
    if (ctx == NULL)
        return;
    ph_allocator a = ctx->allocator;
    a.free_fn(a.user, ctx);
}

void *ph_malloc(const ph_ctx *ctx, size_t size)
{
    if (size == 0)
        return NULL;
    return ctx->allocator.malloc_fn(ctx->allocator.user, size);
}

void *ph_calloc(const ph_ctx *ctx, size_t count, size_t size)
{
    if (count == 0 || size == 0)
        return NULL;
    if (count > SIZE_MAX / size)
        return NULL;
    void *p = ph_malloc(ctx, count * size);
    if (p != NULL)
        memset(p, 0, count * size);
    return p;
}

void *ph_realloc(const ph_ctx *ctx, void *ptr, size_t size)
{
    if (size == 0) {
        ph_free(ctx, ptr);
        return NULL;
    }
    return ctx->allocator.realloc_fn(ctx->allocator.user, ptr, size);
}

void ph_free(const ph_ctx *ctx, void *ptr)
{
    if (ptr != NULL)
        ctx->allocator.free_fn(ctx->allocator.user, ptr);
}

char *ph_strdup(const ph_ctx *ctx, const char *s)
{
    size_t len = strlen(s) + 1;
    char *copy = ph_malloc(ctx, len);
    if (copy != NULL)
        memcpy(copy, s, len);
    return copy;
}

int64_t ph_ctx_now(const ph_ctx *ctx)
{
    if (ctx != NULL && ctx->now != NULL)
        return ctx->now(ctx->now_user);
    time_t now = time(NULL);
    return now == (time_t)-1 ? -1 : (int64_t)now;
}

int ph_log_enabled(const ph_ctx *ctx, ph_log_level level)
{
    return ctx != NULL && level >= ctx->log_level && level < PH_LOG_OFF;
}

void ph_log(const ph_ctx *ctx, ph_log_level level, const char *fmt, ...)
{
    if (!ph_log_enabled(ctx, level))
        return;
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    ctx->log(ctx->log_user, level, message);
}

const char *ph_version(void)
{
    return PH_VERSION_STRING;
}
