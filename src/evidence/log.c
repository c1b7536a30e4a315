/*
 * The evidence log's storage: a directory of append-only files.
 *
 *   meta      "puhui evidence log 1\norigin <origin>\n", written once
 *   leaves    every leaf's bytes, one after another
 *   index     for leaf i, the little-endian uint64 offset in `leaves` where
 *             it ends (it starts where leaf i-1 ends)
 *   hashes    every complete subtree's hash, 32 bytes each, in the order
 *             they become complete: leaf i's hash, then the parents leaf i
 *             completes, lowest first. So the node at level l with index j
 *             (covering leaves j*2^l .. (j+1)*2^l - 1) sits right after the
 *             hash of its last leaf m = (j+1)*2^l - 1, l places on, and leaf
 *             m's own hash is preceded by S(m) = 2m - popcount(m) hashes (the
 *             complete nodes among the first m leaves, all levels).
 *   size      the committed size: how many leaves (and bytes of leaf data)
 *             the last finished commit made durable, in two checksummed
 *             records (see "the committed size" below)
 *   lock      held with flock by the one writer
 *
 * Why this shape: a proof or a root needs O(log n) complete-subtree hashes,
 * each one read at a computed position of a memory-mapped file, never a
 * tree walk or a database query; an append adds one leaf hash and, on
 * average, one parent, all buffered. ph_evidence_commit writes the buffers
 * and fdatasyncs the three files, then records the new size in `size` and
 * fdatasyncs it: a batch of leaves costs four syncs.
 *
 * Crash recovery: pages of a batch being committed reach the disk in no
 * particular order, so after a crash a page in the middle of the batch may
 * read as zeros while the files' tails look whole - checking only the last
 * leaf would keep a leaf whose stored hash is not its bytes' hash. The size
 * file is what decides: it is written only after the leaves it counts were
 * synced, so on open every file is cut back to exactly the committed size,
 * and what lies past it (the unfinished batch, whatever its state) is
 * dropped. The last committed leaf is checked to recompute; if it does not,
 * or a file is shorter than the committed size, the log was damaged by
 * something other than a crash and open refuses it (PH_EIO). A log made
 * before the size file (none there) is recovered as it was then - the
 * largest size whose last leaf recomputes - and gets its size file.
 */
#define _DEFAULT_SOURCE /* flock */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "evidence/evidence_internal.h"

#define META_MAGIC "puhui evidence log 1\n"
#define DEFAULT_ORIGIN "puhui.local/evidence"
#define FLUSH_AT (4u << 20) /* write a file's buffer out (unsynced) past 4 MiB */
#define MAX_LEAF (64u << 20)

/* One append-only file: what is on disk (mapped on demand) and what is
 * still buffered after it. Records never straddle the two. */
typedef struct afile {
    const char *name;
    int fd;
    uint64_t disk; /* bytes in the file */
    uint8_t *buf;
    size_t len, cap;
    uint8_t *map;
    size_t map_len;
} afile;

struct ph_evidence_log {
    const ph_ctx *ctx;
    char *dir;
    char origin[256];
    int lock_fd;
    afile leaves, index, hashes;
    uint64_t size;      /* leaves appended */
    uint64_t committed; /* leaves durable */
    uint64_t data_end;  /* bytes of leaf data appended */
    uint64_t committed_end; /* bytes of leaf data durable */
    int size_fd;            /* `size`: the committed size */
    unsigned size_slot;     /* the record of `size` the next commit writes */
    int created;            /* a file was made by this open */
    int readonly;           /* ph_evidence_open_read: no lock, no writes */
    evidence_sync_fn sync;  /* NULL: fdatasync / fsync */
    void *sync_user;
    int broken;             /* a write or sync failed: reopen (log_failed) */
    char broken_why[PH_ERROR_DETAIL_MAX];
    /* left[l]: the hash of the last node at level l when its index is even,
     * waiting for its right sibling */
    uint8_t left[PH_EVIDENCE_MAX_PATH][PH_EVIDENCE_HASH];
};

const char *evidence_dir(const ph_evidence_log *log) { return log->dir; }
const ph_ctx *evidence_ctx(const ph_evidence_log *log) { return log->ctx; }

/* ---- positions ------------------------------------------------------------------------- */

static uint64_t popcount64(uint64_t x)
{
    uint64_t c = 0;
    for (; x; x &= x - 1)
        c++;
    return c;
}

/* Hashes stored for a tree of n leaves. */
static uint64_t stored_count(uint64_t n) { return 2 * n - popcount64(n); }

/* Position in `hashes` of node (level, j). */
static uint64_t node_pos(unsigned level, uint64_t j)
{
    uint64_t m = ((j + 1) << level) - 1;
    return stored_count(m) + level;
}

/* ---- files ----------------------------------------------------------------------------- */

static ph_status io_error(const ph_evidence_log *log, const afile *f, const char *what, int e,
                          ph_error *err)
{
    return ph_error_set(err, PH_EIO, "file", f ? f->name : log->dir, "%s %s/%s: %s", what,
                        log->dir, f ? f->name : "", strerror(e));
}

/* fdatasync (whole: fsync, for a directory), or the test's stand-in. */
static int log_sync(const ph_evidence_log *log, int fd, int whole)
{
    if (log->sync != NULL)
        return log->sync(log->sync_user, fd, whole);
    return whole ? fsync(fd) : fdatasync(fd);
}

/*
 * After a failed write or sync nothing is known of what the files hold past
 * the last commit: a failed fdatasync may have dropped the dirty pages it
 * could not write and marked them clean, so a retried commit would report
 * success over lost leaves. The log is marked broken: every later append,
 * commit or rollback is refused with PH_EIO until it is reopened, which
 * recovers the last commit from the size file.
 */
static ph_status io_fail(ph_evidence_log *log, const afile *f, const char *what, int e,
                         ph_error *err)
{
    ph_error mine;
    ph_status st = io_error(log, f, what, e, &mine);
    if (!log->broken) {
        log->broken = 1;
        snprintf(log->broken_why, sizeof(log->broken_why), "%s", mine.detail);
    }
    if (err != NULL)
        *err = mine;
    return st;
}

