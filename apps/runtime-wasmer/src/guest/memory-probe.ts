// Tells the child's main thread how much linear memory the guest held when `_start` ended.
// Why: a trap at the memory limit is OOMKilled and any other trap is Error (cri exit-info.ts),
// but the SDK reports only "RuntimeError: unreachable" and keeps the guest's memory inside its
// own Worker thread. So in every thread the SDK instantiates guests in, WebAssembly.Instance is
// wrapped: for a command module (one exporting `_start`), `_start` reports its memory's size on
// a BroadcastChannel as it returns or throws. The SDK reads an instance only through its
// `exports`, which is what the wrapper replaces; every other export is passed through unchanged.
import { BroadcastChannel } from 'node:worker_threads';
import { MEMORY_CHANNEL, type MemoryReport } from './protocol.js';

/** How long the main thread waits for the report after the SDK said the guest trapped. */
export const MEMORY_REPORT_WAIT_MS = 1000;

// The parts of the WebAssembly JS API used here (lib ES2023 declares none of it).
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
type InstanceConstructor = new (module: object, imports?: object) => WasmInstance;
interface WasmApi {
  Instance: InstanceConstructor;
  Memory: abstract new (...args: never[]) => { readonly buffer: ArrayBufferLike };
  Module: { exports(module: object): Array<{ name: string; kind: string }> };
}

function wasmApi(): WasmApi {
  return (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
}

/** Wraps WebAssembly.Instance in this thread. Call once per thread, before the SDK runs a guest. */
export function installMemoryProbe(): void {
  const api = wasmApi();
  const Original = api.Instance;
  const channel = new BroadcastChannel(MEMORY_CHANNEL);
  channel.unref();
  function ProbedInstance(module: object, imports?: object): WasmInstance {
    const instance = new Original(module, imports);
    const start = instance.exports._start;
    if (typeof start !== 'function' || !api.Module.exports(module).some((e) => e.name === '_start')) return instance;
    const memory = instance.exports.memory;
    const report = () => channel.postMessage({ memoryBytes: memory instanceof api.Memory ? memory.buffer.byteLength : 0 } satisfies MemoryReport);
    const wrapped = (...args: unknown[]): unknown => {
      try {
        return start(...args);
      } finally {
        report();
      }
    };
    const exports = Object.freeze({ ...instance.exports, _start: wrapped });
    return Object.create(Original.prototype, { exports: { value: exports, enumerable: true } }) as WasmInstance;
  }
  ProbedInstance.prototype = Original.prototype;
  api.Instance = ProbedInstance as unknown as InstanceConstructor;
}

/** The main thread's end: the last report, waited for briefly when none has come yet. */
export class MemoryReports {
  readonly #channel = new BroadcastChannel(MEMORY_CHANNEL);
  #last: number | undefined;
  #waiters: Array<() => void> = [];

  constructor() {
    this.#channel.unref();
    this.#channel.onmessage = (event) => {
      this.#last = (event as { data: MemoryReport }).data.memoryBytes;
      for (const wake of this.#waiters.splice(0)) wake();
    };
  }

  /** The guest's memory when `_start` ended, or undefined if no report came in time. */
  async final(waitMs = MEMORY_REPORT_WAIT_MS): Promise<number | undefined> {
    if (this.#last === undefined) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.#last;
  }

  close(): void {
    this.#channel.close();
  }
}
