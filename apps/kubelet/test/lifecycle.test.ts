// The kubelet with the Wasm runtime against a real apiserver: pods go Running and Ready and serve
// on their own IPs; batch pods complete with logs; restarts back off; probes restart and flip
// readiness; deletion stops containers and frees the IP; bad specs are reported, not fatal.
import { readFile, readlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigMapResource, EventResource, SecretResource, type Pod } from '@kite/api-types';
import { freePort, waitFor } from '@kite/testing';
import { get, httpPod, isReady, pods, startKubeletCluster, waitForPod, type KubeletCluster } from './helpers.js';

let c: KubeletCluster;
beforeAll(async () => {
  c = await startKubeletCluster(51);
  await c.client.resource(ConfigMapResource).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'batch-config', namespace: 'default' }, data: { 'config.txt': 'greeting=hello from a ConfigMap\n' } });
});
afterAll(async () => c.stop());

const ns = { namespace: 'default' };

describe('HTTP Wasm pods', () => {
  it('go Running and Ready, and two pods both listening on 8080 answer on their own IPs', async () => {
    await pods(c).create(httpPod(c, 'web-a'));
    await pods(c).create(httpPod(c, 'web-b'));
    const a = await waitForPod(c, 'web-a', isReady, 15_000, 'Ready');
    const b = await waitForPod(c, 'web-b', isReady, 15_000, 'Ready');
    expect(a.status?.phase).toBe('Running');
    expect(a.status?.podIP).not.toBe(b.status?.podIP);
    expect(a.status?.containerStatuses?.[0]?.imageID).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await get(`http://${a.status?.podIP}:8080/`))?.body).toContain('web-a');
    expect((await get(`http://${b.status?.podIP}:8080/`))?.body).toContain('web-b');
  });

  it('report Running and Ready in one status write when the readiness probe passes at once (and without a probe)', async () => {
    // A long period: were the first status written before the first check, Ready would follow
    // as a second write, and the watch below would see a Running pod that is not Ready.
    const probe = { readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 30 } };
    const seen: Pod[] = [];
    const abort = new AbortController();
    const watching = (async () => {
      for await (const ev of pods(c).watch({ ...ns, signal: abort.signal })) {
        const p = ev.object as Pod;
        if (p.metadata.name === 'one-write' || p.metadata.name === 'no-probe') seen.push(p);
      }
    })().catch(() => undefined);
    await pods(c).create(httpPod(c, 'one-write', {}, probe));
    await pods(c).create(httpPod(c, 'no-probe'));
    await waitForPod(c, 'one-write', isReady, 15_000, 'Ready');
    await waitForPod(c, 'no-probe', isReady, 15_000, 'Ready');
    await waitFor(() => ['one-write', 'no-probe'].every((n) => seen.some((p) => p.metadata.name === n && isReady(p))), { message: 'Ready seen on the watch' });
    abort.abort();
    await watching;
    for (const name of ['one-write', 'no-probe']) {
      const running = seen.filter((p) => p.metadata.name === name && p.status?.phase === 'Running');
      expect(running.length, name).toBeGreaterThan(0);
      expect(running.filter((p) => !isReady(p)).map((p) => p.metadata.resourceVersion), `${name}: Running but not Ready`).toEqual([]);
    }
  });
});

