/*
 * The checkpoint note reader (ph_evidence_checkpoint_open, with the C2SP
 * signed-note and verifier-key parsers of core/signed_note.c): the input is
 * read as a signed checkpoint under a fixed verifier key, and then, as a
 * verifier key, used to open a fixed checkpoint. Beyond memory safety: a
 * refused input has a message; a malformed note is PH_EINVAL with a line;
 * an accepted note has the size and origin its text says; only the fixed
 * key's own text (or one naming the same key) opens the fixed checkpoint.
 */
#include "fuzz_common.h"

#include "puhui/evidence.h"

static const char NOTE[] = "fuzz.local/evidence\n7\nKaesbOlT5nvJooF6oA8OIdE2mb02g0nlbZdKFtj2dng=\n\n\u2014 fuzz.local/evidence U/8IxiWFLr/2UOCt57GrqXQKOa7ZvxQJzQz/ypaNXNVVRmrOYcMvROizPL/ZrHzPK0jdlyjrtNV/rLFGZw6ststPHwU=\n";
static const char VKEY[] = "fuzz.local/evidence+53ff08c6+AbOWr5uMwYPbtTuGDjJvvk9QNnjpFQZjm0cWwj2n9Jh6";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ph_ctx *ctx = fuzz_ctx();
    ph_error err;
    ph_evidence_checkpoint_info cp;
    ph_status st = ph_evidence_checkpoint_open((const char *)data, size, VKEY, &cp, &err);
    if (st != PH_OK && err.message[0] == '\0')
        abort();
    if (st == PH_EINVAL && err.line == 0)
        abort();
    if (st == PH_OK) {
        /* a signature by the fixed key: only its own checkpoint's text can carry one */
        size_t origin = strlen(cp.origin);
        if (size < origin || memcmp(data, cp.origin, origin) != 0 || cp.size != 7)
            abort();
    }
    char *vkey = fuzz_text(data, size);
    st = ph_evidence_checkpoint_open(NOTE, sizeof(NOTE) - 1, vkey, &cp, &err);
    if (st != PH_OK && err.message[0] == '\0')
        abort();
    if (st == PH_OK && cp.size != 7)
        abort();
    free(vkey);
    ph_ctx_free(ctx);
    return 0;
}
