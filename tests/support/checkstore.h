/* checkstore.h: a storage wrapper for tests that makes checks (pss_storage::check and
 * check_last, version 4) the way a store on a server does: it answers at once and verifies
 * them only at commit, against the inner store inside the same transaction. A broken check
 * makes the commit roll back and answer PSS_ECONFLICT, naming the check. Everything else is
 * forwarded (scan_last too, when the inner store has it); it counts gets, checks and
 * broken commits. Only the public headers: every test can link it. */
#ifndef PSS_TEST_CHECKSTORE_H
#define PSS_TEST_CHECKSTORE_H

#include "possession/storage.h"

/* Wraps inner (not owned). Returns 0, PSS_EINVAL or PSS_ENOMEM. */
int checkstore_new(pss_storage *inner, pss_storage **out);

typedef struct checkstore_counts {
    long gets, checks, broken_commits;
} checkstore_counts;

/* What the wrapper saw since it was made. */
checkstore_counts checkstore_counted(const pss_storage *cs);

#endif
