// LimitRanger (plugin/pkg/admission/limitranger): enforces the namespace's LimitRanges.
// - admit (mutating): a new pod's containers and init containers get the Container item's
//   `default` as limits and `defaultRequest` as requests for every resource they leave unset,
//   and the pod is annotated `kubernetes.io/limit-ranger` with what was set.
// - validate: each container against the Container item's min, max and maxLimitRequestRatio,
//   the pod's totals against the Pod item's, a claim's storage request against the
//   PersistentVolumeClaim item's. The first LimitRange with violations refuses the request with
//   403 `pods "x" is forbidden: <all its violations>`.
// Pod updates are not checked: containers and their resources cannot change after creation.
import { LimitRangeResource, type Container, type KubeObject, type LimitRange, type LimitRangeItem, type PersistentVolumeClaim, type Pod } from '@kite/api-types';
import { admissionForbidden, aggregateMessages, isKind, untyped } from './attributes.js';
import type { AdmissionAttributes, AdmissionContext, MutatingPlugin, ValidatingPlugin } from './interface.js';
import { maxConstraint, maxRequestConstraint, minConstraint, podTotals, ratioConstraint, type Quantities } from './limit-ranger/constraints.js';

export const NAME = 'LimitRanger';

/** The annotation that records which defaults LimitRanger filled in. */
export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

const NONE: Quantities = {};

/** Fills unset limits and requests of one container; returns the annotation phrases. */
function mergeContainer(c: Container, defaults: { limits: Quantities; requests: Quantities }, label: string): string[] {
  const fill = (have: Quantities | undefined, from: Quantities): [Quantities | undefined, string[]] => {
    const missing = Object.keys(from).filter((k) => have?.[k] === undefined);
    if (missing.length === 0) return [have, []];
    const out: Quantities = { ...have };
    for (const k of missing) out[k] = from[k] as string | number;
    return [out, missing.sort()];
  };
  const [requests, setRequests] = fill(c.resources?.requests, defaults.requests);
  const [limits, setLimits] = fill(c.resources?.limits, defaults.limits);
  if (setRequests.length === 0 && setLimits.length === 0) return [];
  c.resources = { ...c.resources, ...(limits ? { limits } : {}), ...(requests ? { requests } : {}) };
  const notes: string[] = [];
  if (setRequests.length > 0) notes.push(`${setRequests.join(', ')} request for ${label} ${c.name}`);
  if (setLimits.length > 0) notes.push(`${setLimits.join(', ')} limit for ${label} ${c.name}`);
  return notes;
}

/** PodMutateLimitFunc: the Container items' defaults into every container that lacks them. */
export function applyDefaults(lr: LimitRange, pod: Pod): void {
  if (!pod.spec) return;
  const defaults = { limits: {} as Quantities, requests: {} as Quantities };
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'Container') continue;
    Object.assign(defaults.requests, item.defaultRequest);
    Object.assign(defaults.limits, item.default);
  }
  const notes = [
    ...(pod.spec.containers ?? []).flatMap((c) => mergeContainer(c, defaults, 'container')),
    ...(pod.spec.initContainers ?? []).flatMap((c) => mergeContainer(c, defaults, 'init container')),
  ];
  if (notes.length === 0) return;
  pod.metadata.annotations = { ...pod.metadata.annotations, [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
}

/** min, max and ratio of one item against one set of requests and limits. */
function checkItem(item: LimitRangeItem, requests: Quantities, limits: Quantities): string[] {
  const out: (string | undefined)[] = [];
  for (const [k, q] of Object.entries(item.min ?? {})) out.push(minConstraint(item.type, k, q, requests, limits));
  for (const [k, q] of Object.entries(item.max ?? {})) out.push(maxConstraint(item.type, k, q, requests, limits));
  for (const [k, q] of Object.entries(item.maxLimitRequestRatio ?? {})) out.push(ratioConstraint(item.type, k, q, requests, limits));
  return out.filter((m): m is string => m !== undefined);
}

/** PodValidateLimitFunc: every violation of one LimitRange by a pod. */
export function podViolations(lr: LimitRange, pod: Pod): string[] {
  const spec = pod.spec ?? { containers: [] };
  const out: string[] = [];
  for (const item of lr.spec?.limits ?? []) {
    if (item.type === 'Container') {
      for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
        out.push(...checkItem(item, c.resources?.requests ?? NONE, c.resources?.limits ?? NONE));
      }
    } else if (item.type === 'Pod') {
      out.push(...checkItem(item, podTotals(spec, (c) => c.resources?.requests), podTotals(spec, (c) => c.resources?.limits)));
    }
  }
  return out;
}

/** PersistentVolumeClaimValidateLimitFunc: min and max bound the storage request. */
export function claimViolations(lr: LimitRange, pvc: PersistentVolumeClaim): string[] {
  const requests = pvc.spec?.resources?.requests ?? NONE;
  const out: (string | undefined)[] = [];
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    for (const [k, q] of Object.entries(item.min ?? {})) out.push(minConstraint(item.type, k, q, requests, NONE));
    for (const [k, q] of Object.entries(item.max ?? {})) out.push(maxRequestConstraint(item.type, k, q, requests));
  }
  return out.filter((m): m is string => m !== undefined);
}

export class LimitRanger implements MutatingPlugin, ValidatingPlugin {
  readonly name = NAME;

  constructor(private readonly ctx: AdmissionContext) {}

  /** Pods on create, claims on create and update; never subresources. */
  handles(attrs: AdmissionAttributes): boolean {
    if (attrs.subresource !== '' || (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE')) return false;
    if (isKind(attrs, '', 'Pod')) return attrs.operation === 'CREATE';
    return isKind(attrs, '', 'PersistentVolumeClaim');
  }

  async admit(attrs: AdmissionAttributes, obj: KubeObject, old: KubeObject | undefined): Promise<void> {
    if (!isKind(attrs, '', 'Pod')) return;
    for (const lr of await this.limitRanges(attrs, old)) applyDefaults(lr, obj as Pod);
  }

  async validate(attrs: AdmissionAttributes, obj: KubeObject, old: KubeObject | undefined): Promise<void> {
    const pod = isKind(attrs, '', 'Pod');
    for (const lr of await this.limitRanges(attrs, old)) {
      const violations = pod ? podViolations(lr, obj as Pod) : claimViolations(lr, obj as PersistentVolumeClaim);
      if (violations.length > 0) throw admissionForbidden(attrs, obj, aggregateMessages(violations));
    }
  }

  /** The namespace's LimitRanges; none for objects already being deleted. */
  private async limitRanges(attrs: AdmissionAttributes, old: KubeObject | undefined): Promise<LimitRange[]> {
    if (old?.metadata.deletionTimestamp) return [];
    return this.ctx.list<LimitRange>(untyped(LimitRangeResource), attrs.namespace);
  }
}

export const newLimitRanger = (ctx: AdmissionContext): LimitRanger => new LimitRanger(ctx);
