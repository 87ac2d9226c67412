/* fuzz_audit.c: the audit entry. Its reader is static in lib/audit/audit.c, so the input is
 * appended to a fresh store's audit trail (between two real entries) and read back through
 * pss_audit_load, by subject and in full, and pss_audit_get: every entry read must give
 * texts, a known role, and the stored time and outcome unchanged. */
#include "fuzz.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

static const char REAL[] =
    "{\"v\":1,\"time\":1795248060000,\"user\":\"alice\",\"role\":\"cashier\",\"device\":"
    "\"till-1\",\"action\":\"session.open\",\"session\":\"" SC_S1 "\",\"config\":\"" SC_CFG_MAIN
    "\",\"outcome\":0,\"outcome_name\":\"ok\",\"detail\":\"\",\"reason\":\"\",\"figures\":{}}";

static void check_record(const pss_audit_record *r)
{
    FZ_CHECK(r->user && r->device && r->action && r->session_id && r->config_id && r->detail &&
                 r->reason && r->json,
             "audit entry %llu lacks a text", (unsigned long long)r->seq);
    fz_range("audit role", r->role, PSS_ROLE_NONE, PSS_ROLE_ADMIN);
    json_t *doc = json_loads(r->json, 0, NULL);
    json_t *time = json_object_get(doc, "time"), *outcome = json_object_get(doc, "outcome");
    FZ_CHECK(json_is_integer(time) && json_integer_value(time) == r->time,
             "audit time reads as %lld, stored otherwise", (long long)r->time);
    FZ_CHECK(json_is_integer(outcome) && json_integer_value(outcome) == r->outcome,
             "audit outcome %lld reads as %d", (long long)json_integer_value(outcome),
             r->outcome);
    json_decref(doc);
}

static void load(pss_ctx *ctx, const char *subject)
{
    pss_audit *a = NULL;
    int rc = pss_audit_load(ctx, subject, &a);
    FZ_RC_IN("pss_audit_load", rc, 0, PSS_ECORRUPT, PSS_EVERSION);
    for (size_t i = 0; !rc && i < pss_audit_count(a); i++) {
        pss_audit_record r = PSS_AUDIT_RECORD_INIT;
        FZ_CHECK(pss_audit_get(a, i, &r) == 0, "audit entry %zu unreadable", i);
        check_record(&r);
    }
    pss_audit_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *payload = fz_begin("audit", data, size);
    pss_storage *store = NULL;
    if (pss_memstore_new(&store) != 0)
        abort();
    fz_append(store, SC_S1, REAL, strlen(REAL));
    fz_append(store, SC_S1, payload, size);
    fz_append(store, SC_CFG_MAIN, REAL, strlen(REAL));
    pss_ctx *ctx = fz_ctx(store);
    load(ctx, SC_S1);
    load(ctx, NULL);
    pss_ctx_free(ctx);
    pss_storage_free(store);
    fz_end(payload);
    return 0;
}
