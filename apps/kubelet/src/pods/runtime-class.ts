// Which runtime runs a pod (BRIEF §4): `spec.runtimeClassName` when set, otherwise inferred from
// the images by the shared rule in @kite/api-types (isWasmImage): Wasm modules, else Docker.
import { isWasmImage, type Pod } from '@kite/api-types';
import type { RuntimeName } from '../runtime/types.js';

export { isWasmImage };

export function runtimeFor(pod: Pod): RuntimeName {
  const rc = pod.spec?.runtimeClassName;
  if (rc === 'wasm' || rc === 'docker' || rc === 'hollow') return rc;
  const images = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.image ?? '');
  return images.length > 0 && images.every(isWasmImage) ? 'wasm' : 'docker';
}
