// The security chain end to end, against real redis-server, apiserver processes, curl and the real
// kubectl: who may call the API (401), what RBAC lets them do (403 in Kubernetes' words),
// ServiceAccount tokens from `kubectl create token`, `kubectl auth can-i` and `whoami`,
// impersonation, the escalation check, kubelet confinement, and bad credentials of every kind.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createPrivateKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, fetch as undiciFetch } from 'undici';
import { createCertificateAuthority, issueCertificate } from '@kite/pki';
import { ADMIN, kubectl as runKubectl, nodeIdentity, startApiServerProcess, startRedis, testUser, waitFor, type ApiServerHandle, type RedisHandle } from '@kite/testing';

const run = promisify(execFile);

let redis: RedisHandle;
let api: ApiServerHandle;
let dir: string;
let adminKc: string;

async function k(kubeconfig: string, ...args: string[]) {
  return runKubectl({ kubeconfig, dir }, ...args);
}

async function ok(kubeconfig: string, ...args: string[]): Promise<string> {
  const r = await k(kubeconfig, ...args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** A raw request with a bearer token (or none), trusting the cluster CA. */
async function withToken(token: string | undefined, path: string, init: { method?: string; body?: string } = {}) {
  const res = await undiciFetch(`${api.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}) },
    ...(init.body ? { body: init.body } : {}),
    dispatcher: new Agent({ connect: { ca: api.pki.ca } }),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as { kind?: string; reason?: string; message?: string; code?: number } };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kite-security-'));
  redis = await startRedis();
  api = await startApiServerProcess(redis.url);
  adminKc = await api.kubeconfig(ADMIN);
  const manifest = join(dir, 'setup.yaml');
  await writeFile(
    manifest,
    `apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-b}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: reader, namespace: team-a}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader-view, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: reader, namespace: team-a}]
