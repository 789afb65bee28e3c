// The audit log end to end: a real apiserver process with --audit-policy-file and
// --audit-log-path, driven by the real kubectl and by raw HTTPS requests. Each request's Audit-Id
// header finds its events in the log; the policy's levels decide what they hold.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../src/audit/event.js';
import { ADMIN, kubectl, startApiServerProcess, startApp, startRedis, testUser, waitFor, type ApiServerHandle, type RedisHandle } from '@kite/testing';

const POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: None
    nonResourceURLs: ["/healthz*", "/readyz*", "/livez*"]
  - level: Metadata
    resources: [{group: "", resources: ["secrets"]}]
  - level: RequestResponse
    resources: [{group: "", resources: ["configmaps"]}]
  - level: Request
    verbs: [create, update, patch, delete]
  - level: Metadata
`;
const PLAINTEXT = 'audit-must-not-see-this';

let redis: RedisHandle;
let api: ApiServerHandle;
let dir: string;
let log: string;

async function events(): Promise<AuditEvent[]> {
  const text = await readFile(log, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEvent);
}

/** The events of one request, once its ResponseComplete has been written. */
async function eventsOf(auditID: string): Promise<AuditEvent[]> {
  return waitFor(async () => {
    const mine = (await events()).filter((e) => e.auditID === auditID);
    return mine.some((e) => e.stage === 'ResponseComplete') ? mine : undefined;
  }, { message: `audit events of ${auditID}` });
}

async function call(identity: Parameters<ApiServerHandle['fetcher']>[0], method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const f = await api.fetcher(identity);
  const res = await f(`${api.url}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, ...(body ? { body: JSON.stringify(body) } : {}) });
  await res.arrayBuffer();
  return { status: res.status, auditID: res.headers.get('audit-id') ?? '' };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kite-audit-'));
  log = join(dir, 'audit.log');
  await writeFile(join(dir, 'policy.yaml'), POLICY);
  redis = await startRedis();
  api = await startApiServerProcess(redis.url, ['--audit-policy-file', join(dir, 'policy.yaml'), '--audit-log-path', log]);
}, 30_000);
afterAll(async () => {
  await api?.stop();
  await redis?.destroy();
  await rm(dir, { recursive: true, force: true });
});

