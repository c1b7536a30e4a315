/*
 * bench_gen — how fast `puhui gen` writes a province.
 *
 *   bench_gen [--enterprises N] [--months M] [--runs R] [--threads T] [--keep DIR]
 *
 * Runs ph_gen_run for N enterprises (default 100,000) over M months (default
 * 24, from 2024-01, seed 1, baseline, clean) --runs times (default 1) with T
 * worker threads (default 0: one per online core, at most 8), and reports the
 * best run: wall time, CPU time (user + system, every thread of the process;
 * the figure to compare on a shared machine, where wall time depends on the
 * neighbours), enterprises per wall second and per CPU second, rows written,
 * rows per second, MB written and MB/s (MB = 10^6 bytes; the times include
 * syncing the files), then the process's peak resident memory. The province goes to a fresh directory under $TMPDIR
 * (or /tmp) that is removed afterwards, or with --keep to DIR, which must be
 * empty or absent, and is left in place.
 *
 * `make bench` runs the defaults: about 1.7 GB in 10-15 s on a 2-core machine.
 * The full-size province, 1,000,000 enterprises x 24 months, writes ten
 * times as much (about 17 GB, so mind the free space of $TMPDIR, or --keep
 * it on a larger disk):
 *
 *   build/bench_gen --enterprises 1000000
 *
 * This is a measurement, so it always exits 0 when it could run.
 */
#include "bench_util.h"
#include "puhui/puhui.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* A whole number in [min, max], or -1 with a message. */
static int parse_number(const char *option, const char *text, uint64_t min, uint64_t max,
                        uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (text[0] < '0' || text[0] > '9' || *end != '\0' || errno != 0 || v < min || v > max) {
        fprintf(stderr, "bench_gen: %s takes a whole number from %" PRIu64 " to %" PRIu64
                        ", got '%s'\n",
                option, min, max, text);
        return -1;
    }
    *out = v;
    return 0;
}

/* Remove what a run leaves in dir: the files of its three areas, the areas,
 * the manifest and dir itself. Anything else makes the last rmdir fail, and
 * we say so rather than remove more. */
static void remove_province(const char *dir)
{
    static const char *const areas[] = {"feeds", "reference", "truth"};
    char path[4096];
    for (size_t i = 0; i < sizeof(areas) / sizeof(areas[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, areas[i]);
        DIR *d = opendir(path);
        if (d == NULL)
            continue;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char file[4096 + 256];
            snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
            remove(file);
        }
        closedir(d);
        rmdir(path);
    }
    snprintf(path, sizeof(path), "%s/manifest.json", dir);
    remove(path);
    if (rmdir(dir) != 0)
        fprintf(stderr, "bench_gen: cannot remove %s: %s\n", dir, strerror(errno));
}

typedef struct run_result {
    double seconds, cpu_seconds, user_seconds, sys_seconds;
    uint64_t rows, bytes;
} run_result;

