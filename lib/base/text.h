/* text.h: checks on text the host passes in (UTF-8, control characters, lengths, ids,
 * dates, account names), the date/time formatting the library uses, and copying text into
 * fixed fields. */
#ifndef PSS_TEXT_H
#define PSS_TEXT_H

#include <stdbool.h>
#include "base/internal.h"

#define PSS_NAME_MAX 200   /* names, user ids, product ids, account names */
#define PSS_NOTE_MAX 2000  /* notes and reasons */
#define PSS_DATE_SIZE 11   /* "YYYY-MM-DD" + NUL */

/* Text is required (NULL or "" is an error) or optional (NULL and "" allowed). */
typedef enum { PSS_TEXT_OPTIONAL = 0, PSS_TEXT_REQUIRED = 1 } pss_text_need;

/* Valid UTF-8 with no control characters and at most max bytes. `what` names the field
 * for the detail message ("payment method name"). */
int pss__check_text(pss_ctx *ctx, const char *what, const char *s, pss_text_need need,
                    size_t max);
/* An account name that also reads as given in ledger journals (doc/concepts.md, "Accounts"):
 * no leading/trailing space, no two spaces in a row, no ';', no tab, no leading '(', '[',
 * '*' or '!' (hledger's virtual postings and status marks), and no space but U+0020. */
int pss__check_account(pss_ctx *ctx, const char *what, const char *s, pss_text_need need);
/* A UUID, normalized into out. */
int pss__check_id(pss_ctx *ctx, const char *what, const char *s, char out[PSS_ID_SIZE]);
/* A calendar date "YYYY-MM-DD" from 1970 on. */
bool pss__date_valid(const char *s);
int pss__check_date(pss_ctx *ctx, const char *what, const char *s);
bool pss__utf8_valid(const char *s, size_t *bad_at);
/* Copies src (NULL: "") into dst of size bytes, cut to fit and NUL-terminated: what
 * snprintf(dst, size, "%s", src) does, without its formatting cost on per-order paths. */
void pss__copy_text(char *dst, size_t size, const char *src);
/* The UTC date of a millisecond timestamp. */
void pss__date_of(int64_t ms, char out[PSS_DATE_SIZE]);
#define PSS_TIME_SIZE 48
/* "2026-11-21 14:03:07 UTC" */
void pss__time_text(int64_t ms, char out[PSS_TIME_SIZE]);
/* Number of characters (UTF-8 code points) in s. */
size_t pss__text_width(const char *s);
/* Empty string for NULL. */
static inline const char *pss__str(const char *s)
{
    return s ? s : "";
}

#endif
