// Brings one container of a pod one step closer to what the spec wants: start it if it has never
// run, account an exit once, restart it under the pod's restartPolicy after its back-off, kill it
// when its liveness probe failed. Failures become waiting reasons and Events, never exceptions.
import type { Container, Pod } from '@kite/api-types';
import { parseQuantity, quantityMilliValue } from '@kite/api-types';
import { isImagePullError, isRuntimeError } from '@kite/cri';
import type { ContainerConfig, ContainerRuntime, ContainerStatus } from '@kite/cri';
import { containerMounts, type PreparedVolume } from '../volumes/volumes.js';
import { restartDelaySeconds } from './backoff.js';
import { Reasons, Waiting, type KubeletContext } from './context.js';
import { expand, resolveEnv } from './env.js';
import { containerRecord, type ContainerRecord, type PodRecord } from './records.js';
import { willRestart } from './status.js';

/** Image pull back-off (Kubernetes: 10 s doubling to 300 s). */
const PULL_BACKOFF_BASE_S = 10;
const PULL_BACKOFF_MAX_S = 300;

export interface ContainerSyncInput {
  ctx: KubeletContext;
  pod: Pod;
  record: PodRecord;
  container: Container;
  runtime: ContainerRuntime;
  volumes: Map<string, PreparedVolume>;
  isInit: boolean;
}

const podName = (pod: Pod) => `${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`;

async function currentStatus(runtime: ContainerRuntime, rec: ContainerRecord): Promise<ContainerStatus | undefined> {
  if (!rec.id) return undefined;
  try {
    return await runtime.containerStatus(rec.id);
  } catch (err) {
    if (isRuntimeError(err) && err.code === 'NotFound') {
      rec.id = undefined;
      return undefined;
    }
    throw err;
  }
}

/** Records an exit once: its termination becomes lastState if the container will restart. */
function accountExit(input: ContainerSyncInput, rec: ContainerRecord, st: ContainerStatus, restart: boolean): void {
  if (rec.accountedExit === st.id) return;
  rec.accountedExit = st.id;
  rec.ready = false;
  if (!restart) return;
  const iso = (d?: Date) => d?.toISOString().replace(/\.\d{3}Z$/, 'Z');
  rec.lastTerminated = {
    exitCode: st.exitCode ?? 0,
    reason: st.reason ?? 'Error',
    ...(st.message ? { message: st.message } : {}),
    ...(st.startedAt ? { startedAt: iso(st.startedAt) } : {}),
    ...(st.finishedAt ? { finishedAt: iso(st.finishedAt) } : {}),
    containerID: st.id,
  };
  const ranFor = (st.finishedAt?.getTime() ?? Date.now()) - (st.startedAt?.getTime() ?? Date.now());
  const { backoffBaseSeconds, backoffMaxSeconds } = input.ctx.cfg;
  rec.backoffSeconds = restartDelaySeconds(rec.backoffSeconds, ranFor, backoffBaseSeconds, backoffMaxSeconds);
  rec.backoffUntil = (st.finishedAt?.getTime() ?? Date.now()) + rec.backoffSeconds * 1000;
}

function restartPolicyOf(pod: Pod, isInit: boolean): string {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  // Init containers are retried on failure unless the pod never restarts; they never restart on success.
  return isInit ? (policy === 'Never' ? 'Never' : 'OnFailure') : policy;
}

