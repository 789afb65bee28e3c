// Tells what kind of Wasm binary an image is, or why it is not one.
// Core modules (preview1 commands, WAGI handlers) have binary version 1; components (the
// component model layer: wasi:http and wasi:cli worlds) have version 0x0d, layer 1.
import { ImagePullError } from '../errors.js';

export type BinaryKind = 'core' | 'component';

const MAGIC = [0x00, 0x61, 0x73, 0x6d];
const CORE_VERSION = [0x01, 0x00, 0x00, 0x00];
const COMPONENT_VERSION = [0x0d, 0x00, 0x01, 0x00];

function startsWith(bytes: Uint8Array, offset: number, expected: number[]): boolean {
  return expected.every((b, i) => bytes[offset + i] === b);
}

// Node's global, declared for this module only: lib ES2023 has no WebAssembly namespace.
declare const WebAssembly: { validate(bytes: Uint8Array): boolean };

/** Classifies `bytes`; throws ImageInspectError for anything that is not valid Wasm. */
export function inspectBinary(ref: string, bytes: Uint8Array): BinaryKind {
  if (bytes.length < 8 || !startsWith(bytes, 0, MAGIC)) {
    throw new ImagePullError('ImageInspectError', `image ${ref} is not a WebAssembly binary (no \\0asm header)`);
  }
  if (startsWith(bytes, 4, COMPONENT_VERSION)) return 'component';
  if (!startsWith(bytes, 4, CORE_VERSION)) {
    throw new ImagePullError('ImageInspectError', `image ${ref} has an unsupported WebAssembly version`);
  }
  if (!WebAssembly.validate(bytes)) {
    throw new ImagePullError('ImageInspectError', `image ${ref} is not a valid WebAssembly module`);
  }
  return 'core';
}
