// Projected volumes: several sources in one read-only directory — a ServiceAccount token (asked
// of the apiserver with a TokenRequest bound to this pod, as the kubelet's token manager does),
// ConfigMap and Secret keys, and downward API fields. This is how every pod gets
// /var/run/secrets/kubernetes.io/serviceaccount/{token,ca.crt,namespace} (Wasm pods too, as a
// read-only preopened directory). Tokens are refreshed by re-preparing the volume before
// they reach 80% of their lifetime (`tokenRefreshDueMs`).
import type { ContainerObj, PodObj } from '../objects.js';
import { parseQuantity } from '@kite/api-types';

type Volume = NonNullable<NonNullable<PodObj['spec']>['volumes']>[number];
type Projection = NonNullable<NonNullable<NonNullable<Volume['projected']>['sources']>[number]>;
/** One file of a downwardAPI volume or projection. */
export type DownwardItem = NonNullable<NonNullable<Volume['downwardAPI']>['items']>[number];

export interface TokenSource {
  /** A token for the pod's ServiceAccount, bound to the pod. */
  serviceAccountToken(pod: PodObj, audience: string | undefined, expirationSeconds: number): Promise<{ token: string; expirationTimestamp: string }>;
}

/** Kubernetes' default for serviceAccountToken projections (and the admission plugin's 3607 s). */
export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

/** A downward API field of the pod, as Kubernetes renders it into a file. */
export function downwardField(pod: PodObj, fieldPath: string): string | undefined {
  const m = pod.metadata;
  const render = (map: Record<string, string> | undefined) => Object.entries(map ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('\n');
  switch (fieldPath) {
    case 'metadata.name':
      return m.name;
    case 'metadata.namespace':
      return m.namespace;
    case 'metadata.uid':
      return m.uid;
    case 'metadata.labels':
      return render(m.labels);
    case 'metadata.annotations':
      return render(m.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName;
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName;
    default: {
      const label = /^metadata\.labels\['(.+)'\]$/.exec(fieldPath);
      if (label) return m.labels?.[label[1] ?? ''];
      const ann = /^metadata\.annotations\['(.+)'\]$/.exec(fieldPath);
      if (ann) return m.annotations?.[ann[1] ?? ''];
      return undefined;
    }
  }
}

/** A container's request or limit (`limits.cpu`, `requests.memory`, ...) in units of `divisor`, rounded up. */
export function resourceField(c: ContainerObj, resource: string, divisor: string | number | undefined): string {
  const [kind, name] = resource.split('.');
  const map = (kind === 'limits' ? c.resources?.limits : c.resources?.requests) ?? {};
  const raw = map[name ?? ''];
  if (raw === undefined) return name === 'cpu' ? '0' : '0';
  const value = parseQuantity(raw);
  const div = divisor === undefined ? 1 : parseQuantity(divisor);
  return String(Math.ceil(value / (div || 1)));
}

/**
 * The content of one downward API file: a fieldRef of the pod, or a resourceFieldRef of one of
 * its containers (the item's containerName, required as in Kubernetes); undefined when the
 * item names neither.
 */
export function downwardFile(pod: PodObj, item: DownwardItem): string | undefined {
  if (item.fieldRef) return downwardField(pod, item.fieldRef.fieldPath) ?? (item.fieldRef.fieldPath.startsWith('metadata.') ? '' : undefined);
  const ref = item.resourceFieldRef;
  if (!ref) return undefined;
  const c = (pod.spec?.containers ?? []).find((x) => x.name === ref.containerName);
  return c ? resourceField(c, ref.resource, ref.divisor) : undefined;
}

export type { Projection };
