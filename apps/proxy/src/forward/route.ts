// Route: the live state behind one Service port — its balancer, its metrics and the message for
// "no endpoints". The ClusterIP and NodePort listeners of that port share one Route, so they share
// the rotation and the ClientIP affinity, as kube-proxy's per-port service chain does.
// The proxier updates a Route in place when endpoints change; requests in flight are unaffected.
import type { Backend } from '../catalog/endpoints.js';
import { Balancer } from '../lb/balancer.js';
import type { Now } from '../lb/affinity.js';
import type { RouteMetrics } from '../metrics.js';

export class Route {
  readonly balancer: Balancer;
  /** The plain-text body of the 503 answered when no endpoint is ready. */
  readonly noEndpointsMessage: string;

  constructor(
    readonly service: string,
    readonly portName: string,
    readonly metrics: RouteMetrics,
    now?: Now,
  ) {
    this.balancer = new Balancer(now);
    this.noEndpointsMessage = `no ready endpoints for service ${service}${portName ? ` port ${portName}` : ''}\n`;
  }

  /** `namespace/name` or `namespace/name:port`, the key of routes in the proxier. */
  static key(service: string, portName: string): string {
    return portName ? `${service}:${portName}` : service;
  }

  update(backends: readonly Backend[], affinityMs: number): void {
    this.balancer.update(backends, affinityMs);
    this.metrics.endpoints(backends.length);
  }
}
