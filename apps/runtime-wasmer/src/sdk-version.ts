// The installed @wasmer/sdk version (e.g. 0.16.0), for version(). Why read it: the package's exports map
// hides its package.json, so it is found next to the entry the SDK does export.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function sdkVersion(): string {
  try {
    const manifest = new URL('../package.json', import.meta.resolve('@wasmer/sdk/node'));
    return (JSON.parse(readFileSync(fileURLToPath(manifest), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
