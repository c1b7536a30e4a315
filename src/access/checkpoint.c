/*
 * Signed checkpoints of the access log: the platform's Ed25519 key (kept in
 * a file outside the database) signs the chain's head, so that entries
 * appended by someone who can only write the database are never covered by
 * a signature (access.h, docs/consent.md).
 *
 * Formats are those of signed notes (C2SP signed-note): the secret key file
 * "PRIVATE+KEY+<name>+<key id>+<base64(0x01 || seed)>", the key id the first
 * 4 bytes of SHA-256(name || "\n" || 0x01 || public key), and the signature
 * line "— <name> <base64(key id || signature)>" after a blank line. The
 * formats' code is shared with the evidence log (core/signed_note.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "access/access_internal.h"
#include "core/signed_note.h"

#define SIGNATURE_DASH NOTE_SIG_DASH
#define KEYGEN_CMD "puhui audit keygen"

static const char GENESIS_HEX[PH_AUDIT_HASH_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void key_id_hex(const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                       char out[PH_AUDIT_KEY_ID_MAX])
{
    note_key_id_hex(PH_AUDIT_KEY_NAME, pk, out);
}

static int decode_base64(const char *text, size_t len, unsigned char *out, size_t size,
                         size_t *got)
{
    return note_base64_decode(text, len, out, size, got);
}

/* --- keygen ------------------------------------------------------------------------ */

