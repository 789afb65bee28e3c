// The container runtime layer of the kubelet: the CRI-like interface (types.ts), its typed
// errors, and the runtimes behind it. The pod lifecycle code imports from here only.
export * from './types.js';
export * from './errors.js';
export { ContainerEventHub } from './events.js';
export { CriLogWriter, parseCriLog, type LogStream } from './logs/cri-log.js';
export { HollowRuntime } from './hollow/hollow-runtime.js';
export { WasmRuntime, type WasmRuntimeOptions } from './wasm/wasm-runtime.js';
export { DockerRuntime, type DockerRuntimeOptions } from './docker/docker-runtime.js';
export { defaultImageSearchPath, EXAMPLES_IMAGE_DIR, IMAGE_PATH_ENV } from './wasm/images/search-path.js';
export { parseSearchPath } from './wasm/images/reference.js';
export { isWasmImage, selectRuntime } from './select.js';
