// @kite/apimachinery: pure logic shared by the apiserver, the client and the controllers —
// Kubernetes Status errors, label and field selectors, and the four PATCH formats.
// Nothing here does I/O; every function is deterministic and leaves its inputs untouched.
export * from './errors.js';
export * from './labels.js';
export * from './fields.js';
export * from './patch/index.js';
export * from './unknown-fields.js';
export * from './query.js';
