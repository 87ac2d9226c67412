/* fuzz.h: what the fuzz harnesses share (fuzz.c): the input as a payload, findings (abort
 * under libFuzzer, counted under the replay driver), the documented bounds as checks, a
 * deterministic context, and the "world": a realistic store built once through the public
 * API (scenario.h) that each input is laid into before the library reads it back. */
#ifndef PSS_FUZZ_H
#define PSS_FUZZ_H

#include <possession.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The libFuzzer entry point every harness defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- the input ---- */

/* Starts one input: resets the id counter and keeps the bytes for findings. Returns a
 * NUL-terminated copy (free with fz_end). */
char *fz_begin(const char *harness, const uint8_t *data, size_t size);
void fz_end(char *payload);

/* ---- findings ---- */

typedef enum fz_mode {
    FZ_ABORT,     /* libFuzzer: a finding is a crash (the default) */
    FZ_KEEP_GOING, /* libFuzzer with PSS_FUZZ_KEEP_GOING=1: report each kind once, go on */
    FZ_REPLAY     /* the replay driver: print, count, go on */
} fz_mode;

void fz_set_mode(fz_mode mode);
/* Findings reported so far (the replay driver compares before and after each file). */
unsigned long fz_findings(void);
/* Reports a finding: what was expected and what came instead. The format string is also the
 * finding's kind (keep-going mode reports each kind once). */
void fz_finding(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#define FZ_CHECK(cond, ...)                                                                  \
    do {                                                                                     \
        if (!(cond))                                                                         \
            fz_finding(__VA_ARGS__);                                                         \
    } while (0)

/* ---- bounds (doc/concepts.md "Bounds", possession/money.h) ---- */

/* |v| <= PSS_AMOUNT_MAX: a figure of one line, order, payment, movement or count. */
void fz_amount(const char *what, int64_t v);
/* |v| <= PSS_SESSION_VOLUME_MAX: a sum over a session (running totals, entry lines). */
void fz_volume(const char *what, int64_t v);
/* |v| <= PSS_QUANTITY_MAX. */
void fz_quantity(const char *what, int64_t v);
void fz_range(const char *what, int64_t v, int64_t lo, int64_t hi);
/* 0, or one of the library's codes (PSS_EINVAL .. PSS_EDRAWER). */
void fz_known_rc(const char *call, int rc);
/* rc is one of the n codes listed. */
void fz_rc_in(const char *call, int rc, size_t n, const int *codes);
#define FZ_RC_IN(call, rc, ...)                                                              \
    fz_rc_in((call), (rc), sizeof((const int[]){__VA_ARGS__}) / sizeof(int),                 \
             (const int[]){__VA_ARGS__})

/* ---- contexts and stores ---- */

/* A context with the fixed clock of the scenarios (and the store, when not NULL). */
pss_ctx *fz_ctx(pss_storage *store);
/* Writes a record into a store behind the library's back (its own transaction). */
void fz_put(pss_storage *store, const char *kind, const char *id, const char *parent,
            const char *payload, size_t len);
void fz_append(pss_storage *store, const char *subject, const char *payload, size_t len);

/* A string field of a JSON object payload, copied into out (out[0] = 0 when absent, not a
 * string, or too long). */
void fz_peek(const char *payload, size_t len, const char *key, char *out, size_t size);
/* The peeked field normalized when it is a UUID, else the fallback. */
void fz_peek_id(const char *payload, size_t len, const char *key, const char *fallback,
                char out[PSS_ID_SIZE]);

/* ---- the world ---- */

/* Decides whether a world record or claim goes into a store (kind is "claim" for claims, id
 * the claim key). */
typedef bool (*fz_keep_fn)(const char *kind, const char *id, void *arg);

/* A new in-memory store holding the world (scenario.h, built once), less what keep refuses
 * (keep may be NULL). */
pss_storage *fz_world(fz_keep_fn keep, void *arg);
/* The world's order that a version 4 order payload (which has no id and no session) was
 * written from: the one with its number ("no") and creation time ("at"). Its id and session
 * into id and parent; false when none has them. */
bool fz_world_order_of(const char *payload, size_t len, char id[PSS_ID_SIZE],
                       char parent[PSS_ID_SIZE]);
/* The id of the world's order of session parent with the number of an order payload ("no"
 * of version 4, else "number"); false when the payload has none or the session no such
 * order. */
bool fz_world_order_numbered(const char *payload, size_t len, const char *parent,
                             char id[PSS_ID_SIZE]);
/* Whether the world holds a record of that kind and id. */
bool fz_world_has(const char *kind, const char *id);
/* Keeps everything but the one record (kind, id). */
bool fz_keep_but(const char *kind, const char *id, void *arg);
typedef struct fz_skip {
    const char *kind, *id;
} fz_skip;

/* A sink for exports. */
int fz_discard(void *userdata, const char *data, size_t len);

/* ---- checks shared by harnesses ---- */

/* A journal entry: balanced, within bounds; exported as ledger and CSV. */
void fz_check_entry(const pss_entry *e);
/* What a loaded session says about itself: states, figures, report, verify. */
void fz_check_session(pss_session *s);
/* Drives a loaded session to its close (take over, count, close, else force close) and
 * checks the entry. */
void fz_close_session(pss_ctx *ctx, const char *session_id);

#endif
