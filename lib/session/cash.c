/* cash.c: cash movements (in, out, expense, correction): checking them, their contribution
 * to the expected cash and to the posting, voiding while the session is open, listing. */
#include "session/stage.h"

#include <stdio.h>
#include <string.h>

#include "base/bounds.h"
#include "json/codec.h"
#include "json/jsonw.h"
#include "base/money_internal.h"
#include "base/names.h"
#include "store/store.h"
#include "store/records.h"
#include "store/meta_record.h"

typedef struct movement {
    char id[PSS_ID_SIZE];
    char session_id[PSS_ID_SIZE];
    pss_cash_kind kind;
    int64_t amount;
    char reason[PSS_NOTE_MAX + 1];
    char account[PSS_NAME_MAX + 1];
    char user[PSS_NAME_MAX + 1];
    int64_t time;
    bool voided;
    char void_reason[PSS_NOTE_MAX + 1];
    uint64_t rev;
} movement;

const char *pss_cash_kind_name(pss_cash_kind kind)
{
    return pss__name_of(pss__cash_kind_names, kind);
}

static int64_t *scalar_of(pss_scalars *t, pss_cash_kind kind)
{
    switch (kind) {
    case PSS_CASH_IN: return &t->cash_in;
    case PSS_CASH_OUT: return &t->cash_out;
    case PSS_CASH_EXPENSE: return &t->expenses;
    case PSS_CASH_CORRECTION: return &t->corrections;
    }
    return NULL;
}

/* What a movement adds to the session: its scalar and its (kind, account) posting total. */
static int movement_contrib(pss_stage *st, const movement *m, int sign)
{
    if (m->voided)
        return 0;
    int64_t amount = sign > 0 ? m->amount : -m->amount; /* never INT64_MIN: checked on input */
    int rc = pss__stage_add(st, scalar_of(&st->core.totals, m->kind), amount, "cash movements");
    if (!rc)
        rc = pss__stage_add(st, &st->core.totals.volume, sign * pss__magnitude(m->amount),
                            "volume");
    if (rc)
        return rc;
    int64_t d[PSS_TOTAL_VALUES] = {amount, sign, 0};
    return pss__stage_total(st, PSS_TOTAL_MOVE, pss_cash_kind_name(m->kind), m->account, NULL,
                             NULL, d);
}

/* ---- payload ---- */

static int movement_put(pss_stage *st, movement *m, uint64_t expected)
{
    pss_ctx *ctx = st->s->ctx;
    pss_jsonw w;
    pss__jsonw_begin(&w, st->buf);
    pss__jsonw_str(&w, "id", m->id);
    pss__jsonw_str(&w, "session", m->session_id);
    pss__jsonw_str(&w, "kind", pss_cash_kind_name(m->kind));
    pss__jsonw_int(&w, "amount", m->amount);
    pss__jsonw_str(&w, "reason", m->reason);
    pss__jsonw_str(&w, "account", m->account);
    pss__jsonw_str(&w, "user", m->user);
    pss__jsonw_int(&w, "time", m->time);
    pss__jsonw_bool(&w, "voided", m->voided);
    pss__jsonw_str(&w, "void_reason", m->voided ? m->void_reason : NULL);
    int rc = pss__jsonw_finish(ctx, &w);
    if (!rc)
        rc = pss__put(ctx, PSS__KIND_MOVEMENT, m->id, m->session_id, st->buf->data, st->buf->len, expected,
                      &m->rev);
    if (rc == PSS_ECONFLICT)
        rc = pss__fail(ctx, PSS_ECONFLICT, expected ? "cash movement %s changed underneath"
                                                    : "cash movement id %s already exists",
                       m->id);
    return rc;
}

static void copy_field(pss_jr *r, char *dst, size_t size, const char *src, const char *what)
{
    if (r->rc)
        return;
    if (strlen(src) >= size) {
        pss__jr_fail(r, "field '%s' is too long", what);
        return;
    }
    memcpy(dst, src, strlen(src) + 1);
}

