/* custom_store.c: the smallest honest storage a vendor could start from. It keeps everything
 * in plain arrays and makes transactions by snapshot: begin copies the state, rollback puts
 * the copy back, commit drops it. Every callback's comment says what the contract asks of it
 * (include/possession/storage.h has the full text, doc/writing-a-store.md the guide).
 *
 * To put your own database behind libpossession, keep the shape and replace the arrays with
 * your tables: records(kind, id, parent, rev, payload), claims(key, owner) and an audit
 * table with an increasing sequence. This one serves one context at a time; a store shared by
 * several contexts must serialize their write transactions (a lock held from begin to commit,
 * or your database's own write lock). */
#include <possession.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct record {
    char *kind, *id, *parent, *payload;
    size_t payload_len;
    uint64_t rev;
} record;

typedef struct claim {
    char *key, *owner;
} claim;

typedef struct audit_entry {
    uint64_t seq;
    char *subject, *payload;
    size_t payload_len;
} audit_entry;

typedef struct state {
    record *records;
    size_t n_records;
    claim *claims;
    size_t n_claims;
    audit_entry *audit;
    size_t n_audit;
    uint64_t next_seq;
} state;

typedef struct custom_store {
    pss_storage table;
    state now;
    state saved; /* the snapshot taken by begin */
    int in_txn;
} custom_store;

static char *dup_n(const char *s, size_t n)
{
    char *copy = malloc(n + 1);
    if (copy) {
        memcpy(copy, s, n);
        copy[n] = '\0';
    }
    return copy;
}

static char *dup(const char *s)
{
    return dup_n(s, strlen(s));
}

static void state_free(state *st)
{
    for (size_t i = 0; i < st->n_records; i++) {
        record *r = &st->records[i];
        free(r->kind), free(r->id), free(r->parent), free(r->payload);
    }
    for (size_t i = 0; i < st->n_claims; i++)
        free(st->claims[i].key), free(st->claims[i].owner);
    for (size_t i = 0; i < st->n_audit; i++)
        free(st->audit[i].subject), free(st->audit[i].payload);
    free(st->records), free(st->claims), free(st->audit);
    memset(st, 0, sizeof *st);
}

/* A deep copy (the snapshot). Returns 0 or PSS_ENOMEM. */
static int state_copy(state *dst, const state *src)
{
    memset(dst, 0, sizeof *dst);
    dst->next_seq = src->next_seq;
    dst->records = calloc(src->n_records + 1, sizeof *dst->records);
    dst->claims = calloc(src->n_claims + 1, sizeof *dst->claims);
    dst->audit = calloc(src->n_audit + 1, sizeof *dst->audit);
    if (!dst->records || !dst->claims || !dst->audit)
        goto oom;
    /* each count grows before its copy, so that a half-made copy is freed too */
    for (size_t i = 0; i < src->n_records; i++) {
        const record *r = &src->records[i];
        record *d = &dst->records[dst->n_records++];
        *d = (record){dup(r->kind), dup(r->id), dup(r->parent),
                      dup_n(r->payload, r->payload_len), r->payload_len, r->rev};
        if (!d->kind || !d->id || !d->parent || !d->payload)
            goto oom;
    }
    for (size_t i = 0; i < src->n_claims; i++) {
        claim *d = &dst->claims[dst->n_claims++];
        *d = (claim){dup(src->claims[i].key), dup(src->claims[i].owner)};
        if (!d->key || !d->owner)
            goto oom;
    }
    for (size_t i = 0; i < src->n_audit; i++) {
        const audit_entry *e = &src->audit[i];
        audit_entry *d = &dst->audit[dst->n_audit++];
        *d = (audit_entry){e->seq, dup(e->subject), dup_n(e->payload, e->payload_len),
                           e->payload_len};
        if (!d->subject || !d->payload)
            goto oom;
    }
    return 0;
oom:
    state_free(dst);
    return PSS_ENOMEM;
}

/* begin: open a transaction. With PSS_TXN_WRITE it will write and must not interleave with
 * another writer; this store serves one context, so there is nobody to wait for. */
