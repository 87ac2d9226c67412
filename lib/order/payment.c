/* payment.c: payments of an order and the rules that make it PAID: done payments cover the
 * amount due; cash may exceed it (the excess is change), other methods may not exceed what
 * is left; cash rounding rounds what is left when cash settles it; while a payment is
 * pending no other is taken. */
#include "order/order_internal.h"

#include <stdio.h>
#include <string.h>

#include "base/bounds.h"
#include "base/money_internal.h"
#include "base/names.h"



/* Whether done payments (net of change) cover what is due. */
static bool covered(const pss_order_data *d, const pss_paid *paid)
{
    int64_t due = d->total + d->rounding, net = paid->done - paid->change;
    if (paid->n_pending)
        return false;
    return due >= 0 ? net >= due : net <= due;
}

void pss__order_mark_paid_if_covered(pss_ctx *ctx, pss_order_data *d)
{
    pss_paid paid;
    if (d->state == PSS_ORDER_DRAFT && d->n_lines && pss__order_paid(d, &paid) == 0 &&
        covered(d, &paid)) {
        d->state = PSS_ORDER_PAID;
        d->paid_at = pss_ctx_now(ctx);
    }
}

static int check_payment_input(pss_ctx *ctx, const pss_config *cfg, const pss_payment_input *in,
                               const pss_method **method, pss_payment_state *state)
{
    int rc = pss__check_version(ctx, in, in ? in->version : 0, PSS_PAYMENT_INPUT_VERSION,
                                "pss_payment_input");
    if (rc || (rc = pss__check_text(ctx, "payment method", in->method, PSS_TEXT_REQUIRED,
                                    PSS_NAME_MAX)) ||
        (rc = pss__check_text(ctx, "payment reference", in->reference, PSS_TEXT_OPTIONAL,
                              PSS_NAME_MAX)))
        return rc;
    *method = pss__config_method(cfg, in->method);
    if (!*method) {
        char names[512];
        pss__config_method_names(cfg, names, sizeof names);
        return pss__fail(ctx, PSS_EINVAL, "payment method '%s' is not in config '%s' (it has: "
                                          "%s)", in->method, cfg->name, names);
    }
    if (in->amount == 0)
        return pss__fail(ctx, PSS_EINVAL, "%s payment has amount 0", in->method);
    if ((rc = pss__check_amountf(ctx, in->amount, cfg->exponent, "%s payment", in->method)))
        return rc;
    *state = in->state ? in->state
                       : (*method)->electronic ? PSS_PAYMENT_PENDING : PSS_PAYMENT_DONE;
    if (*state != PSS_PAYMENT_DONE && *state != PSS_PAYMENT_PENDING)
        return pss__fail(ctx, PSS_EINVAL, "a new payment is pending or done, not %s",
                         pss__name_of(pss__payment_state_names, *state));
    if (*state == PSS_PAYMENT_PENDING && !(*method)->electronic)
        return pss__fail(ctx, PSS_EINVAL, "'%s' is not an electronic method; its payments are "
                                          "done at once", in->method);
    return 0;
}

/* What is left to pay (due minus done and pending payments), checked against the order. */
static int remaining_of(pss_stage *st, const pss_order_data *d, int64_t amount,
                        int64_t *remaining)
{
    pss_ctx *ctx = st->s->ctx;
    char a[PSS_MONEY_BUFSIZE];
    int exp = st->s->config->exponent;
    pss_paid paid;
    int64_t due;
    if (pss__order_paid(d, &paid) || pss__order_due(d, &due))
        return pss__fail(ctx, PSS_EOVERFLOW, "order %s payments overflow", d->id);
    if (d->n_lines == 0)
        return pss__fail(ctx, PSS_ESTATE, "order %s has no lines; nothing to pay", d->id);
    if (paid.n_pending)
        return pss__fail(ctx, PSS_ESTATE, "order %s has a pending payment; confirm or fail it "
                                          "before taking another", d->id);
    if (due == 0)
        return pss__fail(ctx, PSS_ESTATE, "order %s has nothing due; validate it instead",
                         d->id);
    if ((due > 0) != (amount > 0))
        return pss__fail(ctx, PSS_EINVAL, "payment of %s on order %s: %s", pss__fmt(a, amount, exp),
                         d->id, due > 0 ? "a sale is paid with positive amounts"
                                        : "a refund is paid back with negative amounts");
    int64_t covered_so_far;
    if (__builtin_add_overflow(paid.done, paid.pending, &covered_so_far) ||
        __builtin_sub_overflow(due, covered_so_far, remaining))
        return pss__fail(ctx, PSS_EOVERFLOW, "order %s payments overflow", d->id);
    if ((due > 0 && *remaining <= 0) || (due < 0 && *remaining >= 0))
        return pss__fail(ctx, PSS_ESTATE, "order %s is already covered by its payments", d->id);
    return 0;
}

