// Turns a container's CRI config into the job its child process runs (guest/protocol.ts).
// Conventions, those of the built-in Wasm runtime (examples/wasm-pods/README.md) except where
// @wasmer/sdk forces otherwise (README.md of this app):
// - argv = [command[0] or the image's file name, ...command[1:], ...args]. The SDK takes argv[0]
//   from the command's name, which must match COMMAND_NAME; a command[0] that does not (a path
//   such as /bin/app) is given as its file name (app), and one whose file name does not either
//   is refused.
// - env = the resolved env, plus PWD = workingDir when one is set; the working directory itself
//   is set only when it lies inside a mount (the rest of the guest's tree is the SDK's own).
// - each mount is a preopened directory at containerPath; readOnly mounts refuse writes.
// - container ports are refused: the sandbox has no network (see README.md).
// - a CPU limit becomes the SDK's parallelism (the CPUs a WASIX guest is offered), rounded up.
import { basename, posix } from 'node:path';
import { RuntimeError, checkWasmMount, type ContainerConfig, type Mount } from '@kite/cri';
import type { GuestJob, GuestMount } from './guest/protocol.js';

/** What the SDK accepts as a command name (and so as argv[0]). */
export const COMMAND_NAME = /^[A-Za-z0-9._+-]+$/;
/** Guest paths the SDK keeps for itself: mounting there fails. */
const RESERVED_GUEST_PATHS = ['/', '/workspace'];

function validName(name: string): boolean {
  return COMMAND_NAME.test(name) && name !== '.' && name !== '..';
}

export function commandName(config: ContainerConfig): string {
  const argv0 = config.command[0] ?? basename(config.image);
  if (validName(argv0)) return argv0;
  const file = posix.basename(argv0);
  if (validName(file)) return file;
  throw new RuntimeError('InvalidArgument', `argv[0] ${JSON.stringify(argv0)}: @wasmer/sdk needs a command name of letters, digits, '.', '_', '+' or '-'`);
}

function guestMount(mount: Mount): GuestMount {
  checkWasmMount(mount);
  const guestPath = posix.normalize(mount.containerPath).replace(/(.)\/$/, '$1');
  if (RESERVED_GUEST_PATHS.includes(guestPath)) throw new RuntimeError('InvalidArgument', `mount ${mount.containerPath}: @wasmer/sdk reserves ${guestPath}`);
  return { guestPath, hostPath: mount.hostPath, readOnly: mount.readOnly };
}

function insideMount(path: string, mounts: readonly GuestMount[]): boolean {
  const normal = posix.normalize(path);
  return mounts.some((m) => normal === m.guestPath || normal.startsWith(`${m.guestPath}/`));
}

/** The job for `config`; throws RuntimeError InvalidArgument for what the SDK cannot run. */
export function guestJob(config: ContainerConfig, modulePath: string, logPath: string): GuestJob {
  if (config.ports.length > 0) {
    throw new RuntimeError('InvalidArgument', `container ${config.name}: the wasmer runtime runs commands only and cannot serve container ports (use runtimeClassName wasm)`);
  }
  const mounts = config.mounts.map(guestMount);
  const env = Object.fromEntries(config.env.map((e) => [e.name, e.value]));
  if (config.workingDir) env.PWD = config.workingDir;
  const cwd = config.workingDir && insideMount(config.workingDir, mounts) ? config.workingDir : undefined;
  return {
    modulePath,
    command: commandName(config),
    args: [...config.command.slice(1), ...config.args],
    env,
    ...(cwd ? { cwd } : {}),
    mounts,
    logPath,
    ...(config.memoryLimitBytes !== undefined ? { memoryLimitBytes: config.memoryLimitBytes } : {}),
    ...(config.cpuLimitMillis !== undefined ? { parallelism: Math.max(1, Math.ceil(config.cpuLimitMillis / 1000)) } : {}),
  };
}
