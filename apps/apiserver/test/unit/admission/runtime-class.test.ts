// Table tests of the RuntimeClass admission plugin: overhead copied from the class, nodeSelector
// merged (a conflicting key refused), tolerations appended once, a missing class refused, and an
// overhead set without (or against) the class's refused — with Kubernetes' messages.
import { describe, expect, it } from 'vitest';
import type { Pod, ResourceList, RuntimeClass } from '@kite/api-types';
import { isApiError } from '@kite/apimachinery';
import { RuntimeClassAdmission, mergeTolerations, sameResources } from '../../../src/admission/runtime-class.js';
import { attrs, contextWith, podWith, refusal } from './helpers.js';

function rc(name: string, extra: Partial<RuntimeClass> = {}): RuntimeClass {
  return { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name }, handler: name, ...extra };
}

const classes = [
  rc('plain'),
  rc('heavy', { overhead: { podFixed: { cpu: '250m', memory: '64Mi' } } }),
  rc('pinned', { scheduling: { nodeSelector: { 'runtime.kite.dev/wasm': 'true' }, tolerations: [{ key: 'wasm-only', operator: 'Exists', effect: 'NoSchedule' }] } }),
];
const plugin = new RuntimeClassAdmission(contextWith(...classes));

async function admitted(pod: Pod): Promise<Pod> {
  await plugin.admit(attrs('Pod'), pod);
  await plugin.validate(attrs('Pod'), pod);
  return pod;
}

describe('RuntimeClass admission', () => {
  it('leaves a pod without a class alone', async () => {
    const pod = await admitted(podWith());
    expect(pod.spec?.overhead).toBeUndefined();
    expect(pod.spec?.nodeSelector).toBeUndefined();
  });

  it('copies the class overhead into the pod', async () => {
    expect((await admitted(podWith({ runtimeClassName: 'heavy' }))).spec?.overhead).toEqual({ cpu: '250m', memory: '64Mi' });
  });

  it('accepts an overhead equal in value to the class one', async () => {
    expect((await admitted(podWith({ runtimeClassName: 'heavy', overhead: { cpu: '0.25', memory: '64Mi' } }))).spec?.overhead).toEqual({ cpu: '250m', memory: '64Mi' });
  });

  it('merges the class scheduling into the pod', async () => {
    const pod = await admitted(podWith({ runtimeClassName: 'pinned', nodeSelector: { zone: 'a' }, tolerations: [{ key: 'wasm-only', operator: 'Exists', effect: 'NoSchedule' }] }));
    expect(pod.spec?.nodeSelector).toEqual({ zone: 'a', 'runtime.kite.dev/wasm': 'true' });
    expect(pod.spec?.tolerations).toEqual([{ key: 'wasm-only', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  it.each([
    { name: 'missing class', spec: { runtimeClassName: 'gvisor' }, want: 'pods "x" is forbidden: pod rejected: RuntimeClass "gvisor" not found' },
    { name: 'overhead differs', spec: { runtimeClassName: 'heavy', overhead: { cpu: '1' } }, want: `pods "x" is forbidden: pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead` },
    { name: 'overhead without one in the class', spec: { runtimeClassName: 'plain', overhead: { cpu: '1' } }, want: 'pods "x" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead' },
    { name: 'overhead without a class', spec: { overhead: { cpu: '1' } }, want: 'pods "x" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead' },
    {
      name: 'nodeSelector conflict',
      spec: { runtimeClassName: 'pinned', nodeSelector: { 'runtime.kite.dev/wasm': 'false' } },
      want: 'pods "x" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[runtime.kite.dev/wasm] = true; pod.spec.nodeSelector[runtime.kite.dev/wasm] = false',
    },
  ])('refuses: $name', async ({ spec, want }) => {
    expect(await refusal(() => admitted(podWith(spec)))).toBe(want);
  });

  it('refuses with 403 Forbidden', async () => {
    const err: unknown = await admitted(podWith({ runtimeClassName: 'gvisor' })).catch((e: unknown) => e);
    expect(isApiError(err) && err.code).toBe(403);
  });

  it('acts on pod creation only', () => {
    expect(plugin.handles(attrs('Pod'))).toBe(true);
    expect(plugin.handles(attrs('Pod', { operation: 'UPDATE' }))).toBe(false);
    expect(plugin.handles(attrs('Pod', { subresource: 'status' }))).toBe(false);
    expect(plugin.handles(attrs('Deployment'))).toBe(false);
  });
});

describe('helpers', () => {
  it.each<{ a: ResourceList; b: ResourceList; want: boolean }>([
    { a: { cpu: '1' }, b: { cpu: '1000m' }, want: true },
    { a: { cpu: '1' }, b: { cpu: '1', memory: '1Mi' }, want: false },
    { a: { memory: '1Gi' }, b: { memory: '1G' }, want: false },
    { a: {}, b: {}, want: true },
  ])('sameResources($a, $b) = $want', ({ a, b, want }) => expect(sameResources(a, b)).toBe(want));

  it('appends only tolerations the pod lacks', () => {
    const t = { key: 'k', operator: 'Equal' as const, value: 'v', effect: 'NoSchedule' as const };
    expect(mergeTolerations([t], [{ ...t }, { key: 'other', operator: 'Exists' }])).toEqual([t, { key: 'other', operator: 'Exists' }]);
  });
});
