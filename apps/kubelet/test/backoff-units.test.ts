// The kubelet's one back-off policy (pods/backoff.ts), driven by a fake clock, and the container
// state union (pods/records.ts) as status.ts reports it.
import { describe, expect, it } from 'vitest';
import type { ContainerStatus as RuntimeStatus } from '@kite/cri';
import { Backoff, BACKOFF_RESET_MS, backoffKey, containerBackoffs, forgetPodBackoffs, IMAGE_PULL_BACKOFF, type BackoffPolicy } from '../src/pods/backoff.js';
import { runningState, terminatedState, waitingState, type ContainerRecord, type ContainerState } from '../src/pods/records.js';
import { containerStatus } from '../src/pods/status.js';

const T0 = Date.parse('2026-01-02T03:00:00Z');
const KEY = backoffKey('uid-1', 'app');

/** The delays of `n` failures in a row, each at the end of the previous back-off. */
function delays(policy: BackoffPolicy, n: number, ranForMs?: number): number[] {
  const b = new Backoff(policy);
  const out: number[] = [];
  let now = T0;
  for (let i = 0; i < n; i++) {
    const entry = b.next(KEY, now, ranForMs);
    out.push(entry.delaySeconds);
    now = entry.until;
  }
  return out;
}

describe('Backoff', () => {
  it.each<{ name: string; policy: BackoffPolicy; ranForMs?: number; want: number[] }>([
    { name: 'Kubernetes crash loop: 10 s doubling to 300 s', policy: { baseSeconds: 10, maxSeconds: 300, resetAfterMs: BACKOFF_RESET_MS }, want: [10, 20, 40, 80, 160, 300, 300] },
    { name: 'image pull: the same shape', policy: IMAGE_PULL_BACKOFF, want: [10, 20, 40, 80, 160, 300, 300] },
    { name: 'test kubelet: 0.5 s doubling to 8 s', policy: { baseSeconds: 0.5, maxSeconds: 8 }, want: [0.5, 1, 2, 4, 8, 8] },
    { name: 'a base above the cap is capped', policy: { baseSeconds: 20, maxSeconds: 15 }, want: [15, 15] },
    { name: 'short runs keep doubling', policy: { baseSeconds: 10, maxSeconds: 300, resetAfterMs: BACKOFF_RESET_MS }, ranForMs: BACKOFF_RESET_MS - 1, want: [10, 20, 40] },
    { name: 'every run stable: always the base', policy: { baseSeconds: 10, maxSeconds: 300, resetAfterMs: BACKOFF_RESET_MS }, ranForMs: BACKOFF_RESET_MS, want: [10, 10, 10] },
    { name: 'no reset rule: a long run does not reset', policy: IMAGE_PULL_BACKOFF, ranForMs: 10 * BACKOFF_RESET_MS, want: [10, 20, 40] },
  ])('$name', ({ policy, ranForMs, want }) => {
    expect(delays(policy, want.length, ranForMs)).toEqual(want);
  });

  it('backs off from `now` until now + delay', () => {
    const b = new Backoff({ baseSeconds: 10, maxSeconds: 300 });
    expect(b.inBackoff(KEY, T0)).toBe(false);
    expect(b.remainingMs(KEY, T0)).toBe(0);
    expect(b.next(KEY, T0)).toEqual({ delaySeconds: 10, until: T0 + 10_000 });
    expect(b.inBackoff(KEY, T0 + 9_999)).toBe(true);
    expect(b.remainingMs(KEY, T0 + 4_000)).toBe(6_000);
    expect(b.inBackoff(KEY, T0 + 10_000)).toBe(false);
    expect(b.remainingMs(KEY, T0 + 20_000)).toBe(0);
    // The entry stays after it ended: the next failure doubles it.
    expect(b.get(KEY)).toEqual({ delaySeconds: 10, until: T0 + 10_000 });
    expect(b.next(KEY, T0 + 30_000)).toEqual({ delaySeconds: 20, until: T0 + 50_000 });
  });

  it('a stable run in the middle starts over from the base', () => {
    const b = new Backoff({ baseSeconds: 10, maxSeconds: 300, resetAfterMs: BACKOFF_RESET_MS });
    b.next(KEY, T0, 1_000);
    b.next(KEY, T0 + 20_000, 1_000);
    expect(b.next(KEY, T0 + 60_000, 1_000).delaySeconds).toBe(40);
    expect(b.next(KEY, T0 + BACKOFF_RESET_MS * 2, BACKOFF_RESET_MS).delaySeconds).toBe(10);
  });

  it('keys are independent, and reset forgets one', () => {
    const b = new Backoff({ baseSeconds: 1, maxSeconds: 60 });
    const other = backoffKey('uid-1', 'sidecar');
    b.next(KEY, T0);
    b.next(KEY, T0);
    b.next(other, T0);
    expect(b.get(KEY)?.delaySeconds).toBe(2);
    expect(b.get(other)?.delaySeconds).toBe(1);
    b.reset(KEY);
    expect(b.get(KEY)).toBeUndefined();
    expect(b.inBackoff(KEY, T0)).toBe(false);
    expect(b.next(KEY, T0).delaySeconds).toBe(1);
    expect(b.get(other)?.delaySeconds).toBe(1);
  });

  it('the kubelet has a crash-loop back-off from its config and an image-pull back-off of 10 s to 300 s', () => {
    const b = containerBackoffs({ backoffBaseSeconds: 0.5, backoffMaxSeconds: 8 });
    expect(b.crashLoop.policy).toEqual({ baseSeconds: 0.5, maxSeconds: 8, resetAfterMs: BACKOFF_RESET_MS });
    expect(b.imagePull.policy).toEqual({ baseSeconds: 10, maxSeconds: 300 });
    b.crashLoop.next(KEY, T0);
    b.imagePull.next(KEY, T0);
    b.imagePull.next(backoffKey('uid-2', 'app'), T0);
    forgetPodBackoffs(b, 'uid-1', ['app']);
    expect(b.crashLoop.get(KEY)).toBeUndefined();
    expect(b.imagePull.get(KEY)).toBeUndefined();
    expect(b.imagePull.get(backoffKey('uid-2', 'app'))).toBeDefined();
  });
});

