// The process-wide HTTP connection pools for talking to the apiserver.
//
// Why: Node's global fetch opens one connection per concurrent request with no limit and closes
// idle ones after 4 s. A controller's burst of 250 creates then opens 250 sockets that are gone
// again by the next burst; profiling showed connection set-up and teardown as a large share of
// CPU on both sides. A bounded pool of long-lived keep-alive connections serves the same rate, and
// over TLS it matters more still: each new connection costs a handshake.
//
// One pool per TLS identity (CA, client certificate): every client in a process that uses the same
// credentials shares its connections. Each component's main.ts sizes the pools once with
// `installConnectionPool`; tests running components in-process keep the defaults.
import { Agent, setGlobalDispatcher, type Dispatcher } from 'undici';

/** Connections for ordinary requests; beyond this they wait in the pool's queue. */
export const DEFAULT_API_CONNECTIONS = 32;
/** Keep idle connections this long (the apiserver's own idle timeout may end them sooner). */
export const KEEP_ALIVE_MS = 60_000;
/** Upper bound on a keep-alive timeout the server announces. */
const KEEP_ALIVE_MAX_MS = 10 * 60_000;

/** TLS settings of a connection to the apiserver, as a kubeconfig gives them (PEM strings). */
export interface TlsOptions {
  ca?: string;
  cert?: string;
  key?: string;
  /** Skip server certificate verification (kubeconfig `insecure-skip-tls-verify`). */
  insecureSkipVerify?: boolean;
  /** Server name to verify (kubeconfig `tls-server-name`). */
  serverName?: string;
}

let poolSize: number | undefined;
const agents = new Map<string, Agent>();

/**
 * Sizes the pools. `watches` is how many long-lived watches the process holds at most: each
 * keeps a connection for its whole life, so the pool has room for them on top.
 */
export function installConnectionPool(watches: number, connections = DEFAULT_API_CONNECTIONS): void {
  poolSize = connections + watches;
  setGlobalDispatcher(new Agent({ connections: poolSize, keepAliveTimeout: KEEP_ALIVE_MS, keepAliveMaxTimeout: KEEP_ALIVE_MAX_MS }));
}

/** The shared dispatcher for these TLS settings. */
export function dispatcherFor(tls: TlsOptions): Dispatcher {
  const id = JSON.stringify([tls.ca, tls.cert, tls.key, tls.insecureSkipVerify, tls.serverName]);
  let agent = agents.get(id);
  if (!agent) {
    agent = new Agent({
      ...(poolSize !== undefined ? { connections: poolSize } : {}),
      keepAliveTimeout: KEEP_ALIVE_MS,
      keepAliveMaxTimeout: KEEP_ALIVE_MAX_MS,
      connect: {
        ...(tls.ca ? { ca: tls.ca } : {}),
        ...(tls.cert ? { cert: tls.cert } : {}),
        ...(tls.key ? { key: tls.key } : {}),
        ...(tls.serverName ? { servername: tls.serverName } : {}),
        rejectUnauthorized: !tls.insecureSkipVerify,
        minVersion: 'TLSv1.2',
      },
    });
    agents.set(id, agent);
  }
  return agent;
}
