/* input.h: the inputs the generator makes and both the oracle and the driver read: actors,
 * lines, payments, orders, counts, cash movements and config descriptions, as plain data
 * (fixed buffers, a flag for NULL), with no library type in them. */
#ifndef MODEL_INPUT_H
#define MODEL_INPUT_H

#include <stdint.h>

#define G_STR 256      /* a string field (account names go up to 200 bytes and beyond) */
#define G_SHORT 48     /* ids, codes, names */
#define G_MAXL 8       /* lines per order */
#define G_MAXLT 9      /* taxes per line (9: one more than allowed, for the fault) */
#define G_MAXP 6       /* payments per submitted order */
#define G_MAXB 6       /* orders per batch */
#define G_MAXCM 4      /* method counts per count */
#define G_MAXCD 8      /* denominations per count */

#define M_UNSET INT64_MIN
#define M_AMAX INT64_C(1000000000000000)
#define M_QMAX INT64_C(1000000000000)
#define M_VMAX INT64_C(100000000000000000)

/* Roles, as in possession/common.h (kept apart so the oracle includes no library header). */
enum { R_NONE = 0, R_CASHIER = 1, R_MANAGER = 2, R_ADMIN = 3 };
/* Rounding rules, tax rounding, cash rounding scopes, method and cash kinds, as the API. */
enum { RD_HALF_UP = 1, RD_HALF_EVEN = 2, RD_UP = 3, RD_DOWN = 4 };
enum { TR_LINE = 1, TR_ORDER = 2 };
enum { CR_OFF = 0, CR_CASH = 1, CR_ALL = 2 };
enum { MK_CASH = 1, MK_CARD = 2, MK_OTHER = 3 };
enum { CK_IN = 1, CK_OUT = 2, CK_EXPENSE = 3, CK_CORRECTION = 4 };
/* Session, order and payment states, as the API. */
enum { SS_NEW = 1, SS_OPENING = 2, SS_PROGRESS = 3, SS_CLOSING = 4, SS_CLOSED = 5 };
enum { OS_DRAFT = 1, OS_PAID = 2, OS_DONE = 3, OS_CANCELLED = 4 };
enum { PS_PENDING = 1, PS_DONE = 2, PS_FAILED = 3, PS_VOIDED = 4 };
/* Error codes, as possession/common.h. */
enum {
    E_OK = 0, E_INVAL = -1, E_NOMEM = -2, E_NOTFOUND = -3, E_EXISTS = -4, E_STATE = -5,
    E_ACCESS = -6, E_LOCKED = -7, E_OVERFLOW = -8, E_CONFLICT = -9, E_CLOSED = -10,
    E_PENDING = -11, E_PAYPENDING = -12, E_LIMIT = -13, E_UNBALANCED = -14, E_CORRUPT = -15,
    E_STORAGE = -16, E_VERSION = -17, E_BUSY = -18, E_CONFIG = -19, E_REFUND = -20,
    E_OVERPAY = -21, E_MISMATCH = -22, E_IO = -23, E_DRAWER = -24
};
#define E_NCODES 25    /* 0 and the refusals down to E_DRAWER, for the statistics */
/* Late-order policies, as pss_late_orders. */
enum { LATE_ROUTE = 1, LATE_RESCUE = 2, LATE_REFUSE = 3 };

/* A string that may be NULL. */
typedef struct g_str {
    int null;
    char s[G_STR];
} g_str;

typedef struct g_actor {
    int null;          /* the actor pointer itself is NULL */
    int version;       /* 1, or a wrong one */
    g_str user;
    int role;
    g_str device;
} g_actor;

typedef struct g_line {
    g_str product, name, category;
    int64_t quantity, unit_price, discount_ppm;
    int n_taxes;
    char taxes[G_MAXLT][G_SHORT];
    int64_t refund_line;   /* -1 for a sale line */
} g_line;

typedef struct g_pay {
    g_str method;
    int64_t amount;
    int state;             /* 0, or PS_DONE / PS_PENDING (submit) */
    g_str reference;
} g_pay;

typedef struct g_order {
    g_str id, refund_of, note;
    int invoiced;
    int n_lines;
    g_line lines[G_MAXL];
    int n_payments;
    g_pay payments[G_MAXP];
    int64_t disc_amount, disc_ppm;   /* the order discount (version 2) */
    g_str customer, return_reason;   /* "" is NULL (convert.c) */
    int meta;                        /* host metadata: 0 none, else a text of the pool */
} g_order;

typedef struct g_denom {
    int64_t value, count;
} g_denom;

typedef struct g_count {
    int64_t cash_total;    /* M_UNSET when by denomination */
    int n_denoms;          /* -1: denominations pointer NULL */
    g_denom denoms[G_MAXCD];
    int n_methods;
    char methods[G_MAXCM][G_SHORT];
    int64_t method_amounts[G_MAXCM];
} g_count;

typedef struct g_cash {
    g_str id;
    int kind;
    int64_t amount;
    g_str reason, account;
    int meta;              /* host metadata: 0 none, else a text of the pool */
} g_cash;

/* Host metadata texts (oracle_meta.c): a pool the inputs refer to by number, 0 for none. */
int meta_intern(const char *text);
const char *meta_text(int id);
void meta_reset(void);

int g_str_eq(const g_str *a, const g_str *b);
void g_str_set(g_str *d, const char *s);
int g_order_eq(const g_order *a, const g_order *b);

#endif
