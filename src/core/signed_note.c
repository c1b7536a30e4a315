/*
 * C2SP signed notes with Ed25519: key files, key ids, signing and checking
 * (formats in signed_note.h). Moved here from the access log's checkpoints
 * so that the evidence log signs the same way; the messages are the ones
 * the access log gave, with the key's name and the keygen command filled in.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/signed_note.h"

ph_status note_sodium_ready(ph_error *err)
{
    if (sodium_init() < 0)
        return ph_error_set(err, PH_ESTORE, NULL, NULL, "libsodium could not be initialised");
    return PH_OK;
}

int note_base64_decode(const char *text, size_t len, unsigned char *out, size_t size,
                       size_t *got)
{
    const char *end = NULL;
    return sodium_base642bin(out, size, text, len, NULL, got, &end,
                             sodium_base64_VARIANT_ORIGINAL) == 0 &&
           end == text + len;
}

void note_key_id(const char *name, const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                 unsigned char id[4])
{
    crypto_hash_sha256_state state;
    unsigned char digest[crypto_hash_sha256_BYTES];
    const unsigned char sep[2] = {'\n', NOTE_ED25519};
    crypto_hash_sha256_init(&state);
    crypto_hash_sha256_update(&state, (const unsigned char *)name, strlen(name));
    crypto_hash_sha256_update(&state, sep, sizeof(sep));
    crypto_hash_sha256_update(&state, pk, crypto_sign_PUBLICKEYBYTES);
    crypto_hash_sha256_final(&state, digest);
    memcpy(id, digest, 4);
}

void note_key_id_hex(const char *name, const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                     char out[NOTE_KEY_ID_HEX])
{
    unsigned char id[4];
    note_key_id(name, pk, id);
    sodium_bin2hex(out, NOTE_KEY_ID_HEX, id, sizeof(id));
}

int note_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n >= NOTE_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c <= 0x20 || c == 0x7f || c == '+')
            return 0;
    }
    return 1;
}

/* --- keygen ------------------------------------------------------------------------ */

ph_status note_keygen(const char *name, const char *path, const char *keygen_cmd,
                      unsigned char pk_out[crypto_sign_PUBLICKEYBYTES],
                      char key_id[NOTE_KEY_ID_HEX], ph_error *err)
{
    (void)keygen_cmd;
    ph_status st = note_sodium_ready(err);
    if (st != PH_OK)
        return st;
    if (!note_name_ok(name))
        return ph_error_set(err, PH_EINVAL, "name", name,
                            "expected a key name of 1 to 255 characters without spaces, "
                            "control characters or '+'");
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    unsigned char seed[1 + crypto_sign_SEEDBYTES];
    char line[NOTE_NAME_MAX + 128];
    char id_hex[NOTE_KEY_ID_HEX];
    seed[0] = NOTE_ED25519;
    randombytes_buf(seed + 1, crypto_sign_SEEDBYTES);
    crypto_sign_seed_keypair(pk, sk, seed + 1);
    note_key_id_hex(name, pk, id_hex);
    char b64[sodium_base64_ENCODED_LEN(sizeof(seed), sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof(b64), seed, sizeof(seed), sodium_base64_VARIANT_ORIGINAL);
    int n = snprintf(line, sizeof(line), "PRIVATE+KEY+%s+%s+%s\n", name, id_hex, b64);
    sodium_memzero(sk, sizeof(sk));
    sodium_memzero(seed, sizeof(seed));
    sodium_memzero(b64, sizeof(b64));
    /* O_EXCL: never replace a key that may have signed published checkpoints */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        int e = errno;
        sodium_memzero(line, sizeof(line));
        if (e == EEXIST)
            return ph_error_set(err, PH_EEXISTS, "file", path,
                                "refusing to overwrite an existing key file: a key that "
                                "signed published checkpoints must be kept; choose a new path");
        return ph_error_set(err, PH_EIO, "file", path, "cannot create the key file: %s",
                            strerror(e));
    }
    ssize_t wrote = write(fd, line, (size_t)n);
    int e = wrote == n ? 0 : wrote < 0 ? errno : EIO;
    if (e == 0 && fsync(fd) != 0)
        e = errno;
    if (close(fd) != 0 && e == 0)
        e = errno;
    sodium_memzero(line, sizeof(line));
    if (e != 0) {
        (void)unlink(path);
        return ph_error_set(err, PH_EIO, "file", path, "cannot write the key file: %s",
                            strerror(e));
    }
    if (pk_out != NULL)
        memcpy(pk_out, pk, sizeof(pk));
    if (key_id != NULL)
        memcpy(key_id, id_hex, NOTE_KEY_ID_HEX);
    return PH_OK;
}

