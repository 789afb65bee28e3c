// The request path's shared vocabulary (BRIEF §12), as Kubernetes' apiserver names it:
// - `UserInfo` is who a request comes from (k8s.io/apiserver/pkg/authentication/user.Info).
// - `Authenticator` turns a request's credentials into a UserInfo. `none` means "these are not my
//   credentials" (the union tries the next one); `error` means "these are mine and they are bad"
//   (a 401 at once, as an expired or forged token is in Kubernetes).
// - `Attributes` is what authorization sees (authorizer.Attributes): verb, API group, resource,
//   subresource, namespace, name; or a non-resource path.
// - `Authorizer` answers allow, deny or no-opinion; a chain takes the first allow or deny.
import type { IncomingHttpHeaders } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** Well-known user and group names (k8s.io/apiserver/pkg/authentication/user). */
export const USER_ANONYMOUS = 'system:anonymous';
export const GROUP_UNAUTHENTICATED = 'system:unauthenticated';
export const GROUP_AUTHENTICATED = 'system:authenticated';
export const GROUP_MASTERS = 'system:masters';
export const GROUP_NODES = 'system:nodes';
export const NODE_USER_PREFIX = 'system:node:';
export const GROUP_SERVICE_ACCOUNTS = 'system:serviceaccounts';
export const SERVICE_ACCOUNT_USER_PREFIX = 'system:serviceaccount:';
export const USER_KUBE_SCHEDULER = 'system:kube-scheduler';
export const USER_KUBE_CONTROLLER_MANAGER = 'system:kube-controller-manager';
export const USER_KUBE_PROXY = 'system:kube-proxy';
/** The identity the apiserver uses for its own calls (to kubelets) and for in-process writes. */
export const USER_APISERVER = 'system:apiserver';
export const GROUP_BOOTSTRAPPERS = 'system:bootstrappers';

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  /** Extra attributes (for ServiceAccount tokens: the bound pod and its node). */
  extra?: Record<string, string[]>;
}

/** What authenticators read: the headers and, over TLS, the socket with the peer certificate. */
export interface AuthRequest {
  headers: IncomingHttpHeaders;
  socket: TLSSocket | { authorized?: boolean };
}

export type AuthenticationResult =
  | { kind: 'user'; user: UserInfo; /** Which authenticator: x509, token-file, service-account, bootstrap-token. */ method: string }
  | { kind: 'none' }
  | { kind: 'error'; message: string };

export interface Authenticator {
  readonly name: string;
  authenticate(req: AuthRequest): Promise<AuthenticationResult>;
}

/** The verbs Kubernetes computes from a request (plus the special ones RBAC knows). */
export type Verb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection'
  | 'impersonate'
  | 'bind'
  | 'escalate'
  | 'use'
  | 'approve'
  | (string & {});

export interface ResourceAttributes {
  resourceRequest: true;
  user: UserInfo;
  verb: Verb;
  /** '' for the core group. */
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  /** '' for cluster-scoped requests and lists across all namespaces. */
  namespace: string;
  /** '' when the request names no object (list, create without a name). */
  name: string;
}

export interface NonResourceAttributes {
  resourceRequest: false;
  user: UserInfo;
  /** Lower-case HTTP verb mapped as Kubernetes does: get, post, put, patch, delete, head. */
  verb: Verb;
  /** The URL path without the query. */
  path: string;
}

export type Attributes = ResourceAttributes | NonResourceAttributes;

export type Decision = { decision: 'allow'; reason?: string } | { decision: 'deny'; reason: string } | { decision: 'no-opinion'; reason?: string };

export interface Authorizer {
  readonly name: string;
  authorize(attrs: Attributes): Promise<Decision> | Decision;
}
