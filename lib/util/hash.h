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

/* Four bytes as a little-endian number. */
static inline uint64_t pss__load_le32(const char *s)
{
    const unsigned char *b = (const unsigned char *)s;
    return (uint64_t)b[0] | (uint64_t)b[1] << 8 | (uint64_t)b[2] << 16 | (uint64_t)b[3] << 24;
}

/* gcc (12, -O2) follows inlined calls on short arrays into the len >= 8 branch below and
 * warns about a load it never makes. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#endif

/* The last 1 to 7 bytes of a text of len bytes, i of them already taken, as one word: the
 * eight bytes that end the text when it has them (overlapping what went before), otherwise
 * two overlapping halves, otherwise byte by byte. */
static inline uint64_t pss__hash_tail(const char *s, size_t i, size_t len)
{
    if (len >= 8)
        return pss__load_le64(s + len - 8);
    if (len >= 4)
        return pss__load_le32(s) | pss__load_le32(s + len - 4) << 32;
    uint64_t w = 0;
    for (; i < len; i++)
        w = w << 8 | (unsigned char)s[i];
    return w;
}

/* The length, then the bytes eight at a time and one word for what is left: "ab","c" and
 * "a","bc" differ. */
static inline uint64_t pss__hash_text(uint64_t h, const char *s, size_t len)
{
    h = pss__hash_word(h, (uint64_t)len);
    size_t i = 0;
    for (; i + 8 <= len; i += 8)
        h = pss__hash_word(h, pss__load_le64(s + i));
    return i == len ? h : pss__hash_word(h, pss__hash_tail(s, i, len));
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/* For hash tables, which use the low bits: a multiply only carries a difference upwards, so
 * two keys differing in their last byte would share their low bits. murmur3's finalizer
 * spreads every bit over all of them. */
static inline uint64_t pss__hash_spread(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

#endif