`,
  );
  await ok(adminKc, 'apply', '-f', manifest);
}, 60_000);

afterAll(async () => {
  await api?.stop();
  await redis?.destroy();
  await rm(dir, { recursive: true, force: true });
});

describe('authentication', () => {
  it('answers a request without credentials with a 401 Status, except the public paths', async () => {
    const { stdout } = await run('curl', ['-sS', '--cacert', api.pki.files.caCert, `${api.url}/api/v1/pods`]);
    expect(JSON.parse(stdout)).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
    for (const path of ['/healthz', '/livez', '/readyz', '/version']) expect((await withToken(undefined, path)).status, path).toBe(200);
  });

  it.each([
    { name: 'garbage', token: 'not-a-token' },
    { name: 'a JWT signed by a key that is not ours', token: 'foreign' },
    { name: 'an expired ServiceAccount token', token: 'expired' },
  ])('refuses $name with 401', async ({ token }) => {
    let t = token;
    const sa = JSON.parse(await ok(adminKc, 'get', 'sa', 'reader', '-n', 'team-a', '-o', 'json')) as { metadata: { uid: string } };
    const claims = { 'kubernetes.io': { namespace: 'team-a', serviceaccount: { name: 'reader', uid: sa.metadata.uid } } };
    const jwt = (key: string, exp: number) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).setIssuer('https://kubernetes.default.svc.cluster.local').setSubject('system:serviceaccount:team-a:reader').setAudience('https://kubernetes.default.svc.cluster.local').setIssuedAt(exp - 3600).setExpirationTime(exp).sign(createPrivateKey(key));
    if (token === 'foreign') t = await jwt((await createCertificateAuthority('other')).key, Math.floor(Date.now() / 1000) + 600);
    if (token === 'expired') t = await jwt(await readFile(api.pki.files.serviceAccountKey, 'utf8'), Math.floor(Date.now() / 1000) - 60);
    const res = await withToken(t, '/api/v1/namespaces/team-a/pods');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
  });

  it.each([
    { name: 'a certificate from another CA', foreign: true, expired: false },
    { name: 'an expired certificate', foreign: false, expired: true },
  ])('refuses $name with 401', async ({ foreign, expired }) => {
    const ca = foreign ? await createCertificateAuthority('mallory-ca') : { cert: api.pki.ca, key: await readFile(api.pki.files.caKey, 'utf8') };
    const past = new Date(Date.now() - 2 * 86_400_000);
    const cert = await issueCertificate(ca, { commonName: 'mallory', organizations: ['system:masters'], usage: 'client', ...(expired ? { notBefore: past, notAfter: new Date(Date.now() - 86_400_000) } : {}) });
    const res = await undiciFetch(`${api.url}/api/v1/namespaces`, { dispatcher: new Agent({ connect: { ca: api.pki.ca, cert: cert.cert, key: cert.key } }) });
    expect(res.status).toBe(401);
  });

  it('kubectl auth whoami names the admin and its groups', async () => {
    const out = await ok(adminKc, 'auth', 'whoami');
    expect(out).toMatch(/Username\s+kubernetes-admin/);
    expect(out).toMatch(/Groups\s+\[system:masters system:authenticated\]/);
  });
});

describe('a ServiceAccount bound to view in one namespace, with a token from kubectl create token', () => {
  let kc: string;
  let token: string;
  beforeAll(async () => {
    token = (await ok(adminKc, 'create', 'token', 'reader', '-n', 'team-a')).trim();
    kc = await api.kubeconfig({ token, name: 'reader' });
  });

  it('lists pods in its namespace', async () => {
    expect((await k(kc, 'get', 'pods', '-n', 'team-a')).code).toBe(0);
  });

  it.each([
    { what: 'secrets', args: ['get', 'secrets', '-n', 'team-a'], message: 'secrets is forbidden: User "system:serviceaccount:team-a:reader" cannot list resource "secrets" in API group "" in the namespace "team-a"' },
    { what: 'a write', args: ['create', 'configmap', 'x', '-n', 'team-a'], message: 'configmaps is forbidden: User "system:serviceaccount:team-a:reader" cannot create resource "configmaps" in API group "" in the namespace "team-a"' },
    { what: 'another namespace', args: ['get', 'pods', '-n', 'team-b'], message: 'pods is forbidden: User "system:serviceaccount:team-a:reader" cannot list resource "pods" in API group "" in the namespace "team-b"' },
  ])('gets 403 for $what, worded as Kubernetes words it', async ({ args, message }) => {
    const r = await k(kc, ...args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
  });

  it('kubectl auth can-i --list shows what view grants, and whoami the account', async () => {
    const out = await ok(adminKc, 'auth', 'can-i', '--list', '--as=system:serviceaccount:team-a:reader', '-n', 'team-a');
    expect(out).toMatch(/^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    expect(out).not.toMatch(/^secrets\s/m);
    expect(out).toMatch(/selfsubjectreviews\.authentication\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]/);
    expect((await k(adminKc, 'auth', 'can-i', 'get', 'secrets', '--as=system:serviceaccount:team-a:reader', '-n', 'team-a')).stdout.trim()).toBe('no');
    expect((await k(adminKc, 'auth', 'can-i', 'list', 'pods', '--as=system:serviceaccount:team-a:reader', '-n', 'team-a')).stdout.trim()).toBe('yes');
    expect(await ok(kc, 'auth', 'whoami')).toMatch(/Username\s+system:serviceaccount:team-a:reader/);
  });

  it('stops working once the ServiceAccount is deleted (and a new one of that name does not revive it)', async () => {
    await ok(adminKc, 'create', 'sa', 'doomed', '-n', 'team-a');
    const t = (await ok(adminKc, 'create', 'token', 'doomed', '-n', 'team-a')).trim();
    expect((await withToken(t, '/apis/authentication.k8s.io/v1/selfsubjectreviews', { method: 'POST', body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }) })).status).toBe(201);
    await ok(adminKc, 'delete', 'sa', 'doomed', '-n', 'team-a');
    await ok(adminKc, 'create', 'sa', 'doomed', '-n', 'team-a');
    expect((await withToken(t, '/api/v1/namespaces/team-a/pods')).status).toBe(401);
  });

  it('a token bound to a pod stops working when the pod is deleted', async () => {
    await ok(adminKc, 'run', 'holder', '-n', 'team-a', '--image=hello.wasm', '--overrides={"spec":{"serviceAccountName":"reader"}}');
    const t = (await ok(adminKc, 'create', 'token', 'reader', '-n', 'team-a', '--bound-object-kind=Pod', '--bound-object-name=holder')).trim();
    expect((await withToken(t, '/api/v1/namespaces/team-a/pods')).status).toBe(200);
    await ok(adminKc, 'delete', 'pod', 'holder', '-n', 'team-a', '--grace-period=0', '--force');
    await waitFor(async () => (await withToken(t, '/api/v1/namespaces/team-a/pods')).status === 401, { timeoutMs: 5000, message: 'the bound token refused' });
  });
});

describe('RBAC writes', () => {
  const alice = testUser('alice');
  let aliceKc: string;
  beforeAll(async () => {
    aliceKc = await api.kubeconfig(alice);
    const manifest = join(dir, 'alice.yaml');
    await writeFile(
      manifest,
      `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: role-admin, namespace: team-b}
