import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/clock.js';
import { BucketRateLimiter, ExponentialRateLimiter, defaultControllerRateLimiter, maxOf } from '../src/workqueue/rate-limiter.js';

describe('ExponentialRateLimiter', () => {
  it.each([
    { name: 'defaults: 5 ms doubling', opts: {}, failures: 4, want: [5, 10, 20, 40] },
    { name: 'defaults cap at 1000 s', opts: {}, failures: 22, wantLast: 1_000_000 },
    { name: 'custom base and cap', opts: { baseDelayMs: 100, maxDelayMs: 500 }, failures: 5, want: [100, 200, 400, 500, 500] },
    { name: 'many failures stay finite', opts: {}, failures: 2000, wantLast: 1_000_000 },
  ])('$name', ({ opts, failures, want, wantLast }) => {
    const rl = new ExponentialRateLimiter<string>(opts);
    const got = Array.from({ length: failures }, () => rl.when('k'));
    if (want) expect(got).toEqual(want);
    if (wantLast !== undefined) expect(got.at(-1)).toBe(wantLast);
    expect(rl.numRequeues('k')).toBe(failures);
  });

  it('forget resets one key only', () => {
    const rl = new ExponentialRateLimiter<string>();
    rl.when('a');
    rl.when('a');
    rl.when('b');
    rl.forget('a');
    expect([rl.numRequeues('a'), rl.when('a'), rl.numRequeues('b'), rl.when('b')]).toEqual([0, 5, 1, 10]);
  });
});

describe('BucketRateLimiter', () => {
  it.each([
    { name: 'within the burst no wait', qps: 10, burst: 3, calls: 3, gapMs: 0, want: [0, 0, 0] },
    { name: 'beyond the burst waits 1/qps per call', qps: 10, burst: 2, calls: 5, gapMs: 0, want: [0, 0, 100, 200, 300] },
    { name: 'tokens refill over time', qps: 10, burst: 1, calls: 3, gapMs: 100, want: [0, 0, 0] },
    { name: 'partial refill', qps: 10, burst: 1, calls: 3, gapMs: 50, want: [0, 50, 100] },
  ])('$name', async ({ qps, burst, calls, gapMs, want }) => {
    const clock = new FakeClock();
    const rl = new BucketRateLimiter<string>({ qps, burst, clock });
    const got: number[] = [];
    for (let i = 0; i < calls; i++) {
      got.push(rl.when(`k${i}`));
      await clock.advance(gapMs);
    }
    expect(got).toEqual(want);
  });
});

describe('maxOf and the default controller limiter', () => {
  it('takes the longer delay', () => {
    const clock = new FakeClock();
    const rl = maxOf<string>(new ExponentialRateLimiter({ baseDelayMs: 1 }), new BucketRateLimiter({ qps: 1, burst: 1, clock }));
    expect([rl.when('a'), rl.when('a'), rl.when('a')]).toEqual([1, 1000, 2000]);
    expect(rl.numRequeues('a')).toBe(3);
    rl.forget('a');
    expect(rl.numRequeues('a')).toBe(0);
  });

  it('default: per-key 5 ms exponential under a 100-burst bucket', () => {
    const rl = defaultControllerRateLimiter<string>({ clock: new FakeClock() });
    expect([rl.when('a'), rl.when('a'), rl.when('b')]).toEqual([5, 10, 5]);
  });
});