static int overpay(pss_stage *st, const pss_order_data *d, const char *method, int64_t amount,
                   int64_t remaining)
{
    char a[PSS_MONEY_BUFSIZE], r[PSS_MONEY_BUFSIZE];
    int exp = st->s->config->exponent;
    pss__fail(st->s->ctx, PSS_EOVERPAY, "%s payment of %s exceeds the %s left to pay on order %s",
              method, pss__fmt(a, amount, exp), pss__fmt(r, remaining, exp), d->id);
    pss__figure(st->s->ctx, "remaining", remaining);
    return PSS_EOVERPAY;
}

/* Whether cash rounding applies to a payment of this method. */
static bool rounds(const pss_config *cfg, const pss_method *method)
{
    return cfg->cash_rounding == PSS_CASH_ROUNDING_ALL ||
           (cfg->cash_rounding == PSS_CASH_ROUNDING_CASH && method->kind == PSS_METHOD_CASH);
}

static const char *mode_words(pss_rounding mode)
{
    switch (mode) {
    case PSS_ROUND_HALF_UP: return "half up";
    case PSS_ROUND_HALF_EVEN: return "half even";
    case PSS_ROUND_UP: return "up";
    case PSS_ROUND_DOWN: return "down";
    }
    return "?";
}

/* "0.08 is left, 0.10 with the cash rounding (steps of 0.10, half up)" */
static const char *rounded_words(const pss_config *cfg, int64_t rest, int64_t rounded,
                                 char *buf, size_t size)
{
    char r[PSS_MONEY_BUFSIZE], c[PSS_MONEY_BUFSIZE], step[PSS_MONEY_BUFSIZE];
    int x = cfg->exponent;
    snprintf(buf, size, "%s is left, %s with the cash rounding (steps of %s, %s)",
             pss__fmt(r, rest, x), pss__fmt(c, rounded, x),
             pss__fmt(step, cfg->cash_rounding_increment, x), mode_words(cfg->cash_rounding_mode));
    return buf;
}

/* A payment at or beyond what is left that does not reach the rounded rest. */
static int short_of_rounded(pss_stage *st, const pss_order_data *d, const pss_method *method,
                            int64_t amount, int64_t rest, int64_t rounded)
{
    const pss_config *cfg = st->s->config;
    char a[PSS_MONEY_BUFSIZE], c[PSS_MONEY_BUFSIZE], r[PSS_MONEY_BUFSIZE], left[256];
    int x = cfg->exponent;
    bool refund = rest < 0;
    return pss__fail(st->s->ctx, PSS_EINVAL, "%s payment of %s on order %s: %s; pay%s %s to "
                                             "settle the %s%s, or less than %s as a part payment",
                     method->name, pss__fmt(a, amount, x), d->id,
                     rounded_words(cfg, rest, rounded, left, sizeof left), refund ? " out" : "",
                     pss__fmt(c, rounded, x), refund ? "refund" : "order",
                     !refund && method->kind == PSS_METHOD_CASH ? " (more is change)" : "",
                     pss__fmt(r, refund ? -rest : rest, x));
}

/* The rest rounds to nothing for this method: validate the order instead. */
static int nothing_to_round(pss_stage *st, const pss_order_data *d, const pss_method *method,
                            int64_t rest)
{
    char left[256];
    return pss__fail(st->s->ctx, PSS_ESTATE, "order %s: %s; nothing is paid in %s: validate the "
                                             "order to round the rest away", d->id,
                     rounded_words(st->s->config, rest, 0, left, sizeof left), method->name);
}

/* How a payment settles the order (doc/concepts.md, "Cash rounding"): the rounded rest
 * settles it (fixing the rounding), cash beyond it gives change, less than both the rest
 * and the rounded rest is a part payment, anything else is refused. */
static int settle(pss_stage *st, pss_order_data *d, const pss_method *method, int64_t amount,
                  int64_t rest, int64_t *change, int64_t *rounding)
{
    const pss_config *cfg = st->s->config;
    int64_t rounded = rest;
    if (rounds(cfg, method) &&
        pss_money_round_to(rest, cfg->cash_rounding_increment, cfg->cash_rounding_mode, &rounded))
        return pss__fail(st->s->ctx, PSS_EOVERFLOW, "cash rounding overflows");
    if (rounded == 0)
        return nothing_to_round(st, d, method, rest);
    int sign = rest > 0 ? 1 : -1; /* compare magnitudes: refunds pay out negative amounts */
    int64_t p = sign * amount, r = sign * rounded, left = sign * rest;
    *change = 0;
    *rounding = 0;
    if (p < r && p < left)
        return 0; /* a part payment */
    if (p < r)
        return short_of_rounded(st, d, method, amount, rest, rounded);
    if (p > r && (sign < 0 || method->kind != PSS_METHOD_CASH))
        return overpay(st, d, method->name, amount, rounded);
    *change = amount - rounded;
    *rounding = rounded - rest;
    return 0;
}

