// One container through syncContainer (pods/container-sync.ts) on the hollow runtime, with a fake
// clock: the crash-loop and image-pull back-offs as Kubernetes shows them (waiting reasons,
// messages, one BackOff Event per wait, restart counts, the delays the pod is requeued after),
// and a liveness failure that restarts the container.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Pod } from '@kite/api-types';
import { KubeClient } from '@kite/client';
import { createLogger } from '@kite/component-base';
import { ImagePullError, type ContainerRuntime, type ContainerStatus } from '@kite/cri';
import type { KubeletConfig } from '../src/config.js';
import { containerBackoffs } from '../src/pods/backoff.js';
import { syncContainer } from '../src/pods/container-sync.js';
import type { KubeletContext } from '../src/pods/context.js';
import type { PodRecord } from '../src/pods/records.js';
import { containerStatus } from '../src/pods/status.js';
import { HollowRuntime } from '../src/runtime/hollow/hollow-runtime.js';

const T0 = Date.parse('2026-01-02T03:00:00Z');
const UID = 'uid-1';

/** A hollow runtime whose pulls of `failing` images fail, as a registry without the image does. */
class PullFailingRuntime extends HollowRuntime {
  readonly failing = new Set<string>();

  override async pullImage(ref: string): Promise<string> {
    if (this.failing.has(ref)) throw new ImagePullError('ErrImagePull', `${ref}: not found`);
    return super.pullImage(ref);
  }
}

interface Harness {
  ctx: KubeletContext;
  runtime: PullFailingRuntime;
  record: PodRecord;
  events: string[];
  requeues: number[];
  sync(pod: Pod): Promise<ContainerStatus | undefined>;
  /** The container's API status after the last sync. */
  status(pod: Pod, rt: ContainerStatus | undefined): ReturnType<typeof containerStatus>;
}

let dir: string;
beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  dir = await mkdtemp(join(tmpdir(), 'kite-container-sync-'));
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

const config = (): KubeletConfig => ({
  apiserver: { server: 'http://127.0.0.1:1' }, nodeName: 'n1', nodeIP: '127.0.0.1', runtimes: ['hollow'], rootDir: dir, port: 0,
  tls: { cert: '', key: '' }, capacity: { cpu: '1', memory: '1Gi', pods: '10' }, leaseRenewSeconds: 10, leaseDurationSeconds: 40,
  backoffBaseSeconds: 0.5, backoffMaxSeconds: 8, imagePath: [],
});

async function harness(): Promise<Harness> {
  const runtime = new PullFailingRuntime();
  const cfg = config();
  const events: string[] = [];
  const requeues: number[] = [];
  const ctx: KubeletContext = {
    cfg,
    client: new KubeClient(cfg.apiserver),
    log: createLogger('test', 'silent'),
    runtimes: new Map<string, ContainerRuntime>([['hollow', runtime]]),
    handlerFor: () => ({ handler: 'hollow' }),
    ipam: () => {
      throw new Error('no IPAM in this test');
    },
    sources: { configMap: async () => undefined, secret: async () => undefined },
    event: (_pod, type, reason, message) => events.push(`${type} ${reason}: ${message}`),
    serviceEnv: () => [],
    requeue: (_uid, ms) => requeues.push(ms),
    backoff: containerBackoffs(cfg),
  };
  const sandboxId = await runtime.runPodSandbox({ uid: UID, name: 'p', namespace: 'ns', podIP: '10.0.0.2', logDirectory: join(dir, 'logs') });
  const record: PodRecord = { uid: UID, key: 'ns/p', sandboxId, podIP: '10.0.0.2', initDone: [], containers: new Map() };
  return {
    ctx, runtime, record, events, requeues,
    sync: (pod) => syncContainer({ ctx, pod, record, container: pod.spec?.containers[0] ?? { name: 'none' }, runtime, volumes: new Map(), isInit: false }),
    status: (pod, rt) => containerStatus('app', pod.spec?.containers[0]?.image ?? '', record.containers.get('app'), rt),
  };
}

const pod = (image: string, restartPolicy: 'Always' | 'OnFailure' | 'Never' = 'Always'): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid: UID }, spec: { restartPolicy, containers: [{ name: 'app', image }] },
});

const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);
/** The events since the last call. */
const drain = (h: Harness) => h.events.splice(0);

