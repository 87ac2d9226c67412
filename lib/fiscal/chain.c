/* chain.c: SHA-256 links of the fiscal chain through libcrypto's EVP interface (chain.h). */
#include "fiscal/chain.h"

#include <openssl/evp.h>
#include <string.h>

/* SHA-256 over two pieces, as one message. */
static bool sha256_two(const void *a, size_t a_len, const void *b, size_t b_len,
                       uint8_t out[PSS__CHAIN_HASH_BYTES])
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned int n = 0;
    bool ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
              EVP_DigestUpdate(md, a, a_len) == 1 && EVP_DigestUpdate(md, b, b_len) == 1 &&
              EVP_DigestFinal_ex(md, out, &n) == 1 && n == PSS__CHAIN_HASH_BYTES;
    EVP_MD_CTX_free(md);
    return ok;
}

bool pss__chain_genesis(const char *config_id, uint8_t out[PSS__CHAIN_HASH_BYTES])
{
    static const char prefix[] = "pss-fiscal=1 genesis=";
    return sha256_two(prefix, sizeof prefix - 1, config_id, strlen(config_id), out);
}

bool pss__chain_link(const uint8_t prev[PSS__CHAIN_HASH_BYTES], const void *bytes, size_t len,
                     uint8_t out[PSS__CHAIN_HASH_BYTES])
{
    return sha256_two(prev, PSS__CHAIN_HASH_BYTES, bytes, len, out);
}

void pss__chain_hex(const uint8_t hash[PSS__CHAIN_HASH_BYTES], char out[PSS__CHAIN_HEX_SIZE])
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < PSS__CHAIN_HASH_BYTES; i++) {
        out[2 * i] = hex[hash[i] >> 4];
        out[2 * i + 1] = hex[hash[i] & 15];
    }
    out[2 * PSS__CHAIN_HASH_BYTES] = '\0';
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool pss__chain_unhex(const char *text, uint8_t out[PSS__CHAIN_HASH_BYTES])
{
    if (!text || strlen(text) != 2 * PSS__CHAIN_HASH_BYTES)
        return false;
    for (size_t i = 0; i < PSS__CHAIN_HASH_BYTES; i++) {
        int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}
