// What the plugin and a container's child process say to each other over the fork IPC channel,
// and the names both sides (and every thread of the child) agree on.
// Order: plugin → child `run` once; child → plugin `running` once the guest runs, then `exit`
// once it has ended. A child that dies without `exit` was killed (or crashed): the plugin
// decides that exit itself (guest-process.ts).
import type { GuestExit } from '@kite/cri';

/** A directory of the host the guest sees at `guestPath` (a WASI preopen). */
export interface GuestMount {
  guestPath: string;
  hostPath: string;
  readOnly: boolean;
}

/** Everything the child needs to run one container's guest. */
export interface GuestJob {
  /** The module to run, already rewritten to the container's memory limit (module-prep.ts). */
  modulePath: string;
  /** The SDK command name, which the guest sees as argv[0]. */
  command: string;
  /** argv[1..]. */
  args: string[];
  env: Record<string, string>;
  /** The guest's working directory; only set when it lies inside a mount. */
  cwd?: string;
  mounts: GuestMount[];
  /** Absolute path of the container's CRI log file. */
  logPath: string;
  memoryLimitBytes?: number;
  /** CPUs the SDK offers the guest (its thread pool): the CPU limit rounded up; unset, the host's. */
  parallelism?: number;
}

export type PluginToGuest = { type: 'run'; job: GuestJob };
export type GuestToPlugin = { type: 'running' } | { type: 'exit'; exit: GuestExit };

/**
 * Environment variable holding the job's mounts (JSON `HostMount[]`). Why the environment:
 * the SDK runs the guest in Worker threads it creates itself, and a Worker starts with a copy
 * of process.env, so this is how the host filesystem in those threads learns its mounts.
 */
export const MOUNTS_ENV = 'KITE_WASMER_MOUNTS';

/** A mount as the SDK names it: mountHost(path, id, readOnly); ids start at 1. */
export interface HostMount {
  id: number;
  hostPath: string;
  readOnly: boolean;
}

/** BroadcastChannel on which the guest's thread reports its memory when `_start` ends. */
export const MEMORY_CHANNEL = 'kite-wasmer-guest-memory';

export interface MemoryReport {
  memoryBytes: number;
}
