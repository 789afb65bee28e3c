// Typed access to a guest's linear memory for the preview1 host.
// Why: memory.grow replaces the ArrayBuffer behind a WebAssembly.Memory, so every access takes
// a fresh view instead of caching one (caching a stale backing store is exactly what makes
// node:wasi corrupt the heap after a guest grows its memory; see preview1.ts).

export class GuestMemory {
  #memory: WebAssembly.Memory | undefined;

  bind(memory: WebAssembly.Memory): void {
    this.#memory = memory;
  }

  get byteLength(): number {
    return this.#memory?.buffer.byteLength ?? 0;
  }

  view(): DataView {
    if (!this.#memory) throw new Error('guest memory used before the module was bound');
    return new DataView(this.#memory.buffer);
  }

  /** A live window on guest bytes (valid until the guest next grows its memory). */
  bytes(pointer: number, length: number): Uint8Array {
    if (!this.#memory) throw new Error('guest memory used before the module was bound');
    return new Uint8Array(this.#memory.buffer, pointer >>> 0, length >>> 0);
  }

  u8(pointer: number, value: number): void {
    this.view().setUint8(pointer >>> 0, value);
  }

  u16(pointer: number, value: number): void {
    this.view().setUint16(pointer >>> 0, value, true);
  }

  u32(pointer: number, value: number): void {
    this.view().setUint32(pointer >>> 0, value >>> 0, true);
  }

  u64(pointer: number, value: bigint): void {
    this.view().setBigUint64(pointer >>> 0, BigInt.asUintN(64, value), true);
  }

  readU32(pointer: number): number {
    return this.view().getUint32(pointer >>> 0, true);
  }

  readString(pointer: number, length: number): string {
    return Buffer.from(this.bytes(pointer, length)).toString('utf8');
  }

  /** The (pointer, length) pairs of an iovec array. */
  iovecs(pointer: number, count: number): Array<[number, number]> {
    const view = this.view();
    const result: Array<[number, number]> = [];
    for (let i = 0; i < count; i++) {
      const base = (pointer >>> 0) + i * 8;
      result.push([view.getUint32(base, true), view.getUint32(base + 4, true)]);
    }
    return result;
  }

  /** Writes NUL-terminated strings and a pointer to each (args_get / environ_get). */
  writeStringList(values: readonly Buffer[], pointers: number, buffer: number): void {
    let offset = buffer >>> 0;
    values.forEach((value, index) => {
      this.u32(pointers + index * 4, offset);
      this.bytes(offset, value.length).set(value);
      this.u8(offset + value.length, 0);
      offset += value.length + 1;
    });
  }
}
