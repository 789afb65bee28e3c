// Percentiles, the table and the ratios of the cold-start benchmark; the target: the first
// request from zero answered in ≤ 100 ms p50 for Wasm (Knative cold starts take seconds).
import type { Sample } from './sample.js';
import { Steps, type Step } from './timeline.js';

export const TARGET_WASM_COLD_P50_MS = 100;

export interface Summary {
  p50: number;
  p99: number;
  mean: number;
  n: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

export function summarize(xs: readonly number[]): Summary {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), mean: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length), n: s.length };
}

export interface RuntimeResult {
  runtime: string;
  cold: Summary;
  warm: Summary;
  /** Median ms from sending the cold request to each step of its pod. */
  phases: Partial<Record<Step, number>>;
}

export function runtimeResult(runtime: string, samples: readonly Sample[]): RuntimeResult {
  const phases: Partial<Record<Step, number>> = {};
  for (const step of Object.values(Steps)) {
    const xs = samples.map((s) => s.phases[step]).filter((x): x is number => x !== undefined);
    if (xs.length > 0) phases[step] = summarize(xs).p50;
  }
  return { runtime, cold: summarize(samples.map((s) => s.coldMs)), warm: summarize(samples.map((s) => s.warmMs)), phases };
}

const ms = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(1));

export function formatTable(rows: readonly RuntimeResult[]): string {
  const head = ['runtime', 'n', 'cold p50', 'cold p99', 'cold mean', 'warm p50', 'warm p99', ...Object.values(Steps).map((s) => `${s} p50`)];
  const lines = rows.map((r) => [r.runtime, String(r.cold.n), ms(r.cold.p50), ms(r.cold.p99), ms(r.cold.mean), ms(r.warm.p50), ms(r.warm.p99), ...Object.values(Steps).map((s) => ms(r.phases[s]))]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [`${fmt(head)}   (ms; steps: from sending the cold request to the pod's step)`, ...lines.map(fmt)].join('\n');
}

export interface Ratios {
  wasmColdOverWarm: number;
  dockerColdOverWarm?: number;
  dockerColdOverWasmCold?: number;
}

export function ratios(wasm: RuntimeResult, docker: RuntimeResult | undefined): Ratios {
  return {
    wasmColdOverWarm: wasm.cold.p50 / wasm.warm.p50,
    ...(docker ? { dockerColdOverWarm: docker.cold.p50 / docker.warm.p50, dockerColdOverWasmCold: docker.cold.p50 / wasm.cold.p50 } : {}),
  };
}

export function formatRatios(r: Ratios, wasm: RuntimeResult): string {
  const x = (v: number | undefined) => (v === undefined ? '-' : `${v.toFixed(1)}×`);
  const met = wasm.cold.p50 <= TARGET_WASM_COLD_P50_MS;
  return [
    `wasm cold p50 / wasm warm p50:    ${x(r.wasmColdOverWarm)}`,
    `docker cold p50 / docker warm p50: ${x(r.dockerColdOverWarm)}`,
    `docker cold p50 / wasm cold p50:   ${x(r.dockerColdOverWasmCold)}`,
    `${met ? 'OK  ' : 'MISS'}  wasm first request from zero p50 ${ms(wasm.cold.p50)} ms (target <= ${TARGET_WASM_COLD_P50_MS} ms)`,
  ].join('\n');
}
