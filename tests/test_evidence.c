/* The evidence log (src/evidence): the verifiers against every case of the
 * shared RFC 6962 vectors (transparency-dev/merkle's testdata), the log's
 * trees and proofs against a brute-force transcription of RFC 9162's
 * recursive definitions, storage (reopen, torn tails, the lock, the
 * origin), and the signed checkpoints and proof bundles. */
#include "ph_test.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "evidence/evidence_internal.h"
#include "puhui/evidence.h"

#define H PH_EVIDENCE_HASH

/* ---- the shared vectors -------------------------------------------------------------------- */

/* base64 into a 32-byte buffer. The vectors' "don't care" roots are shorter
 * than a hash; the API's roots have a fixed size, so a shorter value is
 * compared as given, padded with zeros (two equal short roots stay equal,
 * two different ones differ). *exact: it was exactly 32 bytes. */
static void b64_hash(const char *text, uint8_t out[H], int *exact)
{
    uint8_t buf[256];
    size_t got = 0;
    memset(out, 0, H);
    assert_int_equal(sodium_base642bin(buf, sizeof(buf), text, strlen(text), NULL, &got, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    memcpy(out, buf, got < H ? got : H);
    if (exact != NULL)
        *exact = got == H;
}

/* The proof array; 0 when an element is not a 32-byte hash (a verifier
 * reading the proof from a bundle refuses it before verifying). */
static int proof_of(json_t *arr, uint8_t (*path)[H], size_t *n)
{
    *n = 0;
    if (json_is_null(arr))
        return 1;
    assert_true(json_is_array(arr));
    assert_true(json_array_size(arr) <= PH_EVIDENCE_MAX_PATH);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        int exact = 0;
        b64_hash(json_string_value(v), path[i], &exact);
        if (!exact)
            return 0;
        (*n)++;
    }
    return 1;
}

/* An integer member read from the text: the vectors hold sizes up to
 * 2^64 - 1, beyond jansson's signed integers. */
static uint64_t int_member(const char *text, const char *key)
{
    char quoted[64];
    snprintf(quoted, sizeof(quoted), "\"%s\"", key);
    const char *p = strstr(text, quoted);
    assert_non_null(p);
    p = strchr(p + strlen(quoted), ':');
    assert_non_null(p);
    return strtoull(p + 1, NULL, 10);
}

static int run_vector(const char *path, int inclusion)
{
    json_error_t jerr;
    char *text = NULL;
    size_t text_len = 0;
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(getdelim(&text, &text_len, '\0', f) > 0, 1);
    fclose(f);
    json_t *doc = json_loads(text, JSON_DECODE_INT_AS_REAL, &jerr);
    if (doc == NULL)
        fail_msg("%s: %s", path, jerr.text);
    int want_err = json_is_true(json_object_get(doc, "wantErr"));
    uint8_t proof[PH_EVIDENCE_MAX_PATH][H];
    size_t n = 0;
    int well_formed = proof_of(json_object_get(doc, "proof"), proof, &n);
    ph_error err;
    ph_status st = PH_EVERIFY;
    if (inclusion) {
        uint8_t leaf[H], root[H];
        int leaf_exact = 0;
        b64_hash(json_string_value(json_object_get(doc, "leafHash")), leaf, &leaf_exact);
        b64_hash(json_string_value(json_object_get(doc, "root")), root, NULL);
        uint64_t idx = int_member(text, "leafIdx"), size = int_member(text, "treeSize");
        /* a leaf hash that is not a hash is refused before verifying (as
         * transparency-dev's verifier does); a short root simply differs */
        if (well_formed && leaf_exact)
            st = ph_merkle_verify_inclusion(idx, size, leaf,
                                            (const uint8_t(*)[H])proof, n, root, &err);
    } else {
        uint8_t r1[H], r2[H];
        b64_hash(json_string_value(json_object_get(doc, "root1")), r1, NULL);
        b64_hash(json_string_value(json_object_get(doc, "root2")), r2, NULL);
        uint64_t s1 = int_member(text, "size1"), s2 = int_member(text, "size2");
        if (well_formed)
            st = ph_merkle_verify_consistency(s1, s2, r1, r2,
                                              (const uint8_t(*)[H])proof, n, &err);
    }
    json_decref(doc);
    free(text);
    if (st != PH_OK && st != PH_EVERIFY)
        fail_msg("%s: unexpected status %s", path, ph_status_name(st));
    if ((st == PH_EVERIFY) != want_err) {
        print_error("%s: wantErr %d but the verifier said %s (%s)\n", path, want_err,
                    ph_status_name(st), st == PH_OK ? "" : err.message);
        return 0;
    }
    return 1;
}

/* Every *.json under dir, at any depth. */
static void run_vector_tree(const char *dir, int inclusion, int *cases, int *wrong,
                            int *want_err_cases)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[2048];
        struct stat sb;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        assert_int_equal(stat(path, &sb), 0);
        if (S_ISDIR(sb.st_mode)) {
            run_vector_tree(path, inclusion, cases, wrong, want_err_cases);
            continue;
        }
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        (*cases)++;
        if (strstr(e->d_name, "happy-path") == NULL && strstr(e->d_name, "matching-root") == NULL)
            (*want_err_cases)++;
        if (!run_vector(path, inclusion))
            (*wrong)++;
    }
    closedir(d);
}

static void test_shared_vectors(void **state)
{
    (void)state;
    char *root = ph_test_shared_file("data/merkle-vectors/testdata");
    if (root == NULL) {
        print_message("skipped: $PUHUI_SHARED_DIR/data/merkle-vectors/testdata is absent\n");
        skip();
    }
    char dir[1024];
    int cases = 0, wrong = 0, broken = 0;
    snprintf(dir, sizeof(dir), "%s/inclusion", root);
    run_vector_tree(dir, 1, &cases, &wrong, &broken);
    int inclusion_cases = cases;
    snprintf(dir, sizeof(dir), "%s/consistency", root);
    run_vector_tree(dir, 0, &cases, &wrong, &broken);
    print_message("merkle vectors: %d inclusion + %d consistency cases, %d wrong verdicts\n",
                  inclusion_cases, cases - inclusion_cases, wrong);
    free(root);
    assert_int_equal(wrong, 0);
    assert_true(inclusion_cases > 50 && cases - inclusion_cases > 50 && broken > 100);
}

/* ---- the reference: RFC 9162 §2.1 transcribed recursively -------------------------------- */

static void ref_node(const uint8_t l[H], const uint8_t r[H], uint8_t out[H])
{
    uint8_t buf[1 + 2 * H];
    buf[0] = 1;
    memcpy(buf + 1, l, H);
    memcpy(buf + 1 + H, r, H);
    crypto_hash_sha256(out, buf, sizeof(buf));
}

static uint64_t ref_k(uint64_t n)
{
    uint64_t k = 1;
    while (2 * k < n)
        k *= 2;
    return k;
}

/* MTH(D[a:b]) over leaf hashes lh */
static void ref_mth(uint8_t (*lh)[H], uint64_t a, uint64_t b, uint8_t out[H])
{
    if (b - a == 1) {
        memcpy(out, lh[a], H);
        return;
    }
    uint64_t k = ref_k(b - a);
    uint8_t l[H], r[H];
    ref_mth(lh, a, a + k, l);
    ref_mth(lh, a + k, b, r);
    ref_node(l, r, out);
}

