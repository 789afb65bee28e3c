// The kubelet's settings, resolved from flags (main.ts) with defaults.
import type { Connection } from '@kite/client';
import type { RuntimeName } from './runtime/types.js';

export interface KubeletConfig {
  /** Where the apiserver is and this node's credentials (from --kubeconfig). */
  apiserver: Connection;
  nodeName: string;
  nodeIP: string;
  /** Used when no controller manager assigns spec.podCIDR. */
  podCIDR?: string;
  runtimes: RuntimeName[];
  /** Where pod volumes, logs and runtime state live. */
  rootDir: string;
  /** Port of the kubelet's own HTTPS API (logs, health, metrics) on the node IP. */
  port: number;
  /** Serving certificate and key (PEM) of that API, and the CA its callers' client certificates chain to. */
  tls: { cert: string; key: string; clientCa?: string };
  capacity: { cpu: string; memory: string; pods: string };
  /** How often the node Lease is renewed. */
  leaseRenewSeconds: number;
  leaseDurationSeconds: number;
  /** CrashLoopBackOff: first delay and cap, in seconds (Kubernetes: 10 and 300). */
  backoffBaseSeconds: number;
  backoffMaxSeconds: number;
  /** Run the Wasm runtime inside the kubelet instead of its daemon (pods then die with the kubelet). */
  wasmInProcess?: boolean;
  /** Image search path for relative Wasm image references. */
  imagePath: string[];
}

/** Kubernetes' defaults for the node heartbeat. */
export const DEFAULT_LEASE_RENEW_SECONDS = 10;
export const DEFAULT_LEASE_DURATION_SECONDS = 40;
export const DEFAULT_BACKOFF_BASE_SECONDS = 10;
export const DEFAULT_BACKOFF_MAX_SECONDS = 300;
export const DEFAULT_KUBELET_PORT = 10250;
/** Kubernetes' default maximum pods per node. */
export const DEFAULT_MAX_PODS = 110;
/** The node label prefix advertising which runtimes a node offers (`runtime.kite.dev/wasm=true`). */
export { RUNTIME_LABEL_PREFIX } from '@kite/api-types';
