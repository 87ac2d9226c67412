/* config.c: building a config, validation naming what is missing, the JSON form, storing
 * and loading, and the refusal to change a config while its session is open. */
#include "fixture.h"

static void validation(pss_ctx *ctx)
{
    pss_config_input in = PSS_CONFIG_INPUT_INIT;
    in.name = "Bar";
    in.code = "BAR";
    in.currency = "EUR";
    pss_config *c = NULL;
    CHECK_OK(ctx, pss_config_new(ctx, &in, &c));
    CHECK_RC(ctx, pss_config_validate(c), PSS_ECONFIG);
    CHECK_STR(pss_ctx_errmsg(ctx), "config 'Bar' has no income account");
    pss_config_free(c);
    in.income_account = "Income";
    in.receivable_account = "Receivable";
    in.cash_in_account = "Safe";
    in.cash_out_account = "Bank";
    CHECK_OK(ctx, pss_config_new(ctx, &in, &c));
    CHECK_RC(ctx, pss_config_validate(c), PSS_ECONFIG);
    CHECK_STR(pss_ctx_errmsg(ctx), "config 'Bar' has no difference gain account (needed with "
                                   "cash control)");
    pss_config_free(c);
    in.difference_gain_account = "Over";
    in.difference_loss_account = "Short";
    CHECK_OK(ctx, pss_config_new(ctx, &in, &c));
    CHECK_RC(ctx, pss_config_validate(c), PSS_ECONFIG);
    CHECK_STR(pss_ctx_errmsg(ctx), "config 'Bar' has no payment method");
    pss_method_input card = {PSS_METHOD_INPUT_VERSION, "Card", PSS_METHOD_CARD, NULL, 1};
    CHECK_OK(ctx, pss_config_add_method(c, &card));
    CHECK_RC(ctx, pss_config_validate(c), PSS_ECONFIG);
    CHECK_STR(pss_ctx_errmsg(ctx), "payment method 'Card' has no account");
    pss_config_free(c);
    card.account = "Card";
    CHECK_OK(ctx, pss_config_new(ctx, &in, &c));
    CHECK_OK(ctx, pss_config_add_method(c, &card));
    CHECK_RC(ctx, pss_config_validate(c), PSS_ECONFIG);
    CHECK_STR(pss_ctx_errmsg(ctx), "config 'Bar' has cash control but no cash payment method");
    pss_method_input cash = {PSS_METHOD_INPUT_VERSION, "Cash", PSS_METHOD_CASH, "Cash", 0};
    CHECK_OK(ctx, pss_config_add_method(c, &cash));
    CHECK_OK(ctx, pss_config_validate(c));
    /* each add checks its own fields */
    CHECK_RC(ctx, pss_config_add_method(c, &cash), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "payment method 'Cash' is already in config 'Bar'");
    pss_method_input till2 = {PSS_METHOD_INPUT_VERSION, "Till 2", PSS_METHOD_CASH, "Cash2", 0};
    CHECK_RC(ctx, pss_config_add_method(c, &till2), PSS_EINVAL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "already has the cash method 'Cash'");
    pss_tax_input tax = {.version = PSS_TAX_INPUT_VERSION, .code = "V", .name = NULL, .rate_ppm = 10000001,
                           .included = 0, .account = "Tax"};
    CHECK_RC(ctx, pss_config_add_tax(c, &tax), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "tax 'V' has rate 10000001 ppm, outside 0..10000000");
    tax.rate_ppm = 50000;
    tax.account = NULL;
    CHECK_OK(ctx, pss_config_add_tax(c, &tax));
    CHECK_RC(ctx, pss_config_validate(c), PSS_ECONFIG);
    CHECK_STR(pss_ctx_errmsg(ctx), "tax 'V' has no account");
    CHECK_RC(ctx, pss_config_add_denomination(c, 0), PSS_EINVAL);
    CHECK_OK(ctx, pss_config_add_denomination(c, 50));
    CHECK_RC(ctx, pss_config_add_denomination(c, 50), PSS_EINVAL);
    pss_config_free(c);

    struct {
        const char *currency, *account, *want;
        int exponent;
        int64_t max;
    } bad[] = {
        {"eur", "A", "currency 'eur' is not a three-letter ISO 4217 code", 2, 0},
        {"EUR", "A", "currency exponent 5 is outside 0..4", 5, 0},
        {"EUR", "A", "allowed cash difference -1 is negative", 2, -1},
        {"EUR", "Assets:Cash ", "has a leading or trailing space", 2, 0},
        {"EUR", "Assets:Cash  Till", "two spaces in a row", 2, 0},
        {"EUR", "Assets;Cash", "or a ';'", 2, 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pss_config_input b = in;
        b.currency = bad[i].currency;
        b.currency_exponent = bad[i].exponent;
        b.max_difference = bad[i].max;
        b.income_account = bad[i].account;
        c = NULL;
        CHECK_RC(ctx, pss_config_new(ctx, &b, &c), PSS_EINVAL);
        CHECK_CONTAINS(pss_ctx_errmsg(ctx), bad[i].want);
        CHECK(c == NULL);
    }
    CHECK_RC(ctx, pss_config_new(ctx, NULL, &c), PSS_EINVAL);
    pss_config_input v3 = in;
    v3.version = 3;
    CHECK_RC(ctx, pss_config_new(ctx, &v3, &c), PSS_EVERSION);
    CHECK_STR(pss_ctx_errmsg(ctx), "pss_config_input has version 3; this library knows versions "
                                   "1 to 2 (initialize it with its INIT macro)");
}

static void json_round_trip(pss_ctx *ctx)
{
    pss_config *c = fix_config(ctx);
    char *json = NULL;
    CHECK_OK(ctx, pss_config_to_json(c, &json));
    CHECK_CONTAINS(json, "\"currency\":\"EUR\"");
    CHECK_CONTAINS(json, "{\"code\":\"VAT10\",\"name\":\"VAT 10%\",\"rate_ppm\":100000,"
                         "\"included\":true,\"account\":\"Liabilities:VAT10\"}");
    pss_config *back = NULL;
    CHECK_OK(ctx, pss_config_from_json(ctx, json, &back));
    char *again = NULL;
    CHECK_OK(ctx, pss_config_to_json(back, &again));
    CHECK_STR(again, json);
    CHECK_I64(pss_config_method_count(back), 3);
    CHECK_STR(pss_config_method_name(back, 1), "Card");
    CHECK(pss_config_method_name(back, 3) == NULL);
    int64_t amount = 0;
    CHECK_OK(ctx, pss_config_parse_amount(back, "12.5", &amount));
    CHECK_I64(amount, 1250);
    CHECK_RC(ctx, pss_config_parse_amount(back, "12.345", &amount), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "'12.345' is not an amount in EUR (up to 2 decimals)");
    pss_free(ctx, json);
    pss_free(ctx, again);
    pss_config_free(back);
    back = NULL;
    CHECK_RC(ctx, pss_config_from_json(ctx, "{\"v\":1,\"name\":\"x\"}", &back), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "config JSON: field 'id' is missing, expected a string");
    CHECK_RC(ctx, pss_config_from_json(ctx, "[1,2", &back), PSS_EINVAL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "payload does not parse as JSON");
    CHECK_RC(ctx, pss_config_from_json(ctx, "{\"v\":9}", &back), PSS_EVERSION);
    CHECK(back == NULL);
    pss_config_free(c);
}

static void store_and_load(void)
{
    pss_storage *store;
    pss_memstore_new(&store);
    pss_ctx *ctx = fix_ctx(store);
    pss_config *c = fix_config(ctx);
    CHECK_RC(ctx, pss_config_save(c, &FIX_ALICE), PSS_EACCESS);
    CHECK_STR(pss_ctx_errmsg(ctx), "alice (cashier) may not save a config: it takes a manager");
    CHECK_OK(ctx, pss_config_save(c, &FIX_MIA));
    pss_config *loaded = NULL;
    CHECK_OK(ctx, pss_config_load(ctx, FIX_CONFIG_ID, &loaded));
    CHECK_STR(pss_config_name(loaded), "Main register");
    CHECK_STR(pss_config_currency(loaded), "EUR");
    CHECK_I64(pss_config_exponent(loaded), 2);
    CHECK_I64(pss_config_max_difference(loaded), 1000);
    /* a second handle saving over a newer revision is refused */
    CHECK_OK(ctx, pss_config_save(loaded, &FIX_MIA));
    CHECK_RC(ctx, pss_config_save(c, &FIX_MIA), PSS_ECONFLICT);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "was changed by someone else since it was loaded");
    pss_config *fresh = fix_config(ctx); /* same id, never loaded */
    CHECK_RC(ctx, pss_config_save(fresh, &FIX_ADA), PSS_ECONFLICT);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "already exists; load it to change it");
    pss_config_free(fresh);
    CHECK_RC(ctx, pss_config_load(ctx, "00000000-0000-4000-8000-00000000dead", &fresh),
             PSS_ENOTFOUND);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "is not in the store");
    /* while a session is open the config is frozen */
    pss_session *s = fix_open(ctx, 0);
    CHECK_RC(ctx, pss_config_save(loaded, &FIX_MIA), PSS_ESTATE);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "has open session");
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "close it before changing the config");
    pss_audit *a = NULL;
    CHECK_OK(ctx, pss_audit_load(ctx, FIX_CONFIG_ID, &a));
    CHECK_I64(pss_audit_count(a), 2);
    pss_audit_record rec = PSS_AUDIT_RECORD_INIT;
    CHECK_OK(ctx, pss_audit_get(a, 1, &rec));
    CHECK_STR(rec.action, "config.save");
    CHECK_STR(rec.user, "mia");
    pss_audit_free(a);
    pss_session_free(s);
    pss_config_free(loaded);
    pss_config_free(c);
    pss_ctx_free(ctx);
    pss_storage_free(store);
}

