// Main module of a container's child process (forked by guest-process.ts, with preload.ts).
// Why a process per container: @wasmer/sdk cannot stop a guest that spins (its kill and
// terminate report the guest stopped while its thread keeps running), but the plugin can always
// SIGKILL a process. The child also exits as soon as its IPC channel to the plugin closes, so a
// plugin that dies (even by SIGKILL) leaves no guest behind.
// SIGTERM is passed to the guest as the SDK's terminate(), with a grace longer than any pod's:
// a WASIX guest may act on it; a preview1 guest cannot see signals and runs on until the
// plugin kills the process after the pod's grace period, as a container ignoring SIGTERM would.
import type { Process } from '@wasmer/sdk/node';
import { runGuest } from './run.js';
import { MOUNTS_ENV, type GuestJob, type GuestToPlugin, type HostMount, type PluginToGuest } from './protocol.js';

/** Exit code of a child whose plugin went away. */
const EXIT_ORPHANED = 70;
/** Grace given to the SDK's terminate(): the plugin's SIGKILL, not the SDK, ends the guest. */
const SIGTERM_GRACE_MS = 24 * 60 * 60 * 1000;

let guest: Process | undefined;

function send(message: GuestToPlugin, then?: () => void): void {
  if (!process.connected || !process.send) return then?.();
  process.send(message, undefined, {}, () => then?.());
}

async function run(job: GuestJob): Promise<void> {
  // Before the SDK starts its Workers, which copy process.env (preload.ts reads it there).
  process.env[MOUNTS_ENV] = JSON.stringify(job.mounts.map((m, i): HostMount => ({ id: i + 1, hostPath: m.hostPath, readOnly: m.readOnly })));
  const exit = await runGuest(job, (started) => {
    guest = started;
    send({ type: 'running' });
  });
  // Exit only once the plugin has the result: the channel delivers it before it closes.
  send({ type: 'exit', exit }, () => process.exit(0));
}

process.on('disconnect', () => process.exit(EXIT_ORPHANED));
process.on('SIGTERM', () => void guest?.terminate({ gracePeriodMs: SIGTERM_GRACE_MS }).catch(() => undefined));
process.once('message', (message: PluginToGuest) => {
  if (message.type === 'run') void run(message.job);
});
