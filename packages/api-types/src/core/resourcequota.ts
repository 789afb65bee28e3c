// core/v1 ResourceQuota: aggregate limits per namespace (spec.hard), with the usage the quota
// controller observes (status.used) and the limits it enforces (status.hard). The ResourceQuota
// admission plugin refuses writes that would exceed them.
//
// This module also holds Kubernetes' resource-name vocabulary (pkg/apis/core/helper): which names
// are standard for quotas, for containers, which must be integers, which may be overcommitted.
// LimitRange validation uses the same rules.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { kindSchema, type StatusCause } from '../meta/v1.js';
import { canonicalQuantity, isValidQuantity, quantityMilliValue, ResourceList } from '../quantity.js';
import { AtomicList } from '../schema.js';
import { invalid, required } from '../validation/causes.js';
import { checkQualifiedName } from '../validation/names.js';

/** Quota scopes (core.ResourceQuotaScope*). */
export const RESOURCE_QUOTA_SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'] as const;
export type ResourceQuotaScope = (typeof RESOURCE_QUOTA_SCOPES)[number];
/** Operators of a scope selector (core.ScopeSelectorOp*). */
export const SCOPE_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

export const ScopedResourceSelectorRequirement = Type.Object(
  {
    scopeName: Type.String({ description: 'The scope the selector applies to.' }),
    operator: Type.String({ description: 'In, NotIn, Exists or DoesNotExist.' }),
    values: Type.Optional(AtomicList(Type.String(), 'Values for In and NotIn; empty for Exists and DoesNotExist.')),
  },
  { description: 'A scope name, an operator and values.' },
);

export const ResourceQuotaSpec = Type.Object(
  {
    hard: Type.Optional(ResourceList),
    scopes: Type.Optional(AtomicList(Type.String(), 'Filters on the objects the quota tracks; all must match.')),
    scopeSelector: Type.Optional(
      Type.Object(
        { matchExpressions: Type.Optional(AtomicList(ScopedResourceSelectorRequirement, 'Requirements on scopes, ANDed.')) },
        { description: 'Scope filters as selector expressions; all must match.', 'x-kubernetes-map-type': 'atomic' },
      ),
    ),
  },
  { description: 'The enforced hard limits and the scopes they apply to.' },
);
export type ResourceQuotaSpec = Static<typeof ResourceQuotaSpec>;

export const ResourceQuotaStatus = Type.Object(
  {
    hard: Type.Optional(ResourceList),
    used: Type.Optional(ResourceList),
  },
  { description: 'The enforced limits and the usage observed by the quota controller.' },
);
export type ResourceQuotaStatus = Static<typeof ResourceQuotaStatus>;

export const ResourceQuota = kindSchema('v1', 'ResourceQuota', ResourceQuotaSpec, ResourceQuotaStatus, 'Aggregate resource limits for one namespace.');
export type ResourceQuota = Static<typeof ResourceQuota>;

// Resource names, as pkg/apis/core/helper defines them.
const HUGEPAGES_PREFIX = 'hugepages-';
const REQUESTS_HUGEPAGES_PREFIX = 'requests.hugepages-';
/** Prefix that makes a qualified name native (kubernetes.io/...). */
const DEFAULT_NAMESPACE_PREFIX = 'kubernetes.io/';
const OBJECT_COUNTS = ['pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers'];
const COMPUTE = ['cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage'];
const STANDARD_QUOTA_RESOURCES = new Set([...COMPUTE, 'requests.storage', ...OBJECT_COUNTS]);
const STANDARD_RESOURCES = new Set([...COMPUTE, 'storage', 'requests.storage', ...OBJECT_COUNTS]);
const INTEGER_RESOURCES = new Set(OBJECT_COUNTS);
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
/** Resources a scope other than BestEffort may constrain; BestEffort constrains only `pods`. */
const POD_COMPUTE_AND_COUNT = new Set(['pods', 'cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory']);

