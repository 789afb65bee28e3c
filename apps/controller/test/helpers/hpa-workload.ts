// The autoscaler's workload in its test and benchmark: examples/wasm-pods/hello-http's Deployment
// renamed, labelled app=NAME, with a tiny CPU request so that modest HTTP load reads as well over a
// 50% utilization target, and a short grace period (Wasm pods stop at once).
import { parse } from 'yaml';
import type { Deployment } from '@kite/api-types';

/** A tiny request, so that modest load reads as well over 50%. */
export const HPA_CPU_REQUEST = '20m';
const GRACE_SECONDS = 2;

export interface WebDeploymentOptions {
  name: string;
  namespace: string;
  replicas: number;
  cpuRequest?: string;
}

/** examples/wasm-pods/hello-http/deployment.yaml (its text) as Deployment `name` with a CPU request. */
export function webDeployment(yamlText: string, o: WebDeploymentOptions): Deployment {
  const d = parse(yamlText) as Deployment;
  const labels = { app: o.name };
  const tmpl = d.spec?.template;
  const cpu = o.cpuRequest ?? HPA_CPU_REQUEST;
  const containers = (tmpl?.spec?.containers ?? []).map((ct) => ({ ...ct, resources: { ...ct.resources, requests: { cpu } } }));
  return {
    ...d,
    metadata: { name: o.name, namespace: o.namespace, labels },
    spec: {
      ...d.spec,
      replicas: o.replicas,
      selector: { matchLabels: labels },
      template: { ...tmpl, metadata: { labels }, spec: { ...tmpl?.spec, containers, terminationGracePeriodSeconds: GRACE_SECONDS } },
    },
  } as Deployment;
}
