export * from './server.js';
export { Store } from './storage/store.js';
export { WatchCache } from './storage/watch-cache.js';