export const isHugePageResourceName = (name: string): boolean => name.startsWith(HUGEPAGES_PREFIX);
const isQuotaHugePageResourceName = (name: string): boolean => name.startsWith(HUGEPAGES_PREFIX) || name.startsWith(REQUESTS_HUGEPAGES_PREFIX);
/** Unqualified names and names under kubernetes.io/ are native to Kubernetes. */
export const isNativeResource = (name: string): boolean => !name.includes('/') || name.includes(DEFAULT_NAMESPACE_PREFIX);
/** A vendor resource such as `example.com/gpu` (advertised by device plugins). */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return checkQualifiedName(`requests.${name}`).length === 0;
}
export const isStandardQuotaResourceName = (name: string): boolean => STANDARD_QUOTA_RESOURCES.has(name) || isQuotaHugePageResourceName(name);
export const isStandardResourceName = (name: string): boolean => STANDARD_RESOURCES.has(name) || isQuotaHugePageResourceName(name);
export const isStandardContainerResourceName = (name: string): boolean => STANDARD_CONTAINER_RESOURCES.has(name) || isHugePageResourceName(name);
export const isIntegerResourceName = (name: string): boolean => INTEGER_RESOURCES.has(name) || isExtendedResourceName(name);
/** Requests may be below limits only for native resources other than hugepages. */
export const isOvercommitAllowed = (name: string): boolean => isNativeResource(name) && !isHugePageResourceName(name);

/** A resource name: a qualified name, and a standard one unless it is prefixed (validateResourceName). */
export function validateResourceName(name: string, field: string): StatusCause[] {
  const errs = checkQualifiedName(name).map((e) => invalid(field, name, e));
  if (errs.length > 0) return errs;
  if (!name.includes('/') && !isStandardResourceName(name)) return [invalid(field, name, 'must be a standard resource type or fully qualified')];
  return [];
}

/** A resource name for containers and Container/Pod limit ranges (validateContainerResourceName). */
export function validateContainerResourceName(name: string, field: string): StatusCause[] {
  const out = validateResourceName(name, field);
  if (!name.includes('/')) {
    if (!isStandardContainerResourceName(name)) out.push(invalid(field, name, 'must be a standard resource for containers'));
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    out.push(invalid(field, name, "doesn't follow extended resource name standard"));
  }
  return out;
}

function validateQuotaResourceName(name: string, field: string): StatusCause[] {
  const out = validateResourceName(name, field);
  if (!name.includes('/') && !isStandardQuotaResourceName(name)) out.push(invalid(field, name, 'must be a standard resource for quota'));
  return out;
}

/** Not negative; and a whole number for counted resources (ValidateResourceQuantityValue). */
export function validateResourceQuantityValue(name: string, q: string | number, field: string): StatusCause[] {
  if (!isValidQuantity(q)) return []; // the schema reports malformed quantities
  const out: StatusCause[] = [];
  const milli = quantityMilliValue(q);
  if (milli < 0) out.push(invalid(field, canonicalQuantity(q), 'must be greater than or equal to 0'));
  if (isIntegerResourceName(name) && milli % 1000 !== 0) out.push(invalid(field, canonicalQuantity(q), 'must be an integer'));
  return out;
}

function validateQuotaList(list: Record<string, string | number> | undefined, field: string): StatusCause[] {
  const out: StatusCause[] = [];
  for (const [name, q] of Object.entries(list ?? {})) {
    out.push(...validateQuotaResourceName(name, `${field}[${name}]`), ...validateResourceQuantityValue(name, q, `${field}[${name}]`));
  }
  return out;
}

const isStandardScope = (scope: string): boolean => (RESOURCE_QUOTA_SCOPES as readonly string[]).includes(scope);

function isScopeValidForResource(scope: string, resource: string): boolean {
  switch (scope) {
    case 'Terminating':
    case 'NotTerminating':
    case 'NotBestEffort':
    case 'PriorityClass':
    case 'CrossNamespacePodAffinity':
      return POD_COMPUTE_AND_COUNT.has(resource);
    case 'BestEffort':
      return resource === 'pods';
    default:
      return true;
  }
}

/** Scopes that cannot be combined: a pod is either best-effort or not, terminating or not. */
const CONFLICTING_SCOPES: readonly [string, string][] = [
  ['BestEffort', 'NotBestEffort'],
  ['Terminating', 'NotTerminating'],
];