static int movement_decode(pss_ctx *ctx, const pss_record *rec, movement *m)
{
    pss_jr r;
    json_t *doc = pss__jr_record(&r, ctx, PSS__KIND_MOVEMENT, rec);
    if (!doc)
        return r.rc;
    memset(m, 0, sizeof *m);
    copy_field(&r, m->id, sizeof m->id, pss__jr_str(&r, doc, "id"), "id");
    copy_field(&r, m->session_id, sizeof m->session_id, pss__jr_str(&r, doc, "session"),
               "session");
    m->kind = (pss_cash_kind)pss__jr_enum(&r, doc, "kind", pss__cash_kind_names);
    m->amount = pss__jr_amount(&r, doc, "amount");
    if (!r.rc && (m->amount == 0 || (m->kind != PSS_CASH_CORRECTION && m->amount < 0)))
        pss__jr_fail(&r, "a %s movement of %lld", pss_cash_kind_name(m->kind),
                     (long long)m->amount);
    copy_field(&r, m->reason, sizeof m->reason, pss__jr_str(&r, doc, "reason"), "reason");
    copy_field(&r, m->account, sizeof m->account, pss__jr_str(&r, doc, "account"), "account");
    copy_field(&r, m->user, sizeof m->user, pss__jr_str(&r, doc, "user"), "user");
    m->time = pss__jr_time(&r, doc, "time");
    m->voided = pss__jr_bool(&r, doc, "voided");
    const char *why = pss__jr_str_or_null(&r, doc, "void_reason");
    copy_field(&r, m->void_reason, sizeof m->void_reason, why ? why : "", "void_reason");
    json_decref(doc);
    m->rev = rec->rev;
    return r.rc;
}

static int decode_movement(pss_ctx *ctx, const pss_record *rec, void *out)
{
    return movement_decode(ctx, rec, out);
}

int pss__movement_session(pss_ctx *ctx, const char *id, char session_id[PSS_ID_SIZE])
{
    movement m;
    int rc = pss__get_decoded(ctx, PSS__KIND_MOVEMENT, id, decode_movement, &m);
    if (!rc)
        memcpy(session_id, m.session_id, PSS_ID_SIZE);
    return rc;
}

int pss__movement_contrib_record(pss_stage *st, const pss_record *rec)
{
    movement m;
    int rc = movement_decode(st->s->ctx, rec, &m);
    return rc ? rc : movement_contrib(st, &m, +1);
}

/* ---- record a movement ---- */

static int default_account(pss_ctx *ctx, const pss_config *cfg, const pss_cash_input *in,
                           const char **account)
{
    *account = in->account;
    if (*account && (*account)[0])
        return 0;
    switch (in->kind) {
    case PSS_CASH_IN: *account = cfg->accounts[PSS_ACC_CASH_IN]; break;
    case PSS_CASH_OUT: *account = cfg->accounts[PSS_ACC_CASH_OUT]; break;
    case PSS_CASH_EXPENSE: *account = cfg->accounts[PSS_ACC_EXPENSE]; break;
    case PSS_CASH_CORRECTION: *account = NULL; break;
    }
    if (*account)
        return 0;
    return pss__fail(ctx, PSS_ECONFIG, "%s movement needs a counterpart account: config '%s' "
                                       "has no default for it", pss_cash_kind_name(in->kind),
                     cfg->name);
}

