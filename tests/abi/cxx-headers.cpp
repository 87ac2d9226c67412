// tests/abi/cxx-headers.cpp: the 'cxx-headers' test. The public headers must compile as C++
// with -Wall -Wextra -Werror -pedantic (extern "C" guards, no C-only syntax), and every INIT
// macro must be a valid C++ aggregate initializer (no compound literals, no narrowing). Links
// and calls a few functions so the C linkage is proven too.
#include <possession.h>
#ifdef HAVE_SQLITE
#include <possession/sqlite.h>
#endif
#ifdef HAVE_PG
#include <possession/pg.h>
#endif

#include <cstdio>
#include <cstring>

namespace {

// Each initialized struct must start with its version member set to the header's version.
template <typename T> bool starts_with_version(const T &value, uint32_t version)
{
    return value.version == version;
}

int check(bool ok, const char *what)
{
    if (!ok)
        std::fprintf(stderr, "not ok: %s\n", what);
    return ok ? 0 : 1;
}

} // namespace

#define CHECK_INIT(type, init, version) \
    do { \
        type value = init; \
        failures += check(starts_with_version(value, version), #init); \
    } while (0)

int main()
{
    int failures = 0;

    CHECK_INIT(pss_actor, PSS_ACTOR_INIT, PSS_ACTOR_VERSION);
    CHECK_INIT(pss_ctx_options, PSS_CTX_OPTIONS_INIT, PSS_CTX_OPTIONS_VERSION);
    CHECK_INIT(pss_storage, PSS_STORAGE_INIT, PSS_STORAGE_VERSION);
    CHECK_INIT(pss_config_input, PSS_CONFIG_INPUT_INIT, PSS_CONFIG_INPUT_VERSION);
    CHECK_INIT(pss_method_input, PSS_METHOD_INPUT_INIT, PSS_METHOD_INPUT_VERSION);
    CHECK_INIT(pss_tax_input, PSS_TAX_INPUT_INIT, PSS_TAX_INPUT_VERSION);
    CHECK_INIT(pss_session_input, PSS_SESSION_INPUT_INIT, PSS_SESSION_INPUT_VERSION);
    CHECK_INIT(pss_opening_input, PSS_OPENING_INPUT_INIT, PSS_OPENING_INPUT_VERSION);
    CHECK_INIT(pss_line_input, PSS_LINE_INPUT_INIT, PSS_LINE_INPUT_VERSION);
    CHECK_INIT(pss_payment_input, PSS_PAYMENT_INPUT_INIT, PSS_PAYMENT_INPUT_VERSION);
    CHECK_INIT(pss_order_input, PSS_ORDER_INPUT_INIT, PSS_ORDER_INPUT_VERSION);
    CHECK_INIT(pss_order_totals, PSS_ORDER_TOTALS_INIT, PSS_ORDER_TOTALS_VERSION);
    CHECK_INIT(pss_line_info, PSS_LINE_INFO_INIT, PSS_LINE_INFO_VERSION);
    CHECK_INIT(pss_tax_info, PSS_TAX_INFO_INIT, PSS_TAX_INFO_VERSION);
    CHECK_INIT(pss_payment_info, PSS_PAYMENT_INFO_INIT, PSS_PAYMENT_INFO_VERSION);
    CHECK_INIT(pss_submit_result, PSS_SUBMIT_RESULT_INIT, PSS_SUBMIT_RESULT_VERSION);
    CHECK_INIT(pss_cash_input, PSS_CASH_INPUT_INIT, PSS_CASH_INPUT_VERSION);
    CHECK_INIT(pss_cash_info, PSS_CASH_INFO_INIT, PSS_CASH_INFO_VERSION);
    CHECK_INIT(pss_count_input, PSS_COUNT_INPUT_INIT, PSS_COUNT_INPUT_VERSION);
    CHECK_INIT(pss_close_input, PSS_CLOSE_INPUT_INIT, PSS_CLOSE_INPUT_VERSION);
    CHECK_INIT(pss_force_close_input, PSS_FORCE_CLOSE_INPUT_INIT, PSS_FORCE_CLOSE_INPUT_VERSION);
    CHECK_INIT(pss_report_method, PSS_REPORT_METHOD_INIT, PSS_REPORT_METHOD_VERSION);
    CHECK_INIT(pss_report_tax, PSS_REPORT_TAX_INIT, PSS_REPORT_TAX_VERSION);
    CHECK_INIT(pss_report_product, PSS_REPORT_PRODUCT_INIT, PSS_REPORT_PRODUCT_VERSION);
    CHECK_INIT(pss_entry_line, PSS_ENTRY_LINE_INIT, PSS_ENTRY_LINE_VERSION);
    CHECK_INIT(pss_entry_product, PSS_ENTRY_PRODUCT_INIT, PSS_ENTRY_PRODUCT_VERSION);
    CHECK_INIT(pss_audit_record, PSS_AUDIT_RECORD_INIT, PSS_AUDIT_RECORD_VERSION);
#ifdef HAVE_SQLITE
    CHECK_INIT(pss_sqlite_options, PSS_SQLITE_OPTIONS_INIT, PSS_SQLITE_OPTIONS_VERSION);
    failures += check(pss_sqlite_schema_version() >= 1, "pss_sqlite_schema_version() >= 1");
#endif
#ifdef HAVE_PG
    CHECK_INIT(pss_pg_options, PSS_PG_OPTIONS_INIT, PSS_PG_OPTIONS_VERSION);
    failures += check(pss_pg_schema_version() >= 1, "pss_pg_schema_version() >= 1");
#endif

    char buf[PSS_MONEY_BUFSIZE];
    failures += check(pss_money_format(-15000, 2, buf, sizeof buf) > 0 &&
                          std::strcmp(buf, "-150.00") == 0,
                      "pss_money_format(-15000, 2) is \"-150.00\"");
    failures += check(std::strcmp(pss_strerror(PSS_OK), pss_strerror(PSS_EINVAL)) != 0,
                      "pss_strerror names codes");
    std::printf("libpossession %s from C++: %s\n", pss_version(), failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
