/* differential.c: the in-memory and the SQLite (or PostgreSQL) store run the same long
 * random sequence of calls (creates, CAS updates with right and wrong revisions, parent
 * moves, claims, releases, appends) in transactions that commit or roll back at random.
 * Every call must return the same code on both stores, and after every transaction
 * everything readable must be equal. Usage: storage-differential PATH [SEED] (PATH and its
 * -wal and -shm files are deleted first) | storage-differential pg DATABASE [SEED] (created
 * afresh on the server PSS_PG_CONNINFO names). PostgreSQL's audit seqs are its transactions'
 * ids (doc/postgres-store.md): there the entries' order is compared, not their numbers. */
#include "possession.h"
#ifdef HAVE_SQLITE
#include "possession/sqlite.h"
#endif
#ifdef HAVE_PG
#include "possession/pg.h"
#include "pgtest.h"
#endif

#include "check.h"
#include "text.h"

#include <unistd.h>

#define STEPS 3000
#define IDS 40
#define PARENTS 4
#define KEYS 12
#define OWNERS 3

static pss_storage *mem, *sql;
static int seq_by_rank; /* audit seqs compared by their rank in the scan, not their value */
#ifdef HAVE_PG
static PGconn *pg_raw; /* the pg store's database, to settle its audit trail before reading */
#endif
static uint64_t seed = 0x9e3779b97f4a7c15ULL;
static long mismatches;

static unsigned rnd(unsigned n)
{
    seed ^= seed << 13; /* xorshift64: the same sequence on every run */
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return (unsigned)(seed % n);
}

static void same(int a, int b, const char *what, int step)
{
    if (a == b)
        return;
    mismatches++;
    printf("# step %d: %s returned %d on the memstore, %d on the other store\n", step, what, a,
           b);
}

/* ---- one random call on both stores ------------------------------------------------------ */

static void random_put(int step)
{
    char id[16], parent[16], payload[64];
    snprintf(id, sizeof id, "r%u", rnd(IDS));
    unsigned p = rnd(PARENTS);
    if (rnd(8))
        snprintf(parent, sizeof parent, "p%u", p);
    else
        parent[0] = '\0'; /* no parent */
    snprintf(payload, sizeof payload, "{\"step\":%d,\"v\":\"%u\"}", step, rnd(1000));
    const char *kind = rnd(4) ? "order" : "session";
    pss_record r = {kind, id, parent, 0, payload, strlen(payload)};
    uint64_t expected = rnd(3) == 0 ? 0 : rnd(6); /* often right, often wrong */
    uint64_t rev_a = 0, rev_b = 0;
    int a = mem->put(mem->userdata, &r, expected, &rev_a);
    int b = sql->put(sql->userdata, &r, expected, &rev_b);
    same(a, b, "put", step);
    if (a == 0 && b == 0)
        same((int)rev_a, (int)rev_b, "put's revision", step);
}

static void random_claim(int step)
{
    char key[16], owner[16], holder_a[16] = "", holder_b[16] = "";
    snprintf(key, sizeof key, "k%u", rnd(KEYS));
    snprintf(owner, sizeof owner, "owner%u", rnd(OWNERS));
    int a, b;
    if (rnd(2)) {
        a = mem->claim(mem->userdata, key, owner, holder_a, sizeof holder_a);
        b = sql->claim(sql->userdata, key, owner, holder_b, sizeof holder_b);
        same(a, b, "claim", step);
        same(strcmp(holder_a, holder_b), 0, "claim's holder", step);
    } else {
        a = mem->release(mem->userdata, key, owner);
        b = sql->release(sql->userdata, key, owner);
        same(a, b, "release", step);
    }
}

static void random_append(int step)
{
    char subject[16], payload[32];
    snprintf(subject, sizeof subject, "p%u", rnd(PARENTS));
    snprintf(payload, sizeof payload, "{\"step\":%d}", step);
    uint64_t seq_a = 0, seq_b = 0;
    int a = mem->append(mem->userdata, subject, payload, strlen(payload), &seq_a);
    int b = sql->append(sql->userdata, subject, payload, strlen(payload), &seq_b);
    same(a, b, "append", step);
}

static void random_call(int step)
{
    unsigned what = rnd(10);
    if (what < 6)
        random_put(step);
    else if (what < 9)
        random_claim(step);
    else
        random_append(step);
}

/* ---- everything readable, as text --------------------------------------------------------- */

static int record_line(const pss_record *r, void *arg)
{
    text_printf(arg, "%s %s@%s r%llu %.*s\n", r->kind, r->id, r->parent,
                (unsigned long long)r->rev, (int)r->payload_len, r->payload);
    return 0;
}

typedef struct audit_walk {
    text *out;
    uint64_t rank, last;
} audit_walk;

