// The Pod Security Standards checks, one row per violation, with Kubernetes' reason and detail
// as `reason (detail)` (the text PodSecurity puts after `violates PodSecurity "...": `).
import type { Container, PodSpec, SecurityContext } from '@kite/api-types';
import { describe, expect, it } from 'vitest';
import { LATEST, type Level, type Version } from '../../../src/admission/pod-security/api.js';
import { aggregate, Evaluator } from '../../../src/admission/pod-security/evaluator.js';
import { container, podWith } from './helpers.js';

const evaluator = new Evaluator();
const detail = (level: Level, pod: ReturnType<typeof podWith>, version: Version = LATEST): string =>
  aggregate(evaluator.evaluatePod({ level, version }, pod.metadata, pod.spec ?? { containers: [] })).detail;

/** A container that passes restricted:latest. */
const RESTRICTED_SC: SecurityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
const good = (name = 'c', sc: SecurityContext = {}): Container => container(name, { securityContext: { ...RESTRICTED_SC, ...sc } });
const withSc = (sc: SecurityContext, name = 'c'): Container => container(name, { securityContext: sc });
const spec = (s: Partial<PodSpec>) => podWith(s);

describe('baseline checks', () => {
  it.each<{ name: string; pod: ReturnType<typeof podWith>; want: string }>([
    { name: 'a plain pod passes', pod: spec({}), want: '' },
    { name: 'host namespaces', pod: spec({ hostNetwork: true, hostPID: true, hostIPC: true }), want: 'host namespaces (hostNetwork=true, hostPID=true, hostIPC=true)' },
    { name: 'privileged', pod: spec({ containers: [withSc({ privileged: true })] }), want: 'privileged (container "c" must not set securityContext.privileged=true)' },
    {
      name: 'capabilities beyond the default set',
      pod: spec({ containers: [withSc({ capabilities: { add: ['SYS_ADMIN', 'CHOWN', 'NET_ADMIN'] } }, 'a'), withSc({ capabilities: { add: ['NET_ADMIN'] } }, 'b')] }),
      want: 'non-default capabilities (containers "a", "b" must not include "NET_ADMIN", "SYS_ADMIN" in securityContext.capabilities.add)',
    },
    { name: 'default capabilities pass', pod: spec({ containers: [withSc({ capabilities: { add: ['CHOWN', 'NET_BIND_SERVICE'] } })] }), want: '' },
    { name: 'hostPath volume', pod: spec({ volumes: [{ name: 'root', hostPath: { path: '/' } }] }), want: 'hostPath volumes (volume "root")' },
    {
      name: 'host ports',
      pod: spec({ containers: [container('c', { ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 443, hostPort: 443 }] })] }),
      want: 'hostPort (container "c" uses hostPorts 443, 8080)',
    },
    {
      name: 'AppArmor unconfined',
      pod: spec({ securityContext: { appArmorProfile: { type: 'Unconfined' } } }),
      want: 'forbidden AppArmor profile (pod must not set AppArmor profile type to "Unconfined")',
    },
    {
      name: 'AppArmor annotation',
      pod: podWith({}, { annotations: { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' } }),
      want: 'forbidden AppArmor profile (annotation must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/c="unconfined"")',
    },
    {
      name: 'SELinux type and user',
      pod: spec({ containers: [withSc({ seLinuxOptions: { type: 'spc_t', user: 'root' } })] }),
      want: 'seLinuxOptions (container "c" set forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set)',
    },
    { name: 'SELinux container_engine_t is fine from v1.31', pod: spec({ containers: [withSc({ seLinuxOptions: { type: 'container_engine_t' } })] }), want: '' },
    { name: '/proc mount', pod: spec({ containers: [withSc({ procMount: 'Unmasked' })] }), want: 'procMount (container "c" must not set securityContext.procMount to "Unmasked")' },
    {
      name: 'seccomp Unconfined',
      pod: spec({ securityContext: { seccompProfile: { type: 'Unconfined' } } }),
      want: 'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")',
    },
    {
      name: 'unsafe sysctls',
      pod: spec({ securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }, { name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'vm.swappiness', value: '1' }] } }),
      want: 'forbidden sysctls (kernel.msgmax, vm.swappiness)',
    },
    {
      name: 'Windows hostProcess',
      pod: spec({ securityContext: { windowsOptions: { hostProcess: true } }, containers: [withSc({ windowsOptions: { hostProcess: true } })] }),
      want: 'hostProcess (pod and container "c" must not set securityContext.windowsOptions.hostProcess=true)',
    },
    {
      name: 'init and ephemeral containers count',
      pod: spec({ initContainers: [withSc({ privileged: true }, 'init')], ephemeralContainers: [{ name: 'debug', image: 'busybox', securityContext: { privileged: true } }] }),
      want: 'privileged (containers "init", "debug" must not set securityContext.privileged=true)',
    },
    {
      name: 'several checks, in ID order',
      pod: spec({ hostNetwork: true, containers: [withSc({ privileged: true })], volumes: [{ name: 'h', hostPath: { path: '/x' } }] }),
      want: 'host namespaces (hostNetwork=true), hostPath volumes (volume "h"), privileged (container "c" must not set securityContext.privileged=true)',
    },
  ])('$name', ({ pod, want }) => {
    expect(detail('baseline', pod)).toBe(want);
  });
});

