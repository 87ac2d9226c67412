/* possession/id.h: ids are UUIDs (made by libuuid) in their 36-character text form. */
#ifndef POSSESSION_ID_H
#define POSSESSION_ID_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @file
 * @brief UUID ids as text. Every id the API takes or returns is lower-case canonical text. */

/**
 * Makes a new time-ordered UUID (version 7, RFC 9562): 48 bits of Unix time in
 * milliseconds, then 74 random bits, so ids made later sort after ids made earlier (to the
 * millisecond). Tills should make their order ids this way: a store's id index then grows at
 * its end (bench/README.md gives the figures against random version 4 ids, which the
 * library accepts as well).
 * @param out receives the lower-case text form, NUL-terminated
 * @return 0 or ::PSS_EINVAL
 */
PSS_API int pss_id_generate(char out[PSS_ID_SIZE]);

/**
 * Parses a UUID in any letter case and writes its canonical lower-case text form.
 * @param text the UUID text ("6F1C2B7E-3A4D-4C5E-9F10-112233445566")
 * @param out receives the canonical form
 * @return 0 or ::PSS_EINVAL when text is not a UUID
 */
PSS_API int pss_id_normalize(const char *text, char out[PSS_ID_SIZE]);

#ifdef __cplusplus
}
#endif

#endif