static ph_status refuse_broken(const ph_evidence_log *log, ph_error *err)
{
    return ph_error_set(err, PH_EIO, "dir", log->dir,
                        "the evidence log in %s must be reopened: an earlier write or sync "
                        "failed (%s), so what its files hold past the last commit is unknown; "
                        "reopening recovers the last commit",
                        log->dir, log->broken_why);
}

/* The directory path names live in (its parent for a file or directory
 * path), into buf. */
static void parent_of(const char *path, char *buf, size_t size)
{
    snprintf(buf, size, "%s", path);
    size_t n = strlen(buf);
    while (n > 1 && buf[n - 1] == '/')
        buf[--n] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash == NULL)
        snprintf(buf, size, ".");
    else if (slash == buf)
        buf[1] = '\0';
    else
        *slash = '\0';
}

/* fsync a directory: the names made or renamed in it survive a crash. */
static ph_status sync_dir(const ph_evidence_log *log, const char *dir, ph_error *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return ph_error_set(err, PH_EIO, "dir", dir, "cannot open %s to sync it: %s", dir,
                            strerror(errno));
    int r = log != NULL ? log_sync(log, fd, 1) : fsync(fd);
    int e = errno;
    close(fd);
    if (r != 0)
        return ph_error_set(err, PH_EIO, "dir", dir,
                            "cannot sync the directory %s (the names made in it may not "
                            "survive a crash): %s",
                            dir, strerror(e));
    return PH_OK;
}

ph_status evidence_sync_parent(const ph_evidence_log *log, const char *path, ph_error *err)
{
    char dir[4096];
    parent_of(path, dir, sizeof(dir));
    return sync_dir(log, dir, err);
}

static ph_status refuse_readonly(const ph_evidence_log *log, const char *what, ph_error *err)
{
    return ph_error_set(err, PH_EMISUSE, "dir", log->dir,
                        "cannot %s the evidence log in %s: it was opened read-only "
                        "(ph_evidence_open_read); open it with ph_evidence_open to write",
                        what, log->dir);
}

