/*
 * A decimal number read from text as a double, exactly as strtod reads it
 * (the same bits, always), but fast for the numbers data files hold. Private
 * to the library; the modelling dataset reads every numeric cell through it.
 *
 * Accepted, the whole of s[0..len) and nothing else:
 *     [+-] digits [. [digits]] [(e|E) [+-] digits]
 *     [+-] . digits [(e|E) [+-] digits]
 * Refused (return 0): an empty input, spaces anywhere, anything after the
 * number, hexadecimal, "inf" and "nan" in any spelling (a data column holds
 * decimal numbers; the dataset treats NaN-like words as missing values, not
 * as numbers), a value that overflows to infinity or that strtod reports as
 * out of range (ERANGE, e.g. an underflow to a subnormal or to zero), and an
 * input of FLOAT_PARSE_MAX_LEN bytes or more.
 *
 * How: one scan gathers up to 19 significant digits into a 64-bit integer w
 * and the power of ten p. When w <= 2^53 and |p| <= 22 both w and 10^|p| are
 * exact doubles, so one IEEE multiply or divide rounds the exact quotient
 * once, correctly (Clinger's fast path); w * 10^p with p a little above 22 is
 * also taken when w * 10^(p-22) is still an exact integer <= 2^53. Every
 * other input (more digits, larger powers, subnormals) is copied,
 * NUL-terminated, and given to strtod, so the result is strtod's. The fast
 * path assumes the default rounding mode (round to nearest) and double
 * evaluation without extra precision (FLT_EVAL_METHOD 0); where that does not
 * hold every input goes to strtod.
 *
 * Cost: O(len), no allocation; strtod only on the slow path.
 */
#ifndef PH_CORE_FLOAT_PARSE_H
#define PH_CORE_FLOAT_PARSE_H

#include <stddef.h>

/* Inputs this long or longer are refused (the slow path copies the text into
 * a buffer of this size on the stack). */
#define FLOAT_PARSE_MAX_LEN 128

/* 1 and *out set when s[0..len) is a finite decimal number as described
 * above; 0 (and *out unchanged) otherwise. */
int float_parse(const char *s, size_t len, double *out);

#endif
