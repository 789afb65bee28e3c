// @kite/client: how every component talks to the apiserver — typed REST verbs, watch streams,
// informers with indexed caches, workqueues, leader election and event recording.
export * from './clock.js';
export * from './http/paths.js';
export { Transport, TransportError, DEFAULT_TIMEOUT_MS, DEFAULT_USER_AGENT, isStatus, type TransportOptions, type HttpRequest } from './http/transport.js';
export * from './kube-client.js';
export * from './resource-client.js';
export * from './watch/ndjson.js';
export * from './watch/watch.js';
export * from './cache/keys.js';
export * from './cache/readonly.js';
export * from './cache/store.js';
export * from './informer/backoff.js';
export * from './informer/notifications.js';
export * from './informer/diff.js';
export * from './informer/informer.js';
export * from './workqueue/rate-limiter.js';
export * from './workqueue/queue.js';
export * from './leaderelection/lease-lock.js';
export * from './leaderelection/leader-elector.js';
export * from './events/recorder.js';
export { installConnectionPool, DEFAULT_API_CONNECTIONS } from './http/pool.js';
export { dispatcherFor, type TlsOptions } from './http/pool.js';
export * from './kubeconfig.js';
export * from './util/retry.js';
