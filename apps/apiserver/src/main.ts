#!/usr/bin/env node
// kite apiserver: the Kubernetes REST API over Redis, over TLS. Flags also read environment
// variables. Without --tls-cert-file it makes (once) a self-signed CA and serving certificate in
// --cert-dir, as kube-apiserver does, so it never serves plain HTTP.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, createLogger, flag, intFlag, onShutdown, Option } from '@kite/component-base';
import { ensureClusterPki } from '@kite/pki';
import { DEFAULT_AUTHORIZATION_MODES, DEFAULT_MAX_REQUEST_BYTES, startApiServer } from './server.js';
import { DEFAULT_HISTORY } from './storage/store.js';
import { loadEncryptionConfig } from './storage/encryption/config.js';
import { logBackend } from './audit/backend.js';
import { loadPolicy } from './audit/policy.js';
import { DEFAULT_NODE_PORT_RANGE, DEFAULT_SERVICE_CIDR } from './registry/service-allocator.js';
import { DEFAULT_ISSUER } from './auth/tokens/claims.js';
import { parseGoDuration } from '@kite/api-types';
import { DEFAULT_PROXY_METRICS_PORT } from './metrics/index.js';

const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

const program = new Command('apiserver')
  .description('Serves the Kubernetes REST API over a Redis store, over HTTPS')
  .addOption(flag('port', 'secure port to listen on', '6443'))
  .addOption(flag('bind-address', 'address to listen on (loopback by default)', '127.0.0.1'))
  .addOption(flag('redis-url', 'Redis URL (without a password: see --redis-password-file)', 'redis://127.0.0.1:6379'))
  .addOption(flag('redis-password-file', 'file holding the Redis password (or set REDIS_PASSWORD); never pass it on the command line'))
  .addOption(flag('watch-history', 'revisions of change history kept for watches; older resourceVersions get 410 Gone', String(DEFAULT_HISTORY)))
  .addOption(flag('max-request-bytes', 'largest request body accepted; larger ones get 413', String(DEFAULT_MAX_REQUEST_BYTES)))
  .addOption(flag('service-cluster-ip-range', 'CIDR Service cluster IPs are allocated from', DEFAULT_SERVICE_CIDR))
  .addOption(flag('service-node-port-range', 'range NodePorts are allocated from', DEFAULT_NODE_PORT_RANGE))
  .addOption(flag('bookmark-interval-ms', 'how often watches with allowWatchBookmarks get a BOOKMARK', '10000'))
  .addOption(flag('tls-cert-file', 'serving certificate (PEM); without it a self-signed one is made in --cert-dir'))
  .addOption(flag('tls-private-key-file', 'private key of --tls-cert-file'))
  .addOption(flag('cert-dir', 'where the self-signed certificate and keys go when --tls-cert-file is not given'))
  .addOption(flag('client-ca-file', 'CA bundle that client certificates must chain to (x509 authentication)'))
  .addOption(flag('token-auth-file', 'static bearer tokens, CSV: token,user,uid,"group1,group2"'))
  .addOption(flag('service-account-key-file', 'comma list of PEM keys that verify ServiceAccount tokens'))
  .addOption(flag('service-account-signing-key-file', 'PEM private key that signs ServiceAccount tokens (TokenRequest)'))
  .addOption(flag('service-account-issuer', 'issuer (iss) of ServiceAccount tokens', DEFAULT_ISSUER))
  .addOption(flag('api-audiences', 'comma list of token audiences the API accepts (default: the issuer)'))
  .addOption(new Option('--enable-bootstrap-token-auth [bool]', 'accept bootstrap tokens (Secrets of type bootstrap.kubernetes.io/token in kube-system)').env('ENABLE_BOOTSTRAP_TOKEN_AUTH').default('true'))
  .addOption(new Option('--anonymous-auth [bool]', 'answer requests without credentials on /healthz, /livez, /readyz and /version').env('ANONYMOUS_AUTH').default('true'))
  .addOption(flag('authorization-mode', 'comma list of authorizers in order: Node, RBAC, AlwaysAllow, AlwaysDeny', DEFAULT_AUTHORIZATION_MODES.join(',')))
  .addOption(flag('enable-admission-plugins', 'admission plugins to turn on besides the defaults (comma list)'))
  .addOption(flag('disable-admission-plugins', 'admission plugins to turn off (comma list)'))
  .addOption(flag('default-not-ready-toleration-seconds', 'tolerationSeconds of the not-ready:NoExecute toleration every pod gets', '300'))
  .addOption(flag('default-unreachable-toleration-seconds', 'tolerationSeconds of the unreachable:NoExecute toleration every pod gets', '300'))
  .addOption(flag('encryption-provider-config', 'EncryptionConfiguration file: which resources are encrypted at rest, and with which keys'))
  .addOption(flag('audit-policy-file', 'audit Policy (audit.k8s.io/v1): which requests are recorded, at which level'))
  .addOption(flag('audit-log-path', 'file audit events are appended to as JSON lines ("-" for standard output)'))
  .addOption(flag('kubelet-client-certificate', 'client certificate the apiserver presents to kubelets'))
  .addOption(flag('kubelet-client-key', 'key of --kubelet-client-certificate'))
  .addOption(flag('kubelet-certificate-authority', 'CA that kubelet serving certificates chain to'))
  .addOption(flag('metric-resolution', 'how often kubelets (and proxies) are scraped for the metrics APIs, a Go duration (15s, 500ms)', '15s'))
  .addOption(flag('proxy-metrics-port', "port of each node's proxy /metrics, read for the http_requests_per_second custom metric; 0 turns it off", String(DEFAULT_PROXY_METRICS_PORT)))
  .parse();

