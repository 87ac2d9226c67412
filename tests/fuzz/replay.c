/* replay.c: the fuzz harnesses in the normal build, without libFuzzer: feeds every file of the
 * directories (or files) given, in name order, through the harness's LLVMFuzzerTestOneInput
 * and speaks TAP, one test per file. A file fails when the harness reports a finding; a crash,
 * a sanitizer report or a leak fails the whole run. The first argument (the corpus) must hold
 * at least one file; later ones (regressions) may be missing. */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct paths {
    char **v;
    size_t n, cap;
} paths;

static void add_path(paths *p, const char *path)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->v = realloc(p->v, p->cap * sizeof *p->v);
        if (!p->v)
            abort();
    }
    p->v[p->n] = strdup(path);
    if (!p->v[p->n++])
        abort();
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds a file, or a directory's regular files sorted by name; returns how many. */
static size_t add_arg(paths *p, const char *arg)
{
    struct stat st;
    if (stat(arg, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode)) {
        add_path(p, arg);
        return 1;
    }
    DIR *dir = opendir(arg);
    if (!dir)
        return 0;
    size_t first = p->n;
    char path[4096];
    for (struct dirent *e; (e = readdir(dir));) {
        snprintf(path, sizeof path, "%s/%s", arg, e->d_name);
        if (e->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode))
            add_path(p, path);
    }
    closedir(dir);
    qsort(p->v + first, p->n - first, sizeof *p->v, by_name);
    return p->n - first;
}

static unsigned char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *data = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            data = realloc(data, cap);
            if (!data)
                abort();
        }
        size_t got = fread(data + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    *size = n;
    return data;
}

static int replay_one(size_t number, const char *path)
{
    size_t size = 0;
    unsigned char *data = read_file(path, &size);
    if (!data) {
        printf("not ok %zu - %s (unreadable)\n", number, path);
        return 1;
    }
    unsigned long before = fz_findings();
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    int failed = fz_findings() != before;
    printf("%sok %zu - %s\n", failed ? "not " : "", number, path);
    fflush(stdout);
    return failed;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR [MORE_DIRS_OR_FILES...]\n", argv[0]);
        return 2;
    }
    fz_set_mode(FZ_REPLAY);
    paths p = {NULL, 0, 0};
    if (add_arg(&p, argv[1]) == 0) {
        printf("Bail out! no input in %s\n", argv[1]);
        return 1;
    }
    for (int i = 2; i < argc; i++)
        add_arg(&p, argv[i]);
    printf("1..%zu\n", p.n);
    int failed = 0;
    for (size_t i = 0; i < p.n; i++) {
        failed += replay_one(i + 1, p.v[i]);
        free(p.v[i]);
    }
    free(p.v);
    return failed ? 1 : 0;
}
