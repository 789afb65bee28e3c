// Durations on the command line, as Kubernetes components write them: `15s`, `500ms`, `1m30s`;
// a bare number means seconds.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Milliseconds, or throws naming the flag when the text is not a duration. */
export function parseDuration(flag: string, text: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  let total = 0;
  let consumed = 0;
  for (const m of t.matchAll(PART)) {
    if (m.index !== consumed) break;
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? NaN);
    consumed += m[0].length;
  }
  if (t === '' || consumed !== t.length || !Number.isFinite(total)) throw new Error(`--${flag} must be a duration such as 15s or 500ms, got ${JSON.stringify(text)}`);
  return total;
}
