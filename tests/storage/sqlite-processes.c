/* sqlite-processes.c: two processes, each with its own pss_sqlite_open() on one file. Round
 * by round they race to claim the same key (exactly one wins each round, the other learns
 * who), then both increment one counter with compare-and-swap (the total is exact).
 * Usage: sqlite-processes PATH (PATH and its -wal and -shm files are deleted first). */
#include "possession.h"
#include "possession/sqlite.h"

#include "check.h"

#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 150
#define INCREMENTS 150

typedef struct side {
    const char *me, *other;
    int to_other, from_other; /* pipe ends: a barrier per round */
    char results[ROUNDS];     /* W won, L lost to the other, E anything else */
    long errors, conflicts;
} side;

static pss_storage *open_store(const char *path)
{
    pss_sqlite_options options = PSS_SQLITE_OPTIONS_INIT;
    options.sync = PSS_SQLITE_SYNC_NORMAL; /* the race is about locking, not the disk */
    options.busy_timeout_ms = 5000;
    pss_storage *st = NULL;
    return pss_sqlite_open(NULL, path, &options, &st) ? NULL : st;
}

/* Both sides reach the round before either goes on. */
static void barrier(const side *s)
{
    char c = 'x';
    if (write(s->to_other, &c, 1) != 1 || read(s->from_other, &c, 1) != 1)
        _exit(3);
}

static int begin_write(pss_storage *st)
{
    int rc;
    while ((rc = st->begin(st->userdata, PSS_TXN_WRITE)) == PSS_EBUSY)
        ;
    return rc;
}

static char claim_round(pss_storage *st, const side *s, int round)
{
    char key[32], holder[32] = "";
    snprintf(key, sizeof key, "round-%d", round);
    if (begin_write(st))
        return 'E';
    int rc = st->claim(st->userdata, key, s->me, holder, sizeof holder);
    if (st->commit(st->userdata)) {
        st->rollback(st->userdata);
        return 'E';
    }
    if (rc == 0)
        return 'W';
    return rc == PSS_EEXISTS && strcmp(holder, s->other) == 0 ? 'L' : 'E';
}

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

/* Reads outside a transaction, writes with CAS in one: a stale read conflicts and retries. */
static int increment(pss_storage *st, side *s)
{
    for (;;) {
        counter c = {0, 0};
        if (st->get(st->userdata, "counter", "shared", read_counter, &c) || begin_write(st))
            return -1;
        char payload[64];
        snprintf(payload, sizeof payload, "{\"n\":%lld}", c.value + 1);
        pss_record r = {"counter", "shared", "", 0, payload, strlen(payload)};
        uint64_t rev;
        int rc = st->put(st->userdata, &r, c.rev, &rev);
        if (rc == 0 && (rc = st->commit(st->userdata)) == 0)
            return 0;
        st->rollback(st->userdata);
        if (rc != PSS_ECONFLICT && rc != PSS_EBUSY)
            return -1;
        s->conflicts++;
    }
}

static void run_side(const char *path, side *s)
{
    pss_storage *st = open_store(path);
    if (!st) {
        s->errors++;
        memset(s->results, 'E', ROUNDS);
        return;
    }
    for (int round = 0; round < ROUNDS; round++) {
        barrier(s);
        s->results[round] = claim_round(st, s, round);
    }
    barrier(s);
    for (int i = 0; i < INCREMENTS; i++)
        if (increment(st, s))
            s->errors++;
    pss_storage_free(st);
}

static void child(const char *path, int to_parent, int from_parent, int results_fd)
{
    side s = {"child", "parent", to_parent, from_parent, {0}, 0, 0};
    run_side(path, &s);
    ssize_t n = write(results_fd, s.results, ROUNDS);
    _exit(n == ROUNDS && s.errors == 0 ? 0 : 1);
}

static void prepare_file(const char *path)
{
    char side_file[1024];
    unlink(path);
    snprintf(side_file, sizeof side_file, "%s-wal", path);
    unlink(side_file);
    snprintf(side_file, sizeof side_file, "%s-shm", path);
    unlink(side_file);
    /* Created before the fork, and closed: no SQLite connection may cross a fork. */
    pss_storage *st = open_store(path);
    CHECK(st != NULL);
    if (!st)
        return;
    pss_record r = {"counter", "shared", "", 0, "{\"n\":0}", 7};
    uint64_t rev;
    CHECK_I64(st->put(st->userdata, &r, 0, &rev), 0);
    pss_storage_free(st);
}

static void check_rounds(const char *path, const side *parent, const char *child_results)
{
    int parent_wins = 0, child_wins = 0, both_or_none = 0;
    pss_storage *st = open_store(path);
    for (int r = 0; r < ROUNDS; r++) {
        char key[32], holder[32] = "";
        snprintf(key, sizeof key, "round-%d", r);
        int p = parent->results[r], c = child_results[r];
        parent_wins += p == 'W';
        child_wins += c == 'W';
        if (!((p == 'W' && c == 'L') || (p == 'L' && c == 'W')))
            both_or_none++;
        else if (st && st->lookup(st->userdata, key, holder, sizeof holder) == 0 &&
                 strcmp(holder, p == 'W' ? "parent" : "child") != 0)
            both_or_none++;
    }
    CHECK_I64(both_or_none, 0);
    CHECK_I64(parent_wins + child_wins, ROUNDS);
    printf("# parent won %d rounds, child %d\n", parent_wins, child_wins);
    counter c = {0, 0};
    CHECK(st != NULL);
    if (st) {
        CHECK_I64(st->get(st->userdata, "counter", "shared", read_counter, &c), 0);
        pss_storage_free(st);
    }
    CHECK_I64(c.value, 2 * INCREMENTS);
    CHECK_I64(c.rev, 2 * INCREMENTS + 1);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("Bail out! usage: %s PATH\n", argv[0]);
        return 1;
    }
    prepare_file(argv[1]);
    int to_child[2], to_parent[2], results[2];
    if (pipe(to_child) || pipe(to_parent) || pipe(results)) {
        printf("Bail out! pipe failed\n");
        return 1;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        child(argv[1], to_parent[1], to_child[0], results[1]);
    CHECK(pid > 0);
    side parent = {"parent", "child", to_child[1], to_parent[0], {0}, 0, 0};
    run_side(argv[1], &parent);
    char child_results[ROUNDS];
    CHECK_I64(read(results[0], child_results, ROUNDS), ROUNDS);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_I64(parent.errors, 0);
    printf("# %ld parent conflicts retried\n", parent.conflicts);
    check_rounds(argv[1], &parent, child_results);
    return check_done();
}
