// Discovery documents (the non-aggregated form, BRIEF §8): /api, /apis, /api/v1, /apis/GROUP and
// /apis/GROUP/VERSION, all derived from the resource registry (and custom.metrics.k8s.io, whose
// paths do not fit it, from metrics/discovery.ts).
import { servedResources, type ResourceType } from '@kite/api-types';
import { subresourcesOf, verbsOf } from '../registry/subresources/index.js';
import { customMetricsResourceList } from '../metrics/discovery.js';

const OBJECT_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
/** The verbs of a read-only computed kind (metrics.k8s.io). */
const READ_ONLY_VERBS = ['get', 'list'];

/** Groups served outside the registry, whose paths do not follow the object layout (custom metrics). */
const unregisteredLists = () => [customMetricsResourceList()];

/** What /version reports; kubectl's dispatcher picks its client from the minor version. */
export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: 'kite',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'kite',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

export function groupVersions(): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const r of servedResources) {
    if (r.group === '') continue;
    const versions = groups.get(r.group) ?? [];
    if (!versions.includes(r.version)) versions.push(r.version);
    groups.set(r.group, versions);
  }
  for (const doc of unregisteredLists()) {
    const [group = '', version = ''] = doc.groupVersion.split('/');
    groups.set(group, [...(groups.get(group) ?? []), version]);
  }
  return groups;
}

export function apiVersions() {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }] };
}

function apiGroup(name: string, versions: string[]) {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { kind: 'APIGroup', apiVersion: 'v1', name, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupList() {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groupVersions()].map(([name, versions]) => apiGroup(name, versions)) };
}

export function apiGroupDoc(group: string) {
  const versions = groupVersions().get(group);
  return versions ? apiGroup(group, versions) : undefined;
}

function resourceEntries(r: ResourceType) {
  const main = {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    // Review kinds (TokenReview, SubjectAccessReview, ...) are answered, never stored: create only.
    verbs: r.virtual ? ['create'] : r.readOnly ? READ_ONLY_VERBS : OBJECT_VERBS,
    ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length ? { categories: r.categories } : {}),
  };
  const subs: object[] = [];
  const sub = (name: string, kind: string, verbs: string[], group?: string, version?: string) =>
    subs.push({ name: `${r.plural}/${name}`, singularName: '', namespaced: r.namespaced, kind, verbs, ...(group !== undefined ? { group, version } : {}) });
  for (const storage of subresourcesOf(r)) {
    const d = storage.discovery(r);
    sub(storage.name, d.kind, verbsOf(storage), d.group, d.version);
  }
  return [main, ...subs];
}

export function apiResourceList(group: string, version: string) {
  const unregistered = unregisteredLists().find((doc) => doc.groupVersion === `${group}/${version}`);
  if (unregistered) return unregistered;
  const rs = servedResources.filter((r) => r.group === group && r.version === version);
  if (rs.length === 0) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group === '' ? version : `${group}/${version}`, resources: rs.flatMap(resourceEntries) };
}
