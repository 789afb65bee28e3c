export * from './ports.js';
export * from './wait.js';
export * from './redis.js';
export * from './process.js';
export * from './apiserver.js';
export * from './kubectl.js';
export * from './pki.js';
export * from './http-load.js';
