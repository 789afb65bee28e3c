#!/usr/bin/env node
// The Wasm runtime daemon: runs the Wasm runtime in its own process and serves it on a Unix
// socket for the kubelet. It outlives kubelet restarts, so running pods survive a kubelet crash;
// SIGTERM stops every container and exits.
import { writeFileSync, rmSync } from 'node:fs';
import { Command, createLogger, flag } from '@kite/component-base';
import { WasmRuntime } from '../wasm/wasm-runtime.js';
import { serveRuntime } from '@kite/cri';

const program = new Command('kite-runtime')
  .description('Serves a container runtime on a Unix socket for the kubelet')
  .addOption(flag('socket', 'Unix socket path'))
  .addOption(flag('pid-file', 'where to write this process id'))
  .addOption(flag('image-path', 'colon-separated Wasm image search path', ''))
  .addOption(flag('image-cache', 'content-addressed image cache directory'))
  .parse();
const o = program.opts<Record<string, string | undefined>>();
const log = createLogger('wasm-runtime');
if (!o.socket) {
  log.fatal('--socket is required');
  process.exit(2);
}
const runtime = new WasmRuntime({
  imageSearchPath: (o.imagePath ?? '').split(':').filter(Boolean),
  ...(o.imageCache ? { imageCacheDir: o.imageCache } : {}),
});
const server = await serveRuntime(runtime, o.socket);
if (o.pidFile) writeFileSync(o.pidFile, String(process.pid));
log.info({ socket: o.socket }, 'wasm runtime serving');
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  server.close();
  await runtime.close();
  if (o.pidFile) rmSync(o.pidFile, { force: true });
  if (o.socket) rmSync(o.socket, { force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