describe('crash-loop back-off', () => {
  it('waits 0.5, 1, 2 s between restarts in CrashLoopBackOff, one BackOff event per wait', async () => {
    const h = await harness();
    const p = pod('app.wasm');
    let st = await h.sync(p);
    expect(st?.state).toBe('running');
    expect(h.status(p, st).state).toEqual({ running: { startedAt: '2026-01-02T03:00:00Z' } });
    expect(drain(h)).toEqual(['Normal Pulled: Successfully pulled image "app.wasm" in 0ms', 'Normal Created: Created container app', 'Normal Started: Started container app']);

    const message = (s: number) => `back-off ${s}s restarting failed container=app pod=p_ns(${UID})`;
    for (const [restarts, delay] of [[0, 0.5], [1, 1], [2, 2]] as const) {
      advance(1000);
      if (st) await h.runtime.stopContainer(st.id, 0);
      h.requeues.length = 0;
      st = await h.sync(p);
      expect(st?.state).toBe('exited');
      const s = h.status(p, st);
      expect(s.state).toEqual({ waiting: { reason: 'CrashLoopBackOff', message: message(delay) } });
      expect(s.restartCount).toBe(restarts);
      expect(s.lastState?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
      expect(h.requeues).toEqual([delay * 1000]);
      expect(drain(h)).toEqual(['Warning BackOff: Back-off restarting failed container']);

      // Synced again within the back-off: still waiting, no second event.
      advance(delay * 500);
      st = await h.sync(p);
      expect(h.status(p, st).state).toEqual({ waiting: { reason: 'CrashLoopBackOff', message: message(delay) } });
      expect(h.requeues).toEqual([delay * 1000, delay * 500]);
      expect(drain(h)).toEqual([]);

      advance(delay * 500);
      st = await h.sync(p);
      expect(st?.state).toBe('running');
      expect(h.status(p, st).restartCount).toBe(restarts + 1);
      expect(drain(h)).toEqual(['Normal Created: Created container app', 'Normal Started: Started container app']);
    }
  });

  it('a container that ran 10 minutes starts its back-off again from the base', async () => {
    const h = await harness();
    const p = pod('app.wasm');
    let st = await h.sync(p);
    for (const ranFor of [1000, 1000, 10 * 60 * 1000]) {
      advance(ranFor);
      if (st) await h.runtime.stopContainer(st.id, 0);
      st = await h.sync(p);
      const delay = h.ctx.backoff.crashLoop.get(`${UID}/app`)?.delaySeconds ?? 0;
      advance(delay * 1000);
      st = await h.sync(p);
    }
    expect(h.ctx.backoff.crashLoop.get(`${UID}/app`)?.delaySeconds).toBe(0.5);
  });

  it('a container that ends under restartPolicy Never stays Terminated, without back-off', async () => {
    const h = await harness();
    const p = pod('app.wasm', 'Never');
    let st = await h.sync(p);
    advance(1000);
    if (st) await h.runtime.stopContainer(st.id, 0);
    st = await h.sync(p);
    expect(h.record.containers.get('app')?.state).toMatchObject({ kind: 'Terminated', exitCode: 0, reason: 'Completed' });
    expect(h.status(p, st).state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(h.status(p, st).lastState).toEqual({});
    expect(h.ctx.backoff.crashLoop.get(`${UID}/app`)).toBeUndefined();
  });

  it('a failed liveness probe kills the running instance, which then restarts after its back-off', async () => {
    const h = await harness();
    const p = pod('app.wasm');
    let st = await h.sync(p);
    const rec = h.record.containers.get('app');
    if (rec?.state.kind !== 'Running') throw new Error('not running');
    rec.state = { ...rec.state, started: true, ready: true, livenessFailed: true };
    drain(h);
    advance(1000);
    st = await h.sync(p);
    expect(drain(h)).toEqual(['Normal Killing: Container app failed liveness probe, will be restarted', 'Warning BackOff: Back-off restarting failed container']);
    expect(h.status(p, st)).toMatchObject({ ready: false, started: false, state: { waiting: { reason: 'CrashLoopBackOff' } } });
    advance(500);
    st = await h.sync(p);
    expect(h.status(p, st)).toMatchObject({ restartCount: 1, ready: false, started: false, state: { running: {} } });
    expect(h.record.containers.get('app')?.state).toMatchObject({ kind: 'Running', livenessFailed: false });
  });
});

describe('image-pull back-off', () => {
  it('ErrImagePull, then ImagePullBackOff for 10, 20 s; a pull that succeeds resets it', async () => {
    const h = await harness();
    const p = pod('ghost.wasm');
    h.runtime.failing.add('ghost.wasm');
    const failed = 'Failed to pull image "ghost.wasm": ghost.wasm: not found';

    expect(await h.sync(p)).toBeUndefined();
    expect(h.status(p, undefined).state).toEqual({ waiting: { reason: 'ErrImagePull', message: failed } });
    expect(drain(h)).toEqual([`Warning Failed: ${failed}`]);
    expect(h.requeues.splice(0)).toEqual([10_000]);

    advance(4_000);
    await h.sync(p);
    expect(h.status(p, undefined).state).toEqual({ waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "ghost.wasm"' } });
    expect(drain(h)).toEqual([]);
    expect(h.requeues.splice(0)).toEqual([6_000]);

    advance(6_000);
    await h.sync(p);
    expect(h.status(p, undefined).state).toEqual({ waiting: { reason: 'ImagePullBackOff', message: failed } });
    expect(drain(h)).toEqual([`Warning Failed: ${failed}`]);
    expect(h.requeues.splice(0)).toEqual([20_000]);

    h.runtime.failing.delete('ghost.wasm');
    advance(20_000);
    const st = await h.sync(p);
    expect(h.status(p, st).state).toEqual({ running: { startedAt: '2026-01-02T03:00:30Z' } });
    expect(h.ctx.backoff.imagePull.get(`${UID}/app`)).toBeUndefined();
  });

  it('an invalid image name is InvalidImageName first, then ImagePullBackOff', async () => {
    const h = await harness();
    const p = pod('');
    await h.sync(p);
    expect(h.status(p, undefined).state?.waiting?.reason).toBe('InvalidImageName');
    advance(10_000);
    await h.sync(p);
    expect(h.status(p, undefined).state?.waiting?.reason).toBe('ImagePullBackOff');
    expect(h.requeues).toEqual([10_000, 20_000]);
  });

  it('a missing image with pull policy Never is ErrImageNeverPull, one event, looked at again every 10 s', async () => {
    const h = await harness();
    const p: Pod = { ...pod('absent.wasm'), spec: { containers: [{ name: 'app', image: 'absent.wasm', imagePullPolicy: 'Never' }] } };
    await h.sync(p);
    advance(10_000);
    await h.sync(p);
    const message = 'Container image "absent.wasm" is not present with pull policy of Never';
    expect(h.status(p, undefined).state).toEqual({ waiting: { reason: 'ErrImageNeverPull', message } });
    expect(drain(h)).toEqual([`Warning ErrImageNeverPull: ${message}`]);
    expect(h.requeues).toEqual([10_000, 10_000]);
  });
});
