// Docker for the proxy's end-to-end tests: a workload image built on the engine (no registry can be
// reached, BRIEF §7) by `docker import` of a root filesystem holding the static busybox and links
// for the applets wanted, and the clean-up of what a test's kubelet left on the engine.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian's busybox-static puts busybox. */
const BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'];
/** The kubelet's Docker label naming the node a container belongs to. */
const NODE_LABEL = 'io.kite.node';

function docker(args: string[]): string {
  const r = spawnSync('docker', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Builds `ref` from busybox with `applets` linked in /bin; returns its removal. */
export function buildBusyboxImage(ref: string, applets: readonly string[]): () => void {
  const busybox = BUSYBOX.find((p) => spawnSync('test', ['-x', p]).status === 0);
  if (!busybox) throw new Error('no busybox found: apt-get install -y busybox-static');
  const dir = mkdtempSync(join(tmpdir(), 'kite-proxy-rootfs-'));
  try {
    for (const d of ['bin', 'tmp']) mkdirSync(join(dir, d));
    copyFileSync(busybox, join(dir, 'bin', 'busybox'));
    for (const a of applets) symlinkSync('busybox', join(dir, 'bin', a));
    const r = spawnSync('sh', ['-c', `tar -C '${dir}' -c . | docker import --change 'LABEL io.kite.test=true' - ${ref}`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`docker import failed: ${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return () => void spawnSync('docker', ['rmi', '-f', ref]);
}

/** Removes every container (sandboxes included) the kubelet of `nodeName` created. */
export function removeNodeContainers(nodeName: string): void {
  const ids = docker(['ps', '-aq', '--filter', `label=${NODE_LABEL}=${nodeName}`]).split('\n').filter(Boolean);
  if (ids.length > 0) docker(['rm', '-f', ...ids]);
}
