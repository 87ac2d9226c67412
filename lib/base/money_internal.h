/* money_internal.h: money helpers the library uses internally. */
#ifndef PSS_MONEY_INTERNAL_H
#define PSS_MONEY_INTERNAL_H

#include "possession/money.h"

/* num / den rounded by mode, exactly; the result must fit int64. */
int pss__round_div128(__int128 num, __int128 den, pss_rounding mode, int64_t *out);
/* Formats an amount into buf for messages ("?" if it cannot). Returns buf. */
const char *pss__fmt(char buf[PSS_MONEY_BUFSIZE], int64_t amount, int exponent);

#endif