static void ref_path(uint8_t (*lh)[H], uint64_t m, uint64_t a, uint64_t b, uint8_t (*out)[H],
                     size_t *n)
{
    if (b - a <= 1)
        return;
    uint64_t k = ref_k(b - a);
    if (m < k) {
        ref_path(lh, m, a, a + k, out, n);
        ref_mth(lh, a + k, b, out[(*n)++]);
    } else {
        ref_path(lh, m - k, a + k, b, out, n);
        ref_mth(lh, a, a + k, out[(*n)++]);
    }
}

static void ref_subproof(uint8_t (*lh)[H], uint64_t m, uint64_t a, uint64_t b, int whole,
                         uint8_t (*out)[H], size_t *n)
{
    if (m == b - a) {
        if (!whole)
            ref_mth(lh, a, b, out[(*n)++]);
        return;
    }
    uint64_t k = ref_k(b - a);
    if (m <= k) {
        ref_subproof(lh, m, a, a + k, whole, out, n);
        ref_mth(lh, a + k, b, out[(*n)++]);
    } else {
        ref_subproof(lh, m - k, a + k, b, 0, out, n);
        ref_mth(lh, a, a + k, out[(*n)++]);
    }
}

static ph_evidence_log *open_log(ph_ctx *ctx, const char *dir, const char *name)
{
    char *path = ph_test_path(dir, name);
    ph_evidence_log *log = NULL;
    ph_error err;
    ph_assert_ok(ph_evidence_open(ctx, path, "test.local/log", 1, &log, &err), &err);
    free(path);
    return log;
}

static void leaf_text(uint64_t i, char *buf, size_t size)
{
    snprintf(buf, size, "{\"type\":\"test\",\"i\":%llu}", (unsigned long long)i);
}

static void check_inclusion(ph_evidence_log *log, uint8_t (*lh)[H], const uint8_t root[H],
                            uint64_t m, uint64_t n)
{
    uint8_t path[PH_EVIDENCE_MAX_PATH][H], refp[PH_EVIDENCE_MAX_PATH][H];
    size_t k = 0, rk = 0;
    ph_error err;
    ph_assert_ok(ph_evidence_prove_inclusion(log, m, n, path, &k, &err), &err);
    ref_path(lh, m, 0, n, refp, &rk);
    assert_int_equal(k, rk);
    assert_memory_equal(path, refp, k * H);
    ph_assert_ok(ph_merkle_verify_inclusion(m, n, lh[m], (const uint8_t(*)[H])path, k, root,
                                            &err),
                 &err);
    if (k > 0) { /* one flipped bit anywhere is refused */
        path[(m + n) % k][(m * 7) % H] ^= 0x10;
        ph_assert_error(ph_merkle_verify_inclusion(m, n, lh[m], (const uint8_t(*)[H])path, k,
                                                   root, &err),
                        PH_EVERIFY, &err, "does not lead");
    }
}

static void test_against_reference(void **state)
{
    (void)state;
    ph_ctx *ctx = NULL;
    char *dir = NULL;
    ph_test_env_open("evidence_ref", &ctx, &dir);
    ph_evidence_log *log = open_log(ctx, dir, "log");
    enum { N = 300 };
    uint8_t (*lh)[H] = calloc(N, H);
    assert_non_null(lh);
    ph_error err;
    uint8_t root[H], want[H];
    ph_assert_ok(ph_evidence_root(log, 0, root, &err), &err);
    crypto_hash_sha256(want, (const unsigned char *)"", 0);
    assert_memory_equal(root, want, H);
    for (uint64_t i = 0; i < N; i++) {
        char text[64];
        leaf_text(i, text, sizeof(text));
        uint64_t idx = 99;
        ph_assert_ok(ph_evidence_append(log, text, strlen(text), &idx, &err), &err);
        assert_int_equal(idx, i);
        ph_merkle_leaf_hash(text, strlen(text), lh[i]);
        if (i % 37 == 0) /* part on disk, part buffered */
            ph_assert_ok(ph_evidence_commit(log, &err), &err);
    }
    uint8_t path[PH_EVIDENCE_MAX_PATH][H], refp[PH_EVIDENCE_MAX_PATH][H];
    uint8_t roots[N + 1][H];
    for (uint64_t n = 1; n <= N; n++) {
        ph_assert_ok(ph_evidence_root(log, n, roots[n], &err), &err);
        ref_mth(lh, 0, n, want);
        assert_memory_equal(roots[n], want, H);
    }
    for (uint64_t n = 1; n <= N; n++) {
        uint64_t step = n <= 70 ? 1 : 13;
        for (uint64_t m = 0; m < n; m += step)
            check_inclusion(log, lh, roots[n], m, n);
        check_inclusion(log, lh, roots[n], n - 1, n);
        for (uint64_t m = 1; m <= n; m += n <= 70 ? 1 : 11) {
            size_t k = 0, rk = 0;
            ph_assert_ok(ph_evidence_prove_consistency(log, m, n, path, &k, &err), &err);
            ref_subproof(lh, m, 0, n, 1, refp, &rk);
            assert_int_equal(k, rk);
            assert_memory_equal(path, refp, k * H);
            ph_assert_ok(ph_merkle_verify_consistency(m, n, roots[m], roots[n],
                                                      (const uint8_t(*)[H])path, k, &err),
                         &err);
            if (m < n) { /* another new root is refused */
                uint8_t bad[H];
                memcpy(bad, roots[n], H);
                bad[m % H] ^= 1;
                ph_assert_error(ph_merkle_verify_consistency(m, n, roots[m], bad,
                                                             (const uint8_t(*)[H])path, k, &err),
                                PH_EVERIFY, &err, "new tree's root");
            }
        }
    }
    /* the stored leaves read back */
    for (uint64_t i = 0; i < N; i += 29) {
        const uint8_t *data = NULL;
        size_t len = 0;
        char text[64];
        leaf_text(i, text, sizeof(text));
        ph_assert_ok(ph_evidence_leaf_data(log, i, &data, &len, &err), &err);
        assert_int_equal(len, strlen(text));
        assert_memory_equal(data, text, len);
        ph_assert_ok(ph_evidence_leaf_hash(log, i, want, &err), &err);
        assert_memory_equal(want, lh[i], H);
    }
    ph_assert_error(ph_evidence_leaf_hash(log, N, want, &err), PH_ENOTFOUND, &err,
                    "no leaf 300");
    ph_assert_error(ph_evidence_prove_inclusion(log, 3, N + 1, path, &(size_t){0}, &err),
                    PH_ERANGE, &err, "the log has 300");
    ph_assert_error(ph_evidence_prove_consistency(log, 0, 5, path, &(size_t){0}, &err),
                    PH_ERANGE, &err, "empty tree");
    ph_evidence_free(log);
    free(lh);
    ph_test_env_close(ctx, dir);
}

/* ---- storage ------------------------------------------------------------------------------ */

static off_t file_size(const char *dir, const char *name)
{
    char path[1024];
    struct stat sb;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_int_equal(stat(path, &sb), 0);
    return sb.st_size;
}

static void append_file(const char *dir, const char *name, const void *bytes, size_t n)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_APPEND);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, bytes, n), (ssize_t)n);
    close(fd);
}

