// Watch fan-out: one writer creates ConfigMaps through the apiserver (with a chosen number of
// writes in flight) while `watchers` HTTP watches (`?watch=true&resourceVersion=R`) stream them.
// Counts the complete NDJSON lines all watchers receive per second and the delivery latency of
// each line (delivery.ts reads the streams).
import { Pool } from 'undici';
import type { TestConnection } from '@kite/testing';
import { authHeaders, resourceVersionOf, tlsConnect, type ApiClient } from './http.js';
import { closedLoop, type LoopBounds } from './loop.js';
import { cpuMeter, cpuUsPerOp, leastContended, syscallMeter, type ContentionPolicy, type CpuShare, type Syscalls } from './cpu.js';
import { DeliveryLedger, FANOUT_NAME_PREFIX, openWatch } from './delivery.js';
import type { LatencySummary } from './stats.js';
import { collectionPath, configMapJson } from './objects.js';
import { createNamespaces } from './phases.js';
import { profiled, type PhaseProfiler } from './profile.js';

/** How long to wait after the last write for watchers to catch up before counting stops. */
const DRAIN_MS = 5000;
/** Server-side bound on every watch, so none outlives the bench even if a close is lost. */
const WATCH_TIMEOUT_SECONDS = 120;

export interface FanoutOptions {
  watchers: number;
  /** Writes the one writer keeps in flight. */
  writerConcurrency: number;
  bounds: LoopBounds;
  contention: ContentionPolicy;
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
  /** Write sent → line received (end to end, the write's own latency included). */
  latencyFromSend: LatencySummary;
  /** Lines received before their write's acknowledgement (counted as 0 ms). */
  beforeAck: number;
  /** Lines that named no write of this run (0 unless the stream is not what was written). */
  unknownLines: number;
  writeErrors: number;
  cpu: CpuShare;
  /** Apiserver CPU microseconds per delivered event (its writes included). */
  serverCpuUsPerOp: number;
  /** Apiserver system calls per delivered event. */
  serverSyscallsPerOp: Syscalls;
  /** Runs taken to get this one (more than 1: the earlier ones were contended). */
  attempts: number;
}

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

/** Runs fan-out, again while contended (see leastContended). */
export function fanoutPhase(api: ApiClient, conn: TestConnection, opts: FanoutOptions): Promise<FanoutResult> {
  return leastContended(opts.contention, (attempt) => fanoutOnce(api, conn, opts, attempt));
}

/** `conn`: the watchers' identity, over a pool of its own (one connection per watch). */
async function fanoutOnce(api: ApiClient, conn: TestConnection, opts: FanoutOptions, attempt: number): Promise<Omit<FanoutResult, 'attempts'>> {
  const { pids } = opts.contention;
  // A namespace per setting and attempt, so one run's watchers never see another run's objects.
  const ns = `bench-watch-${opts.writerConcurrency}-${attempt}`;
  await createNamespaces(api, [ns]);
  const from = resourceVersionOf(await api.text('GET', collectionPath(ns), 200));
  const ledger = new DeliveryLedger(opts.bounds.maxOps, opts.watchers);
  const pool = new Pool(conn.server, { connections: opts.watchers, pipelining: 1, bodyTimeout: 0, connect: tlsConnect(conn) });
  const path = `${collectionPath(ns)}?watch=true&resourceVersion=${from}&timeoutSeconds=${WATCH_TIMEOUT_SECONDS}`;
  const headers = { accept: 'application/json', ...authHeaders(conn) };
  const watches = await Promise.all(Array.from({ length: opts.watchers }, () => openWatch(pool, path, headers, ledger)));
  try {
    const meter = cpuMeter(pids);
    const syscalls = syscallMeter(pids.apiserver);
    const t0 = performance.now();
    const writer = await profiled(opts.profiler, `fan-out, ${opts.writerConcurrency} in flight`, async () => {
      const r = await closedLoop({ ...opts.bounds, concurrency: opts.writerConcurrency }, async (_w, i) => {
        ledger.sent(i, performance.now());
        await api.text('POST', collectionPath(ns), 201, configMapJson(ns, `${FANOUT_NAME_PREFIX}${i}`, i));
        ledger.acked(i, performance.now());
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
      latency: ledger.fromAck.summary(),
      latencyFromSend: ledger.fromSend.summary(),
      beforeAck: ledger.beforeAck,
      unknownLines: ledger.unknown,
      writeErrors: writer.errors,
      cpu,
      serverCpuUsPerOp: cpuUsPerOp(cpu.apiserver, elapsed, ledger.delivered),
      serverSyscallsPerOp: syscalls(ledger.delivered),
    };
  } finally {
    for (const w of watches) w.close();
    await pool.destroy();
  }
}
