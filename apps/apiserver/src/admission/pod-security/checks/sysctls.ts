// Baseline `sysctls`: only sysctls namespaced to the pod and isolated from other pods ("safe").
import { ALLOWED, forbid, type Check, type CheckPodFn } from '../check.js';

const SAFE_1_0 = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'];
const SAFE_1_27 = [...SAFE_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SAFE_1_29 = [...SAFE_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const SAFE_1_32 = [...SAFE_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];

function sysctls(safe: readonly string[]): CheckPodFn {
  const allowed = new Set(safe);
  return (_meta, spec) => {
    const bad = (spec.securityContext?.sysctls ?? []).map((s) => s.name).filter((n) => !allowed.has(n));
    return bad.length === 0 ? ALLOWED : forbid('forbidden sysctls', bad.join(', '));
  };
}

export const sysctlsCheck: Check = {
  id: 'sysctls',
  level: 'baseline',
  versions: [
    { minimumVersion: 0, checkPod: sysctls(SAFE_1_0) },
    { minimumVersion: 27, checkPod: sysctls(SAFE_1_27) },
    { minimumVersion: 29, checkPod: sysctls(SAFE_1_29) },
    { minimumVersion: 32, checkPod: sysctls(SAFE_1_32) },
  ],
};
