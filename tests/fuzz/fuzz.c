/* fuzz.c: the harnesses' shared support (fuzz.h): the current input, findings and their
 * modes, bound checks, deterministic ids and clock, stores written behind the library's
 * back, the world built once from scenario.c, and the checks of sessions and entries that
 * several harnesses run on what they managed to load. */
#include "fuzz.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "fixture.h"
#include "scenario.h"

/* ---- ids: a counter instead of randomness, so that every run of an input is the same ---- */

static uint64_t id_counter;

/* Replaces libuuid's generator for the library linked into this program. */
void uuid_generate_random(uuid_t out)
{
    uint64_t n = ++id_counter;
    memset(out, 0, sizeof(uuid_t));
    out[0] = 0xf0;
    for (int i = 0; i < 8; i++)
        out[15 - i] = (unsigned char)(n >> (8 * i));
    out[6] = 0x40 | (out[6] & 0x0f); /* version 4 */
    out[8] = 0x80 | (out[8] & 0x3f); /* variant */
}

/* ---- the input and findings ---- */

static fz_mode mode = FZ_ABORT;
static bool mode_read;
static unsigned long n_findings;
static const char *harness = "fuzz";
static const uint8_t *input;
static size_t input_size;

void fz_set_mode(fz_mode m)
{
    mode = m;
    mode_read = true;
}

unsigned long fz_findings(void)
{
    return n_findings;
}

static void read_mode(void)
{
    if (mode_read)
        return;
    mode_read = true;
    const char *keep = getenv("PSS_FUZZ_KEEP_GOING");
    if (keep && keep[0] == '1')
        mode = FZ_KEEP_GOING;
}

char *fz_begin(const char *name, const uint8_t *data, size_t size)
{
    read_mode();
    harness = name;
    input = data;
    input_size = size;
    id_counter = 1000;
    sc_clock_reset();
    char *copy = malloc(size + 1);
    if (!copy)
        abort();
    if (size)
        memcpy(copy, data, size);
    copy[size] = '\0';
    return copy;
}

void fz_end(char *payload)
{
    free(payload);
    input = NULL;
    input_size = 0;
}

/* Keep-going mode: each kind of finding once per process; with PSS_FUZZ_FINDINGS set, the
 * first input of each kind is saved there once across processes (fork mode) as
 * <harness>-<kind hash>, its message beside it in the same name with .txt. */
#define MAX_KINDS 256
static const char *seen[MAX_KINDS];
static size_t n_seen;

static bool first_of_kind(const char *fmt)
{
    for (size_t i = 0; i < n_seen; i++)
        if (seen[i] == fmt || strcmp(seen[i], fmt) == 0)
            return false;
    if (n_seen < MAX_KINDS)
        seen[n_seen++] = fmt;
    return true;
}

static void save_input(const char *fmt, const char *message)
{
    const char *dir = getenv("PSS_FUZZ_FINDINGS");
    if (!dir || !input)
        return;
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = fmt; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s-%016llx.txt", dir, harness, (unsigned long long)h);
    FILE *f = fopen(path, "wx"); /* fails when another process saved this kind already */
    if (!f)
        return;
    fprintf(f, "%s\n", message);
    fclose(f);
    path[strlen(path) - 4] = '\0';
    f = fopen(path, "wb");
    if (f) {
        fwrite(input, 1, input_size, f);
        fclose(f);
    }
    fprintf(stderr, "FUZZ FINDING input saved as %s\n", path);
}

void fz_finding(const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    n_findings++;
    if (mode == FZ_KEEP_GOING && !first_of_kind(fmt))
        return;
    fprintf(stderr, "FUZZ FINDING [%s]: %s\n", harness, text);
    if (mode == FZ_ABORT)
        abort();
    if (mode == FZ_KEEP_GOING)
        save_input(fmt, text);
}

/* ---- bounds ---- */

static void within(const char *what, int64_t v, int64_t max, const char *bound)
{
    FZ_CHECK(v >= -max && v <= max, "decoded %s = %lld is beyond %s (%lld)", what, (long long)v,
             bound, (long long)max);
}

void fz_amount(const char *what, int64_t v)
{
    within(what, v, PSS_AMOUNT_MAX, "PSS_AMOUNT_MAX");
}