int pss__order_add_payment_input(pss_stage *st, pss_order_data *d, const pss_payment_input *in,
                                 bool submitted)
{
    pss_ctx *ctx = st->s->ctx;
    const pss_method *method;
    pss_payment_state state;
    int64_t remaining = 0, change = 0;
    int rc = check_payment_input(ctx, st->s->config, in, &method, &state);
    if (rc || (rc = remaining_of(st, d, in->amount, &remaining)))
        return rc;
    bool cash = method->kind == PSS_METHOD_CASH;
    int64_t rounding = 0;
    if ((rc = settle(st, d, method, in->amount, remaining, &change, &rounding)))
        return rc;
    bool happened = submitted && st->late; /* a late order's refund was paid offline */
    if (cash && in->amount < 0 && !happened &&
        (rc = pss__drawer_check_payout(ctx, st->s->config, &st->core, "cash refund",
                                       -in->amount)))
        return rc;
    if (d->n_payments >= PSS__ORDER_PAYMENTS_MAX)
        return pss__fail(ctx, PSS_EINVAL, "order %s already has %d payments", d->id,
                         PSS__ORDER_PAYMENTS_MAX);
    if (pss__grow(ctx->alloc, (void **)&d->payments, &d->cap_payments, d->n_payments + 1,
                  sizeof *d->payments))
        return pss__oom(ctx);
    pss_payment *p = &d->payments[d->n_payments];
    memset(p, 0, sizeof *p);
    bool referenced = in->reference && in->reference[0];
    p->method = pss__pool_strdup(ctx->alloc, &d->pool, method->name);
    p->reference = referenced ? pss__pool_strdup(ctx->alloc, &d->pool, in->reference) : NULL;
    if (!p->method || (referenced && !p->reference))
        return pss__oom(ctx);
    p->cash = cash;
    p->amount = in->amount;
    p->state = state;
    p->change = change;
    p->rounding = rounding;
    p->at = pss_ctx_now(ctx);
    d->rounding += rounding; /* |rounding| < one increment; the order had none before */
    d->n_payments++;
    pss__order_mark_paid_if_covered(ctx, d);
    return 0;
}

static int require_draft(pss_ctx *ctx, const pss_order_data *d, const char *doing)
{
    if (d->state == PSS_ORDER_DRAFT)
        return 0;
    return pss__fail(ctx, PSS_ESTATE, "order %s (number %lld) is %s; cannot %s", d->id,
                     (long long)d->number, pss__name_of(pss__order_state_names, d->state), doing);
}

static int change_add_payment(pss_stage *st, pss_order_data *next, void *arg)
{
    int rc = require_draft(st->s->ctx, next, "take a payment");
    return rc ? rc : pss__order_add_payment_input(st, next, arg, false);
}

int pss_order_add_payment(pss_order *o, const pss_actor *actor, const pss_payment_input *payment,
                          size_t *index)
{
    if (!o)
        return PSS_EINVAL;
    int rc = pss__order_change(o, actor, PSS_ACCESS_OPERATE, PSS__IN_PROGRESS, "take a payment",
                               change_add_payment, (void *)payment);
    if (!rc && index)
        *index = o->d->n_payments - 1;
    return rc;
}

typedef struct resolve_args {
    size_t index;
    pss_payment_state to;
    const char *reason;
} resolve_args;

static int audit_payment(pss_stage *st, const pss_order_data *d, const pss_payment *p,
                         const char *action, const char *reason)
{
    pss__audit_extra x = {0};
    pss__extra_str(&x, "order", d->id);
    pss__extra_str(&x, "method", p->method);
    pss__extra_int(&x, "amount", p->amount);
    return pss__audit_staged(st, action, reason, &x);
}

