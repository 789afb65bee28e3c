// Pod columns, as `kubectl get pods` prints them for Kubernetes:
//   NAME READY STATUS RESTARTS AGE | IP NODE NOMINATED NODE READINESS GATES (wide)
// STATUS is the most telling reason rather than the bare phase: an init container's progress
// (`Init:0/2`, `Init:CrashLoopBackOff`), a container's waiting or terminated reason, `NotReady` for
// a pod whose containers ran to completion while another still runs unready, `Terminating`.
import type { ContainerStatus, Pod } from '@kite/api-types';
import { NONE, ageColumn, humanDuration, kindColumns, nameColumn, orNone, type Column } from './format.js';

/** The pod condition that says whether all containers are ready. */
const READY_CONDITION = 'Ready';
/** A deleted pod on a node that stopped reporting: its fate is unknown. */
const NODE_LOST = 'NodeLost';

/** Reason of a terminated container: its own reason, else its signal or exit code. */
function terminatedReason(t: NonNullable<NonNullable<ContainerStatus['state']>['terminated']>): string {
  if (t.reason) return t.reason;
  return t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`;
}

/** `Init:...` while init containers run; undefined once they are done. */
function initReason(pod: Pod): string | undefined {
  const statuses = pod.status?.initContainerStatuses ?? [];
  const total = pod.spec?.initContainers?.length ?? statuses.length;
  for (const [i, cs] of statuses.entries()) {
    const sidecar = pod.spec?.initContainers?.find((c) => c.name === cs.name)?.restartPolicy === 'Always';
    const t = cs.state?.terminated;
    if (t && t.exitCode === 0) continue;
    if (sidecar && cs.started) continue;
    if (t) return `Init:${terminatedReason(t)}`;
    const waiting = cs.state?.waiting?.reason;
    if (waiting && waiting !== 'PodInitializing') return `Init:${waiting}`;
    return `Init:${i}/${total}`;
  }
  return undefined;
}

/** The STATUS column of a pod, as kubectl shows it. */
export function podStatusReason(pod: Pod): string {
  let reason: string = pod.status?.reason || pod.status?.phase || 'Unknown';
  const init = initReason(pod);
  if (init) reason = init;
  else {
    let running = false;
    for (const cs of [...(pod.status?.containerStatuses ?? [])].reverse()) {
      const state = cs.state ?? {};
      if (state.waiting?.reason) reason = state.waiting.reason;
      else if (state.terminated) reason = terminatedReason(state.terminated);
      else if (state.running && cs.ready) running = true;
    }
    if (reason === 'Completed' && running) {
      const ready = pod.status?.conditions?.some((c) => c.type === READY_CONDITION && c.status === 'True');
      reason = ready ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp) reason = pod.status?.reason === NODE_LOST ? 'Unknown' : 'Terminating';
  return reason;
}

/** `3` or, after a restart, `3 (5m ago)` with the time since the last container exit. */
export function podRestarts(pod: Pod): string {
  const initializing = initReason(pod) !== undefined;
  const statuses = initializing ? (pod.status?.initContainerStatuses ?? []) : (pod.status?.containerStatuses ?? []);
  let restarts = 0;
  let last = 0;
  for (const cs of statuses) {
    restarts += cs.restartCount ?? 0;
    const finished = Date.parse(cs.lastState?.terminated?.finishedAt ?? '');
    if (!Number.isNaN(finished)) last = Math.max(last, finished);
  }
  return restarts > 0 && last > 0 ? `${restarts} (${humanDuration((Date.now() - last) / 1000)} ago)` : String(restarts);
}

function readyCount(pod: Pod): string {
  const ready = (pod.status?.containerStatuses ?? []).filter((c) => c.ready).length;
  return `${ready}/${pod.spec?.containers.length ?? 0}`;
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return NONE;
  const conditions = pod.status?.conditions ?? [];
  const passed = gates.filter((g) => conditions.some((c) => c.type === g.conditionType && c.status === 'True')).length;
  return `${passed}/${gates.length}`;
}

export function podColumns(): Column[] {
  const columns: Array<Column<Pod>> = [
    nameColumn,
    { name: 'Ready', description: 'The aggregate readiness state of this pod for accepting traffic.', value: readyCount },
    { name: 'Status', description: 'The aggregate status of the containers in this pod.', value: podStatusReason },
    { name: 'Restarts', description: 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.', value: podRestarts },
    ageColumn,
    { name: 'IP', priority: 1, description: 'IP address allocated to the pod.', value: (o) => orNone(o.status?.podIP) },
    { name: 'Node', priority: 1, description: 'Name of the Node this pod is assigned to.', value: (o) => orNone(o.spec?.nodeName) },
    { name: 'Nominated Node', priority: 1, description: 'Name of the Node nominated for this pod.', value: (o) => orNone(o.status?.nominatedNodeName) },
    { name: 'Readiness Gates', priority: 1, description: 'Readiness gates of this pod.', value: readinessGates },
  ];
  return kindColumns(columns);
}
