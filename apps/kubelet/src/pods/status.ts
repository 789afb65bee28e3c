// Computes a pod's status from what the kubelet knows: the runtime's view of each container and
// the kubelet's own records (restarts, back-off, probes). Pure, so the phase rules are tested as
// tables. Phases follow Kubernetes' getPhase:
//   Pending    some container has not started yet (init containers still running count here);
//   Running    all containers were started and at least one runs or will be restarted;
//   Succeeded  all containers ended with 0 and none will restart;
//   Failed     all ended, one failed, and none will restart.
import type { ContainerStatus as ApiContainerStatus, Pod, PodStatus } from '@kite/api-types';
import type { ContainerStatus as RuntimeStatus } from '@kite/cri';
import type { ContainerRecord, PodRecord } from './records.js';

type ContainerState = NonNullable<ApiContainerStatus['state']>;

const iso = (d: Date | undefined) => d?.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function containerState(rec: ContainerRecord | undefined, rt: RuntimeStatus | undefined, handler?: string): ContainerState {
  if (rt?.state === 'running' && !rec?.waiting) return { running: { startedAt: iso(rt.startedAt) ?? '' } };
  if (rt?.state === 'exited' && !rec?.waiting) {
    return {
      terminated: {
        exitCode: rt.exitCode ?? 0,
        reason: rt.reason ?? (rt.exitCode === 0 ? 'Completed' : 'Error'),
        ...(rt.message ? { message: rt.message } : {}),
        ...(rt.startedAt ? { startedAt: iso(rt.startedAt) } : {}),
        ...(rt.finishedAt ? { finishedAt: iso(rt.finishedAt) } : {}),
        containerID: `${containerScheme(rt, handler)}://${rt.id}`,
      },
    };
  }
  return { waiting: { reason: rec?.waiting?.reason ?? 'ContainerCreating', ...(rec?.waiting?.message ? { message: rec.waiting.message } : {}) } };
}

/** `containerID`'s scheme when the runtime handler is not known: Docker images say so in their ref. */
function containerScheme(rt: RuntimeStatus, handler: string | undefined): string {
  return handler ?? (rt.imageRef.startsWith('docker') ? 'docker' : 'wasm');
}

export function containerStatus(name: string, image: string, rec: ContainerRecord | undefined, rt: RuntimeStatus | undefined, handler?: string): ApiContainerStatus {
  const state = containerState(rec, rt, handler);
  const status: ApiContainerStatus = {
    name,
    image,
    imageID: rt?.imageRef ?? rec?.imageID ?? '',
    state,
    lastState: rec?.lastTerminated ? { terminated: { ...rec.lastTerminated } } : {},
    ready: Boolean(state.running && rec?.ready),
    started: Boolean(state.running && rec?.started),
    restartCount: rec?.restartCount ?? 0,
  } as ApiContainerStatus;
  if (rt) status.containerID = `${containerScheme(rt, handler)}://${rt.id}`;
  return status;
}

/** Whether a container that ended will be started again under the pod's restart policy. */
export function willRestart(policy: string, exitCode: number): boolean {
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}

export function podPhase(pod: Pod, statuses: ApiContainerStatus[], initDone: boolean): PodStatus['phase'] {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (!initDone) return 'Pending';
  let running = 0;
  let waiting = 0;
  let succeeded = 0;
  let failed = 0;
  for (const s of statuses) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode === 0) succeeded++;
      else failed++;
    }
    else if (s.state?.waiting) {
      // A container waiting to be restarted (CrashLoopBackOff) has run before: the pod is Running.
      if (s.lastState?.terminated) running++;
      else waiting++;
    }
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  const ended = statuses.filter((s) => s.state?.terminated);
  const restarting = ended.some((s) => willRestart(policy, s.state?.terminated?.exitCode ?? 0));
  if (restarting) return 'Running';
  if (failed > 0) return 'Failed';
  if (succeeded === statuses.length) return 'Succeeded';
  return 'Running';
}

type Condition = NonNullable<PodStatus['conditions']>[number];

function condition(type: string, ok: boolean, previous: Condition[] | undefined, now: string, reason?: string): Condition {
  const prev = previous?.find((c) => c.type === type);
  const status = ok ? 'True' : 'False';
  return {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: prev?.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : now,
    ...(ok || !reason ? {} : { reason }),
  } as Condition;
}

export interface StatusInputs {
  pod: Pod;
  record: PodRecord;
  runtime: Map<string, RuntimeStatus | undefined>;
  hostIP: string;
  now: string;
  /** The runtime handler, the scheme of `containerID` (`docker://...`, `wasm://...`). */
  handler?: string;
}

export function computePodStatus({ pod, record, runtime, hostIP, now, handler }: StatusInputs): PodStatus {
  const prev = pod.status?.conditions;
  const inits = (pod.spec?.initContainers ?? []).map((c) => containerStatus(c.name, c.image ?? '', record.containers.get(c.name), runtime.get(c.name), handler));
  const mains = (pod.spec?.containers ?? []).map((c) => containerStatus(c.name, c.image ?? '', record.containers.get(c.name), runtime.get(c.name), handler));
  const initDone = record.initDone.length === (pod.spec?.initContainers ?? []).length;
  const phase = record.terminal?.phase ?? podPhase(pod, mains, initDone);
  const containersReady = mains.length > 0 && mains.every((s) => s.ready);
  const scheduled = prev?.find((c) => c.type === 'PodScheduled') ?? condition('PodScheduled', true, prev, now);
  const status: PodStatus = {
    phase,
    conditions: [
      condition('Initialized', initDone, prev, now, 'ContainersNotInitialized'),
      condition('Ready', containersReady && phase === 'Running', prev, now, 'ContainersNotReady'),
      condition('ContainersReady', containersReady, prev, now, 'ContainersNotReady'),
      scheduled,
    ],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    ...(record.podIP ? { podIP: record.podIP, podIPs: [{ ip: record.podIP }] } : {}),
    ...(record.startTime ? { startTime: record.startTime } : {}),
    containerStatuses: mains,
    ...(inits.length ? { initContainerStatuses: inits } : {}),
    qosClass: pod.status?.qosClass ?? qosClass(pod),
  } as PodStatus;
  if (record.terminal?.reason) status.reason = record.terminal.reason;
  if (record.terminal?.message) status.message = record.terminal.message;
  return status;
}

/** Kubernetes' QoS classes: Guaranteed (limits = requests for all), Burstable, BestEffort. */
export function qosClass(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const cs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  const any = cs.some((c) => Object.keys(c.resources?.requests ?? {}).length + Object.keys(c.resources?.limits ?? {}).length > 0);
  if (!any) return 'BestEffort';
  const guaranteed = cs.every((c) => {
    const l = c.resources?.limits ?? {};
    const r = c.resources?.requests ?? {};
    return ['cpu', 'memory'].every((k) => l[k] !== undefined && String(r[k] ?? l[k]) === String(l[k]));
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
