// Builds the SDK sandbox a guest runs in. This is the one place that reaches past the public
// @wasmer/sdk API, because the public `sandboxes.create` cannot mount a host directory: it takes
// files only, and only under /workspace. The SDK's own core builder can (`mountHost`, marked
// experimental), so the sandbox is built from the core client, obtained through the
// `initializeCore` hook the SDK leaves protected for its Node entry, and then wrapped in the
// public Package and Sandbox classes, whose constructors take exactly these core objects.
import { Package, Sandbox, Wasmer, type WasmerOptions } from '@wasmer/sdk/node';
import type { GuestMount } from './protocol.js';

/** The SDK's Node client with its core-level initialisation reachable. */
class CoreWasmer extends Wasmer {
  static startCore(options: WasmerOptions) {
    return this.initializeCore(options);
  }
}

/** Name of the one module in the guest's package. */
const MODULE = 'guest';

export interface GuestSandbox {
  sandbox: Sandbox;
  pkg: Package;
}

/**
 * A sandbox holding `module` as command `command` (which the guest sees as argv[0]), with each
 * mount at its guest path (mount ids are their index + 1, as host-fs.ts knows them), no network,
 * and `parallelism` CPUs (undefined: the host's).
 */
export async function createGuestSandbox(module: Uint8Array, command: string, mounts: readonly GuestMount[], parallelism?: number): Promise<GuestSandbox> {
  // No package cache: a raw module needs no registry, and the cache would write under the cwd.
  const core = await CoreWasmer.startCore({ cache: false, ...(parallelism !== undefined ? { parallelism } : {}) });
  const packageCore = await core.createPackage({ modules: { [MODULE]: module }, commands: { [command]: { module: MODULE } }, files: {} });
  const builder = core.sandbox();
  builder.package(packageCore);
  mounts.forEach((m, i) => builder.mountHost(m.guestPath, i + 1, m.readOnly));
  builder.network('disabled');
  // The Wasmer passed to Sandbox is only kept as `sandbox.wasmer`; it never starts a core of its own.
  return { sandbox: new Sandbox(new Wasmer({ cache: false }), await builder.start()), pkg: new Package(packageCore) };
}