describe('batch Wasm pods', () => {
  const batch = (name: string, args: string[], restartPolicy: 'Never' | 'OnFailure'): Pod =>
    ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default' },
      spec: {
        nodeName: c.nodeName,
        restartPolicy,
        containers: [{ name: 'batch', image: 'batch/build/batch.wasm', args, volumeMounts: [{ name: 'config', mountPath: '/config', readOnly: true }] }],
        volumes: [{ name: 'config', configMap: { name: 'batch-config' } }],
      },
    }) as Pod;

  it('end Succeeded with exit code 0 and their output in the pod log', async () => {
    await pods(c).create(batch('batch-ok', ['--config', '/config/config.txt'], 'Never'));
    const p = await waitForPod(c, 'batch-ok', (x) => x.status?.phase === 'Succeeded', 15_000, 'Succeeded');
    expect(p.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    const log = await c.client.podLogs('default', 'batch-ok');
    expect(log).toContain('hello from a ConfigMap');
  });

  it('restart with growing back-off when exiting 1 under OnFailure', async () => {
    await pods(c).create(batch('batch-fail', ['--config', '/config/config.txt', '--fail'], 'OnFailure'));
    const p = await waitForPod(c, 'batch-fail', (x) => (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 3, 30_000, '3 restarts');
    const cs = p.status?.containerStatuses?.[0];
    expect(cs?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(p.status?.phase).toBe('Running');
    const events = await c.client.resource(EventResource).list({ namespace: 'default', fieldSelector: 'involvedObject.name=batch-fail' });
    expect(events.items.map((e) => e.reason)).toContain('BackOff');
    // Back-off grows: the gaps between consecutive starts are increasing (0.5 s, 1 s, 2 s ...).
    const started = events.items.filter((e) => e.reason === 'Started');
    expect(started[0]?.count ?? 0).toBeGreaterThanOrEqual(3);
    const waiting = await waitForPod(c, 'batch-fail', (x) => x.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff', 15_000, 'CrashLoopBackOff');
    expect(waiting.status?.containerStatuses?.[0]?.state?.waiting?.message).toMatch(/back-off \d+(\.\d+)?s restarting failed container=batch/);
  });
});

describe('configMap, secret and downwardAPI volumes', () => {
  it('change in place in a running pod: new content behind a swapped ..data link, no restart', async () => {
    await c.client.resource(ConfigMapResource).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'live-config', namespace: 'default' }, data: { 'config.txt': 'v=1\n' } });
    await c.client.resource(SecretResource).create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'live-secret', namespace: 'default' }, data: { token: Buffer.from('s1').toString('base64') } });
    const volumes = [
      { name: 'cfg', configMap: { name: 'live-config' } },
      { name: 'sec', secret: { secretName: 'live-secret' } },
      {
        name: 'info',
        downwardAPI: {
          items: [
            { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
            { path: 'limits/memory', resourceFieldRef: { containerName: 'hello', resource: 'limits.memory', divisor: '1Mi' } },
          ],
        },
      },
    ];
    const mounts = [
      { name: 'cfg', mountPath: '/cfg' },
      { name: 'sec', mountPath: '/sec' },
      { name: 'info', mountPath: '/info' },
    ];
    await pods(c).create(httpPod(c, 'live-volumes', { volumes }, { volumeMounts: mounts, resources: { limits: { memory: '64Mi' } } } as Record<string, unknown>));
    const p = await waitForPod(c, 'live-volumes', isReady, 15_000, 'Ready');
    const dir = (kind: string, name: string) => join(c.rootDir, c.nodeName, 'pods', p.metadata.uid ?? '', 'volumes', kind, name);
    const read = (kind: string, name: string, file: string) => readFile(join(dir(kind, name), file), 'utf8').catch(() => '');
    expect(await read('configmap', 'cfg', 'config.txt')).toBe('v=1\n');
    expect(await read('secret', 'sec', 'token')).toBe('s1');
    expect(await read('downward-api', 'info', 'labels')).toBe('app="hello"');
    expect(await read('downward-api', 'info', 'limits/memory')).toBe('64');
    const before = await readlink(join(dir('configmap', 'cfg'), '..data'));

    await c.client.resource(ConfigMapResource).patch('live-config', { data: { 'config.txt': 'v=2\n' } }, { ...ns, type: 'merge' });
    await c.client.resource(SecretResource).patch('live-secret', { data: { token: Buffer.from('s2').toString('base64') } }, { ...ns, type: 'merge' });
    await pods(c).patch('live-volumes', { metadata: { labels: { tier: 'web' } } }, { ...ns, type: 'merge' });
    const wanted = ['v=2\n', 's2', 'app="hello"\ntier="web"'];
    await waitFor(async () => JSON.stringify([await read('configmap', 'cfg', 'config.txt'), await read('secret', 'sec', 'token'), await read('downward-api', 'info', 'labels')]) === JSON.stringify(wanted), {
      timeoutMs: 45_000,
      message: 'volumes updated in place',
    });
    expect(await readlink(join(dir('configmap', 'cfg'), '..data'))).not.toBe(before);
    const now = await pods(c).get('live-volumes', ns);
    expect(now.status?.containerStatuses?.[0]?.restartCount).toBe(0);
    expect((await get(`http://${now.status?.podIP}:8080/`))?.status).toBe(200);
  });

  it('are read by a Wasm guest through the stable links', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'batch-downward', namespace: 'default', labels: { app: 'batch', team: 'x' } },
      spec: {
        nodeName: c.nodeName,
        restartPolicy: 'Never',
        containers: [{ name: 'batch', image: 'batch/build/batch.wasm', args: ['--config', '/info/config.txt'], volumeMounts: [{ name: 'info', mountPath: '/info', readOnly: true }] }],
        volumes: [{ name: 'info', downwardAPI: { items: [{ path: 'config.txt', fieldRef: { fieldPath: 'metadata.labels' } }] } }],
      },
    } as Pod;
    await pods(c).create(pod);
    await waitForPod(c, 'batch-downward', (x) => x.status?.phase === 'Succeeded', 15_000, 'Succeeded');
    const log = await c.client.podLogs('default', 'batch-downward');
    expect(log).toContain('config: app="batch"');
    expect(log).toContain('config: team="x"');
  });
});

