// The container runtime layer of the kubelet: the runtime interface and its wire protocol
// (@kite/cri), and the runtimes built in behind it. The pod lifecycle code imports from here only.
export * from '@kite/cri';
export { HollowRuntime } from './hollow/hollow-runtime.js';
export { WasmRuntime, type WasmRuntimeOptions } from './wasm/wasm-runtime.js';
export { DockerRuntime, type DockerRuntimeOptions } from './docker/docker-runtime.js';
