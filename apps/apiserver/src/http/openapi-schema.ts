// Turns the TypeBox schemas of packages/api-types (the ones that validate requests) into OpenAPI 3.0
// schema objects, so the published document can never drift from what the server enforces.
//
// Why a conversion at all: TypeBox emits JSON Schema (draft 2019+), and OpenAPI 3.0 is a dialect of
// an older draft. The differences that matter here:
// - `const` (Type.Literal) becomes a one-value `enum`; a union of literals becomes one `enum`.
// - `patternProperties` (Type.Record) becomes `additionalProperties`.
// - a union with `null` becomes `nullable: true`; an int-or-string union becomes Kubernetes'
//   structural form (`x-kubernetes-int-or-string` with `anyOf: [integer, string]`).
// - TypeBox's symbols (Kind, Optional) are dropped: only string keys are read, and an optional
//   property is already absent from its object's `required` list.
// - `description` and every `x-kubernetes-*` extension are kept, since strategic merge patch in
//   kubectl reads the merge keys from them.
// Schemas that `nameOf` names are emitted once into `components` and referenced with `$ref`.

/** A plain, JSON-serialisable OpenAPI schema object. */
export type OpenApiSchema = { [key: string]: unknown };

type Node = Readonly<Record<string, unknown>>;

/** Keywords copied unchanged: OpenAPI 3.0 means by them what JSON Schema does. */
const PLAIN_KEYWORDS = new Set([
  'title',
  'description',
  'default',
  'format',
  'pattern',
  'multipleOf',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'required',
  'enum',
  'readOnly',
  'writeOnly',
  'deprecated',
  'nullable',
]);

/** Keys a wrapper around a `$ref` keeps (OpenAPI 3.0 ignores siblings of `$ref` itself). */
const ANNOTATIONS = ['description', 'title', 'default'];

const INT_OR_STRING = 'x-kubernetes-int-or-string';

function asNode(x: unknown): Node | undefined {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Node) : undefined;
}

