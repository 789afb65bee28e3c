// REST paths and query strings, built from a registry entry the way Kubernetes lays them out:
//   core group         /api/v1/namespaces/NS/pods/NAME/status
//   named group        /apis/apps/v1/namespaces/NS/deployments/NAME/scale
//   cluster-scoped     /api/v1/nodes/NAME
//   all namespaces     /api/v1/pods            (a namespaced kind listed without a namespace)
// Every segment is percent-encoded, so a name can never escape its place in the path.

/** What the client needs of a registry entry (`ResourceType` from @kite/api-types fits it). */
export interface ResourceInfo {
  /** API group, '' for the core group. */
  group: string;
  version: string;
  /** `v1` or `group/version`. */
  apiVersion: string;
  kind: string;
  /** The lower-case plural REST name, e.g. `pods`. */
  plural: string;
  namespaced: boolean;
  subresources?: { status?: boolean; scale?: unknown };
}

export interface PathParts {
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** `/api/v1` or `/apis/GROUP/VERSION`. */
export function groupVersionPath(rt: Pick<ResourceInfo, 'group' | 'version'>): string {
  return rt.group === '' ? `/api/${encodeURIComponent(rt.version)}` : `/apis/${encodeURIComponent(rt.group)}/${encodeURIComponent(rt.version)}`;
}

/** The collection, object or subresource path for `rt`. A namespace is ignored for cluster-scoped kinds. */
export function resourcePath(rt: ResourceInfo, parts: PathParts = {}): string {
  let path = groupVersionPath(rt);
  if (rt.namespaced && parts.namespace) path += `/namespaces/${encodeURIComponent(parts.namespace)}`;
  path += `/${encodeURIComponent(rt.plural)}`;
  if (parts.name !== undefined) {
    if (parts.name === '') throw new Error(`${rt.plural}: a name is required`);
    path += `/${encodeURIComponent(parts.name)}`;
    if (parts.subresource) path += `/${encodeURIComponent(parts.subresource)}`;
  }
  return path;
}

export type QueryValue = string | number | boolean | undefined;

/** `?a=1&b=x` from the defined values, or '' when there are none. */
export function queryString(query: Readonly<Record<string, QueryValue>> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.append(k, String(v));
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}
