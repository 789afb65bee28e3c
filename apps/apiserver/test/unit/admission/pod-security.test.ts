// PodSecurity as a plugin: namespace labels choose enforce/warn/audit; pods are refused, warned
// about or audited; workloads are only warned about and audited; namespace labels are validated.
import type { KubeObject, Pod } from '@kite/api-types';
import { isApiError } from '@kite/apimachinery';
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../../src/admission/interface.js';
import { newPodSecurity, type PodSecurityOptions } from '../../../src/admission/pod-security.js';
import { attrs, container, contextWith, namespace, podWith, refusal } from './helpers.js';

const RESTRICTED_DETAIL =
  'allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), ' +
  'unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), ' +
  'runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true), ' +
  'seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")';
const PRIVILEGED_DETAIL = 'privileged (container "c" must not set securityContext.privileged=true)';

const privilegedPod = () => podWith({ containers: [container('c', { securityContext: { privileged: true } })] });
const deployment = (pod: Pod): KubeObject =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'default' }, spec: { selector: {}, template: { metadata: pod.metadata, spec: pod.spec } } }) as KubeObject;

async function validate(labels: Record<string, string>, kind: string, obj: KubeObject, opts: { operation?: Operation; old?: KubeObject; plugin?: PodSecurityOptions; username?: string } = {}) {
  const plugin = newPodSecurity(contextWith(namespace('default', labels)), opts.plugin);
  const a = attrs(kind, { operation: opts.operation ?? 'CREATE', ...(opts.username ? { username: opts.username } : {}) });
  const handled = plugin.handles(a);
  const error = handled ? await refusal(() => plugin.validate(a, obj, opts.old)) : '';
  return { handled, error, warnings: a.warnings, audit: a.auditAnnotations };
}

