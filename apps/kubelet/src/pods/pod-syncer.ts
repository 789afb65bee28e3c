// Syncs one pod: the level-triggered step the pod workers run whenever anything about the pod may
// have changed. In order: terminate if deleted; admit (runtime offered?); sandbox and pod IP;
// volumes; init containers one at a time; the containers; then the status. Every step is
// idempotent, so a sync may run at any time and as often as needed.
import { join } from 'node:path';
import type { PodStatus } from '@kite/api-types';
import type { ContainerRuntime, ContainerStatus } from '@kite/cri';
import { isRuntimeError } from '@kite/cri';
import type { PodObj } from '../objects.js';
import { emptyDirOverLimit } from '../volumes/empty-dir.js';
import { cleanupPodDir, prepareVolumes, VolumeError } from '../volumes/volumes.js';
import { forgetPodBackoffs } from './backoff.js';
import { syncContainer } from './container-sync.js';
import { Reasons, Waiting, type KubeletContext } from './context.js';
import { waitingState, type PodRecord } from './records.js';
import { computePodStatus, willRestart } from './status.js';

/** Retry delay after a volume could not be prepared. */
const VOLUME_RETRY_MS = 2000;

const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export function podDir(ctx: KubeletContext, uid: string): string {
  return join(ctx.cfg.rootDir, 'pods', uid);
}

export interface SyncResult {
  status?: PodStatus;
  /** The status again, from the same runtime answers, after the record changed (a probe verdict). */
  recompute?: () => PodStatus;
  /** The pod is gone from the node and its object may be deleted. */
  terminated?: boolean;
}

/** How long before a pod whose RuntimeClass is missing is tried again. */
const MISSING_CLASS_RETRY_MS = 5_000;

function admit(ctx: KubeletContext, pod: PodObj, record: PodRecord): ContainerRuntime | undefined {
  const lookup = ctx.handlerFor(pod);
  if ('error' in lookup) {
    // The class may yet be created (admission refuses pods naming a missing one, so it was
    // deleted since): wait for it as the Kubernetes kubelet does, retrying the sandbox.
    if (!record.terminal) {
      ctx.event(pod, 'Warning', Reasons.FailedCreatePodSandBox, `Failed to create pod sandbox: ${lookup.error}`);
      ctx.requeue(record.uid, MISSING_CLASS_RETRY_MS);
    }
    return undefined;
  }
  const name = lookup.handler;
  const runtime = ctx.runtimes.get(name);
  if (!runtime && !record.terminal) {
    const message = `Pod needs the ${name} runtime, which node ${ctx.cfg.nodeName} does not offer (it offers: ${[...ctx.runtimes.keys()].join(', ')})`;
    record.terminal = { phase: 'Failed', reason: Reasons.UnsupportedRuntime, message };
    ctx.event(pod, 'Warning', Reasons.UnsupportedRuntime, message);
  }
  return runtime;
}

/** The runtime that runs a pod on this node, if its handler is known and offered. */
export function runtimeOf(ctx: KubeletContext, pod: PodObj): ContainerRuntime | undefined {
  const lookup = ctx.handlerFor(pod);
  return 'handler' in lookup ? ctx.runtimes.get(lookup.handler) : undefined;
}

/** Whether the recorded sandbox still runs; a runtime that cannot answer throws (the sync retries). */
async function sandboxAlive(runtime: ContainerRuntime, id: string): Promise<boolean> {
  try {
    return (await runtime.podSandboxStatus(id)).state === 'ready';
  } catch (err) {
    if (isRuntimeError(err) && err.code === 'NotFound') return false;
    throw err;
  }
}

async function ensureSandbox(ctx: KubeletContext, pod: PodObj, record: PodRecord, runtime: ContainerRuntime): Promise<void> {
  if (record.sandboxId) {
    if (await sandboxAlive(runtime, record.sandboxId)) return;
    // The sandbox died (its runtime restarted, say): start the pod over, counting the restarts.
    ctx.event(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
    await runtime.removePodSandbox(record.sandboxId).catch(() => undefined);
    record.sandboxId = undefined;
    record.initDone = [];
    for (const rec of record.containers.values()) {
      if (rec.id) rec.restartCount++;
      rec.id = undefined;
      // The instance went with its sandbox; a container already waiting keeps its reason.
      if (rec.state.kind !== 'Waiting') rec.state = waitingState(Waiting.ContainerCreating);
    }
  }
  const uid = pod.metadata.uid ?? '';
  record.podIP = ctx.ipam().allocate(uid, pod.status?.podIP);
  record.startTime ??= nowIso();
  record.sandboxId = await runtime.runPodSandbox({
    uid,
    name: pod.metadata.name ?? '',
    namespace: pod.metadata.namespace ?? 'default',
    podIP: record.podIP,
    logDirectory: join(podDir(ctx, uid), 'logs'),
    ...(pod.metadata.labels ? { labels: pod.metadata.labels } : {}),
    // Sandboxes that own the network namespace (Docker) publish these on the pod IP.
    portMappings: (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => ({ containerPort: p.containerPort, ...(p.protocol ? { protocol: p.protocol } : {}) }))),
  });
}

