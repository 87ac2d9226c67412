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
    /* BEGIN goes with the first statement (pipeline.c), which sends it again on a new
     * connection when the server went away since the last call */
    if ((rc = pss__pg_pipe_open(s, write)) != 0)
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
    /* A transaction that failed earlier is rolled back, never reported durable. */
    int rc = pss__pg_pipe_commit(s);
    s->in_txn = s->write_txn = s->appended = 0;
    return rc;
}

int pss__pg_rollback(void *userdata)
{
    pgstore *s = userdata;
    if (!s->in_txn) /* also after a lost connection: the server rolled it back */
        return 0;
    s->in_txn = s->write_txn = s->appended = 0;
    return pss__pg_pipe_rollback(s);
}
