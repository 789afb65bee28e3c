// Field-level checks shared by several kinds (ports, IPs, quantities, selectors, immutability).
// Each returns causes already attached to the field path it was given.
import type { LabelSelector, StatusCause } from '../meta/v1.js';
import { isValidQuantity, parseQuantity } from '../quantity.js';
import { deepEqual } from '../util/equal.js';
import { isIP, isIPv4, isIPv6 } from '../util/ip.js';
import { forbidden, invalid, required } from './causes.js';
import { checkDns1123Label, checkDns1123Subdomain, checkIanaSvcName, checkQualifiedName } from './names.js';
import { validateLabels } from './validate.js';

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

const each = (field: string, value: unknown, errs: string[]): StatusCause[] => errs.map((e) => invalid(field, value, e));

export const validateDns1123Label = (value: string, field: string): StatusCause[] => each(field, value, checkDns1123Label(value));
export const validateDns1123Subdomain = (value: string, field: string): StatusCause[] => each(field, value, checkDns1123Subdomain(value));
export const validateQualifiedName = (value: string, field: string): StatusCause[] => each(field, value, checkQualifiedName(value));
export const validatePortName = (value: string, field: string): StatusCause[] => each(field, value, checkIanaSvcName(value));

export function validateNonNegative(value: number | undefined, field: string): StatusCause[] {
  return value !== undefined && value < 0 ? [invalid(field, value, 'must be greater than or equal to 0')] : [];
}

export function validatePositive(value: number | undefined, field: string): StatusCause[] {
  return value !== undefined && value <= 0 ? [invalid(field, value, 'must be greater than 0')] : [];
}

export function validateRange(value: number | undefined, min: number, max: number, field: string): StatusCause[] {
  return value !== undefined && (value < min || value > max) ? [invalid(field, value, `must be between ${min} and ${max}, inclusive`)] : [];
}

export function validatePortNumber(port: number | undefined, field: string): StatusCause[] {
  return validateRange(port, MIN_PORT, MAX_PORT, field);
}

/** A port given as a number (1-65535) or as the name of a container port. */
export function validatePortNumOrName(port: number | string | undefined, field: string): StatusCause[] {
  if (port === undefined) return [required(field)];
  return typeof port === 'number' ? validatePortNumber(port, field) : validatePortName(port, field);
}

export { isIP, isIPv4, isIPv6 };

export function validateIP(value: string, field: string): StatusCause[] {
  return !isIP(value) ? [invalid(field, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')] : [];
}

export function validateCIDR(value: string, field: string): StatusCause[] {
  const [ip = '', prefix, extra] = value.split('/');
  const max = isIPv4(ip) ? 32 : isIPv6(ip) ? 128 : -1;
  const ok = extra === undefined && max > 0 && /^[0-9]+$/.test(prefix ?? '') && Number(prefix) <= max;
  return ok ? [] : [invalid(field, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

/** A quantity that must be well-formed and, for resources, not negative. */
export function validateQuantity(q: string | number | undefined, field: string): StatusCause[] {
  if (q === undefined) return [];
  if (!isValidQuantity(q)) return [invalid(field, q, "must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")];
  return parseQuantity(q) < 0 ? [invalid(field, q, 'must be greater than or equal to 0')] : [];
}

/** requests, limits, capacity, overhead: resource names are qualified names, values valid quantities. */
export function validateResourceList(list: Record<string, string | number> | undefined, field: string): StatusCause[] {
  const out: StatusCause[] = [];
  for (const [name, q] of Object.entries(list ?? {})) {
    const f = `${field}[${name}]`;
    out.push(...validateQualifiedName(name, f), ...validateQuantity(q, f));
  }
  return out;
}

/** Object-form selector: valid keys and values; In/NotIn need values, Exists/DoesNotExist take none. */
export function validateLabelSelector(selector: LabelSelector | undefined, field: string): StatusCause[] {
  if (!selector) return [];
  const out = validateLabels(selector.matchLabels, `${field}.matchLabels`);
  selector.matchExpressions?.forEach((req, i) => {
    const f = `${field}.matchExpressions[${i}]`;
    out.push(...validateQualifiedName(req.key, `${f}.key`));
    const n = req.values?.length ?? 0;
    if ((req.operator === 'In' || req.operator === 'NotIn') && n === 0) {
      out.push(required(`${f}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
    }
    if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && n > 0) {
      out.push(forbidden(`${f}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    }
  });
  return out;
}

/** An immutable field: changing it on update is Invalid with Kubernetes' message. */
export function validateImmutable(value: unknown, old: unknown, field: string): StatusCause[] {
  return deepEqual(value, old) ? [] : [invalid(field, value ?? null, 'field is immutable')];
}
