export * from './kubelet.js';
export * from './config.js';
