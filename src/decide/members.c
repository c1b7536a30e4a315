/*
 * Only the members a policy document allows (members.h).
 */
#include "members.h"

#include "core/text.h"

#include <string.h>

ph_status decide_check_members(const json_t *obj, const char *const *allowed,
                               const char *where, ph_error *err)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)obj, key, value) {
        size_t i = 0;
        while (allowed[i] && strcmp(allowed[i], key) != 0)
            i++;
        if (allowed[i] != NULL)
            continue;
        char list[200];
        text_buf names;
        text_init(&names, list, sizeof(list));
        for (size_t k = 0; allowed[k]; k++)
            text_append(&names, "%s%s", k ? ", " : "", allowed[k]);
        return ph_error_set(err, PH_EINVAL, NULL, NULL, "%s%sunknown member '%.64s' (expected %s)",
                            where, where[0] ? ": " : "", key, list);
    }
    return PH_OK;
}
