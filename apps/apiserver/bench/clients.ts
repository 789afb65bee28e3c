// Which HTTP client costs the load generator least? The bench shares two cores with the apiserver
// and Redis, so every CPU cycle the client spends is taken from the server it measures. This
// phase sends the same GET with three clients at the same concurrency and reports throughput,
// latency and the client's own CPU per request: autocannon (in-process), an undici Pool loop (what
// the other phases use) and Node's global fetch (undici underneath, with its WHATWG layers). All
// three speak TLS with the same client certificate (autocannon's `tlsOptions`; fetch through an
// undici Agent passed as its `dispatcher`), so each pays the same encryption.
import autocannon from 'autocannon';
import { Agent } from 'undici';
import type { TestConnection } from '@kite/testing';
import { ApiClient, authHeaders, tlsConnect } from './http.js';
import { closedLoop, type LoopBounds } from './loop.js';
import { cpuMeter, cpuUsPerOp, waitForQuiet, type CpuPids, type CpuShare } from './cpu.js';

export interface ClientResult {
  client: 'autocannon' | 'undici' | 'fetch';
  opsPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  /** Bench-process CPU microseconds per request (lower is a cheaper client). */
  clientCpuUsPerOp: number;
  cpu: CpuShare;
}

async function viaAutocannon(conn: TestConnection, path: string, bounds: LoopBounds, pids: CpuPids, quietWaitMs: number): Promise<ClientResult> {
  await waitForQuiet(pids, quietWaitMs);
  const meter = cpuMeter(pids);
  const t0 = performance.now();
  // autocannon never verifies the server's certificate (it sets rejectUnauthorized: false); the
  // client certificate is what matters here, and the server checks that one.
  const r = await autocannon({
    url: `${conn.server}${path}`,
    connections: bounds.concurrency,
    duration: bounds.durationMs / 1000,
    amount: bounds.maxOps,
    headers: { accept: 'application/json', ...authHeaders(conn) },
    tlsOptions: tlsConnect(conn),
  });
  const elapsed = performance.now() - t0;
  const cpu = meter();
  const ops = r['2xx'];
  return { client: 'autocannon', opsPerSec: (ops / elapsed) * 1000, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, clientCpuUsPerOp: cpuUsPerOp(cpu.bench, elapsed, ops), cpu };
}

async function viaLoop(client: 'undici' | 'fetch', send: () => Promise<void>, bounds: LoopBounds, pids: CpuPids, quietWaitMs: number): Promise<ClientResult> {
  await waitForQuiet(pids, quietWaitMs);
  const meter = cpuMeter(pids);
  const r = await closedLoop(bounds, send);
  const cpu = meter();
  return { client, opsPerSec: r.opsPerSec, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, clientCpuUsPerOp: cpuUsPerOp(cpu.bench, r.elapsedMs, r.ops), cpu };
}

/** Runs the three clients in turn against GET `path` (an existing object), as `conn`'s identity. */
export async function compareClients(conn: TestConnection, path: string, bounds: LoopBounds, pids: CpuPids, quietWaitMs: number): Promise<ClientResult[]> {
  const results: ClientResult[] = [];
  results.push(await viaAutocannon(conn, path, bounds, pids, quietWaitMs));

  const pool = new ApiClient(conn, bounds.concurrency);
  results.push(await viaLoop('undici', async () => void (await pool.text('GET', path, 200)), bounds, pids, quietWaitMs));
  await pool.close();

  const url = `${conn.server}${path}`;
  const agent = new Agent({ connections: bounds.concurrency, connect: tlsConnect(conn) });
  // `dispatcher` is undici's extension of RequestInit. Node's fetch takes an npm undici Agent, but
  // its types come from Node's bundled copy (undici-types), which TypeScript sees as another type.
  const dispatcher = agent as unknown as RequestInit['dispatcher'];
  const init: RequestInit = { headers: { accept: 'application/json', ...authHeaders(conn) }, dispatcher };
  const viaFetch = async () => {
    const res = await fetch(url, init);
    await res.text();
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
  };
  try {
    results.push(await viaLoop('fetch', viaFetch, bounds, pids, quietWaitMs));
  } finally {
    await agent.close();
  }
  return results;
}
