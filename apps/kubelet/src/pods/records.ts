// What the kubelet remembers about a pod between syncs: its sandbox, IP, and per container the
// current runtime instance, restarts and its state. Rebuilt from the runtime and the pod's last
// reported status after a kubelet restart.
//
// A container's state is one tagged union, as krustlet and the CRI model it, so impossible
// combinations (ready while waiting, a liveness verdict for an instance that is gone) cannot be
// written down:
//   Waiting     no instance runs: why (ContainerCreating, ErrImagePull, CrashLoopBackOff, ...)
//               and, while backing off, until when;
//   Running     the kubelet started (or adopted) the current instance; its probe results;
//   Terminated  the current instance ended and its exit is accounted (one that restarts moves on
//               to Waiting CrashLoopBackOff, or straight to a new instance).
// The runtime's own status stays the truth for what an instance does right now (status.ts): a
// Waiting state is reported as it is, the others as the runtime sees the instance.
import type { ContainerStatus as ApiContainerStatus } from '@kite/api-types';
import type { ContainerStatus as RuntimeStatus } from '@kite/cri';
import type { DeepReadonly } from '@kite/client';
import type { PodObj } from '../objects.js';
import type { PreparedVolume } from '../volumes/volumes.js';
import type { BackoffEntry } from './backoff.js';
import { Waiting } from './context.js';

export interface TerminatedInfo {
  exitCode: number;
  reason: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  containerID?: string;
}

export interface WaitingState {
  readonly kind: 'Waiting';
  readonly reason: string;
  readonly message?: string;
  /** Set while the container backs off (CrashLoopBackOff, ImagePullBackOff). */
  readonly backOff?: BackoffEntry;
}

export interface RunningState {
  readonly kind: 'Running';
  /** When the kubelet started the instance (adopted: when the runtime says it started). */
  readonly startedAt: string;
  /** Probe results for this instance: startup passed, ready, liveness failed (to be killed). */
  readonly started: boolean;
  readonly ready: boolean;
  readonly livenessFailed: boolean;
}

export type TerminatedState = { readonly kind: 'Terminated' } & Readonly<TerminatedInfo>;

export type ContainerState = WaitingState | RunningState | TerminatedState;

export interface ContainerRecord {
  readonly name: string;
  /** The current runtime instance. */
  id?: string;
  imageID?: string;
  restartCount: number;
  /** The last instance that ended and has been accounted for (lastState). */
  lastTerminated?: TerminatedInfo;
  /** The id of the instance whose exit was accounted, so an exit counts once. */
  accountedExit?: string;
  state: ContainerState;
}

/** Seconds precision, as the API reports times. */
export const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function waitingState(reason: string, message?: string, backOff?: BackoffEntry): WaitingState {
  return { kind: 'Waiting', reason, ...(message ? { message } : {}), ...(backOff ? { backOff } : {}) };
}

/** A just started instance: no probe verdict yet. */
export function runningState(startedAt: Date): RunningState {
  return { kind: 'Running', startedAt: isoSeconds(startedAt), started: false, ready: false, livenessFailed: false };
}

/** How a runtime instance ended, as lastState and the Terminated state record it. */
export function terminatedInfo(st: RuntimeStatus): TerminatedInfo {
  return {
    exitCode: st.exitCode ?? 0,
    reason: st.reason ?? 'Error',
    ...(st.message ? { message: st.message } : {}),
    ...(st.startedAt ? { startedAt: isoSeconds(st.startedAt) } : {}),
    ...(st.finishedAt ? { finishedAt: isoSeconds(st.finishedAt) } : {}),
    containerID: st.id,
  };
}

/** An instance that ended and stays ended; an exit without a runtime reason is Completed or Error. */
export function terminatedState(st: RuntimeStatus): TerminatedState {
  const info = terminatedInfo(st);
  return { kind: 'Terminated', ...info, reason: st.reason ?? (info.exitCode === 0 ? 'Completed' : 'Error') };
}

/** The state of an instance the kubelet finds already in the runtime (after a restart). */
export function adoptedState(st: RuntimeStatus): ContainerState {
  if (st.state === 'running') return runningState(st.startedAt ?? st.createdAt);
  if (st.state === 'exited') return terminatedState(st);
  return waitingState(Waiting.ContainerCreating);
}

export interface PodRecord {
  uid: string;
  key: string;
  sandboxId?: string;
  podIP?: string;
  startTime?: string;
  /** Names of init containers that completed successfully, in order. */
  initDone: string[];
  containers: Map<string, ContainerRecord>;
  /** Set once the pod reached Succeeded or Failed; a terminal pod is never restarted. */
  terminal?: { phase: 'Succeeded' | 'Failed'; reason?: string; message?: string };
  /** The finished pod's sandbox is stopped and its IP back in the pool. */
  networkReleased?: boolean;
  /** Volumes prepared for the pod, by volume name. */
  volumes?: Map<string, PreparedVolume>;
}

export function newContainerRecord(name: string, previous?: DeepReadonly<ApiContainerStatus>): ContainerRecord {
  const rec: ContainerRecord = { name, restartCount: previous?.restartCount ?? 0, state: waitingState(Waiting.ContainerCreating) };
  const last = previous?.lastState?.terminated;
  if (last) {
    rec.lastTerminated = { exitCode: last.exitCode ?? 0, reason: last.reason ?? 'Error', ...(last.finishedAt ? { finishedAt: last.finishedAt } : {}) };
  }
  return rec;
}

export function containerRecord(pod: PodRecord, name: string, previous?: DeepReadonly<ApiContainerStatus>): ContainerRecord {
  let rec = pod.containers.get(name);
  if (!rec) {
    rec = newContainerRecord(name, previous);
    pod.containers.set(name, rec);
  }
  return rec;
}

/**
 * A pod whose reported phase is already Succeeded or Failed (it finished before this kubelet
 * started) is never run again, as the Kubernetes kubelet honours a terminal API phase.
 */
export function terminalFromApi(pod: PodObj): Pick<PodRecord, 'terminal'> {
  const phase = pod.status?.phase;
  if (phase !== 'Succeeded' && phase !== 'Failed') return {};
  const { reason, message } = pod.status ?? {};
  return { terminal: { phase, ...(reason ? { reason } : {}), ...(message ? { message } : {}) } };
}
