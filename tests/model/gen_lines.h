/* gen_lines.h: order content generation shared by the order and submit generators. */
#ifndef MODEL_GEN_LINES_H
#define MODEL_GEN_LINES_H

#include "gen.h"

void gen_sale_line(gen *g, const m_session *s, g_line *l);
void gen_same_taxes(gen *g, g_line *l, const g_line *like);
const char *gen_line_fault(gen *g, const m_session *s, g_line *l);
void gen_refund_line(gen *g, const m_order *orig, g_line *l);
void gen_order_content(gen *g, const m_session *s, g_order *in);
const char *gen_order_fault(gen *g, const m_session *s, g_order *in);
void gen_submit_payments(gen *g, const m_session *s, g_order *in);
void gen_fit_line(gen *g, const m_session *s, const m_order *d, g_line *l);

#endif
