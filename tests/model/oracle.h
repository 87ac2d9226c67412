/* oracle.h: the model of libpossession written from doc/concepts.md and doc/close-flow.md
 * alone: configs, sessions, orders, payments, refund tallies, cash movements, counts, closes
 * and journal entries as plain data, the legal state machine with its access rules, and the
 * expected outcome (success, or the set of acceptable error codes) of every mutating call.
 * It knows nothing of the library's handles: everything is keyed by ids and indexes. */
#ifndef MODEL_ORACLE_H
#define MODEL_ORACLE_H

#include <stddef.h>
#include <stdint.h>

#include "input.h"

__extension__ typedef __int128 m_i128;

#define M_ACC 208
#define M_MAXM 6
#define M_MAXT 12
#define M_MAXC 6
#define M_MAXD 16
#define M_MAXCFG 3
#define M_MAXDAYS 128
#define M_MAXP 12
#define M_MAXPROD 64

enum { A_INCOME, A_RECV, A_GAIN, A_LOSS, A_IN, A_OUT, A_EXPENSE, A_RGAIN, A_RLOSS, A_N };

typedef struct m_method {
    char name[G_SHORT];
    int kind, electronic;
    char account[M_ACC];
} m_method;

typedef struct m_tax {
    char code[G_SHORT], name[G_SHORT];
    int64_t rate;
    int included;
    int64_t per_unit;        /* a fixed tax: minor units per unit of quantity (version 2) */
    int affects_base;        /* added to the base of the taxes listed after it */
    char account[M_ACC];
} m_tax;

typedef struct m_cat {
    char name[G_SHORT], account[M_ACC];
} m_cat;

/* A config as the host describes it (also what the generator hands the driver). */
typedef struct m_config {
    char id[G_SHORT], name[G_SHORT], code[G_SHORT], currency[G_SHORT];
    int exponent, cash_control, override_role, per_day, tax_rounding, rounding;
    int cr_scope, cr_mode, allow_zero;
    int late_orders;         /* LATE_*, or a value no policy has (the fault) */
    int allow_negative;      /* allow_negative_drawer */
    int split_recv;          /* split_receivables */
    int allow_rr, rr_role;   /* allow_receiptless_returns, receiptless_return_role */
    int64_t max_diff, cr_inc, lease_s;
    int has_acc[A_N];
    char acc[A_N][M_ACC];
    m_method m[M_MAXM];
    int nm;
    m_tax t[M_MAXT];
    int nt;
    m_cat c[M_MAXC];
    int nc;
    int64_t d[M_MAXD];
    int nd;
    int meta;                /* the metadata given with it (written with its first save) */
} m_config;

/* A stored config and what the store keeps beside it (config_state, claims). */
typedef struct m_register {
    m_config cfg;
    uint64_t rev;            /* bumped by every save */
    int64_t session_seq, rescue_seq, last_closing;
    int open_session, rescue_session; /* session index or -1 */
    int ndays;
    char days[M_MAXDAYS][16];
    int meta;                /* the stored config's metadata (0: none) */
    uint64_t fiscal;         /* the events its chain must hold (doc/fiscal.md, "Events") */
} m_register;

typedef struct m_count {
    int has;
    int64_t cash;              /* M_UNSET: the count left the cash out (no cash control) */
    int n;
    int method[G_MAXCM];
    int64_t amount[G_MAXCM];
} m_count;

typedef struct m_session {
    char id[G_SHORT], name[G_SHORT], date[16];
    int reg;
    m_config cfg;            /* the config it runs on */
    int rescue, forced, state;
    char user[G_SHORT], device[G_SHORT], opened_by[G_SHORT], closed_by[G_SHORT];
    int64_t lease_exp, created_at, opened_at, closed_at;
    int64_t open_exp, open_cnt;
    m_count count;
    int64_t posted_counted;
    int64_t next_number;
    int entry;               /* entry index or -1 */
    int meta;                /* host metadata (0: none) */
    int touched;
} m_session;

typedef struct m_line {
    char product[G_SHORT], name[G_SHORT];
    int cat;                 /* category index in the register's config, -1: income */
    int64_t qty, price, disc;
    int nt;
    int tax[G_MAXLT];        /* tax indexes in the register's config, as listed */
    int64_t gross, amount, taxamt[G_MAXLT], untaxed, tax_sum, total;
    int64_t share;           /* its share of the order discount */
    int64_t refund_line;
} m_line;

