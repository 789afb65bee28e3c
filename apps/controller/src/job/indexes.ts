// Completion index sets in the compact interval notation of Job status: "0-3,7,9-10".
// Used for status.completedIndexes and status.failedIndexes. Pure functions, table-tested.
//
// Contract:
// - `parseIndexes(text, limit)` reads the notation, dropping indexes outside [0, limit) and
//   anything unparseable (a status written by an older controller never breaks a sync).
// - `formatIndexes(set)` writes sorted, merged intervals; an empty set is "".
// Example: {0,1,2,3,7,9,10} ⇄ "0-3,7,9-10".

/** Parses "0-3,7" into the set {0,1,2,3,7}, keeping indexes in [0, limit). */
export function parseIndexes(text: string | undefined, limit: number): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    const m = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(part);
    if (!m) continue;
    const first = Number(m[1]);
    const last = m[2] === undefined ? first : Number(m[2]);
    for (let i = first; i <= Math.min(last, limit - 1); i++) out.add(i);
  }
  return out;
}

/** Writes a set of indexes as sorted, merged intervals. */
export function formatIndexes(set: ReadonlySet<number>): string {
  const sorted = [...set].sort((a, b) => a - b);
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const first = sorted[i] ?? 0;
    let last = first;
    while (i + 1 < sorted.length && sorted[i + 1] === last + 1) last = sorted[++i] ?? last;
    parts.push(first === last ? String(first) : `${first}-${last}`);
    i++;
  }
  return parts.join(',');
}

/** The first `count` indexes in [0, completions) that are in none of `taken`. */
export function firstFreeIndexes(count: number, completions: number, ...taken: ReadonlySet<number>[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!taken.some((s) => s.has(i))) out.push(i);
  return out;
}