static void test_reopen_and_torn_tail(void **state)
{
    (void)state;
    ph_ctx *ctx = NULL;
    char *dir = NULL;
    ph_error err;
    ph_test_env_open("evidence_torn", &ctx, &dir);
    char *logdir = ph_test_path(dir, "log");
    ph_evidence_log *log = open_log(ctx, dir, "log");
    for (uint64_t i = 0; i < 1000; i++) {
        char text[64];
        leaf_text(i, text, sizeof(text));
        ph_assert_ok(ph_evidence_append(log, text, strlen(text), NULL, &err), &err);
    }
    ph_assert_ok(ph_evidence_commit(log, &err), &err);
    uint8_t root[H], again[H];
    ph_assert_ok(ph_evidence_root(log, 1000, root, &err), &err);
    /* a second writer is refused while the first holds the lock */
    ph_evidence_log *other = NULL;
    ph_assert_error(ph_evidence_open(ctx, logdir, NULL, 0, &other, &err), PH_EBUSY, &err,
                    "another process");
    ph_evidence_free(log);

    /* reopen: same size and root; appending continues the same tree */
    ph_assert_ok(ph_evidence_open(ctx, logdir, NULL, 0, &log, &err), &err);
    assert_int_equal(ph_evidence_size(log), 1000);
    assert_string_equal(ph_evidence_origin(log), "test.local/log");
    ph_assert_ok(ph_evidence_root(log, 1000, again, &err), &err);
    assert_memory_equal(root, again, H);
    ph_evidence_free(log);

    /* a torn tail: partial records in every file, as a crash mid-write leaves */
    off_t leaves = file_size(logdir, "leaves"), index = file_size(logdir, "index"),
          hashes = file_size(logdir, "hashes");
    append_file(logdir, "leaves", "{\"type\":\"torn", 13);
    append_file(logdir, "index", "\x01\x02\x03", 3);
    append_file(logdir, "hashes", "0123456789abcdef0123456789abcdef0123456789", 42);
    ph_assert_ok(ph_evidence_open(ctx, logdir, NULL, 0, &log, &err), &err);
    assert_int_equal(ph_evidence_size(log), 1000);
    assert_int_equal(file_size(logdir, "leaves"), leaves);
    assert_int_equal(file_size(logdir, "index"), index);
    assert_int_equal(file_size(logdir, "hashes"), hashes);
    ph_evidence_free(log);

    /* a whole index entry whose leaf and hashes never reached the disk */
    uint8_t entry[8] = {0xff, 0xff, 0, 0, 0, 0, 0, 0};
    append_file(logdir, "index", entry, 8);
    ph_assert_ok(ph_evidence_open(ctx, logdir, NULL, 0, &log, &err), &err);
    assert_int_equal(ph_evidence_size(log), 1000);
    ph_evidence_free(log);

    /* zeros where the last committed leaf's hashes were: no crash does
     * that (they were synced before the size file named them), so the log
     * is refused as damaged rather than silently shortened */
    char path[1024];
    snprintf(path, sizeof(path), "%s/hashes", logdir);
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    uint8_t zeros[H] = {0};
    assert_int_equal(pwrite(fd, zeros, H, hashes - H), H);
    close(fd);
    ph_assert_error(ph_evidence_open(ctx, logdir, NULL, 0, &log, &err), PH_EIO, &err,
                    "last committed leaf (999)");
    /* a log made before the size file (none): its tail is checked as it
     * always was - the leaf is dropped, not trusted - and the size file made */
    snprintf(path, sizeof(path), "%s/size", logdir);
    assert_int_equal(unlink(path), 0);
    ph_assert_ok(ph_evidence_open(ctx, logdir, NULL, 0, &log, &err), &err);
    assert_int_equal(ph_evidence_size(log), 999);
    assert_int_equal(file_size(logdir, "size"), 1024);
    ph_assert_ok(ph_evidence_root(log, 999, again, &err), &err);
    char text[64];
    leaf_text(999, text, sizeof(text));
    ph_assert_ok(ph_evidence_append(log, text, strlen(text), NULL, &err), &err);
    ph_assert_ok(ph_evidence_root(log, 1000, again, &err), &err);
    assert_memory_equal(root, again, H); /* re-appended: the same tree */
    ph_assert_ok(ph_evidence_commit(log, &err), &err);
    ph_evidence_free(log);

    /* the origin is the log's name: another name is refused */
    ph_assert_error(ph_evidence_open(ctx, logdir, "other.example/log", 0, &log, &err),
                    PH_EINVAL, &err, "named 'test.local/log'");
    ph_assert_error(ph_evidence_open(ctx, logdir, "bad name", 0, &log, &err), PH_EINVAL,
                    &err, "without spaces");
    char *missing = ph_test_path(dir, "nolog");
    ph_assert_error(ph_evidence_open(ctx, missing, NULL, 0, &log, &err), PH_ENOTFOUND, &err,
                    "evidence init");
    free(missing);
    free(logdir);
    ph_test_env_close(ctx, dir);
}

static void overwrite(const char *dir, const char *name, off_t at, const void *bytes, size_t n)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, bytes, n, at), (ssize_t)n);
    close(fd);
}


static void read_at(const char *dir, const char *name, off_t at, void *bytes, size_t n)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(pread(fd, bytes, n, at), (ssize_t)n);
    close(fd);
}

/* The whole of a small file in dir (*n = 0 when there is none). */
static void read_small(const char *dir, const char *name, uint8_t *buf, size_t cap, size_t *n)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    *n = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return;
    ssize_t got = read(fd, buf, cap);
    close(fd);
    assert_true(got >= 0);
    *n = (size_t)got;
}

static void write_small(const char *dir, const char *name, const uint8_t *buf, size_t n)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, buf, n), (ssize_t)n);
    close(fd);
}

static void append_leaves(ph_evidence_log *log, uint64_t from, uint64_t to)
{
    ph_error err;
    for (uint64_t i = from; i < to; i++) {
        char text[64];
        leaf_text(i, text, sizeof(text));
        ph_assert_ok(ph_evidence_append(log, text, strlen(text), NULL, &err), &err);
    }
}

/* Every leaf's stored hash is its bytes' hash. */
static int leaves_sound(ph_evidence_log *log)
{
    ph_error err;
    for (uint64_t i = 0; i < ph_evidence_size(log); i++) {
        const uint8_t *data = NULL;
        size_t len = 0;
        uint8_t want[H], have[H];
        ph_assert_ok(ph_evidence_leaf_data(log, i, &data, &len, &err), &err);
        ph_merkle_leaf_hash(data, len, want);
        ph_assert_ok(ph_evidence_leaf_hash(log, i, have, &err), &err);
        if (memcmp(want, have, H) != 0)
            return 0;
    }
    return 1;
}

/* A crash in the middle of a commit: the kernel wrote the pages of the
 * batch out of order - its last page reached the disk, one before it did
 * not and reads as zeros - and the commit never recorded its size. The
 * tail recomputes, so a recovery that trusts the files' tails kept every
 * leaf and served one whose stored hash is not its bytes' hash; the log
 * cuts back to the size the last finished commit recorded. (Damage inside
 * committed data, which no crash makes, is what ph_evidence_check finds.) */
