/* meta_record.h: the record that keeps a host's metadata beside a config, session, order or
 * cash movement (possession/meta.h). Kept apart from its owner's record so that setting it
 * rewrites nothing the library computes, and a record written before metadata existed reads
 * the same. */
#ifndef PSS_STORE_META_RECORD_H
#define PSS_STORE_META_RECORD_H

#include "base/internal.h"

/* The owner's record kind ("config", "session", "order", "movement"), NULL for no owner. */
const char *pss__meta_owner_kind(pss_meta_owner owner);
/* Writes the owner's metadata (NULL: it has none) inside the current write transaction; the
 * text was checked (pss__check_meta). */
int pss__meta_put(pss_ctx *ctx, pss_meta_owner owner, const char *owner_id, const char *meta,
                  pss__strbuf *buf);
/* Reads it inside the current transaction: a copy in *out (PSS_FREE), NULL when none. */
int pss__meta_read(pss_ctx *ctx, pss_meta_owner owner, const char *owner_id, char **out);

#endif
