// Checks what a cluster needs before anything starts, with one clear message per missing piece.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function onPath(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface PrerequisiteProblem {
  what: string;
  fix: string;
}

export function checkPrerequisites(opts: { spawnRedis: boolean; docker: boolean; builtApps: string[] }): PrerequisiteProblem[] {
  const problems: PrerequisiteProblem[] = [];
  if (opts.spawnRedis && !onPath('redis-server')) {
    problems.push({ what: 'redis-server is not installed', fix: 'sudo apt-get update && sudo apt-get install -y redis-server   (or pass --redis-url to use a running Redis)' });
  }
  if (opts.docker && !existsSync(process.env.DOCKER_HOST?.replace(/^unix:\/\//, '') ?? '/var/run/docker.sock')) {
    problems.push({ what: 'no Docker engine is running (no /var/run/docker.sock)', fix: 'sudo apt-get install -y docker.io && sudo dockerd &   (or start nodes with --runtimes wasm)' });
  }
  for (const app of opts.builtApps) {
    if (!existsSync(app)) problems.push({ what: `${app} is not built`, fix: 'npm run build' });
  }
  return problems;
}
