// The value transformers of an EncryptionConfiguration (k8s.io/apiserver/pkg/storage/value):
// aesgcm (AES-GCM, a random 12-byte nonce per write, the object's storage key as additional data,
// so a ciphertext cannot be moved to another object), secretbox (XSalsa20-Poly1305, a random
// 24-byte nonce) and identity (no encryption). Encrypted values carry Kubernetes' prefix
// `k8s:enc:<provider>:v1:<key name>:`, so a reader knows which key wrote them.
import { createCipheriv, createDecipheriv, randomBytes, type CipherGCMTypes } from 'node:crypto';
import nacl from 'tweetnacl';

export interface KeyedProvider {
  /** `k8s:enc:aesgcm:v1:key1:`; '' for identity. */
  readonly prefix: string;
  seal(plain: Buffer, context: string): Buffer;
  open(sealed: Buffer, context: string): Buffer;
}

const GCM_NONCE = 12;
const GCM_TAG = 16;

export function aesGcmProvider(name: string, key: Buffer): KeyedProvider {
  const algorithm = `aes-${key.length * 8}-gcm` as CipherGCMTypes;
  return {
    prefix: `k8s:enc:aesgcm:v1:${name}:`,
    seal(plain, context) {
      const nonce = randomBytes(GCM_NONCE);
      const cipher = createCipheriv(algorithm, key, nonce);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([nonce, body, cipher.getAuthTag()]);
    },
    open(sealed, context) {
      if (sealed.length < GCM_NONCE + GCM_TAG) throw new Error('the stored data was shorter than the required size');
      const decipher = createDecipheriv(algorithm, key, sealed.subarray(0, GCM_NONCE));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(sealed.subarray(sealed.length - GCM_TAG));
      return Buffer.concat([decipher.update(sealed.subarray(GCM_NONCE, sealed.length - GCM_TAG)), decipher.final()]);
    },
  };
}

export function secretboxProvider(name: string, key: Buffer): KeyedProvider {
  const k = new Uint8Array(key);
  return {
    prefix: `k8s:enc:secretbox:v1:${name}:`,
    seal(plain) {
      const nonce = randomBytes(nacl.secretbox.nonceLength);
      return Buffer.concat([nonce, Buffer.from(nacl.secretbox(new Uint8Array(plain), new Uint8Array(nonce), k))]);
    },
    open(sealed) {
      const nonce = sealed.subarray(0, nacl.secretbox.nonceLength);
      const out = nacl.secretbox.open(new Uint8Array(sealed.subarray(nacl.secretbox.nonceLength)), new Uint8Array(nonce), k);
      if (!out) throw new Error('failed to decrypt message');
      return Buffer.from(out);
    },
  };
}

export const identityProvider: KeyedProvider = { prefix: '', seal: (plain) => plain, open: (sealed) => sealed };