describe('restricted checks', () => {
  it.each<{ name: string; pod: ReturnType<typeof podWith>; want: string }>([
    { name: 'a hardened pod passes', pod: spec({ containers: [good()] }), want: '' },
    {
      name: 'a plain pod fails four checks',
      pod: spec({}),
      want:
        'allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), ' +
        'unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), ' +
        'runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true), ' +
        'seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    },
    { name: 'pod-level runAsNonRoot and seccomp suffice', pod: spec({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Localhost' } }, containers: [good('c', { runAsNonRoot: undefined, seccompProfile: undefined })] }), want: '' },
    {
      name: 'adding capabilities other than NET_BIND_SERVICE',
      pod: spec({ containers: [good('c', { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'CHOWN'] } })] }),
      want: 'unrestricted capabilities (container "c" must not include "CHOWN" in securityContext.capabilities.add)',
    },
    {
      name: 'runAsNonRoot false',
      pod: spec({ securityContext: { runAsNonRoot: false }, containers: [good('c', { runAsNonRoot: false })] }),
      want: 'runAsNonRoot != true (pod and container "c" must not set securityContext.runAsNonRoot=false)',
    },
    { name: 'runAsUser 0', pod: spec({ containers: [good('c', { runAsUser: 0 })] }), want: 'runAsUser=0 (container "c" must not set runAsUser=0)' },
    {
      name: 'restricted volume types (hostPath reported here, not by the baseline check)',
      pod: spec({ containers: [good()], volumes: [{ name: 'h', hostPath: { path: '/' } }, { name: 'cm', configMap: { name: 'x' } }, { name: 'n', nfs: { server: 's', path: '/' } } as never] }),
      want: 'restricted volume types (volumes "h", "n" use restricted volume types "hostPath", "nfs")',
    },
    {
      name: 'seccomp Unconfined is reported once',
      pod: spec({ containers: [good('c', { seccompProfile: { type: 'Unconfined' } })] }),
      want: 'seccompProfile (container "c" must not set securityContext.seccompProfile.type to "Unconfined")',
    },
    { name: 'Windows pods need no seccomp', pod: spec({ os: { name: 'windows' }, containers: [good('c', { seccompProfile: undefined })] }), want: '' },
    {
      name: 'baseline violations come first',
      pod: spec({ hostPID: true, containers: [good('c', { runAsUser: 0 })] }),
      want: 'host namespaces (hostPID=true), runAsUser=0 (container "c" must not set runAsUser=0)',
    },
  ])('$name', ({ pod, want }) => {
    expect(detail('restricted', pod)).toBe(want);
  });

  it('privileged checks nothing', () => {
    expect(detail('privileged', spec({ hostNetwork: true, containers: [withSc({ privileged: true })] }))).toBe('');
  });
});

describe('policy versions', () => {
  it.each<{ name: string; level: Level; version: Version; pod: ReturnType<typeof podWith>; want: string }>([
    { name: 'runAsUser is checked from v1.23', level: 'restricted', version: 22, pod: spec({ containers: [good('c', { runAsUser: 0 })] }), want: '' },
    {
      name: 'capabilities drop ALL is required from v1.22',
      level: 'restricted',
      version: 21,
      pod: spec({ containers: [good('c', { capabilities: {} })] }),
      want: '',
    },
    {
      name: 'before v1.19 seccomp is checked by annotation',
      level: 'restricted',
      version: 18,
      pod: podWith({ containers: [good('c', { seccompProfile: undefined })] }, { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } }),
      want: 'seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined")',
    },
    {
      name: 'container_engine_t is forbidden before v1.31',
      level: 'baseline',
      version: 30,
      pod: spec({ containers: [withSc({ seLinuxOptions: { type: 'container_engine_t' } })] }),
      want: 'seLinuxOptions (container "c" set forbidden securityContext.seLinuxOptions: type "container_engine_t")',
    },
    { name: 'tcp_rmem is safe from v1.32', level: 'baseline', version: 32, pod: spec({ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '1' }] } }), want: '' },
    {
      name: 'tcp_rmem is unsafe before v1.32',
      level: 'baseline',
      version: 31,
      pod: spec({ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '1' }] } }),
      want: 'forbidden sysctls (net.ipv4.tcp_rmem)',
    },
    { name: 'future versions evaluate as the newest', level: 'baseline', version: 40, pod: spec({ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '1' }] } }), want: '' },
  ])('$name', ({ level, version, pod, want }) => {
    expect(detail(level, pod, version)).toBe(want);
  });
});
