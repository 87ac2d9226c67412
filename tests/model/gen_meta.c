/* gen_meta.c: generating host metadata (concepts.md, "Host metadata"): texts the docs accept
 * (objects with spaces, number spellings, escapes and 2- to 4-byte UTF-8, nested values,
 * exactly 4096 bytes), texts they refuse (not an object, not JSON, too large, invalid UTF-8,
 * duplicate keys), texts they leave open (README, readings), and the calls pss_meta_set and
 * pss_meta_get on configs, sessions, orders and cash movements of every state. */
#include <stdio.h>
#include <string.h>

#include "gen.h"

static const char *const good[] = {
    "{}",
    "{\"erp\":\"pos.order/4711\"}",
    "{ \"shift\": \"morning\" }",
    "{\"bag\":42,\"price\":1.50,\"neg\":-0,\"exp\":1E+2,\"small\":2.5e-3,\"z\":0.0}",
    "{\"été\":1,\"日本\":\"茶\",\"emoji\":\"😀\",\"mix\":\"Ærø 😀 ü\"}",
    "{\"esc\":\"a\\\"b\\\\c\\/d\\n\\t\\r\\b\\f\\u00e9\\ud83d\\ude00\\u0085\\u001f\"}",
    "{\"nested\":{\"a\":[1,2,{\"b\":null}],\"t\":true,\"f\":false},\"arr\":[]}",
    "{\"a\":1,\"A\":2,\"a \":3}",
    "{\"\xc3\xa9\":1,\"e\xcc\x81\":2}",
    "{\"a\":{\"a\":{\"a\":1}},\"b\":[{\"a\":1},{\"a\":2}]}",
    "{\"batch\":\"B-17\",\"terminal\":\"SN 0042\",\"n\":-12.5e-1}",
    "{\"\":\"empty key\",\"k\":\"\"}",
    "{\"a\":[[[[[[[[1]]]]]]]]}",
    "{\"big\":999999999999999999,\"small\":-999999999999999999}",
};

