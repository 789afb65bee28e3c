// Parses Kubernetes REST paths:
//   /api/v1[/watch][/namespaces/NS]/PLURAL[/NAME[/SUBRESOURCE]]
//   /apis/GROUP/VERSION[/watch][/namespaces/NS]/PLURAL[/NAME[/SUBRESOURCE]]
// `/api/v1/namespaces/NS` (and its status/finalize subresources) address the Namespace itself.
import { resourceForPath, type ResourceType } from '@kite/api-types';
import { ApiError, failureStatus } from '@kite/apimachinery';

/** Kubernetes' answer for a path that names no resource. */
export function pathNotFound(): ApiError {
  return new ApiError(failureStatus(404, 'NotFound', 'the server could not find the requested resource'));
}

export interface ResourcePath {
  rt: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The legacy `/watch/` path form. */
  watch: boolean;
}

function decodeSegments(path: string): string[] {
  return path
    .split('?')[0]!
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => decodeURIComponent(s));
}

/** Returns the addressed resource, or undefined when the path is not a resource path at all. */
export function parseResourcePath(url: string): ResourcePath | undefined {
  const segs = decodeSegments(url);
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 3) {
    group = '';
    version = segs[1] ?? '';
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 4) {
    group = segs[1] ?? '';
    version = segs[2] ?? '';
    rest = segs.slice(3);
  } else {
    return undefined;
  }
  let watch = false;
  if (rest[0] === 'watch') {
    watch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize')) {
    return withKind(group, version, 'namespaces', { name: rest[1], subresource: rest[2], watch });
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  } else if (rest[0] === 'namespaces' && rest.length === 2) {
    // /api/v1/namespaces/NAME is the Namespace object itself.
    return withKind(group, version, 'namespaces', { name: rest[1], watch });
  }
  const [plural, name, subresource, ...extra] = rest;
  if (!plural || extra.length > 0) return undefined;
  return withKind(group, version, plural, { namespace, name, subresource, watch });
}

function withKind(group: string, version: string, plural: string, parts: Omit<ResourcePath, 'rt'>): ResourcePath {
  const rt = resourceForPath(group, version, plural);
  if (!rt) throw pathNotFound();
  if (!rt.namespaced && parts.namespace !== undefined) {
    // A cluster-scoped kind under /namespaces/NS/ is a Namespace subresource only for namespaces.
    throw pathNotFound();
  }
  const out: ResourcePath = { rt, watch: parts.watch };
  if (parts.namespace !== undefined) out.namespace = parts.namespace;
  if (parts.name !== undefined) out.name = parts.name;
  if (parts.subresource !== undefined) out.subresource = parts.subresource;
  return out;
}
