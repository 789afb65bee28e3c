// The built-in RuntimeClasses, created at every start when missing (as the apiserver's post-start
// hooks create the system PriorityClasses): `wasm` and `docker`, each naming the kubelet runtime
// handler of the same name, so pods may say `runtimeClassName: wasm` on any cluster and the
// RuntimeClass admission plugin finds the class. An edited class is left as it is; a deleted one
// comes back at the next start.
import { RUNTIME_DOCKER, RUNTIME_WASM, RuntimeClassResource, type ResourceType, type RuntimeClass } from '@kite/api-types';
import { isApiError } from '@kite/apimachinery';
import type { RestStorage } from '../registry/rest.js';

export const BUILTIN_RUNTIME_HANDLERS: readonly string[] = [RUNTIME_WASM, RUNTIME_DOCKER];

export function builtinRuntimeClass(handler: string): RuntimeClass {
  return { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: handler, labels: { 'app.kubernetes.io/managed-by': 'kite' } }, handler };
}

export async function ensureBuiltinRuntimeClasses(rest: RestStorage): Promise<void> {
  for (const handler of BUILTIN_RUNTIME_HANDLERS) {
    try {
      await rest.create({ rt: RuntimeClassResource as unknown as ResourceType }, builtinRuntimeClass(handler));
    } catch (err) {
      if (!isApiError(err) || err.code !== 409) throw err;
    }
  }
}
