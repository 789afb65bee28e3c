// The real kubectl (v1.32) against a real apiserver process: the commands people type every day,
// each checked by its outcome (what is stored, what is printed), not only its exit code.
// Needs apps/apiserver built: `npx turbo run build --filter=@kite/apiserver...`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubectlEnv, tableRows, type KubectlEnv, type KubectlResult } from './helpers/kubectl.js';

const NS = 'team-a';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
    tier: frontend
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports:
    - name: http
      containerPort: 80
    resources:
      limits:
        cpu: 500m
        memory: 128Mi
`;

const OTHER_POD = `apiVersion: v1
kind: Pod
metadata:
  name: db
  labels:
    app: db
spec:
  containers:
  - name: postgres
    image: postgres:17
`;

const INVALID_POD = `apiVersion: v1
kind: Pod
metadata:
  name: Not_A_Name
spec:
  containers:
  - name: app
`;

const deployment = (env: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels:
    app: api
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: app
        image: nginx:1.27
        ports:
        - containerPort: 8080
        env:
${env}`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
  - name: metrics
    port: 9090
`;

const configMap = (value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: ${value}
`;

let k: KubectlEnv;

/** Runs kubectl and fails with its output when it exits non-zero. */
async function ok(...args: string[]): Promise<KubectlResult> {
  const r = await k.kubectl(...args);
  expect(r.code, `kubectl ${args.join(' ')}\n${r.stderr}${r.stdout}`).toBe(0);
  return r;
}

beforeAll(async () => {
  k = await startKubectlEnv();
});
afterAll(async () => k?.close());

