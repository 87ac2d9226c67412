/* wait.c: pss_pg_wait, how a back-office follower sleeps until tills commit audit entries:
 * LISTEN on the channel the audit table's trigger notifies at every commit that appended
 * (schema.c), poll(2) on the connection's socket, and when woken, the short wait until the
 * new entries are no longer held back behind an older transaction (audit.c). */
#include "pg-store.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <time.h>

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Reads what the server sent; 1 when a notification came, 0 when none, or a failure. */
static int drain(pgstore *s)
{
    if (!PQconsumeInput(s->conn))
        return pss__pg_result_fail(s, NULL, "waiting for audit entries");
    int got = 0;
    PGnotify *n;
    while ((n = PQnotifies(s->conn)) != NULL) {
        got = 1;
        PQfreemem(n);
    }
    return got;
}

/* Whether committed entries are still held back; a failure as a negative code. */
static int held_back(pgstore *s)
{
    PGresult *res = NULL;
    int rc = pss__pg_exec(s, PG_AUDIT_HELD, NULL, NULL, "waiting for audit entries", &res);
    if (rc)
        return rc;
    int held = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return held;
}

/* After a notification: until the entries are readable or the deadline (deadline < 0:
 * none), checking every few ms; an older transaction holding them back is a till's, short. */
static int settle(pgstore *s, long long deadline)
{
    int held;
    while ((held = held_back(s)) > 0) {
        if (deadline >= 0 && now_ms() >= deadline)
            return 1;
        struct timespec pause = {0, 5 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    return held < 0 ? held : 1;
}

static int start_listening(pgstore *s)
{
    int rc = pss__pg_command(s, "LISTEN pss_audit", "listening for audit entries");
    if (!rc)
        s->listening = 1;
    return rc;
}

int pss_pg_wait(pss_storage *store, int timeout_ms)
{
    if (!store || store->free == NULL || store->begin != pss__pg_begin)
        return PSS_EINVAL;
    pgstore *s = store->userdata;
    if (s->in_txn)
        return pss__pg_fail(s, PSS_EINVAL, "pss_pg_wait: called inside a transaction");
    int rc = pss__pg_ensure(s);
    if (rc)
        return rc;
    if (!s->listening) /* the caller's next scan finds what committed before this */
        return (rc = start_listening(s)) ? rc : 1;
    long long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
    for (;;) {
        int got = drain(s);
        if (got)
            return got < 0 ? got : settle(s, deadline);
        long long left = deadline < 0 ? -1 : deadline - now_ms();
        if (deadline >= 0 && left <= 0)
            return 0;
        struct pollfd p = {PQsocket(s->conn), POLLIN, 0};
        if (p.fd < 0)
            return pss__pg_result_fail(s, NULL, "waiting for audit entries");
        int n = poll(&p, 1, left < 0 || left > 1000000000 ? -1 : (int)left);
        if (n < 0 && errno != EINTR)
            return pss__pg_fail(s, PSS_ESTORAGE, "waiting for audit entries: poll failed");
    }
}
