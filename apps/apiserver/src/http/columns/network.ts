// Columns of the service kinds, as `kubectl get` prints them for Kubernetes:
//   Service        NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE | SELECTOR
//   Endpoints      NAME ENDPOINTS AGE
//   EndpointSlice  NAME ADDRESSTYPE PORTS ENDPOINTS AGE
import type { EndpointSlice, Endpoints, Service } from '@kite/api-types';
import { NONE, ageColumn, formatLabels, kindColumns, nameColumn, orNone, truncatedList, type Column } from './format.js';

/** What a LoadBalancer service shows until it has an address. */
const PENDING = '<pending>';
/** What an EndpointSlice shows for a missing port or an empty list. */
const UNSET = '<unset>';

/** EXTERNAL-IP: external IPs, plus load balancer addresses, or the external name. */
export function serviceExternalIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const external = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'LoadBalancer': {
      const ingress = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter((a) => a !== '');
      const all = [...ingress, ...external];
      return all.length > 0 ? all.join(',') : PENDING;
    }
    case 'ExternalName':
      return orNone(spec.externalName);
    default:
      return external.length > 0 ? external.join(',') : NONE;
  }
}

/** PORT(S): `80/TCP`, or `80:30080/TCP` with a node port. */
export function servicePorts(svc: Service): string {
  const ports = svc.spec?.ports ?? [];
  if (ports.length === 0) return NONE;
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

export function serviceColumns(): Column[] {
  const columns: Array<Column<Service>> = [
    nameColumn,
    { name: 'Type', description: 'The type of the service.', value: (o) => o.spec?.type ?? 'ClusterIP' },
    { name: 'Cluster-IP', description: 'The IP of the service; None for a headless one.', value: (o) => orNone(o.spec?.clusterIP) },
    { name: 'External-IP', description: 'External addresses of the service.', value: serviceExternalIP },
    { name: 'Port(s)', description: 'The ports the service exposes.', value: servicePorts },
    ageColumn,
    { name: 'Selector', priority: 1, description: 'Route service traffic to pods with label keys and values matching this selector.', value: (o) => formatLabels(o.spec?.selector) },
  ];
  return kindColumns(columns);
}

/** ENDPOINTS: `ip:port` for every ready address and port, the first three, then "+ N more...". */
export function formatEndpoints(ep: Endpoints): string {
  const entries: string[] = [];
  for (const subset of ep.subsets ?? []) {
    const addresses = subset.addresses ?? [];
    const ports = subset.ports ?? [];
    if (ports.length === 0) entries.push(...addresses.map((a) => a.ip));
    else for (const port of ports) entries.push(...addresses.map((a) => `${a.ip}:${port.port}`));
  }
  return truncatedList(entries);
}

export function endpointsColumns(): Column[] {
  const columns: Array<Column<Endpoints>> = [
    nameColumn,
    { name: 'Endpoints', description: 'Endpoints of the service.', value: formatEndpoints },
    ageColumn,
  ];
  return kindColumns(columns);
}

export function endpointSliceColumns(): Column[] {
  const columns: Array<Column<EndpointSlice>> = [
    nameColumn,
    { name: 'AddressType', description: 'The type of address held by the slice.', value: (o) => o.addressType },
    { name: 'Ports', description: 'Ports of the slice.', value: (o) => truncatedList((o.ports ?? []).map((p) => (p.port === undefined ? UNSET : String(p.port))), UNSET) },
    { name: 'Endpoints', description: 'Addresses of the endpoints in the slice.', value: (o) => truncatedList(o.endpoints.flatMap((e) => e.addresses), UNSET) },
    ageColumn,
  ];
  return kindColumns(columns);
}