ph_status ph_audit_keygen(const char *path, char public_key[PH_AUDIT_PUBKEY_MAX],
                          char key_id[PH_AUDIT_KEY_ID_MAX], ph_error *err)
{
    if (path == NULL || public_key == NULL || key_id == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_audit_keygen: path, public_key and key_id must not be NULL");
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    ph_status st = note_keygen(PH_AUDIT_KEY_NAME, path, KEYGEN_CMD, pk, key_id, err);
    if (st != PH_OK)
        return st;
    sodium_bin2base64(public_key, PH_AUDIT_PUBKEY_MAX, pk, sizeof(pk),
                      sodium_base64_VARIANT_ORIGINAL);
    return PH_OK;
}

/* --- the note ------------------------------------------------------------------------- */

/* The signed text of a checkpoint. */
static int format_body(char *buf, size_t size, int64_t tree_size,
                       const char head[PH_AUDIT_HASH_HEX], const char *at)
{
    unsigned char bin[32];
    char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
    (void)sodium_hex2bin(bin, sizeof(bin), head, PH_AUDIT_HASH_HEX - 1, NULL, NULL, NULL);
    sodium_bin2base64(b64, sizeof(b64), bin, sizeof(bin), sodium_base64_VARIANT_ORIGINAL);
    return snprintf(buf, size, "%s\n%lld\n%s\ntime %s\n", PH_AUDIT_KEY_NAME,
                    (long long)tree_size, b64, at);
}

/* A note's parts, as stored. */
typedef struct parsed_note {
    size_t body_len; /* the signed text: up to and including the newline before the blank */
    int64_t size;
    char head[PH_AUDIT_HASH_HEX];
    char at[64]; /* the "time" line: signed_at */
    unsigned char key_id[4];
    unsigned char sig[crypto_sign_BYTES];
} parsed_note;

/* 1 when `note` is a checkpoint this module writes, 0 otherwise. */
static int parse_note(const char *note, parsed_note *p)
{
    const char *blank = strstr(note, "\n\n");
    if (blank == NULL)
        return 0;
    p->body_len = (size_t)(blank - note) + 1;
    char origin[64], hash_b64[64], at[64];
    long long size = -1;
    int used = 0;
    /* a '\n' in the format would match any run of white space: the end is
     * checked by position instead */
    if (sscanf(note, "%63[^\n]\n%lld\n%63[^\n]\ntime %63[^\n]%n", origin, &size, hash_b64,
               at, &used) != 4 ||
        (size_t)used + 1 != p->body_len || strcmp(origin, PH_AUDIT_KEY_NAME) != 0 || size < 0)
        return 0;
    p->size = size;
    snprintf(p->at, sizeof(p->at), "%s", at);
    unsigned char bin[32];
    size_t got = 0;
    if (!decode_base64(hash_b64, strlen(hash_b64), bin, sizeof(bin), &got) || got != 32)
        return 0;
    sodium_bin2hex(p->head, sizeof(p->head), bin, sizeof(bin));
    const char *sig_line = blank + 2;
    const char *lead = SIGNATURE_DASH PH_AUDIT_KEY_NAME " ";
    if (strncmp(sig_line, lead, strlen(lead)) != 0)
        return 0;
    const char *b64 = sig_line + strlen(lead);
    const char *end = strchr(b64, '\n');
    if (end == NULL || end[1] != '\0')
        return 0;
    unsigned char raw[4 + crypto_sign_BYTES];
    if (!decode_base64(b64, (size_t)(end - b64), raw, sizeof(raw), &got) || got != sizeof(raw))
        return 0;
    memcpy(p->key_id, raw, 4);
    memcpy(p->sig, raw + 4, crypto_sign_BYTES);
    return 1;
}

/* --- signing --------------------------------------------------------------------------- */

static ph_status last_entry(ph_store *store, int64_t *size, char head[PH_AUDIT_HASH_HEX],
                            ph_error *err)
{
    ph_stmt *stmt = NULL;
    *size = 0;
    memcpy(head, GENESIS_HEX, PH_AUDIT_HASH_HEX);
    ph_status st = ph_store_prepare(
        store, "SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1", &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_OK) {
        *size = ph_stmt_column_int64(stmt, 0);
        const char *h = ph_stmt_column_text(stmt, 1);
        snprintf(head, PH_AUDIT_HASH_HEX, "%s", h ? h : "");
    }
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

static ph_status store_checkpoint(ph_store *store, ph_audit_checkpoint *c, ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store,
                                    "INSERT INTO access_checkpoint (size, head, signed_at, "
                                    "key_id, note) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                    &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, c->size, err);
    const char *texts[] = {c->head, c->at, c->key_id, c->note};
    for (int i = 0; st == PH_OK && i < 4; i++)
        st = ph_stmt_bind_text(stmt, 2 + i, texts[i], -1, err);
    if (st == PH_OK)
        st = ph_stmt_step_id(stmt, &c->id, err);
    ph_stmt_free(stmt);
    return st;
}

/* Inside the transaction: verify, read the head, sign, store. */
static ph_status sign_head(ph_store *store, const note_signer *signer, ph_audit_checkpoint *c,
                           ph_error *err)
{
    /* the signer's own public key: every checkpoint it signed before must
     * verify and sign a head the log still has, or the log was rewritten
     * under it and this signature would cover the forgery. (Checkpoints
     * deleted from the database cannot be seen here: the published notes
     * catch that, docs/consent.md#signed-checkpoints.) */
    const unsigned char *pk = signer->pk;
    access_keys own;
    memset(&own, 0, sizeof(own));
    memcpy(own.key[0], pk, crypto_sign_PUBLICKEYBYTES);
    own.count = 1;
    own.skip_other_keys = 1;
    ph_audit_report r;
    ph_status st = access_verify(store, NULL, 0, &own, &r, err);
    if (st == PH_OK)
        st = last_entry(store, &c->size, c->head, err);
    if (st == PH_OK)
        st = ph_ctx_utc_now(ph_store_ctx(store), c->at, err);
    if (st != PH_OK)
        return st;
    int body = format_body(c->note, sizeof(c->note), c->size, c->head, c->at);
    c->note[body] = '\n';
    (void)note_sign_line(signer, c->note, (size_t)body, c->note, (size_t)body + 1,
                         sizeof(c->note));
    key_id_hex(pk, c->key_id);
    return store_checkpoint(store, c, err);
}

ph_status ph_audit_checkpoint_sign(ph_store *store, const char *key_path,
                                   ph_audit_checkpoint *out, ph_error *err)
{
    if (store == NULL || key_path == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_audit_checkpoint_sign: store, key_path and out must not be "
                            "NULL");
    note_signer signer;
    ph_status st = note_read_secret(key_path, PH_AUDIT_KEY_NAME, KEYGEN_CMD, &signer, err);
    if (st == PH_OK)
        st = ph_store_begin(store, err);
    if (st != PH_OK) {
        note_signer_wipe(&signer);
        return st;
    }
    ph_audit_checkpoint c;
    memset(&c, 0, sizeof(c));
    st = sign_head(store, &signer, &c, err);
    note_signer_wipe(&signer);
    if (st == PH_OK)
        st = ph_store_commit(store, err);
    if (st != PH_OK)
        return access_abort(store, st);
    *out = c;
    return PH_OK;
}

/* --- verification ---------------------------------------------------------------------- */

ph_status access_parse_public_keys(const char *text, access_keys *keys, ph_error *err)
{
    memset(keys, 0, sizeof(*keys));
    const char *p = text;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        size_t got = 0;
        if (keys->count == ACCESS_MAX_KEYS)
            return ph_error_set(err, PH_EINVAL, "key", text,
                                "expected at most %d public keys separated by ','",
                                ACCESS_MAX_KEYS);
        if (!decode_base64(p, len, keys->key[keys->count], 32, &got) || got != 32)
            return ph_error_set(err, PH_EINVAL, "key", text,
                                "expected the checkpoint public key: base64 of 32 bytes (44 "
                                "characters), as `puhui audit keygen` prints it (several: "
                                "separated by ',')");
        keys->count++;
        if (end == NULL)
            return PH_OK;
        p = end + 1;
    }
}

static ph_status hash_at(ph_store *store, int64_t seq, char out[PH_AUDIT_HASH_HEX],
                         ph_error *err)
{
    memcpy(out, GENESIS_HEX, PH_AUDIT_HASH_HEX);
    if (seq == 0)
        return PH_OK;
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store, "SELECT hash FROM access_log WHERE seq = ?", &stmt,
                                    err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, seq, err);
    if (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        const char *h = ph_stmt_column_text(stmt, 0);
        snprintf(out, PH_AUDIT_HASH_HEX, "%s", h ? h : "");
    }
    ph_stmt_free(stmt);
    return st == PH_OK || st == PH_DONE ? PH_OK : st;
}

