import { FakeClock } from '@kite/client';
import { describe, expect, it } from 'vitest';
import { ClusterEvent } from '../../src/framework/events.js';
import { podInfoFor } from '../../src/framework/pod-info.js';
import { backoffDuration } from '../../src/queue/backoff.js';
import { Heap } from '../../src/queue/heap.js';
import { SchedulingQueue } from '../../src/queue/scheduling-queue.js';
import { pod } from '../helpers/builders.js';

const FIT = 'NodeResourcesFit';
const TAINTS = 'TaintToleration';
const eventsByPlugin = new Map<string, ReadonlySet<ClusterEvent>>([
  [FIT, new Set<ClusterEvent>([ClusterEvent.NodeAdd, ClusterEvent.AssignedPodDelete])],
  [TAINTS, new Set<ClusterEvent>([ClusterEvent.NodeAdd, ClusterEvent.NodeUpdate])],
]);

function setup() {
  const clock = new FakeClock();
  const queue = new SchedulingQueue({ eventsByPlugin, clock });
  return { clock, queue };
}

const p = (name: string, priority?: number, created = '2025-01-01T00:00:00Z') => {
  const x = pod(name, {}, { spec: { priority } });
  x.metadata.creationTimestamp = created;
  return podInfoFor(x);
};

async function popName(queue: SchedulingQueue) {
  return (await queue.pop())?.key;
}

async function mustPop(queue: SchedulingQueue) {
  const q = await queue.pop();
  if (!q) throw new Error('queue is empty');
  return q;
}

/** Pops a pod and fails it as unschedulable by `plugins`. */
async function failUnschedulable(queue: SchedulingQueue, ...plugins: string[]) {
  const q = await mustPop(queue);
  queue.requeue(q, { unschedulablePlugins: new Set(plugins) });
  return q;
}

describe('backoffDuration', () => {
  it.each([[0, 0], [1, 1000], [2, 2000], [3, 4000], [4, 8000], [5, 10000], [50, 10000]])('%i attempts → %i ms', (attempts, ms) => expect(backoffDuration(attempts)).toBe(ms));
});

