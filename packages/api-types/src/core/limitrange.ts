// core/v1 LimitRange: per-namespace bounds on what one container, one pod or one claim may ask
// for, and the defaults the LimitRanger admission plugin fills into containers that ask for nothing.
//
// Defaulting (SetDefaults_LimitRangeItem) and validation (ValidateLimitRange) follow Kubernetes:
// for Container items a missing `default` takes `max`, a missing `defaultRequest` takes `default`
// and then `min`; validation then requires min <= defaultRequest <= default <= max per resource.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { ObjectMeta, type StatusCause } from '../meta/v1.js';
import { canonicalQuantity, compareQuantities, isValidQuantity, quantityMilliValue, quantityValue, ResourceList } from '../quantity.js';
import { AtomicList } from '../schema.js';
import { duplicate, forbidden, invalid, required } from '../validation/causes.js';
import { checkQualifiedName } from '../validation/names.js';
import { isOvercommitAllowed, validateContainerResourceName, validateResourceName } from './resourcequota.js';

export const LIMIT_TYPES = ['Container', 'Pod', 'PersistentVolumeClaim'] as const;
export type LimitType = (typeof LIMIT_TYPES)[number];

export const LimitRangeItem = Type.Object(
  {
    type: Type.String({ description: 'What the limits apply to: Container, Pod or PersistentVolumeClaim.' }),
    max: Type.Optional(ResourceList),
    min: Type.Optional(ResourceList),
    default: Type.Optional(ResourceList),
    defaultRequest: Type.Optional(ResourceList),
    maxLimitRequestRatio: Type.Optional(ResourceList),
  },
  { description: 'Bounds and defaults for one kind of object.' },
);
export type LimitRangeItem = Static<typeof LimitRangeItem>;

export const LimitRangeSpec = Type.Object(
  { limits: AtomicList(LimitRangeItem, 'The limits, at most one item per type.') },
  { description: 'The limits enforced in the namespace.' },
);
export type LimitRangeSpec = Static<typeof LimitRangeSpec>;

export const LimitRange = Type.Object(
  {
    apiVersion: Type.Literal('v1'),
    kind: Type.Literal('LimitRange'),
    metadata: ObjectMeta,
    spec: Type.Optional(LimitRangeSpec),
  },
  { description: 'Resource consumption bounds and defaults for the objects of one namespace.' },
);
export type LimitRange = Static<typeof LimitRange>;

type Quantities = Record<string, string | number>;

