// Signs ServiceAccount tokens (the TokenRequest API and the ServiceAccount admission plugin's
// projected tokens) with the cluster's service-account key, ES256, with a `kid` derived from the
// public key as Kubernetes derives it (base64url SHA-256 of the DER public key).
import { createHash, createPrivateKey, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SignJWT } from 'jose';
import { serviceAccountUsername, type KubernetesClaim, type ObjectRefClaim } from './claims.js';

export interface TokenSpec {
  namespace: string;
  serviceAccount: ObjectRefClaim;
  audiences: string[];
  expirationSeconds: number;
  pod?: ObjectRefClaim;
  secret?: ObjectRefClaim;
  node?: ObjectRefClaim;
}

export interface IssuedToken {
  token: string;
  expirationTimestamp: string;
}

export function keyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('base64url');
}

export class TokenIssuer {
  private readonly kid: string;

  constructor(
    private readonly privateKey: KeyObject,
    readonly issuer: string,
    private readonly now: () => number = Date.now,
  ) {
    this.kid = keyId(createPublicKey(privateKey));
  }

  static fromFile(path: string, issuer: string): TokenIssuer {
    return new TokenIssuer(createPrivateKey(readFileSync(path, 'utf8')), issuer);
  }

  async issue(spec: TokenSpec): Promise<IssuedToken> {
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + spec.expirationSeconds;
    const k8s: KubernetesClaim = { namespace: spec.namespace, serviceaccount: spec.serviceAccount };
    if (spec.pod) k8s.pod = spec.pod;
    if (spec.secret) k8s.secret = spec.secret;
    if (spec.node) k8s.node = spec.node;
    const token = await new SignJWT({ 'kubernetes.io': k8s })
      .setProtectedHeader({ alg: 'ES256', kid: this.kid })
      .setIssuer(this.issuer)
      .setSubject(serviceAccountUsername(spec.namespace, spec.serviceAccount.name))
      .setAudience(spec.audiences)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(this.privateKey);
    return { token, expirationTimestamp: new Date(exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') };
  }
}
