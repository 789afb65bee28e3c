// The admission registry: Kubernetes' order, flag selection, and runAdmission's two phases.
import type { KubeObject } from '@kite/api-types';
import { describe, expect, it } from 'vitest';
import type { AdmissionAttributes, AdmissionPlugin } from '../../../src/admission/interface.js';
import {
  inTreeRegistry,
  newAdmissionPlugins,
  parsePluginList,
  RECOMMENDED_PLUGIN_ORDER,
  runAdmission,
  selectPlugins,
  validateSelection,
  withPlugins,
} from '../../../src/admission/registry.js';
import { attrs, contextWith, namespace, podWith, refusal } from './helpers.js';

describe('registry', () => {
  it('lists the plugins in Kubernetes order', () => {
    expect([...inTreeRegistry.keys()]).toEqual(['NamespaceLifecycle', 'LimitRanger', 'ServiceAccount', 'PodSecurity', 'DefaultTolerationSeconds', 'DefaultStorageClass', 'StorageObjectInUseProtection', 'PersistentVolumeClaimResize', 'RuntimeClass']);
    expect(RECOMMENDED_PLUGIN_ORDER).toEqual(['NamespaceLifecycle', 'LimitRanger', 'ServiceAccount', 'NodeRestriction', 'PodSecurity', 'DefaultTolerationSeconds', 'DefaultStorageClass', 'StorageObjectInUseProtection', 'PersistentVolumeClaimResize', 'RuntimeClass', 'ResourceQuota']);
  });

  it('slots plugins added later into their place', () => {
    const stub = (name: string) => () => ({ name, handles: () => false, validate: () => {} });
    const reg = withPlugins(inTreeRegistry, [
      ['ResourceQuota', stub('ResourceQuota')],
      ['ServiceAccount', stub('ServiceAccount')],
    ]);
    expect([...reg.keys()]).toEqual(['NamespaceLifecycle', 'LimitRanger', 'ServiceAccount', 'PodSecurity', 'DefaultTolerationSeconds', 'DefaultStorageClass', 'StorageObjectInUseProtection', 'PersistentVolumeClaimResize', 'RuntimeClass', 'ResourceQuota']);
  });

  it.each<{ name: string; enable?: string; disable?: string; want: string[] | string }>([
    { name: 'defaults', want: ['NamespaceLifecycle', 'LimitRanger', 'ServiceAccount', 'PodSecurity', 'DefaultTolerationSeconds', 'DefaultStorageClass', 'StorageObjectInUseProtection', 'PersistentVolumeClaimResize', 'RuntimeClass'] },
    { name: 'disable two', disable: 'LimitRanger, PodSecurity', want: ['NamespaceLifecycle', 'ServiceAccount', 'DefaultTolerationSeconds', 'DefaultStorageClass', 'StorageObjectInUseProtection', 'PersistentVolumeClaimResize', 'RuntimeClass'] },
    { name: 'enable in any order keeps registry order', enable: 'DefaultTolerationSeconds,NamespaceLifecycle', want: ['NamespaceLifecycle', 'LimitRanger', 'ServiceAccount', 'PodSecurity', 'DefaultTolerationSeconds', 'DefaultStorageClass', 'StorageObjectInUseProtection', 'PersistentVolumeClaimResize', 'RuntimeClass'] },
    { name: 'unknown', enable: 'AlwaysPullImages', want: 'enable-admission-plugins plugin "AlwaysPullImages" is unknown' },
    { name: 'unknown disable', disable: 'Foo', want: 'disable-admission-plugins plugin "Foo" is unknown' },
    { name: 'overlap', enable: 'PodSecurity', disable: 'PodSecurity', want: '[PodSecurity] in enable-admission-plugins and disable-admission-plugins overlapped' },
  ])('selects $name', ({ enable, disable, want }) => {
    const sel = { enable: parsePluginList(enable), disable: parsePluginList(disable) };
    if (typeof want === 'string') {
      expect(validateSelection(sel)).toEqual([want]);
      expect(() => selectPlugins(sel)).toThrow(want);
    } else expect(selectPlugins(sel)).toEqual(want);
  });
});

describe('runAdmission', () => {
  const recorder = (log: string[], name: string, kind: 'mutating' | 'validating' | 'both'): AdmissionPlugin => ({
    name,
    handles: () => true,
    ...(kind !== 'validating' ? { admit: () => void log.push(`admit ${name}`) } : {}),
    ...(kind !== 'mutating' ? { validate: () => void log.push(`validate ${name}`) } : {}),
  }) as AdmissionPlugin;

  it('runs every mutating plugin, then the hook, then every validating plugin', async () => {
    const log: string[] = [];
    const plugins = [recorder(log, 'a', 'validating'), recorder(log, 'b', 'both'), recorder(log, 'c', 'mutating')];
    await runAdmission(plugins, attrs('Pod'), podWith(), undefined, { afterMutation: () => void log.push('schema') });
    expect(log).toEqual(['admit b', 'admit c', 'schema', 'validate a', 'validate b']);
  });

  it('skips plugins that do not handle the request', async () => {
    const log: string[] = [];
    const p = { ...recorder(log, 'a', 'both'), handles: (a: AdmissionAttributes) => a.rt.kind === 'Node' };
    await runAdmission([p], attrs('Pod'), podWith(), undefined);
    expect(log).toEqual([]);
  });

  it('runs the in-tree chain on a pod: defaults, tolerations, then PodSecurity sees the result', async () => {
    const ctx = contextWith(namespace('default', { 'pod-security.kubernetes.io/enforce': 'baseline' }), {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'lr', namespace: 'default' },
      spec: { limits: [{ type: 'Container', default: { cpu: '1' }, defaultRequest: { cpu: '1' } }] },
    } as KubeObject);
    const plugins = newAdmissionPlugins(selectPlugins(), ctx);
    const pod = podWith();
    const a = attrs('Pod');
    await runAdmission(plugins, a, pod, undefined);
    expect(pod.spec?.containers[0]?.resources).toEqual({ limits: { cpu: '1' }, requests: { cpu: '1' } });
    expect(pod.spec?.tolerations?.map((t) => t.key)).toEqual(['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
    expect(a.auditAnnotations['pod-security.kubernetes.io/enforce-policy']).toBe('baseline:latest');

    const bad = podWith({ hostNetwork: true });
    expect(await refusal(() => runAdmission(plugins, attrs('Pod'), bad, undefined))).toBe('pods "x" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true)');
    expect(await refusal(() => runAdmission(plugins, attrs('Pod', { namespace: 'gone' }), podWith(), undefined))).toBe('namespaces "gone" not found');
  });
});
