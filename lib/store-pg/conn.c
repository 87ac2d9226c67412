/* conn.c: the store's one connection: connecting and resetting it, the session settings,
 * running the prepared statements with parameters (never SQL built from values), and
 * turning PostgreSQL's failures into PSS_E* codes with a message that names the SQLSTATE
 * and never holds the password. */
#include "pg-store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <time.h>

/* The statements by pg_stmt. Parameters are text; $n of a revision or a limit is cast. */
static const char *const stmt_sql[PG_STMT_COUNT] = {
    [PG_GET] = "SELECT parent, rev, payload FROM pss_record WHERE kind = $1 AND id = $2",
    [PG_GET_LOCK] = "SELECT parent, rev, payload FROM pss_record WHERE kind = $1 AND id = $2"
                    " FOR UPDATE",
    /* a create that meets another's record (committed, or committed while it waited) gives
     * no row: the conflict, without aborting the transaction as a unique violation would */
    [PG_INSERT] = "INSERT INTO pss_record (kind, id, parent, rev, payload)"
                  " VALUES ($1, $2, $3, 1, $4) ON CONFLICT (kind, id) DO NOTHING",
    [PG_CREATE] = "INSERT INTO pss_record (kind, id, parent, rev, payload)"
                  " VALUES ($1, $2, $3, 1, $4)",
    [PG_UPDATE] = "UPDATE pss_record SET parent = $3, payload = $4, rev = rev + 1"
                  " WHERE kind = $1 AND id = $2 AND rev = $5::bigint",
    [PG_SCAN] = "SELECT id, rev, payload, seq FROM pss_record WHERE kind = $1 AND parent = $2"
                " AND seq > $3::bigint ORDER BY seq LIMIT " PSS_PG_PAGE_SQL,
    [PG_SCAN_LAST] = "SELECT id, rev, payload FROM (SELECT seq, id, rev, payload FROM pss_record"
                     " WHERE kind = $1 AND parent = $2 ORDER BY seq DESC LIMIT $3::bigint) t"
                     " ORDER BY seq",
    [PG_CLAIM] = "INSERT INTO pss_claim (key, owner) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
    [PG_OWNER] = "SELECT owner FROM pss_claim WHERE key = $1",
    [PG_RELEASE] = "DELETE FROM pss_claim WHERE key = $1 AND owner = $2",
    [PG_APPEND] = "INSERT INTO pss_audit (seq, subject, payload) VALUES"
                  " (pg_current_xact_id()::text::bigint * 1048576 + $3::bigint, $1, $2)"
                  " RETURNING seq",
    /* Only entries of transactions older than every one still running (they can no longer
     * gain an entry below those shown), and the reader's own (audit.c). */
    [PG_AUDIT_ALL] = "SELECT a.seq, a.subject, a.payload FROM pss_audit a, (SELECT"
                     " pg_snapshot_xmin(pg_current_snapshot())::text::bigint * 1048576 AS lo,"
                     " pg_current_xact_id_if_assigned()::text::bigint AS own) h"
                     " WHERE a.seq > $1::bigint AND (a.seq < h.lo OR a.seq / 1048576 = h.own)"
                     " ORDER BY a.seq LIMIT " PSS_PG_PAGE_SQL,
    [PG_AUDIT_SUBJECT] = "SELECT a.seq, a.subject, a.payload FROM pss_audit a, (SELECT"
                         " pg_snapshot_xmin(pg_current_snapshot())::text::bigint * 1048576 AS lo,"
                         " pg_current_xact_id_if_assigned()::text::bigint AS own) h"
                         " WHERE a.subject = $2 AND a.seq > $1::bigint"
                         " AND (a.seq < h.lo OR a.seq / 1048576 = h.own) ORDER BY a.seq"
                         " LIMIT " PSS_PG_PAGE_SQL,
    /* committed entries audit_scan still holds back behind an older open transaction */
    [PG_AUDIT_HELD] = "SELECT EXISTS (SELECT 1 FROM pss_audit WHERE seq >="
                      " pg_snapshot_xmin(pg_current_snapshot())::text::bigint * 1048576)",
    [PG_BEGIN_WRITE] = "BEGIN ISOLATION LEVEL READ COMMITTED",
    [PG_BEGIN_READ] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    [PG_COMMIT] = "COMMIT",
    [PG_ROLLBACK] = "ROLLBACK",
    [PG_XID] = "SELECT pg_current_xact_id()::text",
    [PG_VERIFY] = "SELECT pss_check($1, $2, $3::bigint)",
    [PG_VERIFY_LAST] = "SELECT pss_check_last($1, $2, $3)",
};

