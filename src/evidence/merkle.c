/*
 * The pure Merkle functions of RFC 9162 §2.1: leaf and node hashes and the
 * two proof verifiers. They need no log, only the proof and the roots, so
 * that a participant can check the platform with nothing but files
 * (docs/evidence.md#verifying).
 *
 * The verifiers follow the RFC's step-by-step algorithms (§2.1.3.2 and
 * §2.1.4.2): walk the proof from the leaf (or the old tree's edge) up,
 * tracking the node's index fn and the last index sn at each level; a
 * proof is accepted only if it is used up exactly when sn reaches 0 and the
 * recomputed root matches. Every refusal says which check failed.
 */
#include <string.h>

#include <sodium.h>

#include "evidence/evidence_internal.h"

void ph_merkle_leaf_hash(const void *data, size_t len, uint8_t out[PH_EVIDENCE_HASH])
{
    crypto_hash_sha256_state st;
    const unsigned char prefix = 0x00;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, &prefix, 1);
    if (len > 0)
        crypto_hash_sha256_update(&st, data, len);
    crypto_hash_sha256_final(&st, out);
}

void evidence_node_hash(const uint8_t left[PH_EVIDENCE_HASH],
                        const uint8_t right[PH_EVIDENCE_HASH], uint8_t out[PH_EVIDENCE_HASH])
{
    unsigned char buf[1 + 2 * PH_EVIDENCE_HASH];
    buf[0] = 0x01;
    memcpy(buf + 1, left, PH_EVIDENCE_HASH);
    memcpy(buf + 1 + PH_EVIDENCE_HASH, right, PH_EVIDENCE_HASH);
    crypto_hash_sha256(out, buf, sizeof(buf));
}

uint64_t evidence_split(uint64_t n)
{
    uint64_t k = 1;
    while (k < n - k) /* k * 2 < n without overflow */
        k <<= 1;
    return k;
}

void evidence_hash_b64(const uint8_t hash[PH_EVIDENCE_HASH], char out[EVIDENCE_HASH_B64])
{
    sodium_bin2base64(out, EVIDENCE_HASH_B64, hash, PH_EVIDENCE_HASH,
                      sodium_base64_VARIANT_ORIGINAL);
}