static int change_resolve(pss_stage *st, pss_order_data *next, void *arg)
{
    resolve_args *a = arg;
    pss_ctx *ctx = st->s->ctx;
    if (a->index >= next->n_payments)
        return pss__no_such_item(ctx, PSS_ENOTFOUND, next->id, next->n_payments, "payment",
                                 (int64_t)a->index);
    pss_payment *p = &next->payments[a->index];
    bool voiding = a->to == PSS_PAYMENT_VOIDED;
    bool allowed = p->state == PSS_PAYMENT_PENDING || (voiding && p->state == PSS_PAYMENT_DONE);
    if (!allowed)
        return pss__fail(ctx, PSS_ESTATE, "payment %zu of order %s is %s; cannot make it %s",
                         a->index, next->id, pss__name_of(pss__payment_state_names, p->state),
                         pss__name_of(pss__payment_state_names, a->to));
    if (voiding) {
        int rc = require_draft(ctx, next, "void a payment");
        if (rc)
            return rc;
    }
    p->state = a->to;
    if (a->to != PSS_PAYMENT_DONE) { /* a failed or voided settlement takes its rounding back */
        next->rounding -= p->rounding;
        p->rounding = 0;
    }
    if (a->reason && a->reason[0] &&
        !(p->reason = pss__pool_strdup(ctx->alloc, &next->pool, a->reason)))
        return pss__oom(ctx);
    pss__order_mark_paid_if_covered(ctx, next);
    if (a->to == PSS_PAYMENT_DONE)
        return 0;
    return audit_payment(st, next, p, voiding ? "payment.void" : "payment.fail", a->reason);
}

static int resolve(pss_order *o, const pss_actor *actor, size_t index, pss_payment_state to,
                   const char *reason, bool reason_required)
{
    if (!o)
        return PSS_EINVAL;
    pss__clear(o->s->ctx);
    int rc = pss__check_text(o->s->ctx, "reason", reason,
                             reason_required ? PSS_TEXT_REQUIRED : PSS_TEXT_OPTIONAL,
                             PSS_NOTE_MAX);
    if (rc)
        return rc;
    resolve_args a = {index, to, reason};
    const char *doing = to == PSS_PAYMENT_DONE     ? "confirm a payment"
                        : to == PSS_PAYMENT_FAILED ? "fail a payment"
                                                   : "void a payment";
    return pss__order_change(o, actor, PSS_ACCESS_SUPERVISE, PSS__OPEN_STATES, doing,
                             change_resolve, &a);
}

int pss_order_confirm_payment(pss_order *o, const pss_actor *actor, size_t index)
{
    return resolve(o, actor, index, PSS_PAYMENT_DONE, NULL, false);
}

int pss_order_fail_payment(pss_order *o, const pss_actor *actor, size_t index, const char *reason)
{
    return resolve(o, actor, index, PSS_PAYMENT_FAILED, reason, false);
}

int pss_order_void_payment(pss_order *o, const pss_actor *actor, size_t index, const char *reason)
{
    return resolve(o, actor, index, PSS_PAYMENT_VOIDED, reason, true);
}

/* What is left is less than half a cash-rounding step (0.02 with 0.05 steps): in cash nothing
 * more changes hands, so the rest is rounded away. */
static int round_away_rest(const pss_config *cfg, pss_order_data *d)
{
    pss_paid paid;
    int64_t due, left, rounded;
    if (cfg->cash_rounding == PSS_CASH_ROUNDING_OFF || pss__order_paid(d, &paid) ||
        paid.n_pending || pss__order_due(d, &due) ||
        __builtin_sub_overflow(due, paid.done - paid.change, &left) || left == 0 ||
        pss_money_round_to(left, cfg->cash_rounding_increment, cfg->cash_rounding_mode,
                           &rounded) || rounded != 0)
        return 0;
    d->rounding -= left; /* |left| < increment */
    return 0;
}

static int change_validate(pss_stage *st, pss_order_data *next, void *arg)
{
    (void)arg;
    pss_ctx *ctx = st->s->ctx;
    int rc = require_draft(ctx, next, "validate it");
    if (rc)
        return rc;
    if (next->n_lines == 0)
        return pss__fail(ctx, PSS_ESTATE, "order %s has no lines; cancel it instead", next->id);
    round_away_rest(st->s->config, next);
    pss__order_mark_paid_if_covered(ctx, next);
    if (next->state == PSS_ORDER_PAID)
        return 0;
    pss_paid paid;
    pss__order_paid(next, &paid);
    char due[PSS_MONEY_BUFSIZE], got[PSS_MONEY_BUFSIZE];
    int exp = st->s->config->exponent;
    return pss__fail(ctx, PSS_ESTATE, "order %s is not covered: %s due, %s paid, %zu payment(s) "
                                      "pending", next->id,
                     pss__fmt(due, next->total + next->rounding, exp),
                     pss__fmt(got, paid.done - paid.change, exp), paid.n_pending);
}

int pss_order_validate(pss_order *o, const pss_actor *actor)
{
    if (!o)
        return PSS_EINVAL;
    return pss__order_change(o, actor, PSS_ACCESS_OPERATE, PSS__IN_PROGRESS, "validate an order",
                             change_validate, NULL);
}
