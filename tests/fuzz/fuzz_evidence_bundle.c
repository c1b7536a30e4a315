/*
 * The offline verifier's bundle reader (ph_evidence_bundle_verify): the
 * input is a proof bundle checked against a fixed checkpoint of a 7-leaf
 * log and its verifier key (made with `puhui evidence`; the seeds are
 * bundles of that log). Beyond memory safety: a refused bundle has a
 * message, an accepted one counted at least one leaf, and the verdict is
 * the same when the bundle is read a second time.
 */
#include "fuzz_common.h"

#include "puhui/evidence.h"

static const char NOTE[] = "fuzz.local/evidence\n7\nKaesbOlT5nvJooF6oA8OIdE2mb02g0nlbZdKFtj2dng=\n\n\u2014 fuzz.local/evidence U/8IxiWFLr/2UOCt57GrqXQKOa7ZvxQJzQz/ypaNXNVVRmrOYcMvROizPL/ZrHzPK0jdlyjrtNV/rLFGZw6ststPHwU=\n";
static const char VKEY[] = "fuzz.local/evidence+53ff08c6+AbOWr5uMwYPbtTuGDjJvvk9QNnjpFQZjm0cWwj2n9Jh6";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ph_ctx *ctx = fuzz_ctx();
    ph_error err;
    size_t leaves = 0, again = 0;
    ph_status st = ph_evidence_bundle_verify(ctx, (const char *)data, size, NOTE,
                                             sizeof(NOTE) - 1, VKEY, &leaves, &err);
    if (st != PH_OK && err.message[0] == '\0')
        abort();
    if (st == PH_OK && leaves == 0)
        abort();
    if (st != PH_OK && st != PH_EINVAL && st != PH_EVERIFY && st != PH_ENOMEM)
        abort();
    ph_status st2 = ph_evidence_bundle_verify(ctx, (const char *)data, size, NOTE,
                                              sizeof(NOTE) - 1, VKEY, &again, &err);
    if (st2 != st || again != leaves)
        abort();
    ph_ctx_free(ctx);
    return 0;
}
