// Request bodies: every body arrives as a string (fastify parses nothing), and is decoded here by
// its Content-Type, so malformed input becomes a 400 Status and unknown types a 415.
import { parse as parseYaml } from 'yaml';
import { badRequest, unsupportedMediaType } from '@kite/apimachinery';
import { PROTOBUF_MEDIA_TYPE, decodeProtobufObject } from './protobuf.js';

export const OBJECT_TYPES = ['application/json', 'application/yaml'] as const;
export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
  'application/apply-patch+json',
] as const;

/** The media type without parameters, lower-cased; JSON when the client sent none. */
export function mediaType(header: string | undefined): string {
  const t = (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return t === '' ? 'application/json' : t;
}

function decode(type: string, raw: string): unknown {
  if (raw.trim() === '') throw badRequest('the request body is empty');
  try {
    if (type.endsWith('yaml')) return parseYaml(raw) as unknown;
    return JSON.parse(raw) as unknown;
  } catch (err) {
    const what = type.endsWith('yaml') ? 'YAML' : 'JSON';
    throw badRequest(`the request body is not valid ${what}: ${(err as Error).message.split('\n')[0] ?? ''}`);
  }
}

/** Decodes the body of a create or update (POST, PUT). */
export function decodeObjectBody(contentType: string | undefined, raw: unknown): unknown {
  const type = mediaType(contentType);
  // kubectl's typed clients (`create namespace`) send protobuf; server.ts keeps that body a Buffer.
  if (type === PROTOBUF_MEDIA_TYPE && Buffer.isBuffer(raw)) return decodeProtobufObject(raw);
  if (!(OBJECT_TYPES as readonly string[]).includes(type)) throw unsupportedMediaType([...OBJECT_TYPES]);
  return decode(type, typeof raw === 'string' ? raw : '');
}

/** Decodes the body of a PATCH; returns the media type that selects the patch strategy. */
export function decodePatchBody(contentType: string | undefined, raw: unknown): { type: string; patch: unknown } {
  const type = mediaType(contentType);
  if (!(PATCH_TYPES as readonly string[]).includes(type)) throw unsupportedMediaType([...PATCH_TYPES]);
  return { type, patch: decode(type, typeof raw === 'string' ? raw : '') };
}

/** Decodes an optional body (DELETE options); absent means none. */
export function decodeOptionalBody(contentType: string | undefined, raw: unknown): unknown {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  return decodeObjectBody(contentType, raw);
}
