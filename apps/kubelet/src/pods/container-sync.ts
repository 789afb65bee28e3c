// Brings one container of a pod one step closer to what the spec wants: start it if it has never
// run, account an exit once, restart it under the pod's restartPolicy after its back-off, kill it
// when its liveness probe failed. Failures become waiting reasons and Events, never exceptions.
import { parseQuantity, quantityMilliValue } from '@kite/api-types';
import { isImagePullError, isRuntimeError } from '@kite/cri';
import type { ContainerConfig, ContainerRuntime, ContainerStatus } from '@kite/cri';
import type { ContainerObj, PodObj } from '../objects.js';
import { containerMounts, type PreparedVolume } from '../volumes/volumes.js';
import { backoffKey } from './backoff.js';
import { Reasons, Waiting, type KubeletContext } from './context.js';
import { expand, resolveEnv } from './env.js';
import { containerRecord, runningState, terminatedInfo, terminatedState, waitingState, type ContainerRecord, type PodRecord } from './records.js';
import { willRestart } from './status.js';

/** Retry delay after a container could not be configured or created. */
const CREATE_RETRY_MS = 2000;

export interface ContainerSyncInput {
  ctx: KubeletContext;
  pod: PodObj;
  record: PodRecord;
  container: ContainerObj;
  runtime: ContainerRuntime;
  volumes: Map<string, PreparedVolume>;
  isInit: boolean;
}

const podName = (pod: PodObj) => `${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`;

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

/**
 * Records an exit once: the instance is Terminated, and if the container will restart its
 * termination becomes lastState and the crash-loop back-off grows (from when it finished).
 */
function accountExit(input: ContainerSyncInput, rec: ContainerRecord, st: ContainerStatus, restart: boolean): void {
  if (rec.accountedExit === st.id) return;
  rec.accountedExit = st.id;
  rec.state = terminatedState(st);
  if (!restart) return;
  rec.lastTerminated = terminatedInfo(st);
  const now = Date.now();
  const finished = st.finishedAt?.getTime() ?? now;
  input.ctx.backoff.crashLoop.next(backoffKey(input.record.uid, rec.name), finished, finished - (st.startedAt?.getTime() ?? now));
}

