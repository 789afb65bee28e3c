// The launcher's lifecycle: a cluster comes up with every node Ready and a working kubeconfig;
// a kubelet killed with -9 is restarted; Ctrl-C (SIGINT) leaves no process and no listening port;
// starting again keeps the cluster's objects and its PKI. Everything goes over TLS with the
// kubeconfig the launcher wrote. Redis wants the generated password, which no command line shows,
// and Secrets reach it sealed.
import { execFileSync } from 'node:child_process';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ConfigMapResource, NodeResource, SecretResource } from '@kite/api-types';
import { KubeClient, loadKubeconfig } from '@kite/client';
import { waitFor } from '@kite/testing';
import { launch, listening, processesMentioning, type LaunchedCluster } from './helpers.js';

let cluster: LaunchedCluster | undefined;
afterAll(async () => {
  await cluster?.proc.stop(20_000);
  if (cluster) await rm(cluster.stateDir, { recursive: true, force: true });
});

const clientOf = (c: LaunchedCluster) => new KubeClient(loadKubeconfig(c.kubeconfig));

/** redis-cli against the cluster's Redis; the password, when given, goes by environment. */
function redisCli(c: LaunchedCluster, password: string | undefined, ...args: string[]): string {
  const port = c.args[c.args.indexOf('--redis-port') + 1] ?? '';
  return execFileSync('redis-cli', ['-p', port, ...args], { encoding: 'utf8', env: { ...process.env, ...(password ? { REDISCLI_AUTH: password } : {}) } });
}

const readyNodes = async (c: LaunchedCluster) => {
  const list = await clientOf(c).resource(NodeResource).list();
  return list.items.filter((n) => n.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True')).map((n) => n.metadata.name);
};

it('starts, restarts a killed kubelet, stops cleanly on SIGINT, and keeps state across restarts', async () => {
  cluster = await launch({ slot: 231 });
  const c = cluster;
  expect(c.proc.output()).toMatch(/2\/2 nodes Ready/);
  expect(c.api).toMatch(/^https:/);
  expect((await readyNodes(c)).sort()).toEqual(['node-1', 'node-2']);
  // Keys and kubeconfigs are private to their owner.
  for (const f of ['pki/ca.key', 'pki/apiserver.key', 'pki/sa.key', 'pki/admin.key', 'kubeconfig', 'redis/password', 'redis/redis.conf', 'pki/encryption-config.yaml']) {
    expect(((await stat(join(c.stateDir, f))).mode & 0o077).toString(8), f).toBe('0');
  }
  const ca = await readFile(join(c.stateDir, 'pki', 'ca.crt'), 'utf8');

  // Redis: no password, no data; the password is on no command line.
  const password = (await readFile(join(c.stateDir, 'redis', 'password'), 'utf8')).trim();
  expect(password).toMatch(/^[0-9a-f]{48}$/);
  expect(redisCli(c, undefined, 'get', '/registry/~rev')).toMatch(/NOAUTH/);
  expect(processesMentioning(password)).toEqual([]);

  await clientOf(c).resource(ConfigMapResource).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept', namespace: 'default' }, data: { a: '1' } });
  await clientOf(c).resource(SecretResource).create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sealed', namespace: 'default' }, stringData: { token: 'plain-launcher-secret' } });
  const stored = redisCli(c, password, 'get', '/registry/secrets/default/sealed');
  expect(stored).toContain('k8s:enc:aesgcm:v1:key1:');
  expect(stored).not.toContain('plain-launcher-secret');
  expect(stored).not.toContain(Buffer.from('plain-launcher-secret').toString('base64'));

  // kill -9 one kubelet: the launcher says so and brings it back.
  const [kubelet] = processesMentioning(`node-name node-1 --node-ip ${c.nodeIps[0]}`);
  expect(kubelet).toBeDefined();
  process.kill(kubelet ?? 0, 'SIGKILL');
  await waitFor(() => /kubelet-node-1 exited \(SIGKILL\); restarting/.test(c.proc.output()), { timeoutMs: 10_000, message: 'the restart notice' });
  await waitFor(async () => processesMentioning(`node-name node-1 --node-ip ${c.nodeIps[0]}`).length === 1, { timeoutMs: 15_000, message: 'kubelet back' });

  // Ctrl-C: everything stops, no process or port is left.
  c.proc.child.kill('SIGINT');
  expect(await c.proc.exited).toBe(0);
  await waitFor(() => processesMentioning(c.stateDir).length === 0, { timeoutMs: 10_000, message: `no process left: ${processesMentioning(c.stateDir).join(',')}` });
  const port = Number(new URL(c.api).port);
  expect(await listening('127.0.0.1', port)).toBe(false);
  for (const ip of c.nodeIps) expect(await listening(ip, Number(c.args[c.args.indexOf('--kubelet-port') + 1]))).toBe(false);

  // Start again: the ConfigMap is still there, and the CA is the same one.
  const arg = (name: string) => Number(c.args[c.args.indexOf(name) + 1]);
  const ports = { api: port, redis: arg('--redis-port'), kubelet: arg('--kubelet-port'), dns: arg('--dns-port') };
  cluster = await launch({ slot: 231, stateDir: c.stateDir, home: c.home, ports });
  expect(await readFile(join(c.stateDir, 'pki', 'ca.crt'), 'utf8')).toBe(ca);
  const again = await clientOf(cluster).resource(ConfigMapResource).get('kept', { namespace: 'default' });
  expect(again.data).toEqual({ a: '1' });
  // The encryption key was kept: the Secret still opens.
  const sealed = await clientOf(cluster).resource(SecretResource).get('sealed', { namespace: 'default' });
  expect(sealed.data).toEqual({ token: Buffer.from('plain-launcher-secret').toString('base64') });
});
