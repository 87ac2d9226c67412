/* names.h: the text names of enums as they appear in payloads, audit entries and reports. */
#ifndef PSS_NAMES_H
#define PSS_NAMES_H

#include <stdbool.h>
#include "base/internal.h"

typedef struct pss__name {
    int value;
    const char *name;
} pss__name;

extern const pss__name pss__role_names[];
extern const pss__name pss__rounding_names[];
extern const pss__name pss__method_kind_names[];
extern const pss__name pss__tax_rounding_names[];
extern const pss__name pss__cash_scope_names[];
extern const pss__name pss__session_state_names[];
extern const pss__name pss__order_state_names[];
extern const pss__name pss__payment_state_names[];
extern const pss__name pss__cash_kind_names[];
extern const pss__name pss__late_orders_names[];

/* "?" for unknown values. */
const char *pss__name_of(const pss__name *table, int value);
/* 0 and *value set, or PSS_ENOTFOUND. */
int pss__value_of(const pss__name *table, const char *name, int *value);
/* Whether value is one of the table's. */
bool pss__name_known(const pss__name *table, int value);

#endif
