// Serialises objects for the Lua scripts: the JSON is split around metadata.resourceVersion, which
// always comes first in metadata, so the script can splice in the revision it takes.
//
// Resources with encryption at rest (encryption/config.ts) are stored as an envelope that keeps in
// the clear only what the scripts and the key layout already hold (kind, name, namespace and the
// revision); everything else, annotations included (kubectl's last-applied-configuration repeats
// a Secret's data), is sealed in one `k8s:enc` field with the object's key as context.
import type { KubeObject } from '@kite/api-types';
import type { ResourceTransformer } from './encryption/transformer.js';
import { objectKey } from './keys.js';

export interface SplitJson {
  head: string;
  tail: string;
}

const ENVELOPE_FIELD = 'k8s:enc';

function inner(json: string): string {
  return json.length > 2 ? json.slice(1, -1) : '';
}

function split(apiVersion: string, kind: string, metaInner: string, restInner: string): SplitJson {
  const head = `{"apiVersion":${JSON.stringify(apiVersion)},"kind":${JSON.stringify(kind)},"metadata":{"resourceVersion":"`;
  const tail = `"${metaInner ? `,${metaInner}` : ''}}${restInner ? `,${restInner}` : ''}}`;
  return { head, tail };
}

export function splitForWrite(obj: KubeObject): SplitJson {
  const { apiVersion, kind, metadata, ...rest } = obj as KubeObject & Record<string, unknown>;
  const { resourceVersion: _rv, ...meta } = metadata;
  return split(apiVersion, kind, inner(JSON.stringify(meta)), inner(JSON.stringify(rest)));
}

export function decode<T extends KubeObject>(json: string): T {
  return JSON.parse(json) as T;
}

type Envelope = KubeObject & { [ENVELOPE_FIELD]?: string };

/** Encodes and decodes stored values, sealing the resources an EncryptionConfiguration names. */
export class StorageCodec {
  /** Objects read under an older key (or in plaintext) that a write would re-seal: Kubernetes' "stale". */
  private readonly stale = new WeakSet<object>();

  constructor(private readonly transformers: ReadonlyMap<string, ResourceTransformer> = new Map()) {}

  get encrypts(): boolean {
    return this.transformers.size > 0;
  }

  splitForWrite(resource: string, obj: KubeObject): SplitJson {
    const t = this.transformers.get(resource);
    if (!t || t.writesPlaintext) return splitForWrite(obj);
    const { resourceVersion: _rv, ...meta } = obj.metadata;
    const namespace = meta.namespace ?? '';
    const name = meta.name ?? '';
    const context = objectKey({ resource, namespace, name });
    const sealed = t.seal(JSON.stringify({ ...obj, metadata: meta }), context);
    const clear = inner(JSON.stringify({ name, ...(namespace ? { namespace } : {}) }));
    return split(obj.apiVersion, obj.kind, clear, inner(JSON.stringify({ [ENVELOPE_FIELD]: sealed })));
  }

  decode<T extends KubeObject>(resource: string, json: string): T {
    const obj = JSON.parse(json) as Envelope;
    const t = this.transformers.get(resource);
    const sealed = obj[ENVELOPE_FIELD];
    if (sealed === undefined) {
      if (t && !t.writesPlaintext) this.stale.add(obj);
      if (t && !t.readsPlaintext) throw new Error(`${objectKey({ resource, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' })}: stored in plaintext, and the encryption config has no identity provider to read it`);
      return obj as T;
    }
    if (!t) throw new Error(`${resource}: the stored value is encrypted, and the encryption config names no provider for it`);
    const context = objectKey({ resource, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' });
    const opened = t.open(sealed, context);
    const plain = JSON.parse(opened.plain) as KubeObject;
    const out = { ...plain, metadata: { resourceVersion: obj.metadata.resourceVersion, ...plain.metadata } };
    if (opened.stale || t.writesPlaintext) this.stale.add(out);
    return out as T;
  }

  /** Whether `obj`, as decoded, was stored otherwise than a write would store it now. */
  isStale(obj: object): boolean {
    return this.stale.has(obj);
  }
}
