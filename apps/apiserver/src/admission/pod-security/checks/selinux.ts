// Baseline `seLinuxOptions`: only the container SELinux types may be set, never a user or role.
import { ALLOWED, containersPhrase, forbid, joinQuote, pluralize, sortedSet, visitContainers, type Check, type CheckPodFn } from '../check.js';

const TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
/** v1.31 allows container_engine_t, for nested container engines. */
const TYPES_1_31 = [...TYPES_1_0, 'container_engine_t'];

function seLinuxOptions(allowedTypes: ReadonlySet<string>): CheckPodFn {
  return (_meta, spec) => {
    const badTypes: string[] = [];
    let setUser = false;
    let setRole = false;
    const valid = (opts: Record<string, string>): boolean => {
      let ok = true;
      if (!allowedTypes.has(opts.type ?? '')) {
        ok = false;
        badTypes.push(opts.type ?? '');
      }
      if (opts.user) [ok, setUser] = [false, true];
      if (opts.role) [ok, setRole] = [false, true];
      return ok;
    };
    const setters: string[] = [];
    const podOpts = spec.securityContext?.seLinuxOptions;
    if (podOpts && !valid(podOpts)) setters.push('pod');
    const bad: string[] = [];
    visitContainers(spec, (c) => {
      const opts = c.securityContext?.seLinuxOptions;
      if (opts && !valid(opts)) bad.push(c.name);
    });
    if (bad.length > 0) setters.push(containersPhrase(bad));
    if (setters.length === 0) return ALLOWED;
    const data: string[] = [];
    const types = sortedSet(badTypes);
    if (types.length > 0) data.push(`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`);
    if (setUser) data.push('user may not be set');
    if (setRole) data.push('role may not be set');
    return forbid('seLinuxOptions', `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`);
  };
}

export const seLinuxCheck: Check = {
  id: 'seLinuxOptions',
  level: 'baseline',
  versions: [
    { minimumVersion: 0, checkPod: seLinuxOptions(new Set(TYPES_1_0)) },
    { minimumVersion: 31, checkPod: seLinuxOptions(new Set(TYPES_1_31)) },
  ],
};
