// policy/v1 PodDisruptionBudget: registration and Kubernetes' ValidatePodDisruptionBudget.
import { describe, expect, it } from 'vitest';
import { resourceForPath, type KubeObject } from '../src/index.js';
import { admit } from './helpers.js';

const pdb = (spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject =>
  ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'b', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec }, ...(status ? { status } : {}) }) as KubeObject;

const fields = (obj: KubeObject): string[] => admit(obj).causes.map((c) => c.field);

describe('PodDisruptionBudget registration', () => {
  it('is policy/v1 poddisruptionbudgets, short name pdb, with status', () => {
    expect(resourceForPath('policy', 'v1', 'poddisruptionbudgets')).toMatchObject({ kind: 'PodDisruptionBudget', namespaced: true, shortNames: ['pdb'], subresources: { status: true } });
  });
});

describe('PodDisruptionBudget validation', () => {
  it.each<{ name: string; obj: KubeObject; want: string[] }>([
    { name: 'minAvailable integer', obj: pdb({ minAvailable: 2 }), want: [] },
    { name: 'minAvailable percentage', obj: pdb({ minAvailable: '50%' }), want: [] },
    { name: 'maxUnavailable percentage', obj: pdb({ maxUnavailable: '100%' }), want: [] },
    { name: 'both set', obj: pdb({ minAvailable: 1, maxUnavailable: 1 }), want: ['spec'] },
    { name: 'negative', obj: pdb({ maxUnavailable: -1 }), want: ['spec.maxUnavailable'] },
    { name: 'not a percentage', obj: pdb({ minAvailable: 'half' }), want: ['spec.minAvailable'] },
    { name: 'over 100%', obj: pdb({ minAvailable: '101%' }), want: ['spec.minAvailable'] },
    { name: 'unknown unhealthyPodEvictionPolicy', obj: pdb({ minAvailable: 1, unhealthyPodEvictionPolicy: 'Never' }), want: ['spec.unhealthyPodEvictionPolicy'] },
    { name: 'AlwaysAllow', obj: pdb({ minAvailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' }), want: [] },
    { name: 'bad selector key', obj: pdb({ minAvailable: 1, selector: { matchLabels: { 'bad key': 'x' } } }), want: ['spec.selector.matchLabels'] },
    { name: 'negative status counts', obj: pdb({ minAvailable: 1 }, { disruptionsAllowed: -1 }), want: ['status.disruptionsAllowed'] },
  ])('$name', ({ obj, want }) => {
    const got = fields(obj);
    for (const f of want) expect(got.some((g) => g.startsWith(f)), `${JSON.stringify(got)} has ${f}`).toBe(true);
    if (want.length === 0) expect(got).toEqual([]);
  });
});
