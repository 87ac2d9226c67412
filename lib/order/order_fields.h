/* order_fields.h: what the writers and readers of the order record share: versions 1 to 3
 * (order_codec.c, member names throughout) and version 4 (order_record4.c, tuples). The tax
 * table (each code's snapshot once per order), the head fields both spell alike, copies into
 * the order's pool. */
#ifndef PSS_ORDER_FIELDS_H
#define PSS_ORDER_FIELDS_H

#include <string.h>

#include "json/codec.h"
#include "json/jsonc.h"
#include "order/order_internal.h"

/* A tax's snapshot as the table holds it. Codes past TABLE_MAX keep full snapshots where
 * they are used: the table is a fixed array searched from the start. */
#define PSS__TAX_TABLE_MAX 16

typedef struct tax_entry {
    const char *code, *account;
    int64_t rate_ppm;
    bool included;
    int64_t per_unit;  /* version 3: a fixed tax */
    bool affects_base; /* version 3: a tax on the taxes after it */
} tax_entry;

typedef struct tax_table {
    tax_entry e[PSS__TAX_TABLE_MAX];
    size_t n;
} tax_table;

static inline tax_entry pss__line_entry(const pss_line_tax *lt)
{
    return (tax_entry){lt->code, lt->account, lt->rate_ppm, lt->included, lt->per_unit,
                       lt->affects_base};
}

static inline tax_entry pss__group_entry(const pss_group_tax *gt)
{
    return (tax_entry){gt->code, gt->account, gt->rate_ppm, gt->included, gt->per_unit,
                       gt->affects_base};
}

static inline const tax_entry *pss__table_find(const tax_table *t, const char *code)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->e[i].code, code) == 0)
            return &t->e[i];
    return NULL;
}

static inline bool pss__same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Each code's first snapshot among the lines (and, with groups, the groups' tax lines). */
void pss__tax_table_build(const pss_order_data *d, bool groups, tax_table *t);

/* pss__jr_dup into the order's pool. */
char *pss__order_pool_dup(pss_jr *r, pss__pool *pool, const char *s);
/* The head fields every version spells alike: invoiced, refund_of, note, the order discount,
 * customer and return reason. */
void pss__order_decode_common(pss_jr *r, json_t *doc, pss_order_data *d);
/* The members every version writes alike after the state, each only when set: invoiced,
 * refund_of, note, customer, return_reason, discount. */
void pss__order_encode_about(const pss_order_data *d, pss_jsonc *c);
/* "done" is never stored: a paid order of a closed session reads as done. */
void pss__order_check_state(pss_jr *r, pss_order_state state);

#endif
