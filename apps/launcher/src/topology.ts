// Addresses of a local cluster (BRIEF §5): everything on loopback. Node k gets its own node IP;
// pod CIDRs come from the controller manager's IPAM out of the cluster CIDR.

export const APISERVER_HOST = '127.0.0.1';
export const DEFAULT_APISERVER_PORT = 6443;
/** Not 6379, so a system Redis on this machine is left alone. */
export const DEFAULT_REDIS_PORT = 16379;
export const CLUSTER_CIDR = '127.64.0.0/10';

export interface NodeSpec {
  name: string;
  ip: string;
}

/** node-1 → 127.1.0.1, node-2 → 127.1.0.2, ... (up to 254 nodes per /24, then the next). */
export function nodeTopology(count: number): NodeSpec[] {
  return Array.from({ length: count }, (_, i) => ({ name: `node-${i + 1}`, ip: `127.1.${Math.floor(i / 254)}.${(i % 254) + 1}` }));
}
