// discovery.k8s.io/v1 EndpointSlice: a slice of a Service's endpoints (at most 1000), labelled
// kubernetes.io/service-name. The scalable successor of Endpoints; proxies read both.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { ObjectMeta, type StatusCause } from '../meta/v1.js';
import { Protocol } from '../core/container.js';
import { ObjectReference } from '../core/reference.js';
import { AtomicList, List, OptBool, OptInt, OptString, StringEnum } from '../schema.js';
import { duplicate, invalid, required, tooMany } from '../validation/causes.js';
import { isIPv4, isIPv6, validateDns1123Label, validateDns1123Subdomain, validatePortNumber } from '../validation/fields.js';

export const ADDRESS_TYPES = ['IPv4', 'IPv6', 'FQDN'] as const;
export type AddressType = (typeof ADDRESS_TYPES)[number];
/** Label naming the Service a slice belongs to. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MAX_ENDPOINTS_PER_SLICE = 1000;
export const MAX_PORTS_PER_SLICE = 100;
export const MAX_ADDRESSES_PER_ENDPOINT = 100;

export const EndpointConditions = Type.Object({
  ready: OptBool('The endpoint can take traffic.'),
  serving: OptBool('Ready, ignoring termination.'),
  terminating: OptBool(),
});

export const Endpoint = Type.Object(
  {
    addresses: List(Type.String(), { listType: 'set', description: 'Addresses of this endpoint (usually one pod IP).' }),
    conditions: Type.Optional(EndpointConditions),
    hostname: OptString(),
    targetRef: Type.Optional(ObjectReference),
    deprecatedTopology: Type.Optional(Type.Record(Type.String(), Type.String())),
    nodeName: OptString(),
    zone: OptString(),
    hints: Type.Optional(Type.Object({ forZones: Type.Optional(AtomicList(Type.Object({ name: Type.String() }))), forNodes: Type.Optional(AtomicList(Type.Object({ name: Type.String() }))) })),
  },
  { description: 'One backend of a Service.' },
);
export type Endpoint = Static<typeof Endpoint>;

export const EndpointSlicePort = Type.Object(
  { name: OptString(), protocol: Type.Optional(Protocol()), port: OptInt(), appProtocol: OptString() },
  { 'x-kubernetes-map-type': 'atomic' },
);

export const EndpointSlice = Type.Object(
  {
    apiVersion: Type.Literal('discovery.k8s.io/v1'),
    kind: Type.Literal('EndpointSlice'),
    metadata: ObjectMeta,
    addressType: StringEnum(ADDRESS_TYPES, { description: 'IPv4, IPv6 or FQDN: the kind of every address in the slice.' }),
    endpoints: AtomicList(Endpoint),
    ports: Type.Optional(AtomicList(EndpointSlicePort)),
  },
  { description: 'A subset of the endpoints that implement a Service.' },
);
export type EndpointSlice = Static<typeof EndpointSlice>;

function validateAddress(addr: string, type: AddressType, path: string): StatusCause[] {
  if (type === 'IPv4') return isIPv4(addr) ? [] : [invalid(path, addr, 'must be a valid IPv4 address')];
  if (type === 'IPv6') return isIPv6(addr) ? [] : [invalid(path, addr, 'must be a valid IPv6 address')];
  return validateDns1123Subdomain(addr, path);
}

function validateEndpointSlice(s: EndpointSlice): StatusCause[] {
  const out: StatusCause[] = [];
  if (s.endpoints.length > MAX_ENDPOINTS_PER_SLICE) out.push(tooMany('endpoints', s.endpoints.length, MAX_ENDPOINTS_PER_SLICE));
  s.endpoints.forEach((e, i) => {
    const f = `endpoints[${i}]`;
    if (e.addresses.length === 0) out.push(required(`${f}.addresses`, 'must contain at least 1 address'));
    if (e.addresses.length > MAX_ADDRESSES_PER_ENDPOINT) out.push(tooMany(`${f}.addresses`, e.addresses.length, MAX_ADDRESSES_PER_ENDPOINT));
    e.addresses.forEach((a, j) => out.push(...validateAddress(a, s.addressType, `${f}.addresses[${j}]`)));
    if (e.hostname) out.push(...validateDns1123Label(e.hostname, `${f}.hostname`));
    if (e.nodeName) out.push(...validateDns1123Subdomain(e.nodeName, `${f}.nodeName`));
  });
  const ports = s.ports ?? [];
  if (ports.length > MAX_PORTS_PER_SLICE) out.push(tooMany('ports', ports.length, MAX_PORTS_PER_SLICE));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const name = p.name ?? '';
    if (name) out.push(...validateDns1123Label(name, `ports[${i}].name`));
    if (names.has(name)) out.push(duplicate(`ports[${i}].name`, name));
    names.add(name);
    out.push(...validatePortNumber(p.port, `ports[${i}].port`));
  });
  return out;
}

export const EndpointSliceResource = defineResource<EndpointSlice>({
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  namespaced: true,
  schema: EndpointSlice,
  defaults: (s) => {
    for (const p of s.ports ?? []) {
      p.protocol ??= 'TCP';
      p.name ??= '';
    }
  },
  validate: validateEndpointSlice,
});
