// Docker pods against a real engine, apiserver and kubelet: a two-container pod sharing its
// network namespace and an emptyDir, serving on its pod IP; env from the pod, a ConfigMap and a
// Secret; configMap, secret and downwardAPI volumes; emptyDir in memory and its sizeLimit; exec probes; logs; limits and the security context as the engine applies them; init
// containers in order; graceful termination.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigMapResource, EventResource, SecretResource } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { get, isReady, pods, waitForPod } from '../helpers.js';
import { dockerPod, engineContainers, engineId, httpd, startDockerCluster, type DockerCluster } from './support.js';

let c: DockerCluster;
beforeAll(async () => {
  c = await startDockerCluster(60);
  await c.client.resource(ConfigMapResource).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'greeting', namespace: 'default' }, data: { text: 'hello from a ConfigMap' } });
  await c.client.resource(SecretResource).create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token', namespace: 'default' }, data: { value: Buffer.from('s3cret').toString('base64') } });
});
afterAll(async () => c.stop());

const ns = { namespace: 'default' };

// The writer publishes a page into the shared emptyDir, then keeps fetching it from the web
// container over localhost and records what it saw next to it.
const WRITER = [
  'echo "page by $POD_NAME: $GREETING / $TOKEN" > /www/index.html',
  'while true; do',
  '  if wget -q -O /tmp/seen http://localhost:8080/index.html; then echo "writer reached web on localhost: $(cat /tmp/seen)" | tee /www/seen.txt; fi',
  '  sleep 1',
  'done',
].join('\n');

describe('a two-container Docker pod', () => {
  it('shares localhost and an emptyDir, passes exec readiness probes and answers on its pod IP', async () => {
    await pods(c).create(
      dockerPod(
        c,
        'duo',
        [
          {
            name: 'web',
            command: httpd(8080, '/www'),
            ports: [{ containerPort: 8080 }],
            volumeMounts: [{ name: 'www', mountPath: '/www' }],
            readinessProbe: { exec: { command: ['test', '-f', '/www/seen.txt'] }, periodSeconds: 1 },
            resources: { limits: { memory: '64Mi', cpu: '500m' }, requests: { cpu: '250m' } },
          },
          {
            name: 'writer',
            command: ['sh', '-c', WRITER],
            volumeMounts: [{ name: 'www', mountPath: '/www' }],
            env: [
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'greeting', key: 'text' } } },
              { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'token', key: 'value' } } },
            ],
          },
        ],
        { volumes: [{ name: 'www', emptyDir: {} }] },
      ),
    );
    const p = await waitForPod(c, 'duo', isReady, 30_000, 'Ready');
    const ip = p.status?.podIP ?? '';
    expect(ip).toMatch(/^127\.64\.60\./);
    expect((await get(`http://${ip}:8080/index.html`))?.body).toContain('page by duo: hello from a ConfigMap / s3cret');
    expect((await get(`http://${ip}:8080/seen.txt`))?.body).toContain('writer reached web on localhost: page by duo');
    for (const s of p.status?.containerStatuses ?? []) {
      expect(s.containerID).toMatch(/^docker:\/\/[0-9a-f]{64}$/);
      expect(s.imageID).toMatch(/^docker:\/\/sha256:[0-9a-f]{64}$/);
    }
    const log = await waitFor(async () => {
      const text = await c.client.podLogs('default', 'duo', { container: 'writer' });
      return text.includes('writer reached web on localhost') ? text : undefined;
    }, { timeoutMs: 10_000, message: 'writer log' });
    expect(log).toContain('page by duo');
    // One sandbox and two containers on the engine, the limits as Docker limits.
    const engine = await engineContainers(c, p.metadata.uid);
    expect(engine).toHaveLength(3);
    const web = await c.docker.getContainer(engineId(p.status?.containerStatuses?.find((s) => s.name === 'web')?.containerID)).inspect();
    expect(web.HostConfig).toMatchObject({ Memory: 64 * 1024 * 1024, NanoCpus: 500_000_000, CpuShares: 256 });
    expect(web.HostConfig.NetworkMode).toMatch(/^container:[0-9a-f]{64}$/);
  });
});

