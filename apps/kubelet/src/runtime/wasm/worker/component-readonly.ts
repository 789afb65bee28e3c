// Makes a component's read-only mounts read-only.
// Why: preview2-shim's sandbox preopens map guest paths to host directories with full
// access. We mark the descriptors of read-only preopens (and everything opened through them)
// and make every mutating wasi:filesystem method on them fail with `read-only`. Patching the
// shim's Descriptor class is safe because the shim's state belongs to this Worker alone.

/** What this module needs from the import object of a WASIShim. */
export interface FilesystemImports {
  'wasi:filesystem/preopens': { getDirectories: () => Array<[object, string]> };
  'wasi:filesystem/types': { Descriptor: { prototype: Record<string, unknown> } };
}

type Method = (this: object, ...args: unknown[]) => unknown;

/** Descriptor methods that change the filesystem (wasi:filesystem/types@0.2). */
const MUTATORS = ['writeViaStream', 'appendViaStream', 'write', 'setSize', 'setTimes', 'setTimesAt', 'createDirectoryAt', 'removeDirectoryAt', 'unlinkFileAt', 'renameAt', 'symlinkAt', 'linkAt'];

interface OpenFlags {
  create?: boolean;
  truncate?: boolean;
}
interface DescriptorFlags {
  write?: boolean;
  mutateDirectory?: boolean;
}

export function enforceReadOnlyMounts(imports: FilesystemImports, readOnlyGuestPaths: ReadonlySet<string>): void {
  if (readOnlyGuestPaths.size === 0) return;
  const readOnly = new WeakSet<object>();
  const preopens = imports['wasi:filesystem/preopens'];
  const getDirectories = preopens.getDirectories.bind(preopens);
  imports['wasi:filesystem/preopens'] = {
    ...preopens,
    getDirectories: () => {
      const directories = getDirectories();
      for (const [descriptor, path] of directories) if (readOnlyGuestPaths.has(path)) readOnly.add(descriptor);
      return directories;
    },
  };
  const proto = imports['wasi:filesystem/types'].Descriptor.prototype;
  for (const name of MUTATORS) {
    const original = proto[name] as Method | undefined;
    if (typeof original !== 'function') continue;
    proto[name] = function (this: object, ...args: unknown[]) {
      if (readOnly.has(this)) throw 'read-only';
      return original.apply(this, args);
    };
  }
  const openAt = proto.openAt as Method;
  proto.openAt = function (this: object, pathFlags: unknown, path: unknown, openFlags: OpenFlags, flags: DescriptorFlags) {
    const fromReadOnly = readOnly.has(this);
    if (fromReadOnly && (openFlags.create || openFlags.truncate || flags.write || flags.mutateDirectory)) throw 'read-only';
    const opened = openAt.call(this, pathFlags, path, openFlags, flags);
    if (fromReadOnly && typeof opened === 'object' && opened !== null) readOnly.add(opened);
    return opened;
  };
}