/** The earliest time a prepared volume wants to be prepared again (projected tokens), if any. */
function refreshDue(volumes: NonNullable<PodRecord['volumes']>): number | undefined {
  let due: number | undefined;
  for (const v of volumes.values()) if (v.refreshAt !== undefined) due = Math.min(due ?? Infinity, v.refreshAt);
  return due;
}

async function ensureVolumes(ctx: KubeletContext, pod: PodObj, record: PodRecord): Promise<boolean> {
  const due = record.volumes ? refreshDue(record.volumes) : undefined;
  if (record.volumes && (due === undefined || due > Date.now())) {
    if (due !== undefined) ctx.requeue(record.uid, due - Date.now());
    return true;
  }
  try {
    // The directories stay where they are, so a running container sees the renewed token.
    record.volumes = await prepareVolumes(pod, podDir(ctx, record.uid), ctx.sources, record.volumes);
    const next = refreshDue(record.volumes);
    if (next !== undefined) ctx.requeue(record.uid, Math.max(1000, next - Date.now()));
    return true;
  } catch (err) {
    const message = err instanceof VolumeError ? err.message : `volume setup failed: ${(err as Error).message}`;
    ctx.event(pod, 'Warning', Reasons.FailedMount, `MountVolume.SetUp failed: ${message}`);
    if (record.volumes) {
      // A refresh failed (the ConfigMap was deleted, say): the pod keeps what it has, as in
      // Kubernetes, and the refresh is tried again.
      ctx.requeue(record.uid, VOLUME_RETRY_MS);
      return true;
    }
    // Containers without an instance say why they wait; one that runs (adopted after a kubelet
    // restart) goes on reporting what the runtime sees.
    for (const c of pod.spec?.containers ?? []) {
      const rec = record.containers.get(c.name);
      if (rec?.state.kind === 'Waiting') rec.state = waitingState(Waiting.ContainerCreating, message);
    }
    ctx.requeue(record.uid, VOLUME_RETRY_MS);
    return false;
  }
}

/** Runs init containers in order; returns true once all have succeeded. */
async function syncInitContainers(ctx: KubeletContext, pod: PodObj, record: PodRecord, runtime: ContainerRuntime, statuses: Map<string, ContainerStatus | undefined>): Promise<boolean> {
  const inits = pod.spec?.initContainers ?? [];
  for (const c of inits) {
    if (record.initDone.includes(c.name)) {
      // A finished init container keeps reporting how it ended (terminated, Completed).
      const id = record.containers.get(c.name)?.id;
      if (id) statuses.set(c.name, await runtime.containerStatus(id).catch(() => undefined));
      continue;
    }
    const st = await syncContainer({ ctx, pod, record, container: c, runtime, volumes: record.volumes ?? new Map(), isInit: true });
    statuses.set(c.name, st);
    if (st?.state === 'exited' && st.exitCode === 0) {
      record.initDone.push(c.name);
      continue;
    }
    if (st?.state === 'exited' && pod.spec?.restartPolicy === 'Never') {
      record.terminal = { phase: 'Failed', reason: 'InitContainerFailed', message: `init container ${c.name} exited with ${st.exitCode ?? 0}` };
    }
    return false;
  }
  return true;
}

