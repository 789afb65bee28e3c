// RequestInfo as Kubernetes computes it (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go):
// purely from the method and the path, before anything knows whether the resource exists, so that
// authorization answers 403 for a path the caller may not see rather than revealing a 404.
//
//   /api/v1/namespaces/NS/pods/NAME/log    → resource pods, subresource log, name NAME, ns NS
//   /apis/apps/v1/watch/deployments        → verb watch (legacy watch path)
//   GET on a collection                    → list, or watch with ?watch=true
//   DELETE on a collection                 → deletecollection
//   anything outside /api and /apis        → a non-resource request (verb = lower-case method)
import { queryBool } from '@kite/apimachinery';

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

const METHOD_VERBS: Record<string, string> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

function nonResource(method: string, path: string): RequestInfo {
  return { isResourceRequest: false, path, verb: method.toLowerCase(), apiPrefix: '', apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '' };
}

function nameFromFieldSelector(selector: string | null): string {
  if (!selector) return '';
  for (const term of selector.split(',')) {
    const m = /^metadata\.name(==?)(.*)$/.exec(term.trim());
    if (m) return m[2] ?? '';
  }
  return '';
}

export function requestInfo(method: string, url: string): RequestInfo {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  let parts: string[];
  try {
    parts = path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    return nonResource(method, path);
  }
  const prefix = parts[0];
  if (prefix !== 'api' && prefix !== 'apis') return nonResource(method, path);
  const info: RequestInfo = { isResourceRequest: false, path, verb: '', apiPrefix: prefix, apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '' };
  let rest = parts.slice(1);
  if (prefix === 'apis') {
    // /apis and /apis/GROUP are discovery documents: non-resource requests.
    if (rest.length < 2) return nonResource(method, path);
    info.apiGroup = rest[0] ?? '';
    rest = rest.slice(1);
  }
  // /api and /api/v1 (and /apis/G/V) are discovery too.
  if (rest.length < 2) return nonResource(method, path);
  info.apiVersion = rest[0] ?? '';
  rest = rest.slice(1);
  info.isResourceRequest = true;
  let verb = METHOD_VERBS[method] ?? method.toLowerCase();
  if (rest[0] === 'watch') {
    verb = 'watch';
    rest = rest.slice(1);
  }
  if (rest[0] === 'namespaces') {
    if (rest.length > 1) {
      info.namespace = rest[1] ?? '';
      // /namespaces/NS is the Namespace itself; /namespaces/NS/status|finalize its subresources.
      if (rest.length > 2 && rest[2] !== 'status' && rest[2] !== 'finalize') rest = rest.slice(2);
    }
  }
  info.resource = rest[0] ?? '';
  info.name = rest[1] ?? '';
  info.subresource = rest[2] ?? '';
  if (info.resource === 'namespaces' && rest.length <= 3) info.namespace = info.name;
  if (info.name === '') {
    if (verb === 'get') verb = queryBool(query.get('watch')) ? 'watch' : 'list';
    else if (verb === 'delete') verb = 'deletecollection';
    // A list or watch of one object by name is authorized as that name (informers on a single
    // Secret or Node, as the kubelet's), the way Kubernetes reads `fieldSelector=metadata.name=X`.
    if (verb === 'list' || verb === 'watch') info.name = nameFromFieldSelector(query.get('fieldSelector'));
  }
  info.verb = verb;
  return info;
}