static double timeval_seconds(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static int run_once(const ph_ctx *ctx, const ph_gen_options *opts, ph_gen_summary *summary,
                    run_result *out)
{
    ph_error err;
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    double start = bench_now_seconds();
    ph_status st = ph_gen_run(ctx, opts, summary, &err);
    double seconds = bench_now_seconds() - start;
    getrusage(RUSAGE_SELF, &after);
    if (st != PH_OK) {
        fprintf(stderr, "bench_gen: %s\n", err.message);
        return -1;
    }
    out->seconds = seconds;
    out->user_seconds = timeval_seconds(after.ru_utime) - timeval_seconds(before.ru_utime);
    out->sys_seconds = timeval_seconds(after.ru_stime) - timeval_seconds(before.ru_stime);
    out->cpu_seconds = out->user_seconds + out->sys_seconds;
    out->rows = summary->total_rows;
    out->bytes = summary->total_bytes;
    return 0;
}

static const char usage[] =
    "usage: bench_gen [--enterprises N] [--months M] [--runs R] [--threads T] [--keep DIR]\n";

int main(int argc, char **argv)
{
    uint64_t enterprises = 100000, months = 24, runs = 1, threads = 0;
    const char *keep = NULL;
    for (int i = 1; i < argc; i += 2) { /* each option and its value */
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = value == NULL;
        if (!bad && strcmp(argv[i], "--enterprises") == 0)
            bad = parse_number(argv[i], value, 1, PH_GEN_MAX_ENTERPRISES, &enterprises);
        else if (!bad && strcmp(argv[i], "--months") == 0)
            bad = parse_number(argv[i], value, 1, PH_GEN_MAX_MONTHS, &months);
        else if (!bad && strcmp(argv[i], "--runs") == 0)
            bad = parse_number(argv[i], value, 1, 100, &runs);
        else if (!bad && strcmp(argv[i], "--threads") == 0)
            bad = parse_number(argv[i], value, 0, 64, &threads);
        else if (!bad && strcmp(argv[i], "--keep") == 0)
            keep = value;
        else
            bad = 1;
        if (bad) {
            fputs(usage, stderr);
            return 2;
        }
    }

    char tmp_dir[512];
    const char *dir = keep;
    if (dir == NULL) {
        snprintf(tmp_dir, sizeof(tmp_dir), "%s/puhui-bench-gen-XXXXXX", bench_tmp_base());
        if (mkdtemp(tmp_dir) == NULL) {
            fprintf(stderr, "bench_gen: cannot create %s: %s\n", tmp_dir, strerror(errno));
            return 1;
        }
        dir = tmp_dir;
    }

    ph_ctx *ctx;
    ph_error err;
    ph_gen_summary *summary = malloc(sizeof(*summary));
    if (summary == NULL || ph_ctx_new(NULL, &ctx, &err) != PH_OK) {
        fprintf(stderr, "bench_gen: %s\n", summary == NULL ? "out of memory" : err.message);
        free(summary);
        if (keep == NULL)
            remove_province(dir);
        return 1;
    }
    ph_gen_options opts;
    ph_gen_options_init(&opts);
    opts.enterprises = enterprises;
    opts.months = (int)months;
    opts.threads = (int)threads;
    opts.out_dir = dir;
    char threads_text[24] = "auto";
    if (threads > 0)
        snprintf(threads_text, sizeof(threads_text), "%" PRIu64, threads);
    printf("generating %" PRIu64 " enterprises x %" PRIu64 " months (threads %s) into %s\n",
           enterprises, months, threads_text, dir);
    fflush(stdout);

    int failed = 0;
    run_result best = {0, 0, 0, 0, 0, 0};
    for (uint64_t i = 0; i < runs && !failed; i++) {
        run_result res;
        opts.force = i > 0; /* later runs replace the first one's files */
        failed = run_once(ctx, &opts, summary, &res) != 0;
        if (!failed && (i == 0 || res.seconds < best.seconds))
            best = res;
    }
    if (!failed) {
        struct rusage usage_now;
        getrusage(RUSAGE_SELF, &usage_now);
        printf("gen: %.2f s wall, %.2f CPU-s (%.2f user + %.2f sys, %.2f cores busy), best of %" PRIu64
               "\n",
               best.seconds, best.cpu_seconds, best.user_seconds, best.sys_seconds,
               best.cpu_seconds / best.seconds, runs);
        printf("gen: %.0f enterprises/s wall, %.0f enterprises/CPU-s\n",
               (double)enterprises / best.seconds, (double)enterprises / best.cpu_seconds);
        printf("gen: %" PRIu64 " rows (%.2f M rows/s), %.1f MB (%.1f MB/s)\n", best.rows,
               (double)best.rows / best.seconds / 1e6, (double)best.bytes / 1e6,
               (double)best.bytes / best.seconds / 1e6);
        printf("peak RSS: %.1f MB\n", (double)usage_now.ru_maxrss * 1024.0 / 1e6);
    }
    ph_ctx_free(ctx);
    free(summary);
    if (keep == NULL)
        remove_province(dir);
    return failed ? 1 : 0;
}
