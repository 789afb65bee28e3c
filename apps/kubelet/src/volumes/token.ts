// The kubelet's token requests: a TokenRequest for the pod's ServiceAccount, bound to the pod
// (kind Pod, name and uid), so the token dies with the pod. The Node authorizer lets a kubelet ask
// only for the accounts of pods bound to its node.
import type { PodObj } from '../objects.js';
import type { KubeClient } from '@kite/client';

export async function requestPodToken(client: KubeClient, pod: PodObj, audience: string | undefined, expirationSeconds: number): Promise<{ token: string; expirationTimestamp: string }> {
  const ns = pod.metadata.namespace ?? 'default';
  const sa = pod.spec?.serviceAccountName || 'default';
  const body = {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: {
      ...(audience ? { audiences: [audience] } : {}),
      expirationSeconds,
      boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
    },
  };
  const res = (await client.raw('POST', `/api/v1/namespaces/${encodeURIComponent(ns)}/serviceaccounts/${encodeURIComponent(sa)}/token`, body)) as { status?: { token?: string; expirationTimestamp?: string } };
  if (!res.status?.token) throw new Error(`TokenRequest for ${ns}/${sa} returned no token`);
  return { token: res.status.token, expirationTimestamp: res.status.expirationTimestamp ?? '' };
}
