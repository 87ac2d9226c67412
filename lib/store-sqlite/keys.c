/* keys.c: how schema versions 2 and 3 keep record kinds, ids and parents. A kind the library
 * writes is a small integer (the `kinds` table names them); an id or parent that is a canonical
 * UUID is its 16 bytes, and the two composite ids the library writes ("<uuid>:<n>" for
 * running totals, "<kind>/<uuid>" for metadata) are tagged blobs; any other text stays text.
 * The mapping is a bijection on texts of up to PSS_SQLITE_KEY_TEXT_MAX bytes (longer ones stay
 * text), and it never changes: the version 1 -> 2 migration runs it as the SQL function
 * pss_key(), and the view `records` undoes it in plain SQL (open.c). */
#include "sqlite-store.h"

#include <string.h>

/* ---- kinds ---- */

static const char *const known_kinds[] = {
    [PSS_SQLITE_KIND_CONFIG] = "config",
    [PSS_SQLITE_KIND_CONFIG_STATE] = "config_state",
    [PSS_SQLITE_KIND_SESSION] = "session",
    [PSS_SQLITE_KIND_TOTAL] = "total",
    [PSS_SQLITE_KIND_ORDER] = "order",
    [PSS_SQLITE_KIND_REFUND_TALLY] = "refund_tally",
    [PSS_SQLITE_KIND_MOVEMENT] = "movement",
    [PSS_SQLITE_KIND_ENTRY] = "entry",
    [PSS_SQLITE_KIND_META] = "meta",
};

int pss__sqlite_known_kind(const char *kind)
{
    for (int code = 1; code < PSS_SQLITE_KIND_KNOWN_END; code++)
        if (strcmp(kind, known_kinds[code]) == 0)
            return code;
    return 0;
}

const char *pss__sqlite_kind_name(int code)
{
    return code >= 1 && code < PSS_SQLITE_KIND_KNOWN_END ? known_kinds[code] : NULL;
}

/* The records every order rewrites live in their own table, so that the few pages holding
 * them are not spread among the orders, and the orders in theirs, so that the newest
 * session's are its end (doc/sqlite-store.md, "Schema"). */
sqltable pss__sqlite_table_of(int code)
{
    if (code == PSS_SQLITE_KIND_ORDER)
        return TABLE_ORDER;
    return code == PSS_SQLITE_KIND_SESSION || code == PSS_SQLITE_KIND_TOTAL ||
                   code == PSS_SQLITE_KIND_CONFIG_STATE
               ? TABLE_LIVE
               : TABLE_RECORD;
}

/* ---- ids and parents ---- */

#define UUID_TEXT 36
#define UUID_BYTES 16
#define TAG_SUFFIX 1 /* "<uuid>:<rest>": 0x01, the uuid, the rest */
#define TAG_PREFIX 2 /* "<rest>/<uuid>": 0x02, the rest, the uuid */

/* One more than each byte's value as a lower-case hex digit, 0 for any other byte: upper case
 * too, only the canonical spelling is folded (a table: every order's ids go through here). */
static const unsigned char hex_digit[256] = {
    ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
    ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

static int hex_value(char c)
{
    return hex_digit[(unsigned char)c] - 1;
}

/* Reads a canonical (lower-case, 8-4-4-4-12) UUID at text into out; 0 when it is not one. */
static int uuid_bytes(const char *text, unsigned char out[UUID_BYTES])
{
    int n = 0;
    for (int i = 0; i < UUID_TEXT; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (text[i] != '-')
                return 0;
            continue;
        }
        int hi = hex_value(text[i]), lo = hi < 0 ? -1 : hex_value(text[++i]);
        if (lo < 0)
            return 0;
        out[n++] = (unsigned char)(hi << 4 | lo);
    }
    return 1;
}

static void uuid_text(const unsigned char in[UUID_BYTES], char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < UUID_BYTES; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *out++ = '-';
        *out++ = hex[in[i] >> 4];
        *out++ = hex[in[i] & 15];
    }
}

