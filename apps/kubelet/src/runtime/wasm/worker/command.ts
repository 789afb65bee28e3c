// Runs a WASI preview1 command module to completion inside the container's Worker.
// stdout and stderr go straight to the container's CRI log file; the exit code (or the trap)
// is posted back to the runtime. A guest that spins never returns here: the runtime ends the
// Worker with terminate() after the stop grace period.
import type { MessagePort } from 'node:worker_threads';
import { CriLogWriter } from '@kite/cri';
import { TerminationReason } from '@kite/cri';
import { Preview1Host } from '../wasi/preview1.js';
import { guestExitFromCode as exitFromCode, guestExitFromTrap as exitFromTrap } from '@kite/cri';
import { reportUsage } from './usage-report.js';
import type { ExitInfo, WorkerJob } from './protocol.js';

export async function runCommand(job: WorkerJob, port: MessagePort): Promise<void> {
  if (!job.module) throw new Error('command job without a module');
  const log = new CriLogWriter(job.logPath);
  const host = new Preview1Host({
    args: job.args,
    env: job.env,
    preopens: job.preopens,
    stdio: { stdin: new Uint8Array(0), stdout: (b) => log.write('stdout', b), stderr: (b) => log.write('stderr', b) },
  });
  let result: ExitInfo;
  try {
    const instance = await WebAssembly.instantiate(job.module, host.imports());
    // The guest may hold the thread from here on: report its memory while we still can.
    reportUsage(port);
    port.postMessage({ type: 'ready' });
    try {
      result = exitFromCode(host.start(instance));
    } catch (error) {
      result = exitFromTrap(error, host.memory.byteLength, job.memoryLimitBytes);
    }
  } catch (error) {
    result = { exitCode: 128, reason: TerminationReason.StartError, message: `cannot instantiate: ${(error as Error).message}` };
  }
  if (result.message) log.write('stderr', Buffer.from(`kite: ${result.message}\n`));
  log.close();
  port.postMessage({ type: 'exit', ...result });
}