describe('kubectl against the apiserver', () => {
  it('version reports the server as v1.32', async () => {
    const r = await ok('version');
    expect(r.stdout).toMatch(/Server Version: v1\.32\.0/);
  });

  it('create namespace makes an Active namespace', async () => {
    expect((await ok('create', 'namespace', NS)).stdout.trim()).toBe(`namespace/${NS} created`);
    const rows = tableRows((await ok('get', 'namespace', NS)).stdout);
    expect(rows[0]).toEqual(['NAME', 'STATUS', 'AGE']);
    expect(rows[1]?.slice(0, 2)).toEqual([NS, 'Active']);
  });

  it('create configmap and create secret send protobuf, which the server decodes', async () => {
    expect((await ok('create', 'configmap', 'flags', '-n', NS, '--from-literal=color=blue', '--from-literal=size=10')).stdout.trim()).toBe('configmap/flags created');
    expect((await ok('get', '-n', NS, 'configmap', 'flags', '-o', 'jsonpath={.data}')).stdout).toBe('{"color":"blue","size":"10"}');
    expect((await ok('create', 'secret', 'generic', 'creds', '-n', NS, '--from-literal=password=s3cret')).stdout.trim()).toBe('secret/creds created');
    const secret = await ok('get', '-n', NS, 'secret', 'creds', '-o', 'jsonpath={.type} {.data.password}');
    expect(secret.stdout).toBe(`Opaque ${Buffer.from('s3cret').toString('base64')}`);
    const rows = tableRows((await ok('get', '-n', NS, 'secrets')).stdout);
    expect(rows[0]).toEqual(['NAME', 'TYPE', 'DATA', 'AGE']);
    expect(rows.find((r) => r[0] === 'creds')?.slice(1, 3)).toEqual(['Opaque', '1']);
  });

  it('create -f validates against the OpenAPI document and stores the pod', async () => {
    const r = await ok('create', '-n', NS, '-f', await k.manifest('pod.yaml', POD));
    expect(r.stdout.trim()).toBe('pod/web created');
    await ok('create', '-n', NS, '-f', await k.manifest('db.yaml', OTHER_POD));
    const image = await ok('get', '-n', NS, 'pod', 'web', '-o', 'jsonpath={.spec.containers[0].image}');
    expect(image.stdout).toBe('nginx:1.27');
  });

  it('create -f of an invalid manifest shows the 422 with each field', async () => {
    const r = await k.kubectl('create', '-n', NS, '-f', await k.manifest('invalid.yaml', INVALID_POD));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The Pod "Not_A_Name" is invalid');
    expect(r.stderr).toMatch(/metadata\.name: Invalid value: "Not_A_Name"/);
    expect(r.stderr).toContain('spec.containers[0].image: Required value');
  });

  it('get pods prints the pod columns', async () => {
    const rows = tableRows((await ok('get', 'pods', '-n', NS)).stdout);
    expect(rows[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(rows.find((r) => r[0] === 'web')?.slice(0, 4)).toEqual(['web', '0/1', 'Pending', '0']);
  });

  it('get pods -A adds the namespace, --show-labels the labels, -o wide the wide columns', async () => {
    const all = tableRows((await ok('get', 'pods', '-A')).stdout);
    expect(all[0]?.slice(0, 2)).toEqual(['NAMESPACE', 'NAME']);
    expect(all.find((r) => r[1] === 'web')?.[0]).toBe(NS);

    const labels = tableRows((await ok('get', 'pods', '-n', NS, '--show-labels')).stdout);
    expect(labels[0]?.at(-1)).toBe('LABELS');
    expect(labels.find((r) => r[0] === 'web')?.at(-1)).toBe('app=web,tier=frontend');

    const wide = tableRows((await ok('get', 'pods', '-n', NS, '-o', 'wide')).stdout);
    expect(wide[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    expect(wide.find((r) => r[0] === 'web')?.slice(5)).toEqual(['<none>', '<none>', '<none>', '<none>']);
  });

  it('get pod -o yaml, -o name and -o jsonpath show the stored object', async () => {
    const yaml = (await ok('get', '-n', NS, 'pod', 'web', '-o', 'yaml')).stdout;
    expect(yaml).toMatch(/^apiVersion: v1$/m);
    expect(yaml).toMatch(/^kind: Pod$/m);
    expect(yaml).toMatch(/^ {2}name: web$/m);
    expect(yaml).toMatch(/^ {2}resourceVersion: "\d+"$/m);
    expect(yaml).toMatch(/phase: Pending/);
    expect((await ok('get', '-n', NS, 'pods', '-o', 'name')).stdout.split('\n').sort()).toEqual(['', 'pod/db', 'pod/web']);
    const names = await ok('get', '-n', NS, 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.labels.app} {end}');
    expect(names.stdout.trim().split(' ').sort()).toEqual(['db=db', 'web=web']);
  });

  it.each([
    ['app=web', ['web']],
    ['app!=web', ['db']],
    ['app in (web,db)', ['db', 'web']],
    ['tier', ['web']],
    ['!tier', ['db']],
  ])('get pods -l %s selects by label', async (selector, want) => {
    const r = await ok('get', 'pods', '-n', NS, '-l', selector, '-o', 'name');
    expect(r.stdout.split('\n').filter((l) => l !== '').sort()).toEqual(want.map((n) => `pod/${n}`));
  });

  it('label and annotate change the stored metadata', async () => {
    expect((await ok('label', '-n', NS, 'pod', 'web', 'env=prod')).stdout.trim()).toBe('pod/web labeled');
    expect((await ok('annotate', '-n', NS, 'pod', 'web', 'owner=team-a')).stdout.trim()).toBe('pod/web annotated');
    await ok('label', '-n', NS, 'pod', 'web', 'env=staging', '--overwrite');
    const meta = await ok('get', '-n', NS, 'pod', 'web', '-o', 'jsonpath={.metadata.labels.env}/{.metadata.annotations.owner}');
    expect(meta.stdout).toBe('staging/team-a');
    await ok('label', '-n', NS, 'pod', 'web', 'env-');
    expect((await ok('get', '-n', NS, 'pod', 'web', '-o', 'jsonpath={.metadata.labels}')).stdout).not.toContain('env');
  });

  it('get pods -w prints a change made while it runs', async () => {
    const watch = k.spawnKubectl('get', 'pods', '-n', NS, '-w', '--show-labels');
    await watch.waitForLine(/^web\s+0\/1\s+Pending/);
    await ok('label', '-n', NS, 'pod', 'web', 'watched=yes');
    const line = await watch.waitForLine(/^web\s.*watched=yes/);
    expect(line).toMatch(/app=web,tier=frontend,watched=yes/);
    await watch.stop();
  });

  it('describe pod shows the pod and its containers without events', async () => {
    const out = (await ok('describe', '-n', NS, 'pod', 'web')).stdout;
    expect(out).toMatch(/^Name:\s+web$/m);
    expect(out).toMatch(new RegExp(`^Namespace:\\s+${NS}$`, 'm'));
    expect(out).toMatch(/^Status:\s+Pending$/m);
    expect(out).toMatch(/^\s+Image:\s+nginx:1\.27$/m);
    expect(out).toMatch(/^\s+Port:\s+80\/TCP$/m);
    expect(out).toMatch(/^\s+memory:\s+128Mi$/m);
    expect(out).toMatch(/^Events:\s+<none>$/m);
  });

  it('explain reads field documentation from the OpenAPI document', async () => {
    const out = (await ok('explain', 'pod.spec.containers.ports')).stdout;
    expect(out).toMatch(/FIELD: ports <\[\]ContainerPort>/);
    expect(out).toMatch(/containerPort\s+<integer> -required-/);
  });

  it('apply -f twice creates, then patches with a strategic merge patch', async () => {
    const file = await k.manifest('deploy.yaml', deployment('        - {name: MODE, value: one}\n        - {name: DEBUG, value: "true"}\n', 2));
    expect((await ok('apply', '-n', NS, '-f', file)).stdout.trim()).toBe('deployment.apps/api created');
    await k.manifest('deploy.yaml', deployment('        - {name: MODE, value: two}\n', 3));
    expect((await ok('apply', '-n', NS, '-f', file)).stdout.trim()).toBe('deployment.apps/api configured');
    const got = await ok('get', '-n', NS, 'deployment', 'api', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].env}');
    expect(got.stdout).toBe('3 [{"name":"MODE","value":"two"}]');
    const annotation = await ok('get', '-n', NS, 'deployment', 'api', '-o', 'jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}');
    expect(JSON.parse(annotation.stdout)).toMatchObject({ kind: 'Deployment', spec: { replicas: 3 } });
  });

  it('scale deployment sets replicas through the scale subresource', async () => {
    expect((await ok('scale', '-n', NS, 'deployment', 'api', '--replicas=5')).stdout.trim()).toBe('deployment.apps/api scaled');
    expect((await ok('get', '-n', NS, 'deployment', 'api', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('5');
    const rows = tableRows((await ok('get', '-n', NS, 'deployments', '-o', 'wide')).stdout);
    expect(rows[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    const api = rows.find((r) => r[0] === 'api');
    expect(api?.slice(0, 4)).toEqual(['api', '0/5', '0', '0']);
    expect(api?.slice(5)).toEqual(['app', 'nginx:1.27', 'app=api']);
  });

  it('get services prints the service columns', async () => {
    await ok('create', '-n', NS, '-f', await k.manifest('svc.yaml', SERVICE));
    const rows = tableRows((await ok('get', '-n', NS, 'services', '-o', 'wide')).stdout);
    expect(rows[0]).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    const web = rows.find((r) => r[0] === 'web');
    expect(web?.[1]).toBe('NodePort');
    expect(web?.[3]).toBe('<none>');
    expect(web?.[4]).toMatch(/^80:3\d{4}\/TCP,9090:3\d{4}\/TCP$|^80\/TCP,9090\/TCP$/);
    expect(web?.[6]).toBe('app=web');
  });

  it('apply --server-side creates when missing and updates after', async () => {
    const file = await k.manifest('cm.yaml', configMap('one'));
    expect((await ok('apply', '--server-side', '-n', NS, '-f', file)).stdout.trim()).toBe('configmap/settings serverside-applied');
    await k.manifest('cm.yaml', configMap('two'));
    expect((await ok('apply', '--server-side', '-n', NS, '-f', file)).stdout.trim()).toBe('configmap/settings serverside-applied');
    expect((await ok('get', '-n', NS, 'configmap', 'settings', '-o', 'jsonpath={.data.mode}')).stdout).toBe('two');
    const rows = tableRows((await ok('get', '-n', NS, 'configmaps')).stdout);
    expect(rows[0]).toEqual(['NAME', 'DATA', 'AGE']);
    expect(rows.find((r) => r[0] === 'settings')?.[1]).toBe('1');
  });

  it('delete pod removes it, and get then reports NotFound', async () => {
    expect((await ok('delete', '-n', NS, 'pod', 'web')).stdout.trim()).toBe('pod "web" deleted');
    const r = await k.kubectl('get', '-n', NS, 'pod', 'web');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error from server (NotFound): pods "web" not found');
    expect((await ok('get', 'pods', '-n', NS, '-o', 'name')).stdout.trim()).toBe('pod/db');
  });
});
