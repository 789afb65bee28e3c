// core/v1 Service: a stable virtual IP and ports in front of the ready pods its selector matches.
// The apiserver allocates clusterIP and node ports; the endpoints controller tracks the pods; the
// proxy on each node forwards the traffic.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { Condition, kindSchema, type StatusCause } from '../meta/v1.js';
import { AtomicList, IntOrString, KeyedList, List, OptBool, OptInt, OptString, StringEnum } from '../schema.js';
import { duplicate, forbidden, invalid, required } from '../validation/causes.js';
import { validateDns1123Label, validateDns1123Subdomain, validateIP, validatePortNumber, validatePortNumOrName, validateRange } from '../validation/fields.js';
import { validateLabels } from '../validation/validate.js';
import { Protocol } from './container.js';

export const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];
/** The range node ports are allocated from and must fall in. */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;
/** ClientIP affinity lasts 3 hours unless configured. */
export const DEFAULT_CLIENT_IP_TIMEOUT_SECONDS = 10800;
/** A headless service has no virtual IP; DNS returns the pod IPs. */
export const CLUSTER_IP_NONE = 'None';

export const ServicePort = Type.Object(
  {
    name: OptString('Name of the port, a DNS label; required when there are several ports.'),
    protocol: Type.Optional(Protocol()),
    appProtocol: OptString('Application protocol, e.g. http or kubernetes.io/h2c.'),
    port: Type.Integer({ description: 'Port the service exposes.' }),
    targetPort: Type.Optional(IntOrString('Number or name of the port on the pods; defaults to port.')),
    nodePort: OptInt('Port on every node for NodePort and LoadBalancer services.'),
  },
  { description: 'A port a service exposes.' },
);
export type ServicePort = Static<typeof ServicePort>;

const IP_FAMILIES = ['IPv4', 'IPv6'] as const;

export const ServiceSpec = Type.Object(
  {
    ports: Type.Optional(
      List(ServicePort, { patchMergeKey: 'port', patchStrategy: 'merge', listType: 'map', mapKeys: ['port', 'protocol'], description: 'Ports the service exposes.' }),
    ),
    selector: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Labels of the pods traffic goes to.', 'x-kubernetes-map-type': 'atomic' })),
    clusterIP: OptString("Virtual IP; allocated if empty; 'None' for a headless service."),
    clusterIPs: Type.Optional(AtomicList(Type.String())),
    type: Type.Optional(StringEnum(SERVICE_TYPES, { description: 'ClusterIP (default), NodePort, LoadBalancer or ExternalName.' })),
    externalIPs: Type.Optional(AtomicList(Type.String())),
    sessionAffinity: Type.Optional(StringEnum(['ClientIP', 'None'] as const, { description: 'None (default) or ClientIP.' })),
    loadBalancerIP: OptString('Deprecated.'),
    loadBalancerSourceRanges: Type.Optional(AtomicList(Type.String())),
    externalName: OptString('DNS name an ExternalName service aliases.'),
    externalTrafficPolicy: Type.Optional(StringEnum(['Cluster', 'Local'] as const)),
    healthCheckNodePort: OptInt(),
    publishNotReadyAddresses: OptBool('Publish endpoints of pods that are not ready.'),
    sessionAffinityConfig: Type.Optional(Type.Object({ clientIP: Type.Optional(Type.Object({ timeoutSeconds: OptInt() })) })),
    ipFamilies: Type.Optional(AtomicList(StringEnum(IP_FAMILIES))),
    ipFamilyPolicy: Type.Optional(StringEnum(['SingleStack', 'PreferDualStack', 'RequireDualStack'] as const)),
    allocateLoadBalancerNodePorts: OptBool(),
    loadBalancerClass: OptString(),
    internalTrafficPolicy: Type.Optional(StringEnum(['Cluster', 'Local'] as const)),
    trafficDistribution: OptString(),
  },
  { description: 'How a service is reached and which pods serve it.' },
);
export type ServiceSpec = Static<typeof ServiceSpec>;

export const LoadBalancerIngress = Type.Object({
  ip: OptString(),
  hostname: OptString(),
  ipMode: OptString(),
  ports: Type.Optional(AtomicList(Type.Object({ port: Type.Integer(), protocol: Protocol(), error: OptString() }))),
});

export const ServiceStatus = Type.Object({
  loadBalancer: Type.Optional(Type.Object({ ingress: Type.Optional(AtomicList(LoadBalancerIngress)) })),
  conditions: Type.Optional(KeyedList(Condition, 'type')),
});
export type ServiceStatus = Static<typeof ServiceStatus>;

export const Service = kindSchema('v1', 'Service', ServiceSpec, ServiceStatus, 'A named, load-balanced set of ports in front of the pods a selector matches.');
export type Service = Static<typeof Service>;

