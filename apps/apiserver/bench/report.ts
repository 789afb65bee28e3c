// Turns round results into the medians the issue asks for, prints them as tables and checks the
// targets. Every round runs on a fresh redis-server and apiserver; the headline is the median
// over rounds of each number (so p99 is the median of the rounds' p99s).
import type { ClientResult } from './clients.js';
import type { CpuShare } from './cpu.js';
import type { FanoutResult } from './fanout.js';
import type { OpName, PhaseResult } from './phases.js';
import type { SecurityResult } from './security.js';
import { median } from './stats.js';

export interface RoundResult {
  round: number;
  phases: PhaseResult[];
  /** One per writer setting (in-flight writes), in the order run. */
  fanouts: FanoutResult[];
  clients?: ClientResult[];
  /** The security phase, on servers of its own (security.ts). */
  security?: SecurityResult;
}

export interface SummaryRow {
  operation: string;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  baselineOpsPerSec?: number;
  baselineP50Ms?: number;
  baselineP99Ms?: number;
  /** apiserver ops/s ÷ raw-Redis ops/s. */
  ratio?: number;
  errors: number;
  /** Percent of one core used by each process during the apiserver run (median). */
  cpu: CpuShare;
  /** The same during the raw-Redis run. */
  baselineCpu?: CpuShare;
  /** Apiserver CPU µs per operation (per delivered event for fan-out). */
  serverCpuUsPerOp: number;
  /** Redis CPU µs per operation in the baseline run. */
  baselineServerCpuUsPerOp?: number;
  /** Apiserver read + write system calls per operation. */
  serverSyscallsPerOp: number;
}

export interface Target {
  name: string;
  want: string;
  got: string;
  ok: boolean;
}

/** Targets from issue 2, for this 2-core machine. */
const CREATE_MIN_OPS = 3000;
const CREATE_MAX_P99_MS = 10;
const FANOUT_MIN_EVENTS = 100_000;

const LABELS: Record<OpName, string> = {
  create: 'create ConfigMap',
  get: 'get ConfigMap',
  list: 'list 1,000 ConfigMaps',
  update: 'update (PUT with rv)',
};

export function med<T>(items: T[], pick: (t: T) => number): number {
  return median(items.map(pick));
}

export function medCpu<T>(items: T[], pick: (t: T) => CpuShare): CpuShare {
  const cpus = items.map(pick);
  const share = { apiserver: med(cpus, (c) => c.apiserver), redis: med(cpus, (c) => c.redis), bench: med(cpus, (c) => c.bench), other: med(cpus, (c) => c.other) };
  const siblings = cpus.flatMap((c) => (c.sibling !== undefined ? [c.sibling] : []));
  return siblings.length > 0 ? { ...share, sibling: median(siblings) } : share;
}

export function summarize(rounds: RoundResult[]): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const op of Object.keys(LABELS) as OpName[]) {
    const ps = rounds.flatMap((r) => r.phases.filter((p) => p.op === op));
    if (ps.length === 0) continue;
    const ops = med(ps, (p) => p.api.opsPerSec);
    const base = med(ps, (p) => p.raw.opsPerSec);
    rows.push({
      operation: LABELS[op],
      opsPerSec: ops,
      p50Ms: med(ps, (p) => p.api.latency.p50),
      p99Ms: med(ps, (p) => p.api.latency.p99),
      baselineOpsPerSec: base,
      baselineP50Ms: med(ps, (p) => p.raw.latency.p50),
      baselineP99Ms: med(ps, (p) => p.raw.latency.p99),
      ratio: base > 0 ? ops / base : 0,
      errors: ps.reduce((n, p) => n + p.api.errors + p.raw.errors, 0),
      cpu: medCpu(ps, (p) => p.api.cpu),
      baselineCpu: medCpu(ps, (p) => p.raw.cpu),
      serverCpuUsPerOp: med(ps, (p) => p.api.serverCpuUsPerOp),
      baselineServerCpuUsPerOp: med(ps, (p) => p.raw.serverCpuUsPerOp),
      serverSyscallsPerOp: med(ps, (p) => p.api.serverSyscallsPerOp.reads + p.api.serverSyscallsPerOp.writes),
    });
  }
  for (const fs of fanoutsBySetting(rounds)) {
    const first = fs[0];
    if (!first) continue;
    rows.push({
      operation: `watch fan-out: ${first.watchers} watchers, ${first.writerConcurrency} write(s) in flight`,
      opsPerSec: med(fs, (f) => f.eventsPerSec),
      p50Ms: med(fs, (f) => f.latency.p50),
      p99Ms: med(fs, (f) => f.latency.p99),
      errors: fs.reduce((n, f) => n + f.writeErrors + f.endedEarly + f.unknownLines, 0),
      cpu: medCpu(fs, (f) => f.cpu),
      serverCpuUsPerOp: med(fs, (f) => f.serverCpuUsPerOp),
      serverSyscallsPerOp: med(fs, (f) => f.serverSyscallsPerOp.reads + f.serverSyscallsPerOp.writes),
    });
  }
  return rows;
}