static int cs_begin(void *ud, unsigned flags)
{
    custom_store *s = ud;
    (void)flags;
    if (s->in_txn)
        return PSS_ESTORAGE; /* the library never nests; refusing keeps bugs visible */
    int rc = state_copy(&s->saved, &s->now);
    if (!rc)
        s->in_txn = 1;
    return rc;
}

/* commit: make everything since begin durable and visible. A real store writes here. */
static int cs_commit(void *ud)
{
    custom_store *s = ud;
    state_free(&s->saved);
    s->in_txn = 0;
    return 0;
}

/* rollback: undo everything since begin. It must not fail in a way that keeps changes. */
static int cs_rollback(void *ud)
{
    custom_store *s = ud;
    if (s->in_txn) {
        state_free(&s->now);
        s->now = s->saved;
        memset(&s->saved, 0, sizeof s->saved);
        s->in_txn = 0;
    }
    return 0;
}

static record *find(state *st, const char *kind, const char *id)
{
    for (size_t i = 0; i < st->n_records; i++)
        if (strcmp(st->records[i].kind, kind) == 0 && strcmp(st->records[i].id, id) == 0)
            return &st->records[i];
    return NULL;
}

static pss_record view(const record *r)
{
    pss_record v = {r->kind, r->id, r->parent, r->rev, r->payload, r->payload_len};
    return v;
}

/* get: pass the record to fn, or say PSS_ENOTFOUND. fn's non-zero result is returned. */
static int cs_get(void *ud, const char *kind, const char *id, pss_record_fn fn, void *arg)
{
    custom_store *s = ud;
    record *r = find(&s->now, kind, id);
    if (!r)
        return PSS_ENOTFOUND;
    pss_record v = view(r);
    return fn(&v, arg);
}

/* put: compare-and-swap on the revision. expected_rev 0 creates (the record must not exist);
 * otherwise the stored revision must be expected_rev. Any mismatch is PSS_ECONFLICT. */
static int cs_put(void *ud, const pss_record *in, uint64_t expected_rev, uint64_t *new_rev)
{
    custom_store *s = ud;
    record *r = find(&s->now, in->kind, in->id);
    if ((expected_rev == 0) != (r == NULL) || (r && r->rev != expected_rev))
        return PSS_ECONFLICT;
    char *payload = dup_n(in->payload, in->payload_len), *parent = dup(in->parent);
    if (!payload || !parent) {
        free(payload), free(parent);
        return PSS_ENOMEM;
    }
    if (!r) {
        record *grown = realloc(s->now.records, (s->now.n_records + 1) * sizeof *grown);
        char *kind = dup(in->kind), *id = dup(in->id);
        if (!grown || !kind || !id) {
            if (grown)
                s->now.records = grown;
            free(payload), free(parent), free(kind), free(id);
            return PSS_ENOMEM;
        }
        s->now.records = grown;
        r = &s->now.records[s->now.n_records++];
        *r = (record){kind, id, NULL, NULL, 0, 0};
    }
    free(r->payload), free(r->parent);
    r->payload = payload;
    r->payload_len = in->payload_len;
    r->parent = parent;
    *new_rev = ++r->rev;
    return 0;
}

/* scan: every record of a kind with the given parent, in the order they were created (the
 * array keeps creation order). fn's non-zero result stops the scan and is returned. */
static int cs_scan(void *ud, const char *kind, const char *parent, pss_record_fn fn, void *arg)
{
    custom_store *s = ud;
    for (size_t i = 0; i < s->now.n_records; i++) {
        record *r = &s->now.records[i];
        if (strcmp(r->kind, kind) != 0 || strcmp(r->parent, parent) != 0)
            continue;
        pss_record v = view(r);
        int rc = fn(&v, arg);
        if (rc)
            return rc;
    }
    return 0;
}

static claim *find_claim(state *st, const char *key)
{
    for (size_t i = 0; i < st->n_claims; i++)
        if (strcmp(st->claims[i].key, key) == 0)
            return &st->claims[i];
    return NULL;
}

