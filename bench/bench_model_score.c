/*
 * bench_model_score — tree-model scoring against XGBoost's own CPU predictor,
 * one thread each, in one run.
 *
 *   bench_model_score [--rows N] [--trees T] [--depth D] [--features F]
 *                     [--shap-rows S] [--dir DIR] [--peer PATH] [--no-peer]
 *
 * The peer script (--peer, default bench/peer_xgboost.py, run with
 * /usr/bin/python3 from the source directory) trains a binary:logistic model
 * of T trees of depth D on F features (default 500, 6, 50), writes it and N
 * float32 rows (default 1,000,000, about 5% NaN) into DIR, and times
 * XGBoost's prediction with nthread=1 (inplace_predict and DMatrix predict,
 * best of 3; the faster is the peer's figure) and pred_contribs on the first
 * S rows (default 5,000). This program then loads the same model, times
 * ph_model_predict_matrix over the same rows (best of 3), checks every
 * probability against XGBoost's (max |p - p_xgb| <= 1e-6), and prints rows/s
 * for both and the speedup; then the same for TreeSHAP
 * (ph_model_contributions_matrix against pred_contribs), which is reported
 * as not comparable while the contributions differ. The target for scoring
 * is 3x XGBoost on one core. Both wall-clock and CPU time are printed: on a
 * busy shared machine the CPU-time ratio is the steadier one.
 *
 * DIR defaults to $TMPDIR (or /tmp)/bench_model_score-PID and is removed
 * afterwards; a DIR given is kept, and --no-peer reuses what a previous run
 * left there (with --rows/--shap-rows up to the run's, XGBoost's times then
 * scaled in proportion). Exit status: 0 when it ran and the probabilities
 * agree.
 */
#include "bench_util.h"
#include "puhui/puhui.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROB_TOLERANCE 1e-6
#define SHAP_TOLERANCE 1e-4 /* XGBoost sums contributions in float32 */
#define TARGET_SPEEDUP 3.0

typedef struct options {
    long long rows, trees, depth, features, shap_rows;
    const char *dir, *peer;
    int run_peer;
} options;

/* Best wall-clock seconds, and best CPU seconds of the process: on a
 * machine shared with other work the CPU time still compares like with like. */
typedef struct peer_times {
    double inplace, dmatrix, contribs;
    double inplace_cpu, dmatrix_cpu, contribs_cpu;
    double rows, shap_rows; /* what the peer timed */
    char version[32];
} peer_times;

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_model_score [--rows N] [--trees T] [--depth D] "
                    "[--features F] [--shap-rows S] [--dir DIR] [--peer PATH] [--no-peer]\n");
    return 2;
}

static int parse_options(int argc, char **argv, options *o)
{
    static const struct {
        const char *name;
        long long min, max;
        size_t offset;
    } numbers[] = {
        {"--rows", 1, 100000000, offsetof(options, rows)},
        {"--trees", 1, 100000, offsetof(options, trees)},
        {"--depth", 1, 16, offsetof(options, depth)},
        {"--features", 6, 10000, offsetof(options, features)},
        {"--shap-rows", 1, 1000000, offsetof(options, shap_rows)},
    };
    for (int i = 1; i < argc; i++) {
        int known = 0;
        for (size_t k = 0; k < sizeof(numbers) / sizeof(numbers[0]); k++) {
            if (strcmp(argv[i], numbers[k].name) != 0)
                continue;
            if (i + 1 >= argc)
                return usage();
            long long *field = (long long *)((char *)o + numbers[k].offset);
            if (bench_number("bench_model_score", argv[i], argv[i + 1], numbers[k].min,
                             numbers[k].max, field) != 0)
                return 2;
            i++;
            known = 1;
        }
        if (known)
            continue;
        if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            o->dir = argv[++i];
        else if (strcmp(argv[i], "--peer") == 0 && i + 1 < argc)
            o->peer = argv[++i];
        else if (strcmp(argv[i], "--no-peer") == 0)
            o->run_peer = 0;
        else
            return usage();
    }
    if (o->shap_rows > o->rows)
        o->shap_rows = o->rows;
    if (!o->run_peer && !o->dir) {
        fprintf(stderr, "bench_model_score: --no-peer needs --dir (where a run left its files)\n");
        return 2;
    }
    return 0;
}

