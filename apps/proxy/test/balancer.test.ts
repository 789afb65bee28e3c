// Balancer: round-robin, retries that skip tried backends, ClientIP affinity with its timeout.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../src/catalog/endpoints.js';
import { Balancer } from '../src/lb/balancer.js';

const backend = (n: number): Backend => ({ ip: `127.64.0.${n}`, port: 8080, key: `127.64.0.${n}:8080`, pod: `pod-${n}` });
const three = [backend(1), backend(2), backend(3)];

function picks(b: Balancer, n: number, client = 'c'): string[] {
  return Array.from({ length: n }, () => b.pick(client)?.ip ?? 'none');
}

describe('Balancer', () => {
  it('rotates over the backends', () => {
    const b = new Balancer();
    b.update(three, 0);
    expect(picks(b, 6)).toEqual(['127.64.0.1', '127.64.0.2', '127.64.0.3', '127.64.0.1', '127.64.0.2', '127.64.0.3']);
  });

  it('keeps rotating across an update instead of restarting at the first backend', () => {
    const b = new Balancer();
    b.update(three, 0);
    picks(b, 2);
    b.update([backend(1), backend(2), backend(3), backend(4)], 0);
    expect(picks(b, 3)).toEqual(['127.64.0.3', '127.64.0.4', '127.64.0.1']);
  });

  it.each([
    ['skips tried backends', ['127.64.0.1:8080'], '127.64.0.2'],
    ['skips several', ['127.64.0.1:8080', '127.64.0.2:8080'], '127.64.0.3'],
    ['none left', ['127.64.0.1:8080', '127.64.0.2:8080', '127.64.0.3:8080'], 'none'],
  ])('%s', (_name, tried, want) => {
    const b = new Balancer();
    b.update(three, 0);
    expect(b.pick('c', new Set(tried))?.ip ?? 'none').toBe(want);
  });

  it('answers nothing without backends', () => {
    expect(new Balancer().pick('c')).toBeUndefined();
  });

  it('ClientIP affinity: a client sticks to its backend, others still rotate', () => {
    const b = new Balancer();
    b.update(three, 10_000);
    const first = b.pick('a')?.ip;
    expect(picks(b, 5, 'a')).toEqual(Array(5).fill(first));
    expect(b.pick('b')?.ip).not.toBe(first);
  });

  it('ClientIP affinity: expires after the timeout, and moves off a backend that left', () => {
    let now = 0;
    const b = new Balancer(() => now);
    b.update(three, 1000);
    expect(b.pick('a')?.ip).toBe('127.64.0.1');
    b.pick('b');
    now = 999;
    expect(b.pick('a')?.ip).toBe('127.64.0.1');
    now = 999 + 1001;
    expect(b.pick('a')?.ip).toBe('127.64.0.3');
    b.update([backend(1), backend(2)], 1000);
    expect(b.pick('a')?.ip).not.toBe('127.64.0.3');
  });

  it('ClientIP affinity: a retry leaves the sticky backend and re-binds the client', () => {
    const b = new Balancer();
    b.update(three, 10_000);
    const first = b.pick('a');
    const second = b.pick('a', new Set([first?.key ?? '']));
    expect(second?.key).not.toBe(first?.key);
    expect(b.pick('a')?.key).toBe(second?.key);
  });
});
