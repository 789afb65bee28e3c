// CRUD round trip for every registered kind against a real redis-server and apiserver:
// create, get, list, update, stale update (409 Conflict), duplicate create (409 AlreadyExists),
// delete, and 404 afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allResources, type ResourceType } from '@kite/api-types';
import { fixtures, withChange } from './helpers/fixtures.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t.stop());

function collectionPath(rt: ResourceType, ns = 'default'): string {
  const base = rt.group === '' ? `/api/${rt.version}` : `/apis/${rt.group}/${rt.version}`;
  return rt.namespaced ? `${base}/namespaces/${ns}/${rt.plural}` : `${base}/${rt.plural}`;
}

type Obj = { metadata: { name: string; uid?: string; resourceVersion?: string; labels?: Record<string, string>; deletionTimestamp?: string }; status?: { phase?: string } };

describe.each(allResources.map((rt) => [rt.kind, rt] as const))('%s', (kind, rt) => {
  const fixture = fixtures[kind];
  const path = collectionPath(rt);

  it('has a fixture', () => {
    expect(fixture, `add a fixture for ${kind} in test/helpers/fixtures.ts`).toBeDefined();
  });
  if (!fixture) return;
  const name = fixture.metadata.name;

  it('round-trips create, get, list, update, conflict, delete', async () => {
    const created = await t.api<Obj>('POST', path, fixture);
    expect(created.status, created.text).toBe(201);
    expect(created.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    const rv1 = Number(created.body.metadata.resourceVersion);
    expect(rv1).toBeGreaterThan(0);

    const got = await t.api<Obj>('GET', `${path}/${name}`);
    expect(got.status).toBe(200);
    expect(got.body.metadata.uid).toBe(created.body.metadata.uid);

    const list = await t.api<{ kind: string; items: Obj[]; metadata: { resourceVersion: string } }>('GET', path);
    expect(list.body.kind).toBe(`${kind}List`);
    expect(list.body.items.map((i) => i.metadata.name)).toContain(name);
    expect(Number(list.body.metadata.resourceVersion)).toBeGreaterThanOrEqual(rv1);

    const dup = await t.api('POST', path, fixture);
    expect(dup.status).toBe(409);
    expect(dup.body.reason).toBe('AlreadyExists');

    const updated = await t.api<Obj>('PUT', `${path}/${name}`, withChange({ ...got.body, metadata: got.body.metadata } as never));
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.metadata.labels?.changed).toBe('yes');
    expect(Number(updated.body.metadata.resourceVersion)).toBeGreaterThan(rv1);

    const stale = await t.api('PUT', `${path}/${name}`, got.body);
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');

    const del = await t.api<Obj>('DELETE', `${path}/${name}`);
    expect([200, 202]).toContain(del.status);
    if (kind === 'Namespace') {
      // Namespaces stay Terminating until the namespace controller empties them.
      const ns = await t.api<Obj>('GET', `${path}/${name}`);
      expect(ns.body.status?.phase).toBe('Terminating');
      expect(ns.body.metadata.deletionTimestamp).toBeDefined();
    } else if (kind === 'PersistentVolumeClaim' || kind === 'PersistentVolume') {
      // StorageObjectInUseProtection's finalizer holds them until the protection controller lets go.
      const held = await t.api<Obj & { metadata: { finalizers?: string[] } }>('GET', `${path}/${name}`);
      expect(held.body.metadata.deletionTimestamp).toBeDefined();
      expect(held.body.metadata.finalizers).toEqual([kind === 'PersistentVolume' ? 'kubernetes.io/pv-protection' : 'kubernetes.io/pvc-protection']);
    } else {
      const gone = await t.api('GET', `${path}/${name}`);
      expect(gone.status).toBe(404);
      expect(gone.body.reason).toBe('NotFound');
    }
  });
});