typedef struct m_pay {
    int method;
    int64_t amount, change;
    int state, settling;
} m_pay;

typedef struct m_order {
    char id[G_SHORT];
    int session, state, refund_of, invoiced, submitted;
    int submitted_to;        /* the session the till submitted it to */
    int late;                /* submitted to a session being counted or closed */
    int64_t number;
    g_order input;           /* what was submitted, for duplicates */
    int nl;
    m_line l[G_MAXL];
    int np;
    m_pay p[M_MAXP];
    int64_t rounding, untaxed, tax, total;
    int64_t dam, dppm, dapplied; /* the order discount as given, and what it took off */
    char customer[G_STR];    /* "" when none */
    char reason[G_STR];      /* the return reason, "" when none */
    int zero_group;          /* a group of lines of no amount shares a rate tax (README) */
    int meta;                /* host metadata (0: none); not part of its content */
    /* the refund tally, when this order is a refunded sale */
    int64_t rq[G_MAXL], ramt[G_MAXL], rtax[G_MAXL][G_MAXLT];
    int touched;
} m_order;

typedef struct m_move {
    char id[G_SHORT];
    int session, kind, voided;
    int64_t amount, time;
    char reason[G_STR], account[M_ACC], user[G_SHORT], void_reason[G_STR];
    int meta;                /* host metadata (0: none) */
} m_move;

/* Entry line kinds in the order of doc/close-flow.md, "The journal entry". */
enum {
    EK_PAYMENT, EK_SALES, EK_REFUND, EK_TAX, EK_TAX_REFUND, EK_RECEIVABLE, EK_CASH_IN,
    EK_CASH_OUT, EK_EXPENSE, EK_CORRECTION, EK_ROUNDING, EK_OPENING_DIFF, EK_CLOSING_DIFF,
    EK_N
};

typedef struct m_eline {
    int kind;
    char account[M_ACC];
    int64_t debit, credit;
    char key[G_STR];         /* method name (payment), sorted tax codes (sales, refund, tax) */
    char key2[G_STR];        /* tax lines: the codes with a non-zero figure */
} m_eline;

typedef struct m_prod {
    char id[G_SHORT], name[G_SHORT];
    int64_t sold, refunded;
} m_prod;

typedef struct m_entry {
    int session;
    int n;
    m_eline l[96];
    int np;
    m_prod p[M_MAXPROD];
    int64_t total;
} m_entry;

typedef struct m_mfig {
    int64_t payments, amount, change;
} m_mfig;

typedef struct m_tfig {
    int64_t base, amount, rbase, ramount;
    int used;
} m_tfig;

/* A session's figures, recomputed from the orders and movements. */
typedef struct m_figs {
    int64_t cash_payments, change, cash_in, cash_out, expenses, corrections, expected_cash;
    int64_t orders, refunds, cancelled, drafts, pending;
    int64_t posted, current, rounding, invoiced, untaxed, tax;
    m_mfig m[M_MAXM];
    m_tfig t[M_MAXT];
    int np;
    m_prod p[M_MAXPROD];
    int64_t volume;
    int volume_overflow;
} m_figs;

/* What a call should do: succeed (n == 0) or fail with one of codes. */
typedef struct m_expect {
    int n;
    int codes[8];
    int audited;             /* a refusal appends 1: exactly one audit entry, 2: at most one */
    int success_ok;          /* success is acceptable too (a duplicate answered, README) */
    const char *action;      /* its action */
    int line, payment;       /* the index a detail should name, or -1 */
    int line_alt;            /* another index it may name instead (the refunded line) */
    int nfig;
    const char *fig_name[4];
    int64_t fig_val[4];
    int64_t fig_alt[4];      /* another value the figure may take, when fig_has_alt */
    int fig_has_alt[4];
    char why[160];
} m_expect;

typedef struct m_submit_res {
    m_expect ex;             /* the order's own outcome (its status in a batch) */
    int duplicate, routed, rescue, state;
    int session;             /* session index, or -1 for a rescue the library names */
    int new_rescue;          /* the submit made a rescue session (its id comes back) */
} m_submit_res;

