// Durations in the text form Go's time.ParseDuration reads (and metav1.Duration writes): a signed
// sequence of decimal numbers, each with a unit, such as `300ms`, `1.5h`, `2h45m`, `-90s`; units
// ns, us (µs, μs), ms, s, m, h; a bare `0` is zero. Annotations and flags that Kubernetes users
// write as Go durations (`kite.dev/scale-to-zero-after: 60s`, `--activator-timeout 30s`) are read
// with it, so `5m` means the same here as in any Kubernetes tool.
//
// Unlike the components' flag parsers, a bare number other than 0 is not a duration (Go refuses
// `60`), because an annotation is API data and should mean one thing only.

/** Milliseconds per unit. */
const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** One `<number><unit>` component; `ms` is tried before `m` and `s`. */
const COMPONENT = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** The duration in milliseconds (fractions kept), or undefined when `text` is not a Go duration. */
export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  COMPONENT.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let m = COMPONENT.exec(rest); m !== null; m = COMPONENT.exec(rest)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
    consumed = COMPONENT.lastIndex;
  }
  return consumed === rest.length && Number.isFinite(total) ? sign * total : undefined;
}
