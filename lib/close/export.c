/* export.c: journal entries as text accountants' tools read: ledger/hledger journal
 * transactions and RFC 4180 CSV rows, for one entry or every entry of a config in a date
 * range. */
#include "close/journal_internal.h"

#include <stdio.h>
#include <string.h>

#include "base/money_internal.h"
#include "store/store.h"
#include "store/records.h"

static int flush(pss_ctx *ctx, pss__strbuf *b, pss_write_fn fn, void *userdata)
{
    if (b->failed)
        return pss__oom(ctx);
    int rc = b->len && fn(userdata, b->data, b->len) != 0
                 ? pss__fail(ctx, PSS_EIO, "the export writer reported a failure")
                 : 0;
    pss__strbuf_reset(b);
    return rc;
}

/* ---- ledger ---- */

static void ledger_amount(pss__strbuf *b, const pss_entry *e, int64_t amount)
{
    char buf[PSS_MONEY_BUFSIZE];
    pss__strbuf_printf(b, "%s %s", e->currency, pss__fmt(buf, amount, e->exponent));
}

static void ledger_entry(pss__strbuf *b, const pss_entry *e)
{
    if (e->n_lines == 0)
        return; /* nothing posted: no empty transaction in the accountant's ledger */
    pss__strbuf_printf(b, "%s %s  ; session:%s, entry:%s\n", e->date, e->reference,
                      e->session_id, e->id);
    for (size_t i = 0; i < e->n_lines; i++) {
        const pss_jline *l = &e->lines[i];
        pss__strbuf_printf(b, "    %s  ", l->account);
        ledger_amount(b, e, l->debit ? l->debit : -l->credit);
        pss__strbuf_printf(b, "  ; %s\n", l->label);
    }
    pss__strbuf_puts(b, "\n");
}

int pss_journal_write_ledger(const pss_entry *e, pss_write_fn fn, void *userdata)
{
    if (!e || !fn)
        return PSS_EINVAL;
    pss__clear(e->ctx);
    pss__strbuf b;
    pss__strbuf_init(&b, e->ctx->alloc);
    ledger_entry(&b, e);
    int rc = flush(e->ctx, &b, fn, userdata);
    pss__strbuf_free(&b);
    return rc;
}

/* ---- CSV ---- */

static void csv_field(pss__strbuf *b, const char *s, bool last)
{
    s = s ? s : "";
    if (strpbrk(s, ",\"\r\n")) {
        pss__strbuf_puts(b, "\"");
        for (; *s; s++) {
            if (*s == '"')
                pss__strbuf_puts(b, "\"");
            pss__strbuf_add(b, s, 1);
        }
        pss__strbuf_puts(b, "\"");
    } else {
        pss__strbuf_puts(b, s);
    }
    pss__strbuf_puts(b, last ? "\r\n" : ",");
}

static void csv_header(pss__strbuf *b)
{
    pss__strbuf_puts(b, "entry_id,date,reference,account,debit,credit,currency,kind,label,"
                       "method,tax\r\n");
}

static void csv_entry(pss__strbuf *b, const pss_entry *e)
{
    for (size_t i = 0; i < e->n_lines; i++) {
        const pss_jline *l = &e->lines[i];
        char debit[PSS_MONEY_BUFSIZE] = "", credit[PSS_MONEY_BUFSIZE] = "";
        if (l->debit)
            pss__fmt(debit, l->debit, e->exponent);
        if (l->credit)
            pss__fmt(credit, l->credit, e->exponent);
        csv_field(b, e->id, false);
        csv_field(b, e->date, false);
        csv_field(b, e->reference, false);
        csv_field(b, l->account, false);
        csv_field(b, debit, false);
        csv_field(b, credit, false);
        csv_field(b, e->currency, false);
        csv_field(b, l->kind, false);
        csv_field(b, l->label, false);
        csv_field(b, l->method, false);
        csv_field(b, l->tax, true);
    }
}

int pss_journal_write_csv(const pss_entry *e, int header, pss_write_fn fn, void *userdata)
{
    if (!e || !fn)
        return PSS_EINVAL;
    pss__clear(e->ctx);
    pss__strbuf b;
    pss__strbuf_init(&b, e->ctx->alloc);
    if (header)
        csv_header(&b);
    csv_entry(&b, e);
    int rc = flush(e->ctx, &b, fn, userdata);
    pss__strbuf_free(&b);
    return rc;
}

/* ---- ranges ---- */

typedef struct range_scan {
    pss_ctx *ctx;
    const char *from, *to;
    bool csv;
    pss__strbuf buf;
    pss_write_fn fn;
    void *userdata;
} range_scan;

static int on_range_entry(const pss_record *rec, void *arg)
{
    range_scan *rs = arg;
    pss_entry *e;
    int rc = pss__entry_decode(rs->ctx, rec, &e);
    if (rc)
        return rc;
    bool in_range = (!rs->from || strcmp(e->date, rs->from) >= 0) &&
                    (!rs->to || strcmp(e->date, rs->to) <= 0);
    if (in_range && rs->csv)
        csv_entry(&rs->buf, e);
    else if (in_range)
        ledger_entry(&rs->buf, e);
    pss_entry_free(e);
    return in_range ? flush(rs->ctx, &rs->buf, rs->fn, rs->userdata) : 0;
}

static int write_range(pss_ctx *ctx, const char *config_id, const char *from, const char *to,
                       pss_write_fn fn, void *userdata, bool csv)
{
    if (!ctx)
        return PSS_EINVAL;
    pss__clear(ctx);
    char id[PSS_ID_SIZE];
    int rc = pss__check_id(ctx, "config id", config_id, id);
    if (rc || (from && (rc = pss__check_date(ctx, "from date", from))) ||
        (to && (rc = pss__check_date(ctx, "to date", to))))
        return rc;
    if (!fn)
        return pss__fail(ctx, PSS_EINVAL, "the writer callback is NULL");
    range_scan rs = {ctx, from, to, csv, {0}, fn, userdata};
    pss__strbuf_init(&rs.buf, ctx->alloc);
    if (csv)
        csv_header(&rs.buf);
    if (!(rc = flush(ctx, &rs.buf, fn, userdata)) && !(rc = pss__txn_begin(ctx, false)))
        rc = pss__txn_end(ctx, pss__scan(ctx, PSS__KIND_ENTRY, id, on_range_entry, &rs));
    pss__strbuf_free(&rs.buf);
    return rc;
}

int pss_journal_write_ledger_range(pss_ctx *ctx, const char *config_id, const char *from,
                                   const char *to, pss_write_fn fn, void *userdata)
{
    return write_range(ctx, config_id, from, to, fn, userdata, false);
}

int pss_journal_write_csv_range(pss_ctx *ctx, const char *config_id, const char *from,
                                const char *to, pss_write_fn fn, void *userdata)
{
    return write_range(ctx, config_id, from, to, fn, userdata, true);
}
