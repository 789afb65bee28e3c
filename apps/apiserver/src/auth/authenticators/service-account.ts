// The ServiceAccount token authenticator (pkg/serviceaccount/jwt.go): a JWT signed with the
// cluster's service-account key, from our issuer, for one of our audiences, not expired, whose
// ServiceAccount still exists with the same uid, and — for a bound token — whose Pod or Secret
// still exists with the uid in the token (a deleted pod's token stops working at once).
// A JWT from another issuer is not ours (`none`, the next authenticator may know it); one that
// claims our issuer but fails any check is an error (401).
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { decodeJwt, jwtVerify, errors as joseErrors } from 'jose';
import { bearerToken } from './bearer.js';
import type { ObjectLookup } from './lookup.js';
import {
  EXTRA_CREDENTIAL_ID,
  EXTRA_NODE_NAME,
  EXTRA_NODE_UID,
  EXTRA_POD_NAME,
  EXTRA_POD_UID,
  serviceAccountGroups,
  serviceAccountUsername,
  type ServiceAccountClaims,
} from '../tokens/claims.js';
import type { AuthenticationResult, Authenticator, AuthRequest } from '../types.js';

export const SERVICE_ACCOUNT_AUTHENTICATOR = 'service-account';

export interface ServiceAccountAuthenticatorOptions {
  publicKeys: KeyObject[];
  issuer: string;
  /** Accepted audiences (`--api-audiences`); Kubernetes defaults them to the issuer. */
  audiences: string[];
  lookup: ObjectLookup;
}

export class ServiceAccountAuthenticator implements Authenticator {
  readonly name = SERVICE_ACCOUNT_AUTHENTICATOR;

  constructor(private readonly opts: ServiceAccountAuthenticatorOptions) {}

  static fromKeyFiles(paths: string[], rest: Omit<ServiceAccountAuthenticatorOptions, 'publicKeys'>): ServiceAccountAuthenticator {
    // A key file may hold a private key (as --service-account-key-file allows); its public half verifies.
    return new ServiceAccountAuthenticator({ ...rest, publicKeys: paths.map((p) => createPublicKey(readFileSync(p, 'utf8'))) });
  }

  async authenticate(req: AuthRequest): Promise<AuthenticationResult> {
    const token = bearerToken(req.headers.authorization);
    if (!token || token.split('.').length !== 3) return { kind: 'none' };
    let unverified: { iss?: unknown };
    try {
      unverified = decodeJwt(token);
    } catch {
      return { kind: 'none' };
    }
    if (unverified.iss !== this.opts.issuer) return { kind: 'none' };
    const claims = await this.verify(token);
    if (typeof claims === 'string') return { kind: 'error', message: claims };
    return this.checkBinding(claims);
  }

  /** The verified claims, or why they are not acceptable. */
  private async verify(token: string): Promise<ServiceAccountClaims | string> {
    for (const key of this.opts.publicKeys) {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: this.opts.issuer, audience: this.opts.audiences, algorithms: ['ES256', 'RS256'] });
        return payload as unknown as ServiceAccountClaims;
      } catch (err) {
        if (err instanceof joseErrors.JWSSignatureVerificationFailed) continue;
        if (err instanceof joseErrors.JWTExpired) return 'service account token has expired';
        if (err instanceof joseErrors.JWTClaimValidationFailed) return `service account token is not valid: ${err.message}`;
        return 'invalid bearer token';
      }
    }
    return 'invalid bearer token, square/go-jose: error in cryptographic primitive';
  }

  private async checkBinding(claims: ServiceAccountClaims): Promise<AuthenticationResult> {
    const k8s = claims['kubernetes.io'];
    if (!k8s?.namespace || !k8s.serviceaccount?.name) return { kind: 'error', message: 'service account token has no kubernetes.io claim' };
    const ns = k8s.namespace;
    const sa = await this.opts.lookup.get('serviceaccounts', ns, k8s.serviceaccount.name);
    if (!sa || sa.metadata.uid !== k8s.serviceaccount.uid || sa.metadata.deletionTimestamp) {
      return { kind: 'error', message: `service account ${ns}/${k8s.serviceaccount.name} has been deleted` };
    }
    const extra: Record<string, string[]> = { [EXTRA_CREDENTIAL_ID]: [`JTI=${claims.jti}`] };
    if (k8s.pod) {
      const pod = await this.opts.lookup.get('pods', ns, k8s.pod.name);
      if (!pod || pod.metadata.uid !== k8s.pod.uid) return { kind: 'error', message: `pod ${ns}/${k8s.pod.name} referenced by the token has been deleted` };
      if (pod.metadata.deletionTimestamp) return { kind: 'error', message: `pod ${ns}/${k8s.pod.name} referenced by the token is being deleted` };
      extra[EXTRA_POD_NAME] = [k8s.pod.name];
      extra[EXTRA_POD_UID] = [k8s.pod.uid];
    }
    if (k8s.secret) {
      const secret = await this.opts.lookup.get('secrets', ns, k8s.secret.name);
      if (!secret || secret.metadata.uid !== k8s.secret.uid) return { kind: 'error', message: `secret ${ns}/${k8s.secret.name} referenced by the token has been deleted` };
    }
    if (k8s.node) {
      extra[EXTRA_NODE_NAME] = [k8s.node.name];
      extra[EXTRA_NODE_UID] = [k8s.node.uid];
    }
    return {
      kind: 'user',
      method: SERVICE_ACCOUNT_AUTHENTICATOR,
      user: { username: serviceAccountUsername(ns, k8s.serviceaccount.name), uid: k8s.serviceaccount.uid, groups: serviceAccountGroups(ns), extra },
    };
  }
}
