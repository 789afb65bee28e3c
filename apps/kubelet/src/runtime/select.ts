// Picks the runtime for a pod, as BRIEF §4 specifies: spec.runtimeClassName when set,
// otherwise inferred from the image reference (a `.wasm` file or URL means Wasm; anything
// else is a Docker image).
import type { RuntimeName } from './types.js';

/** True when an image reference names a Wasm binary (path or URL ending in .wasm). */
export function isWasmImage(image: string): boolean {
  const withoutQuery = image.trim().replace(/[?#].*$/, '');
  return withoutQuery.toLowerCase().endsWith('.wasm');
}

/** The runtime a pod's containers run on; undefined when runtimeClassName names none we know. */
export function selectRuntime(runtimeClassName: string | undefined, images: readonly string[]): RuntimeName | undefined {
  if (runtimeClassName) return runtimeClassName === 'wasm' || runtimeClassName === 'docker' || runtimeClassName === 'hollow' ? runtimeClassName : undefined;
  return images.length > 0 && images.every(isWasmImage) ? 'wasm' : 'docker';
}
