// EndpointSlice planning (pure; table-tested): which slices of a Service to update, create and
// delete so that together they hold exactly its backends.
//
// Rules:
// - A slice holds endpoints that serve the same port set, at most `maxPerSlice` of them.
// - Sticky placement: an endpoint already in a slice with the right ports stays there, so adding
//   or removing one pod rewrites one slice, not all of them. New endpoints fill existing slices'
//   free room first (fullest first), then new slices.
// - Slices left empty are deleted — except that a Service with no endpoints at all keeps one empty
//   placeholder slice (as Kubernetes does), so readers can tell "no endpoints" from "not synced".
// - A slice is rewritten only when its endpoints or ports actually change.
import type { Endpoint, EndpointSlice } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { semanticJson } from '../framework/canonical.js';
import { isPodReady } from '../framework/pods.js';
import { portsKey, type Backend, type BackendPort } from './backends.js';

/** Endpoints per slice (Kubernetes' --max-endpoints-per-slice default). */
export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;

export type SlicePort = NonNullable<EndpointSlice['ports']>[number];

export interface DesiredSlice {
  endpoints: Endpoint[];
  ports: SlicePort[];
}

export interface SlicePlan {
  updates: (DesiredSlice & { name: string })[];
  creates: DesiredSlice[];
  deletes: string[];
}

export function sliceEndpoint(b: Backend, publishNotReady: boolean): Endpoint {
  const pod = b.pod;
  return {
    addresses: [b.ip],
    conditions: { ready: b.ready, serving: publishNotReady || isPodReady(pod), terminating: b.terminating },
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    ...(pod.spec?.hostname ? { hostname: pod.spec.hostname } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
}

export function slicePorts(ports: readonly BackendPort[]): SlicePort[] {
  return ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
}

type ReadonlySlice = DeepReadonly<EndpointSlice>;

function keyOfSlice(s: ReadonlySlice): string {
  return portsKey((s.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port ?? 0, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) })));
}

interface Group {
  ports: SlicePort[];
  /** Desired endpoints by IP, not yet placed. */
  pending: Map<string, Endpoint>;
}

function groupBackends(backends: readonly Backend[], publishNotReady: boolean): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const b of backends) {
    const key = portsKey(b.ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports: slicePorts(b.ports), pending: new Map() }));
    g.pending.set(b.ip, sliceEndpoint(b, publishNotReady));
  }
  return groups;
}

const byIP = (a: Endpoint, b: Endpoint): number => (a.addresses[0] ?? '').localeCompare(b.addresses[0] ?? '', 'en', { numeric: true });

export function planSlices(existing: readonly ReadonlySlice[], backends: readonly Backend[], publishNotReady: boolean, maxPerSlice = DEFAULT_MAX_ENDPOINTS_PER_SLICE): SlicePlan {
  const groups = groupBackends(backends, publishNotReady);
  const kept = new Map<string, { slice: ReadonlySlice; key: string; endpoints: Endpoint[] }>();
  for (const s of [...existing].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))) {
    const key = keyOfSlice(s);
    const g = groups.get(key);
    const endpoints: Endpoint[] = [];
    for (const e of s.endpoints) {
      const ip = e.addresses[0] ?? '';
      const want = g?.pending.get(ip);
      if (want && endpoints.length < maxPerSlice) {
        endpoints.push(want);
        g?.pending.delete(ip);
      }
    }
    kept.set(s.metadata.name ?? '', { slice: s, key, endpoints });
  }
  const creates: DesiredSlice[] = [];
  for (const [key, g] of groups) {
    const rest = [...g.pending.values()].sort(byIP);
    const withRoom = [...kept.values()].filter((k) => k.key === key && k.endpoints.length > 0 && k.endpoints.length < maxPerSlice).sort((a, b) => b.endpoints.length - a.endpoints.length);
    for (const k of withRoom) while (rest.length > 0 && k.endpoints.length < maxPerSlice) k.endpoints.push(rest.shift() as Endpoint);
    for (let i = 0; i < rest.length; i += maxPerSlice) creates.push({ endpoints: rest.slice(i, i + maxPerSlice), ports: g.ports });
  }
  return finish(kept, creates, groups, backends.length === 0);
}

function finish(kept: Map<string, { slice: ReadonlySlice; key: string; endpoints: Endpoint[] }>, creates: DesiredSlice[], groups: Map<string, Group>, none: boolean): SlicePlan {
  const plan: SlicePlan = { updates: [], creates, deletes: [] };
  let placeholder = !none;
  for (const [name, k] of kept) {
    if (k.endpoints.length === 0 && placeholder) {
      plan.deletes.push(name);
      continue;
    }
    placeholder = true;
    const ports = k.endpoints.length === 0 ? [] : (groups.get(k.key)?.ports ?? []);
    const desired = { name, endpoints: [...k.endpoints].sort(byIP), ports };
    if (semanticJson(desired.endpoints) !== semanticJson(k.slice.endpoints) || semanticJson(ports) !== semanticJson(k.slice.ports ?? [])) plan.updates.push(desired);
  }
  if (!placeholder && creates.length === 0) plan.creates.push({ endpoints: [], ports: [] });
  return plan;
}
