/* memstore-threads.c: several threads share one in-memory store. Read-modify-write inside
 * write transactions never conflicts (the store serializes them) and loses no increment;
 * optimistic read-then-CAS from outside transactions conflicts, retries, and ends exact too. */
#include "possession.h"

#include "check.h"

#include <pthread.h>
#include <sched.h>

#define THREADS 8
#define INCREMENTS 400

static pss_storage *st;

typedef struct counter {
    uint64_t rev;
    long long value;
} counter;

static int read_counter(const pss_record *r, void *arg)
{
    counter *c = arg;
    c->rev = r->rev;
    return sscanf(r->payload, "{\"n\":%lld}", &c->value) == 1 ? 0 : 99;
}

static int write_counter(const char *id, const counter *c)
{
    char payload[64];
    snprintf(payload, sizeof payload, "{\"n\":%lld}", c->value + 1);
    pss_record r = {"counter", id, "", 0, payload, strlen(payload)};
    uint64_t rev;
    return st->put(st->userdata, &r, c->rev, &rev);
}

typedef struct tally {
    long failures;  /* calls that failed where the contract says they cannot */
    long conflicts; /* CAS conflicts of optimistic increments (expected, retried) */
} tally;

/* Inside one write transaction: the read cannot be stale, so the put never conflicts. */
static void serialized_increment(tally *t)
{
    counter c = {0, 0};
    int rc = st->begin(st->userdata, PSS_TXN_WRITE);
    if (!rc)
        rc = st->get(st->userdata, "counter", "serialized", read_counter, &c);
    sched_yield(); /* invite the others in: they must wait */
    if (!rc)
        rc = write_counter("serialized", &c);
    if (!rc)
        rc = st->commit(st->userdata);
    else
        st->rollback(st->userdata);
    if (rc)
        t->failures++;
}

/* Read outside any transaction, write with CAS: conflicts are retried. */
static void optimistic_increment(tally *t)
{
    for (;;) {
        counter c = {0, 0};
        if (st->get(st->userdata, "counter", "optimistic", read_counter, &c)) {
            t->failures++;
            return;
        }
        sched_yield();
        if (st->begin(st->userdata, PSS_TXN_WRITE)) {
            t->failures++;
            return;
        }
        int rc = write_counter("optimistic", &c);
        if (rc == 0 && st->commit(st->userdata) == 0)
            return;
        if (rc)
            st->rollback(st->userdata);
        if (rc != PSS_ECONFLICT) {
            t->failures++;
            return;
        }
        t->conflicts++;
    }
}

static void *worker(void *arg)
{
    tally *t = arg;
    for (int i = 0; i < INCREMENTS; i++) {
        serialized_increment(t);
        optimistic_increment(t);
    }
    return NULL;
}

static void create_counter(const char *id)
{
    pss_record r = {"counter", id, "", 0, "{\"n\":0}", 7};
    uint64_t rev = 0;
    CHECK_I64(st->put(st->userdata, &r, 0, &rev), 0);
}

static void check_counter(const char *id, long long expected)
{
    counter c = {0, 0};
    CHECK_I64(st->get(st->userdata, "counter", id, read_counter, &c), 0);
    CHECK_I64(c.value, expected);
    CHECK_I64(c.rev, expected + 1);
}

static void test_counters(void)
{
    pthread_t threads[THREADS];
    tally tallies[THREADS];
    create_counter("serialized");
    create_counter("optimistic");
    for (int i = 0; i < THREADS; i++) {
        tallies[i] = (tally){0, 0};
        CHECK_I64(pthread_create(&threads[i], NULL, worker, &tallies[i]), 0);
    }
    long failures = 0, conflicts = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        failures += tallies[i].failures;
        conflicts += tallies[i].conflicts;
    }
    CHECK_I64(failures, 0);
    check_counter("serialized", (long long)THREADS * INCREMENTS);
    check_counter("optimistic", (long long)THREADS * INCREMENTS);
    printf("# %ld optimistic conflicts retried\n", conflicts);
}

/* One thread cannot open a second transaction on the store it holds (two contexts on one
 * thread): that is refused instead of deadlocking, and not as PSS_EBUSY, which invites a
 * retry that could never succeed. */
static void test_second_begin_on_same_thread(void)
{
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), PSS_ESTORAGE);
    CHECK_CONTAINS(st->errmsg(st->userdata), "already open on this thread");
    CHECK_I64(st->commit(st->userdata), 0);
    CHECK_I64(st->commit(st->userdata), PSS_EINVAL); /* nothing open any more */
}

typedef struct waiter {
    long long seen;
} waiter;

static void *read_after_writer(void *arg)
{
    waiter *w = arg;
    counter c = {0, 0};
    st->get(st->userdata, "counter", "serialized", read_counter, &c);
    w->seen = c.value;
    return NULL;
}

/* A read from another thread waits for the open transaction and sees its commit. */
static void test_reader_waits_for_writer(void)
{
    counter c = {0, 0};
    waiter w = {-1};
    pthread_t reader;
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(st->get(st->userdata, "counter", "serialized", read_counter, &c), 0);
    CHECK_I64(pthread_create(&reader, NULL, read_after_writer, &w), 0);
    for (int i = 0; i < 100; i++)
        sched_yield();
    CHECK_I64(write_counter("serialized", &c), 0);
    CHECK_I64(st->commit(st->userdata), 0);
    pthread_join(reader, NULL);
    CHECK_I64(w.seen, c.value + 1);
}

int main(void)
{
    CHECK_I64(pss_memstore_new(&st), 0);
    test_counters();
    test_second_begin_on_same_thread();
    test_reader_waits_for_writer();
    pss_storage_free(st);
    return check_done();
}
