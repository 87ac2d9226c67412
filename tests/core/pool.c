/* pool.c: an order's chunked memory: copies, alignment of arrays, requests bigger than a
 * chunk, and out of memory. */
#include <possession.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util/pool.h"

static size_t allocations, limit = SIZE_MAX;

static void *counting_malloc(void *ud, size_t n)
{
    (void)ud;
    if (allocations >= limit)
        return NULL;
    allocations++;
    return malloc(n);
}

static void *counting_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    return realloc(p, n);
}

static void counting_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

static const pss_allocator counting = {PSS_ALLOCATOR_VERSION, counting_malloc, counting_realloc,
                                       counting_free, NULL};

static void copies_share_a_chunk(void)
{
    pss__pool pool = {NULL};
    allocations = 0;
    char *names[30];
    for (int i = 0; i < 30; i++)
        names[i] = pss__pool_strdup(&counting, &pool, i % 2 ? "Income:Sales" : "VAT10");
    CHECK_I64(allocations, 1); /* 30 short strings: one chunk */
    CHECK_STR(names[0], "VAT10");
    CHECK_STR(names[29], "Income:Sales");
    CHECK(names[1] != names[3]);
    CHECK(pss__pool_strdup(&counting, &pool, NULL) == NULL);
    int64_t *figures = pss__pool_calloc(&counting, &pool, 3, sizeof *figures);
    CHECK((uintptr_t)figures % alignof(max_align_t) == 0);
    CHECK_I64(figures[0] + figures[1] + figures[2], 0);
    pss__pool_free(&counting, &pool);
    CHECK(pool.chunks == NULL);
}

static void big_requests_get_their_own_chunk(void)
{
    pss__pool pool = {NULL};
    allocations = 0;
    char big[5000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char *copy = pss__pool_strdup(&counting, &pool, big);
    CHECK_I64(strlen(copy), 4999);
    char *small = pss__pool_strdup(&counting, &pool, "after");
    CHECK_STR(small, "after");
    CHECK_STR(copy + 4990, "xxxxxxxxx");
    CHECK_I64(allocations, 2);
    CHECK(pss__pool_calloc(&counting, &pool, SIZE_MAX / 8, 16) == NULL); /* n * size overflows */
    pss__pool_free(&counting, &pool);
}

static void out_of_memory(void)
{
    pss__pool pool = {NULL};
    allocations = 0;
    limit = 0;
    CHECK(pss__pool_strdup(&counting, &pool, "name") == NULL);
    CHECK(pss__pool_calloc(&counting, &pool, 2, 8) == NULL);
    CHECK(pool.chunks == NULL);
    limit = SIZE_MAX;
    CHECK_STR(pss__pool_strdup(&counting, &pool, "name"), "name");
    pss__pool_free(&counting, &pool);
}

int main(void)
{
    copies_share_a_chunk();
    big_requests_get_their_own_chunk();
    out_of_memory();
    return check_done();
}
