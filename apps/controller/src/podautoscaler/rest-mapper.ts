// ScaleMapper: resolves an HPA's scaleTargetRef (apiVersion, kind) to a REST resource through the
// apiserver's discovery, as client-go's deferred discovery RESTMapper does for Kubernetes' HPA.
//
// Contract:
// - `resolve(apiVersion, kind)` answers the resource whose discovery entry has that kind, and
//   whether it serves a `scale` subresource (`PLURAL/scale` listed in the same group version).
// - Discovery documents are cached per group version; a kind missing from the cached document
//   refetches it once (a CRD or group served since), so a miss costs one GET, not one per sync.
// - Unknown group versions and kinds throw Errors whose text ends up in the FailedGetScale
//   condition and Event, as Kubernetes' "unable to determine resource for scale target reference".
import type { KubeClient, ResourceInfo } from '@kite/client';

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}
interface ApiResourceList {
  resources?: ApiResource[];
}

export interface ScaleMapping {
  resource: ResourceInfo;
  /** Whether the apiserver serves RESOURCE/scale. */
  hasScale: boolean;
}

/** Splits `apps/v1` into group and version (`v1` is the core group). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export class ScaleMapper {
  private readonly client: Pick<KubeClient, 'raw'>;
  private readonly cache = new Map<string, ApiResourceList>();

  constructor(client: Pick<KubeClient, 'raw'>) {
    this.client = client;
  }

  async resolve(apiVersion: string, kind: string): Promise<ScaleMapping> {
    const found = this.find(apiVersion, kind, this.cache.get(apiVersion));
    if (found) return found;
    const fresh = await this.discover(apiVersion);
    const again = this.find(apiVersion, kind, fresh);
    if (!again) throw new Error(`unable to determine resource for scale target reference: no matches for kind "${kind}" in version "${apiVersion}"`);
    return again;
  }

  private async discover(apiVersion: string): Promise<ApiResourceList> {
    const { group, version } = splitApiVersion(apiVersion);
    const path = group === '' ? `/api/${encodeURIComponent(version)}` : `/apis/${encodeURIComponent(group)}/${encodeURIComponent(version)}`;
    try {
      const list = (await this.client.raw('GET', path)) as ApiResourceList;
      this.cache.set(apiVersion, list);
      return list;
    } catch (err) {
      throw new Error(`unable to determine resource for scale target reference: ${apiVersion}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private find(apiVersion: string, kind: string, list: ApiResourceList | undefined): ScaleMapping | undefined {
    const resources = list?.resources ?? [];
    const main = resources.find((r) => r.kind === kind && !r.name.includes('/'));
    if (!main) return undefined;
    const { group, version } = splitApiVersion(apiVersion);
    const hasScale = resources.some((r) => r.name === `${main.name}/scale`);
    const resource: ResourceInfo = { group, version, apiVersion, kind, plural: main.name, namespaced: main.namespaced, subresources: hasScale ? { scale: {} } : {} };
    return { resource, hasScale };
  }
}
