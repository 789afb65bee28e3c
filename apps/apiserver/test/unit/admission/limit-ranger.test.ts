// LimitRanger: defaults from the Container item, then min/max/ratio per container, per pod and
// per claim, refused with Kubernetes' messages.
import type { Container, LimitRange, LimitRangeItem, PersistentVolumeClaim, Pod } from '@kite/api-types';
import { describe, expect, it } from 'vitest';
import { addQuantities, podTotals } from '../../../src/admission/limit-ranger/constraints.js';
import { LIMIT_RANGER_ANNOTATION, newLimitRanger } from '../../../src/admission/limit-ranger.js';
import type { Operation } from '../../../src/admission/interface.js';
import { attrs, container, contextWith, podWith, refusal } from './helpers.js';

const limitRange = (name: string, ...limits: LimitRangeItem[]): LimitRange => ({
  apiVersion: 'v1',
  kind: 'LimitRange',
  metadata: { name, namespace: 'default' },
  spec: { limits },
});
const res = (requests?: Record<string, string>, limits?: Record<string, string>): Partial<Container> => ({
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
});
const pod = (...containers: Container[]): Pod => podWith({ containers });

/** Admit then validate, as the chain runs them. */
async function run(lrs: LimitRange[], obj: Pod | PersistentVolumeClaim, kind = 'Pod', operation: Operation = 'CREATE'): Promise<string> {
  const plugin = newLimitRanger(contextWith(...lrs));
  const a = attrs(kind, { operation });
  if (!plugin.handles(a)) return 'not handled';
  await plugin.admit(a, obj, undefined);
  return refusal(() => plugin.validate(a, obj, undefined));
}

describe('LimitRanger defaults', () => {
  const defaults = limitRange('defaults', { type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } });

  it.each<{ name: string; c: Container; want: Container['resources']; note: string }>([
    {
      name: 'fills everything into an empty container',
      c: container('web'),
      want: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
      note: 'LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web',
    },
    {
      name: 'keeps what the container sets',
      c: container('web', res({ cpu: '200m' }, { memory: '1Gi' })),
      want: { limits: { memory: '1Gi', cpu: '500m' }, requests: { cpu: '200m', memory: '128Mi' } },
      note: 'LimitRanger plugin set: memory request for container web; cpu limit for container web',
    },
  ])('$name', async ({ c, want, note }) => {
    const p = pod(c);
    expect(await run([defaults], p)).toBe('');
    expect(p.spec?.containers[0]?.resources).toEqual(want);
    expect(p.metadata.annotations?.[LIMIT_RANGER_ANNOTATION]).toBe(note);
  });

  it('defaults init containers too, and leaves complete pods unannotated', async () => {
    const p = podWith({ initContainers: [container('setup')], containers: [container('web', res({ cpu: '1', memory: '1Mi' }, { cpu: '1', memory: '1Mi' }))] });
    await run([defaults], p);
    expect(p.metadata.annotations?.[LIMIT_RANGER_ANNOTATION]).toBe('LimitRanger plugin set: cpu, memory request for init container setup; cpu, memory limit for init container setup');
    const full = pod(container('web', res({ cpu: '1', memory: '1Mi' }, { cpu: '1', memory: '1Mi' })));
    await run([defaults], full);
    expect(full.metadata.annotations).toBeUndefined();
  });
});