/** Returns the container's runtime status after this step (undefined while it has none). */
export async function syncContainer(input: ContainerSyncInput): Promise<ContainerStatus | undefined> {
  const { ctx, pod, record, container: c, runtime } = input;
  const previous = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((s) => s.name === c.name);
  const rec = containerRecord(record, c.name, previous);
  let st = await currentStatus(runtime, rec);

  if (st?.state === 'running') {
    if (!rec.livenessFailed) return st;
    ctx.event(pod, 'Normal', Reasons.Killing, `Container ${c.name} failed liveness probe, will be restarted`);
    rec.livenessFailed = false;
    await runtime.stopContainer(st.id, pod.spec?.terminationGracePeriodSeconds ?? 30);
    st = await runtime.containerStatus(st.id);
  }
  if (st?.state === 'exited') {
    const restart = willRestart(restartPolicyOf(pod, input.isInit), st.exitCode ?? 0);
    accountExit(input, rec, st, restart);
    if (!restart) return st;
    const wait = (rec.backoffUntil ?? 0) - Date.now();
    if (wait > 0) {
      const message = `back-off ${rec.backoffSeconds ?? 0}s restarting failed container=${c.name} pod=${podName(pod)}`;
      if (rec.waiting?.reason !== Waiting.CrashLoopBackOff) ctx.event(pod, 'Warning', Reasons.BackOff, 'Back-off restarting failed container');
      rec.waiting = { reason: Waiting.CrashLoopBackOff, message };
      ctx.requeue(record.uid, wait);
      return st;
    }
    await runtime.removeContainer(st.id);
    rec.id = undefined;
    rec.restartCount++;
    st = undefined;
  }
  if (st?.state === 'created') {
    await start(input, rec, st.id);
    return currentStatus(runtime, rec);
  }
  if (!st) return createAndStart(input, rec);
  return st;
}

async function pull(input: ContainerSyncInput, rec: ContainerRecord): Promise<string | undefined> {
  const { ctx, pod, container: c, runtime } = input;
  const wait = (rec.pullBackoffUntil ?? 0) - Date.now();
  if (wait > 0) {
    rec.waiting = { reason: Waiting.ImagePullBackOff, message: `Back-off pulling image "${c.image ?? ''}"` };
    ctx.requeue(input.record.uid, wait);
    return undefined;
  }
  const present = await runtime.imageStatus(c.image ?? '').catch(() => undefined);
  if (!present && c.imagePullPolicy === 'Never') {
    const message = `Container image "${c.image ?? ''}" is not present with pull policy of Never`;
    if (rec.waiting?.reason !== Waiting.ErrImageNeverPull) ctx.event(pod, 'Warning', Waiting.ErrImageNeverPull, message);
    rec.waiting = { reason: Waiting.ErrImageNeverPull, message };
    ctx.requeue(input.record.uid, PULL_BACKOFF_BASE_S * 1000);
    return undefined;
  }
  if (present && c.imagePullPolicy !== 'Always') {
    if (!rec.imageID) ctx.event(pod, 'Normal', Reasons.Pulled, `Container image "${c.image ?? ''}" already present on machine`);
    return present.id;
  }
  try {
    const started = Date.now();
    const id = await runtime.pullImage(c.image ?? '');
    ctx.event(pod, 'Normal', Reasons.Pulled, `Successfully pulled image "${c.image ?? ''}" in ${Date.now() - started}ms`);
    rec.pullBackoffSeconds = undefined;
    return id;
  } catch (err) {
    const reason = isImagePullError(err) && err.reason === 'InvalidImageName' ? Waiting.InvalidImageName : Waiting.ErrImagePull;
    const message = `Failed to pull image "${c.image ?? ''}": ${(err as Error).message}`;
    ctx.event(pod, 'Warning', Reasons.Failed, message);
    rec.waiting = { reason: rec.pullBackoffSeconds ? Waiting.ImagePullBackOff : reason, message };
    rec.pullBackoffSeconds = Math.min((rec.pullBackoffSeconds ?? PULL_BACKOFF_BASE_S / 2) * 2, PULL_BACKOFF_MAX_S);
    rec.pullBackoffUntil = Date.now() + rec.pullBackoffSeconds * 1000;
    ctx.requeue(input.record.uid, rec.pullBackoffSeconds * 1000);
    return undefined;
  }
}

