/* record.h: a config's fiscal events as stored (doc/fiscal.md "Events"): records of kind
 * "fiscal" under the config, one per event with fiscal weight, each holding its seq, the
 * previous event's hash, its canonical form and its hash. */
#ifndef PSS_FISCAL_RECORD_H
#define PSS_FISCAL_RECORD_H

#include <stdint.h>

#include "base/internal.h"
#include "fiscal/link.h"
#include "fiscal/sign.h"
#include "store/records.h"

#define PSS__FISCAL_RECORD_VERSION 1
/* A config id, ':' and 20 digits, and the NUL. */
#define PSS__FISCAL_ID_SIZE (PSS_ID_SIZE + 21)

typedef struct pss__fiscal_event {
    uint64_t seq;
    uint64_t rev; /* the record's revision (a signature added later rewrites it) */
    uint8_t prev[PSS__CHAIN_HASH_BYTES], hash[PSS__CHAIN_HASH_BYTES];
    char *form;   /* the canonical form as stored (NUL-terminated) */
    char *sig;    /* its signature in hex, NULL when unsigned */
    char *key;    /* the signing key's id, NULL when unsigned */
} pss__fiscal_event;

/* The record id of a config's event seq. */
void pss__fiscal_event_id(const char *config_id, uint64_t seq, char out[PSS__FISCAL_ID_SIZE]);
/* Reads a stored event: PSS_ECORRUPT (with detail) when it is not one. */
int pss__fiscal_decode(pss_ctx *ctx, const pss_record *rec, pss__fiscal_event *out);
void pss__fiscal_event_free(pss_ctx *ctx, pss__fiscal_event *e);
/* Writes the event's record (created when e->rev is 0, else rewritten at e->rev), with the
 * signature when sig->made, or the signer's failure when it gave one. */
int pss__fiscal_put(pss_ctx *ctx, const char *config_id, const pss__fiscal_event *e,
                    const pss__signature *sig);
#endif
