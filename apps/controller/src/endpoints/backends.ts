// The backends of a Service: which of its selected pods serve it, on which ports, and whether
// they are ready — shared by the Endpoints and EndpointSlice controllers, so both agree.
//
// Rules:
// - A pod is a backend when it has a pod IP and has not finished (Succeeded/Failed).
// - A terminating pod (deletionTimestamp set) is left out of Endpoints, unless the Service
//   publishes not-ready addresses; EndpointSlices keep it with ready=false, terminating=true.
// - `ready` is the pod's Ready condition, or always true with spec.publishNotReadyAddresses.
// - Each Service port resolves its targetPort per pod: a number is used as is; a name is looked up
//   among the pod's container ports (same protocol). A pod lacking a named port does not serve
//   that Service port; a pod serving none of the ports (when the Service has ports) is left out.
import { resolveTargetPort, type Pod, type Protocol, type Service } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { isPodReady, type ReadonlyPod } from '../framework/pods.js';

export interface BackendPort {
  name: string;
  port: number;
  protocol: Protocol;
  appProtocol?: string;
}

export interface Backend {
  pod: ReadonlyPod;
  ip: string;
  ready: boolean;
  terminating: boolean;
  /** Resolved ports, sorted by name. */
  ports: BackendPort[];
}

type ReadonlyService = DeepReadonly<Service>;

export function backendPorts(svc: ReadonlyService, pod: ReadonlyPod): BackendPort[] {
  const out: BackendPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = resolveTargetPort(sp, pod);
    if (port === undefined) continue;
    out.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The backends of `svc` among `pods` (already filtered by the Service's selector), sorted by IP. */
export function serviceBackends(svc: ReadonlyService, pods: readonly DeepReadonly<Pod>[]): Backend[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const hasPorts = (svc.spec?.ports ?? []).length > 0;
  const out: Backend[] = [];
  for (const pod of pods) {
    const ip = pod.status?.podIP;
    const phase = pod.status?.phase;
    if (!ip || phase === 'Succeeded' || phase === 'Failed') continue;
    const ports = backendPorts(svc, pod);
    if (hasPorts && ports.length === 0) continue;
    const terminating = pod.metadata.deletionTimestamp !== undefined;
    out.push({ pod, ip, ready: publishNotReady || (isPodReady(pod) && !terminating), terminating, ports });
  }
  return out.sort((a, b) => compareIPs(a.ip, b.ip) || (a.pod.metadata.name ?? '').localeCompare(b.pod.metadata.name ?? ''));
}

/** Numeric order of dotted IPv4 addresses (string order would put 10 before 9). */
export function compareIPs(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.localeCompare(b);
}

/** A stable key of a port set, for grouping backends that serve the same ports. */
export function portsKey(ports: readonly BackendPort[]): string {
  return ports.map((p) => `${p.name}/${p.port}/${p.protocol}/${p.appProtocol ?? ''}`).join(',');
}

/** What about a pod the endpoints depend on: an update that leaves this unchanged is skipped. */
export function endpointRelevantState(pod: ReadonlyPod): string {
  return JSON.stringify([
    pod.status?.podIP,
    isPodReady(pod),
    pod.metadata.deletionTimestamp ?? null,
    pod.status?.phase,
    pod.spec?.nodeName,
    pod.metadata.labels ?? {},
    pod.spec?.hostname,
    (pod.spec?.containers ?? []).map((c) => c.ports ?? []),
  ]);
}
