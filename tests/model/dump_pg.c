/* dump_pg.c: the PostgreSQL store's content for the dumps of dump.c (its tables read with
 * libpq, on a connection of the dumper's own), and a fresh database for each seed. */
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"

int dumper_open_pg(dumper *d, const char *conninfo)
{
    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "model: %s", PQerrorMessage(c));
        PQfinish(c);
        return -1;
    }
    d->pg = c;
    return 0;
}

void dump_pg_close(void *pg)
{
    if (pg)
        PQfinish(pg);
}

/* Every row of sql, each as "tag\tcol\tcol...\n". */
static int dump_query(PGconn *c, const char *tag, const char *sql, text *t)
{
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        PQclear(r);
        return -1;
    }
    for (int row = 0; row < PQntuples(r); row++) {
        text_add(t, tag, strlen(tag));
        for (int col = 0; col < PQnfields(r); col++) {
            text_add(t, "\t", 1);
            text_add(t, PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col));
        }
        text_add(t, "\n", 1);
    }
    PQclear(r);
    return 0;
}

/* One snapshot for the three tables; byte order ("C"), as the other stores sort. */
int dump_pg_store(void *pg, text *t)
{
    PGconn *c = pg;
    PGresult *r = PQexec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ");
    PQclear(r);
    int rc = dump_query(c, "record", "SELECT kind, id, parent, rev, payload FROM pss_record "
                        "ORDER BY kind COLLATE \"C\", id COLLATE \"C\"", t);
    if (!rc)
        rc = dump_query(c, "claim", "SELECT key, owner FROM pss_claim ORDER BY key COLLATE \"C\"",
                        t);
    if (!rc)
        rc = dump_query(c, "audit", "SELECT seq, subject, payload FROM pss_audit ORDER BY seq", t);
    r = PQexec(c, "COMMIT");
    PQclear(r);
    return rc;
}

uint64_t dump_pg_audit_after(void *pg, uint64_t after, void (*fn)(void *, uint64_t, const char *),
                             void *arg)
{
    char param[24];
    snprintf(param, sizeof param, "%" PRIu64, after);
    const char *params[] = {param};
    PGresult *r = PQexecParams(pg, "SELECT seq, payload FROM pss_audit WHERE seq > $1::bigint "
                               "ORDER BY seq", 1, NULL, params, NULL, NULL, 0);
    uint64_t last = after;
    for (int row = 0; PQresultStatus(r) == PGRES_TUPLES_OK && row < PQntuples(r); row++) {
        last = strtoull(PQgetvalue(r, row, 0), NULL, 10);
        fn(arg, last, PQgetvalue(r, row, 1));
    }
    PQclear(r);
    return last;
}

static int admin(const char *sql)
{
    const char *base = getenv("PSS_PG_CONNINFO");
    if (!base) {
        fprintf(stderr, "model: PSS_PG_CONNINFO is not set (tests/support/pg-server.sh)\n");
        return -1;
    }
    PGconn *c = PQconnectdb(base);
    PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, "SET client_min_messages = warning")
                                               : NULL;
    PQclear(r);
    r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
    int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        fprintf(stderr, "model: %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return ok ? 0 : -1;
}

int dump_pg_fresh_db(const char *name, char *out, size_t size)
{
    char sql[160];
    dump_pg_drop_db(name);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    snprintf(out, size, "%s dbname=%s", getenv("PSS_PG_CONNINFO") ? getenv("PSS_PG_CONNINFO") : "",
             name);
    return admin(sql);
}

void dump_pg_drop_db(const char *name)
{
    char sql[160];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    admin(sql);
}
