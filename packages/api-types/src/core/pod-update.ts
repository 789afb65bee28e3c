// Which parts of a running pod may change: images, a shorter active deadline, added tolerations,
// the grace period and removed scheduling gates. Everything else is fixed once the pod exists,
// because the kubelet has already acted on it. Binding (spec.nodeName) goes through the binding
// subresource, never through an update.
import type { StatusCause } from '../meta/v1.js';
import { deepEqual } from '../util/equal.js';
import { forbidden, invalid } from '../validation/causes.js';
import type { PodSpec } from './podspec.js';
import type { Toleration } from './taint.js';

const POD_UPDATE_MESSAGE =
  'pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, ' +
  '`spec.tolerations` (only additions to existing tolerations), `spec.terminationGracePeriodSeconds` or `spec.schedulingGates` (only removals)';

const sameToleration = (a: Toleration, b: Toleration): boolean =>
  (a.key ?? '') === (b.key ?? '') && (a.operator || 'Equal') === (b.operator || 'Equal') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');

function validateTolerationUpdate(next: Toleration[] | undefined, prev: Toleration[] | undefined, path: string): StatusCause[] {
  for (const old of prev ?? []) {
    const now = (next ?? []).find((t) => sameToleration(t, old));
    const shortened = old.tolerationSeconds === undefined || (now?.tolerationSeconds !== undefined && now.tolerationSeconds <= old.tolerationSeconds);
    if (!now || (now.tolerationSeconds !== old.tolerationSeconds && !shortened)) {
      return [forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
    }
  }
  return [];
}

function validateDeadlineUpdate(next: number | undefined, prev: number | undefined, path: string): StatusCause[] {
  if (prev === undefined) return [];
  if (next === undefined) return [invalid(path, null, 'must not update from a positive integer to nil value')];
  return next > prev ? [invalid(path, next, 'must be less than or equal to previous value')] : [];
}

/** Copies the mutable fields of `prev` onto a copy of `next`, so what remains must be equal. */
function withoutMutableFields(next: PodSpec, prev: PodSpec): PodSpec {
  const spec = structuredClone(next);
  const copyImages = (to: { image?: string }[] | undefined, from: { image?: string }[] | undefined) => {
    if (to && from && to.length === from.length) to.forEach((c, i) => (c.image = from[i]?.image));
  };
  copyImages(spec.containers, prev.containers);
  copyImages(spec.initContainers, prev.initContainers);
  spec.activeDeadlineSeconds = prev.activeDeadlineSeconds;
  spec.tolerations = prev.tolerations;
  spec.terminationGracePeriodSeconds = prev.terminationGracePeriodSeconds;
  const gates = new Set((prev.schedulingGates ?? []).map((g) => g.name));
  if ((spec.schedulingGates ?? []).every((g) => gates.has(g.name))) spec.schedulingGates = prev.schedulingGates;
  return spec;
}

export function validatePodSpecUpdate(next: PodSpec, prev: PodSpec, path = 'spec'): StatusCause[] {
  const out = [
    ...validateDeadlineUpdate(next.activeDeadlineSeconds, prev.activeDeadlineSeconds, `${path}.activeDeadlineSeconds`),
    ...validateTolerationUpdate(next.tolerations, prev.tolerations, `${path}.tolerations`),
  ];
  if (!deepEqual(withoutMutableFields(next, prev), prev)) out.push(forbidden(path, POD_UPDATE_MESSAGE));
  return out;
}
