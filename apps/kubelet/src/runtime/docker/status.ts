// Reads the engine's view of a container back as the runtime interface's statuses: state, times,
// exit code and the Kubernetes termination reason (Completed, Error, OOMKilled from the engine's
// own OOM flag, StartError when the engine could not start the process at all).
import type Dockerode from 'dockerode';
import { EXIT_CODE_START_ERROR, TerminationReason, type ContainerState, type ContainerStatus, type PodSandboxStatus } from '@kite/cri';
import { Label, sandboxConfigOf } from './labels.js';

/** An engine timestamp (RFC 3339, nanoseconds) as a Date, or undefined for "never". */
export function engineTime(value: string | undefined): Date | undefined {
  if (!value || value.startsWith('0001-01-01')) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** A start that failed leaves the container `created` with the engine's error set. */
function failedToStart(state: Dockerode.ContainerInspectInfo['State']): boolean {
  return state.Status === 'created' && Boolean(state.Error);
}

export function containerState(state: Dockerode.ContainerInspectInfo['State']): ContainerState {
  if (failedToStart(state)) return 'exited';
  switch (state.Status) {
    case 'created':
      return 'created';
    case 'running':
    case 'paused':
    case 'restarting':
      return 'running';
    case 'exited':
    case 'dead':
    case 'removing':
      return 'exited';
    default:
      return 'unknown';
  }
}

function termination(state: Dockerode.ContainerInspectInfo['State']): Pick<ContainerStatus, 'exitCode' | 'reason' | 'message'> {
  if (failedToStart(state)) {
    return { exitCode: EXIT_CODE_START_ERROR, reason: TerminationReason.StartError, message: state.Error };
  }
  const reason = state.OOMKilled ? TerminationReason.OOMKilled : state.ExitCode === 0 ? TerminationReason.Completed : TerminationReason.Error;
  return { exitCode: state.ExitCode, reason, ...(state.Error ? { message: state.Error } : {}) };
}

export function containerStatusOf(info: Dockerode.ContainerInspectInfo, imageRef: string): ContainerStatus {
  const labels = info.Config.Labels ?? {};
  const state = containerState(info.State);
  const startedAt = engineTime(info.State.StartedAt);
  const finishedAt = engineTime(info.State.FinishedAt);
  return {
    id: info.Id,
    sandboxId: labels[Label.SandboxId] ?? '',
    name: labels[Label.ContainerName] ?? info.Name.replace(/^\//, ''),
    state,
    createdAt: engineTime(info.Created) ?? new Date(0),
    ...(startedAt ? { startedAt } : {}),
    ...(state === 'exited' ? { finishedAt: finishedAt ?? new Date(), ...termination(info.State) } : {}),
    image: labels[Label.Image] ?? info.Config.Image,
    imageRef,
    logPath: labels[Label.LogPath] ?? '',
  };
}

/** A sandbox from a container listing (no inspect needed); undefined if its labels are mangled. */
export function sandboxStatusOf(info: Pick<Dockerode.ContainerInfo, 'Id' | 'Labels' | 'State' | 'Created'>): PodSandboxStatus | undefined {
  const config = sandboxConfigOf(info.Labels);
  if (!config) return undefined;
  return { id: info.Id, config, state: info.State === 'running' ? 'ready' : 'notready', createdAt: new Date(info.Created * 1000) };
}
