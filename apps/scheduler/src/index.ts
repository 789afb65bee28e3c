// @kite/scheduler: the scheduler as a library — the app, the Scheduler, the plugin framework and
// the in-tree plugins — for tests, benchmarks and anyone composing a custom profile.
export * from './app.js';
export * from './scheduler.js';
export * from './metrics.js';
export * from './framework/status.js';
export * from './framework/cycle-state.js';
export * from './framework/events.js';
export * from './framework/interface.js';
export * from './framework/framework.js';
export * from './framework/fit-error.js';
export * from './framework/node-info.js';
export * from './framework/pod-info.js';
export * from './framework/profile.js';
export * from './framework/resources.js';
export * from './framework/host-ports.js';
export * from './framework/types.js';
export * from './cache/cache.js';
export * from './queue/scheduling-queue.js';
export * from './queue/backoff.js';
export * from './schedule/sampling.js';
export * from './schedule/schedule-pod.js';
export { inTreeRegistry, type Registry } from './plugins/registry.js';
export { defaultProfile } from './plugins/default-profile.js';
export * from './framework/runtimes.js';
export { podRuntimes, isWasmImage, RUNTIME_WASM, RUNTIME_DOCKER } from './plugins/runtime-class/runtime-class.js';
