/*
 * Claim vouchers over HTTP (docs/api.md#claim-vouchers-and-their-proofs): a
 * firm lists the voucher parts it holds now, a lender the parts it financed,
 * and either fetches the proof bundle of a part's history, which it checks
 * on its own machine against the checkpoint and the verifier key the
 * server publishes (GET /v1/evidence/checkpoint, /v1/evidence/key; routes.c)
 * with `puhui evidence verify` - trusting nothing the platform says.
 *
 * Tenancy: a part belongs to its holder (the firm in the part's row: it
 * holds it now, or held it before it split or passed it on) and to the
 * lender that financed it. Another tenant's part answers exactly as a
 * missing one ("no voucher with that id", 404) and the call is marked
 * refused for the access log. A proof covers the part's chain of title
 * only (ph_voucher_prove_part): its own events and its ancestors', never a
 * sibling branch, which is other firms' business. The regulator and the
 * operator have no row here (docs/keys.md: they never read a firm's rows).
 *
 * The evidence log is only ever read (ph_evidence_open_read, once per
 * proof): the writer - `puhui voucher`, `puhui evidence checkpoint` - keeps
 * its lock, and the server proves against the last signed checkpoint, whose
 * size every participant can check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_query.h"
#include "puhui/evidence.h"
#include "puhui/voucher.h"

/* ---- a part as JSON -------------------------------------------------------------------------- */

