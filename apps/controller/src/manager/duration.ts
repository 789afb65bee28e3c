// Durations as Kubernetes flags write them (Go's time.ParseDuration): `40s`, `500ms`, `5m0s`,
// `1h30m`; a bare number means seconds.

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;

/** Milliseconds of a duration string; throws naming the flag for anything else. */
export function parseDuration(flag: string, value: string): number {
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let m = PART.exec(text); m !== null; m = PART.exec(text)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? 's'] ?? 0);
    consumed = PART.lastIndex;
  }
  if (text === '' || consumed !== text.length) throw new Error(`--${flag} must be a duration such as 40s or 5m0s, got ${JSON.stringify(value)}`);
  return Math.round(total);
}
