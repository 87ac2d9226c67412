/* make-release-file.c: writes a SQLite store the way a real shift does, and the readout of
 * what the library reads from it (readout.h). Built against the release whose files it is to
 * stand for, its output is committed beside it (README.md): release-1.1.sqlite and
 * release-1.1.txt were made by libpossession 1.1 with schema version 1. The clock is the
 * fixture's, every id the library takes from the caller is fixed; the journal entries' and
 * the rescue session's ids are the library's own (random). A later library only reads them.
 *
 *   make-release-file FILE.sqlite FILE.txt     (FILE.sqlite and its -wal, -shm replaced) */
#include <possession/sqlite.h>
#include <unistd.h>

#include "fixture.h"
#include "readout.h"

#define SESSION_A "5e55a000-0000-4000-8000-000000000001"
#define SESSION_B "5e55b000-0000-4000-8000-000000000002"
#define ORDER(n) "0bde0000-0000-4000-8000-0000000000" #n
#define MOVE(n) "ca500000-0000-4000-8000-0000000000" #n

static pss_ctx *ctx;
static const char *const VAT10[] = {"VAT10"};
static const char *const VAT20[] = {"VAT20"};
static const char *const BOTH[] = {"VAT20", "TAX7"};

static void save_config(void)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.one_session_per_day = 1;
    fo.late_orders = PSS_LATE_RESCUE;
    fo.cash_rounding = PSS_CASH_ROUNDING_CASH;
    fo.cash_rounding_increment = 5;
    fo.meta = "{\"erp\":\"pos.config/7\"}";
    fix_save_config(ctx, &fo);
}

static pss_session *open_session(const char *id, const char *date, int64_t counted)
{
    pss_session *s = NULL;
    pss_session_input si = PSS_SESSION_INPUT_INIT;
    si.id = id;
    si.operating_date = date;
    si.meta = "{\"shift\":\"early\"}";
    pss_opening_input oi = PSS_OPENING_INPUT_INIT;
    oi.counted_cash = counted;
    oi.note = "float from the safe";
    CHECK_OK(ctx, pss_session_create(ctx, FIX_CONFIG_ID, &FIX_ALICE, &si, &s));
    CHECK_OK(ctx, pss_session_start_opening(s, &FIX_ALICE));
    fix_advance(60000);
    CHECK_OK(ctx, pss_session_open(s, &FIX_ALICE, &oi));
    return s;
}

static void submit(pss_session *s, const char *id, const pss_line_input *lines, size_t n,
                   const pss_payment_input *pays, size_t n_pays, const char *refund_of)
{
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = id;
    in.lines = lines;
    in.n_lines = n;
    in.payments = pays;
    in.n_payments = n_pays;
    in.refund_of = refund_of;
    fix_advance(45000);
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &in, NULL));
}

/* Sales in cash (with change and rounding), by card, by voucher, split, and one invoiced. */
static void sales(pss_session *s)
{
    pss_line_input l[3] = {fix_line("espresso", 2000, 250, VAT10, 1),
                           fix_line("book", 1000, 1999, VAT20, 1),
                           fix_line("scarf", 1500, 1200, BOTH, 2)};
    l[1].category = "books";
    l[2].discount_ppm = 100000;
    pss_payment_input cash = fix_pay("Cash", 1000), card = fix_pay("Card", 2399);
    card.state = PSS_PAYMENT_DONE;
    card.reference = "T-0001";
    submit(s, ORDER(01), &l[0], 1, &cash, 1, NULL);
    submit(s, ORDER(02), &l[1], 1, &card, 1, NULL);
    pss_line_input both[2] = {l[0], l[2]};
    pss_payment_input split[2] = {fix_pay("Voucher", 1000), fix_pay("Cash", 5000)};
    submit(s, ORDER(03), both, 2, split, 2, NULL);
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = ORDER(04);
    in.lines = &l[1];
    in.n_lines = 1;
    in.invoiced = 1;
    in.note = "invoice 2026/118";
    in.meta = "{\"erp\":\"account.move/118\"}";
    pss_payment_input transfer = fix_pay("Voucher", 2399);
    in.payments = &transfer;
    in.n_payments = 1;
    fix_advance(30000);
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &in, NULL));
}

/* A refund of part of order 03, paid back in cash; an order built at the till and paid by
 * an electronic card payment confirmed later; a cancelled one. */
static void refund_and_till(pss_session *s)
{
    pss_line_input back = PSS_LINE_INPUT_INIT;
    back.refund_line = 1;
    back.quantity = -500;
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = ORDER(05);
    in.refund_of = ORDER(03);
    in.lines = &back;
    in.n_lines = 1;
    pss_order *o = NULL;
    fix_advance(30000);
    CHECK_OK(ctx, pss_order_create(s, &FIX_ALICE, &in, &o));
    pss_payment_input repay = fix_pay("Cash", fix_totals(ctx, o).cash_due);
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &repay, NULL));
    CHECK(pss_order_state_of(o) == PSS_ORDER_PAID);
    pss_order_free(o);
    pss_line_input l = fix_line("croissant", 3000, 185, VAT10, 1);
    in = (pss_order_input)PSS_ORDER_INPUT_INIT;
    in.id = ORDER(06);
    in.lines = &l;
    in.n_lines = 1;
    CHECK_OK(ctx, pss_order_create(s, &FIX_ALICE, &in, &o));
    pss_line_input more = fix_line("tea", 1000, 300, VAT10, 1);
    CHECK_OK(ctx, pss_order_add_line(o, &FIX_ALICE, &more, NULL));
    pss_payment_input card = fix_pay("Card", 855);
    size_t at = 0;
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &card, &at));
    fix_advance(20000);
    CHECK_OK(ctx, pss_order_confirm_payment(o, &FIX_ALICE, at));
    pss_order_free(o);
    in.id = ORDER(07);
    CHECK_OK(ctx, pss_order_create(s, &FIX_ALICE, &in, &o));
    CHECK_OK(ctx, pss_order_cancel(o, &FIX_ALICE, "customer left"));
    pss_order_free(o);
}

