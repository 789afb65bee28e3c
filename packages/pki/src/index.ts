export * from './certificates.js';
export * from './cluster-pki.js';
export * from './identities.js';
export { generateKeyPair, importPrivateKey, privateKeyPem, publicKeyPem, publicKeyOf } from './crypto.js';
