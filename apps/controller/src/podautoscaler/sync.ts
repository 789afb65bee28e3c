// syncHorizontalPodAutoscaler: one reconcile of one HPA (Kubernetes' reconcileAutoscaler), run
// for its key after an event and again every --horizontal-pod-autoscaler-sync-period.
//
//   resolve scaleTargetRef (rest-mapper.ts) → GET its scale     fail: AbleToScale False FailedGetScale + Warning
//   replicas 0, minReplicas > 0                                 → ScalingActive False ScalingDisabled, no change
//   replicas outside [min, max]                                 → straight to min / max
//   otherwise every metric (metric-replicas.ts) → max proposal  all fail: ScalingActive False + Warnings
//             → normalizeDesiredReplicas (behavior.ts)          → AbleToScale / ScalingLimited
//   count changed → PUT the scale → SuccessfulRescale Event     fail: AbleToScale False FailedUpdateScale
//   write /status when it changed (currentMetrics, conditions, lastScaleTime, observedGeneration)
//
// Histories (recommendations, scale events) live in `state` per key, lost on restart as in Kubernetes.
import { deepEqual, type Condition, type HorizontalPodAutoscaler, type MetricStatus, type Pod, type Scale } from '@kite/api-types';
import { isApiError, parseSelector } from '@kite/apimachinery';
import type { DeepReadonly, Indexer, KubeClient, ResourceClient } from '@kite/client';
import type { Logger } from '@kite/component-base';
import { EVENT_NORMAL, EVENT_WARNING, type Recorder } from '../framework/events.js';
import type { SyncResult } from '../framework/runner.js';
import { normalizeDesiredReplicas, recordScaleEvent } from './behavior.js';
import { calculatorPod } from './calculator-pods.js';
import { emptyHistory, type CalculatorOptions, type ConditionOutcome, type ScaleHistory } from './calculator-types.js';
import * as cond from './conditions.js';
import { computeReplicasForMetric, type MetricContext } from './metric-replicas.js';
import type { MetricsClient } from './metrics-client.js';
import { CURRENT_ABOVE_MAX, CURRENT_BELOW_MIN, metricDescription, rescaleMessage, rescaleReason } from './rescale-reason.js';
import type { ScaleMapper } from './rest-mapper.js';

export interface HpaDeps {
  store: Indexer<HorizontalPodAutoscaler>;
  pods: Indexer<Pod>;
  hpas: Pick<ResourceClient<HorizontalPodAutoscaler>, 'updateStatus'>;
  client: Pick<KubeClient, 'resource'>;
  mapper: ScaleMapper;
  metrics: MetricsClient;
  recorder: Recorder;
  logger: Logger;
  now: () => number;
  syncPeriodMs: number;
  calculator: Omit<CalculatorOptions, 'nowMs'>;
  downscaleStabilizationWindowMs: number;
  histories: Map<string, ScaleHistory>;
}

type Hpa = DeepReadonly<HorizontalPodAutoscaler>;