/* claim: take a unique key for owner; the same owner again is fine; another owner gets
 * PSS_EEXISTS and the holder's name. This is what makes "one open session per config"
 * race-free: the claim happens inside the opening transaction. */
static int cs_claim(void *ud, const char *key, const char *owner, char *holder, size_t size)
{
    custom_store *s = ud;
    claim *c = find_claim(&s->now, key);
    if (c && strcmp(c->owner, owner) != 0) {
        snprintf(holder, size, "%s", c->owner);
        return PSS_EEXISTS;
    }
    if (c)
        return 0;
    claim *grown = realloc(s->now.claims, (s->now.n_claims + 1) * sizeof *grown);
    if (!grown)
        return PSS_ENOMEM;
    s->now.claims = grown;
    claim *added = &s->now.claims[s->now.n_claims];
    *added = (claim){dup(key), dup(owner)};
    if (!added->key || !added->owner) {
        free(added->key), free(added->owner);
        return PSS_ENOMEM;
    }
    s->now.n_claims++;
    return 0;
}

/* release: give a key back; only its owner may (PSS_ECONFLICT), a free key is PSS_ENOTFOUND. */
static int cs_release(void *ud, const char *key, const char *owner)
{
    custom_store *s = ud;
    claim *c = find_claim(&s->now, key);
    if (!c)
        return PSS_ENOTFOUND;
    if (strcmp(c->owner, owner) != 0)
        return PSS_ECONFLICT;
    free(c->key), free(c->owner);
    *c = s->now.claims[--s->now.n_claims];
    return 0;
}

/* lookup: who holds a key, or PSS_ENOTFOUND. */
static int cs_lookup(void *ud, const char *key, char *holder, size_t size)
{
    custom_store *s = ud;
    claim *c = find_claim(&s->now, key);
    if (!c)
        return PSS_ENOTFOUND;
    snprintf(holder, size, "%s", c->owner);
    return 0;
}

/* append: add to the audit trail with a strictly increasing sequence number. Entries are
 * never changed; like everything else, an append is undone by rollback. */
static int cs_append(void *ud, const char *subject, const char *payload, size_t len,
                     uint64_t *seq)
{
    custom_store *s = ud;
    audit_entry *grown = realloc(s->now.audit, (s->now.n_audit + 1) * sizeof *grown);
    if (!grown)
        return PSS_ENOMEM;
    s->now.audit = grown;
    audit_entry *e = &s->now.audit[s->now.n_audit];
    *e = (audit_entry){++s->now.next_seq, dup(subject), dup_n(payload, len), len};
    if (!e->subject || !e->payload) {
        free(e->subject), free(e->payload);
        s->now.next_seq--;
        return PSS_ENOMEM;
    }
    *seq = e->seq;
    s->now.n_audit++;
    return 0;
}

/* audit_scan: entries after after_seq about subject (NULL: all), in sequence order. */
static int cs_audit_scan(void *ud, const char *subject, uint64_t after_seq, pss_audit_fn fn,
                         void *arg)
{
    custom_store *s = ud;
    for (size_t i = 0; i < s->now.n_audit; i++) {
        audit_entry *e = &s->now.audit[i];
        if (e->seq <= after_seq || (subject && strcmp(e->subject, subject) != 0))
            continue;
        pss_audit_item item = {e->seq, e->subject, e->payload, e->payload_len};
        int rc = fn(&item, arg);
        if (rc)
            return rc;
    }
    return 0;
}

/* free: release everything; called by pss_storage_free() after every context is gone. */
static void cs_free(void *ud)
{
    custom_store *s = ud;
    state_free(&s->now);
    state_free(&s->saved);
    free(s);
}

static pss_storage *custom_store_new(void)
{
    custom_store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    pss_storage init = PSS_STORAGE_INIT;
    s->table = init;
    s->table.userdata = s;
    s->table.begin = cs_begin;
    s->table.commit = cs_commit;
    s->table.rollback = cs_rollback;
    s->table.get = cs_get;
    s->table.put = cs_put;
    s->table.scan = cs_scan;
    s->table.claim = cs_claim;
    s->table.release = cs_release;
    s->table.lookup = cs_lookup;
    s->table.append = cs_append;
    s->table.audit_scan = cs_audit_scan;
    s->table.free = cs_free;
    return &s->table;
}

