/* checks.h: the invariants checked after every step: the library's figures against the
 * oracle's (sessions, reports, orders, lines, taxes, payments), verify on every open
 * session, the entry of every close line by line, the trial close on a copy of the store,
 * and at the end of a seed the ledger export through hledger. */
#ifndef MODEL_CHECKS_H
#define MODEL_CHECKS_H

#include "driver.h"
#include "prng.h"

int checks_step(driver *d, const op *o);
int checks_session(driver *d, int si, pss_session *h);
int checks_order(driver *d, int oi, pss_order *h);
int checks_entry(driver *d, int si);
int checks_trial(driver *d);
int checks_trial_all(driver *d);
int checks_final(driver *d);
int compare_entry(driver *d, pss_entry *e, const m_entry *want, const m_session *s,
                  const char *what);

/* checks_money.c */
int checks_money(driver *d, prng *r);

/* checks_audit.c */
int checks_audit(driver *d, const op *o, int rc, uint64_t after, const m_expect *ex);

/* ledger.c */
int ledger_check(driver *d);

#endif