static const char *const bad[] = {
    "", " ", "[]", "[{}]", "\"x\"", "42", "null", "true",
    "{", "}", "{\"a\":}", "{'a':1}", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{\"a\":1}}",
    "{}{}", "{} x", "{\"a\":01}", "{\"a\":.5}", "{\"a\":1.}", "{\"a\":NaN}",
    "{\"a\":Infinity}", "{\"a\":\"\\x\"}", "{\"a\":\"x\ty\"}", "{\"a\":\"line\nbreak\"}",
    "{\"a\":tru}", "{\"a\":\"\\u12\"}", "{\"a\":[1,2}", "{\"a\":\"open}", "{\"a\":+1}",
    "{\"a\":1 \"b\":2}", "{\"a\":-}", "{\"a\":1e}", "{\"a\":\"\x01\"}",
    "{\"a\":\"\xff\"}", "{\"a\":\"\xc0\xaf\"}", "{\"a\":\"\xed\xa0\x80\"}", "{\"a\":\"\xe2\x82\"}",
    "{\"\xfe\":1}", "{\"a\":\"\xf8\x88\x80\x80\x80\"}", "{\"a\":1}\xff",
    "{\"a\":1,\"a\":2}", "{\"a\":1,\"b\":2,\"a\":3}", "{\"a\":1,\"\\u0061\":2}",
    "{\"é\":1,\"\\u00e9\":2}", "{\"x\":{},\"x\":{}}",
};

static const char *const open_ones[] = {
    "{\"x\":{\"b\":1,\"b\":2}}",
    "{\"n\":123456789012345678901234567890}",
    "{\"n\":1e400}",
    "{\"s\":\"nul\\u0000byte\"}",
    "{\"s\":\"lone \\ud800 surrogate\"}",
    "{\n  \"pretty\": true\n}\n",
    "{\"del\":\"a\x7f" "b\"}",
    "{\"c1\":\"a\xc2\x85" "b\"}",
    "\t{\"tab\":1}",
};

/* A text padded to exactly `size` bytes with a character of `w` bytes. */
static void padded(char *out, size_t size, int w)
{
    static const char *const ch[] = {"", "x", "é", "茶", "😀"};
    const char *head = "{\"pad\":\"", *tail = "\"}";
    size_t n = strlen(head);
    memcpy(out, head, n);
    while (n + strlen(tail) + (size_t)w <= size) {
        memcpy(out + n, ch[w], (size_t)w);
        n += (size_t)w;
    }
    while (n + strlen(tail) < size)
        out[n++] = 'y';
    memcpy(out + n, tail, strlen(tail) + 1);
}

/* A random small object of keys and values the docs accept. */
static void random_object(gen *g, char *out, size_t size, int depth)
{
    static const char *const keys[] = {"erp", "batch", "été", "id", "n", "list", "t", "日本", "x"};
    static const char *const vals[] = {"1", "-2.50", "true", "false", "null", "\"pos.order/4711\"",
                                       "\"Ærø\"", "[]", "{}", "1e3", "\"a\\\"q\\\"\"", "[1,\"2\",3.0]"};
    int n = (int)prng_below(&g->r, 5), used = 0;
    size_t len = (size_t)snprintf(out, size, "{");
    for (int i = 0; i < n && len + 64 < size; i++) {
        int k;
        do
            k = (int)prng_below(&g->r, 9);
        while (used & (1 << k));
        used |= 1 << k;
        len += (size_t)snprintf(out + len, size - len, "%s\"%s\":", i ? "," : "", keys[k]);
        if (depth < 3 && prng_chance(&g->r, 25)) {
            random_object(g, out + len, size - len, depth + 1);
            len += strlen(out + len);
        } else {
            len += (size_t)snprintf(out + len, size - len, "%s", vals[prng_below(&g->r, 12)]);
        }
    }
    snprintf(out + len, size - len, "}");
}

/* A text of the class asked for (META_OK, META_BAD, META_EITHER), as the oracle judges it. */
int gen_meta_text(gen *g, int want)
{
    static char buf[META_MAX + 64];
    for (int tries = 0; tries < 16; tries++) {
        int k = (int)prng_below(&g->r, 10);
        if (want == META_OK) {
            if (k < 4)
                snprintf(buf, sizeof buf, "%s", good[prng_below(&g->r, sizeof good / sizeof good[0])]);
            else if (k < 8)
                random_object(g, buf, 600, 0);
            else
                padded(buf, META_MAX - (k == 8 ? 0 : prng_below(&g->r, 3)),
                       1 + (int)prng_below(&g->r, 4));
        } else if (want == META_BAD) {
            if (k < 7)
                snprintf(buf, sizeof buf, "%s", bad[prng_below(&g->r, sizeof bad / sizeof bad[0])]);
            else
                padded(buf, META_MAX + 1 + prng_below(&g->r, 3), 1 + (int)prng_below(&g->r, 4));
        } else if (k < 8) {
            snprintf(buf, sizeof buf, "%s",
                     open_ones[prng_below(&g->r, sizeof open_ones / sizeof open_ones[0])]);
        } else {
            /* nesting deeper than an implementation may allow (RFC 8259, section 9) */
            int depth = (int)prng_range(&g->r, 40, 1800);
            size_t n = (size_t)snprintf(buf, sizeof buf, "{\"deep\":");
            for (int i = 0; i < depth; i++)
                buf[n++] = '[';
            for (int i = 0; i < depth; i++)
                buf[n++] = ']';
            snprintf(buf + n, sizeof buf - n, "}");
        }
        if (m_meta_verdict(buf) == want)
            return meta_intern(buf);
    }
    return want == META_OK ? meta_intern("{}") : meta_intern("[]");
}

/* Metadata given at creation: mostly none, else a text the docs accept; with `fault` (when
 * not NULL) now and then one they refuse, described there. */
int gen_meta_given(gen *g, char *fault, size_t size)
{
    if (fault && !fault[0] && prng_chance(&g->r, 4)) {
        int id = gen_meta_text(g, META_BAD);
        char esc[48];
        gen_escape(meta_text(id), esc, sizeof esc);
        snprintf(fault, size, "metadata refused (%zu bytes): %s", strlen(meta_text(id)), esc);
        return id;
    }
    return prng_chance(&g->r, 30) ? gen_meta_text(g, META_OK) : 0;
}

/* An owner of the kind: a config, a session, an order or a movement the model holds (any
 * state), or -1. */
static int pick_owner(gen *g, int kind, char *id, int *session)
{
    const model *m = g->m;
    int n = kind == META_CONFIG ? m->nreg : kind == META_SESSION ? m->ns
          : kind == META_ORDER ? m->no : m->nmv;
    *session = -1;
    for (int tries = 0; n > 0 && tries < 8; tries++) {
        /* mostly something recent: what a host is working on */
        int i = prng_chance(&g->r, 60) && n > 4 ? n - 1 - (int)prng_below(&g->r, 4)
                                                : (int)prng_below(&g->r, (uint64_t)n);
        const char *s = kind == META_CONFIG ? m->reg[i].cfg.id : kind == META_SESSION ? m->s[i].id
                      : kind == META_ORDER ? m->o[i].id : m->mv[i].id;
        if (!s[0])
            continue;
        snprintf(id, G_SHORT, "%s", s);
        *session = kind == META_CONFIG ? -1 : kind == META_SESSION ? i
                 : kind == META_ORDER ? m->o[i].session : m->mv[i].session;
        return i;
    }
    return -1;
}

static void meta_target(gen *g, op *o)
{
    static const int kinds[] = {META_CONFIG, META_SESSION, META_SESSION, META_ORDER, META_ORDER,
                                META_ORDER, META_MOVEMENT, META_MOVEMENT};
    o->meta_kind = kinds[prng_below(&g->r, 8)];
    char id[G_SHORT];
    int si, owner = pick_owner(g, o->meta_kind, id, &si);
    o->meta_id.null = 0;
    if (owner < 0)
        gen_uuid(g, id), snprintf(o->fault, sizeof o->fault, "metadata of an unknown owner");
    g_str_set(&o->meta_id, id);
    o->session = si;
    o->order = o->meta_kind == META_ORDER ? owner : -1;
    if (!prng_chance(&g->r, g->fault_pct / 2))
        return;
    int k = (int)prng_below(&g->r, 6);
    if (k == 0) {
        o->meta_kind = prng_chance(&g->r, 50) ? 0 : prng_chance(&g->r, 50) ? 5 : -1;
        snprintf(o->fault, sizeof o->fault, "owner kind %d", o->meta_kind);
    } else if (k == 1) {
        g_str_set(&o->meta_id, prng_chance(&g->r, 50) ? NULL : "not-a-uuid");
        snprintf(o->fault, sizeof o->fault, "owner id NULL or malformed");
    } else if (k == 2) {
        gen_uuid(g, id);
        g_str_set(&o->meta_id, id);
        snprintf(o->fault, sizeof o->fault, "owner id unknown");
    } else if (k == 3) {
        /* the id of an owner of another kind */
        static const int other[] = {META_SESSION, META_ORDER, META_MOVEMENT, META_CONFIG};
        int ok = other[(o->meta_kind) % 4], osi;
        if (pick_owner(g, ok, id, &osi) >= 0) {
            g_str_set(&o->meta_id, id);
            snprintf(o->fault, sizeof o->fault, "the id of an owner of another kind");
        }
    }
}

void gen_meta_set(gen *g, op *o)
{
    o->kind = OP_META_SET;
    meta_target(g, o);
    o->ctx = (int)prng_below(&g->r, 2);
    int k = (int)prng_below(&g->r, 20);
    o->meta = k < 12 ? gen_meta_text(g, META_OK) : k < 16 ? gen_meta_text(g, META_BAD)
            : k < 18 ? gen_meta_text(g, META_EITHER) : 0;
    if (k >= 12 && k < 18 && !o->fault[0])
        snprintf(o->fault, sizeof o->fault, k < 16 ? "metadata refused" : "metadata left open");
    /* any cashier or above (a config's: a manager or admin), now and then one below */
    static const int who[] = {ANN, BOB, SYNC, MIA, KIM, ADA, MIA, ADA};
    gen_actor(&o->actor, who[prng_below(&g->r, 8)]);
    if (!o->fault[0] && prng_chance(&g->r, g->fault_pct / 3))
        gen_actor(&o->actor, NOBODY), snprintf(o->fault, sizeof o->fault, "role none");
    if (!o->fault[0] && prng_chance(&g->r, 3)) {
        o->actor.version = 2;
        snprintf(o->fault, sizeof o->fault, "actor version 2");
    }
    if (prng_chance(&g->r, 20))
        g_str_set(&o->actor.device, NULL);   /* no lease plays a part */
}

void gen_meta_get(gen *g, op *o)
{
    o->kind = OP_META_GET;
    meta_target(g, o);
    o->ctx = (int)prng_below(&g->r, 2);
    gen_actor(&o->actor, MIA);
}
