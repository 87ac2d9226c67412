/* id.h: ids as 16 bytes, for a store that keeps millions of them (the memory store). */
#ifndef PSS_BASE_ID_H
#define PSS_BASE_ID_H

#include <stdbool.h>

#include "possession/id.h"

/* Bytes of a UUID. */
#define PSS__ID_BYTES 16

/* Whether text is a UUID in canonical lower-case form, the only spelling whose 16 bytes give
 * the same text back; its bytes go to out. */
bool pss__id_pack(const char *text, unsigned char out[PSS__ID_BYTES]);
/* The canonical text of 16 bytes. */
void pss__id_unpack(const unsigned char in[PSS__ID_BYTES], char out[PSS_ID_SIZE]);

#endif