/* One stored checkpoint; 1 when sound. */
static ph_status check_checkpoint(ph_store *store, const access_keys *keys, ph_stmt *stmt,
                                  ph_audit_report *r, int *sound, ph_error *err)
{
    int64_t id = ph_stmt_column_int64(stmt, 0);
    int64_t size = ph_stmt_column_int64(stmt, 1);
    const char *head = ph_stmt_column_text(stmt, 2);
    const char *signed_at = ph_stmt_column_text(stmt, 3);
    const char *key_id = ph_stmt_column_text(stmt, 4);
    const char *note = ph_stmt_column_text(stmt, 5);
    size_t note_len = ph_stmt_column_bytes(stmt, 5);
    parsed_note p;
    char want[ACCESS_MAX_KEYS * PH_AUDIT_KEY_ID_MAX], got[PH_AUDIT_KEY_ID_MAX];
    const unsigned char *key = NULL;
    *sound = 0;
    if (note == NULL || strlen(note) != note_len || !parse_note(note, &p)) {
        access_report_bad(r, 0, "checkpoint %lld is not a signed checkpoint note: it was altered",
                       (long long)id);
        return PH_OK;
    }
    sodium_bin2hex(got, sizeof(got), p.key_id, sizeof(p.key_id));
    want[0] = '\0';
    for (size_t i = 0; i < keys->count && key == NULL; i++) {
        char id_hex[PH_AUDIT_KEY_ID_MAX];
        key_id_hex(keys->key[i], id_hex);
        if (strcmp(id_hex, got) == 0) {
            key = keys->key[i];
            snprintf(want, sizeof(want), "%s", id_hex);
        } else {
            size_t used = strlen(want);
            snprintf(want + used, sizeof(want) - used, "%s%s", used ? ", " : "", id_hex);
        }
    }
    if (key == NULL && keys->skip_other_keys) {
        *sound = 1; /* another key's: not this check's to judge */
        return PH_OK;
    }
    if (key == NULL) {
        access_report_bad(r, 0,
                       "checkpoint %lld is not signed by the key given (key id %s): it names "
                       "key %s (a forged checkpoint, or one signed by a key you were not "
                       "given)",
                       (long long)id, want, got);
        return PH_OK;
    }
    if (crypto_sign_verify_detached(p.sig, (const unsigned char *)note, p.body_len, key) != 0) {
        access_report_bad(r, 0,
                       "checkpoint %lld's signature does not verify under key %s: it was "
                       "forged or altered",
                       (long long)id, want);
        return PH_OK;
    }
    if (size != p.size || head == NULL || strcmp(head, p.head) != 0 || signed_at == NULL ||
        strcmp(signed_at, p.at) != 0 || key_id == NULL || strcmp(key_id, got) != 0) {
        access_report_bad(r, 0,
                       "checkpoint %lld's size, head, signed_at and key_id columns disagree "
                       "with its signed note (entry %lld, hash %s, signed at %s by key %s): "
                       "the row was altered",
                       (long long)id, (long long)p.size, p.head, p.at, got);
        return PH_OK;
    }
    if (p.size > r->head_seq) {
        access_report_bad(r, r->head_seq + 1,
                       "checkpoint %lld signs entry %lld but the log ends at entry %lld: "
                       "signed entries were deleted",
                       (long long)id, (long long)p.size, (long long)r->head_seq);
        return PH_OK;
    }
    char stored[PH_AUDIT_HASH_HEX];
    ph_status st = hash_at(store, p.size, stored, err);
    if (st != PH_OK)
        return st;
    if (strcmp(stored, p.head) != 0) {
        access_report_bad(r, p.size,
                       "checkpoint %lld signs entry %lld with hash %s but the log has %s: "
                       "the log up to entry %lld was rewritten after it was signed",
                       (long long)id, (long long)p.size, p.head, stored, (long long)p.size);
        return PH_OK;
    }
    if (p.size > r->signed_seq)
        r->signed_seq = p.size;
    *sound = 1;
    return PH_OK;
}

ph_status access_checkpoints_verify(ph_store *store, const access_keys *keys,
                                    ph_audit_report *r, int64_t *bad_id, ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(
        store, "SELECT id, size, head, signed_at, key_id, note FROM access_checkpoint "
               "ORDER BY id", &stmt, err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        int sound = 0;
        r->checkpoints++;
        st = check_checkpoint(store, keys, stmt, r, &sound, err);
        if (st == PH_OK && !sound) {
            *bad_id = ph_stmt_column_int64(stmt, 0);
            break;
        }
    }
    ph_stmt_free(stmt);
    if (st != PH_OK && st != PH_DONE)
        return st;
    r->unsigned_tail = r->head_seq - r->signed_seq;
    return PH_OK;
}
