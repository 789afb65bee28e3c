// A process-wide HTTP connection pool for talking to the apiserver.
//
// Why: Node's global fetch opens one connection per concurrent request with no limit and closes
// idle ones after 4 s. A controller's burst of 250 creates then opens 250 sockets that are gone
// again by the next burst; profiling showed connection set-up and teardown as a large share of
// CPU on both sides. A bounded pool of long-lived keep-alive connections serves the same rate.
// Each component's main.ts installs it once; tests running components in-process keep the default.
import { Agent, setGlobalDispatcher } from 'undici';

/** Connections for ordinary requests; beyond this they wait in the pool's queue. */
export const DEFAULT_API_CONNECTIONS = 32;
/** Keep idle connections this long (the apiserver's own idle timeout may end them sooner). */
export const KEEP_ALIVE_MS = 60_000;
/** Upper bound on a keep-alive timeout the server announces. */
const KEEP_ALIVE_MAX_MS = 10 * 60_000;

/**
 * Installs the pool. `watches` is how many long-lived watches the process holds at most: each
 * keeps a connection for its whole life, so the pool has room for them on top.
 */
export function installConnectionPool(watches: number, connections = DEFAULT_API_CONNECTIONS): void {
  setGlobalDispatcher(new Agent({ connections: connections + watches, keepAliveTimeout: KEEP_ALIVE_MS, keepAliveMaxTimeout: KEEP_ALIVE_MAX_MS }));
}
