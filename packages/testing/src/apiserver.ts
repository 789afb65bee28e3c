// Starts a real apiserver process against a given Redis, on a free loopback port, over HTTPS with
// the test PKI: its serving certificate, the client CA, the ServiceAccount keys and the kubelet
// client certificate. The handle hands out connections and kubeconfigs per identity.
import { freePort } from './ports.js';
import { startApp, waitHttpOk, type AppProcess } from './process.js';
import { ADMIN, APISERVER_KUBELET_CLIENT, nodeIdentity, testPki, type Identity, type TestConnection, type TestPki } from './pki.js';

export interface ApiServerHandle extends AppProcess {
  /** `https://127.0.0.1:PORT`. */
  url: string;
  port: number;
  pki: TestPki;
  /** Server, CA and client certificate of `identity` (default: the cluster admin). */
  connection(identity?: Identity): Promise<TestConnection>;
  /** A kubeconfig file for `identity` (default: the cluster admin) or a bearer token. */
  kubeconfig(who?: Identity | { token: string; name: string }): Promise<string>;
  /** fetch with the CA trusted and `identity`'s certificate presented (undefined: no credentials). */
  fetcher(identity?: Identity): Promise<typeof fetch>;
  /** Flags that connect a kubelet process for node `name` at `ip`: its kubeconfig (system:node:NAME) and serving certificate. */
  kubeletArgs(name: string, ip: string): Promise<string[]>;
  /** Starts the process again on the same port (after stop or kill). */
  restart(): Promise<ApiServerHandle>;
}

/** The flags that point an apiserver at the test PKI. */
export async function apiServerTlsArgs(pki?: TestPki): Promise<string[]> {
  const p = pki ?? (await testPki());
  const kubeletClient = p.files.certFor(APISERVER_KUBELET_CLIENT);
  await p.credentials(APISERVER_KUBELET_CLIENT);
  return [
    '--tls-cert-file', p.files.apiserverCert,
    '--tls-private-key-file', p.files.apiserverKey,
    '--client-ca-file', p.files.caCert,
    '--service-account-key-file', p.files.serviceAccountPub,
    '--service-account-signing-key-file', p.files.serviceAccountKey,
    '--kubelet-client-certificate', kubeletClient.cert,
    '--kubelet-client-key', kubeletClient.key,
    '--kubelet-certificate-authority', p.files.caCert,
  ];
}

/** How long a starting apiserver may take to answer /readyz: ~3 s idle, over 15 s on a loaded 2-core machine. */
const APISERVER_READY_TIMEOUT_MS = 60_000;

/** `env` reaches the process (REDIS_PASSWORD, for one). */
export async function startApiServerProcess(redisUrl: string, extraArgs: string[] = [], port?: number, env: Record<string, string> = {}): Promise<ApiServerHandle> {
  const p = port ?? (await freePort());
  const pki = await testPki();
  const proc = startApp('apiserver', ['--port', String(p), '--bind-address', '127.0.0.1', '--redis-url', redisUrl, ...(await apiServerTlsArgs(pki)), ...extraArgs], env);
  const url = `https://127.0.0.1:${p}`;
  await waitHttpOk(`${url}/readyz`, proc, APISERVER_READY_TIMEOUT_MS, await pki.fetcher());
  return {
    ...proc,
    url,
    port: p,
    pki,
    connection: (identity = ADMIN) => pki.connection(url, identity),
    kubeconfig: (who = ADMIN) => pki.kubeconfig(url, who),
    fetcher: (identity) => pki.fetcher(identity),
    kubeletArgs: async (name, ip) => ['--kubeconfig', await pki.kubeconfig(url, nodeIdentity(name)), ...(await pki.kubeletTlsArgs(name, ip))],
    restart: () => startApiServerProcess(redisUrl, extraArgs, p, env),
  };
}

/** Waits until a kubelet's HTTPS /healthz on ip:port answers (its certificate is from the test CA). */
export async function waitKubeletHealthy(ip: string, port: number, proc?: AppProcess, timeoutMs = 20_000): Promise<void> {
  await waitHttpOk(`https://${ip}:${port}/healthz`, proc, timeoutMs, await (await testPki()).fetcher());
}