int evidence_hash_from_b64(const char *text, size_t len, uint8_t out[PH_EVIDENCE_HASH])
{
    uint8_t buf[PH_EVIDENCE_HASH + 3];
    size_t got = 0;
    const char *end = NULL;
    if (len != EVIDENCE_HASH_B64 - 1)
        return 0;
    if (sodium_base642bin(buf, sizeof(buf), text, len, NULL, &got, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text + len || got != PH_EVIDENCE_HASH)
        return 0;
    memcpy(out, buf, PH_EVIDENCE_HASH);
    return 1;
}

static ph_status refuse(ph_error *err, const char *what)
{
    return ph_error_set(err, PH_EVERIFY, NULL, NULL, "%s", what);
}

ph_status ph_merkle_verify_inclusion(uint64_t index, uint64_t size,
                                     const uint8_t leaf_hash[PH_EVIDENCE_HASH],
                                     const uint8_t (*path)[PH_EVIDENCE_HASH], size_t n,
                                     const uint8_t root[PH_EVIDENCE_HASH], ph_error *err)
{
    if (leaf_hash == NULL || root == NULL || (path == NULL && n > 0))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_merkle_verify_inclusion: NULL hash or path");
    if (index >= size)
        return ph_error_set(err, PH_EVERIFY, "index", NULL,
                            "leaf index %llu is outside a tree of %llu leaves",
                            (unsigned long long)index, (unsigned long long)size);
    uint64_t fn = index, sn = size - 1;
    uint8_t r[PH_EVIDENCE_HASH];
    memcpy(r, leaf_hash, PH_EVIDENCE_HASH);
    for (size_t i = 0; i < n; i++) {
        if (sn == 0)
            return ph_error_set(err, PH_EVERIFY, "proof", NULL,
                                "the inclusion proof has %zu hashes, more than the %zu a leaf "
                                "at index %llu of a tree of %llu leaves needs",
                                n, i, (unsigned long long)index, (unsigned long long)size);
        if ((fn & 1) || fn == sn) {
            evidence_node_hash(path[i], r, r);
            if (!(fn & 1))
                while (fn != 0 && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            evidence_node_hash(r, path[i], r);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0)
        return ph_error_set(err, PH_EVERIFY, "proof", NULL,
                            "the inclusion proof has %zu hashes, fewer than a leaf at index "
                            "%llu of a tree of %llu leaves needs",
                            n, (unsigned long long)index, (unsigned long long)size);
    if (sodium_memcmp(r, root, PH_EVIDENCE_HASH) != 0)
        return refuse(err, "the inclusion proof does not lead to the tree's root: the leaf, "
                           "the proof or the root was altered");
    return PH_OK;
}

ph_status ph_merkle_verify_consistency(uint64_t size1, uint64_t size2,
                                       const uint8_t root1[PH_EVIDENCE_HASH],
                                       const uint8_t root2[PH_EVIDENCE_HASH],
                                       const uint8_t (*path)[PH_EVIDENCE_HASH], size_t n,
                                       ph_error *err)
{
    if (root1 == NULL || root2 == NULL || (path == NULL && n > 0))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_merkle_verify_consistency: NULL root or path");
    if (size1 > size2)
        return ph_error_set(err, PH_EVERIFY, "size1", NULL,
                            "the old tree has %llu leaves, more than the new tree's %llu",
                            (unsigned long long)size1, (unsigned long long)size2);
    /* The empty tree commits to nothing, so a proof from it proves nothing:
     * refused, as the shared vectors expect (docs/evidence.md#proofs). */
    if (size1 == 0)
        return refuse(err, "a consistency proof from the empty tree proves nothing: the old "
                           "tree must have at least one leaf");
    if (size1 == size2) {
        if (n != 0)
            return ph_error_set(err, PH_EVERIFY, "proof", NULL,
                                "the trees have the same size %llu, so the proof must be "
                                "empty; it has %zu hashes",
                                (unsigned long long)size1, n);
        if (sodium_memcmp(root1, root2, PH_EVIDENCE_HASH) != 0)
            return refuse(err, "the two trees have the same size but different roots: the "
                               "log forked");
        return PH_OK;
    }
    if (n == 0)
        return refuse(err, "the consistency proof is empty, but the trees differ in size");
    /* when size1 is a power of two the old root is itself the first node */
    size_t start = 0;
    const uint8_t *first = path[0];
    if ((size1 & (size1 - 1)) == 0) {
        first = root1;
    } else {
        start = 1;
    }
    uint64_t fn = size1 - 1, sn = size2 - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    uint8_t fr[PH_EVIDENCE_HASH], sr[PH_EVIDENCE_HASH];
    memcpy(fr, first, PH_EVIDENCE_HASH);
    memcpy(sr, first, PH_EVIDENCE_HASH);
    for (size_t i = start; i < n; i++) {
        if (sn == 0)
            return ph_error_set(err, PH_EVERIFY, "proof", NULL,
                                "the consistency proof has %zu hashes, more than trees of "
                                "%llu and %llu leaves need",
                                n, (unsigned long long)size1, (unsigned long long)size2);
        if ((fn & 1) || fn == sn) {
            evidence_node_hash(path[i], fr, fr);
            evidence_node_hash(path[i], sr, sr);
            if (!(fn & 1))
                while (fn != 0 && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            evidence_node_hash(sr, path[i], sr);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0)
        return ph_error_set(err, PH_EVERIFY, "proof", NULL,
                            "the consistency proof has %zu hashes, fewer than trees of %llu "
                            "and %llu leaves need",
                            n, (unsigned long long)size1, (unsigned long long)size2);
    if (sodium_memcmp(fr, root1, PH_EVIDENCE_HASH) != 0)
        return refuse(err, "the consistency proof does not lead to the old tree's root");
    if (sodium_memcmp(sr, root2, PH_EVIDENCE_HASH) != 0)
        return refuse(err, "the consistency proof does not lead to the new tree's root: the "
                           "new tree does not extend the old one");
    return PH_OK;
}
