/* records.h: the names of every record kind and claim key the library stores
 * (doc/storage.md), so that each is spelled in one place. */
#ifndef PSS_RECORDS_H
#define PSS_RECORDS_H

#include <stdio.h>

/* Record kinds: the `kind` of pss_record. */
#define PSS__KIND_CONFIG "config"
#define PSS__KIND_CONFIG_STATE "config_state" /* session numbering, opening-cash chain */
#define PSS__KIND_SESSION "session"
#define PSS__KIND_TOTAL "total"               /* a session's keyed running total */
#define PSS__KIND_ORDER "order"
#define PSS__KIND_REFUND_TALLY "refund_tally" /* what a sale's lines have refunded */
#define PSS__KIND_MOVEMENT "movement"         /* a cash movement */
#define PSS__KIND_ENTRY "entry"               /* a journal entry */
#define PSS__KIND_META "meta"                 /* host metadata beside its owner (meta_record.h) */
#define PSS__KIND_FISCAL "fiscal"             /* an event of a config's fiscal chain */

/* Claim keys, "<prefix>/<config id>": the one session of a config that is open, or its
 * rescue session. */
#define PSS__CLAIM_OPEN "open"
#define PSS__CLAIM_RESCUE "rescue"

/* Writes the claim key of a config's open (or rescue) session into key. */
static inline void pss__claim_key(char *key, size_t size, const char *prefix,
                                  const char *config_id)
{
    snprintf(key, size, "%s/%s", prefix, config_id);
}

#endif