static const int stmt_params[PG_STMT_COUNT] = {
    [PG_GET] = 2, [PG_GET_LOCK] = 2, [PG_INSERT] = 4, [PG_CREATE] = 4, [PG_UPDATE] = 5, [PG_SCAN] = 3,
    [PG_SCAN_LAST] = 3, [PG_CLAIM] = 2, [PG_OWNER] = 1, [PG_RELEASE] = 2, [PG_APPEND] = 3,
    [PG_AUDIT_ALL] = 1, [PG_AUDIT_SUBJECT] = 2, [PG_AUDIT_HELD] = 0, [PG_BEGIN_WRITE] = 0,
    [PG_BEGIN_READ] = 0, [PG_COMMIT] = 0, [PG_ROLLBACK] = 0, [PG_XID] = 0,
    [PG_VERIFY] = 3, [PG_VERIFY_LAST] = 3,
};

const char *pss__pg_stmt_sql(pg_stmt id)
{
    return stmt_sql[id];
}

int pss__pg_stmt_params(pg_stmt id)
{
    return stmt_params[id];
}

void pss__pg_formats(pg_stmt id, const int *lens, int formats[PSS_PG_PARAMS_MAX],
                     int lengths[PSS_PG_PARAMS_MAX])
{
    for (int i = 0; i < PSS_PG_PARAMS_MAX; i++) {
        /* binary text: the bytes as given, so a length is honoured */
        formats[i] = lens && i < stmt_params[id] && lens[i] > 0;
        lengths[i] = formats[i] ? lens[i] : 0;
    }
}

void pss__pg_redact(const pgstore *s, char *text)
{
    if (!s->password || !*s->password)
        return;
    size_t n = strlen(s->password);
    for (char *p = strstr(text, s->password); p; p = strstr(p, s->password)) {
        memset(p, '*', n); /* same length: the rest of the message stays where it was */
        p += n;
    }
}

static void set_error(pgstore *s, const char *fmt, va_list ap)
{
    vsnprintf(s->error, sizeof s->error, fmt, ap);
    pss__pg_redact(s, s->error);
}

int pss__pg_fail(pgstore *s, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_error(s, fmt, ap);
    va_end(ap);
    return code;
}

static int code_of_sqlstate(const char *state)
{
    /* PSS01: a check of ours (schema.c, pss_check) found another revision */
    if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "23505") ||
        !strcmp(state, "PSS01"))
        return PSS_ECONFLICT;
    if (!strcmp(state, "55P03") || !strcmp(state, "57014"))
        return PSS_EBUSY;
    if (!strcmp(state, "53200"))
        return PSS_ENOMEM;
    return PSS_ESTORAGE;
}

/* Drops the state a dead connection took with it: its transaction and its statements. */
static void connection_lost(pgstore *s)
{
    s->in_txn = s->write_txn = s->appended = 0;
    s->listening = 0;
    memset(s->prepared, 0, sizeof s->prepared);
    s->pipelined = s->replayable = s->failed = s->row_checks = s->n_sent = 0;
}

/* libpq's messages come in lines: a detail stays one line, the lines joined with "; ". */
static void one_line(char *text, size_t size)
{
    char copy[sizeof ((pgstore *)0)->error];
    if (size > sizeof copy)
        size = sizeof copy;
    snprintf(copy, sizeof copy, "%s", text);
    size_t n = strlen(copy), w = 0;
    while (n && (copy[n - 1] == '\n' || copy[n - 1] == ' '))
        copy[--n] = '\0';
    for (size_t r = 0; r < n && w + 3 < size; r++) {
        if (copy[r] != '\n') {
            text[w++] = copy[r];
            continue;
        }
        text[w++] = ';';
        text[w++] = ' ';
        while (copy[r + 1] == '\t' || copy[r + 1] == ' ')
            r++;
    }
    text[w] = '\0';
}

/* Whether a failure means the connection is gone. libpq marks it bad only once it reads
 * the end of the stream: after a server crash a failed send comes back first, as an error
 * of libpq's own (no SQLSTATE). A server going down says so with 57P01 to 57P03; class 08
 * is a connection exception. */
static int connection_gone(const pgstore *s, const char *state)
{
    return PQstatus(s->conn) == CONNECTION_BAD || !state || strncmp(state, "08", 2) == 0 ||
           !strcmp(state, "57P01") || !strcmp(state, "57P02") || !strcmp(state, "57P03");
}

int pss__pg_result_fail(pgstore *s, const PGresult *res, const char *what)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (connection_gone(s, state)) {
        char why[512];
        snprintf(why, sizeof why, "%s", PQerrorMessage(s->conn));
        one_line(why, sizeof why);
        pss__pg_fail(s, 0, "%s: the connection to the server was lost (%s%s%s%s); the next "
                     "call reconnects", what, state ? "SQLSTATE " : "", state ? state : "",
                     state ? ": " : "", state && msg ? msg : why);
        one_line(s->error, sizeof s->error);
        connection_lost(s);
        s->broken = 1;
        return PSS_ESTORAGE;
    }
    pss__pg_fail(s, 0, "%s: SQLSTATE %s: %s", what, state, msg ? msg : "(no message)");
    return code_of_sqlstate(state);
}

