// Addresses of a local cluster (BRIEF §5): everything on loopback. Node k gets its own node IP;
// pod CIDRs come from the controller manager's IPAM out of the cluster CIDR.

export const APISERVER_HOST = '127.0.0.1';
export const DEFAULT_APISERVER_PORT = 6443;
/** Not 6379, so a system Redis on this machine is left alone. */
export const DEFAULT_REDIS_PORT = 16379;
export const CLUSTER_CIDR = '127.64.0.0/10';
export const SERVICE_CIDR = '127.32.0.0/16';
/** Node k's IP is NODE_IP_PREFIX.(k+1); a second cluster on one machine picks another prefix. */
export const NODE_IP_PREFIX = '127.1.0';
export const DEFAULT_KUBELET_PORT = 10250;

export interface NodeSpec {
  name: string;
  ip: string;
}

/** node-1 → PREFIX.1, node-2 → PREFIX.2, ... up to 254 nodes. */
export function nodeTopology(count: number, prefix = NODE_IP_PREFIX): NodeSpec[] {
  if (count < 1 || count > 254) throw new Error(`--nodes must be between 1 and 254, got ${count}`);
  return Array.from({ length: count }, (_, i) => ({ name: `node-${i + 1}`, ip: `${prefix}.${i + 1}` }));
}
