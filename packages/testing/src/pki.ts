// A ready PKI for tests (BRIEF §12): one cluster CA per test process, with client certificates for
// every component identity and for any other user a test asks for, plus helpers that turn an
// identity into what clients need — a connection (server, CA, certificate, key), a kubeconfig
// file, or a fetch that presents the certificate.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { stringify } from 'yaml';
import { ADMIN, ensureClusterPki, issueCertificate, issueClientCertificate, nodeIdentity, type Identity, type PkiFiles } from '@kite/pki';

export { ADMIN, SCHEDULER, CONTROLLER_MANAGER, KUBE_PROXY, KUBE_DNS, APISERVER_KUBELET_CLIENT, nodeIdentity, type Identity } from '@kite/pki';

/** TLS material in the shape @kite/client's Connection takes (kept structural: no dependency). */
export interface TestConnection {
  server: string;
  tls: { ca: string; cert?: string; key?: string };
  token?: string;
}

export interface TestPki {
  dir: string;
  files: PkiFiles;
  ca: string;
  /** PEM certificate and key of an identity (issued on first use). */
  credentials(identity: Identity): Promise<{ cert: string; key: string }>;
  connection(server: string, identity?: Identity): Promise<TestConnection>;
  /** Writes a kubeconfig for the identity (or a bearer token) and returns its path. */
  kubeconfig(server: string, who?: Identity | { token: string; name: string }): Promise<string>;
  /** A fetch that trusts the cluster CA and presents the identity's certificate (none: anonymous). */
  fetcher(identity?: Identity): Promise<typeof fetch>;
  /** Kubelet flags for node `name` at `ip`: a serving certificate from the cluster CA, and the client CA. */
  kubeletTlsArgs(name: string, ip: string): Promise<string[]>;
}

let shared: Promise<TestPki> | undefined;

/** The test process's PKI, made on first use in a temporary directory removed at exit. */
export function testPki(): Promise<TestPki> {
  shared ??= makePki();
  return shared;
}

async function makePki(): Promise<TestPki> {
  const dir = mkdtempSync(join(tmpdir(), 'kite-pki-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const files = await ensureClusterPki(dir, { apiserverHosts: ['127.0.0.1', 'localhost'] });
  const ca = readFileSync(files.caCert, 'utf8');
  const issued = new Map<string, Promise<{ cert: string; key: string }>>();
  const credentials = (id: Identity) => {
    let p = issued.get(id.file);
    if (!p) {
      p = issueClientCertificate(dir, id).then((f) => ({ cert: readFileSync(f.cert, 'utf8'), key: readFileSync(f.key, 'utf8') }));
      issued.set(id.file, p);
    }
    return p;
  };
  const dispatchers = new Map<string, Dispatcher>();
  const caPair = { cert: ca, key: readFileSync(files.caKey, 'utf8') };
  const serving = new Map<string, Promise<string[]>>();
  return {
    kubeletTlsArgs: (name, ip) => {
      const id = `${name}@${ip}`;
      let p = serving.get(id);
      if (!p) {
        p = issueCertificate(caPair, { commonName: name, hosts: [ip, name], usage: 'server' }).then((pair) => {
          const stem = join(dir, `kubelet-${name}-${ip}`);
          writeFileSync(`${stem}.crt`, pair.cert, { mode: 0o600 });
          writeFileSync(`${stem}.key`, pair.key, { mode: 0o600 });
          return ['--tls-cert-file', `${stem}.crt`, '--tls-private-key-file', `${stem}.key`, '--client-ca-file', files.caCert];
        });
        serving.set(id, p);
      }
      return p;
    },
    dir,
    files,
    ca,
    credentials,
    connection: async (server, identity = ADMIN) => ({ server, tls: { ca, ...(await credentials(identity)) } }),
    kubeconfig: async (server, who = ADMIN) => {
      const b64 = (s: string) => Buffer.from(s).toString('base64');
      const name = 'token' in who ? who.name : who.file;
      const user = 'token' in who ? { token: who.token } : await credentials(who).then((c) => ({ 'client-certificate-data': b64(c.cert), 'client-key-data': b64(c.key) }));
      const path = join(dir, `kubeconfig-${name.replace(/[^a-zA-Z0-9_.-]/g, '_')}-${Math.random().toString(36).slice(2, 8)}`);
      const cfg = {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'kite', cluster: { server, 'certificate-authority-data': b64(ca) } }],
        users: [{ name, user }],
        contexts: [{ name: 'kite', context: { cluster: 'kite', user: name, namespace: 'default' } }],
        'current-context': 'kite',
      };
      writeFileSync(path, stringify(cfg), { mode: 0o600 });
      return path;
    },
    fetcher: async (identity) => {
      const key = identity?.file ?? '';
      let d = dispatchers.get(key);
      if (!d) {
        const creds = identity ? await credentials(identity) : {};
        d = new Agent({ connect: { ca, ...creds } });
        dispatchers.set(key, d);
      }
      const dispatcher = d;
      return ((url: string | URL, init?: RequestInit) => undiciFetch(url, { ...(init as object), dispatcher } as never)) as unknown as typeof fetch;
    },
  };
}

/** A user of a test's own: a client certificate for `user` in `groups`. */
export function testUser(user: string, groups: string[] = []): Identity {
  return { file: `user-${user.replace(/[^a-zA-Z0-9_.-]/g, '_')}-${groups.join('_').replace(/[^a-zA-Z0-9_.-]/g, '_')}`, user, groups };
}

/** A node's kubelet identity (system:node:NAME in system:nodes). */
export const nodeUser = nodeIdentity;
