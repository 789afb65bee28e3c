// Validation of a whole object: schema (ajv, compiled once per kind), object metadata rules and the
// kind's own semantic rules. Returns every problem with its field path, never throws.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { KubeObject, ObjectMeta, StatusCause } from '../meta/v1.js';
import type { ResourceType } from '../registry.js';
import { cause, forbidden, invalid, notSupported, pointerToField, required, tooLong } from './causes.js';
import { ANNOTATIONS_TOTAL_MAX, checkDns1123Label, checkDns1123Subdomain, checkLabelValue, checkPathSegmentName, checkQualifiedName, type NameFormat } from './names.js';

const NAME_CHECKS: Record<NameFormat, (name: string) => string[]> = { 'dns-subdomain': checkDns1123Subdomain, 'dns-label': checkDns1123Label, 'path-segment': checkPathSegmentName };

// verbose: errors carry the offending value, so causes can quote it as Kubernetes does.
const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, verbose: true });
// OpenAPI formats the schemas name for documentation; their content is checked semantically.
ajv.addFormat('byte', true);
const compiled = new WeakMap<object, ValidateFunction>();

/** Object schemas with at least this many properties are compiled once and shared by reference. */
const SHARED_MIN_PROPERTIES = 3;
const sharedIds = new WeakMap<object, string>();
let sharedCount = 0;

/**
 * A copy of `schema` in which larger object sub-schemas become `$ref`s to schemas compiled once.
 * The kinds embed the same objects many times (Container in three lists, PodSpec in five kinds);
 * compiling each inline copy made the first validation of a pod-bearing kind take about a second.
 * The registry's schemas themselves stay untouched, since they also feed the OpenAPI document.
 */
function withSharedRefs(schema: unknown, root: boolean): unknown {
  if (Array.isArray(schema)) return schema.map((s) => withSharedRefs(s, false));
  if (schema === null || typeof schema !== 'object') return schema;
  const rec = schema as Record<string, unknown>;
  const props = rec.properties;
  if (!root && rec.type === 'object' && props && typeof props === 'object' && Object.keys(props).length >= SHARED_MIN_PROPERTIES) {
    let id = sharedIds.get(rec);
    if (!id) {
      id = `kite:shared:${sharedCount++}`;
      sharedIds.set(rec, id);
      ajv.addSchema({ ...(withSharedRefs(rec, true) as Record<string, unknown>), $id: id });
    }
    return { $ref: id };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) out[k] = withSharedRefs(v, false);
  return out;
}

function validatorFor(rt: ResourceType): ValidateFunction {
  let fn = compiled.get(rt.schema);
  if (!fn) {
    fn = ajv.compile(withSharedRefs(rt.schema, true) as object);
    compiled.set(rt.schema, fn);
  }
  return fn;
}

function ajvErrorToCause(err: ErrorObject): StatusCause {
  const field = pointerToField(err.instancePath);
  switch (err.keyword) {
    case 'required': {
      const missing = String((err.params as { missingProperty?: string }).missingProperty ?? '');
      return required(field ? `${field}.${missing}` : missing);
    }
    case 'type':
      return cause('FieldValueTypeInvalid', field, `Invalid value: expected ${String((err.params as { type?: string }).type)}`);
    case 'enum': {
      const allowed = (err.params as { allowedValues?: unknown[] }).allowedValues ?? [];
      return notSupported(field, err.data, allowed.map(String));
    }
    case 'const':
      return cause('FieldValueNotSupported', field, `Unsupported value: ${err.message ?? ''}`);
    default:
      return cause('FieldValueInvalid', field, `Invalid value: ${err.message ?? err.keyword}`);
  }
}

/** ajv reports each failing branch of a union; keep the most specific error per field. */
function schemaCauses(rt: ResourceType, obj: unknown): StatusCause[] {
  const fn = validatorFor(rt);
  if (fn(obj)) return [];
  const byField = new Map<string, StatusCause>();
  for (const err of fn.errors ?? []) {
    if (err.keyword === 'anyOf' || err.keyword === 'oneOf') continue;
    const c = ajvErrorToCause(err);
    if (!byField.has(c.field)) byField.set(c.field, c);
  }
  if (byField.size === 0) byField.set('', cause('FieldValueInvalid', '', 'Invalid value: object does not match its schema'));
  return [...byField.values()];
}

