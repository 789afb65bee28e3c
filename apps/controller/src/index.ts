// @kite/controller: the controller manager and its controllers, for in-process use by tests,
// benchmarks and the local-cluster launcher.
export * from './manager/config.js';
export * from './manager/manager.js';
export * from './manager/registry.js';
export * from './manager/duration.js';
