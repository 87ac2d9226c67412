/* verify.h: walking a config's fiscal chain (verify.c). */
#ifndef PSS_FISCAL_VERIFY_H
#define PSS_FISCAL_VERIFY_H

#include "base/internal.h"
#include "possession/fiscal.h"

/* Walks the chain in the open transaction: 0 when whole, PSS_ECORRUPT (detail naming the
 * seq and the problem; out filled) when it breaks, or a store's failure. */
int pss__fiscal_walk(pss_ctx *ctx, const char *config_id, pss_fiscal_verdict *out);

#endif
