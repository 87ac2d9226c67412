/* cover.h: how often the run met each case the docs single out (late orders by policy and
 * session state, payouts at the drawer's limit, ...), printed with --stats so that a change
 * of the generator that stops making a case shows. */
#ifndef MODEL_COVER_H
#define MODEL_COVER_H

/* Counts one more of the case named by the printf-style format. */
void cover_hit(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
void cover_print(void);

#endif
