/*
 * Helpers shared by the benchmark programs (bench/bench_*.c): a monotonic
 * clock and the process's CPU time, whole-number options, where scratch
 * files go, removing a scratch tree and peak memory.
 * Include it first: it asks for nftw, which needs _XOPEN_SOURCE before any
 * system header.
 */
#ifndef PUHUI_BENCH_UTIL_H
#define PUHUI_BENCH_UTIL_H

#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* nftw */
#endif

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Seconds on the monotonic clock, for differences only. */
static inline double bench_now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) used by the process so far, for differences
 * only: unlike the wall clock, a shared machine does not inflate it. */
static inline double bench_cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A point in time on both clocks. */
typedef struct bench_clock {
    double wall, cpu;
} bench_clock;

static inline bench_clock bench_clock_now(void)
{
    bench_clock c = {bench_now_seconds(), bench_cpu_seconds()};
    return c;
}

/* Parse OPTION's whole number in [min, max] into *out; on a bad one print
 * "PROGRAM: OPTION takes a whole number from MIN to MAX, got 'TEXT'" and
 * return -1. */
static inline int bench_number(const char *program, const char *option, const char *text,
                               long long min, long long max, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (*text == '\0' || *end != '\0' || errno != 0 || v < min || v > max) {
        fprintf(stderr, "%s: %s takes a whole number from %lld to %lld, got '%s'\n", program,
                option, min, max, text);
        return -1;
    }
    *out = v;
    return 0;
}

static inline int bench_remove_entry(const char *path, const struct stat *sb, int flag,
                                     struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Where scratch files go: $TMPDIR, or /tmp when it is unset or empty. */
static inline const char *bench_tmp_base(void)
{
    const char *tmp = getenv("TMPDIR");
    return tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp";
}

/* The scratch directory of benchmark `name`: `keep` when given, else
 * TMPBASE/NAME-PID (the caller removes it when it did not keep it). */
static inline void bench_scratch_dir(const char *name, const char *keep, char *buf, size_t size)
{
    if (keep != NULL)
        snprintf(buf, size, "%s", keep);
    else
        snprintf(buf, size, "%s/%s-%ld", bench_tmp_base(), name, (long)getpid());
}

/* Remove the scratch tree `dir` (files first, never following links). */
static inline void bench_rmtree(const char *dir)
{
    nftw(dir, bench_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The process's peak resident memory so far, in MB. */
static inline long bench_peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

#endif
