import type { NodeSelectorTerm, PreferredSchedulingTerm } from '@kite/api-types';
import { describe, expect, it } from 'vitest';
import { Code } from '../../src/framework/status.js';
import { NodeAffinity } from '../../src/plugins/node-affinity/node-affinity.js';
import { cacheWith, nodeWithLabels, pod, runFilter, runScore } from '../helpers/builders.js';

const plugin = new NodeAffinity();
const labels = { zone: 'a', disk: 'ssd', cores: '8' };
const required = (...nodeSelectorTerms: NodeSelectorTerm[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } } });

describe('NodeAffinity filter (nodeSelector and required affinity)', () => {
  it.each<{ name: string; spec: object; want: Code }>([
    { name: 'no constraints', spec: {}, want: Code.Success },
    { name: 'nodeSelector matches', spec: { nodeSelector: { zone: 'a', disk: 'ssd' } }, want: Code.Success },
    { name: 'nodeSelector value differs', spec: { nodeSelector: { zone: 'b' } }, want: Code.UnschedulableAndUnresolvable },
    { name: 'nodeSelector label missing', spec: { nodeSelector: { gpu: 'true' } }, want: Code.UnschedulableAndUnresolvable },
    { name: 'In', spec: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }), want: Code.Success },
    { name: 'NotIn', spec: required({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }), want: Code.UnschedulableAndUnresolvable },
    { name: 'NotIn on a missing label matches', spec: required({ matchExpressions: [{ key: 'gpu', operator: 'NotIn', values: ['x'] }] }), want: Code.Success },
    { name: 'Exists', spec: required({ matchExpressions: [{ key: 'disk', operator: 'Exists' }] }), want: Code.Success },
    { name: 'DoesNotExist', spec: required({ matchExpressions: [{ key: 'disk', operator: 'DoesNotExist' }] }), want: Code.UnschedulableAndUnresolvable },
    { name: 'Gt', spec: required({ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] }), want: Code.Success },
    { name: 'Lt', spec: required({ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['4'] }] }), want: Code.UnschedulableAndUnresolvable },
    { name: 'Gt on a non-integer label', spec: required({ matchExpressions: [{ key: 'zone', operator: 'Gt', values: ['1'] }] }), want: Code.UnschedulableAndUnresolvable },
    { name: 'terms are ORed', spec: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z'] }] }, { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }), want: Code.Success },
    { name: 'requirements are ANDed', spec: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'disk', operator: 'In', values: ['hdd'] }] }), want: Code.UnschedulableAndUnresolvable },
    { name: 'an empty term matches nothing', spec: required({}), want: Code.UnschedulableAndUnresolvable },
    { name: 'matchFields on metadata.name', spec: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n'] }] }), want: Code.Success },
    { name: 'nodeSelector and affinity must both hold', spec: { nodeSelector: { zone: 'b' }, ...required({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }) }, want: Code.UnschedulableAndUnresolvable },
  ])('$name', ({ spec, want }) => {
    const out = runFilter(plugin, pod('p', {}, { spec }), cacheWith([nodeWithLabels('n', labels)]), 'n');
    expect(out.code).toBe(want);
    if (want !== Code.Success) expect(out.reasons).toEqual(["node(s) didn't match Pod's node affinity/selector"]);
  });
});

describe('NodeAffinity score (preferred affinity)', () => {
  const term = (weight: number, key: string, value: string): PreferredSchedulingTerm => ({ weight, preference: { matchExpressions: [{ key, operator: 'In', values: [value] }] } });
  it.each<{ name: string; terms: PreferredSchedulingTerm[]; want: Record<string, number> }>([
    { name: 'no preferences', terms: [], want: { a: 0, b: 0, c: 0 } },
    { name: 'one preference', terms: [term(10, 'zone', 'a')], want: { a: 100, b: 0, c: 0 } },
    { name: 'weights add up and scale to the best', terms: [term(30, 'zone', 'a'), term(10, 'disk', 'ssd')], want: { a: 100, b: 25, c: 0 } },
  ])('$name', ({ terms, want }) => {
    const cache = cacheWith([nodeWithLabels('a', { zone: 'a', disk: 'ssd' }), nodeWithLabels('b', { zone: 'b', disk: 'ssd' }), nodeWithLabels('c', { zone: 'c' })]);
    const p = pod('p', {}, { spec: { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms } } } });
    expect(runScore(plugin, p, cache)).toEqual(want);
  });
});
