// Int-or-percent values, as rolling-update budgets use them (maxSurge: 1 or '25%').

const percentRe = /^([0-9]+)%$/;

/** Whether a value is a non-negative integer or a percentage string such as '25%'. */
export function isIntOrPercent(v: number | string): boolean {
  return typeof v === 'number' ? Number.isInteger(v) && v >= 0 : percentRe.test(v);
}

/** The percentage of '25%', or undefined when `v` is not a percent string. */
export function percentOf(v: number | string): number | undefined {
  if (typeof v === 'number') return undefined;
  const m = percentRe.exec(v);
  return m ? Number(m[1]) : undefined;
}

/**
 * Resolves an int-or-percent against a total. Rolling updates round maxSurge up and maxUnavailable
 * down: with 10 replicas, '25%' is 3 as a surge and 2 as an unavailability budget.
 * Throws RangeError for a string that is not a percentage (validation rejects those).
 */
export function scaledValueFromIntOrPercent(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const pct = percentOf(v);
  if (pct === undefined) throw new RangeError(`invalid int-or-percent: ${JSON.stringify(v)}`);
  const scaled = (pct * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}
