/* main.c: the model-based tester's command line: runs seeds of random operations against
 * the library and the oracle, prints the totals, and on a failure the seed, the step, the
 * operation and what differed.
 *
 *   model --store memory|memory-checks|sqlite|pg --seeds A-B --steps N [--prefix K] [--verbose] [--hledger]
 *         [--trial-every N] [--dir DIR] [--stats] [--dump FILE]
 *
 * With --store pg each seed runs in a database of its own on the server PSS_PG_CONNINFO
 * names (tests/support/pg-server.sh starts one), dropped after the seed. */
#include <inttypes.h>
#include <possession.h>
#include <possession/sqlite.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "checks.h"
#include "cover.h"
#include "driver.h"
#include "gen.h"
#include "op.h"

typedef struct options {
    int sqlite, verbose, hledger, trial_every, stats; /* sqlite: the store, a DRV_STORE_* */
    const char *dump;
    uint64_t from, to;
    long steps, prefix;
    const char *dir;
} options;

static int usage(void)
{
    fprintf(stderr, "usage: model --store memory|memory-checks|sqlite|pg --seeds A-B --steps N [--prefix K] "
                    "[--verbose] [--hledger] [--trial-every N] [--dir DIR] [--stats] "
                    "[--dump FILE]\n");
    return 2;
}

static int parse_seeds(const char *s, options *o)
{
    char *end = NULL;
    o->from = strtoull(s, &end, 10);
    o->to = *end == '-' ? strtoull(end + 1, &end, 10) : o->from;
    return *end || o->to < o->from;
}

static int store_of(const char *name)
{
    if (!strcmp(name, "sqlite"))
        return DRV_STORE_SQLITE;
    if (!strcmp(name, "memory-checks"))
        return DRV_STORE_MEMORY_CHECKS;
#ifdef HAVE_PG
    if (!strcmp(name, "pg"))
        return DRV_STORE_PG;
#endif
    return DRV_STORE_MEMORY;
}

static const char *store_name(int store)
{
    return store == DRV_STORE_SQLITE ? "sqlite" : store == DRV_STORE_PG ? "pg"
         : store == DRV_STORE_MEMORY_CHECKS ? "memory-checks" : "memory";
}

static int parse(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    o->steps = 200;
    o->trial_every = 2;
    o->dir = "/tmp";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--verbose")) { o->verbose = 1; continue; }
        if (!strcmp(a, "--hledger")) { o->hledger = 1; continue; }
        if (!strcmp(a, "--stats")) { o->stats = 1; continue; }
        if (!v)
            return 1;
        i++;
        if (!strcmp(a, "--store")) o->sqlite = store_of(v);
        else if (!strcmp(a, "--seeds")) { if (parse_seeds(v, o)) return 1; }
        else if (!strcmp(a, "--steps")) o->steps = atol(v);
        else if (!strcmp(a, "--prefix")) o->prefix = atol(v);
        else if (!strcmp(a, "--trial-every")) o->trial_every = atoi(v);
        else if (!strcmp(a, "--dir")) o->dir = v;
        else if (!strcmp(a, "--dump")) o->dump = v;
        else return 1;
    }
    return o->steps <= 0;
}

