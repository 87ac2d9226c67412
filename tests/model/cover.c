/* cover.c: the case counters of cover.h, a small table of names printed in name order. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cover.h"

#define COVER_MAX 256

static struct {
    char name[96];
    long n;
} cases[COVER_MAX];
static int ncases;

void cover_hit(const char *fmt, ...)
{
    char name[96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    for (int i = 0; i < ncases; i++)
        if (strcmp(cases[i].name, name) == 0) {
            cases[i].n++;
            return;
        }
    if (ncases < COVER_MAX) {
        snprintf(cases[ncases].name, sizeof cases[ncases].name, "%s", name);
        cases[ncases++].n = 1;
    }
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const char *)a), ((const char *)b));
}

void cover_print(void)
{
    qsort(cases, (size_t)ncases, sizeof cases[0], by_name);
    printf("  cases:\n");
    for (int i = 0; i < ncases; i++)
        printf("    %-60s %ld\n", cases[i].name, cases[i].n);
}
