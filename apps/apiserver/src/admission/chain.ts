// The admission chain the REST layer calls (hook.ts): the enabled plugins, mutating ones in
// `admit`, validating ones in `validate`, each in registry order.
import type { KubeObject } from '@kite/api-types';
import type { AdmissionHook } from './hook.js';
import { isMutating, isValidating, type AdmissionAttributes, type AdmissionPlugin } from './interface.js';

export class AdmissionChain implements AdmissionHook {
  constructor(readonly plugins: readonly AdmissionPlugin[]) {}

  async admit(attrs: AdmissionAttributes, obj: KubeObject, old: KubeObject | undefined): Promise<void> {
    for (const p of this.plugins) if (isMutating(p) && p.handles(attrs)) await p.admit(attrs, obj, old);
  }

  async validate(attrs: AdmissionAttributes, obj: KubeObject, old: KubeObject | undefined): Promise<void> {
    for (const p of this.plugins) if (isValidating(p) && p.handles(attrs)) await p.validate(attrs, obj, old);
  }
}