async function containerConfig(input: ContainerSyncInput): Promise<ContainerConfig> {
  const { ctx, pod, record, container: c } = input;
  const env = await resolveEnv(c, { pod, ...(record.podIP ? { podIP: record.podIP } : {}), hostIP: ctx.cfg.nodeIP, sources: ctx.sources, base: ctx.serviceEnv(pod.metadata.namespace ?? 'default') });
  const vars = new Map(env.map((e) => [e.name, e.value]));
  const memory = c.resources?.limits?.memory;
  return {
    name: c.name,
    image: c.image ?? '',
    command: (c.command ?? []).map((s) => expand(s, vars)),
    args: (c.args ?? []).map((s) => expand(s, vars)),
    env,
    ...(c.workingDir ? { workingDir: c.workingDir } : {}),
    mounts: containerMounts(c, input.volumes),
    ports: (c.ports ?? []).map((p) => ({ containerPort: p.containerPort, ...(p.protocol ? { protocol: p.protocol } : {}), ...(p.name ? { name: p.name } : {}) })),
    ...(memory !== undefined ? { memoryLimitBytes: parseQuantity(memory) } : {}),
    ...cpuAndSecurity(pod, c),
    attempt: input.record.containers.get(c.name)?.restartCount ?? 0,
    logPath: `${c.name}/${input.record.containers.get(c.name)?.restartCount ?? 0}.log`,
    labels: { 'io.kubernetes.container.name': c.name, 'io.kubernetes.pod.uid': pod.metadata.uid ?? '' },
  };
}

/** CPU limits and requests (millicores) and the security context (container over pod). */
function cpuAndSecurity(pod: Pod, c: Container): Partial<ContainerConfig> {
  const cpuLimit = c.resources?.limits?.cpu;
  const cpuRequest = c.resources?.requests?.cpu;
  const user = c.securityContext?.runAsUser ?? pod.spec?.securityContext?.runAsUser;
  const group = c.securityContext?.runAsGroup ?? pod.spec?.securityContext?.runAsGroup;
  return {
    ...(cpuLimit !== undefined ? { cpuLimitMillis: quantityMilliValue(cpuLimit) } : {}),
    ...(cpuRequest !== undefined ? { cpuRequestMillis: quantityMilliValue(cpuRequest) } : {}),
    ...(user !== undefined ? { runAsUser: user } : {}),
    ...(group !== undefined ? { runAsGroup: group } : {}),
    ...(c.securityContext?.readOnlyRootFilesystem ? { readOnlyRootFilesystem: true } : {}),
  };
}

async function createAndStart(input: ContainerSyncInput, rec: ContainerRecord): Promise<ContainerStatus | undefined> {
  const { ctx, pod, record, container: c, runtime } = input;
  const imageId = await pull(input, rec);
  if (!imageId) return undefined;
  rec.imageID = imageId;
  let config: ContainerConfig;
  try {
    config = await containerConfig(input);
  } catch (err) {
    rec.waiting = { reason: Waiting.CreateContainerConfigError, message: (err as Error).message };
    ctx.event(pod, 'Warning', Reasons.Failed, `Error: ${(err as Error).message}`);
    ctx.requeue(record.uid, 2000);
    return undefined;
  }
  try {
    rec.id = await runtime.createContainer(record.sandboxId ?? '', config);
  } catch (err) {
    rec.waiting = { reason: Waiting.CreateContainerError, message: (err as Error).message };
    ctx.event(pod, 'Warning', Reasons.Failed, `Error: ${(err as Error).message}`);
    ctx.requeue(record.uid, 2000);
    return undefined;
  }
  ctx.event(pod, 'Normal', Reasons.Created, `Created container ${c.name}`);
  await start(input, rec, rec.id);
  return currentStatus(runtime, rec);
}

async function start(input: ContainerSyncInput, rec: ContainerRecord, id: string): Promise<void> {
  const { ctx, pod, container: c, runtime } = input;
  rec.waiting = undefined;
  rec.ready = false;
  rec.started = false;
  try {
    await runtime.startContainer(id);
    ctx.event(pod, 'Normal', Reasons.Started, `Started container ${c.name}`);
  } catch (err) {
    ctx.event(pod, 'Warning', Reasons.Failed, `Error: failed to start container "${c.name}": ${(err as Error).message}`);
  }
}
