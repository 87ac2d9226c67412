/* verify.h: walking a config's fiscal chain (verify.c). */
#ifndef PSS_FISCAL_VERIFY_H
#define PSS_FISCAL_VERIFY_H

#include "base/internal.h"
#include "possession/fiscal.h"

#include "fiscal/record.h"

/* Called with each event that verified, in seq order; non-zero stops the walk with it. */
typedef int (*pss__fiscal_each_fn)(void *arg, const pss__fiscal_event *e);

/* Walks the chain in the open transaction: 0 when whole, PSS_ECORRUPT (detail naming the
 * seq and the problem; out filled) when it breaks, or a store's failure. each may be NULL. */
int pss__fiscal_walk(pss_ctx *ctx, const char *config_id, pss_fiscal_verdict *out,
                     pss__fiscal_each_fn each, void *arg);

/* PSS_EINVAL (with detail) unless config_id is a config id's length. */
int pss__fiscal_check_config(pss_ctx *ctx, const char *config_id);

#endif
