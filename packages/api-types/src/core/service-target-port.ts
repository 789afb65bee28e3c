// The container port a Service port sends to on one pod — shared by the EndpointSlice controller
// (which publishes it) and the proxy's activator (which forwards to a pod before the slice says so),
// so both resolve a named targetPort the same way.
//
// Rules, as Kubernetes': targetPort absent → the Service port's number; a number (or a numeric
// string) is used as is; a name is looked up among the pod's container ports with the same
// protocol (TCP when unset). A pod without that named port does not serve the Service port.

/** The fields of a Service port this reads (a DeepReadonly ServicePort fits). */
export interface ServicePortTarget {
  readonly port: number;
  readonly targetPort?: number | string;
  readonly protocol?: string;
}

/** The fields of a pod this reads (a DeepReadonly Pod fits). */
export interface PodContainerPorts {
  readonly spec?: {
    readonly containers?: readonly { readonly ports?: readonly { readonly name?: string; readonly containerPort: number; readonly protocol?: string }[] }[];
  };
}

/** The container port `svcPort` targets on `pod`, or undefined when the pod lacks it. */
export function resolveTargetPort(svcPort: ServicePortTarget, pod: PodContainerPorts): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = svcPort.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}