static void movements(pss_session *s)
{
    pss_cash_input in = PSS_CASH_INPUT_INIT;
    in.id = MOVE(01);
    in.kind = PSS_CASH_IN;
    in.amount = 2000;
    in.reason = "change from the safe";
    in.meta = "{\"bag\":\"S-12\"}";
    CHECK_OK(ctx, pss_cash_move(s, &FIX_ALICE, &in, NULL));
    in = (pss_cash_input)PSS_CASH_INPUT_INIT;
    in.id = MOVE(02);
    in.kind = PSS_CASH_EXPENSE;
    in.amount = 450;
    in.reason = "stamps";
    CHECK_OK(ctx, pss_cash_move(s, &FIX_ALICE, &in, NULL));
    in.id = MOVE(03);
    in.kind = PSS_CASH_OUT;
    in.amount = 1500;
    in.reason = "to the bank";
    CHECK_OK(ctx, pss_cash_move(s, &FIX_ALICE, &in, NULL));
    fix_advance(10000);
    CHECK_OK(ctx, pss_cash_void(s, &FIX_ALICE, MOVE(03), "counted twice"));
}

/* A count 20.00 short closed by the cashier is refused (audited), then a manager closes. */
static void close_a(pss_session *s)
{
    int64_t expected = 0;
    CHECK_OK(ctx, pss_session_expected_cash(s, &expected));
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    count.cash_total = expected - 2000;
    pss_method_count card = {"Card", 3254};
    count.methods = &card;
    count.n_methods = 1;
    count.note = "short";
    CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &count));
    fix_advance(60000);
    CHECK_RC(ctx, pss_session_close(s, &FIX_ALICE, NULL), PSS_ELIMIT);
    pss_close_input ci = PSS_CLOSE_INPUT_INIT;
    ci.note = "manager accepts the difference";
    CHECK_OK(ctx, pss_session_close(s, &FIX_MIA, &ci));
}

/* A till that was offline sends an order for the closed session: a rescue session takes it. */
static void late_order(pss_session *closed)
{
    pss_line_input l = fix_line("espresso", 1000, 250, VAT10, 1);
    pss_payment_input cash = fix_pay("Cash", 250);
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = ORDER(08);
    in.lines = &l;
    in.n_lines = 1;
    in.payments = &cash;
    in.n_payments = 1;
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    CHECK_OK(ctx, pss_session_submit(closed, &FIX_ALICE, &in, &res));
    CHECK(res.rescue == 1 && res.routed == 1);
}

/* The next day: a session left open with a paid order, two drafts (one with a pending card
 * payment) and a cash movement, held by bob. */
static void day_two(void)
{
    fix_advance(86400000);
    pss_session *s = open_session(SESSION_B, "2026-11-22", 0);
    pss_line_input l = fix_line("book", 2000, 1999, VAT20, 1);
    pss_payment_input cash = fix_pay("Cash", 5000);
    submit(s, ORDER(11), &l, 1, &cash, 1, NULL);
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = ORDER(12);
    in.lines = &l;
    in.n_lines = 1;
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_create(s, &FIX_ALICE, &in, &o));
    pss_payment_input card = fix_pay("Card", 4798);
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &card, NULL));
    pss_order_free(o);
    in.id = ORDER(13);
    CHECK_OK(ctx, pss_order_create(s, &FIX_ALICE, &in, &o));
    pss_order_free(o);
    CHECK_OK(ctx, pss_meta_set(ctx, &FIX_ALICE, PSS_META_ORDER, ORDER(13), "{\"table\":4}"));
    pss_cash_input mv = PSS_CASH_INPUT_INIT;
    mv.id = MOVE(11);
    mv.amount = 1000;
    mv.reason = "coins";
    CHECK_OK(ctx, pss_cash_move(s, &FIX_ALICE, &mv, NULL));
    fix_advance(1000000);
    CHECK_OK(ctx, pss_session_take_over(s, &FIX_MIA));
    pss_session_free(s);
}

static void shift(void)
{
    save_config();
    pss_session *a = open_session(SESSION_A, "2026-11-21", 0);
    sales(a);
    refund_and_till(a);
    movements(a);
    CHECK_OK(ctx, pss_meta_set(ctx, &FIX_ALICE, PSS_META_SESSION, SESSION_A, "{\"shift\":\"late\"}"));
    close_a(a);
    late_order(a);
    pss_session_free(a);
    day_two();
}

static void remove_file(const char *path)
{
    char side[1100];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        printf("Bail out! usage: %s FILE.sqlite FILE.txt\n", argv[0]);
        return 1;
    }
    remove_file(argv[1]);
    pss_storage *store = NULL;
    ctx = fix_ctx(NULL);
    CHECK_OK(ctx, pss_sqlite_open(ctx, argv[1], NULL, &store));
    CHECK_OK(ctx, pss_ctx_set_storage(ctx, store));
    shift();
    fix_text t = {NULL, 0};
    CHECK_I64(readout_config(ctx, FIX_CONFIG_ID, &t), 0);
    FILE *f = fopen(argv[2], "w");
    CHECK(f && fwrite(t.data, 1, t.len, f) == t.len);
    if (f)
        fclose(f);
    fix_text_free(&t);
    pss_ctx_free(ctx);
    pss_storage_free(store); /* the last connection: the WAL is checkpointed into the file */
    return check_done();
}
