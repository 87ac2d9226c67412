/* log.c: the host's logger, called with a formatted message when the context's level allows
 * it. Below ctx.c and error.c, which both log. */
#include "base/internal.h"

#include <stdarg.h>
#include <stdio.h>

void pss__log(pss_ctx *ctx, pss_log_level level, const char *fmt, ...)
{
    if (!ctx || !ctx->log || level > ctx->log_level)
        return;
    char msg[PSS_ERRMSG_SIZE + 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ctx->log(ctx->log_userdata, level, msg);
}