static int audit_line(const pss_audit_item *item, void *arg)
{
    audit_walk *w = arg;
    w->rank++;
    if (w->rank > 1 && item->seq <= w->last)
        text_printf(w->out, "seq %llu after %llu: not increasing\n",
                    (unsigned long long)item->seq, (unsigned long long)w->last);
    w->last = item->seq;
    text_printf(w->out, "%llu %s %.*s\n",
                (unsigned long long)(seq_by_rank ? w->rank : item->seq), item->subject,
                (int)item->payload_len, item->payload);
    return 0;
}

static void snapshot(pss_storage *st, text *out)
{
    static const char *const kinds[] = {"order", "session"};
    text_reset(out);
    for (int k = 0; k < 2; k++)
        for (int p = -1; p < PARENTS; p++) {
            char parent[16] = "";
            if (p >= 0)
                snprintf(parent, sizeof parent, "p%d", p);
            text_printf(out, "scan %s %s\n", kinds[k], parent);
            st->scan(st->userdata, kinds[k], parent, record_line, out);
        }
    for (int i = 0; i < KEYS; i++) {
        char key[16], holder[16] = "";
        snprintf(key, sizeof key, "k%d", i);
        int rc = st->lookup(st->userdata, key, holder, sizeof holder);
        text_printf(out, "claim %s %d %s\n", key, rc, holder);
    }
    audit_walk w = {out, 0, 0};
#ifdef HAVE_PG
    if (st == sql && pg_raw)
        pgtest_settle_audit(pg_raw);
#endif
    st->audit_scan(st->userdata, NULL, 0, audit_line, &w);
}

static void compare(int step)
{
    text a = TEXT_INIT, b = TEXT_INIT;
    snapshot(mem, &a);
    snapshot(sql, &b);
    if (strcmp(a.data, b.data) != 0) {
        mismatches++;
        printf("# step %d: the stores differ\n", step);
    }
    text_free(&a);
    text_free(&b);
}

static void end_transaction(int step, int commit)
{
    int a = commit ? mem->commit(mem->userdata) : mem->rollback(mem->userdata);
    int b = commit ? sql->commit(sql->userdata) : sql->rollback(sql->userdata);
    same(a, b, commit ? "commit" : "rollback", step);
    compare(step);
}

static void run(void)
{
    int in_txn = 0, commits = 0, rollbacks = 0;
    for (int step = 0; step < STEPS && mismatches < 5; step++) {
        if (!in_txn && rnd(4) != 0) {
            same(mem->begin(mem->userdata, PSS_TXN_WRITE), sql->begin(sql->userdata, PSS_TXN_WRITE),
                 "begin", step);
            in_txn = 1;
        }
        random_call(step);
        if (in_txn && rnd(6) == 0) {
            int commit = rnd(2);
            end_transaction(step, commit);
            commits += commit;
            rollbacks += !commit;
            in_txn = 0;
        }
    }
    if (in_txn)
        end_transaction(STEPS, 0);
    compare(STEPS);
    printf("# %d commits, %d rollbacks\n", commits, rollbacks);
}

#ifdef HAVE_SQLITE
static int open_sqlite(const char *path)
{
    char side[1100];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    pss_sqlite_options o = PSS_SQLITE_OPTIONS_INIT;
    o.sync = PSS_SQLITE_SYNC_NORMAL;
    return pss_sqlite_open(NULL, path, &o, &sql);
}
#endif

static int open_other(int argc, char **argv, int *seed_arg)
{
    *seed_arg = 2;
#ifdef HAVE_PG
    if (argc > 2 && strcmp(argv[1], "pg") == 0) {
        char conninfo[1024];
        *seed_arg = 3;
        seq_by_rank = 1;
        if (pgtest_fresh_db(argv[2], conninfo, sizeof conninfo) ||
            !(pg_raw = pgtest_connect(argv[2])))
            return PSS_ESTORAGE;
        return pss_pg_open(NULL, conninfo, NULL, &sql);
    }
#endif
#ifdef HAVE_SQLITE
    return open_sqlite(argv[1]);
#else
    (void)argc;
    (void)argv;
    return PSS_EINVAL;
#endif
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("Bail out! usage: %s PATH\n", argv[0]);
        return 1;
    }
    int seed_arg = 2;
    CHECK_I64(pss_memstore_new(&mem), 0);
    CHECK_I64(open_other(argc, argv, &seed_arg), 0);
    if (argc > seed_arg)
        seed = strtoull(argv[seed_arg], NULL, 0) | 1; /* xorshift needs a non-zero state */
    if (!mem || !sql)
        return check_done();
    run();
    CHECK_I64(mismatches, 0);
    pss_storage_free(mem);
    pss_storage_free(sql);
    return check_done();
}
