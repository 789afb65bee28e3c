// Baseline `appArmorProfile`: the runtime's default AppArmor profile may be replaced only by a
// profile loaded on the node (Localhost), never disabled (Unconfined), by field or by the
// deprecated `container.apparmor.security.beta.kubernetes.io/*` annotations.
import { ALLOWED, containersPhrase, forbid, joinQuote, pluralize, sortedSet, visitContainers, type Check } from '../check.js';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const allowedType = (t: string): boolean => t === 'RuntimeDefault' || t === 'Localhost';
const allowedAnnotation = (v: string): boolean => v === '' || v === 'runtime/default' || v.startsWith('localhost/');

export const appArmorCheck: Check = {
  id: 'appArmorProfile',
  level: 'baseline',
  versions: [
    {
      minimumVersion: 0,
      checkPod: (meta, spec) => {
        const setters: string[] = [];
        const values: string[] = [];
        const podType = spec.securityContext?.appArmorProfile?.type;
        if (podType !== undefined && !allowedType(podType)) {
          setters.push('pod');
          values.push(podType);
        }
        const bad: string[] = [];
        visitContainers(spec, (c) => {
          const t = c.securityContext?.appArmorProfile?.type;
          if (t === undefined || allowedType(t)) return;
          bad.push(c.name);
          values.push(t);
        });
        if (bad.length > 0) setters.push(containersPhrase(bad));
        const list = sortedSet(values);
        const annotations = Object.entries(meta?.annotations ?? {})
          .filter(([k, v]) => k.startsWith(ANNOTATION_PREFIX) && !allowedAnnotation(v))
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .sort();
        if (annotations.length > 0) {
          list.push(...annotations);
          setters.push(pluralize('annotation', 'annotations', annotations.length));
        }
        if (setters.length === 0) return ALLOWED;
        const reason = pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', list.length);
        return forbid(reason, `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(list)}`);
      },
    },
  ],
};
