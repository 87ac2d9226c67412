/* link.c: SHA-256 links of the fiscal chain through libcrypto's EVP interface (link.h). */
#include "fiscal/link.h"

#include <openssl/evp.h>
#include <string.h>

bool pss__chain_hasher_init(pss__chain_hasher *h)
{
    h->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    h->md = EVP_MD_CTX_new();
    if (h->sha256 && h->md)
        return true;
    pss__chain_hasher_free(h);
    return false;
}

void pss__chain_hasher_free(pss__chain_hasher *h)
{
    EVP_MD_CTX_free(h->md);
    EVP_MD_free(h->sha256);
    h->md = h->sha256 = NULL;
}

/* SHA-256 over two pieces, as one message. */
static bool sha256_two(pss__chain_hasher *h, const void *a, size_t a_len, const void *b,
                       size_t b_len, uint8_t out[PSS__CHAIN_HASH_BYTES])
{
    unsigned int n = 0;
    return EVP_DigestInit_ex(h->md, h->sha256, NULL) == 1 &&
           EVP_DigestUpdate(h->md, a, a_len) == 1 && EVP_DigestUpdate(h->md, b, b_len) == 1 &&
           EVP_DigestFinal_ex(h->md, out, &n) == 1 && n == PSS__CHAIN_HASH_BYTES;
}

bool pss__chain_genesis(pss__chain_hasher *h, const char *config_id,
                        uint8_t out[PSS__CHAIN_HASH_BYTES])
{
    static const char prefix[] = "pss-fiscal=1 genesis=";
    return sha256_two(h, prefix, sizeof prefix - 1, config_id, strlen(config_id), out);
}

bool pss__chain_link(pss__chain_hasher *h, const uint8_t prev[PSS__CHAIN_HASH_BYTES],
                     const void *bytes, size_t len, uint8_t out[PSS__CHAIN_HASH_BYTES])
{
    uint8_t copy[PSS__CHAIN_HASH_BYTES]; /* out may be prev: the digest writes at the end */
    memcpy(copy, prev, sizeof copy);
    return sha256_two(h, copy, sizeof copy, bytes, len, out);
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
