/* possession/money.h: money as int64_t minor units: exact parsing and formatting of decimal
 * strings, overflow-checked arithmetic and the named rounding rules. No floating point. */
#ifndef POSSESSION_MONEY_H
#define POSSESSION_MONEY_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @file
 * @brief Money in minor units: parse, format, checked arithmetic, rounding. */

/** Smallest currency exponent (for example JPY: 1 yen is the minor unit). */
#define PSS_EXPONENT_MIN 0
/** Largest currency exponent (for example 4 for currencies counted in ten-thousandths). */
#define PSS_EXPONENT_MAX 4
/**
 * Largest magnitude of an amount the host gives (a price, a payment, a cash movement, a
 * count) and of any figure the library computes for a line or an order: 10^15 minor units.
 * Larger ones are refused. See doc/concepts.md, "Bounds".
 */
#define PSS_AMOUNT_MAX INT64_C(1000000000000000)
/** Largest magnitude of a line quantity: 10^12 thousandths (10^9 pieces). */
#define PSS_QUANTITY_MAX INT64_C(1000000000000)
/**
 * Largest volume of a session: the sum of the magnitudes of its order totals and roundings,
 * payments and change, cash movements and opening cash (10^17 minor units). Every sum a
 * session or its journal entry computes then fits in 64 bits.
 */
#define PSS_SESSION_VOLUME_MAX INT64_C(100000000000000000)

/** Size of a buffer that holds any formatted amount ("-92233720368547.75807" plus NUL). */
#define PSS_MONEY_BUFSIZE 32

/**
 * Rounding rules. Every place the library rounds names the rule it uses (see
 * doc/concepts.md): line amounts, discounts and taxes use the config's rule (half away from
 * zero unless configured), cash rounding uses its own.
 */
typedef enum pss_rounding {
    PSS_ROUND_HALF_UP = 1,   /**< To nearest; a half goes away from zero (2.5 -> 3, -2.5 -> -3). */
    PSS_ROUND_HALF_EVEN = 2, /**< To nearest; a half goes to the even neighbour (2.5 -> 2, 3.5 -> 4). */
    PSS_ROUND_UP = 3,        /**< Away from zero (2.1 -> 3, -2.1 -> -3). */
    PSS_ROUND_DOWN = 4       /**< Toward zero (2.9 -> 2, -2.9 -> -2). */
} pss_rounding;

/**
 * Parses a decimal string into minor units, exactly: "-150.00" with exponent 2 gives -15000.
 * Accepts an optional sign, digits, and an optional point followed by digits. Digits beyond
 * the exponent must be zeros ("12.340" is fine for EUR, "12.345" is not). No spaces, no
 * thousands separators, no exponent notation.
 * @param text the string
 * @param exponent the currency's exponent (0..4)
 * @param out receives the amount
 * @return 0, ::PSS_EINVAL (malformed, or more precision than the currency has) or
 *         ::PSS_EOVERFLOW
 */
PSS_API int pss_money_parse(const char *text, int exponent, int64_t *out);

/**
 * Formats minor units as a decimal string: -15000 with exponent 2 gives "-150.00".
 * @param amount minor units
 * @param exponent the currency's exponent (0..4)
 * @param buf receives the NUL-terminated text
 * @param size size of buf; ::PSS_MONEY_BUFSIZE always suffices
 * @return the length written, or ::PSS_EINVAL (bad exponent, buffer too small)
 */
PSS_API int pss_money_format(int64_t amount, int exponent, char *buf, size_t size);

/**
 * a + b, checked.
 * @param a first amount
 * @param b second amount
 * @param out receives the sum
 * @return 0 or ::PSS_EOVERFLOW
 */
PSS_API int pss_money_add(int64_t a, int64_t b, int64_t *out);

/**
 * a - b, checked.
 * @param a first amount
 * @param b amount subtracted
 * @param out receives the difference
 * @return 0 or ::PSS_EOVERFLOW
 */
PSS_API int pss_money_sub(int64_t a, int64_t b, int64_t *out);

/**
 * a * b, checked (for example a denomination times a count).
 * @param a first factor
 * @param b second factor
 * @param out receives the product
 * @return 0 or ::PSS_EOVERFLOW
 */
PSS_API int pss_money_mul(int64_t a, int64_t b, int64_t *out);

/**
 * amount * num / den rounded by mode, computed exactly in 128 bits (rates, discounts,
 * quantities in thousandths).
 * @param amount the amount
 * @param num numerator
 * @param den denominator, non-zero
 * @param mode rounding rule
 * @param out receives the result
 * @return 0, ::PSS_EINVAL (den is 0 or mode unknown) or ::PSS_EOVERFLOW
 */
PSS_API int pss_money_scale(int64_t amount, int64_t num, int64_t den, pss_rounding mode,
                            int64_t *out);

/**
 * Rounds an amount to a multiple of increment (cash rounding: increment 5 rounds to 0.05).
 * @param amount the amount
 * @param increment positive step in minor units
 * @param mode rounding rule
 * @param out receives the rounded amount
 * @return 0, ::PSS_EINVAL or ::PSS_EOVERFLOW
 */
PSS_API int pss_money_round_to(int64_t amount, int64_t increment, pss_rounding mode,
                               int64_t *out);

#ifdef __cplusplus
}
#endif

#endif
