/* input_hash.h: the content hash of an order a till submits (see input_hash.c). */
#ifndef PSS_INPUT_HASH_H
#define PSS_INPUT_HASH_H

#include <stdbool.h>
#include <possession.h>

/* "2:" and 16 hex digits, or 16 hex digits in records written before the word hash; a NUL. */
#define PSS_HASH_SIZE 19

/* The hash of what the till sent, as stored with the order ("2:…"). */
void pss__input_hash(const pss_order_input *in, char out[PSS_HASH_SIZE]);
/* Whether `in` is the content an order was recorded with: `stored` is its input_hash in either
 * form, `fresh` what pss__input_hash gave for in. */
bool pss__input_hash_same(const pss_order_input *in, const char *fresh, const char *stored);
/* Whether text is a stored hash in one of the two forms. */
bool pss__input_hash_valid(const char *text);

#endif