void fz_volume(const char *what, int64_t v)
{
    within(what, v, PSS_SESSION_VOLUME_MAX, "PSS_SESSION_VOLUME_MAX");
}

void fz_quantity(const char *what, int64_t v)
{
    within(what, v, PSS_QUANTITY_MAX, "PSS_QUANTITY_MAX");
}

void fz_range(const char *what, int64_t v, int64_t lo, int64_t hi)
{
    FZ_CHECK(v >= lo && v <= hi, "decoded %s = %lld is outside %lld..%lld", what, (long long)v,
             (long long)lo, (long long)hi);
}

/* PSS_FUZZ_TRACE=1: every checked call's result on stderr (to see how far an input goes). */
static void trace(const char *call, int rc)
{
    static int on = -1;
    if (on < 0)
        on = getenv("PSS_FUZZ_TRACE") != NULL;
    if (on)
        fprintf(stderr, "  %s -> %d %s\n", call, rc, rc ? pss_strerror(rc) : "");
}

void fz_known_rc(const char *call, int rc)
{
    trace(call, rc);
    FZ_CHECK(rc == 0 || (rc <= PSS_EINVAL && rc >= PSS_EDRAWER), "%s returned %d, not a PSS code",
             call, rc);
}

void fz_rc_in(const char *call, int rc, size_t n, const int *codes)
{
    trace(call, rc);
    for (size_t i = 0; i < n; i++)
        if (rc == codes[i])
            return;
    fz_finding("%s returned %d (%s), not one of the codes a damaged record may give", call, rc,
               pss_strerror(rc));
}

/* ---- contexts and stores ---- */

pss_ctx *fz_ctx(pss_storage *store)
{
    pss_ctx_options o = PSS_CTX_OPTIONS_INIT;
    o.clock = sc_clock;
    pss_ctx *ctx = NULL;
    if (pss_ctx_new(&ctx, &o) != 0 || (store && pss_ctx_set_storage(ctx, store) != 0)) {
        fprintf(stderr, "fuzz: cannot make a context\n");
        abort();
    }
    return ctx;
}

static void must(int rc, const char *what)
{
    if (rc) {
        fprintf(stderr, "fuzz: set-up step %s failed: %d\n", what, rc);
        abort();
    }
}

void fz_put(pss_storage *st, const char *kind, const char *id, const char *parent,
            const char *payload, size_t len)
{
    pss_record rec = {kind, id, parent, 0, payload, len};
    uint64_t rev = 0;
    must(st->begin(st->userdata, PSS_TXN_WRITE), "begin");
    must(st->put(st->userdata, &rec, 0, &rev), "put");
    must(st->commit(st->userdata), "commit");
}

void fz_append(pss_storage *st, const char *subject, const char *payload, size_t len)
{
    uint64_t seq = 0;
    must(st->begin(st->userdata, PSS_TXN_WRITE), "begin");
    must(st->append(st->userdata, subject, payload, len, &seq), "append");
    must(st->commit(st->userdata), "commit");
}

void fz_peek(const char *payload, size_t len, const char *key, char *out, size_t size)
{
    out[0] = '\0';
    json_t *doc = json_loadb(payload, len, 0, NULL);
    const char *s = json_string_value(json_object_get(doc, key));
    if (s && strlen(s) < size)
        memcpy(out, s, strlen(s) + 1);
    json_decref(doc);
}

void fz_peek_id(const char *payload, size_t len, const char *key, const char *fallback,
                char out[PSS_ID_SIZE])
{
    char peeked[PSS_ID_SIZE];
    fz_peek(payload, len, key, peeked, sizeof peeked);
    if (pss_id_normalize(peeked, out) != 0)
        snprintf(out, PSS_ID_SIZE, "%s", fallback);
}

int fz_discard(void *userdata, const char *data, size_t len)
{
    (void)userdata;
    (void)data;
    (void)len;
    return 0;
}

/* ---- the world: the main register up to S2 in progress and the other registers' days, as
 * records and claims ---- */

typedef struct world_item {
    char *kind, *id, *parent, *payload;
    size_t len;
} world_item;

static world_item *items;
static size_t n_items, cap_items;

