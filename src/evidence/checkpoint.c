/*
 * The evidence log's keys and signed checkpoints: a C2SP tlog-checkpoint
 * body ("<origin>\n<size>\n<base64 root>\n") signed as a C2SP signed note
 * with Ed25519 (core/signed_note.c, shared with the access log).
 *
 * Reading a checkpoint checks its shape first (PH_EINVAL, located by line
 * and column) and its signature second (PH_EVERIFY), so a participant is
 * told whether the file is broken or the platform's claim is false.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/signed_note.h"
#include "evidence/evidence_internal.h"

#define KEYGEN_CMD "puhui evidence init"

/* Write path whole or not at all: a temporary file, synced, renamed over
 * it, then the directory synced so that the rename itself survives a crash
 * (through log's sync when there is a log). */
static ph_status write_file_atomic(const ph_evidence_log *log, const char *path, const char *text,
                                   size_t len, int mode, ph_error *err)
{
    size_t n = strlen(path) + 8;
    char tmp[4096];
    if (n > sizeof(tmp))
        return ph_error_set(err, PH_EINVAL, "file", path, "path too long");
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return ph_error_set(err, PH_EIO, "file", tmp, "cannot create: %s", strerror(errno));
    int e = 0;
    size_t done = 0;
    while (e == 0 && done < len) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            e = w < 0 ? errno : EIO;
        else
            done += (size_t)w;
    }
    if (e == 0 && fsync(fd) != 0)
        e = errno;
    if (close(fd) != 0 && e == 0)
        e = errno;
    if (e == 0 && rename(tmp, path) != 0)
        e = errno;
    if (e != 0) {
        (void)unlink(tmp);
        return ph_error_set(err, PH_EIO, "file", path, "cannot write: %s", strerror(e));
    }
    return evidence_sync_parent(log, path, err);
}

