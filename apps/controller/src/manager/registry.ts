// The controllers this manager can run: one flat map from name to factory, and the
// `--controllers` list syntax Kubernetes uses: `*` = every default controller, `name` = enable,
// `-name` = disable. Example: `*,-nodeipam` runs all but node IPAM.
import type { Controller, ControllerContext } from '../framework/controller.js';
import { DaemonSetController, DAEMONSET_CONTROLLER } from '../daemon/controller.js';
import { StatefulSetController, STATEFULSET_CONTROLLER } from '../statefulset/controller.js';
import { DeploymentController, DEPLOYMENT_CONTROLLER } from '../deployment/controller.js';
import { CronJobController, CRONJOB_CONTROLLER } from '../cronjob/controller.js';
import { EndpointsController, ENDPOINTS_CONTROLLER } from '../endpoints/controller.js';
import { EndpointSliceController, ENDPOINTSLICE_CONTROLLER } from '../endpoints/slice-controller.js';
import { GarbageCollector, GARBAGE_COLLECTOR } from '../garbagecollector/controller.js';
import { NamespaceController, NAMESPACE_CONTROLLER } from '../namespace/controller.js';
import { NodeIpamController, NODE_IPAM_CONTROLLER } from '../nodeipam/controller.js';
import { NodeLifecycleController, NODE_LIFECYCLE_CONTROLLER } from '../nodelifecycle/controller.js';
import { ReplicaSetController, REPLICASET_CONTROLLER } from '../replicaset/controller.js';
import { ResourceQuotaController, RESOURCE_QUOTA_CONTROLLER } from '../resourcequota/controller.js';
import { ServiceAccountController, SERVICE_ACCOUNT_CONTROLLER } from '../serviceaccount/controller.js';
import { RootCaPublisher, ROOT_CA_PUBLISHER } from '../serviceaccount/root-ca-publisher.js';
import { ScaleToZeroController, SCALE_TO_ZERO_CONTROLLER } from '../scaletozero/controller.js';
import { HorizontalPodAutoscalerController, HPA_CONTROLLER } from '../podautoscaler/controller.js';
import { DisruptionController, DISRUPTION_CONTROLLER } from '../disruption/controller.js';
import { JobController, JOB_CONTROLLER } from '../job/controller.js';
import { TtlAfterFinishedController, TTL_AFTER_FINISHED_CONTROLLER } from '../ttlafterfinished/controller.js';
import { PersistentVolumeBinder, PV_BINDER_CONTROLLER } from '../volume/binder.js';
import { VolumeExpander, PV_EXPANDER_CONTROLLER } from '../volume/expander.js';
import { PvcProtectionController, PvProtectionController, PVC_PROTECTION_CONTROLLER, PV_PROTECTION_CONTROLLER } from '../volume/protection.js';
import type { ManagerConfig } from './config.js';

export type ControllerFactory = (ctx: ControllerContext, cfg: ManagerConfig) => Controller;

export const CONTROLLER_REGISTRY: ReadonlyMap<string, ControllerFactory> = new Map<string, ControllerFactory>([
  [REPLICASET_CONTROLLER, (ctx) => new ReplicaSetController(ctx)],
  [DEPLOYMENT_CONTROLLER, (ctx) => new DeploymentController(ctx)],
  [JOB_CONTROLLER, (ctx, cfg) => new JobController(ctx, { backoffBaseMs: cfg.jobBackoffBaseMs })],
  [TTL_AFTER_FINISHED_CONTROLLER, (ctx) => new TtlAfterFinishedController(ctx)],
  [DAEMONSET_CONTROLLER, (ctx) => new DaemonSetController(ctx)],
  [STATEFULSET_CONTROLLER, (ctx) => new StatefulSetController(ctx)],
  [CRONJOB_CONTROLLER, (ctx) => new CronJobController(ctx)],
  [ENDPOINTS_CONTROLLER, (ctx) => new EndpointsController(ctx)],
  [ENDPOINTSLICE_CONTROLLER, (ctx) => new EndpointSliceController(ctx)],
  [GARBAGE_COLLECTOR, (ctx) => new GarbageCollector(ctx)],
  [NAMESPACE_CONTROLLER, (ctx) => new NamespaceController(ctx)],
  [
    NODE_LIFECYCLE_CONTROLLER,
    (ctx, cfg) =>
      new NodeLifecycleController(ctx, {
        gracePeriodMs: cfg.nodeMonitorGracePeriodMs,
        monitorPeriodMs: cfg.nodeMonitorPeriodMs,
        defaultTolerationSeconds: cfg.podEvictionTimeoutSeconds,
      }),
  ],
  [RESOURCE_QUOTA_CONTROLLER, (ctx) => new ResourceQuotaController(ctx)],
  [DISRUPTION_CONTROLLER, (ctx) => new DisruptionController(ctx)],
  [SERVICE_ACCOUNT_CONTROLLER, (ctx) => new ServiceAccountController(ctx)],
  // Without --root-ca-file there is no CA to publish: the publisher then idles (and says so).
  [ROOT_CA_PUBLISHER, (ctx, cfg) => new RootCaPublisher(ctx, cfg.rootCA ?? '')],
  [NODE_IPAM_CONTROLLER, (ctx, cfg) => new NodeIpamController(ctx, { clusterCIDR: cfg.clusterCIDR, nodeCIDRMaskSize: cfg.nodeCIDRMaskSize })],
  [SCALE_TO_ZERO_CONTROLLER, (ctx, cfg) => new ScaleToZeroController(ctx, { syncPeriodMs: cfg.scaleToZeroSyncPeriodMs })],
  [
    HPA_CONTROLLER,
    (ctx, cfg) =>
      new HorizontalPodAutoscalerController(ctx, {
        syncPeriodMs: cfg.hpaSyncPeriodMs,
        downscaleStabilizationWindowMs: cfg.hpaDownscaleStabilizationMs,
        tolerance: cfg.hpaTolerance,
        cpuInitializationPeriodMs: cfg.hpaCpuInitializationPeriodMs,
        initialReadinessDelayMs: cfg.hpaInitialReadinessDelayMs,
      }),
  ],
  [PV_BINDER_CONTROLLER, (ctx, cfg) => new PersistentVolumeBinder(ctx, { root: cfg.localPathRoot, maxSize: cfg.localPathMaxSize })],
  [PV_EXPANDER_CONTROLLER, (ctx, cfg) => new VolumeExpander(ctx, { root: cfg.localPathRoot, maxSize: cfg.localPathMaxSize })],
  [PVC_PROTECTION_CONTROLLER, (ctx) => new PvcProtectionController(ctx)],
  [PV_PROTECTION_CONTROLLER, (ctx) => new PvProtectionController(ctx)],
]);

/** Resolves a `--controllers` list into names, in registry order; throws for an unknown name. */
export function resolveControllers(list: string): string[] {
  const items = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const all = [...CONTROLLER_REGISTRY.keys()];
  const enabled = new Set<string>();
  const disabled = new Set<string>();
  for (const item of items.length === 0 ? ['*'] : items) {
    const name = item.replace(/^-/, '');
    if (item === '*') all.forEach((n) => enabled.add(n));
    else if (!CONTROLLER_REGISTRY.has(name)) throw new Error(`--controllers: unknown controller ${JSON.stringify(name)} (known: ${all.join(', ')})`);
    else (item.startsWith('-') ? disabled : enabled).add(name);
  }
  // An explicit `-name` wins wherever it stands in the list, as in Kubernetes.
  for (const name of disabled) enabled.delete(name);
  return all.filter((n) => enabled.has(n));
}
