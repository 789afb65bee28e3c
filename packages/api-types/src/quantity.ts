// Kubernetes resource quantities ('100m', '128Mi', '1e3', 0.5). Parsing keeps the decimal mantissa
// and exponents as BigInt, so conversions, comparisons and milli-values are exact; only the final
// conversion to a JS number rounds (correctly, via the decimal-to-double conversion).
import { Type, type Static } from '@sinclair/typebox';

/**
 * quantity ::= sign? number suffix?, number ::= digits | digits '.' digits? | '.' digits,
 * suffix ::= binary SI (Ki..Ei) | decimal SI (n u m k M G T P E) | e/E signed exponent.
 * `1E` is 1 exa; `1E3` is a thousand.
 */
export const QUANTITY_PATTERN = '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+|[KMGTPE]i|[numkMGTPE])?$';
const quantityRe = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:([eE][+-]?[0-9]+)|([KMGTPE])i|([numkMGTPE]))?$/;

export const Quantity = Type.Union([Type.String({ pattern: QUANTITY_PATTERN }), Type.Number()], {
  description: "A resource amount: a number or a string such as '100m' (0.1), '128Mi' (128 * 2^20), '1G' (10^9) or '1e3'.",
});
export type Quantity = Static<typeof Quantity>;

/** A map of resource names to quantities: requests, limits, capacity, allocatable, overhead. */
export const ResourceList = Type.Record(Type.String(), Quantity);
export type ResourceList = Static<typeof ResourceList>;

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

const decimalSuffixExp: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixes = ['K', 'M', 'G', 'T', 'P', 'E'];
const decimalSuffixByExp = new Map(Object.entries(decimalSuffixExp).map(([s, e]) => [e, s]));

/** value = mant * 10^exp10 * 2^exp2 (exp2 >= 0, a multiple of 10). */
interface Exact {
  mant: bigint;
  exp10: number;
  exp2: number;
  format: QuantityFormat;
}

function parseExact(q: string | number): Exact | undefined {
  if (typeof q === 'number') {
    if (!Number.isFinite(q)) return undefined;
    // String() gives the shortest decimal that round-trips, e.g. 0.1 -> '0.1', 1e21 -> '1e+21'.
    q = String(q);
  }
  if (typeof q !== 'string') return undefined;
  const m = quantityRe.exec(q);
  if (!m) return undefined;
  const [, sign = '', intPart = '', frac = '', expPart, binary, decimal] = m;
  if (intPart === '' && frac === '') return undefined;
  let mant = BigInt(`${intPart}${frac}` || '0');
  if (sign === '-') mant = -mant;
  let exp10 = -frac.length;
  let exp2 = 0;
  let format: QuantityFormat = 'DecimalSI';
  if (expPart !== undefined) {
    exp10 += Number(expPart.slice(1));
    format = 'DecimalExponent';
  } else if (binary !== undefined) {
    exp2 = 10 * (binarySuffixes.indexOf(binary) + 1);
    format = 'BinarySI';
  } else if (decimal !== undefined) {
    exp10 += decimalSuffixExp[decimal] ?? 0;
  }
  return { mant, exp10, exp2, format };
}

/** Numerator and denominator of the exact value. */
function rational(e: Exact): [bigint, bigint] {
  const num = e.mant * 10n ** BigInt(Math.max(e.exp10, 0)) * 2n ** BigInt(e.exp2);
  return [num, 10n ** BigInt(Math.max(-e.exp10, 0))];
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return a >= 0n ? (a + b - 1n) / b : -(-a / b);
}

function mustParse(q: string | number): Exact {
  const e = parseExact(q);
  if (!e) throw new RangeError(`invalid quantity: ${JSON.stringify(q)}`);
  return e;
}

/** Whether `q` is a valid quantity: a finite number or a string in Kubernetes' quantity syntax. */
export function isValidQuantity(q: unknown): q is string | number {
  return (typeof q === 'string' || typeof q === 'number') && parseExact(q) !== undefined;
}

