// nginx as the peer: Debian's nginx started by the benchmark with its own temporary config, as a
// reverse proxy on a loopback address to the same pod, one worker (like the single-threaded
// proxy), keep-alive to the upstream (as the proxy's agent), access log off. Absent nginx is not
// an error: the caller reports the peer as skipped and how to install it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '@kite/testing';

/** Where the peer listens: its own loopback address. */
const NGINX_ADDRESS = '127.0.20.1';
/** Idle upstream connections nginx keeps to the pod. */
const UPSTREAM_KEEPALIVE = 64;
export const NGINX_INSTALL_HINT = 'apt-get install -y nginx';

export interface Nginx {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The nginx binary, or undefined when it is not installed. */
export function findNginx(): string | undefined {
  for (const bin of ['nginx', '/usr/sbin/nginx']) {
    if (spawnSync(bin, ['-v'], { stdio: 'ignore' }).status === 0) return bin;
  }
  return undefined;
}

function config(prefix: string, port: number, upstream: string): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${join(prefix, t)};`).join('\n');
  return `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;
daemon off;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
${temp}
  upstream pod { server ${upstream}; keepalive ${UPSTREAM_KEEPALIVE}; }
  server {
    listen ${NGINX_ADDRESS}:${port};
    location / {
      proxy_pass http://pod;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`;
}

export async function startNginx(bin: string, upstream: string): Promise<Nginx> {
  const prefix = mkdtempSync(join(tmpdir(), 'kite-bench-nginx-'));
  const port = await freePort(NGINX_ADDRESS);
  writeFileSync(join(prefix, 'nginx.conf'), config(prefix, port, upstream));
  const child: ChildProcess = spawn(bin, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://${NGINX_ADDRESS}:${port}/`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT');
    await exited;
    rmSync(prefix, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
        return (await fetch(url).catch(() => undefined))?.status === 200;
      },
      { timeoutMs: 10_000, message: 'nginx answering' },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, pid: child.pid ?? 0, stop };
}
