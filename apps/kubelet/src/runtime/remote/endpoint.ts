// Connects to a runtime that runs as its own program (`--runtime-endpoint HANDLER=unix:///PATH`).
// The kubelet does not own that process (a service manager or the launcher does): if it is not
// there yet, the kubelet waits a while for it; once connected, a runtime that goes away is
// reconnected to whenever it comes back (RemoteRuntime), and its pods are synced again.
import type { Logger } from '@kite/component-base';
import { RemoteRuntime } from '@kite/cri';
import type { RuntimeEndpoint } from '../../config.js';

/** How long the kubelet waits at start for an endpoint to answer before it does not offer it. */
export const ENDPOINT_WAIT_MS = 15_000;
const POLL_MS = 100;

export async function connectRuntimeEndpoint(endpoint: RuntimeEndpoint, log: Logger, waitMs = ENDPOINT_WAIT_MS): Promise<RemoteRuntime | undefined> {
  const deadline = Date.now() + waitMs;
  let lastError: unknown;
  for (;;) {
    const rt = new RemoteRuntime({ name: endpoint.handler, socketPath: endpoint.socketPath });
    try {
      await rt.connect();
      log.info({ runtime: endpoint.handler, socket: endpoint.socketPath, version: rt.runtimeVersion }, 'connected to runtime endpoint');
      return rt;
    } catch (err) {
      lastError = err;
      await rt.close();
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  log.error({ runtime: endpoint.handler, socket: endpoint.socketPath, err: lastError }, 'runtime endpoint did not answer; its handler is not offered');
  return undefined;
}
