/* names.c: enum <-> text tables; the text forms are part of the stored payload schema. */
#include "base/names.h"

#include <string.h>

#include "possession/cash.h"
#include "possession/config.h"
#include "possession/order.h"
#include "possession/session.h"

const pss__name pss__role_names[] = {
    {PSS_ROLE_NONE, "none"}, {PSS_ROLE_CASHIER, "cashier"}, {PSS_ROLE_MANAGER, "manager"},
    {PSS_ROLE_ADMIN, "admin"}, {0, NULL}};
const pss__name pss__rounding_names[] = {
    {PSS_ROUND_HALF_UP, "half_up"}, {PSS_ROUND_HALF_EVEN, "half_even"},
    {PSS_ROUND_UP, "up"}, {PSS_ROUND_DOWN, "down"}, {0, NULL}};
const pss__name pss__method_kind_names[] = {
    {PSS_METHOD_CASH, "cash"}, {PSS_METHOD_CARD, "card"}, {PSS_METHOD_OTHER, "other"}, {0, NULL}};
const pss__name pss__tax_rounding_names[] = {
    {PSS_TAX_ROUND_PER_LINE, "per_line"}, {PSS_TAX_ROUND_PER_ORDER, "per_order"}, {0, NULL}};
const pss__name pss__cash_scope_names[] = {
    {PSS_CASH_ROUNDING_OFF, "off"}, {PSS_CASH_ROUNDING_CASH, "cash"},
    {PSS_CASH_ROUNDING_ALL, "all"}, {0, NULL}};
const pss__name pss__session_state_names[] = {
    {PSS_SESSION_NEW, "new"}, {PSS_SESSION_OPENING_CONTROL, "opening_control"},
    {PSS_SESSION_IN_PROGRESS, "in_progress"}, {PSS_SESSION_CLOSING_CONTROL, "closing_control"},
    {PSS_SESSION_CLOSED, "closed"}, {0, NULL}};
const pss__name pss__order_state_names[] = {
    {PSS_ORDER_DRAFT, "draft"}, {PSS_ORDER_PAID, "paid"}, {PSS_ORDER_DONE, "done"},
    {PSS_ORDER_CANCELLED, "cancelled"}, {0, NULL}};
const pss__name pss__payment_state_names[] = {
    {PSS_PAYMENT_PENDING, "pending"}, {PSS_PAYMENT_DONE, "done"},
    {PSS_PAYMENT_FAILED, "failed"}, {PSS_PAYMENT_VOIDED, "voided"}, {0, NULL}};
const pss__name pss__cash_kind_names[] = {
    {PSS_CASH_IN, "in"}, {PSS_CASH_OUT, "out"}, {PSS_CASH_EXPENSE, "expense"},
    {PSS_CASH_CORRECTION, "correction"}, {0, NULL}};
const pss__name pss__late_orders_names[] = {
    {PSS_LATE_ROUTE, "route"}, {PSS_LATE_RESCUE, "rescue"}, {PSS_LATE_REFUSE, "refuse"},
    {0, NULL}};

const char *pss__name_of(const pss__name *table, int value)
{
    for (; table->name; table++)
        if (table->value == value)
            return table->name;
    return "?";
}

bool pss__name_known(const pss__name *table, int value)
{
    for (; table->name; table++)
        if (table->value == value)
            return true;
    return false;
}

int pss__value_of(const pss__name *table, const char *name, int *value)
{
    for (; name && table->name; table++) {
        if (strcmp(table->name, name) == 0) {
            *value = table->value;
            return 0;
        }
    }
    return PSS_ENOTFOUND;
}

const char *pss_session_state_name(pss_session_state state)
{
    return pss__name_of(pss__session_state_names, state);
}
