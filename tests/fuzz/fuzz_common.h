/*
 * What every fuzz target shares: a quiet context per input (so nothing
 * outlives the input and a leak is the input's), and a private temporary
 * directory for the targets that must go through a file.
 */
#ifndef PH_FUZZ_COMMON_H
#define PH_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "puhui/common.h"

static inline void fuzz_quiet(void *user, ph_log_level level, const char *message)
{
    (void)user;
    (void)level;
    (void)message;
}

/* A context that logs nothing (the fuzzer's output stays readable); aborts
 * when one cannot be made, since nothing can be tested then. */
static inline ph_ctx *fuzz_ctx(void)
{
    ph_ctx_options opts = {0};
    opts.log = fuzz_quiet;
    opts.log_level = PH_LOG_OFF;
    ph_ctx *ctx = NULL;
    if (ph_ctx_new(&opts, &ctx, NULL) != PH_OK)
        abort();
    return ctx;
}

/* The input as a NUL-terminated copy (the text APIs want one). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s == NULL)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* One file in a directory of our own under $TMPDIR (or /tmp), made at the
 * first call and removed at exit: the only place a target writes. */
static char fuzz_dir[4096];
static char fuzz_path[4200];

static inline void fuzz_cleanup(void)
{
    unlink(fuzz_path);
    rmdir(fuzz_dir);
}

/* Write the input to the temporary file `name` and return its path. */
static inline const char *fuzz_file(const void *data, size_t size, const char *name)
{
    if (fuzz_dir[0] == '\0') {
        const char *tmp = getenv("TMPDIR");
        snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/puhui-fuzz-XXXXXX",
                 tmp && tmp[0] ? tmp : "/tmp");
        if (mkdtemp(fuzz_dir) == NULL)
            abort();
        snprintf(fuzz_path, sizeof(fuzz_path), "%s/%s", fuzz_dir, name);
        atexit(fuzz_cleanup);
    }
    FILE *f = fopen(fuzz_path, "wb");
    if (f == NULL || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        abort();
    return fuzz_path;
}

#endif
