/* chain.h: per-config state kept across sessions: the session numbering and the opening-cash
 * chain (a session's expected opening cash is the last normal session's counted closing). */
#ifndef PSS_CHAIN_H
#define PSS_CHAIN_H

#include "base/internal.h"
#include "util/strbuf.h"

typedef struct pss_chain {
    char config_id[PSS_ID_SIZE];
    int64_t session_seq;
    int64_t rescue_seq;
    char last_session[PSS_ID_SIZE]; /* "" when none */
    int64_t last_closing_cash;
    uint64_t rev; /* 0: not stored yet */
} pss_chain;

/* Reads the config's chain inside the current transaction (a fresh one when none). */
int pss__chain_read(pss_ctx *ctx, const char *config_id, pss_chain *out);
int pss__chain_write(pss_ctx *ctx, pss_chain *chain, pss__strbuf *buf);

#endif
