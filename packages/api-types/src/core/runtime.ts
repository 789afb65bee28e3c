// Which runtime runs a pod (BRIEF §4), one rule for every component: `spec.runtimeClassName`
// when set; otherwise an image that is a Wasm module — a path or URL ending in `.wasm`, or any
// URL with a scheme (`file://`, `https://`; Docker references never contain "://") — needs the
// `wasm` runtime and anything else `docker`. Kubelets advertise the runtimes they offer as node
// labels `runtime.kite.dev/NAME=true`, which the scheduler filters on.

/** Node label prefix: `runtime.kite.dev/wasm=true` means the node runs Wasm pods. */
export const RUNTIME_LABEL_PREFIX = 'runtime.kite.dev/';
export const RUNTIME_LABEL_VALUE = 'true';
export const RUNTIME_WASM = 'wasm';
export const RUNTIME_DOCKER = 'docker';

/** The node label that advertises `runtime`. */
export const runtimeLabel = (runtime: string): string => `${RUNTIME_LABEL_PREFIX}${runtime}`;

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Whether an image reference names a Wasm module rather than a container image. */
export function isWasmImage(image: string): boolean {
  const ref = image.trim();
  if (URL_SCHEME.test(ref)) return true;
  return ref.replace(/[?#].*$/, '').toLowerCase().endsWith('.wasm');
}

/** The runtime an image needs when the pod names no runtime class. */
export function imageRuntime(image: string): typeof RUNTIME_WASM | typeof RUNTIME_DOCKER {
  return isWasmImage(image) ? RUNTIME_WASM : RUNTIME_DOCKER;
}