export async function syncPod(ctx: KubeletContext, pod: PodObj, record: PodRecord): Promise<SyncResult> {
  const runtime = admit(ctx, pod, record);
  const statuses = new Map<string, ContainerStatus | undefined>();
  if (runtime && !record.terminal) {
    await ensureSandbox(ctx, pod, record, runtime);
    if ((await ensureVolumes(ctx, pod, record)) && !(await evictedForStorage(ctx, pod, record, runtime))) {
      const initsDone = await syncInitContainers(ctx, pod, record, runtime, statuses);
      if (initsDone && !record.terminal) {
        for (const c of pod.spec?.containers ?? []) {
          statuses.set(c.name, await syncContainer({ ctx, pod, record, container: c, runtime, volumes: record.volumes ?? new Map(), isInit: false }));
        }
        markTerminal(pod, record, statuses);
      }
    }
  }
  if (runtime && record.terminal) {
    // Finished before this kubelet started (its API status is terminal, nothing of it runs here):
    // the reported status stands.
    if (![...record.containers.values()].some((c) => c.id)) return {};
    // A finished pod (or one just evicted) reports how its containers ended.
    if (statuses.size === 0) {
      for (const [name, rec] of record.containers) if (rec.id) statuses.set(name, await runtime.containerStatus(rec.id).catch(() => undefined));
    }
    await releaseNetwork(ctx, record, runtime);
  }
  const handler = runtime?.name;
  const recompute = () => computePodStatus({ pod, record, runtime: statuses, hostIP: ctx.cfg.nodeIP, now: nowIso(), ...(handler ? { handler } : {}) });
  return { status: recompute(), recompute };
}

/**
 * A finished pod gives back its network as the Kubernetes kubelet's StopPodSandbox does: its
 * sandbox stops and its IP returns to the pool (a Job of many pods would otherwise exhaust the
 * pod CIDR), while its exited containers stay for status and logs until the pod is deleted.
 */
async function releaseNetwork(ctx: KubeletContext, record: PodRecord, runtime: ContainerRuntime): Promise<void> {
  if (!record.sandboxId || record.networkReleased) return;
  await runtime.stopPodSandbox(record.sandboxId);
  ctx.ipam().release(record.uid);
  record.networkReleased = true;
}

/**
 * Evicts the pod when an emptyDir outgrew its sizeLimit, as Kubernetes' eviction manager does:
 * its containers are stopped at once and the pod ends Failed, reason Evicted. Checked on every
 * sync (the pod's resync comes every few seconds).
 */
async function evictedForStorage(ctx: KubeletContext, pod: PodObj, record: PodRecord, runtime: ContainerRuntime): Promise<boolean> {
  const message = record.volumes ? await emptyDirOverLimit(record.volumes) : undefined;
  if (!message) return false;
  record.terminal = { phase: 'Failed', reason: 'Evicted', message };
  ctx.event(pod, 'Warning', 'Evicted', message);
  for (const rec of record.containers.values()) {
    if (rec.id) await runtime.stopContainer(rec.id, 0).catch(() => undefined);
  }
  return true;
}

/** A pod whose containers all ended and none will restart is finished for good. */
function markTerminal(pod: PodObj, record: PodRecord, statuses: Map<string, ContainerStatus | undefined>): void {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Always') return;
  const all = (pod.spec?.containers ?? []).map((c) => statuses.get(c.name));
  if (all.length === 0 || !all.every((s) => s?.state === 'exited')) return;
  if (all.some((s) => willRestart(policy, s?.exitCode ?? 0))) return;
  record.terminal = { phase: all.every((s) => s?.exitCode === 0) ? 'Succeeded' : 'Failed' };
}

/**
 * Stops a pod's containers within its grace period (SIGTERM-like stop, then kill), removes its
 * sandbox, frees its IP, its back-offs and its per-pod directories.
 */
export async function killPod(ctx: KubeletContext, pod: PodObj | undefined, record: PodRecord, gracePeriodSeconds: number): Promise<void> {
  const own = pod ? runtimeOf(ctx, pod) : undefined;
  // Without the pod (it vanished) the record's runtime is unknown: ask each runtime.
  const runtimes = own ? [own] : [...ctx.runtimes.values()];
  await Promise.all(
    [...record.containers.values()].map(async (rec) => {
      if (!rec.id) return;
      for (const rt of runtimes) {
        const st = await rt.containerStatus(rec.id).catch(() => undefined);
        if (!st) continue;
        if (st.state === 'running' && pod) ctx.event(pod, 'Normal', Reasons.Killing, `Stopping container ${rec.name}`);
        await rt.stopContainer(rec.id, gracePeriodSeconds);
      }
    }),
  );
  if (record.sandboxId) for (const rt of runtimes) await rt.removePodSandbox(record.sandboxId).catch(() => undefined);
  record.sandboxId = undefined;
  ctx.ipam().release(record.uid);
  forgetPodBackoffs(ctx.backoff, record.uid, record.containers.keys());
  await cleanupPodDir(podDir(ctx, record.uid));
}