void pss__sqlite_key_encode(const char *text, sqlkey *k)
{
    size_t len = strlen(text);
    k->text = text;
    k->len = 0;
    if (len > PSS_SQLITE_KEY_TEXT_MAX || len < UUID_TEXT)
        return;
    if (len == UUID_TEXT && uuid_bytes(text, k->bytes)) {
        k->len = UUID_BYTES;
    } else if (len > UUID_TEXT && text[UUID_TEXT] == ':' && uuid_bytes(text, k->bytes + 1)) {
        k->bytes[0] = TAG_SUFFIX;
        memcpy(k->bytes + 1 + UUID_BYTES, text + UUID_TEXT + 1, len - UUID_TEXT - 1);
        k->len = (int)(len - UUID_TEXT + UUID_BYTES);
    } else if (len > UUID_TEXT && text[len - UUID_TEXT - 1] == '/' &&
               uuid_bytes(text + len - UUID_TEXT, k->bytes + len - UUID_TEXT)) {
        k->bytes[0] = TAG_PREFIX;
        memcpy(k->bytes + 1, text, len - UUID_TEXT - 1);
        k->len = (int)(len - UUID_TEXT + UUID_BYTES);
    }
}

int pss__sqlite_bind_key(sqlite3_stmt *st, int index, const sqlkey *k)
{
    if (k->len)
        return sqlite3_bind_blob(st, index, k->bytes, k->len, SQLITE_STATIC);
    return sqlite3_bind_text(st, index, k->text, -1, SQLITE_STATIC);
}

/* A stored blob back to its text; 0, or -1 when it is no key of ours. */
static int blob_text(const unsigned char *b, int len, char out[PSS_SQLITE_KEY_TEXT_MAX + 1])
{
    if (len == UUID_BYTES) {
        uuid_text(b, out);
        out[UUID_TEXT] = '\0';
        return 0;
    }
    if (len <= UUID_BYTES || len - UUID_BYTES + UUID_TEXT > PSS_SQLITE_KEY_TEXT_MAX)
        return -1;
    size_t rest = (size_t)(len - UUID_BYTES - 1);
    if (b[0] == TAG_SUFFIX) {
        uuid_text(b + 1, out);
        out[UUID_TEXT] = ':';
        memcpy(out + UUID_TEXT + 1, b + 1 + UUID_BYTES, rest);
    } else if (b[0] == TAG_PREFIX) {
        memcpy(out, b + 1, rest);
        out[rest] = '/';
        uuid_text(b + 1 + rest, out + rest + 1);
    } else {
        return -1;
    }
    out[UUID_TEXT + 1 + rest] = '\0';
    return memchr(out, '\0', UUID_TEXT + 1 + rest) ? -1 : 0;
}

/* Whether text is stored as the blob b of len bytes (len 0: as text): a key in any other form
 * was not written by this store, and get would not find what scan returned. */
static int stored_as(const char *text, const void *b, int len)
{
    sqlkey k;
    pss__sqlite_key_encode(text, &k);
    return k.len == len && (len == 0 || memcmp(k.bytes, b, (size_t)len) == 0);
}

const char *pss__sqlite_column_key(sqlite3_stmt *st, int col, char out[PSS_SQLITE_KEY_TEXT_MAX + 1])
{
    if (sqlite3_column_type(st, col) == SQLITE_TEXT) {
        const char *text = (const char *)sqlite3_column_text(st, col);
        return text && stored_as(text, NULL, 0) ? text : NULL;
    }
    if (sqlite3_column_type(st, col) != SQLITE_BLOB)
        return NULL;
    const unsigned char *b = sqlite3_column_blob(st, col);
    int len = sqlite3_column_bytes(st, col);
    return b && blob_text(b, len, out) == 0 && stored_as(out, b, len) ? out : NULL;
}

/* pss_key(text): the stored form of an id or parent, for the migration from version 1. */
static void key_function(sqlite3_context *fn, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *text = (const char *)sqlite3_value_text(argv[0]);
    if (!text) {
        sqlite3_result_error(fn, "pss_key: an id or parent is NULL", -1);
        return;
    }
    sqlkey k;
    pss__sqlite_key_encode(text, &k);
    if (k.len)
        sqlite3_result_blob(fn, k.bytes, k.len, SQLITE_TRANSIENT);
    else
        sqlite3_result_text(fn, text, -1, SQLITE_TRANSIENT);
}

int pss__sqlite_add_functions(sqlite3 *db)
{
    return sqlite3_create_function(db, "pss_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                   key_function, NULL, NULL);
}
