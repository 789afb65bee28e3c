// How a Wasm guest's end becomes an exit code and reason (exit-info.ts), for every Wasm runtime.
import { describe, expect, it } from 'vitest';
import { EXIT_CODE_KILLED, EXIT_CODE_TRAP, guestExitFromCode, guestExitFromTrap } from '../src/index.js';

const MiB = 1024 * 1024;

describe('guestExitFromCode', () => {
  it.each([
    { code: 0, want: { exitCode: 0, reason: 'Completed' } },
    { code: 3, want: { exitCode: 3, reason: 'Error' } },
  ])('exit $code is $want.reason', ({ code, want }) => {
    expect(guestExitFromCode(code)).toEqual(want);
  });
});

describe('guestExitFromTrap', () => {
  // Limit 32 MiB: the slack is max(1 MiB, 32 MiB / 16) = 2 MiB, so 30 MiB or more is out of memory.
  it.each([
    { name: 'at the limit', memory: 32 * MiB, limit: 32 * MiB, want: { exitCode: EXIT_CODE_KILLED, reason: 'OOMKilled' } },
    { name: 'within the slack', memory: 30.5 * MiB, limit: 32 * MiB, want: { exitCode: EXIT_CODE_KILLED, reason: 'OOMKilled' } },
    { name: 'below the slack', memory: 29 * MiB, limit: 32 * MiB, want: { exitCode: EXIT_CODE_TRAP, reason: 'Error' } },
    { name: 'without a limit', memory: 32 * MiB, limit: undefined, want: { exitCode: EXIT_CODE_TRAP, reason: 'Error' } },
  ])('a trap $name', ({ memory, limit, want }) => {
    expect(guestExitFromTrap(new Error('unreachable'), memory, limit)).toMatchObject(want);
  });

  it('says what trapped', () => {
    expect(guestExitFromTrap('RuntimeError: unreachable', 0, undefined).message).toBe('RuntimeError: unreachable');
  });
});
