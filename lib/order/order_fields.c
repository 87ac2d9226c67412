/* order_fields.c: what the writers and readers of every order record version share: the tax
 * table, the head fields they spell alike, copies into the order's pool. */
#include "order/order_fields.h"

#include <string.h>

#include "base/text.h"

static void table_add(tax_table *t, const tax_entry *e)
{
    if (t->n < PSS__TAX_TABLE_MAX && e->code && !pss__table_find(t, e->code))
        t->e[t->n++] = *e;
}

void pss__tax_table_build(const pss_order_data *d, bool groups, tax_table *t)
{
    t->n = 0;
    for (size_t i = 0; i < d->n_lines; i++)
        for (size_t k = 0; k < d->lines[i].n_taxes; k++) {
            tax_entry e = pss__line_entry(&d->lines[i].taxes[k]);
            table_add(t, &e);
        }
    for (size_t i = 0; groups && i < d->n_groups; i++)
        for (size_t k = 0; k < d->groups[i].n_taxes; k++) {
            tax_entry e = pss__group_entry(&d->groups[i].taxes[k]);
            table_add(t, &e);
        }
}

char *pss__order_pool_dup(pss_jr *r, pss__pool *pool, const char *s)
{
    if (r->rc || !s)
        return NULL;
    char *copy = pss__pool_strdup(r->ctx->alloc, pool, s);
    if (!copy)
        r->rc = pss__oom(r->ctx);
    return copy;
}

/* Version 3: the order discount as given, an amount or parts per million. */
static void decode_discount(pss_jr *r, json_t *doc, pss_order_data *d)
{
    json_t *disc = json_object_get(doc, "discount");
    if (!disc || r->rc)
        return;
    if (!json_is_object(disc)) {
        pss__jr_fail(r, "field 'discount' is not an object");
        return;
    }
    d->discount_amount = pss__jr_range_or(r, disc, "amount", 0, 0, PSS_AMOUNT_MAX);
    d->discount_ppm = pss__jr_range_or(r, disc, "ppm", 0, 0, 1000000);
    if (!r->rc && (d->discount_amount != 0) == (d->discount_ppm != 0))
        pss__jr_fail(r, "field 'discount' gives neither or both of amount and ppm");
}

void pss__order_check_state(pss_jr *r, pss_order_state state)
{
    if (!r->rc && state == PSS_ORDER_DONE)
        pss__jr_fail(r, "order state 'done' is never stored (paid orders of closed sessions)");
}

void pss__order_decode_common(pss_jr *r, json_t *doc, pss_order_data *d)
{
    d->invoiced = pss__jr_bool_or(r, doc, "invoiced", false);
    const char *refund_of = pss__jr_str_or_null(r, doc, "refund_of");
    d->refund_of[0] = '\0';
    if (!r->rc && refund_of && pss_id_normalize(refund_of, d->refund_of) != 0)
        pss__jr_fail(r, "field '%s' is not a UUID", "refund_of");
    d->note = pss__order_pool_dup(r, &d->pool, pss__jr_str_or_null(r, doc, "note"));
    decode_discount(r, doc, d);
    const char *customer = pss__jr_str_or_null(r, doc, "customer");
    if (!r->rc && customer && strlen(customer) > PSS_NAME_MAX)
        pss__jr_fail(r, "field 'customer' is too long");
    d->customer = customer && customer[0] ? pss__order_pool_dup(r, &d->pool, customer) : NULL;
    const char *why = pss__jr_str_or_null(r, doc, "return_reason");
    if (!r->rc && why && strlen(why) > PSS_NOTE_MAX)
        pss__jr_fail(r, "field 'return_reason' is too long");
    d->return_reason = why ? pss__order_pool_dup(r, &d->pool, why) : NULL;
}

void pss__order_encode_about(const pss_order_data *d, pss_jsonc *c)
{
    if (d->invoiced) /* absent reads as false */
        PSS_JSONC_LIT(c, ",\"invoiced\":true");
    if (d->refund_of[0]) { /* like category: written only when set */
        PSS_JSONC_LIT(c, ",\"refund_of\":");
        pss__jsonc_plain(c, d->refund_of, strlen(d->refund_of));
    }
    PSS_JSONC_OPT_STR(c, "note", d->note);
    PSS_JSONC_OPT_STR(c, "customer", d->customer);
    PSS_JSONC_OPT_STR(c, "return_reason", d->return_reason);
    if (d->discount_amount) {
        PSS_JSONC_LIT(c, ",\"discount\":{\"amount\":");
        pss__jsonc_int(c, d->discount_amount);
        PSS_JSONC_LIT(c, "}");
    } else if (d->discount_ppm) {
        PSS_JSONC_LIT(c, ",\"discount\":{\"ppm\":");
        pss__jsonc_int(c, d->discount_ppm);
        PSS_JSONC_LIT(c, "}");
    }
}
