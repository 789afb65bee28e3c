// Service address allocation: concurrent creates get distinct cluster IPs from the service CIDR,
// even across two apiservers on one Redis; requested addresses are honoured or refused with 422;
// NodePorts come from their range; deletes release addresses for reuse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, apiClient, type TestServer } from './helpers/server.js';

const svcs = '/api/v1/namespaces/default/services';
const svc = (name: string, spec: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...spec } });
type Svc = { metadata: { name: string }; spec: { clusterIP?: string; clusterIPs?: string[]; ports: Array<{ nodePort?: number }> } };

describe('Service allocation', () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    a = await startTestServer({ serviceCidr: '127.32.0.0/16', nodePortRange: '30000-32767' });
    b = await startTestServer({ serviceCidr: '127.32.0.0/16', nodePortRange: '30000-32767' }, a.redis);
  });
  afterAll(async () => {
    await b.stop();
    await a.stop();
  });

  it('gives 200 concurrent creates on two apiservers 200 distinct cluster IPs in the CIDR', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).api<Svc>('POST', svcs, svc(`s-${i}`))));
    expect(results.every((r) => r.status === 201)).toBe(true);
    const ips = results.map((r) => r.body.spec.clusterIP ?? '');
    expect(new Set(ips).size).toBe(200);
    for (const ip of ips) expect(ip).toMatch(/^127\.32\.\d+\.\d+$/);
    expect(results[0]?.body.spec.clusterIPs).toEqual([ips[0]]);
  });

  it('honours a requested free IP, refuses a taken or out-of-range one with 422', async () => {
    const ok = await a.api<Svc>('POST', svcs, svc('fixed', { clusterIP: '127.32.200.200' }));
    expect(ok.status).toBe(201);
    expect(ok.body.spec.clusterIP).toBe('127.32.200.200');
    const taken = await a.api<{ reason: string; message: string }>('POST', svcs, svc('fixed-2', { clusterIP: '127.32.200.200' }));
    expect(taken.status).toBe(422);
    expect(taken.body.message).toContain('already allocated');
    const outside = await a.api<{ message: string }>('POST', svcs, svc('outside', { clusterIP: '127.99.0.1' }));
    expect(outside.status).toBe(422);
    expect(outside.body.message).toContain('not in the valid range');
    expect((await a.api('GET', `${svcs}/fixed-2`)).status).toBe(404);
  });

  it('allocates NodePorts in range, keeps IPs across updates, and releases on delete', async () => {
    const np = await a.api<Svc>('POST', svcs, svc('np', { type: 'NodePort' }));
    expect(np.status).toBe(201);
    const port = np.body.spec.ports[0]?.nodePort ?? 0;
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(port).toBeLessThanOrEqual(32767);
    const clash = await a.api<{ message: string }>('POST', svcs, svc('np-2', { type: 'NodePort', ports: [{ port: 80, nodePort: port }] }));
    expect(clash.status).toBe(422);
    // An update that leaves out clusterIP and nodePort keeps them, as Kubernetes does.
    const upd = await a.api<Svc>('PUT', `${svcs}/np`, { ...np.body, spec: { ...np.body.spec, clusterIP: undefined, clusterIPs: undefined, ports: [{ port: 80, targetPort: 8080 }] } });
    expect(upd.status, JSON.stringify(upd.body)).toBe(200);
    expect(upd.body.spec.clusterIP).toBe(np.body.spec.clusterIP);
    expect(upd.body.spec.ports[0]?.nodePort).toBe(port);
    expect((await a.api('DELETE', `${svcs}/np`)).status).toBe(200);
    const again = await apiClient(b.url)<Svc>('POST', svcs, svc('np-3', { type: 'NodePort', clusterIP: np.body.spec.clusterIP, ports: [{ port: 80, nodePort: port }] }));
    expect(again.status).toBe(201);
  });

  it('leaves headless Services without a cluster IP', async () => {
    const h = await a.api<Svc>('POST', svcs, svc('headless', { clusterIP: 'None' }));
    expect(h.status).toBe(201);
    expect(h.body.spec.clusterIP).toBe('None');
  });
});
