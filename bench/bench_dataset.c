/*
 * bench_dataset — the modelling dataset's CSV reader alone (the first half
 * of `puhui model score`): MB/s and rows/s of ph_dataset_read_csv on a file,
 * by wall clock and by CPU time (the steadier figure on a shared machine),
 * best of R runs.
 *
 *   bench_dataset FILE.csv [--runs R]
 *
 * Make a file as bench/peer_xgboost.py --e2e does (an id and float32 values
 * written with %.9g), or use any CSV with a header.
 */
#include "bench_util.h"
#include "puhui/puhui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_dataset FILE.csv [--runs R]\n");
        return 2;
    }
    long long runs = 3;
    if (argc == 4 && strcmp(argv[2], "--runs") == 0 &&
        bench_number("bench_dataset", "--runs", argv[3], 1, 100, &runs) != 0)
        return 2;
    struct stat sb;
    if (stat(argv[1], &sb) != 0) {
        perror(argv[1]);
        return 2;
    }
    ph_ctx *ctx;
    ph_error err;
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK)
        return 1;
    double best_wall = 1e30, best_cpu = 1e30;
    size_t rows = 0, columns = 0;
    for (long long r = 0; r < runs; r++) {
        ph_dataset *ds;
        double w0 = bench_now_seconds(), c0 = cpu_seconds();
        if (ph_dataset_read_csv(ctx, argv[1], NULL, &ds, &err) != PH_OK) {
            fprintf(stderr, "bench_dataset: %s\n", err.message);
            ph_ctx_free(ctx);
            return 1;
        }
        double wall = bench_now_seconds() - w0, cpu = cpu_seconds() - c0;
        best_wall = wall < best_wall ? wall : best_wall;
        best_cpu = cpu < best_cpu ? cpu : best_cpu;
        rows = ph_dataset_rows(ds);
        columns = ph_dataset_columns(ds);
        ph_dataset_free(ds);
    }
    double mb = (double)sb.st_size / 1e6;
    printf("dataset read: %s, %.1f MB, %zu rows x %zu columns, best of %lld\n", argv[1], mb,
           rows, columns, runs);
    printf("  wall %.3f s  %.1f MB/s  %.0f rows/s\n", best_wall, mb / best_wall,
           (double)rows / best_wall);
    printf("  cpu  %.3f s  %.1f MB/s  %.0f rows/s\n", best_cpu, mb / best_cpu,
           (double)rows / best_cpu);
    ph_ctx_free(ctx);
    return 0;
}
