/*
 * The fast decimal reader (src/core/float_parse.h) against strtod: for any
 * bytes, float_parse accepts exactly what strtod reads whole as a finite,
 * in-range decimal number, and gives the same bits. The input is handed over
 * in a buffer of its exact size, not NUL-terminated, so reading past the
 * length is an AddressSanitizer finding.
 */
#include "fuzz_common.h"

#include <errno.h>
#include <math.h>

#include "core/float_parse.h"

/* What the dataset accepted when it called strtod on every cell. */
static int reference(const char *s, size_t len, double *out)
{
    if (len == 0 || len >= FLOAT_PARSE_MAX_LEN)
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (!memchr("0123456789.+-eE", s[i], 15))
            return 0;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end != s + len || errno == ERANGE || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2 * FLOAT_PARSE_MAX_LEN)
        return -1;
    char *exact = malloc(size ? size : 1);
    if (!exact)
        abort();
    memcpy(exact, data, size);
    double got = 0, want = 0;
    int ok_got = float_parse(exact, size, &got);
    char *text = fuzz_text(data, size);
    int ok_want = reference(text, size, &want);
    if (ok_got != ok_want || (ok_got && memcmp(&got, &want, sizeof(double)) != 0)) {
        fprintf(stderr, "fuzz_float: '%s': float_parse %d %a, strtod %d %a\n", text, ok_got,
                got, ok_want, want);
        abort();
    }
    free(text);
    free(exact);
    return 0;
}
