// The x509 client-certificate authenticator: a certificate that the TLS layer verified against the
// client CA (`--client-ca-file`) names the user in its subject CN and the groups in its O
// entries, exactly as Kubernetes reads them. A certificate the TLS layer could not verify (another
// CA, expired, malformed) is an authentication error: 401, never a fall-through to a token.
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { AuthenticationResult, Authenticator, AuthRequest } from '../types.js';

export const X509_AUTHENTICATOR = 'x509';

function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

export class X509Authenticator implements Authenticator {
  readonly name = X509_AUTHENTICATOR;

  async authenticate(req: AuthRequest): Promise<AuthenticationResult> {
    const socket = req.socket as TLSSocket;
    if (typeof socket.getPeerCertificate !== 'function') return { kind: 'none' };
    const cert = socket.getPeerCertificate() as PeerCertificate | Record<string, never>;
    if (!cert || Object.keys(cert).length === 0) return { kind: 'none' };
    if (!socket.authorized) {
      const why = socket.authorizationError ? String(socket.authorizationError) : 'unknown';
      return { kind: 'error', message: `verifying certificate ${describe(cert as PeerCertificate)} failed: x509: ${why}` };
    }
    const subject = (cert as PeerCertificate).subject;
    const username = asList(subject?.CN)[0];
    if (!username) return { kind: 'error', message: 'x509: client certificate has no common name' };
    return { kind: 'user', method: X509_AUTHENTICATOR, user: { username, groups: asList(subject?.O) } };
  }
}

function describe(cert: PeerCertificate): string {
  const cn = cert.subject ? asList(cert.subject.CN).join(',') : '';
  return `SN=${cert.serialNumber ?? ''}, CN=${cn}`;
}
