// Parses and resolves a Wasm image reference from a pod spec.
//
// Accepted forms (README in examples/wasm-pods describes them for manifest authors):
//   hello-http/build/hello-http-v1.wasm   relative path: looked up in each directory of the
//                                         kubelet's image search path, first hit wins
//   /abs/path/app.wasm, file:///abs/...   a file on this machine
//   http://127.0.0.1:8000/app.wasm        an HTTP(S) URL on a loopback address only
// Anything else, `..` segments in a relative path, or a non-loopback URL is InvalidImageName.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImagePullError } from '../errors.js';

export type ImageSource = { kind: 'file'; path: string } | { kind: 'url'; url: URL };

/** True for a dotted-quad IPv4 address in 127.0.0.0/8. */
export function isLoopbackIPv4(address: string): boolean {
  const parts = address.split('.');
  return parts.length === 4 && parts[0] === '127' && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** True for hosts on this machine's loopback: 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || isLoopbackIPv4(host);
}

function parseUrl(ref: string): ImageSource {
  let url: URL;
  try {
    url = new URL(ref);
  } catch {
    throw new ImagePullError('InvalidImageName', `image ${ref}: not a valid URL`);
  }
  if (url.protocol === 'file:') return { kind: 'file', path: fileURLToPath(url) };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ImagePullError('InvalidImageName', `image ${ref}: scheme ${url.protocol} is not supported (use a path, file:// or http(s)://)`);
  }
  if (!isLoopbackHost(url.hostname)) {
    throw new ImagePullError('InvalidImageName', `image ${ref}: only loopback hosts (127.0.0.0/8, ::1, localhost) may serve images`);
  }
  return { kind: 'url', url };
}

/** Resolves `ref` to where its bytes live; throws ImagePullError when it cannot. */
export function resolveImageRef(ref: string, searchPath: readonly string[]): ImageSource {
  const trimmed = ref.trim();
  if (trimmed.length === 0) throw new ImagePullError('InvalidImageName', 'image reference is empty');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return parseUrl(trimmed);
  if (isAbsolute(trimmed)) return { kind: 'file', path: trimmed };
  if (trimmed.split(/[\\/]/).includes('..')) {
    throw new ImagePullError('InvalidImageName', `image ${ref}: relative references may not contain '..'`);
  }
  for (const dir of searchPath) {
    const candidate = resolve(dir, trimmed);
    if (existsSync(candidate)) return { kind: 'file', path: candidate };
  }
  const where = searchPath.length > 0 ? searchPath.join(', ') : '(empty image search path)';
  throw new ImagePullError('ErrImagePull', `image ${ref} not found in ${where}`);
}

/** Joins search path entries given as a PATH-style string (`dir1:dir2`). */
export function parseSearchPath(value: string, base = process.cwd()): string[] {
  return value
    .split(':')
    .filter((p) => p.length > 0)
    .map((p) => (isAbsolute(p) ? p : join(base, p)));
}
