/*
 * The platform's content checksum: what the model registry, the policy store
 * and the market's settings record beside stored bytes, and what the market
 * hashes to route an application to a challenger.
 */
#include <sodium.h>

#include "puhui/common.h"

void ph_checksum_hex(const void *data, size_t len, char out[PH_CHECKSUM_HEX])
{
    unsigned char digest[32];
    crypto_generichash(digest, sizeof(digest), data, len, NULL, 0);
    sodium_bin2hex(out, PH_CHECKSUM_HEX, digest, sizeof(digest));
}
