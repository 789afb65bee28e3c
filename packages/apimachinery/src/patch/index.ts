// PATCH dispatch by Content-Type, as the apiserver's PATCH handler needs it.
//
// Contract: `applyPatchByContentType` takes the request's Content-Type (parameters such as
// `; charset=utf-8` are ignored), the current object (undefined only for apply, where it means
// "create"), the already parsed body and the kind's schema, and returns the patched object.
// An unknown content type is a 415 listing the supported ones (Kubernetes' wording); a body of
// the wrong shape is a 400; a patch whose result is not an object is a 422.
import { badRequest, unprocessable, unsupportedMediaType } from '../errors.js';
import { applyPatch } from './apply-patch.js';
import { isJsonObject } from './json.js';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { strategicMergePatch, type JsonSchema } from './strategic-merge-patch.js';

export { applyPatch } from './apply-patch.js';
export { applyJsonPatch, parseJsonPatch } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export {
  strategicMergePatch,
  DIRECTIVE_PATCH,
  DIRECTIVE_RETAIN_KEYS,
  SET_ELEMENT_ORDER_PREFIX,
  DELETE_FROM_PRIMITIVE_LIST_PREFIX,
} from './strategic-merge-patch.js';
export { fieldStrategy, PATCH_MERGE_KEY_EXTENSION, PATCH_STRATEGY_EXTENSION, type FieldStrategy, type JsonSchema } from './schema.js';

export const JSON_PATCH_CONTENT_TYPE = 'application/json-patch+json';
export const MERGE_PATCH_CONTENT_TYPE = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH_CONTENT_TYPE = 'application/strategic-merge-patch+json';
export const APPLY_PATCH_YAML_CONTENT_TYPE = 'application/apply-patch+yaml';
/** Not a Kubernetes type, accepted for clients that label a JSON apply body as such. */
export const APPLY_PATCH_JSON_CONTENT_TYPE = 'application/apply-patch+json';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const PATCH_TYPES: ReadonlyMap<string, PatchType> = new Map([
  [JSON_PATCH_CONTENT_TYPE, 'json'],
  [MERGE_PATCH_CONTENT_TYPE, 'merge'],
  [STRATEGIC_MERGE_PATCH_CONTENT_TYPE, 'strategic'],
  [APPLY_PATCH_YAML_CONTENT_TYPE, 'apply'],
  [APPLY_PATCH_JSON_CONTENT_TYPE, 'apply'],
]);

/** Every content type PATCH accepts, in the order the 415 message lists them. */
export const PATCH_CONTENT_TYPES: readonly string[] = [...PATCH_TYPES.keys()];

/** The patch type of a Content-Type header; throws a 415 ApiError for anything else. */
export function patchTypeOf(contentType: string | undefined): PatchType {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const type = PATCH_TYPES.get(mediaType);
  if (type === undefined) throw unsupportedMediaType(PATCH_CONTENT_TYPES);
  return type;
}

function requireObjectBody(type: PatchType, body: unknown): void {
  if (type !== 'json' && !isJsonObject(body)) throw badRequest(`the body of a ${type} patch must be a JSON object`);
}

/** Applies a parsed PATCH body to `original` according to the request's Content-Type. */
export function applyPatchByContentType(contentType: string | undefined, original: unknown, patchBody: unknown, schema?: JsonSchema): unknown {
  const type = patchTypeOf(contentType);
  requireObjectBody(type, patchBody);
  const result = patchByType(type, original, patchBody, schema);
  if (!isJsonObject(result)) throw unprocessable('the patched object must be a JSON object');
  return result;
}

function patchByType(type: PatchType, original: unknown, body: unknown, schema: JsonSchema | undefined): unknown {
  switch (type) {
    case 'json':
      return applyJsonPatch(original, body);
    case 'merge':
      return applyMergePatch(original, body);
    case 'strategic':
      return strategicMergePatch(original, body, schema);
    case 'apply':
      return applyPatch(original, body, schema);
  }
}