/* ---- a short session on it ---- */

static int check(pss_ctx *ctx, int rc, const char *what)
{
    if (rc)
        fprintf(stderr, "custom_store: %s: %s\n", what, pss_ctx_errmsg(ctx));
    return rc;
}

static int day(pss_ctx *ctx)
{
    const pss_actor kim = {PSS_ACTOR_VERSION, "kim", PSS_ROLE_MANAGER, "till"};
    pss_config_input in = PSS_CONFIG_INPUT_INIT;
    in.name = "Kiosk";
    in.code = "KIOSK";
    in.currency = "CHF";
    in.income_account = "3000 Sales";
    in.receivable_account = "1100 Receivables";
    in.difference_gain_account = "3800 Cash over";
    in.difference_loss_account = "6800 Cash short";
    in.cash_in_account = "1020 Bank";
    in.cash_out_account = "1020 Bank";
    pss_method_input cash = {PSS_METHOD_INPUT_VERSION, "Cash", PSS_METHOD_CASH, "1000 Cash", 0};
    pss_config *c = NULL;
    if (check(ctx, pss_config_new(ctx, &in, &c), "config") ||
        check(ctx, pss_config_add_method(c, &cash), "method") ||
        check(ctx, pss_config_save(c, &kim), "save config"))
        return 1;
    pss_session *s = NULL;
    pss_opening_input open = PSS_OPENING_INPUT_INIT;
    open.counted_cash = 0;
    int rc = check(ctx, pss_session_create(ctx, pss_config_id(c), &kim, NULL, &s), "create") ||
             check(ctx, pss_session_open(s, &kim, &open), "open");
    pss_line_input line = PSS_LINE_INPUT_INIT;
    line.product_id = "newspaper";
    line.unit_price = 450;
    pss_payment_input pay = PSS_PAYMENT_INPUT_INIT;
    pay.method = "Cash";
    pay.amount = 500;
    char id[PSS_ID_SIZE];
    pss_id_generate(id);
    pss_order_input order = PSS_ORDER_INPUT_INIT;
    order.id = id;
    order.lines = &line;
    order.n_lines = 1;
    order.payments = &pay;
    order.n_payments = 1;
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    count.cash_total = 450;
    rc = rc || check(ctx, pss_session_submit(s, &kim, &order, NULL), "sell") ||
         check(ctx, pss_session_start_closing(s, &kim), "start closing") ||
         check(ctx, pss_session_count(s, &kim, &count), "count") ||
         check(ctx, pss_session_close(s, &kim, NULL), "close") ||
         check(ctx, pss_session_verify(s), "verify");
    pss_entry *e = NULL;
    if (!rc && !check(ctx, pss_session_entry(s, &e), "entry")) {
        printf("Closed %s on a custom store; its entry posts %lld.%02lld CHF:\n",
               pss_session_name(s), (long long)(pss_entry_total(e) / 100),
               (long long)(pss_entry_total(e) % 100));
        for (size_t i = 0; i < pss_entry_line_count(e); i++) {
            pss_entry_line l = PSS_ENTRY_LINE_INIT;
            pss_entry_get_line(e, i, &l);
            printf("  %-12s %8lld %8lld  %s\n", l.account, (long long)l.debit,
                   (long long)l.credit, l.label);
        }
    }
    pss_entry_free(e);
    pss_session_free(s);
    pss_config_free(c);
    return rc || !e;
}

int main(void)
{
    pss_storage *store = custom_store_new();
    pss_ctx *ctx = NULL;
    if (!store || pss_ctx_new(&ctx, NULL) != 0)
        return 1;
    int rc = check(ctx, pss_ctx_set_storage(ctx, store), "set storage") || day(ctx);
    pss_ctx_free(ctx);
    pss_storage_free(store);
    return rc;
}
