/* listing.c: which sessions a config has: all of them by state in creation order
 * (pss_session_list), or a page of them newest first by state and operating date
 * (pss_session_list_page). The storage contract scans a config's sessions by parent only,
 * so a page reads each session record once and sorts the few fields it needs. */
#include "session/session_internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/strlist.h"
#include "base/text.h"
#include "store/records.h"
#include "store/store.h"

/* ---- every session, in creation order ---- */

typedef struct list_scan {
    pss_ctx *ctx;
    unsigned mask;
    pss_strlist *list;
} list_scan;

static int on_listed_session(const pss_record *rec, void *arg)
{
    list_scan *ls = arg;
    pss__session_brief b;
    int rc = pss__session_brief_decode(ls->ctx, rec, &b);
    if (rc)
        return rc;
    if (!(ls->mask & PSS_SESSION_STATE_BIT(b.state)))
        return 0;
    return pss__strlist_add(ls->list, rec->id);
}


int pss_session_list(pss_ctx *ctx, const char *config_id, unsigned state_mask, pss_strlist **out)
{
    if (!ctx || !out)
        return PSS_EINVAL;
    pss__clear(ctx);
    *out = NULL;
    char norm[PSS_ID_SIZE];
    int rc = pss__check_id(ctx, "config id", config_id, norm);
    if (rc || (rc = pss__strlist_new(ctx, out)))
        return rc;
    list_scan ls = {ctx, state_mask, *out};
    if (!(rc = pss__txn_begin(ctx, false)))
        rc = pss__txn_end(ctx, pss__scan(ctx, PSS__KIND_SESSION, norm, on_listed_session, &ls));
    if (rc) {
        pss_strlist_free(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- a page, newest first ---- */

static int decode_brief(pss_ctx *ctx, const pss_record *rec, void *out)
{
    return pss__session_brief_decode(ctx, rec, out);
}

/* The config's sessions, sorted newest first. */
typedef struct page_scan {
    pss__session_brief *all;
    size_t n;
} page_scan;

/* Newest first: operating date, creation time, id, all descending; ids make it total. */
static int newest_first(const void *a, const void *b)
{
    const pss__session_brief *x = a, *y = b;
    int by_date = strcmp(y->date, x->date);
    if (by_date)
        return by_date;
    if (x->created_at != y->created_at)
        return x->created_at < y->created_at ? 1 : -1;
    return strcmp(y->id, x->id);
}

static int check_query(pss_ctx *ctx, const pss_session_query *q)
{
    int rc = pss__check_version(ctx, q, q ? q->version : 0, PSS_SESSION_QUERY_VERSION,
                                "pss_session_query");
    if (rc || (q->from_date && (rc = pss__check_date(ctx, "from date", q->from_date))) ||
        (q->to_date && (rc = pss__check_date(ctx, "to date", q->to_date))))
        return rc;
    if (q->from_date && q->to_date && strcmp(q->from_date, q->to_date) > 0)
        return pss__fail(ctx, PSS_EINVAL, "from date %s is after to date %s", q->from_date,
                         q->to_date);
    /* the bits of the states there are: PSS_SESSION_ANY_STATE also sets bits no state has */
    const unsigned states = PSS_SESSION_STATE_BIT(PSS_SESSION_NEW) |
                            PSS_SESSION_STATE_BIT(PSS_SESSION_OPENING_CONTROL) |
                            PSS_SESSION_STATE_BIT(PSS_SESSION_IN_PROGRESS) |
                            PSS_SESSION_STATE_BIT(PSS_SESSION_CLOSING_CONTROL) |
                            PSS_SESSION_STATE_BIT(PSS_SESSION_CLOSED);
    if ((q->state_mask & states) == 0)
        return pss__fail(ctx, PSS_EINVAL, "the state mask selects no state");
    if (q->limit == 0 || q->limit > PSS_SESSION_PAGE_MAX)
        return pss__fail(ctx, PSS_EINVAL, "a page holds 1 to %d sessions, not %zu",
                         PSS_SESSION_PAGE_MAX, q->limit);
    return 0;
}

static bool matches(const pss__session_brief *b, const pss_session_query *q)
{
    return (q->state_mask & PSS_SESSION_STATE_BIT(b->state)) &&
           (!q->from_date || strcmp(b->date, q->from_date) >= 0) &&
           (!q->to_date || strcmp(b->date, q->to_date) <= 0);
}

/* Where the page starts in the sorted sessions: after the cursor's session, if any. */
static int page_start(pss_ctx *ctx, const page_scan *ps, const char *config_id,
                      const char *after, size_t *start)
{
    *start = 0;
    if (!after)
        return 0;
    char id[PSS_ID_SIZE];
    int rc = pss__check_id(ctx, "page cursor (after)", after, id);
    if (rc)
        return rc;
    for (size_t i = 0; i < ps->n; i++)
        if (strcmp(ps->all[i].id, id) == 0) {
            *start = i + 1;
            return 0;
        }
    return pss__fail(ctx, PSS_ENOTFOUND, "page cursor %s is not a session of config %s", id,
                     config_id);
}

static int fill_page(const page_scan *ps, const pss_session_query *q, size_t start,
                     pss_strlist *list, int *more)
{
    size_t listed = 0;
    for (size_t i = start; i < ps->n; i++) {
        if (!matches(&ps->all[i], q))
            continue;
        if (listed == q->limit) {
            *more = 1;
            return 0;
        }
        int rc = pss__strlist_add(list, ps->all[i].id);
        if (rc)
            return rc;
        listed++;
    }
    return 0;
}

int pss_session_list_page(pss_ctx *ctx, const char *config_id, const pss_session_query *query,
                          pss_strlist **out, int *more)
{
    if (!ctx || !out)
        return PSS_EINVAL;
    pss__clear(ctx);
    *out = NULL;
    if (more)
        *more = 0;
    char norm[PSS_ID_SIZE];
    int rc = pss__check_id(ctx, "config id", config_id, norm);
    if (rc || (rc = check_query(ctx, query)))
        return rc;
    pss__record_list found = {NULL, 0, 0, sizeof(pss__session_brief)};
    size_t start = 0;
    int follows = 0;
    pss_strlist *list = NULL;
    if (!(rc = pss__txn_begin(ctx, false)))
        rc = pss__txn_end(ctx, pss__scan_decoded(ctx, PSS__KIND_SESSION, norm, decode_brief,
                                                 &found));
    page_scan ps = {found.items, found.n};
    if (!rc) {
        if (ps.n > 1) /* no sessions: no items at all, and qsort may not be given NULL */
            qsort(ps.all, ps.n, sizeof *ps.all, newest_first);
        rc = page_start(ctx, &ps, norm, query->after, &start);
    }
    if (!rc && !(rc = pss__strlist_new(ctx, &list)))
        rc = fill_page(&ps, query, start, list, &follows);
    PSS_FREE(ctx, found.items);
    if (rc) {
        pss_strlist_free(list);
        return rc;
    }
    *out = list;
    if (more)
        *more = follows;
    return 0;
}
