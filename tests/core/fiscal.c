/* fiscal.c: the canonical form of fiscal events and the chain's links (lib/fiscal/, and
 * doc/fiscal.md). The bytes are pinned as doc/fiscal.md states them, and the hashes are
 * what Python's hashlib gives for those bytes, an implementation not ours: a verifier in
 * another language rebuilds both. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fiscal/canon.h"
#include "fiscal/link.h"

#define CONFIG "0c0f0000-0000-4000-8000-000000000001"

/* The example of doc/fiscal.md, "Canonical form": every escape, a negative amount, an
 * empty value, a repeated group. */
static void example_event(pss__strbuf *b)
{
    pss__canon_begin(b, "order");
    pss__canon_text(b, "config", CONFIG);
    pss__canon_int(b, "seq", 1);
    pss__canon_int(b, "total", -1250);
    pss__canon_text(b, "note", "a\\b\nc\rd\x01" "e\x7f=f\xc3\xa9");
    pss__canon_text_at(b, "tax", 0, "code", "VAT20");
    pss__canon_int_at(b, "tax", 0, "base", 1000);
    pss__canon_text_at(b, "tax", 1, "code", NULL);
}

static void canonical_bytes(void)
{
    pss__strbuf b;
    pss__strbuf_init(&b, NULL);
    example_event(&b);
    CHECK(!b.failed);
    CHECK_STR(pss__strbuf_str(&b),
              "pss-fiscal=1\n"
              "kind=order\n"
              "config=" CONFIG "\n"
              "seq=1\n"
              "total=-1250\n"
              "note=a\\\\b\\nc\\rd\\x01e\\x7f=f\xc3\xa9\n"
              "tax.0.code=VAT20\n"
              "tax.0.base=1000\n"
              "tax.1.code=\n");
    CHECK_I64((int64_t)b.len, 160);
    pss__strbuf_free(&b);
}

static const char *hex_of(const uint8_t h[PSS__CHAIN_HASH_BYTES], char out[PSS__CHAIN_HEX_SIZE])
{
    pss__chain_hex(h, out);
    return out;
}

static void links(void)
{
    uint8_t genesis[PSS__CHAIN_HASH_BYTES], link[PSS__CHAIN_HASH_BYTES];
    char hex[PSS__CHAIN_HEX_SIZE];
    pss__chain_hasher h;
    CHECK(pss__chain_hasher_init(&h));
    CHECK(pss__chain_genesis(&h, CONFIG, genesis));
    CHECK_STR(hex_of(genesis, hex),
              "1da5afc608c900a24cc9140014c29601ebde3e64463ec0c9dc2c2f73eea15f40");
    pss__strbuf b;
    pss__strbuf_init(&b, NULL);
    example_event(&b);
    CHECK(pss__chain_link(&h, genesis, b.data, b.len, link));
    CHECK_STR(hex_of(link, hex),
              "c5975b8defd1c0b7ee7aaf04fcde085064dc606e8865e521c0b6cd31f87fe2f6");
    /* one byte of the event changed: another link */
    b.data[b.len - 2] = 'x';
    uint8_t changed[PSS__CHAIN_HASH_BYTES];
    CHECK(pss__chain_link(&h, genesis, b.data, b.len, changed));
    CHECK(memcmp(changed, link, sizeof link) != 0);
    /* in place (out is prev), as a chain is walked: the same link */
    uint8_t walked[PSS__CHAIN_HASH_BYTES];
    memcpy(walked, genesis, sizeof walked);
    pss__strbuf_reset(&b);
    example_event(&b);
    CHECK(pss__chain_link(&h, walked, b.data, b.len, walked));
    CHECK_STR(hex_of(walked, hex),
              "c5975b8defd1c0b7ee7aaf04fcde085064dc606e8865e521c0b6cd31f87fe2f6");
    /* another config's chain starts elsewhere */
    uint8_t other[PSS__CHAIN_HASH_BYTES];
    CHECK(pss__chain_genesis(&h, "0c0f0000-0000-4000-8000-000000000002", other));
    CHECK(memcmp(other, genesis, sizeof other) != 0);
    pss__strbuf_free(&b);
    pss__chain_hasher_free(&h);
}

static void hex_round_trip(void)
{
    uint8_t h[PSS__CHAIN_HASH_BYTES], back[PSS__CHAIN_HASH_BYTES];
    char hex[PSS__CHAIN_HEX_SIZE];
    for (size_t i = 0; i < sizeof h; i++)
        h[i] = (uint8_t)(i * 37 + 5);
    pss__chain_hex(h, hex);
    CHECK(pss__chain_unhex(hex, back));
    CHECK(memcmp(h, back, sizeof h) == 0);
    /* what a stored hash must not be: short, long, upper case, not hex, NULL */
    CHECK(!pss__chain_unhex("1da5", back));
    char longer[PSS__CHAIN_HEX_SIZE + 1];
    snprintf(longer, sizeof longer, "%s0", hex);
    CHECK(!pss__chain_unhex(longer, back));
    hex[3] = 'A';
    CHECK(!pss__chain_unhex(hex, back));
    hex[3] = 'g';
    CHECK(!pss__chain_unhex(hex, back));
    CHECK(!pss__chain_unhex(NULL, back));
}

int main(void)
{
    canonical_bytes();
    links();
    hex_round_trip();
    return check_done();
}