typedef struct model {
    int64_t now;
    int nreg;
    m_register reg[M_MAXCFG];
    int ns, cap_s;
    m_session *s;
    int no, cap_o;
    m_order *o;
    int nmv, cap_mv;
    m_move *mv;
    int ne, cap_e;
    m_entry *e;
    int cur_role;            /* the role of the actor whose order is being built */
    int cur_reason;          /* whether that order gives a return reason */
    int no_drawer;           /* the order being built is late: its payouts are not weighed */
    int no_group_bound;      /* the generator's scratch orders: groups beyond the bound too */
} model;

/* oracle_base.c */
void model_init(model *m);
void model_free(model *m);
void ex_reset(m_expect *ex);
void ex_add(m_expect *ex, int code, const char *why);
int ex_refused(const m_expect *ex);
int ex_accepts(const m_expect *ex, int code);
int m_div(int64_t n, int64_t num, int64_t den, int mode, int64_t *out);
int64_t m_round_to(int64_t amount, int64_t inc, int mode);
void m_civil_date(int64_t ms, char out[16]);
int m_valid_date(const char *s);
int m_valid_utf8(const char *s, int allow_controls);
int m_valid_account(const char *s);
int m_valid_uuid(const char *s);
int m_actor_check(const g_actor *a, m_expect *ex);
int m_find_session(const model *m, const char *id);
int m_find_order(const model *m, const char *id);
int m_find_move(const model *m, const char *id);
int m_find_reg(const model *m, const char *id);
int m_method_index(const m_config *c, const char *name);
int m_tax_index(const m_config *c, const char *code);
int m_cat_index(const m_config *c, const char *name);
int m_cash_method(const m_config *c);
const char *m_income_of(const model *m, const m_session *s, int cat);
m_session *m_new_session(model *m);
m_order *m_new_order(model *m);
m_move *m_new_move(model *m);
m_entry *m_new_entry(model *m);
void m_fiscal(model *m, int s, int n);
int m_receiptless(const g_line *l, int n);

/* oracle_access.c */
enum { RULE_OPERATE, RULE_SUPERVISE, RULE_MANAGER, RULE_ADMIN, RULE_ANY, RULE_TAKE_OVER };
#define ST(x) (1u << (x))
#define ST_OPEN_ANY (ST(SS_NEW) | ST(SS_OPENING) | ST(SS_PROGRESS) | ST(SS_CLOSING))
int m_access(const model *m, const m_session *s, const g_actor *a, int rule, unsigned states,
             m_expect *ex);
void m_renew(const model *m, m_session *s, const g_actor *a);

/* oracle_config.c */
int m_config_form(const m_config *c, m_expect *ex);
int m_config_complete(const m_config *c);
void m_config_save(model *m, const m_config *c, const g_actor *a, uint64_t loaded_rev,
                   int is_new, m_expect *ex);

/* oracle_session.c */
int m_session_create(model *m, const char *config_id, const g_actor *a, const char *id,
                     const g_str *date, int meta, m_expect *ex);
void m_start_opening(model *m, int s, const g_actor *a, m_expect *ex);
void m_open(model *m, int s, const g_actor *a, int64_t counted, const g_str *note,
            m_expect *ex);
void m_take_over(model *m, int s, const g_actor *a, m_expect *ex);
void m_heartbeat(model *m, int s, const g_actor *a, m_expect *ex);
void m_start_closing(model *m, int s, const g_actor *a, m_expect *ex);
void m_reopen(model *m, int s, const g_actor *a, const g_str *reason, m_expect *ex);

/* oracle_lines.c */
int m_order_compute(const model *m, m_order *o, m_expect *ex);
int m_groups_in_bound(const model *m, const m_order *o);
int m_sums_in_bound(const m_order *o);
int m_line_from_input(const model *m, const m_session *s, const m_order *o, const g_line *in,
                      int index, m_line *out, m_expect *ex);
int m_refund_line(model *m, m_order *o, const g_line *in, int index, m_line *out,
                  m_expect *ex);
void m_tally_give_back(model *m, const m_order *o, const m_line *l);
void m_tally_take(model *m, const m_order *o, const m_line *l);

