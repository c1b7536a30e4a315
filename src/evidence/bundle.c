/*
 * Proof bundles: what a participant takes away to check the platform's
 * records offline (docs/evidence.md#bundles). JSON:
 *
 *   {"format": "puhui-evidence-bundle/1", "origin": "<log origin>",
 *    "tree_size": N,
 *    "leaves": [{"index": I, "data": "<base64 of the leaf bytes>",
 *                "proof": ["<base64 hash>", ...]}, ...]}
 *
 * A bundle carries no trust of its own: verifying it recomputes each leaf's
 * hash from its bytes and walks its inclusion proof up to the root of a
 * signed checkpoint of exactly tree_size leaves, under a key the verifier
 * got elsewhere. Malformed bundles are PH_EINVAL located at the member
 * (line and column in the bundle's text); a leaf that is not in the tree is
 * PH_EVERIFY naming it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "evidence/evidence_internal.h"
#include "json/json_internal.h"

#define BUNDLE_FORMAT "puhui-evidence-bundle/1"
#define MAX_BUNDLE_LEAVES 1000000

/* The bundle's document (the caller json_decref's *out). */
static ph_status bundle_build(ph_evidence_log *log, const uint64_t *indices, size_t n,
                              uint64_t size, json_t **out, ph_error *err)
{
    *out = NULL;
    if (size > ph_evidence_size(log))
        return ph_error_set(err, PH_ERANGE, "size", NULL,
                            "a tree of %llu leaves was asked for, but the log has %llu",
                            (unsigned long long)size,
                            (unsigned long long)ph_evidence_size(log));
    ph_status st = PH_OK;
    json_t *doc = json_object(), *leaves = json_array();
    if (doc == NULL || leaves == NULL ||
        json_object_set_new(doc, "format", json_string(BUNDLE_FORMAT)) != 0 ||
        json_object_set_new(doc, "origin", json_string(ph_evidence_origin(log))) != 0 ||
        json_object_set_new(doc, "tree_size", json_integer((json_int_t)size)) != 0) {
        json_decref(doc);
        json_decref(leaves);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    json_object_set_new(doc, "leaves", leaves);
    for (size_t i = 0; i < n && st == PH_OK; i++) {
        if (indices[i] >= size) {
            st = ph_error_set(err, PH_ERANGE, "index", NULL,
                              "leaf %llu is not in a tree of %llu leaves: sign a newer "
                              "checkpoint first (`puhui evidence checkpoint`)",
                              (unsigned long long)indices[i], (unsigned long long)size);
            break;
        }
        const uint8_t *data = NULL;
        size_t len = 0, k = 0;
        uint8_t proof[PH_EVIDENCE_MAX_PATH][PH_EVIDENCE_HASH];
        st = ph_evidence_prove_inclusion(log, indices[i], size, proof, &k, err);
        if (st == PH_OK)
            st = ph_evidence_leaf_data(log, indices[i], &data, &len, err);
        if (st != PH_OK)
            break;
        size_t b64_len = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
        char *b64 = ph_malloc(evidence_ctx(log), b64_len);
        json_t *leaf = json_object(), *arr = json_array();
        if (b64 == NULL || leaf == NULL || arr == NULL) {
            ph_free(evidence_ctx(log), b64);
            json_decref(leaf);
            json_decref(arr);
            st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
            break;
        }
        sodium_bin2base64(b64, b64_len, data, len, sodium_base64_VARIANT_ORIGINAL);
        json_object_set_new(leaf, "index", json_integer((json_int_t)indices[i]));
        json_object_set_new(leaf, "data", json_string(b64));
        ph_free(evidence_ctx(log), b64);
        for (size_t j = 0; j < k; j++) {
            char h[EVIDENCE_HASH_B64];
            evidence_hash_b64(proof[j], h);
            json_array_append_new(arr, json_string(h));
        }
        json_object_set_new(leaf, "proof", arr);
        json_array_append_new(leaves, leaf);
    }
    if (st == PH_OK)
        *out = doc;
    else
        json_decref(doc);
    return st;
}

ph_status ph_evidence_bundle_write(ph_evidence_log *log, const uint64_t *indices, size_t n,
                                   uint64_t size, const char *path, ph_error *err)
{
    if (log == NULL || (indices == NULL && n > 0) || path == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_evidence_bundle_write: log, indices and path must not be NULL");
    json_t *doc = NULL;
    ph_status st = bundle_build(log, indices, n, size, &doc, err);
    if (st == PH_OK)
        st = pjson_save_file(doc, path, err);
    json_decref(doc);
    return st;
}

ph_status ph_evidence_bundle_text(ph_evidence_log *log, const uint64_t *indices, size_t n,
                                  uint64_t size, char **text, size_t *len, ph_error *err)
{
    if (log == NULL || (indices == NULL && n > 0) || text == NULL || len == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_evidence_bundle_text: log, indices, text and len must not be "
                            "NULL");
    *text = NULL;
    *len = 0;
    json_t *doc = NULL;
    ph_status st = bundle_build(log, indices, n, size, &doc, err);
    if (st != PH_OK)
        return st;
    /* the bytes the file writer writes: the same dump and a newline */
    char *dumped = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
    json_decref(doc);
    size_t k = dumped != NULL ? strlen(dumped) : 0;
    char *copy = dumped != NULL ? ph_malloc(evidence_ctx(log), k + 2) : NULL;
    if (copy == NULL) {
        free(dumped);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    memcpy(copy, dumped, k);
    copy[k] = '\n';
    copy[k + 1] = '\0';
    free(dumped);
    *text = copy;
    *len = k + 1;
    return PH_OK;
}

/* ---- verification ----------------------------------------------------------------------- */

typedef struct reader {
    const char *text;
    size_t len;
    ph_error *err;
} reader;

/* PH_EINVAL at the member path[0..n) of the bundle's text. */
static ph_status bad_member(const reader *r, const pjson_step *path, size_t n, const char *field,
                            const char *what)
{
    uint64_t line = 0, column = 0;
    ph_error_set(r->err, PH_EINVAL, field, NULL, "%s", what);
    if (pjson_locate(r->text, r->len, path, n, &line, &column))
        ph_error_locate(r->err, "bundle", line, column);
    else
        ph_error_locate(r->err, "bundle", 0, 0);
    return PH_EINVAL;
}

static ph_status check_leaf(const reader *r, const json_t *leaf, size_t i,
                            const ph_evidence_checkpoint_info *cp, uint64_t *index)
{
    char field[PH_ERROR_FIELD_MAX];
    pjson_step path[4] = {{"leaves", 0}, {NULL, i}, {NULL, 0}, {NULL, 0}};
    static const char *const allowed[] = {"index", "data", "proof", NULL};
    snprintf(field, sizeof(field), "leaves[%zu]", i);
    if (!json_is_object(leaf))
        return bad_member(r, path, 2, field, "expected an object {index, data, proof}");
    const char *unknown = NULL;
    ph_error scratch;
    if (pjson_check_members(leaf, field, allowed, &unknown, &scratch) != PH_OK) {
        path[2].key = unknown;
        return bad_member(r, path, 3, scratch.field,
                          "unknown member (expected index, data, proof)");
    }
    json_t *jindex = json_object_get(leaf, "index");
    json_t *jdata = json_object_get(leaf, "data");
    json_t *jproof = json_object_get(leaf, "proof");
    snprintf(field, sizeof(field), "leaves[%zu].index", i);
    path[2].key = "index";
    if (!json_is_integer(jindex) || json_integer_value(jindex) < 0)
        return bad_member(r, path, jindex ? 3 : 2, field,
                          "expected the leaf's index, a whole number from 0");
    *index = (uint64_t)json_integer_value(jindex);
    snprintf(field, sizeof(field), "leaves[%zu].data", i);
    path[2].key = "data";
    const char *b64 = json_string_value(jdata);
    size_t b64_len = json_string_length(jdata);
    size_t cap = b64_len / 4 * 3 + 3;
    uint8_t *data = malloc(cap ? cap : 1);
    size_t got = 0;
    const char *end = NULL;
    if (data == NULL)
        return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory");
    if (b64 == NULL || sodium_base642bin(data, cap, b64, b64_len, NULL, &got, &end,
                                         sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != b64 + b64_len) {
        free(data);
        return bad_member(r, path, jdata ? 3 : 2, field,
                          "expected the leaf's bytes in base64 (standard alphabet, padded)");
    }
    uint8_t leaf_hash[PH_EVIDENCE_HASH];
    ph_merkle_leaf_hash(data, got, leaf_hash);
    free(data);
    snprintf(field, sizeof(field), "leaves[%zu].proof", i);
    path[2].key = "proof";
    if (!json_is_array(jproof) || json_array_size(jproof) > PH_EVIDENCE_MAX_PATH)
        return bad_member(r, path, jproof ? 3 : 2, field,
                          "expected the inclusion proof, an array of at most 64 base64 hashes");
    uint8_t proof[PH_EVIDENCE_MAX_PATH][PH_EVIDENCE_HASH];
    size_t k = json_array_size(jproof);
    for (size_t j = 0; j < k; j++) {
        json_t *h = json_array_get(jproof, j);
        if (!json_is_string(h) ||
            !evidence_hash_from_b64(json_string_value(h), json_string_length(h), proof[j])) {
            path[3].index = j;
            snprintf(field, sizeof(field), "leaves[%zu].proof[%zu]", i, j);
            return bad_member(r, path, 4, field,
                              "expected a hash: base64 of 32 bytes (44 characters)");
        }
    }
    ph_status st = ph_merkle_verify_inclusion(*index, cp->size, leaf_hash,
                                              (const uint8_t(*)[PH_EVIDENCE_HASH])proof, k,
                                              cp->root, r->err);
    if (st == PH_EVERIFY) {
        char detail[PH_ERROR_DETAIL_MAX];
        snprintf(detail, sizeof(detail), "%s", r->err->detail);
        ph_error_set(r->err, PH_EVERIFY, "leaf", NULL,
                     "leaf %llu (the bundle's leaves[%zu]) is not in the checkpoint's tree of "
                     "%llu leaves: %s",
                     (unsigned long long)*index, i, (unsigned long long)cp->size, detail);
    }
    return st;
}

ph_status ph_evidence_bundle_verify(const ph_ctx *ctx, const char *bundle, size_t bundle_len,
                                    const char *note, size_t note_len, const char *vkey,
                                    size_t *leaves, ph_error *err)
{
    (void)ctx;
    if (bundle == NULL || note == NULL || vkey == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_evidence_bundle_verify: bundle, note and vkey must not be NULL");
    ph_error local;
    if (err == NULL)
        err = &local;
    if (leaves != NULL)
        *leaves = 0;
    ph_evidence_checkpoint_info cp;
    ph_status st = ph_evidence_checkpoint_open(note, note_len, vkey, &cp, err);
    if (st != PH_OK)
        return st;
    json_t *doc = NULL;
    if ((st = pjson_load_text(bundle, bundle_len, "bundle", &doc, err)) != PH_OK)
        return st;
    reader r = {bundle, bundle_len, err};
    static const char *const allowed[] = {"format", "origin", "tree_size", "leaves", NULL};
    pjson_step path[1] = {{NULL, 0}};
    const char *unknown = NULL;
    json_t *format = json_object_get(doc, "format"), *origin = json_object_get(doc, "origin");
    json_t *size = json_object_get(doc, "tree_size"), *arr = json_object_get(doc, "leaves");
    if (!json_is_object(doc)) {
        st = bad_member(&r, path, 0, NULL, "expected a proof bundle: a JSON object");
    } else if (pjson_check_members(doc, NULL, allowed, &unknown, err) != PH_OK) {
        path[0].key = unknown;
        st = bad_member(&r, path, 1, unknown,
                        "unknown member (expected format, origin, tree_size, leaves)");
    } else if (!json_is_string(format) || strcmp(json_string_value(format), BUNDLE_FORMAT) != 0) {
        path[0].key = "format";
        st = bad_member(&r, path, format ? 1 : 0, "format",
                        "expected \"format\": \"" BUNDLE_FORMAT "\"");
    } else if (!json_is_string(origin)) {
        path[0].key = "origin";
        st = bad_member(&r, path, origin ? 1 : 0, "origin", "expected the log's origin, a string");
    } else if (!json_is_integer(size) || json_integer_value(size) < 1) {
        path[0].key = "tree_size";
        st = bad_member(&r, path, size ? 1 : 0, "tree_size",
                        "expected the tree size the proofs are for, a whole number from 1");
    } else if (!json_is_array(arr) || json_array_size(arr) == 0 ||
               json_array_size(arr) > MAX_BUNDLE_LEAVES) {
        path[0].key = "leaves";
        st = bad_member(&r, path, arr ? 1 : 0, "leaves",
                        "expected the leaves, an array of 1 to 1,000,000 objects");
    } else if (strcmp(json_string_value(origin), cp.origin) != 0) {
        st = ph_error_set(err, PH_EVERIFY, "origin", json_string_value(origin),
                          "the bundle is from another log than the checkpoint's '%s'",
                          cp.origin);
    } else if ((uint64_t)json_integer_value(size) != cp.size) {
        st = ph_error_set(err, PH_EVERIFY, "tree_size", NULL,
                          "the bundle's proofs are for a tree of %lld leaves, the checkpoint "
                          "signs a tree of %llu: ask for a bundle against this checkpoint",
                          (long long)json_integer_value(size), (unsigned long long)cp.size);
    }
    for (size_t i = 0; st == PH_OK && i < json_array_size(arr); i++) {
        uint64_t index = 0;
        st = check_leaf(&r, json_array_get(arr, i), i, &cp, &index);
        if (st == PH_OK && leaves != NULL)
            (*leaves)++;
    }
    json_decref(doc);
    return st;
}
