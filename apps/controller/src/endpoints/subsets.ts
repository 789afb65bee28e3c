// core/v1 Endpoints subsets from a Service's backends (pure; table-tested).
// Backends serving the same port set share one subset; ready ones go to `addresses`, the others
// to `notReadyAddresses`. Terminating pods are left out (unless the Service publishes not-ready
// addresses, when they are listed as ready like every other pod). Order is deterministic (by IP,
// subsets by port key), so an unchanged set of pods never causes a write.
import type { EndpointAddress, EndpointSubset } from '@kite/api-types';
import { portsKey, type Backend } from './backends.js';

export function endpointAddress(b: Backend): EndpointAddress {
  const pod = b.pod;
  return {
    ip: b.ip,
    ...(pod.spec?.hostname ? { hostname: pod.spec.hostname } : {}),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
}

export function computeSubsets(backends: readonly Backend[], publishNotReady: boolean): EndpointSubset[] {
  const groups = new Map<string, { backends: Backend[] }>();
  for (const b of backends) {
    if (b.terminating && !publishNotReady) continue;
    const key = portsKey(b.ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { backends: [] }));
    g.backends.push(b);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, g]) => {
      const first = g.backends[0];
      const subset: EndpointSubset = {};
      const ready = g.backends.filter((b) => b.ready).map(endpointAddress);
      const notReady = g.backends.filter((b) => !b.ready).map(endpointAddress);
      if (ready.length > 0) subset.addresses = ready;
      if (notReady.length > 0) subset.notReadyAddresses = notReady;
      const ports = (first?.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
      if (ports.length > 0) subset.ports = ports;
      return subset;
    });
}
