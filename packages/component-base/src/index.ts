export * from './logger.js';
export * from './metrics.js';
export * from './flags.js';
export * from './signals.js';
export * from './health-server.js';
export * from './configz.js';