static void test_damage_before_the_tail(void **state)
{
    (void)state;
    ph_ctx *ctx = NULL;
    char *dir = NULL;
    ph_error err;
    ph_test_env_open("evidence_middle", &ctx, &dir);
    char *logdir = ph_test_path(dir, "log");
    ph_evidence_log *log = open_log(ctx, dir, "log");
    append_leaves(log, 0, 1000);
    ph_assert_ok(ph_evidence_commit(log, &err), &err);
    ph_evidence_free(log);
    uint8_t saved[4096];
    size_t saved_n = 0;
    read_small(logdir, "size", saved, sizeof(saved), &saved_n);

    ph_assert_ok(ph_evidence_open(ctx, logdir, NULL, 0, &log, &err), &err);
    append_leaves(log, 1000, 2000);
    ph_assert_ok(ph_evidence_commit(log, &err), &err);
    ph_evidence_free(log);
    /* leaf 1500's hash never reached the disk, nor the batch's size */
    uint8_t zeros[H] = {0};
    uint64_t m = 1500, before = 2 * m - (uint64_t)__builtin_popcountll(m);
    overwrite(logdir, "hashes", (off_t)(before * H), zeros, H);
    if (saved_n > 0)
        write_small(logdir, "size", saved, saved_n);

    ph_assert_ok(ph_evidence_open(ctx, logdir, NULL, 0, &log, &err), &err);
    assert_true(leaves_sound(log));
    assert_int_equal(ph_evidence_size(log), 1000);
    /* and the log goes on from there: the same tree as before the crash */
    append_leaves(log, 1000, 2000);
    ph_assert_ok(ph_evidence_commit(log, &err), &err);
    assert_true(leaves_sound(log));
    ph_evidence_free(log);
    assert_int_equal(file_size(logdir, "hashes"), (off_t)((2 * 2000 - 6) * H));
    free(logdir);
    ph_test_env_close(ctx, dir);
}

/* ph_evidence_rollback drops what was appended since the last commit: a few
 * buffered leaves, then more than the 4 MiB buffer (written out, unsynced,
 * so cut from the files); the tree and the next index are as if they had
 * never been appended, and a reopened log agrees. */
static void test_rollback(void **state)
{
    (void)state;
    ph_ctx *ctx = NULL;
    char *dir = NULL;
    ph_error err;
    ph_test_env_open("evidence_rollback", &ctx, &dir);
    char *logdir = ph_test_path(dir, "log");
    ph_evidence_log *log = open_log(ctx, dir, "log");
    ph_assert_ok(ph_evidence_rollback(log, &err), &err); /* nothing to drop */
    append_leaves(log, 0, 1000);
    ph_assert_ok(ph_evidence_commit(log, &err), &err);
    uint8_t root[H], again[H];
    ph_assert_ok(ph_evidence_root(log, 1000, root, &err), &err);
    off_t leaves = file_size(logdir, "leaves"), hashes = file_size(logdir, "hashes");

    append_leaves(log, 5000, 5007);
    ph_assert_ok(ph_evidence_rollback(log, &err), &err);
    assert_int_equal(ph_evidence_size(log), 1000);
    /* past the buffer: written out to the files, then cut */
    static char big[64 * 1024];
    memset(big, 'x', sizeof(big));
    for (int i = 0; i < 100; i++)
        ph_assert_ok(ph_evidence_append(log, big, sizeof(big), NULL, &err), &err);
    assert_true(file_size(logdir, "leaves") > leaves);
    ph_assert_ok(ph_evidence_rollback(log, &err), &err);
    assert_int_equal(ph_evidence_size(log), 1000);
    assert_int_equal(file_size(logdir, "leaves"), leaves);
    assert_int_equal(file_size(logdir, "hashes"), hashes);
    ph_assert_ok(ph_evidence_root(log, 1000, again, &err), &err);
    assert_memory_equal(root, again, H);
    ph_assert_error(ph_evidence_leaf_hash(log, 1000, again, &err), PH_ENOTFOUND, &err, NULL);

    /* the next leaf is 1000, in the tree a log without the dropped leaves has */
    uint64_t index = 0;
    char text[64];
    leaf_text(1000, text, sizeof(text));
    ph_assert_ok(ph_evidence_append(log, text, strlen(text), &index, &err), &err);
    assert_int_equal(index, 1000);
    append_leaves(log, 1001, 1500);
    ph_assert_ok(ph_evidence_commit(log, &err), &err);
    ph_assert_ok(ph_evidence_root(log, 1500, root, &err), &err);
    assert_true(leaves_sound(log));
    ph_evidence_free(log);
    char *fresh_dir = ph_test_path(dir, "fresh");
    ph_assert_ok(ph_evidence_open(ctx, fresh_dir, "test.local/log", 1, &log, &err), &err);
    append_leaves(log, 0, 1500);
    ph_assert_ok(ph_evidence_root(log, 1500, again, &err), &err);
    assert_memory_equal(root, again, H);
    ph_evidence_free(log);
    ph_assert_ok(ph_evidence_open(ctx, logdir, NULL, 0, &log, &err), &err);
    assert_int_equal(ph_evidence_size(log), 1500);
    ph_assert_ok(ph_evidence_root(log, 1500, again, &err), &err);
    assert_memory_equal(root, again, H);
    ph_evidence_free(log);
    free(fresh_dir);
    free(logdir);
    ph_test_env_close(ctx, dir);
}

/* ---- failing syncs (the log's sync hook, evidence_internal.h) ------------------------------ */

typedef struct syncs {
    int fail_in; /* > 0: the sync that many from now fails once, with EIO */
    int files;   /* fdatasyncs of files seen */
    int dirs;    /* fsyncs of directories seen */
    ino_t dir_ino[16]; /* the first ones' inodes */
} syncs;

static int synced_dir(const syncs *s, ino_t ino)
{
    for (int i = 0; i < s->dirs && i < 16; i++)
        if (s->dir_ino[i] == ino)
            return 1;
    return 0;
}

static int test_sync(void *user, int fd, int whole)
{
    syncs *s = user;
    struct stat sb;
    if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        if (s->dirs < 16)
            s->dir_ino[s->dirs] = sb.st_ino;
        s->dirs++;
    } else
        s->files++;
    if (s->fail_in > 0 && --s->fail_in == 0) {
        errno = EIO;
        return -1;
    }
    return whole ? fsync(fd) : fdatasync(fd);
}

/* A failed fdatasync may have dropped the pages it could not write: a
 * retried commit that reports success could be over lost leaves. After the
 * first failed sync the log refuses every append, commit and rollback until
 * it is reopened, and the reopened log holds the last finished commit -
 * whether a leaf file's sync failed or the size record's. */
static void test_failed_sync_breaks_the_log(void **state)
{
    (void)state;
    ph_ctx *ctx = NULL;
    char *dir = NULL;
    ph_error err;
    ph_test_env_open("evidence_eio", &ctx, &dir);
    char *logdir = ph_test_path(dir, "log");
    syncs s = {0};
    uint64_t size = 0;
    for (int which = 1; which <= 4; which++) { /* leaves, hashes, index, size */
        ph_evidence_log *log = NULL;
        ph_assert_ok(evidence_open_with(ctx, logdir, "test.local/log", 1, test_sync, &s, &log,
                                        &err),
                     &err);
        assert_int_equal(ph_evidence_size(log), size);
        append_leaves(log, size, size + 10);
        s.files = 0;
        ph_assert_ok(ph_evidence_commit(log, &err), &err);
        assert_int_equal(s.files, 4); /* three files, then the size */
        size += 10;
        append_leaves(log, size, size + 5);
        s.fail_in = which;
        ph_assert_error(ph_evidence_commit(log, &err), PH_EIO, &err, NULL);
        assert_int_equal(s.fail_in, 0);
        /* the disk "recovers"; the pages it dropped stay lost */
        ph_assert_error(ph_evidence_commit(log, &err), PH_EIO, &err, "must be reopened");
        ph_assert_error(ph_evidence_append(log, "x", 1, NULL, &err), PH_EIO, &err,
                        "must be reopened");
        ph_assert_error(ph_evidence_rollback(log, &err), PH_EIO, &err, "must be reopened");
        ph_evidence_free(log);
        ph_assert_ok(ph_evidence_open(ctx, logdir, NULL, 0, &log, &err), &err);
        /* the size record's sync failed after its write: the new size may
         * have reached the disk or not - either is a whole commit (the
         * store, told of the failure, names none of its leaves) */
        if (which == 4 && ph_evidence_size(log) == size + 5)
            size += 5;
        assert_int_equal(ph_evidence_size(log), size);
        assert_true(leaves_sound(log));
        ph_evidence_free(log);
    }
    free(logdir);
    ph_test_env_close(ctx, dir);
}

