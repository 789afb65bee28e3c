// Runs one container's guest to completion with @wasmer/sdk, in the container's child process.
// stdout and stderr stream into the container's CRI log file as the guest writes them; the
// result is the guest's exit as cri's exit-info decides it (a trap at the memory limit is
// OOMKilled). A guest that spins never ends here: the plugin SIGKILLs the whole process.
import { readFile } from 'node:fs/promises';
import { CriLogWriter, EXIT_CODE_START_ERROR, TerminationReason, guestExitFromCode, guestExitFromTrap, type GuestExit, type LogStream } from '@kite/cri';
import { WasmerError, type Process } from '@wasmer/sdk/node';
import { MemoryReports } from './memory-probe.js';
import type { GuestJob } from './protocol.js';
import { createGuestSandbox } from './sdk-sandbox.js';

/** How long output may keep draining after the guest has ended. */
const DRAIN_MS = 2000;

/** The first line of an SDK error (the rest is the host's stack). */
function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

async function spawnGuest(job: GuestJob): Promise<Process> {
  const { sandbox, pkg } = await createGuestSandbox(await readFile(job.modulePath), job.command, job.mounts, job.parallelism);
  const options = { env: job.env, ...(job.cwd ? { cwd: job.cwd } : {}) };
  return sandbox.command(pkg, job.args, options).spawn({ stdin: 'closed', stdout: 'pipe', stderr: 'pipe' });
}

async function pump(stream: AsyncIterable<Uint8Array> | null, name: LogStream, log: CriLogWriter): Promise<void> {
  if (!stream) return;
  for await (const chunk of stream) log.write(name, chunk);
}

/** How the guest ended: its own exit code, or a trap judged against the memory limit. */
async function outcome(guest: Process, memory: MemoryReports, limitBytes: number | undefined): Promise<GuestExit> {
  try {
    const output = await guest.wait();
    if (output.reason === 'exited') return guestExitFromCode(output.exitCode);
    return { exitCode: output.exitCode, reason: TerminationReason.Error, message: `the SDK reports the guest ${output.reason}` };
  } catch (error) {
    if (!WasmerError.is(error, 'EXECUTION_ERROR')) throw error;
    return guestExitFromTrap(firstLine(error), (await memory.final()) ?? 0, limitBytes);
  }
}

async function run(job: GuestJob, log: CriLogWriter, memory: MemoryReports, onRunning: (guest: Process) => void): Promise<GuestExit> {
  let guest: Process;
  try {
    guest = await spawnGuest(job);
  } catch (error) {
    return { exitCode: EXIT_CODE_START_ERROR, reason: TerminationReason.StartError, message: `cannot start: ${firstLine(error)}` };
  }
  onRunning(guest);
  const drained = Promise.allSettled([pump(guest.stdout, 'stdout', log), pump(guest.stderr, 'stderr', log)]);
  const exit = await outcome(guest, memory, job.memoryLimitBytes).catch((error: unknown): GuestExit => ({ exitCode: 1, reason: TerminationReason.Error, message: firstLine(error) }));
  await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref())]);
  return exit;
}

/** Runs `job`; calls `onRunning` once the guest runs. Never throws: failures are exits. */
export async function runGuest(job: GuestJob, onRunning: (guest: Process) => void): Promise<GuestExit> {
  const log = new CriLogWriter(job.logPath);
  const memory = new MemoryReports();
  try {
    const exit = await run(job, log, memory, onRunning);
    if (exit.message) log.write('stderr', Buffer.from(`kite: ${exit.message}\n`));
    return exit;
  } finally {
    log.close();
    memory.close();
  }
}
