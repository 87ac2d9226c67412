/* gen_corpus.c: writes the fuzz corpus: plays the scenarios of scenario.c on an in-memory
 * store, dumps the store after every step (pss_memstore_dump), and keeps each distinct record
 * payload and audit entry, by kind, as a file CORPUS/<harness>/<label>-<hash>. Adds version 1
 * spellings of some orders (the reader still reads them) and amounts for the money parser.
 * Deterministic: the same library gives the same files.
 *
 * usage: fuzz-gen-corpus tests/fuzz/corpus */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#include "fixture.h"
#include "scenario.h"

#define MAX_PER_KIND 40

/* Record kinds and the harness (corpus directory) that reads them. */
static const char *const KINDS[][2] = {
    {"config", "config_json"}, {"config_state", "config_state"}, {"session", "session"},
    {"total", "total"},        {"order", "order"},               {"refund_tally", "tally"},
    {"movement", "movement"},  {"entry", "entry"},               {"audit", "audit"},
    {"meta", "meta"},
};
#define N_KINDS (sizeof KINDS / sizeof KINDS[0])

typedef struct bucket {
    char **payloads;
    size_t n, cap;
} bucket;

static bucket found[N_KINDS];

static int kind_index(const char *kind)
{
    for (size_t i = 0; i < N_KINDS; i++)
        if (strcmp(KINDS[i][0], kind) == 0)
            return (int)i;
    return -1;
}

static void keep(int kind, const char *payload)
{
    bucket *b = &found[kind];
    for (size_t i = 0; i < b->n; i++)
        if (strcmp(b->payloads[i], payload) == 0)
            return;
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        b->payloads = realloc(b->payloads, b->cap * sizeof *b->payloads);
        if (!b->payloads)
            abort();
    }
    b->payloads[b->n++] = strdup(payload);
}

/* ---- reading a dump line ---- */

static void unescape(char *s)
{
    char *out = s;
    for (char *p = s; *p; p++) {
        if (*p != '\\') {
            *out++ = *p;
            continue;
        }
        p++;
        if (*p == 't' || *p == 'n' || *p == 'r')
            *out++ = *p == 't' ? '\t' : *p == 'n' ? '\n' : '\r';
        else if (*p == 'x' && p[1] && p[2]) {
            char hex[3] = {p[1], p[2], 0};
            *out++ = (char)strtol(hex, NULL, 16);
            p += 2;
        } else {
            *out++ = *p;
        }
    }
    *out = '\0';
}

/* The n-th tab-separated field (0-based) of a line, cut in place; the last field runs on. */
static char *field(char *line, int n, int last)
{
    for (int i = 0; i < n && line; i++) {
        line = strchr(line, '\t');
        if (line)
            line++;
    }
    if (line && !last) {
        char *tab = strchr(line, '\t');
        if (tab)
            *tab = '\0';
    }
    return line;
}

static void take_line(char *line)
{
    char copy[1 << 16];
    snprintf(copy, sizeof copy, "%s", line);
    if (strncmp(line, "record\t", 7) == 0) {
        int kind = kind_index(field(copy, 1, 0));
        snprintf(copy, sizeof copy, "%s", line);
        char *payload = field(copy, 5, 1);
        if (kind >= 0 && payload) {
            unescape(payload);
            keep(kind, payload);
        }
    } else if (strncmp(line, "audit\t", 6) == 0) {
        char *payload = field(copy, 3, 1);
        if (payload) {
            unescape(payload);
            keep(kind_index("audit"), payload);
        }
    }
}

static void checkpoint(pss_storage *store, void *arg)
{
    (void)arg;
    fix_text t = {NULL, 0};
    if (pss_memstore_dump(store, fix_text_write, &t) != 0)
        exit(99);
    for (char *line = strtok(t.data, "\n"); line; line = strtok(NULL, "\n"))
        take_line(line);
    free(t.data);
}

/* ---- version 1 orders: every snapshot field spelled out, defaults written, no table ---- */

static void spell_out(json_t *table, json_t *tax)
{
    json_t *entry = json_object_get(table, json_string_value(json_object_get(tax, "code")));
    const char *fields[] = {"rate_ppm", "included", "account"};
    for (int i = 0; i < 3; i++)
        if (!json_object_get(tax, fields[i]) && json_object_get(entry, fields[i]))
            json_object_set(tax, fields[i], json_object_get(entry, fields[i]));
}

static void set_default(json_t *obj, const char *key, json_t *value)
{
    if (!json_object_get(obj, key))
        json_object_set(obj, key, value);
    json_decref(value);
}

static char *order_v1(const char *payload)
{
    json_t *doc = json_loads(payload, 0, NULL);
    if (!doc)
        return NULL;
    json_t *table = json_object_get(doc, "taxes");
    size_t i, k;
    json_t *l, *t, *p, *g;
    json_array_foreach(json_object_get(doc, "lines"), i, l) {
        set_default(l, "discount_ppm", json_integer(0));
        json_array_foreach(json_object_get(l, "taxes"), k, t) spell_out(table, t);
    }
    json_array_foreach(json_object_get(doc, "payments"), i, p) set_default(p, "change", json_integer(0));
    json_array_foreach(json_object_get(doc, "groups"), i, g) {
        json_array_foreach(json_object_get(g, "tax_lines"), k, t) spell_out(table, t);
    }
    set_default(doc, "invoiced", json_false());
    set_default(json_object_get(doc, "totals"), "rounding", json_integer(0));
    json_object_del(doc, "taxes");
    json_object_set_new(doc, "v", json_integer(1));
    char *out = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return out;
}

