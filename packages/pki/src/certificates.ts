// Issues X.509 certificates in Kubernetes' conventions: a self-signed CA, and leaf certificates
// whose subject CN is the user and O the groups (how the apiserver's x509 authenticator reads
// them), with SANs for serving certificates. Built with @peculiar/x509, never hand-written ASN.1.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { generateKeyPair, importPrivateKey, KEY_ALGORITHM, privateKeyPem, x509 } from './crypto.js';

/** Kubernetes' kubeadm issues leaf certificates for a year and the CA for ten. */
export const CA_VALIDITY_DAYS = 3650;
export const LEAF_VALIDITY_DAYS = 365;
const DAY_MS = 86_400_000;
/** Backdating absorbs clock skew between the machine that issues and the one that verifies. */
const BACKDATE_MS = 5 * 60_000;

export interface KeyAndCert {
  /** PEM certificate. */
  cert: string;
  /** PKCS#8 PEM private key. */
  key: string;
}

export type Usage = 'server' | 'client' | 'server-and-client';

export interface LeafOptions {
  commonName: string;
  /** Subject O entries: the user's groups, for client certificates. */
  organizations?: string[];
  /** DNS names and IP addresses for the subjectAltName of serving certificates. */
  hosts?: string[];
  usage: Usage;
  validityDays?: number;
  /** Overrides the validity window (tests make expired certificates with it). */
  notBefore?: Date;
  notAfter?: Date;
}

function serial(): string {
  // Positive 128-bit serial: clear the top bit so DER does not read it as negative.
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f;
  return b.toString('hex');
}

/** RFC 4514 escaping for a value in a distinguished name. */
function dnValue(v: string): string {
  return v.replace(/([,+"\\<>;=])/g, '\\$1').replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}

function subjectName(cn: string, orgs: string[] = []): string {
  return [...orgs.map((o) => `O=${dnValue(o)}`), `CN=${dnValue(cn)}`].join(', ');
}

export async function createCertificateAuthority(commonName: string, validityDays = CA_VALIDITY_DAYS): Promise<KeyAndCert> {
  const keys = await generateKeyPair();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: subjectName(commonName),
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + validityDays * DAY_MS),
    keys,
    signingAlgorithm: KEY_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await privateKeyPem(keys.privateKey) };
}

function sanExtension(hosts: string[]): x509.SubjectAlternativeNameExtension {
  return new x509.SubjectAlternativeNameExtension(hosts.map((h) => (isIP(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h })));
}

function extendedUsages(usage: Usage): string[] {
  const out: string[] = [];
  if (usage !== 'client') out.push(x509.ExtendedKeyUsage.serverAuth);
  if (usage !== 'server') out.push(x509.ExtendedKeyUsage.clientAuth);
  return out;
}

/** A leaf certificate signed by `ca`. */
export async function issueCertificate(ca: KeyAndCert, opts: LeafOptions): Promise<KeyAndCert> {
  const caCert = new x509.X509Certificate(ca.cert);
  const caKey = await importPrivateKey(ca.key);
  const keys = await generateKeyPair();
  const now = Date.now();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension(extendedUsages(opts.usage), false),
    await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
  ];
  if (opts.hosts && opts.hosts.length > 0) extensions.push(sanExtension(opts.hosts));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: subjectName(opts.commonName, opts.organizations),
    issuer: caCert.subject,
    notBefore: opts.notBefore ?? new Date(now - BACKDATE_MS),
    notAfter: opts.notAfter ?? new Date(now + (opts.validityDays ?? LEAF_VALIDITY_DAYS) * DAY_MS),
    signingKey: caKey,
    publicKey: keys.publicKey,
    signingAlgorithm: KEY_ALGORITHM,
    extensions,
  });
  return { cert: cert.toString('pem'), key: await privateKeyPem(keys.privateKey) };
}

/** Whether `pem` is a certificate signed by `ca` that is valid now and for at least `marginMs`. */
export async function isValidLeaf(pem: string, ca: string, hosts: string[] = [], marginMs = 7 * DAY_MS): Promise<boolean> {
  try {
    const cert = new x509.X509Certificate(pem);
    const caCert = new x509.X509Certificate(ca);
    if (!(await cert.verify({ publicKey: caCert.publicKey, signatureOnly: true }))) return false;
    if (cert.notAfter.getTime() < Date.now() + marginMs) return false;
    if (hosts.length === 0) return true;
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
    const names = new Set((san?.names.items ?? []).map((n) => n.value));
    return hosts.every((h) => names.has(h));
  } catch {
    return false;
  }
}
