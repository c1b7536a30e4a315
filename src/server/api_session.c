/*
 * GET /v1/whoami: the caller's role and tenant, so that a client (the
 * console) shows the view that fits the key it was given.
 */
#include "api.h"
#include "api_query.h"

static ph_status whoami(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    (void)err;
    call->result = json_pack("{s:s, s:s, s:I}", "role", srv_role_name(call->who->role), "tenant",
                             call->who->tenant, "key_id", (json_int_t)call->who->key_id);
    return call->result ? PH_OK : PH_ENOMEM;
}

const srv_route srv_routes_session[] = {
    {"GET", "/v1/whoami", "session", "read", whoami},
    {NULL, NULL, NULL, NULL, NULL},
};
