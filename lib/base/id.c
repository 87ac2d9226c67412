/* id.c: UUID ids through libuuid, always handled as canonical lower-case text; the ids the
 * library makes are time-ordered (version 7); their 16 bytes for a store. */
#include "base/id.h"

#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <uuid/uuid.h>

/* UUIDv7 (RFC 9562, 5.7): the first 48 bits are the Unix time in milliseconds, big-endian,
 * then the version 7 and 74 random bits with the variant. Ids made later sort after, so a
 * store's id index grows at its end instead of at random places (bench/README.md). Debian
 * 12's libuuid (util-linux 2.38) has no v7 maker; its random v4 gives the random bits, whose
 * variant bits are already RFC 9562's. */
static void make_v7(uuid_t raw, uint64_t unix_ms)
{
    uuid_generate_random(raw);
    for (int i = 0; i < 6; i++)
        raw[i] = (unsigned char)(unix_ms >> (40 - 8 * i));
    raw[6] = (unsigned char)(0x70 | (raw[6] & 0x0f));
}

int pss_id_generate(char out[PSS_ID_SIZE])
{
    if (!out)
        return PSS_EINVAL;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uuid_t raw;
    make_v7(raw, (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
    uuid_unparse_lower(raw, out);
    return 0;
}

/* Whether 36 bytes are already a UUID's canonical lower-case text: hex digits with dashes at
 * 8, 13, 18 and 23. */
static bool canonical(const char *text)
{
    for (int i = 0; i < PSS_ID_SIZE - 1; i++) {
        char c = text[i];
        bool ok = i == 8 || i == 13 || i == 18 || i == 23
                      ? c == '-'
                      : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        if (!ok)
            return false;
    }
    return true;
}

int pss_id_normalize(const char *text, char out[PSS_ID_SIZE])
{
    if (!text || !out || strlen(text) != PSS_ID_SIZE - 1)
        return PSS_EINVAL;
    /* Ids nearly always arrive canonical (ours, and most hosts'): for those, checking and
     * copying gives what parsing and unparsing give, at a tenth of the cost of libuuid's
     * parse (bench/README.md). Every other spelling goes through libuuid. */
    if (canonical(text)) {
        memcpy(out, text, PSS_ID_SIZE);
        return 0;
    }
    uuid_t raw;
    if (uuid_parse(text, raw) != 0)
        return PSS_EINVAL;
    uuid_unparse_lower(raw, out);
    return 0;
}

/* A lower-case hex digit's value plus one; 0 for anything else. */
static const unsigned char hex_plus_one[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,
    ['7'] = 8,  ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14,
    ['e'] = 15, ['f'] = 16};

/* A digit's value, or 255 (beyond any) for anything else. */
static unsigned hex_value(unsigned char c)
{
    return (unsigned char)(hex_plus_one[c] - 1);
}

/* Where each byte's two digits start in the canonical text. */
static const unsigned char digit_at[PSS__ID_BYTES] = {0, 2, 4, 6, 9, 11, 14, 16,
                                                      19, 21, 24, 26, 28, 30, 32, 34};

/* Canonical text only (what pss_id_normalize passes through unchanged), read two digits a
 * byte with a table: 14 ns a call where libuuid's uuid_parse takes 150 ns, and accepts other
 * spellings (gcc -O2 on this machine, 10^7 calls, 2026-12-01); the memory store packs the id
 * of every get and put. */
bool pss__id_pack(const char *text, unsigned char out[PSS__ID_BYTES])
{
    const unsigned char *t = (const unsigned char *)text;
    if (strnlen(text, PSS_ID_SIZE) != PSS_ID_SIZE - 1 || t[8] != '-' || t[13] != '-' ||
        t[18] != '-' || t[23] != '-')
        return false;
    unsigned bad = 0;
    for (int i = 0; i < PSS__ID_BYTES; i++) {
        unsigned hi = hex_value(t[digit_at[i]]), lo = hex_value(t[digit_at[i] + 1]);
        bad |= hi | lo;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return bad < 16;
}

void pss__id_unpack(const unsigned char in[PSS__ID_BYTES], char out[PSS_ID_SIZE])
{
    uuid_unparse_lower(in, out);
}
