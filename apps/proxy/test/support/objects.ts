// Tiny builders for the Services and EndpointSlices the tests feed the proxy.
import { SERVICE_NAME_LABEL, type EndpointSlice, type Service, type ServicePort } from '@kite/api-types';

export interface ServiceShape {
  namespace?: string;
  clusterIP?: string;
  type?: 'ClusterIP' | 'NodePort' | 'ExternalName';
  ports?: ServicePort[];
  affinitySeconds?: number;
  externalName?: string;
  selector?: Record<string, string>;
  publishNotReadyAddresses?: boolean;
}

export function service(name: string, s: ServiceShape = {}): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: s.namespace ?? 'default' },
    spec: {
      type: s.type ?? 'ClusterIP',
      ...(s.clusterIP !== undefined ? { clusterIP: s.clusterIP } : {}),
      ...(s.selector ? { selector: s.selector } : {}),
      ...(s.externalName ? { externalName: s.externalName } : {}),
      ...(s.publishNotReadyAddresses ? { publishNotReadyAddresses: true } : {}),
      ports: s.ports ?? [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
      ...(s.affinitySeconds ? { sessionAffinity: 'ClientIP' as const, sessionAffinityConfig: { clientIP: { timeoutSeconds: s.affinitySeconds } } } : {}),
    },
  };
}

export interface EndpointShape {
  ip: string;
  ready?: boolean;
  terminating?: boolean;
  /** The pod named in the endpoint's targetRef. */
  pod?: string;
  /** The endpoint's hostname (a StatefulSet pod's name). */
  hostname?: string;
}

export function slice(serviceName: string, endpoints: (string | EndpointShape)[], ports: { name?: string; port: number; protocol?: 'TCP' | 'UDP' | 'SCTP' }[] = [{ name: 'http', port: 8080 }], opts: { name?: string; namespace?: string; addressType?: 'IPv4' | 'IPv6' } = {}): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: opts.name ?? `${serviceName}-abc`, namespace: opts.namespace ?? 'default', labels: { [SERVICE_NAME_LABEL]: serviceName } },
    addressType: opts.addressType ?? 'IPv4',
    endpoints: endpoints.map((e) => {
      const ep = typeof e === 'string' ? { ip: e } : e;
      return {
        addresses: [ep.ip],
        conditions: { ready: ep.ready ?? true, serving: ep.ready ?? true, terminating: ep.terminating ?? false },
        ...(ep.hostname ? { hostname: ep.hostname } : {}),
        ...(ep.pod ? { targetRef: { kind: 'Pod', namespace: opts.namespace ?? 'default', name: ep.pod } } : {}),
      };
    }),
    ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
  };
}
