// @kite/proxy: the per-node Service proxy and the cluster DNS server. Entry points are
// dist/main.js (proxy) and dist/dns-main.js (DNS); this module exports the pieces for reuse.
export * from './net.js';
export * from './config.js';
export * from './catalog/endpoints.js';
export * from './catalog/frontends.js';
export * from './catalog/catalog.js';
export * from './lb/affinity.js';
export * from './lb/balancer.js';
export * from './forward/route.js';
export * from './forward/forwarder.js';
export * from './listen/listener-set.js';
export * from './listen/transport.js';
export * from './listen/server-transport.js';
export * from './listen/http-transport.js';
export * from './l4/protocol-choice.js';
export * from './l4/tcp-listener.js';
export * from './l4/tcp-forwarder.js';
export * from './l4/udp-sessions.js';
export * from './l4/udp-forwarder.js';
export * from './metrics.js';
export * from './proxier.js';
export * from './dns/names.js';
export * from './dns/records.js';
export * from './dns/dns-server.js';
