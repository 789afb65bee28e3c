// The ConfigMaps the bench writes. Bodies are built from string templates rather than
// JSON.stringify so the client spends as little CPU as possible on the two cores it shares with
// the apiserver and Redis. About 400 bytes each, a typical small ConfigMap.

/** Payload of every ConfigMap: 256 bytes, so objects are neither trivial nor large. */
const PAYLOAD = 'x'.repeat(256);

export const CONFIGMAPS = '/api/v1/namespaces';

export function collectionPath(ns: string): string {
  return `${CONFIGMAPS}/${ns}/configmaps`;
}

export function objectPath(ns: string, name: string): string {
  return `${CONFIGMAPS}/${ns}/configmaps/${name}`;
}

/** A ConfigMap body; with `rv` it is an update that pins that resourceVersion. */
export function configMapJson(ns: string, name: string, version: number, rv?: string): string {
  const rvField = rv === undefined ? '' : `"resourceVersion":"${rv}",`;
  return `{"apiVersion":"v1","kind":"ConfigMap","metadata":{${rvField}"name":"${name}","namespace":"${ns}","labels":{"app":"bench"}},"data":{"version":"${version}","payload":"${PAYLOAD}"}}`;
}

/** A ConfigMap as the apiserver would store it (uid and timestamp set), for the raw baseline. */
export function storedConfigMap(ns: string, name: string, version: number) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns, uid: `00000000-0000-4000-8000-${String(version).padStart(12, '0')}`, creationTimestamp: new Date().toISOString(), labels: { app: 'bench' } },
    data: { version: String(version), payload: PAYLOAD },
  };
}

export function namespaceJson(name: string): string {
  return `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"${name}"}}`;
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';

export function roleBindingsPath(ns: string): string {
  return `/apis/${RBAC_GROUP}/v1/namespaces/${ns}/rolebindings`;
}

/** A RoleBinding of `user` to the ClusterRole `role` in `ns`. */
export function roleBindingJson(ns: string, user: string, role: string): string {
  return JSON.stringify({
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'RoleBinding',
    metadata: { name: `${user}-${role}`, namespace: ns },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
    subjects: [{ apiGroup: RBAC_GROUP, kind: 'User', name: user }],
  });
}