function conflicts(scopes: ReadonlySet<string>): boolean {
  return CONFLICTING_SCOPES.some(([a, b]) => scopes.has(a) && scopes.has(b));
}

/** Every hard limit must be one the scope can constrain (for standard quota resources). */
function scopeFitsHard(scope: string, spec: ResourceQuotaSpec): boolean {
  return Object.keys(spec.hard ?? {}).every((k) => !isStandardQuotaResourceName(k) || isScopeValidForResource(scope, k));
}

function validateScopes(spec: ResourceQuotaSpec): StatusCause[] {
  const scopes = spec.scopes ?? [];
  if (scopes.length === 0) return [];
  const out: StatusCause[] = [];
  for (const scope of scopes) {
    if (!isStandardScope(scope)) out.push(invalid('spec.scopes', scopes, 'unsupported scope'));
    if (!scopeFitsHard(scope, spec)) out.push(invalid('spec.scopes', scopes, 'unsupported scope applied to resource'));
  }
  if (conflicts(new Set(scopes))) out.push(invalid('spec.scopes', scopes, 'conflicting scopes'));
  return out;
}

/** Scopes that take no values: a pod simply is, or is not, in them. */
const EXISTS_ONLY_SCOPES = new Set(['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity']);

function validateScopeSelector(spec: ResourceQuotaSpec): StatusCause[] {
  if (!spec.scopeSelector) return [];
  const f = 'spec.scopeSelector.matchExpressions';
  const out: StatusCause[] = [];
  const seen = new Set<string>();
  for (const req of spec.scopeSelector.matchExpressions ?? []) {
    if (!isStandardScope(req.scopeName)) out.push(invalid(`${f}.scopeName`, req.scopeName, 'unsupported scope'));
    if (!scopeFitsHard(req.scopeName, spec)) out.push(invalid(f, spec.scopeSelector, 'unsupported scope applied to resource'));
    if (EXISTS_ONLY_SCOPES.has(req.scopeName) && req.operator !== 'Exists') {
      out.push(
        invalid(
          `${f}.operator`,
          req.operator,
          "must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
        ),
      );
    }
    const n = req.values?.length ?? 0;
    if (req.operator === 'In' || req.operator === 'NotIn') {
      if (n === 0) out.push(required(`${f}.values`, "Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
    } else if (req.operator === 'Exists' || req.operator === 'DoesNotExist') {
      if (n !== 0) out.push(invalid(`${f}.values`, req.values, "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
    } else {
      out.push(invalid(`${f}.operator`, req.operator, 'not a valid selector operator'));
    }
    seen.add(req.scopeName);
  }
  if (conflicts(seen)) out.push(invalid(f, spec.scopes ?? null, 'conflicting scopes'));
  return out;
}

export function validateResourceQuotaSpec(spec: ResourceQuotaSpec | undefined): StatusCause[] {
  if (!spec) return [];
  return [...validateQuotaList(spec.hard, 'spec.hard'), ...validateScopes(spec), ...validateScopeSelector(spec)];
}

/** Scopes decide which objects a quota counts, so they cannot change once set. */
function validateScopesUpdate(quota: ResourceQuota, old: ResourceQuota): StatusCause[] {
  const now = new Set(quota.spec?.scopes ?? []);
  const before = new Set(old.spec?.scopes ?? []);
  const same = now.size === before.size && [...now].every((s) => before.has(s));
  return same ? [] : [invalid('spec.scopes', quota.spec?.scopes ?? null, 'field is immutable')];
}

export const ResourceQuotaResource = defineResource<ResourceQuota>({
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  shortNames: ['quota'],
  namespaced: true,
  schema: ResourceQuota,
  status: true,
  validate: (quota, old) => {
    const out = [
      ...validateResourceQuotaSpec(quota.spec),
      ...validateQuotaList(quota.status?.hard, 'status.hard'),
      ...validateQuotaList(quota.status?.used, 'status.used'),
    ];
    if (old) out.push(...validateScopesUpdate(quota, old));
    return out;
  },
});
