/* strlist.h: building the pss_strlist the API returns. */
#ifndef PSS_STRLIST_H
#define PSS_STRLIST_H

#include "base/internal.h"

int pss__strlist_new(pss_ctx *ctx, pss_strlist **out);
int pss__strlist_add(pss_strlist *list, const char *s);

#endif