describe('LimitRanger constraints', () => {
  it.each<{ name: string; items: LimitRangeItem[]; pod: Pod; want: string }>([
    { name: 'within bounds', items: [{ type: 'Container', max: { cpu: '1' }, min: { cpu: '100m' } }], pod: pod(container('c', res({ cpu: '200m' }, { cpu: '1' }))), want: '' },
    {
      name: 'container limit above max',
      items: [{ type: 'Container', max: { cpu: '1' } }],
      pod: pod(container('c', res({ cpu: '1' }, { cpu: '2' }))),
      want: 'pods "x" is forbidden: maximum cpu usage per Container is 1, but limit is 2',
    },
    {
      name: 'container without a limit under a max (and no default)',
      items: [{ type: 'Container', max: { memory: '1Gi' }, default: {} }],
      pod: pod(container('c')),
      want: 'pods "x" is forbidden: maximum memory usage per Container is 1Gi.  No limit is specified',
    },
    {
      name: 'request below min',
      items: [{ type: 'Container', min: { memory: '64Mi' } }],
      pod: pod(container('c', res({ memory: '32Mi' }))),
      want: 'pods "x" is forbidden: minimum memory usage per Container is 64Mi, but request is 32Mi',
    },
    {
      name: 'limit below min',
      items: [{ type: 'Container', min: { cpu: '500m' } }],
      pod: pod(container('c', res({ cpu: '500m' }, { cpu: '0.2' }))),
      want: 'pods "x" is forbidden: minimum cpu usage per Container is 500m, but limit is 200m',
    },
    {
      name: 'ratio exceeded',
      items: [{ type: 'Container', maxLimitRequestRatio: { cpu: '2' } }],
      pod: pod(container('c', res({ cpu: '100m' }, { cpu: '300m' }))),
      want: 'pods "x" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 3.000000',
    },
    {
      name: 'ratio without a request',
      items: [{ type: 'Container', maxLimitRequestRatio: { cpu: '2' } }],
      pod: pod(container('c', res(undefined, { cpu: '300m' }))),
      want: 'pods "x" is forbidden: cpu max limit to request ratio per Container is 2, but no request is specified or request is 0',
    },
    {
      name: 'pod total above max',
      items: [{ type: 'Pod', max: { cpu: '1' } }],
      pod: pod(container('a', res({ cpu: '500m' }, { cpu: '600m' })), container('b', res({ cpu: '500m' }, { cpu: '600m' }))),
      want: 'pods "x" is forbidden: maximum cpu usage per Pod is 1, but limit is 1200m',
    },
    {
      name: 'several violations in brackets',
      items: [{ type: 'Container', max: { cpu: '1', memory: '1Gi' } }],
      pod: pod(container('c', res({ cpu: '1', memory: '1Gi' }, { cpu: '2', memory: '2Gi' }))),
      want: 'pods "x" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, maximum memory usage per Container is 1Gi, but limit is 2Gi]',
    },
    {
      name: 'the same violation by two containers reads once',
      items: [{ type: 'Container', max: { cpu: '1' } }],
      pod: pod(container('a', res(undefined, { cpu: '2' })), container('b', res(undefined, { cpu: '2' }))),
      want: 'pods "x" is forbidden: maximum cpu usage per Container is 1, but limit is 2',
    },
  ])('$name', async ({ items, pod, want }) => {
    expect(await run([limitRange('lr', ...items)], pod)).toBe(want);
  });

  it('defaults make a container satisfy the range it is checked against', async () => {
    const lr = limitRange('lr', { type: 'Container', max: { cpu: '1' }, default: { cpu: '1' }, defaultRequest: { cpu: '1' } });
    expect(await run([lr], pod(container('c')))).toBe('');
  });

  it('does not check pod updates', async () => {
    expect(await run([limitRange('lr', { type: 'Container', max: { cpu: '1' } })], pod(container('c')), 'Pod', 'UPDATE')).toBe('not handled');
  });

  it.each<{ name: string; request?: string; want: string }>([
    { name: 'claim within bounds', request: '5Gi', want: '' },
    { name: 'claim above max', request: '20Gi', want: 'persistentvolumeclaims "x" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi' },
    { name: 'claim below min', request: '500Mi', want: 'persistentvolumeclaims "x" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi' },
  ])('$name', async ({ request, want }) => {
    const lr = limitRange('lr', { type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } });
    const pvc: PersistentVolumeClaim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'x', namespace: 'default' },
      spec: { resources: { requests: request ? { storage: request } : {} } },
    };
    expect(await run([lr], pvc, 'PersistentVolumeClaim')).toBe(want);
  });
});

describe('pod totals', () => {
  it.each<{ name: string; a: string; b: string; want: string }>([
    { name: 'milli and whole', a: '500m', b: '1', want: '1500m' },
    { name: 'binary', a: '128Mi', b: '256Mi', want: '384Mi' },
    { name: 'decimal', a: '1G', b: '500M', want: '1500M' },
  ])('adds $name', ({ a, b, want }) => {
    expect(addQuantities(a, b)).toBe(want);
  });

  it('takes the larger of the containers plus sidecars and the largest init container plus earlier sidecars', () => {
    // containers 1 + 1, sidecar 500m → 2500m; init container 3 after the sidecar → 3500m.
    const spec = podWith({
      containers: [container('a', res({ cpu: '1' })), container('b', res({ cpu: '1' }))],
      initContainers: [container('side', { ...res({ cpu: '500m' }), restartPolicy: 'Always' }), container('init', res({ cpu: '3' }))],
    }).spec;
    expect(spec && podTotals(spec, (c) => c.resources?.requests)).toEqual({ cpu: '3500m' });
  });
});
