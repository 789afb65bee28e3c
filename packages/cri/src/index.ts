// The container runtime interface between the kubelet and its runtimes (docs/runtime-protocol.md):
// the interface every runtime implements (types.ts), its typed errors, the versioned wire protocol
// that carries it over a Unix socket (server.ts serves a runtime, client.ts is the kubelet's end),
// CRI-format log files, the Wasm image store that Wasm runtimes share, and the pieces of a runtime
// that runs each container as a killable guest (sandbox table, container lifecycle, exit decisions).
export * from './types.js';
export * from './errors.js';
export { ContainerEventHub } from './events.js';
export { CriLogWriter, criLine, parseCriLog, MAX_LINE_BYTES, type LogStream } from './cri-log.js';
export * from './protocol.js';
export { serveRuntime } from './server.js';
export { RemoteRuntime, type RemoteRuntimeOptions } from './client.js';
export { imposeMemoryLimit, InitialMemoryExceedsLimit, WASM_PAGE_BYTES } from './memory-limit.js';
export { guestExitFromCode, guestExitFromTrap, EXIT_CODE_TRAP, OOM_SLACK_BYTES, type GuestExit } from './exit-info.js';
export { SandboxTable, newRuntimeId } from './sandbox-table.js';
export { checkWasmMount } from './wasm-mounts.js';
export { GuestContainers, guestContainerStatus, type GuestContainer, type GuestStatusFields, type GuestSteps, type Prepared, type RunningGuest } from './guest-containers.js';
export { inspectBinary, type BinaryKind } from './images/inspect.js';
export { resolveImageRef, parseSearchPath, isLoopbackHost, isLoopbackIPv4, type ImageSource } from './images/reference.js';
export { defaultImageSearchPath, EXAMPLES_IMAGE_DIR, IMAGE_PATH_ENV } from './images/search-path.js';
export { ImageStore, toImageInfo, MAX_IMAGE_BYTES, PULL_TIMEOUT_MS, type StoredImage, type ImageStoreOptions } from './images/store.js';
