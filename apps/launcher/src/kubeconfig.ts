// Writes the cluster's kubeconfigs (BRIEF §12): one per component identity in the state
// directory's pki/ folder (mode 0600), and the admin's, installed as ~/.kube/config when the user
// has none (or when the existing one is ours), so `kubectl` works without flags. Each carries
// the CA and the identity's client certificate and key embedded, so no insecure flag is needed.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { kubeconfigYaml } from '@kite/client';
import type { Identity, PkiFiles } from '@kite/pki';

export const CONTEXT_NAME = 'kite';

export interface KubeconfigResult {
  path: string;
  /** ~/.kube/config, when it was written too. */
  installed?: string;
}

function writePrivate(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600);
}

function yamlFor(pki: PkiFiles, server: string, identity: Identity): string {
  const files = pki.certFor(identity);
  return kubeconfigYaml({
    server,
    ca: readFileSync(pki.caCert, 'utf8'),
    cert: readFileSync(files.cert, 'utf8'),
    key: readFileSync(files.key, 'utf8'),
    name: CONTEXT_NAME,
    user: identity.user,
  });
}

/** A component's kubeconfig, `pki/NAME.kubeconfig`; returns its path. */
export function writeComponentKubeconfig(pki: PkiFiles, server: string, identity: Identity): string {
  const path = join(pki.dir, `${identity.file}.kubeconfig`);
  writePrivate(path, yamlFor(pki, server, identity));
  return path;
}

/** Whether a kubeconfig was written by us (and may be replaced). */
function ours(path: string): boolean {
  const text = readFileSync(path, 'utf8');
  return text.includes(`current-context: ${CONTEXT_NAME}`) && text.includes(`name: ${CONTEXT_NAME}`);
}

export function writeKubeconfig(stateDir: string, pki: PkiFiles, server: string, admin: Identity): KubeconfigResult {
  const path = join(stateDir, 'kubeconfig');
  const yaml = yamlFor(pki, server, admin);
  writePrivate(path, yaml);
  const home = join(homedir(), '.kube', 'config');
  if (!existsSync(home) || ours(home)) {
    mkdirSync(dirname(home), { recursive: true });
    writePrivate(home, yaml);
    return { path, installed: home };
  }
  return { path };
}
