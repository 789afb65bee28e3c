// The two measurements taken of every target:
// - saturate(): autocannon with N connections for a fixed time — throughput, and latency under
//   saturation (autocannon's histogram has 1 ms resolution);
// - probe(): an open-loop client sending at a fixed, moderate rate over keep-alive connections to
//   all targets interleaved, timing each request with performance.now() — latency a hop adds when
//   nothing queues, at microsecond resolution.
// Both are bounded by time; the probe also by count.
import { Agent, get } from 'node:http';
import autocannon from 'autocannon';

export interface Saturation {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
}

export interface Probe {
  p50: number;
  p99: number;
  requests: number;
  errors: number;
}

/** Connections the probe may open (it rarely needs more than a few at a moderate rate). */
const PROBE_SOCKETS = 16;
/** A probe request slower than this counts as an error. */
const PROBE_TIMEOUT_MS = 5000;

export async function saturate(url: string, connections: number, durationMs: number): Promise<Saturation> {
  const r = await autocannon({ url, connections, duration: durationMs / 1000 });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, errors: r.errors + r.timeouts + r.non2xx };
}

function once(url: string, agent: Agent): Promise<number | undefined> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = get(url, { agent, timeout: PROBE_TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - t0 : undefined));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * Requests at `rate` per target for `durationMs`, interleaved: tick i goes to target i mod n, so
 * every target sees the same moments of the pod's and the machine's life, and a difference in
 * their percentiles is the hop, not the weather.
 */
export async function probe(urls: readonly string[], rate: number, durationMs: number): Promise<Probe[]> {
  const agents = urls.map(() => new Agent({ keepAlive: true, maxSockets: PROBE_SOCKETS }));
  const total = Math.floor((durationMs / 1000) * rate) * urls.length;
  const interval = 1000 / (rate * urls.length);
  const start = performance.now();
  const pending: Promise<number | undefined>[][] = urls.map(() => []);
  for (let i = 0; i < total; i++) {
    const wait = start + i * interval - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const t = i % urls.length;
    pending[t]?.push(once(urls[t] ?? '', agents[t] as Agent));
  }
  const out: Probe[] = [];
  for (const [t, list] of pending.entries()) {
    const results = await Promise.all(list);
    agents[t]?.destroy();
    const ok = results.filter((x): x is number => x !== undefined).sort((a, b) => a - b);
    out.push({ p50: percentile(ok, 50), p99: percentile(ok, 99), requests: results.length, errors: results.length - ok.length });
  }
  return out;
}
