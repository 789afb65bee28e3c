// How the metrics APIs spell their numbers, as metrics-server and the custom metrics adapters do:
// CPU in nanocores (`12345678n`, canonical: `1` for a whole core), memory in bytes with a binary
// suffix when exact (`12Mi`, else `12345678`), a metric value in milli-units (`1500m` is 1.5),
// and windows as Go durations (`15.002s`, `500ms`, `1m0.5s`), the text metav1.Duration carries.
import { canonicalQuantity, formatQuantity } from '@kite/api-types';

const NANO_PER_UNIT = 1e9;
const MILLI_PER_UNIT = 1000;
const NS_PER_MS = 1e6;
const NS_PER_US = 1e3;
const NS_PER_S = 1e9;
const NS_PER_MIN = 60 * NS_PER_S;
const NS_PER_HOUR = 60 * NS_PER_MIN;

export function cpuQuantity(cores: number): string {
  return canonicalQuantity(`${Math.max(0, Math.round(cores * NANO_PER_UNIT))}n`);
}

export function memoryQuantity(bytes: number): string {
  return formatQuantity(Math.max(0, Math.round(bytes)), 'BinarySI');
}

export function milliQuantity(value: number): string {
  return canonicalQuantity(`${Math.max(0, Math.round(value * MILLI_PER_UNIT))}m`);
}

/** `n / unit` in decimal with trailing zeros trimmed: (1500, 1000) → '1.5'. */
function decimal(n: number, unit: number): string {
  const whole = Math.floor(n / unit);
  const frac = n - whole * unit;
  if (frac === 0) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(frac).padStart(digits, '0').replace(/0+$/, '')}`;
}

/** Go's time.Duration.String() of `ms` milliseconds (rounded to whole nanoseconds). */
export function goDuration(ms: number): string {
  let ns = Math.round(Math.abs(ms) * NS_PER_MS);
  if (ns === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  if (ns < NS_PER_US) return `${sign}${ns}ns`;
  if (ns < NS_PER_MS) return `${sign}${decimal(ns, NS_PER_US)}µs`;
  if (ns < NS_PER_S) return `${sign}${decimal(ns, NS_PER_MS)}ms`;
  const hours = Math.floor(ns / NS_PER_HOUR);
  ns -= hours * NS_PER_HOUR;
  const minutes = Math.floor(ns / NS_PER_MIN);
  ns -= minutes * NS_PER_MIN;
  const prefix = hours > 0 ? `${hours}h${minutes}m` : minutes > 0 ? `${minutes}m` : '';
  return `${sign}${prefix}${decimal(ns, NS_PER_S)}s`;
}