static json_t *voucher_json(const ph_voucher *v)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "voucher_id", json_string(v->id));
    json_object_set_new(o, "root_id", json_string(v->root_id));
    json_object_set_new(o, "parent_id", srv_json_text_or_null(v->parent_id));
    json_object_set_new(o, "issuer", json_string(v->issuer));
    json_object_set_new(o, "face", srv_json_money(v->face));
    json_object_set_new(o, "maturity", srv_json_date(v->maturity));
    json_object_set_new(o, "grade", json_string(v->grade));
    json_object_set_new(o, "payable_ref", srv_json_text_or_null(v->payable_ref));
    json_object_set_new(o, "holder", json_string(v->holder));
    json_object_set_new(o, "tier", json_integer(v->tier));
    const char *status = ph_voucher_status_name(v->status);
    json_object_set_new(o, "status", json_string(status ? status : "held"));
    json_object_set_new(o, "created_on", srv_json_date(v->created_on));
    json_t *f = json_null();
    if (v->lender[0] != '\0') {
        f = json_object();
        if (f != NULL) {
            json_object_set_new(f, "lender", json_string(v->lender));
            json_object_set_new(f, "on", srv_json_date(v->financed_on));
            json_object_set_new(f, "rate", srv_json_rate(v->rate));
            json_object_set_new(f, "days", json_integer(v->days));
            json_object_set_new(f, "discount", srv_json_money(v->discount));
            json_object_set_new(f, "advance", srv_json_money(v->advance));
        }
    }
    if (f == NULL || json_object_set_new(o, "financing", f) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* A voucher id as the module makes them: letters and digits, shorter than
 * PH_VOUCHER_ID_MAX. Anything else is a bad request, never a lookup (a
 * longer text would be cut to fit and could name another part). */
static ph_status voucher_id_check(const char *name, const char *text, ph_error *err)
{
    size_t n = strlen(text);
    int ok = n > 0 && n < PH_VOUCHER_ID_MAX;
    for (size_t i = 0; ok && i < n; i++) {
        char c = text[i];
        ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
    if (!ok)
        return ph_error_set(err, PH_EINVAL, name, text,
                            "expected a voucher id such as V000001 (letters and digits, at most "
                            "%d)",
                            PH_VOUCHER_ID_MAX - 1);
    return PH_OK;
}

/* Whether the caller may see part v: its holder (a firm) or its financier (a lender). */
static int owns_voucher(const srv_call *call, const ph_voucher *v)
{
    return srv_owns(call, v->holder, v->lender[0] != '\0' ? v->lender : NULL);
}

/* Part `id` of the caller's into *v: a missing part and another tenant's
 * answer with the same words, so that existence does not leak. */
static ph_status owned_voucher(srv_call *call, const char *id, ph_voucher *v, ph_error *err)
{
    ph_status st = voucher_id_check("voucher", id, err);
    if (st != PH_OK)
        return st;
    st = ph_voucher_get(srv_store(call), id, v, err);
    if (st == PH_ENOTFOUND)
        return ph_error_set(err, PH_ENOTFOUND, "voucher", id, "no voucher with that id");
    if (st != PH_OK)
        return st;
    if (!owns_voucher(call, v))
        return srv_refuse(call, err, "voucher", id, "no voucher with that id");
    return PH_OK;
}

/* ---- GET /v1/vouchers ------------------------------------------------------------------------- */

typedef struct voucher_page {
    json_t *items;
    int64_t limit;
    int64_t taken;
    int more;
    int failed;
    char next[PH_VOUCHER_ID_MAX];
} voucher_page;

static ph_status page_voucher(void *user, const ph_voucher *v, ph_error *err)
{
    (void)err;
    voucher_page *p = user;
    if (p->taken == p->limit) {
        p->more = 1; /* one past the page: there is a next page */
        return PH_DONE;
    }
    json_t *o = voucher_json(v);
    if (o == NULL || json_array_append_new(p->items, o) != 0) {
        p->failed = 1;
        return PH_DONE;
    }
    p->taken++;
    memcpy(p->next, v->id, sizeof(p->next));
    return PH_OK;
}

/* The query parameters voucher_list takes. */
static const char *const VOUCHER_LIST_QUERY[] = {"limit", "after", NULL};

static ph_status voucher_list(srv_call *call, ph_error *err)
{
    ph_status st = srv_query_check(call, VOUCHER_LIST_QUERY, err);
    if (st != PH_OK)
        return st;
    voucher_page p;
    memset(&p, 0, sizeof(p));
    /* limit as every list reads it; after is a voucher id, the previous page's next */
    const char *limit = srv_query(call, "limit");
    p.limit = SRV_PAGE_DEFAULT;
    if (limit != NULL) {
        char *end = NULL;
        long long n = limit[0] >= '1' && limit[0] <= '9' ? strtoll(limit, &end, 10) : 0;
        if (end == NULL || *end != '\0' || n < 1 || n > SRV_PAGE_MAX)
            return ph_error_set(err, PH_EINVAL, "limit", limit,
                                "expected a whole number from 1 to %d", SRV_PAGE_MAX);
        p.limit = n;
    }
    ph_voucher_filter f;
    memset(&f, 0, sizeof(f));
    f.after = srv_query(call, "after");
    if (f.after != NULL && voucher_id_check("after", f.after, err) != PH_OK)
        return ph_error_set(err, PH_EINVAL, "after", f.after,
                            "expected the id of the last voucher of the previous page (its "
                            "\"next\")");
    /* a firm: the parts it holds now; a lender: the parts it financed */
    if (call->scope != SRV_SCOPE_ALL) {
        if (call->who->role == SRV_ROLE_ENTERPRISE) {
            f.holder = call->who->tenant;
            f.current_only = 1;
        } else if (call->who->role == SRV_ROLE_INSTITUTION) {
            f.lender = call->who->tenant;
        } else {
            return ph_error_set(err, PH_EDENIED, "role", srv_role_name(call->who->role),
                                "vouchers are read by their holder or their financier");
        }
    }
    p.items = json_array();
    if (p.items == NULL)
        return srv_nomem(err);
    st = ph_voucher_list(srv_store(call), &f, page_voucher, &p, err);
    if (st == PH_OK && p.failed)
        st = srv_nomem(err);
    if (st != PH_OK) {
        json_decref(p.items);
        return st;
    }
    call->result = json_pack("{s:o, s:o}", "items", p.items, "next",
                             p.more ? json_string(p.next) : json_null());
    return call->result ? PH_OK : srv_nomem(err);
}

/* ---- GET /v1/vouchers/{id}/proof -------------------------------------------------------------- */

/* The evidence log's file DIR/name, NUL-terminated, into *text. */
static ph_status read_evidence_file(srv_call *call, const char *dir, const char *name,
                                    char **text, size_t *len, ph_error *err)
{
    char path[4096];
    int w = snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (w < 0 || (size_t)w >= sizeof(path))
        return ph_error_set(err, PH_EIO, "path", dir, "the evidence directory's path is too long");
    char *data = NULL;
    ph_status st = ph_read_file(call->ctx, path, name, &data, len, err);
    if (st != PH_OK)
        return st;
    char *grown = ph_realloc(call->ctx, data, *len + 1);
    if (grown == NULL) {
        ph_free(call->ctx, data);
        return srv_nomem(err);
    }
    grown[*len] = '\0';
    *text = grown;
    return PH_OK;
}

/* A proof the platform cannot give yet (no signed checkpoint, an event the
 * last checkpoint does not cover): the part is there, the client may ask
 * again after the next checkpoint. 409, not the client's 400. */
static ph_status not_yet(srv_call *call, ph_status st)
{
    call->error_http = 409;
    call->error_slug = "conflict";
    call->error_title = "Not yet covered by a signed checkpoint";
    return st;
}

/* The last signed checkpoint of dir, checked under the log's own verifier key. */
static ph_status last_checkpoint(srv_call *call, const char *dir, ph_evidence_checkpoint_info *cp,
                                 ph_error *err)
{
    char *note = NULL, *vkey = NULL;
    size_t note_len = 0, vkey_len = 0;
    char path[4096];
    snprintf(path, sizeof(path), "%s/checkpoint", dir);
    FILE *probe = fopen(path, "rb");
    if (probe == NULL)
        return not_yet(call, ph_error_set(err, PH_ENOTFOUND, "checkpoint", NULL,
                                          "no signed checkpoint yet: the platform signs one "
                                          "with `puhui evidence checkpoint`"));
    fclose(probe);
    ph_status st = read_evidence_file(call, dir, "checkpoint", &note, &note_len, err);
    if (st == PH_OK)
        st = read_evidence_file(call, dir, "log.vkey", &vkey, &vkey_len, err);
    if (st == PH_OK)
        st = ph_evidence_checkpoint_open(note, note_len, vkey, cp, err);
    ph_free(call->ctx, note);
    ph_free(call->ctx, vkey);
    return st;
}

static ph_status voucher_proof(srv_call *call, ph_error *err)
{
    ph_status st = srv_query_check(call, NULL, err); /* takes none */
    if (st != PH_OK)
        return st;
    const char *id = srv_path_text(call, 0);
    ph_voucher v;
    if ((st = owned_voucher(call, id, &v, err)) != PH_OK)
        return st;
    const char *dir = srv_worker_evidence_dir(call->worker);
    if (dir == NULL)
        return ph_error_set(err, PH_ENOTFOUND, "path", call->path,
                            "this server publishes no evidence log (puhui serve --evidence DIR)");
    ph_evidence_checkpoint_info cp;
    memset(&cp, 0, sizeof(cp));
    if ((st = last_checkpoint(call, dir, &cp, err)) != PH_OK)
        return st;
    /* read-only: the writer keeps its lock; the checkpoint was signed after
     * the log was committed at its size, so the log opened now holds it */
    ph_evidence_log *log = NULL;
    if ((st = ph_evidence_open_read(call->ctx, dir, NULL, &log, err)) != PH_OK)
        return st;
    uint8_t root[PH_EVIDENCE_HASH];
    if (cp.size > ph_evidence_size(log))
        st = ph_error_set(err, PH_EVERIFY, "checkpoint", NULL,
                          "the checkpoint signs a tree of %llu leaves but the log has %llu",
                          (unsigned long long)cp.size, (unsigned long long)ph_evidence_size(log));
    if (st == PH_OK)
        st = ph_evidence_root(log, cp.size, root, err);
    if (st == PH_OK && memcmp(root, cp.root, sizeof(root)) != 0)
        st = ph_error_set(err, PH_EVERIFY, "checkpoint", NULL,
                          "the log's tree of %llu leaves does not have the checkpoint's root",
                          (unsigned long long)cp.size);
    char *bundle = NULL;
    size_t len = 0;
    if (st == PH_OK)
        st = ph_voucher_prove_part(srv_store(call), log, id, cp.size, &bundle, &len, NULL, err);
    ph_evidence_free(log);
    if (st == PH_EINVAL && strcmp(err->field, "leaf_index") == 0)
        return not_yet(call, st); /* an event past the checkpoint, or recorded without a log */
    if (st == PH_EVERIFY) {
        /* the whole tree is checked, and the library names the row at fault -
         * which may be another firm's part, its holder's USCC in the words:
         * the operator reads it in the server's log, the caller is told that
         * the records of its voucher's tree do not match (422) */
        ph_log(call->ctx, PH_LOG_WARN, "GET %s: %s", call->path, err->message);
        return ph_error_set(err, PH_EVERIFY, "voucher", id,
                            "the platform's records of this voucher's tree no longer match its "
                            "evidence log; no proof is given from them (the operator's log "
                            "says which record)");
    }
    if (st != PH_OK)
        return st;
    call->raw_json = bundle;
    call->raw_len = len;
    return PH_OK;
}

/* ---- the routes ------------------------------------------------------------------------------- */

const srv_route srv_routes_vouchers[] = {
    {"GET", "/v1/vouchers", "voucher", "read", voucher_list},
    {"GET", "/v1/vouchers/{id}/proof", "voucher", "prove", voucher_proof},
    {NULL, NULL, NULL, NULL, NULL},
};
