// The batch example as a JavaScript wasi:cli command component (built with componentize-js),
// with the same flags as the AssemblyScript module: `--config PATH` (else env CONFIG_FILE,
// else /config/config.txt), `--write PATH` and `--fail`. A thrown error makes wasi:cli/run
// return an error, which the runtime reports as exit code 1.
import { getArguments, getEnvironment } from 'wasi:cli/environment@0.2.10';
import { getDirectories } from 'wasi:filesystem/preopens@0.2.10';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function flag(args, name) {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

/** The preopen whose guest path is the longest prefix of `path`, and the rest of the path. */
function locate(path) {
  let best;
  for (const [descriptor, root] of getDirectories()) {
    const prefix = root.endsWith('/') ? root : `${root}/`;
    if (!path.startsWith(prefix) || (best && best.root.length >= root.length)) continue;
    best = { descriptor, root, relative: path.slice(prefix.length) };
  }
  if (!best) throw new Error(`no mount contains ${path}`);
  return best;
}

function readText(path) {
  const { descriptor, relative } = locate(path);
  const file = descriptor.openAt({ symlinkFollow: true }, relative, {}, { read: true });
  const [bytes] = file.read(file.stat().size, 0n);
  return decoder.decode(bytes);
}

function writeText(path, text) {
  const { descriptor, relative } = locate(path);
  const file = descriptor.openAt({ symlinkFollow: true }, relative, { create: true, truncate: true }, { write: true });
  file.write(encoder.encode(text), 0n);
}

export const run = {
  run() {
    const args = getArguments();
    const env = new Map(getEnvironment());
    const configPath = flag(args, '--config') ?? env.get('CONFIG_FILE') ?? '/config/config.txt';
    console.log(`batch-js: pod ${env.get('POD_NAME') ?? 'unknown'} reading ${configPath}`);
    for (const line of readText(configPath).split('\n').filter((l) => l.length > 0)) console.log(`config: ${line}`);
    const writePath = flag(args, '--write');
    if (writePath) {
      try {
        writeText(writePath, 'written by batch-js\n');
        console.log(`batch-js: wrote ${writePath}`);
      } catch (error) {
        console.error(`batch-js: write to ${writePath} refused: ${error?.payload ?? error}`);
        throw error;
      }
    }
    if (args.includes('--fail') || env.get('FAIL') === '1') {
      console.error('batch-js: failing as asked');
      throw new Error('failing as asked');
    }
    console.log('batch-js: done');
  },
};
