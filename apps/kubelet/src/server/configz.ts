// The kubelet's /configz (Kubernetes' kubelet serves its KubeletConfiguration there as
// `{"kubeletconfig": {...}}`): the settings this kubelet runs with, in KubeletConfig's own field
// names. Read at each request, so `runtimes` shows the runtimes that actually came up.
import { apiserverView, CONFIGZ_NAME, configzView, type Configz, type ConfigzPlan } from '@kite/component-base';
import type { KubeletConfig } from '../config.js';

/**
 * Every setting as it is, except what is secret or key material: the apiserver credentials (only
 * the server URL and a token file's path are shown) and the serving certificate, key and client
 * CA, which the config holds as PEM contents rather than file paths.
 */
const PLAN: ConfigzPlan<KubeletConfig> = {
  apiserver: apiserverView,
  nodeName: 'show',
  nodeIP: 'show',
  podCIDR: 'show',
  runtimes: 'show',
  runtimeEndpoints: 'show',
  acceptAnyPod: 'show',
  rootDir: 'show',
  port: 'show',
  tls: 'omit',
  capacity: 'show',
  leaseRenewSeconds: 'show',
  leaseDurationSeconds: 'show',
  backoffBaseSeconds: 'show',
  backoffMaxSeconds: 'show',
  wasmInProcess: 'show',
  imagePath: 'show',
};

export function kubeletConfigz(cfg: KubeletConfig): Configz {
  return { name: CONFIGZ_NAME.kubelet, config: () => configzView(cfg, PLAN) };
}