/** Copies `from` into `into` where `into` lacks the key; returns `into`, or undefined if empty. */
function fillMissing(into: Quantities | undefined, from: Quantities | undefined): Quantities | undefined {
  const out: Quantities = { ...into };
  for (const [k, v] of Object.entries(from ?? {})) if (!(k in out)) out[k] = v;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** SetDefaults_LimitRangeItem: only Container items get defaults. */
export function defaultLimitRangeItem(item: LimitRangeItem): void {
  if (item.type !== 'Container') return;
  const dflt = fillMissing(item.default, item.max);
  if (dflt) item.default = dflt;
  const request = fillMissing(fillMissing(item.defaultRequest, dflt), item.min);
  if (request) item.defaultRequest = request;
}

/** validateLimitRangeTypeName: a qualified name, standard unless prefixed. */
function validateTypeName(type: string, field: string): StatusCause[] {
  const errs = checkQualifiedName(type).map((e) => invalid(field, type, e));
  if (errs.length > 0) return errs;
  if (!type.includes('/') && !(LIMIT_TYPES as readonly string[]).includes(type)) return [invalid(field, type, 'must be a standard limit type or fully qualified')];
  return [];
}

function validateNames(type: string, list: Quantities | undefined, field: string): StatusCause[] {
  const check = type === 'Pod' || type === 'Container' ? validateContainerResourceName : validateResourceName;
  return Object.keys(list ?? {}).flatMap((k) => check(k, `${field}[${k}]`));
}

/** Keys in the order Kubernetes collects them: max, min, default, defaultRequest, ratio. */
function keysOf(item: LimitRangeItem, withDefaults: boolean): string[] {
  const lists = [item.max, item.min, ...(withDefaults ? [item.default, item.defaultRequest] : []), item.maxLimitRequestRatio];
  return [...new Set(lists.flatMap((l) => Object.keys(l ?? {})))];
}

const str = (q: string | number): string => canonicalQuantity(q);
/** Beyond this, milli-values would overflow Kubernetes' int64 (resource.MaxMilliValue). */
const MAX_MILLI_VALUE = Number(9223372036854775n);

/** The max/min ratio bound, compared at milli precision when nothing overflows. */
function ratioBound(ratio: string | number, min: string | number, max: string | number): { value: number; bound: number } {
  const precise = quantityValue(ratio) < MAX_MILLI_VALUE && quantityValue(min) < MAX_MILLI_VALUE && quantityValue(max) < MAX_MILLI_VALUE;
  if (precise) return { value: quantityMilliValue(ratio) / 1000, bound: quantityMilliValue(max) / quantityMilliValue(min) };
  return { value: quantityValue(ratio), bound: quantityValue(max) / quantityValue(min) };
}

/** The cross-field rules for one resource of one item (min <= defaultRequest <= default <= max...). */
function validateKey(item: LimitRangeItem, k: string, defaults: boolean, f: string): StatusCause[] {
  const min = item.min?.[k];
  const max = item.max?.[k];
  const dflt = defaults ? item.default?.[k] : undefined;
  const request = defaults ? item.defaultRequest?.[k] : undefined;
  const ratio = item.maxLimitRequestRatio?.[k];
  const out: StatusCause[] = [];
  /** The canonical spellings of a and b when both are set and a > b. */
  const over = (a: string | number | undefined, b: string | number | undefined): [string, string] | undefined =>
    a !== undefined && b !== undefined && compareQuantities(a, b) > 0 ? [str(a), str(b)] : undefined;
  let p: [string, string] | undefined;
  if ((p = over(min, max))) out.push(invalid(`${f}.min[${k}]`, p[0], `min value ${p[0]} is greater than max value ${p[1]}`));
  if ((p = over(min, request))) out.push(invalid(`${f}.defaultRequest[${k}]`, p[1], `min value ${p[0]} is greater than default request value ${p[1]}`));
  if ((p = over(request, max))) out.push(invalid(`${f}.defaultRequest[${k}]`, p[0], `default request value ${p[0]} is greater than max value ${p[1]}`));
  if ((p = over(request, dflt))) out.push(invalid(`${f}.defaultRequest[${k}]`, p[0], `default request value ${p[0]} is greater than default limit value ${p[1]}`));
  // Kubernetes quotes min and max (not the default) as the values of these two.
  if ((p = over(min, dflt))) out.push(invalid(`${f}.default[${k}]`, p[0], `min value ${p[0]} is greater than default value ${p[1]}`));
  if ((p = over(dflt, max))) out.push(invalid(`${f}.default[${k}]`, p[1], `default value ${p[0]} is greater than max value ${p[1]}`));
  if (ratio !== undefined && compareQuantities(ratio, 1) < 0) out.push(invalid(`${f}.maxLimitRequestRatio[${k}]`, str(ratio), `ratio ${str(ratio)} is less than 1`));
  if (ratio !== undefined && min !== undefined && max !== undefined) {
    const { value, bound } = ratioBound(ratio, min, max);
    if (value > bound) out.push(invalid(`${f}.maxLimitRequestRatio[${k}]`, str(ratio), `ratio ${str(ratio)} is greater than max/min = ${bound.toFixed(6)}`));
  }
  // GPUs, hugepages and other resources that cannot be overcommitted: request must equal limit.
  if (!isOvercommitAllowed(k) && dflt !== undefined && request !== undefined && compareQuantities(dflt, request) !== 0) {
    out.push(invalid(`${f}.defaultRequest[${k}]`, str(request), `default value ${str(dflt)} must equal to defaultRequest value ${str(request)} in ${k}`));
  }
  return out;
}

const allValid = (item: LimitRangeItem): boolean =>
  [item.max, item.min, item.default, item.defaultRequest, item.maxLimitRequestRatio].every((l) => Object.values(l ?? {}).every(isValidQuantity));

function validateItem(item: LimitRangeItem, f: string): StatusCause[] {
  const out = [...validateTypeName(item.type, `${f}.type`), ...validateNames(item.type, item.max, `${f}.max`), ...validateNames(item.type, item.min, `${f}.min`)];
  const pod = item.type === 'Pod';
  if (pod) {
    if (Object.keys(item.default ?? {}).length > 0) out.push(forbidden(`${f}.default`, "may not be specified when `type` is 'Pod'"));
    if (Object.keys(item.defaultRequest ?? {}).length > 0) out.push(forbidden(`${f}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
  } else {
    out.push(...validateNames(item.type, item.default, `${f}.default`), ...validateNames(item.type, item.defaultRequest, `${f}.defaultRequest`));
  }
  if (item.type === 'PersistentVolumeClaim' && item.min?.storage === undefined && item.max?.storage === undefined) {
    out.push(required(`${f}.limits`, 'Required value: either minimum or maximum storage value is required, but neither was provided'));
  }
  out.push(...validateNames(item.type, item.maxLimitRequestRatio, `${f}.maxLimitRequestRatio`));
  if (!allValid(item)) return out; // the schema reports malformed quantities
  for (const k of keysOf(item, !pod)) out.push(...validateKey(item, k, !pod, f));
  return out;
}

export function validateLimitRangeSpec(spec: LimitRangeSpec | undefined): StatusCause[] {
  const out: StatusCause[] = [];
  const types = new Set<string>();
  spec?.limits.forEach((item, i) => {
    const f = `spec.limits[${i}]`;
    out.push(...validateItem(item, f));
    if (types.has(item.type)) out.push(duplicate(`${f}.type`, item.type));
    types.add(item.type);
  });
  return out;
}

export const LimitRangeResource = defineResource<LimitRange>({
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  plural: 'limitranges',
  shortNames: ['limits'],
  namespaced: true,
  schema: LimitRange,
  defaults: (lr) => lr.spec?.limits.forEach(defaultLimitRangeItem),
  validate: (lr) => validateLimitRangeSpec(lr.spec),
});
