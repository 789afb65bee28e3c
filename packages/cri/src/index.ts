// The container runtime interface between the kubelet and its runtimes (docs/runtime-protocol.md):
// the interface every runtime implements (types.ts), its typed errors, the versioned wire protocol
// that carries it over a Unix socket (server.ts serves a runtime, client.ts is the kubelet's end),
// CRI-format log files, and the Wasm image store that Wasm runtimes share.
export * from './types.js';
export * from './errors.js';
export { ContainerEventHub } from './events.js';
export { CriLogWriter, criLine, parseCriLog, MAX_LINE_BYTES, type LogStream } from './cri-log.js';
export * from './protocol.js';
export { serveRuntime } from './server.js';
export { RemoteRuntime, type RemoteRuntimeOptions } from './client.js';
export { imposeMemoryLimit, InitialMemoryExceedsLimit, WASM_PAGE_BYTES } from './memory-limit.js';
export { inspectBinary, type BinaryKind } from './images/inspect.js';
export { resolveImageRef, parseSearchPath, isLoopbackHost, isLoopbackIPv4, type ImageSource } from './images/reference.js';
export { defaultImageSearchPath, EXAMPLES_IMAGE_DIR, IMAGE_PATH_ENV } from './images/search-path.js';
export { ImageStore, toImageInfo, MAX_IMAGE_BYTES, PULL_TIMEOUT_MS, type StoredImage, type ImageStoreOptions } from './images/store.js';
