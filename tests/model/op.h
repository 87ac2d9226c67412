/* op.h: one generated operation: which public call, through which context, by whom, on
 * what, with which input, and the one fault injected into it (if any). */
#ifndef MODEL_OP_H
#define MODEL_OP_H

#include <stddef.h>

#include "input.h"
#include "oracle.h"

enum op_kind {
    OP_CONFIG_SAVE, OP_CONFIG_UPDATE, OP_CONFIG_FORM,
    OP_CREATE, OP_START_OPENING, OP_OPEN, OP_TAKE_OVER, OP_HEARTBEAT, OP_START_CLOSING,
    OP_COUNT, OP_CLOSE, OP_REOPEN, OP_FORCE_CLOSE,
    OP_ORDER_CREATE, OP_ADD_LINE, OP_REMOVE_LINE, OP_ADD_PAYMENT, OP_CONFIRM, OP_FAIL,
    OP_VOID, OP_CANCEL, OP_VALIDATE, OP_INVOICED, OP_SUBMIT, OP_BATCH,
    OP_CASH_MOVE, OP_CASH_VOID, OP_META_SET, OP_META_GET, OP_LIST,
    OP_RESUME, OP_CLOCK, OP_NULL_HANDLE,
    OP_N
};

/* What an OP_LIST lists: every page of a query in turn, one page after a cursor, a session's
 * orders, a config's sessions in creation order. */
enum { LK_WALK, LK_AFTER, LK_ORDERS, LK_ALL };

/* Which input struct carries a wrong version (EVERSION). */
enum { BV_NONE, BV_INPUT, BV_LINE, BV_PAYMENT };

typedef struct op {
    int kind;
    int ctx;                 /* 0 or 1: the context the call goes through; -1: the home one */
    g_actor actor;
    int session, order;      /* oracle indexes, or -1 */
    int64_t index;           /* line or payment index */
    g_str str;               /* reason, movement id, operating date */
    g_str note;              /* the note of an opening, a count or a close (NULL: none) */
    int flag;                /* invoiced flag, void_pending */
    int64_t amount;          /* opening count, force-close count */
    int null_input;          /* the input struct pointer is NULL */
    int bad_version;         /* BV_* */
    int null_handle;         /* the handle is NULL */
    int n_orders;
    g_order orders[G_MAXB];  /* create, add_line (lines[0]), submit, batch */
    g_pay pay;
    g_count count;
    g_cash cash;
    m_config config;
    uint64_t loaded_rev;
    int is_new;
    int form_call;           /* OP_CONFIG_FORM: the construction call expected to fail */
    int keep;                /* OP_CONFIG_UPDATE: the handle becomes the kept one */
    m_config before;         /* OP_CONFIG_UPDATE: the config the handle held */
    int64_t clock_ms;
    char config_id[G_SHORT];
    char session_id[G_SHORT];
    int meta;                /* host metadata given (0: none; a text of the pool) */
    int v1;                  /* OP_CREATE, OP_CASH_MOVE: the input at version 1 (no meta) */
    int meta_kind;           /* OP_META_SET, OP_META_GET: the owner's kind (META_*) */
    g_str meta_id;           /* and its id */
    int meta_want;           /* OP_META_GET: the text the oracle expects (0: none) */
    int list_kind;           /* OP_LIST: LK_* */
    unsigned mask;           /* OP_LIST: the state mask */
    g_str from, to, after;   /* OP_LIST: the operating-date range and the cursor */
    int64_t limit;           /* OP_LIST: the page size */
    char fault[128];         /* what was injected, for the failure report */
} op;

const char *op_name(int kind);
void op_describe(const op *o, const model *m, char *buf, size_t size);

#endif