/* Undoes the dump's escaping in place; returns the length. */
static size_t unescape(char *s)
{
    char *out = s;
    for (char *p = s; *p; p++) {
        if (*p != '\\') {
            *out++ = *p;
            continue;
        }
        p++;
        switch (*p) {
        case 't': *out++ = '\t'; break;
        case 'n': *out++ = '\n'; break;
        case 'r': *out++ = '\r'; break;
        case 'x': {
            char hex[3] = {p[1], p[2], 0};
            *out++ = (char)strtol(hex, NULL, 16);
            p += 2;
            break;
        }
        default: *out++ = *p;
        }
    }
    *out = '\0';
    return (size_t)(out - s);
}

static char *dup_field(char *s)
{
    size_t n = unescape(s);
    char *copy = malloc(n + 1);
    if (!copy)
        abort();
    memcpy(copy, s, n + 1);
    return copy;
}

static void add_item(char **f, int n_fields)
{
    if (n_items == cap_items) {
        cap_items = cap_items ? cap_items * 2 : 64;
        items = realloc(items, cap_items * sizeof *items);
        if (!items)
            abort();
    }
    world_item *it = &items[n_items++];
    bool record = strcmp(f[0], "record") == 0 && n_fields == 6;
    char claim[] = "claim", none[] = "";
    it->kind = dup_field(record ? f[1] : claim);
    it->id = dup_field(f[1 + record]);
    it->parent = dup_field(f[2 + record]);
    it->payload = dup_field(record ? f[5] : none);
    it->len = strlen(it->payload);
}

static void parse_dump(char *text)
{
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *f[6];
        int n = 0;
        for (char *p = line; n < 6; n++) {
            f[n] = p;
            p = strchr(p, '\t');
            if (!p) {
                n++;
                break;
            }
            *p++ = '\0';
        }
        if ((strcmp(f[0], "record") == 0 && n == 6) || (strcmp(f[0], "claim") == 0 && n == 3))
            add_item(f, n);
    }
}

static void build_world(void)
{
    pss_storage *store = NULL;
    must(pss_memstore_new(&store), "memstore");
    pss_ctx *ctx = fz_ctx(store);
    uint64_t saved = id_counter;
    int64_t saved_clock = sc_clock(NULL);
    id_counter = 0;
    sc_clock_reset();
    sc_main(ctx, store, 0, NULL, NULL);
    sc_others(ctx, store, NULL, NULL);
    fix_text t = {NULL, 0};
    must(pss_memstore_dump(store, fix_text_write, &t), "dump");
    parse_dump(t.data);
    free(t.data);
    pss_ctx_free(ctx);
    pss_storage_free(store);
    id_counter = saved;
    sc_clock_reset();
    sc_clock_advance(saved_clock - SC_T0);
}

pss_storage *fz_world(fz_keep_fn keep, void *arg)
{
    if (!items)
        build_world();
    pss_storage *st = NULL;
    must(pss_memstore_new(&st), "memstore");
    must(st->begin(st->userdata, PSS_TXN_WRITE), "begin");
    for (size_t i = 0; i < n_items; i++) {
        const world_item *it = &items[i];
        if (keep && !keep(it->kind, it->id, arg))
            continue;
        char holder[64];
        uint64_t rev;
        pss_record rec = {it->kind, it->id, it->parent, 0, it->payload, it->len};
        must(strcmp(it->kind, "claim") == 0
                 ? st->claim(st->userdata, it->id, it->parent, holder, sizeof holder)
                 : st->put(st->userdata, &rec, 0, &rev),
             "seed");
    }
    must(st->commit(st->userdata), "commit");
    return st;
}

/* A version 4 order's number and creation time, or false. */
static bool order_key(const char *payload, size_t len, json_int_t key[2])
{
    json_t *doc = json_loadb(payload, len, 0, NULL);
    json_t *no = json_object_get(doc, "no"), *at = json_object_get(doc, "at");
    bool ok = json_is_integer(no) && json_is_integer(at);
    if (ok) {
        key[0] = json_integer_value(no);
        key[1] = json_integer_value(at);
    }
    json_decref(doc);
    return ok;
}