static int run_peer(const options *o)
{
    char cmd[4096];
    snprintf(cmd, sizeof(cmd),
             "/usr/bin/python3 '%s' --dir '%s' --rows %lld --trees %lld --depth %lld "
             "--features %lld --shap-rows %lld",
             o->peer, o->dir, o->rows, o->trees, o->depth, o->features, o->shap_rows);
    printf("peer: %s\n", cmd);
    fflush(stdout);
    int rc = system(cmd);
    if (rc != 0) {
        fprintf(stderr, "bench_model_score: the peer failed (status %d); is python3-xgboost "
                        "installed and --peer right (run from the source directory)?\n", rc);
        return -1;
    }
    return 0;
}

static int read_times(const char *dir, peer_times *t)
{
    char path[4096], key[64], value[64];
    snprintf(path, sizeof(path), "%s/timings.txt", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "bench_model_score: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    memset(t, 0, sizeof(*t));
    while (fscanf(f, "%63s %63s", key, value) == 2) {
        if (strcmp(key, "inplace_predict_seconds") == 0)
            t->inplace = atof(value);
        else if (strcmp(key, "dmatrix_predict_seconds") == 0)
            t->dmatrix = atof(value);
        else if (strcmp(key, "pred_contribs_seconds") == 0)
            t->contribs = atof(value);
        else if (strcmp(key, "inplace_predict_cpu_seconds") == 0)
            t->inplace_cpu = atof(value);
        else if (strcmp(key, "dmatrix_predict_cpu_seconds") == 0)
            t->dmatrix_cpu = atof(value);
        else if (strcmp(key, "pred_contribs_cpu_seconds") == 0)
            t->contribs_cpu = atof(value);
        else if (strcmp(key, "rows") == 0)
            t->rows = atof(value);
        else if (strcmp(key, "shap_rows") == 0)
            t->shap_rows = atof(value);
        else if (strcmp(key, "xgboost_version") == 0)
            snprintf(t->version, sizeof(t->version), "%.31s", value);
    }
    fclose(f);
    if (t->inplace <= 0 || t->dmatrix <= 0 || t->contribs <= 0 || t->inplace_cpu <= 0 ||
        t->dmatrix_cpu <= 0 || t->contribs_cpu <= 0 || t->rows < 1 || t->shap_rows < 1) {
        fprintf(stderr, "bench_model_score: %s lacks a timing\n", path);
        return -1;
    }
    return 0;
}

/* Read `count` floats from DIR/NAME. */
static float *read_floats(const char *dir, const char *name, size_t count)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    float *v = malloc(count * sizeof(float));
    size_t got = f && v ? fread(v, sizeof(float), count, f) : 0;
    if (f)
        fclose(f);
    if (got != count) {
        fprintf(stderr, "bench_model_score: %s: expected %zu floats, read %zu\n", path, count,
                got);
        free(v);
        return NULL;
    }
    return v;
}

/*
 * With --no-peer and fewer rows than the peer timed, XGBoost's times are
 * scaled down in proportion (an estimate, said so): prediction cost is
 * linear in the rows.
 */
static int scale_times(const options *o, peer_times *t)
{
    if ((double)o->rows > t->rows || (double)o->shap_rows > t->shap_rows) {
        fprintf(stderr, "bench_model_score: the files in %s hold %.0f rows (%.0f for TreeSHAP); "
                        "ask for at most that many\n", o->dir, t->rows, t->shap_rows);
        return -1;
    }
    double k = (double)o->rows / t->rows, ks = (double)o->shap_rows / t->shap_rows;
    if (k != 1.0 || ks != 1.0)
        printf("note: XGBoost's times scaled from the %.0f rows (%.0f for TreeSHAP) it timed\n",
               t->rows, t->shap_rows);
    t->inplace *= k;
    t->dmatrix *= k;
    t->inplace_cpu *= k;
    t->dmatrix_cpu *= k;
    t->contribs *= ks;
    t->contribs_cpu *= ks;
    return 0;
}

