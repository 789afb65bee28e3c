// Which Deployment the activator may scale up for a Service (pure; table-tested).
//
// Contract:
// - Only a Service with a non-empty selector can be activated: a Service without one has
//   endpoints written by hand, and nothing the proxy could scale.
// - A candidate is a Deployment in the Service's namespace, not being deleted, whose
//   `kite.dev/scale-to-zero-after` annotation is valid (scaleToZeroSetting), and whose pod template
//   carries every label of the Service's selector — so the pods it would start are the Service's.
// - Several candidates: the first by name, so every proxy picks the same one and one replica is
//   asked for once, not once per Deployment.
// - None: undefined, and the proxy keeps its usual answer (503 without endpoints).
import { scaleToZeroSetting, type Deployment, type Service } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';

type Dep = DeepReadonly<Deployment>;

function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export function activationTarget(service: DeepReadonly<Service>, deployments: readonly Dep[]): Dep | undefined {
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return undefined;
  const namespace = service.metadata.namespace ?? '';
  const candidates = deployments.filter(
    (d) =>
      (d.metadata.namespace ?? '') === namespace &&
      !d.metadata.deletionTimestamp &&
      scaleToZeroSetting(d.metadata.annotations).kind === 'after' &&
      selects(selector, d.spec?.template?.metadata?.labels),
  );
  return candidates.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))[0];
}
