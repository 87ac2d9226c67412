/* hash.h: the word-at-a-time hash of the library's non-cryptographic needs: the content hash
 * of submitted orders (input_hash.c, stored, so its results must never change) and the
 * in-memory store's tables. Eight bytes per multiply instead of FNV-1a's one. */
#ifndef PSS_HASH_H
#define PSS_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PSS_HASH_SEED 1469598103934665603ULL /* FNV's offset basis, as the older hash began */
#define PSS_HASH_MULTIPLIER 0x9E3779B97F4A7C15ULL /* 2^64 / golden ratio, odd */

/* A bijection of the state for each word (multiplying by an odd number, then an xor-shift):
 * two inputs that differ in one word always end in different states. */
static inline uint64_t pss__hash_word(uint64_t h, uint64_t w)
{
    h = (h ^ w) * PSS_HASH_MULTIPLIER;
    return h ^ (h >> 32);
}

/* Eight bytes read as a little-endian number, so that hashes are the same on every machine. */
static inline uint64_t pss__load_le64(const char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

/* The length, then the bytes eight at a time, the last word zero-padded: "ab","c" and
 * "a","bc" differ. */
static inline uint64_t pss__hash_text(uint64_t h, const char *s, size_t len)
{
    h = pss__hash_word(h, (uint64_t)len);
    size_t i = 0;
    for (; i + 8 <= len; i += 8)
        h = pss__hash_word(h, pss__load_le64(s + i));
    if (i == len)
        return h;
    uint64_t w = 0;
    for (size_t k = 0; i + k < len; k++)
        w |= (uint64_t)(unsigned char)s[i + k] << (8 * k);
    return pss__hash_word(h, w);
}

#endif