/* A reader (ph_evidence_open_read) takes no lock: it opens and proves while
 * a writer holds the log, seeing the committed leaves only - not the
 * writer's uncommitted ones - as of its open; it cannot write. */
static void test_reader_beside_a_writer(void **state)
{
    (void)state;
    ph_ctx *ctx = NULL;
    char *dir = NULL;
    ph_error err;
    ph_test_env_open("evidence_reader", &ctx, &dir);
    char *logdir = ph_test_path(dir, "log");
    ph_evidence_log *w = open_log(ctx, dir, "log"), *r = NULL, *r2 = NULL;
    append_leaves(w, 0, 300);
    ph_assert_ok(ph_evidence_commit(w, &err), &err);
    append_leaves(w, 300, 310); /* not committed */
    ph_assert_ok(ph_evidence_open_read(ctx, logdir, "test.local/log", &r, &err), &err);
    assert_int_equal(ph_evidence_size(r), 300);
    uint8_t root[H], wroot[H], lh[H], path[PH_EVIDENCE_MAX_PATH][H];
    size_t n = 0;
    ph_assert_ok(ph_evidence_root(r, 300, root, &err), &err);
    ph_assert_ok(ph_evidence_root(w, 300, wroot, &err), &err);
    assert_memory_equal(root, wroot, H);
    ph_assert_ok(ph_evidence_prove_inclusion(r, 123, 300, path, &n, &err), &err);
    ph_assert_ok(ph_evidence_leaf_hash(r, 123, lh, &err), &err);
    ph_assert_ok(ph_merkle_verify_inclusion(123, 300, lh, (const uint8_t(*)[H])path, n, root,
                                            &err),
                 &err);
    ph_assert_error(ph_evidence_leaf_hash(r, 305, lh, &err), PH_ENOTFOUND, &err, NULL);
    ph_assert_error(ph_evidence_append(r, "x", 1, NULL, &err), PH_EMISUSE, &err, "read-only");
    ph_assert_error(ph_evidence_commit(r, &err), PH_EMISUSE, &err, "read-only");
    /* the writer commits and goes on: the open reader keeps its snapshot,
     * a new one sees the commit */
    ph_assert_ok(ph_evidence_commit(w, &err), &err);
    append_leaves(w, 310, 2000);
    assert_int_equal(ph_evidence_size(r), 300);
    assert_true(leaves_sound(r));
    ph_assert_ok(ph_evidence_open_read(ctx, logdir, NULL, &r2, &err), &err);
    assert_int_equal(ph_evidence_size(r2), 310);
    ph_evidence_free(r2);
    ph_evidence_free(r);
    ph_evidence_free(w);
    ph_assert_error(ph_evidence_open_read(ctx, logdir, "other.local/log", &r, &err), PH_EINVAL,
                    &err, "named 'test.local/log'");
    char *missing = ph_test_path(dir, "nolog");
    ph_assert_error(ph_evidence_open_read(ctx, missing, NULL, &r, &err), PH_ENOTFOUND, &err,
                    NULL);
    free(missing);
    free(logdir);
    ph_test_env_close(ctx, dir);
}

/* The names a log makes survive a crash: creating a log syncs its
 * directory (the files named in it) and the directory's parent (its own
 * name); signing a checkpoint syncs the directory after the rename that put
 * it in place. A plain reopen makes no name and syncs no directory. */
static void test_directories_synced(void **state)
{
    (void)state;
    ph_ctx *ctx = NULL;
    char *dir = NULL;
    ph_error err;
    ph_test_env_open("evidence_dirsync", &ctx, &dir);
    char *logdir = ph_test_path(dir, "log");
    struct stat top, own;
    assert_int_equal(stat(dir, &top), 0);
    syncs s = {0};
    ph_evidence_log *log = NULL;
    ph_assert_ok(evidence_open_with(ctx, logdir, "test.local/log", 1, test_sync, &s, &log, &err),
                 &err);
    assert_int_equal(stat(logdir, &own), 0);
    assert_true(synced_dir(&s, top.st_ino));
    assert_true(synced_dir(&s, own.st_ino));
    char *sk = ph_test_path(logdir, "log.key"), *vk = ph_test_path(logdir, "log.vkey");
    ph_assert_ok(ph_evidence_keygen(ctx, "test.local/log", sk, vk, &err), &err);
    append_leaves(log, 0, 3);
    memset(&s, 0, sizeof(s));
    char *note = NULL;
    ph_assert_ok(ph_evidence_checkpoint(log, sk, &note, &err), &err);
    ph_free(ctx, note);
    assert_true(synced_dir(&s, own.st_ino));
    ph_evidence_free(log);
    memset(&s, 0, sizeof(s));
    ph_assert_ok(evidence_open_with(ctx, logdir, NULL, 0, test_sync, &s, &log, &err), &err);
    assert_int_equal(s.dirs, 0);
    ph_evidence_free(log);
    free(sk);
    free(vk);
    free(logdir);
    ph_test_env_close(ctx, dir);
}

/* Damage inside the committed leaves - no crash makes it, so no open looks
 * for it past the last leaf - is found by ph_evidence_check, which names the
 * first damaged leaf: a stored leaf hash, a stored parent, the last leaf
 * (which a writer's open refuses and a reader's open lets the check read). */
static void test_check_finds_damage(void **state)
{
    (void)state;
    ph_ctx *ctx = NULL;
    char *dir = NULL;
    ph_error err;
    ph_test_env_open("evidence_check", &ctx, &dir);
    char *logdir = ph_test_path(dir, "log");
    ph_evidence_log *log = open_log(ctx, dir, "log");
    append_leaves(log, 0, 2000);
    ph_assert_ok(ph_evidence_commit(log, &err), &err);
    uint64_t checked = 0;
    ph_assert_ok(ph_evidence_check(log, &checked, &err), &err);
    assert_int_equal(checked, 2000);
    ph_evidence_free(log);

    uint8_t zeros[H] = {0}, saved[H];
    uint64_t m = 1500, at = 2 * m - (uint64_t)__builtin_popcountll(m); /* leaf 1500's hash */
    read_at(logdir, "hashes", (off_t)(at * H), saved, H);
    overwrite(logdir, "hashes", (off_t)(at * H), zeros, H);
    ph_assert_ok(ph_evidence_open(ctx, logdir, NULL, 0, &log, &err), &err);
    ph_assert_error(ph_evidence_check(log, &checked, &err), PH_EIO, &err,
                    "damaged at leaf 1500: its stored hash");
    assert_int_equal(checked, 1500);
    ph_evidence_free(log);
    overwrite(logdir, "hashes", (off_t)(at * H), saved, H);

    /* the parent of leaves 1500 and 1501, stored right after 1501's hash */
    m = 1501;
    at = 2 * m - (uint64_t)__builtin_popcountll(m) + 1;
    read_at(logdir, "hashes", (off_t)(at * H), saved, H);
    overwrite(logdir, "hashes", (off_t)(at * H), zeros, H);
    ph_assert_ok(ph_evidence_open(ctx, logdir, NULL, 0, &log, &err), &err);
    ph_assert_error(ph_evidence_check(log, NULL, &err), PH_EIO, &err,
                    "stored node over leaves 1500 to 1501");
    ph_evidence_free(log);
    overwrite(logdir, "hashes", (off_t)(at * H), saved, H);

    /* the last leaf's bytes: a writer refuses the log, a reader checks it */
    overwrite(logdir, "leaves", file_size(logdir, "leaves") - 1, "#", 1);
    ph_assert_error(ph_evidence_open(ctx, logdir, NULL, 0, &log, &err), PH_EIO, &err,
                    "last committed leaf (1999)");
    ph_assert_ok(ph_evidence_open_read(ctx, logdir, NULL, &log, &err), &err);
    ph_assert_error(ph_evidence_check(log, &checked, &err), PH_EIO, &err, "damaged at leaf 1999");
    assert_int_equal(checked, 1999);
    ph_evidence_free(log);
    free(logdir);
    ph_test_env_close(ctx, dir);
}

