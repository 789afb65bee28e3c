import { describe, expect, it } from 'vitest';
import { notFound } from '@kite/apimachinery';
import type { Event } from '@kite/api-types';
import { FakeClock } from '../src/clock.js';
import { EventRecorder, type EventClient } from '../src/events/recorder.js';
import type { PatchOptions } from '../src/resource-client.js';

const events = { group: '', plural: 'events' };

/** Events in memory; merge patches of count/lastTimestamp as the apiserver would apply them. */
class FakeEvents implements EventClient {
  readonly store = new Map<string, Event>();
  readonly calls: string[] = [];
  failNext: unknown;

  async create(ev: Event): Promise<Event> {
    this.calls.push(`create ${ev.reason}`);
    this.maybeFail();
    this.store.set(`${ev.metadata.namespace}/${ev.metadata.name}`, structuredClone(ev));
    return structuredClone(ev);
  }

  async patch(name: string, body: unknown, opts: PatchOptions): Promise<Event> {
    this.calls.push(`patch ${name.split('.')[0]} ${JSON.stringify(body)}`);
    this.maybeFail();
    const key = `${opts.namespace}/${name}`;
    const ev = this.store.get(key);
    if (!ev) throw notFound(events, name);
    Object.assign(ev, body);
    return structuredClone(ev);
  }

  private maybeFail(): void {
    const err = this.failNext;
    this.failNext = undefined;
    if (err) throw err;
  }
}

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'ns', uid: 'u1', resourceVersion: '7' } };
const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'n1' } };

function recorder(api: FakeEvents, clock = new FakeClock({ start: Date.UTC(2025, 0, 2, 3, 4, 5) }), errors: unknown[] = []): EventRecorder {
  return new EventRecorder({ client: api, component: 'kubelet', host: 'node-1', clock, onError: (e) => errors.push(e) });
}

describe('EventRecorder', () => {
  it('creates a core/v1 Event describing the object', async () => {
    const api = new FakeEvents();
    const ev = await recorder(api).event(pod, 'Normal', 'Pulled', 'Image pulled', { fieldPath: 'spec.containers{web}' });
    expect(ev).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { namespace: 'ns' },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'web-1', namespace: 'ns', uid: 'u1', resourceVersion: '7', fieldPath: 'spec.containers{web}' },
      reason: 'Pulled',
      message: 'Image pulled',
      type: 'Normal',
      source: { component: 'kubelet', host: 'node-1' },
      count: 1,
      firstTimestamp: '2025-01-02T03:04:05Z',
      lastTimestamp: '2025-01-02T03:04:05Z',
      reportingComponent: 'kubelet',
      reportingInstance: 'kubelet-node-1',
    });
    expect(ev?.metadata.name).toMatch(/^web-1\.[0-9a-f]+$/);
  });

  it('puts events about cluster-scoped objects in default', async () => {
    const api = new FakeEvents();
    const ev = await recorder(api).event(node, 'Warning', 'NodeNotReady', 'kubelet stopped posting status');
    expect(ev?.metadata.namespace).toBe('default');
    expect(ev?.involvedObject.namespace).toBeUndefined();
  });

  /** Each row: events recorded in order (reason:message), and the API calls expected. */
  it.each([
    { name: 'a repeat patches count and lastTimestamp', record: ['A:m', 'A:m', 'A:m'], calls: ['create A', 'patch web-1 {"count":2,"lastTimestamp":"T"}', 'patch web-1 {"count":3,"lastTimestamp":"T"}'] },
    { name: 'another message is another event', record: ['A:m1', 'A:m2'], calls: ['create A', 'create A'] },
    { name: 'another reason is another event', record: ['A:m', 'B:m', 'A:m'], calls: ['create A', 'create B', 'patch web-1 {"count":2,"lastTimestamp":"T"}'] },
  ])('$name', async ({ record, calls }) => {
    const api = new FakeEvents();
    const clock = new FakeClock({ start: Date.UTC(2025, 0, 2, 3, 4, 5) });
    const r = recorder(api, clock);
    for (const rm of record) {
      const [reason = '', message = ''] = rm.split(':');
      await r.event(pod, 'Normal', reason, message);
      await clock.advance(1000);
    }
    expect(api.calls.map((c) => c.replace(/"lastTimestamp":"[^"]+"/, '"lastTimestamp":"T"'))).toEqual(calls);
  });

  it('serialises concurrent repeats so counts never go backwards', async () => {
    const api = new FakeEvents();
    const r = recorder(api);
    await Promise.all(Array.from({ length: 5 }, () => r.event(pod, 'Warning', 'BackOff', 'Back-off restarting')));
    expect([...api.store.values()].map((e) => e.count)).toEqual([5]);
  });

  it('creates a new event when the aggregated one has vanished', async () => {
    const api = new FakeEvents();
    const r = recorder(api);
    await r.event(pod, 'Normal', 'A', 'm');
    api.store.clear();
    const ev = await r.event(pod, 'Normal', 'A', 'm');
    expect(ev?.count).toBe(1);
    expect(api.calls).toEqual(['create A', 'patch web-1 {"count":2,"lastTimestamp":"2025-01-02T03:04:05Z"}', 'create A']);
  });

  it('never rejects: failures go to onError', async () => {
    const api = new FakeEvents();
    const errors: unknown[] = [];
    const r = recorder(api, undefined, errors);
    api.failNext = new Error('apiserver down');
    expect(await r.event(pod, 'Normal', 'A', 'm')).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect((await r.event(pod, 'Normal', 'A', 'm'))?.count).toBe(1);
  });

  it('forgets the least recently used keys beyond cacheSize', async () => {
    const api = new FakeEvents();
    const r = new EventRecorder({ client: api, component: 'c', cacheSize: 2, clock: new FakeClock() });
    for (const m of ['1', '2', '1', '3', '1', '2']) await r.event(pod, 'Normal', 'R', m);
    // 1 created, 2 created, 1 patched, 3 created (evicts 2), 1 patched, 2 created again.
    expect(api.calls.map((c) => c.split(' ')[0])).toEqual(['create', 'create', 'patch', 'create', 'patch', 'create']);
    await r.flush();
  });
});
