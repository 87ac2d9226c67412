/* faultstore.h: a storage wrapper for tests that counts every callback call and fails the Nth
 * one on request, to prove that each public call is atomic whatever callback fails.
 *
 * Counted callbacks: begin, commit, rollback, get, put, scan, claim, release, lookup, append,
 * audit_scan (errmsg and free are not counted: the library calls errmsg to explain a failure,
 * and counting it would shift the numbering of the calls under test). Calls are numbered from
 * 1 since faultstore_new(). An armed failure returns PSS_ESTORAGE (for every callback, begin
 * included) without calling the inner store, except for rollback, which always runs the
 * inner rollback first so that no change survives, and then reports PSS_ESTORAGE. A failure
 * fires once; arm again for another. Not thread-safe: one thread uses a faultstore at a time. */
#ifndef PSS_TEST_FAULTSTORE_H
#define PSS_TEST_FAULTSTORE_H

#include "possession/storage.h"

/* Wraps inner (not owned: pss_storage_free() on the wrapper leaves inner alone).
 * Returns 0, PSS_EINVAL (inner or out NULL) or PSS_ENOMEM. */
int faultstore_new(pss_storage *inner, pss_storage **out);

/* Fails the nth callback call from now (1 = the next call); 0 disarms. Resets fired. */
void faultstore_arm(pss_storage *fs, long nth);

/* The next `times` puts of records of kind answer PSS_ECONFLICT without reaching the inner
 * store, as a database store answers a lost serialization conflict. */
void faultstore_conflict_puts(pss_storage *fs, const char *kind, int times);
/* How many of those conflicts are still to come. */
int faultstore_conflicts_left(const pss_storage *fs);

/* Number of callback calls so far. */
long faultstore_calls(const pss_storage *fs);

/* 1 when the armed failure fired since the last faultstore_arm(), else 0. */
int faultstore_fired(const pss_storage *fs);

/* The wrapped store. */
pss_storage *faultstore_inner(const pss_storage *fs);

#endif
