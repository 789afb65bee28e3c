// What a Wasm runtime accepts as a mount: a guest sees each one as a preopened directory, so the
// container path must be absolute and the host path an existing directory.
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { RuntimeError } from './errors.js';
import type { Mount } from './types.js';

/** Throws RuntimeError InvalidArgument when `mount` cannot be a preopened directory. */
export function checkWasmMount(mount: Mount): void {
  if (!isAbsolute(mount.containerPath)) throw new RuntimeError('InvalidArgument', `mount ${mount.containerPath}: containerPath must be absolute`);
  let isDirectory = false;
  try {
    isDirectory = statSync(mount.hostPath).isDirectory();
  } catch {
    throw new RuntimeError('InvalidArgument', `mount ${mount.containerPath}: hostPath ${mount.hostPath} does not exist`);
  }
  if (!isDirectory) throw new RuntimeError('InvalidArgument', `mount ${mount.containerPath}: Wasm mounts must be directories (${mount.hostPath} is not)`);
}
