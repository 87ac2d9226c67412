/* input_hash.c: the content hash that makes a submit idempotent. The same order id again with
 * the same content is a no-op, with other content a conflict; the hash, kept in the order
 * record, is how the content is compared. Both forms hash one canonical form of what the till
 * sent: every field in a fixed order, strings with their length (so "ab","c" and "a","bc"
 * differ), NULL apart from "".
 *
 * Records hold "2:" and 16 hex digits of the word hash: eight bytes per multiply. Records
 * written before it hold 16 hex digits of FNV-1a, which takes a multiply per byte; an order
 * hashes about 500 bytes, and the chain of dependent multiplies was a tenth of the time of a
 * paid order (bench/README.md). Such a record is compared by recomputing FNV-1a, so a till
 * resending an old order still finds it. */
#include "order/input_hash.h"

#include <string.h>

#include "util/hash.h"
#include "order/input_stride.h"

#define FNV_PRIME 1099511628211ULL
#define WORD_PREFIX "2:"

typedef struct hasher {
    uint64_t h;
    bool fnv; /* the form of records written before the word hash */
} hasher;

static void add_fnv_bytes(hasher *x, const unsigned char *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        x->h ^= p[i];
        x->h *= FNV_PRIME;
    }
}

/* As FNV-1a saw it: the eight bytes of v in memory order (little-endian on every platform the
 * library builds for). */
static void add_int(hasher *x, int64_t v)
{
    if (x->fnv)
        add_fnv_bytes(x, (const unsigned char *)&v, sizeof v);
    else
        x->h = pss__hash_word(x->h, (uint64_t)v);
}

/* The length (-1 for NULL), then the bytes. */
static void add_str(hasher *x, const char *s)
{
    if (!s) {
        add_int(x, -1);
    } else if (x->fnv) {
        size_t len = strlen(s);
        add_int(x, (int64_t)len);
        add_fnv_bytes(x, (const unsigned char *)s, len);
    } else {
        x->h = pss__hash_text(x->h, s, strlen(s));
    }
}

static void add_line(hasher *x, const pss_line_input *l)
{
    add_str(x, l->product_id);
    add_str(x, l->product_name);
    add_str(x, l->category);
    add_int(x, l->quantity);
    add_int(x, l->unit_price);
    add_int(x, l->discount_ppm);
    add_int(x, l->refund_line);
    add_int(x, (int64_t)l->n_taxes);
    for (size_t i = 0; i < l->n_taxes && l->taxes; i++)
        add_str(x, l->taxes[i]);
}

static void add_payment(hasher *x, const pss_payment_input *p)
{
    add_str(x, p->method);
    add_int(x, p->amount);
    add_int(x, p->state);
    add_str(x, p->reference);
}

static uint64_t hash_of(const pss_order_input *in, bool fnv)
{
    hasher x = {PSS_HASH_SEED, fnv};
    add_str(&x, in->refund_of);
    add_int(&x, in->invoiced != 0);
    add_str(&x, in->note);
    add_int(&x, (int64_t)in->n_lines);
    size_t ls = in->n_lines ? pss__line_input_stride(in->lines[0].version) : 0;
    for (size_t i = 0; i < in->n_lines; i++)
        add_line(&x, (const pss_line_input *)((const char *)in->lines + i * ls));
    add_int(&x, (int64_t)in->n_payments);
    size_t ps = in->n_payments ? pss__payment_input_stride(in->payments[0].version) : 0;
    for (size_t i = 0; i < in->n_payments; i++)
        add_payment(&x, (const pss_payment_input *)((const char *)in->payments + i * ps));
    /* the order discount (version 2) only when given: orders without one hash as before */
    bool discounted = in->version >= 2 && (in->discount_amount || in->discount_ppm);
    if (discounted) {
        add_int(&x, in->discount_amount);
        add_int(&x, in->discount_ppm);
    }
    if (in->version >= 2 && in->customer && in->customer[0])
        add_str(&x, in->customer); /* the customer, likewise only when given */
    if (in->version >= 2 && in->return_reason && in->return_reason[0])
        add_str(&x, in->return_reason);
    return x.h;
}

static void put_hex(uint64_t h, char out[16])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--, h >>= 4)
        out[i] = hex[h & 15];
}

void pss__input_hash(const pss_order_input *in, char out[PSS_HASH_SIZE])
{
    memcpy(out, WORD_PREFIX, 2);
    put_hex(hash_of(in, false), out + 2);
    out[18] = '\0';
}

bool pss__input_hash_same(const pss_order_input *in, const char *fresh, const char *stored)
{
    if (strncmp(stored, WORD_PREFIX, 2) == 0)
        return strcmp(stored, fresh) == 0;
    char old[17];
    put_hex(hash_of(in, true), old);
    old[16] = '\0';
    return strcmp(stored, old) == 0;
}

static bool all_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

bool pss__input_hash_valid(const char *text)
{
    size_t n = strlen(text);
    if (n == 16)
        return all_hex(text, 16);
    return n == 18 && strncmp(text, WORD_PREFIX, 2) == 0 && all_hex(text + 2, 16);
}