static int check_cash_input(pss_ctx *ctx, const pss_config *cfg, const pss_cash_input *in)
{
    char a[PSS_MONEY_BUFSIZE];
    int rc = pss__check_version(ctx, in, in ? in->version : 0, PSS_CASH_INPUT_VERSION,
                                "pss_cash_input");
    if (rc || (rc = pss__check_text(ctx, "cash movement reason", in->reason, PSS_TEXT_REQUIRED,
                                    PSS_NOTE_MAX)) ||
        (in->version >= 2 && (rc = pss__check_meta(ctx, "movement meta", in->meta))) ||
        (rc = pss__check_account(ctx, "cash movement account", in->account, PSS_TEXT_OPTIONAL)))
        return rc;
    if (in->kind < PSS_CASH_IN || in->kind > PSS_CASH_CORRECTION)
        return pss__fail(ctx, PSS_EINVAL, "cash movement kind %d is not in, out, expense or "
                                          "correction", (int)in->kind);
    bool signed_ok = in->kind == PSS_CASH_CORRECTION;
    if (in->amount == 0 || in->amount == INT64_MIN || (!signed_ok && in->amount < 0))
        return pss__fail(ctx, PSS_EINVAL, "%s movement of %s: %s", pss_cash_kind_name(in->kind),
                         pss__fmt(a, in->amount, cfg->exponent),
                         signed_ok ? "a correction is not zero" : "the amount must be positive");
    char what[32];
    snprintf(what, sizeof what, "%s movement", pss_cash_kind_name(in->kind));
    if ((rc = pss__check_amount(ctx, what, in->amount, cfg->exponent)))
        return rc;
    if (!pss__config_cash_method(cfg))
        return pss__fail(ctx, PSS_ECONFIG, "config '%s' has no cash method: there is no drawer "
                                           "for cash movements", cfg->name);
    return 0;
}

typedef struct move_args {
    const pss_cash_input *in;
    char id[PSS_ID_SIZE];
} move_args;

static int audit_movement(pss_stage *st, const movement *m, const char *action,
                          const char *reason)
{
    pss__audit_extra x = {0};
    pss__extra_str(&x, "movement", m->id);
    pss__extra_str(&x, "kind", pss_cash_kind_name(m->kind));
    pss__extra_int(&x, "amount", m->amount);
    pss__extra_str(&x, "account", m->account);
    int rc = pss__audit_staged(st, action, reason, &x);
    return rc ? rc : pss__event(st->s->ctx, PSS_EVENT_CASH_MOVED, st->core.config_id,
                                st->core.id, NULL, NULL);
}

static int op_move(pss_stage *st, void *arg)
{
    move_args *a = arg;
    pss_ctx *ctx = st->s->ctx;
    const char *account;
    const pss_cash_input *in = a->in;
    int rc = check_cash_input(ctx, st->s->config, in);
    if (rc || (rc = default_account(ctx, st->s->config, in, &account)))
        return rc;
    if ((in->kind == PSS_CASH_OUT || in->kind == PSS_CASH_EXPENSE) &&
        (rc = pss__drawer_check_payout(ctx, st->s->config, &st->core,
                                       in->kind == PSS_CASH_OUT ? "cash out" : "expense",
                                       in->amount)))
        return rc;
    movement m;
    memset(&m, 0, sizeof m);
    memcpy(m.id, a->id, PSS_ID_SIZE);
    memcpy(m.session_id, st->core.id, PSS_ID_SIZE);
    m.kind = a->in->kind;
    m.amount = a->in->amount;
    snprintf(m.reason, sizeof m.reason, "%s", a->in->reason);
    snprintf(m.account, sizeof m.account, "%s", account);
    snprintf(m.user, sizeof m.user, "%s", st->actor->user);
    m.time = pss_ctx_now(ctx);
    if ((rc = movement_contrib(st, &m, +1)) || (rc = movement_put(st, &m, 0)))
        return rc;
    if (in->version >= 2 && in->meta &&
        (rc = pss__meta_put(ctx, PSS_META_MOVEMENT, m.id, in->meta, st->buf)))
        return rc;
    return audit_movement(st, &m, "cash.move", m.reason);
}

int pss_cash_move(pss_session *s, const pss_actor *actor, const pss_cash_input *in,
                  char id_out[PSS_ID_SIZE])
{
    if (!s)
        return PSS_EINVAL;
    pss_ctx *ctx = s->ctx;
    pss__clear(ctx);
    move_args a = {in, ""};
    int rc = pss__check_version(ctx, in, in ? in->version : 0, PSS_CASH_INPUT_VERSION,
                                "pss_cash_input");
    if (rc)
        return rc;
    if (in->id) {
        if ((rc = pss__check_id(ctx, "cash movement id", in->id, a.id)))
            return rc;
    } else {
        pss_id_generate(a.id);
    }
    pss_op op = {PSS_ACCESS_SUPERVISE, PSS__IN_PROGRESS,
                 "record a cash movement", op_move, &a};
    rc = pss__mutate(s, actor, &op);
    if (!rc && id_out)
        memcpy(id_out, a.id, PSS_ID_SIZE);
    return rc;
}