/* oracle_orders.c */
int m_order_create(model *m, int s, const g_actor *a, const g_order *in, m_expect *ex);
void m_add_line(model *m, int o, const g_actor *a, const g_line *in, m_expect *ex);
void m_remove_line(model *m, int o, const g_actor *a, int64_t index, m_expect *ex);
void m_validate(model *m, int o, const g_actor *a, m_expect *ex);
void m_cancel(model *m, int o, const g_actor *a, const g_str *reason, m_expect *ex);
void m_set_invoiced(model *m, int o, const g_actor *a, int flag, m_expect *ex);
int m_is_refund(const m_order *o);
int m_discount_form_bad(const g_order *in);
int64_t m_lines_base(const m_config *c, const g_line *l, int n);
void m_order_texts(m_order *o, const g_order *in);
int m_order_build(model *m, const m_session *s, const g_order *in, m_order *o, m_expect *ex);
int m_check_order_input(const model *m, const m_session *s, const g_order *in, int submit,
                        m_expect *ex);
void m_order_release(model *m, const m_order *o);
int m_volume_ok(const model *m, int s, const m_order *replace, const m_move *extra);

/* oracle_pay.c */
void m_add_payment(model *m, int o, const g_actor *a, const g_pay *in, m_expect *ex);
int m_apply_payment(const model *m, const m_session *s, m_order *o, const g_pay *in,
                    int submit, m_expect *ex);
void m_confirm(model *m, int o, const g_actor *a, int64_t index, m_expect *ex);
void m_fail(model *m, int o, const g_actor *a, int64_t index, const g_str *reason,
            m_expect *ex);
void m_void(model *m, int o, const g_actor *a, int64_t index, const g_str *reason,
            m_expect *ex);
int64_t m_rest(const m_order *o);
int64_t m_rounded(const m_session *s, const m_order *o, int method, int64_t rest);
int64_t m_cash_due(const model *m, const m_order *o);
int m_pending_index(const m_order *o);

/* oracle_cash.c */
void m_cash_move(model *m, int s, const g_actor *a, const g_cash *in, m_expect *ex);
void m_cash_void(model *m, int s, const g_actor *a, const g_str *id, const g_str *reason,
                 m_expect *ex);
int64_t m_drawer(const model *m, int si, const m_order *o);
void m_payout(const model *m, int si, int64_t holds, int64_t amount, int64_t shown,
              m_expect *ex);

/* oracle_close.c */
void m_do_count(model *m, int s, const g_actor *a, const g_count *in, const g_str *note,
                m_expect *ex);
void m_close(model *m, int s, const g_actor *a, const g_str *note, m_expect *ex);
void m_force_close(model *m, int s, const g_actor *a, const g_str *reason, int void_pending,
                   int64_t counted, m_expect *ex);
int64_t m_close_counted(const model *m, int s);

/* oracle_figures.c */
void m_figs_of(const model *m, int s, int hypo_force, m_figs *f);
void m_entry_build(const model *m, int s, int hypo_force, int64_t counted, m_entry *e);
const char *m_ekind_name(int kind);
int m_ekind_rank(int kind);

/* oracle_meta.c: host metadata */
#define META_MAX 4096
enum { META_CONFIG = 1, META_SESSION = 2, META_ORDER = 3, META_MOVEMENT = 4 };
enum { META_OK, META_BAD, META_EITHER };
int m_meta_verdict(const char *text);
int m_meta_owner(const model *m, int kind, const char *id, int *session);
int *m_meta_slot(model *m, int kind, int index);
void m_meta_set(const model *m, int kind, const g_str *id, const g_actor *a, int meta,
                m_expect *ex);
void m_meta_apply(model *m, int kind, const char *id, int meta);
int m_meta_get(const model *m, int kind, const g_str *id, m_expect *ex);

/* oracle_list.c */
int m_sessions_page(const model *m, int reg, unsigned mask, const g_str *from, const g_str *to,
                    int after, int *out);
int m_list_page_expect(const model *m, int reg, unsigned mask, const g_str *from,
                       const g_str *to, const g_str *after, int64_t limit, m_expect *ex);
int m_orders_listed(const model *m, int si, unsigned mask, int *out);

/* oracle_submit.c */
void m_submit(model *m, int s, const g_actor *a, const g_order *in, m_submit_res *res,
              m_expect *ex);
void m_batch(model *m, int s, const g_actor *a, const g_order *in, int n, m_submit_res *res,
             m_expect *ex);
void m_rescue_learn(model *m, const char *id, const char *name, const char *date);
int m_submit_nowhere(const model *m, int si);

#endif
