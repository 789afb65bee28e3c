// The kubelet's settings, resolved from flags (main.ts) with defaults.
import type { Connection } from '@kite/client';
import type { RuntimeName } from '@kite/cri';

export interface KubeletConfig {
  /** Where the apiserver is and this node's credentials (from --kubeconfig). */
  apiserver: Connection;
  nodeName: string;
  nodeIP: string;
  /** Used when no controller manager assigns spec.podCIDR. */
  podCIDR?: string;
  /** The built-in runtimes this node offers (`--runtimes`). */
  runtimes: RuntimeName[];
  /** Runtimes in their own processes (`--runtime-endpoint HANDLER=unix:///PATH`, repeatable). */
  runtimeEndpoints?: RuntimeEndpoint[];
  /** A hollow node that runs every pod on the hollow runtime, as kubemark's hollow kubelets do. */
  acceptAnyPod?: boolean;
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

export interface RuntimeEndpoint {
  handler: RuntimeName;
  /** Path of the runtime's Unix socket. */
  socketPath: string;
}

/** Parses `HANDLER=unix:///PATH` (Kubernetes' --container-runtime-endpoint form, keyed by handler). */
export function parseRuntimeEndpoint(value: string): RuntimeEndpoint {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)=unix:\/\/(\/.+)$/.exec(value.trim());
  if (!m?.[1] || !m[3]) throw new Error(`--runtime-endpoint must be HANDLER=unix:///PATH (HANDLER a DNS label), got ${JSON.stringify(value)}`);
  return { handler: m[1], socketPath: m[3] };
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