static void load_caveat(void)
{
    double load[3] = {0, 0, 0};
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3)
            load[0] = -1;
        fclose(f);
    }
    printf("note: measured on a machine shared with other work (load average %.2f, %ld cores); "
           "best of 3 runs, one thread each side; wall-clock figures suffer when the machine "
           "is busy, CPU-time figures much less; rerun when it is quiet\n",
           load[0], sysconf(_SC_NPROCESSORS_ONLN));
}

static int bench_scoring(const ph_model *m, const options *o, const peer_times *pt,
                         const float *x)
{
    size_t rows = (size_t)o->rows;
    float *want = read_floats(o->dir, "prob.f32", rows);
    double *pd = malloc(rows * sizeof(double));
    if (!want || !pd) {
        free(want);
        free(pd);
        return -1;
    }
    double best = INFINITY, best_cpu = INFINITY;
    ph_error err;
    for (int run = 0; run < 3; run++) {
        double t0 = bench_now_seconds(), c0 = cpu_seconds();
        if (ph_model_predict_matrix(m, x, rows, pd, &err) != PH_OK) {
            fprintf(stderr, "bench_model_score: %s\n", err.message);
            free(want);
            free(pd);
            return -1;
        }
        double took = bench_now_seconds() - t0, cpu = cpu_seconds() - c0;
        best = took < best ? took : best;
        best_cpu = cpu < best_cpu ? cpu : best_cpu;
    }
    double worst = 0.0;
    for (size_t r = 0; r < rows; r++) {
        double d = fabs(pd[r] - (double)want[r]);
        if (!(d <= worst))
            worst = d;
    }
    double peer = pt->inplace < pt->dmatrix ? pt->inplace : pt->dmatrix;
    double peer_cpu = pt->inplace_cpu < pt->dmatrix_cpu ? pt->inplace_cpu : pt->dmatrix_cpu;
    printf("scoring %zu rows: puhui %.3f s (%.0f rows/s); XGBoost %s %.3f s (%.0f rows/s; "
           "inplace_predict %.3f s, DMatrix predict %.3f s)\n",
           rows, best, rows / best, pt->version, peer, rows / peer, pt->inplace, pt->dmatrix);
    printf("CPU seconds: puhui %.3f, XGBoost %.3f (inplace_predict %.3f, DMatrix predict "
           "%.3f)\n", best_cpu, peer_cpu, pt->inplace_cpu, pt->dmatrix_cpu);
    printf("speedup vs XGBoost: %.1fx (target %.0fx; %.1fx in CPU time)\n", peer / best,
           TARGET_SPEEDUP, peer_cpu / best_cpu);
    printf("max |p - p_xgb| = %.3g over %zu rows (tolerance %g): %s\n", worst, rows,
           PROB_TOLERANCE, worst <= PROB_TOLERANCE ? "ok" : "MISMATCH");
    free(want);
    free(pd);
    return worst <= PROB_TOLERANCE ? 0 : 1;
}

