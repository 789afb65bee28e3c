// One cold start and the warm requests after it, for one workload:
//   scale to 0 (the scale subresource) → wait until no pod is left and the proxy has no ready
//   endpoint → send one request to the ClusterIP and time it to the last byte (the activator
//   holds it while a pod starts) → WARM_REQUESTS more on fresh connections, timed the same way.
// A wrong status or body fails the sample; every wait is bounded.
import { waitFor } from '@kite/testing';
import { httpRequest } from '../../test/support/http.js';
import { metricValue } from '../../test/support/prom.js';
import type { ZeroCluster } from '../../test/support/zero-cluster.js';
import { podsOf } from '../../test/support/zero-cluster.js';
import type { PodTimeline, Step } from './timeline.js';
import type { Workload } from './workloads.js';

/** Warm requests after each cold start; their median is the sample's warm figure. */
export const WARM_REQUESTS = 5;
/** Longest a cold request may take (a Docker start on a loaded machine included). */
const COLD_TIMEOUT_MS = 60_000;
/** Longest wait for the pods of the previous sample to go. */
const TEARDOWN_TIMEOUT_MS = 60_000;

export interface Sample {
  coldMs: number;
  warmMs: number;
  /** Milliseconds from sending the cold request to each step of the pod that served it. */
  phases: Partial<Record<Step, number>>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export async function toZero(c: ZeroCluster, w: Workload): Promise<void> {
  await c.deployments.patchScale(w.name, { spec: { replicas: 0 } }, { namespace: 'default', type: 'merge' });
  await waitFor(async () => (await podsOf(c, w.name, true)).length === 0, { timeoutMs: TEARDOWN_TIMEOUT_MS, intervalMs: 50, message: `${w.name}: no pods left` });
  await waitFor(async () => (metricValue(await c.proxy.metrics(), 'kite_proxy_ready_endpoints', { service: `default/${w.name}` }) ?? 0) === 0, { timeoutMs: TEARDOWN_TIMEOUT_MS, intervalMs: 20, message: `${w.name}: no ready endpoint in the proxy` });
}

async function timed(url: string, w: Workload, timeoutMs?: number): Promise<number> {
  const t0 = performance.now();
  const r = await httpRequest(url, { timeoutMs });
  const ms = performance.now() - t0;
  if (r.status !== 200 || !w.body.test(r.body)) throw new Error(`${w.name}: got ${r.status} ${JSON.stringify(r.body.slice(0, 300))}`);
  return ms;
}

export async function coldStart(c: ZeroCluster, w: Workload, url: string, timeline: PodTimeline): Promise<Sample> {
  await toZero(c, w);
  const since = performance.now();
  const coldMs = await timed(url, w, COLD_TIMEOUT_MS);
  const warm: number[] = [];
  for (let i = 0; i < WARM_REQUESTS; i++) warm.push(await timed(url, w));
  return { coldMs, warmMs: median(warm), phases: timeline.phases(w.name, since) };
}