describe('container state', () => {
  const started = new Date('2026-01-02T03:00:01.250Z');
  const finished = new Date('2026-01-02T03:00:05Z');
  const rt = (state: RuntimeStatus['state'], extra: Partial<RuntimeStatus> = {}): RuntimeStatus => ({
    id: 'c1', sandboxId: 's1', name: 'app', state, createdAt: started, image: 'app.wasm', imageRef: 'sha256:abc', logPath: '/dev/null', ...extra,
  });
  const exited = (exitCode: number, extra: Partial<RuntimeStatus> = {}) => rt('exited', { startedAt: started, finishedAt: finished, exitCode, ...extra });
  const rec = (state: ContainerState): ContainerRecord => ({ name: 'app', id: 'c1', restartCount: 2, state });
  const probedRunning = { ...runningState(started), started: true, ready: true };

  it.each<{ name: string; rec?: ContainerRecord; rt?: RuntimeStatus; want: { state: unknown; ready: boolean; started: boolean } }>([
    { name: 'no record, no instance: ContainerCreating', want: { state: { waiting: { reason: 'ContainerCreating' } }, ready: false, started: false } },
    { name: 'a Waiting record wins over the runtime (CrashLoopBackOff of an exited instance)', rec: rec(waitingState('CrashLoopBackOff', 'back-off 10s restarting failed container=app pod=p_ns(u)')), rt: exited(1), want: { state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=app pod=p_ns(u)' } }, ready: false, started: false } },
    { name: 'Waiting without message', rec: rec(waitingState('ErrImagePull')), want: { state: { waiting: { reason: 'ErrImagePull' } }, ready: false, started: false } },
    { name: 'Running, probes passed, runtime running: ready and started', rec: rec(probedRunning), rt: rt('running', { startedAt: started }), want: { state: { running: { startedAt: '2026-01-02T03:00:01Z' } }, ready: true, started: true } },
    { name: 'Running, no verdict yet', rec: rec(runningState(started)), rt: rt('running', { startedAt: started }), want: { state: { running: { startedAt: '2026-01-02T03:00:01Z' } }, ready: false, started: false } },
    { name: 'Running but the runtime saw it exit: terminated, not ready', rec: rec(probedRunning), rt: exited(0), want: { state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2026-01-02T03:00:01Z', finishedAt: '2026-01-02T03:00:05Z', containerID: 'wasm://c1' } }, ready: false, started: false } },
    { name: 'Running, start failed (runtime: created): ContainerCreating', rec: rec(runningState(started)), rt: rt('created'), want: { state: { waiting: { reason: 'ContainerCreating' } }, ready: false, started: false } },
    { name: 'Terminated: as the runtime reports it', rec: rec(terminatedState(exited(137, { reason: 'OOMKilled' }))), rt: exited(137, { reason: 'OOMKilled' }), want: { state: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: '2026-01-02T03:00:01Z', finishedAt: '2026-01-02T03:00:05Z', containerID: 'wasm://c1' } }, ready: false, started: false } },
  ])('$name', ({ rec, rt, want }) => {
    const s = containerStatus('app', 'app.wasm', rec, rt);
    expect({ state: s.state, ready: s.ready, started: s.started }).toEqual(want);
    expect(s.restartCount).toBe(rec?.restartCount ?? 0);
  });

  it('a terminated instance is Completed or Error when the runtime gives no reason', () => {
    expect(terminatedState(exited(0))).toMatchObject({ kind: 'Terminated', exitCode: 0, reason: 'Completed', containerID: 'c1' });
    expect(terminatedState(exited(2))).toMatchObject({ kind: 'Terminated', exitCode: 2, reason: 'Error' });
  });

  it('impossible combinations do not compile', () => {
    // @ts-expect-error a waiting container has no readiness
    const readyWhileWaiting: ContainerState = { kind: 'Waiting', reason: 'CrashLoopBackOff', ready: true };
    // @ts-expect-error a running container has no exit code
    const exitCodeWhileRunning: ContainerState = { ...runningState(started), exitCode: 1 };
    // @ts-expect-error a terminated container is not started
    const startedWhenTerminated: ContainerState = { kind: 'Terminated', exitCode: 0, reason: 'Completed', started: true };
    expect([readyWhileWaiting, exitCodeWhileRunning, startedWhenTerminated].map((s) => s.kind)).toEqual(['Waiting', 'Running', 'Terminated']);
  });
});