describe('PodSecurity on pods', () => {
  it.each<{ name: string; labels: Record<string, string>; pod: Pod; error: string; warnings: string[]; audit: Record<string, string> }>([
    { name: 'no labels: privileged everywhere', labels: {}, pod: privilegedPod(), error: '', warnings: [], audit: { 'pod-security.kubernetes.io/enforce-policy': 'privileged:latest' } },
    {
      name: 'enforce restricted refuses',
      labels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
      pod: podWith(),
      error: `pods "x" is forbidden: violates PodSecurity "restricted:latest": ${RESTRICTED_DETAIL}`,
      warnings: [],
      audit: { 'pod-security.kubernetes.io/enforce-policy': 'restricted:latest' },
    },
    {
      name: 'enforce baseline with a version',
      labels: { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.29' },
      pod: privilegedPod(),
      error: `pods "x" is forbidden: violates PodSecurity "baseline:v1.29": ${PRIVILEGED_DETAIL}`,
      warnings: [],
      audit: { 'pod-security.kubernetes.io/enforce-policy': 'baseline:v1.29' },
    },
    {
      name: 'warn only',
      labels: { 'pod-security.kubernetes.io/warn': 'restricted' },
      pod: podWith(),
      error: '',
      warnings: [`would violate PodSecurity "restricted:latest": ${RESTRICTED_DETAIL}`],
      audit: { 'pod-security.kubernetes.io/enforce-policy': 'privileged:latest' },
    },
    {
      name: 'audit only',
      labels: { 'pod-security.kubernetes.io/audit': 'baseline' },
      pod: privilegedPod(),
      error: '',
      warnings: [],
      audit: {
        'pod-security.kubernetes.io/enforce-policy': 'privileged:latest',
        'pod-security.kubernetes.io/audit-violations': `would violate PodSecurity "baseline:latest": ${PRIVILEGED_DETAIL}`,
      },
    },
    {
      name: 'enforce baseline warns at restricted when asked',
      labels: { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' },
      pod: podWith(),
      error: '',
      warnings: [`would violate PodSecurity "restricted:latest": ${RESTRICTED_DETAIL}`],
      audit: { 'pod-security.kubernetes.io/enforce-policy': 'baseline:latest' },
    },
    {
      name: 'an invalid enforce level fails closed and is audited',
      labels: { 'pod-security.kubernetes.io/enforce': 'strict' },
      pod: podWith(),
      error: `pods "x" is forbidden: violates PodSecurity "restricted:latest": ${RESTRICTED_DETAIL}`,
      warnings: [],
      audit: {
        'pod-security.kubernetes.io/error':
          'Failed to parse policy: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted',
        'pod-security.kubernetes.io/enforce-policy': 'restricted:latest',
      },
    },
    {
      name: 'an invalid warn level fails open',
      labels: { 'pod-security.kubernetes.io/warn': 'strict' },
      pod: podWith(),
      error: '',
      warnings: [],
      audit: {
        'pod-security.kubernetes.io/error': 'Failed to parse policy: metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "strict": must be one of privileged, baseline, restricted',
        'pod-security.kubernetes.io/enforce-policy': 'privileged:latest',
      },
    },
  ])('$name', async ({ labels, pod, error, warnings, audit }) => {
    expect(await validate(labels, 'Pod', pod)).toEqual({ handled: true, error, warnings, audit });
  });

  it('refuses with 403 Forbidden naming the pod', async () => {
    const plugin = newPodSecurity(contextWith(namespace('default', { 'pod-security.kubernetes.io/enforce': 'baseline' })));
    const err = await plugin.validate(attrs('Pod', { name: 'web' }), privilegedPod(), undefined).catch((e: unknown) => e);
    expect(isApiError(err) && err.status).toMatchObject({ code: 403, reason: 'Forbidden', details: { name: 'web', group: '', kind: 'pods' } });
  });

  it.each<{ name: string; old: Pod; now: Pod; error: boolean }>([
    { name: 'metadata-only update is not re-checked', old: privilegedPod(), now: { ...privilegedPod(), metadata: { name: 'x', labels: { a: 'b' } } }, error: false },
    { name: 'image change is re-checked', old: privilegedPod(), now: podWith({ containers: [container('c', { image: 'nginx:2', securityContext: { privileged: true } })] }), error: true },
    {
      name: 'a new ephemeral container is checked',
      old: privilegedPod(),
      now: podWith({ containers: privilegedPod().spec?.containers ?? [], ephemeralContainers: [{ name: 'debug', image: 'busybox' }] }),
      error: true,
    },
  ])('$name', async ({ old, now, error }) => {
    const out = await validate({ 'pod-security.kubernetes.io/enforce': 'baseline' }, 'Pod', now, { operation: 'UPDATE', old });
    expect(out.error !== '').toBe(error);
  });

  it.each(['status', 'binding', 'log', 'exec'])('ignores the %s subresource', async (subresource) => {
    const plugin = newPodSecurity(contextWith(namespace('default', { 'pod-security.kubernetes.io/enforce': 'restricted' })));
    expect(await refusal(() => plugin.validate(attrs('Pod', { subresource }), podWith(), undefined))).toBe('');
  });

  it.each<{ name: string; plugin: PodSecurityOptions; username?: string; pod?: Pod; exempt: string }>([
    { name: 'user', plugin: { exemptions: { usernames: ['admin'] } }, username: 'admin', exempt: 'user' },
    { name: 'namespace', plugin: { exemptions: { namespaces: ['default'] } }, exempt: 'namespace' },
    { name: 'runtime class', plugin: { exemptions: { runtimeClasses: ['wasm'] } }, pod: podWith({ runtimeClassName: 'wasm' }), exempt: 'runtimeClass' },
  ])('exempts by $name when configured', async ({ plugin, username, pod, exempt }) => {
    const out = await validate({ 'pod-security.kubernetes.io/enforce': 'restricted' }, 'Pod', pod ?? podWith(), { plugin, ...(username ? { username } : {}) });
    expect(out.error).toBe('');
    expect(out.audit['pod-security.kubernetes.io/exempt']).toBe(exempt);
  });
});

describe('PodSecurity on workloads', () => {
  it('warns and audits, but never enforces', async () => {
    const labels = { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/audit': 'baseline' };
    expect(await validate(labels, 'Deployment', deployment(privilegedPod()))).toEqual({
      handled: true,
      error: '',
      warnings: [`would violate PodSecurity "baseline:latest": ${PRIVILEGED_DETAIL}`],
      audit: { 'pod-security.kubernetes.io/audit-violations': `would violate PodSecurity "baseline:latest": ${PRIVILEGED_DETAIL}` },
    });
  });

  it.each(['ReplicaSet', 'StatefulSet', 'Job'])('checks the template of a %s', async (kind) => {
    const obj = { ...deployment(privilegedPod()), apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1', kind };
    expect((await validate({ 'pod-security.kubernetes.io/warn': 'baseline' }, kind, obj)).warnings).toEqual([`would violate PodSecurity "baseline:latest": ${PRIVILEGED_DETAIL}`]);
  });

  it('does not handle kinds without a pod template', async () => {
    expect((await validate({ 'pod-security.kubernetes.io/enforce': 'restricted' }, 'ConfigMap', podWith())).handled).toBe(false);
  });
});

describe('PodSecurity on namespaces', () => {
  const ns = (labels: Record<string, string>) => namespace('team', labels);

  it.each<{ name: string; labels: Record<string, string>; want: string }>([
    { name: 'valid labels', labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.32' }, want: '' },
    { name: 'latest', labels: { 'pod-security.kubernetes.io/warn-version': 'latest' }, want: '' },
    {
      name: 'bad level',
      labels: { 'pod-security.kubernetes.io/enforce': 'strict' },
      want: 'Namespace "team" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted',
    },
    {
      name: 'bad version',
      labels: { 'pod-security.kubernetes.io/audit-version': '1.30' },
      want: 'Namespace "team" is invalid: metadata.labels[pod-security.kubernetes.io/audit-version]: Invalid value: "1.30": must be "latest" or "v1.x"',
    },
  ])('create with $name', async ({ labels, want }) => {
    const plugin = newPodSecurity(contextWith());
    expect(await refusal(() => plugin.validate(attrs('Namespace', { name: 'team' }), ns(labels), undefined))).toBe(want);
  });

  it('warns about existing pods when enforce tightens', async () => {
    const pods = ['web-1', 'web-2', 'web-3'].map((name) => ({ ...privilegedPod(), metadata: { name, namespace: 'team' } }));
    const good = { ...podWith(), metadata: { name: 'ok', namespace: 'team' } };
    const plugin = newPodSecurity(contextWith(...pods, good));
    const a = attrs('Namespace', { operation: 'UPDATE', name: 'team' });
    await plugin.validate(a, ns({ 'pod-security.kubernetes.io/enforce': 'baseline' }), ns({}));
    expect(a.warnings).toEqual(['existing pods in namespace "team" violate the new PodSecurity enforce level "baseline:latest"', 'web-1 (and 2 other pods): privileged']);
  });

  it('does not warn when enforce loosens', async () => {
    const plugin = newPodSecurity(contextWith({ ...privilegedPod(), metadata: { name: 'p', namespace: 'team' } }));
    const a = attrs('Namespace', { operation: 'UPDATE', name: 'team' });
    await plugin.validate(a, ns({ 'pod-security.kubernetes.io/enforce': 'baseline' }), ns({ 'pod-security.kubernetes.io/enforce': 'restricted' }));
    expect(a.warnings).toEqual([]);
  });
});