static char *join(const ph_ctx *ctx, const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = ph_malloc(ctx, n);
    if (p != NULL)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static ph_status afile_open(ph_evidence_log *log, afile *f, const char *name, ph_error *err)
{
    f->name = name;
    f->fd = -1;
    char *path = join(log->ctx, log->dir, name);
    if (path == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    f->fd = open(path, log->readonly ? O_RDONLY | O_CLOEXEC : O_RDWR | O_CLOEXEC);
    if (f->fd < 0 && errno == ENOENT && !log->readonly) {
        f->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        log->created = 1;
    }
    int e = errno;
    ph_free(log->ctx, path);
    if (f->fd < 0)
        return io_error(log, f, "cannot open", e, err);
    struct stat sb;
    if (fstat(f->fd, &sb) != 0)
        return io_error(log, f, "cannot stat", errno, err);
    f->disk = (uint64_t)sb.st_size;
    return PH_OK;
}

static void afile_unmap(afile *f)
{
    if (f->map != NULL)
        munmap(f->map, f->map_len);
    f->map = NULL;
    f->map_len = 0;
}

static void afile_close(const ph_ctx *ctx, afile *f)
{
    afile_unmap(f);
    if (f->fd >= 0)
        close(f->fd);
    ph_free(ctx, f->buf);
    memset(f, 0, sizeof(*f));
    f->fd = -1;
}

static ph_status afile_write_out(ph_evidence_log *log, afile *f, ph_error *err)
{
    size_t done = 0;
    while (done < f->len) {
        ssize_t w = pwrite(f->fd, f->buf + done, f->len - done, (off_t)(f->disk + done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return io_fail(log, f, "cannot write", w < 0 ? errno : EIO, err);
        done += (size_t)w;
    }
    f->disk += f->len;
    f->len = 0;
    return PH_OK;
}

static ph_status afile_put(ph_evidence_log *log, afile *f, const void *data, size_t n,
                           ph_error *err)
{
    if (f->len + n > f->cap) {
        size_t cap = f->cap ? f->cap : 64 * 1024;
        while (cap < f->len + n)
            cap *= 2;
        uint8_t *buf = ph_realloc(log->ctx, f->buf, cap);
        if (buf == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        f->buf = buf;
        f->cap = cap;
    }
    memcpy(f->buf + f->len, data, n);
    f->len += n;
    return PH_OK;
}

/* n bytes at offset off, whole on disk or whole in the buffer; NULL on a
 * failed map (err set). */
static const uint8_t *afile_at(ph_evidence_log *log, afile *f, uint64_t off, size_t n,
                               ph_error *err)
{
    if (off >= f->disk)
        return f->buf + (off - f->disk);
    if (off + n > f->map_len) {
        afile_unmap(f);
        void *p = mmap(NULL, (size_t)f->disk, PROT_READ, MAP_SHARED, f->fd, 0);
        if (p == MAP_FAILED) {
            io_error(log, f, "cannot map", errno, err);
            return NULL;
        }
        f->map = p;
        f->map_len = (size_t)f->disk;
    }
    return f->map + off;
}

static ph_status node_at(ph_evidence_log *log, unsigned level, uint64_t j,
                         uint8_t out[PH_EVIDENCE_HASH], ph_error *err)
{
    const uint8_t *h = afile_at(log, &log->hashes, node_pos(level, j) * PH_EVIDENCE_HASH,
                                PH_EVIDENCE_HASH, err);
    if (h == NULL)
        return PH_EIO;
    memcpy(out, h, PH_EVIDENCE_HASH);
    return PH_OK;
}

static uint64_t get_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static void put_le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++, v >>= 8)
        p[i] = (uint8_t)v;
}

/* Where leaf i's bytes end. */
static ph_status leaf_end(ph_evidence_log *log, uint64_t i, uint64_t *end, ph_error *err)
{
    const uint8_t *p = afile_at(log, &log->index, i * 8, 8, err);
    if (p == NULL)
        return PH_EIO;
    *end = get_le64(p);
    return PH_OK;
}

/* ---- meta and lock --------------------------------------------------------------------- */

static ph_status write_meta(ph_evidence_log *log, const char *path, ph_error *err)
{
    char text[300];
    int n = snprintf(text, sizeof(text), META_MAGIC "origin %s\n", log->origin);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return io_error(log, NULL, "cannot create meta in", errno, err);
    int e = write(fd, text, (size_t)n) == n ? 0 : errno ? errno : EIO;
    if (e == 0 && fsync(fd) != 0)
        e = errno;
    close(fd);
    if (e != 0)
        return io_error(log, NULL, "cannot write meta in", e, err);
    return PH_OK;
}

static ph_status check_origin(const char *origin, ph_error *err)
{
    size_t n = strlen(origin);
    if (n == 0 || n >= 256)
        return ph_error_set(err, PH_EINVAL, "origin", origin,
                            "expected a log name of 1 to 255 characters");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)origin[i];
        if (c <= 0x20 || c == 0x7f || c == '+')
            return ph_error_set(err, PH_EINVAL, "origin", origin,
                                "expected a log name without spaces, control characters or "
                                "'+' (column %zu), such as puhui.local/evidence",
                                i + 1);
    }
    return PH_OK;
}

static ph_status read_meta(ph_evidence_log *log, const char *path, const char *want,
                           ph_error *err)
{
    char text[400];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return io_error(log, NULL, "cannot read meta in", errno, err);
    ssize_t n = read(fd, text, sizeof(text) - 1);
    close(fd);
    if (n < 0)
        return io_error(log, NULL, "cannot read meta in", errno, err);
    text[n] = '\0';
    size_t magic = strlen(META_MAGIC);
    char *nl = NULL;
    if ((size_t)n < magic || memcmp(text, META_MAGIC, magic) != 0 ||
        strncmp(text + magic, "origin ", 7) != 0 ||
        (nl = strchr(text + magic + 7, '\n')) == NULL || nl[1] != '\0' ||
        (size_t)(nl - (text + magic + 7)) >= sizeof(log->origin))
        return ph_error_set(err, PH_EINVAL, "file", path,
                            "expected the evidence log's meta file (\"%.20s\" then "
                            "\"origin NAME\"): the directory is not an evidence log",
                            META_MAGIC);
    *nl = '\0';
    memcpy(log->origin, text + magic + 7, (size_t)(nl - (text + magic + 7)) + 1);
    if (want != NULL && strcmp(want, log->origin) != 0)
        return ph_error_set(err, PH_EINVAL, "origin", want,
                            "the log in %s is named '%s', not '%s': its checkpoints would "
                            "not verify under another name",
                            log->dir, log->origin, want);
    return PH_OK;
}

static ph_status take_lock(ph_evidence_log *log, ph_error *err)
{
    char *path = join(log->ctx, log->dir, "lock");
    if (path == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    log->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    int e = errno;
    ph_free(log->ctx, path);
    if (log->lock_fd < 0)
        return io_error(log, NULL, "cannot open the lock in", e, err);
    if (flock(log->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK)
            return ph_error_set(err, PH_EBUSY, "dir", log->dir,
                                "another process has the evidence log open for writing; try "
                                "again when it is done");
        return io_error(log, NULL, "cannot lock", errno, err);
    }
    return PH_OK;
}

/* ---- the committed size ------------------------------------------------------------------ */

/*
 * `size` holds the committed size twice, in records at bytes 0 and 512
 * (separate sectors: a write torn by a crash spoils one record, never both).
 * A record is "PHEVSZ01", the number of leaves and the bytes of leaf data
 * (little-endian uint64 each), and the first 8 bytes of the SHA-256 of those
 * 24 bytes, so a torn record is seen as such. A commit writes the record
 * the commit before it did not: the valid record with the larger size is
 * the last commit, and a record torn while being written leaves the one
 * before it - an older commit, whose leaves were synced before it was.
 */
#define SIZE_FILE "size"
#define SIZE_MAGIC "PHEVSZ01"
#define SIZE_REC 32
#define SIZE_SLOT 512
#define SIZE_LEN (2 * SIZE_SLOT)

static void size_record(uint64_t n, uint64_t end, uint8_t rec[SIZE_REC])
{
    uint8_t sum[crypto_hash_sha256_BYTES];
    memcpy(rec, SIZE_MAGIC, 8);
    put_le64(rec + 8, n);
    put_le64(rec + 16, end);
    crypto_hash_sha256(sum, rec, 24);
    memcpy(rec + 24, sum, 8);
}

static int size_record_read(const uint8_t *rec, uint64_t *n, uint64_t *end)
{
    uint8_t want[SIZE_REC];
    uint64_t a = get_le64(rec + 8), b = get_le64(rec + 16);
    size_record(a, b, want);
    if (memcmp(want, rec, SIZE_REC) != 0)
        return 0;
    *n = a;
    *end = b;
    return 1;
}

static ph_status pwrite_all(int fd, const uint8_t *p, size_t n, uint64_t at)
{
    size_t done = 0;
    while (done < n) {
        ssize_t w = pwrite(fd, p + done, n - done, (off_t)(at + done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return w < 0 ? errno : EIO;
        done += (size_t)w;
    }
    return 0;
}

/* The committed size from `size`: *known 0 when the file is missing (a log
 * made before it existed) or holds no valid record. */
static ph_status size_read(ph_evidence_log *log, int *known, uint64_t *n, uint64_t *end,
                           ph_error *err)
{
    *known = 0;
    char *path = join(log->ctx, log->dir, SIZE_FILE);
    if (path == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    log->size_fd = open(path, (log->readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    int e = errno;
    ph_free(log->ctx, path);
    if (log->size_fd < 0)
        return e == ENOENT ? PH_OK : io_error(log, NULL, "cannot open the size file in", e, err);
    uint8_t buf[SIZE_LEN];
    memset(buf, 0, sizeof(buf));
    ssize_t got;
    while ((got = pread(log->size_fd, buf, sizeof(buf), 0)) < 0 && errno == EINTR)
        ;
    if (got < 0)
        return io_error(log, NULL, "cannot read the size file in", errno, err);
    for (unsigned slot = 0; slot < 2; slot++) {
        uint64_t a = 0, b = 0;
        if (!size_record_read(buf + slot * SIZE_SLOT, &a, &b) || (*known && a < *n))
            continue;
        *known = 1;
        *n = a;
        *end = b;
        log->size_slot = slot ^ 1u; /* the next commit writes the other record */
    }
    if (!*known)
        ph_log(log->ctx, PH_LOG_WARN,
               "evidence log %s: the size file holds no valid record; the committed size is "
               "recovered from the files' tails, as for a log made before the size file",
               log->dir);
    return PH_OK;
}

/* Make `size` anew holding n leaves of end bytes in both records (a new log,
 * or one made before the size file), synced. */
static ph_status size_create(ph_evidence_log *log, uint64_t n, uint64_t end, ph_error *err)
{
    char *path = join(log->ctx, log->dir, SIZE_FILE);
    if (path == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    if (log->size_fd >= 0)
        close(log->size_fd);
    log->size_fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int e = errno;
    ph_free(log->ctx, path);
    if (log->size_fd < 0)
        return io_error(log, NULL, "cannot create the size file in", e, err);
    uint8_t buf[SIZE_LEN];
    memset(buf, 0, sizeof(buf));
    size_record(n, end, buf);
    size_record(n, end, buf + SIZE_SLOT);
    if ((e = pwrite_all(log->size_fd, buf, sizeof(buf), 0)) != 0 ||
        (e = log_sync(log, log->size_fd, 0) != 0 ? errno : 0) != 0)
        return io_error(log, NULL, "cannot write the size file in", e, err);
    log->size_slot = 0;
    log->created = 1;
    return PH_OK;
}

/* Record n leaves of end bytes as committed: one record, synced. */
static ph_status size_write(ph_evidence_log *log, uint64_t n, uint64_t end, ph_error *err)
{
    uint8_t rec[SIZE_REC];
    size_record(n, end, rec);
    int e = pwrite_all(log->size_fd, rec, sizeof(rec), (uint64_t)log->size_slot * SIZE_SLOT);
    if (e == 0 && log_sync(log, log->size_fd, 0) != 0)
        e = errno;
    if (e != 0)
        return io_fail(log, NULL, "cannot record the committed size in", e, err);
    log->size_slot ^= 1u;
    return PH_OK;
}

/* ---- recovery -------------------------------------------------------------------------- */

/* Whether the bytes [start, end) of leaf i hash to its stored hash
 * (*match); want: their hash. The caller has checked start <= end and
 * that the bytes are in the file. */
static ph_status leaf_matches(ph_evidence_log *log, uint64_t i, uint64_t start, uint64_t end,
                              uint8_t want[PH_EVIDENCE_HASH], int *match, ph_error *err)
{
    const uint8_t *data = end > start ? afile_at(log, &log->leaves, start, end - start, err)
                                      : (const uint8_t *)"";
    if (data == NULL)
        return PH_EIO;
    uint8_t got[PH_EVIDENCE_HASH];
    ph_merkle_leaf_hash(data, (size_t)(end - start), want);
    ph_status st = node_at(log, 0, i, got, err);
    if (st != PH_OK)
        return st;
    *match = sodium_memcmp(want, got, PH_EVIDENCE_HASH) == 0;
    return PH_OK;
}

/* 1 when leaf n-1's stored hash and the parents it completed recompute. */
static ph_status tail_sound(ph_evidence_log *log, uint64_t n, int *sound, ph_error *err)
{
    uint64_t i = n - 1, start = 0, end = 0;
    ph_status st = PH_OK;
    *sound = 0;
    if (i > 0)
        st = leaf_end(log, i - 1, &start, err);
    if (st == PH_OK)
        st = leaf_end(log, i, &end, err);
    if (st != PH_OK)
        return st;
    if (end < start || end > log->leaves.disk)
        return PH_OK;
    uint8_t want[PH_EVIDENCE_HASH], got[PH_EVIDENCE_HASH], l[PH_EVIDENCE_HASH];
    int match = 0;
    if ((st = leaf_matches(log, i, start, end, want, &match, err)) != PH_OK || !match)
        return st;
    for (unsigned lv = 0; ((i >> lv) & 1) == 1; lv++) {
        if ((st = node_at(log, lv, (i >> lv) - 1, l, err)) != PH_OK)
            return st;
        evidence_node_hash(l, want, want);
        if ((st = node_at(log, lv + 1, i >> (lv + 1), got, err)) != PH_OK)
            return st;
        if (sodium_memcmp(want, got, PH_EVIDENCE_HASH) != 0)
            return PH_OK;
    }
    *sound = 1;
    return PH_OK;
}

/* The size all three files hold entirely (monotone in n: binary search). */
static ph_status whole_size(ph_evidence_log *log, uint64_t *out, ph_error *err)
{
    uint64_t lo = 0, hi = log->index.disk / 8;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo + 1) / 2, end = 0;
        ph_status st = leaf_end(log, mid - 1, &end, err);
        if (st != PH_OK)
            return st;
        if (stored_count(mid) * PH_EVIDENCE_HASH <= log->hashes.disk &&
            end <= log->leaves.disk)
            lo = mid;
        else
            hi = mid - 1;
    }
    *out = lo;
    return PH_OK;
}

static ph_status cut(ph_evidence_log *log, afile *f, uint64_t len, ph_error *err)
{
    if (f->disk == len)
        return PH_OK;
    afile_unmap(f);
    if (ftruncate(f->fd, (off_t)len) != 0 || log_sync(log, f->fd, 0) != 0)
        return io_error(log, f, "cannot cut the uncommitted tail of", errno, err);
    f->disk = len;
    return PH_OK;
}

/* The files hold the n committed leaves of end bytes whole: what every
 * commit synced before it recorded its size. */
static ph_status committed_whole(ph_evidence_log *log, uint64_t n, uint64_t end, ph_error *err)
{
    uint64_t need[3] = {end, n * 8, stored_count(n) * PH_EVIDENCE_HASH};
    afile *files[3] = {&log->leaves, &log->index, &log->hashes};
    for (int i = 0; i < 3; i++)
        if (files[i]->disk < need[i])
            return ph_error_set(err, PH_EIO, "file", files[i]->name,
                                "the evidence log in %s has lost committed leaves: %s holds "
                                "%llu bytes, but the %llu leaves its size file records "
                                "committed need %llu",
                                log->dir, files[i]->name, (unsigned long long)files[i]->disk,
                                (unsigned long long)n, (unsigned long long)need[i]);
    uint64_t last = 0;
    ph_status st = n > 0 ? leaf_end(log, n - 1, &last, err) : PH_OK;
    if (st == PH_OK && last != end)
        st = ph_error_set(err, PH_EIO, "file", "index",
                          "the evidence log in %s is damaged: its index ends leaf %llu at byte "
                          "%llu, but the size file records %llu bytes of leaves committed",
                          log->dir, (unsigned long long)(n - 1), (unsigned long long)last,
                          (unsigned long long)end);
    return st;
}

/* Logs made before the size file: the largest size whose last leaf and the
 * parents it completed recompute. Trusts everything before that leaf (what
 * the size file now makes unnecessary). */
static ph_status tail_size(ph_evidence_log *log, uint64_t *out, uint64_t *end, ph_error *err)
{
    uint64_t n = 0;
    ph_status st = whole_size(log, &n, err);
    while (st == PH_OK && n > 0) {
        int sound = 0;
        st = tail_sound(log, n, &sound, err);
        if (st != PH_OK || sound)
            break;
        n--;
    }
    *end = 0;
    if (st == PH_OK && n > 0)
        st = leaf_end(log, n - 1, end, err);
    *out = n;
    return st;
}

/* The frontier: the last node of each level whose index is even. */
static ph_status load_frontier(ph_evidence_log *log, ph_error *err)
{
    uint64_t n = log->size;
    for (unsigned lv = 0; lv < PH_EVIDENCE_MAX_PATH && (n >> lv) != 0; lv++) {
        ph_status st = PH_OK;
        if (((n >> lv) & 1) == 1 &&
            (st = node_at(log, lv, (n >> lv) - 1, log->left[lv], err)) != PH_OK)
            return st;
    }
    return PH_OK;
}

static ph_status recover(ph_evidence_log *log, ph_error *err)
{
    uint64_t n = 0, end = 0;
    int known = 0;
    ph_status st = size_read(log, &known, &n, &end, err);
    if (st == PH_OK && known)
        st = committed_whole(log, n, end, err);
    else if (st == PH_OK)
        st = tail_size(log, &n, &end, err);
    if (st != PH_OK)
        return st;
    /* every commit synced the leaves before their size: a last committed
     * leaf that does not recompute is damage no crash makes (a writer
     * refuses it; a reader, which changes nothing, leaves it to
     * ph_evidence_check and the verifiers) */
    int sound = 1;
    if (known && n > 0 && !log->readonly && (st = tail_sound(log, n, &sound, err)) != PH_OK)
        return st;
    if (!sound)
        return ph_error_set(err, PH_EIO, "dir", log->dir,
                            "the evidence log in %s is damaged: its last committed leaf (%llu) "
                            "or a parent it completed does not recompute from the leaf's bytes; "
                            "`puhui evidence check` finds the first damaged leaf",
                            log->dir, (unsigned long long)(n - 1));
    if (log->readonly) {
        /* a reader sees the committed leaves only, whatever a writer is
         * appending past them */
        afile *files[3] = {&log->leaves, &log->index, &log->hashes};
        uint64_t lens[3] = {end, n * 8, stored_count(n) * PH_EVIDENCE_HASH};
        for (int i = 0; i < 3; i++) {
            afile_unmap(files[i]);
            files[i]->disk = lens[i];
        }
        log->size = log->committed = n;
        log->data_end = log->committed_end = end;
        return PH_OK;
    }
    if (log->leaves.disk > end || log->index.disk > n * 8 ||
        log->hashes.disk > stored_count(n) * PH_EVIDENCE_HASH)
        ph_log(log->ctx, PH_LOG_WARN,
               "evidence log %s: leaves appended after the %llu committed were never "
               "committed (a crash before a commit) and are cut off",
               log->dir, (unsigned long long)n);
    if ((st = cut(log, &log->index, n * 8, err)) != PH_OK ||
        (st = cut(log, &log->hashes, stored_count(n) * PH_EVIDENCE_HASH, err)) != PH_OK ||
        (st = cut(log, &log->leaves, end, err)) != PH_OK)
        return st;
    if (!known && (st = size_create(log, n, end, err)) != PH_OK)
        return st;
    log->size = log->committed = n;
    log->data_end = log->committed_end = end;
    return load_frontier(log, err);
}

/* ---- open and close -------------------------------------------------------------------- */

static ph_status open_log(const ph_ctx *ctx, const char *dir, const char *origin, int create,
                          int readonly, evidence_sync_fn sync, void *sync_user,
                          ph_evidence_log **out, ph_error *err);

ph_status ph_evidence_open(ph_ctx *ctx, const char *dir, const char *origin, int create,
                           ph_evidence_log **out, ph_error *err)
{
    return open_log(ctx, dir, origin, create, 0, NULL, NULL, out, err);
}

ph_status ph_evidence_open_read(const ph_ctx *ctx, const char *dir, const char *origin,
                                ph_evidence_log **out, ph_error *err)
{
    return open_log(ctx, dir, origin, 0, 1, NULL, NULL, out, err);
}

ph_status evidence_open_with(ph_ctx *ctx, const char *dir, const char *origin, int create,
                             evidence_sync_fn sync, void *sync_user, ph_evidence_log **out,
                             ph_error *err)
{
    return open_log(ctx, dir, origin, create, 0, sync, sync_user, out, err);
}

static ph_status open_log(const ph_ctx *ctx, const char *dir, const char *origin, int create,
                          int readonly, evidence_sync_fn sync, void *sync_user,
                          ph_evidence_log **out, ph_error *err)
{
    if (ctx == NULL || dir == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_evidence_open: ctx, dir and out must not be NULL");
    *out = NULL;
    ph_status st = PH_OK;
    if (origin != NULL && (st = check_origin(origin, err)) != PH_OK)
        return st;
    if (sodium_init() < 0)
        return ph_error_set(err, PH_ESTORE, NULL, NULL, "libsodium could not be initialised");
    ph_evidence_log *log = ph_calloc(ctx, 1, sizeof(*log));
    if (log == NULL || (log->dir = ph_strdup(ctx, dir)) == NULL) {
        ph_free(ctx, log);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    log->ctx = ctx;
    log->readonly = readonly;
    log->sync = sync;
    log->sync_user = sync_user;
    log->lock_fd = -1;
    log->size_fd = -1;
    log->leaves.fd = log->index.fd = log->hashes.fd = -1;
    char *meta = join(ctx, dir, "meta");
    struct stat sb;
    if (meta == NULL) {
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    } else if (stat(dir, &sb) != 0) {
        if (errno != ENOENT)
            st = io_error(log, NULL, "cannot reach", errno, err);
        else if (!create)
            st = ph_error_set(err, PH_ENOTFOUND, "dir", dir,
                              "no evidence log here: create it with `puhui evidence init`");
        else if (mkdir(dir, 0755) != 0)
            st = io_error(log, NULL, "cannot create the directory", errno, err);
        else /* the directory's own name, in its parent */
            st = evidence_sync_parent(log, dir, err);
    } else if (!S_ISDIR(sb.st_mode)) {
        st = ph_error_set(err, PH_EINVAL, "dir", dir,
                          "expected a directory for the evidence log");
    }
    if (st == PH_OK && !readonly)
        st = take_lock(log, err);
    if (st == PH_OK) {
        if (stat(meta, &sb) == 0) {
            st = read_meta(log, meta, origin, err);
        } else if (errno != ENOENT) {
            st = io_error(log, NULL, "cannot reach meta in", errno, err);
        } else if (!create) {
            st = ph_error_set(err, PH_ENOTFOUND, "dir", dir,
                              "no evidence log here (no meta file): create it with `puhui "
                              "evidence init`");
        } else {
            snprintf(log->origin, sizeof(log->origin), "%s", origin ? origin : DEFAULT_ORIGIN);
            st = write_meta(log, meta, err);
            log->created = 1;
        }
    }
    ph_free(ctx, meta);
    if (st == PH_OK)
        st = afile_open(log, &log->leaves, "leaves", err);
    if (st == PH_OK)
        st = afile_open(log, &log->index, "index", err);
    if (st == PH_OK)
        st = afile_open(log, &log->hashes, "hashes", err);
    if (st == PH_OK)
        st = recover(log, err);
    /* the files made here are named in the directory: sync it, or a crash
     * could leave a log whose size file or leaves were never there */
    if (st == PH_OK && log->created)
        st = sync_dir(log, dir, err);
    if (st != PH_OK) {
        ph_evidence_free(log);
        return st;
    }
    *out = log;
    return PH_OK;
}

void ph_evidence_free(ph_evidence_log *log)
{
    if (log == NULL)
        return;
    const ph_ctx *ctx = log->ctx;
    afile_close(ctx, &log->leaves);
    afile_close(ctx, &log->index);
    afile_close(ctx, &log->hashes);
    if (log->size_fd >= 0)
        close(log->size_fd);
    if (log->lock_fd >= 0)
        close(log->lock_fd); /* releases the flock */
    ph_free(ctx, log->dir);
    sodium_memzero(log, sizeof(*log));
    ph_free(ctx, log);
}

uint64_t ph_evidence_size(const ph_evidence_log *log) { return log ? log->size : 0; }

const char *ph_evidence_origin(const ph_evidence_log *log) { return log ? log->origin : NULL; }

/* ---- append and commit ----------------------------------------------------------------- */

static ph_status maybe_flush(ph_evidence_log *log, afile *f, ph_error *err)
{
    return f->len >= FLUSH_AT ? afile_write_out(log, f, err) : PH_OK;
}

ph_status ph_evidence_append(ph_evidence_log *log, const void *data, size_t len,
                             uint64_t *index, ph_error *err)
{
    if (log == NULL || (data == NULL && len > 0))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_evidence_append: log and data must not be NULL");
    if (log->readonly)
        return ph_error_set(err, PH_EMISUSE, "dir", log->dir,
                            "ph_evidence_append: the log was opened read-only");
    if (len > MAX_LEAF)
        return ph_error_set(err, PH_ERANGE, "leaf", NULL,
                            "a leaf of %zu bytes is larger than the %u bytes allowed", len,
                            MAX_LEAF);
    if (log->readonly)
        return refuse_readonly(log, "append to", err);
    if (log->broken)
        return refuse_broken(log, err);
    uint64_t i = log->size;
    uint8_t h[PH_EVIDENCE_HASH], end[8];
    ph_merkle_leaf_hash(data, len, h);
    put_le64(end, log->data_end + len);
    ph_status st = afile_put(log, &log->leaves, data, len, err);
    if (st == PH_OK)
        st = afile_put(log, &log->hashes, h, PH_EVIDENCE_HASH, err);
    /* the parents leaf i completes: while the node is a right child */
    for (unsigned lv = 0; st == PH_OK && ((i >> lv) & 1) == 1; lv++) {
        evidence_node_hash(log->left[lv], h, h);
        st = afile_put(log, &log->hashes, h, PH_EVIDENCE_HASH, err);
    }
    /* the index last: a leaf exists once its end offset is recorded */
    if (st == PH_OK)
        st = afile_put(log, &log->index, end, 8, err);
    if (st != PH_OK) {
        /* undo the partial record: nothing past the last whole leaf stays buffered */
        log->leaves.len = (size_t)(log->data_end - log->leaves.disk);
        log->hashes.len =
            (size_t)(stored_count(log->size) * PH_EVIDENCE_HASH - log->hashes.disk);
        return st;
    }
    unsigned top = 0;
    while (((i >> top) & 1) == 1)
        top++;
    memcpy(log->left[top], h, PH_EVIDENCE_HASH);
    log->size++;
    log->data_end += len;
    if ((st = maybe_flush(log, &log->leaves, err)) == PH_OK &&
        (st = maybe_flush(log, &log->hashes, err)) == PH_OK)
        st = maybe_flush(log, &log->index, err);
    if (index != NULL)
        *index = i;
    return st;
}

ph_status ph_evidence_commit(ph_evidence_log *log, ph_error *err)
{
    if (log == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_evidence_commit: NULL log");
    if (log->readonly)
        return refuse_readonly(log, "commit", err);
    if (log->broken)
        return refuse_broken(log, err);
    if (log->committed == log->size)
        return PH_OK;
    afile *files[3] = {&log->leaves, &log->hashes, &log->index};
    for (int i = 0; i < 3; i++) {
        ph_status st = afile_write_out(log, files[i], err);
        if (st != PH_OK)
            return st;
    }
    for (int i = 0; i < 3; i++)
        if (log_sync(log, files[i]->fd, 0) != 0)
            return io_fail(log, files[i], "cannot sync", errno, err);
    /* the leaves are durable: now, and only now, their size */
    ph_status st = size_write(log, log->size, log->data_end, err);
    if (st != PH_OK)
        return st;
    log->committed = log->size;
    log->committed_end = log->data_end;
    return PH_OK;
}

/* Back to the committed length: bytes written out past it are cut, bytes
 * buffered past it dropped. */
static ph_status afile_back(ph_evidence_log *log, afile *f, uint64_t len, ph_error *err)
{
    if (len >= f->disk) {
        f->len = (size_t)(len - f->disk);
        return PH_OK;
    }
    f->len = 0;
    afile_unmap(f);
    if (ftruncate(f->fd, (off_t)len) != 0)
        return io_fail(log, f, "cannot cut the rolled back leaves from", errno, err);
    f->disk = len;
    return PH_OK;
}

ph_status ph_evidence_rollback(ph_evidence_log *log, ph_error *err)
{
    if (log == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_evidence_rollback: NULL log");
    if (log->broken)
        return refuse_broken(log, err);
    if (log->committed == log->size)
        return PH_OK;
    uint64_t n = log->committed;
    ph_status st = afile_back(log, &log->leaves, log->committed_end, err);
    if (st == PH_OK)
        st = afile_back(log, &log->index, n * 8, err);
    if (st == PH_OK)
        st = afile_back(log, &log->hashes, stored_count(n) * PH_EVIDENCE_HASH, err);
    if (st != PH_OK)
        return st;
    log->size = n;
    log->data_end = log->committed_end;
    return load_frontier(log, err);
}

/* ---- reading --------------------------------------------------------------------------- */

static ph_status check_size(const ph_evidence_log *log, uint64_t size, ph_error *err)
{
    if (size > log->size)
        return ph_error_set(err, PH_ERANGE, "size", NULL,
                            "a tree of %llu leaves was asked for, but the log has %llu",
                            (unsigned long long)size, (unsigned long long)log->size);
    return PH_OK;
}

/* The hash of the n leaves from a (a is a multiple of a power of two at
 * least n, as every subtree the RFC's recursion names is): the complete
 * nodes of n's binary digits, folded from the right. O(log n). */
static ph_status range_hash(ph_evidence_log *log, uint64_t a, uint64_t n,
                            uint8_t out[PH_EVIDENCE_HASH], ph_error *err)
{
    uint8_t parts[PH_EVIDENCE_MAX_PATH][PH_EVIDENCE_HASH];
    size_t k = 0;
    uint64_t at = a;
    for (int lv = 63; lv >= 0; lv--) {
        if (((n >> lv) & 1) == 0)
            continue;
        ph_status st = node_at(log, (unsigned)lv, at >> lv, parts[k++], err);
        if (st != PH_OK)
            return st;
        at += (uint64_t)1 << lv;
    }
    memcpy(out, parts[k - 1], PH_EVIDENCE_HASH);
    while (k-- > 1)
        evidence_node_hash(parts[k - 1], out, out);
    return PH_OK;
}

ph_status ph_evidence_root(ph_evidence_log *log, uint64_t size, uint8_t root[PH_EVIDENCE_HASH],
                           ph_error *err)
{
    if (log == NULL || root == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_evidence_root: NULL argument");
    ph_status st = check_size(log, size, err);
    if (st != PH_OK)
        return st;
    if (size == 0) {
        crypto_hash_sha256(root, (const unsigned char *)"", 0);
        return PH_OK;
    }
    return range_hash(log, 0, size, root, err);
}

static ph_status check_index(const ph_evidence_log *log, uint64_t index, ph_error *err)
{
    if (index >= log->size)
        return ph_error_set(err, PH_ENOTFOUND, "index", NULL,
                            "no leaf %llu: the log has %llu leaves (0 to %llu)",
                            (unsigned long long)index, (unsigned long long)log->size,
                            (unsigned long long)(log->size ? log->size - 1 : 0));
    return PH_OK;
}

ph_status ph_evidence_leaf_hash(ph_evidence_log *log, uint64_t index,
                                uint8_t out[PH_EVIDENCE_HASH], ph_error *err)
{
    if (log == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_evidence_leaf_hash: NULL argument");
    ph_status st = check_index(log, index, err);
    return st == PH_OK ? node_at(log, 0, index, out, err) : st;
}

ph_status ph_evidence_leaf_data(ph_evidence_log *log, uint64_t index, const uint8_t **data,
                                size_t *len, ph_error *err)
{
    if (log == NULL || data == NULL || len == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_evidence_leaf_data: NULL argument");
    uint64_t start = 0, end = 0;
    ph_status st = check_index(log, index, err);
    if (st == PH_OK && index > 0)
        st = leaf_end(log, index - 1, &start, err);
    if (st == PH_OK)
        st = leaf_end(log, index, &end, err);
    if (st != PH_OK)
        return st;
    /* the index is trusted only at its tail by recovery: an entry before it
     * that runs backwards or past the leaf data would read off the mapping */
    if (end < start || end > log->data_end)
        return ph_error_set(err, PH_EIO, "index", NULL,
                            "the evidence log's index is damaged at leaf %llu: it ends at byte "
                            "%llu, after a start at %llu, in %llu bytes of leaves",
                            (unsigned long long)index, (unsigned long long)end,
                            (unsigned long long)start, (unsigned long long)log->data_end);
    if (end == start) {
        *data = (const uint8_t *)"";
        *len = 0;
        return PH_OK;
    }
    const uint8_t *p = afile_at(log, &log->leaves, start, (size_t)(end - start), err);
    if (p == NULL)
        return PH_EIO;
    *data = p;
    *len = (size_t)(end - start);
    return PH_OK;
}

/* The walk both proofs make from the root of a tree of `size` leaves
 * towards m: the leaf m (inclusion), or the old tree of the first m leaves
 * (consistency, `old`), where it ends at the subtree equal to that tree.
 * Each step hashes the sibling subtree it does not descend into, top down
 * into sib; a proof lists them bottom-up. Once the walk turns left into a
 * complete subtree every later sibling is one stored node, so at most one
 * ragged hash is folded: O(log n) reads and hashes. */
typedef struct walk {
    uint8_t sib[PH_EVIDENCE_MAX_PATH][PH_EVIDENCE_HASH];
    size_t k;        /* siblings in sib */
    uint64_t a, w;   /* the subtree it ended at: w leaves from a */
    int whole;       /* it never turned right (for old: the whole old tree) */
} walk;

static ph_status descend(ph_evidence_log *log, uint64_t m, uint64_t size, int old, walk *wk,
                         ph_error *err)
{
    ph_status st = PH_OK;
    wk->k = 0;
    wk->a = 0;
    wk->w = size;
    wk->whole = 1;
    while ((old ? m != wk->w : wk->w > 1) && st == PH_OK) {
        uint64_t half = evidence_split(wk->w);
        if (old ? m <= half : m < half) {
            st = range_hash(log, wk->a + half, wk->w - half, wk->sib[wk->k++], err);
            wk->w = half;
        } else {
            st = range_hash(log, wk->a, half, wk->sib[wk->k++], err);
            wk->a += half;
            m -= half;
            wk->w -= half;
            wk->whole = 0;
        }
    }
    return st;
}

/* The arguments both proofs check first: none NULL (`fn` names the
 * function), and a tree of `size` leaves the log has. */
static ph_status proof_args(const ph_evidence_log *log, const void *path, const size_t *n,
                            uint64_t size, const char *fn, ph_error *err)
{
    if (log == NULL || path == NULL || n == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "%s: NULL argument", fn);
    return check_size(log, size, err);
}

/* RFC 9162 §2.1.3.1 PATH(m, D[0:n]) without recursion: the walk to the
 * leaf, its siblings read bottom-up. */
ph_status ph_evidence_prove_inclusion(ph_evidence_log *log, uint64_t index, uint64_t size,
                                      uint8_t path[][PH_EVIDENCE_HASH], size_t *n,
                                      ph_error *err)
{
    ph_status st = proof_args(log, path, n, size, "ph_evidence_prove_inclusion", err);
    if (st != PH_OK)
        return st;
    if (index >= size)
        return ph_error_set(err, PH_ERANGE, "index", NULL,
                            "leaf %llu is not in a tree of %llu leaves",
                            (unsigned long long)index, (unsigned long long)size);
    walk wk;
    if ((st = descend(log, index, size, 0, &wk, err)) != PH_OK)
        return st;
    for (size_t i = 0; i < wk.k; i++)
        memcpy(path[i], wk.sib[wk.k - 1 - i], PH_EVIDENCE_HASH);
    *n = wk.k;
    return PH_OK;
}

/* RFC 9162 §2.1.4.1 SUBPROOF(m, D[0:n], true) without recursion: each step
 * names the subtree it does not descend into, to be added after the
 * deeper part; the walk ends at a subtree equal to the old tree's (added
 * first, unless it is the whole old tree). */
ph_status ph_evidence_prove_consistency(ph_evidence_log *log, uint64_t size1, uint64_t size2,
                                        uint8_t path[][PH_EVIDENCE_HASH], size_t *n,
                                        ph_error *err)
{
    ph_status st = proof_args(log, path, n, size2, "ph_evidence_prove_consistency", err);
    if (st != PH_OK)
        return st;
    if (size1 == 0 || size1 > size2)
        return ph_error_set(err, PH_ERANGE, "size1", NULL,
                            "expected an old size from 1 to the new size %llu, got %llu (a "
                            "proof from the empty tree proves nothing)",
                            (unsigned long long)size2, (unsigned long long)size1);
    walk wk;
    size_t out = 0;
    st = descend(log, size1, size2, 1, &wk, err);
    if (st == PH_OK && !wk.whole)
        st = range_hash(log, wk.a, wk.w, path[out++], err);
    if (st != PH_OK)
        return st;
    for (size_t i = 0; i < wk.k; i++)
        memcpy(path[out++], wk.sib[wk.k - 1 - i], PH_EVIDENCE_HASH);
    *n = out;
    return PH_OK;
}

/* ---- the full check ------------------------------------------------------------------------- */

ph_status ph_evidence_check(ph_evidence_log *log, uint64_t *checked, ph_error *err)
{
    if (log == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_evidence_check: NULL log");
    if (checked != NULL)
        *checked = 0;
    uint64_t start = 0;
    for (uint64_t i = 0; i < log->size; i++) {
        uint64_t end = 0;
        ph_status st = leaf_end(log, i, &end, err);
        if (st != PH_OK)
            return st;
        if (end < start || end > log->data_end)
            return ph_error_set(err, PH_EIO, "index", NULL,
                                "the evidence log in %s is damaged at leaf %llu: the index ends "
                                "it at byte %llu, after its start at %llu, in %llu bytes of "
                                "leaves",
                                log->dir, (unsigned long long)i, (unsigned long long)end,
                                (unsigned long long)start, (unsigned long long)log->data_end);
        uint8_t want[PH_EVIDENCE_HASH], got[PH_EVIDENCE_HASH], l[PH_EVIDENCE_HASH];
        int match = 0;
        if ((st = leaf_matches(log, i, start, end, want, &match, err)) != PH_OK)
            return st;
        if (!match)
            return ph_error_set(err, PH_EIO, "hashes", NULL,
                                "the evidence log in %s is damaged at leaf %llu: its stored hash "
                                "is not the hash of its bytes",
                                log->dir, (unsigned long long)i);
        /* each parent leaf i completes, from the stored children */
        for (unsigned lv = 0; ((i >> lv) & 1) == 1; lv++) {
            if ((st = node_at(log, lv, (i >> lv) - 1, l, err)) != PH_OK ||
                (st = node_at(log, lv, i >> lv, got, err)) != PH_OK)
                return st;
            evidence_node_hash(l, got, want);
            if ((st = node_at(log, lv + 1, i >> (lv + 1), got, err)) != PH_OK)
                return st;
            if (sodium_memcmp(want, got, PH_EVIDENCE_HASH) != 0)
                return ph_error_set(
                    err, PH_EIO, "hashes", NULL,
                    "the evidence log in %s is damaged at leaf %llu: the stored node over "
                    "leaves %llu to %llu is not the hash of its two children",
                    log->dir, (unsigned long long)i,
                    (unsigned long long)((i >> (lv + 1)) << (lv + 1)), (unsigned long long)i);
        }
        start = end;
        if (checked != NULL)
            *checked = i + 1;
    }
    return PH_OK;
}
