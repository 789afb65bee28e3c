// syncScaleToZero: one look at one Deployment (level-triggered; the runner calls it for a key
// after an event, and again every sync period while the Deployment runs pods).
//
//   gone / being deleted / not annotated → forget its clock
//   invalid annotation                   → Warning Event (once per value), no action
//   at 0 replicas                        → nothing to do (the proxy brings it back)
//   running                              → read the request rate → decide (decide.ts) →
//                                          keep (look again after the sync period) or scale to 0
//
// Scaling down writes the Scale with the resourceVersion of the cached Deployment: if anything
// changed since — the activator asking for a replica, the HPA, a user — the write is a 409, the
// runner retries on fresh data, and the fresh data (a scale-up restarts the clock) decides again.
import { SCALE_TO_ZERO_AFTER_ANNOTATION, scaleToZeroSetting, type Deployment, type Scale } from '@kite/api-types';
import { labelSelectorToString } from '@kite/apimachinery';
import type { DeepReadonly, Indexer, ResourceClient } from '@kite/client';
import type { Logger } from '@kite/component-base';
import { EVENT_NORMAL, EVENT_WARNING, type Recorder } from '../framework/events.js';
import { forReading } from '../framework/owners.js';
import type { SyncResult } from '../framework/runner.js';
import type { ActivityReader } from './activity.js';
import { decide } from './decide.js';
import type { IdleClock } from './idle-clock.js';

/** Events this controller records on Deployments. */
export const REASON_SCALED_TO_ZERO = 'ScaledToZero';
export const REASON_INVALID_ANNOTATION = 'InvalidScaleToZeroAfter';
export const REASON_FAILED_GET_REQUEST_RATE = 'FailedGetRequestRate';

export interface ScaleToZeroDeps {
  store: Indexer<Deployment>;
  deployments: Pick<ResourceClient<Deployment>, 'updateScale'>;
  activity: ActivityReader;
  clock: IdleClock;
  recorder: Recorder;
  logger: Logger;
  now: () => number;
  syncPeriodMs: number;
  /** The last warning recorded per `uid/reason`, so a repeat is recorded once, not every sync. */
  warned: Map<string, string>;
}

type Dep = DeepReadonly<Deployment>;

const secondsText = (ms: number) => `${Number((ms / 1000).toFixed(1))}s`;

export async function syncScaleToZero(deps: ScaleToZeroDeps, key: string): Promise<SyncResult | void> {
  const d = deps.store.get(key);
  const setting = d && !d.metadata.deletionTimestamp ? scaleToZeroSetting(d.metadata.annotations) : ({ kind: 'off' } as const);
  if (!d || setting.kind === 'off') return forget(deps, key, d);
  if (setting.kind === 'invalid') {
    deps.clock.forget(key);
    warnOnce(deps, d, REASON_INVALID_ANNOTATION, `${setting.message}; the Deployment is not scaled to zero`);
    return;
  }
  clearWarning(deps, d, REASON_INVALID_ANNOTATION);
  if ((d.spec?.replicas ?? 1) === 0) {
    deps.clock.forget(key);
    return;
  }
  deps.clock.since(key, deps.now());
  const activity = await deps.activity(d.metadata.namespace ?? '', labelSelectorToString(forReading(d).spec?.selector));
  if (activity.kind === 'unknown') warnOnce(deps, d, REASON_FAILED_GET_REQUEST_RATE, `${activity.reason}; the idle time starts again`);
  else clearWarning(deps, d, REASON_FAILED_GET_REQUEST_RATE);
  const now = deps.now();
  const decision = decide(activity, deps.clock.idleFor(key, now), setting.afterMs);
  if (decision.action === 'keep') {
    if (decision.restartClock) deps.clock.restart(key, now);
    return { requeueAfterMs: deps.syncPeriodMs };
  }
  await scaleToZero(deps, d, `no request reached its pods for ${secondsText(decision.idleMs)} (${SCALE_TO_ZERO_AFTER_ANNOTATION}: ${setting.text})`);
  deps.clock.forget(key);
}

async function scaleToZero(deps: ScaleToZeroDeps, d: Dep, why: string): Promise<void> {
  const name = d.metadata.name ?? '';
  const namespace = d.metadata.namespace ?? '';
  const from = d.spec?.replicas ?? 1;
  const scale: Scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, namespace, resourceVersion: d.metadata.resourceVersion }, spec: { replicas: 0 } };
  await deps.deployments.updateScale(name, scale, { namespace });
  deps.logger.info({ deployment: `${namespace}/${name}`, from, why }, 'scaled to zero');
  deps.recorder.event(d, EVENT_NORMAL, REASON_SCALED_TO_ZERO, `Scaled to 0 from ${from} replicas: ${why}`);
}

function forget(deps: ScaleToZeroDeps, key: string, d: Dep | undefined): void {
  deps.clock.forget(key);
  if (!d) return;
  clearWarning(deps, d, REASON_INVALID_ANNOTATION);
  clearWarning(deps, d, REASON_FAILED_GET_REQUEST_RATE);
}

const warningKey = (d: Dep, reason: string) => `${d.metadata.uid ?? `${d.metadata.namespace ?? ''}/${d.metadata.name ?? ''}`}/${reason}`;

function warnOnce(deps: ScaleToZeroDeps, d: Dep, reason: string, message: string): void {
  const k = warningKey(d, reason);
  if (deps.warned.get(k) === message) return;
  deps.warned.set(k, message);
  deps.recorder.event(d, EVENT_WARNING, reason, message);
}

function clearWarning(deps: ScaleToZeroDeps, d: Dep, reason: string): void {
  deps.warned.delete(warningKey(d, reason));
}
