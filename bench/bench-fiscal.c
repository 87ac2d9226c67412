/* bench-fiscal.c: what the fiscal chain would add to an order (issue 19's aim: at most a
 * tenth of an order's cost), printed, never asserted. In one run: the library recording
 * orders on the memory store (the cheapest store, where a tenth is least), one per call and
 * in batches of 1000; and, for as many orders, the chain's work for each one's event: its
 * canonical form (the fields an order's event carries: ids, time, actor, total, per tax rate
 * base and tax, per method amount, and the grand totals after it) and its SHA-256 link
 * (lib/fiscal/). The ratio is the chain's time over the order's. Ids are random UUIDv4.
 * Then pss_fiscal_verify over a chain of cash movements' events, against the aim of 1M
 * events a second, and over the chain step measured before.
 *
 *   bench-fiscal [--quick]
 */
#include <possession.h>
#include <possession/memstore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uuid/uuid.h>

#include "bench_order.h"
#include "fiscal/canon.h"
#include "fiscal/link.h"

#define CONFIG_ID "be4c0000-0000-4000-8000-0000000000f1"
#define BATCH 1000
#define RUNS 3

static const pss_actor CASHIER = {PSS_ACTOR_VERSION, "bench", PSS_ROLE_MANAGER, "till"};

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void random_id(char out[PSS_ID_SIZE])
{
    uuid_t raw;
    uuid_generate_random(raw);
    uuid_unparse_lower(raw, out);
}

static void die(pss_ctx *ctx, const char *what)
{
    fprintf(stderr, "bench-fiscal: %s: %s\n", what, ctx ? pss_ctx_errmsg(ctx) : "");
    exit(1);
}

/* A fresh memory store with the config saved and a session opened on it. */
static pss_session *open_bench_session(pss_ctx **ctx, pss_storage **store)
{
    pss_session *s = NULL;
    *ctx = NULL;
    *store = NULL;
    if (pss_ctx_new(ctx, NULL) || pss_memstore_new(store) || pss_ctx_set_storage(*ctx, *store))
        die(*ctx, "memory store");
    if (bench_save_config(*ctx, CONFIG_ID, &CASHIER))
        die(*ctx, "config");
    pss_opening_input open = PSS_OPENING_INPUT_INIT;
    if (pss_session_create(*ctx, CONFIG_ID, &CASHIER, NULL, &s) ||
        pss_session_open(s, &CASHIER, &open))
        die(*ctx, "open");
    return s;
}

/* Seconds per order the library takes on a fresh memory store, one per call or in batches. */
static double order_seconds(long n, int batch)
{
    pss_ctx *ctx;
    pss_storage *store;
    pss_session *s = open_bench_session(&ctx, &store);
    static bench_order orders[BATCH];
    static const pss_order_input *ptrs[BATCH];
    static pss_submit_result results[BATCH];
    char (*ids)[PSS_ID_SIZE] = malloc((size_t)n * PSS_ID_SIZE);
    if (!ids)
        die(NULL, "out of memory");
    for (long i = 0; i < n; i++) /* before the clock: a till has its ids already */
        random_id(ids[i]);
    double t0 = seconds();
    for (long done = 0; done < n;) {
        long k = batch ? (n - done < BATCH ? n - done : BATCH) : 1;
        for (long i = 0; i < k; i++) {
            bench_order_fill(&orders[i], ids[done + i], done + i);
            ptrs[i] = &orders[i].in;
            results[i] = (pss_submit_result)PSS_SUBMIT_RESULT_INIT;
        }
        size_t accepted = 0;
        int rc = batch ? pss_session_submit_batch(s, &CASHIER, ptrs, (size_t)k, results, &accepted)
                       : pss_session_submit(s, &CASHIER, ptrs[0], NULL);
        if (rc || (batch && accepted != (size_t)k))
            die(ctx, "submit");
        done += k;
    }
    double t = (seconds() - t0) / (double)n;
    free(ids);
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(store);
    return t;
}

/* The canonical form of order number n's event, as doc/fiscal.md designs it. */
static void order_event(pss__strbuf *b, long n, const char *order_id, int64_t grand)
{
    pss__canon_begin(b, "order");
    pss__canon_text(b, "config", CONFIG_ID);
    pss__canon_int(b, "seq", n + 1);
    pss__canon_int(b, "time", 1796000000 + n);
    pss__canon_text(b, "session", "01a233c4-7d74-75a4-a6f7-e471a953e028");
    pss__canon_text(b, "order", order_id);
    pss__canon_text(b, "actor", "bench");
    pss__canon_int(b, "total", 1000 + n % 900);
    pss__canon_text_at(b, "tax", 0, "code", "VAT10");
    pss__canon_int_at(b, "tax", 0, "base", 909 + n % 800);
    pss__canon_int_at(b, "tax", 0, "tax", 91 + n % 100);
    pss__canon_text_at(b, "method", 0, "code", n % 3 ? "Cash" : "Card");
    pss__canon_int_at(b, "method", 0, "amount", 1000 + n % 900);
    pss__canon_int(b, "grand.sales", grand);
    pss__canon_int(b, "grand.refunds", 0);
    pss__canon_int_at(b, "grand.tax", 0, "tax", grand / 11);
    pss__canon_int_at(b, "grand.method", 0, "amount", grand * 2 / 3);
    pss__canon_int_at(b, "grand.method", 1, "amount", grand - grand * 2 / 3);
}

