/* resume.c: a till dies in the middle of a shift and another process carries on. The first
 * process (forked here, in real life the till that lost power) opens a session on a SQLite
 * file, sells, starts an order and vanishes without closing anything. The second process
 * finds the open session in the file with every figure intact, takes it over once the dead
 * till's lease has expired, cancels the abandoned order, and closes the day.
 *
 *   resume [database]        (default: resume.db in the current directory)
 */
#include <possession.h>
#include <possession/sqlite.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CONFIG_ID "5e55a0e0-0000-4000-8000-000000000003"

static const pss_actor LOTTE = {PSS_ACTOR_VERSION, "lotte", PSS_ROLE_CASHIER, "till-3"};
static const pss_actor PIM = {PSS_ACTOR_VERSION, "pim", PSS_ROLE_CASHIER, "till-4"};

/* The second process looks 20 minutes later, after the dead till's 15-minute lease. */
static int64_t later_clock(void *userdata)
{
    (void)userdata;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + 20 * 60 * 1000;
}

static pss_ctx *open_ctx(const char *path, pss_clock_fn clock, pss_storage **store)
{
    pss_ctx_options o = PSS_CTX_OPTIONS_INIT;
    o.clock = clock;
    pss_ctx *ctx = NULL;
    if (pss_ctx_new(&ctx, &o) != 0 || pss_sqlite_open(ctx, path, NULL, store) != 0 ||
        pss_ctx_set_storage(ctx, *store) != 0) {
        fprintf(stderr, "resume: %s: %s\n", path, ctx ? pss_ctx_errmsg(ctx) : "no memory");
        exit(1);
    }
    return ctx;
}

static void must(pss_ctx *ctx, int rc, const char *what)
{
    if (rc) {
        fprintf(stderr, "resume: %s: %s\n", what, pss_ctx_errmsg(ctx));
        exit(1);
    }
}

static void save_config(pss_ctx *ctx)
{
    pss_config_input in = PSS_CONFIG_INPUT_INIT;
    in.id = CONFIG_ID;
    in.name = "Museum shop";
    in.code = "SHOP";
    in.currency = "EUR";
    in.cash_control = 1;
    in.income_account = "8000 Revenue";
    in.receivable_account = "1300 POS receivable";
    in.difference_gain_account = "8900 Cash over";
    in.difference_loss_account = "4900 Cash short";
    in.cash_in_account = "1100 Safe";
    in.cash_out_account = "1100 Safe";
    pss_method_input cash = {PSS_METHOD_INPUT_VERSION, "Cash", PSS_METHOD_CASH, "1000 Till", 0};
    pss_method_input card = {PSS_METHOD_INPUT_VERSION, "Card", PSS_METHOD_CARD, "1200 Card", 0};
    const pss_actor admin = {PSS_ACTOR_VERSION, "admin", PSS_ROLE_ADMIN, NULL};
    pss_config *c = NULL;
    must(ctx, pss_config_new(ctx, &in, &c), "config");
    must(ctx, pss_config_add_method(c, &cash) || pss_config_add_method(c, &card), "methods");
    must(ctx, pss_config_save(c, &admin), "save config");
    pss_config_free(c);
}

static void sell(pss_ctx *ctx, pss_session *s, const char *item, int64_t price,
                 const char *method)
{
    char id[PSS_ID_SIZE];
    pss_id_generate(id);
    pss_line_input line = PSS_LINE_INPUT_INIT;
    line.product_id = item;
    line.unit_price = price;
    pss_payment_input pay = PSS_PAYMENT_INPUT_INIT;
    pay.method = method;
    pay.amount = price;
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = id;
    in.lines = &line;
    in.n_lines = 1;
    in.payments = &pay;
    in.n_payments = 1;
    must(ctx, pss_session_submit(s, &LOTTE, &in, NULL), "sell");
}

