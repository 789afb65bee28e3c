// Starts the built scheduler as its own process with optional Node flags (SCHEDULER_NODE_ARGS,
// e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"), so a benchmark run can profile it.
import { join } from 'node:path';
import { repoRoot, startScript, type AppProcess } from '@kite/testing';

export function startSchedulerProcess(args: string[], env: NodeJS.ProcessEnv = {}): AppProcess {
  const nodeArgs = (process.env.SCHEDULER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  return startScript(join(repoRoot, 'apps', 'scheduler', 'dist', 'main.js'), args, env, nodeArgs);
}