/* --- reading the secret key ----------------------------------------------------------- */

static ph_status bad_key_file(const char *path, const char *name, const char *cmd,
                              const char *what, ph_error *err)
{
    return ph_error_set(err, PH_EINVAL, "file", path,
                        "line 1: %s; expected one line PRIVATE+KEY+%s+<8 hex digits>+<base64 "
                        "of 33 bytes>, as `%s` writes",
                        what, name ? name : "<name>", cmd);
}

/* The key file's text into `text` (NUL-terminated, *len bytes), read with
 * open/read straight into the caller's buffer (no stdio buffer keeps a copy
 * of the seed on the heap). Refused when group or others may read it, as
 * ssh refuses a private key they can read: a key others could copy cannot
 * vouch that only the platform signed. */
static ph_status read_key_text(const char *path, const char *cmd, char *text, size_t size,
                               size_t *len, ph_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return ph_error_set(err, PH_EIO, "file", path, "cannot open the key file: %s",
                            strerror(errno));
    struct stat sb;
    ph_status st = PH_OK;
    if (fstat(fd, &sb) != 0)
        st = ph_error_set(err, PH_EIO, "file", path, "cannot stat the key file: %s",
                          strerror(errno));
    else if (!S_ISREG(sb.st_mode))
        st = ph_error_set(err, PH_EINVAL, "file", path,
                          "expected a regular file holding the checkpoint secret key");
    else if ((sb.st_mode & 0077) != 0)
        st = ph_error_set(err, PH_EINVAL, "file", path,
                          "permissions %04o are too open: the checkpoint secret key must be "
                          "readable by its owner only (chmod 600 %s), as `%s` creates it",
                          (unsigned)(sb.st_mode & 07777), path, cmd);
    size_t got = 0;
    while (st == PH_OK && got < size - 1) {
        ssize_t n = read(fd, text + got, size - 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            st = ph_error_set(err, PH_EIO, "file", path, "cannot read the key file: %s",
                              strerror(errno));
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    (void)close(fd);
    text[got] = '\0';
    *len = got;
    return st;
}

ph_status note_read_secret(const char *path, const char *name, const char *cmd,
                           note_signer *out, ph_error *err)
{
    memset(out, 0, sizeof(*out));
    ph_status st = note_sodium_ready(err);
    if (st != PH_OK)
        return st;
    char text[NOTE_NAME_MAX + 128];
    size_t len = 0;
    st = read_key_text(path, cmd, text, sizeof(text), &len, err);
    if (st != PH_OK) {
        sodium_memzero(text, sizeof(text));
        return st;
    }
    unsigned char seed[1 + crypto_sign_SEEDBYTES];
    size_t got = 0;
    char *nl = memchr(text, '\n', len);
    size_t line_len = nl ? (size_t)(nl - text) : len;
    const char *lead = "PRIVATE+KEY+";
    size_t prefix = strlen(lead);
    const char *plus = line_len > prefix ? memchr(text + prefix, '+', line_len - prefix) : NULL;
    size_t name_len = plus ? (size_t)(plus - (text + prefix)) : 0;
    if (len == sizeof(text) - 1 || (nl != NULL && (size_t)(nl - text) + 1 != len))
        st = bad_key_file(path, name, cmd, "more than one short line", err);
    else if (line_len < prefix || memcmp(text, lead, prefix) != 0 || plus == NULL ||
             name_len == 0 || name_len >= NOTE_NAME_MAX ||
             (name != NULL && (name_len != strlen(name) ||
                               memcmp(text + prefix, name, name_len) != 0)) ||
             line_len < prefix + name_len + 10 || plus[9] != '+')
        st = bad_key_file(path, name, cmd, "not a checkpoint secret key", err);
    else if (!note_base64_decode(plus + 10, line_len - prefix - name_len - 10, seed,
                                 sizeof(seed), &got) ||
             got != sizeof(seed) || seed[0] != NOTE_ED25519)
        st = bad_key_file(path, name, cmd,
                          "the key is not base64 of 0x01 and a 32-byte Ed25519 seed", err);
    if (st == PH_OK) {
        memcpy(out->name, text + prefix, name_len);
        out->name[name_len] = '\0';
        char id_hex[NOTE_KEY_ID_HEX];
        crypto_sign_seed_keypair(out->pk, out->sk, seed + 1);
        note_key_id(out->name, out->pk, out->id);
        sodium_bin2hex(id_hex, sizeof(id_hex), out->id, sizeof(out->id));
        if (memcmp(id_hex, plus + 1, 8) != 0)
            st = bad_key_file(path, name, cmd,
                              "the key id does not match the key (the file was edited)", err);
    }
    sodium_memzero(seed, sizeof(seed));
    sodium_memzero(text, sizeof(text));
    if (st != PH_OK)
        note_signer_wipe(out);
    return st;
}

void note_signer_wipe(note_signer *s) { sodium_memzero(s, sizeof(*s)); }

/* --- verifier keys -------------------------------------------------------------------- */

void note_verifier_string(const char *name, const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                          char *out, size_t size)
{
    unsigned char raw[1 + crypto_sign_PUBLICKEYBYTES];
    char id_hex[NOTE_KEY_ID_HEX];
    char b64[sodium_base64_ENCODED_LEN(sizeof(raw), sodium_base64_VARIANT_ORIGINAL)];
    raw[0] = NOTE_ED25519;
    memcpy(raw + 1, pk, crypto_sign_PUBLICKEYBYTES);
    note_key_id_hex(name, pk, id_hex);
    sodium_bin2base64(b64, sizeof(b64), raw, sizeof(raw), sodium_base64_VARIANT_ORIGINAL);
    snprintf(out, size, "%s+%s+%s", name, id_hex, b64);
}

static ph_status bad_verifier(const char *text, size_t len, size_t column, const char *what,
                              ph_error *err)
{
    ph_error_setn(err, PH_EINVAL, "key", text, len,
                  "%s; expected a verifier key <name>+<8 hex digits>+<base64 of 0x01 and a "
                  "32-byte Ed25519 public key>, as `puhui evidence init` writes to log.vkey",
                  what);
    ph_error_locate(err, "verifier key", 1, column);
    return PH_EINVAL;
}

ph_status note_parse_verifier(const char *text, size_t len, note_verifier *out, ph_error *err)
{
    memset(out, 0, sizeof(*out));
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        len--;
    const char *p1 = memchr(text, '+', len);
    if (p1 == NULL || p1 == text || (size_t)(p1 - text) >= NOTE_NAME_MAX)
        return bad_verifier(text, len, 1, "no key name before the first '+'", err);
    size_t name_len = (size_t)(p1 - text);
    memcpy(out->name, text, name_len);
    if (!note_name_ok(out->name))
        return bad_verifier(text, len, 1, "the key name has spaces or control characters",
                            err);
    size_t rest = len - name_len - 1;
    if (rest < 10 || p1[9] != '+')
        return bad_verifier(text, len, name_len + 2, "no 8-digit key id after the name", err);
    unsigned char id[4];
    if (sodium_hex2bin(id, sizeof(id), p1 + 1, 8, NULL, NULL, NULL) != 0)
        return bad_verifier(text, len, name_len + 2, "the key id is not 8 hex digits", err);
    unsigned char raw[1 + crypto_sign_PUBLICKEYBYTES + 4];
    size_t got = 0;
    if (!note_base64_decode(p1 + 10, rest - 9, raw, sizeof(raw), &got) ||
        got != 1 + crypto_sign_PUBLICKEYBYTES || raw[0] != NOTE_ED25519)
        return bad_verifier(text, len, name_len + 11,
                            "the key is not base64 of 0x01 and a 32-byte Ed25519 public key",
                            err);
    memcpy(out->pk, raw + 1, crypto_sign_PUBLICKEYBYTES);
    note_key_id(out->name, out->pk, out->id);
    if (memcmp(out->id, id, 4) != 0)
        return bad_verifier(text, len, name_len + 2,
                            "the key id does not match the key (the key was edited)", err);
    return PH_OK;
}

/* --- signing and checking --------------------------------------------------------------- */

size_t note_sign_line(const note_signer *s, const char *body, size_t body_len, char *out,
                      size_t at, size_t size)
{
    unsigned char raw[4 + crypto_sign_BYTES];
    memcpy(raw, s->id, 4);
    crypto_sign_detached(raw + 4, NULL, (const unsigned char *)body, body_len, s->sk);
    char b64[sodium_base64_ENCODED_LEN(sizeof(raw), sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof(b64), raw, sizeof(raw), sodium_base64_VARIANT_ORIGINAL);
    if (at >= size)
        return 0;
    int n = snprintf(out + at, size - at, NOTE_SIG_DASH "%s %s\n", s->name, b64);
    if (n < 0 || (size_t)n >= size - at)
        return 0;
    return at + (size_t)n;
}

static ph_status bad_note(const char *note, size_t len, const char *at, const char *what,
                          ph_error *err)
{
    uint64_t line = 1, col = 1;
    for (const char *p = note; p < at && p < note + len; p++) {
        if (*p == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    ph_error_set(err, PH_EINVAL, NULL, NULL, "not a signed note: %s", what);
    ph_error_locate(err, "note", line, col);
    return PH_EINVAL;
}

ph_status note_open(const char *note, size_t len, const note_verifier *v, size_t *body_len,
                    ph_error *err)
{
    if (len == 0 || memchr(note, '\0', len) != NULL)
        return bad_note(note, len, note, "empty, or holds a NUL byte", err);
    const char *end = note + len;
    const char *blank = NULL;
    for (const char *p = note; p + 1 < end; p++)
        if (p[0] == '\n' && p[1] == '\n') {
            blank = p;
            break;
        }
    if (blank == NULL)
        return bad_note(note, len, end, "no blank line before the signatures", err);
    if (end[-1] != '\n')
        return bad_note(note, len, end, "the last line does not end in a newline", err);
    *body_len = (size_t)(blank - note) + 1;
    int found = 0;
    size_t dash = strlen(NOTE_SIG_DASH);
    for (const char *line = blank + 2; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t n = (size_t)(nl - line);
        if (n < dash || memcmp(line, NOTE_SIG_DASH, dash) != 0)
            return bad_note(note, len, line,
                            "a signature line must start with U+2014 (an em dash) and a "
                            "space",
                            err);
        const char *name = line + dash;
        const char *sp = memchr(name, ' ', (size_t)(nl - name));
        if (sp == NULL || sp == name)
            return bad_note(note, len, name, "a signature line must be '— <name> <base64>'",
                            err);
        unsigned char raw[4 + crypto_sign_BYTES + 3];
        size_t got = 0;
        if (!note_base64_decode(sp + 1, (size_t)(nl - sp - 1), raw, sizeof(raw), &got) ||
            got < 5)
            return bad_note(note, len, sp + 1,
                            "the signature is not base64 of a key id and a signature", err);
        size_t name_len = (size_t)(sp - name);
        /* C2SP: signatures by unknown keys are ignored */
        if (name_len == strlen(v->name) && memcmp(name, v->name, name_len) == 0 &&
            memcmp(raw, v->id, 4) == 0) {
            found = 1;
            if (got != 4 + crypto_sign_BYTES ||
                crypto_sign_verify_detached(raw + 4, (const unsigned char *)note, *body_len,
                                            v->pk) != 0) {
                return ph_error_set(err, PH_EVERIFY, NULL, NULL,
                                    "the note's signature by %s does not verify: the note "
                                    "was altered or forged",
                                    v->name);
            }
        }
        line = nl + 1;
    }
    if (!found)
        return ph_error_set(err, PH_EVERIFY, NULL, NULL,
                            "the note has no signature by the key %s (key id %02x%02x%02x%02x)",
                            v->name, v->id[0], v->id[1], v->id[2], v->id[3]);
    return PH_OK;
}
