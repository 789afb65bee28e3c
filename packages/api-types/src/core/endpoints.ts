// core/v1 Endpoints: the addresses behind a Service, kept by the endpoints controller; the proxy
// forwards to the ready ones. EndpointSlice (discovery.k8s.io) is the scalable successor.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { ObjectMeta, type StatusCause } from '../meta/v1.js';
import { AtomicList, OptString } from '../schema.js';
import { duplicate, required } from '../validation/causes.js';
import { validateDns1123Label, validateDns1123Subdomain, validateIP, validatePortNumber } from '../validation/fields.js';
import { Protocol } from './container.js';
import { ObjectReference } from './reference.js';

export const EndpointAddress = Type.Object(
  { ip: Type.String(), hostname: OptString(), nodeName: OptString(), targetRef: Type.Optional(ObjectReference) },
  { description: 'One backend: an IP and the pod it belongs to.', 'x-kubernetes-map-type': 'atomic' },
);
export type EndpointAddress = Static<typeof EndpointAddress>;

export const EndpointPort = Type.Object(
  { name: OptString('Must match the service port name.'), port: Type.Integer(), protocol: Type.Optional(Protocol()), appProtocol: OptString() },
  { 'x-kubernetes-map-type': 'atomic' },
);
export type EndpointPort = Static<typeof EndpointPort>;

export const EndpointSubset = Type.Object(
  {
    addresses: Type.Optional(AtomicList(EndpointAddress, 'Ready addresses.')),
    notReadyAddresses: Type.Optional(AtomicList(EndpointAddress, 'Addresses of pods that are not ready yet.')),
    ports: Type.Optional(AtomicList(EndpointPort)),
  },
  { description: 'Addresses that all serve the same ports.' },
);
export type EndpointSubset = Static<typeof EndpointSubset>;

export const Endpoints = Type.Object(
  {
    apiVersion: Type.Literal('v1'),
    kind: Type.Literal('Endpoints'),
    metadata: ObjectMeta,
    subsets: Type.Optional(AtomicList(EndpointSubset)),
  },
  { description: 'The network endpoints that implement a Service; named after it.' },
);
export type Endpoints = Static<typeof Endpoints>;

function validateAddresses(list: EndpointAddress[] | undefined, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  list?.forEach((a, i) => {
    const f = `${path}[${i}]`;
    out.push(...validateIP(a.ip, `${f}.ip`));
    if (a.hostname) out.push(...validateDns1123Label(a.hostname, `${f}.hostname`));
    if (a.nodeName) out.push(...validateDns1123Subdomain(a.nodeName, `${f}.nodeName`));
  });
  return out;
}

function validateEndpoints(ep: Endpoints): StatusCause[] {
  const out: StatusCause[] = [];
  ep.subsets?.forEach((s, i) => {
    const f = `subsets[${i}]`;
    out.push(...validateAddresses(s.addresses, `${f}.addresses`), ...validateAddresses(s.notReadyAddresses, `${f}.notReadyAddresses`));
    const names = new Set<string>();
    const ports = s.ports ?? [];
    ports.forEach((p, j) => {
      const pf = `${f}.ports[${j}]`;
      if (!p.name && ports.length > 1) out.push(required(`${pf}.name`));
      if (p.name) {
        out.push(...validateDns1123Label(p.name, `${pf}.name`));
        if (names.has(p.name)) out.push(duplicate(`${pf}.name`, p.name));
        names.add(p.name);
      }
      out.push(...validatePortNumber(p.port, `${pf}.port`));
    });
  });
  return out;
}

export const EndpointsResource = defineResource<Endpoints>({
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  plural: 'endpoints',
  shortNames: ['ep'],
  namespaced: true,
  schema: Endpoints,
  defaults: (ep) => {
    for (const s of ep.subsets ?? []) for (const p of s.ports ?? []) p.protocol ??= 'TCP';
  },
  validate: validateEndpoints,
});
