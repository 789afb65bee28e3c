// Decodes request bodies in Kubernetes' protobuf encoding (`application/vnd.kubernetes.protobuf`).
//
// Why: kubectl's typed clients send protobuf whatever the server advertises, and do not fall back
// to JSON on a 415; `kubectl create namespace|configmap|secret` are such clients. Answers are still
// JSON (kubectl accepts both). Only the kinds those commands send are described (protobuf-kinds.ts);
// any other kind is a 415 naming the JSON alternatives.
//
// Wire format: the 4-byte magic `k8s\0`, then a runtime.Unknown message
// {1: TypeMeta {1: apiVersion, 2: kind}, 2: raw (the object's own message), 3: contentEncoding,
// 4: contentType}. Messages use the standard protobuf encoding (varints, length-delimited fields).
import { badRequest, unsupportedMediaType } from '@kite/apimachinery';
import { messageForKind, type FieldSpec, type MessageSpec } from './protobuf-kinds.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
/**
 * Unset times: kubectl sends an unset metav1.Time as an empty message (seconds 0); Go's zero
 * time.Time in Unix seconds is the other spelling of "no time".
 */
const UNSET_TIME_SECONDS = [0n, -62135596800n];

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

type Json = { [key: string]: unknown };

/** A field as read off the wire: its number and its raw value. */
interface WireField {
  number: number;
  varint?: bigint;
  bytes?: Buffer;
}

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.buf[this.pos++];
      if (b === undefined) throw badRequest('protobuf body is truncated');
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asIntN(64, result);
    }
    throw badRequest('protobuf body has an overlong varint');
  }

  take(n: number): Buffer {
    if (n < 0 || this.pos + n > this.buf.length) throw badRequest('protobuf body is truncated');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  field(): WireField {
    const key = Number(this.varint());
    const number = key >>> 3;
    switch (key & 7) {
      case WIRE_VARINT:
        return { number, varint: this.varint() };
      case WIRE_LEN:
        return { number, bytes: this.take(Number(this.varint())) };
      case WIRE_I64:
        this.take(8);
        return { number };
      case WIRE_I32:
        this.take(4);
        return { number };
      default:
        throw badRequest(`protobuf body has an unsupported wire type ${key & 7}`);
    }
  }
}

function fields(buf: Buffer): WireField[] {
  const r = new Reader(buf);
  const out: WireField[] = [];
  while (!r.done()) out.push(r.field());
  return out;
}

/** metav1.Time {1: seconds, 2: nanos} as RFC 3339 (to the second, as Kubernetes' JSON); unset is undefined. */
function decodeTime(buf: Buffer): string | undefined {
  let seconds = 0n;
  for (const f of fields(buf)) if (f.number === 1 && f.varint !== undefined) seconds = f.varint;
  if (UNSET_TIME_SECONDS.includes(seconds)) return undefined;
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A map entry {1: key, 2: value}. */
function decodeEntry(buf: Buffer, value: FieldSpec['type']): [string, string] {
  let k = '';
  let v = '';
  for (const f of fields(buf)) {
    if (f.number === 1 && f.bytes) k = f.bytes.toString('utf8');
    if (f.number === 2 && f.bytes) v = value === 'bytesMap' ? f.bytes.toString('base64') : value === 'quantityMap' ? decodeQuantity(f.bytes) : f.bytes.toString('utf8');
  }
  return [k, v];
}

/** resource.Quantity {1: string}: its canonical string, as in JSON. */
function decodeQuantity(buf: Buffer): string {
  const f = fields(buf).find((x) => x.number === 1 && x.bytes);
  return f?.bytes?.toString('utf8') ?? '';
}

/** intstr.IntOrString {1: type (0 int, 1 string), 2: intVal, 3: strVal}: a number or a string, as in JSON. */
function decodeIntOrString(buf: Buffer): number | string {
  let type = 0n;
  let intVal = 0;
  let strVal = '';
  for (const f of fields(buf)) {
    if (f.number === 1 && f.varint !== undefined) type = f.varint;
    if (f.number === 2 && f.varint !== undefined) intVal = Number(BigInt.asIntN(32, f.varint));
    if (f.number === 3 && f.bytes) strVal = f.bytes.toString('utf8');
  }
  return type === 1n ? strVal : intVal;
}

/** A scalar or nested value; undefined for the zero values Go's JSON would omit. */
function decodeValue(f: WireField, spec: FieldSpec): unknown {
  switch (spec.type) {
    case 'string':
      return f.bytes?.toString('utf8');
    case 'int':
      return f.varint === undefined ? undefined : Number(BigInt.asIntN(64, f.varint));
    case 'intOrString':
      return f.bytes ? decodeIntOrString(f.bytes) : undefined;
    case 'quantity':
      return f.bytes ? decodeQuantity(f.bytes) : undefined;
    case 'bool':
      return f.varint === undefined ? undefined : f.varint !== 0n;
    case 'time':
      return f.bytes ? decodeTime(f.bytes) : undefined;
    case 'message':
      return f.bytes && spec.message ? decodeMessage(f.bytes, spec.message) : undefined;
    default:
      return undefined;
  }
}

function isZero(v: unknown): boolean {
  return v === undefined || v === '' || v === 0 || v === false || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
}

/** Decodes one message by its spec into the object Kubernetes' JSON encoding would give. */
export function decodeMessage(buf: Buffer, spec: MessageSpec): Json {
  const out: Json = {};
  for (const f of fields(buf)) {
    const field = spec[f.number];
    if (!field) continue;
    if (field.type === 'stringMap' || field.type === 'bytesMap' || field.type === 'quantityMap') {
      if (!f.bytes) continue;
      const [k, v] = decodeEntry(f.bytes, field.type);
      out[field.name] = { ...((out[field.name] as Json | undefined) ?? {}), [k]: v };
      continue;
    }
    const value = decodeValue(f, field);
    if (field.inline) {
      Object.assign(out, value);
    } else if (field.repeated) {
      if (value !== undefined) out[field.name] = [...((out[field.name] as unknown[] | undefined) ?? []), value];
    } else if (field.pointer ? value !== undefined : !isZero(value)) {
      out[field.name] = value;
    }
  }
  return out;
}

/** Decodes a `k8s\0`-prefixed runtime.Unknown body into the object it carries. */
export function decodeProtobufObject(body: Buffer): Json {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) throw badRequest('protobuf body does not start with the Kubernetes magic number');
  let apiVersion = '';
  let kind = '';
  let raw: Buffer | undefined;
  for (const f of fields(body.subarray(MAGIC.length))) {
    if (f.number === 1 && f.bytes) {
      for (const t of fields(f.bytes)) {
        if (t.number === 1 && t.bytes) apiVersion = t.bytes.toString('utf8');
        if (t.number === 2 && t.bytes) kind = t.bytes.toString('utf8');
      }
    }
    if (f.number === 2 && f.bytes) raw = f.bytes;
  }
  const spec = messageForKind(apiVersion, kind);
  if (!spec) throw unsupportedMediaType(['application/json', 'application/yaml']);
  return { apiVersion, kind, ...decodeMessage(raw ?? Buffer.alloc(0), spec) };
}
