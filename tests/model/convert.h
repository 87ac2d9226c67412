/* convert.h: turning the generator's plain inputs into the library's input structs (actors,
 * lines, payments, orders, counts, cash movements, configs), with the wrong versions a fault
 * asks for. The buffers live in the conversion struct. */
#ifndef MODEL_CONVERT_H
#define MODEL_CONVERT_H

#include <possession.h>

#include "input.h"
#include "oracle.h"

typedef struct conv_order {
    pss_order_input in;
    pss_line_input lines[G_MAXL];
    const char *taxes[G_MAXL][G_MAXLT];
    pss_payment_input pays[G_MAXP];
} conv_order;

const char *cv_str(const g_str *s);
const pss_actor *cv_actor(const g_actor *a, pss_actor *out);
void cv_line(const g_line *g, pss_line_input *l, const char **taxes, int bad_version);
void cv_pay(const g_pay *g, pss_payment_input *p, int bad_version);
void cv_order(const g_order *g, conv_order *c, int bad_input, int bad_line, int bad_pay);
void cv_count(const g_count *g, pss_count_input *c, pss_denomination_count *d,
              pss_method_count *m);
void cv_cash(const g_cash *g, pss_cash_input *c);
/* Builds a config; returns the first failing call's index as m_config_form names it (-1:
 * none) with its code in *rc, the config in *out (NULL when pss_config_new failed). */
int cv_config(pss_ctx *ctx, const m_config *c, pss_config **out, int *rc);
/* Adds to config the things `after` has beyond `before` (an update); returns the code. */
int cv_config_add(pss_config *config, const m_config *before, const m_config *after);

#endif
