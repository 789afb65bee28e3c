// Helpers to build field-level causes in Kubernetes' notation (`spec.containers[0].name`).
import type { CauseType, StatusCause } from '../meta/v1.js';

export function cause(reason: CauseType, field: string, message: string): StatusCause {
  return { reason, field, message };
}

export const invalid = (field: string, value: unknown, detail: string): StatusCause =>
  cause('FieldValueInvalid', field, `Invalid value: ${JSON.stringify(value)}: ${detail}`);
export const required = (field: string, detail = 'Required value'): StatusCause => cause('FieldValueRequired', field, detail);
export const notSupported = (field: string, value: unknown, allowed: readonly string[]): StatusCause =>
  cause('FieldValueNotSupported', field, `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => `"${a}"`).join(', ')}`);
export const duplicate = (field: string, value: unknown): StatusCause => cause('FieldValueDuplicate', field, `Duplicate value: ${JSON.stringify(value)}`);
export const forbidden = (field: string, detail: string): StatusCause => cause('FieldValueForbidden', field, `Forbidden: ${detail}`);
export const tooLong = (field: string, max: number): StatusCause => cause('FieldValueTooLong', field, `Too long: may not be more than ${max} bytes`);

/**
 * Converts a JSON pointer (`/spec/containers/0/name`) into Kubernetes' field notation
 * (`spec.containers[0].name`). Map keys that are not identifiers are bracketed and quoted.
 */
export function pointerToField(pointer: string): string {
  if (pointer === '' || pointer === '/') return '';
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let out = '';
  for (const seg of segments) {
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export const tooMany = (field: string, actual: number, max: number): StatusCause =>
  cause('FieldValueTooMany', field, `Too many: ${actual}: must have at most ${max} items`);
