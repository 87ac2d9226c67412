/* journal_internal.h: a journal entry's layout, its building from a session's running
 * totals, and its record. */
#ifndef PSS_JOURNAL_INTERNAL_H
#define PSS_JOURNAL_INTERNAL_H

#include "session/stage.h"

typedef struct pss_jline {
    char *account;
    int64_t debit, credit;
    char *label;
    const char *kind; /* static */
    char *method;
    char *tax;
    char *partner; /* the customer of a split receivable line, else NULL */
} pss_jline;

typedef struct pss_jproduct {
    char *product_id;
    char *name;
    int64_t quantity;
} pss_jproduct;

struct pss_entry {
    pss_ctx *ctx;
    char id[PSS_ID_SIZE];
    char session_id[PSS_ID_SIZE];
    char config_id[PSS_ID_SIZE];
    char reference[64];
    char date[PSS_DATE_SIZE];
    char currency[4];
    int exponent;
    int64_t posted_at;
    pss_jline *lines;
    size_t n_lines, cap_lines;
    pss_jproduct *products;
    size_t n_products, cap_products;
    int64_t debits, credits;
};

/* The closing figures per counted method, computed once for close, report and posting. */
typedef struct pss_method_figures {
    const pss_method *method;
    int64_t amount, change, net, payments;
    int64_t expected;
    int64_t counted; /* PSS_UNSET when not counted */
    int64_t difference;
} pss_method_figures;

/* Builds the entry of a session being closed: staged core (with counted cash set) and the
 * running totals as the stage leaves them. Checks the balance (PSS_EUNBALANCED). */
int pss__entry_build(pss_stage *st, const pss_method_figures *methods, size_t n_methods,
                     pss_entry **out);
int pss__entry_put(pss_ctx *ctx, const pss_entry *e, pss__strbuf *buf);
int pss__entry_read(pss_ctx *ctx, const char *id, pss_entry **out);
int pss__entry_decode(pss_ctx *ctx, const pss_record *rec, pss_entry **out);

/* Per-method figures of a session (every config method; figures.c); st may be NULL. */
int pss__method_figures(pss_session *s, pss_stage *st, const pss_session_core *core,
                        pss_method_figures **out, size_t *n);

#endif