describe('audit log', () => {
  it('records a Secret at Metadata level: who, what, the outcome, and none of its data', async () => {
    const r = await call(ADMIN, 'POST', '/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1' }, stringData: { password: PLAINTEXT } }, { 'user-agent': 'audit-test/1.0' });
    expect(r.status).toBe(201);
    expect(r.auditID).toMatch(/^[0-9a-f-]{36}$/);
    const mine = await eventsOf(r.auditID);
    expect(mine.map((e) => e.stage)).toEqual(['ResponseComplete']);
    const e = mine[0] as AuditEvent;
    expect(e).toMatchObject({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      verb: 'create',
      requestURI: '/api/v1/namespaces/default/secrets',
      user: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
      sourceIPs: ['127.0.0.1'],
      userAgent: 'audit-test/1.0',
      objectRef: { resource: 'secrets', namespace: 'default', apiVersion: 'v1' },
      responseStatus: { metadata: {}, code: 201 },
      annotations: { 'authorization.k8s.io/decision': 'allow' },
    });
    expect(e.requestObject).toBeUndefined();
    expect(e.stageTimestamp >= e.requestReceivedTimestamp).toBe(true);
    expect(e.requestReceivedTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(await readFile(log, 'utf8')).not.toContain(PLAINTEXT);
  });

  it('records request and response bodies at RequestResponse level', async () => {
    const r = await call(ADMIN, 'POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1' }, data: { colour: 'teal' } });
    expect(r.status).toBe(201);
    const [e] = await eventsOf(r.auditID);
    expect(e?.level).toBe('RequestResponse');
    expect(e?.objectRef).toMatchObject({ resource: 'configmaps', namespace: 'default', name: 'cm1' });
    expect(e?.requestObject).toMatchObject({ kind: 'ConfigMap', data: { colour: 'teal' } });
    expect(e?.responseObject).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'cm1', uid: expect.any(String) }, data: { colour: 'teal' } });
  });

  it('records a 403 with the authorizer decision and Kubernetes message', async () => {
    const r = await call(testUser('mallory'), 'GET', '/api/v1/namespaces/default/pods');
    expect(r.status).toBe(403);
    const [e] = await eventsOf(r.auditID);
    expect(e).toMatchObject({ level: 'Metadata', verb: 'list', user: { username: 'mallory' }, annotations: { 'authorization.k8s.io/decision': 'forbid' } });
    expect(e?.responseStatus).toMatchObject({ code: 403, status: 'Failure', reason: 'Forbidden' });
    expect(e?.responseStatus?.message).toContain('pods is forbidden: User "mallory" cannot list resource "pods" in API group "" in the namespace "default"');
  });

  it('records requests whose authentication failed, with no user', async () => {
    const res = await undiciFetch(`${api.url}/api/v1/namespaces/default/pods?probe=anon`, { headers: { authorization: 'Bearer not-a-token' }, dispatcher: new Agent({ connect: { ca: api.pki.ca } }) });
    expect(res.status).toBe(401);
    const e = await waitFor(async () => (await events()).find((ev) => ev.requestURI.endsWith('probe=anon')), { message: 'failed-authentication event' });
    expect(e).toMatchObject({ level: 'Metadata', stage: 'ResponseStarted', user: { username: '' }, responseStatus: { code: 401, message: 'Authentication failed, attempted: bearer' } });
  });

  it('names the impersonated user beside the real one (kubectl --as)', async () => {
    await call(ADMIN, 'POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'jane-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }],
    });
    const out = await kubectl({ kubeconfig: await api.kubeconfig(ADMIN), dir }, 'get', 'configmaps', '--as=jane', '-o', 'name');
    expect(out.code, out.stderr).toBe(0);
    const e = await waitFor(async () => (await events()).find((ev) => ev.impersonatedUser?.username === 'jane' && ev.objectRef?.resource === 'configmaps' && ev.verb === 'list'), { message: 'impersonated event' });
    expect(e.user.username).toBe('kubernetes-admin');
    expect(e.impersonatedUser).toEqual({ username: 'jane', groups: ['system:authenticated'] });
    expect(e.userAgent).toMatch(/^kubectl\//);
  });

  it('writes ResponseStarted when a watch begins and ResponseComplete when it ends', async () => {
    const f = await api.fetcher(ADMIN);
    const ctrl = new AbortController();
    const res = await f(`${api.url}/api/v1/namespaces/default/pods?watch=true`, { signal: ctrl.signal });
    const auditID = res.headers.get('audit-id') ?? '';
    const started = await waitFor(async () => (await events()).find((e) => e.auditID === auditID && e.stage === 'ResponseStarted'), { message: 'ResponseStarted' });
    expect(started).toMatchObject({ verb: 'watch', responseStatus: { code: 200 } });
    expect((await events()).some((e) => e.auditID === auditID && e.stage === 'ResponseComplete')).toBe(false);
    ctrl.abort();
    await res.body?.cancel().catch(() => undefined);
    await eventsOf(auditID);
  });

  it('keeps health checks out of the log (level None)', async () => {
    const f = await api.fetcher(ADMIN);
    await (await f(`${api.url}/readyz?probe=health`)).text();
    const marker = await call(ADMIN, 'GET', '/api/v1/namespaces/default/configmaps/cm1');
    await eventsOf(marker.auditID);
    expect((await events()).some((e) => e.requestURI.includes('probe=health'))).toBe(false);
  });

  it('refuses to start with an invalid policy, naming the field', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Loud\n');
    const proc = startApp('apiserver', ['--port', '0', '--redis-url', redis.url, '--audit-policy-file', bad, '--audit-log-path', join(dir, 'x.log'), '--cert-dir', join(dir, 'certs')]);
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('rules[0].level: Unsupported value: \\"Loud\\": supported values: \\"None\\", \\"Metadata\\", \\"Request\\", \\"RequestResponse\\"');
  });
});
