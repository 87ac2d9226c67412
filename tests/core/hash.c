/* hash.c: the word hash (lib/util/hash.h). Its values are stored in order records (input_hash),
 * so they are pinned here for texts that take each path (whole words, the overlapping last
 * word, the two halves, single bytes); and texts that differ in one byte or in where they
 * split never meet. */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "util/hash.h"

static uint64_t of(const char *s)
{
    return pss__hash_text(PSS_HASH_SEED, s, strlen(s));
}

static void pinned(void)
{
    static const struct {
        const char *text;
        uint64_t hash;
    } cases[] = {
        {"", 0x108586459af73bfaULL},
        {"a", 0x0105518b135deb58ULL},
        {"abc", 0x2e953ac8793f7c4aULL},
        {"VAT10", 0x32787929bee511cbULL},
        {"product", 0x0a4093ace4fe4cdbULL},
        {"12345678", 0x8de53d5cc345fc8fULL},
        {"Income:Sales", 0x021e29b5ffcacb43ULL},
        {"00000000-0000-4000-8000-000000000001", 0xb363b3e1e1329e88ULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK_I64((int64_t)of(cases[i].text), (int64_t)cases[i].hash);
}

/* All texts of one to three bytes from a small alphabet, and each split of them in two:
 * no two hashes are equal. */
static void no_meeting(void)
{
    static const char alphabet[] = "ab\x01\xff";
    size_t n = 0, cap = 4096;
    uint64_t *seen = malloc(cap * sizeof *seen);
    char t[4];
    for (size_t len = 1; len <= 3; len++) {
        size_t count = 1;
        for (size_t k = 0; k < len; k++)
            count *= 4;
        for (size_t c = 0; c < count; c++) {
            size_t x = c;
            for (size_t k = 0; k < len; k++, x /= 4)
                t[k] = alphabet[x % 4];
            t[len] = '\0';
            for (size_t cut = 0; cut <= len; cut++) { /* (t[0..cut), t[cut..len)) */
                uint64_t h = pss__hash_text(PSS_HASH_SEED, t, cut);
                seen[n++] = pss__hash_text(h, t + cut, len - cut);
            }
        }
    }
    size_t equal = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            equal += seen[i] == seen[j];
    CHECK_I64(equal, 0);
    CHECK_I64(n, 4 * 2 + 16 * 3 + 64 * 4);
    free(seen);
}

int main(void)
{
    pinned();
    no_meeting();
    return check_done();
}
