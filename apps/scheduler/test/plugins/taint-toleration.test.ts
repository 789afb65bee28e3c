import type { Taint, Toleration } from '@kite/api-types';
import { describe, expect, it } from 'vitest';
import { Code } from '../../src/framework/status.js';
import { TaintToleration } from '../../src/plugins/taint-toleration/taint-toleration.js';
import { tolerates } from '../../src/plugins/taint-toleration/tolerations.js';
import { cacheWith, node, nodeWithTaints, podWithTolerations, runFilter, runScore } from '../helpers/builders.js';

const noSchedule = (key: string, value?: string): Taint => ({ key, value, effect: 'NoSchedule' });
const plugin = new TaintToleration();

describe('TaintToleration filter', () => {
  it.each<{ name: string; taints: Taint[]; tolerations: Toleration[]; want: Code; reason?: string }>([
    { name: 'no taints', taints: [], tolerations: [], want: Code.Success },
    { name: 'untolerated NoSchedule', taints: [noSchedule('dedicated', 'gpu')], tolerations: [], want: Code.UnschedulableAndUnresolvable, reason: 'node(s) had untolerated taint {dedicated: gpu}' },
    { name: 'untolerated NoExecute', taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }], tolerations: [], want: Code.UnschedulableAndUnresolvable, reason: 'node(s) had untolerated taint {k: v}' },
    { name: 'PreferNoSchedule never filters', taints: [{ key: 'k', effect: 'PreferNoSchedule' }], tolerations: [], want: Code.Success },
    { name: 'Equal with value', taints: [noSchedule('dedicated', 'gpu')], tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }], want: Code.Success },
    { name: 'Equal with other value', taints: [noSchedule('dedicated', 'gpu')], tolerations: [{ key: 'dedicated', value: 'cpu' }], want: Code.UnschedulableAndUnresolvable },
    { name: 'Exists on key', taints: [noSchedule('dedicated', 'gpu')], tolerations: [{ key: 'dedicated', operator: 'Exists' }], want: Code.Success },
    { name: 'empty key Exists tolerates all', taints: [noSchedule('a'), { key: 'b', effect: 'NoExecute' }], tolerations: [{ operator: 'Exists' }], want: Code.Success },
    { name: 'effect must match', taints: [noSchedule('k', 'v')], tolerations: [{ key: 'k', value: 'v', effect: 'NoExecute' }], want: Code.UnschedulableAndUnresolvable },
    { name: 'empty value taint', taints: [noSchedule('node-role.kubernetes.io/control-plane')], tolerations: [], want: Code.UnschedulableAndUnresolvable, reason: 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }' },
    { name: 'second taint untolerated', taints: [noSchedule('a'), noSchedule('b', 'x')], tolerations: [{ key: 'a', operator: 'Exists' }], want: Code.UnschedulableAndUnresolvable, reason: 'node(s) had untolerated taint {b: x}' },
  ])('$name', ({ taints, tolerations, want, reason }) => {
    const cache = cacheWith([nodeWithTaints('n', ...taints)]);
    const out = runFilter(plugin, podWithTolerations('p', ...tolerations), cache, 'n');
    expect(out.code).toBe(want);
    if (reason) expect(out.reasons).toEqual([reason]);
  });
});

describe('TaintToleration score', () => {
  it.each<{ name: string; tolerations: Toleration[]; want: Record<string, number> }>([
    { name: 'fewer untolerated PreferNoSchedule taints is better', tolerations: [], want: { clean: 100, one: 50, two: 0 } },
    { name: 'a toleration evens them', tolerations: [{ operator: 'Exists', effect: 'PreferNoSchedule' }], want: { clean: 100, one: 100, two: 100 } },
  ])('$name', ({ tolerations, want }) => {
    const prefer = (key: string): Taint => ({ key, effect: 'PreferNoSchedule' });
    const cache = cacheWith([node('clean'), nodeWithTaints('one', prefer('a')), nodeWithTaints('two', prefer('a'), prefer('b'))]);
    expect(runScore(plugin, podWithTolerations('p', ...tolerations), cache)).toEqual(want);
  });
});

describe('tolerates', () => {
  it.each<[Toleration, Taint, boolean]>([
    [{ key: 'k', operator: 'Exists' }, { key: 'k', value: 'anything', effect: 'NoSchedule' }, true],
    [{ key: 'k', operator: 'Equal', value: '' }, { key: 'k', effect: 'NoSchedule' }, true],
    [{ key: 'k', value: 'v', effect: '' }, { key: 'k', value: 'v', effect: 'NoExecute' }, true],
    [{ key: 'other', operator: 'Exists' }, { key: 'k', effect: 'NoSchedule' }, false],
  ])('%j vs %j → %s', (t, taint, want) => expect(tolerates(t, taint)).toBe(want));
});
