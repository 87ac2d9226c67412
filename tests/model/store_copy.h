/* store_copy.h: a copy-on-write overlay store written on the public storage contract alone:
 * reads see the overlay first, then the base; writes, claims and audit appends stay in the
 * overlay, with their own transactions; the base is only ever read. A trial close runs on
 * it and is thrown away with it. */
#ifndef MODEL_STORE_COPY_H
#define MODEL_STORE_COPY_H

#include <possession.h>

/* Makes an overlay over base (which must outlive it); NULL when out of memory. */
pss_storage *store_copy_new(pss_storage *base);
/* Frees it (also through pss_storage_free()). */
void store_copy_free(pss_storage *overlay);
/* Number of records, claims and audit entries the overlay holds. */
size_t store_copy_size(const pss_storage *overlay);

#endif
