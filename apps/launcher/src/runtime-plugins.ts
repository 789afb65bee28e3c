// Runtime plugins the launcher runs beside each kubelet (docs/runtime-protocol.md): a plugin is
// its own supervised process serving the runtime protocol on a socket under the node's kubelet
// directory, registered with the kubelet by `--runtime-endpoint HANDLER=unix:///PATH`, and given a
// RuntimeClass of its handler's name so pods can ask for it.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeClassResource } from '@kite/api-types';
import { KubeClient, type Connection } from '@kite/client';

/** Handler → the app that implements it. */
export const RUNTIME_PLUGINS: Readonly<Record<string, string>> = { wasmer: 'runtime-wasmer' };

export const isPluginRuntime = (handler: string): boolean => handler in RUNTIME_PLUGINS;

/** The plugins whose builds exist, so the default runtimes can include them. */
export function builtPlugins(repoRoot: string): string[] {
  return Object.entries(RUNTIME_PLUGINS).filter(([, app]) => existsSync(pluginMain(repoRoot, app))).map(([handler]) => handler);
}

export function pluginMain(repoRoot: string, app: string): string {
  return join(repoRoot, 'apps', app, 'dist', 'main.js');
}

export interface PluginLaunch {
  name: string;
  args: string[];
  /** The kubelet flag that registers it. */
  kubeletArgs: string[];
}

/** How to start `handler`'s plugin for the node whose kubelet state is under `nodeRoot`. */
export function pluginLaunch(repoRoot: string, handler: string, nodeName: string, nodeRoot: string): PluginLaunch {
  const app = RUNTIME_PLUGINS[handler];
  if (!app) throw new Error(`no runtime plugin for handler ${handler}`);
  const dir = join(nodeRoot, 'runtime');
  mkdirSync(dir, { recursive: true });
  const socket = join(dir, `${handler}.sock`);
  return {
    name: `${app}-${nodeName}`,
    args: [pluginMain(repoRoot, app), '--socket', socket, '--root-dir', join(nodeRoot, handler), '--image-cache', join(nodeRoot, 'images', handler)],
    kubeletArgs: ['--runtime-endpoint', `${handler}=unix://${socket}`],
  };
}

/** Creates the RuntimeClass `handler` (handler of the same name) unless it exists. */
export async function ensureRuntimeClass(conn: Connection, handler: string): Promise<void> {
  const client = new KubeClient(conn);
  try {
    await client.resource(RuntimeClassResource).create({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: handler, labels: { 'app.kubernetes.io/managed-by': 'kite' } }, handler });
  } catch (err) {
    // 409 AlreadyExists: a class made at an earlier start (or by hand) stays as it is.
    if ((err as { code?: unknown }).code !== 409) throw err;
  }
}
