/* gen_corpus.c: writes the fuzz corpus: plays the scenarios of scenario.c on an in-memory
 * store, dumps the store after every step (pss_memstore_dump), and keeps each distinct record
 * payload and audit entry, by kind, as a file CORPUS/<harness>/<label>-<hash>. Orders are
 * version 4 (<state>-v4-<hash>); the seeds of versions 1 to 3 that earlier libraries wrote
 * stay in the corpus as they are (this library reads them but no longer writes them). Adds
 * amounts for the money parser. Deterministic: the same library gives the same files.
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
    bool order = strcmp(harness, "order") == 0;
    if (order && !word && v >= 4) /* version 4 leaves "paid" out */
        word = "paid";
    snprintf(out, size, "%s%s%s", word ? word : harness, order && v >= 4 ? "-v4" : "",
             outcome ? "-refused" : "");
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

/* Whether a previous run wrote the file: not the order seeds of versions 1 to 3, which this
 * library no longer writes. */
static bool written_here(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    return !(n >= 6 && strcmp(dir + n - 6, "/order") == 0 && !strstr(name, "-v4-"));
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
        if (e->d_name[0] != '.' && written_here(dir, e->d_name)) {
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
