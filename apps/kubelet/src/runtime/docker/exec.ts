// Runs a command inside a running container (exec probes, CRI ExecSync): the engine's exec API,
// output demultiplexed and capped, bounded by the probe's timeout. The engine cannot kill an exec
// that overruns, so on timeout the call gives up waiting and reports the failure; the process is
// left to end on its own, as with dockershim.
import type Dockerode from 'dockerode';
import { RuntimeError } from '@kite/cri';
import type { ExecResult } from '@kite/cri';
import { destroyStream, toRuntimeError } from './engine.js';
import { FrameDecoder } from './frames.js';

/** Output kept per stream; probes only look at the start of it. */
export const MAX_EXEC_OUTPUT_BYTES = 1024 * 1024;

class Collector {
  readonly #parts: Buffer[] = [];
  #size = 0;

  add(data: Buffer): void {
    if (this.#size >= MAX_EXEC_OUTPUT_BYTES) return;
    const piece = data.subarray(0, MAX_EXEC_OUTPUT_BYTES - this.#size);
    this.#parts.push(Buffer.from(piece));
    this.#size += piece.length;
  }

  bytes(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.#parts));
  }
}

function drain(stream: NodeJS.ReadableStream, out: Collector, err: Collector, timeoutMs: number): Promise<boolean> {
  const decoder = new FrameDecoder();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      destroyStream(stream);
      resolve(false);
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      resolve(true);
    };
    stream.on('data', (chunk: Buffer) => {
      for (const f of decoder.push(chunk)) (f.stream === 'stderr' ? err : out).add(f.data);
    });
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', finish);
  });
}

export async function execInContainer(docker: Dockerode, containerId: string, command: string[], timeoutSeconds: number): Promise<ExecResult> {
  if (command.length === 0) throw new RuntimeError('InvalidArgument', 'exec needs a command');
  let exec: Dockerode.Exec;
  let stream: NodeJS.ReadableStream;
  try {
    exec = await docker.getContainer(containerId).exec({ Cmd: command, AttachStdout: true, AttachStderr: true, AttachStdin: false, Tty: false });
    stream = await exec.start({ hijack: true, stdin: false });
  } catch (error) {
    throw toRuntimeError(error, `exec in container ${containerId}`);
  }
  const out = new Collector();
  const err = new Collector();
  const timeoutMs = Math.max(1, timeoutSeconds) * 1000;
  if (!(await drain(stream, out, err, timeoutMs))) {
    throw new RuntimeError('Internal', `command ${JSON.stringify(command)} timed out after ${timeoutMs / 1000}s`);
  }
  return { exitCode: await exitCode(exec), stdout: out.bytes(), stderr: err.bytes() };
}

/** Checks for the exit code while the engine is still recording it after the stream closed. */
const EXIT_CODE_POLLS = 20;
const EXIT_CODE_POLL_MS = 25;

async function exitCode(exec: Dockerode.Exec): Promise<number> {
  for (let i = 0; ; i++) {
    const info = await exec.inspect().catch((error: unknown) => Promise.reject(toRuntimeError(error, 'exec inspect')));
    if ((!info.Running && info.ExitCode !== null) || i >= EXIT_CODE_POLLS) return info.ExitCode ?? -1;
    await new Promise((r) => setTimeout(r, EXIT_CODE_POLL_MS));
  }
}
