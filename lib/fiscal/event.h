/* event.h: recording a config's fiscal events (event.c, doc/fiscal.md "Events"): the
 * canonical form an audit note gives. */
#ifndef PSS_FISCAL_EVENT_H
#define PSS_FISCAL_EVENT_H

#include <stdint.h>

#include "audit/audit.h"
#include "fiscal/record.h"
#include "util/strbuf.h"

/* The canonical form of the event an audit note makes (doc/fiscal.md, "Events"). */
void pss__fiscal_form(pss__strbuf *b, const pss_audit_note *note, const pss_actor *actor,
                      uint64_t seq, int64_t at);

#endif