/* ---- void ---- */

typedef struct void_args {
    char id[PSS_ID_SIZE];
    const char *reason;
} void_args;


static int op_void(pss_stage *st, void *arg)
{
    void_args *a = arg;
    pss_ctx *ctx = st->s->ctx;
    movement m;
    int rc = pss__get_decoded(ctx, PSS__KIND_MOVEMENT, a->id, decode_movement, &m);
    if (rc == PSS_ENOTFOUND || (!rc && strcmp(m.session_id, st->core.id) != 0))
        return pss__fail(ctx, PSS_ENOTFOUND, "cash movement %s is not in session %s", a->id,
                         st->core.name);
    if (rc)
        return rc;
    if (m.voided)
        return pss__fail(ctx, PSS_ESTATE, "cash movement %s is already voided (%s)", a->id,
                         m.void_reason);
    if ((rc = movement_contrib(st, &m, -1)))
        return rc;
    uint64_t rev = m.rev;
    m.voided = true;
    snprintf(m.void_reason, sizeof m.void_reason, "%s", a->reason);
    if ((rc = movement_put(st, &m, rev)))
        return rc;
    return audit_movement(st, &m, "cash.void", a->reason);
}

int pss_cash_void(pss_session *s, const pss_actor *actor, const char *movement_id,
                  const char *reason)
{
    if (!s)
        return PSS_EINVAL;
    pss_ctx *ctx = s->ctx;
    pss__clear(ctx);
    void_args a = {"", reason};
    int rc = pss__check_id(ctx, "cash movement id", movement_id, a.id);
    if (rc || (rc = pss__check_text(ctx, "void reason", reason, PSS_TEXT_REQUIRED, PSS_NOTE_MAX)))
        return rc;
    pss_op op = {PSS_ACCESS_SUPERVISE, PSS__OPEN_STATES, "void a cash movement", op_void, &a};
    return pss__mutate(s, actor, &op);
}

/* ---- list ---- */

struct pss_cash_list {
    pss_ctx *ctx;
    pss__record_list movements;
};

int pss_cash_list_load(pss_session *s, pss_cash_list **out)
{
    if (!s || !out)
        return PSS_EINVAL;
    pss_ctx *ctx = s->ctx;
    pss__clear(ctx);
    *out = NULL;
    pss_cash_list *l = PSS_CALLOC(ctx, 1, sizeof *l);
    if (!l)
        return pss__oom(ctx);
    l->ctx = ctx;
    l->movements.item_size = sizeof(movement);
    int rc = pss__txn_begin(ctx, false);
    if (!rc)
        rc = pss__txn_end(ctx, pss__scan_decoded(ctx, PSS__KIND_MOVEMENT, s->core.id,
                                                 decode_movement, &l->movements));
    if (rc) {
        pss_cash_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

size_t pss_cash_list_count(const pss_cash_list *l)
{
    return l ? l->movements.n : 0;
}

int pss_cash_list_get(const pss_cash_list *l, size_t index, pss_cash_info *out)
{
    if (!l || !out)
        return PSS_EINVAL;
    int rc = pss__check_item(l->ctx, out, out->version, PSS_CASH_INFO_VERSION, "pss_cash_info",
                             index, l->movements.n, "the cash movement list", "movements");
    if (rc)
        return rc;
    const movement *m = (const movement *)l->movements.items + index;
    out->id = m->id;
    out->kind = m->kind;
    out->amount = m->amount;
    out->reason = m->reason;
    out->account = m->account;
    out->user = m->user;
    out->time = m->time;
    out->voided = m->voided;
    out->void_reason = m->voided ? m->void_reason : NULL;
    return 0;
}

void pss_cash_list_free(pss_cash_list *l)
{
    if (!l)
        return;
    PSS_FREE(l->ctx, l->movements.items);
    PSS_FREE(l->ctx, l);
}
