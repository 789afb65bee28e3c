// ServiceAccount admission (plugin/pkg/admission/serviceaccount): a new pod runs as
// `spec.serviceAccountName` (default `default`), which must exist, and — unless the pod or its
// account sets `automountServiceAccountToken: false` — gets Kubernetes' projected API-access
// volume `kube-api-access-XXXXX` (a bound token, the cluster CA from the `kube-root-ca.crt`
// ConfigMap, and the namespace) mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount
// in every container.
//
// One deviation, on purpose: Kubernetes refuses a pod whose `default` account does not exist yet
// (the controller manager creates it moments after the namespace). Here such a pod is admitted
// without the token volume, so clusters and tests that run no controller manager still run pods.
// A named account that does not exist is refused as in Kubernetes.
import { randomInt } from 'node:crypto';
import { resourceForPath, type KubeObject, type Pod } from '@kite/api-types';
import { admissionForbidden, isKind } from './attributes.js';
import type { AdmissionAttributes, AdmissionContext, MutatingPlugin } from './interface.js';

export const NAME = 'ServiceAccount';
export const DEFAULT_SERVICE_ACCOUNT = 'default';
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
/** What Kubernetes projects: 1 h plus 7 s, so the kubelet's refresh at 80% is well inside it. */
export const PROJECTED_TOKEN_SECONDS = 3607;
const VOLUME_PREFIX = 'kube-api-access-';
/** utilrand.String's alphabet: no vowels, no confusable characters. */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function suffix(): string {
  return Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

type Volume = NonNullable<NonNullable<Pod['spec']>['volumes']>[number];

export function apiAccessVolume(name: string): Volume {
  return {
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: PROJECTED_TOKEN_SECONDS, path: 'token' } },
        { configMap: { name: ROOT_CA_CONFIGMAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  } as Volume;
}

export class ServiceAccountPlugin implements MutatingPlugin {
  readonly name = NAME;

  constructor(private readonly ctx: AdmissionContext) {}

  handles(attrs: AdmissionAttributes): boolean {
    return attrs.operation === 'CREATE' && attrs.subresource === '' && isKind(attrs, '', 'Pod');
  }

  async admit(attrs: AdmissionAttributes, obj: KubeObject): Promise<void> {
    const pod = obj as Pod;
    const spec = (pod.spec ??= { containers: [] });
    // Mirror pods (static pods a kubelet reports) may not use service accounts.
    if (pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) return;
    const name = spec.serviceAccountName || spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
    spec.serviceAccountName = name;
    const rt = resourceForPath('', 'v1', 'serviceaccounts');
    const account = rt ? await this.ctx.get<KubeObject & { automountServiceAccountToken?: boolean }>(rt, attrs.namespace, name) : undefined;
    if (!account) {
      if (name === DEFAULT_SERVICE_ACCOUNT) return;
      throw admissionForbidden(attrs, obj, `error looking up service account ${attrs.namespace}/${name}: serviceaccount "${name}" not found`);
    }
    const automount = spec.automountServiceAccountToken ?? account.automountServiceAccountToken ?? true;
    if (!automount) return;
    this.mountToken(spec);
  }

  private mountToken(spec: NonNullable<Pod['spec']>): void {
    const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
    // A pod that already mounts something there keeps it (Kubernetes' check).
    if (containers.some((c) => (c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH))) return;
    const existing = new Set((spec.volumes ?? []).map((v) => v.name));
    let volumeName = `${VOLUME_PREFIX}${suffix()}`;
    while (existing.has(volumeName)) volumeName = `${VOLUME_PREFIX}${suffix()}`;
    spec.volumes = [...(spec.volumes ?? []), apiAccessVolume(volumeName)];
    for (const c of containers) c.volumeMounts = [...(c.volumeMounts ?? []), { name: volumeName, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }];
  }
}

export const newServiceAccount = (ctx: AdmissionContext): ServiceAccountPlugin => new ServiceAccountPlugin(ctx);
