// pod-template-hash: a short, stable name for a pod template, used to name a Deployment's
// ReplicaSets (`web-7d9fbc5c8`) and as the label that keeps their pods apart.
//
// Contract:
// - Equal templates hash equally regardless of key order, and of null / {} / [] versus absent
//   (kubectl writes templates back with `creationTimestamp: null` and `resources: {}`): the
//   template is pruned and serialised canonically (canonical.ts) before hashing and comparing.
// - The `pod-template-hash` label itself is ignored, so a ReplicaSet's template (which carries
//   it) hashes like the Deployment template it came from.
// - `collisionCount` (from Deployment status) is mixed in, so when a hash names a ReplicaSet with
//   a different template, bumping the count yields a new name.
// - The result is the 32-bit FNV-1a hash written in a 27-character alphabet without vowels (and
//   without 0, 1, 3 that look like letters), so it never spells a word: at most 7 characters.
import type { PodTemplateSpec } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { semanticJson } from '../framework/canonical.js';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Digits of the hash's written form. */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** 32-bit FNV-1a over the UTF-8 bytes of `text`. */
export function fnv1a32(text: string): number {
  let h = FNV_OFFSET_BASIS;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

function encode(n: number): string {
  let out = '';
  let v = n;
  do {
    out = (ALPHABET[v % ALPHABET.length] ?? '') + out;
    v = Math.floor(v / ALPHABET.length);
  } while (v > 0);
  return out;
}

/** The template without the pod-template-hash label: what two templates are compared on. */
export function templateWithoutHash(template: DeepReadonly<PodTemplateSpec> | undefined): unknown {
  const labels = { ...(template?.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  const metadata = { ...(template?.metadata ?? {}), labels: Object.keys(labels).length > 0 ? labels : undefined };
  return { ...(template ?? {}), metadata };
}

export function podTemplateHash(template: DeepReadonly<PodTemplateSpec> | undefined, collisionCount?: number): string {
  let text = semanticJson(templateWithoutHash(template));
  if (collisionCount !== undefined && collisionCount > 0) text += `#${collisionCount}`;
  return encode(fnv1a32(text));
}

/** Whether two templates are equal apart from the pod-template-hash label. */
export function templatesEqual(a: DeepReadonly<PodTemplateSpec> | undefined, b: DeepReadonly<PodTemplateSpec> | undefined): boolean {
  return semanticJson(templateWithoutHash(a)) === semanticJson(templateWithoutHash(b));
}
