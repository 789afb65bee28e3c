// The proxy's /configz (kube-proxy serves its KubeProxyConfiguration there, under
// `kubeproxy.config.k8s.io`): the settings it runs with, without credentials.
import { apiserverView, CONFIGZ_NAME, configzView, type Configz, type ConfigzPlan } from '@kite/component-base';
import type { ProxyConfig } from './config.js';

/** Every setting as it is, except the apiserver credentials. */
const PLAN: ConfigzPlan<ProxyConfig> = {
  apiserver: apiserverView,
  nodeName: 'show',
  nodeIP: 'show',
  port: 'show',
  bindClusterIPs: 'show',
  activatorQueueLimit: 'show',
  activatorTimeoutMs: 'show',
  udpIdleTimeoutMs: 'show',
};

export function proxyConfigz(cfg: ProxyConfig): Configz {
  return { name: CONFIGZ_NAME.proxy, config: () => configzView(cfg, PLAN) };
}
