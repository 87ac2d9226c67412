/* pgtest.h: a database of its own for each PostgreSQL test, on the server PSS_PG_CONNINFO
 * names (tests/support/pg-server.sh starts one), so that tests run in parallel. */
#ifndef PSS_TEST_PGTEST_H
#define PSS_TEST_PGTEST_H

#include <libpq-fe.h>
#include <possession/pg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The server's conninfo, or NULL (with a TAP bail-out line) when none is set. */
static inline const char *pgtest_server(void)
{
    const char *base = getenv("PSS_PG_CONNINFO");
    if (!base || !*base)
        printf("Bail out! PSS_PG_CONNINFO is not set: run through tests/support/pg-server.sh\n");
    return base && *base ? base : NULL;
}

/* Runs one SQL command on a connection; 0 or -1 (the server's message printed as a TAP
 * comment). */
static inline int pgtest_exec(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok)
        printf("# %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    return ok ? 0 : -1;
}

/* A connection of the test's own to the server (database `db`, or the server's default). */
static inline PGconn *pgtest_connect(const char *db)
{
    const char *base = pgtest_server();
    if (!base)
        return NULL;
    char info[1024];
    snprintf(info, sizeof info, "%s%s%s", base, db ? " dbname=" : "", db ? db : "");
    PGconn *c = PQconnectdb(info);
    if (PQstatus(c) != CONNECTION_OK) {
        printf("Bail out! cannot connect: %s", PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    return c;
}

/* Drops and creates database `name` (a plain identifier) and writes the conninfo of it to
 * out; 0 or -1. Later keywords of a conninfo override earlier ones, so dbname= at the end
 * wins over the server's. */
static inline int pgtest_fresh_db(const char *name, char *out, size_t size)
{
    PGconn *c = pgtest_connect(NULL);
    if (!c)
        return -1;
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    int rc = pgtest_exec(c, "SET client_min_messages = warning");
    if (!rc)
        rc = pgtest_exec(c, sql);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    if (!rc)
        rc = pgtest_exec(c, sql);
    PQfinish(c);
    snprintf(out, size, "%s dbname=%s", pgtest_server(), name);
    return rc;
}

/* What every pg-* test starts with: database argv[1] made afresh, its conninfo in out, and a
 * connection of the test's own to it (NULL, with a bail-out line, when any of it fails). */
static inline PGconn *pgtest_setup(int argc, char **argv, char *out, size_t size)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2) {
        printf("Bail out! usage: %s DATABASE ...\n", argv[0]);
        return NULL;
    }
    return pgtest_fresh_db(argv[1], out, size) ? NULL : pgtest_connect(argv[1]);
}

/* A store on conninfo, or the test ends with a bail-out line. */
static inline pss_storage *pgtest_store(const char *conninfo, const pss_pg_options *options)
{
    pss_storage *st = NULL;
    int rc = pss_pg_open(NULL, conninfo, options, &st);
    if (rc) {
        printf("Bail out! pss_pg_open: %s\n", pss_strerror(rc));
        exit(1);
    }
    return st;
}

/* Waits (up to 10 s) until no committed audit entry of the database c is connected to is
 * held back from audit_scan. An entry waits behind every older writing transaction of the
 * server (doc/postgres-store.md, "Audit order"), and other tests share the server: a test
 * that reads what it just committed settles first. 0, or -1 when they stayed held back. */
static inline int pgtest_settle_audit(PGconn *c)
{
    for (int i = 0; i < 2000; i++) {
        PGresult *r = PQexec(c, "SELECT EXISTS (SELECT 1 FROM pss_audit WHERE seq >= "
                                "pg_snapshot_xmin(pg_current_snapshot())::text::bigint * 1048576)");
        int held = PQresultStatus(r) != PGRES_TUPLES_OK || PQgetvalue(r, 0, 0)[0] == 't';
        PQclear(r);
        if (!held)
            return 0;
        struct timespec pause = {0, 5 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    printf("# audit entries stayed held back for 10 s\n");
    return -1;
}

/* One value of a query on c (row 0, column 0) as a number; -1 when it fails. */
static inline long long pgtest_number(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    long long v = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
        v = atoll(PQgetvalue(r, 0, 0));
    else
        printf("# %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    return v;
}

#endif
