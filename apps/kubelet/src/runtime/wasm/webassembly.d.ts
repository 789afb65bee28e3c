// The subset of the WebAssembly JS API that the Wasm runtime uses.
// Why here: the repo compiles with lib ES2023 and @types/node 20, neither of which declares
// the WebAssembly namespace (TypeScript ships it only in the DOM and WebWorker libs, which
// would bring browser globals into a Node.js program). Remove this file if the base tsconfig
// ever adds one of those libs.

declare namespace WebAssembly {
  type ImportValue = ((...args: never[]) => unknown) | Memory | Global | Table | number;
  type ModuleImports = Record<string, ImportValue>;
  type Imports = Record<string, ModuleImports>;
  type ExportValue = ((...args: never[]) => unknown) | Memory | Global | Table;
  type Exports = Record<string, ExportValue>;
  type ImportExportKind = 'function' | 'table' | 'memory' | 'global' | 'tag';

  interface ModuleExportDescriptor {
    name: string;
    kind: ImportExportKind;
  }
  interface ModuleImportDescriptor {
    module: string;
    name: string;
    kind: ImportExportKind;
  }
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }

  class Module {
    constructor(bytes: BufferSource);
    static exports(module: Module): ModuleExportDescriptor[];
    static imports(module: Module): ModuleImportDescriptor[];
    static customSections(module: Module, name: string): ArrayBuffer[];
  }
  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Exports;
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  class Global {
    value: unknown;
  }
  class Table {
    readonly length: number;
  }
  class CompileError extends Error {}
  class LinkError extends Error {}
  class RuntimeError extends Error {}

  type BufferSource = ArrayBufferView | ArrayBuffer;

  function compile(bytes: BufferSource): Promise<Module>;
  function validate(bytes: BufferSource): boolean;
  function instantiate(module: Module, imports?: Imports): Promise<Instance>;
}
