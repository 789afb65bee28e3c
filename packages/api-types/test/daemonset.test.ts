// apps/v1 DaemonSet and ControllerRevision: registration, Kubernetes' defaults and validation.
import { describe, expect, it } from 'vitest';
import { resourceForPath, type KubeObject } from '../src/index.js';
import { admit, get } from './helpers.js';

const labels = { app: 'agent' };
const ds = (spec: Record<string, unknown> = {}, template: Record<string, unknown> = {}): KubeObject =>
  ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'a.wasm' }], ...template } }, ...spec },
  }) as KubeObject;
const cr = (extra: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'agent-abc', namespace: 'default' }, data: { spec: {} }, revision: 1, ...extra }) as KubeObject;
const fields = (obj: KubeObject, old?: KubeObject): string[] => admit(obj, old).causes.map((c) => c.field);

describe('registration', () => {
  it('DaemonSet is apps/v1 daemonsets, short name ds, with status and no scale', () => {
    const rt = resourceForPath('apps', 'v1', 'daemonsets');
    expect(rt).toMatchObject({ kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], categories: ['all'], subresources: { status: true } });
    expect(rt?.subresources.scale).toBeUndefined();
  });
  it('ControllerRevision is apps/v1 controllerrevisions, namespaced', () => {
    expect(resourceForPath('apps', 'v1', 'controllerrevisions')).toMatchObject({ kind: 'ControllerRevision', namespaced: true });
  });
});

describe('DaemonSet defaults', () => {
  it.each([
    { path: 'spec.updateStrategy.type', want: 'RollingUpdate' },
    { path: 'spec.updateStrategy.rollingUpdate.maxUnavailable', want: 1 },
    { path: 'spec.updateStrategy.rollingUpdate.maxSurge', want: 0 },
    { path: 'spec.revisionHistoryLimit', want: 10 },
    { path: 'spec.minReadySeconds', want: 0 },
    { path: 'spec.template.spec.restartPolicy', want: 'Always' },
  ])('$path = $want', ({ path, want }) => {
    expect(get(admit(ds()).obj, path)).toEqual(want);
  });
  it('OnDelete gets no rollingUpdate', () => {
    expect(get(admit(ds({ updateStrategy: { type: 'OnDelete' } })).obj, 'spec.updateStrategy.rollingUpdate')).toBeUndefined();
  });
});

describe('DaemonSet validation', () => {
  it.each<{ name: string; obj: KubeObject; old?: KubeObject; want: string[] }>([
    { name: 'valid', obj: ds(), want: [] },
    { name: 'selector does not match the template', obj: ds({ selector: { matchLabels: { app: 'other' } } }), want: ['spec.template.metadata.labels'] },
    { name: 'empty selector', obj: ds({ selector: {} }), want: ['spec.selector'] },
    { name: 'restartPolicy OnFailure', obj: ds({}, { restartPolicy: 'OnFailure' }), want: ['spec.template.spec.restartPolicy'] },
    { name: 'maxUnavailable and maxSurge 0', obj: ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } }), want: ['spec.updateStrategy.rollingUpdate.maxUnavailable'] },
    { name: 'maxSurge alone', obj: ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }), want: [] },
    { name: 'percent over 100', obj: ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '120%' } } }), want: ['spec.updateStrategy.rollingUpdate.maxUnavailable'] },
    { name: 'not a percentage', obj: ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'lots' } } }), want: ['spec.updateStrategy.rollingUpdate.maxSurge'] },
    { name: 'negative minReadySeconds', obj: ds({ minReadySeconds: -1 }), want: ['spec.minReadySeconds'] },
    { name: 'negative revisionHistoryLimit', obj: ds({ revisionHistoryLimit: -1 }), want: ['spec.revisionHistoryLimit'] },
    { name: 'selector changed', obj: ds({ selector: { matchLabels: { app: 'agent', tier: 'x' } } }, {}), old: ds(), want: ['spec.selector', 'spec.template.metadata.labels'] },
  ])('$name', ({ obj, old, want }) => {
    const got = fields(obj, old);
    for (const f of want) expect(got, `${JSON.stringify(got)} has ${f}`).toContain(f);
    if (want.length === 0) expect(got).toEqual([]);
  });
});

describe('ControllerRevision validation', () => {
  it.each<{ name: string; obj: KubeObject; old?: KubeObject; want: string[] }>([
    { name: 'valid', obj: cr(), want: [] },
    { name: 'negative revision', obj: cr({ revision: -1 }), want: ['revision'] },
    { name: 'no revision', obj: { ...cr(), revision: undefined } as unknown as KubeObject, want: ['revision'] },
    { name: 'data changed', obj: cr({ data: { spec: { x: 1 } } }), old: cr(), want: ['data'] },
    { name: 'renumbered', obj: cr({ revision: 5 }), old: cr(), want: [] },
  ])('$name', ({ obj, old, want }) => {
    const got = fields(obj, old);
    for (const f of want) expect(got, `${JSON.stringify(got)} has ${f}`).toContain(f);
    if (want.length === 0) expect(got).toEqual([]);
  });
});
