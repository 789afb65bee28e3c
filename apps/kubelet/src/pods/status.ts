// Computes a pod's status from what the kubelet knows: the runtime's view of each container and
// the kubelet's own records (restarts, state, probes). Pure, so the phase rules are tested as
// tables. A container whose record is Waiting reports that reason; otherwise the runtime's view of
// its instance is reported (running, exited, else ContainerCreating), with the probe results of a
// Running record. Phases follow Kubernetes' getPhase:
//   Pending    some container has not started yet (init containers still running count here);
//   Running    all containers were started and at least one runs or will be restarted;
//   Succeeded  all containers ended with 0 and none will restart;
//   Failed     all ended, one failed, and none will restart.
import type { ContainerStatus as ApiContainerStatus, PodStatus } from '@kite/api-types';
import type { ContainerStatus as RuntimeStatus } from '@kite/cri';
import type { DeepReadonly } from '@kite/client';
import type { PodObj } from '../objects.js';
import { Waiting } from './context.js';
import { isoSeconds, type ContainerRecord, type PodRecord } from './records.js';

type ApiContainerState = NonNullable<ApiContainerStatus['state']>;

const iso = (d: Date | undefined) => (d ? isoSeconds(d) : undefined);

export function containerState(rec: ContainerRecord | undefined, rt: RuntimeStatus | undefined, handler?: string): ApiContainerState {
  if (rec?.state.kind === 'Waiting') return { waiting: { reason: rec.state.reason, ...(rec.state.message ? { message: rec.state.message } : {}) } };
  if (rt?.state === 'running') return { running: { startedAt: iso(rt.startedAt) ?? '' } };
  if (rt?.state === 'exited') {
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
  return { waiting: { reason: Waiting.ContainerCreating } };
}

/** `containerID`'s scheme when the runtime handler is not known: Docker images say so in their ref. */
function containerScheme(rt: RuntimeStatus, handler: string | undefined): string {
  return handler ?? (rt.imageRef.startsWith('docker') ? 'docker' : 'wasm');
}

export function containerStatus(name: string, image: string, rec: ContainerRecord | undefined, rt: RuntimeStatus | undefined, handler?: string): ApiContainerStatus {
  const state = containerState(rec, rt, handler);
  const probed = state.running && rec?.state.kind === 'Running' ? rec.state : undefined;
  const status: ApiContainerStatus = {
    name,
    image,
    imageID: rt?.imageRef ?? rec?.imageID ?? '',
    state,
    lastState: rec?.lastTerminated ? { terminated: { ...rec.lastTerminated } } : {},
    ready: probed?.ready ?? false,
    started: probed?.started ?? false,
    restartCount: rec?.restartCount ?? 0,
  } as ApiContainerStatus;
  if (rt) status.containerID = `${containerScheme(rt, handler)}://${rt.id}`;
  return status;
}

/** Whether a container that ended will be started again under the pod's restart policy. */
export function willRestart(policy: string, exitCode: number): boolean {
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}

export function podPhase(pod: PodObj, statuses: ApiContainerStatus[], initDone: boolean): PodStatus['phase'] {
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

function condition(type: string, ok: boolean, previous: readonly DeepReadonly<Condition>[] | undefined, now: string, reason?: string): Condition {
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
  pod: PodObj;
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
  // A copy: the status is built anew and never shares objects with the cached pod.
  const cached = prev?.find((c) => c.type === 'PodScheduled');
  const scheduled = cached ? { ...cached } : condition('PodScheduled', true, prev, now);
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
export function qosClass(pod: PodObj): 'Guaranteed' | 'Burstable' | 'BestEffort' {
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
