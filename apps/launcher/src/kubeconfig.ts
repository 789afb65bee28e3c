// Writes a kubeconfig for the local cluster, and installs it as ~/.kube/config when the user has
// none (or when the existing one is ours), so `kubectl` works without flags.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

export const CONTEXT_NAME = 'kite';

export function kubeconfigYaml(server: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: CONTEXT_NAME, cluster: { server } }],
    users: [{ name: CONTEXT_NAME, user: {} }],
    contexts: [{ name: CONTEXT_NAME, context: { cluster: CONTEXT_NAME, user: CONTEXT_NAME, namespace: 'default' } }],
    'current-context': CONTEXT_NAME,
  });
}

export interface KubeconfigResult {
  path: string;
  /** ~/.kube/config, when it was written too. */
  installed?: string;
}

export function writeKubeconfig(stateDir: string, server: string): KubeconfigResult {
  const path = join(stateDir, 'kubeconfig');
  const yaml = kubeconfigYaml(server);
  writeFileSync(path, yaml);
  const home = join(homedir(), '.kube', 'config');
  const ours = existsSync(home) && readFileSync(home, 'utf8').includes(`current-context: ${CONTEXT_NAME}`) && !readFileSync(home, 'utf8').includes('certificate-authority');
  if (!existsSync(home) || ours) {
    mkdirSync(dirname(home), { recursive: true });
    writeFileSync(home, yaml);
    return { path, installed: home };
  }
  return { path };
}
