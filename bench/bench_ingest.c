/*
 * bench_ingest — how fast `puhui ingest` loads a province, end to end.
 *
 *   bench_ingest [--enterprises N] [--months M] [--threads 1|2] [--batch-rows B] [--keep DIR]
 *
 * Generates a clean province with ph_gen_run (default 20,000 enterprises x
 * 24 months, about 7 million rows, 300 MB of feeds), then ingests its
 * directory into a fresh database (checksums verified, every field
 * checked, rows committed: CSV file to committed SQLite rows) and prints
 * rows, seconds and rows/s; then ingests it again (every row unchanged) and
 * prints the same for that pass, each followed by the time of a full WAL
 * checkpoint (copying the log into the database, which SQLite otherwise
 * does later). Generation is not timed. The province and
 * the database go to a fresh directory under $TMPDIR (or /tmp), removed
 * afterwards, or with --keep to DIR (left in place).
 *
 * The peer, in the same run: SQLite's own shell (`/usr/bin/sqlite3`, or
 * $BENCH_SQLITE3) `.import`s the same CSV files (feeds and reference) into
 * plain tables of a fresh database, in WAL mode with synchronous=NORMAL as
 * puhui's store runs, checking nothing. Each side is reported with wall
 * seconds, CPU seconds (user+sys) and peak resident memory, and the
 * first load's throughput as a ratio of the peer's (above 1: faster).
 * The province is generated in a child process and the peer runs before
 * the ingest, so the peak memory printed for each is its own. --no-peer
 * skips the peer.
 *
 * This is a measurement, so it always exits 0 when it could run.
 */
#define _DEFAULT_SOURCE /* wait4 */
#include "bench_util.h"
#include "puhui/puhui.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What one side of the comparison cost. */
typedef struct cost {
    unsigned long long rows;
    double wall, cpu;
    long peak_mb;
} cost;

static double cpu_seconds(const struct rusage *ru)
{
    return (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec / 1e6 +
           (double)ru->ru_stime.tv_sec + (double)ru->ru_stime.tv_usec / 1e6;
}

static double self_cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return cpu_seconds(&ru);
}

/* One pass: ingest `dir` into the store; prints and returns rows/s. */
static int pass(ph_store *store, const char *dir, const char *label, int threads, size_t batch,
                cost *out)
{
    ph_ingest_options opts;
    ph_ingest_options_init(&opts);
    opts.known_on = "2026-01-31";
    opts.threads = threads;
    opts.batch_rows = batch;
    ph_ingest *ing = NULL;
    ph_error err;
    double t0 = bench_now_seconds(), cpu0 = self_cpu_seconds();
    ph_status st = ph_ingest_new(store, &opts, &ing, &err);
    if (st == PH_OK)
        st = ph_ingest_paths(ing, (const char *const[]){dir}, 1, &err);
    double seconds = bench_now_seconds() - t0, cpu = self_cpu_seconds() - cpu0;
    if (st != PH_OK) {
        fprintf(stderr, "bench_ingest: %s\n", err.message);
        ph_ingest_free(ing);
        return -1;
    }
    ph_ingest_counts total = {0, 0, 0, 0, 0};
    for (size_t i = 0; i < ph_ingest_result_count(ing); i++) {
        const ph_ingest_counts *c = &ph_ingest_result_at(ing, i)->counts;
        total.rows += c->rows;
        total.accepted += c->accepted;
        total.unchanged += c->unchanged;
        total.rejected += c->rejected;
    }
    ph_ingest_free(ing);
    printf("%-9s %10llu rows %8.2f s %10.0f rows/s, %.2f CPU s %10.0f rows/CPU-s, peak %ld MB  "
           "(accepted %llu, unchanged %llu, rejected %llu)\n",
           label, (unsigned long long)total.rows, seconds, (double)total.rows / seconds, cpu,
           (double)total.rows / cpu, bench_peak_rss_mb(), (unsigned long long)total.accepted,
           (unsigned long long)total.unchanged, (unsigned long long)total.rejected);
    if (out != NULL)
        *out = (cost){total.rows, seconds, cpu, bench_peak_rss_mb()};
    /* The rows are committed (in the write-ahead log); copying the log back
     * into the database is SQLite's housekeeping, shown apart. */
    t0 = bench_now_seconds();
    st = ph_store_exec(store, "PRAGMA wal_checkpoint(TRUNCATE)", &err);
    double checkpoint = bench_now_seconds() - t0;
    if (st != PH_OK) {
        fprintf(stderr, "bench_ingest: %s\n", err.message);
        return -1;
    }
    printf("%-9s then a full WAL checkpoint: %.2f s (%.0f rows/s including it)\n", "",
           checkpoint, (double)total.rows / (seconds + checkpoint));
    return 0;
}

