/* txn.c: transactions. A write transaction is READ COMMITTED: each statement sees what is
 * committed when it starts, and every record it reads is locked until it ends (records.c),
 * which serializes writers on the rows they read and nothing more. A read transaction is
 * REPEATABLE READ, so a listing sees one state of the store. */
#include "pg-store.h"

#include <string.h>

int pss__pg_begin(void *userdata, unsigned flags)
{
    pgstore *s = userdata;
    if (s->in_txn)
        return pss__pg_fail(s, PSS_EINVAL, "begin: a transaction is already open");
    int rc = pss__pg_ensure(s); /* a connection lost by an earlier call is reset here */
    if (rc)
        return rc;
    int write = (flags & PSS_TXN_WRITE) != 0;
    const char *sql = write ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                            : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    const char *what = write ? "begin write transaction" : "begin read transaction";
    rc = pss__pg_command(s, sql, what);
    /* A connection found dead only now (the server went away since the last call) is reset
     * and BEGIN sent again: nothing was done on it, so nothing can be done twice. */
    if (rc == PSS_ESTORAGE && s->broken && !pss__pg_ensure(s))
        rc = pss__pg_command(s, sql, what);
    if (rc)
        return rc;
    s->in_txn = 1;
    s->write_txn = write;
    s->appended = 0;
    return 0;
}

int pss__pg_commit(void *userdata)
{
    pgstore *s = userdata;
    if (!s->in_txn)
        return pss__pg_fail(s, PSS_EINVAL, "commit: no transaction is open");
    PGresult *res = PQexec(s->conn, "COMMIT");
    int rc = 0;
    /* A transaction that failed earlier is rolled back by COMMIT, which says so only in its
     * command tag: the caller must not think it was made durable. */
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = pss__pg_result_fail(s, res, "commit");
    else if (strcmp(PQcmdStatus(res), "COMMIT") != 0)
        rc = pss__pg_fail(s, PSS_ESTORAGE, "commit: the transaction had failed and was rolled "
                          "back (%s)", PQcmdStatus(res));
    PQclear(res);
    s->in_txn = s->write_txn = s->appended = 0;
    return rc;
}

int pss__pg_rollback(void *userdata)
{
    pgstore *s = userdata;
    if (!s->in_txn) /* also after a lost connection: the server rolled it back */
        return 0;
    s->in_txn = s->write_txn = s->appended = 0;
    int rc = pss__pg_command(s, "ROLLBACK", "rollback");
    return rc && s->broken ? 0 : rc; /* no connection: the server has rolled it back */
}
