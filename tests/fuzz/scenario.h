/* scenario.h: realistic register days played through the public API on an in-memory store,
 * with fixed ids and a fixed clock: the source of the fuzz corpus (gen_corpus.c) and of the
 * world the harnesses lay each input into (fuzz.c). */
#ifndef PSS_FUZZ_SCENARIO_H
#define PSS_FUZZ_SCENARIO_H

#include <possession.h>

/* 2026-11-21 08:00:00 UTC */
#define SC_T0 1795248000000LL

/* The main register (EUR, cash control, three methods, three taxes, a category). */
#define SC_CFG_MAIN "0c0f1a00-0000-4000-8000-000000000001"
/* Its first session (closed in the world) and its second (in progress in the world). */
#define SC_S1 "5e551000-0000-4000-8000-000000000001"
#define SC_S2 "5e551000-0000-4000-8000-000000000002"
/* A paid order of S2 with a refund (so a refund tally), and one of S1. */
#define SC_P1 "0de20000-0000-4000-8000-000000000001"
#define SC_O1 "0de10000-0000-4000-8000-000000000001"

extern const pss_actor sc_alice, sc_bob, sc_mia, sc_ada;

/* Called after each step with the store (the generator dumps it there). */
typedef void (*sc_checkpoint_fn)(pss_storage *store, void *arg);

/* The clock every scenario context uses; sc_clock_reset() rewinds it to SC_T0. */
int64_t sc_clock(void *userdata);
void sc_clock_reset(void);
void sc_clock_advance(int64_t ms);

/* The main register's day: S1 opened, traded (every payment state, refunds, invoiced and
 * submitted orders, cash movements), counted and closed; S2 opened from its count, traded,
 * a late order of S1 routed to it. With `full`, S2 is then force closed with a draft and a
 * pending payment, and a late order opens and force closes a rescue session. */
void sc_main(pss_ctx *ctx, pss_storage *store, int full, sc_checkpoint_fn cp, void *arg);

/* Other registers: CHF with cash rounding on cash and per-order taxes, one session a day;
 * JPY with rounding on every method and a close beyond the limit (refused, then overridden);
 * configs of exponents 3 and 4 saved only. */
void sc_others(pss_ctx *ctx, pss_storage *store, sc_checkpoint_fn cp, void *arg);

#endif
