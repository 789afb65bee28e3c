// Runs the real kubectl (BRIEF §8) against a test apiserver, asynchronously — the controller
// manager runs in the test process, so a blocking child would stall it.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const KUBECTL = '/usr/bin/kubectl';
export const hasKubectl = existsSync(KUBECTL);
const cacheDir = mkdtempSync(join(tmpdir(), 'kite-kubectl-'));

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function kubectl(server: string, args: string[], timeoutMs = 30_000): Promise<KubectlResult> {
  return new Promise((resolve) => {
    execFile(KUBECTL, ['--server', server, '--cache-dir', cacheDir, ...args], { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