static void add_v1_orders(void)
{
    int kind = kind_index("order");
    size_t n = found[kind].n;
    for (size_t i = 0, made = 0; i < n && made < 6; i += n / 6 + 1, made++) {
        char *v1 = order_v1(found[kind].payloads[i]);
        if (v1)
            keep(kind, v1);
        free(v1);
    }
}

/* ---- writing ---- */

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* A word saying what the record is: its state, type, kind, action or code. */
static void label_of(const char *harness, const char *payload, char *out, size_t size)
{
    static const char *const keys[] = {"state", "type", "action", "kind", "code", "reference"};
    json_t *doc = json_loads(payload, 0, NULL);
    const char *word = NULL;
    for (size_t i = 0; !word && i < sizeof keys / sizeof keys[0]; i++)
        word = json_string_value(json_object_get(doc, keys[i]));
    json_int_t v = json_integer_value(json_object_get(doc, "v"));
    json_int_t outcome = json_integer_value(json_object_get(doc, "outcome"));
    snprintf(out, size, "%s%s%s%s", word ? word : harness, v == 1 && strcmp(harness, "order") == 0 ? "-v1" : "",
             outcome ? "-refused" : "", "");
    for (char *p = out; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
            *p = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : '_';
    json_decref(doc);
}

static void write_file(const char *dir, const char *name, const char *data)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, strlen(data), f) != strlen(data) || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        exit(1);
    }
}

/* Makes the directory and removes the files a previous run wrote there. */
static void fresh_dir(const char *dir)
{
    mkdir(dir, 0777);
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "cannot open %s\n", dir);
        exit(1);
    }
    char path[4096];
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.') {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    closedir(d);
}

static void write_kind(const char *root, size_t kind)
{
    const char *harness = KINDS[kind][1];
    char dir[4096], name[128], label[64];
    snprintf(dir, sizeof dir, "%s/%s", root, harness);
    fresh_dir(dir);
    const bucket *b = &found[kind];
    size_t step = b->n > MAX_PER_KIND ? b->n / MAX_PER_KIND + 1 : 1;
    size_t written = 0;
    /* evenly over the day, and always the last (final) versions */
    for (size_t i = 0; i < b->n; i++) {
        if (i % step != 0 && i + 3 < b->n)
            continue;
        label_of(harness, b->payloads[i], label, sizeof label);
        snprintf(name, sizeof name, "%s-%016llx", label, (unsigned long long)fnv1a(b->payloads[i]));
        write_file(dir, name, b->payloads[i]);
        written++;
    }
    printf("%-14s %3zu distinct, %3zu written\n", harness, b->n, written);
}

static const char *const AMOUNTS[] = {
    "0", "1", "-1", "+1", "12.34", "-150.00", "0.05", "10", "10.0", "12.340", "007.50",
    "1000000000000000", "-1000000000000000", "9223372036854775807", "-9223372036854775808",
    "92233720368547.75807", "-92233720368547.75808", "922337203685477.5808", "0.0001",
    "1.2345", "99999999999999999999", "5255.00", "3.25", "19.90", "-4.80", "15000",
    "0.000", "1e5", " 1", "1,000.00", ".5", "5.", "--1", "00000000000000000000000000001",
};

static void write_amounts(const char *root)
{
    char dir[4096], name[64];
    snprintf(dir, sizeof dir, "%s/money", root);
    fresh_dir(dir);
    for (size_t i = 0; i < sizeof AMOUNTS / sizeof AMOUNTS[0]; i++) {
        snprintf(name, sizeof name, "amount-%016llx", (unsigned long long)fnv1a(AMOUNTS[i]));
        write_file(dir, name, AMOUNTS[i]);
    }
    printf("%-14s %3zu written\n", "money", sizeof AMOUNTS / sizeof AMOUNTS[0]);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    mkdir(argv[1], 0777);
    pss_storage *store = NULL;
    if (pss_memstore_new(&store) != 0)
        return 99;
    pss_ctx *ctx = fz_ctx(store);
    sc_clock_reset();
    sc_main(ctx, store, 1, checkpoint, NULL);
    sc_others(ctx, store, checkpoint, NULL);
    add_v1_orders();
    for (size_t k = 0; k < N_KINDS; k++)
        write_kind(argv[1], k);
    write_amounts(argv[1]);
    pss_ctx_free(ctx);
    pss_storage_free(store);
    for (size_t k = 0; k < N_KINDS; k++) {
        for (size_t i = 0; i < found[k].n; i++)
            free(found[k].payloads[i]);
        free(found[k].payloads);
    }
    return 0;
}
