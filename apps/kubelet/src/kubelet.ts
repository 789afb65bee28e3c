// Wires the kubelet: registers the Node and keeps its heartbeat, watches the pods bound to it,
// adopts what the runtimes already run, and drives every pod through syncPod via per-pod workers
// triggered by pod changes, container exits, probe results and a periodic resync.
import { RemoteRuntime } from '@kite/cri';
import { join } from 'node:path';
import { ConfigMapResource, EventResource, PersistentVolumeClaimResource, PersistentVolumeResource, PodResource, SecretResource, ServiceResource, type Pod, type Service } from '@kite/api-types';
import { isConflict, isNotFound } from '@kite/apimachinery';
import { EventRecorder, Informer, KubeClient } from '@kite/client';
import { createMetricsRegistry, Gauge, Histogram, type Logger } from '@kite/component-base';
import type { KubeletConfig } from './config.js';
import { PodIpam } from './network/ipam.js';
import { NodeRegistrar } from './node/registrar.js';
import type { PodObj } from './objects.js';
import { containerBackoffs } from './pods/backoff.js';
import type { KubeletContext } from './pods/context.js';
import { killPod, runtimeOf, syncPod } from './pods/pod-syncer.js';
import { PodWorkers } from './pods/pod-workers.js';
import { terminalFromApi, type PodRecord } from './pods/records.js';
import { serviceEnv } from './pods/service-env.js';
import { StatusManager } from './pods/status-manager.js';
import { ProbeManager } from './probes/probe-manager.js';
import { createRuntimes } from './runtime/registry.js';
import type { ContainerRuntime, RuntimeName } from '@kite/cri';
import { startKubeletServer } from './server/kubelet-server.js';
import { kubeletConfigz } from './server/configz.js';
import { assignedPods, runningPods } from './server/pod-lists.js';
import { podEntriesOf } from './stats/pod-usage.js';
import { StatsProvider } from './stats/provider.js';
import { subjectAccessReviewAuthorizer } from './server/authorizer.js';
import { requestPodToken } from './volumes/token.js';
import { ttlCached } from './volumes/object-cache.js';
import { VOLUME_REFRESH_MS } from './volumes/volumes.js';
import { LocalPathCleaner } from './volumes/local-path-cleanup.js';
import { adoptRuntimeState } from './pods/adoption.js';
import { RuntimeClassManager } from './pods/runtime-class.js';

/** Every pod is synced at least this often, whatever happens (level-triggered safety net). */
const RESYNC_MS = 10_000;
/** ConfigMaps and Secrets are read at most this often per object (volumes refresh every VOLUME_REFRESH_MS). */
const OBJECT_CACHE_TTL_MS = VOLUME_REFRESH_MS / 2;

/** The pods informer's index by uid: pod workers and runtime events name pods by uid. */
const UID_INDEX = 'uid';

export class Kubelet {
  private readonly client: KubeClient;
  private readonly records = new Map<string, PodRecord>();
  private readonly registry = createMetricsRegistry('kubelet');
  private readonly podsInformer: Informer<Pod>;
  private readonly runtimeClasses: RuntimeClassManager;
  private readonly servicesInformer: Informer<Service>;
  private readonly workers: PodWorkers;
  private readonly statuses: StatusManager;
  private readonly probes: ProbeManager;
  private readonly registrar: NodeRegistrar;
  private readonly localPathCleaner: LocalPathCleaner;
  private readonly ctx: KubeletContext;
  private runtimes = new Map<RuntimeName, ContainerRuntime>();
  private ipam: PodIpam | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private closeServer: (() => Promise<void>) | undefined;
  private readonly startLatency = new Histogram({ name: 'kubelet_pod_start_duration_seconds', help: 'Pod creation to running.', buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [this.registry] });

