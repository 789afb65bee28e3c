// The tolerations every DaemonSet pod gets (Kubernetes' AddOrUpdateDaemonPodTolerations), so a
// per-node agent keeps running where ordinary pods are evicted or kept away:
//   node.kubernetes.io/not-ready, unreachable          NoExecute, no tolerationSeconds (never evicted)
//   node.kubernetes.io/disk-pressure, memory-pressure,
//   pid-pressure, unschedulable                        NoSchedule
//   node.kubernetes.io/network-unavailable             NoSchedule, host-network pods only
// A toleration of the template with the same key, operator and effect is replaced, as in
// Kubernetes (so a template's tolerationSeconds on not-ready is dropped).
import type { PodSpec, Toleration } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';

const NO_EXECUTE: readonly string[] = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];
const NO_SCHEDULE: readonly string[] = ['node.kubernetes.io/disk-pressure', 'node.kubernetes.io/memory-pressure', 'node.kubernetes.io/pid-pressure', 'node.kubernetes.io/unschedulable'];
const HOST_NETWORK_NO_SCHEDULE: readonly string[] = ['node.kubernetes.io/network-unavailable'];

/** The default tolerations for a pod with (or without) host networking. */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const exists = (key: string, effect: 'NoExecute' | 'NoSchedule'): Toleration => ({ key, operator: 'Exists', effect });
  return [
    ...NO_EXECUTE.map((k) => exists(k, 'NoExecute')),
    ...NO_SCHEDULE.map((k) => exists(k, 'NoSchedule')),
    ...(hostNetwork ? HOST_NETWORK_NO_SCHEDULE.map((k) => exists(k, 'NoSchedule')) : []),
  ];
}

const sameToleration = (a: DeepReadonly<Toleration>, b: Toleration): boolean =>
  (a.key ?? '') === (b.key ?? '') && (a.operator || 'Equal') === b.operator && (a.effect ?? '') === (b.effect ?? '');

/** A copy of the pod spec with the default DaemonSet tolerations added or updated. */
export function withDaemonTolerations(spec: DeepReadonly<PodSpec> | undefined): PodSpec {
  const copy = structuredClone((spec ?? { containers: [] }) as PodSpec);
  const defaults = daemonTolerations(copy.hostNetwork === true);
  const kept = (copy.tolerations ?? []).filter((t) => !defaults.some((d) => sameToleration(t, d)));
  copy.tolerations = [...kept, ...defaults];
  return copy;
}