/* Append a `.import` of every CSV file in dir/sub to the script, naming
 * each table after its file; *sum collects the count of each table. */
static void add_imports(FILE *script, const char *dir, const char *sub, char *sum, size_t size)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, sub);
    DIR *d = opendir(path);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".csv") != 0)
            continue;
        fprintf(script, ".import --csv '%s/%s' \"%s_%.*s\"\n", path, e->d_name, sub,
                (int)(n - 4), e->d_name);
        size_t used = strlen(sum);
        snprintf(sum + used, size - used, "%s(SELECT count(*) FROM \"%s_%.*s\")",
                 used ? " + " : "", sub, (int)(n - 4), e->d_name);
    }
    closedir(d);
}

/* The peer: sqlite3's `.import` of the province's CSV files into a fresh
 * database `db`, as a child process measured by wait4. */
static int peer_import(const char *dir, const char *province, const char *db, cost *out)
{
    const char *shell = getenv("BENCH_SQLITE3");
    if (shell == NULL || shell[0] == '\0')
        shell = "/usr/bin/sqlite3";
    char script_path[1024], result_path[1024], sum[16384] = "";
    snprintf(script_path, sizeof(script_path), "%s/peer.sql", dir);
    snprintf(result_path, sizeof(result_path), "%s/peer.out", dir);
    FILE *script = fopen(script_path, "w");
    if (script == NULL) {
        fprintf(stderr, "bench_ingest: cannot write %s: %s\n", script_path, strerror(errno));
        return -1;
    }
    fputs("PRAGMA journal_mode = WAL;\nPRAGMA synchronous = NORMAL;\n", script);
    add_imports(script, province, "reference", sum, sizeof(sum));
    add_imports(script, province, "feeds", sum, sizeof(sum));
    fprintf(script, "SELECT 'rows', %s;\n", sum[0] ? sum : "0");
    fclose(script);
    double t0 = bench_now_seconds();
    pid_t pid = fork();
    if (pid == 0) {
        int in = open(script_path, O_RDONLY), res = open(result_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || res < 0 || dup2(in, 0) < 0 || dup2(res, 1) < 0)
            _exit(127);
        execl(shell, shell, "-batch", "-bail", db, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench_ingest: the peer %s failed (status %d)\n", shell, status);
        return -1;
    }
    double wall = bench_now_seconds() - t0;
    unsigned long long rows = 0;
    FILE *res = fopen(result_path, "r");
    char line[256];
    while (res != NULL && fgets(line, sizeof(line), res) != NULL)
        if (strncmp(line, "rows|", 5) == 0)
            rows = strtoull(line + 5, NULL, 10);
    if (res != NULL)
        fclose(res);
    *out = (cost){rows, wall, cpu_seconds(&ru), ru.ru_maxrss / 1024};
    printf("%-9s %10llu rows %8.2f s %10.0f rows/s, %.2f CPU s %10.0f rows/CPU-s, peak %ld MB  "
           "(sqlite3 .import into plain tables, nothing checked)\n",
           "peer", rows, wall, (double)rows / wall, out->cpu, (double)rows / out->cpu,
           out->peak_mb);
    return 0;
}

/* Generate the province in a child, so that its memory is not counted as
 * the ingest's. */
static int generate(const ph_gen_options *gen)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        ph_ctx *ctx = NULL;
        ph_error err;
        int code = 0;
        if (ph_ctx_new(NULL, &ctx, &err) != PH_OK || ph_gen_run(ctx, gen, NULL, &err) != PH_OK) {
            fprintf(stderr, "bench_ingest: %s\n", err.message);
            code = 1;
        }
        ph_ctx_free(ctx);
        _exit(code);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    long long enterprises = 20000, months = 24, threads = 2, batch = 0;
    const char *keep = NULL;
    int with_peer = 1;
    for (int i = 1; i < argc; i += 2) { /* each option and its value */
        const char *v = i + 1 < argc ? argv[i + 1] : "";
        int bad = 0;
        if (strcmp(argv[i], "--no-peer") == 0) {
            with_peer = 0;
            i--; /* no value */
        } else if (strcmp(argv[i], "--enterprises") == 0)
            bad = bench_number("bench_ingest", argv[i], v, 1, 20000000, &enterprises);
        else if (strcmp(argv[i], "--months") == 0)
            bad = bench_number("bench_ingest", argv[i], v, 1, 120, &months);
        else if (strcmp(argv[i], "--threads") == 0)
            bad = bench_number("bench_ingest", argv[i], v, 1, 2, &threads);
        else if (strcmp(argv[i], "--batch-rows") == 0)
            bad = bench_number("bench_ingest", argv[i], v, 1, 100000000, &batch);
        else if (strcmp(argv[i], "--keep") == 0)
            keep = v;
        else {
            fprintf(stderr, "usage: bench_ingest [--enterprises N] [--months M] [--threads 1|2] "
                            "[--batch-rows B] [--keep DIR] [--no-peer]\n");
            return 2;
        }
        if (bad)
            return 2;
    }
    char dir[512];
    bench_scratch_dir("bench_ingest", keep, dir, sizeof(dir));
    char province[600], db[600], peer_db[600];
    snprintf(province, sizeof(province), "%s/province", dir);
    snprintf(db, sizeof(db), "%s/hub.db", dir);
    snprintf(peer_db, sizeof(peer_db), "%s/peer.db", dir);
    mkdir(dir, 0700);
    /* fresh databases on every run, also with --keep */
    const char *suffixes[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char path[700];
        snprintf(path, sizeof(path), "%s%s", db, suffixes[i]);
        remove(path);
        snprintf(path, sizeof(path), "%s%s", peer_db, suffixes[i]);
        remove(path);
    }

    ph_gen_options gen;
    ph_gen_options_init(&gen);
    gen.enterprises = (uint64_t)enterprises;
    gen.months = (int)months;
    gen.out_dir = province;
    gen.force = 1;
    if (generate(&gen) != 0) {
        fprintf(stderr, "bench_ingest: generating the province failed\n");
        if (keep == NULL)
            bench_rmtree(dir);
        return 1;
    }
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_store *store = NULL;
    int code = 0;
    cost first = {0, 0, 0, 0}, peer = {0, 0, 0, 0};
    printf("bench_ingest: %lld enterprises x %lld months, %lld thread(s)\n", enterprises, months,
           threads);
    fflush(stdout);
    /* the peer first: a child forked later would count this process's
     * memory as its own peak */
    int peer_ok = with_peer && peer_import(dir, province, peer_db, &peer) == 0;
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK ||
        ph_store_open(ctx, db, NULL, &store, &err) != PH_OK ||
        ph_schema_migrate(store, -1, NULL, &err) != PH_OK) {
        fprintf(stderr, "bench_ingest: %s\n", err.message);
        code = 1;
    } else {
        if (pass(store, province, "first", (int)threads, (size_t)batch, &first) != 0 ||
            pass(store, province, "again", (int)threads, (size_t)batch, NULL) != 0)
            code = 1;
    }
    ph_store_free(store);
    ph_ctx_free(ctx);
    if (code == 0 && peer_ok && peer.wall > 0 && first.wall > 0 && peer.cpu > 0 && first.cpu > 0)
        printf("ratio     first load / .import: %.2fx by wall time, %.2fx by CPU time "
               "(rows/s over the peer's rows/s; 1.00 = as fast)\n",
               ((double)first.rows / first.wall) / ((double)peer.rows / peer.wall),
               ((double)first.rows / first.cpu) / ((double)peer.rows / peer.cpu));
    if (keep == NULL)
        bench_rmtree(dir);
    return code;
}
