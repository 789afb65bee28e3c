// Kubeconfig files (clientcmd's format, as kubectl reads them): load one into client options, and
// write one for a user. Every component takes `--kubeconfig PATH`, as Kubernetes' do.
//
// Supported: clusters[].cluster.{server, certificate-authority(-data), insecure-skip-tls-verify,
// tls-server-name}; users[].user.{client-certificate(-data), client-key(-data), token, tokenFile};
// contexts and current-context. Relative file paths resolve against the kubeconfig's directory,
// as clientcmd resolves them. Exec and auth-provider plugins are not supported (a clear error).
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { TransportOptions } from './http/transport.js';

interface NamedCluster {
  name: string;
  cluster: {
    server?: string;
    'certificate-authority'?: string;
    'certificate-authority-data'?: string;
    'insecure-skip-tls-verify'?: boolean;
    'tls-server-name'?: string;
  };
}
interface NamedUser {
  name: string;
  user: {
    'client-certificate'?: string;
    'client-certificate-data'?: string;
    'client-key'?: string;
    'client-key-data'?: string;
    token?: string;
    tokenFile?: string;
    exec?: unknown;
    'auth-provider'?: unknown;
  };
}
interface NamedContext {
  name: string;
  context: { cluster: string; user: string; namespace?: string };
}
export interface Kubeconfig {
  apiVersion: 'v1';
  kind: 'Config';
  clusters: NamedCluster[];
  users: NamedUser[];
  contexts: NamedContext[];
  'current-context': string;
}

/** What a kubeconfig context says: client options plus the context's namespace. */
export interface LoadedKubeconfig extends TransportOptions {
  namespace: string;
  context: string;
}

function pemFrom(base: string, data: string | undefined, file: string | undefined): string | undefined {
  if (data) return Buffer.from(data, 'base64').toString('utf8');
  if (file) return readFileSync(isAbsolute(file) ? file : join(base, file), 'utf8');
  return undefined;
}

/** Reads a kubeconfig and resolves its current (or the named) context. */
export function loadKubeconfig(path: string, contextName?: string): LoadedKubeconfig {
  const cfg = parse(readFileSync(path, 'utf8')) as Partial<Kubeconfig> | null;
  const base = dirname(path);
  const name = contextName ?? cfg?.['current-context'];
  const ctx = cfg?.contexts?.find((c) => c.name === name);
  if (!ctx) throw new Error(`kubeconfig ${path}: context ${JSON.stringify(name ?? '')} not found`);
  const cluster = cfg?.clusters?.find((c) => c.name === ctx.context.cluster)?.cluster;
  if (!cluster?.server) throw new Error(`kubeconfig ${path}: cluster ${JSON.stringify(ctx.context.cluster)} has no server`);
  const user = cfg?.users?.find((u) => u.name === ctx.context.user)?.user ?? {};
  if (user.exec || user['auth-provider']) throw new Error(`kubeconfig ${path}: exec and auth-provider credentials are not supported`);
  const ca = pemFrom(base, cluster['certificate-authority-data'], cluster['certificate-authority']);
  const cert = pemFrom(base, user['client-certificate-data'], user['client-certificate']);
  const key = pemFrom(base, user['client-key-data'], user['client-key']);
  return {
    server: cluster.server,
    tls: {
      ...(ca ? { ca } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
      ...(cluster['insecure-skip-tls-verify'] ? { insecureSkipVerify: true } : {}),
      ...(cluster['tls-server-name'] ? { serverName: cluster['tls-server-name'] } : {}),
    },
    ...(user.token ? { token: user.token } : {}),
    ...(user.tokenFile ? { tokenFile: isAbsolute(user.tokenFile) ? user.tokenFile : join(base, user.tokenFile) } : {}),
    namespace: ctx.context.namespace ?? 'default',
    context: ctx.name,
  };
}

export interface KubeconfigSpec {
  server: string;
  /** PEM of the CA that signed the server's certificate. */
  ca: string;
  /** Client certificate and key (PEM), or a bearer token. */
  cert?: string;
  key?: string;
  token?: string;
  /** Names the cluster, user and context entries (default `kite`). */
  name?: string;
  user?: string;
  namespace?: string;
}

/** A kubeconfig with everything embedded (`*-data`), so it is one self-contained file. */
export function kubeconfigYaml(spec: KubeconfigSpec): string {
  const name = spec.name ?? 'kite';
  const userName = spec.user ?? name;
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const user: NamedUser['user'] = {};
  if (spec.cert) user['client-certificate-data'] = b64(spec.cert);
  if (spec.key) user['client-key-data'] = b64(spec.key);
  if (spec.token) user.token = spec.token;
  const cfg: Kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: spec.server, 'certificate-authority-data': b64(spec.ca) } }],
    users: [{ name: userName, user }],
    contexts: [{ name, context: { cluster: name, user: userName, namespace: spec.namespace ?? 'default' } }],
    'current-context': name,
  };
  return stringify(cfg);
}

/** How a component reaches the apiserver: its URL and credentials (no user agent or timeouts). */
export type Connection = Omit<TransportOptions, 'userAgent' | 'timeoutMs'>;

/**
 * The connection a component's flags describe, as Kubernetes' components resolve them:
 * `--kubeconfig` gives server and credentials, `--apiserver` (kube's `--master`) overrides the
 * server. Without a kubeconfig the component connects with no credentials.
 */
export function connectionFromFlags(flags: { kubeconfig?: string | undefined; apiserver?: string | undefined }, defaultServer: string): Connection {
  if (!flags.kubeconfig) return { server: flags.apiserver ?? defaultServer };
  const { namespace: _ns, context: _ctx, ...conn } = loadKubeconfig(flags.kubeconfig);
  return flags.apiserver ? { ...conn, server: flags.apiserver } : conn;
}
