// Picks the runtime for a pod, as BRIEF §4 specifies: spec.runtimeClassName when set,
// otherwise inferred from the image reference (a `.wasm` file or URL means Wasm; anything
// else is a Docker image).
import { isWasmImage } from '@kite/api-types';
import type { RuntimeName } from './types.js';

export { isWasmImage };

/** The runtime a pod's containers run on; undefined when runtimeClassName names none we know. */
export function selectRuntime(runtimeClassName: string | undefined, images: readonly string[]): RuntimeName | undefined {
  if (runtimeClassName) return runtimeClassName === 'wasm' || runtimeClassName === 'docker' || runtimeClassName === 'hollow' ? runtimeClassName : undefined;
  return images.length > 0 && images.every(isWasmImage) ? 'wasm' : 'docker';
}