rules:
- {apiGroups: [rbac.authorization.k8s.io], resources: [roles, rolebindings], verbs: [create, get, list]}
- {apiGroups: [""], resources: [configmaps], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: alice-role-admin, namespace: team-b}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: role-admin}
subjects: [{kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}]
`,
    );
    await ok(adminKc, 'apply', '-f', manifest);
  });

  it('lets a user grant what it holds, and refuses to escalate beyond it', async () => {
    expect((await k(aliceKc, 'create', 'role', 'cm-reader', '-n', 'team-b', '--verb=get', '--resource=configmaps')).code).toBe(0);
    const r = await k(aliceKc, 'create', 'role', 'secret-reader', '-n', 'team-b', '--verb=get', '--resource=secrets');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('is attempting to grant RBAC permissions not currently held');
    expect((await k(adminKc, 'get', 'role', 'secret-reader', '-n', 'team-b')).code).not.toBe(0);
    const bind = await k(aliceKc, 'create', 'rolebinding', 'alice-edit', '-n', 'team-b', '--clusterrole=edit', '--user=alice');
    expect(bind.code).not.toBe(0);
    expect(bind.stderr).toMatch(/forbidden/);
  });

  it('a binding to a role that does not exist grants nothing', async () => {
    await ok(adminKc, 'create', 'rolebinding', 'ghost', '-n', 'team-b', '--role=no-such-role', '--user=bob');
    const bob = await api.kubeconfig(testUser('bob'));
    expect((await k(bob, 'get', 'configmaps', '-n', 'team-b')).stderr).toContain('configmaps is forbidden: User "bob" cannot list resource "configmaps"');
  });

  it('impersonation needs the impersonate verb', async () => {
    const r = await k(aliceKc, 'get', 'configmaps', '-n', 'team-b', '--as=bob');
    expect(r.stderr).toContain('users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope');
    expect((await k(adminKc, 'get', 'configmaps', '-n', 'team-b', '--as=alice')).code).toBe(0);
  });
});

describe('a kubelet', () => {
  it('changes only its own node pods and reads only the Secrets its pods use', async () => {
    const n1 = nodeIdentity('kn-1');
    const n1Kc = await api.kubeconfig(n1);
    const manifest = join(dir, 'nodes.yaml');
    await writeFile(
      manifest,
      `apiVersion: v1
kind: Secret
metadata: {name: used, namespace: team-a}
stringData: {k: v}
---
apiVersion: v1
kind: Secret
metadata: {name: unused, namespace: team-a}
stringData: {k: v}
---
apiVersion: v1
kind: Pod
metadata: {name: on-1, namespace: team-a}
spec:
  nodeName: kn-1
  containers: [{name: c, image: hello.wasm, env: [{name: S, valueFrom: {secretKeyRef: {name: used, key: k}}}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: on-2, namespace: team-a}
spec:
  nodeName: kn-2
  containers: [{name: c, image: hello.wasm}]
`,
    );
    await ok(adminKc, 'apply', '-f', manifest);
    await waitFor(async () => (await k(n1Kc, 'get', 'secret', 'used', '-n', 'team-a')).code === 0, { timeoutMs: 5000, message: 'the node authorizer to see the pod' });
    const unused = await k(n1Kc, 'get', 'secret', 'unused', '-n', 'team-a');
    expect(unused.stderr).toContain('secrets "unused" is forbidden: User "system:node:kn-1" cannot get resource "secrets"');
    const own = await k(n1Kc, 'patch', 'pod', 'on-1', '-n', 'team-a', '--subresource=status', '--type=merge', '-p', '{"status":{"message":"mine"}}');
    expect(own.code, own.stderr).toBe(0);
    const other = await k(n1Kc, 'patch', 'pod', 'on-2', '-n', 'team-a', '--subresource=status', '--type=merge', '-p', '{"status":{"message":"not mine"}}');
    expect(other.stderr).toMatch(/pods "on-2" is forbidden: User "system:node:kn-1" cannot patch resource "pods\/status"/);
    const after = JSON.parse(await ok(adminKc, 'get', 'pod', 'on-2', '-n', 'team-a', '-o', 'json')) as { status?: { message?: string } };
    expect(after.status?.message).toBeUndefined();
  });
});
