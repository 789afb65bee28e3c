// The scheduler's /configz (kube-scheduler serves its KubeSchedulerConfiguration there as
// `componentconfig`): the settings it runs with, every default applied, without credentials.
import { apiserverView, CONFIGZ_NAME, configzView, type Configz, type ConfigzPlan } from '@kite/component-base';
import type { SchedulerAppOptions } from './app.js';

/** Every setting as it is, except the apiserver credentials; the logger is no setting. */
const PLAN: ConfigzPlan<SchedulerAppOptions> = {
  apiserver: apiserverView,
  schedulerName: 'show',
  percentageOfNodesToScore: 'show',
  leaderElect: 'show',
  leaseDurationMs: 'show',
  renewDeadlineMs: 'show',
  retryPeriodMs: 'show',
  leaseNamespace: 'show',
  leaseName: 'show',
  port: 'show',
  bindAddress: 'show',
  bindTimeoutSeconds: 'show',
  logger: 'omit',
};

/** `opts` should be the effective options (app.ts: withDefaults). */
export function schedulerConfigz(opts: SchedulerAppOptions): Configz {
  return { name: CONFIGZ_NAME.scheduler, config: () => configzView(opts, PLAN) };
}