/* An index entry in the middle that points past the leaves file: the leaf
 * is served with a length that runs off the mapping. */
static void test_bad_index_entry(void **state)
{
    (void)state;
    ph_ctx *ctx = NULL;
    char *dir = NULL;
    ph_error err;
    ph_test_env_open("evidence_badindex", &ctx, &dir);
    char *logdir = ph_test_path(dir, "log");
    ph_evidence_log *log = open_log(ctx, dir, "log");
    for (uint64_t i = 0; i < 1000; i++) {
        char text[64];
        leaf_text(i, text, sizeof(text));
        ph_assert_ok(ph_evidence_append(log, text, strlen(text), NULL, &err), &err);
    }
    ph_assert_ok(ph_evidence_commit(log, &err), &err);
    ph_evidence_free(log);
    uint8_t big[8] = {0, 0, 0, 0, 0, 0, 0, 0x40};
    overwrite(logdir, "index", 500 * 8, big, 8);
    ph_assert_ok(ph_evidence_open(ctx, logdir, NULL, 0, &log, &err), &err);
    const uint8_t *data = NULL;
    size_t len = 0;
    ph_assert_error(ph_evidence_leaf_data(log, 500, &data, &len, &err), PH_EIO, &err,
                    "index");
    /* its neighbours are whole: 499 ends where it did, 501 starts where 500 claims to end */
    ph_assert_ok(ph_evidence_leaf_data(log, 499, &data, &len, &err), &err);
    ph_assert_error(ph_evidence_leaf_data(log, 501, &data, &len, &err), PH_EIO, &err, "index");
    ph_evidence_free(log);
    free(logdir);
    ph_test_env_close(ctx, dir);
}

/* A writer killed (SIGKILL) at a random moment: every leaf it committed
 * is there on reopen, the tail it had not committed is cut or whole, and
 * the tree is sound (proofs of the first and last leaves verify). */
static void test_killed_writer(void **state)
{
    (void)state;
    ph_ctx *ctx = NULL;
    char *dir = NULL;
    ph_error err;
    ph_test_env_open("evidence_kill", &ctx, &dir);
    char *logdir = ph_test_path(dir, "log");
    for (int round = 0; round < 3; round++) {
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            ph_evidence_log *log = NULL;
            if (ph_evidence_open(ctx, logdir, "test.local/log", 1, &log, &err) != PH_OK)
                _exit(1);
            for (uint64_t i = ph_evidence_size(log);; i++) {
                char text[64];
                leaf_text(i, text, sizeof(text));
                if (ph_evidence_append(log, text, strlen(text), NULL, &err) != PH_OK)
                    _exit(1);
                if (i % 97 == 0) {
                    if (ph_evidence_commit(log, &err) != PH_OK)
                        _exit(1);
                    uint64_t done = i + 1;
                    if (write(fds[1], &done, sizeof(done)) != sizeof(done))
                        _exit(1);
                }
            }
        }
        close(fds[1]);
        uint64_t committed = 0, got = 0;
        while (committed < 3000u * (unsigned)(round + 1) &&
               read(fds[0], &got, sizeof(got)) == (ssize_t)sizeof(got))
            committed = got;
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        close(fds[0]);
        assert_true(WIFSIGNALED(status));
        ph_evidence_log *log = NULL;
        ph_assert_ok(ph_evidence_open(ctx, logdir, NULL, 0, &log, &err), &err);
        uint64_t n = ph_evidence_size(log);
        assert_true(n >= committed);
        uint8_t root[H], lh[H], path[PH_EVIDENCE_MAX_PATH][H];
        ph_assert_ok(ph_evidence_root(log, n, root, &err), &err);
        uint64_t probe[4] = {0, committed / 2, committed - 1, n - 1};
        for (int k = 0; k < 4; k++) {
            const uint8_t *data = NULL;
            size_t len = 0, plen = 0;
            char text[64];
            leaf_text(probe[k], text, sizeof(text));
            ph_assert_ok(ph_evidence_leaf_data(log, probe[k], &data, &len, &err), &err);
            assert_int_equal(len, strlen(text));
            assert_memory_equal(data, text, len);
            ph_merkle_leaf_hash(data, len, lh);
            ph_assert_ok(ph_evidence_prove_inclusion(log, probe[k], n, path, &plen, &err), &err);
            ph_assert_ok(ph_merkle_verify_inclusion(probe[k], n, lh, (const uint8_t(*)[H])path,
                                                    plen, root, &err),
                         &err);
        }
        ph_evidence_free(log);
    }
    free(logdir);
    ph_test_env_close(ctx, dir);
}

/* ---- checkpoints and bundles --------------------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *text = NULL;
    size_t cap = 0;
    ssize_t n = getdelim(&text, &cap, '\0', f);
    fclose(f);
    assert_true(n >= 0);
    *len = (size_t)n;
    return text;
}

/* Replace the first occurrence of `from` in text by `to` (same length). */
static void patch(char *text, const char *from, const char *to)
{
    char *p = strstr(text, from);
    assert_non_null(p);
    assert_int_equal(strlen(from), strlen(to));
    memcpy(p, to, strlen(to));
}

