// Messages between the Wasm runtime (kubelet thread) and a container's Worker.
// One Worker runs one container. Workers boot ahead of need (worker-pool.ts), so the job
// arrives as the first message; a compiled WebAssembly.Module in it is shared, not copied.
import type { GuestExit } from '@kite/cri';
import type { Preopen } from '../wasi/preview1.js';

/** How a container's image runs. */
export type WorkloadKind =
  /** A WASI preview1 command run to completion. */
  | 'command'
  /** A WASI preview1 command served per HTTP request, CGI-style (WAGI). */
  | 'wagi'
  /** A wasi:http incoming-handler component served on the pod IP. */
  | 'http-component'
  /** A wasi:cli command component run to completion. */
  | 'cli-component';

export interface ListenAddress {
  host: string;
  port: number;
}

export interface WorkerJob {
  kind: WorkloadKind;
  /** Core kinds: the compiled (memory-capped) module. */
  module?: WebAssembly.Module;
  /** Component kinds: directory of the transpiled component (index.js + core wasm). */
  componentDir?: string;
  /** Component kinds: core modules compiled by the runtime, keyed by file name. */
  coreModules?: Record<string, WebAssembly.Module>;
  args: string[];
  env: Array<[string, string]>;
  preopens: Preopen[];
  logPath: string;
  listen: ListenAddress[];
  memoryLimitBytes?: number;
}

/** How a container ended (the same shape and rule for every Wasm runtime: @kite/cri exit-info). */
export type ExitInfo = GuestExit;

/**
 * The Worker's memory as its own V8 isolate counts it (v8.getHeapStatistics() inside the
 * Worker: Node 20 has no Worker#getHeapStatistics). Wasm linear memories are V8 external
 * memory, so `externalBytes` includes every live instance's memory.
 */
export interface WorkerMemory {
  /** JS heap in use (used_heap_size). */
  heapBytes: number;
  /** Off-heap memory V8 accounts to the isolate (external_memory): linear memories, buffers. */
  externalBytes: number;
}

export type WorkerToHost =
  | { type: 'ready' }
  | ({ type: 'exit' } & ExitInfo)
  /** Sent once, before the job runs: the kernel thread id of the Worker's JS thread. */
  | { type: 'thread'; tid: number }
  /** Sent when the job starts, right before guest code runs, and then every few seconds when the thread is free. */
  | ({ type: 'usage' } & WorkerMemory);

export type HostToWorker = { type: 'job'; job: WorkerJob } | { type: 'stop' };