/** A deep copy through JSON, which also drops symbols and functions. */
function plain(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

function jsonTypeOf(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return typeof value;
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return undefined;
}

/** The values a node admits when it is a literal (`const`) or an `enum`; undefined otherwise. */
function literalValues(n: Node): unknown[] | undefined {
  if ('const' in n) return [n.const];
  return Array.isArray(n.enum) ? n.enum : undefined;
}

function isNullNode(n: Node): boolean {
  return n.type === 'null' || (Array.isArray(n.enum) && n.enum.length === 1 && n.enum[0] === null);
}

export interface ConverterOptions {
  /** `#/components/schemas/` for OpenAPI 3.0. */
  refPrefix: string;
  /** The component name of a schema to emit once and reference, or undefined to inline it. */
  nameOf: (schema: Node) => string | undefined;
  /** The schema to emit component `name` from, when it is not the schema where it was met. */
  canonicalOf?: (name: string) => unknown;
}

/**
 * Converts schemas into OpenAPI 3.0, collecting named ones in `components`. One converter serves one
 * document, so each named schema is emitted once per document.
 */
export class SchemaConverter {
  readonly components: Record<string, OpenApiSchema> = {};

  constructor(private readonly opts: ConverterOptions) {}

  /** The OpenAPI form of `schema`: a `$ref` when it is named, otherwise inline. */
  convert(schema: unknown): OpenApiSchema {
    const node = asNode(schema);
    if (!node) return {};
    const name = this.opts.nameOf(node);
    if (name === undefined) return this.body(node);
    this.define(name, node);
    return { $ref: `${this.opts.refPrefix}${name}` };
  }

  /** Emits `schema` as component `name` (once) and returns the component. */
  define(name: string, schema: unknown, extra: OpenApiSchema = {}): OpenApiSchema {
    const existing = this.components[name];
    if (existing) return existing;
    // Placeholder first: a schema that (indirectly) contains itself then meets a `$ref`.
    const component: OpenApiSchema = {};
    this.components[name] = component;
    const source = asNode(this.opts.canonicalOf?.(name)) ?? asNode(schema) ?? {};
    Object.assign(component, this.body(source), extra);
    return component;
  }

  /** The schema itself, never a `$ref` to it (its children may be). */
  private body(n: Node): OpenApiSchema {
    if (Array.isArray(n.anyOf) || Array.isArray(n.oneOf)) return this.union(n);
    if (Array.isArray(n.allOf)) return this.intersection(n);
    const out: OpenApiSchema = {};
    for (const [key, value] of Object.entries(n)) {
      if (key.startsWith('x-') || PLAIN_KEYWORDS.has(key)) out[key] = plain(value);
    }
    this.typeOf(n, out);
    if ('const' in n) out.enum = [plain(n.const)];
    if (typeof n.exclusiveMinimum === 'number') Object.assign(out, { minimum: n.exclusiveMinimum, exclusiveMinimum: true });
    if (typeof n.exclusiveMaximum === 'number') Object.assign(out, { maximum: n.exclusiveMaximum, exclusiveMaximum: true });
    if (Array.isArray(n.examples) && n.examples.length > 0) out.example = plain(n.examples[0]);
    this.structure(n, out);
    if (Object.keys(out).every((k) => ANNOTATIONS.includes(k))) out['x-kubernetes-preserve-unknown-fields'] = true;
    return out;
  }

  /** `type`, which OpenAPI 3.0 allows only as a single name; `['string', 'null']` is nullable. */
  private typeOf(n: Node, out: OpenApiSchema): void {
    const types = Array.isArray(n.type) ? n.type.filter((t): t is string => typeof t === 'string') : typeof n.type === 'string' ? [n.type] : [];
    const nonNull = types.filter((t) => t !== 'null');
    if (nonNull.length < types.length) out.nullable = true;
    if (nonNull.length === 1) out.type = nonNull[0];
    else if (nonNull.length > 1) out.anyOf = nonNull.map((type) => ({ type }));
    if (out.type === undefined && 'const' in n) {
      const t = jsonTypeOf(n.const);
      if (t) out.type = t;
    }
  }

  /** Properties, items and maps. */
  private structure(n: Node, out: OpenApiSchema): void {
    const props = asNode(n.properties);
    if (props) {
      out.properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, this.property(v)]));
      if (Array.isArray(n.required) && n.required.length === 0) delete out.required;
    }
    if (Array.isArray(n.items)) out.items = n.items.length === 1 ? this.property(n.items[0]) : {};
    else if (asNode(n.items)) out.items = this.property(n.items);
    const patterns = asNode(n.patternProperties);
    const values = patterns ? Object.values(patterns) : [];
    if (values.length === 1) out.additionalProperties = this.property(values[0]);
    else if (values.length > 1) out.additionalProperties = { anyOf: values.map((v) => this.property(v)) };
    if (typeof n.additionalProperties === 'boolean') out.additionalProperties = n.additionalProperties;
    else if (asNode(n.additionalProperties)) out.additionalProperties = this.property(n.additionalProperties);
  }

  /**
   * A schema in a property or item position. A named one that carries its own annotations (a
   * description given with Type.Optional or at the use site) becomes `allOf: [{$ref}]` beside them,
   * the form Kubernetes uses, so the description survives.
   */
  private property(schema: unknown): OpenApiSchema {
    const converted = this.convert(schema);
    if (converted.$ref === undefined) return converted;
    const n = asNode(schema) ?? {};
    const name = String(converted.$ref).slice(this.opts.refPrefix.length);
    const component = this.components[name] ?? {};
    const own: OpenApiSchema = {};
    for (const key of ANNOTATIONS) if (n[key] !== undefined && n[key] !== component[key]) own[key] = plain(n[key]);
    return Object.keys(own).length === 0 ? converted : { allOf: [converted], ...own };
  }

  private annotations(n: Node): OpenApiSchema {
    const out: OpenApiSchema = {};
    for (const [key, value] of Object.entries(n)) if (key.startsWith('x-') || ANNOTATIONS.includes(key)) out[key] = plain(value);
    return out;
  }

  /** anyOf/oneOf: literal unions become an enum, `| null` becomes nullable, int-or-string its K8s form. */
  private union(n: Node): OpenApiSchema {
    const out = this.annotations(n);
    const members = [...(Array.isArray(n.anyOf) ? n.anyOf : []), ...(Array.isArray(n.oneOf) ? n.oneOf : [])].map((m) => asNode(m) ?? {});
    if (n[INT_OR_STRING] === true) return { ...out, format: 'int-or-string', anyOf: [{ type: 'integer' }, { type: 'string' }] };
    const rest = members.filter((m) => !isNullNode(m));
    if (rest.length < members.length) out.nullable = true;
    if (rest.length === 0) return out;
    const literals = rest.map(literalValues);
    const types = new Set(rest.flatMap((m, i) => (typeof m.type === 'string' ? [m.type] : (literals[i] ?? []).map(jsonTypeOf))));
    if (rest.length > 0 && literals.every((l) => l !== undefined) && types.size === 1) {
      return { ...out, type: [...types][0], enum: literals.flat().map(plain) };
    }
    if (rest.length === 1) {
      const only = this.property(rest[0]);
      return only.$ref !== undefined ? { ...out, allOf: [only] } : { ...only, ...out };
    }
    const converted = rest.map((m) => this.property(m));
    const memberTypes = converted.map((c) => c.type);
    const disjoint = memberTypes.every((t) => typeof t === 'string') && new Set(memberTypes).size === memberTypes.length && !(memberTypes.includes('integer') && memberTypes.includes('number'));
    return { ...out, [disjoint ? 'oneOf' : 'anyOf']: converted };
  }

  /** allOf (Type.Intersect): object members merge into one object, as strategic merge patch needs. */
  private intersection(n: Node): OpenApiSchema {
    const members = (n.allOf as unknown[]).map((m) => this.convert(m));
    const out = this.annotations(n);
    if (!members.every((m) => m.type === 'object' && m.$ref === undefined)) return { ...out, allOf: members };
    const required = new Set<string>();
    const properties: OpenApiSchema = {};
    for (const m of members) {
      Object.assign(properties, asNode(m.properties) ?? {});
      for (const r of Array.isArray(m.required) ? m.required : []) required.add(String(r));
    }
    return { ...out, type: 'object', properties, ...(required.size > 0 ? { required: [...required] } : {}) };
  }
}
