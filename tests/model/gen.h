/* gen.h: the operation generator: from a seed, random sequences of every public mutating
 * call, mostly legal ones chosen from the oracle's state, with one fault at a time. */
#ifndef MODEL_GEN_H
#define MODEL_GEN_H

#include "op.h"
#include "oracle.h"
#include "prng.h"

#define GEN_NPROD 14
#define GEN_NCAST 8

typedef struct gen_product {
    char id[G_SHORT], name[G_SHORT];
    const char *category;    /* a category name the configs may have, or NULL */
    int nameless;            /* lines give no name: it defaults to the product id */
    int64_t price;
} gen_product;

typedef struct gen {
    prng r;
    model *m;
    int huge;                /* amounts near the bounds */
    int exotic;              /* account names with zero-width and format characters */
    int fault_pct;           /* chance of injecting a fault */
    gen_product prod[GEN_NPROD];
    m_config kept[M_MAXCFG]; /* the config each register's kept handle holds */
    uint64_t kept_rev[M_MAXCFG];
    int n_configs_made;
} gen;

/* The cast of actors (index into gen_cast()). */
enum { ANN, BOB, MIA, ADA, NOBODY, ANN9, SYNC, KIM };

void gen_init(gen *g, model *m, uint64_t seed);
void gen_next(gen *g, op *o);
void gen_after(gen *g, const op *o, int rc);
const g_actor *gen_cast(int who);

/* gen.c helpers shared by the generator files */
void gen_uuid(gen *g, char out[G_SHORT]);
void gen_actor(g_actor *a, int who);
int gen_operator(const gen *g, const m_session *s);
int gen_supervisor(gen *g, const m_session *s);
void gen_fault_actor(gen *g, op *o, const m_session *s, int rule);
int gen_pick_session(gen *g, unsigned states, int rescue_ok);
int gen_pick_order(gen *g, int session, int state, int need_refundable);
void gen_reason(gen *g, g_str *r, int allow_fault, op *o);
int64_t gen_scale(const gen *g, const m_session *s, int64_t cents);
void gen_bad_account(gen *g, char *out, size_t size);
void gen_escape(const char *in, char *out, size_t size);
void gen_good_account(gen *g, char *out, size_t size, const char *root);
int64_t gen_absurd(gen *g, int sign);

/* gen_config.c */
void gen_config_save(gen *g, op *o);
void gen_config_update(gen *g, op *o);
void gen_config_form(gen *g, op *o);

/* gen_session.c */
void gen_create(gen *g, op *o);
void gen_session_op(gen *g, op *o, int kind);
void gen_count(gen *g, op *o);
int gen_plain_count(const gen *g, int si);
void gen_close(gen *g, op *o);
void gen_force_close(gen *g, op *o);
void gen_cash_move(gen *g, op *o);
void gen_cash_void(gen *g, op *o);

/* gen_meta.c */
int gen_meta_text(gen *g, int want);
int gen_meta_given(gen *g, char *fault, size_t size);
void gen_meta_set(gen *g, op *o);
void gen_meta_get(gen *g, op *o);

/* gen_list.c */
void gen_list(gen *g, op *o);

/* gen_orders.c */
void gen_order_create(gen *g, op *o);
void gen_add_line(gen *g, op *o);
void gen_remove_line(gen *g, op *o);
void gen_add_payment(gen *g, op *o);
void gen_payment_state(gen *g, op *o, int kind);
void gen_cancel(gen *g, op *o);
void gen_validate(gen *g, op *o);
void gen_invoiced(gen *g, op *o);
void gen_submit(gen *g, op *o);
void gen_batch(gen *g, op *o);

#endif