const o = program.opts<Record<string, string | undefined>>();
const bool = (v: string | boolean | undefined) => v === true || v === 'true' || v === '1';
const logger = createLogger('apiserver');
try {
  const port = intFlag('port', o.port, 6443);
  const host = o.bindAddress ?? '127.0.0.1';
  let certFile = o.tlsCertFile;
  let keyFile = o.tlsPrivateKeyFile;
  let clientCaFile = o.clientCaFile;
  let saKeyFiles = list(o.serviceAccountKeyFile);
  let saSigningKey = o.serviceAccountSigningKeyFile;
  if (!certFile || !keyFile) {
    // kube-apiserver's behaviour without certificates: self-signed, in --cert-dir.
    const dir = o.certDir ?? join(tmpdir(), `kite-apiserver-${port}`);
    const pki = await ensureClusterPki(dir, { apiserverHosts: [host, '127.0.0.1'] });
    certFile = pki.apiserverCert;
    keyFile = pki.apiserverKey;
    clientCaFile ??= pki.caCert;
    if (saKeyFiles.length === 0) saKeyFiles = [pki.serviceAccountPub];
    saSigningKey ??= pki.serviceAccountKey;
    logger.info({ certDir: dir }, 'no --tls-cert-file: serving a self-signed certificate');
  }
  const resolutionMs = parseGoDuration(o.metricResolution ?? '15s');
  if (resolutionMs === undefined || resolutionMs <= 0) throw new Error(`--metric-resolution must be a positive duration such as 15s, got ${JSON.stringify(o.metricResolution)}`);
  const redisPassword = o.redisPasswordFile ? readFileSync(o.redisPasswordFile, 'utf8').trim() : process.env.REDIS_PASSWORD;
  const server = await startApiServer({
    port,
    host,
    redisUrl: o.redisUrl ?? 'redis://127.0.0.1:6379',
    ...(redisPassword ? { redisPassword } : {}),
    ...(o.auditPolicyFile && o.auditLogPath ? { audit: { policy: loadPolicy(o.auditPolicyFile), backend: logBackend(o.auditLogPath) } } : {}),
    ...(o.encryptionProviderConfig ? { encryption: loadEncryptionConfig(o.encryptionProviderConfig) } : {}),
    watchHistory: intFlag('watch-history', o.watchHistory, DEFAULT_HISTORY),
    maxRequestBytes: intFlag('max-request-bytes', o.maxRequestBytes, DEFAULT_MAX_REQUEST_BYTES),
    bookmarkIntervalMs: intFlag('bookmark-interval-ms', o.bookmarkIntervalMs, 10_000),
    serviceCidr: o.serviceClusterIpRange ?? DEFAULT_SERVICE_CIDR,
    nodePortRange: o.serviceNodePortRange ?? DEFAULT_NODE_PORT_RANGE,
    tls: { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), ...(clientCaFile ? { clientCa: readFileSync(clientCaFile, 'utf8') } : {}) },
    authentication: {
      clientCertificates: clientCaFile !== undefined,
      ...(o.tokenAuthFile ? { tokenAuthFile: o.tokenAuthFile } : {}),
      serviceAccountKeyFiles: saKeyFiles,
      serviceAccountIssuer: o.serviceAccountIssuer ?? DEFAULT_ISSUER,
      apiAudiences: list(o.apiAudiences),
      bootstrapTokens: bool(o.enableBootstrapTokenAuth),
      anonymous: bool(o.anonymousAuth),
    },
    ...(saSigningKey ? { serviceAccountSigningKeyFile: saSigningKey } : {}),
    authorizationModes: list(o.authorizationMode),
    defaultTolerations: {
      notReadySeconds: intFlag('default-not-ready-toleration-seconds', o.defaultNotReadyTolerationSeconds, 300),
      unreachableSeconds: intFlag('default-unreachable-toleration-seconds', o.defaultUnreachableTolerationSeconds, 300),
    },
    admission: { enable: list(o.enableAdmissionPlugins), disable: list(o.disableAdmissionPlugins) },
    ...(o.kubeletClientCertificate && o.kubeletClientKey
      ? { kubeletClient: { cert: readFileSync(o.kubeletClientCertificate, 'utf8'), key: readFileSync(o.kubeletClientKey, 'utf8'), ...(o.kubeletCertificateAuthority ? { ca: readFileSync(o.kubeletCertificateAuthority, 'utf8') } : {}) } }
      : {}),
    metrics: { resolutionMs, proxyPort: intFlag('proxy-metrics-port', o.proxyMetricsPort, DEFAULT_PROXY_METRICS_PORT) },
    logger,
  });
  onShutdown(logger, () => server.close());
} catch (err) {
  logger.fatal({ err }, 'apiserver failed to start');
  process.exit(1);
}
