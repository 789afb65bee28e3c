// Serialises objects for the Lua scripts: the JSON is split around metadata.resourceVersion, which
// always comes first in metadata, so the script can splice in the revision it takes.
import type { KubeObject } from '@kite/api-types';

export interface SplitJson {
  head: string;
  tail: string;
}

function inner(json: string): string {
  return json.length > 2 ? json.slice(1, -1) : '';
}

export function splitForWrite(obj: KubeObject): SplitJson {
  const { apiVersion, kind, metadata, ...rest } = obj as KubeObject & Record<string, unknown>;
  const { resourceVersion: _rv, ...meta } = metadata;
  const metaInner = inner(JSON.stringify(meta));
  const restInner = inner(JSON.stringify(rest));
  const head = `{"apiVersion":${JSON.stringify(apiVersion)},"kind":${JSON.stringify(kind)},"metadata":{"resourceVersion":"`;
  const tail = `"${metaInner ? `,${metaInner}` : ''}}${restInner ? `,${restInner}` : ''}}`;
  return { head, tail };
}

export function decode<T extends KubeObject>(json: string): T {
  return JSON.parse(json) as T;
}
