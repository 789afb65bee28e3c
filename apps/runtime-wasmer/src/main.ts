#!/usr/bin/env node
// The @wasmer/sdk runtime plugin: serves WasmerRuntime on a Unix socket for kubelets
// (`--runtime-endpoint wasmer=unix://SOCKET`). SIGTERM or SIGINT stops every container and exits;
// if the plugin is killed outright, each container's child process notices and exits too.
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, createLogger, flag, onShutdown } from '@kite/component-base';
import { defaultImageSearchPath, parseSearchPath, serveRuntime } from '@kite/cri';
import { WasmerRuntime } from './runtime.js';
import { sdkVersion } from './sdk-version.js';

const program = new Command('kite-runtime-wasmer')
  .description('Serves a container runtime that runs WASI modules with @wasmer/sdk on a Unix socket')
  .addOption(flag('socket', 'Unix socket path (required)'))
  .addOption(flag('pid-file', 'where to write this process id'))
  .addOption(flag('image-path', 'colon-separated Wasm image search path (default: KITE_WASM_IMAGE_PATH, else the cwd and examples/wasm-pods)'))
  .addOption(flag('image-cache', 'content-addressed image cache directory (default: ROOT_DIR/images)'))
  .addOption(flag('root-dir', 'state directory: modules prepared for memory limits', join(tmpdir(), 'kite', 'wasmer')))
  .parse();
const o = program.opts<Record<string, string | undefined>>();
const log = createLogger('runtime-wasmer');
if (!o.socket) {
  log.fatal('--socket is required');
  process.exit(2);
}
const rootDir = o.rootDir ?? join(tmpdir(), 'kite', 'wasmer');
const runtime = new WasmerRuntime({
  imageSearchPath: o.imagePath ? parseSearchPath(o.imagePath) : defaultImageSearchPath(),
  imageCacheDir: o.imageCache ?? join(rootDir, 'images'),
  rootDir,
  sdkVersion: sdkVersion(),
});
const server = await serveRuntime(runtime, o.socket);
if (o.pidFile) writeFileSync(o.pidFile, String(process.pid));
log.info({ socket: o.socket, sdk: sdkVersion() }, 'wasmer runtime serving');
onShutdown(log, async () => {
  server.close();
  await runtime.close();
  if (o.pidFile) rmSync(o.pidFile, { force: true });
  if (o.socket) rmSync(o.socket, { force: true });
});
