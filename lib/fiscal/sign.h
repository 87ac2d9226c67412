/* sign.h: signing fiscal events with the context's signer (sign.c, doc/fiscal.md
 * "Signatures"): a signature, or the reason there is none. */
#ifndef PSS_FISCAL_SIGN_H
#define PSS_FISCAL_SIGN_H

#include <stdbool.h>

#include "base/internal.h"
#include "fiscal/link.h"

typedef struct pss__signature {
    bool made;                             /* sig and key hold a signature */
    char sig[2 * PSS_SIGNATURE_MAX + 1];   /* lower-case hex */
    char key[PSS_KEY_ID_SIZE];
    char error[160];                       /* why there is none, when a signer failed */
} pss__signature;

/* Asks the context's signer to sign hash: never fails the call (an unsigned event is
 * recorded, its reason in out->error; no signer: nothing made, no error). */
void pss__fiscal_sign(pss_ctx *ctx, const uint8_t hash[PSS__CHAIN_HASH_BYTES],
                      pss__signature *out);
/* Whether the context's signer can check signatures. */
bool pss__fiscal_can_check(const pss_ctx *ctx);
/* Whether a stored signature (hex) and key check against hash. */
bool pss__fiscal_sig_good(pss_ctx *ctx, const uint8_t hash[PSS__CHAIN_HASH_BYTES],
                          const char *sig_hex, const char *key);

#endif
