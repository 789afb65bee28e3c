// The controller manager process's HTTP connection pool to the apiserver.
//
// Why: @kite/client sends requests with Node's global fetch, whose default agent opens one
// connection per concurrent request with no limit and closes idle ones after 4 s. A ReplicaSet's
// burst of 250 creates then opens 250 sockets, which are gone again by the next burst: profiling
// the benchmark showed connection set-up and teardown as a large share of the manager's CPU (and
// of the apiserver's). A bounded pool of long-lived keep-alive connections serves the same
// request rate — the apiserver is one process, more sockets do not make it faster.
// Installed once by main.ts for the whole process; in-process uses (tests) keep the default.
import { allResources } from '@kite/api-types';
import { Agent, setGlobalDispatcher } from 'undici';

/** Connections for ordinary requests; beyond this they wait in the pool's queue. */
export const API_CONNECTIONS = 32;
/**
 * Every watch holds a connection for its whole life, and the manager watches at most every kind
 * once (the garbage collector monitors them all), so the pool has room for those on top.
 */
export const POOL_SIZE = API_CONNECTIONS + allResources.length;
/** Keep idle connections this long (the apiserver's own idle timeout may end them sooner). */
export const KEEP_ALIVE_MS = 60_000;
/** Upper bound on a keep-alive timeout the server announces. */
const KEEP_ALIVE_MAX_MS = 10 * 60_000;

export function installConnectionPool(): void {
  setGlobalDispatcher(new Agent({ connections: POOL_SIZE, keepAliveTimeout: KEEP_ALIVE_MS, keepAliveMaxTimeout: KEEP_ALIVE_MAX_MS }));
}