  constructor(
    private readonly cfg: KubeletConfig,
    private readonly log: Logger,
  ) {
    this.client = new KubeClient({ ...cfg.apiserver, userAgent: `kubelet/${cfg.nodeName}` });
    this.podsInformer = new Informer<Pod>({ client: this.client.resource(PodResource), fieldSelector: `spec.nodeName=${cfg.nodeName}`, onError: (err) => log.warn({ err }, 'pod watch') });
    this.runtimeClasses = new RuntimeClassManager(this.client, log, cfg.acceptAnyPod === true);
    this.podsInformer.store.addIndexer(UID_INDEX, (p) => [p.metadata.uid ?? '']);
    this.servicesInformer = new Informer<Service>({ client: this.client.resource(ServiceResource), onError: (err) => log.warn({ err }, 'service watch') });
    this.statuses = new StatusManager(this.client);
    this.registrar = new NodeRegistrar(this.client, cfg, log);
    this.localPathCleaner = new LocalPathCleaner({ client: this.client, nodeName: cfg.nodeName, log });
    const events = new EventRecorder({ client: this.client.resource(EventResource), component: 'kubelet', host: cfg.nodeName, onError: (err) => log.debug({ err }, 'event not recorded') });
    const recorder = { record: (pod: PodObj, type: 'Normal' | 'Warning', reason: string, message: string) => void events.event(pod, type, reason, message) };
    this.workers = new PodWorkers({ sync: (uid) => this.syncOne(uid), onError: (uid, err) => log.warn({ err, uid }, 'pod sync failed') });
    this.probes = new ProbeManager(this.records, (uid) => this.workers.trigger(uid), (pod, kind, msg) => recorder.record(pod, 'Warning', 'Unhealthy', `${kind[0]?.toUpperCase() ?? ''}${kind.slice(1)} probe failed: ${msg}`),
      (pod) => runtimeOf(this.ctx, pod),
    );
    this.ctx = {
      cfg,
      client: this.client,
      log,
      runtimes: this.runtimes,
      handlerFor: (pod) => this.runtimeClasses.handlerFor(pod),
      ipam: () => {
        if (!this.ipam) throw new Error('pod CIDR not known yet');
        return this.ipam;
      },
      sources: {
        configMap: ttlCached((ns, name) => this.client.resource(ConfigMapResource).get(name, { namespace: ns }).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e))), OBJECT_CACHE_TTL_MS),
        secret: ttlCached((ns, name) => this.client.resource(SecretResource).get(name, { namespace: ns }).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e))), OBJECT_CACHE_TTL_MS),
        serviceAccountToken: (pod, audience, expirationSeconds) => requestPodToken(this.client, pod, audience, expirationSeconds),
        persistentVolumeClaim: (ns, name) => this.client.resource(PersistentVolumeClaimResource).get(name, { namespace: ns }).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e))),
        persistentVolume: (name) => this.client.resource(PersistentVolumeResource).get(name).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e))),
      },
      event: (pod, type, reason, message) => recorder.record(pod, type, reason, message),
      serviceEnv: (ns) => serviceEnv(this.servicesInformer.store.list(), ns),
      requeue: (uid, ms) => this.workers.after(uid, ms),
      backoff: containerBackoffs(cfg),
    };
    const records = this.records;
    new Gauge({ name: 'kubelet_running_pods', help: 'Pods this kubelet manages.', registers: [this.registry], collect() { this.set(records.size); } });
  }

  private podByUid(uid: string): PodObj | undefined {
    return this.podsInformer.store.byIndex(UID_INDEX, uid)[0];
  }

  async start(): Promise<void> {
    this.runtimes = await createRuntimes(this.cfg, this.log);
    this.ctx.runtimes = this.runtimes;
    // Advertise only what actually came up (e.g. no docker label when the engine is down).
    this.cfg.runtimes = [...this.runtimes.keys()];
    await this.registrar.register();
    this.ipam = new PodIpam(await this.registrar.podCIDR(this.abort.signal));
    const server = await startKubeletServer({
      host: this.cfg.nodeIP,
      port: this.cfg.port,
      registry: this.registry,
      logs: { logPath: (ns, pod, c, prev) => this.logPath(ns, pod, c, prev) },
      usage: this.stats(),
      pods: {
        assigned: () => assignedPods(this.podsInformer.store.list(), (uid) => this.statuses.lastStatus(uid)),
        running: () => runningPods(this.runtimes.values()),
      },
      configz: kubeletConfigz(this.cfg),
      healthy: () => true,
      tls: this.cfg.tls,
      authorize: subjectAccessReviewAuthorizer(this.client, this.cfg.nodeName),
    });
    this.closeServer = () => server.close();
    await this.servicesInformer.start();
    await this.runtimeClasses.start();
    await this.podsInformer.start();
    // Not awaited: pods need not wait for the PV cache, which only serves local-path cleanup.
    this.localPathCleaner.start().catch((err: unknown) => this.log.warn({ err }, 'local-path cleaner did not start'));
    await adoptRuntimeState(this.ctx, this.records, this.podsInformer.store.list(), this.ipam);
    for (const rt of this.runtimes.values()) {
      rt.onContainerEvent((ev) => {
        for (const rec of this.records.values()) if (rec.sandboxId === ev.sandboxId) this.workers.trigger(rec.uid);
      });
    }
    for (const rt of this.runtimes.values()) {
      // A runtime process that came back (restarted, or killed and started again) has lost its
      // pods: sync them all now rather than at the next resync, so they are re-created at once.
      if (rt instanceof RemoteRuntime) rt.onConnectionChange((up) => {
        if (up) for (const uid of this.records.keys()) this.workers.trigger(uid);
      });
    }
    this.podsInformer.on('add', (pod) => this.workers.trigger(pod.metadata.uid ?? ''));
    this.podsInformer.on('update', (_old, pod) => this.workers.trigger(pod.metadata.uid ?? ''));
    this.podsInformer.on('delete', (pod) => this.workers.trigger(pod.metadata.uid ?? ''));
    for (const pod of this.podsInformer.store.list()) this.workers.trigger(pod.metadata.uid ?? '');
    for (const uid of this.records.keys()) this.workers.trigger(uid);
    this.resyncTimer = setInterval(() => {
      for (const pod of this.podsInformer.store.list()) this.workers.trigger(pod.metadata.uid ?? '');
    }, RESYNC_MS);
    this.registrar.startHeartbeat();
    await this.registrar.markReady();
    this.log.info({ node: this.cfg.nodeName, ip: this.cfg.nodeIP, runtimes: [...this.runtimes.keys()] }, 'kubelet started');
  }

  /** Usage of this node and its pods, for /metrics/resource and /stats/summary. */
  private stats(): StatsProvider {
    return new StatsProvider({
      nodeName: this.cfg.nodeName,
      runtimes: () => this.runtimes.values(),
      pods: () => {
        return podEntriesOf(this.records.values(), (uid) => this.podByUid(uid));
      },
      log: this.log,
    });
  }

  private async syncOne(uid: string): Promise<void> {
    const pod = this.podByUid(uid);
    let rec = this.records.get(uid);
    if (!pod || pod.metadata.deletionTimestamp) {
      if (rec) {
        this.probes.stopPod(uid);
        await killPod(this.ctx, pod, rec, pod ? (pod.metadata.deletionGracePeriodSeconds ?? 30) : 0);
      }
      this.records.delete(uid);
      this.statuses.forget(uid);
      this.workers.forget(uid);
      if (pod) await this.finalizeDeletion(pod);
      return;
    }
    if (!rec) {
      rec = { uid, key: `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`, initDone: [], containers: new Map(), ...terminalFromApi(pod) };
      this.records.set(uid, rec);
    }
    const wasRunning = pod.status?.phase === 'Running';
    const res = await syncPod(this.ctx, pod, rec);
    const firstVerdicts = this.probes.sync(pod, rec, res.status);
    // A container just started: report it once its first readiness verdict is in (bounded), so
    // Running and Ready go out in one status write instead of two.
    if (firstVerdicts && res.recompute) {
      await firstVerdicts;
      res.status = res.recompute();
    }
    if (res.status) {
      await this.statuses.push(pod, res.status);
      if (!wasRunning && res.status.phase === 'Running' && pod.metadata.creationTimestamp) {
        this.startLatency.observe((Date.now() - Date.parse(pod.metadata.creationTimestamp)) / 1000);
      }
    }
  }

  /** Deletes the pod object for good once its containers are gone, as the Kubernetes kubelet does. */
  private async finalizeDeletion(pod: PodObj): Promise<void> {
    try {
      await this.client.resource(PodResource).delete(pod.metadata.name ?? '', { namespace: pod.metadata.namespace ?? 'default', gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid ?? '' } });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  private async logPath(ns: string, podName: string, container: string, previous: boolean) {
    const pod = this.podsInformer.store.get(`${ns}/${podName}`);
    if (!pod) return undefined;
    const rec = this.records.get(pod.metadata.uid ?? '');
    const crec = rec?.containers.get(container);
    if (!rec || !crec) return undefined;
    const n = previous ? crec.restartCount - 1 : crec.restartCount;
    if (n < 0) return undefined;
    const path = join(this.cfg.rootDir, 'pods', rec.uid, 'logs', container, `${n}.log`);
    const runtime = [...this.runtimes.values()];
    const running = async () => {
      if (previous || !crec.id) return false;
      for (const rt of runtime) {
        const st = await rt.containerStatus(crec.id).catch(() => undefined);
        if (st) return st.state === 'running';
      }
      return false;
    };
    return { path, running };
  }

  async stop(): Promise<void> {
    this.abort.abort();
    clearInterval(this.resyncTimer);
    this.workers.stop();
    this.registrar.stop();
    this.probes.stopAll();
    await this.podsInformer.stop();
    await this.servicesInformer.stop();
    await this.runtimeClasses.stop();
    await this.localPathCleaner.stop();
    await this.closeServer?.();
    for (const rt of this.runtimes.values()) await rt.close();
  }
}
