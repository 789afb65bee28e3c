// The claims of a Kubernetes ServiceAccount token (pkg/serviceaccount/claims.go): the standard
// JWT claims, and a private `kubernetes.io` claim naming the ServiceAccount and, for bound
// tokens, the Pod (and its Node) or Secret whose lifetime limits the token's.

export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** Kubernetes' default and floor for TokenRequest.spec.expirationSeconds. */
export const DEFAULT_EXPIRATION_SECONDS = 3600;
export const MIN_EXPIRATION_SECONDS = 600;
/** Longest token a TokenRequest may ask for (Kubernetes' --service-account-max-token-expiration default is unlimited; we cap at a day). */
export const MAX_EXPIRATION_SECONDS = 86_400;

export interface ObjectRefClaim {
  name: string;
  uid: string;
}

export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ObjectRefClaim;
  pod?: ObjectRefClaim;
  secret?: ObjectRefClaim;
  node?: ObjectRefClaim;
}

export interface ServiceAccountClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': KubernetesClaim;
}

/** `system:serviceaccount:NS:NAME`. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

export function serviceAccountGroups(namespace: string): string[] {
  return ['system:serviceaccounts', `system:serviceaccounts:${namespace}`];
}

/** Keys of UserInfo.extra that Kubernetes sets for bound ServiceAccount tokens. */
export const EXTRA_POD_NAME = 'authentication.kubernetes.io/pod-name';
export const EXTRA_POD_UID = 'authentication.kubernetes.io/pod-uid';
export const EXTRA_NODE_NAME = 'authentication.kubernetes.io/node-name';
export const EXTRA_NODE_UID = 'authentication.kubernetes.io/node-uid';
export const EXTRA_CREDENTIAL_ID = 'authentication.kubernetes.io/credential-id';
