// Finds the fields of an object that its kind's schema does not know, and removes them, as the
// Kubernetes apiserver does when decoding (fieldValidation: Strict rejects them, Warn drops them
// with a warning, Ignore drops them silently). Maps (patternProperties/additionalProperties) and
// untyped parts (schemas without properties) accept any key.
import { itemSchema, objectBranch, propertySchema, type JsonSchema } from './patch/schema.js';

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function walk(schema: JsonSchema | undefined, value: unknown, path: string, out: string[], prune: boolean): void {
  if (schema === undefined) return;
  if (Array.isArray(value)) {
    const items = itemSchema(schema);
    value.forEach((v, i) => walk(items, v, `${path}[${i}]`, out, prune));
    return;
  }
  if (!isPlainObject(value) || objectBranch(schema) === undefined) return;
  for (const key of Object.keys(value)) {
    const sub = propertySchema(schema, key);
    const field = path ? `${path}.${key}` : key;
    if (sub === undefined) {
      out.push(field);
      if (prune) delete value[key];
      continue;
    }
    walk(sub, value[key], field, out, prune);
  }
}

/** Paths (`spec.containers[0].imagee`) of the fields `schema` does not define. */
export function unknownFields(schema: JsonSchema, value: unknown): string[] {
  const out: string[] = [];
  walk(schema, value, '', out, false);
  return out;
}

/** Removes unknown fields in place and returns their paths. */
export function pruneUnknownFields(schema: JsonSchema, value: unknown): string[] {
  const out: string[] = [];
  walk(schema, value, '', out, true);
  return out;
}
