// The controller manager's settings, with the defaults main.ts documents in --help.
// Durations are milliseconds here; flags take Go-style durations (duration.ts).
import type { Connection } from '@kite/client';
import { DEFAULT_JOB_BACKOFF_BASE_MS } from '../job/backoff.js';

/** Default apiserver URL (BRIEF §9). */
export const DEFAULT_APISERVER = 'https://127.0.0.1:6443';
/** A node whose Lease has not been renewed for this long is Unknown (Kubernetes' default). */
export const DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS = 40_000;
/** How often node health is re-checked. */
export const DEFAULT_NODE_MONITOR_PERIOD_MS = 5_000;
/** Tolerance of pods without their own toleration for unreachable/not-ready nodes. */
export const DEFAULT_POD_EVICTION_TIMEOUT_SECONDS = 300;
/** All pod IPs live on loopback (BRIEF §5): 127.64.0.0 – 127.127.255.255. */
export const DEFAULT_CLUSTER_CIDR = '127.64.0.0/10';
/** Each node gets a /24: 254 pod addresses, 16,384 nodes in the default cluster CIDR. */
export const DEFAULT_NODE_CIDR_MASK_SIZE = 24;
/** Port of /healthz, /readyz and /metrics (Kubernetes' kube-controller-manager uses 10257). */
export const DEFAULT_PORT = 10257;
export const DEFAULT_BIND_ADDRESS = '127.0.0.1';
/** The one Lease the whole manager campaigns for. */
export const LEADER_LEASE_NAMESPACE = 'kube-system';
export const LEADER_LEASE_NAME = 'kite-controller-manager';
/** Leader election timings (client-go's defaults). */
export const DEFAULT_LEASE_DURATION_MS = 15_000;
export const DEFAULT_RENEW_DEADLINE_MS = 10_000;
export const DEFAULT_RETRY_PERIOD_MS = 2_000;
/** Full re-delivery of every cached object, so a missed event heals itself. */
export const DEFAULT_RESYNC_MS = 10 * 60 * 1000;
/** How often the scale-to-zero controller reads the request rate of each running annotated Deployment. */
export const DEFAULT_SCALE_TO_ZERO_SYNC_PERIOD_MS = 10_000;
/** HorizontalPodAutoscaler settings: Kubernetes' kube-controller-manager defaults. */
export const DEFAULT_HPA_SYNC_PERIOD_MS = 15_000;
export const DEFAULT_HPA_DOWNSCALE_STABILIZATION_MS = 5 * 60_000;
export const DEFAULT_HPA_TOLERANCE = 0.1;
export const DEFAULT_HPA_CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
export const DEFAULT_HPA_INITIAL_READINESS_DELAY_MS = 30_000;
/** Where the local-path provisioner puts each volume's directory on its node (`--local-path-root`). */
export const DEFAULT_LOCAL_PATH_ROOT = '/var/lib/kite/local-path';
/** Largest claim the local-path provisioner accepts (`--local-path-max-size`); bigger ones fail to provision. */
export const DEFAULT_LOCAL_PATH_MAX_SIZE = '1Ti';

export interface ManagerConfig {
  /** Where the apiserver is and the manager's credentials (from --kubeconfig). */
  apiserver: Connection;
  /** Names of the controllers to run (already resolved from the --controllers list). */
  controllers: readonly string[];
  leaderElect: boolean;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  nodeMonitorGracePeriodMs: number;
  nodeMonitorPeriodMs: number;
  podEvictionTimeoutSeconds: number;
  clusterCIDR: string;
  nodeCIDRMaskSize: number;
  /** Port of the health and metrics server; 0 picks a free one, undefined serves none. */
  port?: number;
  bindAddress: string;
  resyncMs: number;
  /** PEM of the cluster CA, published as the kube-root-ca.crt ConfigMap in every namespace (`--root-ca-file`). */
  rootCA?: string;
  /** Leader election identity; defaults to hostname_uuid. */
  identity?: string;
  /** Period of the scale-to-zero controller's request-rate reads (`--scale-to-zero-sync-period`). */
  scaleToZeroSyncPeriodMs: number;
  /** `--horizontal-pod-autoscaler-sync-period`. */
  hpaSyncPeriodMs: number;
  /** `--horizontal-pod-autoscaler-downscale-stabilization`. */
  hpaDownscaleStabilizationMs: number;
  /** `--horizontal-pod-autoscaler-tolerance`. */
  hpaTolerance: number;
  /** `--horizontal-pod-autoscaler-cpu-initialization-period`. */
  hpaCpuInitializationPeriodMs: number;
  /** `--horizontal-pod-autoscaler-initial-readiness-delay`. */
  hpaInitialReadinessDelayMs: number;
  /** `--job-backoff-base` (hidden): the Job controller's first re-creation delay; doubles per failure. */
  jobBackoffBaseMs: number;
  /** `--local-path-root`: the directory under which local-path volumes live on their node. */
  localPathRoot: string;
  /** `--local-path-max-size`: the largest volume the local-path provisioner makes (a quantity). */
  localPathMaxSize: string;
}

export function defaultConfig(overrides: Partial<ManagerConfig> = {}): ManagerConfig {
  return {
    apiserver: { server: DEFAULT_APISERVER },
    controllers: [],
    leaderElect: false,
    leaseDurationMs: DEFAULT_LEASE_DURATION_MS,
    renewDeadlineMs: DEFAULT_RENEW_DEADLINE_MS,
    retryPeriodMs: DEFAULT_RETRY_PERIOD_MS,
    nodeMonitorGracePeriodMs: DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS,
    nodeMonitorPeriodMs: DEFAULT_NODE_MONITOR_PERIOD_MS,
    podEvictionTimeoutSeconds: DEFAULT_POD_EVICTION_TIMEOUT_SECONDS,
    clusterCIDR: DEFAULT_CLUSTER_CIDR,
    nodeCIDRMaskSize: DEFAULT_NODE_CIDR_MASK_SIZE,
    bindAddress: DEFAULT_BIND_ADDRESS,
    resyncMs: DEFAULT_RESYNC_MS,
    scaleToZeroSyncPeriodMs: DEFAULT_SCALE_TO_ZERO_SYNC_PERIOD_MS,
    hpaSyncPeriodMs: DEFAULT_HPA_SYNC_PERIOD_MS,
    hpaDownscaleStabilizationMs: DEFAULT_HPA_DOWNSCALE_STABILIZATION_MS,
    hpaTolerance: DEFAULT_HPA_TOLERANCE,
    hpaCpuInitializationPeriodMs: DEFAULT_HPA_CPU_INITIALIZATION_PERIOD_MS,
    hpaInitialReadinessDelayMs: DEFAULT_HPA_INITIAL_READINESS_DELAY_MS,
    jobBackoffBaseMs: DEFAULT_JOB_BACKOFF_BASE_MS,
    localPathRoot: DEFAULT_LOCAL_PATH_ROOT,
    localPathMaxSize: DEFAULT_LOCAL_PATH_MAX_SIZE,
    ...overrides,
  };
}
