// Builds the authenticator union from the apiserver's settings, in Kubernetes' order: x509
// client certificates, static token file, ServiceAccount tokens, bootstrap tokens.
import { BootstrapTokenAuthenticator } from './authenticators/bootstrap-token.js';
import type { ObjectLookup } from './authenticators/lookup.js';
import { ServiceAccountAuthenticator } from './authenticators/service-account.js';
import { TokenFileAuthenticator } from './authenticators/token-file.js';
import { UnionAuthenticator } from './authenticators/union.js';
import { X509Authenticator } from './authenticators/x509.js';
import type { Authenticator } from './types.js';

export interface AuthenticationOptions {
  /** `--client-ca-file` is set: verified client certificates authenticate. */
  clientCertificates: boolean;
  /** `--token-auth-file`. */
  tokenAuthFile?: string;
  /** `--service-account-key-file`: public (or private) keys that verify ServiceAccount tokens. */
  serviceAccountKeyFiles?: string[];
  /** `--service-account-issuer`. */
  serviceAccountIssuer: string;
  /** `--api-audiences`; defaults to the issuer. */
  apiAudiences?: string[];
  /** `--enable-bootstrap-token-auth`. */
  bootstrapTokens: boolean;
}

export function buildAuthenticator(opts: AuthenticationOptions, lookup: ObjectLookup): Authenticator {
  const chain: Authenticator[] = [];
  if (opts.clientCertificates) chain.push(new X509Authenticator());
  if (opts.tokenAuthFile) chain.push(TokenFileAuthenticator.fromFile(opts.tokenAuthFile));
  if (opts.serviceAccountKeyFiles && opts.serviceAccountKeyFiles.length > 0) {
    const audiences = opts.apiAudiences && opts.apiAudiences.length > 0 ? opts.apiAudiences : [opts.serviceAccountIssuer];
    chain.push(ServiceAccountAuthenticator.fromKeyFiles(opts.serviceAccountKeyFiles, { issuer: opts.serviceAccountIssuer, audiences, lookup }));
  }
  if (opts.bootstrapTokens) chain.push(new BootstrapTokenAuthenticator(lookup));
  return new UnionAuthenticator(chain);
}
