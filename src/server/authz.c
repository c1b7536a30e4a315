/*
 * Who may do what: the role x resource x action table (docs/api.md#keys-and-roles).
 *
 * The table is data, read by one lookup: the router asks it before any
 * handler runs, and a handler narrows SRV_SCOPE_OWN to the caller's own
 * rows (srv_owns, srv_refuse). A pair missing from the table is refused.
 *
 * Rules of the platform (docs/domain.md#data-hub-and-consent):
 *   - an institution sees only its own applications, decisions, loans and
 *     policies, and a firm's profile only through the consent gate;
 *   - a firm sees only itself, including who read its data;
 *   - the regulator sees aggregates and the model registry, never a firm's rows;
 *   - an early-warning alert is its lender's working file: the lender reads and
 *     works its own, the regulator and the operator count them over the market,
 *     and a firm reads who monitors it and the colour it has, not the alerts
 *     (src/server/api_alerts.c says why);
 *   - a claim voucher's part is its holder's and its financier's: a firm lists the
 *     parts it holds and proves those it holds or held, a lender those it financed;
 *     the regulator and the operator have no voucher row (no firm's rows; the
 *     evidence log's checkpoint and key are public to everyone).
 */
#include <string.h>

#include "api.h"

typedef struct authz_row {
    srv_role role;
    const char *resource;
    const char *action;
    srv_scope scope;
} authz_row;

#define E SRV_ROLE_ENTERPRISE
#define I SRV_ROLE_INSTITUTION
#define R SRV_ROLE_REGULATOR
#define A SRV_ROLE_ADMIN
#define OWN SRV_SCOPE_OWN
#define ALL SRV_SCOPE_ALL
#define AGG SRV_SCOPE_AGGREGATE

static const authz_row AUTHZ[] = {
    /* a firm acting for itself */
    {E, "session", "read", OWN},
    {E, "application", "create", OWN},
    {E, "application", "read", OWN},
    {E, "decision", "read", OWN},
    {E, "appeal", "create", OWN},
    {E, "appeal", "read", OWN},
    {E, "consent", "create", OWN},
    {E, "consent", "read", OWN},
    {E, "consent", "revoke", OWN},
    {E, "access_log", "read", OWN},
    {E, "loan", "create", OWN},
    {E, "loan", "read", OWN},
    {E, "loan", "draw", OWN},
    {E, "loan", "repay", OWN},
    {E, "monitoring", "read", OWN},
    {E, "voucher", "read", OWN},
    {E, "voucher", "prove", OWN},

    /* a lender, guarantor or core enterprise */
    {I, "session", "read", OWN},
    {I, "application", "read", OWN},
    {I, "decision", "read", OWN},
    {I, "decision", "replay", OWN},
    {I, "appeal", "read", OWN},
    {I, "appeal", "decide", OWN},
    {I, "consent", "read", OWN},
    {I, "profile", "read", OWN},
    {I, "loan", "read", OWN},
    {I, "loan", "repay", OWN},
    {I, "policy", "create", OWN},
    {I, "policy", "read", OWN},
    {I, "policy", "activate", OWN},
    {I, "model", "read", ALL},
    {I, "market", "read", AGG},
    {I, "portfolio", "read", OWN},
    {I, "alert", "read", OWN},
    {I, "alert", "ack", OWN},
    {I, "alert", "close", OWN},
    {I, "alert", "escalate", OWN},
    {I, "alert", "summary", OWN},
    {I, "voucher", "read", OWN},
    {I, "voucher", "prove", OWN},

    /* the regulator: aggregates and the registry */
    {R, "session", "read", OWN},
    {R, "market", "read", AGG},
    {R, "portfolio", "read", AGG},
    {R, "model", "read", ALL},
    {R, "policy", "read", ALL},
    {R, "alert", "summary", AGG},

    /* the platform's operator */
    {A, "session", "read", OWN},
    {A, "model", "read", ALL},
    {A, "policy", "read", ALL},
    {A, "market", "read", AGG},
    {A, "portfolio", "read", AGG},
    {A, "decision", "replay", ALL},
    {A, "alert", "summary", AGG},
};

srv_scope srv_authz_scope(srv_role role, const char *resource, const char *action)
{
    if (resource == NULL || action == NULL)
        return SRV_SCOPE_NONE;
    for (size_t i = 0; i < sizeof AUTHZ / sizeof AUTHZ[0]; i++) {
        const authz_row *row = &AUTHZ[i];
        if (row->role == role && strcmp(row->resource, resource) == 0 &&
            strcmp(row->action, action) == 0)
            return row->scope;
    }
    return SRV_SCOPE_NONE;
}

const char *srv_role_name(srv_role role)
{
    static const char *const NAMES[SRV_ROLE_COUNT] = {"none", "enterprise", "institution",
                                                      "regulator", "admin"};
    return (unsigned)role < SRV_ROLE_COUNT ? NAMES[role] : "none";
}