bool fz_world_order_of(const char *payload, size_t len, char id[PSS_ID_SIZE],
                       char parent[PSS_ID_SIZE])
{
    json_int_t want[2], have[2];
    if (!items)
        build_world();
    if (!order_key(payload, len, want))
        return false;
    for (size_t i = 0; i < n_items; i++) {
        const world_item *it = &items[i];
        if (strcmp(it->kind, "order") == 0 && order_key(it->payload, it->len, have) &&
            have[0] == want[0] && have[1] == want[1] && pss_id_normalize(it->id, id) == 0 &&
            pss_id_normalize(it->parent, parent) == 0)
            return true;
    }
    return false;
}

static bool number_of(const char *payload, size_t len, json_int_t *number)
{
    json_t *doc = json_loadb(payload, len, 0, NULL);
    json_t *no = json_object_get(doc, "no");
    json_t *v = no ? no : json_object_get(doc, "number");
    bool ok = json_is_integer(v);
    *number = ok ? json_integer_value(v) : 0;
    json_decref(doc);
    return ok;
}

bool fz_world_order_numbered(const char *payload, size_t len, const char *parent,
                             char id[PSS_ID_SIZE])
{
    json_int_t want, have;
    if (!items)
        build_world();
    if (!number_of(payload, len, &want))
        return false;
    for (size_t i = 0; i < n_items; i++) {
        const world_item *it = &items[i];
        if (strcmp(it->kind, "order") == 0 && strcmp(it->parent, parent) == 0 &&
            number_of(it->payload, it->len, &have) && have == want &&
            pss_id_normalize(it->id, id) == 0)
            return true;
    }
    return false;
}

bool fz_world_has(const char *kind, const char *id)
{
    if (!items)
        build_world();
    for (size_t i = 0; i < n_items; i++)
        if (strcmp(items[i].kind, kind) == 0 && strcmp(items[i].id, id) == 0)
            return true;
    return false;
}

bool fz_keep_but(const char *kind, const char *id, void *arg)
{
    const fz_skip *skip = arg;
    return !(strcmp(kind, skip->kind) == 0 && strcmp(id, skip->id) == 0);
}

/* ---- entries and sessions ---- */

void fz_check_entry(const pss_entry *e)
{
    fz_range("entry exponent", pss_entry_exponent(e), PSS_EXPONENT_MIN, PSS_EXPONENT_MAX);
    int64_t debits = 0, credits = 0;
    for (size_t i = 0; i < pss_entry_line_count(e); i++) {
        pss_entry_line l = PSS_ENTRY_LINE_INIT;
        FZ_CHECK(pss_entry_get_line(e, i, &l) == 0, "entry line %zu unreadable", i);
        fz_range("entry line debit", l.debit, 0, PSS_SESSION_VOLUME_MAX);
        fz_range("entry line credit", l.credit, 0, PSS_SESSION_VOLUME_MAX);
        FZ_CHECK(l.account && l.label && l.kind, "entry line %zu lacks a text", i);
        bool overflow = __builtin_add_overflow(debits, l.debit, &debits) ||
                        __builtin_add_overflow(credits, l.credit, &credits);
        FZ_CHECK(!overflow, "entry line %zu: the entry's sums overflow", i);
    }
    FZ_CHECK(debits == credits && debits == pss_entry_total(e),
             "entry debits %lld, credits %lld, total %lld", (long long)debits,
             (long long)credits, (long long)pss_entry_total(e));
    for (size_t i = 0; i < pss_entry_product_count(e); i++) {
        pss_entry_product p = PSS_ENTRY_PRODUCT_INIT;
        FZ_CHECK(pss_entry_get_product(e, i, &p) == 0 && p.product_id && p.name,
                 "entry product %zu unreadable", i);
    }
    fz_known_rc("pss_journal_write_ledger", pss_journal_write_ledger(e, fz_discard, NULL));
    fz_known_rc("pss_journal_write_csv", pss_journal_write_csv(e, 1, fz_discard, NULL));
}