/** The value of a quantity as a number ('100m' -> 0.1, '1Ki' -> 1024). Throws RangeError if invalid. */
export function parseQuantity(q: string | number): number {
  const e = mustParse(q);
  return Number(`${e.mant}e${e.exp10}`) * 2 ** e.exp2;
}

/** Like parseQuantity, but undefined instead of throwing. */
export function tryParseQuantity(q: string | number | undefined): number | undefined {
  return q === undefined || !isValidQuantity(q) ? undefined : parseQuantity(q);
}

/** The value in thousandths, rounded up, as Kubernetes' MilliValue: CPU '250m' -> 250, '0.1' -> 100. */
export function quantityMilliValue(q: string | number): number {
  const [num, den] = rational(mustParse(q));
  return Number(ceilDiv(num * 1000n, den));
}

/** The value rounded up to an integer, as Kubernetes' Value: memory '1Mi' -> 1048576, '1.5' -> 2. */
export function quantityValue(q: string | number): number {
  const [num, den] = rational(mustParse(q));
  return Number(ceilDiv(num, den));
}

/** Exact comparison: negative if a < b, 0 if equal, positive if a > b. Throws RangeError if invalid. */
export function compareQuantities(a: string | number, b: string | number): number {
  const [an, ad] = rational(mustParse(a));
  const [bn, bd] = rational(mustParse(b));
  const l = an * bd;
  const r = bn * ad;
  return l < r ? -1 : l > r ? 1 : 0;
}

function stripZeros(mant: bigint, exp10: number): [bigint, number] {
  if (mant === 0n) return [0n, 0];
  while (mant % 10n === 0n) {
    mant /= 10n;
    exp10++;
  }
  return [mant, exp10];
}

function formatDecimal(mant: bigint, exp10: number, exponent: boolean): string {
  // Canonical form has an integer mantissa and an exponent that is a multiple of 3: 1500 -> '1500',
  // 1000 -> '1k', 0.5 -> '500m'. Kubernetes keeps nano precision and rounds anything finer up.
  if (exp10 < -9) {
    mant = ceilDiv(mant, 10n ** BigInt(-9 - exp10));
    exp10 = -9;
    [mant, exp10] = stripZeros(mant, exp10);
  }
  if (mant === 0n) return '0';
  const e3 = Math.min(Math.floor(exp10 / 3) * 3, 18);
  const digits = (mant * 10n ** BigInt(exp10 - e3)).toString();
  if (exponent) return e3 === 0 ? digits : `${digits}e${e3}`;
  return `${digits}${decimalSuffixByExp.get(e3) ?? ''}`;
}

function formatBinary(int: bigint): string {
  const abs = int < 0n ? -int : int;
  for (let k = binarySuffixes.length; k >= 1; k--) {
    const unit = 1n << BigInt(10 * k);
    if (abs >= unit && abs % unit === 0n) return `${int / unit}${binarySuffixes[k - 1]}i`;
  }
  return int.toString();
}

/**
 * Formats a number in canonical quantity form. BinarySI uses the largest binary suffix that keeps
 * an integer (134217728 -> '128Mi') and falls back to decimal otherwise (1536 -> '1536', 0.5 -> '500m').
 */
export function formatQuantity(value: number, format: QuantityFormat = 'DecimalSI'): string {
  const e = mustParse(value);
  const [mant, exp10] = stripZeros(e.mant, e.exp10);
  if (format === 'BinarySI' && exp10 >= 0) return formatBinary(mant * 10n ** BigInt(exp10));
  return formatDecimal(mant, exp10, format === 'DecimalExponent');
}

/** The canonical spelling of a quantity, keeping its kind of suffix: '1024Mi' -> '1Gi', '0.5' -> '500m'. */
export function canonicalQuantity(q: string | number): string {
  const e = mustParse(q);
  if (e.format === 'BinarySI') {
    // Exact integer values stay binary; fractions such as '0.5Ki' (512) may not be representable.
    const [num, den] = rational(e);
    if (num % den === 0n) return formatBinary(num / den);
  }
  const [mant, exp10] = stripZeros(e.mant * 2n ** BigInt(e.exp2), e.exp10);
  return formatDecimal(mant, exp10, e.format === 'DecimalExponent');
}
