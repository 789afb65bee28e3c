import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isApiError } from '@kite/apimachinery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDuration } from '../src/duration.js';
import { isPendingForUs, schedulingFieldsChanged } from '../src/event-handlers.js';
import { runtimeBit, runtimeMaskOf } from '../src/framework/runtimes.js';
import { KeepAliveWriter } from '../src/http/keepalive-writer.js';
import { BoundedRunner } from '../src/report/bounded-runner.js';
import { node, pod } from './helpers/builders.js';

describe('parseDuration', () => {
  it.each<[string, number]>([
    ['15s', 15_000],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['2', 2_000],
    ['1.5s', 1_500],
  ])('%s → %i ms', (text, ms) => expect(parseDuration('x', text)).toBe(ms));
  it.each(['', 'soon', '5 s', '10x', 's5'])('rejects %j', (text) => expect(() => parseDuration('lease-duration', text)).toThrow(/--lease-duration/));
});

describe('isPendingForUs', () => {
  const withSpec = (spec: object, extra: object = {}) => ({ ...pod('p', {}, { spec }), ...extra });
  it.each<{ name: string; p: ReturnType<typeof pod>; want: boolean }>([
    { name: 'unbound, default scheduler', p: pod('p'), want: true },
    { name: 'explicitly ours', p: withSpec({ schedulerName: 'default-scheduler' }), want: true },
    { name: 'another scheduler', p: withSpec({ schedulerName: 'other' }), want: false },
    { name: 'already bound', p: withSpec({ nodeName: 'n' }), want: false },
    { name: 'gated', p: withSpec({ schedulingGates: [{ name: 'g' }] }), want: false },
    { name: 'finished', p: withSpec({}, { status: { phase: 'Failed' } }), want: false },
  ])('$name → $want', ({ p, want }) => expect(isPendingForUs(p, 'default-scheduler')).toBe(want));

  it('ignores a pod being deleted', () => {
    const p = pod('p');
    p.metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
    expect(isPendingForUs(p, 'default-scheduler')).toBe(false);
  });
});

describe('schedulingFieldsChanged', () => {
  const base = node('n');
  it.each<{ name: string; change: (n: ReturnType<typeof node>) => void; want: boolean }>([
    { name: 'heartbeat only', change: (n) => n.status?.conditions?.forEach((c) => (c.lastHeartbeatTime = 'later')), want: false },
    { name: 'allocatable', change: (n) => n.status?.allocatable && (n.status.allocatable.cpu = '8'), want: true },
    { name: 'labels', change: (n) => (n.metadata.labels = { ...n.metadata.labels, zone: 'b' }), want: true },
    { name: 'taints', change: (n) => n.spec && (n.spec.taints = [{ key: 'k', effect: 'NoSchedule' }]), want: true },
    { name: 'cordon', change: (n) => n.spec && (n.spec.unschedulable = true), want: true },
    { name: 'not ready', change: (n) => n.status?.conditions?.forEach((c) => (c.status = 'False')), want: true },
  ])('$name → $want', ({ change, want }) => {
    const next = structuredClone(base);
    change(next);
    expect(schedulingFieldsChanged(base, next)).toBe(want);
  });
});

describe('runtime masks', () => {
  it('gives each runtime its own bit and reads only true labels', () => {
    const wasm = runtimeBit('wasm');
    const docker = runtimeBit('docker');
    expect(wasm & docker).toBe(0);
    expect(runtimeMaskOf({ 'runtime.kite.dev/wasm': 'true', 'runtime.kite.dev/docker': 'false', other: 'true' })).toBe(wasm);
  });
});

describe('BoundedRunner', () => {
  it('runs at most maxInFlight at once and drops beyond the backlog', async () => {
    let running = 0;
    let peak = 0;
    let dropped = 0;
    const gates: (() => void)[] = [];
    const runner = new BoundedRunner({ maxInFlight: 2, maxBacklog: 3, onDrop: () => dropped++ });
    const task = () =>
      new Promise<void>((resolve) => {
        running++;
        peak = Math.max(peak, running);
        gates.push(() => {
          running--;
          resolve();
        });
      });
    const accepted = Array.from({ length: 7 }, () => runner.run(task));
    expect(accepted).toEqual([true, true, true, true, true, false, false]);
    while (gates.length > 0 || running > 0) {
      gates.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await runner.idle();
    expect([peak, dropped]).toEqual([2, 2]);
  });
});

describe('KeepAliveWriter', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/conflict') {
          res.writeHead(409, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', reason: 'Conflict', message: 'already assigned', code: 409 }));
        } else if (req.url === '/html') {
          res.writeHead(502);
          res.end('<html>bad gateway</html>');
        } else {
          res.writeHead(201, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ echo: JSON.parse(body) as unknown, type: req.headers['content-type'] }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('posts and patches JSON and parses the answer', async () => {
    const w = new KeepAliveWriter({ server: url, userAgent: 'test' });
    expect(await w.post('/x', { a: 1 })).toEqual({ echo: { a: 1 }, type: 'application/json' });
    expect(await w.patch('/x', { b: 2 }, 'application/merge-patch+json')).toEqual({ echo: { b: 2 }, type: 'application/merge-patch+json' });
    w.close();
  });

  it.each<[string, number, string, string]>([
    ['/conflict', 409, 'Conflict', 'already assigned'],
    ['/html', 502, '', '<html>bad gateway</html>'],
  ])('%s → ApiError %i', async (path, code, reason, message) => {
    const w = new KeepAliveWriter({ server: url, userAgent: 'test' });
    const err: unknown = await w.post(path, {}).catch((e: unknown) => e);
    w.close();
    expect(isApiError(err) && [err.code, err.reason, err.message]).toEqual([code, reason, message]);
  });

  it('refuses other schemes', () => expect(() => new KeepAliveWriter({ server: 'ftp://x', userAgent: 't' })).toThrow(/http and https, not ftp:/));
});