ph_status ph_evidence_keygen(const ph_ctx *ctx, const char *name, const char *secret_path,
                             const char *verifier_path, ph_error *err)
{
    (void)ctx;
    if (name == NULL || secret_path == NULL || verifier_path == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_evidence_keygen: name and paths must not be NULL");
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    ph_status st = note_keygen(name, secret_path, KEYGEN_CMD, pk, NULL, err);
    if (st != PH_OK)
        return st;
    char vkey[NOTE_NAME_MAX + 80];
    note_verifier_string(name, pk, vkey, sizeof(vkey));
    size_t n = strlen(vkey);
    vkey[n++] = '\n';
    return write_file_atomic(NULL, verifier_path, vkey, n, 0644, err);
}

ph_status ph_evidence_checkpoint(ph_evidence_log *log, const char *secret_path, char **note,
                                 ph_error *err)
{
    if (log == NULL || secret_path == NULL || note == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_evidence_checkpoint: log, secret_path and note must not be "
                            "NULL");
    *note = NULL;
    ph_status st = ph_evidence_commit(log, err);
    uint64_t size = ph_evidence_size(log);
    uint8_t root[PH_EVIDENCE_HASH];
    if (st == PH_OK)
        st = ph_evidence_root(log, size, root, err);
    note_signer signer;
    if (st == PH_OK)
        st = note_read_secret(secret_path, NULL, KEYGEN_CMD, &signer, err);
    if (st != PH_OK)
        return st;
    char b64[EVIDENCE_HASH_B64];
    evidence_hash_b64(root, b64);
    size_t cap = strlen(ph_evidence_origin(log)) + strlen(signer.name) + 256;
    char *text = ph_malloc(evidence_ctx(log), cap);
    if (text == NULL) {
        note_signer_wipe(&signer);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    int body = snprintf(text, cap, "%s\n%llu\n%s\n\n", ph_evidence_origin(log),
                        (unsigned long long)size, b64);
    size_t len = note_sign_line(&signer, text, (size_t)body - 1, text, (size_t)body, cap);
    note_signer_wipe(&signer);
    char *path = NULL;
    if (len == 0) {
        st = ph_error_set(err, PH_EMISUSE, NULL, NULL, "checkpoint note buffer too small");
    } else if ((path = ph_malloc(evidence_ctx(log), strlen(evidence_dir(log)) + 16)) == NULL) {
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    } else {
        sprintf(path, "%s/" EVIDENCE_CHECKPOINT, evidence_dir(log));
        st = write_file_atomic(log, path, text, len, 0644, err);
    }
    ph_free(evidence_ctx(log), path);
    if (st != PH_OK) {
        ph_free(evidence_ctx(log), text);
        return st;
    }
    *note = text;
    return PH_OK;
}

static ph_status bad_checkpoint(uint64_t line, uint64_t column, const char *what, ph_error *err)
{
    ph_error_set(err, PH_EINVAL, NULL, NULL, "not a checkpoint: %s", what);
    ph_error_locate(err, "checkpoint", line, column);
    return PH_EINVAL;
}

/* The body's three lines (more lines are extensions, allowed and ignored). */
static ph_status parse_body(const char *note, size_t body_len, ph_evidence_checkpoint_info *out,
                            ph_error *err)
{
    const char *p = note, *end = note + body_len;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (nl == NULL || nl == p)
        return bad_checkpoint(1, 1, "the first line must be the log's origin", err);
    if ((size_t)(nl - p) >= sizeof(out->origin))
        return bad_checkpoint(1, sizeof(out->origin),
                              "the origin is longer than 255 characters", err);
    memcpy(out->origin, p, (size_t)(nl - p));
    out->origin[nl - p] = '\0';
    p = nl + 1;
    nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
    if (nl == NULL || nl == p)
        return bad_checkpoint(2, 1, "the second line must be the tree size", err);
    uint64_t size = 0;
    for (const char *q = p; q < nl; q++) {
        if (*q < '0' || *q > '9' || (q == p && *q == '0' && nl - p > 1))
            return bad_checkpoint(2, (uint64_t)(q - p) + 1,
                                  "the tree size must be a decimal number without sign or "
                                  "leading zeros",
                                  err);
        unsigned d = (unsigned)(*q - '0');
        if (size > (UINT64_MAX - d) / 10)
            return bad_checkpoint(2, (uint64_t)(q - p) + 1,
                                  "the tree size is larger than 2^64 - 1", err);
        size = size * 10 + d;
    }
    out->size = size;
    p = nl + 1;
    nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
    if (nl == NULL || !evidence_hash_from_b64(p, (size_t)(nl - p), out->root))
        return bad_checkpoint(3, 1,
                              "the third line must be the root hash, base64 of 32 bytes", err);
    return PH_OK;
}

ph_status ph_evidence_checkpoint_open(const char *note, size_t len, const char *vkey,
                                      ph_evidence_checkpoint_info *out, ph_error *err)
{
    if (note == NULL || vkey == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_evidence_checkpoint_open: note, vkey and out must not be "
                            "NULL");
    memset(out, 0, sizeof(*out));
    ph_status st = note_sodium_ready(err);
    if (st != PH_OK)
        return st;
    note_verifier v;
    if ((st = note_parse_verifier(vkey, strlen(vkey), &v, err)) != PH_OK)
        return st;
    const char *blank = NULL;
    for (size_t i = 0; i + 1 < len; i++)
        if (note[i] == '\n' && note[i + 1] == '\n') {
            blank = note + i;
            break;
        }
    if (blank != NULL && (st = parse_body(note, (size_t)(blank - note) + 1, out, err)) != PH_OK)
        return st;
    size_t body_len = 0;
    if ((st = note_open(note, len, &v, &body_len, err)) != PH_OK) {
        if (st == PH_EINVAL && err != NULL)
            ph_error_locate(err, "checkpoint", err->line, err->column);
        return st;
    }
    return PH_OK;
}
