import type { PodAffinityTerm } from '@kite/api-types';
import { describe, expect, it } from 'vitest';
import { Code } from '../../src/framework/status.js';
import { InterPodAntiAffinity } from '../../src/plugins/inter-pod-anti-affinity/inter-pod-anti-affinity.js';
import { cacheWith, nodeWithLabels, pod, runFilter, type PodExtra } from '../helpers/builders.js';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const avoid = (app: string, topologyKey = HOST, extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm => ({ labelSelector: { matchLabels: { app } }, topologyKey, ...extra });
const withAnti = (name: string, labels: Record<string, string>, terms: PodAffinityTerm[], extra: PodExtra = {}) =>
  pod(name, {}, { ...extra, labels, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } } } });

/** n1 and n2 in zone a, n3 in zone b. */
const nodes = () => [nodeWithLabels('n1', { [ZONE]: 'a' }), nodeWithLabels('n2', { [ZONE]: 'a' }), nodeWithLabels('n3', { [ZONE]: 'b' })];

describe('InterPodAntiAffinity', () => {
  it.each<{ name: string; existing: ReturnType<typeof pod>[]; incoming: ReturnType<typeof pod>; node: string; want: Code; reason?: string }>([
    { name: 'no terms anywhere', existing: [pod('w', {}, { labels: { app: 'web' }, nodeName: 'n1' })], incoming: pod('p', {}, { labels: { app: 'web' } }), node: 'n1', want: Code.Success },
    { name: 'own term: a matching pod on the node', existing: [pod('w', {}, { labels: { app: 'web' }, nodeName: 'n1' })], incoming: withAnti('p', { app: 'web' }, [avoid('web')]), node: 'n1', want: Code.Unschedulable, reason: "node(s) didn't match pod anti-affinity rules" },
    { name: 'own term: matching pod on another node', existing: [pod('w', {}, { labels: { app: 'web' }, nodeName: 'n2' })], incoming: withAnti('p', { app: 'web' }, [avoid('web')]), node: 'n1', want: Code.Success },
    { name: 'own term: pod in another namespace does not count', existing: [pod('w', {}, { labels: { app: 'web' }, nodeName: 'n1', namespace: 'other' })], incoming: withAnti('p', { app: 'web' }, [avoid('web')]), node: 'n1', want: Code.Success },
    { name: 'own term: namespaces list', existing: [pod('w', {}, { labels: { app: 'web' }, nodeName: 'n1', namespace: 'other' })], incoming: withAnti('p', {}, [avoid('web', HOST, { namespaces: ['other'] })]), node: 'n1', want: Code.Unschedulable },
    { name: 'own term: zone topology', existing: [pod('w', {}, { labels: { app: 'web' }, nodeName: 'n2' })], incoming: withAnti('p', {}, [avoid('web', ZONE)]), node: 'n1', want: Code.Unschedulable },
    { name: 'own term: other zone is fine', existing: [pod('w', {}, { labels: { app: 'web' }, nodeName: 'n3' })], incoming: withAnti('p', {}, [avoid('web', ZONE)]), node: 'n1', want: Code.Success },
    { name: 'existing pod term selects the incoming pod', existing: [withAnti('w', { app: 'db' }, [avoid('web')], { nodeName: 'n1' })], incoming: pod('p', {}, { labels: { app: 'web' } }), node: 'n1', want: Code.Unschedulable, reason: "node(s) didn't satisfy existing pods anti-affinity rules" },
    { name: 'existing pod term, incoming pod not selected', existing: [withAnti('w', { app: 'db' }, [avoid('web')], { nodeName: 'n1' })], incoming: pod('p', {}, { labels: { app: 'cache' } }), node: 'n1', want: Code.Success },
    { name: 'existing pod term, other node', existing: [withAnti('w', { app: 'db' }, [avoid('web')], { nodeName: 'n2' })], incoming: pod('p', {}, { labels: { app: 'web' } }), node: 'n1', want: Code.Success },
  ])('$name', ({ existing, incoming, node, want, reason }) => {
    const cache = cacheWith(nodes(), existing);
    const out = runFilter(new InterPodAntiAffinity(cache), incoming, cache, node);
    expect(out.code).toBe(want);
    if (reason) expect(out.reasons).toEqual([reason]);
  });
});
