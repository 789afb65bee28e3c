// How Docker pods fail: a crash-looping container restarts with growing back-off, a memory hog
// ends OOMKilled, a missing image ends in ImagePullBackOff naming the image, a command that does
// not exist is a StartError, a failing exec liveness probe restarts its container; and none of
// it disturbs a healthy neighbour or the kubelet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventResource, type Pod } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { get, isReady, pods, waitForPod } from '../helpers.js';
import { dockerPod, httpd, startDockerCluster, type DockerCluster } from './support.js';

let c: DockerCluster;
let neighbour: Pod;
beforeAll(async () => {
  c = await startDockerCluster(63);
  const serve = ['sh', '-c', `mkdir -p /www && echo neighbour > /www/index.html && exec ${httpd(8080, '/www').join(' ')}`];
  await pods(c).create(dockerPod(c, 'neighbour', [{ name: 'web', command: serve, ports: [{ containerPort: 8080 }] }]));
  neighbour = await waitForPod(c, 'neighbour', isReady, 30_000, 'Ready');
});
afterAll(async () => c.stop());

const restarts = (p: Pod) => p.status?.containerStatuses?.[0]?.restartCount ?? 0;
const waiting = (p: Pod) => p.status?.containerStatuses?.[0]?.state?.waiting;
const events = async (name: string) => (await c.client.resource(EventResource).list({ namespace: 'default', fieldSelector: `involvedObject.name=${name}` })).items;

describe('restarts', () => {
  it('a container exiting 1 under OnFailure restarts with growing back-off (CrashLoopBackOff)', async () => {
    await pods(c).create(dockerPod(c, 'crasher', [{ name: 'main', command: ['sh', '-c', 'echo failing; exit 1'] }], { restartPolicy: 'OnFailure' }));
    // When each restart count was first seen: the gaps grow with the back-off (0.5, 1, 2, 4 s).
    const seen = new Map<number, number>();
    const p = await waitForPod(c, 'crasher', (x) => {
      if (!seen.has(restarts(x))) seen.set(restarts(x), Date.now());
      return restarts(x) >= 4;
    }, 40_000, '4 restarts');
    const gap = (from: number) => (seen.get(from + 1) ?? 0) - (seen.get(from) ?? 0);
    expect(gap(3)).toBeGreaterThan(gap(1));
    expect(p.status?.containerStatuses?.[0]?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(p.status?.phase).toBe('Running');
    const w = await waitForPod(c, 'crasher', (x) => waiting(x)?.reason === 'CrashLoopBackOff', 15_000, 'CrashLoopBackOff');
    expect(waiting(w)?.message).toMatch(/back-off \d+(\.\d+)?s restarting failed container=main/);
    expect((await events('crasher')).map((e) => e.reason)).toContain('BackOff');
    expect(await c.client.podLogs('default', 'crasher', { previous: true })).toContain('failing');
  });

  it('a failing exec liveness probe restarts the container', async () => {
    const probe = { exec: { command: ['test', '-f', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 1 };
    await pods(c).create(dockerPod(c, 'unhealthy', [{ name: 'main', command: ['sleep', '3600'], livenessProbe: probe }]));
    await waitForPod(c, 'unhealthy', (x) => restarts(x) >= 1, 30_000, 'a restart');
    expect((await events('unhealthy')).some((e) => e.reason === 'Unhealthy' && (e.message ?? '').includes('Liveness probe failed'))).toBe(true);
  });
});

describe('terminations', () => {
  it.each<{ name: string; command: string[]; limits: Record<string, string>; want: { reason: string; exitCode: number } }>([
    { name: 'hog', command: ['sh', '-c', 'head -c 200000000 /dev/zero | tail'], limits: { memory: '32Mi' }, want: { reason: 'OOMKilled', exitCode: 137 } },
    { name: 'no-such-command', command: ['/does/not/exist'], limits: {}, want: { reason: 'StartError', exitCode: 128 } },
  ])('$name ends $want.reason', async ({ name, command, limits, want }) => {
    await pods(c).create(dockerPod(c, name, [{ name: 'main', command, resources: { limits } }], { restartPolicy: 'Never' }));
    const p = await waitForPod(c, name, (x) => x.status?.phase === 'Failed', 30_000, 'Failed');
    expect(p.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject(want);
  });
});

describe('images', () => {
  it.each([
    { name: 'ghost', image: 'kite-test/does-not-exist:1', policy: 'IfNotPresent', reasons: ['ErrImagePull', 'ImagePullBackOff'], settles: 'ImagePullBackOff' },
    { name: 'never', image: 'kite-test/also-missing:1', policy: 'Never', reasons: ['ErrImageNeverPull'], settles: 'ErrImageNeverPull' },
  ])('$name: a missing image waits in $settles with the image in the message; nothing else is disturbed', async ({ name, image, policy, reasons, settles }) => {
    await pods(c).create(dockerPod(c, name, [{ name: 'main', image, imagePullPolicy: policy as 'Never' }]));
    const first = await waitForPod(c, name, (x) => reasons.includes(waiting(x)?.reason ?? ''), 20_000, 'waiting reason');
    expect(waiting(first)?.message).toContain(image);
    const settled = await waitForPod(c, name, (x) => waiting(x)?.reason === settles, 30_000, settles);
    expect(settled.status?.phase).toBe('Pending');
    const warning = await waitFor(async () => (await events(name)).find((e) => e.type === 'Warning' && (e.message ?? '').includes(image)), { timeoutMs: 10_000, message: 'Warning event' });
    expect(warning.reason).toMatch(/Failed|ErrImageNeverPull/);
    // The neighbour still serves, unrestarted, and the kubelet is alive.
    const n = await pods(c).get('neighbour', { namespace: 'default' });
    expect(isReady(n)).toBe(true);
    expect(n.status?.containerStatuses?.[0]?.containerID).toBe(neighbour.status?.containerStatuses?.[0]?.containerID);
    expect(restarts(n)).toBe(0);
    expect((await get(`http://${n.status?.podIP ?? ''}:8080/`))?.body).toContain('neighbour');
    expect(c.kubelet.child.exitCode).toBeNull();
  });
});
