/* names.h: the text names of enums as they appear in payloads, audit entries and reports. */
#ifndef PSS_NAMES_H
#define PSS_NAMES_H

#include "internal.h"

typedef struct pss_name {
    int value;
    const char *name;
} pss_name;

extern const pss_name pss_role_names[];
extern const pss_name pss_rounding_names[];
extern const pss_name pss_method_kind_names[];
extern const pss_name pss_tax_rounding_names[];
extern const pss_name pss_cash_scope_names[];
extern const pss_name pss_session_state_names[];
extern const pss_name pss_order_state_names[];
extern const pss_name pss_payment_state_names[];
extern const pss_name pss_cash_kind_names[];

/* "?" for unknown values. */
const char *pss__name_of(const pss_name *table, int value);
/* 0 and *value set, or PSS_ENOTFOUND. */
int pss__value_of(const pss_name *table, const char *name, int *value);

#endif
