// Entry point of a container's Worker: waits for its job (the first message) and runs it by
// kind. The core-module runners are imported up front, while the Worker waits in the pool;
// the component runner is imported only for component jobs, because it loads
// preview2-shim, which would add several MB to every idle WAGI pod.
// It also reports what the runtime needs to measure the container (usage-report.ts), and warms
// the WAGI request path while it waits (warm-up.ts).
// The runtime loads the compiled copy of this file (dist/.../worker/entry.js); see
// ../worker-url.ts for how it is found when the kubelet runs from TypeScript sources.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { TerminationReason } from '@kite/cri';
import { runCommand } from './command.js';
import type { HostToWorker, WorkerJob } from './protocol.js';
import { startUsageReports } from './usage-report.js';
import { serveWagi } from './wagi.js';
import { warmUpWagi } from './warm-up.js';

async function run(job: WorkerJob, port: MessagePort, warm: Promise<void>): Promise<void> {
  try {
    // Finish the warm-up first (one loopback request, done long before a pooled Worker is
    // taken): a command guest may hold the thread for good, and its socket would stay open.
    await warm;
    if (job.kind === 'command') await runCommand(job, port);
    else if (job.kind === 'wagi') await serveWagi(job, port);
    else await (await import('./component.js')).runComponent(job, port);
  } catch (error) {
    port.postMessage({ type: 'exit', exitCode: 128, reason: TerminationReason.StartError, message: (error as Error).message });
  }
}

const port = parentPort;
if (!port) throw new Error('entry.ts must run in a Worker');
const warm = warmUpWagi();
port.once('message', (message: HostToWorker) => {
  if (message.type !== 'job') return;
  // Thread id and memory before the guest may take the thread (usage-report.ts).
  startUsageReports(port);
  void run(message.job, port, warm);
});
