// Watch fan-out: one writer creates ConfigMaps through the apiserver while `watchers` HTTP
// watches (`?watch=true&resourceVersion=R`) stream them. Counts the complete NDJSON lines every
// watcher receives and, for each, the time from the writer's acknowledgement of that revision to
// the line arriving. Lines are scanned as bytes (newline and the resourceVersion field, which the
// codec always writes first in metadata), never JSON-parsed: 100 watchers can mean 100,000+
// lines a second through this one process, which shares the machine with the apiserver.
import { Pool } from 'undici';
import type { ApiClient } from './http.js';
import { resourceVersionOf } from './http.js';
import { closedLoop, type LoopBounds } from './loop.js';
import { cpuMeter, cpuUsPerOp, waitForQuiet, type CpuPids, type CpuShare } from './cpu.js';
import { LatencyRecorder, type LatencySummary } from './stats.js';
import { collectionPath, configMapJson } from './objects.js';
import { createNamespaces } from './phases.js';
import { profiled, type PhaseProfiler } from './profile.js';

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const RV_FIELD = Buffer.from('"resourceVersion":"');
/** How long to wait after the last write for watchers to catch up before counting stops. */
const DRAIN_MS = 5000;
/** Server-side bound on every watch, so none outlives the bench even if a close is lost. */
const WATCH_TIMEOUT_SECONDS = 120;

export interface FanoutOptions {
  watchers: number;
  /** Writes the one writer keeps in flight. */
  writerConcurrency: number;
  bounds: LoopBounds;
  quietWaitMs: number;
  profiler?: PhaseProfiler;
}

export interface FanoutResult {
  watchers: number;
  writerConcurrency: number;
  writes: number;
  writesPerSec: number;
  /** The writer's own create latency (request → acknowledgement). */
  writeLatency: LatencySummary;
  delivered: number;
  /** Lines delivered per second, all watchers together, from the first write to the last line. */
  eventsPerSec: number;
  /** Fraction of (writes × watchers) that arrived before the drain deadline. */
  completeness: number;
  /** Watchers whose stream ended early (the server drops one that falls too far behind). */
  endedEarly: number;
  /** Write acknowledged → line received, over every line of every watcher. */
  latency: LatencySummary;
  /** Lines received before their write's acknowledgement (counted as 0 ms). */
  beforeAck: number;
  writeErrors: number;
  cpu: CpuShare;
  /** Apiserver CPU microseconds per delivered event (its writes included). */
  serverCpuUsPerOp: number;
}

/** Tracks acknowledgements and the lines that arrive, and turns the pair into latencies. */
class DeliveryLedger {
  readonly latency: LatencyRecorder;
  private readonly ackedAt = new Map<number, number>();
  private readonly seenEarly = new Map<number, number>();
  delivered = 0;
  beforeAck = 0;
  lastSeen = 0;

  constructor(capacity: number) {
    this.latency = new LatencyRecorder(capacity);
  }

  ack(rv: number, at: number): void {
    this.ackedAt.set(rv, at);
    const early = this.seenEarly.get(rv);
    if (early === undefined) return;
    this.seenEarly.delete(rv);
    for (let i = 0; i < early; i++) this.latency.record(0);
  }

  seen(rv: number, at: number): void {
    this.delivered++;
    this.lastSeen = at;
    const acked = this.ackedAt.get(rv);
    if (acked !== undefined) return this.latency.record(at - acked);
    this.beforeAck++;
    this.seenEarly.set(rv, (this.seenEarly.get(rv) ?? 0) + 1);
  }
}

/** Reads the digits of the resourceVersion field inside [start, end) of `buf`, or -1. */
function revisionIn(buf: Buffer, start: number, end: number): number {
  let i = buf.indexOf(RV_FIELD, start);
  if (i < 0 || i >= end) return -1;
  let rv = 0;
  for (i += RV_FIELD.length; i < end && buf[i] !== QUOTE; i++) rv = rv * 10 + ((buf[i] ?? 0) - 48);
  return rv;
}

interface Watch {
  lines: number;
  ended: boolean;
  close(): void;
}

async function openWatch(pool: Pool, path: string, ledger: DeliveryLedger): Promise<Watch> {
  const res = await pool.request({ method: 'GET', path, headers: { accept: 'application/json' }, bodyTimeout: 0 });
  if (res.statusCode !== 200) throw new Error(`watch ${path}: ${res.statusCode} ${await res.body.text()}`);
  const w: Watch = { lines: 0, ended: false, close: () => res.body.destroy() };
  let carry: Buffer | undefined;
  res.body.on('data', (chunk: Buffer) => {
    const at = performance.now();
    const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl >= 0; nl = buf.indexOf(NEWLINE, start)) {
      w.lines++;
      ledger.seen(revisionIn(buf, start, nl), at);
      start = nl + 1;
    }
    carry = start < buf.length ? buf.subarray(start) : undefined;
  });
  const end = () => void (w.ended = true);
  res.body.on('end', end);
  res.body.on('error', end);
  res.body.on('close', end);
  return w;
}

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

export async function fanoutPhase(api: ApiClient, baseUrl: string, pids: CpuPids, opts: FanoutOptions): Promise<FanoutResult> {
  // A namespace per setting, so one run's watchers never see another run's objects.
  const ns = `bench-watch-${opts.writerConcurrency}`;
  await createNamespaces(api, [ns]);
  const from = resourceVersionOf(await api.text('GET', collectionPath(ns), 200));
  const ledger = new DeliveryLedger(opts.bounds.maxOps * opts.watchers);
  const pool = new Pool(baseUrl, { connections: opts.watchers, pipelining: 1, bodyTimeout: 0 });
  const path = `${collectionPath(ns)}?watch=true&resourceVersion=${from}&timeoutSeconds=${WATCH_TIMEOUT_SECONDS}`;
  const watches = await Promise.all(Array.from({ length: opts.watchers }, () => openWatch(pool, path, ledger)));
  try {
    await waitForQuiet(pids, opts.quietWaitMs);
    const meter = cpuMeter(pids);
    const t0 = performance.now();
    const writer = await profiled(opts.profiler, `fan-out, ${opts.writerConcurrency} in flight`, async () => {
      const r = await closedLoop({ ...opts.bounds, concurrency: opts.writerConcurrency }, async (_w, i) => {
        const json = await api.text('POST', collectionPath(ns), 201, configMapJson(ns, `f-${i}`, i));
        ledger.ack(Number(resourceVersionOf(json)), performance.now());
      });
      const expected = r.ops * opts.watchers;
      await until(() => ledger.delivered >= expected || watches.every((w) => w.ended), DRAIN_MS);
      return r;
    });
    const expected = writer.ops * opts.watchers;
    const cpu = meter();
    const elapsed = Math.max(1, (ledger.lastSeen || performance.now()) - t0);
    return {
      watchers: opts.watchers,
      writerConcurrency: opts.writerConcurrency,
      writes: writer.ops,
      writesPerSec: writer.opsPerSec,
      writeLatency: writer.latency,
      delivered: ledger.delivered,
      eventsPerSec: (ledger.delivered / elapsed) * 1000,
      completeness: expected > 0 ? ledger.delivered / expected : 0,
      endedEarly: watches.filter((w) => w.ended).length,
      latency: ledger.latency.summary(),
      beforeAck: ledger.beforeAck,
      writeErrors: writer.errors,
      cpu,
      serverCpuUsPerOp: cpuUsPerOp(cpu.apiserver, elapsed, ledger.delivered),
    };
  } finally {
    for (const w of watches) w.close();
    await pool.destroy();
  }
}
