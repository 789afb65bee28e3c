// Medians over rounds, the table, and the targets: through the ClusterIP at least 70% of
// the direct throughput, and at most 2 ms added p99 (measured by the fixed-rate probe, where no
// queue hides a hop's own cost).
import type { Probe, Saturation } from './load.js';

export const Targets = { Direct: 'direct to pod', ClusterIP: 'ClusterIP (kite proxy)', Nginx: 'nginx (peer)' } as const;
export type Target = (typeof Targets)[keyof typeof Targets];

/** Issue 6: throughput through the proxy relative to direct, and added p99 latency. */
export const MIN_THROUGHPUT_RATIO = 0.7;
export const MAX_ADDED_P99_MS = 2;

export interface Measurement {
  target: Target;
  saturation: Saturation;
  probe: Probe;
  /** CPU the hop (proxy or nginx) spent per request during saturation; undefined for direct. */
  hopCpuUsPerRequest?: number;
  /**
   * CPU used during saturation by processes that are not this benchmark's, in % of one core: high
   * values mean the machine was shared and the figures are pessimistic.
   */
  otherCpuPercent: number;
}

export type Summary = Measurement;

function median(xs: readonly number[]): number {
  const s = [...xs].filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

export function summarize(rounds: readonly Measurement[][]): Summary[] {
  const targets = [...new Set(rounds.flat().map((m) => m.target))];
  return targets.map((target) => {
    const ms = rounds.flat().filter((m) => m.target === target);
    const med = (f: (m: Measurement) => number | undefined) => median(ms.map((m) => f(m) ?? Number.NaN));
    const cpu = med((m) => m.hopCpuUsPerRequest);
    return {
      target,
      saturation: { rps: med((m) => m.saturation.rps), p50: med((m) => m.saturation.p50), p99: med((m) => m.saturation.p99), requests: med((m) => m.saturation.requests), errors: med((m) => m.saturation.errors) },
      probe: { p50: med((m) => m.probe.p50), p99: med((m) => m.probe.p99), requests: med((m) => m.probe.requests), errors: med((m) => m.probe.errors) },
      otherCpuPercent: med((m) => m.otherCpuPercent),
      ...(Number.isNaN(cpu) ? {} : { hopCpuUsPerRequest: cpu }),
    };
  });
}

const fix = (x: number, d: number) => (Number.isNaN(x) ? '-' : x.toFixed(d));

export function formatTable(rows: readonly Summary[], rate: number): string {
  const head = ['target', 'req/s', 'sat p50 ms', 'sat p99 ms', `p50 ms @${rate}/s`, `p99 ms @${rate}/s`, 'hop CPU µs/req', 'other CPU %', 'errors'];
  const lines = rows.map((r) => [
    r.target,
    fix(r.saturation.rps, 0),
    fix(r.saturation.p50, 0),
    fix(r.saturation.p99, 0),
    fix(r.probe.p50, 3),
    fix(r.probe.p99, 3),
    r.hopCpuUsPerRequest === undefined ? '-' : fix(r.hopCpuUsPerRequest, 0),
    fix(r.otherCpuPercent, 0),
    String(r.saturation.errors + r.probe.errors),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [fmt(head), ...lines.map(fmt)].join('\n');
}

export interface TargetCheck {
  name: string;
  value: string;
  goal: string;
  met: boolean;
}

export function checkTargets(rows: readonly Summary[]): TargetCheck[] {
  const direct = rows.find((r) => r.target === Targets.Direct);
  const checks: TargetCheck[] = [];
  if (!direct) return checks;
  for (const r of rows.filter((x) => x.target !== Targets.Direct)) {
    const ratio = r.saturation.rps / direct.saturation.rps;
    const added = r.probe.p99 - direct.probe.p99;
    const mine = r.target === Targets.ClusterIP;
    checks.push({ name: `${r.target} throughput vs direct`, value: `${(ratio * 100).toFixed(0)}%`, goal: mine ? `>= ${MIN_THROUGHPUT_RATIO * 100}%` : 'peer', met: !mine || ratio >= MIN_THROUGHPUT_RATIO });
    checks.push({ name: `${r.target} added p99 @ fixed rate`, value: `${added.toFixed(3)} ms`, goal: mine ? `<= ${MAX_ADDED_P99_MS} ms` : 'peer', met: !mine || added <= MAX_ADDED_P99_MS });
    checks.push({ name: `${r.target} added p99 @ saturation`, value: `${(r.saturation.p99 - direct.saturation.p99).toFixed(0)} ms`, goal: 'reported', met: true });
  }
  return checks;
}

export function formatTargets(checks: readonly TargetCheck[]): string {
  return checks.map((c) => `${c.met ? (c.goal === 'peer' || c.goal === 'reported' ? '  ' : 'OK') : 'MISS'}  ${c.name}: ${c.value} (${c.goal})`).join('\n');
}
