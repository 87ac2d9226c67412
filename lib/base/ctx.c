/* ctx.c: creating and freeing contexts, the clock and the observer queue (logging: log.c). */
#include "base/internal.h"
#include "base/text.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int64_t system_clock(void *userdata)
{
    (void)userdata;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int pss_ctx_new(pss_ctx **out, const pss_ctx_options *options)
{
    if (!out)
        return PSS_EINVAL;
    *out = NULL;
    pss_ctx_options defaults = PSS_CTX_OPTIONS_INIT;
    if (!options)
        options = &defaults;
    if (options->version < 1 || options->version > PSS_CTX_OPTIONS_VERSION)
        return PSS_EVERSION;
    const pss_allocator *a = options->allocator;
    if (a && (a->version < 1 || a->version > PSS_ALLOCATOR_VERSION))
        return PSS_EVERSION;
    if (a && (!a->malloc || !a->realloc || !a->free))
        return PSS_EINVAL;
    pss_ctx *ctx = pss__calloc(a, 1, sizeof *ctx);
    if (!ctx)
        return PSS_ENOMEM;
    if (a) {
        ctx->alloc_copy = *a;
        ctx->alloc = &ctx->alloc_copy;
    }
    ctx->clock = options->clock ? options->clock : system_clock;
    ctx->clock_userdata = options->clock_userdata;
    ctx->log = options->log;
    ctx->log_userdata = options->log_userdata;
    ctx->log_level = options->log_level;
    pss__strbuf_init(&ctx->scratch, ctx->alloc);
    pss__strbuf_init(&ctx->late_refusal, ctx->alloc);
    *out = ctx;
    return 0;
}

void pss_ctx_free(pss_ctx *ctx)
{
    if (!ctx)
        return;
    PSS_FREE(ctx, ctx->events);
    pss__strbuf_free(&ctx->scratch);
    pss__strbuf_free(&ctx->late_refusal);
    pss__free(ctx->alloc, ctx);
}

int pss_ctx_set_observer(pss_ctx *ctx, pss_observer_fn fn, void *userdata)
{
    if (!ctx)
        return PSS_EINVAL;
    pss__clear(ctx);
    ctx->observer = fn;
    ctx->observer_userdata = userdata;
    return 0;
}

int64_t pss_ctx_now(pss_ctx *ctx)
{
    return ctx ? ctx->clock(ctx->clock_userdata) : 0;
}

void pss_free(pss_ctx *ctx, void *ptr)
{
    if (ctx)
        PSS_FREE(ctx, ptr);
}

int pss__event(pss_ctx *ctx, pss_event_type type, const char *config_id, const char *session_id,
               const char *order_id, const char *entry_id)
{
    if (!ctx->observer)
        return 0;
    if (pss__grow(ctx->alloc, (void **)&ctx->events, &ctx->cap_events, ctx->n_events + 1,
                  sizeof *ctx->events) != 0)
        return pss__oom(ctx);
    pss_queued_event *e = &ctx->events[ctx->n_events++];
    e->type = type;
    pss__copy_text(e->config_id, sizeof e->config_id, config_id);
    pss__copy_text(e->session_id, sizeof e->session_id, session_id);
    pss__copy_text(e->order_id, sizeof e->order_id, order_id);
    pss__copy_text(e->entry_id, sizeof e->entry_id, entry_id);
    return 0;
}

static const char *or_null(const char *s)
{
    return s[0] ? s : NULL;
}

void pss__events_flush(pss_ctx *ctx, bool deliver)
{
    size_t n = ctx->n_events;
    ctx->n_events = 0;
    if (!deliver || !ctx->observer)
        return;
    for (size_t i = 0; i < n; i++) {
        const pss_queued_event *q = &ctx->events[i];
        pss_event ev = {1, q->type, or_null(q->config_id), or_null(q->session_id),
                        or_null(q->order_id), or_null(q->entry_id)};
        ctx->observer(&ev, ctx->observer_userdata);
    }
}
