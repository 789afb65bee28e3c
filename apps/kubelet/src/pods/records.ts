// What the kubelet remembers about a pod between syncs: its sandbox, IP, and per container the
// current runtime instance, restarts, back-off and probe results. Rebuilt from the runtime and the
// pod's last reported status after a kubelet restart.
import type { ContainerStatus as ApiContainerStatus, Pod } from '@kite/api-types';
import type { PreparedVolume } from '../volumes/volumes.js';

export interface TerminatedInfo {
  exitCode: number;
  reason: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  containerID?: string;
}

export interface ContainerRecord {
  name: string;
  /** The current runtime instance. */
  id?: string;
  imageID?: string;
  restartCount: number;
  /** The last instance that ended and has been accounted for (lastState). */
  lastTerminated?: TerminatedInfo;
  /** The id of the instance whose exit was accounted, so an exit counts once. */
  accountedExit?: string;
  /** No restart before this time (epoch ms); set while in CrashLoopBackOff. */
  backoffUntil?: number;
  backoffSeconds?: number;
  /** Why the container is not running, when it is waiting. */
  waiting?: { reason: string; message?: string };
  /** Probe results for the current instance. */
  ready: boolean;
  started: boolean;
  livenessFailed?: boolean;
  /** Image pull back-off state. */
  pullBackoffUntil?: number;
  pullBackoffSeconds?: number;
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

export function newContainerRecord(name: string, previous?: ApiContainerStatus): ContainerRecord {
  const rec: ContainerRecord = { name, restartCount: previous?.restartCount ?? 0, ready: false, started: false };
  const last = previous?.lastState?.terminated;
  if (last) {
    rec.lastTerminated = { exitCode: last.exitCode ?? 0, reason: last.reason ?? 'Error', ...(last.finishedAt ? { finishedAt: last.finishedAt } : {}) };
  }
  return rec;
}

export function containerRecord(pod: PodRecord, name: string, previous?: ApiContainerStatus): ContainerRecord {
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
export function terminalFromApi(pod: Pod): Pick<PodRecord, 'terminal'> {
  const phase = pod.status?.phase;
  if (phase !== 'Succeeded' && phase !== 'Failed') return {};
  const { reason, message } = pod.status ?? {};
  return { terminal: { phase, ...(reason ? { reason } : {}), ...(message ? { message } : {}) } };
}
