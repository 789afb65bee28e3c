// The default Wasm image search path of a kubelet.
// Why: manifests under examples/wasm-pods name images by paths relative to that folder
// (e.g. hello-http/build/hello-http-v1.wasm), so they work from any clone once
// `npm run build` has run. The kubelet's --wasm-image-path flag (or KITE_WASM_IMAGE_PATH)
// replaces this default; the default is: KITE_WASM_IMAGE_PATH if set, else the current
// directory followed by this repository's examples/wasm-pods.
import { fileURLToPath } from 'node:url';
import { parseSearchPath } from './reference.js';

/** examples/wasm-pods, found from this file's place in packages/cri/{src,dist}/images. */
export const EXAMPLES_IMAGE_DIR = fileURLToPath(new URL('../../../../examples/wasm-pods/', import.meta.url));

/** Environment variable that overrides the default image search path (colon-separated). */
export const IMAGE_PATH_ENV = 'KITE_WASM_IMAGE_PATH';

export function defaultImageSearchPath(env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = env[IMAGE_PATH_ENV];
  if (fromEnv) return parseSearchPath(fromEnv);
  return [process.cwd(), EXAMPLES_IMAGE_DIR];
}
