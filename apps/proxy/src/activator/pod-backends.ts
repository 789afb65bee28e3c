// Which backends a held request may go to before the EndpointSlice names any (pure; table-tested):
// the Service's Ready pods, seen on the activator's own pods watch (ready-pods.ts).
//
// Contract, matching what the EndpointSlice controller would publish for the same pods:
// - A pod counts when it is Ready (condition Ready=True), has a pod IP, is not being deleted and
//   has not finished. The proxy forwards only to loopback (net.ts), so other IPs are left out.
//   A Running pod whose uid is in `probed` (the activator ran its readiness probe and it passed,
//   pod-probe.ts) counts as Ready.
// - The port is the Service port named `portName` ('' when unnamed) resolved on each pod
//   (resolveTargetPort: a named targetPort is looked up among the pod's container ports); a pod
//   without it does not serve that port.
// - The result is sorted by address, as readyBackends sorts slice endpoints.
import { resolveTargetPort, type Pod, type Service } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import type { Backend } from '../catalog/endpoints.js';
import { hostPort, isLoopbackIPv4 } from '../net.js';

type ReadonlyPod = DeepReadonly<Pod>;

function servesTraffic(pod: ReadonlyPod, probed: ReadonlySet<string>): boolean {
  const phase = pod.status?.phase;
  if (pod.metadata.deletionTimestamp || phase === 'Succeeded' || phase === 'Failed') return false;
  if (phase === 'Running' && probed.has(pod.metadata.uid ?? '')) return true;
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

export function podBackends(service: DeepReadonly<Service>, portName: string, pods: readonly ReadonlyPod[], probed: ReadonlySet<string> = new Set()): Backend[] {
  const svcPort = (service.spec?.ports ?? []).find((p) => (p.name ?? '') === portName);
  if (!svcPort) return [];
  const out: Backend[] = [];
  for (const pod of pods) {
    const ip = pod.status?.podIP;
    if (!ip || !isLoopbackIPv4(ip) || !servesTraffic(pod, probed)) continue;
    const port = resolveTargetPort(svcPort, pod);
    if (port === undefined) continue;
    out.push({ ip, port, key: hostPort(ip, port), pod: pod.metadata.name ?? '' });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
}
