// Loaded with `node --import` into a container's child process, and so into every Worker thread
// the SDK starts there (Workers inherit the process's execArgv). It installs what the SDK calls
// from the thread that runs the guest: the host filesystem behind mountHost (host-fs.ts) and the
// memory probe around `_start` (memory-probe.ts).
import { HostFileSystem } from './host-fs.js';
import { installMemoryProbe } from './memory-probe.js';
import { MOUNTS_ENV, type HostMount } from './protocol.js';

type HostCall = (mountId: number, method: string, args: unknown[]) => unknown;

let fs: HostFileSystem | undefined;

// Built on first use: the main thread loads this before it has received its job (and its mounts);
// the SDK's Workers start later, with the mounts already in their copy of process.env.
const hostCall: HostCall = (mountId, method, args) => {
  fs ??= new HostFileSystem(JSON.parse(process.env[MOUNTS_ENV] ?? '[]') as HostMount[]);
  return fs.call(mountId, method, Array.isArray(args) ? args : []);
};

(globalThis as unknown as { __wasmerHostFileSystem: HostCall }).__wasmerHostFileSystem = hostCall;
installMemoryProbe();