/** What one pass decided, before the status is written. */
interface Pass {
  conditions: Condition[];
  currentReplicas: number;
  desiredReplicas: number;
  currentMetrics: MetricStatus[];
  rescaled: boolean;
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function syncHorizontalPodAutoscaler(deps: HpaDeps, key: string): Promise<SyncResult | void> {
  const hpa = deps.store.get(key);
  if (!hpa || hpa.metadata.deletionTimestamp) {
    deps.histories.delete(key);
    return;
  }
  const nowIso = new Date(deps.now()).toISOString();
  const pass: Pass = { conditions: structuredClone((hpa.status?.conditions ?? []) as Condition[]), currentReplicas: hpa.status?.currentReplicas ?? 0, desiredReplicas: hpa.status?.desiredReplicas ?? 0, currentMetrics: [], rescaled: false };
  const set = (type: string, o: ConditionOutcome) => (pass.conditions = cond.setCondition(pass.conditions, type, o, nowIso));
  const ns = hpa.metadata.namespace ?? '';
  const ref = hpa.spec?.scaleTargetRef;
  let target: { scale: Scale; client: ResourceClient<never> };
  try {
    target = await getScale(deps, ns, ref?.apiVersion ?? '', ref?.kind ?? '', ref?.name ?? '');
  } catch (err) {
    deps.recorder.event(hpa, EVENT_WARNING, cond.REASON_FAILED_GET_SCALE, describe(err));
    set(cond.ABLE_TO_SCALE, cond.failedGetScale(describe(err)));
    await writeStatus(deps, hpa, pass);
    return { requeueAfterMs: deps.syncPeriodMs };
  }
  set(cond.ABLE_TO_SCALE, cond.succeededGetScale);
  await reconcile(deps, key, hpa, target, pass, set);
  await writeStatus(deps, hpa, pass);
  return { requeueAfterMs: deps.syncPeriodMs };
}

async function getScale(deps: HpaDeps, ns: string, apiVersion: string, kind: string, name: string): Promise<{ scale: Scale; client: ResourceClient<never> }> {
  const mapping = await deps.mapper.resolve(apiVersion, kind);
  if (!mapping.hasScale) throw new Error(`${mapping.resource.plural}${mapping.resource.group ? `.${mapping.resource.group}` : ''} "${name}" has no scale subresource`);
  const client = deps.client.resource<never>(mapping.resource);
  try {
    return { scale: await client.getScale(name, { namespace: ns }), client };
  } catch (err) {
    if (isApiError(err)) throw new Error(err.message);
    throw err;
  }
}

async function reconcile(deps: HpaDeps, key: string, hpa: Hpa, target: { scale: Scale; client: ResourceClient<never> }, pass: Pass, set: (type: string, o: ConditionOutcome) => void): Promise<void> {
  const current = target.scale.spec?.replicas ?? 0;
  const min = hpa.spec?.minReplicas ?? 1;
  const max = hpa.spec?.maxReplicas ?? min;
  pass.currentReplicas = target.scale.status?.replicas ?? current;
  let desired: number;
  let reason = '';
  if (current === 0 && min !== 0) {
    set(cond.SCALING_ACTIVE, cond.scalingDisabled);
    pass.desiredReplicas = 0;
    return;
  } else if (current > max) {
    [desired, reason] = [max, CURRENT_ABOVE_MAX];
  } else if (current < min) {
    [desired, reason] = [min, CURRENT_BELOW_MIN];
  } else {
    const proposal = await computeMetrics(deps, hpa, target.scale, current, pass, set);
    if (proposal === undefined) {
      pass.desiredReplicas = current;
      return;
    }
    const history = deps.histories.get(key) ?? emptyHistory();
    const n = normalizeDesiredReplicas({ currentReplicas: current, desiredReplicas: proposal.replicas, minReplicas: min, maxReplicas: max, behavior: hpa.spec?.behavior, downscaleStabilizationWindowMs: deps.downscaleStabilizationWindowMs, history, nowMs: deps.now() });
    deps.histories.set(key, n.history);
    set(cond.ABLE_TO_SCALE, n.ableToScale);
    set(cond.SCALING_LIMITED, n.scalingLimited);
    desired = n.replicas;
    reason = rescaleReason(current, desired, proposal.metric);
  }
  pass.desiredReplicas = desired;
  if (desired !== current) await rescale(deps, key, hpa, target, current, desired, reason, pass, set);
}

async function computeMetrics(deps: HpaDeps, hpa: Hpa, scale: Scale, current: number, pass: Pass, set: (type: string, o: ConditionOutcome) => void): Promise<{ replicas: number; metric: string } | undefined> {
  const specs = hpa.spec?.metrics ?? [];
  const ns = hpa.metadata.namespace ?? '';
  const selectorText = scale.status?.selector ?? '';
  const selector = parseSelector(selectorText);
  const podsOf = (resource: string | undefined, container?: string) =>
    deps.pods
      .list()
      .filter((p) => p.metadata.namespace === ns && selector.matches(p.metadata.labels ?? {}))
      .map((p) => calculatorPod(p, resource, container));
  const ctx: MetricContext = { namespace: ns, selector: selectorText, currentReplicas: current, statusReplicas: hpa.status?.currentReplicas ?? current, pods: podsOf, metrics: deps.metrics, mapper: deps.mapper, opts: { ...deps.calculator, nowMs: deps.now() } };
  let best: { replicas: number; metric: string } | undefined;
  let invalid = 0;
  let firstError = '';
  for (const spec of specs) {
    const out = await computeReplicasForMetric(ctx, spec);
    if (!out.ok) {
      invalid++;
      firstError ||= out.error;
      deps.recorder.event(hpa, EVENT_WARNING, out.reason, out.error);
      set(cond.SCALING_ACTIVE, cond.metricFailed(out.reason, out.error));
      pass.currentMetrics.push({ type: spec.type });
      continue;
    }
    pass.currentMetrics.push(out.status);
    if (!best || out.replicas > best.replicas) best = { replicas: out.replicas, metric: metricDescription(spec) };
  }
  // Kubernetes: give up when every metric failed, or when some failed and the rest would scale down.
  if (!best || (invalid > 0 && best.replicas < current)) {
    if (specs.length > 0) deps.recorder.event(hpa, EVENT_WARNING, cond.REASON_FAILED_COMPUTE_METRICS_REPLICAS, `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstError}`);
    return undefined;
  }
  set(cond.SCALING_ACTIVE, cond.validMetricFound(best.metric));
  return best;
}

async function rescale(deps: HpaDeps, key: string, hpa: Hpa, target: { scale: Scale; client: ResourceClient<never> }, current: number, desired: number, reason: string, pass: Pass, set: (type: string, o: ConditionOutcome) => void): Promise<void> {
  const scale: Scale = { ...structuredClone(target.scale), spec: { replicas: desired } };
  try {
    await target.client.updateScale(scale.metadata.name ?? '', scale, { namespace: hpa.metadata.namespace });
  } catch (err) {
    deps.recorder.event(hpa, EVENT_WARNING, cond.REASON_FAILED_RESCALE, `${rescaleMessage(desired, reason)}; error: ${describe(err)}`);
    set(cond.ABLE_TO_SCALE, cond.failedUpdateScale(describe(err)));
    pass.desiredReplicas = current;
    return;
  }
  set(cond.ABLE_TO_SCALE, cond.succeededRescale(desired));
  deps.recorder.event(hpa, EVENT_NORMAL, cond.REASON_SUCCESSFUL_RESCALE, rescaleMessage(desired, reason));
  deps.logger.info({ hpa: key, from: current, to: desired, reason }, 'rescaled');
  deps.histories.set(key, recordScaleEvent(deps.histories.get(key) ?? emptyHistory(), hpa.spec?.behavior, current, desired, deps.now()));
  pass.rescaled = true;
}

async function writeStatus(deps: HpaDeps, hpa: Hpa, pass: Pass): Promise<void> {
  const old = hpa.status ?? {};
  const status: HorizontalPodAutoscaler['status'] = {
    observedGeneration: hpa.metadata.generation,
    currentReplicas: pass.currentReplicas,
    desiredReplicas: pass.desiredReplicas,
    currentMetrics: pass.currentMetrics,
    conditions: pass.conditions,
  };
  const lastScaleTime = pass.rescaled ? new Date(deps.now()).toISOString() : old.lastScaleTime;
  if (lastScaleTime) status.lastScaleTime = lastScaleTime;
  if (deepEqual(status, { ...old, currentMetrics: old.currentMetrics ?? [] })) return;
  const next = { ...structuredClone(hpa as HorizontalPodAutoscaler), status };
  await deps.hpas.updateStatus(next, { namespace: hpa.metadata.namespace });
}