function restartPolicyOf(pod: PodObj, isInit: boolean): string {
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
    if (rec.state.kind !== 'Running' || !rec.state.livenessFailed) return st;
    ctx.event(pod, 'Normal', Reasons.Killing, `Container ${c.name} failed liveness probe, will be restarted`);
    rec.state = { ...rec.state, livenessFailed: false };
    await runtime.stopContainer(st.id, pod.spec?.terminationGracePeriodSeconds ?? 30);
    st = await runtime.containerStatus(st.id);
  }
  if (st?.state === 'exited') {
    const restart = willRestart(restartPolicyOf(pod, input.isInit), st.exitCode ?? 0);
    accountExit(input, rec, st, restart);
    if (!restart) return st;
    if (crashLoopBackOff(input, rec)) return st;
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

/**
 * While the exited container's restart back-off lasts it waits in CrashLoopBackOff (one Event
 * when it starts waiting) and the pod is synced again when it ends. Returns whether it waits.
 */
function crashLoopBackOff(input: ContainerSyncInput, rec: ContainerRecord): boolean {
  const { ctx, pod, record } = input;
  const key = backoffKey(record.uid, rec.name);
  const now = Date.now();
  const entry = ctx.backoff.crashLoop.get(key);
  if (!entry || !ctx.backoff.crashLoop.inBackoff(key, now)) return false;
  if (!isWaiting(rec, Waiting.CrashLoopBackOff)) ctx.event(pod, 'Warning', Reasons.BackOff, 'Back-off restarting failed container');
  rec.state = waitingState(Waiting.CrashLoopBackOff, `back-off ${entry.delaySeconds}s restarting failed container=${rec.name} pod=${podName(pod)}`, entry);
  ctx.requeue(record.uid, ctx.backoff.crashLoop.remainingMs(key, now));
  return true;
}

const isWaiting = (rec: ContainerRecord, reason: string) => rec.state.kind === 'Waiting' && rec.state.reason === reason;

async function pull(input: ContainerSyncInput, rec: ContainerRecord): Promise<string | undefined> {
  const { ctx, pod, container: c, runtime } = input;
  const pulls = ctx.backoff.imagePull;
  const key = backoffKey(input.record.uid, c.name);
  const now = Date.now();
  if (pulls.inBackoff(key, now)) {
    rec.state = waitingState(Waiting.ImagePullBackOff, `Back-off pulling image "${c.image ?? ''}"`, pulls.get(key));
    ctx.requeue(input.record.uid, pulls.remainingMs(key, now));
    return undefined;
  }
  const present = await runtime.imageStatus(c.image ?? '').catch(() => undefined);
  if (!present && c.imagePullPolicy === 'Never') {
    const message = `Container image "${c.image ?? ''}" is not present with pull policy of Never`;
    if (!isWaiting(rec, Waiting.ErrImageNeverPull)) ctx.event(pod, 'Warning', Waiting.ErrImageNeverPull, message);
    rec.state = waitingState(Waiting.ErrImageNeverPull, message);
    // Not a back-off: the image may appear any time; look again after the pull back-off's base.
    ctx.requeue(input.record.uid, pulls.policy.baseSeconds * 1000);
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
    pulls.reset(key);
    return id;
  } catch (err) {
    // The first failure is ErrImagePull (or InvalidImageName); once backing off, ImagePullBackOff.
    const first = isImagePullError(err) && err.reason === 'InvalidImageName' ? Waiting.InvalidImageName : Waiting.ErrImagePull;
    const reason = pulls.get(key) ? Waiting.ImagePullBackOff : first;
    const message = `Failed to pull image "${c.image ?? ''}": ${(err as Error).message}`;
    ctx.event(pod, 'Warning', Reasons.Failed, message);
    const entry = pulls.next(key, Date.now());
    rec.state = waitingState(reason, message, entry);
    ctx.requeue(input.record.uid, entry.delaySeconds * 1000);
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
function cpuAndSecurity(pod: PodObj, c: ContainerObj): Partial<ContainerConfig> {
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
    rec.state = waitingState(Waiting.CreateContainerConfigError, (err as Error).message);
    ctx.event(pod, 'Warning', Reasons.Failed, `Error: ${(err as Error).message}`);
    ctx.requeue(record.uid, CREATE_RETRY_MS);
    return undefined;
  }
  try {
    rec.id = await runtime.createContainer(record.sandboxId ?? '', config);
  } catch (err) {
    rec.state = waitingState(Waiting.CreateContainerError, (err as Error).message);
    ctx.event(pod, 'Warning', Reasons.Failed, `Error: ${(err as Error).message}`);
    ctx.requeue(record.uid, CREATE_RETRY_MS);
    return undefined;
  }
  ctx.event(pod, 'Normal', Reasons.Created, `Created container ${c.name}`);
  await start(input, rec, rec.id);
  return currentStatus(runtime, rec);
}

/**
 * Starts the instance; it is Running from here on, with no probe verdicts yet. When the start
 * fails the runtime's status (created, or exited) is what the pod reports.
 */
async function start(input: ContainerSyncInput, rec: ContainerRecord, id: string): Promise<void> {
  const { ctx, pod, container: c, runtime } = input;
  rec.state = runningState(new Date());
  try {
    await runtime.startContainer(id);
    ctx.event(pod, 'Normal', Reasons.Started, `Started container ${c.name}`);
  } catch (err) {
    ctx.event(pod, 'Warning', Reasons.Failed, `Error: failed to start container "${c.name}": ${(err as Error).message}`);
  }
}
