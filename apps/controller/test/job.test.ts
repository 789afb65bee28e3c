// The Job controller against real processes (apiserver over TLS, scheduler, controller manager,
// a kubelet running the Wasm batch example): a 200-completion Job at parallelism 20 ends with
// exactly 200 succeeded pods counted, even though the controller manager is SIGKILLed and
// started again in the middle of it; the job-tracking finalizer is on every pod until counted.
// Loopback subnet 100: node 127.1.100.1, pods 127.64.100.0/24.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_TRACKING_FINALIZER, JobResource, type Job } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { batchJob, startJobCluster, type JobCluster } from './helpers/job-cluster.js';
import { activePods, PodWatch } from './helpers/watch.js';

const SUBNET = 100;
const COMPLETIONS = 200;
const PARALLELISM = 20;
/** Kill the controller manager once this many completions are counted. */
const KILL_AFTER = 60;

let c: JobCluster;

beforeAll(async () => {
  c = await startJobCluster({ subnet: SUBNET, controllers: ['job', 'garbagecollector'] });
}, 120_000);
afterAll(async () => {
  await c?.stop();
});

const getJob = (ns: string, name: string) => c.client.resource(JobResource).get(name, { namespace: ns });
const isTrue = (j: Job, type: string) => j.status?.conditions?.some((x) => x.type === type && x.status === 'True') === true;

describe('Job of Wasm batch pods', () => {
  it(`runs ${COMPLETIONS} completions at parallelism ${PARALLELISM}, exactly once each, across a controller-manager SIGKILL`, async () => {
    const ns = 'job-many';
    await c.namespace(ns);
    let maxActive = 0;
    const missingFinalizer: string[] = [];
    const watch = new PodWatch(c.client, ns, (pods) => {
      maxActive = Math.max(maxActive, activePods(pods).length);
      for (const p of pods.values()) {
        const phase = p.status?.phase;
        if (phase !== 'Succeeded' && phase !== 'Failed' && !p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)) missingFinalizer.push(p.metadata.name ?? '');
      }
    });
    await watch.start();
    await c.client.resource(JobResource).create(batchJob(ns, 'many', { completions: COMPLETIONS, parallelism: PARALLELISM }));
    await waitFor(async () => ((await getJob(ns, 'many')).status?.succeeded ?? 0) >= KILL_AFTER, { timeoutMs: 60_000, intervalMs: 100, message: `${KILL_AFTER} completions` });
    await c.restartManager();
    const done = await waitFor(async () => {
      const j = await getJob(ns, 'many');
      return isTrue(j, 'Complete') ? j : undefined;
    }, { timeoutMs: 90_000, intervalMs: 200, message: 'Job Complete' });
    await watch.stop();
    const pods = [...watch.pods.values()];
    expect(done.status?.succeeded).toBe(COMPLETIONS);
    expect(done.status?.failed ?? 0).toBe(0);
    expect(done.status?.active ?? 0).toBe(0);
    expect(done.status?.uncountedTerminatedPods?.succeeded ?? []).toEqual([]);
    expect(done.status?.completionTime).toBeDefined();
    expect(isTrue(done, 'SuccessCriteriaMet')).toBe(true);
    expect(pods.filter((p) => p.status?.phase === 'Succeeded')).toHaveLength(COMPLETIONS);
    expect(watch.added.size).toBe(COMPLETIONS);
    expect(pods.filter((p) => p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER))).toEqual([]);
    expect(missingFinalizer).toEqual([]);
    expect(maxActive).toBeLessThanOrEqual(PARALLELISM);
  }, 200_000);
});
