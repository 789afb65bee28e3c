// The preview1 host on its own: the examples run in-process (no Worker), which pins the
// host's behaviour and measures what a WAGI request costs (instantiate + run).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Preview1Host } from '../../src/runtime/wasm/wasi/preview1.js';
import { imposeMemoryLimit, InitialMemoryExceedsLimit } from '@kite/cri';
import { ensureBuilt, examplesDir } from './helpers.js';

function run(module: WebAssembly.Module, env: Array<[string, string]>, args: string[] = ['x']): { code: number; stdout: string } {
  let stdout = '';
  const host = new Preview1Host({ args, env, preopens: [], stdio: { stdin: new Uint8Array(0), stdout: (b) => (stdout += Buffer.from(b).toString()), stderr: () => undefined } });
  const code = host.start(new WebAssembly.Instance(module, host.imports()));
  return { code, stdout };
}

describe('preview1 host', () => {
  let hello: WebAssembly.Module;
  let memhogBytes: Buffer;

  beforeAll(() => {
    ensureBuilt();
    hello = new WebAssembly.Module(readFileSync(join(examplesDir, 'hello-http/build/hello-http-v1.wasm')));
    memhogBytes = readFileSync(join(examplesDir, 'memhog/build/memhog.wasm'));
  });

  it.each([
    { name: 'hello with env', env: [['POD_NAME', 'p'] as [string, string]], want: 'hello from p version v1' },
    { name: 'healthz path', env: [['PATH_INFO', '/healthz'] as [string, string]], want: 'ok' },
  ])('runs a WAGI handler: $name', ({ env, want }) => {
    const { code, stdout } = run(hello, env);
    expect(code).toBe(0);
    expect(stdout).toContain(`\n\n${want}\n`);
  });

  it('instantiates a fresh instance per WAGI request, each answering on its own', () => {
    // One instance per request (WAGI): 300 requests in a row all get a complete answer.
    for (let i = 0; i < 300; i++) expect(run(hello, [['POD_NAME', `p${i}`]]).stdout).toContain(`hello from p${i}`);
  });

  it('caps memory: a hog traps at the imposed maximum instead of growing to 4 GiB', () => {
    const limit = 16 * 1024 * 1024;
    const module = new WebAssembly.Module(imposeMemoryLimit(memhogBytes, limit));
    const host = new Preview1Host({ args: ['x'], env: [], preopens: [], stdio: { stdin: new Uint8Array(0), stdout: () => undefined, stderr: () => undefined } });
    expect(() => host.start(new WebAssembly.Instance(module, host.imports()))).toThrow(WebAssembly.RuntimeError);
    expect(host.memory.byteLength).toBeLessThanOrEqual(limit);
    expect(host.memory.byteLength).toBeGreaterThan(limit - 2 * 1024 * 1024);
  });

  it('refuses a limit below the initial memory', () => {
    expect(() => imposeMemoryLimit(memhogBytes, 1024)).toThrow(InitialMemoryExceedsLimit);
  });
});