/** The fan-out results grouped by writer setting, across rounds. */
function fanoutsBySetting(rounds: RoundResult[]): FanoutResult[][] {
  const groups = new Map<number, FanoutResult[]>();
  for (const f of rounds.flatMap((r) => r.fanouts)) {
    const g = groups.get(f.writerConcurrency) ?? [];
    g.push(f);
    groups.set(f.writerConcurrency, g);
  }
  return [...groups.values()];
}

export function checkTargets(rounds: RoundResult[], rows: SummaryRow[]): Target[] {
  const targets: Target[] = [];
  const create = rows.find((r) => r.operation === LABELS.create);
  if (create) {
    targets.push({ name: 'create throughput', want: `≥ ${CREATE_MIN_OPS} ops/s`, got: `${Math.round(create.opsPerSec)} ops/s`, ok: create.opsPerSec >= CREATE_MIN_OPS });
    targets.push({ name: 'create p99', want: `≤ ${CREATE_MAX_P99_MS} ms`, got: `${create.p99Ms.toFixed(2)} ms`, ok: create.p99Ms <= CREATE_MAX_P99_MS });
  }
  // Fan-out capacity is what the busiest writer setting reached (fewer writes cannot fill it).
  const best = Math.max(0, ...fanoutsBySetting(rounds).map((fs) => med(fs, (f) => f.eventsPerSec)));
  if (rounds.some((r) => r.fanouts.length > 0)) {
    targets.push({ name: 'watch fan-out', want: `≥ ${FANOUT_MIN_EVENTS} events/s`, got: `${Math.round(best)} events/s`, ok: best >= FANOUT_MIN_EVENTS });
  }
  return targets;
}

// ---- printing ----

export const int = (n: number | undefined) => (n === undefined ? '-' : Math.round(n).toLocaleString('en-US'));
export const ms = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(2));
export const cpu = (c: CpuShare | undefined) => (c === undefined ? '-' : `${c.apiserver}/${c.redis}/${c.bench}/${c.other}`);

export function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function formatRows(rows: SummaryRow[]): string {
  return table(
    ['operation', 'ops/s', 'p50 ms', 'p99 ms', 'raw ops/s', 'raw p50', 'raw p99', 'ratio', 'errors', 'api µs/op', 'api syscalls/op', 'redis µs/op', 'cpu% api/redis/bench/other', 'raw cpu%'],
    rows.map((r) => [
      r.operation, int(r.opsPerSec), ms(r.p50Ms), ms(r.p99Ms), int(r.baselineOpsPerSec), ms(r.baselineP50Ms), ms(r.baselineP99Ms),
      r.ratio === undefined ? '-' : r.ratio.toFixed(3), String(r.errors), int(r.serverCpuUsPerOp), r.serverSyscallsPerOp.toFixed(2), int(r.baselineServerCpuUsPerOp), cpu(r.cpu), cpu(r.baselineCpu),
    ]),
  );
}

export function formatClients(results: ClientResult[]): string {
  return table(
    ['client (GET object)', 'ops/s', 'p50 ms', 'p99 ms', 'client CPU µs/req', 'errors', 'cpu% api/redis/bench/other'],
    results.map((c) => [c.client, int(c.opsPerSec), ms(c.p50), ms(c.p99), String(c.clientCpuUsPerOp), String(c.errors), cpu(c.cpu)]),
  );
}

export function formatFanout(f: FanoutResult): string {
  return (
    `fan-out: ${f.watchers} watchers, ${f.writerConcurrency} in flight, ${f.writes} writes (${int(f.writesPerSec)}/s, ack p50 ${ms(f.writeLatency.p50)} p99 ${ms(f.writeLatency.p99)} ms), ${f.delivered} lines delivered ` +
    `(${(f.completeness * 100).toFixed(1)}% complete, ${f.endedEarly} watchers ended early, ${f.unknownLines} unknown, ${f.beforeAck} before their ack), ` +
    `${int(f.eventsPerSec)} events/s; ack→seen p50 ${ms(f.latency.p50)} p99 ${ms(f.latency.p99)} max ${ms(f.latency.max)} ms; sent→seen p50 ${ms(f.latencyFromSend.p50)} p99 ${ms(f.latencyFromSend.p99)} ms`
  );
}

export function formatTargets(targets: Target[]): string {
  return targets.map((t) => `${t.ok ? 'PASS' : 'MISS'}  ${t.name}: ${t.got} (target ${t.want})`).join('\n');
}
