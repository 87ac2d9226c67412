/* possession/memstore.h: the in-memory store shipped in the core library, for tests, examples
 * and hosts that persist nothing. It honours the whole storage contract. */
#ifndef POSSESSION_MEMSTORE_H
#define POSSESSION_MEMSTORE_H

#include "storage.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @file
 * @brief The in-memory store. */

/**
 * Creates an empty in-memory store. Its transactions are serialized by a mutex held from
 * begin to commit or rollback, so several contexts (also on several threads) may share it.
 * @param out receives the store; free it with pss_storage_free() after every context using it
 * @return 0, ::PSS_EINVAL or ::PSS_ENOMEM
 */
PSS_API int pss_memstore_new(pss_storage **out);

/**
 * Writes every record, claim and audit entry of an in-memory store as text, in a stable order,
 * one per line. Two stores with the same content give the same text: tests use it to prove
 * a failed call changed nothing.
 * @param storage a store made by pss_memstore_new()
 * @param fn receives the text
 * @param userdata passed to fn
 * @return 0, ::PSS_EINVAL when storage is not an in-memory store, or ::PSS_EIO
 */
PSS_API int pss_memstore_dump(pss_storage *storage, pss_write_fn fn, void *userdata);

#ifdef __cplusplus
}
#endif

#endif
