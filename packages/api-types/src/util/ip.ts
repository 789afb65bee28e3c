// IP address checks without node:net, so api-types also loads outside Node (a browser UI).

const octet = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
/** Dotted quad without leading zeros (Kubernetes rejects '010.0.0.1' as ambiguous). */
const ipv4Re = new RegExp(`^${octet}(\\.${octet}){3}$`);
const hexGroup = /^[0-9a-fA-F]{1,4}$/;

export function isIPv4(s: string): boolean {
  return ipv4Re.test(s);
}

/** RFC 4291 text form: eight groups, one '::' for a run of zeros, an optional trailing IPv4. */
export function isIPv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const split = (h: string | undefined): string[] => (h ? h.split(':') : []);
  const groups = [...split(halves[0]), ...split(halves[1])];
  let count = groups.length;
  const last = groups[groups.length - 1];
  if (last?.includes('.')) {
    if (!isIPv4(last)) return false;
    groups.pop();
    count += 1; // an IPv4 tail fills two groups
  }
  if (!groups.every((g) => hexGroup.test(g))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}

export const isIP = (s: string): boolean => isIPv4(s) || isIPv6(s);
