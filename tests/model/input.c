/* input.c: comparing and setting the plain input structs (the order content that makes a
 * submit a duplicate or a conflict). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "input.h"

int g_str_eq(const g_str *a, const g_str *b)
{
    if (a->null || b->null)
        return a->null == b->null;
    return strcmp(a->s, b->s) == 0;
}

void g_str_set(g_str *d, const char *s)
{
    d->null = s == NULL;
    snprintf(d->s, sizeof d->s, "%s", s ? s : "");
}

static int line_eq(const g_line *a, const g_line *b)
{
    if (!g_str_eq(&a->product, &b->product) || !g_str_eq(&a->name, &b->name) ||
        !g_str_eq(&a->category, &b->category))
        return 0;
    if (a->quantity != b->quantity || a->unit_price != b->unit_price ||
        a->discount_ppm != b->discount_ppm || a->refund_line != b->refund_line ||
        a->n_taxes != b->n_taxes)
        return 0;
    for (int k = 0; k < a->n_taxes; k++)
        if (strcmp(a->taxes[k], b->taxes[k]) != 0)
            return 0;
    return 1;
}

static int pay_eq(const g_pay *a, const g_pay *b)
{
    return g_str_eq(&a->method, &b->method) && a->amount == b->amount &&
           a->state == b->state && g_str_eq(&a->reference, &b->reference);
}

/* The same order content: what makes a resubmit a duplicate. */
/* An optional text of the order, where "" is NULL (convert.c). */
static int opt_eq(const g_str *a, const g_str *b)
{
    const char *x = a->null ? "" : a->s, *y = b->null ? "" : b->s;
    return strcmp(x, y) == 0;
}

int g_order_eq(const g_order *a, const g_order *b)
{
    if (strcasecmp(a->id.s, b->id.s) != 0 || a->id.null != b->id.null ||
        !g_str_eq(&a->refund_of, &b->refund_of) || !g_str_eq(&a->note, &b->note) ||
        (a->invoiced != 0) != (b->invoiced != 0) || a->n_lines != b->n_lines ||
        a->n_payments != b->n_payments || a->disc_amount != b->disc_amount ||
        a->disc_ppm != b->disc_ppm || !opt_eq(&a->customer, &b->customer) ||
        !opt_eq(&a->return_reason, &b->return_reason))
        return 0;
    for (int i = 0; i < a->n_lines; i++)
        if (!line_eq(&a->lines[i], &b->lines[i]))
            return 0;
    for (int i = 0; i < a->n_payments; i++)
        if (!pay_eq(&a->payments[i], &b->payments[i]))
            return 0;
    return 1;
}
