// Secrets the launcher makes once in the state directory and reuses (BRIEF §12), each 0600:
// - the Redis password, in redis/password and in redis/redis.conf (`requirepass`), so neither
//   redis-server nor the apiserver ever has it on a command line that `ps` shows;
// - the EncryptionConfiguration that seals Secrets at rest (aesgcm with a random 32-byte key,
//   then identity, so Secrets stored before encryption was turned on stay readable).
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function writePrivate(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** Reads the file, or writes `make()` to it first. */
function once(path: string, make: () => string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8');
  const value = make();
  writePrivate(path, value);
  return value;
}

export interface RedisFiles {
  dir: string;
  conf: string;
  passwordFile: string;
}

/** redis.conf for a loopback redis-server with AOF and the generated password. */
export function ensureRedisConfig(stateDir: string, port: number): RedisFiles {
  const dir = join(stateDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const passwordFile = join(dir, 'password');
  const password = once(passwordFile, () => randomBytes(24).toString('hex')).trim();
  const conf = join(dir, 'redis.conf');
  // Rewritten every start (the port may change); the password stays.
  writePrivate(conf, [`port ${port}`, 'bind 127.0.0.1', 'protected-mode yes', `dir ${dir}`, 'appendonly yes', 'appendfsync everysec', 'save ""', `requirepass ${password}`, ''].join('\n'));
  return { dir, conf, passwordFile };
}

/** The apiserver's --encryption-provider-config, with a key made on the first start. */
export function ensureEncryptionConfig(stateDir: string): string {
  const dir = join(stateDir, 'pki');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'encryption-config.yaml');
  once(path, () => [
    'apiVersion: apiserver.config.k8s.io/v1',
    'kind: EncryptionConfiguration',
    'resources:',
    '  - resources: [secrets]',
    '    providers:',
    `      - aesgcm: {keys: [{name: key1, secret: "${randomBytes(32).toString('base64')}"}]}`,
    '      - identity: {}',
    '',
  ].join('\n'));
  return path;
}