static void test_checkpoints_and_bundles(void **state)
{
    (void)state;
    ph_ctx *ctx = NULL;
    char *dir = NULL;
    ph_error err;
    ph_test_env_open("evidence_cp", &ctx, &dir);
    ph_evidence_log *log = open_log(ctx, dir, "log");
    char *sk = ph_test_path(dir, "log.key"), *vk = ph_test_path(dir, "log.vkey");
    char *sk2 = ph_test_path(dir, "other.key"), *vk2 = ph_test_path(dir, "other.vkey");
    ph_assert_ok(ph_evidence_keygen(ctx, "test.local/log", sk, vk, &err), &err);
    ph_assert_error(ph_evidence_keygen(ctx, "test.local/log", sk, vk, &err), PH_EEXISTS, &err,
                    "refusing to overwrite");
    ph_assert_ok(ph_evidence_keygen(ctx, "test.local/log", sk2, vk2, &err), &err);
    struct stat sb;
    assert_int_equal(stat(sk, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    size_t vlen = 0, vlen2 = 0;
    char *vkey = slurp(vk, &vlen), *vkey2 = slurp(vk2, &vlen2);
    for (uint64_t i = 0; i < 100; i++) {
        char text[64];
        leaf_text(i, text, sizeof(text));
        ph_assert_ok(ph_evidence_append(log, text, strlen(text), NULL, &err), &err);
    }
    char *note = NULL;
    ph_assert_ok(ph_evidence_checkpoint(log, sk, &note, &err), &err);
    assert_non_null(strstr(note, "test.local/log\n100\n"));
    ph_evidence_checkpoint_info cp;
    ph_assert_ok(ph_evidence_checkpoint_open(note, strlen(note), vkey, &cp, &err), &err);
    assert_string_equal(cp.origin, "test.local/log");
    assert_int_equal(cp.size, 100);
    uint8_t root[H];
    ph_assert_ok(ph_evidence_root(log, 100, root, &err), &err);
    assert_memory_equal(cp.root, root, H);
    /* the same text is in <dir>/checkpoint */
    char *logdir = ph_test_path(dir, "log"), cpath[1024];
    snprintf(cpath, sizeof(cpath), "%s/checkpoint", logdir);
    size_t clen = 0;
    char *stored = slurp(cpath, &clen);
    assert_string_equal(stored, note);
    free(stored);

    /* another key's verifier: no signature by it */
    ph_assert_error(ph_evidence_checkpoint_open(note, strlen(note), vkey2, &cp, &err),
                    PH_EVERIFY, &err, "no signature by the key");
    /* an edited size: well formed, but the signature no longer verifies */
    char *forged = strdup(note);
    patch(forged, "\n100\n", "\n101\n");
    ph_assert_error(ph_evidence_checkpoint_open(forged, strlen(forged), vkey, &cp, &err),
                    PH_EVERIFY, &err, "does not verify");
    free(forged);
    /* one flipped signature character */
    forged = strdup(note);
    char *sig = strrchr(forged, ' ') + 20; /* past the key id */
    *sig = *sig == 'A' ? 'B' : 'A';
    ph_assert_error(ph_evidence_checkpoint_open(forged, strlen(forged), vkey, &cp, &err),
                    PH_EVERIFY, &err, "does not verify");
    free(forged);
    /* malformed: located */
    forged = strdup(note);
    patch(forged, "\n100\n", "\n1x0\n");
    ph_assert_error(ph_evidence_checkpoint_open(forged, strlen(forged), vkey, &cp, &err),
                    PH_EINVAL, &err, "checkpoint:2:2: not a checkpoint: the tree size");
    free(forged);
    const char *no_blank = "test.local/log\n100\nAAAA\n";
    ph_assert_error(ph_evidence_checkpoint_open(no_blank, strlen(no_blank), vkey, &cp, &err),
                    PH_EINVAL, &err, "no blank line");
    ph_assert_error(ph_evidence_checkpoint_open(note, strlen(note), "test.local/log+zz", &cp,
                                                &err),
                    PH_EINVAL, &err, "verifier key");

    /* a bundle of three leaves verifies against the checkpoint, offline */
    char *bpath = ph_test_path(dir, "b.json");
    uint64_t idx[3] = {0, 57, 99};
    ph_assert_ok(ph_evidence_bundle_write(log, idx, 3, 100, bpath, &err), &err);
    size_t blen = 0, leaves = 0;
    char *bundle = slurp(bpath, &blen);
    ph_assert_ok(ph_evidence_bundle_verify(ctx, bundle, blen, note, strlen(note), vkey, &leaves,
                                           &err),
                 &err);
    assert_int_equal(leaves, 3);
    /* a leaf's bytes edited (another event's base64 of the same length) */
    char *forged_bundle = strdup(bundle);
    patch(forged_bundle, "\"data\": \"eyJ0eXBlIjoidGVzdCIsImkiOjU3fQ==\"",
          "\"data\": \"eyJ0eXBlIjoidGVzdCIsImkiOjU4fQ==\"");
    ph_assert_error(ph_evidence_bundle_verify(ctx, forged_bundle, blen, note, strlen(note), vkey,
                                              &leaves, &err),
                    PH_EVERIFY, &err, "leaf 57 (the bundle's leaves[1]) is not in the");
    free(forged_bundle);
    /* a malformed proof hash: located in the bundle's text */
    forged_bundle = strdup(bundle);
    char *proof = strstr(strstr(forged_bundle, "\"proof\""), "[");
    char *q = strchr(proof, '"');
    q[1] = '!';
    ph_assert_error(ph_evidence_bundle_verify(ctx, forged_bundle, blen, note, strlen(note), vkey,
                                              &leaves, &err),
                    PH_EINVAL, &err, "leaves[0].proof[0]");
    assert_string_equal(err.source, "bundle");
    assert_true(err.line > 1);
    free(forged_bundle);
    const char *junk = "{\"format\": \"puhui-evidence-bundle/1\", \"extra\": 1}";
    ph_assert_error(ph_evidence_bundle_verify(ctx, junk, strlen(junk), note, strlen(note), vkey,
                                              &leaves, &err),
                    PH_EINVAL, &err, "bundle:1:39: field extra: unknown member");
    ph_assert_error(ph_evidence_bundle_verify(ctx, "{\"format\":", 10, note, strlen(note), vkey,
                                              &leaves, &err),
                    PH_EINVAL, &err, "invalid JSON");

    /* the log grows: the old bundle does not match the new checkpoint */
    ph_assert_ok(ph_evidence_append(log, "more", 4, NULL, &err), &err);
    char *note2 = NULL;
    ph_assert_ok(ph_evidence_checkpoint(log, sk, &note2, &err), &err);
    ph_assert_error(ph_evidence_bundle_verify(ctx, bundle, blen, note2, strlen(note2), vkey,
                                              &leaves, &err),
                    PH_EVERIFY, &err, "tree of 100 leaves, the checkpoint signs a tree of 101");
    /* ...and the two checkpoints are consistent */
    ph_evidence_checkpoint_info cp2;
    ph_assert_ok(ph_evidence_checkpoint_open(note, strlen(note), vkey, &cp, &err), &err);
    ph_assert_ok(ph_evidence_checkpoint_open(note2, strlen(note2), vkey, &cp2, &err), &err);
    uint8_t path[PH_EVIDENCE_MAX_PATH][H];
    size_t k = 0;
    ph_assert_ok(ph_evidence_prove_consistency(log, cp.size, cp2.size, path, &k, &err), &err);
    ph_assert_ok(ph_merkle_verify_consistency(cp.size, cp2.size, cp.root, cp2.root,
                                              (const uint8_t(*)[H])path, k, &err),
                 &err);
    ph_free(ctx, note);
    ph_free(ctx, note2);
    free(bundle);
    free(bpath);
    free(vkey);
    free(vkey2);
    free(logdir);
    free(sk);
    free(vk);
    free(sk2);
    free(vk2);
    ph_evidence_free(log);
    ph_test_env_close(ctx, dir);
}

/* Records proving themselves (ph_evidence_claims_*): each claim "leaf i
 * holds these bytes" is checked against the log, the ones that hold go into
 * one bundle that verifies offline; a claim with other bytes (an edited
 * row), no index (recorded without a log) or an index past the tree is
 * refused naming the record, and is not bundled. */
static void test_claims(void **state)
{
    (void)state;
    ph_ctx *ctx = NULL;
    char *dir = NULL;
    ph_error err;
    ph_test_env_open("evidence_claims", &ctx, &dir);
    ph_evidence_log *log = open_log(ctx, dir, "log");
    char *sk = ph_test_path(dir, "log.key"), *vk = ph_test_path(dir, "log.vkey");
    ph_assert_ok(ph_evidence_keygen(ctx, "test.local/log", sk, vk, &err), &err);
    char text[64];
    for (uint64_t i = 0; i < 10; i++) {
        leaf_text(i, text, sizeof(text));
        ph_assert_ok(ph_evidence_append(log, text, strlen(text), NULL, &err), &err);
        if (i == 7) {
            char *note = NULL;
            ph_assert_ok(ph_evidence_checkpoint(log, sk, &note, &err), &err);
            ph_free(ctx, note);
        }
    }
    ph_evidence_claims *c = NULL;
    ph_assert_error(ph_evidence_claims_new(log, 0, &c, &err), PH_EINVAL, &err,
                    "field size, value '0': expected 1 to the log's 10 leaves");
    ph_assert_error(ph_evidence_claims_new(log, 11, &c, &err), PH_EINVAL, &err,
                    "expected 1 to the log's 10 leaves");
    assert_null(c);
    ph_assert_ok(ph_evidence_claims_new(log, 8, &c, &err), &err);
    leaf_text(2, text, sizeof(text));
    ph_assert_ok(ph_evidence_claims_check(c, 2, text, strlen(text), "t", "2", "row 2", &err),
                 &err);
    leaf_text(5, text, sizeof(text));
    ph_assert_ok(ph_evidence_claims_check(c, 5, text, strlen(text), "t", "5", "row 5", &err),
                 &err);
    /* row 3 edited after it was logged: its bytes are leaf 4's */
    leaf_text(4, text, sizeof(text));
    ph_assert_error(ph_evidence_claims_check(c, 3, text, strlen(text), "t", "3", "row 3", &err),
                    PH_EVERIFY, &err,
                    "field t, value '3': row 3 is leaf 3, but the stored row no longer gives the "
                    "leaf the evidence log holds");
    ph_assert_error(ph_evidence_claims_check(c, -1, text, strlen(text), "t", "4", "row 4", &err),
                    PH_EINVAL, &err, "row 4 was recorded without an evidence log");
    leaf_text(9, text, sizeof(text));
    ph_assert_error(ph_evidence_claims_check(c, 9, text, strlen(text), "t", "9", "row 9", &err),
                    PH_EINVAL, &err, "row 9 is leaf 9, past the checkpoint's 8 leaves");
    assert_int_equal(ph_evidence_claims_count(c), 2);
    /* the bundle of the two that hold verifies against the checkpoint */
    char *bpath = ph_test_path(dir, "claims.json"), *logdir = ph_test_path(dir, "log"),
         cpath[1024];
    ph_assert_ok(ph_evidence_claims_bundle(c, bpath, &err), &err);
    ph_evidence_claims_free(c);
    snprintf(cpath, sizeof(cpath), "%s/checkpoint", logdir);
    size_t blen = 0, nlen = 0, vlen = 0, leaves = 0;
    char *bundle = slurp(bpath, &blen), *note = slurp(cpath, &nlen), *vkey = slurp(vk, &vlen);
    ph_assert_ok(ph_evidence_bundle_verify(ctx, bundle, blen, note, nlen, vkey, &leaves, &err),
                 &err);
    assert_int_equal(leaves, 2);
    assert_non_null(strstr(bundle, "\"tree_size\": 8"));
    free(bundle);
    free(note);
    free(vkey);
    free(bpath);
    free(logdir);
    free(sk);
    free(vk);
    ph_evidence_free(log);
    ph_test_env_close(ctx, dir);
}

/* A reader beside the writer (puhui serve): no lock taken, so the writer goes
 * on; the reader sees the leaves whole at its open, a torn tail is not counted
 * and nothing is cut; it cannot append; its bundle text is the file's bytes. */
static void test_readonly_reader(void **state)
{
    (void)state;
    ph_ctx *ctx = NULL;
    char *dir = NULL;
    ph_error err;
    ph_test_env_open("evidence_ro", &ctx, &dir);
    char *logdir = ph_test_path(dir, "log");
    ph_evidence_log *ro = NULL;
    ph_assert_error(ph_evidence_open_read(ctx, logdir, NULL, &ro, &err), PH_ENOTFOUND, &err,
                    "no evidence log here");
    ph_evidence_log *log = open_log(ctx, dir, "log");
    char text[64];
    for (uint64_t i = 0; i < 100; i++) {
        leaf_text(i, text, sizeof(text));
        ph_assert_ok(ph_evidence_append(log, text, strlen(text), NULL, &err), &err);
    }
    ph_assert_ok(ph_evidence_commit(log, &err), &err);
    /* the writer holds its lock; a reader opens all the same */
    ph_assert_ok(ph_evidence_open_read(ctx, logdir, NULL, &ro, &err), &err);
    assert_int_equal(ph_evidence_size(ro), 100);
    assert_string_equal(ph_evidence_origin(ro), "test.local/log");
    uint8_t a[H], b[H];
    ph_assert_ok(ph_evidence_root(log, 100, a, &err), &err);
    ph_assert_ok(ph_evidence_root(ro, 100, b, &err), &err);
    assert_memory_equal(a, b, H);
    ph_assert_error(ph_evidence_append(ro, "x", 1, NULL, &err), PH_EMISUSE, &err, "read-only");
    ph_assert_error(ph_evidence_commit(ro, &err), PH_EMISUSE, &err, "read-only");
    /* the bundle in memory is the file writer's bytes */
    uint64_t idx[2] = {3, 97};
    char *bpath = ph_test_path(dir, "b.json");
    ph_assert_ok(ph_evidence_bundle_write(log, idx, 2, 100, bpath, &err), &err);
    size_t flen = 0, tlen = 0;
    char *file = slurp(bpath, &flen), *mem = NULL;
    ph_assert_ok(ph_evidence_bundle_text(ro, idx, 2, 100, &mem, &tlen, &err), &err);
    assert_int_equal(tlen, flen);
    assert_memory_equal(mem, file, flen);
    assert_int_equal(mem[tlen], '\0');
    ph_free(ctx, mem);
    free(file);
    /* the writer goes on; the reader keeps the size it opened with */
    for (uint64_t i = 100; i < 150; i++) {
        leaf_text(i, text, sizeof(text));
        ph_assert_ok(ph_evidence_append(log, text, strlen(text), NULL, &err), &err);
    }
    ph_assert_ok(ph_evidence_commit(log, &err), &err);
    assert_int_equal(ph_evidence_size(ro), 100);
    ph_evidence_free(ro);
    ph_evidence_free(log);
    /* a torn tail is not counted and not cut by a reader */
    off_t leaves = file_size(logdir, "leaves");
    append_file(logdir, "leaves", "{\"type\":\"torn", 13);
    append_file(logdir, "index", "\x01\x02\x03", 3);
    ph_assert_ok(ph_evidence_open_read(ctx, logdir, NULL, &ro, &err), &err);
    assert_int_equal(ph_evidence_size(ro), 150);
    ph_evidence_free(ro);
    assert_int_equal(file_size(logdir, "leaves"), leaves + 13);
    free(bpath);
    free(logdir);
    ph_test_env_close(ctx, dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_vectors),
        cmocka_unit_test(test_against_reference),
        cmocka_unit_test(test_reopen_and_torn_tail),
        cmocka_unit_test(test_damage_before_the_tail),
        cmocka_unit_test(test_bad_index_entry),
        cmocka_unit_test(test_rollback),
        cmocka_unit_test(test_failed_sync_breaks_the_log),
        cmocka_unit_test(test_reader_beside_a_writer),
        cmocka_unit_test(test_directories_synced),
        cmocka_unit_test(test_check_finds_damage),
        cmocka_unit_test(test_killed_writer),
        cmocka_unit_test(test_checkpoints_and_bundles),
        cmocka_unit_test(test_claims),
        cmocka_unit_test(test_readonly_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
