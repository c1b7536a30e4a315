/*
 * Reading a whole file into memory through the context's allocator: what a
 * model file, a policy document or a registered model's bytes need (they are
 * parsed or hashed whole, and are small beside the data feeds, which stream).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "puhui/common.h"

ph_status ph_read_file(const ph_ctx *ctx, const char *path, const char *what, char **data,
                       size_t *len, ph_error *err)
{
    if (!ctx || !path || !data || !len)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_read_file: NULL argument");
    if (!what)
        what = "file";
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return ph_error_set(err, PH_EIO, "path", path, "cannot open the %s: %s", what,
                            strerror(errno));
    char *buf = NULL;
    size_t used = 0, cap = 0;
    ph_status st = PH_OK;
    for (;;) {
        if (used == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            char *grown = ncap > cap ? ph_realloc(ctx, buf, ncap) : NULL;
            if (grown == NULL) {
                st = ph_error_set(err, PH_ENOMEM, "path", path, "out of memory reading the %s",
                                  what);
                break;
            }
            buf = grown;
            cap = ncap;
        }
        size_t got = fread(buf + used, 1, cap - used, f);
        used += got;
        if (got == 0) {
            if (ferror(f))
                st = ph_error_set(err, PH_EIO, "path", path, "cannot read the %s: %s", what,
                                  strerror(errno));
            break;
        }
    }
    fclose(f);
    if (st != PH_OK) {
        ph_free(ctx, buf);
        return st;
    }
    *data = buf;
    *len = used;
    return PH_OK;
}