describe('container settings', () => {
  it('runAsUser and readOnlyRootFilesystem apply; the pod succeeds with its output in the log', async () => {
    const script = 'echo "uid=$(id -u)"; if touch /written 2>/dev/null; then echo rootfs=rw; else echo rootfs=ro; fi';
    await pods(c).create(dockerPod(c, 'secure', [{ name: 'main', command: ['sh', '-c', script], securityContext: { runAsUser: 1234, readOnlyRootFilesystem: true } }], { restartPolicy: 'Never' }));
    const p = await waitForPod(c, 'secure', (x) => x.status?.phase === 'Succeeded', 20_000, 'Succeeded');
    expect(p.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    const log = await c.client.podLogs('default', 'secure');
    expect(log).toContain('uid=1234');
    expect(log).toContain('rootfs=ro');
  });

  it('configMap, secret and downwardAPI volumes read through their ..data links, read-only', async () => {
    const script = 'cat /cfg/text /sec/value /info/name; ls -a /cfg | grep -c "^..data$"; if touch /cfg/x 2>/dev/null; then echo cfg=rw; else echo cfg=ro; fi';
    await pods(c).create(
      dockerPod(c, 'projections', [{ name: 'main', command: ['sh', '-c', script], volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }, { name: 'sec', mountPath: '/sec' }, { name: 'info', mountPath: '/info' }] }], {
        restartPolicy: 'Never',
        volumes: [
          { name: 'cfg', configMap: { name: 'greeting' } },
          { name: 'sec', secret: { secretName: 'token' } },
          { name: 'info', downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
        ],
      }),
    );
    await waitForPod(c, 'projections', (x) => x.status?.phase === 'Succeeded', 30_000, 'Succeeded');
    expect(await c.client.podLogs('default', 'projections')).toBe('hello from a ConfigMaps3cretprojections1\ncfg=ro\n');
  });

  it('emptyDir medium Memory is a tmpfs; a pod writing past an emptyDir sizeLimit is evicted', async () => {
    await pods(c).create(
      dockerPod(c, 'in-memory', [{ name: 'main', command: ['sh', '-c', 'grep " /data " /proc/mounts | cut -d" " -f3'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }], {
        restartPolicy: 'Never',
        volumes: [{ name: 'data', emptyDir: { medium: 'Memory' } }],
      }),
    );
    await waitForPod(c, 'in-memory', (x) => x.status?.phase === 'Succeeded', 30_000, 'Succeeded');
    expect(await c.client.podLogs('default', 'in-memory')).toBe('tmpfs\n');

    const fill = 'dd if=/dev/zero of=/data/big bs=1024 count=2048 2>/dev/null; echo filled; while true; do sleep 1; done';
    await pods(c).create(dockerPod(c, 'over-limit', [{ name: 'main', command: ['sh', '-c', fill], volumeMounts: [{ name: 'data', mountPath: '/data' }] }], { volumes: [{ name: 'data', emptyDir: { sizeLimit: '1Mi' } }] }));
    const p = await waitForPod(c, 'over-limit', (x) => x.status?.phase === 'Failed', 40_000, 'Failed');
    expect(p.status).toMatchObject({ reason: 'Evicted', message: 'Usage of EmptyDir volume "data" exceeds the limit "1Mi". ' });
    expect(p.status?.containerStatuses?.[0]?.state?.terminated).toBeDefined();
    const events = await c.client.resource(EventResource).list({ namespace: 'default', fieldSelector: 'involvedObject.name=over-limit' });
    expect(events.items.filter((e) => e.reason === 'Evicted').map((e) => e.type)).toEqual(['Warning']);
  });

  it('init containers run in order before the main container', async () => {
    const init = (n: string) => ({ name: `init-${n}`, command: ['sh', '-c', `echo ${n} >> /work/order`], volumeMounts: [{ name: 'work', mountPath: '/work' }] });
    await pods(c).create(
      dockerPod(c, 'inits', [{ name: 'main', command: ['cat', '/work/order'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }], {
        restartPolicy: 'Never',
        initContainers: [init('one'), init('two')],
        volumes: [{ name: 'work', emptyDir: {} }],
      }),
    );
    const p = await waitForPod(c, 'inits', (x) => x.status?.phase === 'Succeeded', 30_000, 'Succeeded');
    expect(p.status?.initContainerStatuses?.map((s) => s.state?.terminated?.reason)).toEqual(['Completed', 'Completed']);
    expect(await c.client.podLogs('default', 'inits')).toBe('one\ntwo\n');
  });
});

describe('graceful termination', () => {
  const loop = 'while true; do sleep 0.1; done';
  it.each([
    // A shell that traps SIGTERM exits at once, well inside its long grace period.
    { name: 'polite', script: `trap "echo bye; exit 0" TERM; ${loop}`, grace: 20, atLeast: 0, below: 6000 },
    // PID 1 without a handler ignores SIGTERM: it is killed when the grace period ends.
    { name: 'stubborn', script: loop, grace: 3, atLeast: 3000, below: 9000 },
  ])('$name: deletion takes SIGTERM, then the grace period, then kill', async ({ name, script, grace, atLeast, below }) => {
    await pods(c).create(dockerPod(c, name, [{ name: 'main', command: ['sh', '-c', script] }], { terminationGracePeriodSeconds: grace }));
    const p = await waitForPod(c, name, (x) => x.status?.phase === 'Running', 20_000, 'Running');
    const t0 = Date.now();
    await pods(c).delete(name, ns);
    await waitFor(async () => !(await pods(c).get(name, ns).catch(() => undefined)), { timeoutMs: 20_000, message: `${name} deleted` });
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(atLeast);
    expect(took).toBeLessThan(below);
    expect(await engineContainers(c, p.metadata.uid)).toHaveLength(0);
  });
});