function defaultService(svc: Service): void {
  const spec = (svc.spec ??= {});
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  else {
    const clientIP = ((spec.sessionAffinityConfig ??= {}).clientIP ??= {});
    clientIP.timeoutSeconds ??= DEFAULT_CLIENT_IP_TIMEOUT_SECONDS;
  }
  for (const p of spec.ports ?? []) {
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  if (spec.type !== 'ExternalName') {
    spec.internalTrafficPolicy ??= 'Cluster';
    // kite clusters are single-stack IPv4 (all of 127.0.0.0/8).
    spec.ipFamilyPolicy ??= 'SingleStack';
    spec.ipFamilies ??= ['IPv4'];
  }
}

function validatePorts(spec: ServiceSpec): StatusCause[] {
  const out: StatusCause[] = [];
  const ports = spec.ports ?? [];
  const names = new Set<string>();
  const keys = new Set<string>();
  const nodePortAllowed = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
  ports.forEach((p, i) => {
    const f = `spec.ports[${i}]`;
    if (!p.name && ports.length > 1) out.push(required(`${f}.name`));
    if (p.name) {
      out.push(...validateDns1123Label(p.name, `${f}.name`));
      if (names.has(p.name)) out.push(duplicate(`${f}.name`, p.name));
      names.add(p.name);
    }
    out.push(...validatePortNumber(p.port, `${f}.port`));
    if (p.targetPort !== undefined) out.push(...validatePortNumOrName(p.targetPort, `${f}.targetPort`));
    if (p.nodePort) {
      if (!nodePortAllowed) out.push(forbidden(`${f}.nodePort`, `may not be used when \`type\` is '${spec.type ?? 'ClusterIP'}'`));
      else out.push(...validateRange(p.nodePort, NODE_PORT_RANGE.min, NODE_PORT_RANGE.max, `${f}.nodePort`));
    }
    const key = `${p.port}/${p.protocol ?? 'TCP'}`;
    if (keys.has(key)) out.push(duplicate(f, key));
    keys.add(key);
  });
  return out;
}

function validateAddresses(spec: ServiceSpec): StatusCause[] {
  const out: StatusCause[] = [];
  if (spec.type === 'ExternalName') {
    if (!spec.externalName) out.push(required('spec.externalName'));
    else out.push(...validateDns1123Subdomain(spec.externalName, 'spec.externalName'));
    if (spec.clusterIP) out.push(forbidden('spec.clusterIP', 'may not be set for ExternalName services'));
    return out;
  }
  if (spec.clusterIP && spec.clusterIP !== CLUSTER_IP_NONE) out.push(...validateIP(spec.clusterIP, 'spec.clusterIP'));
  if (spec.clusterIP && spec.clusterIPs?.length && spec.clusterIPs[0] !== spec.clusterIP) {
    out.push(invalid('spec.clusterIPs', spec.clusterIPs, 'element [0] must match clusterIP'));
  }
  spec.externalIPs?.forEach((ip, i) => out.push(...validateIP(ip, `spec.externalIPs[${i}]`)));
  return out;
}

function validateService(svc: Service, old?: Service): StatusCause[] {
  const spec = svc.spec ?? {};
  const headless = spec.clusterIP === CLUSTER_IP_NONE;
  const out: StatusCause[] = [];
  if ((spec.ports ?? []).length === 0 && !headless && spec.type !== 'ExternalName') out.push(required('spec.ports'));
  out.push(...validatePorts(spec), ...validateAddresses(spec), ...validateLabels(spec.selector, 'spec.selector'));
  if (spec.sessionAffinity === 'ClientIP') {
    out.push(...validateRange(spec.sessionAffinityConfig?.clientIP?.timeoutSeconds, 1, 86400, 'spec.sessionAffinityConfig.clientIP.timeoutSeconds'));
  }
  if (spec.externalTrafficPolicy && spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') {
    out.push(invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  }
  if ((spec.ipFamilies?.length ?? 0) > 2) out.push(invalid('spec.ipFamilies', spec.ipFamilies, 'may specify no more than one IP for each IP family'));
  // Once allocated, the virtual IP is what clients and proxies hold on to; it may only be dropped by
  // turning the service into an ExternalName.
  const oldIP = old?.spec?.clusterIP;
  if (oldIP && spec.type !== 'ExternalName' && spec.clusterIP !== oldIP) out.push(invalid('spec.clusterIP', spec.clusterIP ?? '', 'field is immutable'));
  return out;
}

export const ServiceResource = defineResource<Service>({
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  shortNames: ['svc'],
  namespaced: true,
  categories: ['all'],
  schema: Service,
  status: true,
  nameFormat: 'dns-label',
  defaults: defaultService,
  validate: validateService,
});
