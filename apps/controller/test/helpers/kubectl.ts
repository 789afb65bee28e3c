// Runs the real kubectl (BRIEF §8) against a test apiserver as the cluster admin, asynchronously —
// the controller manager runs in the test process, so a blocking child would stall it.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KUBECTL, kubectl as runKubectl, type ApiServerHandle, type KubectlResult } from '@kite/testing';

export const hasKubectl = existsSync(KUBECTL);
const dir = mkdtempSync(join(tmpdir(), 'kite-kubectl-'));

export async function kubectl(api: ApiServerHandle, args: string[], timeoutMs = 30_000): Promise<KubectlResult> {
  return runKubectl({ kubeconfig: await api.kubeconfig(), dir, timeoutMs }, ...args);
}