/* The session settings every connection (and every reconnect) gets. */
static int setup_session(pgstore *s)
{
    if (PQsetClientEncoding(s->conn, "UTF8") != 0)
        return pss__pg_fail(s, PSS_ESTORAGE, "setting the client encoding to UTF8: %s",
                            PQerrorMessage(s->conn));
    char sql[128];
    snprintf(sql, sizeof sql, "SET lock_timeout = %d; SET statement_timeout = %d",
             s->lock_timeout_ms, s->statement_timeout_ms);
    return pss__pg_command(s, sql, "setting lock_timeout and statement_timeout");
}

int pss__pg_connect(pgstore *s, const char *conninfo)
{
    s->conn = PQconnectdb(conninfo);
    if (!s->conn)
        return pss__pg_fail(s, PSS_ENOMEM, "connecting: out of memory");
    if (PQstatus(s->conn) != CONNECTION_OK) {
        pss__pg_fail(s, 0, "connecting: %s", PQerrorMessage(s->conn));
        one_line(s->error, sizeof s->error);
        return PSS_ESTORAGE;
    }
    return setup_session(s);
}

/* Whether the server has closed the idle connection since the last call (a restart, a
 * failover, pg_terminate_backend: its goodbye and the socket's end wait to be read). Found
 * before a transaction begins, the connection is reset then, instead of the transaction
 * meeting it in its first round trip, which cannot be sent again once it holds writes.
 * Costs a poll of the socket, no round trip; what else it reads (a notification) libpq
 * keeps for PQnotifies. */
static int closed_by_server(pgstore *s)
{
    /* the goodbye and the end may come in two reads: a few rounds, while there is more */
    for (int round = 0; round < 4; round++) {
        struct pollfd p = {PQsocket(s->conn), POLLIN, 0};
        if (p.fd < 0)
            return 1;
        if (poll(&p, 1, 0) <= 0)
            return 0;
        if (!PQconsumeInput(s->conn) || PQstatus(s->conn) != CONNECTION_OK)
            return 1;
    }
    return 0;
}

int pss__pg_ensure(pgstore *s)
{
    if (s->in_txn || (PQstatus(s->conn) == CONNECTION_OK && !s->broken && !closed_by_server(s)))
        return 0;
    connection_lost(s);
    for (int i = 0; i <= s->reconnect_attempts; i++) {
        if (i) { /* 0.1 s, 0.2 s, 0.4 s, ... up to 1.6 s: a standby being promoted, a restart */
            long ms = 100L << (i - 1 < 4 ? i - 1 : 4);
            struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
            nanosleep(&pause, NULL);
        }
        PQreset(s->conn);
        if (PQpipelineStatus(s->conn) != PQ_PIPELINE_OFF) /* left by the lost transaction */
            PQexitPipelineMode(s->conn);
        if (PQstatus(s->conn) == CONNECTION_OK) {
            s->broken = 0;
            return setup_session(s);
        }
    }
    pss__pg_fail(s, 0, "reconnecting after %d attempts: %s", s->reconnect_attempts + 1,
                 PQerrorMessage(s->conn));
    one_line(s->error, sizeof s->error);
    return PSS_ESTORAGE;
}

int pss__pg_command(pgstore *s, const char *sql, const char *what)
{
    PGresult *res = PQexec(s->conn, sql);
    int rc = 0;
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = pss__pg_result_fail(s, res, what);
    PQclear(res);
    return rc;
}

static int prepare(pgstore *s, pg_stmt id, const char *name, const char *what)
{
    PGresult *res = PQprepare(s->conn, name, stmt_sql[id], stmt_params[id], NULL);
    int rc = 0;
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = pss__pg_result_fail(s, res, what);
    PQclear(res);
    if (!rc)
        s->prepared[id] = 1;
    return rc;
}

int pss__pg_run(pgstore *s, pg_stmt id, const char *const *params, const int *lens,
                const char *what, PGresult **out)
{
    char name[16];
    snprintf(name, sizeof name, "pss_%d", (int)id);
    *out = NULL;
    int rc = s->prepared[id] ? 0 : prepare(s, id, name, what);
    if (rc)
        return rc;
    int formats[PSS_PG_PARAMS_MAX], lengths[PSS_PG_PARAMS_MAX];
    pss__pg_formats(id, lens, formats, lengths);
    PGresult *res = PQexecPrepared(s->conn, name, stmt_params[id], params, lengths, formats, 0);
    ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        *out = res;
        return 0;
    }
    rc = pss__pg_result_fail(s, res, what);
    PQclear(res);
    return rc;
}
