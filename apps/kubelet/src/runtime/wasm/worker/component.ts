// Runs a transpiled component (wasi:http incoming-handler or wasi:cli command) in the Worker.
// Not yet implemented: core modules (command, WAGI) cover the examples.
import type { MessagePort } from 'node:worker_threads';
import { TerminationReason } from '../../types.js';
import type { WorkerJob } from './protocol.js';

export async function runComponent(_job: WorkerJob, port: MessagePort): Promise<void> {
  port.postMessage({ type: 'exit', exitCode: 128, reason: TerminationReason.StartError, message: 'components are not supported yet' });
}