static void corrupt_config(void)
{
    pss_storage *store;
    pss_memstore_new(&store);
    pss_ctx *ctx = fix_ctx(store);
    /* write garbage where a config should be */
    store->begin(store->userdata, PSS_TXN_WRITE);
    pss_record rec = {"config", FIX_CONFIG_ID, "", 0, "{\"v\":1,\"id\":3}", 14};
    uint64_t rev;
    store->put(store->userdata, &rec, 0, &rev);
    store->commit(store->userdata);
    pss_config *c = NULL;
    CHECK_RC(ctx, pss_config_load(ctx, FIX_CONFIG_ID, &c), PSS_ECORRUPT);
    CHECK_STR(pss_ctx_errmsg(ctx), "stored config 0c0f1a00-0000-4000-8000-000000000001 is "
                                   "corrupt: field 'id' is not a string, expected a string");
    pss_session *s = NULL;
    CHECK_RC(ctx, pss_session_create(ctx, FIX_CONFIG_ID, &FIX_ALICE, NULL, &s), PSS_ECORRUPT);
    CHECK(s == NULL);
    pss_ctx_free(ctx);
    pss_storage_free(store);
}

static void storage_table(void)
{
    pss_ctx *ctx = fix_ctx(NULL);
    pss_storage table = PSS_STORAGE_INIT;
    CHECK_RC(ctx, pss_ctx_set_storage(ctx, &table), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "storage table has no 'begin' callback");
    table.version = 7;
    CHECK_RC(ctx, pss_ctx_set_storage(ctx, &table), PSS_EVERSION);
    CHECK_STR(pss_ctx_errmsg(ctx), "storage table has version 7; this library knows versions 1 "
                                   "to 4");
    /* checks come in pairs (version 4): one alone is refused, the store left unset */
    pss_storage *mem = NULL;
    CHECK_I64(pss_memstore_new(&mem), 0);
    pss_storage half = *mem;
    half.check_last = NULL;
    half.check = (int (*)(void *, const char *, const char *, uint64_t))1;
    CHECK_RC(ctx, pss_ctx_set_storage(ctx, &half), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "storage table has 'check' without 'check_last': give both "
                                   "or neither");
    pss_storage_free(mem);
    pss_session *s = NULL;
    CHECK_RC(ctx, pss_session_load(ctx, FIX_CONFIG_ID, &s), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "the context has no store (call pss_ctx_set_storage)");
    pss_ctx_free(ctx);
}

int main(void)
{
    pss_ctx *ctx = fix_ctx(NULL);
    validation(ctx);
    json_round_trip(ctx);
    pss_ctx_free(ctx);
    store_and_load();
    corrupt_config();
    storage_table();
    return check_done();
}
