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