/* Seconds per event for the chain's work over n events; *bytes gets the average form. */
static double chain_seconds(long n, double *bytes)
{
    pss__strbuf b;
    pss__strbuf_init(&b, NULL);
    uint8_t hash[PSS__CHAIN_HASH_BYTES];
    pss__chain_hasher h;
    if (!pss__chain_hasher_init(&h) || !pss__chain_genesis(&h, CONFIG_ID, hash))
        die(NULL, "genesis");
    char (*ids)[PSS_ID_SIZE] = malloc((size_t)n * PSS_ID_SIZE);
    if (!ids)
        die(NULL, "out of memory");
    for (long i = 0; i < n; i++)
        random_id(ids[i]);
    size_t total = 0;
    int64_t grand = 0;
    double t0 = seconds();
    for (long i = 0; i < n; i++) {
        pss__strbuf_reset(&b);
        grand += 1000 + i % 900;
        order_event(&b, i, ids[i], grand);
        if (b.failed || !pss__chain_link(&h, hash, b.data, b.len, hash))
            die(NULL, "link");
        total += b.len;
    }
    double t = (seconds() - t0) / (double)n;
    *bytes = (double)total / (double)n;
    free(ids);
    pss__strbuf_free(&b);
    pss__chain_hasher_free(&h);
    return t;
}

typedef struct bench_text {
    char *data;
    size_t len;
} bench_text;

static int bench_text_write(void *userdata, const char *data, size_t len)
{
    bench_text *t = userdata;
    char *grown = realloc(t->data, t->len + len + 1);
    if (!grown)
        return -1;
    memcpy(grown + t->len, data, len);
    t->data = grown;
    t->len += len;
    grown[t->len] = '\0';
    return 0;
}

/* Seconds per event pss_fiscal_verify takes over a chain of n events (an open and cash
 * movements) on the memory store: the aim is at least 1M events a second per core. */
static double verify_seconds(long n, double *form_bytes)
{
    pss_ctx *ctx;
    pss_storage *store;
    pss_session *s = open_bench_session(&ctx, &store);
    for (long i = 1; i < n; i++) {
        pss_cash_input in = PSS_CASH_INPUT_INIT;
        in.kind = PSS_CASH_IN;
        in.amount = 100 + i % 900;
        in.reason = "float";
        if (pss_cash_move(s, &CASHIER, &in, NULL))
            die(ctx, "cash");
    }
    pss_fiscal_verdict v = PSS_FISCAL_VERDICT_INIT;
    double t0 = seconds();
    if (pss_fiscal_verify(ctx, CONFIG_ID, &v) || v.events != (uint64_t)n)
        die(ctx, "verify");
    double t = (seconds() - t0) / (double)n;
    bench_text arch = {NULL, 0};
    if (pss_fiscal_archive(ctx, CONFIG_ID, 0, 0, bench_text_write, &arch))
        die(ctx, "archive");
    *form_bytes = (double)arch.len / (double)(n + 1); /* about: a line per event */
    free(arch.data);
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(store);
    return t;
}

static double best_of(double (*fn)(long, int), long n, int batch)
{
    double best = 1e9;
    for (int i = 0; i < RUNS; i++) {
        double v = fn(n, batch);
        best = v < best ? v : best;
    }
    return best;
}

int main(int argc, char **argv)
{
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    long n = quick ? 2000 : 200000;
    double bytes = 0, chain = 1e9;
    for (int i = 0; i < RUNS; i++) {
        double v = chain_seconds(n, &bytes);
        chain = v < chain ? v : chain;
    }
    printf("chain step (canonical form of %.0f bytes + SHA-256 link): %8.3f us an event\n",
           bytes, chain * 1e6);
    for (int batch = 0; batch <= 1; batch++) {
        double order = best_of(order_seconds, n, batch);
        printf("memory store, %-22s %8.3f us an order; chain / order %.2f (aim <= 0.10)\n",
               batch ? "batches of 1000:" : "one order per call:", order * 1e6, chain / order);
    }
    long events = quick ? 500 : 20000;
    double line = 0, verify = 1e9;
    for (int i = 0; i < RUNS; i++) {
        double v = verify_seconds(events, &line);
        verify = v < verify ? v : verify;
    }
    printf("pss_fiscal_verify, %ld events (archive lines of %.0f bytes): %8.3f us an event, "
           "%.0f events/s (aim >= 1000000); verify / chain step %.1f\n", events, line,
           verify * 1e6, 1.0 / verify, verify / chain);
    return 0;
}
