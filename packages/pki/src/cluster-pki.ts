// The PKI of a cluster, kept in one directory (BRIEF §12): a CA, the apiserver's serving
// certificate, a serving certificate per kubelet, a client certificate per identity, and the
// ServiceAccount token signing key. Files are written with mode 0600 (the directory 0700). A later
// start reuses what is there and valid, and issues only what is missing, expiring, or lacks a
// host name it now needs; the CA is never replaced once made.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificateAuthority, isValidLeaf, issueCertificate, type KeyAndCert, type Usage } from './certificates.js';
import { generateKeyPair, privateKeyPem, publicKeyPem } from './crypto.js';
import { APISERVER_SERVICE_NAMES, CONTROL_PLANE_IDENTITIES, nodeIdentity, type Identity } from './identities.js';

export const CA_COMMON_NAME = 'kite-ca';

export interface NodeAddress {
  name: string;
  ip: string;
}

export interface ClusterPkiSpec {
  /** Addresses and names the apiserver is reached at (loopback by default). */
  apiserverHosts: string[];
  /** Nodes that need a kubelet serving certificate and a client certificate. */
  nodes?: NodeAddress[];
}

export interface PkiFiles {
  dir: string;
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  /** ServiceAccount token signing key (private) and its public half for verification. */
  serviceAccountKey: string;
  serviceAccountPub: string;
  /** `${dir}/${identity.file}.crt|.key`. */
  certFor(identity: Identity): { cert: string; key: string };
  kubeletServing(nodeName: string): { cert: string; key: string };
}

function writeSecret(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600);
}

function readPair(dir: string, stem: string): KeyAndCert | undefined {
  const cert = join(dir, `${stem}.crt`);
  const key = join(dir, `${stem}.key`);
  if (!existsSync(cert) || !existsSync(key)) return undefined;
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

function writePair(dir: string, stem: string, pair: KeyAndCert): void {
  writeSecret(join(dir, `${stem}.key`), pair.key);
  writeSecret(join(dir, `${stem}.crt`), pair.cert);
}

async function ensureLeaf(dir: string, ca: KeyAndCert, stem: string, make: { commonName: string; organizations?: string[]; hosts?: string[]; usage: Usage }): Promise<void> {
  const existing = readPair(dir, stem);
  if (existing && (await isValidLeaf(existing.cert, ca.cert, make.hosts ?? []))) return;
  writePair(dir, stem, await issueCertificate(ca, make));
}

export function pkiFiles(dir: string): PkiFiles {
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    apiserverCert: join(dir, 'apiserver.crt'),
    apiserverKey: join(dir, 'apiserver.key'),
    serviceAccountKey: join(dir, 'sa.key'),
    serviceAccountPub: join(dir, 'sa.pub'),
    certFor: (id) => ({ cert: join(dir, `${id.file}.crt`), key: join(dir, `${id.file}.key`) }),
    kubeletServing: (node) => ({ cert: join(dir, `kubelet-${node}.crt`), key: join(dir, `kubelet-${node}.key`) }),
  };
}

/** Creates or completes the PKI in `dir`; returns where everything is. */
export async function ensureClusterPki(dir: string, spec: ClusterPkiSpec): Promise<PkiFiles> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  let ca = readPair(dir, 'ca');
  if (!ca) {
    ca = await createCertificateAuthority(CA_COMMON_NAME);
    writePair(dir, 'ca', ca);
  }
  const hosts = [...new Set([...spec.apiserverHosts, ...APISERVER_SERVICE_NAMES])];
  await ensureLeaf(dir, ca, 'apiserver', { commonName: 'kube-apiserver', hosts, usage: 'server' });
  for (const id of CONTROL_PLANE_IDENTITIES) {
    await ensureLeaf(dir, ca, id.file, { commonName: id.user, organizations: id.groups, usage: 'client' });
  }
  for (const node of spec.nodes ?? []) {
    const id = nodeIdentity(node.name);
    await ensureLeaf(dir, ca, id.file, { commonName: id.user, organizations: id.groups, usage: 'client' });
    await ensureLeaf(dir, ca, `kubelet-${node.name}`, { commonName: node.name, hosts: [node.ip, node.name], usage: 'server' });
  }
  const files = pkiFiles(dir);
  if (!existsSync(files.serviceAccountKey) || !existsSync(files.serviceAccountPub)) {
    const keys = await generateKeyPair();
    writeSecret(files.serviceAccountKey, await privateKeyPem(keys.privateKey));
    writeSecret(files.serviceAccountPub, await publicKeyPem(keys.publicKey));
  }
  return files;
}

/** Issues one more client certificate from the CA in `dir` (for a user added later). */
export async function issueClientCertificate(dir: string, identity: Identity): Promise<{ cert: string; key: string }> {
  const files = pkiFiles(dir);
  const ca = { cert: readFileSync(files.caCert, 'utf8'), key: readFileSync(files.caKey, 'utf8') };
  await ensureLeaf(dir, ca, identity.file, { commonName: identity.user, organizations: identity.groups, usage: 'client' });
  return files.certFor(identity);
}

/**
 * A serving certificate signed by a CA of its own, made once in `dir` (what kubelets and
 * apiservers do when given no certificate). Its CA is in `dir/ca.crt` for whoever wants to trust it.
 */
export async function ensureSelfSignedServing(dir: string, commonName: string, hosts: string[]): Promise<KeyAndCert> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let ca = readPair(dir, 'ca');
  if (!ca) {
    ca = await createCertificateAuthority(`${commonName}-ca@${Math.floor(Date.now() / 1000)}`);
    writePair(dir, 'ca', ca);
  }
  await ensureLeaf(dir, ca, 'serving', { commonName, hosts, usage: 'server' });
  return readPair(dir, 'serving') as KeyAndCert;
}
