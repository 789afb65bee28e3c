// The controller manager's /configz (kube-controller-manager serves its
// KubeControllerManagerConfiguration there): the effective settings, without credentials.
import { apiserverView, CONFIGZ_NAME, configzView, type Configz, type ConfigzPlan } from '@kite/component-base';
import type { ManagerConfig } from './config.js';

/** Every setting as it is, except the apiserver credentials and the CA's PEM (its file is the flag). */
const PLAN: ConfigzPlan<ManagerConfig> = {
  apiserver: apiserverView,
  controllers: 'show',
  leaderElect: 'show',
  leaseDurationMs: 'show',
  renewDeadlineMs: 'show',
  retryPeriodMs: 'show',
  nodeMonitorGracePeriodMs: 'show',
  nodeMonitorPeriodMs: 'show',
  podEvictionTimeoutSeconds: 'show',
  clusterCIDR: 'show',
  nodeCIDRMaskSize: 'show',
  port: 'show',
  bindAddress: 'show',
  resyncMs: 'show',
  rootCA: 'omit',
  identity: 'show',
  scaleToZeroSyncPeriodMs: 'show',
  hpaSyncPeriodMs: 'show',
  hpaDownscaleStabilizationMs: 'show',
  hpaTolerance: 'show',
  hpaCpuInitializationPeriodMs: 'show',
  hpaInitialReadinessDelayMs: 'show',
  jobBackoffBaseMs: 'show',
  localPathRoot: 'show',
  localPathMaxSize: 'show',
};

export function managerConfigz(cfg: ManagerConfig): Configz {
  return { name: CONFIGZ_NAME.controllerManager, config: () => configzView(cfg, PLAN) };
}
