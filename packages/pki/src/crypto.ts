// Key pairs and PEM encoding on Node's WebCrypto. Every key is ECDSA P-256: small, fast to make
// (a whole cluster PKI takes milliseconds), and accepted by Go's TLS stack (kubectl), OpenSSL
// (curl, Python) and Node alike.
import 'reflect-metadata';
import { webcrypto, createPrivateKey, createPublicKey } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export { x509 };
export type { CryptoKey, CryptoKeyPair };

export async function generateKeyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
}

/** PKCS#8 PEM of a private key (`-----BEGIN PRIVATE KEY-----`). */
export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** SPKI PEM of a public key (`-----BEGIN PUBLIC KEY-----`). */
export async function publicKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('spki', key));
  return createPublicKey({ key: der, format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }).toString();
}

/** Imports a PKCS#8 (or SEC1 "EC PRIVATE KEY") PEM as a WebCrypto signing key. */
export async function importPrivateKey(pem: string): Promise<CryptoKey> {
  const der = createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' });
  return webcrypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, true, ['sign']) as Promise<CryptoKey>;
}

/** The public key of a private key PEM, as a WebCrypto verify key. */
export async function publicKeyOf(privatePem: string): Promise<CryptoKey> {
  const der = createPublicKey(privatePem).export({ format: 'der', type: 'spki' });
  return webcrypto.subtle.importKey('spki', der, KEY_ALGORITHM, true, ['verify']) as Promise<CryptoKey>;
}
