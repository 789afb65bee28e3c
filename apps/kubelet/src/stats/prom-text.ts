// The Prometheus text exposition format (version 0.0.4) as the Kubernetes kubelet writes it
// through prometheus/common's expfmt: values formatted like Go's strconv.FormatFloat(v, 'g', -1),
// label values escaped, labels in name order, families sorted by name, samples by label values,
// and an optional timestamp in milliseconds. Families without samples are left out, as
// client_golang's Gather leaves them out.

export interface Sample {
  labels: Record<string, string>;
  value: number;
  /** Unix milliseconds; omitted when undefined. */
  timestampMs?: number;
}

export interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: Sample[];
}

/** Go's shortest %g: exponent form when the decimal exponent is below -4 or at least 6 (the precision Go uses for shortest output). */
const SHORTEST_G_PRECISION = 6;
const SMALLEST_FIXED_EXPONENT = -4;

/**
 * `strconv.FormatFloat(v, 'g', -1, 64)`: the shortest digits that round-trip, in fixed notation
 * for exponents in [-4, 6), else d.ddde±XX. 1.5 → "1.5", 12345678 → "1.2345678e+07".
 */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return '0';
  const [mantissa = '', exp = '0'] = v.toExponential().split('e');
  const exponent = Number(exp);
  if (exponent < SMALLEST_FIXED_EXPONENT || exponent >= SHORTEST_G_PRECISION) {
    const digits = String(Math.abs(exponent)).padStart(2, '0');
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${digits}`;
  }
  // JavaScript writes this range in fixed notation with the same shortest digits.
  return String(v);
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function labelText(labels: Record<string, string>): string {
  const names = Object.keys(labels).sort();
  if (names.length === 0) return '';
  return `{${names.map((n) => `${n}="${escapeLabelValue(labels[n] ?? '')}"`).join(',')}}`;
}

/** Orders samples by their label values, taken in label-name order. */
function compareSamples(a: Sample, b: Sample): number {
  const names = [...new Set([...Object.keys(a.labels), ...Object.keys(b.labels)])].sort();
  for (const n of names) {
    const x = a.labels[n] ?? '';
    const y = b.labels[n] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function renderFamilies(families: readonly Family[]): string {
  const out: string[] = [];
  for (const f of [...families].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (f.samples.length === 0) continue;
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of [...f.samples].sort(compareSamples)) {
      out.push(`${f.name}${labelText(s.labels)} ${formatGoFloat(s.value)}${s.timestampMs === undefined ? '' : ` ${Math.trunc(s.timestampMs)}`}`);
    }
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
