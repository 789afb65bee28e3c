// Entry point of a container's Worker: waits for its job (the first message) and runs it by
// kind. The core-module runners are imported up front, while the Worker waits in the pool;
// the component runner is imported only for component jobs, because it loads
// preview2-shim, which would add several MB to every idle WAGI pod.
// It also reports what the runtime needs to measure the container (usage-report.ts).
// The runtime loads the compiled copy of this file (dist/.../worker/entry.js); see
// ../worker-url.ts for how it is found when the kubelet runs from TypeScript sources.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { TerminationReason } from '../../types.js';
import { runCommand } from './command.js';
import type { HostToWorker, WorkerJob } from './protocol.js';
import { startUsageReports } from './usage-report.js';
import { serveWagi } from './wagi.js';

async function run(job: WorkerJob, port: MessagePort): Promise<void> {
  try {
    if (job.kind === 'command') await runCommand(job, port);
    else if (job.kind === 'wagi') await serveWagi(job, port);
    else await (await import('./component.js')).runComponent(job, port);
  } catch (error) {
    port.postMessage({ type: 'exit', exitCode: 128, reason: TerminationReason.StartError, message: (error as Error).message });
  }
}

const port = parentPort;
if (!port) throw new Error('entry.ts must run in a Worker');
port.once('message', (message: HostToWorker) => {
  if (message.type !== 'job') return;
  // Thread id and memory before the guest may take the thread (usage-report.ts).
  startUsageReports(port);
  void run(message.job, port);
});