static int bench_shap(const ph_model *m, const options *o, const peer_times *pt, const float *x)
{
    size_t rows = (size_t)o->shap_rows, cols = (size_t)o->features + 1;
    float *want = read_floats(o->dir, "contribs.f32", rows * cols);
    double *out = malloc(rows * cols * sizeof(double));
    if (!want || !out) {
        free(want);
        free(out);
        return -1;
    }
    double best = INFINITY, best_cpu = INFINITY, spent = 0.0;
    ph_error err;
    for (int run = 0; run < 3 && spent < 60.0; run++) {
        double t0 = bench_now_seconds(), c0 = cpu_seconds();
        if (ph_model_contributions_matrix(m, x, rows, out, &err) != PH_OK) {
            fprintf(stderr, "bench_model_score: %s\n", err.message);
            free(want);
            free(out);
            return -1;
        }
        double took = bench_now_seconds() - t0, cpu = cpu_seconds() - c0;
        best = took < best ? took : best;
        best_cpu = cpu < best_cpu ? cpu : best_cpu;
        spent += took;
    }
    double worst = 0.0;
    for (size_t i = 0; i < rows * cols; i++) {
        double d = fabs(out[i] - (double)want[i]);
        if (!(d <= worst))
            worst = d;
    }
    if (worst > SHAP_TOLERANCE) {
        printf("TreeSHAP: not comparable (contributions differ from XGBoost's pred_contribs by "
               "up to %.3g, tolerance %g); XGBoost pred_contribs: %.3f s for %zu rows "
               "(%.0f rows/s)\n",
               worst, SHAP_TOLERANCE, pt->contribs, rows, rows / pt->contribs);
        free(want);
        free(out);
        return 0;
    }
    printf("TreeSHAP %zu rows: puhui %.3f s (%.0f rows/s); XGBoost pred_contribs %.3f s "
           "(%.0f rows/s)\n",
           rows, best, rows / best, pt->contribs, rows / pt->contribs);
    printf("TreeSHAP speedup vs XGBoost: %.1fx (%.1fx in CPU time: puhui %.3f s, XGBoost "
           "%.3f s); max |contribution - xgb| = %.3g\n",
           pt->contribs / best, pt->contribs_cpu / best_cpu, best_cpu, pt->contribs_cpu, worst);
    free(want);
    free(out);
    return 0;
}

int main(int argc, char **argv)
{
    options o = {1000000, 500, 6, 50, 5000, NULL, "bench/peer_xgboost.py", 1};
    int rc = parse_options(argc, argv, &o);
    if (rc != 0)
        return rc;
    char scratch[4096];
    int remove_dir = o.dir == NULL;
    if (!o.dir) {
        bench_scratch_dir("bench_model_score", NULL, scratch, sizeof(scratch));
        o.dir = scratch;
    }
    if (mkdir(o.dir, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "bench_model_score: cannot create %s: %s\n", o.dir, strerror(errno));
        return 1;
    }
    printf("bench_model_score: %lld trees of depth %lld, %lld features, %lld rows, %lld rows "
           "for TreeSHAP\n", o.trees, o.depth, o.features, o.rows, o.shap_rows);
    load_caveat();

    ph_ctx *ctx = NULL;
    ph_model *m = NULL;
    float *x = NULL;
    peer_times pt;
    ph_error err;
    char path[4096];
    rc = 1;
    if ((o.run_peer && run_peer(&o) != 0) || read_times(o.dir, &pt) != 0 ||
        scale_times(&o, &pt) != 0)
        goto done;
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK)
        goto failed;
    snprintf(path, sizeof(path), "%s/model.json", o.dir);
    double t0 = bench_now_seconds();
    if (ph_model_load_file(ctx, path, &m, &err) != PH_OK)
        goto failed;
    printf("model loaded and compiled in %.3f s: %zu trees, %zu features\n",
           bench_now_seconds() - t0, ph_model_tree_count(m), ph_model_feature_count(m));
    if (ph_model_feature_count(m) != (size_t)o.features) {
        fprintf(stderr, "bench_model_score: the model has %zu features, not %lld\n",
                ph_model_feature_count(m), o.features);
        goto done;
    }
    if (!(x = read_floats(o.dir, "rows.f32", (size_t)(o.rows * o.features))))
        goto done;
    rc = bench_scoring(m, &o, &pt, x);
    if (rc >= 0 && bench_shap(m, &o, &pt, x) < 0)
        rc = 1;
    if (rc < 0)
        rc = 1;
    printf("peak memory: %ld MB\n", bench_peak_rss_mb());
    goto done;
failed:
    fprintf(stderr, "bench_model_score: %s\n", err.message);
done:
    free(x);
    ph_model_free(m);
    ph_ctx_free(ctx);
    if (remove_dir)
        bench_rmtree(o.dir);
    return rc;
}