static void check_report(pss_session *s)
{
    pss_report *r = NULL;
    int rc = pss_session_report(s, &r);
    /* the report replays the orders not folded into the running totals yet (doc/storage.md,
     * "Running totals"): a stored order that reads but does not fit its session (a second
     * order of one number, none of another) is damage it meets */
    FZ_RC_IN("pss_session_report", rc, 0, PSS_EOVERFLOW, PSS_ECORRUPT);
    if (rc)
        return;
    for (size_t i = 0; i < pss_report_method_count(r); i++) {
        pss_report_method m = PSS_REPORT_METHOD_INIT;
        FZ_CHECK(pss_report_get_method(r, i, &m) == 0 && m.name, "report method %zu", i);
    }
    for (size_t i = 0; i < pss_report_tax_count(r); i++) {
        pss_report_tax t = PSS_REPORT_TAX_INIT;
        FZ_CHECK(pss_report_get_tax(r, i, &t) == 0 && t.code, "report tax %zu", i);
    }
    for (size_t i = 0; i < pss_report_product_count(r); i++) {
        pss_report_product p = PSS_REPORT_PRODUCT_INIT;
        FZ_CHECK(pss_report_get_product(r, i, &p) == 0 && p.product_id, "report product %zu", i);
    }
    fz_known_rc("pss_report_write_text", pss_report_write_text(r, fz_discard, NULL));
    pss_report_free(r);
}

void fz_check_session(pss_session *s)
{
    fz_range("session state", pss_session_state_of(s), PSS_SESSION_NEW, PSS_SESSION_CLOSED);
    int64_t expected = 0, counted = 0, current = 0, posted = 0, cash = 0;
    FZ_CHECK(pss_session_opening(s, &expected, &counted) == 0, "pss_session_opening failed");
    /* the last close's cash, which without cash control is the expected cash taken as
     * counted: within the session volume, not the bound of a count */
    fz_volume("session opening_expected", expected);
    if (counted != PSS_UNSET)
        fz_amount("session opening_counted", counted);
    fz_known_rc("pss_session_balance", pss_session_balance(s, &current, &posted));
    fz_known_rc("pss_session_expected_cash", pss_session_expected_cash(s, &cash));
    size_t drafts = 0, pending = 0;
    fz_known_rc("pss_session_blockers", pss_session_blockers(s, &drafts, &pending));
    pss_strlist *list = NULL;
    if (pss_session_drafts(s, &list) == 0) {
        for (size_t i = 0; i < pss_strlist_count(list); i++)
            FZ_CHECK(pss_strlist_get(list, i) != NULL, "draft %zu is NULL", i);
        pss_strlist_free(list);
    }
    check_report(s);
    FZ_RC_IN("pss_session_verify", pss_session_verify(s), 0, PSS_EMISMATCH, PSS_ECORRUPT,
             PSS_EVERSION, PSS_EOVERFLOW, PSS_ENOTFOUND);
}

static void check_posted(pss_session *s)
{
    pss_entry *e = NULL;
    int rc = pss_session_entry(s, &e);
    FZ_CHECK(rc == 0, "a session just closed has no readable entry: %d", rc);
    if (!rc)
        fz_check_entry(e);
    pss_entry_free(e);
}

static int count_expected(pss_session *s, const pss_actor *actor)
{
    int64_t cash = 0;
    if (pss_session_expected_cash(s, &cash))
        cash = 0;
    pss_count_input ci = PSS_COUNT_INPUT_INIT;
    ci.cash_total = cash < 0 ? 0 : cash;
    return pss_session_count(s, actor, &ci);
}

void fz_close_session(pss_ctx *ctx, const char *session_id)
{
    pss_session *s = NULL;
    if (pss_session_load(ctx, session_id, &s) != 0)
        return;
    fz_known_rc("pss_session_take_over", pss_session_take_over(s, &sc_mia));
    fz_known_rc("pss_session_start_closing", pss_session_start_closing(s, &sc_mia));
    fz_known_rc("pss_session_count", count_expected(s, &sc_mia));
    int rc = pss_session_close(s, &sc_mia, NULL);
    fz_known_rc("pss_session_close", rc);
    if (rc && pss_session_state_of(s) != PSS_SESSION_CLOSED) {
        pss_force_close_input fi = PSS_FORCE_CLOSE_INPUT_INIT;
        fi.reason = "fuzz";
        fi.void_pending = 1;
        rc = pss_session_force_close(s, &sc_ada, &fi);
        fz_known_rc("pss_session_force_close", rc);
    }
    if (rc == 0)
        check_posted(s);
    pss_session_free(s);
}