export interface MetaRules {
  namespaced: boolean;
  nameFormat: NameFormat;
}

/** Label keys and values (metadata.labels, selectors, nodeSelector), each problem at `field`. */
export function validateLabels(labels: Record<string, string> | undefined, field: string): StatusCause[] {
  return checkStringMap(field, labels, true);
}

/** Annotation keys and their total size. */
export function validateAnnotations(annotations: Record<string, string> | undefined, field: string): StatusCause[] {
  return checkStringMap(field, annotations, false);
}

function checkStringMap(field: string, map: Record<string, string> | undefined, values: boolean): StatusCause[] {
  const out: StatusCause[] = [];
  if (!map) return out;
  let total = 0;
  for (const [k, v] of Object.entries(map)) {
    for (const e of checkQualifiedName(k)) out.push(invalid(`${field}`, k, e));
    if (values) for (const e of checkLabelValue(v)) out.push(invalid(`${field}`, v, e));
    total += k.length + v.length;
  }
  if (!values && total > ANNOTATIONS_TOTAL_MAX) out.push(tooLong(field, ANNOTATIONS_TOTAL_MAX));
  return out;
}

/** Rules for metadata that every kind shares. */
export function validateObjectMeta(meta: ObjectMeta | undefined, rules: MetaRules): StatusCause[] {
  if (!meta) return [required('metadata')];
  const out: StatusCause[] = [];
  const nameCheck = NAME_CHECKS[rules.nameFormat];
  if (!meta.name && !meta.generateName) out.push(required('metadata.name', 'name or generateName is required'));
  if (meta.name) for (const e of nameCheck(meta.name)) out.push(invalid('metadata.name', meta.name, e));
  if (meta.generateName && !meta.name) {
    // generateName gets 5 random characters appended; the prefix alone must not make it invalid.
    const sample = `${meta.generateName}abcde`;
    for (const e of nameCheck(sample)) out.push(invalid('metadata.generateName', meta.generateName, e));
  }
  if (rules.namespaced) {
    if (meta.namespace) for (const e of checkDns1123Label(meta.namespace)) out.push(invalid('metadata.namespace', meta.namespace, e));
  } else if (meta.namespace) {
    out.push(forbidden('metadata.namespace', 'not allowed on this type'));
  }
  out.push(...checkStringMap('metadata.labels', meta.labels, true));
  out.push(...checkStringMap('metadata.annotations', meta.annotations, false));
  meta.ownerReferences?.forEach((ref, i) => {
    if (!ref.uid) out.push(required(`metadata.ownerReferences[${i}].uid`));
    if (!ref.name) out.push(required(`metadata.ownerReferences[${i}].name`));
  });
  if (meta.ownerReferences && meta.ownerReferences.filter((r) => r.controller).length > 1) {
    out.push(invalid('metadata.ownerReferences', 'controller', 'Only one reference can have Controller set to true'));
  }
  meta.finalizers?.forEach((f, i) => {
    for (const e of checkQualifiedName(f)) out.push(invalid(`metadata.finalizers[${i}]`, f, e));
  });
  return out;
}

/** Everything wrong with an object of this kind, with field paths. Empty when the object is valid. */
export function validateResource<T extends KubeObject>(rt: ResourceType<T>, obj: T, old?: T): StatusCause[] {
  const schema = schemaCauses(rt as unknown as ResourceType, obj);
  const meta = validateObjectMeta(obj.metadata, { namespaced: rt.namespaced, nameFormat: rt.nameFormat });
  // Semantic rules assume the shapes the schema guarantees; run them only on schema-valid objects.
  const semantic = schema.length === 0 ? rt.validate(obj, old) : [];
  return [...schema, ...meta, ...semantic];
}
