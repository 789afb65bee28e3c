// Waits (bounded) until the machine is quiet enough to measure: other work on these 2 cores (other
// sessions' builds, tests and benchmarks) inflates every number, so a run first waits for the
// one-minute load average to fall below a threshold, and reports what it was.
import { loadavg } from 'node:os';

export async function waitQuiet(maxLoad: number, maxWaitMs: number): Promise<number> {
  const deadline = Date.now() + maxWaitMs;
  while ((loadavg()[0] ?? 0) > maxLoad && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5_000));
  return loadavg()[0] ?? 0;
}
