/* order_record4.h: version 4 of the order record (order_record4.c): whether it gives an order
 * back exactly, its text and its reader. */
#ifndef PSS_ORDER_RECORD4_H
#define PSS_ORDER_RECORD4_H

#include "order/order_fields.h"

/* Whether version 4 gives d back exactly: every figure it leaves out is the exact sum or
 * difference it stands for, d's groups are its lines' sums (what every order this library
 * computes has), and nothing in d lies beyond what its reader accepts. */
bool pss__order_v4_fits(const pss_order_data *d);
int pss__order_encode_v4(pss_ctx *ctx, const pss_order_data *d, pss__strbuf *buf);
/* Reads doc (a version 4 payload) into d; the record's id and parent give the order's id and
 * session. */
void pss__order_decode_v4(pss_jr *r, json_t *doc, const pss_record *rec, pss_order_data *d);

#endif
