// The closed-loop load generator: `concurrency` workers each issue one operation, await it, and
// issue the next, until the time or the operation bound is reached, whichever comes first. A
// closed loop measures latency at the throughput the server sustains, which is what a fixed
// number of concurrent clients (controllers, kubelets) sees.
import { LatencyRecorder, type LatencySummary } from './stats.js';

export interface LoopBounds {
  concurrency: number;
  durationMs: number;
  /** Hard cap on operations issued, so a phase stops even if the clock misbehaves. */
  maxOps: number;
}

export interface LoopResult {
  ops: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  opsPerSec: number;
  latency: LatencySummary;
}

/**
 * One operation. `worker` is the worker's index (0 ≤ worker < concurrency), so an operation can
 * keep per-worker state (the object it updates); `seq` numbers operations across all workers.
 */
export type Operation = (worker: number, seq: number) => Promise<void>;

export async function closedLoop(bounds: LoopBounds, op: Operation): Promise<LoopResult> {
  const latency = new LatencyRecorder(bounds.maxOps);
  let issued = 0;
  let ok = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const deadline = start + bounds.durationMs;
  const worker = async (w: number) => {
    while (issued < bounds.maxOps && performance.now() < deadline) {
      const seq = issued++;
      const t0 = performance.now();
      try {
        await op(w, seq);
        latency.record(performance.now() - t0);
        ok++;
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: bounds.concurrency }, (_, w) => worker(w)));
  const elapsedMs = performance.now() - start;
  return {
    ops: ok,
    errors,
    ...(firstError !== undefined ? { firstError } : {}),
    elapsedMs,
    opsPerSec: (ok / elapsedMs) * 1000,
    latency: latency.summary(),
  };
}
