import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/clock.js';
import { ExponentialRateLimiter } from '../src/workqueue/rate-limiter.js';
import { WorkQueue } from '../src/workqueue/queue.js';

/** One step of a queue scenario: an operation, and for `get` and `len` the expected answer. */
type Step =
  | ['add', string]
  | ['get', string | undefined]
  | ['done', string]
  | ['len', number]
  | ['addAfter', string, number]
  | ['addRateLimited', string]
  | ['forget', string]
  | ['advance', number]
  | ['shutDown'];

function newQueue(clock: FakeClock): WorkQueue {
  return new WorkQueue({ clock, rateLimiter: new ExponentialRateLimiter({ baseDelayMs: 5, maxDelayMs: 1_000_000 }) });
}

async function run(steps: Step[]): Promise<void> {
  const clock = new FakeClock();
  const q = newQueue(clock);
  for (const [i, step] of steps.entries()) {
    const where = `step ${i} ${JSON.stringify(step)}`;
    switch (step[0]) {
      case 'add':
        q.add(step[1]);
        break;
      case 'get':
        expect(await q.get(), where).toBe(step[1]);
        break;
      case 'done':
        q.done(step[1]);
        break;
      case 'len':
        expect(q.len(), where).toBe(step[1]);
        break;
      case 'addAfter':
        q.addAfter(step[1], step[2]);
        break;
      case 'addRateLimited':
        q.addRateLimited(step[1]);
        break;
      case 'forget':
        q.forget(step[1]);
        break;
      case 'advance':
        await clock.advance(step[1]);
        break;
      case 'shutDown':
        q.shutDown();
        break;
    }
  }
}

describe('WorkQueue', () => {
  it.each<{ name: string; steps: Step[] }>([
    { name: 'FIFO order', steps: [['add', 'a'], ['add', 'b'], ['add', 'c'], ['get', 'a'], ['get', 'b'], ['get', 'c'], ['len', 0]] },
    { name: 'a key added twice while queued is queued once', steps: [['add', 'a'], ['add', 'b'], ['add', 'a'], ['len', 2], ['get', 'a'], ['get', 'b'], ['len', 0]] },
    {
      name: 'a key added while processing waits for done, then is re-queued',
      steps: [['add', 'a'], ['get', 'a'], ['add', 'a'], ['len', 0], ['add', 'a'], ['len', 0], ['done', 'a'], ['len', 1], ['get', 'a'], ['done', 'a'], ['len', 0]],
    },
    { name: 'done without re-add leaves the queue empty', steps: [['add', 'a'], ['get', 'a'], ['done', 'a'], ['len', 0]] },
    { name: 'addAfter adds after the delay', steps: [['addAfter', 'a', 100], ['len', 0], ['advance', 99], ['len', 0], ['advance', 1], ['len', 1], ['get', 'a']] },
    { name: 'addAfter with zero delay adds at once', steps: [['addAfter', 'a', 0], ['len', 1]] },
    {
      name: 'addAfter keeps the earlier of two times',
      steps: [['addAfter', 'a', 100], ['addAfter', 'a', 50], ['advance', 50], ['len', 1], ['get', 'a'], ['done', 'a'], ['advance', 100], ['len', 0]],
    },
    { name: 'addAfter does not postpone a waiting key', steps: [['addAfter', 'a', 50], ['addAfter', 'a', 500], ['advance', 50], ['len', 1]] },
    { name: 'a delayed key already queued is not duplicated', steps: [['add', 'a'], ['addAfter', 'a', 10], ['advance', 10], ['len', 1]] },
    {
      name: 'addRateLimited backs off exponentially: 5, 10, 20 ms',
      steps: [
        ['addRateLimited', 'a'], ['advance', 4], ['len', 0], ['advance', 1], ['get', 'a'], ['done', 'a'],
        ['addRateLimited', 'a'], ['advance', 9], ['len', 0], ['advance', 1], ['get', 'a'], ['done', 'a'],
        ['addRateLimited', 'a'], ['advance', 19], ['len', 0], ['advance', 1], ['get', 'a'], ['done', 'a'],
      ],
    },
    {
      name: 'forget resets the back-off',
      steps: [['addRateLimited', 'a'], ['advance', 5], ['get', 'a'], ['done', 'a'], ['addRateLimited', 'a'], ['advance', 10], ['get', 'a'], ['done', 'a'], ['forget', 'a'], ['addRateLimited', 'a'], ['advance', 5], ['len', 1]],
    },
    {
      name: 'keys back off independently',
      steps: [['addRateLimited', 'a'], ['advance', 5], ['get', 'a'], ['done', 'a'], ['addRateLimited', 'a'], ['addRateLimited', 'b'], ['advance', 5], ['get', 'b'], ['len', 0], ['advance', 5], ['get', 'a']],
    },
    { name: 'shutDown drains queued keys, then get gives undefined', steps: [['add', 'a'], ['shutDown'], ['add', 'b'], ['get', 'a'], ['get', undefined]] },
    { name: 'shutDown cancels delayed keys', steps: [['addAfter', 'a', 10], ['shutDown'], ['advance', 20], ['get', undefined]] },
    { name: 'done after shutDown still re-queues a key added earlier', steps: [['add', 'a'], ['get', 'a'], ['add', 'a'], ['shutDown'], ['done', 'a'], ['get', 'a'], ['get', undefined]] },
  ])('$name', async ({ steps }) => {
    await run(steps);
  });

  it('get waits for a key and wakes one waiter per key', async () => {
    const q = new WorkQueue();
    const first = q.get();
    const second = q.get();
    q.add('a');
    expect(await first).toBe('a');
    q.add('a');
    q.add('b');
    expect(await second).toBe('b');
    expect(q.len()).toBe(0);
    q.done('a');
    expect(await q.get()).toBe('a');
  });

  it('shutDown wakes every waiting get with undefined', async () => {
    const q = new WorkQueue();
    const waiting = [q.get(), q.get()];
    q.shutDown();
    expect(await Promise.all(waiting)).toEqual([undefined, undefined]);
    expect(q.isShuttingDown()).toBe(true);
  });

  it('never hands one key to two workers at once', async () => {
    const q = new WorkQueue();
    const active = new Set<string>();
    let overlaps = 0;
    let processed = 0;
    const worker = async () => {
      for (let key = await q.get(); key !== undefined; key = await q.get()) {
        if (active.has(key)) overlaps++;
        active.add(key);
        await new Promise((r) => setImmediate(r));
        active.delete(key);
        processed++;
        q.done(key);
      }
    };
    const workers = [worker(), worker(), worker()];
    for (let i = 0; i < 200; i++) {
      q.add(`k${i % 5}`);
      if (i % 7 === 0) await new Promise((r) => setImmediate(r));
    }
    while (q.len() > 0) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    q.shutDown();
    await Promise.all(workers);
    expect(overlaps).toBe(0);
    expect(processed).toBeGreaterThanOrEqual(5);
  });

  it('works with object keys by identity', async () => {
    const a = { id: 1 };
    const q = new WorkQueue<{ id: number }>();
    q.add(a);
    q.add(a);
    q.add({ id: 1 });
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe(a);
  });
});
