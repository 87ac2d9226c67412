/* oracle_session.c: the session lifecycle before the close: create (the open-session slot,
 * one session per day, the opening-cash chain, names), start opening, open with the counted
 * cash, take over, heartbeat, start closing and reopen. */
#include <stdio.h>
#include <string.h>

#include "oracle.h"

static int day_taken(const m_register *r, const char *date)
{
    for (int i = 0; i < r->ndays; i++)
        if (strcmp(r->days[i], date) == 0)
            return 1;
    return 0;
}

static int create_checks(model *m, int reg, const g_actor *a, const char *id,
                         const char *date, int date_ok, int meta, m_expect *ex)
{
    if (m_actor_check(a, ex))
        return -1;
    if (m_meta_verdict(meta_text(meta)) != META_OK)
        ex_add(ex, E_INVAL, "session metadata: not a JSON object of at most 4096 bytes");
    if (a->role < R_CASHIER)
        ex_add(ex, E_ACCESS, "role none may not create");
    if (id && (!m_valid_uuid(id) || m_find_session(m, id) >= 0))
        ex_add(ex, m_valid_uuid(id) ? E_CONFLICT : E_INVAL, "session id");
    if (!date_ok)
        ex_add(ex, E_INVAL, "operating date malformed");
    if (reg < 0) {
        ex_add(ex, E_NOTFOUND, "no such config");
        return -1;
    }
    const m_register *r = &m->reg[reg];
    if (r->open_session >= 0)
        ex_add(ex, E_EXISTS, "the config has an open session");
    if (date_ok && r->cfg.per_day && day_taken(r, date))
        ex_add(ex, E_EXISTS, "one session per day: the date is taken");
    return ex_refused(ex) ? -1 : 0;
}

static void fill_session(model *m, m_session *s, int reg, const g_actor *a, const char *id,
                         const char *date)
{
    m_register *r = &m->reg[reg];
    strcpy(s->id, id ? id : "");
    strcpy(s->date, date);
    s->reg = reg;
    s->cfg = r->cfg;
    s->state = SS_NEW;
    strcpy(s->user, a->user.s);
    strcpy(s->device, a->device.s);
    s->lease_exp = m->now + s->cfg.lease_s * 1000;
    s->created_at = m->now;
    s->open_exp = r->last_closing;
    s->open_cnt = M_UNSET;
    s->posted_counted = M_UNSET;
    s->next_number = 1;
    r->session_seq++;
    snprintf(s->name, sizeof s->name, "%s/%05lld", r->cfg.code, (long long)r->session_seq);
}

/* pss_session_create; returns the new session's index or -1. */
int m_session_create(model *m, const char *config_id, const g_actor *a, const char *id,
                     const g_str *date, int meta, m_expect *ex)
{
    char day[16];
    int date_ok = 1;
    if (date->null) {
        m_civil_date(m->now, day);
    } else {
        snprintf(day, sizeof day, "%.15s", date->s);
        date_ok = m_valid_date(date->s);
    }
    int reg = m_find_reg(m, config_id);
    if (create_checks(m, reg, a, id, day, date_ok, meta, ex))
        return -1;
    m_session *s = m_new_session(m);
    fill_session(m, s, reg, a, id, day);
    s->meta = meta;
    m_register *r = &m->reg[reg];
    r->open_session = m->ns - 1;
    if (r->cfg.per_day && r->ndays < M_MAXDAYS)
        strcpy(r->days[r->ndays++], day);
    return m->ns - 1;
}

void m_start_opening(model *m, int si, const g_actor *a, m_expect *ex)
{
    m_session *s = &m->s[si];
    if (m_access(m, s, a, RULE_SUPERVISE, ST(SS_NEW), ex))
        return;
    s->state = SS_OPENING;
    m_renew(m, s, a);
}

void m_open(model *m, int si, const g_actor *a, int64_t counted, const g_str *note,
            m_expect *ex)
{
    m_session *s = &m->s[si];
    m_access(m, s, a, RULE_SUPERVISE, ST(SS_NEW) | ST(SS_OPENING), ex);
    if (!note->null && !m_valid_utf8(note->s, 0))
        ex_add(ex, E_INVAL, "opening note not text");
    if (s->cfg.cash_control && counted == M_UNSET)
        ex_add(ex, E_INVAL, "opening count missing with cash control");
    if (counted != M_UNSET && (counted < 0 || counted > M_AMAX))
        ex_add(ex, E_INVAL, "opening count out of range");
    if (ex_refused(ex))
        return;
    s->open_cnt = counted == M_UNSET ? s->open_exp : counted;
    s->state = SS_PROGRESS;
    s->opened_at = m->now;
    strcpy(s->opened_by, a->user.s);
    m_fiscal(m, si, 1);   /* session.open */
    m_renew(m, s, a);
}

void m_take_over(model *m, int si, const g_actor *a, m_expect *ex)
{
    m_session *s = &m->s[si];
    if (m_access(m, s, a, RULE_TAKE_OVER, ST_OPEN_ANY, ex))
        return;
    strcpy(s->user, a->user.s);
    m_renew(m, s, a);
}

void m_heartbeat(model *m, int si, const g_actor *a, m_expect *ex)
{
    m_session *s = &m->s[si];
    if (m_access(m, s, a, RULE_OPERATE, ST_OPEN_ANY, ex))
        return;
    m_renew(m, s, a);
}

void m_start_closing(model *m, int si, const g_actor *a, m_expect *ex)
{
    m_session *s = &m->s[si];
    if (m_access(m, s, a, RULE_SUPERVISE, ST(SS_PROGRESS), ex))
        return;
    s->state = SS_CLOSING;
    m_renew(m, s, a);
}

void m_reopen(model *m, int si, const g_actor *a, const g_str *reason, m_expect *ex)
{
    m_session *s = &m->s[si];
    m_access(m, s, a, RULE_MANAGER, ST(SS_CLOSING), ex);
    if (reason->null || !reason->s[0] || !m_valid_utf8(reason->s, 0))
        ex_add(ex, E_INVAL, "reopen needs a reason");
    if (ex_refused(ex))
        return;
    s->state = SS_PROGRESS;
    s->count.has = 0;
    m_fiscal(m, si, 1);   /* session.reopen */
    m_renew(m, s, a);
}