describe('probes', () => {
  let server: Server;
  let port: number;
  let healthy = true;
  beforeAll(async () => {
    port = await freePort();
    server = createServer((req, res) => {
      res.statusCode = req.url === '/live' ? 500 : healthy ? 200 : 503;
      res.end();
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('a failing liveness probe restarts the container', async () => {
    await pods(c).create(httpPod(c, 'live', {}, { livenessProbe: { httpGet: { host: '127.0.0.1', port, path: '/live' }, periodSeconds: 1, failureThreshold: 1 } }));
    const p = await waitForPod(c, 'live', (x) => (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 20_000, 'a restart');
    expect(p.status?.containerStatuses?.[0]?.restartCount).toBeGreaterThanOrEqual(1);
  });

  it('a failing readiness probe flips Ready without restarting', async () => {
    healthy = true;
    await pods(c).create(httpPod(c, 'ready', {}, { readinessProbe: { httpGet: { host: '127.0.0.1', port, path: '/ready' }, periodSeconds: 1, failureThreshold: 1 } }));
    await waitForPod(c, 'ready', isReady, 15_000, 'Ready');
    healthy = false;
    await waitForPod(c, 'ready', (x) => !isReady(x), 15_000, 'not Ready');
    healthy = true;
    const p = await waitForPod(c, 'ready', isReady, 15_000, 'Ready again');
    expect(p.status?.containerStatuses?.[0]?.restartCount).toBe(0);
  });
});

describe('isolation', () => {
  it('a spinning pod and a memory hog do not stall other pods; delete stops the spinner; the hog ends OOMKilled', async () => {
    await pods(c).create(httpPod(c, 'neighbour'));
    const n = await waitForPod(c, 'neighbour', isReady, 15_000, 'Ready');
    await pods(c).create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'spin', namespace: 'default' }, spec: { nodeName: c.nodeName, restartPolicy: 'Never', terminationGracePeriodSeconds: 2, containers: [{ name: 'spin', image: 'spin/build/spin.wasm' }] } } as Pod);
    await pods(c).create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hog', namespace: 'default' }, spec: { nodeName: c.nodeName, restartPolicy: 'Never', containers: [{ name: 'hog', image: 'memhog/build/memhog.wasm', resources: { limits: { memory: '32Mi' } } }] } } as Pod);
    await waitForPod(c, 'spin', (x) => x.status?.phase === 'Running', 15_000, 'Running');
    const hog = await waitForPod(c, 'hog', (x) => x.status?.phase === 'Failed', 20_000, 'Failed');
    expect(hog.status?.containerStatuses?.[0]?.state?.terminated?.reason).toBe('OOMKilled');
    for (let i = 0; i < 20; i++) expect((await get(`http://${n.status?.podIP}:8080/`))?.status).toBe(200);
    const t0 = Date.now();
    await pods(c).delete('spin', ns);
    await waitFor(async () => !(await pods(c).get('spin', ns).catch(() => undefined)), { timeoutMs: 10_000, message: 'spin deleted' });
    expect(Date.now() - t0).toBeLessThan(2000 + 1500);
  });
});

describe('deletion', () => {
  it('stops the containers, removes the pod object and frees its IP', async () => {
    await pods(c).create(httpPod(c, 'doomed'));
    const p = await waitForPod(c, 'doomed', isReady, 15_000, 'Ready');
    const ip = p.status?.podIP ?? '';
    expect((await get(`http://${ip}:8080/`))?.status).toBe(200);
    await pods(c).delete('doomed', ns);
    await waitFor(async () => !(await pods(c).get('doomed', ns).catch(() => undefined)), { timeoutMs: 10_000, message: 'pod removed' });
    await waitFor(async () => (await get(`http://${ip}:8080/`)) === undefined, { timeoutMs: 5000, message: 'server stopped' });
  });
});

describe('bad pod specs', () => {
  it.each([
    { name: 'no-such-image', image: 'does/not/exist.wasm', reason: /ErrImagePull|ImagePullBackOff/ },
    { name: 'not-wasm', image: 'NOT_WASM', reason: /ErrImagePull|ImagePullBackOff|InvalidImageName/ },
  ])('$name: a clear waiting reason and an Event, the kubelet stays healthy', async ({ name, image: ref, reason }) => {
    let image = ref;
    if (ref === 'NOT_WASM') {
      // A real file that is not WebAssembly.
      image = join(c.rootDir, 'not-a-module.wasm');
      await writeFile(image, 'this is text, not a module\n');
    }
    await pods(c).create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: c.nodeName, runtimeClassName: 'wasm', containers: [{ name: 'app', image }] } } as Pod);
    const p = await waitForPod(c, name, (x) => reason.test(x.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? ''), 15_000, 'waiting reason');
    expect(p.status?.containerStatuses?.[0]?.state?.waiting?.message).toContain(image);
    const events = await c.client.resource(EventResource).list({ namespace: 'default', fieldSelector: `involvedObject.name=${name}` });
    expect(events.items.some((e) => e.type === 'Warning' && e.reason === 'Failed')).toBe(true);
  });

  it('a volume that does not exist: FailedMount and ContainerCreating', async () => {
    await pods(c).create(httpPod(c, 'no-volume', { volumes: [{ name: 'cfg', configMap: { name: 'missing-config' } }] }, { volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }] }));
    await waitFor(
      async () => {
        const events = await c.client.resource(EventResource).list({ namespace: 'default', fieldSelector: 'involvedObject.name=no-volume' });
        return events.items.find((e) => e.reason === 'FailedMount' && (e.message ?? '').includes('missing-config'));
      },
      { timeoutMs: 10_000, message: 'FailedMount event' },
    );
    const p = await pods(c).get('no-volume', ns);
    expect(p.status?.phase).toBe('Pending');
    expect(c.kubelet.child.exitCode).toBeNull();
  });
});
