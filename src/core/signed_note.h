/*
 * C2SP signed notes with Ed25519, shared by the access log's checkpoints
 * (src/access/checkpoint.c) and the evidence log's (src/evidence):
 *
 *   secret key file  "PRIVATE+KEY+<name>+<key id>+<base64(0x01 || seed)>\n"
 *   verifier key     "<name>+<key id>+<base64(0x01 || public key)>"
 *   key id           the first 4 bytes of SHA-256(name || "\n" || 0x01 || pk),
 *                    written as 8 hex digits in key strings
 *   note             the text (ending in a newline), a blank line, then one
 *                    line per signature: "— <name> <base64(key id || sig)>\n"
 *
 * One place for the formats, so that both logs sign and check alike.
 */
#ifndef PH_SIGNED_NOTE_H
#define PH_SIGNED_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "puhui/common.h"

#define NOTE_KEY_ID_HEX 9 /* 8 hex digits and a NUL */
#define NOTE_NAME_MAX 256
#define NOTE_SIG_DASH "\xe2\x80\x94 " /* U+2014 EM DASH and a space */
#define NOTE_ED25519 0x01

/* A signing key read from its file; wipe it with note_signer_wipe. */
typedef struct note_signer {
    char name[NOTE_NAME_MAX];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char id[4];
} note_signer;

/* A verifier key parsed from "<name>+<id>+<base64>". */
typedef struct note_verifier {
    char name[NOTE_NAME_MAX];
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char id[4];
} note_verifier;

ph_status note_sodium_ready(ph_error *err);

/* Base64 (standard, padded) text of exactly len characters into out; 1 on
 * success, *got the bytes decoded. */
int note_base64_decode(const char *text, size_t len, unsigned char *out, size_t size,
                       size_t *got);

void note_key_id(const char *name, const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                 unsigned char id[4]);
void note_key_id_hex(const char *name, const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                     char out[NOTE_KEY_ID_HEX]);

/* 1 when name is a valid key name (non-empty, no space, control or '+'). */
int note_name_ok(const char *name);

/* Make a key pair named name; write the secret key file at path (0600,
 * O_EXCL: PH_EEXISTS, never replaced). pk and key_id (may be NULL) get
 * the public key and its id. keygen_cmd names the command in messages. */
ph_status note_keygen(const char *name, const char *path, const char *keygen_cmd,
                      unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                      char key_id[NOTE_KEY_ID_HEX], ph_error *err);

/* Read the secret key file at path (refused when group or others may read
 * it). name: the key name it must have, NULL for any. */
ph_status note_read_secret(const char *path, const char *name, const char *keygen_cmd,
                           note_signer *out, ph_error *err);
void note_signer_wipe(note_signer *s);

/* The verifier key string of a public key: "<name>+<id>+<base64(0x01||pk)>". */
void note_verifier_string(const char *name, const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                          char *out, size_t size);

/* Parse a verifier key; PH_EINVAL naming the column when malformed or when
 * the id does not match the key. */
ph_status note_parse_verifier(const char *text, size_t len, note_verifier *out, ph_error *err);

/* Append the signature line of body[0..body_len) to out (which holds the
 * body and a blank line already at out[0..at)): "— name base64(id||sig)\n".
 * Returns the new length, or 0 when it does not fit. */
size_t note_sign_line(const note_signer *s, const char *body, size_t body_len, char *out,
                      size_t at, size_t size);

/* Open a signed note: the body is the text up to and including the
 * newline before the first blank line. Check that one signature line is by
 * v (its name and key id) and verifies. PH_EINVAL located (source "note",
 * line and column) when the text is not a signed note; PH_EVERIFY when no
 * signature of v is there or it does not verify. *body_len: the body. */
ph_status note_open(const char *note, size_t len, const note_verifier *v, size_t *body_len,
                    ph_error *err);

#endif /* PH_SIGNED_NOTE_H */
