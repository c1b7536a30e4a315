/*
 * The API key parser (ph_apikey_parse, which ph_apikey_authenticate runs on
 * every request before it reads anything) against a second reading written
 * from the contract alone: "phk_", 1 to 19 decimal digits without a leading
 * zero whose value fits int64, "_", exactly 64 lower-case hex digits. The
 * input is handed over in a buffer of its exact size, not NUL-terminated,
 * so reading past the length is an AddressSanitizer finding.
 */
#include "fuzz_common.h"

#include "puhui/apikey.h"

static int reference(const char *s, size_t len, int64_t *id)
{
    if (len < 4 || memcmp(s, "phk_", 4) != 0)
        return 0;
    const char *digits = s + 4;
    const char *sep = memchr(digits, '_', len - 4);
    if (sep == NULL)
        return 0;
    size_t n = (size_t)(sep - digits);
    if (n < 1 || n > 19 || digits[0] == '0')
        return 0;
    char idtext[20];
    memcpy(idtext, digits, n);
    idtext[n] = '\0';
    if (strspn(idtext, "0123456789") != n)
        return 0;
    if (n == 19 && strcmp(idtext, "9223372036854775807") > 0)
        return 0;
    size_t rest = len - 4 - n - 1;
    if (rest != 64)
        return 0;
    for (size_t i = 0; i < 64; i++)
        if (!memchr("0123456789abcdef", sep[1 + i], 16))
            return 0;
    *id = (int64_t)strtoll(idtext, NULL, 10);
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4 * PH_APIKEY_TEXT_MAX)
        return -1;
    char *exact = malloc(size ? size : 1);
    if (!exact)
        abort();
    memcpy(exact, data, size);
    int64_t got = -1, want = -1;
    int ok_got = ph_apikey_parse(exact, size, &got);
    int ok_want = reference((const char *)data, size, &want);
    if (ok_got != ok_want || got != want) {
        char *text = fuzz_text(data, size);
        fprintf(stderr, "fuzz_apikey: '%s': parse %d id %lld, reference %d id %lld\n", text,
                ok_got, (long long)got, ok_want, (long long)want);
        abort();
    }
    free(exact);
    return 0;
}
