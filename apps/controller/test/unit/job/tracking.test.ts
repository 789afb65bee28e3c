// The job-tracking finalizer protocol (tracking.ts) against an in-memory apiserver that can crash
// at any request: whatever request the controller dies at, the next controller's syncs end with
// every finished pod counted exactly once, none left uncounted, no finalizer left behind.
import { describe, expect, it } from 'vitest';
import type { Job, Pod } from '@kite/api-types';
import type { ResourceClient } from '@kite/client';
import { discardEvents } from '../../../src/framework/events.js';
import { account } from '../../../src/job/accounting.js';
import { finishedCondition } from '../../../src/job/finish.js';
import { trackJobStatus, type TrackDeps } from '../../../src/job/tracking.js';
import { NOW, job, pod } from './fixtures.js';

class Crash extends Error {}

/** A Job and its pods as the apiserver holds them; `crashAt` = the request number that fails. */
class World {
  requests = 0;
  rv = 10;
  constructor(
    public job: Job,
    public pods: Pod[],
    public crashAt = -1,
  ) {}

  private request(): void {
    if (this.requests++ === this.crashAt) throw new Crash(`crash at request ${this.crashAt}`);
  }

  deps(): TrackDeps {
    const jobs = {
      updateStatus: async (j: Job) => {
        this.request();
        if (j.metadata.resourceVersion !== String(this.rv)) throw new Error('409 Conflict');
        this.job = structuredClone({ ...j, metadata: { ...j.metadata, resourceVersion: String(++this.rv) } });
        return structuredClone(this.job);
      },
    } as unknown as ResourceClient<Job>;
    return {
      jobs,
      recorder: discardEvents,
      now: () => NOW,
      removeFinalizer: async (p) => {
        this.request();
        const stored = this.pods.find((x) => x.metadata.uid === p.metadata.uid);
        if (stored) stored.metadata.finalizers = [];
      },
    };
  }

  /** One sync's accounting and tracking over a fresh read of the world. */
  async sync(): Promise<void> {
    const j = structuredClone(this.job);
    const pods = structuredClone(this.pods);
    const a = account(j, pods);
    const finished = finishedCondition(j, a, NOW);
    await trackJobStatus(this.deps(), { job: j, pods, accounting: a, base: { active: a.active.length }, finished });
  }
}

const PODS = 4;
const finishedPods = () => [
  ...Array.from({ length: PODS }, (_, i) => pod(`ok-${i}`, { phase: 'Succeeded' })),
  pod('bad', { phase: 'Failed' }),
];
// Requests of one undisturbed sync: status, PODS+1 finalizers, status.
const REQUESTS = PODS + 3;

describe('job tracking across crashes', () => {
  it.each(Array.from({ length: REQUESTS + 1 }, (_, k) => ({ k })))('a crash at request $k loses and doubles nothing', async ({ k }) => {
    const w = new World(job({ completions: 10, parallelism: 10 }, { succeeded: 1 }), [pod('counted', { phase: 'Succeeded', finalizer: false }), ...finishedPods()], k);
    await w.sync().catch((err: unknown) => {
      if (!(err instanceof Crash)) throw err;
    });
    w.crashAt = -1;
    for (let i = 0; i < 3; i++) await w.sync();
    expect(w.job.status?.succeeded).toBe(1 + PODS);
    expect(w.job.status?.failed).toBe(1);
    expect(w.job.status?.uncountedTerminatedPods).toEqual({});
    expect(w.pods.every((p) => (p.metadata.finalizers ?? []).length === 0)).toBe(true);
  });

  it('finishing: the interim condition first, the final one once every pod is counted', async () => {
    const w = new World(job({ completions: 2, parallelism: 2 }), [pod('a', { phase: 'Succeeded' }), pod('b', { phase: 'Succeeded' })], 3);
    // Requests: 0 records both, 1-2 release them, 3 (counting) fails.
    await w.sync().catch(() => undefined);
    const types = (w.job.status?.conditions ?? []).map((c) => c.type);
    expect(types).toEqual(['SuccessCriteriaMet']);
    expect(w.job.status?.uncountedTerminatedPods?.succeeded).toEqual(['uid-a', 'uid-b']);
    w.crashAt = -1;
    await w.sync();
    expect((w.job.status?.conditions ?? []).map((c) => [c.type, c.status, c.reason])).toEqual([
      ['SuccessCriteriaMet', 'True', 'CompletionsReached'],
      ['Complete', 'True', 'CompletionsReached'],
    ]);
    expect(w.job.status?.succeeded).toBe(2);
    expect(w.job.status?.completionTime).toBe(new Date(NOW).toISOString());
  });

  it('a status write based on a stale Job is refused, never written over a newer count', async () => {
    const w = new World(job({ completions: 5 }, { succeeded: 3 }), [pod('a', { phase: 'Succeeded' })]);
    const stale = structuredClone(w.job);
    w.rv++;
    const a = account(stale, w.pods);
    await expect(trackJobStatus(w.deps(), { job: stale, pods: w.pods, accounting: a, base: {} })).rejects.toThrow('409');
  });
});