/* The first process: a normal morning, then the power goes out. */
static void till_that_dies(const char *path)
{
    pss_storage *store;
    pss_ctx *ctx = open_ctx(path, NULL, &store);
    save_config(ctx);
    pss_session *s = NULL;
    pss_opening_input open = PSS_OPENING_INPUT_INIT;
    open.counted_cash = 0;
    must(ctx, pss_session_create(ctx, CONFIG_ID, &LOTTE, NULL, &s), "create");
    must(ctx, pss_session_open(s, &LOTTE, &open), "open");
    sell(ctx, s, "Catalogue", 2450, "Card");
    sell(ctx, s, "Postcard set", 600, "Cash");
    sell(ctx, s, "Tote bag", 1500, "Cash");
    pss_line_input line = PSS_LINE_INPUT_INIT;
    line.product_id = "Poster";
    line.unit_price = 1200;
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.lines = &line;
    in.n_lines = 1;
    pss_order *o = NULL;
    must(ctx, pss_order_create(s, &LOTTE, &in, &o), "start an order");
    printf("till-3: sold 3 orders, started a 4th, then the power went out\n");
    fflush(stdout);
    _exit(0); /* no close, no free: the process is simply gone */
}

static void print_figures(pss_session *s)
{
    int64_t expected, current, posted;
    size_t drafts;
    pss_session_expected_cash(s, &expected);
    pss_session_balance(s, &current, &posted);
    pss_session_blockers(s, &drafts, NULL);
    printf("till-4: found %s (%s), held by %s on %s; expected cash %lld.%02lld, paid %lld.%02lld, "
           "%zu order(s) left open\n", pss_session_name(s),
           pss_session_state_name(pss_session_state_of(s)), pss_session_user(s),
           pss_session_lease_device(s), (long long)expected / 100, (long long)expected % 100,
           (long long)posted / 100, (long long)posted % 100, drafts);
}

/* The customer was still there: pim finishes the poster sale the dead till had started. */
static void finish_abandoned_orders(pss_ctx *ctx, pss_session *s)
{
    pss_strlist *drafts = NULL;
    must(ctx, pss_session_drafts(s, &drafts), "list drafts");
    for (size_t i = 0; i < pss_strlist_count(drafts); i++) {
        pss_order *o = NULL;
        must(ctx, pss_order_load(s, pss_strlist_get(drafts, i), &o), "load the draft");
        pss_order_totals t = PSS_ORDER_TOTALS_INIT;
        pss_order_get_totals(o, &t);
        pss_payment_input pay = PSS_PAYMENT_INPUT_INIT;
        pay.method = "Cash";
        pay.amount = t.remaining;
        must(ctx, pss_order_add_payment(o, &PIM, &pay, NULL), "pay the draft");
        printf("till-4: finished order %lld, %lld.%02lld in cash\n", (long long)pss_order_number(o),
               (long long)t.remaining / 100, (long long)t.remaining % 100);
        pss_order_free(o);
    }
    pss_strlist_free(drafts);
}

/* The second process: finds the session, takes over, tidies up and closes. */
static int carry_on(const char *path)
{
    pss_storage *store;
    pss_ctx *ctx = open_ctx(path, later_clock, &store);
    pss_session *s = NULL;
    must(ctx, pss_session_find_open(ctx, CONFIG_ID, &s), "find the open session");
    print_figures(s);
    must(ctx, pss_session_verify(s), "verify");
    must(ctx, pss_session_take_over(s, &PIM), "take over");
    printf("till-4: took over (the lease of till-3 had expired)\n");
    finish_abandoned_orders(ctx, s);
    must(ctx, pss_session_start_closing(s, &PIM), "start closing");
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    count.cash_total = 3300; /* 6.00 + 15.00 + the poster's 12.00 */
    must(ctx, pss_session_count(s, &PIM, &count), "count");
    must(ctx, pss_session_close(s, &PIM, NULL), "close");
    pss_entry *e = NULL;
    must(ctx, pss_session_entry(s, &e), "entry");
    printf("till-4: %s is %s; entry %s posts %lld.%02lld\n", pss_session_name(s),
           pss_session_state_name(pss_session_state_of(s)), pss_entry_id(e),
           (long long)pss_entry_total(e) / 100, (long long)pss_entry_total(e) % 100);
    pss_entry_free(e);
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(store);
    return 0;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "resume.db";
    char wal[1024], shm[1024];
    snprintf(wal, sizeof wal, "%s-wal", path);
    snprintf(shm, sizeof shm, "%s-shm", path);
    remove(path), remove(wal), remove(shm);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return 1;
    if (pid == 0)
        till_that_dies(path);
    int status;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return 1;
    return carry_on(path);
}
