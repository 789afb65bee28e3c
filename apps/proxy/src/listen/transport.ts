// Transport: what a listener serves on its address — HTTP (http-transport.ts), raw TCP
// (l4/tcp-listener.ts) or UDP (l4/udp-forwarder.ts). The ListenerSet owns the binding life cycle
// (retries, standby, states) and knows nothing of what is served; a transport owns its socket and
// the connections or sessions on it.
//
// Contract:
// - `listen()` starts one bind of the spec's host:port; the outcome arrives once, as
//   `events.listening()` or `events.error(err)`. After an error the ListenerSet may call
//   `listen()` again (after its retry delay).
// - `listening()` is true from `events.listening()` until `close()`.
// - `close(drainMs)` stops accepting at once (the address is free again), lets work in flight
//   finish, cuts whatever is left after `drainMs`, and resolves when the socket has closed.
// - An error after a successful bind may reach `events.error` too; the ListenerSet only logs it.
import type { ListenerSpec } from './listener-set.js';

export interface TransportEvents {
  listening(): void;
  error(err: NodeJS.ErrnoException): void;
}

export interface Transport {
  listen(): void;
  listening(): boolean;
  close(drainMs: number): Promise<void>;
}

/** Makes the transport of one listener; the proxier chooses by `spec.path`. */
export type TransportFactory = (spec: ListenerSpec, events: TransportEvents) => Transport;
