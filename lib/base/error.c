/* error.c: error codes, their names, and the per-context detail message and figures. */
#include "base/internal.h"
#include "version.h" /* PSS__VERSION, from meson.build's project() */

#include <stdio.h>
#include <string.h>

const char *pss_strerror(int code)
{
    switch (code) {
    case PSS_OK: return "success";
    case PSS_EINVAL: return "invalid argument";
    case PSS_ENOMEM: return "out of memory";
    case PSS_ENOTFOUND: return "not found";
    case PSS_EEXISTS: return "already exists";
    case PSS_ESTATE: return "wrong state for this operation";
    case PSS_EACCESS: return "not allowed for this user or role";
    case PSS_ELOCKED: return "leased to another device";
    case PSS_EOVERFLOW: return "amount out of range";
    case PSS_ECONFLICT: return "conflicting change";
    case PSS_ECLOSED: return "session is closed";
    case PSS_EPENDING: return "draft orders pending";
    case PSS_EPAYPENDING: return "payments pending";
    case PSS_ELIMIT: return "cash difference beyond the allowed limit";
    case PSS_EUNBALANCED: return "journal entry does not balance";
    case PSS_ECORRUPT: return "corrupt record in storage";
    case PSS_ESTORAGE: return "storage failure";
    case PSS_EVERSION: return "unsupported version";
    case PSS_EBUSY: return "storage busy";
    case PSS_ECONFIG: return "invalid config";
    case PSS_EREFUND: return "refund not possible";
    case PSS_EOVERPAY: return "payment exceeds the amount due";
    case PSS_EMISMATCH: return "running totals disagree with the orders";
    case PSS_EIO: return "write failed";
    case PSS_EDRAWER: return "the drawer does not hold that much cash";
    default: return "unknown error";
    }
}

const char *pss_version(void)
{
    return PSS__VERSION;
}

void pss__clear(pss_ctx *ctx)
{
    ctx->errcode = 0;
    ctx->errmsg[0] = '\0';
    ctx->n_figures = 0;
}

/* A message cut at the buffer's end must not end inside a UTF-8 sequence: it goes into audit
 * entries as JSON text. */
static void trim_to_utf8_boundary(char *s, size_t len)
{
    size_t end = len;
    while (end > 0 && ((unsigned char)s[end - 1] & 0xC0) == 0x80)
        end--; /* continuation bytes */
    if (end > 0 && ((unsigned char)s[end - 1] & 0x80)) {
        unsigned char lead = (unsigned char)s[end - 1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (len - (end - 1) < need)
            s[end - 1] = '\0';
    }
}

int pss__vfail(pss_ctx *ctx, int code, const char *fmt, va_list ap)
{
    if (!ctx)
        return code;
    ctx->errcode = code;
    ctx->n_figures = 0;
    int n = vsnprintf(ctx->errmsg, sizeof ctx->errmsg, fmt, ap);
    if (n >= (int)sizeof ctx->errmsg)
        trim_to_utf8_boundary(ctx->errmsg, sizeof ctx->errmsg - 1);
    pss__log(ctx, PSS_LOG_ERROR, "%s: %s", pss_strerror(code), ctx->errmsg);
    return code;
}

int pss__fail(pss_ctx *ctx, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pss__vfail(ctx, code, fmt, ap);
    va_end(ap);
    return code;
}

int pss_ctx_fail(pss_ctx *ctx, int code, const char *fmt, ...)
{
    if (!ctx || !fmt)
        return code;
    va_list ap;
    va_start(ap, fmt);
    pss__vfail(ctx, code, fmt, ap);
    va_end(ap);
    return code;
}

int pss__code(pss_ctx *ctx, int code)
{
    if (ctx && ctx->errcode != code)
        return pss__fail(ctx, code, "%s", pss_strerror(code));
    return code;
}

int pss__oom(pss_ctx *ctx)
{
    return pss__fail(ctx, PSS_ENOMEM, "out of memory");
}

void pss__figure(pss_ctx *ctx, const char *name, int64_t value)
{
    if (!ctx || ctx->n_figures >= PSS_MAX_FIGURES)
        return;
    pss_figure *f = &ctx->figures[ctx->n_figures++];
    snprintf(f->name, sizeof f->name, "%s", name);
    f->value = value;
}

const char *pss_ctx_errmsg(const pss_ctx *ctx)
{
    return ctx ? ctx->errmsg : "no context";
}

int pss_ctx_errcode(const pss_ctx *ctx)
{
    return ctx ? ctx->errcode : PSS_EINVAL;
}

int pss_ctx_error_figure(const pss_ctx *ctx, const char *name, int64_t *value)
{
    if (!ctx || !name || !value)
        return PSS_EINVAL;
    for (int i = 0; i < ctx->n_figures; i++) {
        if (strcmp(ctx->figures[i].name, name) == 0) {
            *value = ctx->figures[i].value;
            return 0;
        }
    }
    return PSS_ENOTFOUND;
}

int pss__check_item(pss_ctx *ctx, const void *out, uint32_t version, uint32_t known,
                    const char *what, size_t index, size_t count, const char *owner,
                    const char *items)
{
    int rc = pss__check_version(ctx, out, version, known, what);
    if (rc || index < count)
        return rc;
    return pss__fail(ctx, PSS_ENOTFOUND, "%s has %zu %s; there is no number %zu", owner, count,
                     items, index);
}

int pss__check_version(pss_ctx *ctx, const void *ptr, uint32_t version, uint32_t known,
                       const char *what)
{
    if (!ptr)
        return pss__fail(ctx, PSS_EINVAL, "%s is NULL", what);
    if (version < 1 || version > known)
        return pss__fail(ctx, PSS_EVERSION,
                         "%s has version %u; this library knows versions 1 to %u "
                         "(initialize it with its INIT macro)",
                         what, (unsigned)version, (unsigned)known);
    return 0;
}
