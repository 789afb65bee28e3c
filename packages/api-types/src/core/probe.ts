// Probes and lifecycle hooks: the actions a kubelet runs against a container (HTTP GET, TCP
// connect, exec, gRPC health check, sleep) and the timing that governs liveness, readiness and
// startup checks.
import { Type, type Static } from '@sinclair/typebox';
import { AtomicList, IntOrString, OptInt, OptString, StringEnum } from '../schema.js';

export const HTTPHeader = Type.Object({ name: Type.String(), value: Type.String() });
export type HTTPHeader = Static<typeof HTTPHeader>;

export const URI_SCHEMES = ['HTTP', 'HTTPS'] as const;

export const HTTPGetAction = Type.Object(
  {
    path: OptString("Path to access on the HTTP server; defaults to '/'."),
    port: IntOrString('Port number or name of a container port.'),
    host: OptString('Host name to connect to; defaults to the pod IP.'),
    scheme: Type.Optional(StringEnum(URI_SCHEMES, { description: 'Scheme to use; defaults to HTTP.' })),
    httpHeaders: Type.Optional(AtomicList(HTTPHeader, 'Custom headers to set in the request.')),
  },
  { description: 'An HTTP GET request; any status from 200 to 399 is success.' },
);
export type HTTPGetAction = Static<typeof HTTPGetAction>;

export const TCPSocketAction = Type.Object(
  { port: IntOrString('Port number or name of a container port.'), host: OptString() },
  { description: 'A TCP connection; success when it opens.' },
);
export type TCPSocketAction = Static<typeof TCPSocketAction>;

export const ExecAction = Type.Object(
  { command: Type.Optional(AtomicList(Type.String(), 'Command line to run inside the container; not run in a shell.')) },
  { description: 'A command run in the container; exit status 0 is success.' },
);
export type ExecAction = Static<typeof ExecAction>;

export const GRPCAction = Type.Object(
  { port: Type.Integer({ description: 'Port number of the gRPC service.' }), service: OptString('Service name for the gRPC health check.') },
  { description: 'A gRPC health check (grpc.health.v1).' },
);
export type GRPCAction = Static<typeof GRPCAction>;

export const SleepAction = Type.Object({ seconds: Type.Integer() });

export const Probe = Type.Object(
  {
    exec: Type.Optional(ExecAction),
    httpGet: Type.Optional(HTTPGetAction),
    tcpSocket: Type.Optional(TCPSocketAction),
    grpc: Type.Optional(GRPCAction),
    initialDelaySeconds: OptInt('Seconds after the container starts before the first probe.'),
    timeoutSeconds: OptInt('Seconds after which a probe times out; defaults to 1.'),
    periodSeconds: OptInt('How often to probe, in seconds; defaults to 10.'),
    successThreshold: OptInt('Consecutive successes to count as success after a failure; defaults to 1 (must be 1 for liveness and startup).'),
    failureThreshold: OptInt('Consecutive failures to count as failure; defaults to 3.'),
    terminationGracePeriodSeconds: OptInt('Grace period for a container killed by a failed probe; overrides the pod value.'),
  },
  { description: 'A health check run against a container. Exactly one action must be set.' },
);
export type Probe = Static<typeof Probe>;

/** The probe actions; a probe must have exactly one. */
export const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;

export const LifecycleHandler = Type.Object(
  {
    exec: Type.Optional(ExecAction),
    httpGet: Type.Optional(HTTPGetAction),
    tcpSocket: Type.Optional(TCPSocketAction),
    sleep: Type.Optional(SleepAction),
  },
  { description: 'An action run at a lifecycle event. Exactly one action must be set.' },
);
export type LifecycleHandler = Static<typeof LifecycleHandler>;

/** The lifecycle hook actions; a hook must have exactly one (tcpSocket is accepted but deprecated). */
export const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;

export const Lifecycle = Type.Object(
  {
    postStart: Type.Optional(LifecycleHandler),
    preStop: Type.Optional(LifecycleHandler),
    stopSignal: OptString('Signal sent to stop the container (e.g. SIGTERM).'),
  },
  { description: 'Actions the kubelet runs right after a container starts and before it stops.' },
);
export type Lifecycle = Static<typeof Lifecycle>;
