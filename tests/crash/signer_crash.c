/* signer_crash.c: a signer that kills its process inside sign (doc/fiscal.md,
 * "Signatures"): the call it was signing for was one open transaction on the SQLite file,
 * so after the crash the chain holds the events before it, whole and signed, and the next
 * event takes the seq the lost one would have had. Usage: signer-crash FILE. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"
#include <possession/sqlite.h>

static int signs_left; /* the signer kills the process when it reaches 0 */

/* A stand-in for a device: its "signature" is the hash reversed, under key "rev-1". */
static int rev_sign(void *userdata, const uint8_t hash[32], uint8_t sig[PSS_SIGNATURE_MAX],
                    size_t *sig_len, char key_id[PSS_KEY_ID_SIZE])
{
    (void)userdata;
    if (signs_left-- == 0)
        raise(SIGKILL); /* the device's driver takes the process down */
    for (int i = 0; i < 32; i++)
        sig[i] = hash[31 - i];
    *sig_len = 32;
    snprintf(key_id, PSS_KEY_ID_SIZE, "rev-1");
    return 0;
}

static int rev_check(void *userdata, const uint8_t hash[32], const uint8_t *sig, size_t len,
                     const char *key_id)
{
    (void)userdata;
    int good = len == 32 && !strcmp(key_id, "rev-1");
    for (int i = 0; good && i < 32; i++)
        good = sig[i] == hash[31 - i];
    return good ? 0 : -1;
}

static pss_ctx *open_file(const char *path, pss_storage **store)
{
    pss_ctx *ctx = fix_ctx(NULL);
    pss_signer signer = PSS_SIGNER_INIT;
    signer.sign = rev_sign;
    signer.check = rev_check;
    if (pss_sqlite_open(ctx, path, NULL, store) || pss_ctx_set_storage(ctx, *store) ||
        pss_ctx_set_signer(ctx, &signer)) {
        fprintf(stderr, "open %s: %s\n", path, pss_ctx_errmsg(ctx));
        exit(98);
    }
    return ctx;
}

/* The till: two cash movements; the signer dies signing the second one's event. */
static void till(const char *path, const char *session_id)
{
    pss_storage *store = NULL;
    pss_ctx *ctx = open_file(path, &store);
    pss_session *s = NULL;
    if (pss_session_load(ctx, session_id, &s))
        _exit(97);
    signs_left = 1;
    if (fix_cash(s, PSS_CASH_IN, 100))
        _exit(96);
    fix_cash(s, PSS_CASH_IN, 200); /* never returns */
    _exit(95);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("Bail out! usage: signer-crash FILE\n");
        return 1;
    }
    const char *path = argv[1];
    fix_remove_db(path);
    pss_storage *store = NULL;
    signs_left = 1000;
    pss_ctx *ctx = open_file(path, &store);
    fix_save_config(ctx, NULL);
    pss_session *s = fix_open(ctx, 1000); /* event 1, signed */
    char session_id[PSS_ID_SIZE];
    snprintf(session_id, sizeof session_id, "%s", pss_session_id(s));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        till(path, session_id);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    /* after the crash: the events before it, whole and signed */
    pss_fiscal_verdict v = PSS_FISCAL_VERDICT_INIT;
    CHECK_OK(ctx, pss_fiscal_verify(ctx, FIX_CONFIG_ID, &v));
    CHECK_I64(v.events, 2);
    CHECK_I64(v.unsigned_events, 0);
    CHECK_OK(ctx, pss_session_refresh(s));
    CHECK_I64(fix_figure(ctx, s, PSS_FIG_CASH_IN), 100); /* the lost call left nothing */
    /* the till starts again: the next event is 3 */
    CHECK_OK(ctx, fix_cash(s, PSS_CASH_IN, 200));
    v = (pss_fiscal_verdict)PSS_FISCAL_VERDICT_INIT;
    CHECK_OK(ctx, pss_fiscal_verify(ctx, FIX_CONFIG_ID, &v));
    CHECK_I64(v.events, 3);
    CHECK_I64(v.unsigned_events, 0);
    CHECK_OK(ctx, pss_session_verify(s));
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(store);
    fix_remove_db(path);
    return check_done();
}
