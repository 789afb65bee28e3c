// UdpSessions: the UDP path's session table — idle timeout, touch, limit, ending by endpoint.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UdpSessions, type Session } from '../src/l4/udp-sessions.js';

const IDLE_MS = 1000;

class FakeSession implements Session {
  closed = 0;
  constructor(readonly backend: string) {}
  close(): void {
    this.closed++;
  }
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('UdpSessions', () => {
  it.each([
    ['idle past the timeout: ended', [], IDLE_MS + 1, false],
    ['idle just under the timeout: kept', [], IDLE_MS - 1, true],
    ['touched halfway: its clock restarts', [IDLE_MS / 2], IDLE_MS, true],
    ['touched halfway, then idle a full timeout: ended', [IDLE_MS / 2], IDLE_MS * 1.5 + 1, false],
  ])('%s', (_name, touchesAt, until, alive) => {
    const table = new UdpSessions<FakeSession>(IDLE_MS, 10);
    const s = new FakeSession('127.64.0.1:53');
    expect(table.add('127.0.0.1:4000', s)).toBe(true);
    let t = 0;
    for (const at of touchesAt) {
      vi.advanceTimersByTime(at - t);
      t = at;
      table.touch('127.0.0.1:4000');
    }
    vi.advanceTimersByTime(until - t);
    expect(table.get('127.0.0.1:4000') !== undefined).toBe(alive);
    expect(s.closed).toBe(alive ? 0 : 1);
  });

  it('refuses a session beyond its limit', () => {
    const table = new UdpSessions<FakeSession>(IDLE_MS, 2);
    expect(table.add('a', new FakeSession('x'))).toBe(true);
    expect(table.add('b', new FakeSession('x'))).toBe(true);
    expect(table.add('c', new FakeSession('x'))).toBe(false);
    expect(table.size()).toBe(2);
  });

  it('ends the sessions of departed endpoints only, each exactly once', () => {
    const table = new UdpSessions<FakeSession>(IDLE_MS, 10);
    const kept = new FakeSession('127.64.0.1:53');
    const gone = [new FakeSession('127.64.0.2:53'), new FakeSession('127.64.0.2:53')];
    table.add('a', kept);
    gone.forEach((s, i) => table.add(`g${i}`, s));
    table.closeWhere((backend) => backend === '127.64.0.2:53');
    vi.advanceTimersByTime(IDLE_MS * 2);
    expect(gone.map((s) => s.closed)).toEqual([1, 1]);
    expect(kept.closed).toBe(1);
    table.closeAll();
    expect(kept.closed).toBe(1);
  });
});
