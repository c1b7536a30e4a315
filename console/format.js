// Display formatting of the server's values. Money and rates arrive as decimal
// strings ("300000.00", "0.0385"); they are reformatted as text, never turned
// into binary floating point, so what the firm reads is exactly what was stored.
import { t } from './i18n.js';

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

// "1234567.50" -> "1,234,567.50" (digits grouped by three).
function group(intDigits) {
  return intDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// Yuan string -> "¥1,234,567.50" in the current language's money frame.
export function money(value) {
  if (value === null || value === undefined || value === '') return t('fmt.none');
  const m = DECIMAL.exec(String(value));
  if (!m) return String(value);
  const frac = (m[3] || '').padEnd(2, '0');
  return t('fmt.money', { v: m[1] + group(m[2]) + '.' + frac });
}

// Decimal-fraction string -> percent with `digits` decimals, rounded half away
// from zero: "0.0385" -> "3.85%". Exact: done on BigInt digits.
export function percent(value, digits = 2) {
  if (value === null || value === undefined || value === '') return t('fmt.none');
  const m = DECIMAL.exec(String(value));
  if (!m) return String(value);
  const frac = m[3] || '';
  const scaled = BigInt(m[2] + frac);             // value * 10^len(frac)
  const num = scaled * 100n * 10n ** BigInt(digits);
  const den = 10n ** BigInt(frac.length);
  let q = num / den;
  if ((num % den) * 2n >= den) q += 1n;
  let s = q.toString().padStart(digits + 1, '0');
  if (digits > 0) s = s.slice(0, -digits) + '.' + s.slice(-digits);
  const negative = m[1] === '-' && q !== 0n;
  return t('fmt.percent', { v: (negative ? '-' : '') + s });
}

// A rate string as a number of percent, for chart geometry only.
export function percentNumber(value) {
  const n = Number(value);
  return Number.isFinite(n) ? Math.round(n * 1e4) / 100 : 0;
}

// A yuan string as a number, for chart geometry only (never for arithmetic).
export function yuanNumber(value) {
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}

export function count(value) {
  if (value === null || value === undefined) return t('fmt.none');
  const n = Number(value);
  return Number.isInteger(n) ? group(String(Math.abs(n))).replace(/^/, n < 0 ? '-' : '') : String(value);
}

export function text(value) {
  return value === null || value === undefined || value === '' ? t('fmt.none') : String(value);
}

// A probability (a JSON number such as the model's PD) as a percent.
export function probability(value) {
  if (typeof value !== 'number') return t('fmt.none');
  return t('fmt.percent', { v: (value * 100).toFixed(2) });
}

// A percent typed by a person ("5.65") as the API's decimal-fraction string
// ("0.0565"): the decimal point moved two places, in text. null if not a
// plain non-negative decimal.
export function percentToFraction(input) {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(String(input).trim().replace(/%$/, ''));
  if (!m) return null;
  const whole = m[1].padStart(3, '0');
  const head = whole.slice(0, -2).replace(/^0+(?=\d)/, '');
  return head + '.' + whole.slice(-2) + (m[2] || '');
}