static void remove_db(const char *path)
{
    char p[600];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

static void report_failure(const options *opt, uint64_t seed, long step, const op *o,
                           const model *m, const char *fail)
{
    static char desc[32768];
    op_describe(o, m, desc, sizeof desc);
    printf("FAIL seed %" PRIu64 " step %ld\n  operation: %s\n  %s", seed, step, desc, fail);
    printf("  reproduce: model --store %s --seeds %" PRIu64 "-%" PRIu64 " --steps %ld%s\n",
           store_name(opt->sqlite), seed, seed, step, opt->hledger ? " --hledger" : "");
}

static void verbose_line(long step, const op *o, const model *m, int rc)
{
    static char desc[32768];
    op_describe(o, m, desc, sizeof desc);
    printf("  step %ld: %s -> %d\n", step, desc, rc);
}

/* --dump FILE: the store's content after the run, for a closer look at a failure. */
static void dump_to_file(driver *d, const char *path)
{
    text t = {0};
    FILE *f = fopen(path, "w");
    if (f && dump_store(&d->dump, &t) == 0 && t.len)
        fwrite(t.data, 1, t.len, f);
    if (f)
        fclose(f);
    text_free(&t);
}

/* One seed; returns 1 when it failed. */
static int run_seed(const options *opt, uint64_t seed, run_stats *total)
{
    static model m;
    static gen g;
    static driver d;
    static op o;
    char path[512];
    char pg_name[64] = "";
    snprintf(path, sizeof path, "%s/model-%d-%" PRIu64 ".sqlite", opt->dir, (int)getpid(), seed);
    if (opt->sqlite == DRV_STORE_SQLITE)
        remove_db(path);
#ifdef HAVE_PG
    snprintf(pg_name, sizeof pg_name, "pss_model_%d_%" PRIu64, (int)getpid(), seed);
    if (opt->sqlite == DRV_STORE_PG && dump_pg_fresh_db(pg_name, path, sizeof path)) {
        printf("FAIL seed %" PRIu64 ": cannot make database %s\n", seed, pg_name);
        return 1;
    }
#endif
    model_init(&m);
    gen_init(&g, &m, seed);
    if (drv_open(&d, &m, &g, opt->sqlite, path, seed)) {
        printf("FAIL seed %" PRIu64 ": cannot set up the store\n", seed);
        return 1;
    }
    d.verbose = opt->verbose;
    d.hledger = opt->hledger;
    d.trial_every = opt->trial_every;
    m.now = INT64_C(1795248000000) + (int64_t)(seed % 1000) * 86400000;
    long steps = opt->prefix > 0 && opt->prefix < opt->steps ? opt->prefix : opt->steps;
    int failed = 0;
    for (long i = 1; i <= steps && !failed; i++) {
        gen_next(&g, &o);
        failed = drv_step(&d, &o);
        if (opt->verbose)
            verbose_line(i, &o, &m, d.last_rc);
        if (failed)
            report_failure(opt, seed, i, &o, &m, d.fail);
    }
    if (!failed && checks_final(&d)) {
        failed = 1;
        printf("FAIL seed %" PRIu64 " at the end (step %ld)\n  %s", seed, steps + 1, d.fail);
        printf("  reproduce: model --store %s --seeds %" PRIu64 "-%" PRIu64 " --steps %ld%s\n",
               store_name(opt->sqlite), seed, seed, steps, opt->hledger ? " --hledger" : "");
    }
    if (opt->dump)
        dump_to_file(&d, opt->dump);
    total->steps += d.st.steps;
    total->calls += d.st.calls;
    total->refusals += d.st.refusals;
    total->trials += d.st.trials;
    total->failures += failed;
    for (int k = 0; k < OP_N; k++)
        for (int c = 0; c < E_NCODES; c++)
            total->outcome[k][c] += d.st.outcome[k][c];
    drv_close(&d);
    model_free(&m);
    if (opt->sqlite == DRV_STORE_SQLITE)
        remove_db(path);
#ifdef HAVE_PG
    if (opt->sqlite == DRV_STORE_PG)
        dump_pg_drop_db(pg_name);
#else
    (void)pg_name;
#endif
    return failed;
}

/* What each operation did over the run: successes and each refusal code. */
static void print_stats(const run_stats *t)
{
    for (int k = 0; k < OP_N; k++) {
        printf("  %-16s", op_name(k));
        for (int c = 0; c < E_NCODES; c++)
            if (t->outcome[k][c])
                printf(" %s%d:%ld", c ? "-" : "ok", c, t->outcome[k][c]);
        printf("\n");
    }
}

int main(int argc, char **argv)
{
    options opt;
    if (parse(argc, argv, &opt))
        return usage();
    setvbuf(stdout, NULL, _IOLBF, 0);
    run_stats total;
    memset(&total, 0, sizeof total);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (uint64_t s = opt.from; s <= opt.to; s++)
        run_seed(&opt, s, &total);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("seeds %" PRIu64 " steps %ld calls %ld refusals %ld trials %ld failures %ld "
           "(%s store, %.1fs)\n", opt.to - opt.from + 1, total.steps, total.calls,
           total.refusals, total.trials, total.failures, store_name(opt.sqlite), secs);
    if (opt.stats) {
        print_stats(&total);
        cover_print();
    }
    return total.failures ? 1 : 0;
}