describe('SchedulingQueue', () => {
  it('orders by priority, then creation time, then arrival', async () => {
    const { queue } = setup();
    queue.add(p('low', 0, '2025-01-01T00:00:00Z'));
    queue.add(p('newer', 10, '2025-01-01T00:00:05Z'));
    queue.add(p('older', 10, '2025-01-01T00:00:01Z'));
    queue.add(p('older-twin', 10, '2025-01-01T00:00:01Z'));
    expect([await popName(queue), await popName(queue), await popName(queue), await popName(queue)]).toEqual([
      'default/older',
      'default/older-twin',
      'default/newer',
      'default/low',
    ]);
  });

  it('retries an error after exponential back-off', async () => {
    const { clock, queue } = setup();
    queue.add(p('a'));
    let q = await mustPop(queue);
    queue.requeue(q, { error: true });
    expect(queue.lengths().backoff).toBe(1);
    await clock.advance(999);
    expect(queue.lengths().active).toBe(0);
    await clock.advance(1);
    expect(queue.lengths().active).toBe(1);
    q = await mustPop(queue);
    queue.requeue(q, { error: true });
    await clock.advance(1999);
    expect(queue.lengths().active).toBe(0);
    await clock.advance(1);
    expect(queue.lengths().active).toBe(1);
  });

  it('wakes unschedulable pods only for events their plugins care about', async () => {
    const { clock, queue } = setup();
    queue.add(p('a'));
    await failUnschedulable(queue, FIT);
    expect(queue.lengths().unschedulable).toBe(1);
    queue.onEvent(ClusterEvent.NodeUpdate); // only TaintToleration cares
    queue.onEvent(ClusterEvent.AssignedPodAdd); // nobody cares
    expect(queue.lengths().unschedulable).toBe(1);
    await clock.advance(5000); // past its back-off
    queue.onEvent(ClusterEvent.AssignedPodDelete);
    expect(queue.lengths()).toMatchObject({ unschedulable: 0, active: 1 });
  });

  it('a woken pod still backing off waits in backoffQ first', async () => {
    const { clock, queue } = setup();
    queue.add(p('a'));
    await failUnschedulable(queue, TAINTS);
    await clock.advance(400);
    queue.onEvent(ClusterEvent.NodeAdd);
    expect(queue.lengths()).toMatchObject({ unschedulable: 0, backoff: 1 });
    await clock.advance(600);
    expect(queue.lengths()).toMatchObject({ backoff: 0, active: 1 });
  });

  it('an event during the attempt sends the failed pod to back-off, not unschedulable', async () => {
    const { clock, queue } = setup();
    queue.add(p('a'));
    const q = await mustPop(queue);
    queue.onEvent(ClusterEvent.NodeAdd); // a node appears while the pod is being decided
    queue.requeue(q, { unschedulablePlugins: new Set([FIT]) });
    expect(queue.lengths()).toMatchObject({ unschedulable: 0, backoff: 1 });
    await clock.advance(1000);
    expect(queue.lengths().active).toBe(1);
  });

  it('flushes pods left unschedulable for 60 s', async () => {
    const { clock, queue } = setup();
    queue.run();
    queue.add(p('a'));
    await failUnschedulable(queue, FIT);
    await clock.advance(55_000);
    expect(queue.lengths().unschedulable).toBe(1);
    await clock.advance(5_000);
    expect(queue.lengths()).toMatchObject({ unschedulable: 0, active: 1 });
    queue.close();
  });

  it('moves an unschedulable pod whose spec changed, not one whose status changed', async () => {
    const { clock, queue } = setup();
    const original = pod('a');
    queue.add(podInfoFor(original));
    await failUnschedulable(queue, FIT);
    await clock.advance(2000);
    queue.update(podInfoFor({ ...original, status: { phase: 'Pending' } }));
    expect(queue.lengths().unschedulable).toBe(1);
    queue.update(podInfoFor({ ...original, metadata: { ...original.metadata, labels: { x: 'y' } } }));
    expect(queue.lengths()).toMatchObject({ unschedulable: 0, active: 1 });
  });

  it('drops a pod deleted while in flight', async () => {
    const { queue } = setup();
    queue.add(p('a'));
    const q = await mustPop(queue);
    queue.delete('default/a');
    queue.requeue(q, { error: true });
    expect(queue.has('default/a')).toBe(false);
  });

  it('pop waits for a pod, and gives up when its signal aborts', async () => {
    const { queue } = setup();
    const waiting = queue.pop();
    queue.add(p('a'));
    expect((await waiting)?.key).toBe('default/a');
    const abort = new AbortController();
    const next = queue.pop(abort.signal);
    abort.abort();
    expect(await next).toBeUndefined();
    queue.add(p('b'));
    expect(queue.lengths().active).toBe(1); // not swallowed by the aborted waiter
  });

  it('counts attempts and keeps the first attempt time', async () => {
    const { clock, queue } = setup();
    queue.add(p('a'));
    const first = await mustPop(queue);
    const t0 = first.initialAttemptTimestamp;
    queue.requeue(first, { error: true });
    await clock.advance(1000);
    const second = await mustPop(queue);
    expect([second.attempts, second.initialAttemptTimestamp]).toEqual([2, t0]);
  });
});

describe('Heap', () => {
  it('pops in order, updates and removes by key', () => {
    const h = new Heap<{ k: string; v: number }>((x) => x.k, (a, b) => a.v < b.v);
    for (const [k, v] of [['a', 5], ['b', 3], ['c', 9], ['d', 1]] as const) h.push({ k, v });
    h.push({ k: 'c', v: 0 });
    h.remove('d');
    const out: string[] = [];
    for (let x = h.pop(); x; x = h.pop()) out.push(x.k);
    expect(out).toEqual(['c', 'b', 'a']);
  });
});
