/* input_stride.h: the stride of an array of versioned input structs (lines, payments), from
 * its first element's version: a later version's struct is larger, and an array is laid out
 * in the caller's version. */
#ifndef PSS_INPUT_STRIDE_H
#define PSS_INPUT_STRIDE_H

#include <possession.h>

static inline size_t pss__line_input_stride(uint32_t version)
{
    (void)version; /* version 1 is the only one; later versions add their own sizes */
    return sizeof(pss_line_input);
}

static inline size_t pss__payment_input_stride(uint32_t version)
{
    (void)version;
    return sizeof(pss_payment_input);
}

#endif
