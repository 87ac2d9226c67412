/* link.h: one link of a config's fiscal chain (doc/fiscal.md, "The chain"): the hash of an
 * event is SHA-256 over the previous event's hash and the event's canonical form (canon.h);
 * the first event's previous hash is the config's genesis. SHA-256 is OpenSSL's libcrypto,
 * never our own. */
#ifndef PSS_FISCAL_LINK_H
#define PSS_FISCAL_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PSS__CHAIN_HASH_BYTES 32
/* Lower-case hex of a hash and its NUL. */
#define PSS__CHAIN_HEX_SIZE (2 * PSS__CHAIN_HASH_BYTES + 1)

/* SHA-256 once set up, for many links: the digest fetched once and one context reused cost
 * 0.33 us a link of 449 bytes where a fresh context each time cost 0.54 (measured with
 * bench/bench-fiscal.c's event size on the CI machine). libcrypto's types stay in chain.c. */
typedef struct pss__chain_hasher {
    void *sha256; /* EVP_MD * */
    void *md;     /* EVP_MD_CTX * */
} pss__chain_hasher;

/* False when libcrypto cannot set it up (out of memory, no SHA-256 provider). */
bool pss__chain_hasher_init(pss__chain_hasher *h);
void pss__chain_hasher_free(pss__chain_hasher *h);

/* The previous hash of a config's first event: SHA-256 of "pss-fiscal=1 genesis=" and the
 * config id, so that no two configs' chains start alike. False only when libcrypto fails. */
bool pss__chain_genesis(pss__chain_hasher *h, const char *config_id,
                        uint8_t out[PSS__CHAIN_HASH_BYTES]);
/* SHA-256(prev || bytes); out may be prev. False only when libcrypto fails. */
bool pss__chain_link(pss__chain_hasher *h, const uint8_t prev[PSS__CHAIN_HASH_BYTES],
                     const void *bytes, size_t len, uint8_t out[PSS__CHAIN_HASH_BYTES]);

void pss__chain_hex(const uint8_t hash[PSS__CHAIN_HASH_BYTES], char out[PSS__CHAIN_HEX_SIZE]);
/* A stored hash back to bytes: false unless text is exactly 64 lower-case hex digits. */
bool pss__chain_unhex(const char *text, uint8_t out[PSS__CHAIN_HASH_BYTES]);

#endif
