// The three LimitRange constraints (min, max, maxLimitRequestRatio) and the pod totals they are
// checked against, with Kubernetes' messages (plugin/pkg/admission/limitranger): each refusal
// names the resource, the limit type, the bound and what the object asked for, all in canonical
// quantity spelling (`maximum cpu usage per Container is 1, but limit is 2`).
import { canonicalQuantity, compareQuantities, formatQuantity, quantityMilliValue, quantityValue, type Container, type PodSpec } from '@kite/api-types';

export type Quantity = string | number;
export type Quantities = Record<string, Quantity>;

/** resource.MaxMilliValue: beyond it Kubernetes compares whole values, since milli-values overflow int64. */
const MAX_MILLI_VALUE = Number(9223372036854775n);

/**
 * Request, limit and bound at a common precision (requestLimitEnforcedValues): milli-values when
 * none overflows, else whole values. A missing quantity counts as zero.
 */
function common(req: Quantity | undefined, lim: Quantity | undefined, bound: Quantity): [number, number, number] {
  const v = (q: Quantity | undefined) => (q === undefined ? 0 : quantityValue(q));
  const m = (q: Quantity | undefined) => (q === undefined ? 0 : quantityMilliValue(q));
  if (v(req) <= MAX_MILLI_VALUE && v(lim) <= MAX_MILLI_VALUE && v(bound) <= MAX_MILLI_VALUE) return [m(req), m(lim), m(bound)];
  return [v(req), v(lim), v(bound)];
}

const s = canonicalQuantity;

export function minConstraint(type: string, resource: string, bound: Quantity, requests: Quantities, limits: Quantities): string | undefined {
  const req = requests[resource];
  const lim = limits[resource];
  const [r, l, b] = common(req, lim, bound);
  if (req === undefined) return `minimum ${resource} usage per ${type} is ${s(bound)}.  No request is specified`;
  if (r < b) return `minimum ${resource} usage per ${type} is ${s(bound)}, but request is ${s(req)}`;
  if (lim !== undefined && l < b) return `minimum ${resource} usage per ${type} is ${s(bound)}, but limit is ${s(lim)}`;
  return undefined;
}

export function maxConstraint(type: string, resource: string, bound: Quantity, requests: Quantities, limits: Quantities): string | undefined {
  const req = requests[resource];
  const lim = limits[resource];
  const [r, l, b] = common(req, lim, bound);
  if (lim === undefined) return `maximum ${resource} usage per ${type} is ${s(bound)}.  No limit is specified`;
  if (l > b) return `maximum ${resource} usage per ${type} is ${s(bound)}, but limit is ${s(lim)}`;
  if (req !== undefined && r > b) return `maximum ${resource} usage per ${type} is ${s(bound)}, but request is ${s(req)}`;
  return undefined;
}

/** For claims, whose limits are not user input: only the request is bounded. */
export function maxRequestConstraint(type: string, resource: string, bound: Quantity, requests: Quantities): string | undefined {
  const req = requests[resource];
  const [r, , b] = common(req, undefined, bound);
  if (req === undefined) return `maximum ${resource} usage per ${type} is ${s(bound)}.  No request is specified`;
  if (r > b) return `maximum ${resource} usage per ${type} is ${s(bound)}, but request is ${s(req)}`;
  return undefined;
}

/** limit/request may not exceed the ratio; e.g. ratio 2 with request 1 and limit 3 is "3.000000". */
export function ratioConstraint(type: string, resource: string, bound: Quantity, requests: Quantities, limits: Quantities): string | undefined {
  const [r, l] = common(requests[resource], limits[resource], bound);
  const prefix = `${resource} max limit to request ratio per ${type} is ${s(bound)}`;
  if (r === 0) return `${prefix}, but no request is specified or request is 0`;
  if (l === 0) return `${prefix}, but no limit is specified or limit is 0`;
  const observed = l / r;
  const precise = quantityValue(bound) <= MAX_MILLI_VALUE;
  const [have, allowed] = precise ? [observed * 1000, quantityMilliValue(bound)] : [observed, quantityValue(bound)];
  return have > allowed ? `${prefix}, but provided ratio is ${observed.toFixed(6)}` : undefined;
}

/** The format of a quantity, which sums keep (Quantity.Add keeps the receiver's). */
function formatOf(q: Quantity): 'BinarySI' | 'DecimalExponent' | 'DecimalSI' {
  if (typeof q === 'number') return 'DecimalSI';
  if (/i$/.test(q)) return 'BinarySI';
  return /[eE][+-]?[0-9]+$/.test(q) ? 'DecimalExponent' : 'DecimalSI';
}

/** a + b in canonical spelling, exact to the milli (500m + 1 = 1500m, 128Mi + 256Mi = 384Mi). */
export function addQuantities(a: Quantity, b: Quantity): string {
  return formatQuantity((quantityMilliValue(a) + quantityMilliValue(b)) / 1000, formatOf(a));
}

function addInto(into: Quantities, add: Quantities | undefined): void {
  for (const [k, q] of Object.entries(add ?? {})) {
    const cur = into[k];
    into[k] = cur === undefined ? q : addQuantities(cur, q);
  }
}

function maxInto(into: Quantities, other: Quantities): void {
  for (const [k, q] of Object.entries(other)) {
    const cur = into[k];
    if (cur === undefined || compareQuantities(q, cur) > 0) into[k] = q;
  }
}

/**
 * What a pod needs in total (podRequests / podLimits): the sum over its containers and sidecars
 * (init containers with restartPolicy Always), or the largest one-off init container (plus the
 * sidecars started before it), whichever is larger.
 * Example: containers 1 + 1 cpu, a sidecar 500m, an init container 3 → max(2.5, 3 + 0.5) = 3500m.
 */
export function podTotals(spec: PodSpec, pick: (c: Container) => Quantities | undefined): Quantities {
  const total: Quantities = {};
  for (const c of spec.containers ?? []) addInto(total, pick(c));
  const sidecars: Quantities = {};
  const inits: Quantities = {};
  for (const c of spec.initContainers ?? []) {
    if (c.restartPolicy === 'Always') {
      addInto(total, pick(c));
      addInto(sidecars, pick(c));
      maxInto(inits, sidecars);
    } else {
      const own: Quantities = {};
      addInto(own, pick(c));
      addInto(own, sidecars);
      maxInto(inits, own);
    }
  }
  maxInto(total, inits);
  return total;
}
