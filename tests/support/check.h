/* check.h: the tests' assertions. Output is TAP (one "ok"/"not ok" line per check, the
 * failing figures in a comment), the process exits non-zero when any check failed. */
#ifndef PSS_TEST_CHECK_H
#define PSS_TEST_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_count_, check_failed_;

static inline void check_report_(int ok, const char *file, int line, const char *expr)
{
    check_count_++;
    if (!ok)
        check_failed_++;
    printf("%s %d - %s:%d: %s\n", ok ? "ok" : "not ok", check_count_, file, line, expr);
}

#define CHECK(cond) check_report_(!!(cond), __FILE__, __LINE__, #cond)

#define CHECK_I64(actual, expected)                                                      \
    do {                                                                                 \
        int64_t a_ = (int64_t)(actual), e_ = (int64_t)(expected);                        \
        check_report_(a_ == e_, __FILE__, __LINE__, #actual " == " #expected);           \
        if (a_ != e_)                                                                    \
            printf("# got %" PRId64 ", expected %" PRId64 "\n", a_, e_);                 \
    } while (0)

#define CHECK_STR(actual, expected)                                                      \
    do {                                                                                 \
        const char *a_ = (actual), *e_ = (expected);                                     \
        int ok_ = a_ && e_ ? strcmp(a_, e_) == 0 : a_ == e_;                             \
        check_report_(ok_, __FILE__, __LINE__, #actual " is \"" #expected "\"");         \
        if (!ok_)                                                                        \
            printf("# got \"%s\", expected \"%s\"\n", a_ ? a_ : "(null)", e_ ? e_ : "(null)"); \
    } while (0)

/* Two long texts are equal; on mismatch only the first differing line is shown. */
#define CHECK_SAME_TEXT(actual, expected)                                                \
    do {                                                                                 \
        const char *a_ = (actual), *e_ = (expected);                                     \
        int ok_ = a_ && e_ && strcmp(a_, e_) == 0;                                       \
        check_report_(ok_, __FILE__, __LINE__, #actual " equals " #expected);            \
        if (!ok_ && a_ && e_) {                                                          \
            size_t i_ = 0, line_ = 0;                                                    \
            while (a_[i_] && a_[i_] == e_[i_])                                           \
                i_++;                                                                    \
            while (i_ > 0 && a_[i_ - 1] != '\n')                                         \
                i_--;                                                                    \
            for (size_t k_ = 0; k_ < i_; k_++)                                           \
                line_ += a_[k_] == '\n';                                                 \
            printf("# first difference at line %zu:\n# got:      %.200s\n# expected: %.200s\n", \
                   line_ + 1, a_ + i_, e_ + i_);                                         \
        }                                                                                \
    } while (0)

/* The detail message contains the given text. */
#define CHECK_CONTAINS(haystack, needle)                                                 \
    do {                                                                                 \
        const char *h_ = (haystack), *n_ = (needle);                                     \
        int ok_ = h_ && n_ && strstr(h_, n_) != NULL;                                    \
        check_report_(ok_, __FILE__, __LINE__, #haystack " contains \"" #needle "\"");   \
        if (!ok_)                                                                        \
            printf("# \"%s\" does not contain \"%s\"\n", h_ ? h_ : "(null)", n_ ? n_ : "(null)"); \
    } while (0)

/* A call returns the expected code; on mismatch the context's detail is shown. */
#define CHECK_RC(ctx, call, expected)                                                    \
    do {                                                                                 \
        int rc_ = (call), e_ = (expected);                                               \
        check_report_(rc_ == e_, __FILE__, __LINE__, #call " == " #expected);            \
        if (rc_ != e_)                                                                   \
            printf("# returned %d (%s), expected %d; detail: %s\n", rc_, pss_strerror(rc_), \
                   e_, pss_ctx_errmsg(ctx));                                             \
    } while (0)

#define CHECK_OK(ctx, call) CHECK_RC(ctx, call, 0)

/* Ends the test: prints the plan, returns the exit status. */
static inline int check_done(void)
{
    printf("1..%d\n", check_count_);
    if (check_failed_)
        printf("# %d of %d checks failed\n", check_failed_, check_count_);
    return check_failed_ ? 1 : 0;
}

#endif
